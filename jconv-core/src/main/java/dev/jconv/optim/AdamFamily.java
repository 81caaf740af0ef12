package dev.jconv.optim;

import dev.jconv.nn.Parameter;
import dev.jconv.storage.DType;
import dev.jconv.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * What {@link Adam} and {@link AdamW} share: PyTorch 1.13's single-tensor Adam update, the two differing
 * only in how weight decay enters (added to the gradient, or decoupled as {@code p *= 1 - lr·wd}).
 */
abstract sealed class AdamFamily extends Optimizer permits Adam, AdamW {
    private final boolean decoupledDecay;
    private double beta1;
    private double beta2;
    private double eps;
    private double weightDecay;

    AdamFamily(List<Parameter> parameters, double lr, double beta1, double beta2, double eps, double weightDecay,
               boolean decoupledDecay) {
        super(parameters, lr);
        this.decoupledDecay = decoupledDecay;
        set(beta1, beta2, eps, weightDecay);
    }

    /** Validates all values (in PyTorch's order), then sets them. */
    private void set(double beta1, double beta2, double eps, double weightDecay) {
        if (!(eps >= 0)) {
            throw new IllegalArgumentException("Invalid epsilon value: " + pythonFloat(eps));
        }
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("Invalid beta parameter at index 0: " + pythonFloat(beta1));
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Invalid beta parameter at index 1: " + pythonFloat(beta2));
        }
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("Invalid weight_decay value: " + pythonFloat(weightDecay));
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    /** The decay rate of the first moment estimate ({@code betas[0]}). */
    public double beta1() {
        return beta1;
    }

    /** The decay rate of the second moment estimate ({@code betas[1]}). */
    public double beta2() {
        return beta2;
    }

    /** The term added to the denominator for numerical stability. */
    public double eps() {
        return eps;
    }

    /** The weight decay factor (added to the gradient for Adam, decoupled for AdamW). */
    public double weightDecay() {
        return weightDecay;
    }

    /** One parameter's update; each tensor operation rounds to the parameter's dtype, as PyTorch's do. */
    @Override
    protected void update(Tensor param, Tensor grad, Map<String, Tensor> s) {
        if (s.isEmpty()) {
            s.put("step", Tensor.scalar(0, DType.FLOAT32)); // PyTorch 1.13 counts steps in a float32 tensor
            s.put("exp_avg", Tensor.zeros(param.shape(), param.dtype()));
            s.put("exp_avg_sq", Tensor.zeros(param.shape(), param.dtype()));
        }
        Tensor stepCount = s.get("step");
        Tensor expAvg = s.get("exp_avg");
        Tensor expAvgSq = s.get("exp_avg_sq");
        stepCount.add_(1);
        double lr = lr();
        if (decoupledDecay) {
            param.mul_(1 - lr * weightDecay);
        } else if (weightDecay != 0) {
            grad = grad.add(param, weightDecay);
        }
        expAvg.mul_(beta1).add_(grad, 1 - beta1);
        expAvgSq.mul_(beta2).addcmul_(grad, grad, 1 - beta2);
        double step = stepCount.item();
        double biasCorrection1 = 1 - Math.pow(beta1, step);
        double biasCorrection2 = 1 - Math.pow(beta2, step);
        double stepSize = lr / biasCorrection1;
        // eps is added after dividing by sqrt(bias_correction2), exactly where PyTorch 1.13 adds it.
        Tensor denom = expAvgSq.sqrt().div(Math.sqrt(biasCorrection2)).add_(eps);
        param.addcdiv_(expAvg, denom, -stepSize);
    }

    @Override
    protected List<String> stateNames() {
        return List.of("step", "exp_avg", "exp_avg_sq");
    }

    @Override
    protected Map<String, Tensor> hyperParameters() {
        return ordered("betas", Tensor.of(new double[] {beta1, beta2}, DType.FLOAT64), "eps", scalar(eps),
                "weight_decay", scalar(weightDecay));
    }

    @Override
    protected void loadHyperParameters(Map<String, Tensor> values) {
        double[] betas = numbers(values, "betas", 2);
        set(betas[0], betas[1], number(values, "eps"), number(values, "weight_decay"));
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + " (lr=" + pythonFloat(lr()) + ", betas=(" + pythonFloat(beta1) + ", "
                + pythonFloat(beta2) + "), eps=" + pythonFloat(eps) + ", weight_decay=" + pythonFloat(weightDecay) + ")";
    }
}
