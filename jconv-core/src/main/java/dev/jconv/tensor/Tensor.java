package dev.jconv.tensor;

import dev.jconv.autograd.Engine;
import dev.jconv.autograd.GradMode;
import dev.jconv.autograd.Node;
import dev.jconv.autograd.NoGrad;
import dev.jconv.kernels.FloatKernels;
import dev.jconv.kernels.Layout;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import dev.jconv.storage.Storage;

/**
 * An n-dimensional array of numbers that can record the operations made on it and compute gradients, like
 * PyTorch's {@code torch.Tensor}. A tensor is a view (shape, strides, offset) over a {@link Storage}; views
 * made by {@link #reshape}, {@link #transpose}, {@link #slice} and friends share their storage, so writing
 * through a view ({@code x.slice(1, 2, 6).fill_(0)}) changes the original.
 *
 * <p>Operations return new tensors; methods ending in {@code _} (as in PyTorch) change the tensor in place.
 * Factories ({@link #zeros}, {@link #of(double[][])}, {@link #rand}, …) are static methods here.
 */
public class Tensor {
    Storage storage;
    Shape shape;
    int[] strides;
    int offset;
    private boolean requiresGrad;
    private Tensor grad;
    private Node<Tensor> gradFn;
    private AccumulateGrad accumulator;
    /**
     * Set on a gradient an op's backward has just computed into storage of its own that nothing else refers
     * to: the leaf it reaches may keep it as its {@code grad} instead of a copy (see {@link AccumulateGrad}).
     */
    private boolean unshared;

    Tensor(Storage storage, Shape shape, int[] strides, int offset) {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        storage.attach();
    }

    /** A tensor sharing {@code data}'s storage and view, for subclasses such as parameters. */
    protected Tensor(Tensor data) {
        this(data.storage, data.shape, data.strides, data.offset);
    }

    /** Points this tensor at {@code data}'s storage and view; lazy modules use it to materialise parameters. */
    protected final void replaceData(Tensor data) {
        storage = data.storage;
        storage.attach();
        shape = data.shape;
        strides = data.strides;
        offset = data.offset;
    }

    /** A contiguous tensor over {@code data} (taken, not copied; values must be rounded to {@code dtype}). */
    static Tensor wrap(double[] data, Shape shape, DType dtype) {
        if (data.length != shape.numel()) {
            throw new IllegalStateException(data.length + " values for shape " + shape.dimsString());
        }
        return new Tensor(new Storage(data, dtype), shape, shape.contiguousStrides(), 0);
    }

    /** A contiguous float32 tensor over {@code data} (taken, not copied). */
    static Tensor wrap(float[] data, Shape shape) {
        if (data.length != shape.numel()) {
            throw new IllegalStateException(data.length + " values for shape " + shape.dimsString());
        }
        return new Tensor(new Storage(data), shape, shape.contiguousStrides(), 0);
    }

    /** A contiguous int64 tensor over {@code data} (taken, not copied). */
    static Tensor wrap(long[] data, Shape shape) {
        return wrapArray(data, shape);
    }

    /** A contiguous tensor over a {@code float[]}, {@code double[]}, {@code long[]} or {@code boolean[]}. */
    static Tensor wrapArray(Object data, Shape shape) {
        Storage storage = Storage.over(data);
        if (storage.size() != shape.numel()) {
            throw new IllegalStateException(storage.size() + " values for shape " + shape.dimsString());
        }
        return new Tensor(storage, shape, shape.contiguousStrides(), 0);
    }

    /** {@link #wrap} for a gradient held nowhere else (the caller drops its reference to {@code data}). */
    static Tensor wrapUnshared(double[] data, Shape shape, DType dtype) {
        return wrap(data, shape, dtype).markUnshared();
    }

    /** {@link #wrap(float[], Shape)} for a gradient held nowhere else. */
    static Tensor wrapUnshared(float[] data, Shape shape) {
        return wrap(data, shape).markUnshared();
    }

    private Tensor markUnshared() {
        unshared = true;
        return this;
    }

    /** This tensor if it was {@link #wrapUnshared} and not yet taken (the mark is cleared), else null. */
    Tensor takeUnshared() {
        if (!unshared) {
            return null;
        }
        unshared = false;
        return this;
    }

    /**
     * For a backward pass that may write its result over its incoming gradient: the float array of this
     * {@link #wrapUnshared} float32 gradient, which the caller now owns (the mark is cleared), or null when the
     * gradient may be held elsewhere. PyTorch's engine reuses a gradient buffer the same way when it holds the
     * only reference to it.
     */
    float[] takeFloats() {
        if (!unshared || storage.dtype() != DType.FLOAT32 || !spansStorage()) {
            return null;
        }
        unshared = false;
        storage.bumpVersion();
        return storage.writeFloats();
    }

    /** Whether this tensor is its whole storage, in row-major order: no offset, no gaps, nothing beyond it. */
    boolean spansStorage() {
        return offset == 0 && storage.size() == shape.numel() && isContiguous();
    }

    /** {@link #wrapUnshared} over {@code data} when it is not {@code source}'s array, else source, marked again. */
    static Tensor reused(float[] data, Shape shape, Tensor source) {
        if (source.storage.dtype() == DType.FLOAT32 && source.storage.readFloats() == data) {
            return source.markUnshared();
        }
        return wrapUnshared(data, shape);
    }

    /**
     * The autograd engine's sum of two gradients arriving at one node: added into the first when the engine holds
     * the only reference to it, else into a new tensor, which nothing else refers to either.
     */
    static Tensor mergeGradients(Tensor a, Tensor b) {
        if (a.dtype() == DType.FLOAT32 && b.dtype() == DType.FLOAT32 && a.shape.equals(b.shape)) {
            float[] own = a.takeFloats();
            if (own != null) {
                b.addFloatsInto(own);
                return a.markUnshared();
            }
            own = b.takeFloats();
            if (own != null) {
                // b + a is a + b bit for bit: float addition is commutative.
                a.addFloatsInto(own);
                return b.markUnshared();
            }
            // A view (a slice of a concatenation's gradient) is gathered into a new array, which takes the sum.
            if (!a.spansStorage() || !b.spansStorage()) {
                Tensor view = a.spansStorage() ? b : a;
                float[] sum = view.floatValues();
                (view == a ? b : a).addFloatsInto(sum);
                return wrapUnshared(sum, a.shape);
            }
            return wrapUnshared(FloatKernels.add(a.floatValues(), b.floatValues()), a.shape);
        }
        return a.add(b);
    }

    /** dst[i] += this float32 tensor's i-th value in row-major order, reading a view in place. */
    private void addFloatsInto(float[] dst) {
        if (spansStorage()) {
            FloatKernels.addInPlace(dst, storage.readFloats());
        } else {
            Layout.addInto(dst, storage.readFloats(), offset, shape.toArray(), strides);
        }
    }

    // ---- creation -------------------------------------------------------------------------------------

    /** A float32 tensor of zeros, like {@code torch.zeros(sizes)}. */
    public static Tensor zeros(int... sizes) {
        return full(Shape.of(sizes), 0, DType.FLOAT32);
    }

    /** A tensor of zeros of the given shape and dtype. */
    public static Tensor zeros(Shape shape, DType dtype) {
        return full(shape, 0, dtype);
    }

    /** A float32 tensor of ones, like {@code torch.ones(sizes)}. */
    public static Tensor ones(int... sizes) {
        return full(Shape.of(sizes), 1, DType.FLOAT32);
    }

    /** A tensor of ones of the given shape and dtype. */
    public static Tensor ones(Shape shape, DType dtype) {
        return full(shape, 1, dtype);
    }

    /** A tensor filled with {@code value}, like {@code torch.full}. */
    public static Tensor full(Shape shape, double value, DType dtype) {
        int n = shape.numel();
        try {
            Storage storage = Storage.zeros(n, dtype);
            switch (storage.array()) {
                case float[] f -> java.util.Arrays.fill(f, (float) value);
                case double[] d -> java.util.Arrays.fill(d, value);
                case long[] l -> java.util.Arrays.fill(l, (long) value);
                case boolean[] b -> java.util.Arrays.fill(b, value != 0);
                default -> throw new AssertionError(dtype);
            }
            return new Tensor(storage, shape, shape.contiguousStrides(), 0);
        } catch (OutOfMemoryError e) {
            long bytes = (long) n * dtype.byteSize();
            OutOfMemoryError clear = new OutOfMemoryError(String.format("a %s tensor of size %s needs %.1f GiB, more "
                    + "than the Java heap has free (at most %.1f GiB): raise the heap with -Xmx (for ./jconv: "
                    + "JCONV_JAVA_OPTS=-Xmx16g)", dtype, shape, bytes / 1073741824.0,
                    Runtime.getRuntime().maxMemory() / 1073741824.0));
            clear.initCause(e);
            throw clear;
        }
    }

    /** A 0-d tensor holding one number. */
    public static Tensor scalar(double value, DType dtype) {
        return wrap(new double[] {dtype.round(value)}, Shape.scalar(), dtype);
    }

    /** {@code torch.arange(end)}: float32 when given a double, like {@code torch.arange(27.0)}. */
    public static Tensor arange(double end) {
        return Creation.arange(0, end, 1, DType.FLOAT32);
    }

    /** {@code torch.arange(end)} with integers: an int64 tensor 0, 1, …, end-1. */
    public static Tensor arange(int end) {
        return Creation.arange(0, end, 1, DType.INT64);
    }

    /** {@code torch.arange(start, end, step, dtype=…)}. */
    public static Tensor arange(double start, double end, double step, DType dtype) {
        return Creation.arange(start, end, step, dtype);
    }

    /** A float32 vector from values, like {@code torch.tensor([..])}. */
    public static Tensor of(double... values) {
        return Creation.fromNested(values, DType.FLOAT32);
    }

    /** A float32 matrix from rows, like {@code torch.tensor([[..], [..]])}; rows must have equal length. */
    public static Tensor of(double[][] values) {
        return Creation.fromNested(values, DType.FLOAT32);
    }

    /** A float32 3-d tensor from nested arrays. */
    public static Tensor of(double[][][] values) {
        return Creation.fromNested(values, DType.FLOAT32);
    }

    /** A float32 4-d tensor from nested arrays. */
    public static Tensor of(double[][][][] values) {
        return Creation.fromNested(values, DType.FLOAT32);
    }

    /** A float32 vector from floats. */
    public static Tensor of(float... values) {
        return Creation.fromNested(values, DType.FLOAT32);
    }

    /** A float32 matrix from rows of floats. */
    public static Tensor of(float[][] values) {
        return Creation.fromNested(values, DType.FLOAT32);
    }

    /** An int64 vector, like {@code torch.tensor([1, 2])}. */
    public static Tensor of(long... values) {
        return Creation.fromNested(values, DType.INT64);
    }

    /** An int64 vector from ints. */
    public static Tensor of(int... values) {
        return Creation.fromNested(values, DType.INT64);
    }

    /** A bool vector. */
    public static Tensor of(boolean... values) {
        return Creation.fromNested(values, DType.BOOL);
    }

    /** A tensor of any dtype from nested Java arrays ({@code double[][]}, {@code long[]}, …). */
    public static Tensor of(Object nestedArray, DType dtype) {
        return Creation.fromNested(nestedArray, dtype);
    }

    /** A tensor of the given shape from row-major values. */
    public static Tensor fromArray(double[] values, Shape shape, DType dtype) {
        if (values.length != shape.numel()) {
            throw new IllegalArgumentException("shape " + shape.dimsString() + " needs " + shape.numel()
                    + " values, got " + values.length);
        }
        double[] data = new double[values.length];
        for (int i = 0; i < data.length; i++) {
            data[i] = dtype.round(values[i]);
        }
        return wrap(data, shape, dtype);
    }

    /** A float32 tensor of the given shape from row-major values (copied). */
    public static Tensor fromArray(float[] values, Shape shape) {
        checkLength(values.length, shape);
        return wrapArray(values.clone(), shape);
    }

    /** An int64 tensor of the given shape from row-major values (copied; exact over the whole long range). */
    public static Tensor fromArray(long[] values, Shape shape) {
        checkLength(values.length, shape);
        return wrapArray(values.clone(), shape);
    }

    /** A bool tensor of the given shape from row-major values (copied). */
    public static Tensor fromArray(boolean[] values, Shape shape) {
        checkLength(values.length, shape);
        return wrapArray(values.clone(), shape);
    }

    private static void checkLength(int length, Shape shape) {
        if (length != shape.numel()) {
            throw new IllegalArgumentException("shape " + shape.dimsString() + " needs " + shape.numel()
                    + " values, got " + length);
        }
    }

    /** Uniform samples in [0, 1), float32, from the global generator ({@code torch.rand}). */
    public static Tensor rand(int... sizes) {
        return Creation.rand(Shape.of(sizes), DType.FLOAT32, dev.jconv.random.Generator.defaultGenerator());
    }

    /** Uniform samples in [0, 1) from a given generator and dtype. */
    public static Tensor rand(Shape shape, DType dtype, dev.jconv.random.Generator generator) {
        return Creation.rand(shape, dtype, generator);
    }

    /** Standard normal samples, float32, from the global generator ({@code torch.randn}). */
    public static Tensor randn(int... sizes) {
        return Creation.randn(Shape.of(sizes), DType.FLOAT32, dev.jconv.random.Generator.defaultGenerator());
    }

    /** Standard normal samples from a given generator and dtype. */
    public static Tensor randn(Shape shape, DType dtype, dev.jconv.random.Generator generator) {
        return Creation.randn(shape, dtype, generator);
    }

    /** Integers uniform in [low, high), int64 ({@code torch.randint(low, high, size)}). */
    public static Tensor randint(long low, long high, int... sizes) {
        return Creation.randint(low, high, Shape.of(sizes), dev.jconv.random.Generator.defaultGenerator());
    }

    /** A random permutation of 0..n-1, int64 ({@code torch.randperm(n)}). */
    public static Tensor randperm(int n) {
        return randperm(n, dev.jconv.random.Generator.defaultGenerator());
    }

    /** A random permutation of 0..n-1 drawn from {@code generator}. */
    public static Tensor randperm(int n, dev.jconv.random.Generator generator) {
        return Creation.randperm(n, generator);
    }

    /** Joins tensors along an existing dimension ({@code torch.cat}). */
    public static Tensor cat(Tensor[] tensors, int dim) {
        return Joining.cat(tensors, dim);
    }

    /** Joins equally shaped tensors along a new dimension ({@code torch.stack}). */
    public static Tensor stack(Tensor[] tensors, int dim) {
        return Joining.stack(tensors, dim);
    }

    /** Reseeds the global generator, like {@code torch.manual_seed(seed)}. */
    public static void manualSeed(long seed) {
        dev.jconv.random.Generator.manualSeed(seed);
    }

    /** Opens a scope in which nothing is recorded for autograd; close it (try-with-resources) to leave. */
    public static NoGrad noGrad() {
        return GradMode.disable();
    }

    // ---- properties -----------------------------------------------------------------------------------

    /** The sizes, printed as {@code torch.Size([..])}. */
    public Shape shape() {
        return shape;
    }

    /** Size of one dimension (negative counts from the end). */
    public int size(int dim) {
        return shape.get(dim);
    }

    /** Number of dimensions. */
    public int dim() {
        return shape.rank();
    }

    /** Number of elements. */
    public int numel() {
        return shape.numel();
    }

    public DType dtype() {
        return storage.dtype();
    }

    /** Element strides of this view, as {@code tensor.stride()}. */
    public int[] stride() {
        return strides.clone();
    }

    /** Whether the elements lie in row-major order without gaps. */
    public boolean isContiguous() {
        return Layout.isContiguous(shape.toArray(), strides);
    }

    Storage storage() {
        return storage;
    }

    /**
     * The values in row-major order for reading only: the storage array itself when this tensor spans all of
     * it contiguously (no copy), otherwise a gathered copy. Callers must not write to the result.
     */
    double[] values() {
        if (storage.array() instanceof double[] data) {
            return spansStorage() ? data : Layout.gather(data, offset, shape.toArray(), strides);
        }
        return widened(); // only the view's elements are widened
    }

    /** The view's elements as new doubles (bool as 0/1; int64 exact up to 2^53). */
    private double[] widened() {
        return switch (storage.array() instanceof float[] ? floatValues() : gathered()) {
            case float[] f -> Layout.widen(f); // floatValues() copies nothing when this view spans its storage
            case double[] d -> d;
            case long[] l -> {
                double[] d = new double[l.length];
                for (int i = 0; i < d.length; i++) {
                    d[i] = l[i];
                }
                yield d;
            }
            case boolean[] b -> {
                double[] d = new double[b.length];
                for (int i = 0; i < d.length; i++) {
                    d[i] = b[i] ? 1 : 0;
                }
                yield d;
            }
            default -> throw new AssertionError(dtype());
        };
    }

    /** The view's elements row-major in the storage's own array type, always a new array. */
    Object gathered() {
        int[] sizes = shape.toArray();
        return switch (storage.array()) {
            case float[] f -> Layout.gather(f, offset, sizes, strides);
            case double[] d -> Layout.gather(d, offset, sizes, strides);
            case long[] l -> Layout.gather(l, offset, sizes, strides);
            case boolean[] b -> Layout.gather(b, offset, sizes, strides);
            default -> throw new AssertionError(dtype());
        };
    }

    /**
     * The values of an int64 or bool tensor as longs in row-major order (exact), for reading only: the storage
     * array itself when this int64 tensor spans all of it, otherwise a copy.
     *
     * @throws IllegalStateException for floating point tensors
     */
    long[] longValues() {
        if (storage.array() instanceof long[] l && spansStorage()) {
            return l;
        }
        return switch (gathered()) {
            case long[] l -> l;
            case boolean[] b -> {
                long[] l = new long[b.length];
                for (int i = 0; i < l.length; i++) {
                    l[i] = b[i] ? 1 : 0;
                }
                yield l;
            }
            default -> throw new IllegalStateException("long values of a " + dtype() + " tensor");
        };
    }

    /**
     * The values of a float32 tensor as floats in row-major order, for reading only: the storage's float form
     * when this tensor spans all of it contiguously (no copy), otherwise a gathered copy.
     */
    float[] floatValues() {
        if (spansStorage()) {
            return storage.readFloats();
        }
        return Layout.gather(storage.readFloats(), offset, shape.toArray(), strides);
    }

    /** The values in row-major order (a copy). */
    public double[] toArray() {
        return widened();
    }

    /** The values as floats in row-major order. */
    public float[] toFloatArray() {
        if (storage.dtype() == DType.FLOAT32) {
            float[] f = floatValues();
            return f == storage.readFloats() ? f.clone() : f;
        }
        if (!dtype().isFloatingPoint()) {
            long[] l = longValues();
            float[] f = new float[l.length];
            for (int i = 0; i < l.length; i++) {
                f[i] = l[i]; // rounded once, from the exact integer
            }
            return f;
        }
        return Layout.narrow(toArray());
    }

    /** The values as longs in row-major order (exact for int64 and bool; floats truncated toward zero). */
    public long[] toLongArray() {
        if (!dtype().isFloatingPoint()) {
            long[] l = longValues();
            return l == storage.array() ? l.clone() : l;
        }
        double[] d = toArray();
        long[] l = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            l[i] = (long) d[i];
        }
        return l;
    }

    /** The value of a one-element tensor, like {@code tensor.item()}. */
    public double item() {
        if (numel() != 1) {
            throw new IllegalArgumentException("a Tensor with " + numel() + " elements (shape " + shape.dimsString()
                    + ") cannot be converted to a scalar");
        }
        return storage.get(offset);
    }

    /**
     * The value of a one-element int64 or bool tensor as a long, exact over int64's whole range (PyTorch's
     * {@code item()} gives a Python int there).
     *
     * @throws IllegalArgumentException unless the tensor has one element of an integral dtype
     */
    public long longItem() {
        if (numel() != 1 || dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("longItem() needs one int64 or bool element, got a " + dtype()
                    + " tensor of shape " + shape.dimsString() + "; use item() for floating point values");
        }
        return storage.getLong(offset);
    }

    /**
     * The value of a one-element tensor with {@code decimals} digits after the point, exactly as Python's
     * {@code f"{x:.3f}"} prints it (the binary value rounded half-even, unlike {@code String.format}).
     */
    public String toFixed(int decimals) {
        return TensorPrinter.fixed(item(), decimals);
    }

    // ---- autograd -------------------------------------------------------------------------------------

    /** Whether gradients flow to or through this tensor. */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a leaf tensor as needing gradients ({@code requires_grad_()}); returns this. */
    public Tensor requiresGrad(boolean value) {
        if (gradFn != null && !value) {
            throw new IllegalArgumentException("you can only change requires_grad flags of leaf variables; "
                    + "use detach() to get a tensor that does not require grad");
        }
        if (value && !dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("only tensors of floating point dtype can require gradients, got "
                    + dtype());
        }
        requiresGrad = value;
        return this;
    }

    /** The accumulated gradient of a leaf, or null before any backward pass. */
    public Tensor grad() {
        return grad;
    }

    /** Replaces the gradient (null clears it, as {@code x.grad = None}). */
    public void setGrad(Tensor grad) {
        if (grad != null && !grad.shape.equals(shape)) {
            throw new IllegalArgumentException("assigned grad has shape " + grad.shape.dimsString()
                    + " but the tensor has shape " + shape.dimsString());
        }
        this.grad = grad;
    }

    /** The operation that produced this tensor, or null for leaves ({@code grad_fn}). */
    public Node<Tensor> gradFn() {
        return gradFn;
    }

    /** True for tensors not produced by a recorded operation. */
    public boolean isLeaf() {
        return gradFn == null;
    }

    void setGradFn(Node<Tensor> node) {
        gradFn = node;
        requiresGrad = true;
    }

    Node<Tensor> gradEdge() {
        if (gradFn != null) {
            return gradFn;
        }
        if (!requiresGrad) {
            return null;
        }
        if (accumulator == null) {
            accumulator = new AccumulateGrad(this);
        }
        return accumulator;
    }

    /** Computes gradients of this one-element tensor with respect to the leaves ({@code backward()}). */
    public void backward() {
        if (numel() != 1) {
            throw new IllegalArgumentException("grad can be implicitly created only for scalar outputs, but this "
                    + "tensor has shape " + shape.dimsString() + ": pass a gradient of that shape to backward(gradient)");
        }
        backward(onesLike(), false);
    }

    /** Backward pass seeded with {@code gradient} (same shape as this tensor). */
    public void backward(Tensor gradient) {
        backward(gradient, false);
    }

    /** Backward pass; with {@code retainGraph} the graph can be run again. */
    public void backward(Tensor gradient, boolean retainGraph) {
        if (!requiresGrad) {
            throw new IllegalStateException("element 0 of tensors does not require grad and does not have a grad_fn");
        }
        if (!gradient.shape.equals(shape)) {
            throw new IllegalArgumentException("gradient has shape " + gradient.shape.dimsString()
                    + " but the output has shape " + shape.dimsString());
        }
        Engine.backward(gradEdge(), gradient.to(dtype()), Tensor::mergeGradients, retainGraph);
    }

    /** A tensor sharing this one's data but cut from the graph ({@code detach()}). */
    public Tensor detach() {
        return new Tensor(storage, shape, strides, offset);
    }

    /** The same as {@link #detach()}: PyTorch's {@code .data}, for updates the graph must not see. */
    public Tensor data() {
        return detach();
    }

    /** A copy of the values, with no graph history. */
    Tensor cloneData() {
        return wrapArray(gathered(), shape);
    }

    /** A float32 tensor of ones shaped like this one. */
    private Tensor onesLike() {
        return full(shape, 1, dtype());
    }

    // ---- views ----------------------------------------------------------------------------------------

    /** Same data, new shape; one size may be -1 ({@code reshape}); copies only if the view is impossible. */
    public Tensor reshape(int... sizes) {
        return Views.reshape(this, sizes, false);
    }

    /** Like {@link #reshape} but never copies: fails on non-contiguous tensors, as {@code view} does. */
    public Tensor view(int... sizes) {
        return Views.reshape(this, sizes, true);
    }

    /** Reshape to the given shape. */
    public Tensor reshape(Shape shape) {
        return reshape(shape.toArray());
    }

    /** Swaps two dimensions. */
    public Tensor transpose(int dim0, int dim1) {
        return Views.transpose(this, dim0, dim1);
    }

    /** Transpose of a matrix (tensors of rank 0 and 1 come back as they are), like {@code t()}. */
    public Tensor t() {
        if (dim() > 2) {
            throw new IllegalArgumentException("t() expects a tensor with <= 2 dimensions, but got shape "
                    + shape.dimsString());
        }
        return dim() < 2 ? Views.alias(this) : Views.transpose(this, 0, 1, "TBackward0");
    }

    /** Reorders the dimensions. */
    public Tensor permute(int... dims) {
        return Views.permute(this, dims);
    }

    /** Elements {@code start, start+step, …} below {@code stop} along {@code dim}, like {@code x[:, start:stop:step]}. */
    public Tensor slice(int dim, int start, int stop, int step) {
        return Views.slice(this, dim, start, stop, step);
    }

    /** {@code x[:, start:stop]} along {@code dim}. */
    public Tensor slice(int dim, int start, int stop) {
        return Views.slice(this, dim, start, stop, 1);
    }

    /** Removes dimension {@code dim} by taking index {@code index} of it, like {@code x[i]}. */
    public Tensor select(int dim, int index) {
        return Views.select(this, dim, index);
    }

    /** Indexes the leading dimensions, like {@code x[i, j]}. */
    public Tensor get(int... indices) {
        Tensor t = this;
        for (int index : indices) {
            t = t.select(0, index);
        }
        return t;
    }

    /** Inserts a size-1 dimension at {@code dim}. */
    public Tensor unsqueeze(int dim) {
        return Views.unsqueeze(this, dim);
    }

    /** Removes all size-1 dimensions. */
    public Tensor squeeze() {
        return Views.squeeze(this, -1, true);
    }

    /** Removes dimension {@code dim} if it has size 1. */
    public Tensor squeeze(int dim) {
        return Views.squeeze(this, dim, false);
    }

    /** Broadcasts size-1 dimensions to larger sizes without copying (-1 keeps a size). */
    public Tensor expand(int... sizes) {
        return Views.expand(this, sizes);
    }

    /** Flattens dimensions {@code startDim..endDim} into one. */
    public Tensor flatten(int startDim, int endDim) {
        return Views.flatten(this, startDim, endDim);
    }

    /** Flattens everything into one dimension. */
    public Tensor flatten() {
        return flatten(0, -1);
    }

    /** This tensor if its elements are in row-major order, otherwise a row-major copy. */
    public Tensor contiguous() {
        return isContiguous() ? this : Views.copy(this);
    }

    /** A copy with its own storage, recorded for autograd ({@code clone()}). */
    public Tensor cloneTensor() {
        return Views.copy(this);
    }

    /** Conversion to another dtype ({@code to(dtype)}); returns this when it already has it. */
    public Tensor to(DType dtype) {
        return dtype == dtype() ? this : Arithmetic.cast(this, dtype);
    }

    // ---- in-place -------------------------------------------------------------------------------------

    /** Sets every element to {@code value}; writes through views. */
    public Tensor fill_(double value) {
        return InPlace.fill(this, value);
    }

    /** Sets every element to 0. */
    public Tensor zero_() {
        return fill_(0);
    }

    /** Copies {@code src} (broadcast to this shape) into this tensor ({@code x[:] = src}). */
    public Tensor copy_(Tensor src) {
        // Into float32, the source is rounded to float once, as the copy would round it, then copied as floats.
        Tensor floats = dtype() == DType.FLOAT32 ? src.detach().to(DType.FLOAT32) : src;
        if (InPlace.floatUpdate(this, floats)) {
            return InPlace.updateFloats(this, floats, FloatKernels.Update.ASSIGN);
        }
        return InPlace.assign(this, src);
    }

    /**
     * {@code this += other} ({@code Y += X} in a residual block). While gradients are recorded it may run on
     * an op's output that requires grad (not on a leaf that does): the op is added to the graph, provided no
     * other tensor shares this one's storage (a view or a detached copy), whose graph would not see the change.
     */
    public Tensor add_(Tensor other) {
        if (Op.needed(this, other)) {
            return InPlace.addRecorded(this, other);
        }
        if (InPlace.floatUpdate(this, other)) {
            return InPlace.updateFloats(this, other, FloatKernels.Update.ADD);
        }
        if (!dtype().isFloatingPoint()) {
            return InPlace.updateIntegral(this, other, Tensor::add, true);
        }
        return InPlace.update(this, other, Double::sum);
    }

    /** {@code this -= other}. */
    public Tensor sub_(Tensor other) {
        if (InPlace.floatUpdate(this, other)) {
            return InPlace.updateFloats(this, other, FloatKernels.Update.SUB);
        }
        if (!dtype().isFloatingPoint()) {
            return InPlace.updateIntegral(this, other, Tensor::sub, true);
        }
        return InPlace.update(this, other, (a, b) -> a - b);
    }

    /** {@code this *= other}. */
    public Tensor mul_(Tensor other) {
        if (InPlace.floatUpdate(this, other)) {
            return InPlace.updateFloats(this, other, FloatKernels.Update.MUL);
        }
        if (!dtype().isFloatingPoint()) {
            return InPlace.updateIntegral(this, other, Tensor::mul, true);
        }
        return InPlace.update(this, other, (a, b) -> a * b);
    }

    /**
     * {@code this += alpha · other}, PyTorch's {@code add_(other, alpha=alpha)}: alpha is rounded to this
     * tensor's dtype and the product and sum are rounded once (PyTorch's CPU kernel uses a fused
     * multiply-add), so float32 results have the same bits as PyTorch's.
     */
    public Tensor add_(Tensor other, double alpha) {
        DType type = Arithmetic.resultType(this, other); // computed in the common dtype, then stored in ours
        double scale = Arithmetic.checkedAlpha(type, alpha);
        if (type == DType.FLOAT32 && InPlace.floatsInPlace(this, other)) {
            return InPlace.addFloats(this, other, (float) scale);
        }
        if (!dtype().isFloatingPoint()) {
            return InPlace.updateIntegral(this, other, (a, b) -> a.add(b, alpha), true);
        }
        return InPlace.update(this, other, (a, b) -> Arithmetic.fma(type, scale, b, a));
    }

    /**
     * {@code this += value · tensor1 · tensor2}, PyTorch's {@code addcmul_}. As in PyTorch's CPU kernel,
     * {@code value · tensor1} is rounded to the dtype, then multiplied by tensor2 and added with one rounding.
     */
    public Tensor addcmul_(Tensor tensor1, Tensor tensor2, double value) {
        Tensor scaled = tensor1.detach().mul(value);
        DType type = DType.promote(Arithmetic.resultType(this, scaled), Arithmetic.resultType(this, tensor2));
        if (InPlace.floatUpdate(this, scaled) && InPlace.floatUpdate(this, tensor2)) {
            return InPlace.fmaFloats(this, scaled, tensor2.detach());
        }
        return InPlace.update(this, scaled, tensor2.detach(), (t, a, b) -> Arithmetic.fma(type, a, b, t));
    }

    /**
     * {@code this += value · tensor1 / tensor2}, PyTorch's {@code addcdiv_}: {@code value · tensor1}, the
     * quotient and the sum are each rounded to the dtype, in that order, as PyTorch's CPU kernel does.
     */
    public Tensor addcdiv_(Tensor tensor1, Tensor tensor2, double value) {
        return add_(tensor1.detach().mul(value).div(tensor2.detach()));
    }

    /** {@code this -= value}. */
    public Tensor sub_(double value) {
        return sub_(scalar(value, dtype()));
    }

    /** {@code this += value}. */
    public Tensor add_(double value) {
        return add_(scalar(value, dtype()));
    }

    /** {@code this *= value}. */
    public Tensor mul_(double value) {
        return mul_(scalar(value, dtype()));
    }

    // ---- arithmetic -----------------------------------------------------------------------------------

    /** Elementwise sum with broadcasting. */
    public Tensor add(Tensor other) {
        return Arithmetic.add(this, other);
    }

    /**
     * {@code this + alpha · other} with broadcasting, like {@code torch.add(x, other, alpha=alpha)}; rounded
     * once, as PyTorch's fused CPU kernel (see {@link #add_(Tensor, double)}).
     */
    public Tensor add(Tensor other, double alpha) {
        return Arithmetic.addScaled(this, other, alpha);
    }

    /** Elementwise difference with broadcasting. */
    public Tensor sub(Tensor other) {
        return Arithmetic.sub(this, other);
    }

    /** Elementwise product with broadcasting. */
    public Tensor mul(Tensor other) {
        return Arithmetic.mul(this, other);
    }

    /** Elementwise true division with broadcasting (integers give float32). */
    public Tensor div(Tensor other) {
        return Arithmetic.div(this, other);
    }

    /** Elementwise power with broadcasting. */
    public Tensor pow(Tensor exponent) {
        return Arithmetic.pow(this, exponent);
    }

    public Tensor add(double value) {
        return add(Arithmetic.scalarFor(this, value));
    }

    public Tensor sub(double value) {
        return sub(Arithmetic.scalarFor(this, value));
    }

    public Tensor mul(double value) {
        return mul(Arithmetic.scalarFor(this, value));
    }

    public Tensor div(double value) {
        return div(Arithmetic.scalarFor(this, value));
    }

    /** {@code x ** exponent}. */
    public Tensor pow(double exponent) {
        return pow(Arithmetic.scalarFor(this, exponent));
    }

    /** {@code value - x}, PyTorch's {@code rsub}. */
    public Tensor rsub(double value) {
        return Arithmetic.scalarFor(this, value).sub(this);
    }

    public Tensor neg() {
        return Arithmetic.neg(this);
    }

    public Tensor exp() {
        return Arithmetic.exp(this);
    }

    public Tensor log() {
        return Arithmetic.log(this);
    }

    public Tensor sqrt() {
        return Arithmetic.sqrt(this);
    }

    public Tensor abs() {
        return Arithmetic.abs(this);
    }

    public Tensor relu() {
        return Arithmetic.relu(this);
    }

    /**
     * ReLU in place ({@code relu_()}, what {@code nn.ReLU(inplace=True)} runs). Recorded by autograd like
     * {@link #add_(Tensor)}; no new array is allocated.
     */
    public Tensor relu_() {
        return InPlace.relu(this);
    }

    public Tensor sigmoid() {
        return Arithmetic.sigmoid(this);
    }

    public Tensor tanh() {
        return Arithmetic.tanh(this);
    }

    // ---- comparisons (bool results, not differentiable) ----------------------------------------------

    public Tensor eq(Tensor other) {
        return Arithmetic.compare(this, other, "eq");
    }

    public Tensor ne(Tensor other) {
        return Arithmetic.compare(this, other, "ne");
    }

    public Tensor lt(Tensor other) {
        return Arithmetic.compare(this, other, "lt");
    }

    public Tensor le(Tensor other) {
        return Arithmetic.compare(this, other, "le");
    }

    public Tensor gt(Tensor other) {
        return Arithmetic.compare(this, other, "gt");
    }

    public Tensor ge(Tensor other) {
        return Arithmetic.compare(this, other, "ge");
    }

    public Tensor eq(double value) {
        return eq(Arithmetic.scalarFor(this, value));
    }

    /** Elementwise {@code x != value} (a bool tensor). */
    public Tensor ne(double value) {
        return ne(Arithmetic.scalarFor(this, value));
    }

    public Tensor lt(double value) {
        return lt(Arithmetic.scalarFor(this, value));
    }

    public Tensor gt(double value) {
        return gt(Arithmetic.scalarFor(this, value));
    }

    /** True when shapes match and every element is within {@code atol + rtol·|other|}. */
    public boolean allclose(Tensor other, double rtol, double atol) {
        if (!shape.equals(other.shape)) {
            return false;
        }
        double[] a = toArray();
        double[] b = other.toArray();
        for (int i = 0; i < a.length; i++) {
            if (!(Math.abs(a[i] - b[i]) <= atol + rtol * Math.abs(b[i])) && !(a[i] == b[i])) {
                return false;
            }
        }
        return true;
    }

    // ---- reductions -----------------------------------------------------------------------------------

    /** Sum of all elements (a 0-d tensor). */
    public Tensor sum() {
        return Reductions.sum(this, null, false);
    }

    /** Sum over the given dimensions. */
    public Tensor sum(int[] dims, boolean keepDim) {
        return Reductions.sum(this, dims, keepDim);
    }

    /** Sum over one dimension. */
    public Tensor sum(int dim, boolean keepDim) {
        return Reductions.sum(this, new int[] {dim}, keepDim);
    }

    /** Mean of all elements. */
    public Tensor mean() {
        return Reductions.mean(this, null, false);
    }

    /** Mean over the given dimensions. */
    public Tensor mean(int[] dims, boolean keepDim) {
        return Reductions.mean(this, dims, keepDim);
    }

    /** Mean over one dimension. */
    public Tensor mean(int dim, boolean keepDim) {
        return Reductions.mean(this, new int[] {dim}, keepDim);
    }

    /** Largest element (a 0-d tensor). */
    public Tensor max() {
        return Reductions.extreme(this, true);
    }

    /** Smallest element. */
    public Tensor min() {
        return Reductions.extreme(this, false);
    }

    /** Largest values along {@code dim} ({@code x.max(dim).values}). */
    public Tensor max(int dim, boolean keepDim) {
        return Reductions.extremeAlong(this, dim, keepDim, true);
    }

    /** Smallest values along {@code dim}. */
    public Tensor min(int dim, boolean keepDim) {
        return Reductions.extremeAlong(this, dim, keepDim, false);
    }

    /** Index of the largest element of the flattened tensor (int64). */
    public Tensor argmax() {
        return Reductions.argExtreme(flatten().contiguous(), 0, false, true);
    }

    /** Indices of the largest values along {@code dim} (int64). */
    public Tensor argmax(int dim, boolean keepDim) {
        return Reductions.argExtreme(this, dim, keepDim, true);
    }

    /** Indices of the smallest values along {@code dim} (int64). */
    public Tensor argmin(int dim, boolean keepDim) {
        return Reductions.argExtreme(this, dim, keepDim, false);
    }

    /**
     * {@code value} where the bool {@code mask} (broadcast to this shape) is true, this tensor's values
     * elsewhere, like {@code x.masked_fill(mask, value)}; no gradient flows to filled positions.
     */
    public Tensor maskedFill(Tensor mask, double value) {
        return MaskedFill.maskedFill(this, mask, value);
    }

    /**
     * {@code log(softmax(x))} along {@code dim}, like {@code x.log_softmax(dim)}; computed as
     * {@code x - max - log(sum(exp(x - max)))}, so it stays finite for large logits.
     */
    public Tensor logSoftmax(int dim) {
        return Softmax.logSoftmax(this, dim);
    }

    /** {@code exp(x) / sum(exp(x))} along {@code dim}, like {@code x.softmax(dim)}; the max is subtracted first. */
    public Tensor softmax(int dim) {
        return Softmax.softmax(this, dim);
    }

    /** Matrix product with PyTorch's {@code matmul} rules (vectors, matrices, batched). */
    public Tensor matmul(Tensor other) {
        return LinearAlgebra.matmul(this, other);
    }

    // ---- printing -------------------------------------------------------------------------------------

    /** PyTorch's {@code repr}: {@code tensor([[19., 25.], …])} with its suffixes. */
    @Override
    public String toString() {
        boolean integral = dtype() == DType.INT64;
        return TensorPrinter.repr(shape.toArray(), dtype(), integral ? null : toArray(),
                integral ? toLongArray() : null, requiresGrad, gradFn == null ? null : gradFn.name());
    }
}
