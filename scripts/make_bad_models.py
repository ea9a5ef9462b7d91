#!/usr/bin/python3
"""Writes the malformed / hostile models of test/bad-models/.

Each case is <case>.onnx (or <case>/model.onnx when it needs side files)
plus <case>.expected:
    line 1: the edgec exit code (lib/support/Error.h ErrorCode)
    line 2: a substring the one-line error message must contain
    line 3 (optional): "run" when the model imports fine and the error only
            shows when running it (the model then has no graph inputs, so
            `edgec run MODEL` needs no --input); "input" for a tensor file
            <case>.npy / <case>.pb, given as the one input of
            input_model.onnx (`edgec run input_model.onnx --input CASE`;
            these cases come from fuzzing and are not written here).

The output is deterministic: rerunning the script rewrites identical files.
Run with the system python (python3-onnx, numpy):
    /usr/bin/python3 scripts/make_bad_models.py [OUT_DIR]
"""

import os
import shutil
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

# Exit codes (lib/support/Error.h).
INVALID_MODEL = 4
UNSUPPORTED = 5
INVALID_INPUT = 6
RUNTIME = 7

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "test", "bad-models")
OUT = os.path.normpath(OUT)
F = TensorProto.FLOAT


def vi(name, elem=F, shape=(2, 3)):
    return helper.make_tensor_value_info(name, elem, list(shape))


def model(nodes, inputs, outputs, inits=(), opset=17, name="g", **kw):
    g = helper.make_graph(nodes, name, inputs, outputs, initializer=list(inits))
    m = helper.make_model(g, producer_name="make_bad_models",
                          opset_imports=[helper.make_opsetid("", opset)], **kw)
    m.ir_version = 8
    return m


def f32(name, shape=(2, 3)):
    """A well-formed raw_data float initializer."""
    a = np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape)
    t = TensorProto(name=name, data_type=F, dims=list(shape))
    t.raw_data = a.tobytes()
    return t


def relu_with(init, out_shape=(2, 3)):
    """Relu(init) -> y, the initializer being the only source."""
    return model([helper.make_node("Relu", [init.name], ["y"], name="relu")],
                 [], [vi("y", shape=out_shape)], [init])


cases = {}  # name -> (code, substring, stage)


def write(name, data, code, substring, stage=None, subdir=False):
    if isinstance(data, onnx.ModelProto):
        data = data.SerializeToString()
    if isinstance(data, str):
        data = data.encode()
    if subdir:
        d = os.path.join(OUT, name)
        os.makedirs(d, exist_ok=True)
        path = os.path.join(d, "model.onnx")
    else:
        path = os.path.join(OUT, name + ".onnx")
    with open(path, "wb") as f:
        f.write(data)
    cases[name] = (code, substring, stage)


def side_file(case, fname, data):
    with open(os.path.join(OUT, case, fname), "wb") as f:
        f.write(data)


def fails_to_parse(data):
    try:
        onnx.ModelProto().ParseFromString(data)
    except Exception:  # noqa: BLE001 (DecodeError)
        return True
    return False


def main():
    if os.path.isdir(OUT):
        for e in os.listdir(OUT):
            p = os.path.join(OUT, e)
            if e.endswith((".onnx", ".expected")):
                os.remove(p)
            elif os.path.isdir(p) and not os.path.islink(p):
                shutil.rmtree(p)
            elif e.startswith("ext_") and (os.path.islink(p) or e.endswith(".bin")):
                os.remove(p)
    os.makedirs(OUT, exist_ok=True)

    good = relu_with(f32("W")).SerializeToString()

    # --- Files that are not models ---------------------------------------
    cut = good[: len(good) - 7]
    assert fails_to_parse(cut)
    write("truncated_protobuf", cut, INVALID_MODEL, "protobuf parse failed")
    write("empty_file", b"", INVALID_MODEL, "file is empty")
    # Field number 0 is invalid in the protobuf wire format.
    garbage = b"\x00\x01 this is not an ONNX model \xff\xfe\n"
    write("garbage", garbage, INVALID_MODEL, "protobuf parse failed")
    m = onnx.ModelProto(ir_version=8, producer_name="make_bad_models")
    m.opset_import.add(domain="", version=17)
    write("no_graph", m, INVALID_MODEL, "model has no graph")

    # --- Initializer storage ---------------------------------------------
    t = f32("W")
    t.raw_data = t.raw_data[:20]
    write("raw_data_size_mismatch", relu_with(t), INVALID_MODEL,
          "initializer 'W': raw_data has 20 bytes but f32[2,3] needs 24")

    t = TensorProto(name="W", data_type=F, dims=[2, 3])
    t.float_data.extend([1, 2, 3, 4, 5])
    write("typed_field_count_mismatch", relu_with(t), INVALID_MODEL,
          "initializer 'W': float_data has 5 values but f32[2,3] needs 6")

    t = TensorProto(name="W", data_type=TensorProto.INT64, dims=[2])
    t.float_data.extend([1, 2])  # wrong field for int64
    write("typed_field_wrong_kind", relu_with(t, (2,)), INVALID_MODEL,
          "initializer 'W': int64_data has 0 values but i64[2] needs 2")

    t = TensorProto(name="W", data_type=F, dims=[-1, 3])
    t.raw_data = b"\0" * 12
    write("negative_dim_initializer", relu_with(t), INVALID_MODEL,
          "initializer 'W': negative dimension -1")

    t = TensorProto(name="W", data_type=F, dims=[1 << 62, 1 << 62, 4])
    t.raw_data = b"\0" * 4
    write("huge_dims_overflow", relu_with(t), INVALID_MODEL,
          "initializer 'W': shape [4611686018427387904,4611686018427387904,4]"
          " has too many elements")

    t = TensorProto(name="W", data_type=F, dims=[1 << 40])
    write("dims_2pow40_without_data", relu_with(t, (1 << 40,)), INVALID_MODEL,
          "initializer 'W': shape [1099511627776] has too many elements")

    # 2^30 elements (4 GiB) claimed, no data: must fail without allocating.
    t = TensorProto(name="W", data_type=F, dims=[1 << 20, 1 << 10])
    write("dims_2pow30_without_data", relu_with(t, (1 << 20, 1 << 10)),
          INVALID_MODEL,
          "initializer 'W': float_data has 0 values but f32[1048576,1024] "
          "needs 1073741824")

    t = TensorProto(name="S", data_type=TensorProto.STRING, dims=[1])
    t.string_data.append(b"hello")
    write("string_initializer", relu_with(t, (1,)), UNSUPPORTED,
          "initializer 'S': element type string is not supported")

    t = TensorProto(name="C", data_type=TensorProto.COMPLEX64, dims=[1])
    t.float_data.extend([1, 2])
    write("complex_initializer", relu_with(t, (1,)), UNSUPPORTED,
          "initializer 'C': element type complex64 is not supported")

    t = TensorProto(name="U", data_type=99, dims=[1])
    t.raw_data = b"\0"
    write("unknown_element_type", relu_with(t, (1,)), UNSUPPORTED,
          "initializer 'U': element type #99 is not supported")

    t = TensorProto(name="B", data_type=F, dims=[2])
    t.raw_data = b"\0" * 8
    m = relu_with(t, (2,))
    m.graph.sparse_initializer.add()
    write("sparse_initializer", m, UNSUPPORTED,
          "sparse initializers are not supported")

    m = model([helper.make_node("Relu", ["W"], ["y"], name="relu")], [],
              [vi("y")], [f32("W"), f32("W")])
    write("duplicate_initializer", m, INVALID_MODEL,
          "initializer 'W' is defined twice")

    # Constant node whose tensor attribute is malformed.
    ct = f32("value")
    ct.raw_data = ct.raw_data[:8]
    m = model([helper.make_node("Constant", [], ["y"], name="const1",
                                value=ct)], [], [vi("y")])
    write("constant_bad_tensor", m, INVALID_MODEL,
          "node 'const1' (Constant) attribute 'value': raw_data has 8 bytes")

    # --- Graph structure -------------------------------------------------
    m = model([helper.make_node("Relu", ["b"], ["a"], name="n1"),
               helper.make_node("Relu", ["a"], ["b"], name="n2"),
               helper.make_node("Relu", ["a"], ["y"], name="n3")],
              [], [vi("y")])
    write("cyclic_graph", m, INVALID_MODEL, "has a cycle through node 'n1'")

    m = model([helper.make_node("Relu", ["a"], ["a"], name="selfloop")],
              [], [vi("a")])
    write("self_loop", m, INVALID_MODEL,
          "node 'selfloop' (Relu) uses its own output (cycle)")

    m = model([helper.make_node("Add", ["x", "nope"], ["y"], name="add1")],
              [vi("x")], [vi("y")])
    write("undefined_node_input", m, INVALID_MODEL,
          "node 'add1' (Add): input 'nope' is not defined")

    m = model([helper.make_node("Relu", ["x"], ["y"], name="relu")],
              [vi("x")], [vi("y"), vi("z")])
    write("output_not_produced", m, INVALID_MODEL,
          "graph 'g': output 'z' is not produced")

    m = model([helper.make_node("Relu", ["x"], ["y"], name="r1"),
               helper.make_node("Neg", ["x"], ["y"], name="r2")],
              [vi("x")], [vi("y")])
    write("duplicate_node_outputs", m, INVALID_MODEL,
          "node 'r2' (Neg): output 'y' is defined more than once")

    m = model([helper.make_node("Relu", ["x"], ["y"], name="r1")],
              [vi("x")], [vi("y"), vi("y")])
    write("duplicate_graph_outputs", m, INVALID_MODEL,
          "graph 'g': output 'y' is listed twice")

    m = model([helper.make_node("Relu", ["x"], ["y"], name="r1")],
              [vi("x"), vi("x")], [vi("y")])
    write("duplicate_graph_inputs", m, INVALID_MODEL,
          "input 'x' is listed twice")

    m = model([helper.make_node("Relu", ["x"], ["x"], name="r1")],
              [vi("x")], [vi("x")])
    write("node_output_shadows_input", m, INVALID_MODEL,
          "output 'x' is defined more than once")

    m = model([helper.make_node("Relu", ["x"], ["y"], name="r1")],
              [vi("x", shape=(1 << 40, 1 << 40))], [vi("y")])
    write("huge_declared_input_shape", m, INVALID_MODEL,
          "input 'x': declared shape")

    m = model([helper.make_node("Relu", ["x"], ["y"], name="r1")],
              [helper.make_tensor_sequence_value_info("x", F, [2])],
              [vi("y")])
    write("sequence_input", m, UNSUPPORTED,
          "input 'x': sequence types are not supported")

    # Several unsupported ops: all listed in one error (at run time; the
    # model has no inputs so `edgec run` needs none).
    nodes = [helper.make_node("FooOp", ["W"], ["a"], name="foo1"),
             helper.make_node("FooOp", ["a"], ["b"], name="foo2"),
             helper.make_node("BarOp", ["b"], ["c"], name="bar1"),
             helper.make_node("Baz", ["c"], ["y"], name="baz1",
                              domain="com.example")]
    m = model(nodes, [], [vi("y")], [f32("W")])
    m.opset_import.add(domain="com.example", version=3)
    write("unknown_ops", m, UNSUPPORTED,
          "3 unsupported op types: BarOp (opset 17, 1 node, first 'bar1'); "
          "FooOp (opset 17, 2 nodes, first 'foo1'); com.example.Baz "
          "(opset 3, 1 node, first 'baz1')", stage="run")

    m = model([helper.make_node("Baz", ["W"], ["y"], name="baz1",
                                domain="com.example")], [], [vi("y")],
              [f32("W")])
    write("domain_without_opset_import", m, INVALID_MODEL,
          "node 'baz1' (com.example.Baz): domain 'com.example' is not listed"
          " in the model's opset_import")

    m = relu_with(f32("W"))
    m.opset_import[0].version = 0
    write("opset_invalid_version", m, INVALID_MODEL,
          "opset_import for domain '' has invalid version 0")

    m = relu_with(f32("W"))
    m.opset_import[0].version = -7
    write("opset_negative_version", m, INVALID_MODEL,
          "has invalid version -7")

    # Reshape of a constant with an impossible shape: the one verifier
    # (docs/cli.md) rejects it at load, for every command.
    shape = helper.make_tensor("shape", TensorProto.INT64, [2], [4, 4])
    m = model([helper.make_node("Reshape", ["W", "shape"], ["y"],
                                name="reshape1")],
              [], [vi("y", shape=(4, 4))], [f32("W"), shape])
    write("reshape_bad_constant_shape", m, INVALID_MODEL,
          "node 'reshape1' (Reshape): cannot reshape")

    # --- Nested subgraphs ------------------------------------------------
    def nested_if(levels):
        cond = helper.make_tensor("cond", TensorProto.BOOL, [], [True])
        inner = helper.make_graph(
            [helper.make_node("Identity", ["W"], ["o0"], name="leaf")],
            "leaf", [], [vi("o0")])
        leaf = inner
        for i in range(1, levels + 1):
            node = helper.make_node("If", ["cond"], ["o%d" % i],
                                    name="if%d" % i, then_branch=inner,
                                    else_branch=leaf)
            inner = helper.make_graph([node], "level%d" % i, [],
                                      [vi("o%d" % i)])
        g = inner
        g.name = "g"
        g.initializer.extend([cond, f32("W")])
        m = helper.make_model(g, producer_name="make_bad_models",
                              opset_imports=[helper.make_opsetid("", 17)])
        m.ir_version = 8
        return m

    # 200 levels: rejected by the importer's depth limit (32), naming the
    # node where the limit is crossed.
    write("nested_if_200", nested_if(200), INVALID_MODEL,
          "subgraphs nested deeper than 32")
    # 400 levels exceed the protobuf recursion limit: a clean parse error.
    write("nested_if_400", nested_if(400), INVALID_MODEL,
          "protobuf parse failed")

    # --- External data ---------------------------------------------------
    def ext_model(location, offset=None, length=None):
        t = TensorProto(name="W", data_type=F, dims=[2, 3])
        t.data_location = TensorProto.EXTERNAL
        e = t.external_data.add()
        e.key, e.value = "location", location
        if offset is not None:
            e = t.external_data.add()
            e.key, e.value = "offset", str(offset)
        if length is not None:
            e = t.external_data.add()
            e.key, e.value = "length", str(length)
        return relu_with(t)

    data = np.arange(6, dtype=np.float32).tobytes()  # 24 bytes
    # A real file just outside each case folder: were it read, the model
    # would load, so the rejection is observable.
    with open(os.path.join(OUT, "ext_outside.bin"), "wb") as f:
        f.write(data)

    write("ext_dotdot", ext_model("../ext_outside.bin"), INVALID_MODEL,
          "initializer 'W': external data location '../ext_outside.bin' "
          "escapes the model directory ('..')", subdir=True)
    write("ext_absolute", ext_model("/etc/hostname"), INVALID_MODEL,
          "initializer 'W': external data location '/etc/hostname' is an "
          "absolute path", subdir=True)
    write("ext_symlink", ext_model("weights.bin"), INVALID_MODEL,
          "initializer 'W': external data location 'weights.bin' escapes "
          "the model directory (symlink)", subdir=True)
    os.symlink("../ext_outside.bin", os.path.join(OUT, "ext_symlink",
                                                  "weights.bin"))
    write("ext_symlink_dir", ext_model("sub/weights.bin"), INVALID_MODEL,
          "escapes the model directory (symlink)", subdir=True)
    os.symlink("..", os.path.join(OUT, "ext_symlink_dir", "sub"))
    write("ext_missing_file", ext_model("missing.bin"), INVALID_MODEL,
          "external data location 'missing.bin' does not name a regular file",
          subdir=True)
    write("ext_offset_beyond_file", ext_model("w.bin", offset=100),
          INVALID_MODEL,
          "initializer 'W': external data offset 100 is outside file 'w.bin' "
          "(24 bytes)", subdir=True)
    side_file("ext_offset_beyond_file", "w.bin", data)
    write("ext_range_beyond_file", ext_model("w.bin", offset=16, length=24),
          INVALID_MODEL,
          "initializer 'W': external data range (offset 16, length 24) "
          "exceeds file 'w.bin' (24 bytes)", subdir=True)
    side_file("ext_range_beyond_file", "w.bin", data)
    write("ext_length_mismatch", ext_model("w.bin", length=8), INVALID_MODEL,
          "initializer 'W': external data length 8 does not match f32[2,3] "
          "(24 bytes)", subdir=True)
    side_file("ext_length_mismatch", "w.bin", data)
    write("ext_bad_offset", ext_model("w.bin", offset="-4"), INVALID_MODEL,
          "initializer 'W': bad external data offset '-4'", subdir=True)
    side_file("ext_bad_offset", "w.bin", data)

    # --- ONNX text syntax ------------------------------------------------
    write("text_syntax_error", """<
  ir_version: 8,
  opset_import: ["" : 17]
>
g (float[2] x) => (float[2] y) {
  y = Relu(x
}
""", INVALID_MODEL, "cannot parse ONNX text")
    write("text_number_out_of_range", """<
  ir_version: 8,
  opset_import: ["" : 17]
>
g (float[2] x) => (float[2] y) {
  y = LeakyRelu <alpha_int = 99999999999999999999999999> (x)
}
""", INVALID_MODEL, "cannot parse ONNX text: bad literal")
    write("text_deep_brackets",
          "<ir_version: 8, opset_import: [\"\" : 17]>\n"
          "g (float[2] x) => (float[2] y) {\n  y = Relu"
          + "(" * 5000 + "x" + ")" * 5000 + "\n}\n",
          INVALID_MODEL, "brackets nested deeper than 256")
    # Nested Ifs in text syntax bypass protobuf's recursion limit entirely;
    # the importer's own depth limit must catch them.
    body = "y = Identity(x)"
    for i in range(40):
        body = ("y = If (c) <then_branch = t%d () => (float[2] y) { %s }, "
                "else_branch = e%d () => (float[2] y) { y = Identity(x) }>"
                % (i, body, i))
    write("text_nested_if_40",
          "<ir_version: 8, opset_import: [\"\" : 17]>\n"
          "g (bool c, float[2] x) => (float[2] y) {\n  %s\n}\n" % body,
          INVALID_MODEL, "subgraphs nested deeper than 32")

    for name, (code, sub, stage) in sorted(cases.items()):
        with open(os.path.join(OUT, name + ".expected"), "w") as f:
            f.write("%d\n%s\n" % (code, sub))
            if stage:
                f.write(stage + "\n")
    print("wrote %d cases to %s" % (len(cases), OUT))


if __name__ == "__main__":
    main()
