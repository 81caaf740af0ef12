package dev.jconv.tensor;

import dev.jconv.autograd.NoGrad;
import dev.jconv.kernels.FloatKernels;
import dev.jconv.kernels.Layout;
import dev.jconv.storage.DType;

/**
 * Batch normalisation of float32 tensors as one op: statistics, normalisation, scale and shift in one forward
 * pass, and one backward rule for input, weight and bias. Saves only the input (and the per-channel
 * statistics), where a composition of elementwise ops would keep several full-size intermediates alive until
 * the backward pass.
 */
public final class Normalization {
    private Normalization() {
    }

    /** Whether {@link #batchNorm} takes these tensors: float32 throughout (other dtypes use composed ops). */
    public static boolean supports(Tensor input, Tensor... perChannel) {
        if (input.dtype() != DType.FLOAT32 || input.dim() < 2) {
            return false;
        }
        for (Tensor t : perChannel) {
            if (t != null && t.dtype() != DType.FLOAT32) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code F.batch_norm} on an (N, C, ...) float32 input. In training it normalises with the batch's mean and
     * biased variance (accumulated in double) and, when given, updates the running statistics in place:
     * {@code running = (1 − momentum)·running + momentum·batch}, with the unbiased variance. In evaluation it
     * uses the running statistics. Weight and bias (C) may be null.
     */
    public static Tensor batchNorm(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, double momentum, double eps) {
        int n = input.size(0);
        int c = input.size(1);
        int plane = input.numel() / Math.max(1, n * c);
        float[] x = input.floatValues();
        double[] mean;
        double[] var;
        if (training) {
            double[][] moments = FloatKernels.channelMoments(x, n, c, plane);
            mean = moments[0];
            var = moments[1];
            updateRunning(runningMean, runningVar, mean, var, (long) n * plane, momentum);
        } else {
            mean = toDoubles(runningMean);
            var = toDoubles(runningVar);
        }
        float[] w = weight == null ? null : weight.floatValues();
        float[] b = bias == null ? null : bias.floatValues();
        double[] invstd = new double[c];
        float[] scale = new float[c];
        float[] shift = new float[c];
        for (int ch = 0; ch < c; ch++) {
            invstd[ch] = 1 / Math.sqrt(var[ch] + eps);
            // y = x·scale + shift with scale = invstd·w and shift = b − mean·scale, as PyTorch's CPU kernel.
            scale[ch] = (float) invstd[ch] * (w == null ? 1f : w[ch]);
            shift[ch] = (b == null ? 0f : b[ch]) - (float) mean[ch] * scale[ch];
        }
        Tensor out = Tensor.wrap(FloatKernels.channelAffine(x, n, c, plane, scale, shift), input.shape());
        if (!Op.needed(input, weight, bias)) {
            return out;
        }
        out.setGradFn(new Op(input, weight, bias) {
            private final int savedInput = save(input.detach());
            private final int savedWeight = weight == null ? -1 : save(weight.detach());

            @Override
            public String name() {
                return "NativeBatchNormBackward0";
            }

            @Override
            Tensor[] gradients(Tensor grad) {
                float[] g = grad.floatValues();
                float[] xs = saved(savedInput).floatValues();
                float[] ws = savedWeight < 0 ? null : saved(savedWeight).floatValues();
                double[][] sums = FloatKernels.channelGradSums(g, xs, n, c, plane, mean);
                double count = (double) n * plane;
                float[] meanF = new float[c];
                float[] gMean = new float[c];
                float[] k = new float[c];
                float[] gScale = new float[c];
                float[] gw = new float[c];
                float[] gb = new float[c];
                for (int ch = 0; ch < c; ch++) {
                    double w1 = ws == null ? 1 : ws[ch];
                    meanF[ch] = (float) mean[ch];
                    gw[ch] = (float) (sums[1][ch] * invstd[ch]);
                    gb[ch] = (float) sums[0][ch];
                    gScale[ch] = (float) (w1 * invstd[ch]);
                    if (training) {
                        // The batch statistics depend on every input: their share of the gradient.
                        gMean[ch] = (float) (sums[0][ch] / count);
                        k[ch] = (float) (sums[1][ch] * invstd[ch] * invstd[ch] / count);
                    }
                }
                // The sums above have read the output gradient: the input gradient may be written over it.
                float[] own = needsGrad(0) ? grad.takeFloats() : null;
                Tensor gi = needsGrad(0) ? Tensor.reused(FloatKernels.batchNormInputGrad(g, xs, n, c, plane, meanF,
                        gMean, k, gScale, own), input.shape(), grad) : null;
                Tensor gwt = needsGrad(1) ? Tensor.wrapUnshared(gw, weight.shape()) : null;
                Tensor gbt = needsGrad(2) ? Tensor.wrapUnshared(gb, bias.shape()) : null;
                return new Tensor[] {gi, gwt, gbt};
            }
        });
        return out;
    }

    /** running = (1 − momentum)·running + momentum·batch, in double, rounded once to float. */
    private static void updateRunning(Tensor runningMean, Tensor runningVar, double[] mean, double[] var, long count,
                                      double momentum) {
        try (NoGrad ignored = Tensor.noGrad()) {
            if (runningMean != null) {
                double[] rm = toDoubles(runningMean);
                float[] next = new float[rm.length];
                for (int i = 0; i < rm.length; i++) {
                    next[i] = (float) (momentum * mean[i] + (1 - momentum) * rm[i]);
                }
                runningMean.copy_(Tensor.of(next));
            }
            if (runningVar != null) {
                double[] rv = toDoubles(runningVar);
                float[] next = new float[rv.length];
                double unbias = count > 1 ? (double) count / (count - 1) : Double.NaN;
                for (int i = 0; i < rv.length; i++) {
                    next[i] = (float) (momentum * var[i] * unbias + (1 - momentum) * rv[i]);
                }
                runningVar.copy_(Tensor.of(next));
            }
        }
    }

    private static double[] toDoubles(Tensor t) {
        return Layout.widen(t.floatValues());
    }
}
