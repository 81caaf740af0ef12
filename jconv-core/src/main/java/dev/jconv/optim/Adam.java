package dev.jconv.optim;

import dev.jconv.nn.Parameter;
import java.util.List;

/**
 * Adam, like {@code torch.optim.Adam} (amsgrad off), with PyTorch 1.13's single-tensor update in the
 * parameter's dtype; for each parameter with a gradient:
 * <pre>
 * step += 1
 * g = grad + weight_decay·p                                  (if weight_decay ≠ 0)
 * exp_avg    = beta1·exp_avg    + (1 - beta1)·g
 * exp_avg_sq = beta2·exp_avg_sq + (1 - beta2)·g·g
 * bias_correction1 = 1 - beta1^step,  bias_correction2 = 1 - beta2^step
 * denom = sqrt(exp_avg_sq) / sqrt(bias_correction2) + eps
 * p = p - (lr / bias_correction1) · exp_avg / denom
 * </pre>
 * State: {@code step}, {@code exp_avg}, {@code exp_avg_sq} (see {@link Optimizer} for the state dict keys).
 */
public final class Adam extends AdamFamily {
    /** {@code torch.optim.Adam(params)}: lr 1e-3, betas (0.9, 0.999), eps 1e-8, no weight decay. */
    public Adam(List<Parameter> parameters) {
        this(parameters, 1e-3);
    }

    /** {@code torch.optim.Adam(params, lr)} with the other defaults. */
    public Adam(List<Parameter> parameters, double lr) {
        this(parameters, lr, 0.9, 0.999, 1e-8, 0);
    }

    /**
     * {@code torch.optim.Adam(params, lr, betas=(beta1, beta2), eps, weight_decay)}.
     *
     * @throws IllegalArgumentException if lr, eps or weightDecay is negative (or NaN), or a beta is outside [0, 1)
     */
    public Adam(List<Parameter> parameters, double lr, double beta1, double beta2, double eps, double weightDecay) {
        super(parameters, lr, beta1, beta2, eps, weightDecay, false);
    }
}
