#include "shape/Window.h"

#include <algorithm>

namespace edgec {

Expected<AutoPad> parseAutoPad(const std::string &s) {
  if (s == "NOTSET") return AutoPad::NotSet;
  if (s == "SAME_UPPER") return AutoPad::SameUpper;
  if (s == "SAME_LOWER") return AutoPad::SameLower;
  if (s == "VALID") return AutoPad::Valid;
  return Error(ErrorCode::InvalidModel, "invalid auto_pad '" + s + "'");
}

namespace {
bool isSame(AutoPad p) {
  return p == AutoPad::SameUpper || p == AutoPad::SameLower;
}
} // namespace

int64_t windowOutputSize(AutoPad autoPad, bool ceilMode, int64_t in, int64_t k,
                         int64_t s, int64_t d, int64_t &pb, int64_t &pe) {
  if (in < 0)
    return -1;
  const int64_t eff = (k - 1) * d + 1;
  if (isSame(autoPad)) {
    const int64_t out = (in + s - 1) / s;
    const int64_t total = std::max<int64_t>(0, (out - 1) * s + eff - in);
    pb = autoPad == AutoPad::SameUpper ? total / 2 : total - total / 2;
    pe = total - pb;
    return out;
  }
  if (autoPad == AutoPad::Valid)
    pb = pe = 0;
  const int64_t span = in + pb + pe - eff;
  if (span < 0)
    return 0;
  int64_t out = (ceilMode ? (span + s - 1) / s : span / s) + 1;
  // A last window starting inside the end padding is dropped.
  if (ceilMode && (out - 1) * s >= in + pb)
    --out;
  return out;
}

int64_t transposedOutputSize(AutoPad autoPad, int64_t target, int64_t in,
                             int64_t k, int64_t s, int64_t d,
                             int64_t outputPadding, int64_t &pb, int64_t &pe) {
  if (in < 0)
    return -1;
  const int64_t full = s * (in - 1) + outputPadding + (k - 1) * d + 1;
  if (target < 0 && isSame(autoPad))
    target = in * s;
  if (target < 0) {
    if (autoPad == AutoPad::Valid)
      pb = pe = 0;
    return full - pb - pe;
  }
  // Extra output positions beyond the full size only receive the bias.
  const int64_t total = std::max<int64_t>(0, full - target);
  if (autoPad == AutoPad::SameUpper) {
    pb = total / 2;
    pe = total - total / 2;
  } else {
    pb = total - total / 2;
    pe = total / 2;
  }
  return target;
}

namespace {

/// Reads and validates the attributes common to every window op.
Expected<WindowGeometry> readWindowAttrs(const NodeContext &ctx, size_t rank,
                                         const std::vector<int64_t> &kernel,
                                         AutoPad &autoPad, bool readAutoPad) {
  WindowGeometry g;
  g.kernel = ctx.attrInts("kernel_shape", kernel);
  g.stride = ctx.attrInts("strides", std::vector<int64_t>(rank, 1));
  g.dilation = ctx.attrInts("dilations", std::vector<int64_t>(rank, 1));
  std::vector<int64_t> pads =
      ctx.attrInts("pads", std::vector<int64_t>(2 * rank, 0));
  if (g.kernel.size() != rank || g.stride.size() != rank ||
      g.dilation.size() != rank || pads.size() != 2 * rank)
    return ctx.error("kernel_shape/strides/dilations/pads do not match the " +
                     std::to_string(rank) + " spatial dims");
  if (!kernel.empty() && g.kernel != kernel)
    return ctx.error("kernel_shape attribute does not match the weights");
  autoPad = AutoPad::NotSet;
  if (readAutoPad) {
    Expected<AutoPad> p = parseAutoPad(ctx.attrString("auto_pad", "NOTSET"));
    if (!p) return ctx.error(p.error().message());
    autoPad = *p;
  }
  for (size_t i = 0; i < rank; ++i) {
    for (int64_t v : {g.kernel[i], g.stride[i], g.dilation[i]})
      if (v < 1 || v > kMaxWindowParam)
        return ctx.error("kernel_shape, strides and dilations must be in "
                         "[1, 2^20]");
    for (int64_t v : {pads[i], pads[i + rank]})
      if (v < 0 || v > kMaxWindowParam)
        return ctx.error("pads must be in [0, 2^20]");
  }
  g.padBegin.assign(pads.begin(), pads.begin() + (int64_t)rank);
  g.padEnd.assign(pads.begin() + (int64_t)rank, pads.end());
  return g;
}

} // namespace

Expected<WindowGeometry> slidingWindow(const NodeContext &ctx,
                                       const std::vector<int64_t> &in,
                                       const std::vector<int64_t> &kernel,
                                       WindowRules rules) {
  AutoPad autoPad;
  EDGEC_ASSIGN_OR_RETURN(
      WindowGeometry g,
      readWindowAttrs(ctx, in.size(), kernel, autoPad, rules.autoPad));
  const bool ceilMode = rules.ceilMode && ctx.attrInt("ceil_mode", 0) != 0;
  g.in = in;
  g.out.resize(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    g.out[i] = windowOutputSize(autoPad, ceilMode, in[i], g.kernel[i],
                                g.stride[i], g.dilation[i], g.padBegin[i],
                                g.padEnd[i]);
    if (in[i] >= 0 && g.out[i] <= 0)
      return ctx.error("window does not fit the input",
                       ErrorCode::InvalidInput);
  }
  return g;
}

Expected<WindowGeometry> transposedWindow(const NodeContext &ctx,
                                          const std::vector<int64_t> &in,
                                          const std::vector<int64_t> &kernel) {
  const size_t r = in.size();
  AutoPad autoPad;
  EDGEC_ASSIGN_OR_RETURN(WindowGeometry g,
                         readWindowAttrs(ctx, r, kernel, autoPad, true));
  std::vector<int64_t> outPad =
      ctx.attrInts("output_padding", std::vector<int64_t>(r, 0));
  std::vector<int64_t> outShape = ctx.attrInts("output_shape");
  if (outPad.size() != r)
    return ctx.error("output_padding does not match the spatial dims");
  if (outShape.size() == r + 2)
    outShape.erase(outShape.begin(), outShape.begin() + 2);
  if (!outShape.empty() && outShape.size() != r)
    return ctx.error("output_shape does not match the spatial dims");
  g.in = in;
  g.out.resize(r);
  for (size_t i = 0; i < r; ++i) {
    if (outPad[i] < 0 || outPad[i] > kMaxWindowParam)
      return ctx.error("invalid output_padding");
    if (!outShape.empty() && outShape[i] < 0)
      return ctx.error("invalid output_shape");
    g.out[i] = transposedOutputSize(
        autoPad, outShape.empty() ? -1 : outShape[i], in[i], g.kernel[i],
        g.stride[i], g.dilation[i], outPad[i], g.padBegin[i], g.padEnd[i]);
    if (in[i] >= 0 && g.out[i] <= 0)
      return ctx.error("convtranspose output would be empty",
                       ErrorCode::InvalidInput);
  }
  return g;
}

} // namespace edgec
