package dev.jconv.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jconv.GradCheck;
import dev.jconv.Reference;
import dev.jconv.kernels.Parallel;
import dev.jconv.nn.AdaptiveAvgPool2d;
import dev.jconv.nn.AdaptiveMaxPool2d;
import dev.jconv.nn.AvgPool2d;
import dev.jconv.nn.Conv2d;
import dev.jconv.nn.Conv2dOptions;
import dev.jconv.nn.Flatten;
import dev.jconv.nn.Functional;
import dev.jconv.nn.MaxPool2d;
import dev.jconv.nn.Pool2dOptions;
import dev.jconv.nn.Sequential;
import dev.jconv.nn.Sigmoid;
import dev.jconv.random.Generator;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Max, average and adaptive pooling: gradients, PyTorch's messages and reprs, and the pooling chapter's cells. */
class PoolingTest {
    private static final int[] ONE = {1, 1};
    private static final int[] ZERO = {0, 0};

    private static int[] p(int h, int w) {
        return new int[] {h, w};
    }

    /** arange(16) as (1, 1, 4, 4) float32, the chapter's X. */
    private static Tensor chapterX() {
        return Tensor.arange(16.0).reshape(1, 1, 4, 4);
    }

    private static Tensor doubles(double[] values, int... shape) {
        return Tensor.fromArray(values, Shape.of(shape), DType.FLOAT64);
    }

    // ---- gradients ------------------------------------------------------------------------------------

    /** Seeds the inputs of the gradient checks. */
    private final Generator g = new Generator(7);

    @Test
    void maxPool() {
        GradCheck.check("3x3 s2 p1", in -> Pooling.maxPool2d(in[0], p(3, 3), p(2, 2), ONE, ONE, false),
                GradCheck.randn(g, 2, 3, 6, 5));
        GradCheck.check("dilation, ceil mode", in -> Pooling.maxPool2d(in[0], p(2, 3), p(2, 1), p(1, 1), p(2, 2), true),
                GradCheck.randn(g, 1, 2, 7, 8));
        GradCheck.check("unbatched, overlapping windows",
                in -> Pooling.maxPool2d(in[0], p(3, 2), ONE, p(1, 0), ONE, false), GradCheck.randn(g, 2, 5, 4));
    }

    @Test
    void avgPool() {
        GradCheck.check("count_include_pad",
                in -> Pooling.avgPool2d(in[0], p(3, 3), p(2, 2), ONE, false, true, null),
                GradCheck.randn(g, 2, 2, 5, 6));
        GradCheck.check("ceil mode, padding not counted",
                in -> Pooling.avgPool2d(in[0], p(3, 2), p(2, 2), p(1, 1), true, false, null),
                GradCheck.randn(g, 1, 3, 6, 7));
        GradCheck.check("divisor override, unbatched",
                in -> Pooling.avgPool2d(in[0], p(2, 2), ONE, ZERO, true, true, -3), GradCheck.randn(g, 2, 4, 5));
    }

    @Test
    void adaptiveAvgPool() {
        GradCheck.check("shrink", in -> Pooling.adaptiveAvgPool2d(in[0], 3, 2), GradCheck.randn(g, 2, 2, 7, 5));
        GradCheck.check("grow", in -> Pooling.adaptiveAvgPool2d(in[0], 5, 7), GradCheck.randn(g, 1, 2, 3, 4));
        GradCheck.check("global", in -> Pooling.adaptiveAvgPool2d(in[0], 1, 1), GradCheck.randn(g, 3, 4, 5));
    }

    @Test
    void adaptiveMaxPool() {
        GradCheck.check("shrink", in -> Pooling.adaptiveMaxPool2d(in[0], 3, 2), GradCheck.randn(g, 2, 2, 7, 5));
        GradCheck.check("grow, unbatched", in -> Pooling.adaptiveMaxPool2d(in[0], 5, 6), GradCheck.randn(g, 2, 3, 4));
    }

    // ---- values ---------------------------------------------------------------------------------------

    @Test
    void maxPoolReturnsFlatInPlaneIndices() {
        Pooling.WithIndices r = Pooling.maxPool2dWithIndices(chapterX(), p(3, 3), p(2, 2), ONE, ONE, false);
        assertThat(r.output().toArray()).containsExactly(5, 7, 13, 15);
        assertThat(r.indices().dtype()).isEqualTo(DType.INT64);
        assertThat(r.indices()).hasToString("""
                tensor([[[[ 5,  7],
                          [13, 15]]]])""");
    }

    @Test
    void theFirstMaximumWinsATieAndTakesTheGradient() {
        Tensor x = doubles(new double[] {1, 2, 2, 0, 2, 2}, 1, 2, 3).requiresGrad(true);
        Pooling.WithIndices r = Pooling.maxPool2dWithIndices(x, p(2, 3), null, ZERO, ONE, false);
        assertThat(r.indices().toArray()).containsExactly(1);
        r.output().sum().backward();
        assertThat(x.grad().toArray()).containsExactly(0, 1, 0, 0, 0, 0);
    }

    @Test
    void nanPropagatesAndTheLastNanOfAWindowIsChosen() {
        Tensor x = doubles(new double[] {Double.NaN, 1, Double.NaN, 5}, 1, 1, 4);
        Pooling.WithIndices r = Pooling.maxPool2dWithIndices(x, p(1, 4), null, ZERO, ONE, false);
        assertThat(r.output().item()).isNaN();
        assertThat(r.indices().toArray()).containsExactly(2);
        Pooling.WithIndices a = Pooling.adaptiveMaxPool2dWithIndices(x, 1, 2);
        assertThat(a.output().toArray()).containsExactly(Double.NaN, Double.NaN);
        assertThat(a.indices().toArray()).containsExactly(0, 2);
    }

    @Test
    void paddingIsNeverChosenEvenOverMinusInfinity() {
        double ninf = Double.NEGATIVE_INFINITY;
        Tensor x = doubles(new double[] {ninf, ninf, ninf, ninf}, 1, 2, 2);
        Pooling.WithIndices r = Pooling.maxPool2dWithIndices(x, p(2, 2), ONE, ONE, ONE, false);
        assertThat(r.output().toArray()).containsOnly(ninf);
        // PyTorch's indices: the first in-image tap of each window.
        assertThat(r.indices().toArray()).containsExactly(0, 0, 1, 0, 0, 1, 2, 2, 3);
    }

    @Test
    void ceilModeKeepsAPartialLastWindow() {
        Tensor x = chapterX().requiresGrad(true);
        Tensor floor = Pooling.maxPool2d(x, p(2, 2), p(2, 2), ZERO, ONE, false);
        Tensor ceil = Pooling.maxPool2d(Tensor.arange(25.0).reshape(1, 5, 5), p(2, 2), p(2, 2), ZERO, ONE, true);
        assertThat(floor.shape()).isEqualTo(Shape.of(1, 1, 2, 2));
        assertThat(ceil.toArray()).containsExactly(6, 8, 9, 16, 18, 19, 21, 23, 24);
        Tensor o = Pooling.maxPool2d(x, p(2, 2), ONE, ZERO, ONE, true);
        o.backward(Tensor.ones(o.shape(), DType.FLOAT32));
        assertThat(x.grad().toArray()).containsExactly(0, 0, 0, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1);
    }

    @Test
    void outputSizeFollowsPyTorchsCeilRule() {
        assertThat(Pooling.outputSize(5, 2, 2, 0, 1, false)).isEqualTo(2);
        assertThat(Pooling.outputSize(5, 2, 2, 0, 1, true)).isEqualTo(3);
        assertThat(Pooling.outputSize(4, 2, 2, 1, 1, true)).isEqualTo(3);
        // rounding up gives 3, but the third window would start in the right padding
        assertThat(Pooling.outputSize(5, 3, 3, 1, 1, true)).isEqualTo(2);
        assertThat(Pooling.outputSize(6, 3, 1, 0, 3, false)).isEqualTo(0);
    }

    @Test
    void averageDivisorsCountPaddingButNotTheCeilModeOverhang() {
        Tensor x = Tensor.arange(25.0).reshape(1, 5, 5);
        assertThat(Pooling.avgPool2d(x, p(3, 3), p(2, 2), ONE, true, true, null)).hasToString("""
                tensor([[[ 1.3333,  3.0000,  2.6667],
                         [ 7.0000, 12.0000,  9.0000],
                         [ 8.0000, 13.0000,  9.3333]]])""");
        assertThat(Pooling.avgPool2d(x, p(3, 3), p(2, 2), ONE, true, false, null)).hasToString("""
                tensor([[[ 3.0000,  4.5000,  6.0000],
                         [10.5000, 12.0000, 13.5000],
                         [18.0000, 19.5000, 21.0000]]])""");
        assertThat(Pooling.avgPool2d(x, p(3, 3), p(2, 2), ONE, true, true, -2)).hasToString("""
                tensor([[[ -6.0000, -13.5000, -12.0000],
                         [-31.5000, -54.0000, -40.5000],
                         [-36.0000, -58.5000, -42.0000]]])""");
    }

    @Test
    void integerAveragesTruncateTowardZeroAsPyTorchDoes() {
        Tensor x = Tensor.of(new long[][] {{1, 2}, {4, -8}}, DType.INT64).reshape(1, 2, 2);
        Tensor out = Pooling.avgPool2d(x, p(2, 2), null, ZERO, false, true, null);
        assertThat(out.dtype()).isEqualTo(DType.INT64);
        assertThat(out.toArray()).containsExactly(0);
    }

    @Test
    void adaptiveWindowsRunFromFloorToCeil() {
        Tensor x = chapterX();
        assertThat(Pooling.adaptiveAvgPool2d(x, 3, 2).toArray()).containsExactly(2.5, 4.5, 6.5, 8.5, 10.5, 12.5);
        Pooling.WithIndices m = Pooling.adaptiveMaxPool2dWithIndices(x.get(0), 3, 2);
        assertThat(m.output().shape()).isEqualTo(Shape.of(1, 3, 2));
        assertThat(m.indices().toArray()).containsExactly(5, 7, 9, 11, 13, 15);
        assertThat(Functional.adaptiveAvgPool2d(Tensor.arange(12.0).reshape(1, 3, 4), 2, 3).toArray())
                .containsExactly(2.5, 3.5, 4.5, 6.5, 7.5, 8.5);
        assertThat(Functional.adaptiveMaxPool2d(x, null, 2).shape()).isEqualTo(Shape.of(1, 1, 4, 2));
    }

    @Test
    void emptyOutputsAndEmptyBatchesAreAllowedAsInPyTorch() {
        assertThat(Pooling.adaptiveAvgPool2d(Tensor.ones(1, 2, 4, 4), 0, 3).shape()).isEqualTo(Shape.of(1, 2, 0, 3));
        assertThat(Pooling.adaptiveMaxPool2d(Tensor.ones(1, 2, 4, 4), 2, 0).shape()).isEqualTo(Shape.of(1, 2, 2, 0));
        assertThat(Pooling.maxPool2d(Tensor.ones(0, 2, 6, 6), p(2, 2), null, ZERO, ONE, false).shape())
                .isEqualTo(Shape.of(0, 2, 3, 3));
    }

    @Test
    void float32StaysFloat32() {
        Tensor out = Pooling.avgPool2d(chapterX(), p(3, 3), p(2, 2), ONE, false, true, null);
        assertThat(out.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(out.toArray()[0]).isEqualTo((float) (10.0 / 9));
    }

    /** Forward and backward of each pooling on many planes, run with {@code threads} kernel threads. */
    private static double[][] poolAll(int threads) {
        Parallel.setThreads(threads);
        try {
            Tensor x = Tensor.randn(Shape.of(8, 32, 12, 12), DType.FLOAT32, new Generator(11)).requiresGrad(true);
            Tensor y = Pooling.maxPool2d(x, p(3, 3), p(2, 2), ONE, ONE, true)
                    .add(Pooling.avgPool2d(x, p(3, 3), p(2, 2), ONE, true, false, null))
                    .add(Pooling.adaptiveAvgPool2d(x, 7, 7))
                    .add(Pooling.adaptiveMaxPool2d(x, 7, 7));
            y.sigmoid().sum().backward();
            return new double[][] {y.toArray(), x.grad().toArray()};
        } finally {
            Parallel.setThreads(Runtime.getRuntime().availableProcessors());
        }
    }

    @Test
    void oneAndThreeThreadsGiveIdenticalBits() {
        double[][] one = poolAll(1);
        double[][] three = poolAll(3);
        assertThat(three[0]).as("output").containsExactly(one[0]);
        assertThat(three[1]).as("input gradient").containsExactly(one[1]);
    }

    // ---- autograd -------------------------------------------------------------------------------------

    @Test
    void gradFnNamesAreTorchs() {
        Tensor x = chapterX().requiresGrad(true);
        assertThat(Pooling.maxPool2d(x, p(3, 3), p(2, 2), ONE, ONE, false)).hasToString("""
                tensor([[[[ 5.,  7.],
                          [13., 15.]]]], grad_fn=<MaxPool2DWithIndicesBackward0>)""");
        assertThat(Pooling.avgPool2d(x, p(3, 3), p(2, 2), ONE, false, true, null)).hasToString("""
                tensor([[[[ 1.1111,  2.6667],
                          [ 5.6667, 10.0000]]]], grad_fn=<AvgPool2DBackward0>)""");
        assertThat(Pooling.adaptiveAvgPool2d(x, 3, 2)).hasToString("""
                tensor([[[[ 2.5000,  4.5000],
                          [ 6.5000,  8.5000],
                          [10.5000, 12.5000]]]], grad_fn=<AdaptiveAvgPool2DBackward0>)""");
        assertThat(Pooling.adaptiveMaxPool2d(x.get(0), 3, 2)).hasToString("""
                tensor([[[ 5.,  7.],
                         [ 9., 11.],
                         [13., 15.]]], grad_fn=<AdaptiveMaxPool2DBackward0>)""");
        // PyTorch computes a 1x1 adaptive average as a mean over (H, W).
        assertThat(Pooling.adaptiveAvgPool2d(x, 1, 1)).hasToString("tensor([[[[7.5000]]]], grad_fn=<MeanBackward1>)");
        // Unbatched input is pooled directly, not through unsqueeze/squeeze.
        assertThat(Pooling.maxPool2d(x.get(0), p(2, 2), null, ZERO, ONE, false).gradFn().name())
                .isEqualTo("MaxPool2DWithIndicesBackward0");
    }

    @Test
    void indicesNeverRequireGrad() {
        Tensor x = chapterX().requiresGrad(true);
        assertThat(Pooling.maxPool2dWithIndices(x, p(2, 2), null, ZERO, ONE, false).indices().requiresGrad()).isFalse();
    }

    @Test
    void writingToTheInputInPlaceBeforeBackwardIsAnError() {
        Tensor leaf = chapterX().requiresGrad(true);
        Tensor x = leaf.mul(1.0);
        Tensor out = Pooling.avgPool2d(x, p(2, 2), null, ZERO, false, true, null);
        x.detach().add_(1.0);
        assertThatThrownBy(() -> out.sum().backward()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("modified by an inplace operation").hasMessageContaining("AvgPool2DBackward0");
    }

    @Test
    void noGraphIsRecordedUnderNoGrad() {
        Tensor x = chapterX().requiresGrad(true);
        try (var ignored = Tensor.noGrad()) {
            assertThat(Pooling.maxPool2d(x, p(2, 2), null, ZERO, ONE, false).requiresGrad()).isFalse();
            assertThat(Pooling.adaptiveAvgPool2d(x, 2, 2).gradFn()).isNull();
        }
    }

    // ---- rejected arguments ---------------------------------------------------------------------------

    /** A valid input for the argument checks: (1, 2, 6, 6). */
    private final Tensor image = Tensor.ones(1, 2, 6, 6);

    private void maxRejects(Tensor in, int[] k, int[] s, int[] pad, int[] d, boolean ceil, String message) {
        assertThatThrownBy(() -> Pooling.maxPool2d(in, k, s, pad, d, ceil))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void windowArguments() {
        maxRejects(image, p(2, 3), p(2, 2), p(2, 1), ONE, false,
                "pad should be at most half of kernel size, but got pad=2 and kernel_size=2");
        maxRejects(image, p(2, 2), p(0, 1), ZERO, ONE, false, "stride should not be zero");
        maxRejects(image, p(2, 2), p(1, -1), ZERO, ONE, false,
                "stride should be greater than zero, but got dH: 1 dW: -1");
        maxRejects(image, p(2, 0), null, ZERO, ONE, false,
                "kernel size should be greater than zero, but got kH: 2 kW: 0");
        maxRejects(image, p(2, 2), null, ZERO, p(1, 0), false,
                "dilation should be greater than zero, but got dilationH: 1 dilationW: 0");
        maxRejects(image, p(2, 2), null, p(0, -1), ONE, false, "pad must be non-negative, but got pad: -1");
        maxRejects(image, new int[] {2, 2, 2}, null, ZERO, ONE, false,
                "max_pool2d: kernel_size must either be a single int, or a tuple of two ints, got [2, 2, 2]");
        assertThatThrownBy(() -> Pooling.avgPool2d(image, p(2, 2), null, ZERO, false, true, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("divisor must be not zero");
    }

    @Test
    void outputTooSmall() {
        maxRejects(image, p(8, 8), p(2, 2), ZERO, ONE, false,
                "Given input size: (2x6x6). Calculated output size: (2x0x0). Output size is too small");
        maxRejects(image.get(0), p(2, 3), ONE, ZERO, p(1, 3), false,
                "Given input size: (2x6x6). Calculated output size: (2x5x0). Output size is too small");
        assertThatThrownBy(() -> Pooling.avgPool2d(image, p(9, 9), p(1, 1), ONE, true, true, null))
                .hasMessage("Given input size: (2x6x6). Calculated output size: (2x0x0). Output size is too small");
    }

    @Test
    void shapesAndDtypes() {
        maxRejects(Tensor.ones(6, 6), p(2, 2), null, ZERO, ONE, false,
                "non-empty 3D or 4D (batch mode) tensor expected for input, but got input of size [6, 6]");
        maxRejects(Tensor.ones(1, 0, 6, 6), p(2, 2), null, ZERO, ONE, false,
                "Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:[1, 0, 6, 6]");
        assertThatThrownBy(() -> Pooling.avgPool2d(Tensor.ones(1, 1, 1, 6, 6), p(2, 2), null, ZERO, false, true, null))
                .hasMessage("non-empty 3D or 4D (batch mode) tensor expected for input, but got input of size "
                        + "[1, 1, 1, 6, 6]");
        maxRejects(Tensor.arange(36).reshape(1, 6, 6), p(2, 2), null, ZERO, ONE, false,
                "\"max_pool2d\" not implemented for 'Long'");
        assertThatThrownBy(() -> Pooling.adaptiveAvgPool2d(Tensor.ones(6, 6), 2, 2))
                .hasMessage("adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got [6, 6]");
        assertThatThrownBy(() -> Pooling.adaptiveMaxPool2d(image, 2, -3)).hasMessage("adaptive_max_pool2d: elements of "
                + "output_size must be greater than or equal to 0 but received {2, -3}");
        assertThatThrownBy(() -> Pooling.adaptiveAvgPool2d(Tensor.ones(1, 2, 6, 0), 2, 2))
                .hasMessage("adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch dimensions, "
                        + "but input has sizes [1, 2, 6, 0] with dimension 3 being empty");
        assertThatThrownBy(() -> Pooling.adaptiveMaxPool2d(Tensor.ones(1, 0, 6, 6), 2, 2))
                .hasMessage("adaptive_max_pool2d(): Expected input to have non-zero size for non-batch dimensions, "
                        + "but input has sizes [1, 0, 6, 6] with dimension 1 being empty");
        assertThatThrownBy(() -> Pooling.adaptiveMaxPool2d(Tensor.arange(36).reshape(1, 6, 6), 2, 2))
                .hasMessage("\"adaptive_max_pool2d\" not implemented for 'Long'");
    }

    @Test
    void modulesRefuseOptionsOfTheOtherKind() {
        assertThatThrownBy(() -> new MaxPool2d(Pool2dOptions.kernelSize(2).countIncludePad(false)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("MaxPool2d takes no count_include_pad");
        assertThatThrownBy(() -> new MaxPool2d(Pool2dOptions.kernelSize(2).divisorOverride(3)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AvgPool2d(Pool2dOptions.kernelSize(2).dilation(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("AvgPool2d takes no dilation");
    }

    @Test
    void modulesCheckTheirArgumentsWhenRunLikePyTorch() {
        MaxPool2d pool = new MaxPool2d(Pool2dOptions.kernelSize(3).padding(2));
        assertThatThrownBy(() -> pool.forward(image))
                .hasMessage("pad should be at most half of kernel size, but got pad=2 and kernel_size=3");
    }

    // ---- modules --------------------------------------------------------------------------------------

    @Test
    void reprsAreTorchs() {
        assertThat(new MaxPool2d(3)).hasToString(
                "MaxPool2d(kernel_size=3, stride=3, padding=0, dilation=1, ceil_mode=False)");
        assertThat(new MaxPool2d(Pool2dOptions.kernelSize(3).padding(1).stride(2))).hasToString(
                "MaxPool2d(kernel_size=3, stride=2, padding=1, dilation=1, ceil_mode=False)");
        assertThat(new MaxPool2d(Pool2dOptions.kernelSize(2, 3).stride(1, 2).padding(0, 1).dilation(2, 1)
                .ceilMode(true))).hasToString(
                "MaxPool2d(kernel_size=(2, 3), stride=(1, 2), padding=(0, 1), dilation=(2, 1), ceil_mode=True)");
        assertThat(new AvgPool2d(3)).hasToString("AvgPool2d(kernel_size=3, stride=3, padding=0)");
        assertThat(new AvgPool2d(Pool2dOptions.kernelSize(3).padding(1).stride(2)))
                .hasToString("AvgPool2d(kernel_size=3, stride=2, padding=1)");
        assertThat(new AvgPool2d(Pool2dOptions.kernelSize(2, 3).ceilMode(true).countIncludePad(false)
                .divisorOverride(3))).hasToString("AvgPool2d(kernel_size=(2, 3), stride=(2, 3), padding=0)");
        assertThat(new AdaptiveAvgPool2d(1, 1)).hasToString("AdaptiveAvgPool2d(output_size=(1, 1))");
        assertThat(new AdaptiveAvgPool2d(5)).hasToString("AdaptiveAvgPool2d(output_size=5)");
        assertThat(new AdaptiveAvgPool2d(null, 3)).hasToString("AdaptiveAvgPool2d(output_size=(None, 3))");
        assertThat(new AdaptiveMaxPool2d(2, 3)).hasToString("AdaptiveMaxPool2d(output_size=(2, 3))");
        assertThat(new AdaptiveMaxPool2d(2)).hasToString("AdaptiveMaxPool2d(output_size=2)");
    }

    @Test
    void reprInsideSequential() {
        Sequential net = new Sequential(new Conv2d(1, 6, Conv2dOptions.kernelSize(5).padding(2)), new Sigmoid(),
                new AvgPool2d(Pool2dOptions.kernelSize(2).stride(2)),
                new MaxPool2d(Pool2dOptions.kernelSize(3).stride(1, 2)), new AdaptiveAvgPool2d(1, 1), new Flatten());
        assertThat(net).hasToString("""
                Sequential(
                  (0): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))
                  (1): Sigmoid()
                  (2): AvgPool2d(kernel_size=2, stride=2, padding=0)
                  (3): MaxPool2d(kernel_size=3, stride=(1, 2), padding=0, dilation=1, ceil_mode=False)
                  (4): AdaptiveAvgPool2d(output_size=(1, 1))
                  (5): Flatten(start_dim=1, end_dim=-1)
                )""");
        assertThat(net.parameters()).hasSize(2);
    }

    @Test
    void modulesAndFunctionalFormsAgree() {
        Tensor x = Tensor.rand(Shape.of(2, 3, 7, 6), DType.FLOAT64, new Generator(3));
        Pool2dOptions o = Pool2dOptions.kernelSize(3, 2).stride(2).padding(1).ceilMode(true);
        assertThat(new MaxPool2d(o).forward(x).toArray()).containsExactly(
                Functional.maxPool2d(x, p(3, 2), p(2, 2), ONE, ONE, true).toArray());
        assertThat(new MaxPool2d(o).forwardWithIndices(x).indices().toArray()).containsExactly(
                Functional.maxPool2dWithIndices(x, p(3, 2), p(2, 2), ONE, ONE, true).indices().toArray());
        Pool2dOptions a = o.countIncludePad(false).divisorOverride(4);
        assertThat(new AvgPool2d(a).forward(x).toArray()).containsExactly(
                Functional.avgPool2d(x, p(3, 2), p(2, 2), ONE, true, false, 4).toArray());
        assertThat(new AdaptiveAvgPool2d(null, 4).forward(x).toArray()).containsExactly(
                Functional.adaptiveAvgPool2d(x, 7, 4).toArray());
        assertThat(new AdaptiveMaxPool2d(3).forwardWithIndices(x).output().toArray()).containsExactly(
                Functional.adaptiveMaxPool2d(x, 3).toArray());
        assertThat(Functional.maxPool2d(x, 2).toArray()).containsExactly(new MaxPool2d(2).forward(x).toArray());
        assertThat(Functional.avgPool2d(x, 2).toArray()).containsExactly(new AvgPool2d(2).forward(x).toArray());
        assertThat(Functional.adaptiveAvgPool2d(x, 2).toArray()).containsExactly(new AdaptiveAvgPool2d(2).forward(x)
                .toArray());
        // Single values stand for both dimensions; an omitted stride is the kernel size.
        assertThat(Functional.maxPool2d(x, new int[] {3}, new int[0], new int[] {1}, new int[] {1}, false).toArray())
                .containsExactly(Functional.maxPool2d(x, p(3, 3), p(3, 3), ONE, ONE, false).toArray());
        assertThat(o.stride()).containsExactly(2, 2);
        assertThat(Pool2dOptions.kernelSize(4, 5).stride()).containsExactly(4, 5);
    }

    // ---- the pooling chapter's cells, printed as PyTorch printed them --------------------------------

    private final List<Reference.Block> blocks = Reference.blocks("pooling-expected.txt");

    private String cell(int n) {
        return blocks.stream().filter(b -> b.number() == n).findFirst().orElseThrow().text();
    }

    @Test
    void maxAndAverageOfTwoByTwoWindows() {
        Tensor x = Tensor.of(new double[][] {{0, 1, 2}, {3, 4, 5}, {6, 7, 8}}).unsqueeze(0);
        assertThat(Functional.maxPool2d(x, p(2, 2), ONE, ZERO, ONE, false).squeeze(0)).hasToString(cell(2));
        assertThat(Functional.avgPool2d(x, p(2, 2), ONE, ZERO, false, true, null).squeeze(0)).hasToString(cell(3));
    }

    @Test
    void defaultStrideAndExplicitPaddingAndStride() {
        Tensor x = chapterX();
        assertThat(x).hasToString(cell(4));
        assertThat(new MaxPool2d(3).forward(x)).hasToString(cell(5));
        assertThat(new MaxPool2d(Pool2dOptions.kernelSize(3).padding(1).stride(2)).forward(x)).hasToString(cell(6));
        assertThat(new MaxPool2d(Pool2dOptions.kernelSize(2, 3).stride(2, 3).padding(0, 1)).forward(x))
                .hasToString(cell(7));
    }

    @Test
    void multipleChannels() {
        Tensor x = Tensor.cat(new Tensor[] {chapterX(), chapterX().add(1)}, 1);
        assertThat(x).hasToString(cell(8));
        Pool2dOptions o = Pool2dOptions.kernelSize(3).padding(1).stride(2);
        assertThat(new MaxPool2d(o).forward(x)).hasToString(cell(9));
        assertThat(new AvgPool2d(o).forward(x)).hasToString(cell(10));
        assertThat(new AvgPool2d(o.countIncludePad(false)).forward(x)).hasToString(cell(11));
    }
}
