#!/usr/bin/python3
"""Checks .tflite files edgec writes with an independent reader: Arm NN's
TFLite parser and its CpuRef (reference) backend (Debian python3-pyarmnn,
libarmnn-cpuref-backend22).

    armnn_check.py EDGEC WORKDIR MODEL.tflite[:TOL] ...

For each model: the same deterministic input goes to Arm NN and to
`edgec run`; float outputs must agree within TOL relative (default 1e-4,
max |a - b| <= TOL * max(1, max |b|)), outputs of quantized models (int8
tensors, or the float tensor a DEQUANTIZE writes) within one quantization
step on >= 99% of the elements (TOL = 'q:STEP' gives the step of a float
output). Prints one line per model; exits 0 when all agree, 1 otherwise,
77 when pyarmnn cannot be imported.
"""
import os
import subprocess
import sys

try:
    import numpy as np
    import pyarmnn as ann
except Exception as e:  # noqa: BLE001 - any import failure means "skip"
    print("SKIP: pyarmnn is not importable: %s" % e)
    sys.exit(77)


def make_input(shape, dtype, seed):
    n = int(np.prod(shape)) if len(shape) else 1
    i = np.arange(n, dtype=np.int64)
    if dtype == np.float32:
        x = np.sin(0.37 * i + seed) * 0.9
        return x.astype(np.float32).reshape(shape)
    if dtype == np.int8:
        return (((i * 7 + seed) % 256) - 128).astype(np.int8).reshape(shape)
    if dtype == np.uint8:
        return ((i * 7 + seed) % 256).astype(np.uint8).reshape(shape)
    return (i % 7).astype(dtype).reshape(shape)


def armnn_dtype(info):
    t = info.GetDataType()
    if t == ann.DataType_Float32:
        return np.float32
    if t in (ann.DataType_QAsymmS8, ann.DataType_QSymmS8):
        return np.int8
    if t == ann.DataType_QAsymmU8:
        return np.uint8
    if t == ann.DataType_Signed32:
        return np.int32
    raise RuntimeError("unsupported Arm NN input type %d" % t)


def run_armnn(path, seed):
    parser = ann.ITfLiteParser()
    network = parser.CreateNetworkFromBinaryFile(path)
    in_names = parser.GetSubgraphInputTensorNames(0)
    out_names = parser.GetSubgraphOutputTensorNames(0)
    in_bind = [parser.GetNetworkInputBindingInfo(0, n) for n in in_names]
    out_bind = [parser.GetNetworkOutputBindingInfo(0, n) for n in out_names]
    runtime = ann.IRuntime(ann.CreationOptions())
    opt, messages = ann.Optimize(network, [ann.BackendId("CpuRef")],
                                 runtime.GetDeviceSpec(), ann.OptimizerOptions())
    net_id, _ = runtime.LoadNetwork(opt)
    inputs = []
    for name, b in zip(in_names, in_bind):
        info = b[1]
        shape = [info.GetShape()[k] for k in range(info.GetNumDimensions())]
        inputs.append((name, make_input(shape, armnn_dtype(info), seed)))
    in_tensors = ann.make_input_tensors(in_bind, [x for _, x in inputs])
    out_tensors = ann.make_output_tensors(out_bind)
    runtime.EnqueueWorkload(net_id, in_tensors, out_tensors)
    outs = ann.workload_tensors_to_ndarray(out_tensors)
    steps = []
    for b in out_bind:
        info = b[1]
        steps.append(info.GetQuantizationScale() if info.IsQuantized() else None)
    return inputs, out_names, outs, steps


def run_edgec(edgec, path, inputs, outdir):
    os.makedirs(outdir, exist_ok=True)
    args = [edgec, "run", path, "--output-dir", outdir]
    for k, (name, x) in enumerate(inputs):
        f = os.path.join(outdir, "in%d.npy" % k)
        np.save(f, x)
        args += ["--input", "%s=%s" % (name, f)]
    r = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        raise RuntimeError("edgec run failed: " + r.stdout[-500:])
    return outdir


def safe(name):
    r = "".join(c if (c.isalnum() or c in "_-.") else "_" for c in name)
    return r if r and r[0] != "." else "output_0" + r


def check(edgec, workdir, spec):
    path, _, tol = spec.partition(":")
    if tol.startswith("q:"):
        tol = tol  # keep the q:STEP form
    base = os.path.basename(path)
    inputs, out_names, outs, steps = run_armnn(path, 0)
    outdir = run_edgec(edgec, path, inputs, os.path.join(workdir, base + ".edgec"))
    ok = True
    parts = []
    for k, (name, a) in enumerate(zip(out_names, outs)):
        f = os.path.join(outdir, safe(name) + ".npy")
        if not os.path.exists(f):
            cands = sorted(x for x in os.listdir(outdir) if x.endswith(".npy") and not x.startswith("in"))
            f = os.path.join(outdir, cands[k])
        e = np.load(f).reshape(a.shape)
        step = steps[k]
        if tol.startswith("q:"):
            step = float(tol[2:])
        if step is not None:
            da = a.astype(np.float64)
            de = e.astype(np.float64)
            diff = np.abs(da - de) / (1.0 if a.dtype != np.float32 else step)
            frac = float(np.mean(diff <= 1.0 + 1e-6))
            parts.append("%s: %.2f%% within one step (max %.3g steps)"
                         % (name, 100 * frac, float(diff.max())))
            ok = ok and frac >= 0.99
        else:
            t = float(tol) if tol else 1e-4
            scale = max(1.0, float(np.max(np.abs(e))))
            md = float(np.max(np.abs(a.astype(np.float64) - e.astype(np.float64))))
            parts.append("%s: max |diff| %.3g (rel %.3g)" % (name, md, md / scale))
            ok = ok and md <= t * scale
    print("%s: %s: %s" % ("ok" if ok else "FAIL", base, "; ".join(parts)))
    return ok


def main():
    if len(sys.argv) < 4:
        print(__doc__)
        return 2
    edgec, workdir = sys.argv[1], sys.argv[2]
    ok = True
    for spec in sys.argv[3:]:
        try:
            ok = check(edgec, workdir, spec) and ok
        except Exception as e:  # noqa: BLE001 - report and continue
            print("FAIL: %s: %s" % (os.path.basename(spec), e))
            ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
