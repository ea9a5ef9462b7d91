// Shape and type inference of the Attention family (kernels:
// interp/kernels/Attention.cpp).
#include "shape/InferUtil.h"

#include <cmath>
#include <limits>

namespace edgec {

namespace {

Status inferAttention(InferContext &ctx) {
  const TensorType &qt = ctx.inputType(0);
  for (auto &o : ctx.outputs) o = TensorType(qt.dtype);
  if (!qt.hasRank) return Status::ok();
  if (qt.rank() == 3 && !ctx.outputs.empty())
    ctx.outputs[0] = TensorType(
        qt.dtype, std::vector<Dim>{qt.dims[0], qt.dims[1], Dim::unknown()});
  else if (qt.rank() == 4 && !ctx.outputs.empty())
    ctx.outputs[0] = TensorType(qt.dtype, std::vector<Dim>(4, Dim::unknown()));
  for (size_t i = 1; i < ctx.outputs.size(); ++i)
    ctx.outputs[i] = TensorType(qt.dtype, std::vector<Dim>(4, Dim::unknown()));
  return Status::ok();
}

} // namespace

void registerAttentionInference(InferRegistry &r) {
  r.add("Attention", inferAttention);
  r.add("RotaryEmbedding", inferSameAsFirstInput);
  r.add("SwiGLU", inferSameAsFirstInput);
}

} // namespace edgec
