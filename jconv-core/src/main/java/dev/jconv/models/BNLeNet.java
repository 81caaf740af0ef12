package dev.jconv.models;

import dev.jconv.nn.AvgPool2d;
import dev.jconv.nn.Flatten;
import dev.jconv.nn.LazyBatchNorm1d;
import dev.jconv.nn.LazyBatchNorm2d;
import dev.jconv.nn.LazyConv2d;
import dev.jconv.nn.LazyLinear;
import dev.jconv.nn.Module;
import dev.jconv.nn.Pool2dOptions;
import dev.jconv.nn.Sequential;
import dev.jconv.nn.Sigmoid;
import java.util.function.IntFunction;

/**
 * LeNet with batch normalisation after every convolution and hidden dense layer, before the sigmoid: with
 * D2L's from-scratch {@link BatchNorm} or with the library's lazy batch-norm layers.
 */
public final class BNLeNet {
    private BNLeNet() {
    }

    /** With {@link BatchNorm} modules, for 10 classes. */
    public static Sequential scratch() {
        return scratch(10);
    }

    /** With {@link BatchNorm} modules, whose feature counts are given explicitly. */
    public static Sequential scratch(int numClasses) {
        return build(numClasses, c -> new BatchNorm(c, 4), f -> new BatchNorm(f, 2));
    }

    /** With {@code LazyBatchNorm2d} and {@code LazyBatchNorm1d}, for 10 classes. */
    public static Sequential concise() {
        return concise(10);
    }

    /** With {@code LazyBatchNorm2d} and {@code LazyBatchNorm1d}, for {@code numClasses} classes. */
    public static Sequential concise(int numClasses) {
        return build(numClasses, c -> new LazyBatchNorm2d(), f -> new LazyBatchNorm1d());
    }

    private static Sequential build(int numClasses, IntFunction<Module> convNorm, IntFunction<Module> denseNorm) {
        Pool2dOptions pool = Pool2dOptions.kernelSize(2).stride(2);
        return new Sequential(
                new LazyConv2d(6, 5), convNorm.apply(6), new Sigmoid(), new AvgPool2d(pool),
                new LazyConv2d(16, 5), convNorm.apply(16), new Sigmoid(), new AvgPool2d(pool),
                new Flatten(), new LazyLinear(120), denseNorm.apply(120), new Sigmoid(),
                new LazyLinear(84), denseNorm.apply(84), new Sigmoid(),
                new LazyLinear(numClasses));
    }
}
