// Shapes and data movement: RESHAPE, SQUEEZE, TRANSPOSE, CONCATENATION,
// PAD / PADV2 / MIRROR_PAD, STRIDED_SLICE, GATHER / GATHER_ND, SPLIT /
// SPLIT_V, TILE, BROADCAST_TO, CAST, RESIZE_*, DEPTH_TO_SPACE /
// SPACE_TO_DEPTH, and Identity / Dropout (read through, or RESHAPE /
// QUANTIZE where an operator is needed). Quantized outputs keep the
// input's parameters (sameParamsOut).
#include "tflite/write/SubgraphWriter.h"

#include "ir/Annotations.h"

#include <algorithm>

namespace edgec::tflite {

Status SubgraphWriter::reshape(const Node &n) {
  EDGEC_ASSIGN_OR_RETURN(TensorShape ys, shapeOf(n.outputs[0]));
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  std::vector<int32_t> ns;
  for (int64_t d : ys) ns.push_back((int32_t)d);
  int32_t st = int32Const(n.name + "/shape", ys);
  OutPlan o = sameParamsOut(yt, def(xt).quant);
  EDGEC_TRY(op(BO::RESHAPE, {xt, st}, {o.write}, inType(n), BOpt::ReshapeOptions,
               fb::CreateReshapeOptionsDirect(w.fbb, &ns).Union()));
  finishOut(o);
  return Status::ok();
}

Status SubgraphWriter::squeeze(const Node &n) {
  std::vector<int64_t> axes;
  if (n.input(1)) {
    EDGEC_ASSIGN_OR_RETURN(axes, constIntsInput(n, 1, "axes"));
  } else {
    axes = n.attrInts("axes", {});
  }
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  std::vector<int32_t> a;
  for (int64_t x : axes) a.push_back((int32_t)x);
  OutPlan o = sameParamsOut(yt, def(xt).quant);
  EDGEC_TRY(op(BO::SQUEEZE, {xt}, {o.write}, inType(n), BOpt::SqueezeOptions,
               fb::CreateSqueezeOptionsDirect(w.fbb, &a).Union()));
  finishOut(o);
  return Status::ok();
}

Status SubgraphWriter::transpose(const Node &n) {
  EDGEC_ASSIGN_OR_RETURN(TensorShape xs, shapeOf(n.input(0)));
  std::vector<int64_t> perm = n.attrInts("perm", {});
  if (perm.empty())
    for (size_t i = 0; i < xs.size(); ++i) perm.push_back((int64_t)(xs.size() - 1 - i));
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  int32_t pt = int32Const(n.name + "/perm", perm);
  OutPlan o = sameParamsOut(yt, def(xt).quant);
  EDGEC_TRY(op(BO::TRANSPOSE, {xt, pt}, {o.write}, inType(n), BOpt::TransposeOptions,
               fb::CreateTransposeOptions(w.fbb).Union()));
  finishOut(o);
  return Status::ok();
}

Status SubgraphWriter::concat(const Node &n) {
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  std::vector<int32_t> ins;
  const bool q8 = def(yt).quant && (outType(n) == DataType::Int8 || outType(n) == DataType::Int16);
  for (size_t i = 0; i < n.inputs.size(); ++i) {
    EDGEC_ASSIGN_OR_RETURN(int32_t t, in(n, i));
    // TFLite's int8/int16 CONCATENATION wants one set of parameters.
    ins.push_back(q8 ? requantized(t, def(yt).quant) : t);
  }
  EDGEC_ASSIGN_OR_RETURN(ActPlan ap, planAct(n, yt));
  EDGEC_TRY(op(BO::CONCATENATION, ins, {ap.write}, outType(n), BOpt::ConcatenationOptions,
               fb::CreateConcatenationOptions(w.fbb, (int32_t)n.attrInt("axis", 0), ap.fused)
                   .Union()));
  return finishAct(ap);
}

Status SubgraphWriter::pad(const Node &n) {
  const std::string mode = n.attrString("mode", "constant");
  std::vector<int64_t> pads;
  if (n.input(1)) {
    EDGEC_ASSIGN_OR_RETURN(pads, constIntsInput(n, 1, "pads"));
  } else {
    pads = n.attrInts("pads", {});
  }
  EDGEC_ASSIGN_OR_RETURN(TensorShape xs, shapeOf(n.input(0)));
  const size_t r = xs.size();
  std::vector<int64_t> full(2 * r, 0);
  if (n.input(3)) {
    EDGEC_ASSIGN_OR_RETURN(std::vector<int64_t> axes, constIntsInput(n, 3, "axes"));
    if (pads.size() != 2 * axes.size()) return unsupported("pads do not match axes");
    for (size_t i = 0; i < axes.size(); ++i) {
      int64_t a = axes[i] < 0 ? axes[i] + (int64_t)r : axes[i];
      full[(size_t)a] = pads[i];
      full[(size_t)a + r] = pads[i + axes.size()];
    }
  } else {
    if (pads.size() != 2 * r) return unsupported("pads must have 2 * rank entries");
    full = pads;
  }
  std::vector<int64_t> tp;
  for (size_t i = 0; i < r; ++i) {
    if (full[i] < 0 || full[i + r] < 0) return unsupported("negative pads (cropping)");
    tp.push_back(full[i]);
    tp.push_back(full[i + r]);
  }
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  auto paddings = [&] {
    int32_t pt = int32Const(n.name + "/paddings", tp);
    tensors[(size_t)pt].shape = {(int32_t)r, 2};
    return pt;
  };
  OutPlan o = sameParamsOut(yt, def(xt).quant);
  if (mode == "reflect")
    EDGEC_TRY(op(BO::MIRROR_PAD, {xt, paddings()}, {o.write}, inType(n), BOpt::MirrorPadOptions,
                 fb::CreateMirrorPadOptions(w.fbb, fb::MirrorPadMode::REFLECT).Union()));
  else if (mode != "constant")
    return unsupported("Pad mode '" + mode + "'");
  else if (const Value *cv = n.input(2) ? resolve(n.input(2)) : nullptr) {
    if (!cv->constant) return unsupported("pad value must be a constant");
    const double v = cv->constant->numElements() ? cv->constant->getDouble(0) : 0.0;
    bool isZero = v == 0.0;
    if (cv->quant && !cv->quant->zeroPoint.empty())
      isZero = cv->constant->getInt64(0) == cv->quant->zeroPoint[0];
    if (isZero) {
      EDGEC_TRY(zeroPad(xt, tp, o.write, n.name));
    } else {
      EDGEC_ASSIGN_OR_RETURN(int32_t ct, constTensor(cv->name, cv->constant->reshaped({}), def(xt).quant));
      EDGEC_TRY(op(BO::PADV2, {xt, paddings(), ct}, {o.write}, inType(n), BOpt::PadV2Options,
                   fb::CreatePadV2Options(w.fbb).Union()));
    }
  } else {
    EDGEC_TRY(zeroPad(xt, tp, o.write, n.name));
  }
  finishOut(o);
  return Status::ok();
}

Status SubgraphWriter::slice(const Node &n) {
  EDGEC_ASSIGN_OR_RETURN(TensorShape xs, shapeOf(n.input(0)));
  std::vector<int64_t> starts, ends, axes, steps;
  if (n.input(1)) {
    EDGEC_ASSIGN_OR_RETURN(starts, constIntsInput(n, 1, "starts"));
    EDGEC_ASSIGN_OR_RETURN(ends, constIntsInput(n, 2, "ends"));
    if (n.input(3)) {
      EDGEC_ASSIGN_OR_RETURN(axes, constIntsInput(n, 3, "axes"));
    }
    if (n.input(4)) {
      EDGEC_ASSIGN_OR_RETURN(steps, constIntsInput(n, 4, "steps"));
    }
  } else {
    starts = n.attrInts("starts", {});
    ends = n.attrInts("ends", {});
    axes = n.attrInts("axes", {});
  }
  const size_t r = xs.size();
  if (axes.empty())
    for (size_t i = 0; i < starts.size(); ++i) axes.push_back((int64_t)i);
  if (steps.empty()) steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size())
    return unsupported("starts, ends, axes and steps differ in length");
  std::vector<int64_t> b(r, 0), e(r, 0), st(r, 1);
  int32_t beginMask = 0, endMask = 0;
  for (size_t i = 0; i < r; ++i) {
    beginMask |= 1 << i;
    endMask |= 1 << i;
  }
  for (size_t i = 0; i < starts.size(); ++i) {
    int64_t a = axes[i] < 0 ? axes[i] + (int64_t)r : axes[i];
    if (a < 0 || a >= (int64_t)r) return unsupported("axis out of range");
    const int64_t dim = xs[(size_t)a], step = steps[i];
    if (step == 0) return unsupported("step 0");
    // ONNX clamping, then TFLite's positive indices.
    auto norm = [&](int64_t v, bool isEnd) {
      if (v < 0) v += dim;
      if (step > 0) return std::clamp<int64_t>(v, 0, dim);
      return std::clamp<int64_t>(v, isEnd ? -1 : 0, dim - 1);
    };
    const int64_t s0 = norm(starts[i], false), e0 = norm(ends[i], true);
    b[(size_t)a] = s0;
    e[(size_t)a] = e0;
    st[(size_t)a] = step;
    beginMask &= ~(1 << a);
    endMask &= ~(1 << a);
    if (step < 0 && e0 == -1) endMask |= 1 << a;
  }
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  int32_t bt = int32Const(n.name + "/begin", b);
  int32_t et = int32Const(n.name + "/end", e);
  int32_t stt = int32Const(n.name + "/strides", st);
  OutPlan o = sameParamsOut(yt, def(xt).quant);
  EDGEC_TRY(op(BO::STRIDED_SLICE, {xt, bt, et, stt}, {o.write}, inType(n),
               BOpt::StridedSliceOptions,
               fb::CreateStridedSliceOptions(w.fbb, beginMask, endMask).Union()));
  finishOut(o);
  return Status::ok();
}

Status SubgraphWriter::gather(const Node &n) {
  EDGEC_ASSIGN_OR_RETURN(TensorShape xs, shapeOf(n.input(0)));
  int64_t axis = n.attrInt("axis", 0);
  if (axis < 0) axis += (int64_t)xs.size();
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  int32_t it;
  const Value *iv = resolve(n.input(1));
  if (iv->constant) {
    // Negative indices are ONNX-only: normalize them.
    std::vector<int64_t> idx = iv->constant->toInt64Vector();
    Tensor t(DataType::Int32, iv->constant->shape());
    for (size_t i = 0; i < idx.size(); ++i)
      t.data<int32_t>()[i] = (int32_t)(idx[i] < 0 ? idx[i] + xs[(size_t)axis] : idx[i]);
    EDGEC_ASSIGN_OR_RETURN(it, constTensor(iv->name, t, std::nullopt));
  } else {
    EDGEC_ASSIGN_OR_RETURN(it, in(n, 1));
  }
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  OutPlan o = sameParamsOut(yt, def(xt).quant);
  EDGEC_TRY(op(n.opType == "GatherND" ? BO::GATHER_ND : BO::GATHER, {xt, it}, {o.write},
               inType(n), n.opType == "GatherND" ? BOpt::NONE : BOpt::GatherOptions,
               n.opType == "GatherND" ? Offset<void>()
                                      : fb::CreateGatherOptions(w.fbb, (int32_t)axis).Union()));
  finishOut(o);
  return Status::ok();
}

Status SubgraphWriter::split(const Node &n) {
  EDGEC_ASSIGN_OR_RETURN(TensorShape xs, shapeOf(n.input(0)));
  int64_t axis = n.attrInt("axis", 0);
  if (axis < 0) axis += (int64_t)xs.size();
  std::vector<int64_t> sizes;
  for (const Value *o : n.outputs) {
    if (!o) return unsupported("omitted output");
    EDGEC_ASSIGN_OR_RETURN(TensorShape os, shapeOf(o));
    sizes.push_back(os[(size_t)axis]);
  }
  bool equal = true;
  for (int64_t s : sizes) equal = equal && s == sizes[0];
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  std::vector<int32_t> outs;
  for (size_t i = 0; i < n.outputs.size(); ++i) {
    EDGEC_ASSIGN_OR_RETURN(int32_t t, out(n, i));
    if (def(t).quant && def(xt).quant && !(*def(t).quant == *def(xt).quant))
      return unsupported("quantized Split with differing parameters");
    outs.push_back(t);
  }
  int32_t at = int32Const(n.name + "/axis", {axis}, true);
  if (equal)
    return op(BO::SPLIT, {at, xt}, outs, inType(n), BOpt::SplitOptions,
              fb::CreateSplitOptions(w.fbb, (int32_t)outs.size()).Union());
  int32_t st = int32Const(n.name + "/size_splits", sizes);
  return op(BO::SPLIT_V, {xt, st, at}, outs, inType(n), BOpt::SplitVOptions,
            fb::CreateSplitVOptions(w.fbb, (int32_t)outs.size()).Union());
}

Status SubgraphWriter::identity(const Node &n) {
  const Value *x = n.input(0);
  const Value *y = n.outputs.empty() ? nullptr : n.outputs[0];
  if (!x || !y) return unsupported("missing input or output");
  if (aliasedInput(n)) return Status::ok(); // its readers read x (resolve)
  const bool requant = y->quant && x->quant && !(*y->quant == *x->quant);
  // A graph output (or a requantization) needs an operator.
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  if (requant)
    return op(BO::QUANTIZE, {xt}, {yt}, y->type.dtype, BOpt::QuantizeOptions,
              fb::CreateQuantizeOptions(w.fbb).Union());
  std::vector<int32_t> ns(def(yt).shape);
  std::vector<int64_t> s(ns.begin(), ns.end());
  int32_t st = int32Const(n.name + "/shape", s);
  return op(BO::RESHAPE, {xt, st}, {yt}, y->type.dtype, BOpt::ReshapeOptions,
            fb::CreateReshapeOptionsDirect(w.fbb, &ns).Union());
}

Status SubgraphWriter::cast(const Node &n) {
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  return op(BO::CAST, {xt}, {yt}, inType(n), BOpt::CastOptions,
            fb::CreateCastOptions(w.fbb, def(xt).type, def(yt).type).Union());
}

Status SubgraphWriter::broadcastLike(const Node &n, BO code) {
  EDGEC_ASSIGN_OR_RETURN(std::vector<int64_t> v, constIntsInput(n, 1, code == BO::TILE ? "repeats" : "shape"));
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  if (code == BO::BROADCAST_TO) {
    v.clear();
    for (int32_t d : def(yt).shape) v.push_back(d);
  }
  int32_t st = int32Const(n.name + (code == BO::TILE ? "/multiples" : "/shape"), v);
  return op(code, {xt, st}, {yt}, inType(n));
}

Status SubgraphWriter::resize(const Node &n) {
  EDGEC_ASSIGN_OR_RETURN(TensorShape xs, shapeOf(n.input(0)));
  EDGEC_ASSIGN_OR_RETURN(TensorShape ys, shapeOf(n.outputs[0]));
  if (xs.size() != 4 || xs[0] != ys[0] || xs[3] != ys[3])
    return unsupported("only resizing H and W of an NHWC tensor is written");
  const std::string mode = n.attrString("mode", "nearest");
  const std::string ct = n.attrString("coordinate_transformation_mode", "half_pixel");
  const std::string nm = n.attrString("nearest_mode", "round_prefer_floor");
  bool align = false, half = false;
  if (mode == "linear") {
    if (ct == "align_corners") align = true;
    else if (ct == "half_pixel" || ct == "pytorch_half_pixel") half = true;
    else if (ct != "asymmetric") return unsupported("coordinate_transformation_mode " + ct);
  } else if (mode == "nearest") {
    if (ct == "asymmetric" && nm == "floor") {
    } else if (ct == "tf_half_pixel_for_nn" && nm == "round_prefer_ceil") {
      half = true;
    } else if (ct == "align_corners" && nm == "round_prefer_ceil") {
      align = true;
    } else {
      return unsupported("nearest resize with " + ct + " / " + nm);
    }
  } else {
    return unsupported("resize mode " + mode);
  }
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  int32_t st = int32Const(n.name + "/size", {ys[1], ys[2]});
  if (mode == "linear")
    return op(BO::RESIZE_BILINEAR, {xt, st}, {yt}, inType(n), BOpt::ResizeBilinearOptions,
              fb::CreateResizeBilinearOptions(w.fbb, align, half).Union());
  OutPlan o = sameParamsOut(yt, def(xt).quant);
  EDGEC_TRY(op(BO::RESIZE_NEAREST_NEIGHBOR, {xt, st}, {o.write}, inType(n),
               BOpt::ResizeNearestNeighborOptions,
               fb::CreateResizeNearestNeighborOptions(w.fbb, align, half).Union()));
  finishOut(o);
  return Status::ok();
}

Status SubgraphWriter::spaceDepth(const Node &n, bool toSpace) {
  if (!isChannelsLast(n)) return unsupported("channels-first " + n.opType + " (convert to NHWC first)");
  if (toSpace && n.attrString("mode", "DCR") != "DCR") return unsupported("DepthToSpace mode CRD");
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  const int32_t bs = (int32_t)n.attrInt("blocksize", 1);
  if (toSpace)
    return op(BO::DEPTH_TO_SPACE, {xt}, {yt}, inType(n), BOpt::DepthToSpaceOptions,
              fb::CreateDepthToSpaceOptions(w.fbb, bs).Union());
  return op(BO::SPACE_TO_DEPTH, {xt}, {yt}, inType(n), BOpt::SpaceToDepthOptions,
            fb::CreateSpaceToDepthOptions(w.fbb, bs).Union());
}

} // namespace edgec::tflite
