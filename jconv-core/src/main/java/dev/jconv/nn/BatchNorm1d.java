package dev.jconv.nn;

import dev.jconv.tensor.Tensor;

/**
 * Batch normalisation of (N, C) or (N, C, L) input per channel, like {@code nn.BatchNorm1d}: over N, or
 * over N and L. See {@link AbstractBatchNorm} for the parameters, buffers and training behaviour.
 */
public class BatchNorm1d extends AbstractBatchNorm {

    /** {@code nn.BatchNorm1d(num_features)}: eps 1e-5, momentum 0.1. */
    public BatchNorm1d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1);
    }

    public BatchNorm1d(int numFeatures, double eps, double momentum) {
        super(numFeatures, eps, momentum, false);
    }

    BatchNorm1d(double eps, double momentum) {
        super(0, eps, momentum, true);
    }

    @Override
    void checkInputDim(Tensor input) {
        if (input.dim() != 2 && input.dim() != 3) {
            throw new IllegalArgumentException("expected 2D or 3D input (got " + input.dim() + "D input)");
        }
    }

    @Override
    protected String name() {
        return "BatchNorm1d";
    }
}
