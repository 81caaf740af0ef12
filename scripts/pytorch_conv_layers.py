"""Reference for bench/layers.sh: each convolution shape of a shapes file timed in PyTorch, forward and backward.

    /usr/bin/python3 scripts/pytorch_conv_layers.py bench/resnet18-convs.txt --threads 2

Best of 15 calls, as dev.jconv.bench.ConvShapeTime times them: forward, then backward with an output gradient of
ones (input and weight gradients). Prints one line per shape and the total weighted by each shape's layer count.
"""
import argparse
import time

import torch


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("shapes")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    total = 0.0
    for line in open(args.shapes):
        if not line.strip() or line.startswith("#"):
            continue
        n, c, h, w, o, k, s, p, count = map(int, line.split())
        x = torch.randn(n, c, h, w, requires_grad=True)
        wt = torch.randn(o, c, k, k, requires_grad=True)
        best_f = best_b = float("inf")
        for _ in range(15):
            t0 = time.perf_counter()
            y = torch.nn.functional.conv2d(x, wt, None, s, p)
            t1 = time.perf_counter()
            y.backward(torch.ones_like(y))
            t2 = time.perf_counter()
            x.grad = None
            wt.grad = None
            best_f, best_b = min(best_f, t1 - t0), min(best_b, t2 - t1)
        total += count * (best_f + best_b)
        print(f"{n} {c} {h} {w} {o} {k} {s} {p} x{count}: forward {best_f * 1e3:.2f} ms  backward {best_b * 1e3:.2f} ms")
    print(f"total over layers: {total * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
