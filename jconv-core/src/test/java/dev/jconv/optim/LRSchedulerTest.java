package dev.jconv.optim;

import static dev.jconv.OptimVectors.find;
import static dev.jconv.OptimVectors.section;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import dev.jconv.internal.Json;
import dev.jconv.nn.Parameter;
import dev.jconv.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Learning-rate sequences against PyTorch 1.13 (vectors/make_optim_vectors.py): the rate at epoch 0 and
 * after each of 12 {@code step()} calls, within 1e-12 relative (PyTorch computes in double, as does Java;
 * only {@code Math.cos} may differ from C's {@code cos} in the last bit).
 */
class LRSchedulerTest {
    static final double RTOL = 1e-12;

    static Stream<String> schedulerCases() {
        return section("schedulers").stream().map(c -> (String) c.get("id"));
    }

    private static Optimizer optimizer(double lr) {
        return new SGD(List.of(new Parameter(Tensor.zeros(1))), lr);
    }

    private static LRScheduler make(Map<String, Object> c, Optimizer opt) {
        return switch ((String) c.get("type")) {
            case "StepLR" -> c.containsKey("gamma")
                    ? new StepLR(opt, (int) Json.longValue(c.get("step_size"), "step_size"),
                            Json.doubleValue(c.get("gamma"), "gamma"))
                    : new StepLR(opt, (int) Json.longValue(c.get("step_size"), "step_size"));
            case "CosineAnnealingLR" -> c.containsKey("eta_min")
                    ? new CosineAnnealingLR(opt, (int) Json.longValue(c.get("T_max"), "T_max"),
                            Json.doubleValue(c.get("eta_min"), "eta_min"))
                    : new CosineAnnealingLR(opt, (int) Json.longValue(c.get("T_max"), "T_max"));
            default -> throw new IllegalArgumentException("unknown scheduler " + c.get("type"));
        };
    }

    private static double[] expectedRates(Map<String, Object> c) {
        return Json.array(c.get("lrs"), "lrs").stream().mapToDouble(v -> Json.doubleValue(v, "lr")).toArray();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedulerCases")
    void ratesMatchPyTorchEpochByEpoch(String id) {
        Map<String, Object> c = find("schedulers", id);
        Optimizer opt = optimizer(Json.doubleValue(c.get("lr"), "lr"));
        LRScheduler s = make(c, opt);
        double[] expected = expectedRates(c);
        assertThat(s.lastEpoch()).isZero();
        assertThat(s.lastLr()).isEqualTo(expected[0]);
        for (int epoch = 1; epoch < expected.length; epoch++) {
            s.step();
            assertThat(s.lastEpoch()).isEqualTo(epoch);
            assertThat(s.lastLr()).as("%s epoch %d", id, epoch).isCloseTo(expected[epoch], within(RTOL * Math.abs(expected[epoch])));
            assertThat(opt.lr()).isEqualTo(s.lastLr());
        }
    }

    /**
     * PyTorch's recursive cosine formula and the closed form {@code eta + (base - eta)(1 + cos(πe/T))/2}
     * agree to rounding over two periods, including past T_max where the recursion takes its special step.
     */
    @Test
    void recursiveCosineAgreesWithTheClosedForm() {
        double worst = 0;
        for (int tMax : new int[] {1, 3, 5, 10, 50}) {
            for (double etaMin : new double[] {0, 0.001, 0.01}) {
                double base = 0.1;
                Optimizer opt = optimizer(base);
                CosineAnnealingLR s = new CosineAnnealingLR(opt, tMax, etaMin);
                for (int e = 1; e <= 4 * tMax + 2; e++) {
                    s.step();
                    double closed = etaMin + (base - etaMin) * (1 + Math.cos(Math.PI * e / tMax)) / 2;
                    worst = Math.max(worst, Math.abs(s.lastLr() - closed));
                    assertThat(s.lastLr()).as("T_max %d, eta_min %s, epoch %d", tMax, etaMin, e)
                            .isCloseTo(closed, within(1e-15));
                }
            }
        }
        assertThat(worst).isLessThan(1e-15);
    }

    @Test
    void stepLrMatchesItsClosedForm() {
        Optimizer opt = optimizer(0.1);
        StepLR s = new StepLR(opt, 3, 0.5);
        for (int e = 1; e <= 30; e++) {
            s.step();
            assertThat(s.lastLr()).isCloseTo(0.1 * Math.pow(0.5, e / 3), within(1e-17));
        }
    }

    /** As in PyTorch, schedulers scale the optimizer's current rate, so a rate set by hand carries forward. */
    @Test
    void aRateSetByHandCarriesForward() {
        Optimizer opt = optimizer(1.0);
        StepLR s = new StepLR(opt, 2, 0.1);
        s.step();
        opt.setLr(0.5);
        s.step();
        assertThat(opt.lr()).isEqualTo(0.5 * 0.1);
        assertThat(s.baseLr()).isEqualTo(1.0);
        assertThat(s.optimizer()).isSameAs(opt);
    }

    @Test
    void badArgumentsAreRejected() {
        Optimizer opt = optimizer(0.1);
        assertThatIllegalArgumentException().isThrownBy(() -> new StepLR(opt, 0))
                .withMessage("step_size must be a positive integer, got 0");
        assertThatIllegalArgumentException().isThrownBy(() -> new StepLR(opt, 2, -0.5))
                .withMessage("gamma must be a non-negative finite number, got -0.5");
        assertThatIllegalArgumentException().isThrownBy(() -> new CosineAnnealingLR(opt, 0))
                .withMessage("T_max must be a positive integer, got 0");
        assertThatIllegalArgumentException().isThrownBy(() -> new CosineAnnealingLR(opt, 10, -1e-5))
                .withMessage("eta_min must be a non-negative finite number, got -1e-05");
        assertThat(opt.lr()).isEqualTo(0.1);
    }
}
