package dev.jconv.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import dev.jconv.kernels.Parallel;
import dev.jconv.nn.Functional;
import dev.jconv.random.Generator;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import dev.jconv.tensor.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Float32 conv2d, forward and forward+backward (gradients of input, weight and bias for an output gradient
 * of ones), in jconv and in libtorch through DJL, in the same harness and on the same number of threads
 * ({@code -Dbench.threads}, default 2: jconv's pool and libtorch's intra-op and inter-op pools).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
// Ten seconds of warm-up: the forward+backward of the large shapes reached steady state only after about
// eight seconds (the JIT compiles each kernel path separately, on the same two cores).
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 1)
// The parallel collector: jconv's outputs and gradients are large arrays (humongous objects in G1), and under
// G1 a loop allocating ~100 MB per call ran 2-10x slower and erratically; the heap is pre-touched so page
// faults are not timed.
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC", "-Xms4g", "-Xmx4g",
        "-XX:+AlwaysPreTouch", "-Dai.djl.offline=true"})
public class ConvBench {
    @Param({"a", "b", "c", "d", "e", "f", "g", "h", "i"})
    public String shape;

    @Param({"jconv", "libtorch"})
    public String engine;

    private Shapes s;
    private Tensor x;
    private Tensor w;
    private Tensor b;
    private Tensor ones;
    private NDManager manager;
    private NDArray tx;
    private NDArray tw;
    private NDArray tb;
    private Engine torch;

    @Setup(Level.Trial)
    public void setUp() {
        s = Shapes.ALL.get(shape);
        int threads = Integer.getInteger("bench.threads", 2);
        Generator gen = new Generator(0);
        x = Tensor.randn(Shape.of(s.n(), s.c(), s.h(), s.w()), DType.FLOAT32, gen).requiresGrad(true);
        w = Tensor.randn(Shape.of(s.o(), s.c(), s.kh(), s.kw()), DType.FLOAT32, gen).requiresGrad(true);
        b = Tensor.randn(Shape.of(s.o()), DType.FLOAT32, gen).requiresGrad(true);
        if (engine.equals("jconv")) {
            Parallel.setThreads(threads);
            ones = Tensor.ones(jconvForward().shape(), DType.FLOAT32);
            return;
        }
        // Read by DJL when the engine starts: the same thread count as jconv.
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", Integer.toString(threads));
        torch = Engine.getEngine("PyTorch");
        manager = torch.newBaseManager();
        tx = ndarray(x);
        tw = ndarray(w);
        tb = ndarray(b);
    }

    private NDArray ndarray(Tensor t) {
        double[] v = t.toArray();
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        int[] dims = t.shape().toArray();
        long[] shape = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            shape[i] = dims[i];
        }
        NDArray a = manager.create(f, new ai.djl.ndarray.types.Shape(shape));
        a.setRequiresGradient(true);
        return a;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (manager != null) {
            manager.close();
        }
    }

    private Tensor jconvForward() {
        return Functional.conv2d(x, w, b, new int[] {s.stride(), s.stride()}, new int[] {s.pad(), s.pad()},
                new int[] {1, 1}, 1);
    }

    private NDArray torchForward() {
        ai.djl.ndarray.types.Shape two = new ai.djl.ndarray.types.Shape(s.stride(), s.stride());
        NDList out = tx.getNDArrayInternal().convolution(tx, tw, tb, two,
                new ai.djl.ndarray.types.Shape(s.pad(), s.pad()), new ai.djl.ndarray.types.Shape(1, 1), 1);
        return out.singletonOrThrow();
    }

    @Benchmark
    public void forward(Blackhole bh) {
        if (torch == null) {
            try (var ignored = Tensor.noGrad()) {
                bh.consume(jconvForward());
            }
            return;
        }
        try (NDScope ignored = new NDScope()) {
            bh.consume(torchForward());
        }
    }

    @Benchmark
    public void forwardBackward(Blackhole bh) {
        if (torch == null) {
            x.setGrad(null);
            w.setGrad(null);
            b.setGrad(null);
            jconvForward().backward(ones);
            bh.consume(x.grad());
            bh.consume(w.grad());
            bh.consume(b.grad());
            return;
        }
        // DJL's backward(y) seeds the output gradient with ones (a new tensor each call), as jconv's ones do.
        // Gradients accumulate in place in libtorch (one extra add pass per leaf); jconv's start afresh.
        try (NDScope ignored = new NDScope(); GradientCollector gc = torch.newGradientCollector()) {
            gc.backward(torchForward());
        }
    }
}
