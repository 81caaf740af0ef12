"""Reference run: D2L's LeNet on Fashion-MNIST in PyTorch, to put jconv's figures beside.

Run with PyTorch 1.13 from Debian (python3-torch) and the IDX files of dataset-fashion-mnist:

    /usr/bin/python3 scripts/pytorch_lenet.py --model lenet --epochs 10 --threads 2
    /usr/bin/python3 scripts/pytorch_lenet.py --model lenet-relu --epochs 10 --threads 2

Same settings and order of random draws as `./jconv train` and D2L: after manual_seed(seed), one batch of
a fresh shuffled training iterator (D2L uses it to size its lazy layers), then the layers' default
initialisation and Xavier-uniform weights; batch 256, shuffled with the global generator; SGD lr 0.9 for
LeNet, Adam lr 1e-3 for the ReLU variant. Prints one line per
epoch: train loss, train accuracy, test accuracy and the training time of the epoch (evaluation excluded).
"""
import argparse
import gzip
import struct
import time

import torch
from torch import nn


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return torch.frombuffer(bytearray(data[4 + 4 * ndim:]), dtype=torch.uint8).reshape(dims)


def load(root, train):
    prefix = "train" if train else "t10k"
    images = read_idx(f"{root}/{prefix}-images-idx3-ubyte.gz").float().div(255).unsqueeze(1)
    labels = read_idx(f"{root}/{prefix}-labels-idx1-ubyte.gz").long()
    return torch.utils.data.TensorDataset(images, labels)


def lenet(modern):
    act = nn.ReLU if modern else nn.Sigmoid
    pool = (lambda: nn.MaxPool2d(2, 2)) if modern else (lambda: nn.AvgPool2d(2, 2))
    return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), act(), pool(), nn.Conv2d(6, 16, 5), act(), pool(),
                         nn.Flatten(), nn.Linear(400, 120), act(), nn.Linear(120, 84), act(), nn.Linear(84, 10))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="lenet", choices=["lenet", "lenet-relu"])
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    modern = args.model == "lenet-relu"
    train = torch.utils.data.DataLoader(load(args.data, True), batch_size=256, shuffle=True)
    test = torch.utils.data.DataLoader(load(args.data, False), batch_size=256)
    # D2L sizes its lazy layers with one batch of a fresh training iterator before the weights are drawn.
    next(iter(train))
    net = lenet(modern)
    for m in net:
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_uniform_(m.weight)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3) if modern else torch.optim.SGD(net.parameters(), lr=0.9)
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(1, args.epochs + 1):
        net.train()
        start = time.perf_counter()
        total, correct, loss_sum = 0, 0, 0.0
        for x, y in train:
            logits = net(x)
            loss = loss_fn(logits, y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            loss_sum += loss.item() * len(y)
            correct += (logits.argmax(1) == y).sum().item()
            total += len(y)
        seconds = time.perf_counter() - start
        net.eval()
        test_correct, test_total = 0, 0
        with torch.no_grad():
            for x, y in test:
                test_correct += (net(x).argmax(1) == y).sum().item()
                test_total += len(y)
        print(f"epoch {epoch}/{args.epochs}: train loss {loss_sum / total:.4f}, train acc {correct / total:.4f}, "
              f"test acc {test_correct / test_total:.4f}, {seconds:.1f} s", flush=True)


if __name__ == "__main__":
    main()
