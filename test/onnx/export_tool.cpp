// Test-only driver of the ONNX exporter, used by ort_check.sh until the edgec
// CLI has an `optimize` command.
//
//   edgec-export-test MODEL OUT.onnx
//       imports MODEL and exports it to OUT.onnx
//   edgec-export-test --samples DIR
//       writes small models that exercise fused activations and expansions
//       (DIR/<case>/model.onnx + test_data_set_0/input_N.pb, output_N.pb;
//       the reference outputs come from the interpreter on the IR before
//       export, with the fused / newer op)
//   edgec-export-test --compare ACTUAL.pb EXPECTED.pb [RTOL ATOL]
//       exit 0 when the tensors match (default rtol 1e-3, atol 1e-4)
#include "interp/Interpreter.h"
#include "onnx/OnnxExporter.h"
#include "onnx/OnnxImporter.h"
#include "onnx/TensorProto.h"
#include "onnx/TestCase.h"
#include "ImportOptions.h"

#include <memory>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>

namespace fs = std::filesystem;
using namespace edgec;

namespace {

int fail(const std::string &msg) {
  std::cerr << "error: " << msg << "\n";
  return 1;
}

/// One sample: a text model and the edit the optimizer would make (a newer
/// opset on one node, or a fused activation on it).
struct Sample {
  std::string name;
  int opset;
  std::string graph;
  std::string op;        ///< the node to edit
  int64_t nodeOpset = 0; ///< new Node::opsetVersion (0: keep)
  std::string
      activation; ///< fused activation to attach (with `graph` un-fused)
  std::map<std::string, float> params;
  /// When set: the model exported instead of `graph` (imported without
  /// shape inference), annotated edgec.layout = "NHWC"; `graph` then only
  /// computes the reference.
  std::string nhwcGraph = {};
};

std::string weights(int n, uint64_t seed) {
  std::string r, sep;
  uint64_t s = seed;
  for (int i = 0; i < n; ++i) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    double v = double(s >> 11) / double(1ull << 53) * 2 - 1;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4f", v);
    r += sep + buf;
    sep = ", ";
  }
  return r;
}

std::string convGraph() {
  return "g (float[1,2,6,6] x, float[3,2,3,3] w = {" + weights(54, 3) +
         "}, float[3] b = {0.25, -0.5, 1.0}) => (float[1,3,6,6] y) {\n"
         "  y = Conv <kernel_shape = [3, 3], pads = [1, 1, 1, 1]> (x, w, b)\n}";
}

std::vector<Sample> samples() {
  std::vector<Sample> r;
  struct Act {
    const char *name;
    std::map<std::string, float> params;
  };
  const Act acts[] = {{"Relu", {}},
                      {"Clip", {{"min", -0.5f}, {"max", 0.75f}}},
                      {"LeakyRelu", {{"alpha", 0.2f}}},
                      {"HardSwish", {}},
                      {"HardSigmoid", {{"alpha", 0.3f}, {"beta", 0.4f}}},
                      {"Sigmoid", {}},
                      {"Tanh", {}}};
  for (int opset : {9, 11, 13, 14})
    for (const Act &a : acts)
      r.push_back(
          {"fused_" + std::string(a.name) + "_opset" + std::to_string(opset),
           opset, convGraph(), "Conv", 0, a.name, a.params});
  Sample clipMax{"fused_Clip_max_only_opset13",
                 13,
                 convGraph(),
                 "Conv",
                 0,
                 "Clip",
                 {{"max", 0.5f}}};
  r.push_back(clipMax);

  const std::string x3 = "float[2,3,4] x";
  const std::string ln =
      "g (" + x3 +
      ", float[4] s = {0.5, 1.0, 1.5, -2.0}, float[4] b = "
      "{0.1, 0.2, 0.3, 0.4}) => (float[2,3,4] y) {\n"
      "  y = LayerNormalization <epsilon = 0.001> (x, s, b)\n}";
  const std::string ln1 =
      "g (" + x3 + ", float[3,4] s = {" + weights(12, 5) +
      "}) => (float[2,3,4] y) {\n  y = LayerNormalization <axis = 1> (x, s)\n}";
  const std::string rms =
      "g (" + x3 +
      ", float[4] s = {0.5, 1.0, 1.5, -2.0}) => "
      "(float[2,3,4] y) {\n  y = RMSNormalization (x, s)\n}";
  auto unary = [](const std::string &node) {
    return "g (float[2,8] x) => (float[2,8] y) {\n  y = " + node + "\n}";
  };
  for (int opset : {11, 13, 18}) {
    std::string o = "_opset" + std::to_string(opset);
    r.push_back({"expand_LayerNormalization" + o,
                 opset,
                 ln,
                 "LayerNormalization",
                 17,
                 "",
                 {}});
    r.push_back({"expand_LayerNormalization_axis1" + o,
                 opset,
                 ln1,
                 "LayerNormalization",
                 17,
                 "",
                 {}});
    r.push_back({"expand_RMSNormalization" + o,
                 opset,
                 rms,
                 "RMSNormalization",
                 23,
                 "",
                 {}});
    r.push_back(
        {"expand_Gelu" + o, opset, unary("Gelu(x)"), "Gelu", 20, "", {}});
    r.push_back({"expand_Gelu_tanh" + o,
                 opset,
                 unary("Gelu <approximate = \"tanh\"> (x)"),
                 "Gelu",
                 20,
                 "",
                 {}});
    r.push_back(
        {"expand_Mish" + o, opset, unary("Mish(x)"), "Mish", 18, "", {}});
    r.push_back({"expand_HardSwish" + o,
                 opset,
                 unary("HardSwish(x)"),
                 "HardSwish",
                 14,
                 "",
                 {}});
    r.push_back({"expand_Swish" + o,
                 opset,
                 unary("Swish <alpha = 0.5> (x)"),
                 "Swish",
                 24,
                 "",
                 {}});
  }
  for (int opset : {9, 11}) {
    std::string o = "_opset" + std::to_string(opset);
    const std::string sm =
        "g (" + x3 + ") => (float[2,3,4] y) {\n  y = Softmax <axis = ";
    r.push_back({"expand_Softmax_axis1" + o,
                 opset,
                 sm + "1> (x)\n}",
                 "Softmax",
                 13,
                 "",
                 {}});
    r.push_back({"expand_Softmax_last" + o,
                 opset,
                 sm + "-1> (x)\n}",
                 "Softmax",
                 13,
                 "",
                 {}});
  }
  // A fused activation on an expanded node.
  r.push_back({"expand_Gelu_fused_Relu_opset13",
               13,
               unary("Gelu(x)"),
               "Gelu",
               20,
               "Relu",
               {}});
  // A channels-last Conv with a fused activation; the reference spells the
  // transposes out.
  const std::string w = "float[3,2,3,3] w = {" + weights(54, 3) +
                        "}, float[3] b = {0.25, -0.5, 1.0}";
  const std::string conv =
      "Conv <kernel_shape = [3, 3], pads = [1, 1, 1, 1]> (xt, w, b)";
  for (int opset : {11, 13}) {
    Sample nhwc{"nhwc_Conv_HardSwish_opset" + std::to_string(opset),
                opset,
                "g (float[1,6,6,2] x, " + w +
                    ") => (float[1,6,6,3] y) {\n"
                    "  xt = Transpose <perm = [0, 3, 1, 2]> (x)\n  c = " +
                    conv + "\n  y = Transpose <perm = [0, 2, 3, 1]> (c)\n}",
                "Conv",
                0,
                "HardSwish",
                {},
                "g (float[1,6,6,2] xt, " + w +
                    ") => (float[1,6,6,3] y) {\n  y = " + conv + "\n}"};
    r.push_back(nhwc);
  }
  return r;
}

Node *findNode(const Graph &g, const std::string &op) {
  for (const auto &n : g.nodes())
    if (n->opType == op) return n.get();
  return nullptr;
}

Tensor inputFor(const Value &v, uint64_t seed) {
  TensorShape shape;
  for (const Dim &d : v.type.dims)
    shape.push_back(d.isStatic() ? d.value : 1);
  Tensor t(v.type.dtype, shape);
  uint64_t s = seed;
  for (int64_t i = 0; i < t.numElements(); ++i) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    t.setDouble(i, double(s >> 11) / double(1ull << 53) * 6 - 3);
  }
  return t;
}

/// Applies a fused activation to reference outputs the way ONNX defines it.
double activate(const Sample &s, double v) {
  auto p = [&](const char *k, double def) {
    auto it = s.params.find(k);
    return it == s.params.end() ? def : double(it->second);
  };
  const std::string &a = s.activation;
  if (a == "Relu") return v > 0 ? v : 0;
  if (a == "Clip")
    return std::min(p("max", INFINITY), std::max(p("min", -INFINITY), v));
  if (a == "LeakyRelu") return v < 0 ? p("alpha", 0.01) * v : v;
  if (a == "HardSigmoid")
    return std::max(0.0, std::min(1.0, p("alpha", 0.2) * v + p("beta", 0.5)));
  if (a == "HardSwish") return v * std::max(0.0, std::min(1.0, v / 6 + 0.5));
  if (a == "Sigmoid") return 1 / (1 + std::exp(-v));
  if (a == "Tanh") return std::tanh(v);
  return v;
}

int writeSamples(const std::string &dir) {
  int written = 0;
  for (const Sample &s : samples()) {
    std::string text =
        "<ir_version: 8, opset_import: [\"\" : " + std::to_string(s.opset) +
        "]>\n" + s.graph;
    auto m = importOnnxText(text, test::evaluating());
    if (!m.isOk()) return fail(s.name + ": " + m.error().message());
    Model *refModel = m->get();
    std::unique_ptr<Model> nhwcModel;
    if (!s.nhwcGraph.empty()) {
      ImportOptions io;
      io.inferShapes = false; // NHWC data does not fit Conv's inference
      auto e =
          importOnnxText(text.substr(0, text.find('\n') + 1) + s.nhwcGraph, test::evaluating(io));
      if (!e.isOk()) return fail(s.name + ": " + e.error().message());
      nhwcModel = e.take();
    }
    Model &model = nhwcModel ? *nhwcModel : *refModel;
    Node *n = findNode(*model.graph, s.op);
    if (!n) return fail(s.name + ": no " + s.op + " node");
    if (nhwcModel) n->attrs["edgec.layout"] = Attribute::makeString("NHWC");
    if (s.nodeOpset) n->opsetVersion = s.nodeOpset;
    std::map<std::string, Tensor> in;
    std::vector<Tensor> inputs;
    uint64_t seed = 11;
    for (const Value *v : refModel->graph->inputs) {
      if (v->isInitializer()) continue;
      Tensor t = inputFor(*v, seed++);
      in[v->name] = t;
      inputs.push_back(t);
    }
    Interpreter interp(*refModel);
    auto out = interp.run(in);
    if (!out.isOk()) return fail(s.name + ": " + out.error().message());
    std::vector<Tensor> ref = out.take();
    if (!s.activation.empty()) {
      for (Tensor &t : ref) {
        t = t.clone();
        for (int64_t i = 0; i < t.numElements(); ++i)
          t.setDouble(i, activate(s, t.getDouble(i)));
      }
      n->attrs["edgec.activation"] = Attribute::makeString(s.activation);
      for (const auto &[k, v] : s.params)
        n->attrs["edgec.activation." + k] = Attribute::makeFloat(v);
    }
    fs::path d = fs::path(dir) / s.name;
    fs::create_directories(d / "test_data_set_0");
    Status st = exportOnnxFile(model, (d / "model.onnx").string());
    if (!st.isOk()) return fail(s.name + ": " + st.error().message());
    auto write = [&](const char *kind, size_t i, const Tensor &t) {
      std::string p = (d / "test_data_set_0" /
                       (kind + std::string("_") + std::to_string(i) + ".pb"))
                          .string();
      return writeTensorProtoFile(p, t);
    };
    for (size_t i = 0; i < inputs.size(); ++i)
      if (Status w = write("input", i, inputs[i]); !w.isOk())
        return fail(w.error().message());
    for (size_t i = 0; i < ref.size(); ++i)
      if (Status w = write("output", i, ref[i]); !w.isOk())
        return fail(w.error().message());
    ++written;
  }
  std::cout << "wrote " << written << " samples to " << dir << "\n";
  return 0;
}

int compare(int argc, char **argv) {
  if (argc != 4 && argc != 6)
    return fail("usage: --compare ACTUAL.pb EXPECTED.pb [RTOL ATOL]");
  auto a = readTensorProtoFile(argv[2]);
  if (!a.isOk()) return fail(a.error().message());
  auto e = readTensorProtoFile(argv[3]);
  if (!e.isOk()) return fail(e.error().message());
  CompareOptions o;
  o.rtol = 1e-3;
  o.atol = 1e-4;
  if (argc == 6) {
    o.rtol = std::stod(argv[4]);
    o.atol = std::stod(argv[5]);
  }
  std::string why = compareTensors(*a, *e, o);
  if (!why.empty()) return fail(std::string(argv[2]) + ": " + why);
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  if (argc >= 2 && std::string(argv[1]) == "--compare")
    return compare(argc, argv);
  if (argc == 3 && std::string(argv[1]) == "--samples")
    return writeSamples(argv[2]);
  if (argc != 3 || argv[1][0] == '-')
    return fail("usage: edgec-export-test MODEL OUT.onnx | --samples DIR | "
                "--compare ACTUAL.pb EXPECTED.pb [RTOL ATOL]");
  auto m = importOnnxFile(argv[1], test::evaluating());
  if (!m.isOk()) return fail(m.error().message());
  Status st = exportOnnxFile(**m, argv[2]);
  if (!st.isOk()) return fail(st.error().message());
  return 0;
}
