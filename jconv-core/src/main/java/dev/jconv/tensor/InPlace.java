package dev.jconv.tensor;

import dev.jconv.autograd.GradMode;
import dev.jconv.kernels.FloatKernels;
import dev.jconv.kernels.Layout;
import dev.jconv.kernels.Pointwise;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import java.util.function.BinaryOperator;
import java.util.function.DoubleBinaryOperator;

/**
 * Writes into an existing tensor (and every view sharing its storage). Each write bumps the storage's
 * version, so a backward pass that needs the old values fails loudly instead of computing garbage.
 */
final class InPlace {
    private InPlace() {
    }

    /** {@code target[...] = src}, with src broadcast to target's shape and converted to its dtype. */
    static Tensor assign(Tensor target, Tensor src) {
        if (!target.dtype().isFloatingPoint()) {
            return updateIntegral(target, src, (a, b) -> b, false);
        }
        return update(target, src, (a, b) -> b, false);
    }

    /**
     * Whether {@code target op= src} can run on float arrays: a float32 target spanning its whole storage (a
     * parameter, a gradient, an optimizer's state, a fresh result) and a float32 operand, whose result type is
     * then float32 as well.
     */
    static boolean floatUpdate(Tensor target, Tensor src) {
        return target.dtype() == DType.FLOAT32 && src.dtype() == DType.FLOAT32 && target.spansStorage();
    }

    /** {@code target[...] = target op src} on the float arrays, src broadcast to target's shape ({@link #floatUpdate}). */
    static Tensor updateFloats(Tensor target, Tensor src, FloatKernels.Update op) {
        checkWritable(target);
        checkOperand(target, src, true);
        FloatKernels.update(op, target.storage.writeFloats(), floatOperand(target, src));
        target.storage.bumpVersion();
        return target;
    }

    /** {@code target += a·b} on the float arrays, rounded once (fma); a and b float32, target as in {@link #floatUpdate}. */
    static Tensor fmaFloats(Tensor target, Tensor a, Tensor b) {
        checkWritable(target);
        checkOperand(target, a, true);
        checkOperand(target, b, true);
        FloatKernels.fmaInPlace(target.storage.writeFloats(), floatOperand(target, a), floatOperand(target, b));
        target.storage.bumpVersion();
        return target;
    }

    /** src's floats in target's shape, row-major, for reading: one value for a single element. */
    private static float[] floatOperand(Tensor target, Tensor src) {
        Tensor t = src.numel() == 1 || src.shape().equals(target.shape()) ? src : src.detach().expand(target.shape().toArray());
        return t.floatValues();
    }

    /** Every element of target's view set to value (rounded to its dtype), written in the storage's own type. */
    static Tensor fill(Tensor target, double value) {
        if (!target.dtype().isFloatingPoint()) {
            return assign(target, Tensor.scalar(value, target.dtype()));
        }
        checkWritable(target);
        checkNoInternalOverlap(target);
        int[] sizes = target.shape().toArray();
        if (target.dtype() == DType.FLOAT32) {
            float[] x = target.storage.writeFloats();
            if (target.spansStorage()) {
                java.util.Arrays.fill(x, (float) value);
            } else {
                Layout.scatter(new float[] {(float) value}, x, target.offset, sizes, target.strides);
            }
        } else {
            Layout.scatter(new double[] {value}, target.storage.write(), target.offset, sizes, target.strides);
        }
        target.storage.bumpVersion();
        return target;
    }

    /**
     * {@code target[...] = op(target, src)} for an int64 or bool target, by the out-of-place op (exact over
     * int64's whole range, where doubles would round above 2^53) converted to the target's dtype.
     */
    static Tensor updateIntegral(Tensor target, Tensor src, BinaryOperator<Tensor> op, boolean checkCast) {
        checkWritable(target);
        checkNoInternalOverlap(target);
        checkOperand(target, src, checkCast);
        Tensor result;
        try (var ignored = GradMode.disable()) {
            result = op.apply(target.detach(), src.detach()).to(target.dtype()).expand(target.shape().toArray());
        }
        int[] sizes = target.shape().toArray();
        switch (result.gathered()) {
            case long[] l -> Layout.scatter(l, target.storage.writeLongs(), target.offset, sizes, target.strides);
            case boolean[] b -> Layout.scatter(b, target.storage.writeBools(), target.offset, sizes, target.strides);
            default -> throw new AssertionError(target.dtype());
        }
        target.storage.bumpVersion();
        return target;
    }

    /** {@code target[...] = f(target, src)} elementwise; a float operand cannot update an integer target. */
    static Tensor update(Tensor target, Tensor src, DoubleBinaryOperator f) {
        return update(target, src, f, true);
    }

    private static Tensor update(Tensor target, Tensor src, DoubleBinaryOperator f, boolean checkCast) {
        checkWritable(target);
        checkNoInternalOverlap(target);
        checkOperand(target, src, checkCast);
        int[] sizes = target.shape().toArray();
        double[] current = target.toArray();
        Pointwise.zipInPlace(current, 0, expanded(src, sizes), f, target.dtype());
        store(target, current);
        target.storage.bumpVersion();
        return target;
    }

    /**
     * Whether {@code target += other} can run on float arrays: both float32, of one shape, the target spanning
     * its whole storage contiguously (a parameter, a gradient, a fresh result).
     */
    static boolean floatsInPlace(Tensor target, Tensor other) {
        return target.dtype() == DType.FLOAT32 && other.dtype() == DType.FLOAT32 && target.shape().equals(other.shape())
                && target.spansStorage();
    }

    /** {@code target += alpha·other} on the float arrays, each element rounded once (fma); see {@link #floatsInPlace}. */
    static Tensor addFloats(Tensor target, Tensor other, float alpha) {
        checkWritable(target);
        float[] y = other.floatValues();
        float[] x = target.storage.writeFloats();
        if (alpha == 1f) {
            FloatKernels.addInPlace(x, y);
        } else {
            FloatKernels.addScaledInPlace(x, alpha, y);
        }
        target.storage.bumpVersion();
        return target;
    }

    /**
     * {@code target += other} recorded by autograd (see {@link Tensor#add_(Tensor)}): the target's gradient
     * passes to its old self and, summed over broadcast dimensions, to other.
     */
    static Tensor addRecorded(Tensor target, Tensor other) {
        checkRecordable(target, "add_");
        boolean requiredGrad = target.requiresGrad();
        Op node = new Op(requiredGrad ? target : null, other) {
            @Override
            public String name() {
                return "AddBackward0";
            }

            @Override
            Tensor[] gradients(Tensor g) {
                return new Tensor[] {needsGrad(0) ? g : null,
                        needsGrad(1) ? Reductions.sumTo(g, inputShape(1)).to(other.dtype()) : null};
            }
        };
        try (var ignored = GradMode.disable()) {
            target.add_(other);
        }
        target.setGradFn(node);
        return target;
    }

    /** ReLU in place, recorded by autograd when target requires grad; its backward reads the values written. */
    static Tensor relu(Tensor target) {
        boolean recorded = Op.needed(target);
        if (recorded) {
            checkRecordable(target, "relu_");
        } else {
            checkWritable(target);
        }
        if (floatsInPlace(target, target)) {
            float[] x = target.storage.writeFloats();
            FloatKernels.relu(x, x);
        } else {
            double[] current = target.toArray();
            store(target, Pointwise.relu(current));
        }
        target.storage.bumpVersion();
        if (recorded) {
            Tensor y = target.detach();
            Op node = new Op(target) {
                private final int slot = save(y);

                @Override
                public String name() {
                    return "ReluBackward0";
                }

                @Override
                Tensor[] gradients(Tensor g) {
                    return new Tensor[] {Arithmetic.reluGradient(g, saved(slot))};
                }
            };
            target.setGradFn(node);
        }
        return target;
    }

    /** The checks of an in-place op autograd records: not on a leaf that requires grad, nor on shared storage. */
    private static void checkRecordable(Tensor target, String op) {
        checkNotLeafRequiringGrad(target);
        if (target.storage.shared() || !target.spansStorage()) {
            throw new IllegalStateException(op + " on a tensor of shape " + target.shape().dimsString()
                    + " whose storage another tensor shares (a view, a detached copy or a value saved for the backward "
                    + "pass) while gradients are recorded; use the out-of-place operation");
        }
    }

    /** A function of three doubles (the target's element and one element of each operand). */
    @FunctionalInterface
    interface TernaryOperator {
        double apply(double target, double a, double b);
    }

    /** {@code target[...] = f(target, a, b)} elementwise, a and b broadcast to target's shape. */
    static Tensor update(Tensor target, Tensor a, Tensor b, TernaryOperator f) {
        checkWritable(target);
        checkNoInternalOverlap(target);
        checkOperand(target, a, true);
        checkOperand(target, b, true);
        int[] sizes = target.shape().toArray();
        double[] current = target.toArray();
        double[] av = expanded(a, sizes);
        double[] bv = expanded(b, sizes);
        for (int i = 0; i < current.length; i++) {
            current[i] = target.dtype().round(f.apply(current[i], av[i], bv[i]));
        }
        store(target, current);
        target.storage.bumpVersion();
        return target;
    }

    /** Writes row-major values (rounded to the target's dtype) into the target's view of its storage. */
    private static void store(Tensor target, double[] values) {
        if (!target.dtype().isFloatingPoint()) {
            Tensor typed = Tensor.wrap(values, target.shape(), target.dtype());
            updateIntegral(target, typed, (a, b) -> b, false);
            return;
        }
        int[] sizes = target.shape().toArray();
        if (target.dtype() == DType.FLOAT32) {
            Layout.scatter(Layout.narrow(values), target.storage.writeFloats(), target.offset, sizes, target.strides);
        } else {
            Layout.scatter(values, target.storage.write(), target.offset, sizes, target.strides);
        }
    }

    /** Fails unless {@code src} broadcasts to target's shape and (when checked) its dtype fits target's. */
    private static void checkOperand(Tensor target, Tensor src, boolean checkCast) {
        Shape shape = target.shape();
        Shape broadcast = Shape.broadcast(shape, src.shape());
        if (!broadcast.equals(shape)) {
            throw new IllegalArgumentException("output with shape " + shape.dimsString()
                    + " doesn't match the broadcast shape " + broadcast.dimsString() + " (other operand has shape "
                    + src.shape().dimsString() + ")");
        }
        if (checkCast && !target.dtype().isFloatingPoint() && src.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("result type " + src.dtype() + " can't be cast to the desired output type "
                    + target.dtype());
        }
    }

    /** src's values broadcast to {@code sizes}, row-major. */
    private static double[] expanded(Tensor src, int[] sizes) {
        return src.detach().expand(sizes).values();
    }

    /** An expanded view repeats elements (stride 0): writing it would keep only the last of several results. */
    private static void checkNoInternalOverlap(Tensor target) {
        for (int i = 0; i < target.dim(); i++) {
            if (target.strides[i] == 0 && target.size(i) > 1) {
                throw new IllegalArgumentException("unsupported operation: more than one element of the written-to "
                        + "tensor refers to a single memory location (shape " + target.shape().dimsString()
                        + ", stride " + java.util.Arrays.toString(target.strides)
                        + "). Please clone() the tensor before performing the operation.");
            }
        }
    }

    private static void checkWritable(Tensor target) {
        if (GradMode.isEnabled()) {
            checkNotLeafRequiringGrad(target);
        }
        if (GradMode.isEnabled() && target.requiresGrad()) {
            throw new IllegalStateException("in-place operations on tensors that are part of the autograd graph are "
                    + "not supported (tensor of shape " + target.shape().dimsString() + " made by "
                    + target.gradFn().name() + "); use the out-of-place operation");
        }
    }

    /** PyTorch's refusal of in-place writes to a leaf that requires grad while gradients are recorded. */
    private static void checkNotLeafRequiringGrad(Tensor target) {
        if (target.requiresGrad() && target.isLeaf()) {
            throw new IllegalStateException("a leaf Variable that requires grad (shape " + target.shape().dimsString()
                    + ") is being used in an in-place operation; update its data() or use a noGrad() scope");
        }
    }
}
