// Shape and type inference of the Recurrent family (kernels:
// interp/kernels/Recurrent.cpp).
#include "shape/InferUtil.h"

#include <cmath>

namespace edgec {

namespace {

Status inferRecurrent(InferContext &ctx) {
  const TensorType &xt = ctx.inputType(0);
  DataType dt = xt.dtype;
  for (auto &o : ctx.outputs) o = TensorType(dt);
  if (!xt.hasRank || xt.rank() != 3) return Status::ok();
  int64_t layout = ctx.opset() >= 14 ? ctx.attrInt("layout", 0) : 0;
  int64_t numDir =
      ctx.attrString("direction", "forward") == "bidirectional" ? 2 : 1;
  Dim seq = layout ? xt.dims[1] : xt.dims[0];
  Dim batch = layout ? xt.dims[0] : xt.dims[1];
  Dim hid = Dim::unknown();
  if (ctx.hasAttr("hidden_size"))
    hid = Dim::fixed(ctx.attrInt("hidden_size", 0));
  else if (ctx.hasInput(2) && ctx.inputType(2).hasRank &&
           ctx.inputType(2).rank() == 3)
    hid = ctx.inputType(2).dims[2];
  Dim nd = Dim::fixed(numDir);
  if (!ctx.outputs.empty())
    ctx.outputs[0] = TensorType(
        dt, layout ? std::vector<Dim>{batch, seq, nd, hid}
                   : std::vector<Dim>{seq, nd, batch, hid});
  for (size_t i = 1; i < ctx.outputs.size(); ++i)
    ctx.outputs[i] = TensorType(dt, layout ? std::vector<Dim>{batch, nd, hid}
                                           : std::vector<Dim>{nd, batch, hid});
  return Status::ok();
}

} // namespace

void registerRecurrentInference(InferRegistry &r) {
  r.add("RNN", inferRecurrent);
  r.add("GRU", inferRecurrent);
  r.add("LSTM", inferRecurrent);
}

} // namespace edgec
