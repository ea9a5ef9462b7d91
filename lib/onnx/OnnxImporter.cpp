#include "onnx/OnnxImporter.h"

#include "shape/ShapeInference.h"
#include "ir/Verifier.h"
#include "onnx/InputArity.h"
#include "onnx/TensorProto.h"
#include "support/FileIO.h"

#include <google/protobuf/io/coded_stream.h>
#include <onnx/defs/parser.h>
#include <onnx/onnx_pb.h>

#include <climits>
#include <filesystem>
#include <set>

namespace edgec {

namespace {

std::string normDomain(const std::string &d) {
  return d == "ai.onnx" ? std::string() : d;
}

/// Deepest bracket nesting accepted in ONNX text before parsing (the parser
/// recurses per level; this keeps hostile input from exhausting the stack).
constexpr int kMaxTextNesting = 256;
/// Message nesting accepted when parsing binary protobuf. Above protobuf's
/// default of 100 so that too-deep subgraphs are reported by the importer's
/// own depth check, naming the node; still small enough for the stack.
constexpr int kMaxProtoRecursion = 1024;
/// Protobuf cannot represent messages of 2 GiB or more.
constexpr uint64_t kMaxModelBytes = uint64_t(INT_MAX);

/// Deepest nesting of (), [] and {} outside string literals and comments.
int textNesting(const std::string &text) {
  int depth = 0, maxDepth = 0;
  bool inString = false, inComment = false;
  for (char c : text) {
    if (inComment) {
      inComment = c != '\n';
    } else if (inString) {
      inString = c != '"';
    } else if (c == '"') {
      inString = true;
    } else if (c == '#') {
      inComment = true;
    } else if (c == '(' || c == '[' || c == '{') {
      maxDepth = std::max(maxDepth, ++depth);
    } else if (c == ')' || c == ']' || c == '}') {
      --depth;
    }
  }
  return maxDepth;
}

/// Parses ONNX text syntax. The ONNX parser throws on some malformed numbers
/// (std::stoll); those become parse errors too.
Status parseOnnxText(const std::string &text, onnx::ModelProto &mp) {
  if (textNesting(text) > kMaxTextNesting)
    return Error(ErrorCode::InvalidModel,
                 "cannot parse ONNX text: brackets nested deeper than " +
                     std::to_string(kMaxTextNesting));
  try {
    onnx::OnnxParser parser(text.c_str());
    auto st = parser.Parse(mp);
    if (!st.IsOK()) {
      std::string m = st.ErrorMessage();
      for (char &c : m)
        if (c == '\n' || c == '\r') c = ' ';
      while (!m.empty() && m.back() == ' ') m.pop_back();
      return Error(ErrorCode::InvalidModel, "cannot parse ONNX text: " + m);
    }
  } catch (const std::exception &e) {
    return Error(ErrorCode::InvalidModel,
                 std::string("cannot parse ONNX text: bad literal (") +
                     e.what() + ")");
  }
  return Status::ok();
}

/// A name from the model made safe for a one-line message: control
/// characters replaced, length bounded.
std::string clean(const std::string &name) {
  std::string r;
  size_t n = std::min<size_t>(name.size(), 120);
  for (size_t i = 0; i < n; ++i) {
    unsigned char c = (unsigned char)name[i];
    r += (c < 0x20 || c == 0x7f) ? '?' : (char)c;
  }
  if (n < name.size()) r += "...";
  return r;
}
/// Quoted clean(name).
std::string q(const std::string &name) { return "'" + clean(name) + "'"; }

class GraphImporter {
public:
  GraphImporter(const Model &model, const std::string &baseDir,
                const ImportOptions &opts)
      : model_(model), baseDir_(baseDir), opts_(opts) {}

  Status importGraph(const onnx::GraphProto &gp, Graph &g, int depth);

private:
  Expected<TensorType> convertType(const onnx::TypeProto &tp,
                                   const std::string &what);
  Status convertAttribute(const onnx::AttributeProto &ap, Attribute &a,
                          Graph &g, int depth, const std::string &what);
  Value *resolve(Graph &g, const std::string &name);

  const Model &model_;
  std::string baseDir_;
  const ImportOptions &opts_;
};

Value *GraphImporter::resolve(Graph &g, const std::string &name) {
  for (Graph *s = &g; s; s = s->parent)
    if (Value *v = s->findValue(name)) return v;
  return nullptr;
}

Expected<TensorType> GraphImporter::convertType(const onnx::TypeProto &tp,
                                                const std::string &what) {
  if (!tp.has_tensor_type()) {
    if (tp.value_case() == onnx::TypeProto::VALUE_NOT_SET)
      return TensorType();
    const char *kind = tp.has_sequence_type()   ? "sequence"
                       : tp.has_optional_type() ? "optional"
                       : tp.has_map_type()      ? "map"
                                                : "sparse tensor";
    return Error(ErrorCode::Unsupported,
                 what + ": " + kind + " types are not supported");
  }
  const auto &tt = tp.tensor_type();
  TensorType t;
  if (tt.elem_type() != 0) {
    auto dt = fromOnnxDataType(tt.elem_type());
    if (!dt)
      return Error(ErrorCode::Unsupported,
                   what + ": element type #" + std::to_string(tt.elem_type()) +
                       " is not supported");
    t.dtype = *dt;
  }
  if (tt.has_shape()) {
    t.hasRank = true;
    TensorShape static_;
    for (const auto &d : tt.shape().dim()) {
      if (d.has_dim_value()) {
        if (d.dim_value() < 0)
          return Error(ErrorCode::InvalidModel,
                       what + ": negative dimension " +
                           std::to_string(d.dim_value()));
        t.dims.push_back(Dim::fixed(d.dim_value()));
        static_.push_back(d.dim_value());
      } else if (d.has_dim_param() && !d.dim_param().empty()) {
        t.dims.push_back(Dim::symbolic(d.dim_param()));
      } else {
        t.dims.push_back(Dim::unknown());
      }
    }
    // Element counts of declared shapes must be representable (later
    // analyses multiply dims); the bound matches the largest tensor.
    if (!checkedNumElements(static_).isOk())
      return Error(ErrorCode::InvalidModel,
                   what + ": declared shape " + t.str() +
                       " has too many elements");
  }
  return t;
}

Status GraphImporter::convertAttribute(const onnx::AttributeProto &ap,
                                       Attribute &a, Graph &g, int depth,
                                       const std::string &what) {
  using AP = onnx::AttributeProto;
  if (ap.type() == AP::SPARSE_TENSOR || ap.type() == AP::SPARSE_TENSORS ||
      ap.has_sparse_tensor() || ap.sparse_tensors_size())
    return Error(ErrorCode::Unsupported,
                 what + ": sparse tensor attributes are not supported");
  if (ap.type() == AP::TYPE_PROTO || ap.type() == AP::TYPE_PROTOS)
    return Error(ErrorCode::Unsupported,
                 what + ": type attributes are not supported");
  if (!ap.ref_attr_name().empty())
    return Error(ErrorCode::Unsupported,
                 what + ": attribute references (functions) are not supported");
  int type = ap.type();
  if (type == AP::UNDEFINED) { // old models: infer from the populated field
    if (ap.has_i()) type = AP::INT;
    else if (ap.has_f()) type = AP::FLOAT;
    else if (ap.has_s()) type = AP::STRING;
    else if (ap.has_t()) type = AP::TENSOR;
    else if (ap.has_g()) type = AP::GRAPH;
    else if (ap.ints_size()) type = AP::INTS;
    else if (ap.floats_size()) type = AP::FLOATS;
    else if (ap.strings_size()) type = AP::STRINGS;
    else if (ap.tensors_size()) type = AP::TENSORS;
    else if (ap.graphs_size()) type = AP::GRAPHS;
    else type = AP::INTS; // empty list
  }
  auto subgraph = [&](const onnx::GraphProto &gp) -> Expected<std::shared_ptr<Graph>> {
    if (depth + 1 > opts_.maxSubgraphDepth)
      return Error(ErrorCode::InvalidModel,
                   what + ": subgraphs nested deeper than " +
                       std::to_string(opts_.maxSubgraphDepth));
    auto sg = std::make_shared<Graph>();
    sg->parent = &g;
    EDGEC_TRY(importGraph(gp, *sg, depth + 1));
    return sg;
  };
  switch (type) {
  case AP::INT: a.kind = Attribute::Kind::Int; a.i = ap.i(); break;
  case AP::FLOAT: a.kind = Attribute::Kind::Float; a.f = ap.f(); break;
  case AP::STRING: a.kind = Attribute::Kind::String; a.s = ap.s(); break;
  case AP::INTS:
    a.kind = Attribute::Kind::Ints;
    a.ints.assign(ap.ints().begin(), ap.ints().end());
    break;
  case AP::FLOATS:
    a.kind = Attribute::Kind::Floats;
    a.floats.assign(ap.floats().begin(), ap.floats().end());
    break;
  case AP::STRINGS:
    a.kind = Attribute::Kind::Strings;
    a.strings.assign(ap.strings().begin(), ap.strings().end());
    break;
  case AP::TENSOR: {
    a.kind = Attribute::Kind::Tensor;
    EDGEC_ASSIGN_OR_RETURN(a.t, tensorFromProto(ap.t(), baseDir_, what));
    break;
  }
  case AP::TENSORS:
    a.kind = Attribute::Kind::Tensors;
    for (const auto &tp : ap.tensors()) {
      EDGEC_ASSIGN_OR_RETURN(Tensor t, tensorFromProto(tp, baseDir_, what));
      a.tensors.push_back(std::move(t));
    }
    break;
  case AP::GRAPH: {
    a.kind = Attribute::Kind::Graph;
    EDGEC_ASSIGN_OR_RETURN(a.g, subgraph(ap.g()));
    break;
  }
  case AP::GRAPHS:
    a.kind = Attribute::Kind::Graphs;
    for (const auto &gp : ap.graphs()) {
      EDGEC_ASSIGN_OR_RETURN(auto sg, subgraph(gp));
      a.graphs.push_back(std::move(sg));
    }
    break;
  default:
    return Error(ErrorCode::Unsupported,
                 what + ": attribute type #" + std::to_string(type) +
                     " is not supported");
  }
  return Status::ok();
}

Status GraphImporter::importGraph(const onnx::GraphProto &gp, Graph &g,
                                  int depth) {
  g.name = gp.name();
  const std::string gname = "graph " + q(g.name);
  if (gp.sparse_initializer_size())
    return Error(ErrorCode::Unsupported,
                 gname + ": sparse initializers are not supported");

  // Initializers.
  for (const auto &tp : gp.initializer()) {
    const std::string what = "initializer " + q(tp.name());
    if (tp.name().empty())
      return Error(ErrorCode::InvalidModel, gname + ": initializer without a name");
    if (g.findValue(tp.name()))
      return Error(ErrorCode::InvalidModel, what + " is defined twice");
    EDGEC_ASSIGN_OR_RETURN(Tensor t, tensorFromProto(tp, baseDir_, what));
    g.addInitializer(tp.name(), std::move(t));
  }

  // Inputs (possibly also initializers).
  for (const auto &vi : gp.input()) {
    const std::string what = "input " + q(vi.name());
    EDGEC_ASSIGN_OR_RETURN(TensorType t, convertType(vi.type(), what));
    bool top = g.parent == nullptr;
    if (top) {
      auto it = opts_.inputShapes.find(vi.name());
      if (it != opts_.inputShapes.end()) {
        if (t.hasRank && t.rank() != it->second.size())
          return Error(ErrorCode::Usage,
                       "--input-shape for " + q(vi.name()) + " has rank " +
                           std::to_string(it->second.size()) +
                           " but the model declares " + t.str());
        for (size_t i = 0; t.hasRank && i < t.rank(); ++i)
          if (t.dims[i].isStatic() && t.dims[i].value != it->second[i])
            return Error(ErrorCode::Usage,
                         "--input-shape for " + q(vi.name()) + " conflicts " +
                             "with the model's static shape " + t.str());
        t = TensorType(t.dtype, it->second);
      }
    }
    if (Value *init = g.findValue(vi.name())) {
      if (init->isGraphInput())
        return Error(ErrorCode::InvalidModel, what + " is listed twice");
      g.markAsInput(init);
      continue;
    }
    if (vi.name().empty())
      return Error(ErrorCode::InvalidModel, gname + ": input without a name");
    g.addInput(vi.name(), t);
  }
  if (g.parent == nullptr)
    for (const auto &[name, shape] : opts_.inputShapes) {
      Value *v = g.findValue(name);
      if (!v || !v->isGraphInput())
        return Error(ErrorCode::Usage,
                     "--input-shape names " + q(name) +
                         ", which is not an input of the model");
    }

  // Node outputs first, so that nodes listed out of order still resolve.
  std::set<std::string> defined;
  for (const auto &v : g.values()) defined.insert(v->name);
  int idx = 0;
  for (const auto &np : gp.node()) {
    for (const auto &o : np.output()) {
      if (o.empty()) continue;
      if (defined.count(o))
        return Error(ErrorCode::InvalidModel,
                     "node " + q(np.name()) + " (" + clean(np.op_type()) +
                         "): output " + q(o) + " is defined more than once");
      defined.insert(o);
      g.addValue(o);
    }
    ++idx;
  }

  idx = 0;
  for (const auto &np : gp.node()) {
    std::string name = np.name().empty()
                           ? np.op_type() + "_" + std::to_string(idx)
                           : np.name();
    ++idx;
    std::string domain = normDomain(np.domain());
    std::string label =
        "node " + q(name) + " (" +
        clean(domain.empty() ? np.op_type() : domain + "." + np.op_type()) +
        ")";
    auto os = model_.opsets.find(domain);
    if (os == model_.opsets.end())
      return Error(ErrorCode::InvalidModel,
                   label + ": domain " + q(np.domain()) +
                       " is not listed in the model's opset_import");
    if (np.op_type().empty())
      return Error(ErrorCode::InvalidModel, label + ": empty op_type");
    std::vector<Value *> ins, outs;
    for (const auto &i : np.input()) {
      if (i.empty()) {
        ins.push_back(nullptr);
        continue;
      }
      Value *v = resolve(g, i);
      if (!v)
        return Error(ErrorCode::InvalidModel,
                     label + ": input " + q(i) + " is not defined");
      ins.push_back(v);
    }
    for (const auto &o : np.output())
      outs.push_back(o.empty() ? nullptr : g.findValue(o));
    Node *n = g.addNode(np.op_type(), ins, outs, name, domain);
    n->opsetVersion = os->second;
    for (const auto &ap : np.attribute()) {
      if (ap.name().empty())
        return Error(ErrorCode::InvalidModel, label + ": attribute without a name");
      if (n->attrs.count(ap.name()))
        return Error(ErrorCode::InvalidModel,
                     label + ": attribute " + q(ap.name()) + " given twice");
      Attribute a;
      EDGEC_TRY(convertAttribute(ap, a, g, depth,
                                 label + " attribute " + q(ap.name())));
      n->attrs.emplace(ap.name(), std::move(a));
    }
  }

  // Types of intermediate values.
  for (const auto &vi : gp.value_info()) {
    Value *v = g.findValue(vi.name());
    if (!v || v->isGraphInput() || v->isInitializer()) continue;
    auto t = convertType(vi.type(), "value " + q(vi.name()));
    if (t.isOk()) v->type = *t;
  }

  // Outputs.
  std::set<std::string> outNames;
  for (const auto &vi : gp.output()) {
    Value *v = resolve(g, vi.name());
    if (!v)
      return Error(ErrorCode::InvalidModel,
                   gname + ": output " + q(vi.name()) + " is not produced");
    if (!outNames.insert(vi.name()).second)
      return Error(ErrorCode::InvalidModel,
                   gname + ": output " + q(vi.name()) + " is listed twice");
    EDGEC_ASSIGN_OR_RETURN(TensorType t,
                           convertType(vi.type(), "output " + q(vi.name())));
    if (!v->isGraphInput() && !v->isInitializer() &&
        v->type.dtype == DataType::Undefined)
      v->type = t;
    g.outputs.push_back(v);
  }

  // Every node output value must have a producer (checked) and the node
  // order must be acyclic.
  EDGEC_TRY(g.sortTopologically());
  return Status::ok();
}

Expected<std::unique_ptr<Model>> finish(std::unique_ptr<Model> m,
                                        const ImportOptions &opts) {
  EDGEC_TRY(verifyGraph(*m->graph));
  EDGEC_TRY(checkRequiredInputs(*m->graph));
  if (opts.inferShapes) {
    ShapeInferenceOptions so;
    so.evaluator = opts.evaluator;
    EDGEC_TRY(inferShapes(*m, so));
  }
  return m;
}

} // namespace

Expected<std::unique_ptr<Model>> importOnnxProto(const onnx::ModelProto &mp,
                                                 const std::string &baseDir,
                                                 const ImportOptions &opts) {
  auto m = std::make_unique<Model>();
  m->irVersion = mp.ir_version();
  m->producerName = mp.producer_name();
  for (const auto &kv : mp.metadata_props()) m->metadata[kv.key()] = kv.value();
  m->producerVersion = mp.producer_version();
  for (const auto &os : mp.opset_import()) {
    std::string d = normDomain(os.domain());
    if (os.version() < 1 || os.version() > 10000)
      return Error(ErrorCode::InvalidModel,
                   "opset_import for domain " + q(os.domain()) +
                       " has invalid version " + std::to_string(os.version()));
    auto [it, added] = m->opsets.emplace(d, os.version());
    if (!added && it->second != os.version())
      return Error(ErrorCode::InvalidModel,
                   "opset_import lists domain " + q(os.domain()) +
                       " twice with different versions");
  }
  if (!m->opsets.count("") && mp.ir_version() < 3)
    m->opsets[""] = 1;
  if (!mp.has_graph())
    return Error(ErrorCode::InvalidModel, "model has no graph");
  GraphImporter gi(*m, baseDir, opts);
  EDGEC_TRY(gi.importGraph(mp.graph(), *m->graph, 0));
  return finish(std::move(m), opts);
}

Expected<std::unique_ptr<Model>> importOnnxText(const std::string &text,
                                                const ImportOptions &opts) {
  onnx::ModelProto mp;
  EDGEC_TRY(parseOnnxText(text, mp));
  return importOnnxProto(mp, "", opts);
}

Expected<std::unique_ptr<Model>> importOnnxFile(const std::string &path,
                                                const ImportOptions &opts) {
  // Only regular files: a FIFO or a device (/dev/zero) would block or never
  // end.
  std::error_code ec;
  auto st = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(st))
    return Error(ErrorCode::Io, path + ": cannot open file");
  if (!std::filesystem::is_regular_file(st))
    return Error(ErrorCode::Io, path + ": not a regular file");
  auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > kMaxModelBytes)
    return Error(ErrorCode::InvalidModel,
                 path + ": file is larger than protobuf's 2 GiB limit "
                        "(store weights as external data)");
  EDGEC_ASSIGN_OR_RETURN(std::string bytes, readFileBytes(path));
  std::string dir;
  auto slash = path.find_last_of('/');
  dir = slash == std::string::npos ? "." : path.substr(0, slash);
  if (dir.empty()) dir = "/";
  if (bytes.empty())
    return Error(ErrorCode::InvalidModel, path + ": file is empty");
  // ONNX text syntax starts with '<' (after blank lines and '#' comment
  // lines, which lit tests use for RUN/CHECK lines).
  size_t p = bytes.find_first_not_of(" \t\r\n");
  while (p != std::string::npos && bytes[p] == '#') {
    size_t eol = bytes.find('\n', p);
    p = eol == std::string::npos ? eol : bytes.find_first_not_of(" \t\r\n", eol);
  }
  bool isText = p != std::string::npos && bytes[p] == '<';
  onnx::ModelProto mp;
  if (isText) {
    Status s = parseOnnxText(bytes, mp);
    if (!s.isOk()) return s.error().withContext(path + ": ");
  } else {
    google::protobuf::io::CodedInputStream in(
        reinterpret_cast<const uint8_t *>(bytes.data()), (int)bytes.size());
    in.SetRecursionLimit(kMaxProtoRecursion);
    if (!mp.ParseFromCodedStream(&in) || !in.ConsumedEntireMessage())
      return Error(ErrorCode::InvalidModel,
                   path + ": not a valid ONNX model (protobuf parse failed: "
                          "truncated or corrupt file)");
  }
  auto r = importOnnxProto(mp, dir, opts);
  if (!r.isOk()) return r.error().withContext(path + ": ");
  std::unique_ptr<Model> m = r.take();
  m->path = path;
  return m;
}

Status parseInputShapeOverride(const std::string &spec,
                               std::map<std::string, TensorShape> &out) {
  auto eq = spec.rfind('=');
  if (eq == std::string::npos || eq == 0)
    return Error(ErrorCode::Usage, "--input-shape '" + spec +
                                       "' must look like name=1,3,224,224");
  std::string name = spec.substr(0, eq), dims = spec.substr(eq + 1);
  TensorShape shape;
  // An empty dimension list declares a scalar.
  for (size_t i = 0; !dims.empty() && i <= dims.size();) {
    size_t j = dims.find(',', i);
    if (j == std::string::npos) j = dims.size();
    std::string d = dims.substr(i, j - i);
    if (d.empty() || d.size() > 12 ||
        d.find_first_not_of("0123456789") != std::string::npos)
      return Error(ErrorCode::Usage, "--input-shape '" + spec +
                                         "': bad dimension '" + d + "'");
    shape.push_back(std::stoll(d));
    i = j + 1;
  }
  if (!checkedNumElements(shape).isOk())
    return Error(ErrorCode::Usage, "--input-shape '" + spec +
                                       "': shape has too many elements");
  if (out.count(name))
    return Error(ErrorCode::Usage,
                 "--input-shape given twice for '" + name + "'");
  out[name] = shape;
  return Status::ok();
}

} // namespace edgec
