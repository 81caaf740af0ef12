package dev.jconv.bench;

import dev.jconv.nn.Parameter;
import dev.jconv.optim.Adam;
import dev.jconv.optim.Optimizer;
import dev.jconv.optim.SGD;
import dev.jconv.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Times one optimizer step over about ResNet-18's parameter count (five float32 tensors of 2.25M elements,
 * gradients of ones): Adam and SGD with momentum, the best of 30 steps each. Run it with a fixed heap
 * ({@code -Xms2g -Xmx2g}). Usage: {@code OptimizerStepTime}.
 */
public final class OptimizerStepTime {
    private static final int SIZE = 2_250_000;

    private OptimizerStepTime() {
    }

    public static void main(String[] args) {
        List<Parameter> parameters = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            parameters.add(new Parameter(Tensor.randn(SIZE)));
        }
        for (String kind : new String[] {"Adam", "SGD with momentum 0.9"}) {
            Optimizer opt = kind.equals("Adam") ? new Adam(parameters, 1e-3) : new SGD(parameters, 0.01, 0.9);
            long best = Long.MAX_VALUE;
            for (int s = 0; s < 30; s++) {
                for (Parameter p : parameters) {
                    p.setGrad(Tensor.ones(SIZE));
                }
                long t0 = System.nanoTime();
                opt.step();
                best = Math.min(best, System.nanoTime() - t0);
            }
            System.out.printf("%s step over %.2fM float32 parameters: %.1f ms (best of 30)%n", kind,
                    5 * SIZE / 1e6, best / 1e6);
        }
    }
}
