"""Reference for the network step benchmark: training steps of D2L's networks in PyTorch.

    /usr/bin/python3 scripts/pytorch_step.py resnet18 32 96 8 --threads 2

Each step is forward, cross-entropy, zero_grad, backward and an SGD step on random inputs, as
dev.jconv.bench.StepBench does, with the same draws: after manual_seed(0) the inputs, the labels, then the
network (one forward pass sizes its lazy layers, then D2L's Xavier-uniform init). Prints one line per step,
then the median of steps 3 and later and the peak resident set size.
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("net", nargs="?", default="resnet18", choices=["lenet"] + sorted(NETWORKS))
    ap.add_argument("batch", nargs="?", type=int, default=32)
    ap.add_argument("size", nargs="?", type=int, default=96)
    ap.add_argument("steps", nargs="?", type=int, default=8)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
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
    timed = sorted(times[min(2, args.steps - 1):])
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(f"{args.net} batch {args.batch} {args.size}x{args.size}: median {timed[len(timed) // 2]:.1f} ms per step "
          f"(steps 3-{args.steps}), peak RSS {rss / 1e9:.2f} GB")


if __name__ == "__main__":
    main()
