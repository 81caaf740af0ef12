package dev.jconv.nn;

import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import dev.jconv.tensor.Tensor;

/**
 * What {@link BatchNorm1d} and {@link BatchNorm2d} share, like PyTorch's {@code _BatchNorm}: per-channel
 * normalisation over every dimension but dimension 1, with a learnable scale {@code weight} (ones) and shift
 * {@code bias} (zeros), and running statistics kept as buffers ({@code running_mean}, {@code running_var},
 * {@code num_batches_tracked}). In training it uses the batch's statistics and updates the running ones
 * (momentum 0.1, unbiased variance); in evaluation it uses the running ones.
 */
public abstract class AbstractBatchNorm extends Module {
    int numFeatures;
    private final double eps;
    private final double momentum;
    private final Parameter weight;
    private final Parameter bias;
    private Tensor runningMean;
    private Tensor runningVar;
    private final Tensor numBatchesTracked;

    /** A lazy module passes {@code lazy}: its per-channel tensors wait for {@link #materialize}. */
    AbstractBatchNorm(int numFeatures, double eps, double momentum, boolean lazy) {
        if (numFeatures < 0) {
            // the same failure as PyTorch's torch.empty(num_features)
            throw new IllegalArgumentException("Trying to create tensor with negative dimension " + numFeatures + ": ["
                    + numFeatures + "]");
        }
        if (!(eps > 0) || !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " needs eps > 0 and momentum in [0, 1], got eps="
                    + eps + ", momentum=" + momentum);
        }
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        weight = registerParameter("weight", lazy ? Parameter.uninitialized() : new Parameter(Tensor.ones(numFeatures)));
        bias = registerParameter("bias", lazy ? Parameter.uninitialized() : new Parameter(Tensor.zeros(numFeatures)));
        // a lazy module registers its running statistics once their size is known (see materialize)
        runningMean = registerBuffer("running_mean", lazy ? null : Tensor.zeros(numFeatures));
        runningVar = registerBuffer("running_var", lazy ? null : Tensor.ones(numFeatures));
        numBatchesTracked = registerBuffer("num_batches_tracked", Tensor.zeros(Shape.scalar(), DType.INT64));
    }

    /** Gives a lazy module its channel count and its initial values (no random draws, as in PyTorch). */
    final void materialize(int features) {
        numFeatures = features;
        weight.materialize(Tensor.ones(features));
        bias.materialize(Tensor.zeros(features));
        runningMean = replaceBuffer("running_mean", Tensor.zeros(features));
        runningVar = replaceBuffer("running_var", Tensor.ones(features));
    }

    /** Whether the per-channel tensors exist (always, except for a lazy module before its first call). */
    public final boolean isInitialized() {
        return weight.isMaterialized();
    }

    /** The number of channels normalised (0 for a lazy module before its first call). */
    public final int numFeatures() {
        return numFeatures;
    }

    public final Parameter weight() {
        return weight;
    }

    public final Parameter bias() {
        return bias;
    }

    public final Tensor runningMean() {
        return runningMean;
    }

    public final Tensor runningVar() {
        return runningVar;
    }

    /** Throws PyTorch's error when the input has a number of dimensions this layer does not take. */
    abstract void checkInputDim(Tensor input);

    @Override
    public Tensor forward(Tensor input) {
        checkInputDim(input);
        if (input.size(1) != numFeatures) {
            throw new IllegalArgumentException("running_mean should contain " + input.size(1) + " elements not "
                    + numFeatures);
        }
        return Functional.batchNorm(input, runningMean, runningVar, weight, bias, isTraining(), momentum, eps,
                numBatchesTracked);
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + BatchNorm2d.pythonFloat(eps) + ", momentum=" + BatchNorm2d.pythonFloat(momentum)
                + ", affine=True, track_running_stats=True";
    }
}
