package dev.jconv.kernels;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * The one thread pool all kernels share. Its size comes from {@code -Djconv.threads=N},
 * {@link #setThreads(int)} or the number of processors. Work is split into index ranges whose boundaries
 * do not depend on the thread count, and each output element is produced by exactly one task with a fixed
 * summation order, so results are bitwise identical for any number of threads.
 */
public final class Parallel {
    private static volatile ForkJoinPool pool = newPool(initialThreads());

    private Parallel() {
    }

    private static int initialThreads() {
        String prop = System.getProperty("jconv.threads");
        if (prop != null && !prop.isBlank()) {
            try {
                return checkThreads(Integer.parseInt(prop.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("jconv.threads must be a positive integer, got '" + prop + "'", e);
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    private static int checkThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("thread count must be at least 1, got " + n);
        }
        return n;
    }

    /**
     * A pool of exactly {@code threads} workers. By default a fork/join pool adds a spare worker whenever one
     * waits in a join for a task another worker stole; with kernels' short tasks that put four busy threads on
     * two cores, and every call then waited for whichever thread the OS had parked. Here a waiting worker
     * helps or waits, and no spare is made (the saturation predicate accepts running short of threads).
     */
    private static ForkJoinPool newPool(int threads) {
        return new ForkJoinPool(threads, p -> {
            var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setDaemon(true);
            t.setName("jconv-worker-" + t.getPoolIndex());
            return t;
        }, null, false, threads, threads, 1, p -> true, 60, TimeUnit.SECONDS);
    }

    /** Number of threads kernels use. */
    public static int threads() {
        return pool.getParallelism();
    }

    /** Replaces the shared pool with one of {@code n} threads. */
    public static synchronized void setThreads(int n) {
        checkThreads(n);
        if (n != threads()) {
            ForkJoinPool old = pool;
            pool = newPool(n);
            old.shutdown();
        }
    }

    /**
     * Runs {@code body} for every index in {@code [0, n)}, in chunks of at least {@code grain} indices.
     * Calls from inside a worker run inline, so nested parallel regions never oversubscribe the cores.
     */
    public static void forRange(int n, int grain, IntConsumer body) {
        ForkJoinPool p = pool;
        if (n <= grain || p.getParallelism() == 1 || (Thread.currentThread() instanceof java.util.concurrent.ForkJoinWorkerThread w && w.getPool() == p)) {
            for (int i = 0; i < n; i++) {
                body.accept(i);
            }
            return;
        }
        p.invoke(new Range(0, n, Math.max(1, grain), body));
    }

    private static final class Range extends RecursiveAction {
        private final int from;
        private final int to;
        private final int grain;
        private final IntConsumer body;

        Range(int from, int to, int grain, IntConsumer body) {
            this.from = from;
            this.to = to;
            this.grain = grain;
            this.body = body;
        }

        @Override
        protected void compute() {
            if (to - from <= grain) {
                for (int i = from; i < to; i++) {
                    body.accept(i);
                }
                return;
            }
            int mid = (from + to) >>> 1;
            invokeAll(new Range(from, mid, grain, body), new Range(mid, to, grain, body));
        }
    }
}
