package dev.jconv.bench;

import java.util.Map;

/** The nine benchmark convolutions (docs/performance.md): input (N, C, H, W), O outputs, k×k kernel, stride, padding. */
public record Shapes(int n, int c, int h, int w, int o, int kh, int kw, int stride, int pad) {
    /** By letter, as in the issue. */
    public static final Map<String, Shapes> ALL = Map.of(
            "a", new Shapes(1, 1, 6, 8, 1, 1, 2, 1, 0),
            "b", new Shapes(1, 1, 8, 8, 1, 3, 3, 2, 1),
            "c", new Shapes(256, 1, 28, 28, 6, 5, 5, 1, 2),
            "d", new Shapes(256, 6, 14, 14, 16, 5, 5, 1, 0),
            "e", new Shapes(32, 64, 56, 56, 64, 3, 3, 1, 1),
            "f", new Shapes(32, 128, 28, 28, 128, 3, 3, 1, 1),
            "g", new Shapes(8, 256, 14, 14, 256, 3, 3, 1, 1),
            "h", new Shapes(32, 256, 28, 28, 64, 1, 1, 1, 0),
            "i", new Shapes(32, 64, 56, 56, 128, 3, 3, 2, 1));

    public int outH() {
        return (h + 2 * pad - kh) / stride + 1;
    }

    public int outW() {
        return (w + 2 * pad - kw) / stride + 1;
    }

    /** Floating point operations of the forward pass: two per multiply-add. */
    public double forwardFlops() {
        return 2.0 * n * o * outH() * outW() * c * kh * kw;
    }

    /** Forward plus the input and weight gradients (each as many multiply-adds as the forward). */
    public double trainingFlops() {
        return 3 * forwardFlops();
    }

    /** "(N,C,H,W)→O, kh×kw, s, p" for tables. */
    public String describe() {
        return "(" + n + "," + c + "," + h + "," + w + ")→" + o + ", " + kh + "×" + kw
                + (stride != 1 ? ", s" + stride : "") + (pad != 0 ? ", p" + pad : "");
    }
}
