#!/usr/bin/env python3
"""Compares two tensor dumps tensor by tensor, byte for byte.

    compare_tensor_dumps.py REFERENCE_DIR DUMP_DIR [--allow-missing]

Both directories hold .npy files and a manifest.json whose "tensors" list
gives each tensor's "name" and "file" (the layout of TensorFlow Lite
Micro's dumps in ../shared/models/mlperf-tiny-tflite/tflm-tensors and of
`edgec run --dump-tensors`). Every reference tensor must be in the dump
under the same name, with the same element type, shape and bytes; with
--allow-missing a reference tensor absent from the dump (fused away) is
listed but not a failure. Prints one line per difference (the first
differing element, the largest difference and how many differ) and a
summary; exit status 1 on any difference, 2 on unreadable input.
"""
import ast
import json
import os
import struct
import sys

# .npy element types the dumps use -> struct format.
FORMATS = {'|i1': 'b', '|u1': 'B', '<i2': 'h', '<u2': 'H', '<i4': 'i', '<u4': 'I',
           '<i8': 'q', '<u8': 'Q', '<f2': 'e', '<f4': 'f', '<f8': 'd', '|b1': '?'}


def load_npy(path):
    """(descr, shape, data bytes) of a C-order .npy file (versions 1-3)."""
    with open(path, 'rb') as f:
        raw = f.read()
    if raw[:6] != b'\x93NUMPY':
        raise ValueError(f'{path}: not a .npy file')
    major = raw[6]
    if major == 1:
        hlen, start = struct.unpack('<H', raw[8:10])[0], 10
    else:
        hlen, start = struct.unpack('<I', raw[8:12])[0], 12
    header = ast.literal_eval(raw[start:start + hlen].decode('latin1'))
    if header.get('fortran_order'):
        raise ValueError(f'{path}: Fortran order')
    return header['descr'], tuple(header['shape']), raw[start + hlen:]


def values(descr, data):
    fmt = FORMATS.get(descr)
    if fmt is None:
        return None
    n = len(data) // struct.calcsize(fmt)
    return struct.unpack('<' + str(n) + fmt, data)


def load_manifest(d):
    path = os.path.join(d, 'manifest.json')
    try:
        with open(path, encoding='utf-8') as f:
            m = json.load(f)
        return {t['name']: t for t in m['tensors']}
    except (OSError, ValueError, KeyError, TypeError) as e:
        print(f'error: {path}: {e}')
        sys.exit(2)


def main(argv):
    args = [a for a in argv if not a.startswith('--')]
    allow_missing = '--allow-missing' in argv
    if len(args) != 2:
        print(__doc__)
        return 2
    ref_dir, dump_dir = args
    ref, ours = load_manifest(ref_dir), load_manifest(dump_dir)
    same = missing = differ = 0
    for name, r in sorted(ref.items(), key=lambda kv: kv[1].get('index', 0)):
        o = ours.get(name)
        if o is None:
            missing += 1
            print(f'missing: {name}')
            continue
        try:
            da, sa, a = load_npy(os.path.join(ref_dir, r['file']))
            db, sb, b = load_npy(os.path.join(dump_dir, o['file']))
        except (OSError, ValueError, SyntaxError, KeyError) as e:
            print(f'error: {e}')
            return 2
        if da != db or sa != sb:
            differ += 1
            print(f'differs: {name}: {db}{list(sb)}, reference {da}{list(sa)}')
            continue
        if a == b:
            same += 1
            continue
        differ += 1
        va, vb = values(da, a), values(db, b)
        if va is None or len(va) != len(vb):
            print(f'differs: {name}: bytes differ ({da})')
            continue
        diffs = [i for i in range(len(va)) if va[i] != vb[i]]
        big = max(abs(float(va[i]) - float(vb[i])) for i in diffs)
        first = diffs[0]
        print(f'differs: {name}: {len(diffs)} of {len(va)} elements, max difference {big:g}, '
              f'first at flat index {first} ({vb[first]} vs reference {va[first]})')
    print(f'{same} of {len(ref)} tensors bit-exact, {differ} differ, {missing} missing')
    if differ or (missing and not allow_missing):
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
