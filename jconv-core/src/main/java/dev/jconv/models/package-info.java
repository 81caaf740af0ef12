/**
 * The modern convolutional networks of D2L's chapter 8, built from lazy layers as D2L 1.0 builds them in
 * PyTorch, with the same module names, so they print, name their parameters and shape their outputs as
 * PyTorch does: {@link dev.jconv.models.AlexNet}, {@link dev.jconv.models.VGG}, {@link dev.jconv.models.NiN},
 * {@link dev.jconv.models.GoogLeNet}, {@link dev.jconv.models.BNLeNet}, {@link dev.jconv.models.ResNet},
 * {@link dev.jconv.models.DenseNet} and {@link dev.jconv.models.RegNet}. {@link dev.jconv.models.Models}
 * finds them by name; {@link dev.jconv.models.LayerSummary} prints each layer's output shape.
 */
package dev.jconv.models;
