package dev.jconv.nn;

import dev.jconv.tensor.Tensor;

/**
 * Batch normalisation of (N, C, H, W) input over (N, H, W) per channel, like {@code nn.BatchNorm2d}; see
 * {@link AbstractBatchNorm} for the parameters, buffers and the training/evaluation behaviour.
 */
public class BatchNorm2d extends AbstractBatchNorm {

    /** {@code nn.BatchNorm2d(num_features)}: eps 1e-5, momentum 0.1. */
    public BatchNorm2d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1);
    }

    public BatchNorm2d(int numFeatures, double eps, double momentum) {
        super(numFeatures, eps, momentum, false);
    }

    BatchNorm2d(double eps, double momentum) {
        super(0, eps, momentum, true);
    }

    @Override
    void checkInputDim(Tensor input) {
        if (input.dim() != 4) {
            throw new IllegalArgumentException("expected 4D input (got " + input.dim() + "D input)");
        }
    }

    @Override
    protected String name() {
        return "BatchNorm2d";
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
