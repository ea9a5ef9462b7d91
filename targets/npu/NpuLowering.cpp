// The graph walk, feature maps and flash layout of the NPU lowering (see
// NpuLowering.h).
#include "targets/npu/NpuLowering.h"

#include "plan/ArenaPlanner.h"
#include "qmath/KernelParams.h"

#include <algorithm>
#include <set>
#include <iterator>

namespace edgec::ethosu {

int64_t appendFlash(NpuProgram &p, const std::vector<uint8_t> &bytes) {
  while (p.flash.size() % kNpuAlignment) p.flash.push_back(0);
  const int64_t at = int64_t(p.flash.size());
  p.flash.insert(p.flash.end(), bytes.begin(), bytes.end());
  return at;
}

Expected<npu::FeatureMap> featureMapOf(const NpuProgram &p, const Value *v) {
  const std::string what = "tensor '" + (v ? v->name : std::string("?")) + "'";
  if (!v || !v->type.isStatic()) return Error(ErrorCode::Unsupported, what + " has no static shape");
  const TensorShape s = v->type.staticShape();
  if (v->type.dtype != DataType::Int8 && v->type.dtype != DataType::UInt8)
    return Error(ErrorCode::Unsupported, what + " is not int8/uint8");
  if (!v->quant || v->quant->scale.size() != 1)
    return Error(ErrorCode::Unsupported, what + " is not quantized per tensor");
  auto it = p.offsets.find(v);
  if (it == p.offsets.end()) return Error(ErrorCode::Internal, what + " has no arena offset");
  npu::FeatureMap fm;
  if (s.size() == 4 && s[0] == 1) {
    fm.height = int(s[1]);
    fm.width = int(s[2]);
    fm.depth = int(s[3]);
  } else if (s.size() == 2 && s[0] == 1) {
    fm.depth = int(s[1]);
  } else {
    return Error(ErrorCode::Unsupported, what + ": only [1,H,W,C] and [1,C] feature maps");
  }
  fm.region = kNpuArenaRegion;
  fm.base = {uint64_t(it->second), 0, 0, 0};
  fm.height0 = fm.height1 = fm.height;
  fm.width0 = fm.width;
  fm.strideC = 1;
  fm.strideX = fm.depth;
  fm.strideY = int64_t(fm.width) * fm.depth;
  fm.elemBytes = 1;
  fm.isSigned = v->type.dtype == DataType::Int8;
  fm.zeroPoint = v->quant->zeroPoint.empty() ? 0 : int(v->quant->zeroPoint[0]);
  fm.precisionField = fm.isSigned ? 1 : 0;
  return fm;
}

Status finishOperation(const Node &n, const npu::AcceleratorConfig &c, npu::Operation &op) {
  EDGEC_ASSIGN_OR_RETURN(qmath::QRange act, qmath::fusedActivationRange(n));
  op.activationMin = act.min;
  op.activationMax = act.max;
  op.rounding = 0; // TFL
  return chooseBlockConfig(op, c);
}

bool isNpuAlias(const Node &n) {
  static const char *const ops[] = {"Reshape", "Flatten", "Squeeze", "Unsqueeze"};
  if (std::find(std::begin(ops), std::end(ops), n.opType) == std::end(ops)) return false;
  const Value *x = n.input(0);
  const Value *y = n.outputs.empty() ? nullptr : n.outputs[0];
  return x && y && !x->constant && x->type.dtype == y->type.dtype && x->quant && y->quant &&
         *x->quant == *y->quant;
}

Expected<NpuProgram> planNpuArena(const Graph &g, const std::set<const Node *> &npuNodes) {
  NpuProgram p;
  // Every activation an NPU node reads or writes, over the whole graph:
  // graph inputs from step 0, node outputs from their node's step, each to
  // its last use (graph outputs to the end). One plan serves every
  // `ethos-u` operator: their IFMs/OFMs never overlap while alive.
  std::map<const Value *, size_t> index;
  std::vector<plan::Buffer> buffers;
  const int end = int(g.nodes().size());
  std::map<const Value *, int> producedAt;
  for (int i = 0; i < end; ++i)
    for (const Value *v : g.nodes()[size_t(i)]->outputs) producedAt[v] = i;
  auto add = [&](const Value *v) {
    if (!v || v->constant || index.count(v)) return;
    index[v] = buffers.size();
    int64_t bytes = 0;
    if (v->type.isStatic()) {
      bytes = int64_t(dataTypeSize(v->type.dtype));
      for (int64_t d : v->type.staticShape()) bytes *= d;
    }
    auto at = producedAt.find(v);
    const int first = at == producedAt.end() ? 0 : at->second;
    buffers.push_back({v->name, bytes, first, first});
  };
  for (int i = 0; i < end; ++i) {
    const Node &n = *g.nodes()[size_t(i)];
    if (!npuNodes.count(&n)) continue;
    for (const Value *v : n.inputs) add(v);
    if (isNpuAlias(n) && index.count(n.inputs[0])) {
      index[n.outputs[0]] = index[n.inputs[0]];
      continue;
    }
    for (const Value *v : n.outputs) add(v);
  }
  for (int i = 0; i < end; ++i)
    for (const Value *v : g.nodes()[size_t(i)]->inputs)
      if (auto it = index.find(v); it != index.end())
        buffers[it->second].last = std::max(buffers[it->second].last, i);
  // Scratch of the nodes that need one, live during the node.
  std::vector<std::pair<const Node *, size_t>> temps;
  for (int i = 0; i < end; ++i) {
    const Node &n = *g.nodes()[size_t(i)];
    if (!npuNodes.count(&n) || !qmath::fusedLeakyReluAlpha(n) || n.outputs.empty()) continue;
    const Value *y = n.outputs[0];
    int64_t bytes = 0;
    if (y && y->type.isStatic()) {
      bytes = int64_t(dataTypeSize(y->type.dtype));
      for (int64_t d : y->type.staticShape()) bytes *= d;
    }
    temps.push_back({&n, buffers.size()});
    buffers.push_back({n.name + "/leaky_scratch", bytes, i, i});
  }
  for (const Value *v : g.outputs)
    if (auto it = index.find(v); it != index.end()) buffers[it->second].last = end;
  EDGEC_ASSIGN_OR_RETURN(plan::ArenaPlan plan, plan::planArena(buffers, kNpuAlignment));
  for (const auto &[v, i] : index) p.offsets[v] = plan.offsets[i];
  for (const auto &[n, i] : temps) p.temps[n] = plan.offsets[i];
  p.arenaSize = plan.arenaSize;
  return p;
}

Status lowerNpuNode(const Node &n, const npu::AcceleratorConfig &c, NpuProgram &p) {
  if (c.cores != 1)
    return Error(ErrorCode::Unsupported, "code generation for " + std::string(c.name) +
                                             " (two cores) is not implemented yet");
  if (isNpuAlias(n)) return Status::ok(); // the same bytes under another shape
  if (n.opType == "Conv") return lowerConvolution(n, c, p);
  if (n.opType == "Gemm" || n.opType == "MatMul") return lowerFullyConnected(n, c, p);
  if (n.opType == "MaxPool" || n.opType == "AveragePool") return lowerPool(n, c, p);
  if (n.opType == "Add" || n.opType == "Mul") return lowerElementwise(n, c, p);
  if (n.opType == "GlobalAveragePool") return lowerGlobalAveragePool(n, c, p);
  if (isNpuLutNode(n)) return lowerLut(n, c, p);
  return Error(ErrorCode::Unsupported, "edgec has no NPU lowering of " + n.opType + " yet");
}

} // namespace edgec::ethosu
