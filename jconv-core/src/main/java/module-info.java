/**
 * jconv: convolutional neural networks in pure Java, with PyTorch's names and numbers.
 *
 * <p>The core has no dependencies. Its float kernels use the incubating Vector API when the module
 * {@code jdk.incubator.vector} is in the boot layer ({@code --add-modules jdk.incubator.vector}); without it
 * they run scalar loops that give the same bits, and one warning is logged. {@code dev.jconv.kernels} (the
 * loops, the thread pool, the convolution algorithms) and {@code dev.jconv.internal} (JSON) are exported only
 * to jconv's own command line.
 */
@SuppressWarnings("module") // the qualified exports name dev.jconv.cli, which this module's build cannot see
module dev.jconv {
    requires static jdk.incubator.vector;
    // The JIT directive that keeps the vector kernels' helpers inlined (dev.jconv.kernels.InlineDirective).
    requires java.management;

    exports dev.jconv.storage;
    exports dev.jconv.random;
    exports dev.jconv.autograd;
    exports dev.jconv.tensor;
    exports dev.jconv.nn;
    exports dev.jconv.optim;
    exports dev.jconv.data;
    exports dev.jconv.io;
    exports dev.jconv.models;

    // The thread count and forced convolution algorithms of the command line's --threads and tests.
    exports dev.jconv.kernels to dev.jconv.cli;
    exports dev.jconv.internal to dev.jconv.cli;
}
