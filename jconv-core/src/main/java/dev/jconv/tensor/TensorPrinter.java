package dev.jconv.tensor;

import dev.jconv.storage.DType;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders tensors exactly as PyTorch 1.13's {@code repr(tensor)} does, with the default print options
 * (precision 4, threshold 1000, edgeitems 3, linewidth 80).
 *
 * <p>The algorithm follows {@code torch/_tensor_str.py}: one formatter decides the number style
 * (integer-valued, fixed or scientific) and the common column width from all (possibly summarized)
 * values, then the nested rows are laid out with PyTorch's indentation, line wrapping and suffixes.
 */
public final class TensorPrinter {
    private static final int PRECISION = 4;
    private static final int THRESHOLD = 1000;
    private static final int EDGE_ITEMS = 3;
    private static final int LINE_WIDTH = 80;
    private static final String PREFIX = "tensor(";

    private final int[] shape;
    private final int[] strides;
    private final DType dtype;
    private final double[] values;
    private final long[] longValues;
    private final boolean summarize;

    // Formatter state, mirroring PyTorch's _Formatter.
    private boolean intMode = true;
    private boolean sciMode = false;
    private int maxWidth = 1;

    private TensorPrinter(int[] shape, DType dtype, double[] values, long[] longValues, long numel) {
        this.shape = shape;
        this.dtype = dtype;
        this.values = values;
        this.longValues = longValues;
        this.summarize = numel > THRESHOLD;
        this.strides = new int[shape.length];
        int stride = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = stride;
            stride *= shape[d];
        }
    }

    /**
     * Returns what PyTorch 1.13 prints for {@code repr(tensor)}.
     *
     * @param shape        the dimensions; an empty array means a 0-d (scalar) tensor
     * @param dtype        the element type
     * @param values       row-major values for FLOAT32, FLOAT64 and BOOL (0/1); null for INT64
     * @param longValues   row-major values for INT64; null otherwise
     * @param requiresGrad whether to append {@code requires_grad=True} (ignored when a grad_fn is given)
     * @param gradFnName   bare autograd node name such as {@code AddBackward0}, or null for none
     * @return the repr string, e.g. {@code tensor([1., 2.], requires_grad=True)}
     */
    public static String repr(int[] shape, DType dtype, double[] values, long[] longValues,
                              boolean requiresGrad, String gradFnName) {
        long numel = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative dimension in shape");
            }
            numel *= s;
        }
        int available = dtype == DType.INT64 ? lengthOf(longValues) : lengthOf(values);
        if (available < numel) {
            throw new IllegalArgumentException("expected " + numel + " values for " + dtype + ", got " + available);
        }
        List<String> suffixes = new ArrayList<>();
        String body;
        if (numel == 0) {
            // No values to infer anything from, so PyTorch spells out the shape (unless it is (0,))
            // and any non-default dtype, including int64 and bool.
            if (shape.length != 1) {
                suffixes.add("size=" + pythonTuple(shape));
            }
            if (dtype != DType.FLOAT32) {
                suffixes.add("dtype=" + dtype.torchName());
            }
            body = "[]";
        } else {
            // float32 is the default dtype; int64 and bool are recognisable from their values.
            if (dtype == DType.FLOAT64) {
                suffixes.add("dtype=" + dtype.torchName());
            }
            TensorPrinter printer = new TensorPrinter(shape, dtype, values, longValues, numel);
            printer.initFormatter();
            body = printer.tensorStr(0, 0, PREFIX.length());
        }
        if (gradFnName != null) {
            suffixes.add("grad_fn=<" + gradFnName + ">");
        } else if (requiresGrad) {
            suffixes.add("requires_grad=True");
        }
        return addSuffixes(PREFIX + body, suffixes, PREFIX.length());
    }

    /**
     * Returns what PyTorch 1.13 prints for {@code repr(nn.Parameter(tensor))}: the line
     * {@code Parameter containing:} followed by the tensor repr. Parameters normally require
     * gradients, so {@code requiresGrad} is usually true and yields the {@code requires_grad=True} suffix.
     *
     * @see #repr(int[], DType, double[], long[], boolean, String)
     */
    public static String parameterRepr(int[] shape, DType dtype, double[] values, long[] longValues,
                                       boolean requiresGrad) {
        return "Parameter containing:\n" + repr(shape, dtype, values, longValues, requiresGrad, null);
    }

    /**
     * Returns PyTorch's repr of a {@code torch.Size}, e.g. {@code torch.Size([8, 8])} or {@code torch.Size([])}.
     */
    public static String sizeRepr(int[] shape) {
        StringBuilder sb = new StringBuilder("torch.Size([");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.append("])").toString();
    }

    private static int lengthOf(double[] a) {
        return a == null ? 0 : a.length;
    }

    private static int lengthOf(long[] a) {
        return a == null ? 0 : a.length;
    }

    /** Python's str(tuple): a single element keeps its trailing comma. */
    private static String pythonTuple(int[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /** Mirrors _add_suffixes, including its quirk of counting the last line two characters long. */
    private static String addSuffixes(String tensorStr, List<String> suffixes, int indent) {
        StringBuilder sb = new StringBuilder(tensorStr);
        int lastLineLen = tensorStr.length() - tensorStr.lastIndexOf('\n') + 1;
        for (String suffix : suffixes) {
            if (lastLineLen + suffix.length() + 2 > LINE_WIDTH) {
                sb.append(",\n").append(" ".repeat(indent)).append(suffix);
                lastLineLen = indent + suffix.length();
            } else {
                sb.append(", ").append(suffix);
                lastLineLen += suffix.length() + 2;
            }
        }
        return sb.append(')').toString();
    }

    // ---- formatter -------------------------------------------------------------------------

    /** Decides number style and width from the summarized values only, as _Formatter does. */
    private void initFormatter() {
        List<Integer> shown = new ArrayList<>();
        collectSummarized(0, 0, shown);
        if (!dtype.isFloatingPoint()) {
            for (int idx : shown) {
                maxWidth = Math.max(maxWidth, formatNonFloat(idx).length());
            }
            return;
        }
        List<Double> finite = new ArrayList<>();
        for (int idx : shown) {
            double v = values[idx];
            if (Double.isFinite(v) && v != 0) {
                finite.add(v);
            }
        }
        if (finite.isEmpty()) {
            return; // only zeros / nan / inf: integer style, width 1
        }
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (double v : finite) {
            min = Math.min(min, Math.abs(v));
            max = Math.max(max, Math.abs(v));
            if (v != Math.ceil(v)) {
                intMode = false;
            }
        }
        // Integer-valued tensors ignore the small-minimum rule: 1 and 1e-5 cannot both be integers.
        sciMode = max / min > 1000.0 || max > 1.0e8 || (!intMode && min < 1.0e-4);
        for (double v : finite) {
            int len;
            if (sciMode) {
                len = scientific(v, PRECISION).length();
            } else if (intMode) {
                len = fixed(v, 0).length() + 1; // room for the trailing '.'
            } else {
                len = fixed(v, PRECISION).length();
            }
            maxWidth = Math.max(maxWidth, len);
        }
    }

    /** Gathers the flat indices get_summarized_data would keep (all of them when not summarizing). */
    private void collectSummarized(int dim, int offset, List<Integer> out) {
        if (dim == shape.length) {
            out.add(offset);
            return;
        }
        for (int i : shownIndices(shape[dim])) {
            collectSummarized(dim + 1, offset + i * strides[dim], out);
        }
    }

    private boolean elided(int size) {
        return summarize && size > 2 * EDGE_ITEMS;
    }

    private int[] shownIndices(int size) {
        if (!elided(size)) {
            int[] all = new int[size];
            for (int i = 0; i < size; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] edges = new int[2 * EDGE_ITEMS];
        for (int i = 0; i < EDGE_ITEMS; i++) {
            edges[i] = i;
            edges[EDGE_ITEMS + i] = size - EDGE_ITEMS + i;
        }
        return edges;
    }

    private String formatNonFloat(int idx) {
        if (dtype == DType.INT64) {
            return Long.toString(longValues[idx]);
        }
        return values[idx] != 0 ? "True" : "False";
    }

    /** One element, right-aligned to the common width (never truncated). */
    private String format(int idx) {
        String s;
        if (!dtype.isFloatingPoint()) {
            s = formatNonFloat(idx);
        } else {
            double v = values[idx];
            if (sciMode) {
                s = scientific(v, PRECISION);
            } else if (intMode) {
                s = fixed(v, 0);
                if (Double.isFinite(v)) {
                    s += ".";
                }
            } else {
                s = fixed(v, PRECISION);
            }
        }
        return s.length() >= maxWidth ? s : " ".repeat(maxWidth - s.length()) + s;
    }

    // ---- layout ----------------------------------------------------------------------------

    /** Mirrors _tensor_str_with_formatter for the sub-tensor starting at {@code dim}/{@code offset}. */
    private String tensorStr(int dim, int offset, int indent) {
        int remaining = shape.length - dim;
        if (remaining == 0) {
            return format(offset);
        }
        if (remaining == 1) {
            return vectorStr(dim, offset, indent);
        }
        List<String> slices = new ArrayList<>();
        int[] shown = shownIndices(shape[dim]);
        for (int k = 0; k < shown.length; k++) {
            if (elided(shape[dim]) && k == EDGE_ITEMS) {
                slices.add("...");
            }
            slices.add(tensorStr(dim + 1, offset + shown[k] * strides[dim], indent + 1));
        }
        // Higher dimensions get more blank lines between their blocks.
        String sep = "," + "\n".repeat(remaining - 1) + " ".repeat(indent + 1);
        return "[" + String.join(sep, slices) + "]";
    }

    /** Mirrors _vector_str: wraps elements so a line fits in the linewidth given the indent. */
    private String vectorStr(int dim, int offset, int indent) {
        int elementLength = maxWidth + 2; // ", " between elements
        int perLine = Math.max(1, Math.floorDiv(LINE_WIDTH - indent, elementLength));
        List<String> data = new ArrayList<>();
        int[] shown = shownIndices(shape[dim]);
        for (int k = 0; k < shown.length; k++) {
            if (elided(shape[dim]) && k == EDGE_ITEMS) {
                data.add(" ...");
            }
            data.add(format(offset + shown[k] * strides[dim]));
        }
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < data.size(); i += perLine) {
            lines.add(String.join(", ", data.subList(i, Math.min(data.size(), i + perLine))));
        }
        return "[" + String.join(",\n" + " ".repeat(indent + 1), lines) + "]";
    }

    // ---- Python float formatting -----------------------------------------------------------

    private static String nonFinite(double v) {
        return Double.isNaN(v) ? "nan" : (v > 0 ? "inf" : "-inf");
    }

    private static String sign(double v) {
        // Python keeps the sign of -0.0 and of negatives that round to zero.
        return (v < 0 || (v == 0 && 1.0 / v < 0)) ? "-" : "";
    }

    /** Python's {@code '{:.Nf}'.format(v)}: exact binary value, rounded half-even. */
    public static String fixed(double v, int decimals) {
        if (!Double.isFinite(v)) {
            return nonFinite(v);
        }
        return sign(v) + new BigDecimal(Math.abs(v)).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** Python's {@code '{:.Ne}'.format(v)}: N decimals in the mantissa, at least two exponent digits. */
    static String scientific(double v, int decimals) {
        if (!Double.isFinite(v)) {
            return nonFinite(v);
        }
        String digits;
        int exponent;
        if (v == 0) {
            digits = "0".repeat(decimals + 1);
            exponent = 0;
        } else {
            BigDecimal r = new BigDecimal(Math.abs(v)).round(new MathContext(decimals + 1, RoundingMode.HALF_EVEN));
            String unscaled = r.unscaledValue().toString();
            exponent = unscaled.length() - r.scale() - 1;
            // Exactly representable short values (e.g. 1.5) come back with fewer digits.
            digits = unscaled.length() >= decimals + 1
                    ? unscaled.substring(0, decimals + 1)
                    : unscaled + "0".repeat(decimals + 1 - unscaled.length());
        }
        String mantissa = decimals == 0 ? digits : digits.charAt(0) + "." + digits.substring(1);
        String exp = Integer.toString(Math.abs(exponent));
        return sign(v) + mantissa + "e" + (exponent < 0 ? "-" : "+") + (exp.length() < 2 ? "0" + exp : exp);
    }
}
