package dev.jconv.bench;

import dev.jconv.kernels.Conv2dKernels;
import dev.jconv.kernels.ConvGeometry;
import java.util.Random;

/**
 * Times the three passes of one convolution shape apart, warm: the float32 entry points of
 * {@link Conv2dKernels} (forward, input gradient, weight gradient, as autograd calls them) on random data, five
 * rounds of 20 calls each, printing the best call of each round. Run it with a fixed heap ({@code -Xms2g
 * -Xmx2g}): a heap that grows slows the kernels while it does. Usage:
 * {@code ConvPassTime N C H O K STRIDE PAD} (square planes and kernels); {@code -Dcold=true} evicts the caches
 * before each pass.
 */
public final class ConvPassTime {
    private ConvPassTime() {
    }

    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        int c = Integer.parseInt(args[1]);
        int h = Integer.parseInt(args[2]);
        int o = Integer.parseInt(args[3]);
        int k = Integer.parseInt(args[4]);
        int s = Integer.parseInt(args[5]);
        int p = Integer.parseInt(args[6]);
        ConvGeometry g = ConvGeometry.of(n, c, h, h, o, 1, k, k, s, s, p, p, p, p, 1, 1);
        Random r = new Random(1);
        float[] x = gaussian(r, n * c * h * h);
        float[] gradOut = gaussian(r, n * o * g.outH() * g.outW());
        float[] w = gaussian(r, o * c * k * k);
        for (int round = 0; round < 5; round++) {
            double[] best = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
            for (int i = 0; i < 20; i++) {
                flush();
                long t0 = System.nanoTime();
                Conv2dKernels.forward(g, x, w, null);
                long t1 = System.nanoTime();
                flush();
                long t1b = System.nanoTime();
                Conv2dKernels.backwardInput(g, gradOut, w);
                long t2 = System.nanoTime();
                flush();
                long t2b = System.nanoTime();
                Conv2dKernels.backwardWeight(g, gradOut, x);
                long t3 = System.nanoTime();
                best[0] = Math.min(best[0], (t1 - t0) / 1e6);
                best[1] = Math.min(best[1], (t2 - t1b) / 1e6);
                best[2] = Math.min(best[2], (t3 - t2b) / 1e6);
            }
            System.out.printf("forward %.2f ms  input gradient %.2f ms  weight gradient %.2f ms%n", best[0], best[1],
                    best[2]);
        }
    }

    /** With {@code -Dcold=true}, 64 MiB written before each pass: its data and weights come from memory, as in a network. */
    private static final float[] EVICT = Boolean.getBoolean("cold") ? new float[16 << 20] : null;

    private static void flush() {
        if (EVICT != null) {
            for (int i = 0; i < EVICT.length; i += 16) {
                EVICT[i]++;
            }
        }
    }

    private static float[] gaussian(Random r, int size) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }
}
