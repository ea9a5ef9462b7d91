// Elementwise int8 activations on the NPU through a 256-entry lookup table,
// as Vela runs LOGISTIC, TANH, HARD_SWISH, LEAKY_RELU and the like
// (../shared/NPU-EDGETPU.md A.6): the table is DMAed from the flash into
// the internal buffer's LUT area (its last 2 KiB, slot 0), then a 1x1 MAX
// pool with zero points 0 and no scaling passes each raw input value q
// through the output stage, which indexes the table at q + 128
// (npu/OutputStage.cpp). The table holds, for every q, what the
// interpreter's integer kernel of the node itself gives for q (the node
// run once on the 256 values): the NPU result is the CPU builtin's by
// construction, whatever the function.
#include "targets/npu/NpuLowering.h"

#include "interp/Interpreter.h"
#include "npu/Registers.h"

#include <algorithm>
#include <iterator>

namespace edgec::ethosu {

namespace {

/// The activations computed element by element from one int8 input.
bool isLutActivation(const Node &n) {
  static const char *const ops[] = {"Sigmoid", "Tanh", "HardSwish", "HardSigmoid", "LeakyRelu",
                                    "Relu", "Clip", "Elu", "Gelu", "Exp", "Abs", "Neg"};
  return std::find(std::begin(ops), std::end(ops), n.opType) != std::end(ops);
}

/// The node's int8 output for each int8 input -128..127, by the interpreter.
Expected<std::vector<uint8_t>> lutOf(const Node &n) {
  Model m;
  Graph &g = *m.graph;
  const Value *x = n.inputs[0], *y = n.outputs[0];
  Value *in = g.addInput(x->name, TensorType(DataType::Int8, TensorShape{256}));
  in->quant = x->quant;
  std::vector<Value *> ins = {in};
  for (size_t i = 1; i < n.inputs.size(); ++i) {
    const Value *v = n.inputs[i];
    if (v && !v->constant) return Error(ErrorCode::Unsupported, "an operand that is not a constant");
    Value *c = v ? g.addInitializer(v->name, v->constant->clone()) : nullptr;
    if (c) c->quant = v->quant;
    ins.push_back(c);
  }
  Value *out = g.addValue(y->name, TensorType(DataType::Int8, TensorShape{256}));
  out->quant = y->quant;
  Node *c = g.addNode(n.opType, ins, {out}, n.name, n.domain);
  c->opsetVersion = n.opsetVersion;
  c->attrs = n.attrs;
  c->attrs.erase("edgec.layout");
  g.outputs.push_back(out);
  m.opsets[n.domain] = n.opsetVersion;
  EDGEC_ASSIGN_OR_RETURN(Tensor t, Tensor::create(DataType::Int8, {256}));
  for (int i = 0; i < 256; ++i) t.data<int8_t>()[i] = int8_t(i - 128);
  Interpreter interp(m);
  EDGEC_ASSIGN_OR_RETURN(std::vector<Tensor> r, interp.run({{x->name, std::move(t)}}));
  if (r.size() != 1 || r[0].dtype() != DataType::Int8 || r[0].numElements() != 256)
    return Error(ErrorCode::Unsupported, "the interpreter gave no 256 int8 values for its table");
  const int8_t *d = r[0].data<int8_t>();
  return std::vector<uint8_t>(reinterpret_cast<const uint8_t *>(d), reinterpret_cast<const uint8_t *>(d) + 256);
}

} // namespace

bool isNpuLutNode(const Node &n) { return isLutActivation(n); }

Status lowerLut(const Node &n, const npu::AcceleratorConfig &c, NpuProgram &p) {
  if (n.inputs.empty() || n.outputs.size() != 1 || !n.inputs[0] || !n.outputs[0])
    return Error(ErrorCode::Unsupported, "not one input and one output");
  const Value *x = n.inputs[0], *y = n.outputs[0];
  if (x->type.dtype != DataType::Int8 || y->type.dtype != DataType::Int8)
    return Error(ErrorCode::Unsupported, "a lookup table needs int8 input and output");
  npu::Operation op;
  op.type = npu::OpType::Pool;
  op.mode = 0; // MAX over a 1x1 window: the value itself
  EDGEC_ASSIGN_OR_RETURN(op.ifm, featureMapOf(p, x));
  EDGEC_ASSIGN_OR_RETURN(op.ofm, featureMapOf(p, y));
  if (op.ifm.height != op.ofm.height || op.ifm.width != op.ofm.width || op.ifm.depth != op.ofm.depth)
    return Error(ErrorCode::Unsupported, "input and output shapes differ");
  EDGEC_ASSIGN_OR_RETURN(std::vector<uint8_t> table, lutOf(n));
  op.ifm.zeroPoint = op.ofm.zeroPoint = 0;
  op.activation = 16; // LUT slot 0
  op.activationMin = -128;
  op.activationMax = 127;
  op.rounding = 0;
  EDGEC_TRY(chooseBlockConfig(op, c));
  npu::Operation dma;
  dma.type = npu::OpType::DmaStart;
  dma.dmaSrcRegion = unsigned(kNpuFlashRegion);
  dma.dmaDstRegion = npu::kDmaInternalBit;
  dma.dmaSrc = uint64_t(appendFlash(p, table));
  dma.dmaDst = uint64_t(c.shramBytes() - npu::kShramLutBytes);
  dma.dmaLength = table.size();
  p.ops.push_back(dma);
  p.ops.push_back(op);
  return Status::ok();
}

} // namespace edgec::ethosu
