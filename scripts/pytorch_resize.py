"""Reference values for jconv's bilinear resize: torchvision's Resize on a tensor (antialias off), that is
F.interpolate(mode='bilinear', align_corners=False), on float32 images.

    /usr/bin/python3 scripts/pytorch_resize.py > src/test/resources/reference/resize-bilinear.json

Each case holds the input (shape and values), the output size and PyTorch's output. Values are float32,
written as the doubles they equal.
"""
import json

import torch
from torch.nn import functional as F

CASES = [
    # (input shape, output size): Fashion-MNIST up to D2L's 96, exact halving, downsampling in both
    # directions at once, an identity, and a tiny image stretched to several times its size.
    ((1, 1, 28, 28), (96, 96)),
    ((1, 1, 28, 28), (56, 56)),
    ((2, 3, 5, 7), (9, 4)),
    ((1, 2, 4, 4), (4, 4)),
    ((1, 1, 3, 3), (8, 5)),
    ((1, 1, 11, 13), (5, 3)),
]


def main():
    torch.manual_seed(0)
    cases = []
    for shape, size in CASES:
        # Pixel values as ToTensor makes them (k / 255), the inputs the data loader resizes.
        x = torch.randint(0, 256, shape).float().div(255)
        y = F.interpolate(x, size=size, mode='bilinear', align_corners=False, antialias=False)
        cases.append({'shape': list(shape), 'size': list(size), 'input': x.flatten().tolist(),
                      'output': y.flatten().tolist()})
    print(json.dumps({'generator': f'PyTorch {torch.__version__}, F.interpolate bilinear', 'cases': cases}))


if __name__ == '__main__':
    main()
