#include "targets/npu/NpuCompile.h"

#include "npu/CommandStreamEncoder.h"
#include "npu/EthosUNode.h"
#include "npu/PayloadWriter.h"
#include "targets/npu/NpuLowering.h"
#include "tflite/TfliteWriter.h"

#include <algorithm>
#include <cstring>
#include <map>

namespace edgec::ethosu {

namespace {

/// Runs of consecutive NPU nodes in schedule order.
std::vector<std::vector<const Node *>> npuSegments(const Graph &g, const std::set<const Node *> &npu) {
  std::vector<std::vector<const Node *>> out;
  bool open = false;
  for (const auto &n : g.nodes()) {
    if (!npu.count(n.get())) {
      open = false;
      continue;
    }
    if (!open) out.emplace_back();
    open = true;
    out.back().push_back(n.get());
  }
  return out;
}

/// Moves to the CPU every NPU node the lowering refuses and every run of
/// memory-only nodes (no NPU operation), until none is left.
Status settlePlacement(const Graph &g, const npu::AcceleratorConfig &c, std::set<const Node *> &npu,
                       std::vector<NpuCpuNode> &moved) {
  for (bool changed = true; changed;) {
    changed = false;
    EDGEC_ASSIGN_OR_RETURN(NpuProgram trial, planNpuArena(g, npu));
    for (const auto &np : g.nodes()) {
      if (!npu.count(np.get())) continue;
      Status s = lowerNpuNode(*np, c, trial);
      if (s.isOk()) continue;
      if (s.error().code() != ErrorCode::Unsupported) return s;
      moved.push_back({np.get(), s.error().message()});
      npu.erase(np.get());
      changed = true;
    }
    if (changed) continue;
    for (const std::vector<const Node *> &seg : npuSegments(g, npu)) {
      if (!std::all_of(seg.begin(), seg.end(), [](const Node *n) { return isNpuAlias(*n); })) continue;
      for (const Node *n : seg) {
        moved.push_back({n, "a memory-only operator with no NPU operation beside it stays with its "
                            "CPU neighbours"});
        npu.erase(n);
      }
      changed = true;
    }
  }
  return Status::ok();
}

Tensor bytesTensor(const std::vector<uint8_t> &b) {
  Tensor t = *Tensor::create(DataType::UInt8, {int64_t(b.size())});
  if (!b.empty()) std::memcpy(t.raw(), b.data(), b.size());
  return t;
}

/// The output graph: CPU nodes copied, each NPU segment one EthosU node.
class OutputBuilder {
public:
  OutputBuilder(const Graph &g, Model &out) : g(g), out(out) {}

  Value *map(const Value *v) {
    if (!v) return nullptr;
    auto it = values.find(v);
    if (it != values.end()) return it->second;
    Value *n = v->constant ? out.graph->addInitializer(v->name, v->constant->clone())
                           : out.graph->addValue(v->name, v->type);
    n->type = v->type;
    n->quant = v->quant;
    values[v] = n;
    return n;
  }

  Status copyNode(const Node &n) {
    if (!n.subgraphs().empty())
      return Error(ErrorCode::Unsupported, "node '" + n.name + "' (" + n.opType +
                                               "): a CPU node with subgraphs in an NPU model");
    std::vector<Value *> ins, outs;
    for (const Value *v : n.inputs) ins.push_back(map(v));
    for (const Value *v : n.outputs) outs.push_back(map(v));
    Node *c = out.graph->addNode(n.opType, ins, outs, n.name, n.domain);
    c->opsetVersion = n.opsetVersion;
    c->attrs = n.attrs;
    return Status::ok();
  }

  const Graph &g;
  Model &out;
  std::map<const Value *, Value *> values;
};

} // namespace

Expected<CompiledNpuModel> compileNpuModel(const Model &m, const std::set<const Node *> &onNpu,
                                           const npu::AcceleratorConfig &c,
                                           const npu::MemorySystem &mem,
                                           const TfliteProfile &profile, const std::string &name) {
  const Graph &g = *m.graph;
  CompiledNpuModel res;
  std::set<const Node *> npu = onNpu;
  EDGEC_TRY(settlePlacement(g, c, npu, res.loweringFallbacks));
  const std::vector<std::vector<const Node *>> segments = npuSegments(g, npu);
  if (segments.empty()) return Error(ErrorCode::Unsupported, "no operator of the model runs on the NPU");
  EDGEC_ASSIGN_OR_RETURN(NpuProgram prog, planNpuArena(g, npu));
  prog.memory = mem;
  res.arenaBytes = prog.arenaSize;

  Model out;
  out.opsets = m.opsets;
  out.irVersion = m.irVersion;
  out.metadata = m.metadata;
  out.graph->name = g.name;
  OutputBuilder b(g, out);
  for (const Value *v : g.runtimeInputs()) {
    Value *n = out.graph->addInput(v->name, v->type);
    n->quant = v->quant;
    b.values[v] = n;
  }
  std::map<const Node *, size_t> segmentOf;
  for (size_t s = 0; s < segments.size(); ++s)
    for (const Node *n : segments[s]) segmentOf[n] = s;
  size_t done = 0;
  for (const auto &np : g.nodes()) {
    const Node &n = *np;
    auto it = segmentOf.find(&n);
    if (it == segmentOf.end()) {
      EDGEC_TRY(b.copyNode(n));
      ++res.cpuOperators;
      continue;
    }
    if (it->second < done || &n != segments[it->second].front()) continue;
    const std::vector<const Node *> &seg = segments[it->second];
    done = it->second + 1;
    // Lower the segment; its IFMs are the values it reads from outside,
    // its OFMs the values it writes that are read outside or are outputs.
    prog.ops.clear();
    prog.flash.clear();
    std::set<const Value *> produced;
    std::vector<const Value *> ifms, ofms;
    for (const Node *x : seg) {
      Status s = lowerNpuNode(*x, c, prog);
      if (!s.isOk())
        return Error(s.error().code(), "node '" + x->name + "' (" + x->opType + "): " + s.error().message());
      for (const Value *v : x->inputs)
        if (v && !v->constant && !produced.count(v) &&
            std::find(ifms.begin(), ifms.end(), v) == ifms.end())
          ifms.push_back(v);
      for (const Value *v : x->outputs)
        if (v) produced.insert(v);
    }
    for (const Node *x : seg)
      for (const Value *v : x->outputs) {
        if (!v) continue;
        bool outside = g.isGraphOutput(v);
        for (const Node *u : g.usersOf(v)) outside = outside || !segmentOf.count(u) || segmentOf[u] != it->second;
        if (outside) ofms.push_back(v);
      }
    if (prog.ops.empty()) return Error(ErrorCode::Internal, "an NPU segment without NPU operations");
    for (size_t i = 0; i < prog.ops.size(); ++i) prog.ops[i].index = i;
    EDGEC_ASSIGN_OR_RETURN(std::vector<uint32_t> stream, npu::encodeOperations(prog.ops));
    EDGEC_ASSIGN_OR_RETURN(std::vector<uint32_t> payload, npu::payloadWords(c, stream));
    // An empty flash is written as 16 zero bytes (the reader drops it).
    if (prog.flash.empty()) prog.flash.assign(16, 0);
    const std::string base = name + "_npu" + std::to_string(it->second);
    std::vector<Value *> ins = {out.graph->addInitializer(base + "_command_stream",
                                                          bytesTensor(npu::wordBytes(payload))),
                                out.graph->addInitializer(base + "_flash", bytesTensor(prog.flash))};
    std::vector<Value *> outs;
    std::vector<int64_t> inOff, outOff;
    for (const Value *v : ifms) {
      ins.push_back(b.map(v));
      inOff.push_back(prog.offsets.at(v));
    }
    for (const Value *v : ofms) {
      outs.push_back(b.map(v));
      outOff.push_back(prog.offsets.at(v));
    }
    Node *e = out.graph->addNode(npu::kEthosUOp, ins, outs, base, npu::kEthosUDomain);
    e->opsetVersion = 1;
    e->attrs[npu::kScratchSizeAttr] = Attribute::makeInt(prog.arenaSize);
    e->attrs[npu::kScratchFastSizeAttr] = Attribute::makeInt(0);
    e->attrs[npu::kInputOffsetsAttr] = Attribute::makeInts(inOff);
    e->attrs[npu::kOutputOffsetsAttr] = Attribute::makeInts(outOff);
    res.operations += prog.ops.size();
    res.streamWords += stream.size();
    res.flashBytes += prog.flash.size();
    ++res.ethosuOperators;
  }
  for (const Value *v : g.outputs) out.graph->outputs.push_back(b.map(v));
  TfliteWriteOptions o;
  o.profile = profile;
  o.description = "edgec npu " + std::string(c.name) + " " + name;
  EDGEC_ASSIGN_OR_RETURN(res.tflite, writeTflite(out, o));
  return res;
}

} // namespace edgec::ethosu
