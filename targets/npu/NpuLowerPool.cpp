// MAX_POOL_2D and AVERAGE_POOL_2D on the NPU (see NpuLowering.h). TFLite's
// int8 pools need equal input and output quantization and work on the raw
// values (the average: the sum of the valid positions divided by their
// count, rounded half away from zero), so the operation runs with zero
// points 0 and no scaling: the NPU's AVERAGE without a global scale divides
// by the valid count with that rounding. The fused activation is the clamp.
// An average pool whose output is quantized unlike its input (not a TFLite
// case, but what the interpreter defines) runs with the zero points and the
// global scale when every window lies inside the input.
#include "targets/npu/NpuLowering.h"

#include "ir/Annotations.h"
#include "qmath/KernelParams.h"
#include "shape/NodeContext.h"
#include "shape/Window.h"

#include <algorithm>
#include <bit>
#include <cstdint>

namespace edgec::ethosu {

Status lowerPool(const Node &n, const npu::AcceleratorConfig &c, NpuProgram &p) {
  if (!isChannelsLast(n)) return Error(ErrorCode::Unsupported, "channels-first pool");
  npu::Operation op;
  op.type = npu::OpType::Pool;
  op.mode = n.opType == "MaxPool" ? 0 : 1;
  EDGEC_ASSIGN_OR_RETURN(op.ifm, featureMapOf(p, n.inputs[0]));
  EDGEC_ASSIGN_OR_RETURN(op.ofm, featureMapOf(p, n.outputs[0]));
  if (n.outputs.size() > 1 && n.outputs[1])
    return Error(ErrorCode::Unsupported, "MaxPool indices output");
  if (n.inputs[0]->type.dtype != n.outputs[0]->type.dtype)
    return Error(ErrorCode::Unsupported, "input and output types differ");
  const bool rescale = !(*n.inputs[0]->quant == *n.outputs[0]->quant);
  if (rescale && op.mode != 1)
    return Error(ErrorCode::Unsupported, "input and output quantization differ");
  if (op.mode == 1 && n.attrInt("count_include_pad", 0) != 0)
    return Error(ErrorCode::Unsupported, "AveragePool with count_include_pad");
  WindowRules rules;
  rules.ceilMode = true;
  EDGEC_ASSIGN_OR_RETURN(WindowGeometry win,
                         slidingWindow(NodeContext(n), {op.ifm.height, op.ifm.width}, {}, rules));
  if (win.out[0] != op.ofm.height || win.out[1] != op.ofm.width)
    return Error(ErrorCode::Unsupported, "output size differs from the window's");
  if (win.dilation[0] != 1 || win.dilation[1] != 1)
    return Error(ErrorCode::Unsupported, "dilated pool");
  op.kernelH = int(win.kernel[0]);
  op.kernelW = int(win.kernel[1]);
  // With one output row (column) the stride is never used: 1 (the register
  // holds up to 16; a global pool written as stride = kernel may have more).
  op.strideY = op.ofm.height == 1 ? 1 : int(win.stride[0]);
  op.strideX = op.ofm.width == 1 ? 1 : int(win.stride[1]);
  op.padTop = int(win.padBegin[0]);
  op.padLeft = int(win.padBegin[1]);
  op.padBottom = std::max(0, (op.ofm.height - 1) * op.strideY + op.kernelH - op.ifm.height - op.padTop);
  op.padRight = std::max(0, (op.ofm.width - 1) * op.strideX + op.kernelW - op.ifm.width - op.padLeft);
  if (rescale) {
    // The interpreter (and TFLite) rescale the offset window sum,
    // MultiplyByQuantizedMultiplier(sum(q - zp_in), s_in / (s_out * count)) +
    // zp_out: the NPU's AVERAGE with the global scale, when every window
    // has all kernel positions inside the input (one count).
    if (op.padTop || op.padLeft || op.padBottom || op.padRight)
      return Error(ErrorCode::Unsupported, "a rescaling average pool with padding");
    EDGEC_ASSIGN_OR_RETURN(qmath::TensorQ xq, qmath::perTensorParams(n.inputs[0], n.inputs[0]->type.dtype, "input 0"));
    EDGEC_ASSIGN_OR_RETURN(qmath::TensorQ yq, qmath::perTensorParams(n.outputs[0], n.outputs[0]->type.dtype, "output 0"));
    const double real = double(xq.scale) / (double(yq.scale) * double(op.kernelH * op.kernelW));
    EDGEC_ASSIGN_OR_RETURN(qmath::QuantizedMultiplier m, qmath::requantMultiplier(real, "output scale"));
    const int shift = 31 - m.shift;
    if (m.multiplier < 0 || shift < 0 || shift > 63)
      return Error(ErrorCode::Unsupported, "output scale " + std::to_string(real) + " outside the NPU's range");
    op.globalScale = true;
    op.ofmScale = uint32_t(m.multiplier);
    op.ofmShift = shift;
  } else {
    op.ifm.zeroPoint = op.ofm.zeroPoint = 0;
  }
  EDGEC_TRY(finishOperation(n, c, op));
  p.ops.push_back(op);
  return Status::ok();
}

Status lowerGlobalAveragePool(const Node &n, const npu::AcceleratorConfig &c, NpuProgram &p) {
  if (!isChannelsLast(n)) return Error(ErrorCode::Unsupported, "channels-first pool");
  const Value *x = n.inputs[0], *y = n.outputs[0];
  if (x->type.dtype != y->type.dtype) return Error(ErrorCode::Unsupported, "input and output types differ");
  // The interpreter runs it as TFLite's MEAN: with equal quantization the
  // sum divided by the count truncating (no NPU rounding does that); else
  // MultiplyByQuantizedMultiplier(sum(q - zp_in), M') + zp_out with 1/count
  // folded into the multiplier as qmath::quantizedMean folds it.
  if (*x->quant == *y->quant)
    return Error(ErrorCode::Unsupported, "a mean with equal input and output quantization (truncating)");
  npu::Operation op;
  op.type = npu::OpType::Pool;
  op.mode = 1;
  EDGEC_ASSIGN_OR_RETURN(op.ifm, featureMapOf(p, x));
  EDGEC_ASSIGN_OR_RETURN(op.ofm, featureMapOf(p, y));
  if (op.ofm.height != 1 || op.ofm.width != 1 || op.ofm.depth != op.ifm.depth)
    return Error(ErrorCode::Unsupported, "output is not 1x1 with the input's depth");
  op.kernelH = op.ifm.height;
  op.kernelW = op.ifm.width;
  if (op.kernelH > 256 || op.kernelW > 256) return Error(ErrorCode::Unsupported, "a window over 256");
  EDGEC_ASSIGN_OR_RETURN(qmath::TensorQ xq, qmath::perTensorParams(x, x->type.dtype, "input 0"));
  EDGEC_ASSIGN_OR_RETURN(qmath::TensorQ yq, qmath::perTensorParams(y, y->type.dtype, "output 0"));
  EDGEC_ASSIGN_OR_RETURN(qmath::QuantizedMultiplier m,
                         qmath::requantMultiplier(double(xq.scale) / double(yq.scale), "mean"));
  const int64_t count = int64_t(op.kernelH) * op.kernelW;
  int shift = 63 - std::countl_zero(uint64_t(count));
  shift = std::max(0, std::min({shift, 32, 31 + m.shift}));
  const int64_t folded = (int64_t(m.multiplier) << shift) / count;
  const int npuShift = 31 - (m.shift - shift);
  if (folded < 0 || folded > INT32_MAX || npuShift < 0 || npuShift > 63)
    return Error(ErrorCode::Unsupported, "mean scale outside the NPU's range");
  op.globalScale = true;
  op.ofmScale = uint32_t(folded);
  op.ofmShift = npuShift;
  EDGEC_TRY(finishOperation(n, c, op));
  p.ops.push_back(op);
  return Status::ok();
}

} // namespace edgec::ethosu
