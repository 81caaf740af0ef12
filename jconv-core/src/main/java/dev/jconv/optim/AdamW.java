package dev.jconv.optim;

import dev.jconv.nn.Parameter;
import java.util.List;

/**
 * AdamW, like {@code torch.optim.AdamW} (amsgrad off): {@link Adam} with decoupled weight decay. Each step
 * first shrinks the parameter, {@code p = p·(1 - lr·weight_decay)}, then applies Adam's update with the
 * plain gradient, with PyTorch 1.13's single-tensor roundings. State as {@link Adam}'s.
 */
public final class AdamW extends AdamFamily {
    /** {@code torch.optim.AdamW(params)}: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0.01. */
    public AdamW(List<Parameter> parameters) {
        this(parameters, 1e-3);
    }

    /** {@code torch.optim.AdamW(params, lr)} with the other defaults. */
    public AdamW(List<Parameter> parameters, double lr) {
        this(parameters, lr, 0.9, 0.999, 1e-8, 0.01);
    }

    /**
     * {@code torch.optim.AdamW(params, lr, betas=(beta1, beta2), eps, weight_decay)}.
     *
     * @throws IllegalArgumentException if lr, eps or weightDecay is negative (or NaN), or a beta is outside [0, 1)
     */
    public AdamW(List<Parameter> parameters, double lr, double beta1, double beta2, double eps, double weightDecay) {
        super(parameters, lr, beta1, beta2, eps, weightDecay, true);
    }
}
