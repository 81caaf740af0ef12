/**
 * jconv's pictures: the training progress bar, PNG plots (curves, kernels, captioned images, heatmaps) and
 * reading images into tensors.
 *
 * <p>{@code xchart} ships no module descriptor and no {@code Automatic-Module-Name} in its manifest, so on the
 * module path it is an automatic module whose name is derived from its file name, {@code xchart-4.0.3.jar}:
 * {@code xchart}, not {@code org.knowm.xchart}. Maven and the launcher both put the jar there under that file
 * name. A name taken from a file name is not stable (maven-compiler-plugin warns "filename-based
 * automodules"): should xchart ever declare {@code Automatic-Module-Name: org.knowm.xchart} or a module
 * descriptor, this {@code requires} must change with it, and this module should not be published to a public
 * repository before then.
 */
@SuppressWarnings("requires-automatic")
module dev.jconv.viz {
    requires transitive dev.jconv;
    requires transitive java.desktop; // hands out BufferedImage and Color
    requires xchart;

    exports dev.jconv.viz;
}
