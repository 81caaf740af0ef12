package dev.jconv.nn;

import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import dev.jconv.tensor.Tensor;

/**
 * Batch normalisation over (N, H, W) per channel, like {@code nn.BatchNorm2d}: in training it normalises
 * with the batch's mean and biased variance and updates running statistics (unbiased variance, momentum
 * 0.1); in evaluation it uses the running statistics. Learnable scale {@code weight} and shift {@code bias}.
 */
public class BatchNorm2d extends Module {
    private final int numFeatures;
    private final double eps;
    private final double momentum;
    private final Parameter weight;
    private final Parameter bias;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final Tensor numBatchesTracked;

    public BatchNorm2d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1);
    }

    public BatchNorm2d(int numFeatures, double eps, double momentum) {
        if (numFeatures <= 0 || !(eps > 0) || !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("BatchNorm2d needs num_features > 0, eps > 0 and momentum in [0, 1], got "
                    + numFeatures + ", " + eps + ", " + momentum);
        }
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        weight = registerParameter("weight", new Parameter(Tensor.ones(numFeatures)));
        bias = registerParameter("bias", new Parameter(Tensor.zeros(numFeatures)));
        runningMean = registerBuffer("running_mean", Tensor.zeros(numFeatures));
        runningVar = registerBuffer("running_var", Tensor.ones(numFeatures));
        numBatchesTracked = registerBuffer("num_batches_tracked", Tensor.zeros(Shape.scalar(), DType.INT64));
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    public Tensor runningMean() {
        return runningMean;
    }

    public Tensor runningVar() {
        return runningVar;
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() != 4) {
            throw new IllegalArgumentException("expected 4D input (got " + input.dim() + "D input of shape "
                    + input.shape().dimsString() + ")");
        }
        if (input.size(1) != numFeatures) {
            throw new IllegalArgumentException("BatchNorm2d(" + numFeatures + ") got input of shape "
                    + input.shape().dimsString() + " with " + input.size(1) + " channels");
        }
        return Functional.batchNorm(input, runningMean, runningVar, weight, bias, isTraining(), momentum, eps,
                numBatchesTracked);
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + pythonFloat(eps) + ", momentum=" + pythonFloat(momentum)
                + ", affine=True, track_running_stats=True";
    }

    /** Python's repr of a float: {@code 1e-05}, {@code 0.1}. */
    static String pythonFloat(double v) {
        String s = Double.toString(v);
        if (s.contains("E")) {
            String[] parts = s.split("E");
            String mant = parts[0].endsWith(".0") ? parts[0].substring(0, parts[0].length() - 2) : parts[0];
            int exp = Integer.parseInt(parts[1]);
            return mant + "e" + (exp < 0 ? "-" : "+") + String.format("%02d", Math.abs(exp));
        }
        return s;
    }
}
