"""The recipe of `./jconv train MODEL` for the modern CNNs, in PyTorch, to put jconv's figures beside.

    /usr/bin/python3 scripts/pytorch_train.py --model resnet18 --limit 512 --epochs 1 --threads 2

Same settings and order of random draws as jconv: after manual_seed(seed), one batch of a fresh shuffled
training iterator sizes the lazy layers (their default initialisation, and dropout, draw from the global
generator), then Xavier-uniform weights for every convolution and linear layer; SGD at D2L's lr, batch 128,
images resized per batch with bilinear interpolation (F.interpolate, align_corners=False, no antialiasing).
Prints one line per epoch: train loss, train accuracy, test accuracy and the epoch's training time.
"""
import argparse
import gzip
import struct
import time

import torch
from torch.nn import functional as F

from modern_cnns import NETWORKS, init_cnn

LR = {'alexnet': 0.01, 'vgg11': 0.05, 'nin': 0.05, 'googlenet': 0.01, 'bn-lenet': 0.1, 'resnet18': 0.01,
      'densenet': 0.1, 'regnetx32': 0.05}


def read_idx(path):
    with gzip.open(path, 'rb') as f:
        data = f.read()
    ndim = struct.unpack('>I', data[:4])[0] & 0xFF
    dims = struct.unpack('>' + 'I' * ndim, data[4:4 + 4 * ndim])
    return torch.frombuffer(bytearray(data[4 + 4 * ndim:]), dtype=torch.uint8).reshape(dims)


class Resized(torch.utils.data.Dataset):
    """Fashion-MNIST images in [0, 1], resized one at a time as the loader asks for them."""

    def __init__(self, root, train, size, limit):
        prefix = 'train' if train else 't10k'
        self.images = read_idx(f'{root}/{prefix}-images-idx3-ubyte.gz')[:limit or None]
        self.labels = read_idx(f'{root}/{prefix}-labels-idx1-ubyte.gz')[:limit or None].long()
        self.size = size

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        x = self.images[i].float().div(255).reshape(1, 1, 28, 28)
        x = F.interpolate(x, size=(self.size, self.size), mode='bilinear', align_corners=False)
        return x[0], self.labels[i]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--model', required=True, choices=sorted(NETWORKS))
    ap.add_argument('--epochs', type=int, default=10)
    ap.add_argument('--resize', type=int)
    ap.add_argument('--limit', type=int, default=0)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--data', default='/usr/share/datasets/fashion-mnist')
    args = ap.parse_args()
    size = args.resize or (224 if args.model in ('alexnet', 'vgg11', 'nin') else 96)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    train = torch.utils.data.DataLoader(Resized(args.data, True, size, args.limit), batch_size=128, shuffle=True)
    test = torch.utils.data.DataLoader(Resized(args.data, False, size, args.limit), batch_size=128)
    net = NETWORKS[args.model]()
    with torch.no_grad():
        net(next(iter(train))[0])
    net.apply(init_cnn)
    opt = torch.optim.SGD(net.parameters(), lr=LR[args.model])
    print(f'training {args.model} with sgd (lr {LR[args.model]}, batch 128, {args.epochs} epochs, seed {args.seed}, '
          f'images resized to {size}x{size})')
    for epoch in range(1, args.epochs + 1):
        net.train()
        start = time.perf_counter()
        total, correct, loss_sum = 0, 0, 0.0
        for x, y in train:
            logits = net(x)
            loss = F.cross_entropy(logits, y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            loss_sum += loss.item() * len(y)
            correct += (logits.argmax(1) == y).sum().item()
            total += len(y)
        seconds = time.perf_counter() - start
        net.eval()
        right, seen = 0, 0
        with torch.no_grad():
            for x, y in test:
                right += (net(x).argmax(1) == y).sum().item()
                seen += len(y)
        print(f'epoch {epoch}/{args.epochs}: train loss {loss_sum / total:.4f}, train acc {correct / total:.4f}, '
              f'test acc {right / seen:.4f}, {seconds:.1f} s')


if __name__ == '__main__':
    main()
