"""Layer summaries in PyTorch, as `./jconv summary MODEL --input NxCxHxW` prints them.

For each MODEL:NxCxHxW argument, a section `## MODEL NxCxHxW` with one line per top-level layer, as D2L's
layer_summary prints it (class name, then the output shape), on a standard normal input drawn after
manual_seed(0). If a layer fails, the section ends with `error: MESSAGE`, the message on one line.

    /usr/bin/python3 scripts/pytorch_summary.py resnet18:1x1x28x28 alexnet:1x3x227x227 > summaries.txt
"""
import sys

import torch

from modern_cnns import NETWORKS


def summary(name, shape):
    torch.manual_seed(0)
    net = NETWORKS[name]()
    x = torch.randn(*shape)
    print(f'## {name} {"x".join(map(str, shape))}')
    with torch.no_grad():
        for layer in net:
            try:
                x = layer(x)
            except (RuntimeError, ValueError) as e:
                print('error:', ' '.join(line.strip() for line in str(e).splitlines() if line.strip()))
                break
            print(layer.__class__.__name__, 'output shape:\t', x.shape)
    print()


def main(args):
    torch.set_num_threads(2)
    for arg in args:
        name, dims = arg.split(':')
        summary(name, [int(d) for d in dims.split('x')])


if __name__ == '__main__':
    main(sys.argv[1:])
