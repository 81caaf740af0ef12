package dev.jconv.kernels;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The one team of threads all kernels share. Its size comes from {@code -Djconv.threads=N},
 * {@link #setThreads(int)} or the number of processors. The calling thread works in every parallel region beside
 * {@code N - 1} helper threads; each thread, as it comes free, claims a contiguous share of the indices left.
 * Each index is handled by exactly one call of the body, with a summation order that does not depend on who runs
 * it, so results are bitwise identical for any number of threads.
 */
public final class Parallel {
    private static volatile Team team = new Team(initialThreads());

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

    /** Number of threads kernels use. */
    public static int threads() {
        return team.size();
    }

    /** Replaces the shared team with one of {@code n} threads. */
    public static synchronized void setThreads(int n) {
        checkThreads(n);
        if (n != threads()) {
            Team old = team;
            team = new Team(n);
            old.shutdown();
        }
    }

    /**
     * Runs {@code body} for every index in {@code [0, n)}, in chunks of at least {@code grain} indices.
     * A call made while the team is busy (from inside a region, or from a second thread) runs inline on its own
     * thread, so nested regions never oversubscribe the cores and never wait for each other.
     */
    public static void forRange(int n, int grain, IntConsumer body) {
        Team t = team;
        int chunk = Math.max(1, grain);
        if (n <= chunk || t.size() == 1 || !t.tryEnter()) {
            for (int i = 0; i < n; i++) {
                body.accept(i);
            }
            return;
        }
        try {
            t.run(new Job(n, chunk, t.size(), body));
        } finally {
            t.leave();
        }
    }

    /** One parallel region: the next index to claim, and the count of those done. */
    static final class Job {
        final int n;
        final int chunk;
        final int threads;
        final IntConsumer body;
        // longs: a claim's end, up to a chunk past n, must not wrap around for ranges near Integer.MAX_VALUE
        final AtomicLong next = new AtomicLong();
        final AtomicLong done = new AtomicLong();
        volatile Throwable failure;

        Job(int n, int chunk, int threads, IntConsumer body) {
            this.n = n;
            this.chunk = chunk;
            this.threads = threads;
            this.body = body;
        }

        /**
         * Claims and runs chunks until none is left: each claim a contiguous share of what remains (a
         * (2·threads)th, in whole chunks, at least one), so that a thread works through neighbouring indices,
         * which share their data, and the claims shrink towards the end to balance the threads. Claiming one
         * chunk at a time in turn made LeNet's weight gradients 40-90% slower: neighbouring tasks, which read
         * the same images, ran on different cores.
         */
        void work() {
            while (true) {
                long claimed = next.get();
                if (claimed >= n) {
                    return;
                }
                long take = Math.max(chunk, (n - claimed) / (2L * threads) / chunk * chunk);
                if (!next.compareAndSet(claimed, claimed + take)) {
                    continue;
                }
                int from = (int) claimed;
                int to = (int) Math.min(n, claimed + take);
                try {
                    if (failure == null) {
                        for (int i = from; i < to; i++) {
                            body.accept(i);
                        }
                    }
                } catch (Throwable e) {
                    if (failure == null) {
                        failure = e;
                    }
                } finally {
                    done.addAndGet(to - from);
                }
            }
        }

        boolean exhausted() {
            return next.get() >= n;
        }

        boolean finished() {
            return done.get() >= n;
        }
    }

    /**
     * The caller plus {@code size - 1} helpers. Between regions a helper spins for a while before it parks:
     * waking a parked thread costs tens of microseconds on a virtual machine, and a training step runs
     * thousands of regions with short serial stretches between them.
     */
    static final class Team {
        /** How long an idle helper polls for the next region before parking. */
        private static final long SPIN_NANOS = 2_000_000L;

        private final Helper[] helpers;
        private final AtomicBoolean busy = new AtomicBoolean();
        private volatile Job current;
        private volatile boolean stopped;

        Team(int size) {
            helpers = new Helper[size - 1];
            for (int i = 0; i < helpers.length; i++) {
                helpers[i] = new Helper(this, i + 1);
                helpers[i].start();
            }
        }

        int size() {
            return helpers.length + 1;
        }

        boolean tryEnter() {
            return !stopped && busy.compareAndSet(false, true);
        }

        void leave() {
            busy.set(false);
        }

        void run(Job job) {
            current = job;
            for (Helper h : helpers) {
                if (h.parked) {
                    LockSupport.unpark(h);
                }
            }
            job.work();
            for (int spins = 0; !job.finished(); spins++) {
                if (spins < 1 << 12) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield(); // a helper still in its last chunk was descheduled
                }
            }
            current = null; // helpers must not keep the body's arrays reachable
            Throwable failure = job.failure;
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
        }

        void shutdown() {
            stopped = true;
            for (Helper h : helpers) {
                LockSupport.unpark(h);
            }
        }
    }

    private static final class Helper extends Thread {
        private final Team team;
        volatile boolean parked;

        Helper(Team team, int index) {
            super("jconv-worker-" + index);
            this.team = team;
            setDaemon(true);
        }

        @Override
        public void run() {
            long idleSince = System.nanoTime();
            int spins = 0;
            while (!team.stopped) {
                Job job = team.current;
                if (job != null && !job.exhausted()) {
                    job.work();
                    idleSince = System.nanoTime();
                    spins = 0;
                } else if ((++spins & 63) != 0) {
                    Thread.onSpinWait();
                } else if (System.nanoTime() - idleSince < Team.SPIN_NANOS) {
                    // Every 64 polls (the clock read there cost more than the polls themselves), offer the core to
                    // a thread that waits for one: the JIT's compiler threads, GC or JFR threads then run while the
                    // caller works alone instead of taking a core from a region later. ResNet-18's warm-up steps
                    // took 8% less time, and a yield with no thread waiting returns at once.
                    Thread.yield();
                } else {
                    parked = true;
                    job = team.current; // read after `parked` is set: a region published meanwhile is seen here
                    if ((job == null || job.exhausted()) && !team.stopped) {
                        job = null;
                        LockSupport.park(this);
                    }
                    parked = false;
                    idleSince = System.nanoTime();
                }
            }
        }
    }
}
