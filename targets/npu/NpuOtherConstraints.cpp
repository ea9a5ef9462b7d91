// The constraints of the other operators: SOFTMAX, CONCATENATION, PAD, RESHAPE, STRIDED_SLICE,
// MEAN, ARG_MAX, RESIZE_*, TRANSPOSE (see NpuConstraintRules.h).
#include "targets/npu/NpuConstraintRules.h"

#include <algorithm>

namespace edgec::ethosu::rules {

namespace {

std::string shapesMatch(const OpView &v) {
  if (!v.ifm() || !v.ofm()) return "";
  return v.ifm()->type.dims == v.ofm()->type.dims ? "" : "IFM " + dims(v.ifm()) + ", OFM " + dims(v.ofm());
}

std::string concatAxis(const OpView &v) {
  const Value *y = v.ofm();
  if (!y || !y->type.hasRank) return "";
  int64_t r = int64_t(y->type.rank()), a = v.node->attrInt("axis", 0);
  if (a < 0) a += r;
  return a >= 0 && a < r ? "" : "axis " + std::to_string(v.node->attrInt("axis", 0)) + " of rank " + std::to_string(r);
}

std::string concatDims(const OpView &v) {
  const Value *y = v.ofm();
  std::vector<int64_t> ys = shapeOf(y);
  if (ys.empty()) return "";
  int64_t a = v.node->attrInt("axis", 0);
  if (a < 0) a += int64_t(ys.size());
  for (const Value *x : v.ifms) {
    std::vector<int64_t> s = shapeOf(x);
    if (s.size() != ys.size()) return named(x) + " against the OFM " + dims(y);
    for (size_t i = 0; i < s.size(); ++i)
      if (int64_t(i) != a && s[i] != ys[i]) return named(x) + " against the OFM " + dims(y);
  }
  return "";
}

const Value *padsOf(const OpView &v) { return v.node->opType == "Pad" ? v.node->input(1) : nullptr; }

std::string padConstant(const OpView &v) {
  const Value *p = padsOf(v);
  return !p || p->constant ? "" : "paddings " + named(p) + " are not constant";
}

std::string padRank(const OpView &v) {
  std::vector<int64_t> x = shapeOf(v.ifm());
  return x.size() == 3 || x.size() == 4 ? "" : "IFM " + named(v.ifm()) + " (paddings [" + std::to_string(x.size()) + ",2])";
}

std::string padHW(const OpView &v) {
  const Value *p = padsOf(v);
  std::vector<int64_t> x = shapeOf(v.ifm());
  if (!p || !p->constant || x.size() < 3) return "";
  std::vector<int64_t> pads = p->constant->toInt64Vector();
  size_t r = x.size();
  if (pads.size() != 2 * r) return "";
  std::string bad;
  for (size_t i = 0; i < r; ++i) {
    bool spatial = i >= r - 3 && i + 1 < r; // H, W of NHWC (or rank 3: H? W)
    if (!spatial && (pads[i] || pads[r + i])) bad += (bad.empty() ? "" : ", ") + std::string("axis ") + std::to_string(i);
  }
  return bad.empty() ? "" : "pads " + bad;
}

std::string quantInOut(const OpView &v) {
  const Value *x = v.ifm(), *y = v.ofm();
  if (!x || !y) return "";
  bool same = x->quant.has_value() == y->quant.has_value() && (!x->quant || *x->quant == *y->quant);
  return same ? "" : "'" + x->name + "' and '" + y->name + "' are quantized differently";
}

std::string shapeConstant(const OpView &v) {
  const Value *s = v.node->opType == "Reshape" ? v.node->input(1) : nullptr;
  return !s || s->constant ? "" : "shape " + named(s) + " is not constant";
}

std::string slicePositive(const OpView &v) {
  if (v.node->opType != "Slice") return "";
  const Value *b = v.node->input(1), *e = v.node->input(2);
  std::vector<int64_t> x = shapeOf(v.ifm());
  if (!b || !e || !b->constant || !e->constant || x.empty()) return "";
  std::vector<int64_t> bs = b->constant->toInt64Vector(), es = e->constant->toInt64Vector();
  const Value *ax = v.node->input(3);
  std::vector<int64_t> axes = ax && ax->constant ? ax->constant->toInt64Vector() : std::vector<int64_t>{};
  for (size_t i = 0; i < bs.size() && i < es.size(); ++i) {
    int64_t a = i < axes.size() ? axes[i] : int64_t(i);
    if (a < 0) a += int64_t(x.size());
    if (a < 0 || a >= int64_t(x.size())) continue;
    int64_t d = x[size_t(a)];
    auto clampIdx = [d](int64_t t) { return std::clamp(t < 0 ? t + d : t, int64_t(0), d); };
    if (clampIdx(es[i]) <= clampIdx(bs[i]))
      return "axis " + std::to_string(a) + ": begin " + std::to_string(bs[i]) + ", end " + std::to_string(es[i]);
  }
  return "";
}

std::string sliceConstant(const OpView &v) {
  if (v.node->opType != "Slice") return "";
  std::string bad;
  for (size_t i = 1; i < v.node->inputs.size(); ++i)
    if (const Value *t = v.node->inputs[i]; t && !t->constant)
      bad += (bad.empty() ? "" : ", ") + named(t);
  return bad.empty() ? "" : bad + " not constant";
}

std::string sliceStrides(const OpView &v) {
  const Value *st = v.node->opType == "Slice" ? v.node->input(4) : nullptr;
  if (!st) return "";
  if (!st->constant) return "steps " + named(st) + " are not constant";
  for (int64_t s : st->constant->toInt64Vector())
    if (s != 1) return "stride " + std::to_string(s);
  return "";
}

std::vector<int64_t> meanAxes(const OpView &v, size_t rank) {
  std::vector<int64_t> axes = v.node->attrInts("axes", {});
  if (axes.empty())
    if (const Value *a = v.node->input(1); a && a->constant) axes = a->constant->toInt64Vector();
  if (v.node->opType.rfind("Global", 0) == 0)
    for (size_t i = 1; i + 1 < rank; ++i) axes.push_back(int64_t(i));
  if (axes.empty() && v.node->opType.rfind("Global", 0) != 0 &&
      !v.node->attrInt("noop_with_empty_axes", 0))
    for (size_t i = 0; i < rank; ++i) axes.push_back(int64_t(i)); // all axes
  for (int64_t &a : axes)
    if (a < 0) a += int64_t(rank);
  return axes;
}

std::string mean2d(const OpView &v) {
  const Value *x = v.ifm();
  return !x || !x->type.hasRank || x->type.rank() >= 2 ? "" : "IFM " + named(x);
}

std::string meanAxesHW(const OpView &v) {
  std::vector<int64_t> x = shapeOf(v.ifm());
  if (x.size() < 2) return "";
  std::vector<int64_t> axes = meanAxes(v, x.size());
  // NHWC rank 4: H = 1, W = 2; rank 3: H = 0... Vela reads [H, W] as the
  // two axes before the depth; the depth only when H, W or C is 1 (3.10).
  size_t r = x.size();
  std::string bad;
  for (int64_t a : axes) {
    if (a < 0 || a >= int64_t(r) || x[size_t(a)] == 1) continue; // a size-1 axis: no reduction
    bool hw = a == int64_t(r) - 3 || a == int64_t(r) - 2;
    bool depthOk = a == int64_t(r) - 1 && (x[r - 1] == 1 || x[r - 2] == 1 || (r >= 3 && x[r - 3] == 1));
    if (!hw && !depthOk) bad += (bad.empty() ? "" : ", ") + std::to_string(a);
  }
  return bad.empty() ? "" : "reduces axes " + bad + " of " + dims(v.ifm());
}

std::string meanProduct(const OpView &v) {
  std::vector<int64_t> x = shapeOf(v.ifm());
  if (x.size() < 2) return "";
  int64_t product = 1;
  for (int64_t a : meanAxes(v, x.size()))
    if (a >= 0 && a < int64_t(x.size())) product = std::min<int64_t>(product * x[size_t(a)], int64_t(1) << 40);
  DataType t = v.ifm()->type.dtype;
  int64_t limit = t == DataType::Int16 ? 65536 : t == DataType::UInt8 ? 8388608 : 16777216;
  return product <= limit ? "" : "the reduced axes hold " + std::to_string(product) + " " +
                                     typeName(t) + " elements (at most " + std::to_string(limit) + ")";
}

std::string meanWidthDepth(const OpView &v) {
  std::vector<int64_t> x = shapeOf(v.ifm());
  if (x.size() < 2) return "";
  size_t r = x.size();
  for (int64_t a : meanAxes(v, r))
    if ((a == int64_t(r) - 2 || a == int64_t(r) - 1) && x[size_t(a)] > 4096)
      return std::string(a == int64_t(r) - 1 ? "depth " : "width ") + std::to_string(x[size_t(a)]);
  return "";
}

std::string argMaxAxis(const OpView &v) {
  std::vector<int64_t> x = shapeOf(v.ifm());
  if (x.empty()) return "";
  int64_t a = v.node->attrInt("axis", 0);
  if (a < 0) a += int64_t(x.size());
  return a == int64_t(x.size()) - 1 ? "" : "axis " + std::to_string(v.node->attrInt("axis", 0));
}

std::string argMaxDepth(const OpView &v) {
  std::vector<int64_t> x = shapeOf(v.ifm());
  return x.empty() || x.back() <= 127 ? "" : "depth " + std::to_string(x.back());
}

std::string resizeScale(const OpView &v) {
  std::vector<int64_t> x = shapeOf(v.ifm()), y = shapeOf(v.ofm());
  if (x.size() != 4 || y.size() != 4) return "";
  int64_t ih = x[1], iw = x[2], oh = y[1], ow = y[2];
  if ((ih == 1 && iw == 1) || (ih == oh && iw == ow)) return "";
  bool corners = v.node->attrString("coordinate_transformation_mode", "half_pixel") == "align_corners";
  for (int64_t f : {2, 4, 8}) {
    if (corners && oh - 1 == f * (ih - 1) && ow - 1 == f * (iw - 1)) return "";
    if (!corners && oh == f * ih && ow == f * iw) return "";
  }
  return "IFM " + dims(v.ifm()) + ", OFM " + dims(v.ofm());
}

std::string halfPixel2x(const OpView &v) {
  if (v.node->attrString("coordinate_transformation_mode", "half_pixel") != "half_pixel") return "";
  std::vector<int64_t> x = shapeOf(v.ifm()), y = shapeOf(v.ofm());
  if (x.size() != 4 || y.size() != 4) return "";
  if ((x[1] == 1 && x[2] == 1) || (x[1] == y[1] && x[2] == y[2])) return "";
  return y[1] == 2 * x[1] && y[2] == 2 * x[2] ? "" : "half_pixel from " + dims(v.ifm()) + " to " + dims(v.ofm());
}

std::string transposeHW(const OpView &v) {
  std::vector<int64_t> perm = v.node->attrInts("perm", {});
  if (perm.empty()) return "";
  // Only swaps that keep the batch (and, at rank 4, move no more than the
  // H, W, C order around a single swap): the U55/U65 rule of 3.10 (A.6).
  size_t moved = 0;
  for (size_t i = 0; i < perm.size(); ++i) moved += perm[i] != int64_t(i);
  bool batchKept = perm.size() < 4 || perm[0] == 0;
  return batchKept && moved <= 2 ? "" : "perm " + [&] {
    std::string s = "[";
    for (size_t i = 0; i < perm.size(); ++i) s += (i ? "," : "") + std::to_string(perm[i]);
    return s + "]";
  }();
}

} // namespace

std::vector<Constraint> otherConstraints() {
  return {
    {"softmax.shapes", "IFM and OFM shapes must match", EDGEC_NPU_SOURCE("SOFTMAX"), false, {"SOFTMAX"},
     shapesMatch},
    {"concat.axis", "Axis attribute must be in the range [0, <ofm_dimensions>)",
     EDGEC_NPU_SOURCE("CONCATENATION"), false, {"CONCATENATION"}, concatAxis},
    {"concat.dims",
     "All Input dimensions must match OFM dimension in all axes except the one defined by the axis "
     "attribute",
     EDGEC_NPU_SOURCE("CONCATENATION"), false, {"CONCATENATION"}, concatDims},
    {"pad.constant", "The padding tensor must be constant", EDGEC_NPU_SOURCE("PAD"), false, {"PAD"},
     padConstant},
    {"pad.shape", "The padding tensor must have the shape [3,2] or [4,2]", EDGEC_NPU_SOURCE("PAD"), false,
     {"PAD"}, padRank},
    {"pad.hw", "The pad tensor can only pad width and height", EDGEC_NPU_SOURCE("PAD"), false, {"PAD"},
     padHW},
    {"reshape.quantization", "Input and output quantisation must match.",
     EDGEC_NPU_SOURCE("RESHAPE / SQUEEZE / EXPAND_DIMS"), false, {"RESHAPE", "SQUEEZE", "EXPAND_DIMS"},
     quantInOut},
    {"reshape.constant", "Shape must be constant", EDGEC_NPU_SOURCE("RESHAPE"), false, {"RESHAPE"},
     shapeConstant},
    {"slice.end", "Slice 'end' values must be greater than 'begin' values",
     EDGEC_NPU_SOURCE("STRIDED_SLICE"), false, {"STRIDED_SLICE"}, slicePositive},
    {"slice.strides", "All Strides values must be 1", EDGEC_NPU_SOURCE("STRIDED_SLICE"), false,
     {"STRIDED_SLICE"}, sliceStrides},
    {"slice.constant", "Begin, End and Stride Input tensors must be constant",
     EDGEC_NPU_SOURCE("STRIDED_SLICE"), false, {"STRIDED_SLICE"}, sliceConstant},
    {"mean.rank", "Input tensor must be at least 2D", EDGEC_NPU_SOURCE("MEAN"), false, {"MEAN"}, mean2d},
    {"mean.axes",
     "Axis indices must correspond to height and width axes (depth only when one of H, W, C is 1)",
     EDGEC_NPU_SOURCE("MEAN"), false, {"MEAN"}, meanAxesHW},
    {"mean.product",
     "Product of the reduced axes must be no greater than 16777216 (int8), 8388608 (uint8) or "
     "65536 (int16)",
     EDGEC_NPU_SOURCE("MEAN"), false, {"MEAN"}, meanProduct},
    {"mean.width-depth", "A reduced width or depth must be no greater than 4096", EDGEC_NPU_SOURCE("MEAN"),
     false, {"MEAN"}, meanWidthDepth},
    {"argmax.type", "IFM must be int8 or uint8", EDGEC_NPU_SOURCE("ARG_MAX"), false, {"ARG_MAX"},
     int8OrUint8},
    {"argmax.axis", "Operation must be performed along the depth axis", EDGEC_NPU_SOURCE("ARG_MAX"), false,
     {"ARG_MAX"}, argMaxAxis},
    {"argmax.depth", "IFM depth must be no greater than 127", EDGEC_NPU_SOURCE("ARG_MAX"), false,
     {"ARG_MAX"}, argMaxDepth},
    {"resize.scale",
     "The width and height of the IFM and OFM must match one of the following criteria: IFM W and "
     "H must both be 1; IFM must match OFM; W and H scaling must be equal and OFM W-1 and H-1 must "
     "be 2x/4x/8x IFM W-1 and H-1, if align_corners is True; W and H scaling must be equal and OFM "
     "W and H must be 2x/4x/8x IFM W and H, if align_corners is False",
     EDGEC_NPU_SOURCE("RESIZE_BILINEAR / RESIZE_NEAREST_NEIGHBOR"), false,
     {"RESIZE_BILINEAR", "RESIZE_NEAREST_NEIGHBOR"}, resizeScale},
    {"resize.half-pixel",
     "Half_pixel_centers for resize bilinear requires that OFM W and H is 2x IFM W and H",
     EDGEC_NPU_SOURCE("RESIZE_BILINEAR"), false, {"RESIZE_BILINEAR"}, halfPixel2x},
    {"transpose.hw",
     "Only permutations that keep the batch and swap two axes (WxC to CxW, HxWxC to WxHxC, ...)",
     EDGEC_NPU_SOURCE("TRANSPOSE"), false, {"TRANSPOSE"}, transposeHW},
  };
}

} // namespace edgec::ethosu::rules
