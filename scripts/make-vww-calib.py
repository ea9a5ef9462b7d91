#!/usr/bin/env python3
"""Writes examples/vww/calib/: 8 deterministic variants of examples/vww/input_0.pb.

Not a real calibration set: every sample is derived from the one shipped input
(flips, shifts, brightness and contrast changes), enough for the demo's
`edgec quantize --calib examples/vww/calib` to be reproducible from a clone.
For deployment, calibrate on real images (docs/quantization.md).

Usage: /usr/bin/python3 scripts/make-vww-calib.py   (numpy; no other package)
"""
import os
import struct
import sys

import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SRC = os.path.join(ROOT, "examples", "vww", "input_0.pb")
OUT = os.path.join(ROOT, "examples", "vww", "calib")


def varint(buf, pos):
    value, shift = 0, 0
    while True:
        b = buf[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return value, pos


def read_tensor_proto(path):
    """The float tensor of an ONNX TensorProto file (dims, data_type 1, raw_data)."""
    buf = open(path, "rb").read()
    dims, dtype, raw, pos = [], None, None, 0
    while pos < len(buf):
        key, pos = varint(buf, pos)
        field, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = varint(buf, pos)
            if field == 1:
                dims.append(value)
            elif field == 2:
                dtype = value
        elif wire == 2:
            n, pos = varint(buf, pos)
            chunk = buf[pos:pos + n]
            pos += n
            if field == 1:  # packed dims
                p = 0
                while p < len(chunk):
                    d, p = varint(chunk, p)
                    dims.append(d)
            elif field == 9:
                raw = chunk
        elif wire == 5:
            pos += 4
        elif wire == 1:
            pos += 8
        else:
            sys.exit(f"{path}: unsupported wire type {wire}")
    if dtype != 1 or raw is None:
        sys.exit(f"{path}: expected a float32 TensorProto with raw_data")
    return np.frombuffer(raw, dtype="<f4").reshape(dims).copy()


def variants(x):
    """(name, tensor) pairs, NCHW [1,3,96,96]; deterministic, no randomness."""
    w = x.shape[3]
    yield "00_flip_h", x[:, :, :, ::-1]
    yield "01_flip_v", x[:, :, ::-1, :]
    yield "02_shift_right8", np.roll(x, 8, axis=3)
    yield "03_shift_down8", np.roll(x, 8, axis=2)
    crop = x[:, :, 8:88, 8:88]  # center crop, resized back by nearest neighbour
    idx = (np.arange(w) * 80) // w
    yield "04_crop_zoom", crop[:, :, idx][:, :, :, idx]
    yield "05_brighter", x + 0.25
    yield "06_darker_contrast", x * 0.75 - 0.25
    yield "07_more_contrast", x * 1.25


def main():
    x = read_tensor_proto(SRC)
    os.makedirs(OUT, exist_ok=True)
    for name in os.listdir(OUT):
        if name.endswith(".npy"):
            os.remove(os.path.join(OUT, name))
    for name, v in variants(x):
        np.save(os.path.join(OUT, name + ".npy"), np.ascontiguousarray(v, dtype="<f4"))
    print(f"wrote {len(list(variants(x)))} samples to {os.path.relpath(OUT, ROOT)}/")


if __name__ == "__main__":
    main()
