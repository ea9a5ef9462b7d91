#!/usr/bin/python3
"""Turns the shared `textlines` PNG images into calibration / evaluation
folders for paddleocr-cls (one .npy [1,3,48,192] float32 per image) plus a
labels file, with PaddleOCR's classifier preprocessing: RGB, resize to
height 48 keeping the aspect ratio (width capped at 192, bilinear with
half-pixel centres), (x/255 - 0.5)/0.5, CHW, zero padding on the right.

Within each label, images sorted by name alternate between calib/ and
eval/, so both halves hold as many upright as rotated lines.
labels.txt: `NAME LABEL`, 0 = rot0 (upright), 1 = rot180.

Usage: prepare-textlines.py [SRC_DIR] OUT_DIR
Only the Python standard library and numpy are needed (PNG is decoded here).
"""
import os
import struct
import sys
import zlib

import numpy as np

H, W = 48, 192


def read_png(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG file")
    pos, idat, palette, trns = 8, [], None, None
    width = height = depth = ctype = interlace = None
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"PLTE":
            palette = np.frombuffer(body, np.uint8).reshape(-1, 3)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    if width is None or interlace != 0 or depth not in (8, 16):
        raise ValueError(f"{path}: unsupported PNG (interlaced or bit depth {depth})")
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[ctype]
    bpp = channels * depth // 8
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    rows = []
    prev = [0] * stride
    p = 0
    for y in range(height):
        ftype = raw[p]
        line = raw[p + 1:p + 1 + stride]
        p += 1 + stride
        if ftype == 0:
            cur = list(line)
        elif ftype == 2:
            cur = [(v + u) & 255 for v, u in zip(line, prev)]
        else:
            cur = [0] * stride
            for x in range(stride):
                a = cur[x - bpp] if x >= bpp else 0
                b = prev[x]
                if ftype == 1:
                    pred = a
                elif ftype == 3:
                    pred = (a + b) >> 1
                else:  # Paeth
                    c = prev[x - bpp] if x >= bpp else 0
                    pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                    pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                cur[x] = (line[x] + pred) & 255
        rows.append(cur)
        prev = cur
    out = np.array(rows, np.uint8)
    if depth == 16:
        px = out.reshape(height, width, channels, 2)[..., 0]
    else:
        px = out.reshape(height, width, channels)
    if ctype == 3:
        px = palette[px[..., 0]]
    elif ctype in (0, 4):
        px = np.repeat(px[..., :1], 3, axis=2)
    else:
        px = px[..., :3]
    return px.astype(np.float32)


def resize_bilinear(img, out_h, out_w):
    in_h, in_w = img.shape[:2]

    def coords(n_out, n_in):
        x = (np.arange(n_out) + 0.5) * (n_in / n_out) - 0.5
        x = np.clip(x, 0, n_in - 1)
        x0 = np.floor(x).astype(int)
        x1 = np.minimum(x0 + 1, n_in - 1)
        return x0, x1, (x - x0)[:, None]

    y0, y1, fy = coords(out_h, in_h)
    x0, x1, fx = coords(out_w, in_w)
    top = img[y0][:, x0] * (1 - fx) + img[y0][:, x1] * fx
    bot = img[y1][:, x0] * (1 - fx) + img[y1][:, x1] * fx
    return top * (1 - fy[:, :, None]) + bot * fy[:, :, None]


def preprocess(path):
    img = read_png(path)
    h, w = img.shape[:2]
    rw = min(W, int(np.ceil(H * w / h)))
    img = resize_bilinear(img, H, rw)
    img = (img / 255.0 - 0.5) / 0.5
    out = np.zeros((1, 3, H, W), np.float32)
    out[0, :, :, :rw] = img.transpose(2, 0, 1)
    return out


def main():
    args = sys.argv[1:]
    if len(args) == 1:
        here = os.path.dirname(os.path.abspath(__file__))
        src = os.environ.get("EDGEC_SHARED_DIR", os.path.join(here, "..", "..", "shared"))
        src = os.path.join(src, "datasets", "textlines")
        out = args[0]
    elif len(args) == 2:
        src, out = args
    else:
        sys.exit(__doc__)
    names = sorted(f for f in os.listdir(src) if f.endswith(".png"))
    if not names:
        sys.exit(f"error: no .png images in {src}")
    for sub in ("calib", "eval"):
        os.makedirs(os.path.join(out, sub), exist_ok=True)
    labels = []
    seen = [0, 0]  # images so far per label: each label alternates halves
    counts = {"calib": 0, "eval": 0}
    for name in names:
        stem = name[:-4]
        if stem.endswith("_rot0"):
            label = 0
        elif stem.endswith("_rot180"):
            label = 1
        else:
            sys.exit(f"error: {name}: expected NNN_rot0.png or NNN_rot180.png")
        half = "calib" if seen[label] % 2 == 0 else "eval"
        seen[label] += 1
        counts[half] += 1
        np.save(os.path.join(out, half, stem + ".npy"), preprocess(os.path.join(src, name)))
        labels.append(f"{stem} {label}\n")
    with open(os.path.join(out, "labels.txt"), "w") as f:
        f.writelines(labels)
    print(f"{len(names)} images -> {out}/calib ({counts['calib']}), "
          f"{out}/eval ({counts['eval']}), {out}/labels.txt")


if __name__ == "__main__":
    main()
