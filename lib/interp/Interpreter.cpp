#include "interp/Interpreter.h"

#include "ir/Annotations.h"

#include <set>

namespace edgec {

Interpreter::Interpreter(const Model &model, InterpreterOptions opts)
    : model_(model), opts_(opts), registry_(KernelRegistry::builtin()) {}

namespace {
struct Unsupported {
  int64_t count = 0;
  int64_t opset = 0;
  std::string firstNode;
};

void collectUnsupported(const Graph &g, const KernelRegistry &reg,
                        std::map<std::string, Unsupported> &out) {
  for (const auto &n : g.nodes()) {
    const bool q = isQuantizedNode(*n);
    if (q ? !reg.find(kIntegerKernelDomain, n->opType)
          : !reg.find(n->domain, n->opType)) {
      std::string key = q ? "quantized " + n->opType
                          : n->domain.empty() ? n->opType
                                              : n->domain + "." + n->opType;
      auto &u = out[key];
      if (u.count++ == 0) {
        u.firstNode = n->name;
        u.opset = n->opsetVersion;
      }
    }
    for (Graph *sg : n->subgraphs())
      collectUnsupported(*sg, reg, out);
  }
}
/// Ops whose kernels handle the storage-only types (8/4-bit floats, 4/2-bit
/// ints); every other kernel only ever sees the 13 compute types.
bool acceptsStorageOnlyTypes(const Node &n) {
  static const char *const ops[] = {
      "Cast", "CastLike", "QuantizeLinear", "DequantizeLinear", "Identity",
      "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Shape", "Size"};
  if (!n.domain.empty()) return false;
  for (const char *o : ops)
    if (n.opType == o) return true;
  return false;
}

void markUses(const Node &n, size_t at,
              std::unordered_map<const Value *, size_t> &lastUse) {
  for (const Value *v : n.inputs)
    if (v) lastUse[v] = at;
  for (const Graph *sg : n.subgraphs())
    for (const auto &sn : sg->nodes())
      markUses(*sn, at, lastUse);
}
} // namespace

Status Interpreter::checkSupported() const {
  std::map<std::string, Unsupported> bad;
  collectUnsupported(*model_.graph, registry_, bad);
  if (bad.empty()) return Status::ok();
  std::string msg = std::to_string(bad.size()) + " unsupported op type" +
                    (bad.size() == 1 ? "" : "s") + ": ";
  bool first = true;
  for (const auto &[op, u] : bad) {
    if (!first) msg += "; ";
    first = false;
    msg += op + " (opset " + std::to_string(u.opset) + ", " +
           std::to_string(u.count) + " node" + (u.count == 1 ? "" : "s") +
           ", first '" + u.firstNode + "')";
  }
  return Error(ErrorCode::Unsupported, msg);
}

Status checkInputTensor(const Value &v, const Tensor &t) {
  const TensorType &ty = v.type;
  if (ty.dtype != DataType::Undefined && ty.dtype != t.dtype())
    return Error(ErrorCode::InvalidInput,
                 "input '" + v.name + "': expected element type " +
                     std::string(dataTypeName(ty.dtype)) + ", got " +
                     std::string(dataTypeName(t.dtype())));
  if (ty.hasRank) {
    if (ty.rank() != t.rank())
      return Error(ErrorCode::InvalidInput,
                   "input '" + v.name + "': expected shape " + ty.str() +
                       ", got " + describe(t));
    for (size_t i = 0; i < ty.rank(); ++i)
      if (ty.dims[i].isStatic() && ty.dims[i].value != t.dim(i))
        return Error(ErrorCode::InvalidInput,
                     "input '" + v.name + "': expected shape " + ty.str() +
                         ", got " + describe(t));
  }
  return Status::ok();
}

Expected<std::vector<Tensor>>
Interpreter::run(const std::map<std::string, Tensor> &inputs) {
  EDGEC_TRY(checkSupported());
  const Graph &g = *model_.graph;
  std::vector<Tensor> pos;
  std::set<std::string> known;
  for (const Value *v : g.inputs) {
    known.insert(v->name);
    auto it = inputs.find(v->name);
    if (it != inputs.end()) {
      EDGEC_TRY(checkInputTensor(*v, it->second));
      pos.push_back(it->second);
    } else if (v->constant) {
      pos.push_back(*v->constant);
    } else {
      return Error(ErrorCode::InvalidInput,
                   "missing value for graph input '" + v->name + "'");
    }
  }
  for (const auto &[name, t] : inputs)
    if (!known.count(name))
      return Error(ErrorCode::InvalidInput,
                   "model has no input named '" + name + "'");
  return runGraph(g, nullptr, pos, 0);
}

Expected<std::vector<Tensor>>
Interpreter::runGraph(const Graph &g, const Frame *parent,
                      const std::vector<Tensor> &inputs, int depth) {
  if (depth > opts_.maxDepth)
    return Error(ErrorCode::InvalidModel,
                 "subgraph nesting deeper than " +
                     std::to_string(opts_.maxDepth) + " in graph '" + g.name +
                     "'");
  if (inputs.size() != g.inputs.size())
    return Error(ErrorCode::InvalidModel,
                 "graph '" + g.name + "' expects " +
                     std::to_string(g.inputs.size()) + " inputs, got " +
                     std::to_string(inputs.size()));
  Frame frame;
  frame.parent = parent;
  frame.depth = depth;
  for (const auto &v : g.values())
    if (v->isInitializer()) frame.values[v.get()] = *v->constant;
  for (size_t i = 0; i < inputs.size(); ++i)
    frame.values[g.inputs[i]] = inputs[i];

  // Last use of each value in this graph (captures inside subgraphs count
  // as uses by the node holding the subgraph), to free intermediates early.
  std::unordered_map<const Value *, size_t> lastUse;
  const auto &nodes = g.nodes();
  for (size_t i = 0; i < nodes.size(); ++i)
    markUses(*nodes[i], i, lastUse);
  std::set<const Value *> keep(g.outputs.begin(), g.outputs.end());

  for (size_t i = 0; i < nodes.size(); ++i) {
    const Node &n = *nodes[i];
    std::vector<const Tensor *> ins;
    ins.reserve(n.inputs.size());
    for (const Value *v : n.inputs) {
      if (!v) {
        ins.push_back(nullptr);
        continue;
      }
      const Tensor *t = frame.lookup(v);
      if (!t)
        return Error(ErrorCode::InvalidModel,
                     n.label() + ": input '" + v->name + "' has no value");
      ins.push_back(t);
    }
    EDGEC_ASSIGN_OR_RETURN(std::vector<Tensor> outs, runNode(n, ins, &frame));
    for (size_t o = 0; o < n.outputs.size(); ++o)
      if (n.outputs[o] && o < outs.size()) {
        if (depth == 0 && opts_.observer) opts_.observer(*n.outputs[o], outs[o]);
        frame.values[n.outputs[o]] = std::move(outs[o]);
      }
    if (!opts_.keepIntermediates) {
      for (const Value *v : n.inputs)
        if (v && v->owner() == &g && !keep.count(v) && lastUse[v] == i &&
            !v->isInitializer() && !v->isGraphInput())
          frame.values.erase(v);
    }
  }
  std::vector<Tensor> out;
  for (const Value *v : g.outputs) {
    const Tensor *t = frame.lookup(v);
    if (!t)
      return Error(ErrorCode::InvalidModel,
                   "graph output '" + v->name + "' was not computed");
    out.push_back(*t);
  }
  return out;
}

Expected<std::vector<Tensor>>
Interpreter::runNode(const Node &node, const std::vector<const Tensor *> &ins,
                     const Frame *scope) {
  const bool quantized = isQuantizedNode(node);
  const OpKernel *k = quantized ? registry_.find(kIntegerKernelDomain, node.opType)
                                : registry_.find(node.domain, node.opType);
  if (!k)
    return Error(ErrorCode::Unsupported,
                 node.label() + (quantized ? ": no integer kernel for quantized " + node.opType
                                           : std::string(": op is not supported")));
  if (k->minOpset && node.opsetVersion && node.opsetVersion < k->minOpset)
    return Error(ErrorCode::Unsupported,
                 node.label() + ": opset " +
                     std::to_string(node.opsetVersion) +
                     " is older than the oldest supported (" +
                     std::to_string(k->minOpset) + ")");
  if (!acceptsStorageOnlyTypes(node))
    for (size_t i = 0; i < ins.size(); ++i)
      if (ins[i] && isStorageOnlyType(ins[i]->dtype()))
        return Error(ErrorCode::Unsupported,
                     node.label() + ": input " + std::to_string(i) + " has type " +
                         std::string(dataTypeName(ins[i]->dtype())) +
                         ", which only Cast, CastLike, QuantizeLinear, "
                         "DequantizeLinear and reshaping ops support");
  // Optimizer annotations (ir/Annotations.h): channels-last data runs as
  // the standard op between transposes; a fused activation runs after it.
  const bool nhwc = isChannelsLast(node);
  std::vector<const Tensor *> kin = ins;
  Tensor nchwIn;
  if (nhwc) {
    if (ins.empty() || !ins[0] || ins[0]->rank() < 3)
      return Error(ErrorCode::InvalidModel,
                   node.label() + ": NHWC layout needs a rank >= 3 input 0");
    nchwIn = permuteTensor(*ins[0], toChannelsFirstPerm(ins[0]->rank()));
    kin[0] = &nchwIn;
  }
  Frame empty;
  KernelContext ctx(node, kin, *this, scope ? *scope : empty);
  Status s = k->run(ctx);
  if (!s.isOk()) {
    const std::string &m = s.error().message();
    if (m.rfind("node '", 0) == 0) return s.error();
    return s.error().withContext(node.label() + ": ");
  }
  for (size_t o = 0; o < node.outputs.size(); ++o)
    if (node.outputs[o] && (o >= ctx.outputs.size() || !ctx.outputs[o].isValid()))
      return Error(ErrorCode::Internal,
                   node.label() + ": kernel produced no output " +
                       std::to_string(o));
  if (nhwc && !ctx.outputs.empty() && ctx.outputs[0].isValid()) {
    if (ctx.outputs[0].rank() < 3)
      return Error(ErrorCode::InvalidModel,
                   node.label() + ": NHWC layout needs a rank >= 3 output 0");
    ctx.outputs[0] = permuteTensor(ctx.outputs[0],
                                   toChannelsLastPerm(ctx.outputs[0].rank()));
  }
  if (hasFusedActivation(node) && !quantized && !ctx.outputs.empty()) {
    EDGEC_ASSIGN_OR_RETURN(Node act, fusedActivationNode(node));
    Value actIn, actOut; // detached placeholders for the slot bookkeeping
    act.inputs = {&actIn};
    act.outputs = {&actOut};
    EDGEC_ASSIGN_OR_RETURN(std::vector<Tensor> r,
                           runNode(act, {&ctx.outputs[0]}, scope));
    ctx.outputs[0] = std::move(r.at(0));
  }
  return std::move(ctx.outputs);
}

Expected<std::vector<Tensor>>
KernelContext::runSubgraph(const Graph &g, const std::vector<Tensor> &inputs) {
  return interp_.runGraph(g, &frame_, inputs, frame_.depth + 1);
}

Expected<std::vector<Tensor>>
KernelContext::runFloatKernel(const std::vector<const Tensor *> &inputs) const {
  const OpKernel *k = interp_.registry_.find("", node().opType);
  if (!k)
    return Error(ErrorCode::Unsupported,
                 node().label() + ": no float kernel for " + node().opType);
  KernelContext sub(node(), inputs, interp_, frame_);
  EDGEC_TRY(k->run(sub));
  return std::move(sub.outputs);
}

} // namespace edgec
