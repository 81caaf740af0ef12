"""The eight networks of D2L's "Modern Convolutional Neural Networks" chapter, as PyTorch modules.

Shared by pytorch_summary.py and pytorch_train.py. Every layer is lazy, as in D2L, so a network learns its
input channels from the first batch; the names (module paths) are D2L's, the ones dev.jconv.models uses.
"""
import torch
from torch import nn
from torch.nn import functional as F


def _conv(channels, k, stride=1, padding=0, groups=1):
    return nn.LazyConv2d(channels, kernel_size=k, stride=stride, padding=padding, groups=groups)


def _classifier(num_classes):
    # AlexNet's and VGG's head: two wide dense layers with dropout, then the classes.
    return [nn.Flatten(), nn.LazyLinear(4096), nn.ReLU(), nn.Dropout(0.5),
            nn.LazyLinear(4096), nn.ReLU(), nn.Dropout(0.5), nn.LazyLinear(num_classes)]


def alexnet(num_classes=10):
    return nn.Sequential(
        _conv(96, 11, stride=4, padding=1), nn.ReLU(), nn.MaxPool2d(3, stride=2),
        _conv(256, 5, padding=2), nn.ReLU(), nn.MaxPool2d(3, stride=2),
        _conv(384, 3, padding=1), nn.ReLU(), _conv(384, 3, padding=1), nn.ReLU(),
        _conv(256, 3, padding=1), nn.ReLU(), nn.MaxPool2d(3, stride=2),
        *_classifier(num_classes))


def vgg_block(convs, channels):
    layers = []
    for _ in range(convs):
        layers += [_conv(channels, 3, padding=1), nn.ReLU()]
    return nn.Sequential(*layers, nn.MaxPool2d(2, stride=2))


def vgg11(num_classes=10):
    arch = [(1, 64), (1, 128), (2, 256), (2, 512), (2, 512)]
    return nn.Sequential(*[vgg_block(n, c) for n, c in arch], *_classifier(num_classes))


def nin_block(channels, k, stride, padding):
    return nn.Sequential(_conv(channels, k, stride, padding), nn.ReLU(),
                         _conv(channels, 1), nn.ReLU(), _conv(channels, 1), nn.ReLU())


def nin(num_classes=10):
    return nn.Sequential(
        nin_block(96, 11, 4, 0), nn.MaxPool2d(3, stride=2),
        nin_block(256, 5, 1, 2), nn.MaxPool2d(3, stride=2),
        nin_block(384, 3, 1, 1), nn.MaxPool2d(3, stride=2), nn.Dropout(0.5),
        nin_block(num_classes, 3, 1, 1), nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten())


class Inception(nn.Module):
    """Four parallel paths concatenated on the channels: 1x1; 1x1 then 3x3; 1x1 then 5x5; pool then 1x1."""

    def __init__(self, c1, c2, c3, c4):
        super().__init__()
        self.b1_1 = _conv(c1, 1)
        self.b2_1, self.b2_2 = _conv(c2[0], 1), _conv(c2[1], 3, padding=1)
        self.b3_1, self.b3_2 = _conv(c3[0], 1), _conv(c3[1], 5, padding=2)
        self.b4_1, self.b4_2 = nn.MaxPool2d(3, stride=1, padding=1), _conv(c4, 1)

    def forward(self, x):
        paths = (F.relu(self.b1_1(x)),
                 F.relu(self.b2_2(F.relu(self.b2_1(x)))),
                 F.relu(self.b3_2(F.relu(self.b3_1(x)))),
                 F.relu(self.b4_2(self.b4_1(x))))
        return torch.cat(paths, dim=1)


def googlenet(num_classes=10):
    def pool():
        return nn.MaxPool2d(3, stride=2, padding=1)
    stem = nn.Sequential(_conv(64, 7, stride=2, padding=3), nn.ReLU(), pool())
    b2 = nn.Sequential(_conv(64, 1), nn.ReLU(), _conv(192, 3, padding=1), nn.ReLU(), pool())
    b3 = nn.Sequential(Inception(64, (96, 128), (16, 32), 32), Inception(128, (128, 192), (32, 96), 64), pool())
    b4 = nn.Sequential(Inception(192, (96, 208), (16, 48), 64), Inception(160, (112, 224), (24, 64), 64),
                       Inception(128, (128, 256), (24, 64), 64), Inception(112, (144, 288), (32, 64), 64),
                       Inception(256, (160, 320), (32, 128), 128), pool())
    b5 = nn.Sequential(Inception(256, (160, 320), (32, 128), 128), Inception(384, (192, 384), (48, 128), 128),
                       nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten())
    return nn.Sequential(stem, b2, b3, b4, b5, nn.LazyLinear(num_classes))


def bn_lenet(num_classes=10):
    return nn.Sequential(
        _conv(6, 5), nn.LazyBatchNorm2d(), nn.Sigmoid(), nn.AvgPool2d(2, stride=2),
        _conv(16, 5), nn.LazyBatchNorm2d(), nn.Sigmoid(), nn.AvgPool2d(2, stride=2),
        nn.Flatten(), nn.LazyLinear(120), nn.LazyBatchNorm1d(), nn.Sigmoid(),
        nn.LazyLinear(84), nn.LazyBatchNorm1d(), nn.Sigmoid(), nn.LazyLinear(num_classes))


class Residual(nn.Module):
    def __init__(self, channels, use_1x1conv=False, strides=1):
        super().__init__()
        self.conv1 = _conv(channels, 3, stride=strides, padding=1)
        self.conv2 = _conv(channels, 3, padding=1)
        self.conv3 = _conv(channels, 1, stride=strides) if use_1x1conv else None
        self.bn1, self.bn2 = nn.LazyBatchNorm2d(), nn.LazyBatchNorm2d()

    def forward(self, x):
        y = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        shortcut = self.conv3(x) if self.conv3 else x
        y += shortcut
        return F.relu(y)


class ResNeXtBlock(nn.Module):
    def __init__(self, channels, groups, bot_mul, use_1x1conv=False, strides=1):
        super().__init__()
        bottleneck = int(round(channels * bot_mul))
        self.conv1 = _conv(bottleneck, 1)
        self.conv2 = _conv(bottleneck, 3, stride=strides, padding=1, groups=bottleneck // groups)
        self.conv3 = _conv(channels, 1)
        self.bn1, self.bn2, self.bn3 = nn.LazyBatchNorm2d(), nn.LazyBatchNorm2d(), nn.LazyBatchNorm2d()
        if use_1x1conv:
            self.conv4, self.bn4 = _conv(channels, 1, stride=strides), nn.LazyBatchNorm2d()
        else:
            self.conv4 = None

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = F.relu(self.bn2(self.conv2(y)))
        y = self.bn3(self.conv3(y))
        shortcut = self.bn4(self.conv4(x)) if self.conv4 else x
        return F.relu(y + shortcut)


def _stem(channels, k, stride, padding, pool):
    layers = [_conv(channels, k, stride=stride, padding=padding), nn.LazyBatchNorm2d(), nn.ReLU()]
    if pool:
        layers.append(nn.MaxPool2d(3, stride=2, padding=1))
    return nn.Sequential(*layers)


def resnet18(num_classes=10):
    net = nn.Sequential(_stem(64, 7, 2, 3, True))
    for i, channels in enumerate((64, 128, 256, 512)):
        first = Residual(channels, use_1x1conv=True, strides=2) if i > 0 else Residual(channels)
        net.add_module(f'b{i + 2}', nn.Sequential(first, Residual(channels)))
    net.add_module('last', nn.Sequential(nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(), nn.LazyLinear(num_classes)))
    return net


class DenseBlock(nn.Module):
    def __init__(self, convs, channels):
        super().__init__()
        self.net = nn.Sequential(*[nn.Sequential(nn.LazyBatchNorm2d(), nn.ReLU(), _conv(channels, 3, padding=1))
                                   for _ in range(convs)])

    def forward(self, x):
        for block in self.net:
            x = torch.cat((x, block(x)), dim=1)
        return x


def transition_block(channels):
    return nn.Sequential(nn.LazyBatchNorm2d(), nn.ReLU(), _conv(channels, 1), nn.AvgPool2d(2, stride=2))


def densenet(num_classes=10, channels=64, growth=32, arch=(4, 4, 4, 4)):
    net = nn.Sequential(_stem(64, 7, 2, 3, True))
    for i, convs in enumerate(arch):
        net.add_module(f'dense_blk{i + 1}', DenseBlock(convs, growth))
        channels += convs * growth
        if i < len(arch) - 1:
            channels //= 2
            net.add_module(f'tran_blk{i + 1}', transition_block(channels))
    net.add_module('last', nn.Sequential(nn.LazyBatchNorm2d(), nn.ReLU(), nn.AdaptiveAvgPool2d((1, 1)),
                                         nn.Flatten(), nn.LazyLinear(num_classes)))
    return net


def regnetx32(num_classes=10):
    net = nn.Sequential(_stem(32, 3, 2, 1, False))
    for i, (depth, channels) in enumerate(((4, 32), (6, 80))):
        blocks = [ResNeXtBlock(channels, 16, 1, use_1x1conv=(j == 0), strides=2 if j == 0 else 1)
                  for j in range(depth)]
        net.add_module(f'stage{i + 1}', nn.Sequential(*blocks))
    net.add_module('head', nn.Sequential(nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(), nn.LazyLinear(num_classes)))
    return net


NETWORKS = {'alexnet': alexnet, 'vgg11': vgg11, 'nin': nin, 'googlenet': googlenet, 'bn-lenet': bn_lenet,
            'resnet18': resnet18, 'densenet': densenet, 'regnetx32': regnetx32}


def init_cnn(module):
    """D2L's init_cnn: Xavier-uniform weights for every convolution and linear layer, in module order."""
    if isinstance(module, (nn.Conv2d, nn.Linear)):
        nn.init.xavier_uniform_(module.weight)
