"""Reference for the network step benchmark: training steps of D2L's networks in PyTorch.

    /usr/bin/python3 scripts/pytorch_step.py resnet18 32 96 30 --threads 2

Each step is forward, cross-entropy, zero_grad, backward and an SGD step on random inputs, as
dev.jconv.bench.StepBench does, with the same draws: after manual_seed(0) the inputs, the labels, then the
network (one forward pass sizes its lazy layers, then D2L's Xavier-uniform init). Prints one line per step,
then the medians of the windows StepBench reports (warm-up: steps 3-10; steady: steps 11 and later) and the
peak resident set size.
"""
import argparse
import os
import resource
import sys
import time

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from modern_cnns import NETWORKS, init_cnn  # noqa: E402


def lenet():
    return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.Sigmoid(), nn.AvgPool2d(2, 2), nn.Conv2d(6, 16, 5),
                         nn.Sigmoid(), nn.AvgPool2d(2, 2), nn.Flatten(), nn.Linear(400, 120), nn.Sigmoid(),
                         nn.Linear(120, 84), nn.Sigmoid(), nn.Linear(84, 10))


WARM_UP = 10  # the last step of the warm-up window, as in StepBench


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("net", nargs="?", default="resnet18", choices=["lenet"] + sorted(NETWORKS))
    ap.add_argument("batch", nargs="?", type=int, default=32)
    ap.add_argument("size", nargs="?", type=int, default=96)
    ap.add_argument("steps", nargs="?", type=int, default=30)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    if args.steps <= WARM_UP:
        ap.error(f"steps must be more than {WARM_UP}: steps 3-{WARM_UP} are the warm-up window")
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    x = torch.randn(args.batch, 1, args.size, args.size)
    y = torch.randint(0, 10, (args.batch,))
    if args.net == "lenet":
        net = lenet()
    else:
        net = NETWORKS[args.net]()
        with torch.no_grad():
            net(x)
        net.apply(init_cnn)
    loss = nn.CrossEntropyLoss()
    opt = torch.optim.SGD(net.parameters(), lr=0.05)
    times = []
    for s in range(args.steps):
        t0 = time.perf_counter()
        cpu0 = time.process_time()
        l = loss(net(x), y)
        opt.zero_grad()
        l.backward()
        opt.step()
        times.append((time.perf_counter() - t0) * 1000)
        busy = (time.process_time() - cpu0) * 1000 / times[-1]  # cores kept busy
        print(f"step {s + 1}: {times[-1]:.1f} ms, loss {l.item():.4f}, {busy:.2f} cores busy")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(f"{args.net} batch {args.batch} {args.size}x{args.size}: steady median {median(times, WARM_UP, len(times)):.1f}"
          f" ms per step (steps {WARM_UP + 1}-{len(times)}), warm-up median {median(times, 2, WARM_UP):.1f} ms"
          f" (steps 3-{WARM_UP}), peak RSS {rss / 1e9:.2f} GB")


def median(times, start, end):
    """The median of times[start:end], the upper one of an even count (as StepBench takes it)."""
    window = sorted(times[start:end])
    return window[len(window) // 2]


if __name__ == "__main__":
    main()
