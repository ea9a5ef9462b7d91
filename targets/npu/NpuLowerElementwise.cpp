// ADD and MUL of two int8 feature maps on the NPU, the second broadcast
// along its size-1 dimensions (IFM2 BROADCAST; see
// NpuLowering.h), as TensorFlow Lite computes them. ADD: TFLite's
// arithmetic shifts both operands (minus zero point) left by 20, scales
// each by s_i / (2 max(s_a, s_b)) and the sum by 2 max(s_a, s_b) /
// (2^20 s_out); on the NPU (Vela's "advanced" scaling, IFM scale mode
// OPA/OPB 32-bit) the operand with the smaller scale goes through OPA with
// TFLite's multiplier, the other, whose multiplier is exactly 1/2, is
// shifted left by 19, and OFM_SCALE holds the output multiplier. MUL: the
// product of the operands through OFM_SCALE with s_a s_b / s_out.
// Multiplier M * 2^(e - 31) becomes scale M with shift 31 - e (OPA: minus
// the 20-bit pre-shift the hardware applies).
#include "targets/npu/NpuLowering.h"

#include "qmath/KernelParams.h"

#include <algorithm>

namespace edgec::ethosu {

namespace {

Error unsupported(const std::string &m) { return Error(ErrorCode::Unsupported, m); }

Expected<std::pair<uint32_t, int>> npuScale(double real, int preShift, const std::string &what) {
  EDGEC_ASSIGN_OR_RETURN(qmath::QuantizedMultiplier m, qmath::requantMultiplier(real, what));
  const int shift = 31 - m.shift - preShift;
  if (m.multiplier < 0 || shift < 0 || shift > 63)
    return unsupported(what + " " + std::to_string(real) + " outside the NPU's range");
  return std::pair<uint32_t, int>(uint32_t(m.multiplier), shift);
}

} // namespace

Status lowerElementwise(const Node &n, const npu::AcceleratorConfig &c, NpuProgram &p) {
  if (n.inputs.size() != 2) return unsupported("expects two inputs");
  const Value *a = n.inputs[0], *b = n.inputs[1], *y = n.outputs[0];
  if (a->constant || b->constant) return unsupported("a constant operand (only two feature maps)");
  if (!a->type.isStatic() || !b->type.isStatic() || !y->type.isStatic())
    return unsupported("operands without static shapes");
  // Broadcasting: the second operand (IFM2) may have size 1 where the
  // output has more (ADD and MUL commute: the full-shape one goes first).
  if (a->type.staticShape() != y->type.staticShape()) std::swap(a, b);
  const TensorShape ys = y->type.staticShape(), bs = b->type.staticShape();
  bool fits = a->type.staticShape() == ys && bs.size() == ys.size();
  for (size_t i = 0; fits && i < ys.size(); ++i) fits = bs[i] == ys[i] || bs[i] == 1;
  if (!fits) return unsupported("broadcasting other than one operand's size-1 dimensions");
  npu::Operation op;
  op.type = npu::OpType::Elementwise;
  op.mode = n.opType == "Add" ? 1 : 0;
  EDGEC_ASSIGN_OR_RETURN(op.ifm, featureMapOf(p, a));
  EDGEC_ASSIGN_OR_RETURN(op.ifm2, featureMapOf(p, b));
  EDGEC_ASSIGN_OR_RETURN(op.ofm, featureMapOf(p, y));
  op.hasIfm2 = true;
  op.broadcastH = op.ifm2.height != op.ofm.height;
  op.broadcastW = op.ifm2.width != op.ofm.width;
  op.broadcastC = op.ifm2.depth != op.ofm.depth;
  EDGEC_ASSIGN_OR_RETURN(qmath::TensorQ qa, qmath::perTensorParams(a, a->type.dtype, "input 0"));
  EDGEC_ASSIGN_OR_RETURN(qmath::TensorQ qb, qmath::perTensorParams(b, b->type.dtype, "input 1"));
  EDGEC_ASSIGN_OR_RETURN(qmath::TensorQ qy, qmath::perTensorParams(y, y->type.dtype, "output 0"));
  if (a->type.dtype != DataType::Int8 || b->type.dtype != DataType::Int8 || y->type.dtype != DataType::Int8)
    return unsupported("only int8 operands");
  if (op.mode == 1) {
    const double twiceMax = 2.0 * std::max(double(qa.scale), double(qb.scale));
    const bool scaleA = qa.scale <= qb.scale; // the other's multiplier is exactly 1/2
    const double real = (scaleA ? double(qa.scale) : double(qb.scale)) / twiceMax;
    EDGEC_ASSIGN_OR_RETURN(auto opa, npuScale(real, 20, "input scale"));
    op.ifmScaleMode = scaleA ? 1 : 2;
    op.opaScale = opa.first;
    op.opaShift = opa.second;
    EDGEC_ASSIGN_OR_RETURN(auto out, npuScale(twiceMax / (double(1 << 20) * double(qy.scale)), 0, "output scale"));
    op.ofmScale = out.first;
    op.ofmShift = out.second;
  } else {
    EDGEC_ASSIGN_OR_RETURN(auto out, npuScale(double(qa.scale) * double(qb.scale) / double(qy.scale), 0,
                                              "output scale"));
    op.ofmScale = out.first;
    op.ofmShift = out.second;
  }
  op.globalScale = true;
  EDGEC_TRY(finishOperation(n, c, op));
  p.ops.push_back(op);
  return Status::ok();
}

} // namespace edgec::ethosu
