package dev.jconv.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jconv.nn.Functional;
import dev.jconv.random.Generator;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import org.junit.jupiter.api.Test;

/**
 * A leaf keeps a convolution's input gradient without a copy; a gradient that reaches two leaves (through an
 * addition, which hands the same tensor to both) must still end up in two separate arrays. ReLU and batch norm
 * write their input gradient over an output gradient that nothing else holds, and over no other.
 */
class GradientOwnershipTest {
    @Test
    void aLeafOwnsItsConvolutionInputGradient() {
        Generator gen = new Generator(3);
        Tensor x = Tensor.randn(Shape.of(2, 3, 9, 9), DType.FLOAT32, gen).requiresGrad(true);
        Tensor w = Tensor.randn(Shape.of(4, 3, 3, 3), DType.FLOAT32, gen);
        Functional.conv2d(x, w, null).sum().backward();
        double[] first = x.grad().toArray();
        // A second backward accumulates into the kept array: the gradient doubles.
        Functional.conv2d(x, w, null).sum().backward();
        double[] second = x.grad().toArray();
        for (int i = 0; i < first.length; i++) {
            assertThat(second[i]).isEqualTo((float) (2 * first[i]));
        }
    }

    @Test
    void gradientsMeetingAtANodeAddASliceOfAConcatenationInPlace() {
        // DenseNet's pattern: x feeds a concatenation (its gradient a channel slice of the cat's) and a ReLU; the
        // two gradients are summed reading the slice in place. Each is checked against its product alone.
        Generator gen = new Generator(8);
        Tensor x = normal(gen, 3, 4, 5, 5).requiresGrad(true);
        Tensor z = normal(gen, 3, 2, 5, 5);
        Tensor r1 = normal(gen, 3, 6, 5, 5);
        Tensor r2 = normal(gen, 3, 4, 5, 5);
        for (boolean catFirst : new boolean[] {true, false}) { // the order of the branches: either may own the sum
            Tensor cat = Tensor.cat(new Tensor[] {z, x}, 1).mul(r1).sum();
            Tensor relu = x.relu().mul(r2).sum();
            (catFirst ? cat.add(relu) : relu.add(cat)).backward();
            float[] both = x.grad().toFloatArray();
            x.setGrad(null);
            Tensor.cat(new Tensor[] {z, x}, 1).mul(r1).sum().backward();
            float[] viaCat = x.grad().toFloatArray();
            x.setGrad(null);
            x.relu().mul(r2).sum().backward();
            float[] viaRelu = x.grad().toFloatArray();
            x.setGrad(null);
            for (int i = 0; i < both.length; i++) {
                assertThat(both[i]).isEqualTo(viaCat[i] + viaRelu[i]);
            }
        }
    }

    private static Tensor normal(Generator gen, int... sizes) {
        return Tensor.randn(Shape.of(sizes), DType.FLOAT32, gen);
    }

    @Test
    void aGradientSharedByTwoLeavesIsCopiedForTheSecond() {
        Generator gen = new Generator(4);
        Tensor a = Tensor.randn(Shape.of(1, 2, 8, 8), DType.FLOAT32, gen).requiresGrad(true);
        Tensor b = Tensor.randn(Shape.of(1, 2, 8, 8), DType.FLOAT32, gen).requiresGrad(true);
        Tensor w = Tensor.randn(Shape.of(3, 2, 3, 3), DType.FLOAT32, gen);
        Functional.conv2d(a.add(b), w, null).sum().backward();
        assertThat(a.grad().toArray()).containsExactly(b.grad().toArray());
        double[] before = b.grad().toArray();
        try (var ignored = Tensor.noGrad()) {
            a.grad().add_(Tensor.ones(a.shape(), DType.FLOAT32));
        }
        assertThat(b.grad().toArray()).containsExactly(before);
    }

    @Test
    void reluWritesItsInputGradientOverAnOutputGradientNothingElseHolds() {
        Generator gen = new Generator(5);
        Tensor s = Tensor.randn(Shape.of(2, 3, 5, 5), DType.FLOAT32, gen).requiresGrad(true);
        float[] g = Tensor.randn(s.shape(), DType.FLOAT32, gen).toFloatArray();
        float[] expected = new float[g.length];
        float[] sv = s.toFloatArray();
        for (int i = 0; i < g.length; i++) {
            expected[i] = sv[i] > 0 ? g[i] : 0f;
        }
        s.relu().backward(Tensor.wrapUnshared(g, s.shape()));
        assertThat(s.grad().toFloatArray()).containsExactly(expected);
        assertThat(s.grad().storage().readFloats()).isSameAs(g); // written in place, then kept by the leaf
    }

    @Test
    void batchNormWritesItsInputGradientOverAnOutputGradientNothingElseHolds() {
        Generator gen = new Generator(6);
        Tensor x = Tensor.randn(Shape.of(4, 3, 5, 5), DType.FLOAT32, gen).requiresGrad(true);
        Tensor gradOut = Tensor.randn(x.shape(), DType.FLOAT32, gen);
        Functional.batchNorm(x, null, null, null, null, true, 0.1, 1e-5, null).backward(gradOut);
        float[] expected = x.grad().toFloatArray();
        x.setGrad(null);
        float[] g = gradOut.toFloatArray();
        Functional.batchNorm(x, null, null, null, null, true, 0.1, 1e-5, null).backward(Tensor.wrapUnshared(g, x.shape()));
        assertThat(x.grad().toFloatArray()).containsExactly(expected);
        assertThat(x.grad().storage().readFloats()).isSameAs(g);
    }

    @Test
    void aGradientHandedToTwoInputsIsWrittenOverByNeither() {
        // t = relu(s) + s: the addition passes the convolution's (unshared) input gradient to relu and to s; were
        // relu to write over it, s's direct share would read relu's result.
        Generator gen = new Generator(7);
        Tensor s = Tensor.randn(Shape.of(1, 2, 6, 6), DType.FLOAT32, gen).requiresGrad(true);
        Tensor w = Tensor.randn(Shape.of(3, 2, 3, 3), DType.FLOAT32, gen);
        Tensor t = s.relu().add(s);
        Tensor copy = t.detach().requiresGrad(true);
        Functional.conv2d(copy, w, null).sum().backward();
        float[] g = copy.grad().toFloatArray();
        Functional.conv2d(t, w, null).sum().backward();
        float[] sv = s.toFloatArray();
        float[] expected = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            expected[i] = (sv[i] > 0 ? g[i] : 0f) + g[i];
        }
        assertThat(s.grad().toFloatArray()).containsExactly(expected);
    }

    @Test
    void gradientsMeetingAtANodeAreAddedIntoOneNothingElseHolds() {
        // Two convolutions of one input: their input gradients meet at x and are summed in place.
        Generator gen = new Generator(8);
        Tensor x = Tensor.randn(Shape.of(1, 2, 6, 6), DType.FLOAT32, gen).requiresGrad(true);
        Tensor w1 = Tensor.randn(Shape.of(3, 2, 3, 3), DType.FLOAT32, gen);
        Tensor w2 = Tensor.randn(Shape.of(3, 2, 3, 3), DType.FLOAT32, gen);
        Functional.conv2d(x, w1, null).sum().backward();
        float[] g1 = x.grad().toFloatArray();
        x.setGrad(null);
        Functional.conv2d(x, w2, null).sum().backward();
        float[] g2 = x.grad().toFloatArray();
        x.setGrad(null);
        Tensor xr = x.relu();
        Functional.conv2d(xr, w1, null).add(Functional.conv2d(xr, w2, null)).sum().backward();
        float[] xv = x.toFloatArray();
        float[] got = x.grad().toFloatArray();
        for (int i = 0; i < got.length; i++) {
            // Either order of the two terms gives the same float sum.
            assertThat(got[i]).isEqualTo(xv[i] > 0 ? g1[i] + g2[i] : 0f);
        }
    }

    @Test
    void aGradientHeldElsewhereIsAddedIntoTheOneNothingElseHolds() {
        // t feeds a convolution and, directly, the addition: the addition's gradient (held by two inputs) and the
        // convolution's input gradient (held by none) meet at t, summed into the latter.
        Generator gen = new Generator(9);
        Tensor s = Tensor.randn(Shape.of(1, 2, 6, 6), DType.FLOAT32, gen).requiresGrad(true);
        Tensor w = Tensor.randn(Shape.of(2, 2, 3, 3), DType.FLOAT32, gen);
        Tensor weights = Tensor.randn(Shape.of(1, 2, 6, 6), DType.FLOAT32, gen);
        int[] one = {1, 1};
        Tensor copy = s.relu().detach().requiresGrad(true);
        Functional.conv2d(copy, w, null, one, one, one, 1).mul(weights).sum().backward();
        float[] convGrad = copy.grad().toFloatArray();
        float[] g = weights.toFloatArray();
        Tensor t = s.relu();
        Functional.conv2d(t, w, null, one, one, one, 1).add(t).mul(weights).sum().backward();
        float[] sv = s.toFloatArray();
        float[] got = s.grad().toFloatArray();
        for (int i = 0; i < got.length; i++) {
            assertThat(got[i]).isEqualTo(sv[i] > 0 ? g[i] + convGrad[i] : 0f);
        }
    }
}
