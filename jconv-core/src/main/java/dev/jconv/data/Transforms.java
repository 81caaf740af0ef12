package dev.jconv.data;

import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import dev.jconv.tensor.Tensor;
import java.util.Arrays;

/**
 * The image transforms a training pipeline needs, computed as torchvision computes them so the numbers
 * match: {@link #toFloat()} ({@code ToTensor}), {@link #normalize} ({@code Normalize}), {@link #pad}
 * ({@code Pad}, e.g. 28×28 → 32×32 for LeNet) and {@link #resize} ({@code Resize}, bilinear). Each takes an image (C, H, W) and returns a new one.
 */
public final class Transforms {
    private static final float[] BYTE_TO_UNIT = new float[256];

    static {
        for (int v = 0; v < 256; v++) {
            BYTE_TO_UNIT[v] = v / 255f;
        }
    }

    private Transforms() {
    }

    /** {@code value / 255} rounded to float32, as {@code ToTensor} computes it; {@code v} is 0..255. */
    static float byteToUnit(int v) {
        return BYTE_TO_UNIT[v];
    }

    /**
     * Pixel values 0..255 (any dtype) to float32 in [0, 1], dividing by 255 in float32 as torchvision's
     * {@code ToTensor} does; an (H, W) image gets a channel dimension. {@link FashionMnist} already returns
     * images in [0, 1]: this is for data sets that keep raw pixel values.
     *
     * @throws IllegalArgumentException for a value that is not an integer in 0..255
     */
    public static Transform toFloat() {
        return image -> {
            double[] v = image.toArray();
            double[] out = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                if (!(v[i] >= 0 && v[i] <= 255) || v[i] != Math.rint(v[i])) {
                    throw new IllegalArgumentException("toFloat expects pixel values 0..255, got " + v[i]
                            + " at flat index " + i);
                }
                out[i] = BYTE_TO_UNIT[(int) v[i]];
            }
            int[] dims = image.shape().toArray();
            Shape shape = dims.length == 2 ? Shape.of(1, dims[0], dims[1]) : checkImage(image, "toFloat");
            return Tensor.fromArray(out, shape, DType.FLOAT32);
        };
    }

    /** {@code Normalize((mean,), (std,))} for images of any number of channels: every channel alike. */
    public static Transform normalize(double mean, double std) {
        return normalize(new double[] {mean}, new double[] {std}, true);
    }

    /**
     * {@code Normalize(mean, std)}: {@code (x - mean[c]) / std[c]} per channel, in float32 like torchvision
     * (the mean and std are rounded to float32 first).
     *
     * @throws IllegalArgumentException if the arrays' lengths differ or a std is zero in float32; when
     *     applied, if the image's channel count is not the arrays' length
     */
    public static Transform normalize(double[] mean, double[] std) {
        return normalize(mean, std, false);
    }

    private static Transform normalize(double[] meanValues, double[] stdValues, boolean everyChannel) {
        if (meanValues.length != stdValues.length || meanValues.length == 0) {
            throw new IllegalArgumentException("normalize needs one mean and one std per channel, got "
                    + meanValues.length + " mean(s) and " + stdValues.length + " std(s)");
        }
        float[] mean = new float[meanValues.length];
        float[] std = new float[stdValues.length];
        for (int c = 0; c < mean.length; c++) {
            mean[c] = (float) meanValues[c];
            std[c] = (float) stdValues[c];
            if (std[c] == 0) {
                throw new IllegalArgumentException("std evaluated to zero after conversion to torch.float32, "
                        + "leading to division by zero (std " + Arrays.toString(stdValues) + ")");
            }
        }
        return image -> {
            Shape shape = checkImage(image, "normalize");
            int channels = shape.get(0);
            if (!everyChannel && channels != mean.length) {
                throw new IllegalArgumentException("normalize was given " + mean.length + " channel mean(s) but the "
                        + "image has " + channels + " channel(s) (shape " + shape.dimsString() + ")");
            }
            double[] v = image.toArray();
            int plane = shape.get(1) * shape.get(2);
            double[] out = new double[v.length];
            for (int c = 0; c < channels; c++) {
                float m = mean[everyChannel ? 0 : c];
                float s = std[everyChannel ? 0 : c];
                for (int i = c * plane; i < (c + 1) * plane; i++) {
                    // Two float32 operations, each rounded, as tensor.sub_(mean).div_(std) does.
                    out[i] = (float) ((float) ((float) v[i] - m) / s);
                }
            }
            return Tensor.fromArray(out, shape, DType.FLOAT32);
        };
    }

    /**
     * {@code Resize((height, width))} on a tensor with antialiasing off: bilinear interpolation as
     * {@link Resize#bilinear} computes it (D2L resizes Fashion-MNIST to 224×224 or 96×96 for the modern CNNs).
     *
     * @throws IllegalArgumentException if a size is below 1
     */
    public static Transform resize(int height, int width) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("resize needs a size of at least 1x1, got " + height + "x" + width);
        }
        return image -> {
            checkImage(image, "resize");
            return Resize.bilinear(image, height, width);
        };
    }

    /** {@code Pad(padding)}: {@code padding} zeros on every side (2 turns 28×28 into 32×32). */
    public static Transform pad(int padding) {
        return pad(padding, padding, padding, padding);
    }

    /**
     * {@code Pad((left, top, right, bottom))} with zeros.
     *
     * @throws IllegalArgumentException for a negative padding
     */
    public static Transform pad(int left, int top, int right, int bottom) {
        if (left < 0 || top < 0 || right < 0 || bottom < 0) {
            throw new IllegalArgumentException("padding must be non-negative, got (left " + left + ", top " + top
                    + ", right " + right + ", bottom " + bottom + ")");
        }
        return image -> padImage(image, left, top, right, bottom);
    }

    /**
     * Pads with zeros to {@code height}×{@code width}, centring the image; an odd leftover goes to the
     * bottom/right, as torchvision's {@code CenterCrop} pads.
     *
     * @throws IllegalArgumentException when applied to an image larger than the target
     */
    public static Transform padTo(int height, int width) {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("padTo needs a positive size, got " + height + "×" + width);
        }
        return image -> {
            Shape shape = checkImage(image, "padTo");
            int h = shape.get(1);
            int w = shape.get(2);
            if (h > height || w > width) {
                throw new IllegalArgumentException("padTo(" + height + ", " + width + ") cannot shrink an image of "
                        + h + "×" + w);
            }
            return padImage(image, (width - w) / 2, (height - h) / 2, (width - w + 1) / 2, (height - h + 1) / 2);
        };
    }

    private static Tensor padImage(Tensor image, int left, int top, int right, int bottom) {
        Shape shape = checkImage(image, "pad");
        int channels = shape.get(0);
        int h = shape.get(1);
        int w = shape.get(2);
        int outH = h + top + bottom;
        int outW = w + left + right;
        double[] v = image.toArray();
        double[] out = new double[channels * outH * outW];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(v, (c * h + y) * w, out, (c * outH + y + top) * outW + left, w);
            }
        }
        return Tensor.fromArray(out, Shape.of(channels, outH, outW), image.dtype());
    }

    private static Shape checkImage(Tensor image, String what) {
        if (image.dim() != 3) {
            throw new IllegalArgumentException(what + " expects an image (C, H, W), got shape "
                    + image.shape().dimsString());
        }
        return image.shape();
    }
}
