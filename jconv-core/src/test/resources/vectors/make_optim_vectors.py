"""Generates optim.json: reference trajectories for jconv's optimizers, schedulers and cross-entropy.

Run with PyTorch 1.13 from Debian:  /usr/bin/python3 make_optim_vectors.py
Sections:
  initial     two float32 parameters, shapes (2, 3) and (17,)
  grads       their float32 gradients for each of the 5 steps
  optimizers  the parameters after each step (single-tensor code path, foreach=False) and the final
              per-parameter state, keyed as jconv's Optimizer.stateDict() keys it (state.<i>.<name>)
  schedulers  the learning rate after construction (epoch 0) and after each of 12 scheduler steps
  losses      cross_entropy losses and gradients of sum(loss * grad_output), float64 and float32
  softmax     log_softmax and softmax values and gradients of sum(out * grad_output)
Float32 values are written as the exact decimal of the float (Python's repr of float(x)), so a reader
recovers the same bits.
"""
import json
import os

import torch
import torch.nn.functional as F

assert torch.__version__.startswith("1.13"), torch.__version__
torch.manual_seed(2024)

STEPS = 5
# (2, 3) and (17,): 17 floats run PyTorch's vectorised loop on 16 and its scalar loop on the last one.
SHAPES = [(2, 3), (17,)]


def enc(t):
    return {"shape": list(t.shape), "dtype": str(t.dtype).replace("torch.", ""),
            "data": [float(v) for v in t.detach().reshape(-1).tolist()]}


def away_from_zero(shape):
    """Values in ±[0.5, 1.5): parameters stay well away from 0, so relative comparisons are meaningful."""
    u = torch.rand(shape) + 0.5
    return torch.where(torch.rand(shape) < 0.5, -u, u)


init = [away_from_zero(s) for s in SHAPES]
grads = [[torch.randn(s) * 0.5 for s in SHAPES] for _ in range(STEPS)]


def trajectory(cid, make, hyper, scheduler=None):
    params = [p.clone().requires_grad_(True) for p in init]
    opt = make(params)
    sched = scheduler(opt) if scheduler else None
    after = []
    for step in range(STEPS):
        for p, g in zip(params, grads[step]):
            p.grad = g.clone()
        opt.step()
        if sched:
            sched.step()
        after.append([enc(p) for p in params])
    for p in params:  # the trajectories must keep |p| well above 0 (see away_from_zero)
        assert p.detach().abs().min() > 0.05, (cid, p)
    state = {}
    for i, p in enumerate(params):
        for k, v in opt.state[p].items():
            if v is not None:
                state[f"state.{i}.{k}"] = enc(v)
    case = {"id": cid, "optimizer": type(opt).__name__, "hyper": hyper, "after": after, "final_state": state}
    if scheduler:
        case["scheduler"] = scheduler.spec
    return case


def sgd(**kw):
    return lambda ps: torch.optim.SGD(ps, foreach=False, **kw)


def adam(cls, **kw):
    return lambda ps: cls(ps, foreach=False, **kw)


def step_lr(step_size, gamma):
    def make(opt):
        return torch.optim.lr_scheduler.StepLR(opt, step_size, gamma)
    make.spec = {"type": "StepLR", "step_size": step_size, "gamma": gamma}
    return make


optimizers = [
    trajectory("sgd-plain", sgd(lr=0.1), {"lr": 0.1}),
    trajectory("sgd-momentum", sgd(lr=0.1, momentum=0.9), {"lr": 0.1, "momentum": 0.9}),
    trajectory("sgd-nesterov", sgd(lr=0.1, momentum=0.9, nesterov=True),
               {"lr": 0.1, "momentum": 0.9, "nesterov": True}),
    trajectory("sgd-weight-decay", sgd(lr=0.1, weight_decay=0.05), {"lr": 0.1, "weight_decay": 0.05}),
    trajectory("sgd-dampening", sgd(lr=0.1, momentum=0.9, dampening=0.5),
               {"lr": 0.1, "momentum": 0.9, "dampening": 0.5}),
    trajectory("sgd-nesterov-weight-decay", sgd(lr=0.05, momentum=0.8, weight_decay=0.01, nesterov=True),
               {"lr": 0.05, "momentum": 0.8, "weight_decay": 0.01, "nesterov": True}),
    trajectory("sgd-momentum-steplr", sgd(lr=0.1, momentum=0.9), {"lr": 0.1, "momentum": 0.9},
               scheduler=step_lr(2, 0.5)),
    trajectory("adam-default", adam(torch.optim.Adam), {}),
    trajectory("adam-large-lr", adam(torch.optim.Adam, lr=0.1, betas=(0.8, 0.99), eps=1e-6),
               {"lr": 0.1, "betas": [0.8, 0.99], "eps": 1e-6}),
    trajectory("adam-weight-decay", adam(torch.optim.Adam, lr=0.05, weight_decay=0.1),
               {"lr": 0.05, "weight_decay": 0.1}),
    trajectory("adamw-default", adam(torch.optim.AdamW), {}),
    trajectory("adamw-no-decay", adam(torch.optim.AdamW, lr=0.05, weight_decay=0.0),
               {"lr": 0.05, "weight_decay": 0.0}),
    trajectory("adamw-decay", adam(torch.optim.AdamW, lr=0.05, betas=(0.85, 0.995), weight_decay=0.1),
               {"lr": 0.05, "betas": [0.85, 0.995], "weight_decay": 0.1}),
]


def lr_sequence(cid, base_lr, make, spec, epochs=12):
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=base_lr)
    sched = make(opt)
    lrs = [sched.get_last_lr()[0]]
    for _ in range(epochs):
        opt.step()
        sched.step()
        lrs.append(sched.get_last_lr()[0])
    return {"id": cid, "lr": base_lr, **spec, "lrs": lrs}


S = torch.optim.lr_scheduler
schedulers = [
    lr_sequence("steplr-3-0.1", 0.1, lambda o: S.StepLR(o, 3, 0.1), {"type": "StepLR", "step_size": 3, "gamma": 0.1}),
    lr_sequence("steplr-4-0.5", 0.05, lambda o: S.StepLR(o, 4, 0.5), {"type": "StepLR", "step_size": 4, "gamma": 0.5}),
    lr_sequence("steplr-default-gamma", 1.0, lambda o: S.StepLR(o, 2), {"type": "StepLR", "step_size": 2}),
    lr_sequence("cosine-10-0", 0.1, lambda o: S.CosineAnnealingLR(o, 10), {"type": "CosineAnnealingLR", "T_max": 10}),
    lr_sequence("cosine-5-0.001", 0.1, lambda o: S.CosineAnnealingLR(o, 5, 0.001),
                {"type": "CosineAnnealingLR", "T_max": 5, "eta_min": 0.001}),
    lr_sequence("cosine-3-0.01", 0.05, lambda o: S.CosineAnnealingLR(o, 3, 0.01),
                {"type": "CosineAnnealingLR", "T_max": 3, "eta_min": 0.01}),
]


def loss_case(cid, logits, target, reduction, label_smoothing, ignore_index=-100):
    x = logits.clone().requires_grad_(True)
    out = F.cross_entropy(x, target, reduction=reduction, label_smoothing=label_smoothing,
                          ignore_index=ignore_index)
    g = torch.randn(out.shape, dtype=out.dtype)
    (out * g).sum().backward()
    t = enc(target) if target.dtype.is_floating_point else {"shape": list(target.shape), "dtype": "int64",
                                                            "data": target.reshape(-1).tolist()}
    return {"id": cid, "input": enc(logits), "target": t, "reduction": reduction,
            "label_smoothing": label_smoothing, "ignore_index": ignore_index,
            "grad_output": enc(g), "output": enc(out), "grad_input": enc(x.grad)}


# float64 covers every variant; float32 a few, to check the dtype is kept and rounding stays small.
losses = []
for dtype in (torch.float64, torch.float32):
    name = str(dtype).replace("torch.", "")
    full = dtype == torch.float64
    logits = (torch.randn(4, 5, dtype=torch.float64) * 2).to(dtype)
    target = torch.randint(0, 5, (4,))
    for reduction in ("mean", "sum", "none"):
        for ls in (0.0, 0.1):
            if full or (reduction, ls) in (("mean", 0.0), ("none", 0.1)):
                losses.append(loss_case(f"ce-{name}-{reduction}-ls{ls}", logits, target, reduction, ls))
    ignored = target.clone()
    ignored[1] = -100
    for reduction in ("mean", "sum", "none") if full else ("mean",):
        losses.append(loss_case(f"ce-{name}-ignore-{reduction}-ls0.1", logits, ignored, reduction, 0.1))
    probs = torch.softmax(torch.randn(4, 5, dtype=torch.float64), 1).to(dtype)
    for reduction in ("mean", "sum", "none") if full else ("mean",):
        losses.append(loss_case(f"ce-{name}-probabilities-{reduction}-ls0.1", logits, probs, reduction, 0.1))
    large = torch.tensor([[1000.0, 0.0, -1000.0], [-1000.0, 999.0, 1000.0]], dtype=dtype)
    losses.append(loss_case(f"ce-{name}-large-logits", large, torch.tensor([0, 1]), "mean", 0.0))
    if full:
        losses.append(loss_case(f"ce-{name}-ignore-index-2-mean", logits, target, "mean", 0.0,
                                ignore_index=int(target[0])))
        losses.append(loss_case(f"ce-{name}-unbatched-ls0.2", logits[0], target[0], "mean", 0.2))
        spatial = (torch.randn(2, 3, 4, dtype=torch.float64) * 2).to(dtype)
        losses.append(loss_case(f"ce-{name}-spatial-mean-ls0.1", spatial, torch.randint(0, 3, (2, 4)), "mean", 0.1))
        losses.append(loss_case(f"ce-{name}-spatial-none", spatial, torch.randint(0, 3, (2, 4)), "none", 0.0))


def softmax_case(cid, fn, x, dim):
    leaf = x.clone().requires_grad_(True)
    out = getattr(torch, fn)(leaf, dim)
    g = torch.randn(out.shape, dtype=out.dtype)
    (out * g).sum().backward()
    return {"id": cid, "fn": fn, "dim": dim, "input": enc(x), "grad_output": enc(g), "output": enc(out),
            "grad_input": enc(leaf.grad)}


softmax = []
for dtype in (torch.float64, torch.float32):
    name = str(dtype).replace("torch.", "")
    x = (torch.randn(2, 3, 4, dtype=torch.float64) * 3).to(dtype)
    for fn in ("log_softmax", "softmax"):
        for dim in (0, 1, -1) if dtype == torch.float64 else (1,):
            softmax.append(softmax_case(f"{fn}-{name}-dim{dim}", fn, x, dim))
        softmax.append(softmax_case(f"{fn}-{name}-large", fn, torch.tensor([[1000.0, 0.0, -1000.0, 1000.0]],
                                                                               dtype=dtype), 1))

out = {"torch_version": torch.__version__, "initial": [enc(p) for p in init],
       "grads": [[enc(g) for g in gs] for gs in grads], "optimizers": optimizers, "schedulers": schedulers,
       "losses": losses, "softmax": softmax}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "optim.json")
with open(path, "w") as f:
    json.dump(out, f, separators=(",", ":"), allow_nan=False)
    f.write("\n")
print(f"wrote {path}: {len(optimizers)} optimizer, {len(schedulers)} scheduler, {len(losses)} loss and "
      f"{len(softmax)} softmax cases")
