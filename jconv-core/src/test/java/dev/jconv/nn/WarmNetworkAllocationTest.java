package dev.jconv.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jconv.tensor.Tensor;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/**
 * A warmed network's forward pass allocates little more than its outputs. The vector kernels allocate nothing
 * per call once the JIT has compiled them to intrinsics; a kernel left on the Vector API's Java fallback
 * allocates an array per vector operation, gigabytes per pass, and this test fails. The network mixes shapes
 * and algorithms (sliding, Winograd with tile blocks across images, im2col, 1×1, 3×3 max pooling, batch norm)
 * as a real one does.
 */
class WarmNetworkAllocationTest {
    private static final int ROUNDS = 300;

    @Test
    void aWarmedForwardPassAllocatesAboutItsOutputs() throws Exception {
        Tensor.manualSeed(0);
        Sequential net = new Sequential(
                new Conv2d(1, 16, Conv2dOptions.kernelSize(3).padding(1)), new BatchNorm2d(16), new ReLU(),
                // ResNet's stem pooling on rows wide enough for its vector path (20 outputs a row).
                new MaxPool2d(Pool2dOptions.kernelSize(3).stride(2).padding(1)),
                new Conv2d(16, 32, Conv2dOptions.kernelSize(3).padding(1)), new BatchNorm2d(32), new ReLU(),
                new Conv2d(32, 32, Conv2dOptions.kernelSize(3).padding(1).stride(2)), new ReLU(),
                new Conv2d(32, 32, 1), new AdaptiveAvgPool2d(1, 1), new Flatten(), new Linear(32, 10));
        Tensor x = Tensor.randn(8, 1, 40, 40);
        long outputs = 0;
        Tensor h = x;
        for (Module layer : net.layers()) {
            h = layer.forward(h);
            outputs += 4L * h.numel();
        }
        long bound = 2 * outputs + (1 << 20);
        long best = Long.MAX_VALUE;
        for (int round = 0; round < ROUNDS && best > bound; round++) {
            Tensor y = net.forward(x);
            y.sum().backward();
            net.zeroGrad();
            long before = allocatedBytes();
            try (var ignored = Tensor.noGrad()) {
                net.forward(x);
            }
            best = Math.min(best, allocatedBytes() - before);
        }
        assertThat(best).as("bytes allocated by one warmed forward pass (its outputs take %d)", outputs)
                .isLessThanOrEqualTo(bound);
    }

    /** Bytes allocated so far by all threads (the kernels run on the pool's), from the JDK's thread bean. */
    private static long allocatedBytes() throws Exception {
        Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        Method total = Class.forName("com.sun.management.ThreadMXBean").getMethod("getTotalThreadAllocatedBytes");
        return (long) total.invoke(bean);
    }
}
