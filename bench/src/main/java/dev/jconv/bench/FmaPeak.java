package dev.jconv.bench;

import java.util.concurrent.CyclicBarrier;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's float32 FMA peak as Java can reach it: each thread runs twelve independent chains of
 * {@code FloatVector.fma} on the preferred species (enough chains to cover FMA latency × issue width), all
 * threads at once; prints the best of several timed rounds in GFLOP/s (2 flops per lane per fma).
 * Usage: {@code FmaPeak [threads]}.
 */
public final class FmaPeak {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final long ITERATIONS = 20_000_000L;
    private static volatile float sink;

    private FmaPeak() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        double best = 0;
        for (int round = 0; round < 8; round++) {
            best = Math.max(best, round(threads));
        }
        System.out.printf("peak %.1f GFLOP/s (%d threads, %d-lane FloatVector, 12 fma chains per thread)%n", best,
                threads, S.length());
    }

    private static double round(int threads) throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        CyclicBarrier end = new CyclicBarrier(threads + 1);
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int seed = t;
            ts[t] = new Thread(() -> {
                try {
                    start.await();
                    sink += chains(seed);
                    end.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            ts[t].start();
        }
        start.await();
        long t0 = System.nanoTime();
        end.await();
        long ns = System.nanoTime() - t0;
        for (Thread t : ts) {
            t.join();
        }
        return threads * ITERATIONS * 12.0 * S.length() * 2 / ns;
    }

    private static float chains(int seed) {
        FloatVector m = FloatVector.broadcast(S, 0.999999f);
        FloatVector c = FloatVector.broadcast(S, 1e-7f);
        FloatVector a0 = FloatVector.broadcast(S, seed + 0.1f);
        FloatVector a1 = FloatVector.broadcast(S, seed + 0.2f);
        FloatVector a2 = FloatVector.broadcast(S, seed + 0.3f);
        FloatVector a3 = FloatVector.broadcast(S, seed + 0.4f);
        FloatVector a4 = FloatVector.broadcast(S, seed + 0.5f);
        FloatVector a5 = FloatVector.broadcast(S, seed + 0.6f);
        FloatVector a6 = FloatVector.broadcast(S, seed + 0.7f);
        FloatVector a7 = FloatVector.broadcast(S, seed + 0.8f);
        FloatVector a8 = FloatVector.broadcast(S, seed + 0.9f);
        FloatVector a9 = FloatVector.broadcast(S, seed + 1.0f);
        FloatVector a10 = FloatVector.broadcast(S, seed + 1.1f);
        FloatVector a11 = FloatVector.broadcast(S, seed + 1.2f);
        for (long i = 0; i < ITERATIONS; i++) {
            a0 = a0.fma(m, c);
            a1 = a1.fma(m, c);
            a2 = a2.fma(m, c);
            a3 = a3.fma(m, c);
            a4 = a4.fma(m, c);
            a5 = a5.fma(m, c);
            a6 = a6.fma(m, c);
            a7 = a7.fma(m, c);
            a8 = a8.fma(m, c);
            a9 = a9.fma(m, c);
            a10 = a10.fma(m, c);
            a11 = a11.fma(m, c);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .lane(0);
    }
}
