// ONNX exporter tests: round trips (text models and every shared model)
// through export -> serialize -> re-import -> interpreter, fused activations,
// expansions of ops newer than the model's opset, determinism and errors.
#include "interp/Interpreter.h"
#include "shape/ShapeInference.h"
#include "ir/Printer.h"
#include "onnx/OnnxExporter.h"
#include "onnx/OnnxImporter.h"
#include "onnx/TestCase.h"
#include "support/FileIO.h"
#include "ImportOptions.h"

#include <gtest/gtest.h>
#include <onnx/checker.h>
#include <onnx/defs/schema.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <set>
#include <sstream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace edgec {
namespace {

std::string header(int opset, int ir = 8) {
  return "<ir_version: " + std::to_string(ir) +
         ", opset_import: [\"\" : " + std::to_string(opset) + "]>\n";
}

std::unique_ptr<Model> load(const std::string &graph, int opset = 17) {
  auto m = importOnnxText(header(opset) + graph, test::evaluating());
  EXPECT_TRUE(m.isOk()) << m.error().message();
  return m.isOk() ? m.take() : nullptr;
}

Node *findNode(const Graph &g, const std::string &opType) {
  for (const auto &n : g.nodes())
    if (n->opType == opType) return n.get();
  return nullptr;
}

/// Parses serialized bytes back into a ModelProto.
onnx::ModelProto parse(const std::string &bytes) {
  onnx::ModelProto mp;
  EXPECT_TRUE(mp.ParseFromString(bytes)) << "exported bytes do not parse";
  return mp;
}

/// Empty if the ONNX checker (libonnx, which knows opsets up to 17 and IR
/// up to 8) accepts the model, else its message.
std::string checkerError(const onnx::ModelProto &mp) {
  try {
    onnx::checker::check_model(mp);
  } catch (const std::exception &e) {
    return e.what();
  }
  return {};
}

int64_t defaultOpset(const onnx::ModelProto &mp) {
  for (const auto &os : mp.opset_import())
    if (os.domain().empty() || os.domain() == "ai.onnx") return os.version();
  return 0;
}

/// How many exports the ONNX checker validated (reported by the shared
/// models test, so a silently skipped check is visible).
int gCheckedByOnnx = 0;

/// Export -> bytes -> ModelProto -> IR. `proto` receives the parsed proto.
std::unique_ptr<Model> roundTrip(const Model &m,
                                 onnx::ModelProto *proto = nullptr,
                                 const std::string &baseDir = "") {
  auto bytes = exportOnnxBytes(m);
  EXPECT_TRUE(bytes.isOk()) << bytes.error().message();
  if (!bytes.isOk()) return nullptr;
  onnx::ModelProto mp = parse(*bytes);
  if (defaultOpset(mp) <= 17 && mp.ir_version() <= 8) {
    std::string err = checkerError(mp);
    EXPECT_EQ(err, "") << "onnx checker rejects the export";
    ++gCheckedByOnnx;
  }
  auto r = importOnnxProto(mp, baseDir, test::evaluating());
  EXPECT_TRUE(r.isOk()) << r.error().message();
  if (proto) *proto = mp;
  return r.isOk() ? r.take() : nullptr;
}

/// The printed graphs a and b agree except for the order of the main
/// graph's inputs (the exporter lists caller-fed inputs first). Returns the
/// first difference, or "".
std::string sameGraph(const Graph &a, const Graph &b) {
  auto sig = [](const Graph &g) {
    std::vector<std::string> r;
    for (const Value *v : g.inputs)
      r.push_back(v->name + ": " + v->type.str());
    std::sort(r.begin(), r.end());
    return r;
  };
  if (sig(a) != sig(b)) return "graph inputs differ";
  std::string pa = printGraphToString(a), pb = printGraphToString(b);
  size_t ea = pa.find('\n'), eb = pb.find('\n');
  std::istringstream sa(pa.substr(ea + 1)), sb(pb.substr(eb + 1));
  std::string la, lb;
  for (int line = 2;; ++line) {
    bool ga = (bool)std::getline(sa, la), gb = (bool)std::getline(sb, lb);
    if (!ga && !gb) return {};
    if (la != lb || ga != gb)
      return "line " + std::to_string(line) + ": '" + la + "' vs '" + lb + "'";
  }
}

/// Deterministic pseudo-random values in [lo, hi).
struct Lcg {
  uint64_t s;
  explicit Lcg(uint64_t seed) : s(seed * 2654435761u + 1) {}
  double next(double lo, double hi) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    return lo + (hi - lo) * double(s >> 11) / double(1ull << 53);
  }
};

/// Inputs for every non-initializer graph input (symbolic/unknown dims: 2).
std::map<std::string, Tensor> makeInputs(const Model &m, uint64_t seed = 1) {
  std::map<std::string, Tensor> r;
  Lcg rng(seed);
  for (const Value *v : m.graph->inputs) {
    if (v->isInitializer()) continue;
    TensorShape shape;
    for (const Dim &d : v->type.dims)
      shape.push_back(d.isStatic() ? d.value : 2);
    Tensor t(v->type.dtype, shape);
    for (int64_t i = 0; i < t.numElements(); ++i) {
      if (v->type.dtype == DataType::Bool)
        t.setInt64(i, (i + (int64_t)seed) % 2);
      else if (isFloatType(v->type.dtype))
        t.setDouble(i, rng.next(-3, 3));
      else
        t.setInt64(i, (int64_t)rng.next(0, 4));
    }
    r[v->name] = t;
  }
  return r;
}

std::vector<Tensor> runModel(const Model &m,
                             const std::map<std::string, Tensor> &inputs) {
  Interpreter interp(m);
  auto out = interp.run(inputs);
  EXPECT_TRUE(out.isOk()) << out.error().message();
  return out.isOk() ? out.take() : std::vector<Tensor>{};
}

void expectIdentical(const std::vector<Tensor> &a, const std::vector<Tensor> &b,
                     const std::string &what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (size_t i = 0; i < a.size(); ++i)
    EXPECT_TRUE(a[i].identical(b[i]))
        << what << ": output " << i << " differs: " << describe(a[i]) << " vs "
        << describe(b[i]);
}

void expectClose(const std::vector<Tensor> &actual,
                 const std::vector<Tensor> &expected, double tol,
                 const std::string &what) {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  for (size_t i = 0; i < actual.size(); ++i) {
    ASSERT_EQ(actual[i].dtype(), expected[i].dtype()) << what;
    ASSERT_EQ(actual[i].shape(), expected[i].shape()) << what;
    double worst = 0;
    int64_t at = -1;
    for (int64_t k = 0; k < actual[i].numElements(); ++k) {
      double a = actual[i].getDouble(k), e = expected[i].getDouble(k);
      double err = std::fabs(a - e) / std::max(1.0, std::fabs(e));
      if (!(err <= worst)) {
        worst = err;
        at = k;
      }
    }
    EXPECT_LE(worst, tol) << what << ": output " << i << " element " << at
                          << ": " << actual[i].getDouble(at) << " vs "
                          << expected[i].getDouble(at);
  }
}

/// All op types of a graph and its subgraphs.
void collectOps(const onnx::GraphProto &g, std::vector<std::string> &ops) {
  for (const auto &n : g.node()) {
    ops.push_back(n.op_type());
    for (const auto &a : n.attribute()) {
      if (a.has_g()) collectOps(a.g(), ops);
      for (const auto &sg : a.graphs())
        collectOps(sg, ops);
    }
  }
}

bool hasReservedAttribute(const onnx::GraphProto &g) {
  for (const auto &n : g.node())
    for (const auto &a : n.attribute()) {
      if (a.name().rfind("edgec.", 0) == 0) return true;
      if (a.has_g() && hasReservedAttribute(a.g())) return true;
    }
  return false;
}

/// Every node is a default-domain op that exists at `opset`.
void expectOpsExistAt(const onnx::ModelProto &mp, int64_t opset,
                      const std::string &what) {
  std::vector<std::string> ops;
  collectOps(mp.graph(), ops);
  for (const auto &op : ops) {
    const onnx::OpSchema *s =
        onnx::OpSchemaRegistry::Schema(op, (int)opset, "");
    EXPECT_NE(s, nullptr) << what << ": " << op << " does not exist at opset "
                          << opset;
    if (s) {
      EXPECT_FALSE(s->Deprecated()) << what << ": " << op;
    }
  }
}

// ---------------------------------------------------------------------------
// Round trips of small models

struct TextCase {
  const char *name;
  int opset;
  const char *graph;
};

const TextCase kTextCases[] = {
    {"conv_relu_with_initializer_inputs", 13, R"(
g (float[1,2,5,5] x, float[3,2,3,3] w = {0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.7, -0.8, 0.9,
     1.0, -1.1, 1.2, -0.3, 0.2, 0.1, 0.5, 0.4, -0.3, 0.2, 0.2, 0.2, -0.1, 0.1, 0.3,
     0.6, -0.6, 0.1, 0.25, 0.5, -0.75, 1.0, 0.0, 0.5, -0.5, 0.3, 0.1, 0.2, 0.2,
     -0.4, 0.8, 0.1, 0.0, 0.3, 0.3, -0.2, 0.7, 0.1, -0.9, 0.4, 0.6, 0.2, 0.1, -0.1, 0.5},
   float[3] b = {0.5, -1.0, 0.25}) => (float[1,3,2,2] y) {
  c = Conv <kernel_shape = [3, 3], pads = [1, 1, 1, 1], strides = [2, 2]> (x, w, b)
  r = Relu(c)
  y = MaxPool <kernel_shape = [2, 2], strides = [2, 2]> (r)
})"},
    {"optional_inputs_and_outputs", 13, R"(
g (float[2,3] x, float hi) => (float[2,3] y, float[2,3] z) {
  y = Clip(x, , hi)
  z, mask = Dropout(x)
})"},
    {"symbolic_and_unknown_dims", 17, R"(
g (float[N, ?, 3] x) => (float[N, ?, 3] y, int64[3] s) {
  y = Sigmoid(x)
  s = Shape(x)
})"},
    {"attributes_of_all_kinds", 17, R"(
g (float[2,3] x) => (float[2,3] y, float[2,2] c, int64[4] p, float[3] f) {
  c = Constant <value = float[2,2] {1.0, 2.0, 3.0, 4.0}> ()
  p = Constant <value_ints = [1, -2, 3, 4]> ()
  f = Constant <value_floats = [0.5, 1.5, -2.5]> ()
  a = LeakyRelu <alpha = 0.125> (x)
  y = Transpose <perm = [0, 1]> (a)
})"},
    {"if_with_outer_scope_captures", 17, R"(
g (bool c, float[2] x, float[2] w) => (float[2] y) {
  t = Mul(x, w)
  y = If (c) <then_branch = then_g () => (float[2] a) { a = Neg(t) },
              else_branch = else_g () => (float[2] b) { b = Add(t, w) }>
})"},
    {"loop_with_carried_state", 17, R"(
g (int64 n, bool cond, float[2] x) => (float[2] y, float[3,2] ys) {
  y, ys = Loop (n, cond, x) <body = body (int64 i, bool c_in, float[2] v) => (bool c_out, float[2] v_out, float[2] scan) {
    c_out = Identity(c_in)
    v_out = Add(v, x)
    scan = Identity(v_out)
  }>
})"},
    {"scan_accumulates", 17, R"(
g (float[2] init, float[3,2] xs) => (float[2] acc, float[3,2] ys) {
  acc, ys = Scan (init, xs) <num_scan_inputs = 1, body = step (float[2] s, float[2] e) => (float[2] s2, float[2] o) {
    s2 = Add(s, e)
    o = Identity(s2)
  }>
})"},
    {"legacy_opset_9", 9, R"(
g (float[2,4] x) => (float[2,4] y) {
  c = Clip <min = -0.5, max = 0.5> (x)
  y = Softmax <axis = 1> (c)
})"},
};

void PrintTo(const TextCase &c, std::ostream *os) { *os << c.name; }

class ExporterText : public testing::TestWithParam<TextCase> {};

TEST_P(ExporterText, RoundTripKeepsGraphAndOutputs) {
  const TextCase &tc = GetParam();
  auto m = load(tc.graph, tc.opset);
  ASSERT_TRUE(m);
  onnx::ModelProto mp;
  auto back = roundTrip(*m, &mp);
  ASSERT_TRUE(back);
  EXPECT_EQ(mp.producer_name(), "edgec");
  EXPECT_EQ(defaultOpset(mp), tc.opset);
  EXPECT_GE(mp.ir_version(), 7);
  // Same graph: identical printed form (names, types, attributes, order).
  EXPECT_EQ(sameGraph(*back->graph, *m->graph), "");
  auto inputs = makeInputs(*m);
  if (std::string(tc.name) == "loop_with_carried_state") {
    inputs["n"] = Tensor::scalar<int64_t>(3);
    inputs["cond"] = Tensor::scalar<bool>(true);
  }
  expectIdentical(runModel(*back, inputs), runModel(*m, inputs), tc.name);
}

INSTANTIATE_TEST_SUITE_P(Exporter, ExporterText, testing::ValuesIn(kTextCases),
                         [](const auto &info) {
                           return std::string(info.param.name);
                         });

TEST(Exporter, InputsInitializersOutputsAndTypes) {
  auto m = load(
      R"(g (float[N, 3] x, float[3] w = {1.0, 2.0, 3.0}) => (float[N, 3] y) {
    y = Mul(x, w)
  })");
  ASSERT_TRUE(m);
  // A pure initializer (not an input) too.
  Value *k = m->graph->addInitializer("k", Tensor::fromVector<float>({1}, {2}));
  Node *mul = findNode(*m->graph, "Mul");
  Value *y = mul->outputs[0];
  m->graph->removeNode(mul);
  Value *t = m->graph->addValue("t", y->type);
  m->graph->addNode("Mul", {m->graph->findValue("x"), m->graph->findValue("w")},
                    {t}, "mul");
  m->graph->addNode("Add", {t, k}, {y}, "add");
  auto e = exportOnnxProto(*m);
  ASSERT_TRUE(e.isOk()) << e.error().message();
  const onnx::GraphProto &g = e->graph();
  ASSERT_EQ(g.input_size(), 2);
  EXPECT_EQ(g.input(0).name(), "x") << "caller-fed inputs first";
  EXPECT_EQ(g.input(1).name(), "w") << "initializer stays an input";
  const auto &xs = g.input(0).type().tensor_type();
  EXPECT_EQ(xs.elem_type(), onnx::TensorProto::FLOAT);
  ASSERT_EQ(xs.shape().dim_size(), 2);
  EXPECT_EQ(xs.shape().dim(0).dim_param(), "N");
  EXPECT_EQ(xs.shape().dim(1).dim_value(), 3);
  ASSERT_EQ(g.initializer_size(), 2);
  EXPECT_EQ(g.initializer(0).name(), "w");
  EXPECT_EQ(g.initializer(1).name(), "k");
  ASSERT_EQ(g.node_size(), 2);
  EXPECT_EQ(g.node(0).name(), "mul");
  EXPECT_EQ(g.node(1).op_type(), "Add");
  ASSERT_EQ(g.value_info_size(), 1);
  EXPECT_EQ(g.value_info(0).name(), "t");
  EXPECT_EQ(checkerError(*e), "");
  auto back = importOnnxProto(*e, "", test::evaluating());
  ASSERT_TRUE(back.isOk()) << back.error().message();
  EXPECT_TRUE((*back)->graph->findValue("w")->isGraphInput());
  EXPECT_TRUE((*back)->graph->findValue("w")->isInitializer());
  EXPECT_FALSE((*back)->graph->findValue("k")->isGraphInput());
  auto in = makeInputs(*m);
  expectIdentical(runModel(**back, in), runModel(*m, in), "initializers");
}

TEST(Exporter, UnknownRankAndUnknownDims) {
  Model m;
  m.opsets[""] = 17;
  m.irVersion = 8;
  Value *x = m.graph->addInput("x", TensorType(DataType::Float32));
  Value *y = m.graph->addValue(
      "y", TensorType(DataType::Float32, {Dim::unknown(), Dim::fixed(2)}));
  m.graph->addNode("Relu", {x}, {y}, "relu")->opsetVersion = 17;
  m.graph->outputs.push_back(y);
  auto e = exportOnnxProto(m);
  ASSERT_TRUE(e.isOk()) << e.error().message();
  const auto &xt = e->graph().input(0).type().tensor_type();
  EXPECT_EQ(xt.elem_type(), onnx::TensorProto::FLOAT);
  EXPECT_FALSE(xt.has_shape()) << "unknown rank: no shape";
  const auto &yt = e->graph().output(0).type().tensor_type();
  ASSERT_EQ(yt.shape().dim_size(), 2);
  EXPECT_FALSE(yt.shape().dim(0).has_dim_value());
  EXPECT_FALSE(yt.shape().dim(0).has_dim_param());
  EXPECT_EQ(yt.shape().dim(1).dim_value(), 2);
}

TEST(Exporter, OmittedInputsAndOutputs) {
  auto m = load(R"(g (float[2,3] x, float lo) => (float[2,3] y, float[2,3] z) {
    y = Clip(x, lo)
    z = Clip(x, , lo)
  })");
  ASSERT_TRUE(m);
  // A node with an omitted middle output and trailing omitted outputs.
  Node *clip = findNode(*m->graph, "Clip");
  clip->inputs.push_back(nullptr); // trailing omitted input
  auto e = exportOnnxProto(*m);
  ASSERT_TRUE(e.isOk()) << e.error().message();
  const auto &g = e->graph();
  ASSERT_EQ(g.node(0).input_size(), 2) << "trailing omitted input dropped";
  ASSERT_EQ(g.node(1).input_size(), 3);
  EXPECT_EQ(g.node(1).input(1), "");
  EXPECT_EQ(g.node(1).input(2), "lo");

  auto d = load(R"(g (float[2,3] x) => (float[2,3] y, bool[2,3] mask) {
    y, mask = Dropout(x)
  })",
                13);
  ASSERT_TRUE(d);
  Node *drop = findNode(*d->graph, "Dropout");
  d->graph->outputs.pop_back();
  drop->outputs[1] = nullptr;
  auto de = exportOnnxProto(*d);
  ASSERT_TRUE(de.isOk()) << de.error().message();
  EXPECT_EQ(de->graph().node(0).output_size(), 1)
      << "trailing omitted output dropped";
  // An omitted output before a present one stays as "".
  auto ln =
      load(R"(g (float[2,3] x, float[3] s) => (float[2,3] y, float[2,1] r) {
    y, m, r = LayerNormalization(x, s)
  })");
  ASSERT_TRUE(ln);
  findNode(*ln->graph, "LayerNormalization")->outputs[1] = nullptr;
  auto le = exportOnnxProto(*ln);
  ASSERT_TRUE(le.isOk()) << le.error().message();
  ASSERT_EQ(le->graph().node(0).output_size(), 3);
  EXPECT_EQ(le->graph().node(0).output(1), "");
  auto back = importOnnxProto(*le, "", test::evaluating());
  ASSERT_TRUE(back.isOk()) << back.error().message();
  auto in = makeInputs(*ln);
  expectIdentical(runModel(**back, in), runModel(*ln, in), "layernorm");
}

TEST(Exporter, UnnamedAndClashingValuesGetUniqueNames) {
  Model m;
  m.opsets[""] = 17;
  TensorType t(DataType::Float32, TensorShape{2});
  Value *x = m.graph->addInput("x", t);
  Value *a = m.graph->addValue("", t);
  Value *b = m.graph->addValue("", t);
  Value *c = m.graph->addValue("x", t); // clashes with the input
  Value *y = m.graph->addValue("y", t);
  m.graph->addNode("Relu", {x}, {a});
  m.graph->addNode("Neg", {a}, {b});
  m.graph->addNode("Abs", {b}, {c});
  m.graph->addNode("Add", {c, x}, {y});
  m.graph->outputs.push_back(y);
  auto e = exportOnnxProto(m);
  ASSERT_TRUE(e.isOk()) << e.error().message();
  std::set<std::string> names;
  const auto &g = e->graph();
  for (const auto &n : g.node())
    for (const auto &o : n.output()) {
      EXPECT_FALSE(o.empty());
      EXPECT_TRUE(names.insert(o).second) << "duplicate name " << o;
    }
  EXPECT_EQ(names.count("x"), 0u) << "clash renamed, the input keeps 'x'";
  EXPECT_EQ(g.node(3).input(1), "x");
  EXPECT_EQ(g.node(3).input(0), g.node(2).output(0));
  EXPECT_EQ(checkerError(*e), "");
  auto again = exportOnnxProto(m);
  ASSERT_TRUE(again.isOk());
  EXPECT_EQ(*serializeOnnxProto(*again), *serializeOnnxProto(*e));
  auto back = importOnnxProto(*e, "", test::evaluating());
  ASSERT_TRUE(back.isOk()) << back.error().message();
  std::map<std::string, Tensor> in{
      {"x", Tensor::fromVector<float>({2}, {-1, 2})}};
  auto out = runModel(**back, in);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].toDoubleVector(), (std::vector<double>{-1, 4}));
}

TEST(Exporter, ConstantWithProducerExportsTheNode) {
  auto m = load(R"(g (float[2] x) => (float[2] y) {
    c = Constant <value = float[2] {1.0, 2.0}> ()
    y = Add(x, c)
  })");
  ASSERT_TRUE(m);
  Node *cn = findNode(*m->graph, "Constant");
  // What constant folding records: data on a value that keeps its producer.
  cn->outputs[0]->constant = Tensor::fromVector<float>({2}, {1, 2});
  auto e = exportOnnxProto(*m);
  ASSERT_TRUE(e.isOk()) << e.error().message();
  EXPECT_EQ(e->graph().initializer_size(), 0);
  ASSERT_EQ(e->graph().node_size(), 2);
  EXPECT_EQ(e->graph().node(0).op_type(), "Constant");

  // A folded constant (no producer) is an initializer.
  Value *c = cn->outputs[0];
  m->graph->removeNode(cn);
  ASSERT_TRUE(c->isInitializer());
  auto f = exportOnnxProto(*m);
  ASSERT_TRUE(f.isOk()) << f.error().message();
  ASSERT_EQ(f->graph().initializer_size(), 1);
  EXPECT_EQ(f->graph().initializer(0).name(), "c");
  EXPECT_EQ(f->graph().node_size(), 1);
  auto back = importOnnxProto(*f, "", test::evaluating());
  ASSERT_TRUE(back.isOk()) << back.error().message();
  auto in = makeInputs(*m);
  expectIdentical(runModel(**back, in), runModel(*m, in), "folded");
}

TEST(Exporter, DeterministicBytes) {
  auto m = load(kTextCases[0].graph, 13);
  ASSERT_TRUE(m);
  auto a = exportOnnxBytes(*m), b = exportOnnxBytes(*m);
  ASSERT_TRUE(a.isOk() && b.isOk());
  EXPECT_EQ(*a, *b);
  // Files are byte-identical too, and a re-import exports to the same bytes.
  fs::path dir = fs::temp_directory_path() /
                 ("edgec-export-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  ASSERT_TRUE(exportOnnxFile(*m, (dir / "a.onnx").string()).isOk());
  ASSERT_TRUE(exportOnnxFile(*m, (dir / "b.onnx").string()).isOk());
  auto fa = readFileBytes((dir / "a.onnx").string());
  auto fb = readFileBytes((dir / "b.onnx").string());
  ASSERT_TRUE(fa.isOk() && fb.isOk());
  EXPECT_EQ(*fa, *fb);
  EXPECT_EQ(*fa, *a);
  auto back = importOnnxFile((dir / "a.onnx").string(), test::evaluating());
  ASSERT_TRUE(back.isOk()) << back.error().message();
  auto c = exportOnnxBytes(**back);
  ASSERT_TRUE(c.isOk());
  EXPECT_EQ(*c, *a) << "export(import(export(m))) == export(m)";
  fs::remove_all(dir);
}

TEST(Exporter, ErrorsNameTheNode) {
  auto m = load("g (float[2] x) => (float[2] y) { y = Relu(x) }");
  ASSERT_TRUE(m);
  Node *relu = findNode(*m->graph, "Relu");
  relu->attrs["edgec.frobnicate"] = Attribute::makeInt(1);
  auto e = exportOnnxProto(*m);
  ASSERT_FALSE(e.isOk());
  EXPECT_NE(e.error().message().find("Relu_0"), std::string::npos)
      << e.error().message();
  EXPECT_NE(e.error().message().find("edgec.frobnicate"), std::string::npos);

  relu->attrs.clear();
  relu->attrs["edgec.activation"] = Attribute::makeString("Softsign");
  e = exportOnnxProto(*m);
  ASSERT_FALSE(e.isOk());
  EXPECT_NE(e.error().message().find("Softsign"), std::string::npos);

  relu->attrs.clear();
  relu->attrs["edgec.activation"] = Attribute::makeString("Relu");
  relu->attrs["edgec.activation.alpha"] = Attribute::makeFloat(0.1f);
  EXPECT_FALSE(exportOnnxProto(*m).isOk()) << "Relu takes no alpha";

  relu->attrs.clear();
  relu->domain = "edgec";
  m->opsets["edgec"] = 1;
  e = exportOnnxProto(*m);
  ASSERT_FALSE(e.isOk());
  EXPECT_NE(e.error().message().find("node 'Relu_0' (edgec.Relu)"),
            std::string::npos)
      << e.error().message();
}

// ---------------------------------------------------------------------------
// Fused activations

/// Conv weights and bias as text initializers (inputs with defaults).
std::string convModel(const std::string &tail, const std::string &outName) {
  std::string w, sep;
  Lcg rng(7);
  for (int i = 0; i < 3 * 2 * 3 * 3; ++i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4f", rng.next(-1, 1));
    w += sep + buf;
    sep = ", ";
  }
  return "g (float[1,2,5,5] x, float[3,2,3,3] w = {" + w +
         "}, float[3] b = {0.25, -0.5, 1.0}) => (float[1,3,5,5] " + outName +
         ") {\n  " + tail + "\n}";
}

struct FusedCase {
  const char *name;
  int opset;
  const char *activation;
  /// Reference activation node (opset 14): "y = ...(c)".
  const char *reference;
  std::map<std::string, float> params;
  /// Op types expected after the Conv in the export.
  std::vector<std::string> exported;
};

const FusedCase kFusedCases[] = {
    {"relu", 13, "Relu", "y = Relu(c)", {}, {"Relu"}},
    {"clip_opset11",
     11,
     "Clip",
     "lo = Constant <value = float {-0.5}> ()\n hi = Constant <value = float "
     "{0.75}> ()\n y = Clip(c, lo, hi)",
     {{"min", -0.5f}, {"max", 0.75f}},
     {"Clip"}},
    {"clip_opset9",
     9,
     "Clip",
     "lo = Constant <value = float {-0.5}> ()\n hi = Constant <value = float "
     "{0.75}> ()\n y = Clip(c, lo, hi)",
     {{"min", -0.5f}, {"max", 0.75f}},
     {"Clip"}},
    {"clip_max_only_opset13",
     13,
     "Clip",
     "hi = Constant <value = float {6.0}> ()\n y = Clip(c, , hi)",
     {{"max", 6.0f}},
     {"Clip"}},
    {"leaky_relu",
     13,
     "LeakyRelu",
     "y = LeakyRelu <alpha = 0.2> (c)",
     {{"alpha", 0.2f}},
     {"LeakyRelu"}},
    {"hardswish_opset13",
     13,
     "HardSwish",
     "y = HardSwish(c)",
     {},
     {"HardSigmoid", "Mul"}},
    {"hardswish_opset14",
     14,
     "HardSwish",
     "y = HardSwish(c)",
     {},
     {"HardSwish"}},
    {"hardsigmoid",
     13,
     "HardSigmoid",
     "y = HardSigmoid <alpha = 0.3, beta = 0.4> (c)",
     {{"alpha", 0.3f}, {"beta", 0.4f}},
     {"HardSigmoid"}},
    {"sigmoid", 11, "Sigmoid", "y = Sigmoid(c)", {}, {"Sigmoid"}},
    {"tanh", 9, "Tanh", "y = Tanh(c)", {}, {"Tanh"}},
};

void PrintTo(const FusedCase &c, std::ostream *os) { *os << c.name; }

class ExporterFused : public testing::TestWithParam<FusedCase> {};

TEST_P(ExporterFused, ActivationBecomesAStandardNode) {
  const FusedCase &fc = GetParam();
  const std::string conv =
      "Conv <kernel_shape = [3, 3], pads = [1, 1, 1, 1]> (x, w, b)";
  auto ref = load(convModel("c = " + conv + "\n  " + fc.reference, "y"), 14);
  auto m = load(convModel("y = " + conv, "y"), fc.opset);
  ASSERT_TRUE(ref && m);
  Node *n = findNode(*m->graph, "Conv");
  n->attrs["edgec.activation"] = Attribute::makeString(fc.activation);
  for (const auto &[k, v] : fc.params)
    n->attrs["edgec.activation." + k] = Attribute::makeFloat(v);

  onnx::ModelProto mp;
  auto back = roundTrip(*m, &mp);
  ASSERT_TRUE(back);
  EXPECT_FALSE(hasReservedAttribute(mp.graph()));
  std::vector<std::string> ops;
  collectOps(mp.graph(), ops);
  std::vector<std::string> want{"Conv"};
  want.insert(want.end(), fc.exported.begin(), fc.exported.end());
  EXPECT_EQ(ops, want);
  const auto &g = mp.graph();
  EXPECT_EQ(g.node(g.node_size() - 1).output(0), "y")
      << "the activation writes the node's original output";
  EXPECT_NE(g.node(0).output(0), "y");
  for (const auto &np : g.node())
    if (np.op_type() == "Clip") {
      // Bounds: attributes before opset 11, inputs from 11 on.
      EXPECT_EQ(np.attribute_size() > 0, fc.opset < 11) << fc.name;
      EXPECT_EQ(np.input_size() > 1, fc.opset >= 11) << fc.name;
    }
  expectOpsExistAt(mp, fc.opset, fc.name);
  auto in = makeInputs(*ref, 3);
  expectClose(runModel(*back, in), runModel(*ref, in), 1e-6, fc.name);
}

INSTANTIATE_TEST_SUITE_P(Exporter, ExporterFused,
                         testing::ValuesIn(kFusedCases), [](const auto &info) {
                           return std::string(info.param.name);
                         });

TEST(Exporter, ChannelsLastNodeRunsBetweenTransposes) {
  // A Conv annotated edgec.layout = "NHWC" (input 0 and output 0
  // channels-last) with a fused activation, against the same computation
  // spelled with explicit transposes.
  const std::string conv =
      "Conv <kernel_shape = [3, 3], pads = [1, 1, 1, 1]> (xt, w, b)";
  std::string ref = convModel("", "y");
  // convModel's graph takes NCHW input: build the NHWC reference around it.
  std::string w = ref.substr(ref.find("float[3,2,3,3] w"));
  w = w.substr(0, w.find(") =>"));
  auto refModel = load("g (float[1,5,5,2] x, " + w +
                           ") => (float[1,5,5,3] y) {\n"
                           "  xt = Transpose <perm = [0, 3, 1, 2]> (x)\n"
                           "  c = " +
                           conv +
                           "\n"
                           "  r = LeakyRelu <alpha = 0.1> (c)\n"
                           "  y = Transpose <perm = [0, 2, 3, 1]> (r)\n}",
                       13);
  ASSERT_TRUE(refModel);
  ImportOptions io;
  io.inferShapes = false; // NHWC data does not fit Conv's own inference
  auto m =
      importOnnxText(header(13) + "g (float[1,5,5,2] xt, " + w +
                         ") => (float[1,5,5,3] y) {\n  y = " + conv + "\n}",
                     test::evaluating(io));
  ASSERT_TRUE(m.isOk()) << m.error().message();
  Node *n = findNode(*(*m)->graph, "Conv");
  n->attrs["edgec.layout"] = Attribute::makeString("NHWC");
  n->attrs["edgec.activation"] = Attribute::makeString("LeakyRelu");
  n->attrs["edgec.activation.alpha"] = Attribute::makeFloat(0.1f);
  onnx::ModelProto mp;
  auto back = roundTrip(**m, &mp);
  ASSERT_TRUE(back);
  EXPECT_FALSE(hasReservedAttribute(mp.graph()));
  std::vector<std::string> ops;
  collectOps(mp.graph(), ops);
  EXPECT_EQ(ops, (std::vector<std::string>{"Transpose", "Conv", "Transpose",
                                           "LeakyRelu"}));
  std::map<std::string, Tensor> in = makeInputs(*refModel, 4);
  std::map<std::string, Tensor> in2{{"xt", in["x"]}};
  expectIdentical(runModel(*back, in2), runModel(*refModel, in), "nhwc");

  n->attrs["edgec.layout"] = Attribute::makeString("NCDHW");
  auto bad = exportOnnxProto(**m);
  ASSERT_FALSE(bad.isOk());
  EXPECT_NE(bad.error().message().find("edgec.layout"), std::string::npos);
}

TEST(Exporter, FusedClipBoundsHaveTheOutputType) {
  auto m = load(R"(g (double[4] x) => (double[4] y) { y = Neg(x) })", 13);
  ASSERT_TRUE(m);
  Node *n = findNode(*m->graph, "Neg");
  n->attrs["edgec.activation"] = Attribute::makeString("Clip");
  n->attrs["edgec.activation.min"] = Attribute::makeFloat(-1.0f);
  n->attrs["edgec.activation.max"] = Attribute::makeFloat(0.5f);
  onnx::ModelProto mp;
  auto back = roundTrip(*m, &mp);
  ASSERT_TRUE(back);
  ASSERT_EQ(mp.graph().initializer_size(), 2);
  for (const auto &t : mp.graph().initializer())
    EXPECT_EQ(t.data_type(), onnx::TensorProto::DOUBLE);
  std::map<std::string, Tensor> in{
      {"x", Tensor::fromVector<double>({4}, {-2, -0.25, 0.75, 3})}};
  auto out = runModel(*back, in);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].toDoubleVector(),
            (std::vector<double>{0.5, 0.25, -0.75, -1}));
}

// ---------------------------------------------------------------------------
// Expansions of ops newer than the model's opset

struct ExpandCase {
  const char *name;
  int opset;     ///< the model's default opset
  int nodeOpset; ///< the op's own opset (Node::opsetVersion)
  const char *graph;
  /// Ops that must not appear in the export (the expanded op).
  const char *expandedOp;
};

const ExpandCase kExpandCases[] = {
    {"layernorm_bias_opset13", 13, 17, R"(
g (float[2,3,4] x, float[4] s = {0.5, 1.0, 1.5, -2.0}, float[4] b = {0.1, 0.2, 0.3, 0.4}) => (float[2,3,4] y) {
  y = LayerNormalization <axis = -1, epsilon = 0.001> (x, s, b)
})",
     "LayerNormalization"},
    {"layernorm_axis1_opset11", 11, 17, R"(
g (float[2,3,4] x, float[3,4] s = {0.5, 1.0, 1.5, -2.0, 1, 1, 1, 1, 2, 2, 2, 2}) => (float[2,3,4] y) {
  y = LayerNormalization <axis = 1> (x, s)
})",
     "LayerNormalization"},
    {"layernorm_double_opset13", 13, 17, R"(
g (double[3,5] x, double[5] s = {1.0, 1.0, 2.0, 1.0, 0.5}, double[5] b = {0.0, 1.0, 0.0, -1.0, 0.0}) => (double[3,5] y) {
  y = LayerNormalization <stash_type = 11> (x, s, b)
})",
     "LayerNormalization"},
    {"rmsnorm_opset13", 13, 23, R"(
g (float[2,3,4] x, float[4] s = {0.5, 1.0, 1.5, -2.0}) => (float[2,3,4] y) {
  y = RMSNormalization <epsilon = 0.0001> (x, s)
})",
     "RMSNormalization"},
    {"rmsnorm_opset11", 11, 23, R"(
g (float[2,3,4] x, float[3,4] s = {0.5, 1.0, 1.5, -2.0, 1, 1, 1, 1, 2, 2, 2, 2}) => (float[2,3,4] y) {
  y = RMSNormalization <axis = 1> (x, s)
})",
     "RMSNormalization"},
    {"rmsnorm_opset18", 18, 23, R"(
g (float[2,3,4] x, float[4] s = {0.5, 1.0, 1.5, -2.0}) => (float[2,3,4] y) {
  y = RMSNormalization (x, s)
})",
     "RMSNormalization"},
    {"layernorm_opset_not_needed_18", 18, 17, R"(
g (float[2,3,4] x, float[4] s = {0.5, 1.0, 1.5, -2.0}) => (float[2,3,4] y) {
  y = LayerNormalization (x, s)
})",
     ""},
    {"gelu_erf_opset13", 13, 20, R"(
g (float[2,8] x) => (float[2,8] y) { y = Gelu(x) })",
     "Gelu"},
    {"gelu_tanh_opset13", 13, 20, R"(
g (float[2,8] x) => (float[2,8] y) { y = Gelu <approximate = "tanh"> (x) })",
     "Gelu"},
    {"gelu_erf_double_opset18", 18, 20, R"(
g (double[2,8] x) => (double[2,8] y) { y = Gelu(x) })",
     "Gelu"},
    {"mish_opset13", 13, 18, R"(
g (float[2,8] x) => (float[2,8] y) { y = Mish(x) })",
     "Mish"},
    {"hardswish_opset13", 13, 14, R"(
g (float[2,8] x) => (float[2,8] y) { y = HardSwish(x) })",
     "HardSwish"},
    {"swish_opset13", 13, 24, R"(
g (float[2,8] x) => (float[2,8] y) { y = Swish(x) })",
     "Swish"},
    {"swish_alpha_opset11", 11, 24, R"(
g (float[2,8] x) => (float[2,8] y) { y = Swish <alpha = 0.5> (x) })",
     "Swish"},
    {"softmax_axis1_rank3_opset11", 11, 13, R"(
g (float[2,3,4] x) => (float[2,3,4] y) { y = Softmax <axis = 1> (x) })",
     "Softmax"},
    {"softmax_last_axis_opset11", 11, 13, R"(
g (float[2,3,4] x) => (float[2,3,4] y) { y = Softmax <axis = -1> (x) })",
     ""},
    {"softmax_axis0_opset9", 9, 13, R"(
g (float[3,4] x) => (float[3,4] y) { y = Softmax <axis = 0> (x) })",
     "Softmax"},
    {"softmax_axis1_rank3_opset13", 13, 13, R"(
g (float[2,3,4] x) => (float[2,3,4] y) { y = Softmax <axis = 1> (x) })",
     ""},
};

void PrintTo(const ExpandCase &c, std::ostream *os) { *os << c.name; }

class ExporterExpand : public testing::TestWithParam<ExpandCase> {};

TEST_P(ExporterExpand, ExpandedOpsExistAtTheModelOpsetAndMatch) {
  const ExpandCase &ec = GetParam();
  auto m = load(ec.graph, ec.opset);
  ASSERT_TRUE(m);
  ASSERT_EQ(m->graph->nodes().size(), 1u);
  Node *n = m->graph->nodes()[0].get();
  n->opsetVersion = ec.nodeOpset; // as the optimizer writes it
  auto in = makeInputs(*m, 5);
  auto want = runModel(*m, in);

  onnx::ModelProto mp;
  auto back = roundTrip(*m, &mp);
  ASSERT_TRUE(back);
  EXPECT_EQ(defaultOpset(mp), ec.opset);
  std::vector<std::string> ops;
  collectOps(mp.graph(), ops);
  if (*ec.expandedOp) {
    EXPECT_GT(ops.size(), 1u) << ec.name;
    for (const auto &op : ops)
      EXPECT_NE(op, ec.expandedOp) << ec.name;
  } else {
    EXPECT_EQ(ops.size(), 1u) << ec.name;
  }
  expectOpsExistAt(mp, ec.opset, ec.name);
  // Reductions: axes attribute before opset 18 (13 for ReduceSum), input
  // from then on.
  for (const auto &np : mp.graph().node()) {
    if (np.op_type().rfind("Reduce", 0) != 0) continue;
    int axesInputFrom = np.op_type() == "ReduceSum" ? 13 : 18;
    bool attr = false;
    for (const auto &a : np.attribute())
      attr |= a.name() == "axes";
    EXPECT_EQ(attr, ec.opset < axesInputFrom) << ec.name << " " << np.op_type();
    EXPECT_EQ(np.input_size(), ec.opset < axesInputFrom ? 1 : 2) << ec.name;
  }
  // Constants carry the model's element type.
  DataType dt = m->graph->inputs[0]->type.dtype;
  for (const auto &t : mp.graph().initializer()) {
    if (t.name().find("/edgec_expand/") == std::string::npos) continue;
    if (t.data_type() == onnx::TensorProto::INT64) continue; // axes
    EXPECT_EQ(t.data_type(), toOnnxDataType(dt)) << ec.name << " " << t.name();
  }
  expectClose(runModel(*back, in), want, 1e-5, ec.name);
}

INSTANTIATE_TEST_SUITE_P(Exporter, ExporterExpand,
                         testing::ValuesIn(kExpandCases), [](const auto &info) {
                           return std::string(info.param.name);
                         });

TEST(Exporter, LayerNormStashTypeCastsLowerPrecisionInputs) {
  // stash_type float with a double input: statistics in float, like the
  // ONNX function body.
  auto m = load(
      R"(g (double[3,5] x, double[5] s = {1.0, 1.0, 2.0, 1.0, 0.5}) => (double[3,5] y) {
    y = LayerNormalization (x, s)
  })",
      13);
  ASSERT_TRUE(m);
  m->graph->nodes()[0]->opsetVersion = 17;
  auto in = makeInputs(*m, 9);
  auto want = runModel(*m, in);
  onnx::ModelProto mp;
  auto back = roundTrip(*m, &mp);
  ASSERT_TRUE(back);
  std::vector<std::string> ops;
  collectOps(mp.graph(), ops);
  EXPECT_EQ(std::count(ops.begin(), ops.end(), "Cast"), 2);
  expectClose(runModel(*back, in), want, 1e-5, "stash");
}

TEST(Exporter, AttributesOfEveryKindSurvive) {
  Model m;
  m.opsets[""] = 17;
  m.opsets["test"] = 1;
  TensorType t(DataType::Float32, TensorShape{2});
  Value *x = m.graph->addInput("x", t);
  Value *y = m.graph->addValue("y", t);
  Node *n = m.graph->addNode("Foo", {x}, {y}, "foo", "test");
  n->opsetVersion = 1;
  auto body = [&](const std::string &name) {
    auto g = std::make_shared<Graph>();
    g->name = name;
    g->parent = m.graph.get();
    Value *o = g->addValue(name + "_out", t);
    g->addNode("Relu", {x}, {o}, name + "_relu")->opsetVersion = 17;
    g->outputs.push_back(o);
    return g;
  };
  n->attrs["i"] = Attribute::makeInt(-7);
  n->attrs["f"] = Attribute::makeFloat(0.375f);
  n->attrs["s"] = Attribute::makeString("text");
  n->attrs["ints"] = Attribute::makeInts({1, 2, -3});
  n->attrs["empty_ints"] = Attribute::makeInts({});
  n->attrs["floats"] = Attribute::makeFloats({0.5f, -1.25f});
  Attribute strs;
  strs.kind = Attribute::Kind::Strings;
  strs.strings = {"a", "", "c"};
  n->attrs["strings"] = strs;
  n->attrs["t"] =
      Attribute::makeTensor(Tensor::fromVector<int32_t>({3}, {1, 2, 3}));
  Attribute ts;
  ts.kind = Attribute::Kind::Tensors;
  ts.tensors = {Tensor::scalar<float>(1.5f),
                Tensor::fromVector<uint8_t>({2}, {7, 8})};
  n->attrs["ts"] = ts;
  Attribute g;
  g.kind = Attribute::Kind::Graph;
  g.g = body("one");
  n->attrs["g"] = g;
  Attribute gs;
  gs.kind = Attribute::Kind::Graphs;
  gs.graphs = {body("two"), body("three")};
  n->attrs["gs"] = gs;
  m.graph->outputs.push_back(y);

  auto e = exportOnnxProto(m);
  ASSERT_TRUE(e.isOk()) << e.error().message();
  ImportOptions io;
  io.inferShapes = false;
  auto back = importOnnxProto(*e, "", test::evaluating(io));
  ASSERT_TRUE(back.isOk()) << back.error().message();
  const Node *b = findNode(*(*back)->graph, "Foo");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->domain, "test");
  ASSERT_EQ(b->attrs.size(), n->attrs.size());
  for (const auto &[name, a] : n->attrs) {
    const Attribute *r = b->attr(name);
    ASSERT_NE(r, nullptr) << name;
    EXPECT_EQ(r->kind, a.kind) << name;
    EXPECT_EQ(printAttribute(*r), printAttribute(a)) << name;
  }
  EXPECT_EQ(b->attr("strings")->strings, strs.strings);
  EXPECT_TRUE(b->attr("t")->t.identical(n->attrs["t"].t));
  ASSERT_EQ(b->attr("ts")->tensors.size(), 2u);
  EXPECT_TRUE(b->attr("ts")->tensors[1].identical(ts.tensors[1]));
  ASSERT_EQ(b->attr("gs")->graphs.size(), 2u);
  EXPECT_EQ(printGraphToString(*b->attr("gs")->graphs[1]),
            printGraphToString(*gs.graphs[1]));
  EXPECT_EQ(b->attr("g")->g->nodes()[0]->inputs[0],
            (*back)->graph->findValue("x"))
      << "outer-scope capture by name";
}

TEST(Exporter, ExpansionRejectsUsedStatisticsOutputs) {
  auto m = load(
      R"(g (float[2,4] x, float[4] s = {1.0, 1.0, 1.0, 1.0}) => (float[2,4] y, float[2,1] mean) {
    y, mean = LayerNormalization(x, s)
  })",
      13);
  ASSERT_TRUE(m);
  m->graph->nodes()[0]->opsetVersion = 17;
  auto e = exportOnnxProto(*m);
  ASSERT_FALSE(e.isOk());
  EXPECT_NE(e.error().message().find("LayerNormalization"), std::string::npos)
      << e.error().message();
  // Unused statistics outputs are simply not written.
  m->graph->outputs.pop_back();
  auto ok = exportOnnxProto(*m);
  ASSERT_TRUE(ok.isOk()) << ok.error().message();
}

TEST(Exporter, ExpansionInsideSubgraphAndFusedActivationOnExpandedNode) {
  auto m = load(R"(g (bool c, float[2,4] x) => (float[2,4] y) {
    y = If (c) <then_branch = t () => (float[2,4] a) { a = Gelu(x) },
                else_branch = e () => (float[2,4] b) { b = Neg(x) }>
  })",
                13);
  ASSERT_TRUE(m);
  Node *ifn = findNode(*m->graph, "If");
  Graph *then = ifn->attr("then_branch")->g.get();
  Node *gelu = findNode(*then, "Gelu");
  gelu->opsetVersion = 20;
  auto in = makeInputs(*m, 2);
  in["c"] = Tensor::scalar<bool>(true);
  auto plain = runModel(*m, in);
  gelu->attrs["edgec.activation"] = Attribute::makeString("Relu");
  onnx::ModelProto mp;
  auto back = roundTrip(*m, &mp);
  ASSERT_TRUE(back);
  EXPECT_FALSE(hasReservedAttribute(mp.graph()));
  std::vector<std::string> ops;
  collectOps(mp.graph(), ops);
  EXPECT_EQ(std::count(ops.begin(), ops.end(), "Gelu"), 0);
  EXPECT_EQ(std::count(ops.begin(), ops.end(), "Erf"), 1);
  EXPECT_EQ(std::count(ops.begin(), ops.end(), "Relu"), 1);
  EXPECT_EQ(std::count(ops.begin(), ops.end(), "Neg"), 1);
  expectOpsExistAt(mp, 13, "subgraph");
  // Relu(Gelu(x)).
  ASSERT_EQ(plain.size(), 1u);
  Tensor want = plain[0].clone();
  for (int64_t i = 0; i < want.numElements(); ++i)
    want.setDouble(i, std::max(0.0, want.getDouble(i)));
  expectClose(runModel(*back, in), {want}, 1e-5, "if");
}

// ---------------------------------------------------------------------------
// Every shared model

std::string modelsDir() {
  if (const char *e = std::getenv("EDGEC_MODELS")) return e;
  return std::string(EDGEC_SOURCE_DIR) + "/../shared/models";
}

std::string modelFile(const fs::path &dir) {
  if (fs::exists(dir / "model.onnx")) return (dir / "model.onnx").string();
  std::vector<std::string> found;
  for (const auto &e : fs::directory_iterator(dir))
    if (e.path().extension() == ".onnx") found.push_back(e.path().string());
  std::sort(found.begin(), found.end());
  return found.empty() ? std::string() : found[0];
}

TEST(Exporter, SharedModelsRoundTrip) {
  fs::path root = modelsDir();
  if (!fs::is_directory(root)) GTEST_SKIP() << "no shared models at " << root;
  std::vector<fs::path> dirs;
  for (const auto &e : fs::directory_iterator(root))
    if (e.is_directory()) dirs.push_back(e.path());
  std::sort(dirs.begin(), dirs.end());
  int tested = 0, checked = 0;
  for (const auto &dir : dirs) {
    std::string file = modelFile(dir);
    if (file.empty()) continue;
    SCOPED_TRACE(dir.filename().string());
    auto m = importOnnxFile(file, test::evaluating());
    ASSERT_TRUE(m.isOk()) << m.error().message();
    auto sets = loadTestDataSets(dir.string());
    ASSERT_TRUE(sets.isOk()) << sets.error().message();
    onnx::ModelProto mp;
    int before = gCheckedByOnnx;
    auto back = roundTrip(**m, &mp, dir.string());
    ASSERT_TRUE(back);
    checked += gCheckedByOnnx - before;
    EXPECT_EQ(sameGraph(*back->graph, *(*m)->graph), "");
    // Exporting is deterministic and a fixed point of the round trip.
    auto b1 = exportOnnxBytes(**m), b2 = exportOnnxBytes(**m),
         b3 = exportOnnxBytes(*back);
    ASSERT_TRUE(b1.isOk() && b2.isOk() && b3.isOk());
    EXPECT_TRUE(*b1 == *b2) << "two exports differ";
    EXPECT_TRUE(*b1 == *b3) << "export(import(export(m))) != export(m)";
    if (sets->empty()) continue;
    std::map<std::string, Tensor> in;
    std::vector<const Value *> feeds;
    for (const Value *v : (*m)->graph->inputs)
      if (!v->isInitializer()) feeds.push_back(v);
    const TestDataSet &s = (*sets)[0];
    for (size_t i = 0; i < s.inputs.size() && i < feeds.size(); ++i)
      in[feeds[i]->name] = s.inputs[i];
    auto want = runModel(**m, in);
    auto got = runModel(*back, in);
    expectIdentical(got, want, dir.filename().string());
    ++tested;
  }
  if (tested == 0) GTEST_SKIP() << "no model folders in " << root;
  std::cout << "[          ] " << tested << " models round-tripped, " << checked
            << " also validated by the onnx checker\n";
}

} // namespace
} // namespace edgec
