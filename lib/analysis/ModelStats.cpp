#include "analysis/ModelStats.h"

#include "interp/Kernel.h"

namespace edgec {

namespace {

std::optional<int64_t> staticCount(const Value *v) {
  if (!v || !v->type.isStatic()) return std::nullopt;
  int64_t n = 1;
  for (const Dim &d : v->type.dims) n *= d.value;
  return n;
}

std::optional<TensorShape> staticShape(const Value *v) {
  if (!v || !v->type.isStatic()) return std::nullopt;
  return v->type.staticShape();
}

int64_t product(const TensorShape &s, size_t from) {
  int64_t p = 1;
  for (size_t i = from; i < s.size(); ++i) p *= s[i];
  return p;
}

void collectParams(const Graph &g, ModelStats &s) {
  for (const auto &v : g.values())
    if (v->isInitializer()) {
      s.parameterCount += v->constant->numElements();
      s.parameterBytes += (int64_t)v->constant->byteSize();
    }
  for (const auto &n : g.nodes()) {
    if (n->opType == "Constant" && n->domain.empty())
      if (const Attribute *a = n->attr("value")) {
        s.parameterCount += a->t.numElements();
        s.parameterBytes += (int64_t)a->t.byteSize();
      }
    for (Graph *sg : n->subgraphs()) collectParams(*sg, s);
  }
}

void collectUnsupported(const Graph &g, std::map<std::string, UnsupportedOp> &u) {
  for (const auto &n : g.nodes()) {
    if (!KernelRegistry::builtin().find(n->domain, n->opType)) {
      std::string key = n->domain.empty() ? n->opType : n->domain + "." + n->opType;
      auto &e = u[key];
      if (e.count++ == 0) {
        e.op = key;
        e.opset = n->opsetVersion;
        e.firstNode = n->name;
      }
    }
    for (Graph *sg : n->subgraphs()) collectUnsupported(*sg, u);
  }
}

} // namespace

std::optional<int64_t> nodeMacs(const Node &n) {
  if (!n.domain.empty()) return 0;
  const std::string &op = n.opType;
  auto outCount = staticCount(n.outputs.empty() ? nullptr : n.outputs[0]);
  if (op == "Conv" || op == "ConvInteger" || op == "QLinearConv") {
    auto w = staticShape(n.input(op == "QLinearConv" ? 3 : 1));
    if (!w || !outCount || w->size() < 2) return std::nullopt;
    return *outCount * product(*w, 1);
  }
  if (op == "ConvTranspose") {
    auto x = staticCount(n.input(0));
    auto w = staticShape(n.input(1));
    if (!x || !w || w->size() < 2) return std::nullopt;
    return *x * product(*w, 1);
  }
  if (op == "Gemm") {
    auto a = staticShape(n.input(0));
    if (!a || a->size() != 2 || !outCount) return std::nullopt;
    const Attribute *t = n.attr("transA");
    int64_t k = (t && t->i) ? (*a)[0] : (*a)[1];
    return *outCount * k;
  }
  if (op == "MatMul" || op == "MatMulInteger" || op == "QLinearMatMul") {
    auto a = staticShape(n.input(0));
    if (!a || a->empty() || !outCount) return std::nullopt;
    return *outCount * a->back();
  }
  return 0;
}

ModelStats computeModelStats(const Model &m) {
  ModelStats s;
  const Graph &g = *m.graph;
  collectParams(g, s);
  for (const auto &n : g.nodes()) {
    ++s.nodeCount;
    s.opHistogram[n->domain.empty() ? n->opType : n->domain + "." + n->opType]++;
    NodeStats ns;
    ns.name = n->name;
    ns.opType = n->opType;
    ns.macs = nodeMacs(*n);
    if (ns.macs) s.totalMacs += *ns.macs;
    else s.macsComplete = false;
    int64_t bytes = 0;
    bool known = true;
    for (const Value *o : n->outputs) {
      if (!o) continue;
      auto c = staticCount(o);
      if (!c || o->type.dtype == DataType::Undefined) {
        known = false;
        continue;
      }
      int64_t b = *c * (int64_t)dataTypeSize(o->type.dtype);
      bytes += b;
      if (b > s.largestActivationBytes) {
        s.largestActivationBytes = b;
        s.largestActivation = o->name;
      }
    }
    if (known) ns.outputBytes = bytes;
    s.nodes.push_back(std::move(ns));
  }
  std::map<std::string, UnsupportedOp> u;
  collectUnsupported(g, u);
  for (auto &[k, v] : u) s.unsupported.push_back(v);
  return s;
}

namespace {
Json typeJson(const TensorType &t) {
  Json j = Json::object();
  j["dtype"] = std::string(dataTypeName(t.dtype));
  if (!t.hasRank) {
    j["shape"] = nullptr;
  } else {
    Json dims = Json::array();
    for (const Dim &d : t.dims) {
      if (d.isStatic()) dims.push(d.value);
      else if (!d.symbol.empty()) dims.push(d.symbol);
      else dims.push(nullptr);
    }
    j["shape"] = dims;
  }
  return j;
}
} // namespace

Json modelReportJson(const Model &m, const ModelStats &s) {
  Json j = Json::object();
  j["schema"] = "edgec.inspect/1";
  j["ir_version"] = m.irVersion;
  j["producer"] = m.producerName;
  Json opsets = Json::object();
  for (const auto &[d, v] : m.opsets) opsets[d.empty() ? "ai.onnx" : d] = v;
  j["opsets"] = opsets;
  Json ins = Json::array(), outs = Json::array();
  for (const Value *v : m.graph->inputs) {
    if (v->isInitializer()) continue;
    Json e = typeJson(v->type);
    e["name"] = v->name;
    ins.push(e);
  }
  for (const Value *v : m.graph->outputs) {
    Json e = typeJson(v->type);
    e["name"] = v->name;
    outs.push(e);
  }
  j["inputs"] = ins;
  j["outputs"] = outs;
  j["node_count"] = s.nodeCount;
  Json hist = Json::object();
  for (const auto &[k, v] : s.opHistogram) hist[k] = v;
  j["op_histogram"] = hist;
  j["parameters"] = Json(Json::Object{{"count", s.parameterCount},
                                      {"bytes", s.parameterBytes}});
  Json macs = Json::object();
  macs["total"] = s.totalMacs;
  macs["complete"] = s.macsComplete;
  j["macs"] = macs;
  Json act = Json::object();
  act["largest_name"] = s.largestActivation;
  act["largest_bytes"] = s.largestActivationBytes;
  j["activations"] = act;
  Json nodes = Json::array();
  for (const auto &n : s.nodes) {
    Json e = Json::object();
    e["name"] = n.name;
    e["op"] = n.opType;
    e["macs"] = n.macs ? Json(*n.macs) : Json(nullptr);
    e["output_bytes"] = n.outputBytes ? Json(*n.outputBytes) : Json(nullptr);
    nodes.push(e);
  }
  j["nodes"] = nodes;
  Json un = Json::array();
  for (const auto &u : s.unsupported) {
    Json e = Json::object();
    e["op"] = u.op;
    e["opset"] = u.opset;
    e["count"] = u.count;
    e["first_node"] = u.firstNode;
    un.push(e);
  }
  j["unsupported"] = un;
  return j;
}

} // namespace edgec
