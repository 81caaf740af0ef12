package dev.jconv.bench;

import dev.jconv.kernels.ConvAlgorithm;
import dev.jconv.nn.Functional;
import dev.jconv.tensor.Tensor;

/**
 * Times one convolution shape, forward and backward, under each algorithm that can run it; prints GFLOP/s.
 * Usage: {@code ConvShapeTime N C H W O K STRIDE PAD [algorithm...]}.
 */
public final class ConvShapeTime {
    /** {@code -Dbackward=false} times the forward pass only (for profiles of it). */
    private static final boolean BACKWARD = !"false".equals(System.getProperty("backward"));

    private ConvShapeTime() {
    }

    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        int c = Integer.parseInt(args[1]);
        int h = Integer.parseInt(args[2]);
        int w = Integer.parseInt(args[3]);
        int o = Integer.parseInt(args[4]);
        int k = Integer.parseInt(args[5]);
        int s = Integer.parseInt(args[6]);
        int p = Integer.parseInt(args[7]);
        String[] algos = args.length > 8 ? java.util.Arrays.copyOfRange(args, 8, args.length) : new String[] {"auto"};
        Tensor x = Tensor.randn(n, c, h, w).requiresGrad(true);
        Tensor wt = Tensor.randn(o, c, k, k).requiresGrad(true);
        int oh = (h + 2 * p - k) / s + 1;
        int ow = (w + 2 * p - k) / s + 1;
        double flops = 2.0 * n * o * oh * ow * c * k * k;
        for (String a : algos) {
            ConvAlgorithm.force(ConvAlgorithm.parse(a));
            double bestF = Double.MAX_VALUE;
            double bestB = Double.MAX_VALUE;
            for (int r = 0; r < 15; r++) {
                long t0 = System.nanoTime();
                Tensor y = Functional.conv2d(x, wt, null, new int[] {s, s}, new int[] {p, p}, new int[] {1, 1}, 1);
                long t1 = System.nanoTime();
                if (BACKWARD) {
                    y.backward(Tensor.ones(y.shape().toArray()));
                }
                long t2 = System.nanoTime();
                x.setGrad(null);
                wt.setGrad(null);
                bestF = Math.min(bestF, (t1 - t0) / 1e6);
                bestB = Math.min(bestB, (t2 - t1) / 1e6);
            }
            System.out.printf("%-9s forward %7.2f ms (%5.1f GFLOP/s)  backward %7.2f ms (%5.1f GFLOP/s)%n", a, bestF,
                    flops / bestF / 1e6, bestB, 2 * flops / bestB / 1e6);
        }
    }
}
