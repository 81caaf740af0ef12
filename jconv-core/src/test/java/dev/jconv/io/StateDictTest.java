package dev.jconv.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jconv.nn.Conv2d;
import dev.jconv.nn.Conv2dOptions;
import dev.jconv.nn.Flatten;
import dev.jconv.nn.Linear;
import dev.jconv.nn.Parameter;
import dev.jconv.nn.ReLU;
import dev.jconv.nn.Sequential;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import dev.jconv.tensor.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StateDictTest {
    @TempDir
    Path dir;

    private static Sequential model(long seed) {
        Tensor.manualSeed(seed);
        return SafeTensorsInteropTest.smallModel();
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 2, 3})
    void saveThenLoadCopiesValuesIntoTheSameParameters(long seed) {
        Sequential source = model(seed);
        Sequential target = model(seed + 100);
        List<Parameter> before = target.parameters();
        Path file = dir.resolve("m.safetensors");

        StateDict.save(source, file);
        StateDict.load(target, file);

        assertThat(target.parameters()).hasSameSizeAs(before);
        for (int i = 0; i < before.size(); i++) {
            assertThat(target.parameters().get(i)).isSameAs(before.get(i));
            assertThat(before.get(i).requiresGrad()).isTrue();
            assertThat(before.get(i).isLeaf()).isTrue();
            assertThat(before.get(i).toArray()).containsExactly(source.parameters().get(i).toArray());
        }
        Tensor x = Tensor.rand(2, 1, 4, 4);
        assertThat(target.forward(x).toArray()).containsExactly(source.forward(x).toArray());
    }

    @Test
    void stateDictNamesAreDottedPyTorchNames() {
        assertThat(StateDict.of(model(0)).keySet()).containsExactly("0.weight", "0.bias", "3.weight", "3.bias");
        Tensor w = StateDict.of(model(0)).get("0.weight");
        assertThat(w.requiresGrad()).isFalse();
    }

    @Test
    void listsEveryProblemAsPyTorchDoesAndChangesNothing() {
        Sequential target = model(1);
        Map<String, Tensor> state = new LinkedHashMap<>(StateDict.of(model(2)));
        state.remove("0.bias");
        state.put("extra", Tensor.zeros(1));
        state.put("3.weight", Tensor.zeros(3, 8));
        state.put("2.foo", Tensor.zeros(1));
        double[] before = target.parameters().get(0).toArray();

        // PyTorch 1.13's message for the same state dict (model.load_state_dict(sd) on the same architecture).
        assertThatThrownBy(() -> StateDict.load(target, state))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Error(s) in loading state_dict for Sequential:\n"
                        + "\tMissing key(s) in state_dict: \"0.bias\". \n"
                        + "\tUnexpected key(s) in state_dict: \"extra\", \"2.foo\". \n"
                        + "\tsize mismatch for 3.weight: copying a param with shape torch.Size([3, 8]) from checkpoint, "
                        + "the shape in current model is torch.Size([3, 32]).");
        assertThat(target.parameters().get(0).toArray()).containsExactly(before);
    }

    @Test
    void refusesAnotherDtype() {
        Sequential target = model(1);
        Map<String, Tensor> state = new LinkedHashMap<>(StateDict.of(model(2)));
        state.put("0.weight", Tensor.zeros(Shape.of(2, 1, 3, 3), DType.FLOAT64));
        assertThatThrownBy(() -> StateDict.load(target, state))
                .hasMessage("Error(s) in loading state_dict for Sequential:\n"
                        + "\tdtype mismatch for 0.weight: copying a param with dtype torch.float64 from checkpoint, "
                        + "the dtype in current model is torch.float32.");
    }

    @Test
    void aFileThatDoesNotFitIsNamedInTheMessage() {
        Path file = dir.resolve("other.safetensors");
        StateDict.save(new Sequential(new Conv2d(1, 3, Conv2dOptions.kernelSize(3)), new ReLU(), new Flatten(),
                new Linear(2, 3)), file);
        assertThatThrownBy(() -> StateDict.load(model(0), file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Error(s) in loading state_dict for Sequential:\n\tsize mismatch for 0.weight")
                .hasMessageContaining("size mismatch for 3.weight")
                .hasMessageEndingWith("(checkpoint: " + file + ")");
    }

    @Test
    void loadingDuringTrainingLeavesTheGraphAlone() {
        Sequential target = model(1);
        Tensor loss = target.forward(Tensor.rand(1, 1, 4, 4)).sum();
        StateDict.load(target, StateDict.of(model(2)));
        assertThat(target.parameters().get(0).gradFn()).isNull();
        assertThat(loss.requiresGrad()).isTrue();
    }
}
