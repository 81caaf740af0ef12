package dev.jconv.random;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jconv.Reference;
import dev.jconv.internal.Json;
import dev.jconv.nn.Conv2d;
import dev.jconv.nn.Conv2dOptions;
import dev.jconv.nn.LazyConv2d;
import dev.jconv.nn.Linear;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import dev.jconv.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** After manualSeed(s), jconv's random streams equal PyTorch's CPU generator's, value for value. */
class PyTorchStreamsTest {

    static Stream<Map<String, Object>> streams() {
        Map<String, Object> root = Json.object(Json.parse(Reference.read("pytorch-random-streams.json")), "root");
        return Json.array(root.get("streams"), "streams").stream().map(s -> Json.object(s, "stream"));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("streams")
    void everyDrawMatchesPyTorch(Map<String, Object> stream) {
        Tensor.manualSeed(Json.longValue(stream.get("seed"), "seed"));
        Conv2d conv = null;
        Linear linear = null;
        for (Object d : Json.array(stream.get("draws"), "draws")) {
            Map<String, Object> draw = Json.object(d, "draw");
            String call = Json.string(draw.get("call"), "call");
            Tensor actual;
            if (call.equals("nn.Conv2d(3, 4, 3).weight")) {
                conv = new Conv2d(3, 4, 3);
                actual = conv.weight();
            } else if (call.equals("nn.Linear(4, 3).weight")) {
                linear = new Linear(4, 3);
                actual = linear.weight();
            } else if (call.equals("(same module).bias")) {
                actual = linear != null ? linear.bias() : conv.bias();
            } else if (call.startsWith("nn.LazyConv2d")) {
                LazyConv2d lazy = new LazyConv2d(1, Conv2dOptions.kernelSize(1, 2).bias(false));
                lazy.forward(Tensor.zeros(1, 1, 6, 8));
                actual = lazy.weight();
            } else {
                actual = draw(call);
            }
            assertSameValues(call, actual, Json.object(draw.get("value"), "value"));
        }
    }

    private static Tensor draw(String call) {
        Generator g = Generator.defaultGenerator();
        return switch (call) {
            case "rand(5)" -> Tensor.rand(5);
            case "rand(3, 4)" -> Tensor.rand(3, 4);
            case "randn(5)" -> Tensor.randn(5);
            case "randn(20)" -> Tensor.randn(20);
            case "randint(0, 10, (6,))" -> Tensor.randint(0, 10, 6);
            case "randperm(8)" -> Tensor.randperm(8);
            case "rand(2, 2, dtype=float64)" -> Tensor.rand(Shape.of(2, 2), DType.FLOAT64, g);
            case "randn(17, dtype=float64)" -> Tensor.randn(Shape.of(17), DType.FLOAT64, g);
            default -> throw new IllegalArgumentException("no jconv spelling for draw " + call);
        };
    }

    private static void assertSameValues(String call, Tensor actual, Map<String, Object> expected) {
        List<Object> shape = Json.array(expected.get("shape"), "shape");
        assertThat(actual.shape().toArray()).as(call + " shape")
                .containsExactly(shape.stream().mapToInt(o -> (int) Json.longValue(o, "shape")).toArray());
        List<Object> data = Json.array(expected.get("data"), "data");
        double[] values = actual.toArray();
        for (int i = 0; i < values.length; i++) {
            assertThat(values[i]).as("%s element %d", call, i).isEqualTo(Json.doubleValue(data.get(i), "data"));
        }
    }
}
