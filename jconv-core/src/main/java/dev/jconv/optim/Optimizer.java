package dev.jconv.optim;

import dev.jconv.nn.Parameter;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import dev.jconv.tensor.Tensor;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The base of the optimizers, like {@code torch.optim.Optimizer} with a single parameter group: it holds
 * the parameters, the learning rate and each parameter's state (momentum buffers, moment estimates, step
 * counts), which subclasses create lazily on a parameter's first update, as PyTorch does.
 *
 * <h2>State dict keys</h2>
 * {@link #stateDict()} flattens PyTorch's {@code {'state': …, 'param_groups': [{…}]}} into one
 * {@code Map<String, Tensor>}, so it can be saved next to a module's state dict:
 * <ul>
 *   <li>{@code state.<i>.<name>}: per-parameter state, {@code i} the parameter's position in
 *       {@link #parameters()}, {@code name} PyTorch's ({@code momentum_buffer}; {@code step},
 *       {@code exp_avg}, {@code exp_avg_sq}). Present only for parameters that have been updated. Buffers
 *       have the parameter's shape and dtype; {@code step} is a 0-d float32 tensor, as in PyTorch 1.13.</li>
 *   <li>{@code param_groups.0.params}: int64 {@code [0, 1, …, n-1]}, the parameter positions.</li>
 *   <li>{@code param_groups.0.lr} and every other hyper-parameter under PyTorch's name
 *       ({@code momentum}, {@code dampening}, {@code weight_decay}, {@code nesterov}; {@code betas},
 *       {@code eps}): 0-d float64 tensors, bool for flags, float64 vectors for tuples such as {@code betas}.</li>
 * </ul>
 */
public abstract class Optimizer {
    private static final String STATE = "state.";
    private static final String GROUP = "param_groups.0.";

    private final List<Parameter> parameters;
    private final List<Map<String, Tensor>> state = new ArrayList<>();
    private double lr;

    /**
     * @throws IllegalArgumentException if the list is empty, holds a parameter twice or lr is negative or NaN
     */
    protected Optimizer(List<Parameter> parameters, double lr) {
        Objects.requireNonNull(parameters, "parameters");
        checkLr(lr);
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException("optimizer got an empty parameter list");
        }
        Map<Parameter, Integer> seen = new IdentityHashMap<>();
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = Objects.requireNonNull(parameters.get(i), "parameter " + i);
            Integer first = seen.putIfAbsent(p, i);
            if (first != null) { // it would be updated twice per step
                throw new IllegalArgumentException("optimizer got the same parameter twice, at positions " + first
                        + " and " + i);
            }
            state.add(new LinkedHashMap<>());
        }
        this.parameters = List.copyOf(parameters);
        this.lr = lr;
    }

    /** Updates every parameter that has a gradient; parameters whose gradient is null are left alone. */
    public void step() {
        try (var ignored = Tensor.noGrad()) {
            for (int i = 0; i < parameters.size(); i++) {
                Parameter p = parameters.get(i);
                if (p.grad() != null) {
                    update(p.data(), p.grad().detach(), state(i));
                }
            }
        }
    }

    /**
     * One parameter's update, in place on {@code param} (its data, outside the graph), from its gradient and
     * its state, which the method creates on the first call.
     */
    protected abstract void update(Tensor param, Tensor grad, Map<String, Tensor> state);

    /** Clears every parameter's gradient (sets it to null, PyTorch's {@code zero_grad(set_to_none=True)}). */
    public void zeroGrad() {
        for (Parameter p : parameters) {
            p.setGrad(null);
        }
    }

    /** The parameters, in the order that numbers their state. */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** The learning rate ({@code param_groups[0]['lr']}). */
    public double lr() {
        return lr;
    }

    /** Changes the learning rate for the following steps; schedulers call this. */
    public void setLr(double lr) {
        checkLr(lr);
        this.lr = lr;
    }

    /** The mutable state of parameter {@code index}, empty until the subclass fills it. */
    protected final Map<String, Tensor> state(int index) {
        return state.get(index);
    }

    /** Names of the state entries an updated parameter has, under the current hyper-parameters. */
    protected abstract List<String> stateNames();

    /** Hyper-parameters other than lr, by PyTorch's names, as 0-d float64 / bool tensors or float64 vectors. */
    protected abstract Map<String, Tensor> hyperParameters();

    /**
     * Sets the hyper-parameters other than lr from {@code values} (one entry per name of
     * {@link #hyperParameters()}), validating them all before changing anything.
     */
    protected abstract void loadHyperParameters(Map<String, Tensor> values);

    /**
     * A copy of the optimizer's state and hyper-parameters, keyed as described in the class comment; later
     * steps do not change the returned tensors.
     */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < state.size(); i++) {
            for (var e : state.get(i).entrySet()) {
                out.put(STATE + i + "." + e.getKey(), e.getValue().detach().cloneTensor());
            }
        }
        out.put(GROUP + "lr", Tensor.scalar(lr, DType.FLOAT64));
        for (var e : hyperParameters().entrySet()) {
            out.put(GROUP + e.getKey(), e.getValue());
        }
        out.put(GROUP + "params", Tensor.arange(parameters.size()));
        return out;
    }

    /**
     * Restores state and hyper-parameters (including lr) from a map made by {@link #stateDict()} for the
     * same parameters. Values are copied (buffers converted to their parameter's dtype); on any error
     * nothing is changed.
     *
     * @throws IllegalArgumentException for missing or unknown keys, a different number of parameters, a
     *                                  buffer whose shape does not match its parameter, incomplete
     *                                  per-parameter state or invalid hyper-parameters
     */
    public final void loadStateDict(Map<String, Tensor> stateDict) {
        Objects.requireNonNull(stateDict, "stateDict");
        Map<String, Tensor> group = new LinkedHashMap<>();
        List<Map<String, Tensor>> loaded = new ArrayList<>();
        for (int i = 0; i < parameters.size(); i++) {
            loaded.add(new LinkedHashMap<>());
        }
        List<String> stateKeys = new ArrayList<>();
        for (var e : stateDict.entrySet()) {
            String key = e.getKey();
            if (key.startsWith(GROUP)) {
                group.put(key.substring(GROUP.length()), e.getValue());
            } else if (key.startsWith(STATE)) {
                stateKeys.add(key);
            } else {
                throw new IllegalArgumentException("unexpected key in optimizer state dict: '" + key + "'");
            }
        }
        Tensor params = require(group, "params");
        if (params.dim() != 1 || params.size(0) != parameters.size()) {
            throw new IllegalArgumentException("loaded state dict contains a parameter group that doesn't match the "
                    + "size of optimizer's group: " + params.numel() + " parameters in the state dict, "
                    + parameters.size() + " in the optimizer");
        }
        double newLr = number(group, "lr");
        checkLr(newLr);
        Map<String, Tensor> hyper = new LinkedHashMap<>(group);
        hyper.remove("params");
        hyper.remove("lr");
        for (String name : hyperParameters().keySet()) {
            require(hyper, name);
        }
        for (String name : hyper.keySet()) {
            if (!hyperParameters().containsKey(name)) {
                throw new IllegalArgumentException("unexpected key in optimizer state dict: '" + GROUP + name + "'");
            }
        }
        Map<String, Tensor> oldHyper = hyperParameters();
        loadHyperParameters(hyper); // validates everything before changing anything
        try {
            for (String key : stateKeys) {
                readState(key, stateDict.get(key), loaded);
            }
            List<String> names = stateNames();
            for (int i = 0; i < loaded.size(); i++) {
                if (!loaded.get(i).isEmpty() && !loaded.get(i).keySet().equals(new java.util.HashSet<>(names))) {
                    throw new IllegalArgumentException("state of parameter " + i + " must have the entries " + names
                            + " but the state dict has " + loaded.get(i).keySet());
                }
            }
        } catch (RuntimeException e) {
            loadHyperParameters(oldHyper);
            throw e;
        }
        lr = newLr;
        for (int i = 0; i < state.size(); i++) {
            Map<String, Tensor> s = state.get(i);
            s.clear();
            for (String name : stateNames()) { // in this optimizer's own order
                if (loaded.get(i).containsKey(name)) {
                    s.put(name, loaded.get(i).get(name));
                }
            }
        }
    }

    /** Checks one {@code state.<i>.<name>} entry and puts a converted copy into {@code loaded}. */
    private void readState(String key, Tensor value, List<Map<String, Tensor>> loaded) {
        String rest = key.substring(STATE.length());
        int dot = rest.indexOf('.');
        int index;
        try {
            index = dot < 0 ? -1 : Integer.parseInt(rest.substring(0, dot));
        } catch (NumberFormatException e) {
            index = -1;
        }
        String name = dot < 0 ? "" : rest.substring(dot + 1);
        if (index < 0 || index >= parameters.size() || !stateNames().contains(name)) {
            throw new IllegalArgumentException("unexpected key in optimizer state dict: '" + key + "' (expected "
                    + STATE + "<0.." + (parameters.size() - 1) + ">.<one of " + stateNames() + ">)");
        }
        Objects.requireNonNull(value, key);
        Parameter p = parameters.get(index);
        boolean isStep = name.equals("step");
        Shape expected = isStep ? Shape.scalar() : p.shape();
        if (!value.shape().equals(expected)) {
            throw new IllegalArgumentException("loaded " + key + " has shape " + value.shape().dimsString() + " but "
                    + (isStep ? "a step count is 0-d" : "parameter " + index + " has shape " + expected.dimsString()));
        }
        DType dtype = isStep ? DType.FLOAT32 : p.dtype();
        loaded.get(index).put(name, Tensor.zeros(expected, dtype).copy_(value.detach()));
    }

    private static Tensor require(Map<String, Tensor> group, String name) {
        Tensor t = group.get(name);
        if (t == null) {
            throw new IllegalArgumentException("missing key in optimizer state dict: '" + GROUP + name + "'");
        }
        return t;
    }

    /** The value of the 0-d hyper-parameter {@code name}. */
    protected static double number(Map<String, Tensor> values, String name) {
        Tensor t = require(values, name);
        if (t.dim() != 0) {
            throw new IllegalArgumentException("'" + GROUP + name + "' must be a 0-d tensor, got shape "
                    + t.shape().dimsString());
        }
        return t.item();
    }

    /** The values of the hyper-parameter vector {@code name}, which must have {@code length} elements. */
    protected static double[] numbers(Map<String, Tensor> values, String name, int length) {
        Tensor t = require(values, name);
        if (t.dim() != 1 || t.size(0) != length) {
            throw new IllegalArgumentException("'" + GROUP + name + "' must have shape [" + length + "], got "
                    + t.shape().dimsString());
        }
        return t.toArray();
    }

    /** A 0-d float64 tensor for a hyper-parameter. */
    protected static Tensor scalar(double value) {
        return Tensor.scalar(value, DType.FLOAT64);
    }

    /** A 0-d bool tensor for a flag. */
    protected static Tensor flag(boolean value) {
        return Tensor.scalar(value ? 1 : 0, DType.BOOL);
    }

    /** The values as an unmodifiable insertion-ordered map (keys and values alternate). */
    protected static Map<String, Tensor> ordered(Object... keysAndValues) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], (Tensor) keysAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(m);
    }

    private static void checkLr(double lr) {
        if (!(lr >= 0)) { // also rejects NaN
            throw new IllegalArgumentException("Invalid learning rate: " + pythonFloat(lr));
        }
    }

    /** Python's {@code repr} of a float, as PyTorch's messages print it: {@code 0.1}, {@code -1e-08}, {@code 1.0}. */
    static String pythonFloat(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return 1 / v < 0 ? "-0.0" : "0.0";
        }
        // Double.toString gives the shortest digits that round-trip, as Python's repr; only the layout differs.
        BigDecimal d = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
        String digits = d.unscaledValue().toString();
        int exponent = digits.length() - 1 - d.scale(); // of the leading digit
        String sign = v < 0 ? "-" : "";
        if (exponent < -4 || exponent >= 16) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
        }
        String plain = d.toPlainString();
        return sign + (plain.contains(".") ? plain : plain + ".0");
    }
}
