package dev.jconv.data;

import dev.jconv.tensor.Tensor;

/**
 * Bilinear resizing as PyTorch computes it for {@code F.interpolate(x, size, mode='bilinear',
 * align_corners=False)}, which is what torchvision's {@code Resize} does to a tensor with antialiasing off.
 * The weights and sums are float32, as in PyTorch; PyTorch's kernels round in an order that depends on the
 * memory layout (so its own results differ by a few float32 steps between layouts), and this one agrees with
 * them to that precision.
 */
public final class Resize {
    private Resize() {
    }

    /**
     * {@code x} (C, H, W) or (N, C, H, W), any floating dtype, resized to {@code height} × {@code width}; the
     * result is float32, with the leading dimensions of {@code x}. Nothing is recorded for autograd.
     *
     * @throws IllegalArgumentException for another number of dimensions, an empty image or a size below 1
     */
    public static Tensor bilinear(Tensor x, int height, int width) {
        int[] dims = x.shape().toArray();
        if (dims.length != 3 && dims.length != 4) {
            throw new IllegalArgumentException("bilinear resize expects (C, H, W) or (N, C, H, W), got "
                    + x.shape().dimsString());
        }
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("resize needs a size of at least 1x1, got " + height + "x" + width);
        }
        int inH = dims[dims.length - 2];
        int inW = dims[dims.length - 1];
        if (inH < 1 || inW < 1) {
            throw new IllegalArgumentException("cannot resize an empty image " + x.shape().dimsString());
        }
        int planes = x.shape().numel() / (inH * inW);
        float[] in = x.detach().toFloatArray();
        Axis rows = Axis.of(inH, height);
        Axis cols = Axis.of(inW, width);
        float[] out = new float[planes * height * width];
        for (int p = 0; p < planes; p++) {
            int src = p * inH * inW;
            int dst = p * height * width;
            for (int i = 0; i < height; i++) {
                int r0 = src + rows.index0[i] * inW;
                int r1 = src + rows.index1[i] * inW;
                float h0 = rows.lambda0[i];
                float h1 = rows.lambda1[i];
                for (int j = 0; j < width; j++) {
                    int c0 = cols.index0[j];
                    int c1 = cols.index1[j];
                    float w0 = cols.lambda0[j];
                    float w1 = cols.lambda1[j];
                    // PyTorch interpolates along the width within each of the two rows, then between the rows.
                    float top = in[r0 + c0] * w0 + in[r0 + c1] * w1;
                    float bottom = in[r1 + c0] * w0 + in[r1 + c1] * w1;
                    out[dst + i * width + j] = top * h0 + bottom * h1;
                }
            }
        }
        int[] outDims = dims.clone();
        outDims[dims.length - 2] = height;
        outDims[dims.length - 1] = width;
        return Tensor.of(out).reshape(outDims);
    }

    /** For each output position along one axis: the two source positions and their weights. */
    private record Axis(int[] index0, int[] index1, float[] lambda0, float[] lambda1) {
        static Axis of(int inSize, int outSize) {
            int[] i0 = new int[outSize];
            int[] i1 = new int[outSize];
            float[] l0 = new float[outSize];
            float[] l1 = new float[outSize];
            float scale = (float) inSize / outSize;
            for (int o = 0; o < outSize; o++) {
                if (inSize == outSize) {
                    // PyTorch copies when the size is unchanged (weights 1 and 0 on the same position).
                    i0[o] = o;
                    i1[o] = o;
                    l0[o] = 1;
                    continue;
                }
                // Pixel centres: output position o covers source coordinate (o + 0.5) * scale - 0.5, clamped at 0.
                float real = Math.max(scale * (o + 0.5f) - 0.5f, 0f);
                i0[o] = (int) real;
                i1[o] = i0[o] + (i0[o] < inSize - 1 ? 1 : 0);
                l1[o] = Math.min(Math.max(real - i0[o], 0f), 1f);
                l0[o] = 1f - l1[o];
            }
            return new Axis(i0, i1, l0, l1);
        }
    }
}
