#include "onnx/OnnxExporter.h"

#include "ir/Annotations.h"

#include "ir/Verifier.h"
#include "onnx/TensorProto.h"
#include "support/FileIO.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace edgec {

namespace {

using AP = onnx::AttributeProto;

/// Prefix of edgec's reserved attribute namespace.
constexpr const char *kReservedPrefix = "edgec.";
constexpr const char *kInternalDomain = "edgec";

bool isReservedAttr(const std::string &name) {
  return name.rfind(kReservedPrefix, 0) == 0;
}

/// The ir_version an opset of the default domain was released with (the
/// lowest one a loader accepts for it).
int64_t irVersionForOpset(int64_t opset) {
  if (opset >= 23) return 11;
  if (opset >= 21) return 10;
  if (opset >= 19) return 9;
  if (opset >= 15) return 8;
  if (opset >= 12) return 7;
  if (opset >= 11) return 6;
  if (opset >= 10) return 5;
  if (opset >= 9) return 4;
  return 3;
}

/// The ir_version that introduced an element type.
int64_t irVersionForType(DataType t) {
  switch (t) {
  case DataType::Float8E4M3FN:
  case DataType::Float8E4M3FNUZ:
  case DataType::Float8E5M2:
  case DataType::Float8E5M2FNUZ: return 9;
  case DataType::Int4:
  case DataType::UInt4: return 10;
  case DataType::Float4E2M1: return 11;
  case DataType::Int2:
  case DataType::UInt2: return 12;
  default: return 3;
  }
}

/// Opset that introduced the ops the optimizer creates in models of a lower
/// opset (0: not one of them).
int64_t newOpSince(const std::string &op) {
  if (op == "HardSwish") return 14;
  if (op == "LayerNormalization") return 17;
  if (op == "Mish") return 18;
  if (op == "Gelu") return 20;
  if (op == "RMSNormalization") return 23;
  if (op == "Swish") return 24;
  return 0;
}

/// A fused activation read from the reserved `edgec.activation*` attributes.
struct FusedActivation {
  std::string op;
  std::optional<float> alpha, beta, min, max;
};

/// Transpose permutations between channels-first (N, C, spatial...) and
/// channels-last (N, spatial..., C), as ir/Annotations.h defines them.
std::vector<int64_t> channelsFirstPerm(size_t rank) {
  std::vector<int64_t> p{0, (int64_t)rank - 1};
  for (size_t i = 1; i + 1 < rank; ++i)
    p.push_back((int64_t)i);
  return p;
}
std::vector<int64_t> channelsLastPerm(size_t rank) {
  std::vector<int64_t> p{0};
  for (size_t i = 2; i < rank; ++i)
    p.push_back((int64_t)i);
  p.push_back(1);
  return p;
}

/// The optimizer's annotations of one node (see ir/Annotations.h).
struct Annotations {
  std::optional<FusedActivation> activation;
  /// `edgec.layout = "NHWC"`: data input 0 and output 0 are channels-last.
  bool channelsLast = false;
};

/// Reads the node's reserved attributes. Anything not understood is an
/// error: writing the node without it would change what the model computes.
Expected<Annotations> parseAnnotations(const Node &n) {
  Annotations r;
  FusedActivation act;
  bool any = false, haveOp = false;
  for (const auto &[name, a] : n.attrs) {
    if (!isReservedAttr(name)) continue;
    // The name by value: lambdas capture structured bindings only from
    // clang 16 (the fuzzing build uses clang 14).
    auto bad = [&, attrName = name](const std::string &why) {
      return Error(ErrorCode::Internal, n.label() +
                                            ": cannot export attribute '" +
                                            attrName + "': " + why);
    };
    if (name == "edgec.layout") {
      if (a.kind != Attribute::Kind::String || a.s != "NHWC")
        return bad("only the string \"NHWC\" is understood");
      r.channelsLast = true;
      continue;
    }
    any = true;
    if (name == "edgec.activation") {
      if (a.kind != Attribute::Kind::String) return bad("must be a string");
      act.op = a.s;
      haveOp = true;
      continue;
    }
    std::optional<float> *slot = name == "edgec.activation.alpha"  ? &act.alpha
                                 : name == "edgec.activation.beta" ? &act.beta
                                 : name == "edgec.activation.min"  ? &act.min
                                 : name == "edgec.activation.max"  ? &act.max
                                                                   : nullptr;
    if (!slot) return bad("unknown edgec attribute");
    if (a.kind != Attribute::Kind::Float) return bad("must be a float");
    *slot = a.f;
  }
  if (!any) return r;
  if (!haveOp)
    return Error(ErrorCode::Internal,
                 n.label() + ": edgec.activation.* parameters without "
                             "edgec.activation");
  // Which parameters each activation takes.
  bool takesAlpha = false, takesBeta = false, takesBounds = false;
  if (act.op == "Relu" || act.op == "Sigmoid" || act.op == "Tanh" ||
      act.op == "HardSwish") {
  } else if (act.op == "LeakyRelu") {
    takesAlpha = true;
  } else if (act.op == "HardSigmoid") {
    takesAlpha = takesBeta = true;
  } else if (act.op == "Clip") {
    takesBounds = true;
  } else {
    return Error(ErrorCode::Internal, n.label() +
                                          ": cannot export fused activation '" +
                                          act.op + "'");
  }
  auto reject = [&](bool has, bool takes, const char *p) -> Status {
    if (has && !takes)
      return Error(ErrorCode::Internal,
                   n.label() + ": fused activation " + act.op +
                       " takes no parameter edgec.activation." + p);
    return Status::ok();
  };
  EDGEC_TRY(reject(act.alpha.has_value(), takesAlpha, "alpha"));
  EDGEC_TRY(reject(act.beta.has_value(), takesBeta, "beta"));
  EDGEC_TRY(reject(act.min.has_value(), takesBounds, "min"));
  EDGEC_TRY(reject(act.max.has_value(), takesBounds, "max"));
  r.activation = std::move(act);
  return r;
}

/// The type to declare for v (initializers: their data's type).
TensorType typeOf(const Value &v) {
  if (v.type.dtype == DataType::Undefined && v.constant)
    return TensorType(v.constant->dtype(), v.constant->shape());
  return v.type;
}

class Exporter;

/// State of one graph being written.
struct GraphOut {
  const Graph &g;
  onnx::GraphProto &gp;
  std::unordered_set<const Value *> outputs; ///< lookup only
};

/// Emits the standard nodes that spell one IR node (expansions, fused
/// activations): fresh value names and initializers under `prefix`.
class NodeBuilder {
public:
  NodeBuilder(Exporter &ex, GraphOut &go, std::string prefix)
      : ex_(ex), go_(go), prefix_(std::move(prefix)) {}

  /// A fresh value name.
  std::string temp();
  onnx::NodeProto &node(const std::string &op,
                        const std::vector<std::string> &ins,
                        const std::vector<std::string> &outs);
  /// node() with one fresh output, which is returned.
  std::string op(const std::string &op, const std::vector<std::string> &ins) {
    std::string o = temp();
    node(op, ins, {o});
    return o;
  }
  /// Cast(x, to) with a fresh output.
  std::string cast(const std::string &x, DataType to);
  /// A scalar initializer of type dt holding v.
  std::string scalar(DataType dt, double v);
  /// A 1-D int64 initializer.
  std::string ints(const std::vector<int64_t> &v);
  /// ReduceX(x) over axes with keepdims=1, in the form of the model's opset.
  std::string reduce(const std::string &op, const std::string &x,
                     const std::vector<int64_t> &axes, int64_t opset);

private:
  Exporter &ex_;
  GraphOut &go_;
  std::string prefix_;
  int k_ = 0;
};

void setInt(onnx::NodeProto &np, const std::string &name, int64_t v) {
  AP *a = np.add_attribute();
  a->set_name(name);
  a->set_type(AP::INT);
  a->set_i(v);
}
void setFloat(onnx::NodeProto &np, const std::string &name, float v) {
  AP *a = np.add_attribute();
  a->set_name(name);
  a->set_type(AP::FLOAT);
  a->set_f(v);
}
void setInts(onnx::NodeProto &np, const std::string &name,
             const std::vector<int64_t> &v) {
  AP *a = np.add_attribute();
  a->set_name(name);
  a->set_type(AP::INTS);
  for (int64_t x : v)
    a->add_ints(x);
}

class Exporter {
public:
  Exporter(const Model &m, const ExportOptions &o) : m_(m), o_(o) {}

  Expected<onnx::ModelProto> run();

  /// A name used nowhere in the model and not generated before.
  std::string fresh(const std::string &base) {
    std::string c = base;
    for (int64_t k = 1; reserved_.count(c) || taken_.count(c); ++k)
      c = base + "_" + std::to_string(k);
    taken_.insert(c);
    scopes_.back().insert(c);
    return c;
  }
  void noteType(DataType t) {
    irForTypes_ = std::max(irForTypes_, irVersionForType(t));
  }
  void writeType(const TensorType &t, onnx::TypeProto &tp);

private:
  void reserveNames(const Graph &g);
  bool visible(const std::string &name) const {
    for (const auto &s : scopes_)
      if (s.count(name)) return true;
    return false;
  }
  /// Assigns the exported name of a value defined in the current graph.
  Expected<std::string> define(const Value *v);
  /// The exported name of a value used by node n.
  Expected<std::string> use(const Value *v, const std::string &who);

  Status exportGraph(const Graph &g, onnx::GraphProto &gp);
  Status exportNode(const Node &n, GraphOut &go);
  Status exportAttribute(const std::string &name, const Attribute &a, AP &ap,
                         const Node &n);
  /// Whether n must be rewritten into ops of the model's opset.
  bool needsExpansion(const Node &n) const;
  Status expandNode(const Node &n, const std::vector<std::string> &ins,
                    const std::string &out, GraphOut &go);
  Status expandNormalization(const Node &n, const std::vector<std::string> &ins,
                             const std::string &out, NodeBuilder &b,
                             DataType dt, bool rms);
  Status expandSoftmax(const Node &n, const std::string &x,
                       const std::string &out, NodeBuilder &b);
  Status emitActivation(const Node &n, const FusedActivation &act,
                        const std::string &in, const std::string &out,
                        GraphOut &go);
  void addValueInfo(GraphOut &go, const std::string &name,
                    const TensorType &t) {
    if (!o_.writeValueInfo || t.dtype == DataType::Undefined) return;
    onnx::ValueInfoProto *vi = go.gp.add_value_info();
    vi->set_name(name);
    writeType(t, *vi->mutable_type());
  }
  /// "<node name>/<what>", or a fresh base for unnamed nodes.
  std::string prefixFor(const Node &n, const std::string &what) {
    std::string base = n.name.empty() ? "edgec_" + n.opType : n.name;
    return base + "/" + what;
  }

  const Model &m_;
  const ExportOptions &o_;
  int64_t opset_ = 0;
  int64_t irForTypes_ = 3;
  /// Every non-empty value name of the model (all graphs).
  std::set<std::string> reserved_;
  /// Names generated by fresh().
  std::set<std::string> taken_;
  /// Exported names per open graph, innermost last.
  std::vector<std::set<std::string>> scopes_;
  /// Exported name of each value (lookup only, never iterated).
  std::unordered_map<const Value *, std::string> names_;
  int64_t anon_ = 0;
};

// ---------------------------------------------------------------------------
// NodeBuilder

std::string NodeBuilder::temp() {
  return ex_.fresh(prefix_ + "/" + std::to_string(k_++));
}

onnx::NodeProto &NodeBuilder::node(const std::string &op,
                                   const std::vector<std::string> &ins,
                                   const std::vector<std::string> &outs) {
  onnx::NodeProto *np = go_.gp.add_node();
  np->set_name(prefix_ + "/" + op + "_" + std::to_string(k_++));
  np->set_op_type(op);
  size_t ni = ins.size();
  while (ni > 0 && ins[ni - 1].empty())
    --ni;
  for (size_t i = 0; i < ni; ++i)
    np->add_input(ins[i]);
  for (const auto &o : outs)
    np->add_output(o);
  return *np;
}

std::string NodeBuilder::cast(const std::string &x, DataType to) {
  std::string o = temp();
  setInt(node("Cast", {x}, {o}), "to", toOnnxDataType(to));
  return o;
}

std::string NodeBuilder::scalar(DataType dt, double v) {
  std::string name = temp();
  Tensor t(dt, {});
  t.setDouble(0, v);
  onnx::TensorProto *tp = go_.gp.add_initializer();
  tensorToProto(t, *tp);
  tp->set_name(name);
  ex_.noteType(dt);
  return name;
}

std::string NodeBuilder::ints(const std::vector<int64_t> &v) {
  std::string name = temp();
  Tensor t = Tensor::fromVector<int64_t>({(int64_t)v.size()}, v);
  onnx::TensorProto *tp = go_.gp.add_initializer();
  tensorToProto(t, *tp);
  tp->set_name(name);
  return name;
}

std::string NodeBuilder::reduce(const std::string &op, const std::string &x,
                                const std::vector<int64_t> &axes,
                                int64_t opset) {
  // Axes became an input of ReduceSum in opset 13 and of the other
  // reductions in opset 18.
  bool axesInput = op == "ReduceSum" ? opset >= 13 : opset >= 18;
  std::string o = temp();
  if (axesInput) {
    std::string a = ints(axes);
    setInt(node(op, {x, a}, {o}), "keepdims", 1);
  } else {
    onnx::NodeProto &np = node(op, {x}, {o});
    setInts(np, "axes", axes);
    setInt(np, "keepdims", 1);
  }
  return o;
}

// ---------------------------------------------------------------------------
// Exporter

void Exporter::writeType(const TensorType &t, onnx::TypeProto &tp) {
  if (t.dtype == DataType::Undefined && !t.hasRank) return;
  onnx::TypeProto_Tensor *tt = tp.mutable_tensor_type();
  if (t.dtype != DataType::Undefined) {
    tt->set_elem_type(toOnnxDataType(t.dtype));
    noteType(t.dtype);
  }
  if (!t.hasRank) return;
  onnx::TensorShapeProto *sh = tt->mutable_shape();
  for (const Dim &d : t.dims) {
    onnx::TensorShapeProto_Dimension *pd = sh->add_dim();
    if (d.isStatic())
      pd->set_dim_value(d.value);
    else if (!d.symbol.empty())
      pd->set_dim_param(d.symbol);
  }
}

void Exporter::reserveNames(const Graph &g) {
  for (const auto &v : g.values())
    if (!v->name.empty()) reserved_.insert(v->name);
  for (const auto &n : g.nodes())
    for (const Graph *sg : n->subgraphs())
      reserveNames(*sg);
}

Expected<std::string> Exporter::define(const Value *v) {
  if (names_.count(v))
    return Error(ErrorCode::Internal,
                 "value '" + v->name + "' is defined twice");
  std::string name;
  if (v->name.empty())
    name = fresh("edgec_v" + std::to_string(anon_++));
  else if (visible(v->name))
    name = fresh(v->name); // two values share a name: keep the first one's
  else
    name = v->name;
  scopes_.back().insert(name);
  names_[v] = name;
  return name;
}

Expected<std::string> Exporter::use(const Value *v, const std::string &who) {
  auto it = names_.find(v);
  if (it == names_.end())
    return Error(ErrorCode::Internal, who + ": value '" + v->name +
                                          "' is used before it is defined");
  return it->second;
}

Status Exporter::exportAttribute(const std::string &name, const Attribute &a,
                                 AP &ap, const Node &n) {
  ap.set_name(name);
  const std::string what = n.label() + " attribute '" + name + "'";
  auto tensor = [&](const Tensor &t, onnx::TensorProto &tp) -> Status {
    if (!t.isValid())
      return Error(ErrorCode::Internal, what + ": tensor without data");
    tensorToProto(t, tp);
    noteType(t.dtype());
    return Status::ok();
  };
  switch (a.kind) {
  case Attribute::Kind::Int:
    ap.set_type(AP::INT);
    ap.set_i(a.i);
    break;
  case Attribute::Kind::Float:
    ap.set_type(AP::FLOAT);
    ap.set_f(a.f);
    break;
  case Attribute::Kind::String:
    ap.set_type(AP::STRING);
    ap.set_s(a.s);
    break;
  case Attribute::Kind::Ints:
    ap.set_type(AP::INTS);
    for (int64_t v : a.ints)
      ap.add_ints(v);
    break;
  case Attribute::Kind::Floats:
    ap.set_type(AP::FLOATS);
    for (float v : a.floats)
      ap.add_floats(v);
    break;
  case Attribute::Kind::Strings:
    ap.set_type(AP::STRINGS);
    for (const auto &v : a.strings)
      ap.add_strings(v);
    break;
  case Attribute::Kind::Tensor:
    ap.set_type(AP::TENSOR);
    EDGEC_TRY(tensor(a.t, *ap.mutable_t()));
    break;
  case Attribute::Kind::Tensors:
    ap.set_type(AP::TENSORS);
    for (const Tensor &t : a.tensors)
      EDGEC_TRY(tensor(t, *ap.add_tensors()));
    break;
  case Attribute::Kind::Graph:
    if (!a.g) return Error(ErrorCode::Internal, what + ": no subgraph");
    ap.set_type(AP::GRAPH);
    EDGEC_TRY(exportGraph(*a.g, *ap.mutable_g()));
    break;
  case Attribute::Kind::Graphs:
    ap.set_type(AP::GRAPHS);
    for (const auto &g : a.graphs) {
      if (!g) return Error(ErrorCode::Internal, what + ": no subgraph");
      EDGEC_TRY(exportGraph(*g, *ap.add_graphs()));
    }
    break;
  }
  return Status::ok();
}

bool Exporter::needsExpansion(const Node &n) const {
  if (!n.domain.empty()) return false;
  int64_t since = newOpSince(n.opType);
  if (since > 0) return since > opset_;
  if (n.opType == "Softmax") {
    int64_t v = n.opsetVersion > 0 ? n.opsetVersion : opset_;
    return v >= 13 && opset_ < 13;
  }
  return false;
}

Status Exporter::exportNode(const Node &n, GraphOut &go) {
  if (n.domain == kInternalDomain)
    return Error(ErrorCode::Internal,
                 n.label() + ": op of edgec's internal domain has no ONNX "
                             "equivalent");
  EDGEC_ASSIGN_OR_RETURN(Annotations ann, parseAnnotations(n));
  const std::optional<FusedActivation> &act = ann.activation;
  const bool expand = needsExpansion(n);
  if (expand && ann.channelsLast)
    return Error(ErrorCode::Internal,
                 n.label() + ": cannot expand a channels-last (NHWC) node");

  std::vector<std::string> ins;
  for (const Value *v : n.inputs) {
    if (!v) {
      ins.emplace_back();
      continue;
    }
    EDGEC_ASSIGN_OR_RETURN(std::string s, use(v, n.label()));
    ins.push_back(std::move(s));
  }

  // Outputs written: all for a plain node; only output 0 for an expansion
  // (its other outputs must be unused).
  std::vector<const Value *> written;
  for (size_t i = 0; i < n.outputs.size(); ++i) {
    const Value *v = n.outputs[i];
    if (expand && i > 0 && v) {
      if (go.outputs.count(v) || !go.g.usersOf(v).empty())
        return Error(ErrorCode::Internal,
                     n.label() + ": cannot express output " +
                         std::to_string(i) + " ('" + v->name + "') at opset " +
                         std::to_string(opset_));
      v = nullptr;
    }
    written.push_back(v);
  }
  std::vector<std::string> outs;
  for (const Value *v : written) {
    if (!v) {
      outs.emplace_back();
      continue;
    }
    EDGEC_ASSIGN_OR_RETURN(std::string s, define(v));
    outs.push_back(std::move(s));
  }
  while (!outs.empty() && outs.back().empty())
    outs.pop_back();

  // Output 0 passes through: the node -> [Transpose back to channels-last]
  // -> [the fused activation] -> the value's own name.
  std::string finalOut, actIn;
  NodeBuilder layout(*this, go, prefixFor(n, "edgec_layout"));
  size_t inRank = 0, outRank = 0;
  if (act || ann.channelsLast) {
    if (outs.empty() || outs[0].empty())
      return Error(ErrorCode::Internal,
                   n.label() + ": annotation on an omitted output 0");
    finalOut = outs[0];
  }
  if (ann.channelsLast) {
    const TensorType &it =
        n.inputs.empty() || !n.inputs[0] ? TensorType() : n.inputs[0]->type;
    const TensorType &ot = n.outputs[0]->type;
    inRank = it.hasRank ? it.rank() : 0;
    outRank = ot.hasRank ? ot.rank() : inRank;
    if (inRank < 3 || outRank < 3 || ins[0].empty())
      return Error(ErrorCode::Internal,
                   n.label() + ": NHWC layout needs input 0 and output 0 of "
                               "known rank >= 3");
    // Input 0 back to channels-first for the standard op.
    std::string t = layout.temp();
    setInts(layout.node("Transpose", {ins[0]}, {t}), "perm",
            channelsFirstPerm(inRank));
    ins[0] = t;
    outs[0] = layout.temp();
    actIn = act ? fresh(prefixFor(n, "edgec_preact")) : finalOut;
  } else if (act) {
    outs[0] = actIn = fresh(prefixFor(n, "edgec_preact"));
  }

  if (expand) {
    if (outs.empty())
      return Error(ErrorCode::Internal, n.label() + ": has no output 0");
    EDGEC_TRY(expandNode(n, ins, outs[0], go));
  } else {
    onnx::NodeProto *np = go.gp.add_node();
    if (!n.name.empty()) np->set_name(n.name);
    np->set_op_type(n.opType);
    if (!n.domain.empty()) np->set_domain(n.domain);
    size_t ni = ins.size();
    while (ni > 0 && ins[ni - 1].empty())
      --ni;
    for (size_t i = 0; i < ni; ++i)
      np->add_input(ins[i]);
    for (const auto &o : outs)
      np->add_output(o);
    for (const auto &[name, a] : n.attrs) {
      if (isReservedAttr(name)) continue;
      EDGEC_TRY(exportAttribute(name, a, *np->add_attribute(), n));
    }
  }

  if (ann.channelsLast)
    setInts(layout.node("Transpose", {outs[0]}, {actIn}), "perm",
            channelsLastPerm(outRank));
  for (size_t i = 0; i < written.size(); ++i)
    if (written[i] && !go.outputs.count(written[i]))
      addValueInfo(go, names_[written[i]], written[i]->type);
  if (act) {
    addValueInfo(go, actIn, n.outputs[0]->type);
    EDGEC_TRY(emitActivation(n, *act, actIn, finalOut, go));
  }
  return Status::ok();
}

Status Exporter::emitActivation(const Node &n, const FusedActivation &act,
                                const std::string &in, const std::string &out,
                                GraphOut &go) {
  NodeBuilder b(*this, go, prefixFor(n, "edgec_act"));
  if (act.op == "Relu" || act.op == "Sigmoid" || act.op == "Tanh") {
    b.node(act.op, {in}, {out});
  } else if (act.op == "LeakyRelu") {
    onnx::NodeProto &np = b.node("LeakyRelu", {in}, {out});
    if (act.alpha) setFloat(np, "alpha", *act.alpha);
  } else if (act.op == "HardSigmoid") {
    onnx::NodeProto &np = b.node("HardSigmoid", {in}, {out});
    if (act.alpha) setFloat(np, "alpha", *act.alpha);
    if (act.beta) setFloat(np, "beta", *act.beta);
  } else if (act.op == "HardSwish") {
    if (opset_ >= 14) {
      b.node("HardSwish", {in}, {out});
    } else {
      // HardSwish(x) = x * HardSigmoid(x; alpha = 1/6, beta = 0.5).
      std::string hs = b.temp();
      onnx::NodeProto &np = b.node("HardSigmoid", {in}, {hs});
      setFloat(np, "alpha", 1.0f / 6.0f);
      setFloat(np, "beta", 0.5f);
      b.node("Mul", {in, hs}, {out});
    }
  } else if (act.op == "Clip") {
    if (opset_ < 11) {
      onnx::NodeProto &np = b.node("Clip", {in}, {out});
      if (act.max) setFloat(np, "max", *act.max);
      if (act.min) setFloat(np, "min", *act.min);
    } else {
      DataType dt = n.outputs[0]->type.dtype;
      if (dt == DataType::Undefined || isStorageOnlyType(dt))
        return Error(ErrorCode::Internal,
                     n.label() + ": fused Clip needs the output's element "
                                 "type for its bounds");
      std::string lo = act.min ? b.scalar(dt, *act.min) : std::string();
      std::string hi = act.max ? b.scalar(dt, *act.max) : std::string();
      b.node("Clip", {in, lo, hi}, {out});
    }
  } else {
    return Error(ErrorCode::Internal, n.label() +
                                          ": cannot export fused activation '" +
                                          act.op + "'");
  }
  return Status::ok();
}

Status Exporter::expandNode(const Node &n, const std::vector<std::string> &ins,
                            const std::string &out, GraphOut &go) {
  auto cannot = [&](const std::string &why) {
    return Error(ErrorCode::Internal, n.label() + ": cannot express at opset " +
                                          std::to_string(opset_) + ": " + why);
  };
  if (opset_ < 7) return cannot("expansions need opset 7 (broadcasting)");
  if (ins.empty() || ins[0].empty()) return cannot("input 0 is missing");
  DataType dt = n.inputs[0]->type.dtype;
  if (dt == DataType::Undefined && n.outputs[0]) dt = n.outputs[0]->type.dtype;
  if (!isFloatType(dt))
    return cannot("needs a floating-point input of known type");
  NodeBuilder b(*this, go, prefixFor(n, "edgec_expand"));
  const std::string &x = ins[0];
  const std::string &op = n.opType;
  if (op == "LayerNormalization" || op == "RMSNormalization")
    return expandNormalization(n, ins, out, b, dt, op == "RMSNormalization");
  if (op == "Softmax") return expandSoftmax(n, x, out, b);
  if (op == "Gelu") {
    std::string approx = n.attrString("approximate", "none");
    std::string inner;
    if (approx == "none") {
      // 0.5 * x * (1 + erf(x / sqrt(2)))
      if (opset_ < 9) return cannot("Erf needs opset 9");
      std::string t = b.op("Div", {x, b.scalar(dt, std::sqrt(2.0))});
      inner = b.op("Erf", {t});
    } else if (approx == "tanh") {
      // 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3)))
      std::string p = b.op("Mul", {x, b.scalar(dt, 0.044715)});
      p = b.op("Mul", {p, x});
      p = b.op("Mul", {p, x});
      std::string s = b.op("Add", {x, p});
      std::string u = b.op("Mul", {s, b.scalar(dt, std::sqrt(2.0 / M_PI))});
      inner = b.op("Tanh", {u});
    } else {
      return cannot("unknown approximate='" + approx + "'");
    }
    std::string a = b.op("Add", {inner, b.scalar(dt, 1.0)});
    std::string h = b.op("Mul", {x, b.scalar(dt, 0.5)});
    b.node("Mul", {h, a}, {out});
    return Status::ok();
  }
  if (op == "Mish") { // x * tanh(softplus(x))
    std::string t = b.op("Tanh", {b.op("Softplus", {x})});
    b.node("Mul", {x, t}, {out});
    return Status::ok();
  }
  if (op == "HardSwish") { // x * HardSigmoid(x; 1/6, 0.5)
    std::string hs = b.temp();
    onnx::NodeProto &np = b.node("HardSigmoid", {x}, {hs});
    setFloat(np, "alpha", 1.0f / 6.0f);
    setFloat(np, "beta", 0.5f);
    b.node("Mul", {x, hs}, {out});
    return Status::ok();
  }
  if (op == "Swish") { // x * sigmoid(alpha * x)
    float alpha = n.attrFloat("alpha", 1.0f);
    std::string ax = alpha == 1.0f ? x : b.op("Mul", {x, b.scalar(dt, alpha)});
    std::string s = b.op("Sigmoid", {ax});
    b.node("Mul", {x, s}, {out});
    return Status::ok();
  }
  return cannot("no expansion for this op");
}

Status Exporter::expandNormalization(const Node &n,
                                     const std::vector<std::string> &ins,
                                     const std::string &out, NodeBuilder &b,
                                     DataType dt, bool rms) {
  auto cannot = [&](const std::string &why) {
    return Error(ErrorCode::Internal, n.label() + ": cannot express at opset " +
                                          std::to_string(opset_) + ": " + why);
  };
  if (ins.size() < 2 || ins[1].empty()) return cannot("scale is missing");
  const TensorType &xt = n.inputs[0]->type;
  int64_t axis = n.attrInt("axis", -1);
  std::vector<int64_t> axes;
  if (xt.hasRank) {
    int64_t r = (int64_t)xt.rank();
    int64_t a = axis < 0 ? axis + r : axis;
    if (r == 0 || a < 0 || a >= r)
      return cannot("axis " + std::to_string(axis) + " is out of range for " +
                    xt.str());
    for (int64_t i = a; i < r; ++i)
      axes.push_back(i);
  } else if (axis < 0 && opset_ >= 11) {
    for (int64_t i = axis; i < 0; ++i)
      axes.push_back(i);
  } else {
    return cannot("the input's rank is unknown");
  }
  // Statistics are computed in the stash type (float unless stated).
  int64_t stash = n.attrInt("stash_type", 1);
  std::optional<DataType> st = fromOnnxDataType((int)stash);
  if (!st || !isFloatType(*st))
    return cannot("stash_type " + std::to_string(stash) +
                  " is not a float type");
  std::string x = ins[0];
  DataType ct = dt;
  if (*st != dt) {
    x = b.cast(x, *st);
    ct = *st;
  }
  std::string d = x;
  if (!rms) {
    std::string mean = b.reduce("ReduceMean", x, axes, opset_);
    d = b.op("Sub", {x, mean});
  }
  std::string sq = b.op("Mul", {d, d});
  std::string var = b.reduce("ReduceMean", sq, axes, opset_);
  float eps = n.attrFloat("epsilon", 1e-5f);
  std::string ve = b.op("Add", {var, b.scalar(ct, eps)});
  std::string sd = b.op("Sqrt", {ve});
  std::string norm = b.op("Div", {d, sd});
  if (ct != dt) norm = b.cast(norm, dt);
  bool bias = !rms && ins.size() > 2 && !ins[2].empty();
  if (bias) {
    std::string scaled = b.op("Mul", {norm, ins[1]});
    b.node("Add", {scaled, ins[2]}, {out});
  } else {
    b.node("Mul", {norm, ins[1]}, {out});
  }
  return Status::ok();
}

Status Exporter::expandSoftmax(const Node &n, const std::string &x,
                               const std::string &out, NodeBuilder &b) {
  auto cannot = [&](const std::string &why) {
    return Error(ErrorCode::Internal, n.label() + ": cannot express at opset " +
                                          std::to_string(opset_) + ": " + why);
  };
  const TensorType &xt = n.inputs[0]->type;
  int64_t axis = n.attrInt("axis", -1);
  int64_t a = axis;
  bool last = false;
  if (xt.hasRank) {
    int64_t r = (int64_t)xt.rank();
    if (r == 0) return cannot("rank-0 input");
    a = axis < 0 ? axis + r : axis;
    if (a < 0 || a >= r)
      return cannot("axis " + std::to_string(axis) + " is out of range for " +
                    xt.str());
    last = a == r - 1;
  } else if (axis == -1 && opset_ >= 11) {
    last = true;
  } else if (axis >= 0 || opset_ < 11) {
    return cannot("the input's rank is unknown");
  }
  if (last) {
    // Before opset 13 Softmax flattens [axis, rank) into one row; over the
    // last axis that is the same single-axis softmax.
    setInt(b.node("Softmax", {x}, {out}), "axis", a);
    return Status::ok();
  }
  std::string mx = b.reduce("ReduceMax", x, {a}, opset_);
  std::string e = b.op("Exp", {b.op("Sub", {x, mx})});
  std::string s = b.reduce("ReduceSum", e, {a}, opset_);
  b.node("Div", {e, s}, {out});
  return Status::ok();
}

Status Exporter::exportGraph(const Graph &g, onnx::GraphProto &gp) {
  gp.set_name(g.name.empty() ? (g.parent ? "edgec_subgraph" : "edgec_graph")
                             : g.name);
  scopes_.emplace_back();
  GraphOut go{g, gp, {}};
  for (const Value *v : g.outputs)
    go.outputs.insert(v);

  // Inputs. In the main graph the ones fed by the caller come first; a
  // subgraph's inputs are positional and keep their order.
  std::vector<const Value *> inputs;
  for (const Value *v : g.inputs)
    if (!g.parent ? !v->isInitializer() : true) inputs.push_back(v);
  if (!g.parent)
    for (const Value *v : g.inputs)
      if (v->isInitializer()) inputs.push_back(v);
  for (const Value *v : inputs) {
    EDGEC_ASSIGN_OR_RETURN(std::string name, define(v));
    onnx::ValueInfoProto *vi = gp.add_input();
    vi->set_name(name);
    writeType(typeOf(*v), *vi->mutable_type());
  }

  for (const Value *v : g.initializers()) {
    std::string name;
    auto it = names_.find(v);
    if (it != names_.end()) {
      name = it->second;
    } else {
      EDGEC_ASSIGN_OR_RETURN(name, define(v));
    }
    onnx::TensorProto *tp = gp.add_initializer();
    tensorToProto(*v->constant, *tp);
    tp->set_name(name);
    noteType(v->constant->dtype());
  }

  for (const auto &n : g.nodes())
    EDGEC_TRY(exportNode(*n, go));

  for (const Value *v : g.outputs) {
    EDGEC_ASSIGN_OR_RETURN(std::string name,
                           use(v, "graph '" + gp.name() + "' output"));
    onnx::ValueInfoProto *vi = gp.add_output();
    vi->set_name(name);
    writeType(typeOf(*v), *vi->mutable_type());
  }
  scopes_.pop_back();
  return Status::ok();
}

Expected<onnx::ModelProto> Exporter::run() {
  Status ok = verifyGraph(*m_.graph);
  if (!ok.isOk()) return ok.error().withContext("cannot export: ");
  opset_ = m_.defaultOpset();
  if (opset_ <= 0)
    return Error(ErrorCode::InvalidModel,
                 "cannot export: the model has no opset for the default "
                 "ONNX domain");
  reserveNames(*m_.graph);

  onnx::ModelProto mp;
  EDGEC_TRY(exportGraph(*m_.graph, *mp.mutable_graph()));
  for (const auto &[domain, version] : m_.opsets) {
    if (domain == kInternalDomain) continue; // never written (see exportNode)
    onnx::OperatorSetIdProto *os = mp.add_opset_import();
    os->set_domain(domain);
    os->set_version(version);
  }
  int64_t ir = std::max(
      {m_.irVersion, o_.minIrVersion, irVersionForOpset(opset_), irForTypes_});
  mp.set_ir_version(ir);
  mp.set_producer_name(o_.producerName);
  for (const auto &[k, v] : m_.metadata) {
    onnx::StringStringEntryProto *e = mp.add_metadata_props();
    e->set_key(k);
    e->set_value(v);
  }
  mp.set_producer_version(o_.producerVersion);
  return mp;
}

} // namespace

Expected<onnx::ModelProto> exportOnnxProto(const Model &m,
                                           const ExportOptions &o) {
  // The integer graph (fold-qdq) has no ONNX form: ONNX ops carry no
  // quantization parameters on their operands.
  for (const auto &n : m.graph->nodes())
    if (isQuantizedNode(*n))
      return Error(ErrorCode::Unsupported,
                   n->label() + ": integer (folded) nodes cannot be written "
                                "as ONNX; write the QDQ model (before fold-qdq)");
  Exporter e(m, o);
  return e.run();
}

Expected<std::string> serializeOnnxProto(const onnx::ModelProto &mp) {
  size_t size = mp.ByteSizeLong();
  if (size > (size_t)INT_MAX)
    return Error(ErrorCode::Unsupported,
                 "cannot export: the model is larger than protobuf's 2 GiB "
                 "limit");
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream sos(&bytes);
    google::protobuf::io::CodedOutputStream cos(&sos);
    cos.SetSerializationDeterministic(true);
    if (!mp.SerializeToCodedStream(&cos) || cos.HadError())
      return Error(ErrorCode::Internal, "cannot serialize the ONNX model");
  }
  return bytes;
}

Expected<std::string> exportOnnxBytes(const Model &m, const ExportOptions &o) {
  EDGEC_ASSIGN_OR_RETURN(onnx::ModelProto mp, exportOnnxProto(m, o));
  return serializeOnnxProto(mp);
}

Status exportOnnxFile(const Model &m, const std::string &path,
                      const ExportOptions &o) {
  EDGEC_ASSIGN_OR_RETURN(std::string bytes, exportOnnxBytes(m, o));
  return writeFileBytes(path, bytes);
}

} // namespace edgec
