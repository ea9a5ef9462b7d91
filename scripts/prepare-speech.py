#!/usr/bin/python3
"""Turns the shared `speech` clips into calibration / evaluation folders for
the openWakeWord audio pipeline:

  OUT/mel-calib, OUT/mel-eval     one [1,32000] float32 .npy per clip (16-bit
                                  sample values as floats), for
                                  wakeword-melspectrogram
  OUT/emb-calib, OUT/emb-eval     [1,76,32,1] mel windows (x/10 + 2, 76 frames
                                  every 8 frames), for wakeword-embedding

Clips sorted by name alternate between calib (even positions) and eval (odd
positions). The mel windows come from running the melspectrogram model with
`edgec run` (float, the reference interpreter).

Usage: prepare-speech.py EDGEC MEL_MODEL [SPEECH_DIR] OUT_DIR [--every K]
(--every K keeps every K-th window of each clip, to make smaller sets.)
"""
import os
import subprocess
import sys
import tempfile
import wave

import numpy as np


def read_wav(path):
    with wave.open(path, "rb") as w:
        if w.getsampwidth() != 2 or w.getnchannels() != 1:
            raise ValueError(f"{path}: expected 16-bit mono")
        data = np.frombuffer(w.readframes(w.getnframes()), "<i2")
    return data.astype(np.float32)[None, :]


def main():
    args = sys.argv[1:]
    every = 1
    if len(args) >= 2 and args[-2] == "--every":
        every = int(args[-1])
        args = args[:-2]
    if len(args) == 3:
        edgec, mel, out = args
        here = os.path.dirname(os.path.abspath(__file__))
        shared = os.environ.get("EDGEC_SHARED_DIR", os.path.join(here, "..", "..", "shared"))
        src = os.path.join(shared, "datasets", "speech")
    elif len(args) == 4:
        edgec, mel, src, out = args
    else:
        sys.exit(__doc__)
    names = sorted(f for f in os.listdir(src) if f.endswith(".wav"))
    if not names:
        sys.exit(f"error: no .wav clips in {src}")
    for sub in ("mel-calib", "mel-eval", "emb-calib", "emb-eval"):
        os.makedirs(os.path.join(out, sub), exist_ok=True)
    windows = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i, name in enumerate(names):
            half = "calib" if i % 2 == 0 else "eval"
            stem = name[:-4]
            audio = read_wav(os.path.join(src, name))
            clip = os.path.join(out, "mel-" + half, stem + ".npy")
            np.save(clip, audio)
            res = os.path.join(tmp, stem)
            subprocess.run([edgec, "run", mel, "--input", clip, "--output-dir", res],
                           check=True, stdout=subprocess.DEVNULL)
            outs = sorted(os.listdir(res))
            spec = np.load(os.path.join(res, outs[0])).astype(np.float32)
            spec = spec.reshape(-1, spec.shape[-1]) / 10.0 + 2.0  # [frames, 32]
            for k, start in enumerate(range(0, spec.shape[0] - 76 + 1, 8)):
                if k % every:
                    continue
                win = spec[start:start + 76][None, :, :, None].astype(np.float32)
                np.save(os.path.join(out, "emb-" + half, f"{stem}_{k:03d}.npy"), win)
                windows += 1
    print(f"{len(names)} clips -> {out}/mel-{{calib,eval}}, {windows} windows -> "
          f"{out}/emb-{{calib,eval}}")


if __name__ == "__main__":
    main()
