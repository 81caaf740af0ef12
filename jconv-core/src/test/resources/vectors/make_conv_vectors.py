"""Generates conv-family.json: conformance vectors for jconv's convolution family.

Run with PyTorch 1.13 from Debian:  /usr/bin/python3 make_conv_vectors.py
Cases (float64, seeded): conv2d with padding modes and asymmetric "same", pad in every mode, conv1d,
conv_transpose2d, batch_norm2d in training and evaluation, plus inputs PyTorch rejects. Format as in
the reference vectors: inputs, attrs, grad_output, expected output and gradients of sum(output * grad_output).
"""
import json
import random

import torch
import torch.nn.functional as F

torch.manual_seed(1234)
rng = random.Random(1234)
torch.set_default_dtype(torch.float64)


def enc(t):
    if t is None:
        return None
    return {"shape": list(t.shape), "data": [float(v) for v in t.detach().reshape(-1).tolist()]}


def case(cid, op, inputs, attrs, fn):
    leaves = {k: (v.clone().requires_grad_(True) if v is not None and v.dtype.is_floating_point else v)
              for k, v in inputs.items()}
    try:
        out = fn(**leaves)
    except Exception as e:  # PyTorch rejects the arguments: the case expects an error
        return {"id": cid, "op": op, "inputs": {k: enc(v) for k, v in inputs.items()}, "attrs": attrs,
                "error": str(e).splitlines()[0]}
    g = torch.randn(out.shape)
    (out * g).sum().backward()
    grads = {k: (enc(v.grad) if v is not None and v.requires_grad else None) for k, v in leaves.items()}
    return {"id": cid, "op": op, "inputs": {k: enc(v) for k, v in inputs.items()}, "attrs": attrs,
            "grad_output": enc(g), "expected": {"output": enc(out), "grads": grads}}


cases = []

# conv2d with padding modes and "same" (odd totals put the extra row/column at the end)
for i in range(24):
    mode = ["zeros", "reflect", "replicate", "circular"][i % 4]
    groups = rng.choice([1, 1, 2])
    cin, cout = groups * rng.randint(1, 2), groups * rng.randint(1, 2)
    kh, kw = rng.randint(1, 4), rng.randint(1, 4)
    dil = [rng.randint(1, 2), rng.randint(1, 2)]
    h, w = rng.randint(4, 8), rng.randint(4, 8)
    same = i % 3 == 0
    stride = [1, 1] if same else [rng.randint(1, 2), rng.randint(1, 2)]
    pad = "same" if same else [rng.randint(0, min(2, h - 1)), rng.randint(0, min(2, w - 1))]
    x = torch.randn(rng.randint(1, 2), cin, h, w)
    wt = torch.randn(cout, cin // groups, kh, kw)
    b = torch.randn(cout) if rng.random() < 0.7 else None
    attrs = {"stride": stride, "padding": pad, "dilation": dil, "groups": groups, "padding_mode": mode}

    def conv(input, weight, bias, stride=stride, pad=pad, dil=dil, groups=groups, mode=mode):
        m = torch.nn.Conv2d(input.shape[1], weight.shape[0], weight.shape[2:], stride=stride, padding=pad,
                            dilation=dil, groups=groups, bias=bias is not None, padding_mode=mode)
        del m.weight  # use the case's tensors (leaves of the graph) instead of fresh parameters
        m.weight = weight
        if bias is not None:
            del m.bias
            m.bias = bias
        return m(input)
    cases.append(case(f"conv2d-mode-{i + 1:03d}", "conv2d", {"input": x, "weight": wt, "bias": b}, attrs, conv))

# pad in every mode, 1 to 3 padded dimensions
for i in range(20):
    mode = ["constant", "reflect", "replicate", "circular"][i % 4]
    ndims = rng.randint(1, 2 if mode != "constant" else 3)
    shape = [rng.randint(1, 2), rng.randint(1, 2)] + [rng.randint(2, 5) for _ in range(ndims)]
    x = torch.randn(shape)
    pads = []
    for d in range(ndims):
        size = shape[-1 - d]
        hi = size - 1 if mode == "reflect" else size
        lo = -1 if mode == "constant" else 0
        pads += [rng.randint(lo, hi), rng.randint(lo, hi)]
    value = round(rng.uniform(-2, 2), 2) if mode == "constant" else 0.0
    attrs = {"pad": pads, "mode": mode, "value": value}
    cases.append(case(f"pad-{i + 1:03d}", "pad", {"input": x}, attrs,
                      lambda input, pads=pads, mode=mode, value=value: F.pad(input, pads, mode=mode, value=value)
                      if mode == "constant" else F.pad(input, pads, mode=mode)))
cases.append(case("pad-reject-001", "pad", {"input": torch.randn(1, 1, 3)}, {"pad": [3, 0], "mode": "reflect", "value": 0.0},
                  lambda input: F.pad(input, [3, 0], mode="reflect")))

# conv1d, batched and unbatched
for i in range(10):
    groups = rng.choice([1, 2])
    cin, cout = groups * rng.randint(1, 2), groups * rng.randint(1, 3)
    k = rng.randint(1, 4)
    x = torch.randn(rng.randint(1, 2), cin, rng.randint(5, 9)) if i % 3 else torch.randn(cin, rng.randint(5, 9))
    wt = torch.randn(cout, cin // groups, k)
    b = torch.randn(cout) if i % 2 else None
    same = i % 4 == 0
    stride = 1 if same else rng.randint(1, 2)
    pad = "same" if same else rng.randint(0, 2)
    dil = rng.randint(1, 2)
    attrs = {"stride": stride, "padding": pad, "dilation": dil, "groups": groups}
    cases.append(case(f"conv1d-{i + 1:03d}", "conv1d", {"input": x, "weight": wt, "bias": b}, attrs,
                      lambda input, weight, bias, s=stride, p=pad, d=dil, g=groups:
                      F.conv1d(input, weight, bias, s, p, d, g)))

# conv_transpose2d
for i in range(14):
    groups = rng.choice([1, 2])
    cin, cout = groups * rng.randint(1, 2), groups * rng.randint(1, 2)
    kh, kw = rng.randint(1, 4), rng.randint(1, 4)
    stride = [rng.randint(1, 3), rng.randint(1, 3)]
    dil = [rng.randint(1, 2), rng.randint(1, 2)]
    pad = [rng.randint(0, 1), rng.randint(0, 1)]
    opad = [rng.randint(0, max(stride[0], dil[0]) - 1), rng.randint(0, max(stride[1], dil[1]) - 1)]
    x = torch.randn(rng.randint(1, 2), cin, rng.randint(2, 5), rng.randint(2, 5)) if i % 4 else \
        torch.randn(cin, rng.randint(2, 5), rng.randint(2, 5))
    wt = torch.randn(cin, cout // groups, kh, kw)
    b = torch.randn(cout) if i % 2 else None
    attrs = {"stride": stride, "padding": pad, "output_padding": opad, "groups": groups, "dilation": dil}
    cases.append(case(f"conv_transpose2d-{i + 1:03d}", "conv_transpose2d", {"input": x, "weight": wt, "bias": b},
                      attrs, lambda input, weight, bias, s=stride, p=pad, o=opad, g=groups, d=dil:
                      F.conv_transpose2d(input, weight, bias, s, p, o, g, d)))
cases.append(case("conv_transpose2d-reject-001", "conv_transpose2d",
                  {"input": torch.randn(1, 2, 3, 3), "weight": torch.randn(2, 1, 2, 2), "bias": None},
                  {"stride": [1, 1], "padding": [0, 0], "output_padding": [1, 0], "groups": 1, "dilation": [1, 1]},
                  lambda input, weight, bias: F.conv_transpose2d(input, weight, bias, 1, 0, (1, 0), 1, 1)))

# batch_norm2d: output and gradients; running statistics after the call in "running_mean_after"/"running_var_after"
for i in range(8):
    c = rng.randint(1, 3)
    x = torch.randn(rng.randint(2, 3), c, rng.randint(1, 3), rng.randint(2, 3))
    w, b = torch.randn(c), torch.randn(c)
    rm, rv = torch.randn(c), torch.rand(c) + 0.5
    training = i % 2 == 0
    momentum, eps = [0.1, 0.3][i % 2], [1e-5, 1e-3][(i // 2) % 2]
    attrs = {"training": training, "momentum": momentum, "eps": eps}
    rm2, rv2 = rm.clone(), rv.clone()
    c_ = case(f"batch_norm2d-{i + 1:03d}", "batch_norm2d",
              {"input": x, "weight": w, "bias": b, "running_mean": rm, "running_var": rv}, attrs,
              lambda input, weight, bias, running_mean, running_var, t=training, m=momentum, e=eps:
              F.batch_norm(input, rm2, rv2, weight, bias, t, m, e))
    c_["expected"]["running_mean_after"] = enc(rm2)
    c_["expected"]["running_var_after"] = enc(rv2)
    c_["expected"]["grads"]["running_mean"] = None
    c_["expected"]["grads"]["running_var"] = None
    cases.append(c_)

doc = {"format": "jconv-conformance/1", "generator": "PyTorch %s (Debian), float64" % torch.__version__, "cases": cases}
with open("conv-family.json", "w") as f:
    json.dump(doc, f, separators=(",", ":"))
print(len(cases), "cases")
