#!/usr/bin/python3
"""Reference safetensors files for jconv's tests, made with PyTorch 1.13 (Debian's python3-torch).

The `safetensors` Python package is not installed here, so this script writes and reads the format itself
with `struct` and `json`, following the rules of the reference writer (the Rust `safetensors` crate's
`serialize`, which `safetensors.torch.save_file` calls):

  * tensors are sorted by dtype, descending in the crate's `Dtype` enum order (BOOL < U8 < I8 < ... < I32 <
    U32 < F32 < F64 < I64 < U64), then by name compared as UTF-8 bytes; their data follows in that order,
    little-endian, row-major, with no gaps;
  * the header is serde_json's compact JSON (no spaces, non-ASCII characters kept as UTF-8): the optional
    "__metadata__" object first, then each tensor as {"dtype":..,"shape":[..],"data_offsets":[begin,end]}
    (offsets relative to the start of the data, end exclusive), padded with spaces to a multiple of 8 bytes;
  * the file is the header's length as a little-endian u64, the header, then the data.

Make the files (run from any directory; they are written beside this script):

    /usr/bin/python3 jconv-core/src/test/resources/safetensors/make_reference.py

  small.safetensors     state_dict() of Sequential(Conv2d(1, 2, 3, padding=1), ReLU(), Flatten(),
                        Linear(2*4*4, 3)) built after torch.manual_seed(0)
  input.safetensors     {"input": torch.rand(2, 1, 4, 4)}, drawn right after the model
  expected.safetensors  {"logits": model(input)}
  mixed.safetensors     tensors of every dtype jconv stores (F32, F64, I64, BOOL), including a scalar, an
                        empty tensor and non-ASCII names, with metadata {"format": "pt"}: pins the order rules

Check a file that jconv wrote (the reverse direction of the interop proof):

    /usr/bin/python3 jconv-core/src/test/resources/safetensors/make_reference.py --check FILE

reads FILE with the strict reader below (offsets contiguous from 0, sizes matching shapes, data ending at the
end of the file), requires that re-writing its tensors with the reference rules gives FILE's exact bytes,
loads it into the PyTorch model above with load_state_dict(strict=True) and compares the model's logits on
input.safetensors with expected.safetensors. To produce FILE with jconv, from the repository root:

    mvn -q compile
    jshell --class-path target/classes <<'EOF'
    import dev.jconv.nn.*; import dev.jconv.tensor.*; import dev.jconv.io.*; import java.nio.file.*;
    Tensor.manualSeed(0);
    var model = new Sequential(new Conv2d(1, 2, Conv2dOptions.kernelSize(3).padding(1)), new ReLU(), new Flatten(), new Linear(32, 3));
    StateDict.save(model, Path.of("/tmp/jconv-small.safetensors"));
    /exit
    EOF
    /usr/bin/python3 jconv-core/src/test/resources/safetensors/make_reference.py --check /tmp/jconv-small.safetensors

This was run once by hand when the files were made and printed "OK: ..." (jconv's initialisation after
manualSeed(0) draws the same weights as PyTorch's, so the logits match too).
"""

import json
import os
import struct
import sys

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))

# The reference crate's Dtype enum, in declaration order: the writer sorts by it, descending.
DTYPE_ORDER = ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16", "I32", "U32", "F32",
               "F64", "I64", "U64"]
TORCH_TO_NAME = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64", torch.bool: "BOOL"}
NAME_TO_NUMPY = {"F32": "<f4", "F64": "<f8", "I64": "<i8", "BOOL": "?"}
MAX_HEADER_SIZE = 100_000_000


def serialize(tensors, metadata=None):
    """The bytes the reference writer produces for {name: tensor} (and metadata with at most one entry)."""
    items = sorted(tensors.items(),
                   key=lambda kv: (-DTYPE_ORDER.index(TORCH_TO_NAME[kv[1].dtype]), kv[0].encode("utf-8")))
    header = {}
    if metadata is not None:
        # The reference writes a HashMap here, in no fixed order; one entry keeps the bytes well defined.
        assert len(metadata) <= 1, "more than one metadata entry has no defined order in the reference writer"
        header["__metadata__"] = dict(metadata)
    blobs = []
    offset = 0
    for name, t in items:
        dtype = TORCH_TO_NAME[t.dtype]
        data = np.ascontiguousarray(t.detach().cpu().numpy().astype(NAME_TO_NUMPY[dtype])).tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(blobs)


def save(path, tensors, metadata=None):
    with open(path, "wb") as f:
        f.write(serialize(tensors, metadata))


def load(path):
    """Reads a file with the reference reader's checks; returns ({name: tensor} in data order, metadata)."""
    with open(path, "rb") as f:
        buf = f.read()
    if len(buf) < 8:
        raise ValueError("shorter than 8 bytes")
    (n,) = struct.unpack("<Q", buf[:8])
    if n > MAX_HEADER_SIZE:
        raise ValueError("header too large")
    if 8 + n > len(buf):
        raise ValueError("header length beyond the end of the file")
    text = buf[8:8 + n].decode("utf-8")
    if not text.startswith("{"):
        raise ValueError("header does not start with '{'")
    header = json.loads(text)
    metadata = header.pop("__metadata__", None)
    entries = sorted(header.items(), key=lambda kv: tuple(kv[1]["data_offsets"]))
    position = 0
    tensors = {}
    for name, info in entries:
        begin, end = info["data_offsets"]
        if begin != position or end < begin:
            raise ValueError(f"offsets of {name!r} are not contiguous")
        numel = 1
        for d in info["shape"]:
            numel *= d
        width = np.dtype(NAME_TO_NUMPY[info["dtype"]]).itemsize
        if end - begin != numel * width:
            raise ValueError(f"offsets of {name!r} do not match its shape and dtype")
        position = end
        data = np.frombuffer(buf, dtype=NAME_TO_NUMPY[info["dtype"]], count=numel, offset=8 + n + begin)
        tensors[name] = torch.from_numpy(data.copy()).reshape(info["shape"])
    if 8 + n + position != len(buf):
        raise ValueError("data does not end at the end of the file")
    return tensors, metadata


def model_and_input():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(2 * 4 * 4, 3))
    x = torch.rand(2, 1, 4, 4)
    return model, x


def mixed():
    """Every dtype jconv stores, names that sort differently as UTF-16 and as UTF-8, a scalar, an empty tensor."""
    return {
        "z.f32": torch.tensor([0.1, -1.25, 3e-8], dtype=torch.float32),
        "m.f32": torch.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=torch.float32),
        "empty": torch.zeros(0, 3, dtype=torch.float32),
        "d.f64": torch.tensor([0.1, -2.5], dtype=torch.float64),
        "i.i64": torch.tensor([-1, 2 ** 40, 7], dtype=torch.int64),
        "Z": torch.tensor(5, dtype=torch.int64),
        "b.bool": torch.tensor([[True, False, True], [True, False, False]]),
        "a.bool": torch.tensor(True),
        "\uff21wide": torch.tensor([1.0], dtype=torch.float64),
        "\U0001F600smile": torch.tensor([2.0], dtype=torch.float64),
        "tab\tquote\"back\\slash": torch.tensor([3.0], dtype=torch.float64),
    }


def make():
    model, x = model_and_input()
    with torch.no_grad():
        logits = model(x)
    save(os.path.join(HERE, "small.safetensors"), model.state_dict())
    save(os.path.join(HERE, "input.safetensors"), {"input": x})
    save(os.path.join(HERE, "expected.safetensors"), {"logits": logits})
    save(os.path.join(HERE, "mixed.safetensors"), mixed(), {"format": "pt"})
    # The files must read back as written.
    for name in ["small", "input", "expected", "mixed"]:
        load(os.path.join(HERE, name + ".safetensors"))
    print("wrote small, input, expected and mixed .safetensors in", HERE)


def check(path):
    tensors, metadata = load(path)
    with open(path, "rb") as f:
        written = f.read()
    if serialize(tensors, metadata) != written:
        raise SystemExit(f"FAIL: {path} is not byte for byte what the reference writer makes of its tensors")
    model, _ = model_and_input()
    with torch.no_grad():
        for p in model.parameters():
            p.zero_()
    model.load_state_dict(tensors, strict=True)
    x = load(os.path.join(HERE, "input.safetensors"))[0]["input"]
    expected = load(os.path.join(HERE, "expected.safetensors"))[0]["logits"]
    with torch.no_grad():
        logits = model(x)
    if not torch.allclose(logits, expected, rtol=0, atol=1e-5):
        raise SystemExit(f"FAIL: logits with {path}'s weights differ from expected.safetensors:\n{logits}\n{expected}")
    print(f"OK: {path} reads strictly, equals the reference writer's bytes ({len(written)} bytes), "
          f"loads into the PyTorch model and gives the expected logits")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        check(sys.argv[2])
    elif len(sys.argv) == 1:
        make()
    else:
        raise SystemExit(__doc__)
