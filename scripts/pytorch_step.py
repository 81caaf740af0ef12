"""Reference for the network step benchmark: training steps of D2L's ResNet-18 or LeNet in PyTorch.

    /usr/bin/python3 scripts/pytorch_step.py resnet18 32 96 8 --threads 2

Each step is forward, cross-entropy, zero_grad, backward and an SGD step on random inputs, as
dev.jconv.bench.StepBench does; prints one line per step, then the median of steps 3 and later and the
peak resident set size.
"""
import argparse
import resource
import time

import torch
from torch import nn
from torch.nn import functional as F


class Residual(nn.Module):
    def __init__(self, cin, cout, use_1x1conv=False, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, kernel_size=3, padding=1, stride=stride)
        self.conv2 = nn.Conv2d(cout, cout, kernel_size=3, padding=1)
        self.conv3 = nn.Conv2d(cin, cout, kernel_size=1, stride=stride) if use_1x1conv else None
        self.bn1 = nn.BatchNorm2d(cout)
        self.bn2 = nn.BatchNorm2d(cout)

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        if self.conv3:
            x = self.conv3(x)
        y += x
        return F.relu(y)


def resnet18(cin):
    layers = [nn.Conv2d(cin, 64, kernel_size=7, stride=2, padding=3), nn.BatchNorm2d(64), nn.ReLU(),
              nn.MaxPool2d(kernel_size=3, stride=2, padding=1)]
    channels = 64
    for i, (blocks, cout) in enumerate(((2, 64), (2, 128), (2, 256), (2, 512))):
        stage = []
        for j in range(blocks):
            first = j == 0 and i != 0
            stage.append(Residual(channels, cout, first, 2 if first else 1))
            channels = cout
        layers.append(nn.Sequential(*stage))
    layers += [nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(), nn.Linear(512, 10)]
    return nn.Sequential(*layers)


def lenet():
    return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.Sigmoid(), nn.AvgPool2d(2, 2), nn.Conv2d(6, 16, 5),
                         nn.Sigmoid(), nn.AvgPool2d(2, 2), nn.Flatten(), nn.Linear(400, 120), nn.Sigmoid(),
                         nn.Linear(120, 84), nn.Sigmoid(), nn.Linear(84, 10))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("net", nargs="?", default="resnet18", choices=["resnet18", "lenet"])
    ap.add_argument("batch", nargs="?", type=int, default=32)
    ap.add_argument("size", nargs="?", type=int, default=96)
    ap.add_argument("steps", nargs="?", type=int, default=8)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    net = resnet18(1) if args.net == "resnet18" else lenet()
    x = torch.randn(args.batch, 1, args.size, args.size)
    y = torch.randint(0, 10, (args.batch,))
    loss = nn.CrossEntropyLoss()
    opt = torch.optim.SGD(net.parameters(), lr=0.05)
    times = []
    for s in range(args.steps):
        t0 = time.perf_counter()
        l = loss(net(x), y)
        opt.zero_grad()
        l.backward()
        opt.step()
        times.append((time.perf_counter() - t0) * 1000)
        print(f"step {s + 1}: {times[-1]:.1f} ms, loss {l.item():.4f}")
    timed = sorted(times[min(2, args.steps - 1):])
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(f"{args.net} batch {args.batch} {args.size}x{args.size}: median {timed[len(timed) // 2]:.1f} ms per step "
          f"(steps 3-{args.steps}), peak RSS {rss / 1e9:.2f} GB")


if __name__ == "__main__":
    main()
