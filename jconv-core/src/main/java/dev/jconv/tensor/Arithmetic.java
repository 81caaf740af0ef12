package dev.jconv.tensor;

import dev.jconv.kernels.FloatKernels;
import dev.jconv.kernels.FloatPointwise;
import dev.jconv.kernels.LongKernels;
import dev.jconv.kernels.Pointwise;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/** Elementwise operations with broadcasting and type promotion, each beside its backward rule. */
final class Arithmetic {
    private Arithmetic() {
    }

    /** A 0-d tensor for a Java number used with {@code t}: t's dtype if floating, else int64 or float32. */
    static Tensor scalarFor(Tensor t, double value) {
        if (t.dtype().isFloatingPoint()) {
            return Tensor.scalar(value, t.dtype());
        }
        boolean integral = value == Math.rint(value) && !Double.isInfinite(value);
        return Tensor.scalar(value, integral ? DType.INT64 : DType.FLOAT32);
    }

    /** Result dtype of a binary op: a 0-d operand does not raise a tensor's dtype within its category. */
    static DType resultType(Tensor a, Tensor b) {
        if (a.dim() == 0 && b.dim() > 0 && a.dtype().isFloatingPoint() == b.dtype().isFloatingPoint()) {
            return b.dtype() == DType.BOOL ? a.dtype() : b.dtype();
        }
        if (b.dim() == 0 && a.dim() > 0 && a.dtype().isFloatingPoint() == b.dtype().isFloatingPoint()) {
            return a.dtype() == DType.BOOL ? b.dtype() : a.dtype();
        }
        return DType.promote(a.dtype(), b.dtype());
    }

    /** The operand's values laid out row-major in the broadcast shape (read-only; may be the storage itself). */
    private static double[] broadcastValues(Tensor t, Shape to) {
        return (t.shape().equals(to) ? t : t.detach().expand(to.toArray())).values();
    }

    /** The operand's values for {@link Pointwise#binary}: a single value stays a scalar, else broadcast. */
    private static double[] operand(Tensor t, Shape to) {
        return t.numel() == 1 ? t.values() : broadcastValues(t, to);
    }

    private static Tensor binary(Pointwise.Binary op, Tensor a, Tensor b, DType out) {
        Shape shape = Shape.broadcast(a.shape(), b.shape());
        if (out == DType.FLOAT32 && a.dtype() == DType.FLOAT32 && b.dtype() == DType.FLOAT32) {
            return Tensor.wrap(FloatPointwise.binary(op, floatOperand(a, shape), floatOperand(b, shape),
                    shape.numel()), shape);
        }
        if (out == DType.INT64 && op != Pointwise.Binary.DIV) {
            return Tensor.wrap(LongKernels.binary(op, longOperand(a, shape), longOperand(b, shape), shape.numel()),
                    shape);
        }
        return Tensor.wrap(Pointwise.binary(op, operand(a, shape), operand(b, shape), shape.numel(), out), shape, out);
    }

    /** {@link #operand} as floats. */
    private static float[] floatOperand(Tensor t, Shape to) {
        return (t.numel() == 1 || t.shape().equals(to) ? t : t.detach().expand(to.toArray())).floatValues();
    }

    /** {@link #operand} as exact longs, for an int64 or bool operand. */
    private static long[] longOperand(Tensor t, Shape to) {
        return (t.numel() == 1 || t.shape().equals(to) ? t : t.detach().expand(to.toArray())).longValues();
    }

    /** Both int64 or bool: their ops then run on longs, exact beyond the 2^53 that doubles hold. */
    private static boolean integral(Tensor a, Tensor b) {
        return !a.dtype().isFloatingPoint() && !b.dtype().isFloatingPoint();
    }

    private static Tensor zip(Tensor a, Tensor b, DoubleBinaryOperator f, DType out) {
        Shape shape = Shape.broadcast(a.shape(), b.shape());
        double[] r = Pointwise.zip(broadcastValues(a, shape), broadcastValues(b, shape), f, out);
        return Tensor.wrap(r, shape, out);
    }

    /** Both float32 and of one shape: the elementwise ops then run on the float arrays themselves. */
    private static boolean sameShapeFloats(Tensor a, Tensor b) {
        return a.dtype() == DType.FLOAT32 && b.dtype() == DType.FLOAT32 && a.shape().equals(b.shape());
    }

    static Tensor add(Tensor a, Tensor b) {
        Tensor out = sameShapeFloats(a, b) ? Tensor.wrap(FloatKernels.add(a.floatValues(), b.floatValues()), a.shape())
                : binary(Pointwise.Binary.ADD, a, b, resultType(a, b));
        return record("AddBackward0", a, b, out, false, g -> Reductions.sumTo(g, a.shape()), g -> Reductions.sumTo(g, b.shape()));
    }

    /**
     * {@code a + alpha·b} rounded once, as PyTorch's CPU kernel computes {@code add(a, b, alpha=…)} with a
     * fused multiply-add; alpha is first rounded to the result dtype, as PyTorch converts it.
     */
    static Tensor addScaled(Tensor a, Tensor b, double alpha) {
        DType type = resultType(a, b);
        double scale = checkedAlpha(type, alpha);
        Tensor out = type == DType.INT64
                ? binary(Pointwise.Binary.ADD, a, binary(Pointwise.Binary.MUL, b, Tensor.scalar(scale, type), type), type)
                : zip(a, b, (x, y) -> fma(type, scale, y, x), type);
        return record("AddBackward0", a, b, out, false, g -> Reductions.sumTo(g, a.shape()),
                g -> Reductions.sumTo(g.mul(alpha), b.shape()));
    }

    /**
     * {@code a·b + c} rounded once in {@code type} (float32's own fma for float32: rounding a double fma to
     * float could round twice). Integers are exact in double up to 2^53.
     */
    static double fma(DType type, double a, double b, double c) {
        return type == DType.FLOAT32 ? Math.fma((float) a, (float) b, (float) c) : Math.fma(a, b, c);
    }

    /** alpha converted to {@code type}; integer tensors take only integral alphas, as in PyTorch. */
    static double checkedAlpha(DType type, double alpha) {
        if (!type.isFloatingPoint() && alpha != Math.rint(alpha)) {
            throw new IllegalArgumentException("For integral input tensors, argument alpha must not be a floating "
                    + "point number (got alpha=" + alpha + " for dtype " + type + ")");
        }
        return type.round(alpha);
    }

    static Tensor sub(Tensor a, Tensor b) {
        Tensor out = binary(Pointwise.Binary.SUB, a, b, resultType(a, b));
        return record("SubBackward0", a, b, out, false, g -> Reductions.sumTo(g, a.shape()),
                g -> Reductions.sumTo(g.neg(), b.shape()));
    }

    static Tensor mul(Tensor a, Tensor b) {
        Tensor out = binary(Pointwise.Binary.MUL, a, b, resultType(a, b));
        Tensor sa = a.detach();
        Tensor sb = b.detach();
        return record("MulBackward0", a, b, out, true, g -> Reductions.sumTo(g.mul(sb), a.shape()),
                g -> Reductions.sumTo(g.mul(sa), b.shape()));
    }

    static Tensor div(Tensor a, Tensor b) {
        DType type = resultType(a, b);
        Tensor out = binary(Pointwise.Binary.DIV, a, b, type.isFloatingPoint() ? type : DType.FLOAT32);
        Tensor sa = a.detach();
        Tensor sb = b.detach();
        return record("DivBackward0", a, b, out, true, g -> Reductions.sumTo(g.div(sb), a.shape()),
                g -> Reductions.sumTo(g.neg().mul(sa).div(sb.mul(sb)), b.shape()));
    }

    static Tensor pow(Tensor a, Tensor b) {
        Tensor out = zip(a, b, Arithmetic::power, resultType(a, b));
        Tensor sa = a.detach();
        Tensor sb = b.detach();
        String name = b.dim() == 0 && !b.requiresGrad() ? "PowBackward0" : "PowBackward1";
        return record(name, a, b, out, true, out.detach(),
                g -> Reductions.sumTo(g.mul(sb).mul(powValues(sa, sb, -1)), a.shape()),
                g -> Reductions.sumTo(g.mul(out.detach()).mul(logWhereNonzero(sa)), b.shape()));
    }

    /** Like Math.pow, except that integer powers of negative bases keep their sign exactly (PyTorch's too). */
    private static double power(double x, double y) {
        return y == 2 ? x * x : Math.pow(x, y);
    }

    /** x ** (y + shift), computed without recording. */
    private static Tensor powValues(Tensor x, Tensor y, double shift) {
        return zip(x, y, (p, q) -> power(p, q + shift), DType.promote(x.dtype(), y.dtype()));
    }

    /** log(x) where x != 0 and 0 elsewhere: the exponent gradient is taken as 0 at a zero base, as PyTorch. */
    private static Tensor logWhereNonzero(Tensor x) {
        return map(x, v -> v == 0 ? 0 : Math.log(v), x.dtype());
    }

    static Tensor neg(Tensor a) {
        if (a.dtype() == DType.INT64) {
            return Tensor.wrap(LongKernels.negateOrAbs(a.longValues(), false), a.shape());
        }
        return unary("NegBackward0", a, v -> -v, a.dtype(), false, (g, x, y) -> g.neg());
    }

    static Tensor exp(Tensor a) {
        return unary("ExpBackward0", a, vmap(a, Pointwise.Unary.EXP), true, (g, x, y) -> g.mul(y));
    }

    static Tensor log(Tensor a) {
        return unary("LogBackward0", a, Math::log, floatType(a), false, (g, x, y) -> g.div(x));
    }

    static Tensor sqrt(Tensor a) {
        if (a.dtype() == DType.FLOAT32) {
            return unary("SqrtBackward0", a, Tensor.wrap(FloatKernels.sqrt(a.floatValues()), a.shape()), true,
                    (g, x, y) -> g.div(y.mul(2)));
        }
        return unary("SqrtBackward0", a, Math::sqrt, floatType(a), true, (g, x, y) -> g.div(y.mul(2)));
    }

    static Tensor abs(Tensor a) {
        if (a.dtype() == DType.INT64) {
            return Tensor.wrap(LongKernels.negateOrAbs(a.longValues(), true), a.shape());
        }
        return unary("AbsBackward0", a, Math::abs, a.dtype(), false,
                (g, x, y) -> g.mul(map(x, Math::signum, x.dtype())));
    }

    static Tensor relu(Tensor a) {
        if (a.dtype() == DType.FLOAT32) {
            // Only the output is saved: the gradient passes where it is positive.
            Tensor out = Tensor.wrap(FloatKernels.relu(a.floatValues(), null), a.shape());
            Tensor y = out.detach();
            return Op.recordUnary("ReluBackward0", a, out, y, g -> reluGradient(g, y));
        }
        return unary("ReluBackward0", a, Tensor.wrap(Pointwise.relu(a.values()), a.shape(), a.dtype()), true,
                (g, x, y) -> reluGradient(g, y));
    }

    /**
     * ReLU's backward from its output y: g where y is positive, else 0; float32 written over g when nothing else
     * holds it.
     */
    static Tensor reluGradient(Tensor g, Tensor y) {
        if (y.dtype() == DType.FLOAT32) {
            Tensor gf = g.to(DType.FLOAT32);
            float[] own = gf.takeFloats();
            float[] grad = own != null ? own : gf.floatValues();
            return Tensor.reused(FloatKernels.reluBackward(grad, y.floatValues(), own), y.shape(), gf);
        }
        return g.mul(Tensor.wrap(Pointwise.positive(y.values()), y.shape(), y.dtype()));
    }

    static Tensor sigmoid(Tensor a) {
        if (a.dtype() == DType.FLOAT32) {
            Tensor out = Tensor.wrap(FloatPointwise.sigmoid(a.floatValues()), a.shape());
            Tensor y = out.detach();
            return Op.recordUnary("SigmoidBackward0", a, out, y, g -> g.dtype() == DType.FLOAT32
                    ? Tensor.wrap(FloatPointwise.sigmoidBackward(g.floatValues(), y.floatValues()), y.shape())
                    : g.mul(y.mul(y.rsub(1))));
        }
        return unary("SigmoidBackward0", a, vmap(a, Pointwise.Unary.SIGMOID), true,
                (g, x, y) -> g.mul(y.mul(y.rsub(1))));
    }

    static Tensor tanh(Tensor a) {
        return unary("TanhBackward0", a, vmap(a, Pointwise.Unary.TANH), true, (g, x, y) -> g.mul(y.mul(y).rsub(1)));
    }

    static Tensor cast(Tensor a, DType dtype) {
        Tensor out = a.dtype().isFloatingPoint() ? map(a, v -> v, dtype) : switch (dtype) {
            case FLOAT32 -> Tensor.wrap(a.toFloatArray(), a.shape()); // each long rounded once to float
            case FLOAT64 -> map(a, v -> v, dtype); // a long widened to double is rounded once too
            case INT64 -> Tensor.wrap(a.toLongArray(), a.shape());
            case BOOL -> Tensor.wrapArray(LongKernels.nonzero(a.longValues()), a.shape());
        };
        if (dtype.isFloatingPoint() && a.dtype().isFloatingPoint()) {
            DType from = a.dtype();
            return Op.recordUnary("ToCopyBackward0", a, out, g -> g.to(from));
        }
        return out;
    }

    static Tensor compare(Tensor a, Tensor b, String op) {
        if (integral(a, b)) {
            Shape shape = Shape.broadcast(a.shape(), b.shape());
            LongKernels.Comparison cmp = LongKernels.Comparison.valueOf(op.toUpperCase(java.util.Locale.ROOT));
            return Tensor.wrapArray(LongKernels.compare(cmp, longOperand(a, shape), longOperand(b, shape),
                    shape.numel()), shape);
        }
        DoubleBinaryOperator f = switch (op) {
            case "eq" -> (x, y) -> x == y ? 1 : 0;
            case "ne" -> (x, y) -> x != y ? 1 : 0;
            case "lt" -> (x, y) -> x < y ? 1 : 0;
            case "le" -> (x, y) -> x <= y ? 1 : 0;
            case "gt" -> (x, y) -> x > y ? 1 : 0;
            case "ge" -> (x, y) -> x >= y ? 1 : 0;
            default -> throw new IllegalArgumentException("unknown comparison " + op);
        };
        return zip(a, b, f, DType.BOOL);
    }

    private static DType floatType(Tensor a) {
        return a.dtype().isFloatingPoint() ? a.dtype() : DType.FLOAT32;
    }

    /** f applied to every element, no recording. */
    static Tensor map(Tensor a, DoubleUnaryOperator f, DType out) {
        return Tensor.wrap(Pointwise.map(a.values(), f, out), a.shape(), out);
    }

    /** Backward of a unary op from the output gradient g, its input x and its output y. */
    private interface UnaryGrad {
        Tensor apply(Tensor g, Tensor x, Tensor y);
    }

    /** A vectorised transcendental function of every element, in a's floating type (int64 gives float32). */
    private static Tensor vmap(Tensor a, Pointwise.Unary op) {
        DType out = floatType(a);
        return Tensor.wrap(Pointwise.unary(op, a.values(), out), a.shape(), out);
    }

    /** @param usesOutput the backward rule reads the output, so an in-place write to it must be caught */
    private static Tensor unary(String name, Tensor a, DoubleUnaryOperator f, DType out, boolean usesOutput,
                                UnaryGrad grad) {
        return unary(name, a, map(a, f, out), usesOutput, grad);
    }

    /** Records {@code result}, computed from {@code a}, with the backward rule {@code grad}. */
    private static Tensor unary(String name, Tensor a, Tensor result, boolean usesOutput, UnaryGrad grad) {
        if (!Op.needed(a)) {
            return result;
        }
        Tensor y = result.detach();
        result.setGradFn(new Op(a) {
            private final int x = save(a.detach());
            private final int savedY = usesOutput ? save(y) : -1;

            @Override
            public String name() {
                return name;
            }

            @Override
            Tensor[] gradients(Tensor g) {
                return new Tensor[] {grad.apply(g, saved(x), usesOutput ? saved(savedY) : y)};
            }
        });
        return result;
    }

    private static Tensor record(String name, Tensor a, Tensor b, Tensor out, boolean savesInputs,
                                 java.util.function.UnaryOperator<Tensor> ga,
                                 java.util.function.UnaryOperator<Tensor> gb) {
        return record(name, a, b, out, savesInputs, null, ga, gb);
    }

    /** @param usedOutput the output, when a backward rule reads it (checked for in-place writes), else null */
    private static Tensor record(String name, Tensor a, Tensor b, Tensor out, boolean savesInputs, Tensor usedOutput,
                                 java.util.function.UnaryOperator<Tensor> ga,
                                 java.util.function.UnaryOperator<Tensor> gb) {
        if (!Op.needed(a, b)) {
            return out;
        }
        out.setGradFn(new Op(a, b) {
            private final int sa = savesInputs ? save(a) : -1;
            private final int sb = savesInputs ? save(b) : -1;
            private final int so = usedOutput != null ? save(usedOutput) : -1;

            @Override
            public String name() {
                return name;
            }

            @Override
            Tensor[] gradients(Tensor g) {
                if (savesInputs) {
                    saved(sa); // fails if an input was modified in place since the forward pass
                    saved(sb);
                }
                if (so >= 0) {
                    saved(so);
                }
                return new Tensor[] {needsGrad(0) ? ga.apply(g).to(a.dtype()) : null,
                        needsGrad(1) ? gb.apply(g).to(b.dtype()) : null};
            }
        });
        return out;
    }
}
