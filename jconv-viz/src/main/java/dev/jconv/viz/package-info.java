/**
 * What a user watches and looks at during training: a {@link dev.jconv.viz.ProgressBar} on the terminal,
 * and PNG pictures of training curves, learned kernels, labelled test images and single matrices.
 *
 * <p>Pictures are drawn headless (the package sets {@code java.awt.headless=true} unless it is already
 * set) and written atomically: a temporary file in the target's directory is moved over the target, so a
 * reader never sees half a PNG. Pictures with text need fonts; see {@link dev.jconv.viz.Fonts}.
 */
package dev.jconv.viz;
