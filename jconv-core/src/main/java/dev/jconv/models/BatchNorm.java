package dev.jconv.models;

import dev.jconv.nn.Module;
import dev.jconv.nn.Parameter;
import dev.jconv.tensor.Tensor;

/**
 * Batch normalisation written out with tensor operations, D2L's from-scratch {@code BatchNorm}: a scale
 * {@code gamma} (ones) and shift {@code beta} (zeros) per feature, and moving averages of the mean and
 * variance. Those averages are plain fields, not buffers, so (as in D2L) they are not part of the state
 * dict. Unlike D2L, which switches on whether gradients are being recorded, it switches on the module's
 * training flag, as {@link dev.jconv.nn.BatchNorm2d} does.
 */
public class BatchNorm extends Module {
    private static final double EPS = 1e-5;
    private static final double MOMENTUM = 0.1;

    private final Parameter gamma;
    private final Parameter beta;
    private Tensor movingMean;
    private Tensor movingVar;

    /** The result of {@link #batchNorm}: the normalised output and the updated moving statistics. */
    public record Result(Tensor y, Tensor movingMean, Tensor movingVar) {
    }

    /**
     * @param numFeatures outputs of a dense layer or channels of a convolution
     * @param numDims 2 after a dense layer, 4 after a convolution
     */
    public BatchNorm(int numFeatures, int numDims) {
        if (numFeatures <= 0) {
            throw new IllegalArgumentException("num_features must be positive, got " + numFeatures);
        }
        int[] shape = switch (numDims) {
            case 2 -> new int[] {1, numFeatures};
            case 4 -> new int[] {1, numFeatures, 1, 1};
            default -> throw new IllegalArgumentException("num_dims must be 2 (dense) or 4 (convolution), got " + numDims);
        };
        gamma = registerParameter("gamma", new Parameter(Tensor.ones(shape)));
        beta = registerParameter("beta", new Parameter(Tensor.zeros(shape)));
        movingMean = Tensor.zeros(shape);
        movingVar = Tensor.ones(shape);
    }

    /**
     * Normalises {@code x}, (N, C) or (N, C, H, W): in training with the batch's mean and biased variance per
     * feature, moving each average {@code momentum} of the way to the batch's; otherwise with the averages.
     */
    public static Result batchNorm(Tensor x, Tensor gamma, Tensor beta, Tensor movingMean, Tensor movingVar,
                                   double eps, double momentum, boolean training) {
        Tensor xHat;
        if (!training) {
            xHat = x.sub(movingMean).div(movingVar.add(eps).sqrt());
        } else {
            int[] dims = switch (x.dim()) {
                case 2 -> new int[] {0};
                case 4 -> new int[] {0, 2, 3};
                default -> throw new IllegalArgumentException("batch norm takes (N, C) or (N, C, H, W) input, got "
                        + x.shape());
            };
            // keepdim so that both cases broadcast against x and against the (1, C[, 1, 1]) statistics
            Tensor mean = x.mean(dims, true);
            Tensor var = x.sub(mean).pow(2).mean(dims, true);
            xHat = x.sub(mean).div(var.add(eps).sqrt());
            movingMean = movingMean.mul(1 - momentum).add(mean.detach().mul(momentum));
            movingVar = movingVar.mul(1 - momentum).add(var.detach().mul(momentum));
        }
        return new Result(gamma.mul(xHat).add(beta), movingMean, movingVar);
    }

    public Parameter gamma() {
        return gamma;
    }

    public Parameter beta() {
        return beta;
    }

    /** The moving average of the per-feature means. */
    public Tensor movingMean() {
        return movingMean;
    }

    /** The moving average of the per-feature (biased) variances. */
    public Tensor movingVar() {
        return movingVar;
    }

    @Override
    public Tensor forward(Tensor x) {
        Result r = batchNorm(x, gamma, beta, movingMean, movingVar, EPS, MOMENTUM, isTraining());
        movingMean = r.movingMean();
        movingVar = r.movingVar();
        return r.y();
    }
}
