package dev.jconv.random;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Pseudo-random generator whose streams are bit-identical to PyTorch 1.13's CPU generator
 * ({@code torch.manual_seed(s)} / {@code torch.Generator().manual_seed(s)}).
 *
 * <p>The engine is a 32-bit Mersenne Twister (mt19937) seeded with the low 32 bits of the seed,
 * exactly like {@code at::mt19937}. On top of it this class reproduces the CPU kernels of
 * {@code uniform_}, {@code normal_}/{@code randn}, {@code randint} and {@code randperm}
 * as the x86-64 build runs them on CPUs with AVX2 (its AVX2 kernels are compiled with FMA
 * contraction, and {@code normal_} uses the AVX2 kernel even on AVX-512 hardware). On CPUs without
 * AVX2, PyTorch itself produces different float32 normals and rounds some uniforms differently.
 *
 * <p>Float64 normals use correctly rounded log/sin/cos where PyTorch calls glibc, so about 0.15% of
 * float64 normal samples differ from PyTorch by an ulp or so; every other stream, including all
 * float32 streams, is bit-identical.
 *
 * <p>Like PyTorch's generator it also carries the cached second Box-Muller sample of
 * {@code at::normal_distribution}, which persists across calls and is part of
 * {@link #getState()}.
 *
 * <p>All methods that draw numbers are {@code synchronized}, like the generator mutex PyTorch takes
 * in each kernel, so one instance can be shared between threads (the order of draws then depends on
 * the scheduling, just as in PyTorch).
 */
public final class Generator {

    /** The seed PyTorch uses for a freshly constructed {@code torch.Generator()}. */
    public static final long DEFAULT_SEED = 67280421310721L;

    /**
     * Size in bytes of {@link #getState()}: the layout of PyTorch's {@code CPUGeneratorImplState},
     * so states are interchangeable with {@code torch.get_rng_state()} / {@code torch.set_rng_state()}.
     */
    public static final int STATE_SIZE = 5056;

    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7fffffff;

    private static final Generator DEFAULT = new Generator(DEFAULT_SEED);

    // Engine state, kept in PyTorch's representation (left/next counters) so that getState()
    // produces the same bytes as torch.get_rng_state().
    private final int[] state = new int[N];
    private long seed;
    private int left;
    private int next;

    // at::normal_distribution caches the sine half of each Box-Muller pair here.
    private boolean hasNextDoubleNormal;
    private double nextDoubleNormal;
    // Unused by the kernels reproduced here but part of PyTorch's state; kept for round trips.
    private boolean hasNextFloatNormal;
    private float nextFloatNormal;

    private final double[] sinCosScratch = new double[2];

    /**
     * Creates a generator seeded like {@code torch.Generator().manual_seed(seed)}.
     *
     * @param seed the seed; interpreted as an unsigned 64-bit value (PyTorch maps negative Python
     *             seeds the same way), only its low 32 bits reach the Mersenne Twister
     */
    public Generator(long seed) {
        seed(seed);
    }

    /** Creates a generator with {@link #DEFAULT_SEED}, like {@code torch.Generator()}. */
    public Generator() {
        this(DEFAULT_SEED);
    }

    /**
     * Returns the process-wide generator, the analogue of PyTorch's default CPU generator.
     * It starts from {@link #DEFAULT_SEED} (PyTorch seeds its own from /dev/urandom, so both need
     * {@link #manualSeed(long)} for reproducible streams).
     */
    public static Generator defaultGenerator() {
        return DEFAULT;
    }

    /**
     * Reseeds the process-wide generator, like {@code torch.manual_seed(seed)}.
     *
     * @param seed the seed (unsigned 64-bit semantics)
     */
    public static void manualSeed(long seed) {
        DEFAULT.seed(seed);
    }

    /**
     * Reseeds this generator, like {@code Generator.manual_seed(seed)}: resets the engine and drops
     * any cached normal sample.
     *
     * @param seed the seed (unsigned 64-bit semantics)
     */
    public synchronized void seed(long seed) {
        this.seed = seed;
        state[0] = (int) seed;
        for (int j = 1; j < N; j++) {
            int prev = state[j - 1];
            state[j] = 1812433253 * (prev ^ (prev >>> 30)) + j;
        }
        left = 1;
        next = 0;
        hasNextDoubleNormal = false;
        nextDoubleNormal = 0.0;
        hasNextFloatNormal = false;
        nextFloatNormal = 0.0f;
    }

    /**
     * Returns the seed last given to this generator ({@code initial_seed()}), all 64 bits; print it
     * with {@link Long#toUnsignedString(long)} to see what PyTorch shows for seeds of 2^63 or more.
     */
    public synchronized long initialSeed() {
        return seed;
    }

    // ------------------------------------------------------------------ raw engine

    private void twist() {
        int[] s = state;
        int k = 0;
        for (; k < N - M; k++) {
            s[k] = s[k + M] ^ mix(s[k], s[k + 1]);
        }
        for (; k < N - 1; k++) {
            s[k] = s[k + M - N] ^ mix(s[k], s[k + 1]);
        }
        s[N - 1] = s[M - 1] ^ mix(s[N - 1], s[0]);
        left = N;
        next = 0;
    }

    private static int mix(int u, int v) {
        int y = (u & UPPER_MASK) | (v & LOWER_MASK);
        return (y >>> 1) ^ ((v & 1) != 0 ? MATRIX_A : 0);
    }

    // PyTorch decrements `left` before reading, so a fresh engine (left == 1) twists on first use.
    private int random32() {
        if (--left == 0) {
            twist();
        }
        int y = state[next++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    // CPUGeneratorImpl::random64: first draw is the high word.
    private long random64() {
        long hi = random32() & 0xffffffffL;
        long lo = random32() & 0xffffffffL;
        return (hi << 32) | lo;
    }

    /**
     * Returns the next raw 32-bit mt19937 output ({@code generator->random()}); treat it as unsigned.
     */
    public synchronized int nextInt32() {
        return random32();
    }

    /**
     * Returns the next 64-bit value as PyTorch's {@code random64()} builds it: two 32-bit outputs,
     * the first one in the high half. Treat it as unsigned.
     */
    public synchronized long nextLong64() {
        return random64();
    }

    // ------------------------------------------------------------------ uniform

    // at::uniform_real_distribution<float>: 24 low bits of one 32-bit draw, in [0, 1).
    private float uniform01Float() {
        return (random32() & 0xffffff) * 0x1p-24f;
    }

    // at::uniform_real_distribution<double>: 53 low bits of random64(), in [0, 1).
    private double uniform01Double() {
        return (random64() & 0x1fffffffffffffL) * 0x1p-53;
    }

    /**
     * {@code torch.empty(n).uniform_(from, to)} for float32. With {@code (0, 1)} this is
     * {@code torch.rand(n)}.
     *
     * @throws IllegalArgumentException if {@code from > to}, a bound is outside the float range,
     *                                  or {@code to - from} overflows float
     */
    public synchronized float[] uniformFloat(int n, double from, double to) {
        checkCount(n);
        checkUniformBounds(from, to, Float.MAX_VALUE, "float32");
        float f = (float) from;
        float range = (float) to - f;
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            float x = (random32() & 0xffffff) * 0x1p-24f;
            // The AVX2 build of PyTorch compiles `x * (to - from) + from` into one FMA.
            out[i] = Math.fma(x, range, f);
        }
        return out;
    }

    /**
     * {@code torch.empty(n, dtype=float64).uniform_(from, to)}.
     *
     * @throws IllegalArgumentException if {@code from > to} or {@code to - from} overflows
     */
    public synchronized double[] uniformDouble(int n, double from, double to) {
        checkCount(n);
        checkUniformBounds(from, to, Double.MAX_VALUE, "float64");
        double range = to - from;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double x = (random64() & 0x1fffffffffffffL) * 0x1p-53;
            out[i] = Math.fma(x, range, from);
        }
        return out;
    }

    /** {@code torch.rand(n)}: float32 uniforms in [0, 1). */
    public float[] rand(int n) {
        return uniformFloat(n, 0.0, 1.0);
    }

    /** {@code torch.rand(n, dtype=float64)}: float64 uniforms in [0, 1). */
    public double[] randDouble(int n) {
        return uniformDouble(n, 0.0, 1.0);
    }

    private static void checkUniformBounds(double from, double to, double max, String dtype) {
        if (!(from >= -max && from <= max) || !(to >= -max && to <= max)) {
            throw new IllegalArgumentException("uniform_: from=" + from + " and to=" + to
                    + " must be within the range of " + dtype);
        }
        if (from > to) {
            throw new IllegalArgumentException(
                    "uniform_ expects to return a [from, to) range, but found from=" + from + " > to=" + to);
        }
        if (to - from > max) {
            throw new IllegalArgumentException("uniform_ expects to-from <= max of " + dtype
                    + ", but found to=" + to + " and from=" + from);
        }
    }

    // ------------------------------------------------------------------ normal

    /**
     * {@code torch.randn(n)} / {@code torch.empty(n).normal_(mean, std)} for a contiguous float32
     * tensor of {@code n} elements.
     *
     * <p>For {@code n >= 16} this is PyTorch's AVX2 {@code normal_fill}: all {@code n} uniforms are
     * drawn first, then Box-Muller runs on blocks of 16 (the last 16 are redrawn when
     * {@code n % 16 != 0}). For {@code n < 16} each element comes from
     * {@code at::normal_distribution<double>}, which uses and refills the cached sample.
     *
     * @throws IllegalArgumentException if {@code std < 0}
     */
    public synchronized float[] normalFloat(int n, double mean, double std) {
        checkCount(n);
        checkStd(std);
        float[] out = new float[n];
        if (n >= 16) {
            normalFillAvx2(out, (float) mean, (float) std);
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = (float) normalSample(mean, std);
            }
        }
        return out;
    }

    /**
     * {@code torch.randn(n, dtype=float64)} / {@code normal_(mean, std)} on a contiguous float64
     * tensor: scalar {@code normal_fill<double>} for {@code n >= 16}, otherwise
     * {@code at::normal_distribution<double>} per element (sharing the cached sample).
     *
     * <p>PyTorch takes log/sin/cos from glibc here, which is not correctly rounded for roughly 0.1%
     * of arguments; this class rounds correctly, so about 0.15% of the samples differ from PyTorch's
     * (by one or two ulps before {@code mean} is added). The consumed random numbers, and thus all
     * later draws, are unaffected.
     *
     * @throws IllegalArgumentException if {@code std < 0}
     */
    public synchronized double[] normalDouble(int n, double mean, double std) {
        checkCount(n);
        checkStd(std);
        double[] out = new double[n];
        if (n >= 16) {
            normalFillDouble(out, mean, std);
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = normalSample(mean, std);
            }
        }
        return out;
    }

    /** {@code torch.randn(n)}: standard normal float32 samples. */
    public float[] randn(int n) {
        return normalFloat(n, 0.0, 1.0);
    }

    /** {@code torch.randn(n, dtype=float64)}: standard normal float64 samples. */
    public double[] randnDouble(int n) {
        return normalDouble(n, 0.0, 1.0);
    }

    private static void checkStd(double std) {
        if (!(std >= 0.0)) {
            throw new IllegalArgumentException("normal expects std >= 0.0, but found std " + std);
        }
    }

    // at::normal_distribution<double>: Box-Muller with u1 -> angle, u2 -> radius; the sine half
    // is cached in the generator and returned by the next call.
    private double normalSample(double mean, double std) {
        double ret;
        if (hasNextDoubleNormal) {
            hasNextDoubleNormal = false;
            ret = nextDoubleNormal;
        } else {
            double u1 = uniform01Double();
            double u2 = uniform01Double();
            double r = Math.sqrt(-2.0 * PreciseMath.log(1.0 - u2));
            double[] sc = sinCosScratch;
            PreciseMath.sinCos(2.0 * Math.PI * u1, sc);
            nextDoubleNormal = r * sc[0];
            hasNextDoubleNormal = true;
            ret = r * sc[1];
        }
        // Contracted to an FMA in the AVX2 kernel.
        return Math.fma(ret, std, mean);
    }

    private void normalFillAvx2(float[] data, float mean, float std) {
        int size = data.length;
        for (int i = 0; i < size; i++) {
            data[i] = uniform01Float();
        }
        float[] sincos = new float[2];
        for (int i = 0; i + 16 <= size; i += 16) {
            AvxMath.normalFill16(data, i, mean, std, sincos);
        }
        if (size % 16 != 0) {
            // PyTorch redraws the last 16 values rather than handling a partial block.
            int base = size - 16;
            for (int i = 0; i < 16; i++) {
                data[base + i] = uniform01Float();
            }
            AvxMath.normalFill16(data, base, mean, std, sincos);
        }
    }

    private void normalFillDouble(double[] data, double mean, double std) {
        int size = data.length;
        for (int i = 0; i < size; i++) {
            data[i] = uniform01Double();
        }
        double[] sincos = sinCosScratch;
        for (int i = 0; i + 16 <= size; i += 16) {
            normalFill16Double(data, i, mean, std, sincos);
        }
        if (size % 16 != 0) {
            int base = size - 16;
            for (int i = 0; i < 16; i++) {
                data[base + i] = uniform01Double();
            }
            normalFill16Double(data, base, mean, std, sincos);
        }
    }

    // Scalar normal_fill_16<double>: u1 = 1 - data[j] maps [0, 1) to (0, 1] for the log.
    private static void normalFill16Double(double[] data, int off, double mean, double std, double[] sc) {
        for (int j = 0; j < 8; j++) {
            double u1 = 1.0 - data[off + j];
            double u2 = data[off + j + 8];
            double radius = Math.sqrt(-2.0 * PreciseMath.log(u1));
            PreciseMath.sinCos(2.0 * Math.PI * u2, sc);
            data[off + j] = Math.fma(radius * sc[1], std, mean);
            data[off + j + 8] = Math.fma(radius * sc[0], std, mean);
        }
    }

    // ------------------------------------------------------------------ integers

    /**
     * {@code torch.randint(low, high, (n,))} with int64 dtype: {@code random() % range + low}, using
     * {@code random64()} when the range is 2^32 or more.
     *
     * @throws IllegalArgumentException if {@code low >= high}
     */
    public synchronized long[] randint(long low, long high, int n) {
        checkCount(n);
        if (low >= high) {
            throw new IllegalArgumentException(
                    "random_ expects 'from' to be less than 'to', but got from=" + low + " >= to=" + high);
        }
        long range = high - low; // unsigned: fits even when high - low overflows a signed long
        long[] out = new long[n];
        boolean wide = Long.compareUnsigned(range, 1L << 32) >= 0;
        for (int i = 0; i < n; i++) {
            long v = wide ? random64() : (random32() & 0xffffffffL);
            out[i] = Long.remainderUnsigned(v, range) + low;
        }
        return out;
    }

    /**
     * {@code torch.randperm(n)} (int64) with PyTorch 1.13's CPU algorithm: start from the identity
     * and swap position {@code i} with {@code i + random() % (n - i)} for {@code i < n - 1}. (Later
     * PyTorch releases switch to a {@code random64()} shuffle for {@code n >= 2^32 / 20}; 1.13 does
     * not, which was checked at {@code n = 214748364}.)
     *
     * @throws IllegalArgumentException if {@code n < 0}
     */
    public synchronized long[] randperm(int n) {
        checkCount(n);
        long[] r = new long[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        for (int i = 0; i < n - 1; i++) {
            int z = (int) ((random32() & 0xffffffffL) % (n - i));
            long save = r[i];
            r[i] = r[z + i];
            r[z + i] = save;
        }
        return r;
    }

    private static void checkCount(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("number of elements must be non-negative, got " + n);
        }
    }

    // ------------------------------------------------------------------ state

    /**
     * Returns the full generator state (engine, seed and cached normal samples) in the
     * {@value #STATE_SIZE}-byte little-endian layout of {@code torch.get_rng_state()}.
     */
    public synchronized byte[] getState() {
        ByteBuffer b = ByteBuffer.allocate(STATE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(seed);
        b.putInt(left);
        b.putInt(1); // seeded
        b.putLong(next & 0xffffffffL);
        for (int v : state) {
            b.putLong(v & 0xffffffffL);
        }
        b.putDouble(0.0); // normal_x: legacy field, unused
        b.putDouble(hasNextDoubleNormal ? nextDoubleNormal : 0.0); // normal_y
        b.putDouble(0.0); // normal_rho: legacy field, unused
        b.putInt(hasNextDoubleNormal ? 1 : 0);
        b.putInt(0); // struct padding
        b.putFloat(hasNextFloatNormal ? nextFloatNormal : 0.0f);
        b.put((byte) (hasNextFloatNormal ? 1 : 0));
        return b.array(); // trailing padding stays zero
    }

    /**
     * Restores a state produced by {@link #getState()} or {@code torch.get_rng_state()}.
     *
     * @throws IllegalArgumentException if the array is not {@value #STATE_SIZE} bytes or does not
     *                                  describe a valid mt19937 state; the generator is then unchanged
     */
    public synchronized void setState(byte[] newState) {
        if (newState == null || newState.length != STATE_SIZE) {
            throw new IllegalArgumentException("Expected a generator state of " + STATE_SIZE
                    + " bytes but got " + (newState == null ? "null" : newState.length + " bytes"));
        }
        ByteBuffer b = ByteBuffer.wrap(newState).order(ByteOrder.LITTLE_ENDIAN);
        long newSeed = b.getLong();
        int newLeft = b.getInt();
        int seeded = b.getInt();
        long newNext = b.getLong();
        // Same validity test as at::mt19937::is_valid (next is read as a 32-bit value there).
        int next32 = (int) newNext;
        if (seeded == 0 || newLeft <= 0 || newLeft > N || next32 < 0 || next32 > N) {
            throw new IllegalArgumentException("Invalid mt19937 state");
        }
        // Counters must agree with each other, otherwise random32() could index past the array.
        if (next32 + newLeft != N + 1 && !(next32 == 0 && newLeft == 1)) {
            throw new IllegalArgumentException("Invalid mt19937 state: left=" + newLeft + ", next=" + next32);
        }
        int[] words = new int[N];
        for (int i = 0; i < N; i++) {
            words[i] = (int) b.getLong(); // PyTorch copies the uint64 slots into uint32 words
        }
        b.getDouble(); // normal_x
        double normalY = b.getDouble();
        b.getDouble(); // normal_rho
        boolean normalValid = b.getInt() != 0;
        b.getInt();
        float floatNormal = b.getFloat();
        boolean floatValid = b.get() != 0;

        System.arraycopy(words, 0, state, 0, N);
        seed = newSeed;
        left = newLeft;
        next = next32;
        hasNextDoubleNormal = normalValid;
        nextDoubleNormal = normalValid ? normalY : 0.0;
        hasNextFloatNormal = floatValid;
        nextFloatNormal = floatValid ? floatNormal : 0.0f;
    }

    /** Returns an independent generator with the same state, cached normal sample included. */
    public synchronized Generator copy() {
        Generator g = new Generator(0);
        g.setState(getState());
        return g;
    }

    // ------------------------------------------------------------------ math kernels

    /**
     * Correctly rounded {@code log}, {@code sin} and {@code cos} for the float64 Box-Muller paths.
     *
     * <p>PyTorch calls the platform libm there (glibc on Linux). glibc's results are the correctly
     * rounded ones except in roughly 0.1% of arguments (its documented error is slightly above half
     * an ulp), whereas {@link StrictMath} (fdlibm) differs from glibc on several percent of them.
     * Correct rounding is the closest platform-independent target, so the values are computed in
     * double-double arithmetic (about 100 bits) and rounded once.
     */
    private static final class PreciseMath {
        private static final MathContext MC = new MathContext(60);
        private static final int PIO2_PIECE_BITS = 33;
        // pi/2 split into pieces of at most 33 significant bits, so q * piece is exact for q < 2^20.
        private static final double[] PIO2 = new double[4];
        private static final double TWO_OVER_PI = 2.0 / Math.PI;
        // Tables of sin(j/64), cos(j/64) for j = 0..51 and log(j/128) for j = 90..182, as hi/lo pairs.
        private static final double[] SIN_HI = new double[52];
        private static final double[] SIN_LO = new double[52];
        private static final double[] COS_HI = new double[52];
        private static final double[] COS_LO = new double[52];
        private static final int LOG_J0 = 90;
        private static final double[] LOGC_HI = new double[93];
        private static final double[] LOGC_LO = new double[93];
        private static final double LN2_HI;
        private static final double LN2_LO;
        // Series coefficients as hi/lo pairs: (-1)^k/(2k+1)!, (-1)^k/(2k)!, 1/(2k+1).
        private static final double[] SIN_C_HI = new double[7];
        private static final double[] SIN_C_LO = new double[7];
        private static final double[] COS_C_HI = new double[7];
        private static final double[] COS_C_LO = new double[7];
        private static final double[] ATANH_C_HI = new double[8];
        private static final double[] ATANH_C_LO = new double[8];

        static {
            BigDecimal halfPi = new BigDecimal("1.5707963267948966192313216916397514420985846996875529104874"
                    + "72296153908203143104499314017412671058533991074043256641153323546922304775291115862");
            BigDecimal rest = halfPi;
            for (int i = 0; i < PIO2.length; i++) {
                double piece = i < PIO2.length - 1 ? truncateToBits(rest.doubleValue(), PIO2_PIECE_BITS) : rest.doubleValue();
                PIO2[i] = piece;
                rest = rest.subtract(new BigDecimal(piece));
            }
            for (int j = 0; j < 52; j++) {
                BigDecimal a = BigDecimal.valueOf(j).divide(BigDecimal.valueOf(64), MC);
                BigDecimal[] sc = bigSinCos(a);
                SIN_HI[j] = sc[0].doubleValue();
                SIN_LO[j] = sc[0].subtract(new BigDecimal(SIN_HI[j])).doubleValue();
                COS_HI[j] = sc[1].doubleValue();
                COS_LO[j] = sc[1].subtract(new BigDecimal(COS_HI[j])).doubleValue();
            }
            BigDecimal ln2 = bigLog(BigDecimal.valueOf(2));
            LN2_HI = ln2.doubleValue();
            LN2_LO = ln2.subtract(new BigDecimal(LN2_HI)).doubleValue();
            for (int j = 0; j < LOGC_HI.length; j++) {
                BigDecimal lc = bigLog(BigDecimal.valueOf(LOG_J0 + j).divide(BigDecimal.valueOf(128), MC));
                LOGC_HI[j] = lc.doubleValue();
                LOGC_LO[j] = lc.subtract(new BigDecimal(LOGC_HI[j])).doubleValue();
            }
            BigDecimal fact = BigDecimal.ONE;
            for (int n = 0; n <= 13; n++) {
                if (n > 0) {
                    fact = fact.multiply(BigDecimal.valueOf(n));
                }
                BigDecimal c = BigDecimal.ONE.divide(fact, MC);
                if ((n / 2) % 2 == 1) {
                    c = c.negate();
                }
                double hi = c.doubleValue();
                double lo = c.subtract(new BigDecimal(hi)).doubleValue();
                if (n % 2 == 0) {
                    COS_C_HI[n / 2] = hi;
                    COS_C_LO[n / 2] = lo;
                } else {
                    SIN_C_HI[n / 2] = hi;
                    SIN_C_LO[n / 2] = lo;
                }
            }
            for (int k = 0; k < ATANH_C_HI.length; k++) {
                BigDecimal c = BigDecimal.ONE.divide(BigDecimal.valueOf(2 * k + 1), MC);
                ATANH_C_HI[k] = c.doubleValue();
                ATANH_C_LO[k] = c.subtract(new BigDecimal(ATANH_C_HI[k])).doubleValue();
            }
        }

        private PreciseMath() {
        }

        private static double truncateToBits(double v, int bits) {
            long mask = -1L << (53 - bits);
            return Double.longBitsToDouble(Double.doubleToRawLongBits(v) & mask);
        }

        /** sin and cos of a (|a| < 1) by Taylor series in BigDecimal; only used to build tables. */
        private static BigDecimal[] bigSinCos(BigDecimal a) {
            BigDecimal eps = BigDecimal.ONE.movePointLeft(55);
            BigDecimal sin = BigDecimal.ZERO;
            BigDecimal cos = BigDecimal.ZERO;
            BigDecimal term = BigDecimal.ONE; // a^n / n!
            for (int n = 0; term.abs().compareTo(eps) > 0 || n < 2; n++) {
                if (n > 0) {
                    term = term.multiply(a, MC).divide(BigDecimal.valueOf(n), MC);
                }
                BigDecimal signed = (n / 2) % 2 == 0 ? term : term.negate();
                if (n % 2 == 0) {
                    cos = cos.add(signed, MC);
                } else {
                    sin = sin.add(signed, MC);
                }
            }
            return new BigDecimal[] {sin, cos};
        }

        /** Natural log of v in [0.5, 2] as 2 * atanh((v - 1) / (v + 1)); only used to build tables. */
        private static BigDecimal bigLog(BigDecimal v) {
            BigDecimal eps = BigDecimal.ONE.movePointLeft(55);
            BigDecimal s = v.subtract(BigDecimal.ONE).divide(v.add(BigDecimal.ONE), MC);
            BigDecimal s2 = s.multiply(s, MC);
            BigDecimal sum = BigDecimal.ZERO;
            BigDecimal power = s;
            for (int k = 0; power.abs().compareTo(eps) > 0; k++) {
                sum = sum.add(power.divide(BigDecimal.valueOf(2 * k + 1), MC), MC);
                power = power.multiply(s2, MC);
            }
            return sum.multiply(BigDecimal.valueOf(2), MC);
        }

        /** A mutable double-double accumulator; operations update it in place and return it. */
        private static final class DD {
            double hi;
            double lo;

            DD set(double h, double l) {
                hi = h;
                lo = l;
                return this;
            }

            DD add(double bh, double bl) {
                double s = hi + bh;
                double bb = s - hi;
                double e = (hi - (s - bb)) + (bh - bb);
                double t = lo + bl;
                double tb = t - lo;
                double f = (lo - (t - tb)) + (bl - tb);
                e += t;
                double s2 = s + e;
                e = e - (s2 - s);
                e += f;
                hi = s2 + e;
                lo = e - (hi - s2);
                return this;
            }

            DD add(DD b) {
                return add(b.hi, b.lo);
            }

            DD mul(double bh, double bl) {
                double p = hi * bh;
                double e = Math.fma(hi, bh, -p) + (hi * bl + lo * bh);
                hi = p + e;
                lo = e - (hi - p);
                return this;
            }

            DD mul(DD b) {
                return mul(b.hi, b.lo);
            }

            DD div(double bh, double bl) {
                double q1 = hi / bh;
                DD r = new DD().set(bh, bl).mul(-q1, 0.0).add(hi, lo);
                double q2 = r.hi / bh;
                r.add(new DD().set(bh, bl).mul(-q2, 0.0));
                double q3 = r.hi / bh;
                double s = q1 + q2;
                double e = q2 - (s - q1);
                hi = s;
                lo = e;
                return add(q3, 0.0);
            }
        }

        /** Correctly rounded natural logarithm (special values as {@link StrictMath#log}). */
        static double log(double x) {
            if (!(x > 0.0) || x == Double.POSITIVE_INFINITY) {
                return StrictMath.log(x);
            }
            int k = 0;
            if (x < Double.MIN_NORMAL) {
                x *= 0x1p54;
                k = -54;
            }
            long bits = Double.doubleToRawLongBits(x);
            k += (int) (bits >>> 52) - 1023;
            double m = Double.longBitsToDouble((bits & 0x000fffffffffffffL) | 0x3ff0000000000000L);
            if (m > 1.4142135623730951) {
                m *= 0.5;
                k++;
            }
            // log(m) = log(c) + 2 atanh((m - c) / (m + c)) with c = j/128 the nearest table point.
            int j = (int) Math.rint(m * 128.0);
            double c = j / 128.0;
            double d = m - c; // exact (Sterbenz)
            double sumHi = m + c;
            double bb = sumHi - m;
            double sumLo = (m - (sumHi - bb)) + (c - bb);
            DD s = new DD().set(d, 0.0).div(sumHi, sumLo);
            DD s2 = new DD().set(s.hi, s.lo).mul(s);
            int last = ATANH_C_HI.length - 1;
            DD p = new DD().set(ATANH_C_HI[last], ATANH_C_LO[last]);
            for (int i = last - 1; i >= 0; i--) {
                p.mul(s2).add(ATANH_C_HI[i], ATANH_C_LO[i]);
            }
            p.mul(s).mul(2.0, 0.0);
            p.add(LOGC_HI[j - LOG_J0], LOGC_LO[j - LOG_J0]);
            if (k != 0) {
                p.add(new DD().set(LN2_HI, LN2_LO).mul(k, 0.0));
            }
            return p.hi;
        }

        /**
         * Correctly rounded sine and cosine of x, stored in {@code out[0]} and {@code out[1]}.
         * Arguments beyond 2^19 (never produced by the samplers) fall back to {@link StrictMath}.
         */
        static void sinCos(double x, double[] out) {
            if (!(Math.abs(x) < 0x1p19)) {
                out[0] = StrictMath.sin(x);
                out[1] = StrictMath.cos(x);
                return;
            }
            double q = Math.rint(x * TWO_OVER_PI);
            // x - q*pi/2: the first step is exact (Sterbenz), later pieces are tracked in double-double.
            double t = x - q * PIO2[0];
            DD r = new DD().set(t, 0.0).add(-q * PIO2[1], 0.0).add(-q * PIO2[2], 0.0).add(-q * PIO2[3], 0.0);
            int j = (int) Math.rint(r.hi * 64.0);
            double a = j / 64.0;
            DD b = new DD().set(r.hi - a, 0.0).add(r.lo, 0.0); // r.hi - a is exact
            DD b2 = new DD().set(b.hi, b.lo).mul(b);
            DD sinB = new DD().set(SIN_C_HI[6], SIN_C_LO[6]);
            DD cosB = new DD().set(COS_C_HI[6], COS_C_LO[6]);
            for (int i = 5; i >= 0; i--) {
                sinB.mul(b2).add(SIN_C_HI[i], SIN_C_LO[i]);
                cosB.mul(b2).add(COS_C_HI[i], COS_C_LO[i]);
            }
            sinB.mul(b);
            int aj = Math.abs(j);
            double sah = j < 0 ? -SIN_HI[aj] : SIN_HI[aj];
            double sal = j < 0 ? -SIN_LO[aj] : SIN_LO[aj];
            double cah = COS_HI[aj];
            double cal = COS_LO[aj];
            // sin(a + b) and cos(a + b) by the addition theorems.
            DD sinR = new DD().set(sah, sal).mul(cosB).add(new DD().set(cah, cal).mul(sinB));
            DD cosR = new DD().set(cah, cal).mul(cosB).add(new DD().set(-sah, -sal).mul(sinB));
            switch ((int) ((long) q & 3)) {
                case 0 -> {
                    out[0] = sinR.hi;
                    out[1] = cosR.hi;
                }
                case 1 -> {
                    out[0] = cosR.hi;
                    out[1] = -sinR.hi;
                }
                case 2 -> {
                    out[0] = -sinR.hi;
                    out[1] = -cosR.hi;
                }
                default -> {
                    out[0] = -cosR.hi;
                    out[1] = sinR.hi;
                }
            }
        }
    }

    /**
     * Lane-by-lane emulation of PyTorch's {@code normal_fill_16_AVX2}, whose log and sincos come
     * from avx_mathfun.h (Cephes polynomials in single precision).
     *
     * <p>GCC contracts the intrinsics' separate multiply and add into FMAs wherever a product only
     * feeds an addition (the vector intrinsics are plain vector arithmetic to the compiler). The
     * exact places matter for bit-identical results; the ones below were checked against millions
     * of samples from PyTorch: the Horner steps, the Cody-Waite reduction, and in each
     * {@code y*z + t} with two products the earlier product (in source order) is the fused one.
     */
    private static final class AvxMath {
        private static final float SQRTHF = 0.707106781186547524f;
        private static final float LOG_P0 = 7.0376836292E-2f;
        private static final float LOG_P1 = -1.1514610310E-1f;
        private static final float LOG_P2 = 1.1676998740E-1f;
        private static final float LOG_P3 = -1.2420140846E-1f;
        private static final float LOG_P4 = 1.4249322787E-1f;
        private static final float LOG_P5 = -1.6668057665E-1f;
        private static final float LOG_P6 = 2.0000714765E-1f;
        private static final float LOG_P7 = -2.4999993993E-1f;
        private static final float LOG_P8 = 3.3333331174E-1f;
        private static final float LOG_Q1 = -2.12194440e-4f;
        private static final float LOG_Q2 = 0.693359375f;

        private static final float MINUS_DP1 = -0.78515625f;
        private static final float MINUS_DP2 = -2.4187564849853515625e-4f;
        private static final float MINUS_DP3 = -3.77489497744594108e-8f;
        private static final float SIN_P0 = -1.9515295891E-4f;
        private static final float SIN_P1 = 8.3321608736E-3f;
        private static final float SIN_P2 = -1.6666654611E-1f;
        private static final float COS_P0 = 2.443315711809948E-005f;
        private static final float COS_P1 = -1.388731625493765E-003f;
        private static final float COS_P2 = 4.166664568298827E-002f;
        private static final float FOUR_OVER_PI = 1.27323954473516f;

        // _mm256_set1_ps(2.0f * c10::pi<double>): the product is formed in double, then rounded.
        private static final float TWO_PI = (float) (2.0 * Math.PI);

        private AvxMath() {
        }

        static void normalFill16(float[] data, int off, float mean, float std, float[] sc) {
            for (int j = 0; j < 8; j++) {
                float u1 = 1.0f - data[off + j];
                float u2 = data[off + j + 8];
                // sqrt of a float via double is correctly rounded, like _mm256_sqrt_ps.
                float radius = (float) Math.sqrt(-2.0f * log(u1));
                sincos(TWO_PI * u2, sc);
                data[off + j] = Math.fma(radius * sc[1], std, mean);
                data[off + j + 8] = Math.fma(radius * sc[0], std, mean);
            }
        }

        /** log256_ps for one lane; the argument here is always in (0, 1]. */
        static float log(float x) {
            if (!(x > 0.0f)) {
                return Float.NaN; // the vector code ORs an all-ones mask in for x <= 0
            }
            x = Math.max(x, Float.MIN_NORMAL); // denormals are cut off
            int bits = Float.floatToRawIntBits(x);
            int exponent = (bits >>> 23) - 0x7f;
            x = Float.intBitsToFloat((bits & ~0x7f800000) | 0x3f000000); // mantissa in [0.5, 1)
            float e = (float) exponent + 1.0f;
            boolean small = x < SQRTHF;
            float tmp = small ? x : 0.0f;
            x = x - 1.0f;
            e = e - (small ? 1.0f : 0.0f);
            x = x + tmp;

            float z = x * x;
            float y = LOG_P0;
            y = Math.fma(y, x, LOG_P1);
            y = Math.fma(y, x, LOG_P2);
            y = Math.fma(y, x, LOG_P3);
            y = Math.fma(y, x, LOG_P4);
            y = Math.fma(y, x, LOG_P5);
            y = Math.fma(y, x, LOG_P6);
            y = Math.fma(y, x, LOG_P7);
            y = Math.fma(y, x, LOG_P8);
            y = y * x;
            y = Math.fma(y, z, e * LOG_Q1);
            y = Math.fma(-z, 0.5f, y);
            x = x + y;
            return Math.fma(e, LOG_Q2, x);
        }

        /** sincos256_ps for one lane: stores sin in out[0] and cos in out[1]. */
        static void sincos(float x, float[] out) {
            int signSin = Float.floatToRawIntBits(x) & 0x80000000;
            x = Math.abs(x);
            float y = x * FOUR_OVER_PI;
            int j = (int) y; // truncation like _mm256_cvttps_epi32 (arguments here are < 2*pi)
            j = (j + 1) & ~1;
            y = (float) j;
            int swapSignSin = (j & 4) << 29;
            boolean sinPoly = (j & 2) == 0; // sine from the sine polynomial, cosine from the cosine one
            // Extended-precision reduction x - y*pi/4 in three pieces.
            x = Math.fma(y, MINUS_DP1, x);
            x = Math.fma(y, MINUS_DP2, x);
            x = Math.fma(y, MINUS_DP3, x);
            int signCos = (~(j - 2) & 4) << 29;
            signSin ^= swapSignSin;

            float z = x * x;
            float c = COS_P0;
            c = Math.fma(c, z, COS_P1);
            c = Math.fma(c, z, COS_P2);
            c = c * z;
            c = Math.fma(c, z, -(z * 0.5f));
            c = c + 1.0f;

            float s = SIN_P0;
            s = Math.fma(s, z, SIN_P1);
            s = Math.fma(s, z, SIN_P2);
            s = s * z;
            s = Math.fma(s, x, x);

            // Blend exactly as the vector code does (and/andnot, then subtract and add), so that
            // signed zeros come out the same.
            float ySin2 = sinPoly ? s : 0.0f;
            float ySin1 = sinPoly ? 0.0f : c;
            s = s - ySin2;
            c = c - ySin1;
            out[0] = Float.intBitsToFloat(Float.floatToRawIntBits(ySin1 + ySin2) ^ signSin);
            out[1] = Float.intBitsToFloat(Float.floatToRawIntBits(c + s) ^ signCos);
        }
    }
}
