package dev.jconv.models;

import dev.jconv.nn.Conv2dOptions;
import dev.jconv.nn.LazyConv2d;
import dev.jconv.nn.MaxPool2d;
import dev.jconv.nn.Pool2dOptions;

/** Shorthands for the layer arguments the networks repeat. */
final class Layers {
    private Layers() {
    }

    /** {@code nn.LazyConv2d(out, kernel_size=k, stride=s, padding=p)}. */
    static LazyConv2d conv(int out, int k, int s, int p) {
        return new LazyConv2d(out, Conv2dOptions.kernelSize(k).stride(s).padding(p));
    }

    /** {@code nn.LazyConv2d(out, kernel_size=k, padding=p)}. */
    static LazyConv2d conv(int out, int k, int p) {
        return conv(out, k, 1, p);
    }

    /** {@code nn.MaxPool2d(kernel_size=k, stride=s, padding=p)}. */
    static MaxPool2d maxPool(int k, int s, int p) {
        return new MaxPool2d(Pool2dOptions.kernelSize(k).stride(s).padding(p));
    }
}
