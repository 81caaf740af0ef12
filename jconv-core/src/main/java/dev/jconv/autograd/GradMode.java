package dev.jconv.autograd;

/** Whether operations on the current thread record the graph, as PyTorch's grad mode. */
public final class GradMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private GradMode() {
    }

    /** True when new operations are recorded for the backward pass. */
    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** Turns recording off until the returned scope is closed (use with try-with-resources). */
    public static NoGrad disable() {
        boolean[] flag = ENABLED.get();
        NoGrad scope = new NoGrad(flag, flag[0]);
        flag[0] = false;
        return scope;
    }
}
