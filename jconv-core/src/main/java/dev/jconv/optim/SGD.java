package dev.jconv.optim;

import dev.jconv.nn.Parameter;
import dev.jconv.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with optional momentum, dampening, weight decay and Nesterov momentum, like
 * {@code torch.optim.SGD}. Each step does, in the parameter's dtype and with PyTorch 1.13's roundings:
 * <pre>
 * d = grad + weight_decay·p                        (if weight_decay ≠ 0)
 * buf = d  on the first step,  buf = momentum·buf + (1 - dampening)·d  afterwards   (if momentum ≠ 0)
 * d = d + momentum·buf  (nesterov)  or  d = buf                                       (if momentum ≠ 0)
 * p = p - lr·d
 * </pre>
 * The momentum buffer is state {@code momentum_buffer} (see {@link Optimizer} for the state dict keys).
 */
public class SGD extends Optimizer {
    private double momentum;
    private double dampening;
    private double weightDecay;
    private boolean nesterov;

    /** Plain SGD {@code p -= lr · grad}: {@code torch.optim.SGD(params, lr)}. */
    public SGD(List<Parameter> parameters, double lr) {
        this(parameters, lr, 0, 0, 0, false);
    }

    /** SGD with momentum: {@code torch.optim.SGD(params, lr, momentum)}. */
    public SGD(List<Parameter> parameters, double lr, double momentum) {
        this(parameters, lr, momentum, 0, 0, false);
    }

    /**
     * {@code torch.optim.SGD(params, lr, momentum, dampening, weight_decay, nesterov)}.
     *
     * @throws IllegalArgumentException if lr, momentum or weightDecay is negative (or NaN), or nesterov is
     *                                  asked for without momentum or with dampening
     */
    public SGD(List<Parameter> parameters, double lr, double momentum, double dampening, double weightDecay,
               boolean nesterov) {
        super(parameters, lr);
        set(momentum, dampening, weightDecay, nesterov);
    }

    private void set(double momentum, double dampening, double weightDecay, boolean nesterov) {
        if (!(momentum >= 0)) {
            throw new IllegalArgumentException("Invalid momentum value: " + pythonFloat(momentum));
        }
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("Invalid weight_decay value: " + pythonFloat(weightDecay));
        }
        if (Double.isNaN(dampening)) {
            throw new IllegalArgumentException("Invalid dampening value: nan");
        }
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("Nesterov momentum requires a momentum and zero dampening");
        }
        this.momentum = momentum;
        this.dampening = dampening;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
    }

    /** The momentum factor (0: no momentum buffer). */
    public double momentum() {
        return momentum;
    }

    /** The dampening of the gradient added to the momentum buffer after the first step. */
    public double dampening() {
        return dampening;
    }

    /** The L2 penalty factor added to the gradient. */
    public double weightDecay() {
        return weightDecay;
    }

    /** Whether Nesterov momentum is used. */
    public boolean nesterov() {
        return nesterov;
    }

    @Override
    protected void update(Tensor param, Tensor grad, Map<String, Tensor> state) {
        Tensor d = grad;
        if (weightDecay != 0) {
            d = d.add(param, weightDecay);
        }
        if (momentum != 0) {
            Tensor buf = state.get("momentum_buffer");
            if (buf == null) { // PyTorch starts the buffer at the first gradient, undamped
                buf = d.cloneTensor();
                state.put("momentum_buffer", buf);
            } else {
                buf.mul_(momentum).add_(d, 1 - dampening);
            }
            d = nesterov ? d.add(buf, momentum) : buf;
        }
        param.add_(d, -lr());
    }

    @Override
    protected List<String> stateNames() {
        return momentum != 0 ? List.of("momentum_buffer") : List.of();
    }

    @Override
    protected Map<String, Tensor> hyperParameters() {
        return ordered("momentum", scalar(momentum), "dampening", scalar(dampening), "weight_decay",
                scalar(weightDecay), "nesterov", flag(nesterov));
    }

    @Override
    protected void loadHyperParameters(Map<String, Tensor> values) {
        set(number(values, "momentum"), number(values, "dampening"), number(values, "weight_decay"),
                number(values, "nesterov") != 0);
    }

    @Override
    public String toString() {
        return "SGD (lr=" + pythonFloat(lr()) + ", momentum=" + pythonFloat(momentum) + ", dampening="
                + pythonFloat(dampening) + ", weight_decay=" + pythonFloat(weightDecay) + ", nesterov="
                + (nesterov ? "True" : "False") + ")";
    }
}
