#!/usr/bin/python3
"""Writes pooling.json beside this script: conformance vectors (format jconv-conformance/1) for 2-D pooling.

Run with Debian's PyTorch 1.13:  /usr/bin/python3 make_pooling_vectors.py
The output depends only on the seeds below, so running it again gives the same file.

Covered: max_pool2d (ceil_mode, dilation, padding, ties, NaN and infinities, unbatched input), avg_pool2d
(ceil_mode with and without count_include_pad, divisor_override, unbatched input, infinities),
adaptive_avg_pool2d and adaptive_max_pool2d (attr output_size [h, w], null for PyTorch's None; outputs
smaller, larger and equal to the input, 1x1), and arguments PyTorch rejects.

avg_pool2d cases carry an extra attr, divisor_override (null when not used).
"""

import json
import math
import os
import random

import torch
import torch.nn.functional as F

SEED = 20240611
torch.manual_seed(SEED)
rng = random.Random(SEED)
DTYPE = torch.float64

cases = []


def encode(v):
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def tensor_json(t):
    return {"shape": list(t.shape), "data": [encode(v) for v in t.detach().flatten().tolist()]}


def call(op, x, attrs):
    if op == "max_pool2d":
        return F.max_pool2d(x, attrs["kernel_size"], attrs["stride"], attrs["padding"], attrs["dilation"],
                            attrs["ceil_mode"])
    if op == "avg_pool2d":
        return F.avg_pool2d(x, attrs["kernel_size"], attrs["stride"], attrs["padding"], attrs["ceil_mode"],
                            attrs["count_include_pad"], attrs["divisor_override"])
    if op == "adaptive_avg_pool2d":
        return F.adaptive_avg_pool2d(x, attrs["output_size"])
    if op == "adaptive_max_pool2d":
        return F.adaptive_max_pool2d(x, attrs["output_size"])
    raise ValueError(op)


def add(op, tag, x, attrs):
    """Adds a case: PyTorch's output and input gradient, or the message it rejects the case with."""
    n = sum(1 for c in cases if c["op"] == op and c["id"].startswith(op + "-" + tag + "-")) + 1
    case = {"id": "%s-%s-%03d" % (op, tag, n), "op": op, "inputs": {"input": tensor_json(x)}, "attrs": attrs}
    leaf = x.detach().clone().requires_grad_(True)
    try:
        out = call(op, leaf, attrs)
    except (RuntimeError, ValueError, IndexError) as e:
        case["error"] = str(e).split("\n")[0]
        cases.append(case)
        return
    grad_output = torch.randn(out.shape, dtype=DTYPE)
    (out * grad_output).sum().backward()
    grad = leaf.grad if leaf.grad is not None else torch.zeros_like(leaf)
    case["grad_output"] = tensor_json(grad_output)
    case["expected"] = {"output": tensor_json(out), "grads": {"input": tensor_json(grad)}}
    cases.append(case)


def size(in_, k, s, p, d, ceil):
    """PyTorch's pooled size of one dimension (ceil mode: the last window starts inside image or left pad)."""
    out = (in_ + 2 * p - d * (k - 1) - 1 + (s - 1 if ceil else 0)) // s + 1
    if ceil and (out - 1) * s >= in_ + p:
        out -= 1
    return out


def randn(*shape):
    return torch.randn(shape, dtype=DTYPE)


def input_shape(batched, max_hw=9):
    hw = [rng.randint(1, max_hw), rng.randint(1, max_hw)]
    return ([rng.randint(1, 2)] if batched else []) + [rng.randint(1, 3)] + hw


def window(max_k=4, dilation=True):
    k = [rng.randint(1, max_k), rng.randint(1, max_k)]
    s = [rng.randint(1, 3), rng.randint(1, 3)]
    p = [rng.randint(0, k[0] // 2), rng.randint(0, k[1] // 2)]
    d = [rng.randint(1, 3), rng.randint(1, 3)] if dilation else [1, 1]
    return k, s, p, d


def empty_max_window(shape, k, s, p, d, ceil):
    """True when some window's taps all fall in the padding: PyTorch 1.13 then gives an index outside the
    plane (and its backward writes there), which is no behaviour to copy."""
    x = torch.zeros(shape, dtype=DTYPE)
    _, idx = F.max_pool2d(x, k, s, p, d, ceil, return_indices=True)
    return bool((idx >= shape[-2] * shape[-1]).any())


def max_case(tag, batched=True, need_ceil=False, need_dilation=False, values=None):
    while True:
        shape = input_shape(batched)
        k, s, p, d = window()
        ceil = need_ceil or rng.random() < 0.4
        if need_dilation and max(d) < 2:
            continue
        hw = shape[-2:]
        outs = [size(hw[i], k[i], s[i], p[i], d[i], ceil) for i in range(2)]
        if min(outs) < 1:
            continue
        if need_ceil and outs == [size(hw[i], k[i], s[i], p[i], d[i], False) for i in range(2)]:
            continue  # ceil mode must change the size to be worth a case
        if empty_max_window(shape, k, s, p, d, ceil):
            continue
        break
    x = values(shape) if values else randn(*shape)
    add("max_pool2d", tag, x, {"kernel_size": k, "stride": s, "padding": p, "dilation": d, "ceil_mode": ceil})


def avg_case(tag, batched=True, need_ceil=False, count_include_pad=None, divisor=None, need_pad=False,
             values=None):
    while True:
        shape = input_shape(batched)
        k, s, p, _ = window(dilation=False)
        if need_pad and max(p) == 0:
            continue
        ceil = need_ceil or rng.random() < 0.4
        hw = shape[-2:]
        outs = [size(hw[i], k[i], s[i], p[i], 1, ceil) for i in range(2)]
        if min(outs) < 1:
            continue
        if need_ceil and outs == [size(hw[i], k[i], s[i], p[i], 1, False) for i in range(2)]:
            continue
        break
    cip = count_include_pad if count_include_pad is not None else rng.random() < 0.5
    x = values(shape) if values else randn(*shape)
    add("avg_pool2d", tag, x, {"kernel_size": k, "stride": s, "padding": p, "ceil_mode": ceil,
                               "count_include_pad": cip, "divisor_override": divisor})


def ties(shape):
    """Small integers: many equal values in a window, so the first maximum must win."""
    return torch.randint(0, 3, shape).to(DTYPE)


def specials(shape):
    """Normal values with NaN, +inf and -inf sprinkled in (at least one NaN)."""
    x = randn(*shape)
    flat = x.view(-1)
    n = flat.numel()
    for v in [math.nan, math.inf, -math.inf, math.nan]:
        flat[rng.randrange(n)] = v
    return x


def adaptive_case(op, tag, out_size, shape=None, values=None):
    shape = shape or input_shape(True)
    x = values(shape) if values else randn(*shape)
    add(op, tag, x, {"output_size": out_size})


# ---- max_pool2d -----------------------------------------------------------------------------------------
for _ in range(10):
    max_case("random")
for _ in range(6):
    max_case("ceil", need_ceil=True)
for _ in range(5):
    max_case("dilation", need_dilation=True)
for _ in range(4):
    max_case("unbatched", batched=False)
for _ in range(4):
    max_case("ties", values=ties)
for _ in range(3):
    max_case("special", values=specials)
# The chapter's example: 3x3 windows, padding 1, stride 2 over arange(16).
add("max_pool2d", "chapter", torch.arange(16, dtype=DTYPE).reshape(1, 1, 4, 4),
    {"kernel_size": [3, 3], "stride": [2, 2], "padding": [1, 1], "dilation": [1, 1], "ceil_mode": False})
# A whole row of -inf: padding (also -inf) is still never chosen.
add("max_pool2d", "neginf", torch.tensor([[[-math.inf, -math.inf, -math.inf], [1.0, -math.inf, 2.0]]], dtype=DTYPE),
    {"kernel_size": [2, 2], "stride": [1, 1], "padding": [1, 1], "dilation": [1, 1], "ceil_mode": True})

# ---- avg_pool2d -----------------------------------------------------------------------------------------
for _ in range(8):
    avg_case("random")
for cip in [True, False, True, False, True, False]:
    avg_case("ceil", need_ceil=True, count_include_pad=cip)
for _ in range(5):
    avg_case("nopad", count_include_pad=False, need_pad=True)
for divisor in [1, 3, 7, -2, 5, 2]:
    avg_case("divisor", divisor=divisor, need_ceil=divisor in (7, -2))
for _ in range(4):
    avg_case("unbatched", batched=False)
avg_case("special", values=specials)
# Ceil mode past the padded edge: count_include_pad counts the padding but not the overhang.
for cip in [True, False]:
    add("avg_pool2d", "overhang", torch.arange(25, dtype=DTYPE).reshape(1, 5, 5),
        {"kernel_size": [3, 3], "stride": [2, 2], "padding": [1, 1], "ceil_mode": True, "count_include_pad": cip,
         "divisor_override": None})

# ---- adaptive pooling -----------------------------------------------------------------------------------
for op in ["adaptive_avg_pool2d", "adaptive_max_pool2d"]:
    for _ in range(6):
        shape = input_shape(True)
        adaptive_case(op, "random", [rng.randint(1, 6), rng.randint(1, 6)], shape)
    adaptive_case(op, "shrink", [3, 2], [2, 3, 10, 7])
    adaptive_case(op, "grow", [7, 5], [1, 2, 3, 4])
    adaptive_case(op, "same", [5, 6], [1, 2, 5, 6])
    adaptive_case(op, "global", [1, 1], [2, 3, 5, 4])
    adaptive_case(op, "none", [None, 2], [1, 2, 5, 7])
    adaptive_case(op, "none", [3, None], [2, 5, 6])
    adaptive_case(op, "unbatched", [2, 3], [3, 7, 8])
    adaptive_case(op, "unbatched", [1, 1], [2, 4, 3])
adaptive_case("adaptive_max_pool2d", "ties", [2, 3], [1, 2, 6, 7], values=ties)
adaptive_case("adaptive_max_pool2d", "special", [3, 2], [1, 2, 7, 5], values=specials)
adaptive_case("adaptive_avg_pool2d", "special", [3, 2], [1, 2, 7, 5], values=specials)

# ---- rejected inputs ------------------------------------------------------------------------------------
x = randn(1, 2, 6, 6)


def max_attrs(k, s, p, d, ceil=False):
    return {"kernel_size": k, "stride": s, "padding": p, "dilation": d, "ceil_mode": ceil}


def avg_attrs(k, s, p, ceil=False, cip=True, divisor=None):
    return {"kernel_size": k, "stride": s, "padding": p, "ceil_mode": ceil, "count_include_pad": cip,
            "divisor_override": divisor}


add("max_pool2d", "bad", x, max_attrs([2, 0], [1, 1], [0, 0], [1, 1]))          # kernel size zero
add("max_pool2d", "bad", x, max_attrs([2, 2], [0, 1], [0, 0], [1, 1]))          # stride zero
add("max_pool2d", "bad", x, max_attrs([2, 2], [-1, 1], [0, 0], [1, 1]))         # negative stride
add("max_pool2d", "bad", x, max_attrs([2, 2], [1, 1], [0, 0], [0, 1]))          # dilation zero
add("max_pool2d", "bad", x, max_attrs([2, 2], [1, 1], [-1, 0], [1, 1]))         # negative padding
add("max_pool2d", "bad", x, max_attrs([3, 5], [1, 1], [1, 3], [1, 1]))          # padding over half the kernel
add("max_pool2d", "bad", x, max_attrs([3, 3], [1, 1], [0, 0], [3, 3]))          # dilated window too large
add("max_pool2d", "bad", x, max_attrs([7, 2], [1, 1], [0, 0], [1, 1], True))    # too large, ceil mode
add("max_pool2d", "bad", randn(1, 1, 2, 6, 6), max_attrs([2, 2], [2, 2], [0, 0], [1, 1]))  # 5-D
add("max_pool2d", "bad", randn(1, 0, 6, 6), max_attrs([2, 2], [2, 2], [0, 0], [1, 1]))     # no channels
add("avg_pool2d", "bad", x, avg_attrs([0, 2], [1, 1], [0, 0]))                  # kernel size zero
add("avg_pool2d", "bad", x, avg_attrs([2, 2], [1, -2], [0, 0]))                 # negative stride
add("avg_pool2d", "bad", x, avg_attrs([2, 2], [1, 1], [0, 2]))                  # padding over half the kernel
add("avg_pool2d", "bad", x, avg_attrs([2, 2], [1, 1], [0, 0], divisor=0))       # divisor zero
add("avg_pool2d", "bad", x, avg_attrs([9, 9], [1, 1], [1, 1]))                  # too large for the padded input
add("avg_pool2d", "bad", randn(6, 6), avg_attrs([2, 2], [2, 2], [0, 0]))        # 2-D
add("avg_pool2d", "bad", randn(1, 2, 0, 6), avg_attrs([2, 2], [2, 2], [0, 0]))  # empty height
add("adaptive_avg_pool2d", "bad", x, {"output_size": [-1, 2]})
add("adaptive_avg_pool2d", "bad", randn(6, 6), {"output_size": [2, 2]})
add("adaptive_avg_pool2d", "bad", randn(1, 2, 6, 0), {"output_size": [2, 2]})
add("adaptive_max_pool2d", "bad", x, {"output_size": [2, -3]})
add("adaptive_max_pool2d", "bad", randn(1, 1, 1, 6, 6), {"output_size": [2, 2]})
add("adaptive_max_pool2d", "bad", randn(1, 0, 6, 6), {"output_size": [2, 2]})

bad_accepted = [c["id"] for c in cases if "-bad-" in c["id"] and "error" not in c]
good_rejected = [c["id"] for c in cases if "-bad-" not in c["id"] and "error" in c]
assert not bad_accepted and not good_rejected, (bad_accepted, good_rejected)

doc = {"format": "jconv-conformance/1", "generator": "PyTorch %s (Debian), float64" % torch.__version__,
       "cases": cases}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pooling.json")
with open(path, "w") as f:
    json.dump(doc, f, separators=(",", ":"), allow_nan=False)
    f.write("\n")
print("wrote %d cases (%d rejected) to %s, %d bytes" % (len(cases), sum("error" in c for c in cases), path,
                                                        os.path.getsize(path)))
