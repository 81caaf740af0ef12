package dev.jconv.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.jconv.nn.Parameter;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import dev.jconv.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Arguments, the state dict's layout and loading rules, and small behaviours not covered by the trajectories. */
class OptimizerTest {
    private static List<Parameter> params() {
        return List.of(new Parameter(Tensor.of(new double[][] {{1, -2, 3}, {0.5, 0.25, -4}})),
                new Parameter(Tensor.of(1.5, -0.5)));
    }

    private static void gradients(List<Parameter> ps, double scale) {
        for (Parameter p : ps) {
            p.setGrad(p.data().mul(scale).add(0.1));
        }
    }

    @Nested
    class BadArguments {
        @Test
        void negativeOrNanLearningRatesAreRejected() {
            assertThatIllegalArgumentException().isThrownBy(() -> new SGD(params(), -0.1))
                    .withMessage("Invalid learning rate: -0.1");
            assertThatIllegalArgumentException().isThrownBy(() -> new Adam(params(), -1e-3))
                    .withMessage("Invalid learning rate: -0.001");
            assertThatIllegalArgumentException().isThrownBy(() -> new AdamW(params(), Double.NaN))
                    .withMessage("Invalid learning rate: nan");
            SGD sgd = new SGD(params(), 0.1);
            assertThatIllegalArgumentException().isThrownBy(() -> sgd.setLr(-1))
                    .withMessage("Invalid learning rate: -1.0");
            assertThat(sgd.lr()).isEqualTo(0.1);
        }

        @Test
        void sgdArgumentsAreCheckedInPyTorchsWords() {
            assertThatIllegalArgumentException().isThrownBy(() -> new SGD(params(), 0.1, -0.5))
                    .withMessage("Invalid momentum value: -0.5");
            assertThatIllegalArgumentException().isThrownBy(() -> new SGD(params(), 0.1, 0, 0, -1e-8, false))
                    .withMessage("Invalid weight_decay value: -1e-08");
            assertThatIllegalArgumentException().isThrownBy(() -> new SGD(params(), 0.1, 0, 0, 0, true))
                    .withMessage("Nesterov momentum requires a momentum and zero dampening");
            assertThatIllegalArgumentException().isThrownBy(() -> new SGD(params(), 0.1, 0.9, 0.1, 0, true))
                    .withMessage("Nesterov momentum requires a momentum and zero dampening");
        }

        @ParameterizedTest(name = "beta1 {0}")
        @ValueSource(doubles = {1.0, -0.1, 1.5, Double.NaN})
        void beta1OutsideZeroToOneIsRejected(double beta1) {
            assertThatIllegalArgumentException().isThrownBy(() -> new Adam(params(), 1e-3, beta1, 0.999, 1e-8, 0))
                    .withMessageStartingWith("Invalid beta parameter at index 0: ");
            assertThatIllegalArgumentException().isThrownBy(() -> new AdamW(params(), 1e-3, beta1, 0.999, 1e-8, 0))
                    .withMessageStartingWith("Invalid beta parameter at index 0: ");
        }

        @Test
        void betasEpsAndWeightDecayMessagesPrintValuesAsPython() {
            assertThatIllegalArgumentException().isThrownBy(() -> new Adam(params(), 1e-3, 1.0, 0.999, 1e-8, 0))
                    .withMessage("Invalid beta parameter at index 0: 1.0");
            assertThatIllegalArgumentException().isThrownBy(() -> new Adam(params(), 1e-3, 0.9, -0.1, 1e-8, 0))
                    .withMessage("Invalid beta parameter at index 1: -0.1");
            assertThatIllegalArgumentException().isThrownBy(() -> new AdamW(params(), 1e-3, 0.9, 1, 1e-8, 0))
                    .withMessage("Invalid beta parameter at index 1: 1.0");
            assertThatIllegalArgumentException().isThrownBy(() -> new Adam(params(), 1e-3, 0.9, 0.999, -1e-8, 0))
                    .withMessage("Invalid epsilon value: -1e-08");
            assertThatIllegalArgumentException().isThrownBy(() -> new AdamW(params(), 1e-3, 0.9, 0.999, 1e-8, -1))
                    .withMessage("Invalid weight_decay value: -1.0");
        }

        @Test
        void parameterListsMustBeNonEmptyWithoutRepeats() {
            assertThatIllegalArgumentException().isThrownBy(() -> new Adam(List.of()))
                    .withMessage("optimizer got an empty parameter list");
            Parameter p = new Parameter(Tensor.zeros(2));
            assertThatIllegalArgumentException().isThrownBy(() -> new SGD(List.of(p, p), 0.1))
                    .withMessage("optimizer got the same parameter twice, at positions 0 and 1");
        }

        @Test
        void pythonFloatFormatsLikeRepr() {
            assertThat(Optimizer.pythonFloat(0.1)).isEqualTo("0.1");
            assertThat(Optimizer.pythonFloat(-1)).isEqualTo("-1.0");
            assertThat(Optimizer.pythonFloat(1e-8)).isEqualTo("1e-08");
            assertThat(Optimizer.pythonFloat(0.0001)).isEqualTo("0.0001");
            assertThat(Optimizer.pythonFloat(0.00012)).isEqualTo("0.00012");
            assertThat(Optimizer.pythonFloat(1.5e-5)).isEqualTo("1.5e-05");
            assertThat(Optimizer.pythonFloat(1e16)).isEqualTo("1e+16");
            assertThat(Optimizer.pythonFloat(123456789012345.0)).isEqualTo("123456789012345.0");
            assertThat(Optimizer.pythonFloat(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
        }
    }

    @Nested
    class Steps {
        @Test
        void theOriginalTwoArgumentSgdStillSubtractsLrTimesGrad() {
            Parameter p = new Parameter(Tensor.of(1.0, 2.0));
            SGD sgd = new SGD(List.of(p), 0.5);
            p.setGrad(Tensor.of(0.25, -1.0));
            sgd.step();
            assertThat(p.toArray()).containsExactly(0.875, 2.5);
            sgd.zeroGrad();
            assertThat(p.grad()).isNull();
        }

        @Test
        void parametersWithoutGradientsAreLeftAloneAndGetNoState() {
            List<Parameter> ps = params();
            Adam adam = new Adam(ps, 0.1);
            ps.get(0).setGrad(Tensor.ones(2, 3));
            adam.step();
            assertThat(ps.get(1).toArray()).containsExactly(1.5, -0.5);
            assertThat(adam.stateDict().keySet()).containsExactly("state.0.step", "state.0.exp_avg",
                    "state.0.exp_avg_sq", "param_groups.0.lr", "param_groups.0.betas", "param_groups.0.eps",
                    "param_groups.0.weight_decay", "param_groups.0.params");
        }

        @Test
        void float64ParametersAreUpdatedInFloat64() {
            Parameter p = new Parameter(Tensor.of(new double[] {1, 2}, DType.FLOAT64));
            Adam adam = new Adam(List.of(p), 0.1);
            p.setGrad(Tensor.of(new double[] {0.3, -0.7}, DType.FLOAT64));
            adam.step();
            // The first Adam step moves each element by lr·g/(|g| + eps·…) ≈ ±lr.
            assertThat(p.dtype()).isEqualTo(DType.FLOAT64);
            assertThat(p.toArray()[0]).isEqualTo(1 - 0.1 * 0.3 / (Math.sqrt(0.3 * 0.3) + 1e-8), org.assertj.core.data.Offset.offset(1e-15));
            assertThat(adam.stateDict().get("state.0.exp_avg").dtype()).isEqualTo(DType.FLOAT64);
            assertThat(adam.stateDict().get("state.0.step").dtype()).isEqualTo(DType.FLOAT32);
        }

        @Test
        void aParameterUsedByTheGraphCanStillBeStepped() {
            Parameter w = new Parameter(Tensor.of(1.0, -1.0));
            SGD sgd = new SGD(List.of(w), 0.1, 0.9);
            w.mul(w).sum().backward();
            sgd.step();
            assertThat(w.toArray()).containsExactly(0.8f, -0.8f);
            assertThat(w.isLeaf()).isTrue();
            assertThat(w.requiresGrad()).isTrue();
        }
    }

    @Nested
    class StateDicts {
        @Test
        void sgdWithMomentumStoresBuffersAndHyperParametersUnderPyTorchsNames() {
            List<Parameter> ps = params();
            SGD sgd = new SGD(ps, 0.1, 0.9, 0, 1e-4, true);
            gradients(ps, 1);
            sgd.step();
            Map<String, Tensor> sd = sgd.stateDict();
            assertThat(sd.keySet()).containsExactly("state.0.momentum_buffer", "state.1.momentum_buffer",
                    "param_groups.0.lr", "param_groups.0.momentum", "param_groups.0.dampening",
                    "param_groups.0.weight_decay", "param_groups.0.nesterov", "param_groups.0.params");
            assertThat(sd.get("state.0.momentum_buffer").shape()).isEqualTo(Shape.of(2, 3));
            assertThat(sd.get("param_groups.0.lr").item()).isEqualTo(0.1);
            assertThat(sd.get("param_groups.0.lr").dtype()).isEqualTo(DType.FLOAT64);
            assertThat(sd.get("param_groups.0.nesterov").dtype()).isEqualTo(DType.BOOL);
            assertThat(sd.get("param_groups.0.params").toLongArray()).containsExactly(0, 1);
        }

        @Test
        void adamStoresBetasAsAVector() {
            Map<String, Tensor> sd = new AdamW(params()).stateDict();
            assertThat(sd.get("param_groups.0.betas").toArray()).containsExactly(0.9, 0.999);
            assertThat(sd.get("param_groups.0.weight_decay").item()).isEqualTo(0.01);
            assertThat(sd.get("param_groups.0.eps").item()).isEqualTo(1e-8);
        }

        @Test
        void theStateDictIsACopy() {
            List<Parameter> ps = params();
            Adam adam = new Adam(ps);
            gradients(ps, 1);
            adam.step();
            Map<String, Tensor> sd = adam.stateDict();
            double[] before = sd.get("state.0.exp_avg").toArray();
            adam.step();
            assertThat(sd.get("state.0.exp_avg").toArray()).containsExactly(before);
            assertThat(sd.get("state.0.step").item()).isEqualTo(1);
            assertThat(adam.stateDict().get("state.0.step").item()).isEqualTo(2);
        }

        @Test
        void loadingRestoresHyperParametersAndState() {
            List<Parameter> ps = params();
            SGD source = new SGD(ps, 0.05, 0.8, 0.1, 0.01, false);
            gradients(ps, 1);
            source.step();
            SGD target = new SGD(params(), 1.0);
            target.loadStateDict(source.stateDict());
            assertThat(target.lr()).isEqualTo(0.05);
            assertThat(target.momentum()).isEqualTo(0.8);
            assertThat(target.dampening()).isEqualTo(0.1);
            assertThat(target.weightDecay()).isEqualTo(0.01);
            assertThat(target.nesterov()).isFalse();
            assertThat(target.stateDict().get("state.1.momentum_buffer").toArray())
                    .containsExactly(source.stateDict().get("state.1.momentum_buffer").toArray());
        }

        private Map<String, Tensor> adamCheckpoint() {
            List<Parameter> ps = params();
            Adam adam = new Adam(ps, 0.01, 0.8, 0.9, 1e-6, 0.1);
            gradients(ps, 1);
            adam.step();
            return new LinkedHashMap<>(adam.stateDict());
        }

        @Test
        void aCheckpointForOtherParametersIsRejectedAndNothingChanges() {
            Map<String, Tensor> sd = adamCheckpoint();
            Adam one = new Adam(List.of(new Parameter(Tensor.zeros(2, 3))));
            assertThatIllegalArgumentException().isThrownBy(() -> one.loadStateDict(sd))
                    .withMessageStartingWith("loaded state dict contains a parameter group that doesn't match the size "
                            + "of optimizer's group: 2 parameters in the state dict, 1 in the optimizer");

            Adam reshaped = new Adam(List.of(new Parameter(Tensor.zeros(3, 2)), new Parameter(Tensor.zeros(2))));
            assertThatIllegalArgumentException().isThrownBy(() -> reshaped.loadStateDict(sd))
                    .withMessage("loaded state.0.exp_avg has shape [2, 3] but parameter 0 has shape [3, 2]");
            assertThat(reshaped.beta1()).as("hyper-parameters are restored after a failed load").isEqualTo(0.9);
            assertThat(reshaped.lr()).isEqualTo(1e-3);
            assertThat(reshaped.stateDict()).doesNotContainKey("state.1.step");
        }

        @Test
        void unknownMissingAndIncompleteEntriesAreRejected() {
            Adam adam = new Adam(params());
            Map<String, Tensor> unknown = adamCheckpoint();
            unknown.put("state.0.momentum_buffer", Tensor.zeros(2, 3));
            assertThatIllegalArgumentException().isThrownBy(() -> adam.loadStateDict(unknown))
                    .withMessageStartingWith("unexpected key in optimizer state dict: 'state.0.momentum_buffer'");

            Map<String, Tensor> stray = adamCheckpoint();
            stray.put("0.weight", Tensor.zeros(2, 3));
            assertThatIllegalArgumentException().isThrownBy(() -> adam.loadStateDict(stray))
                    .withMessage("unexpected key in optimizer state dict: '0.weight'");

            Map<String, Tensor> missing = adamCheckpoint();
            missing.remove("param_groups.0.eps");
            assertThatIllegalArgumentException().isThrownBy(() -> adam.loadStateDict(missing))
                    .withMessage("missing key in optimizer state dict: 'param_groups.0.eps'");

            Map<String, Tensor> incomplete = adamCheckpoint();
            incomplete.remove("state.1.exp_avg_sq");
            assertThatIllegalArgumentException().isThrownBy(() -> adam.loadStateDict(incomplete))
                    .withMessage("state of parameter 1 must have the entries [step, exp_avg, exp_avg_sq] but the state "
                            + "dict has [step, exp_avg]");

            Map<String, Tensor> badBeta = adamCheckpoint();
            badBeta.put("param_groups.0.betas", Tensor.of(new double[] {0.9, 1.0}, DType.FLOAT64));
            assertThatIllegalArgumentException().isThrownBy(() -> adam.loadStateDict(badBeta))
                    .withMessage("Invalid beta parameter at index 1: 1.0");
            assertThat(adam.beta2()).isEqualTo(0.999);
        }

        @Test
        void buffersAreConvertedToTheParametersDtype() {
            Map<String, Tensor> sd = adamCheckpoint();
            sd.put("state.1.exp_avg", Tensor.of(new double[] {0.1, 0.2}, DType.FLOAT64));
            Adam adam = new Adam(params());
            adam.loadStateDict(sd);
            Tensor loaded = adam.stateDict().get("state.1.exp_avg");
            assertThat(loaded.dtype()).isEqualTo(DType.FLOAT32);
            assertThat(loaded.toArray()).containsExactly((float) 0.1, (float) 0.2);
            assertThat(adam.lr()).isEqualTo(0.01);
            assertThat(adam.eps()).isEqualTo(1e-6);
        }

        @Test
        void stepsAfterLoadingContinueTheStepCount() {
            Map<String, Tensor> sd = adamCheckpoint();
            List<Parameter> ps = new ArrayList<>(params());
            Adam adam = new Adam(ps);
            adam.loadStateDict(sd);
            gradients(ps, 1);
            adam.step();
            assertThat(adam.stateDict().get("state.0.step").item()).isEqualTo(2);
        }
    }
}
