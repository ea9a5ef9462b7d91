#!/usr/bin/python3
"""Finds the operators of a .tflite file on which Arm NN (20.08, CpuRef) and
`edgec run` disagree (how the int8 PAD deviation of docs/tflite.md was
located).

    armnn_bisect.py EDGEC MODEL.tflite WORKDIR [--chain] [--check]

1. Every operator output becomes a subgraph output (flatc turns the file
   into JSON and back, with edgec's lib/tflite/schema.fbs; the quantization
   scales are then restored from the binary, as flatc's JSON keeps only a
   few digits), and both run it on armnn_check.py's deterministic input.
   With --chain, prints the agreement of every intermediate tensor (errors
   propagate, so the first bad line is the interesting one).
2. Then every operator runs alone in Arm NN, fed with edgec's values of its
   inputs, and is compared with edgec's value of its output: one line per
   operator (max difference in steps, fraction within one step, fraction
   identical, mean signed difference). An operator whose lone result differs
   by more than one step is read differently by the two.
3. With --check, a last line "ok: MODEL: N/N operators within one step of
   Arm NN CpuRef (max S steps)" (or "FAIL: ...") and exit status 1 when an
   operator's lone result differs by more than one step (the Edge TPU
   test's check of the files it emits).

Needs /usr/bin/python3 with numpy and pyarmnn, and flatc on PATH (exit 77
without them).
"""
import copy
import json
import os
import shutil
import struct
import subprocess
import sys

try:
    import numpy as np
    import pyarmnn as ann
except Exception as e:  # noqa: BLE001 - any import failure means "skip"
    print("SKIP: pyarmnn is not importable: %s" % e)
    sys.exit(77)

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import armnn_check as ac  # noqa: E402

SCHEMA = os.path.join(HERE, "..", "..", "lib", "tflite", "schema.fbs")


# --- reading the exact scales from the flatbuffer --------------------------
def _u32(b, o):
    return struct.unpack_from("<I", b, o)[0]


def _field(b, table, slot):
    """Absolute position of field `slot` of the table at `table`, or None."""
    vtable = table - struct.unpack_from("<i", b, table)[0]
    vsize = struct.unpack_from("<H", b, vtable)[0]
    if 4 + 2 * slot >= vsize:
        return None
    off = struct.unpack_from("<H", b, vtable + 4 + 2 * slot)[0]
    return table + off if off else None


def _deref(b, pos):
    return pos + _u32(b, pos)


def _vector(b, pos):
    v = _deref(b, pos)
    return v + 4, _u32(b, v)


def exact_scales(path):
    """Per tensor of subgraph 0: its quantization scales (or None).
    Model.subgraphs is field 2, SubGraph.tensors 0, Tensor.quantization 4,
    QuantizationParameters.scale 2."""
    b = open(path, "rb").read()
    root = _deref(b, 0)
    subgraphs, _ = _vector(b, _field(b, root, 2))
    sg = _deref(b, subgraphs)
    tensors, count = _vector(b, _field(b, sg, 0))
    out = []
    for i in range(count):
        t = _deref(b, tensors + 4 * i)
        qf = _field(b, t, 4)
        sf = _field(b, _deref(b, qf), 2) if qf is not None else None
        if sf is None:
            out.append(None)
            continue
        v, k = _vector(b, sf)
        out.append(list(struct.unpack_from("<%df" % k, b, v)))
    return out


# --- models ------------------------------------------------------------------
def to_json(path, wd):
    subprocess.check_call(["flatc", "--json", "--strict-json", "--raw-binary",
                           "--defaults-json", "-o", wd, SCHEMA, "--", path])
    base = os.path.splitext(os.path.basename(path))[0]
    m = json.load(open(os.path.join(wd, base + ".json")))
    for t, s in zip(m["subgraphs"][0]["tensors"], exact_scales(path)):
        if s is not None and t.get("quantization"):
            t["quantization"]["scale"] = s
    return m


def to_tflite(m, wd, name):
    jp = os.path.join(wd, name + ".json")
    with open(jp, "w") as f:
        json.dump(m, f)
    subprocess.check_call(["flatc", "-b", "-o", wd, SCHEMA, jp])
    return os.path.join(wd, name + ".tflite")


def is_const(m, t):
    tt = m["subgraphs"][0]["tensors"][t]
    return tt.get("buffer", 0) > 0 and len(m["buffers"][tt["buffer"]].get("data", [])) > 0


def steps(a, e):
    """The largest difference in steps (integer outputs), else None."""
    if a.dtype == np.float32:
        return None
    return float(np.abs(a.astype(np.float64) - e.astype(np.float64).reshape(a.shape)).max())


def compare(a, e):
    d = a.astype(np.float64) - e.astype(np.float64).reshape(a.shape)
    if a.dtype == np.float32:
        return "max |diff| %.3g" % float(np.abs(d).max())
    ad = np.abs(d)
    return ("max %g steps, within one %.4f, identical %.4f, mean %+.4f"
            % (ad.max(), float(np.mean(ad <= 1)), float(np.mean(ad == 0)), float(d.mean())))


def main():
    if len(sys.argv) < 4:
        print(__doc__)
        return 2
    edgec, path, wd = sys.argv[1:4]
    chain = "--chain" in sys.argv[4:]
    check = "--check" in sys.argv[4:]
    if shutil.which("flatc") is None:
        print("SKIP: flatc is not on PATH")
        return 77
    os.makedirs(wd, exist_ok=True)
    m = to_json(path, wd)
    sg = m["subgraphs"][0]
    codes = m["operator_codes"]
    outs = []
    for op in sg["operators"]:
        outs += [t for t in op["outputs"] if t >= 0 and t not in outs]
    full = copy.deepcopy(m)
    full["subgraphs"][0]["outputs"] = outs
    allp = to_tflite(full, wd, "all")
    inputs, names, aouts, _ = ac.run_armnn(allp, 0)
    ed = ac.run_edgec(edgec, allp, inputs, os.path.join(wd, "edgec"))

    def edgec_value(t):
        if t in sg["inputs"]:
            return inputs[sg["inputs"].index(t)][1]
        return np.load(os.path.join(ed, ac.safe(sg["tensors"][t]["name"]) + ".npy"))

    def opname(op):
        return codes[op.get("opcode_index", 0)].get("builtin_code", "?")

    if chain:
        producer = {t: k for k, op in enumerate(sg["operators"]) for t in op["outputs"]}
        for t, a in zip(outs, aouts):
            print("chain op %3d %-18s %s: %s" % (producer[t], opname(sg["operators"][producer[t]]),
                                                sg["tensors"][t]["name"], compare(a, edgec_value(t))))
    runtime = ann.IRuntime(ann.CreationOptions())
    bad, worst = 0, 0.0
    for k, op in enumerate(sg["operators"]):
        ins = [t for t in op["inputs"] if t >= 0 and not is_const(m, t)]
        one = copy.deepcopy(m)
        s = one["subgraphs"][0]
        s["operators"], s["inputs"], s["outputs"] = [op], ins, list(op["outputs"])
        p = to_tflite(one, wd, "op%d" % k)
        parser = ann.ITfLiteParser()
        net = parser.CreateNetworkFromBinaryFile(p)
        inb = [parser.GetNetworkInputBindingInfo(0, sg["tensors"][t]["name"]) for t in ins]
        outb = [parser.GetNetworkOutputBindingInfo(0, sg["tensors"][t]["name"]) for t in op["outputs"]]
        opt, _ = ann.Optimize(net, [ann.BackendId("CpuRef")], runtime.GetDeviceSpec(),
                              ann.OptimizerOptions())
        nid, _ = runtime.LoadNetwork(opt)
        it = ann.make_input_tensors(inb, [edgec_value(t) for t in ins])
        ot = ann.make_output_tensors(outb)
        runtime.EnqueueWorkload(nid, it, ot)
        a = ann.workload_tensors_to_ndarray(ot)[0]
        runtime.UnloadNetwork(nid)
        e = edgec_value(op["outputs"][0])
        print("alone op %3d %-18s %s" % (k, opname(op), compare(a, e)), flush=True)
        d = steps(a, e)
        if d is not None:
            worst = max(worst, d)
            bad += d > 1
    if check:
        n = len(sg["operators"])
        print("%s: %s: %d/%d operators within one step of Arm NN CpuRef (max %g steps)"
              % ("ok" if bad == 0 else "FAIL", os.path.basename(path), n - bad, n, worst))
        return 1 if bad else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
