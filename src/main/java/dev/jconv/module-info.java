/** jconv: convolutional neural networks in pure Java, with PyTorch's names and numbers. */
module dev.jconv {
    requires java.desktop;
    requires jdk.incubator.vector;

    exports dev.jconv.storage;
    exports dev.jconv.random;
    exports dev.jconv.kernels;
    exports dev.jconv.autograd;
    exports dev.jconv.tensor;
    exports dev.jconv.nn;
    exports dev.jconv.optim;
    exports dev.jconv.io;
    exports dev.jconv.cli;
    exports dev.jconv.examples;
}
