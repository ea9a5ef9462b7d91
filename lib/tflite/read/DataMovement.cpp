// Shapes and data movement: RESHAPE, SQUEEZE, EXPAND_DIMS, TRANSPOSE,
// CONCATENATION, PAD / PADV2 / MIRROR_PAD, STRIDED_SLICE, SLICE, GATHER,
// GATHER_ND, SPLIT / SPLIT_V, PACK, UNPACK, TILE, BROADCAST_TO, SHAPE,
// FILL, RESIZE_BILINEAR / RESIZE_NEAREST_NEIGHBOR, DEPTH_TO_SPACE /
// SPACE_TO_DEPTH. Tensors keep TFLite's shapes, so axes map one to one.
#include "tflite/read/Converters.h"

#include <limits>

namespace edgec::tflite {

namespace {

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();

/// An int64 shape-like value from input `slot` (constant or computed).
Expected<Value *> int64Input(OpBuilder &b, size_t slot,
                             const std::string &what) {
  if (std::optional<Tensor> c = b.constInput(slot))
    return b.int64Constant(what, c->toInt64Vector());
  EDGEC_ASSIGN_OR_RETURN(Value * v, b.input(slot));
  if (v->type.dtype == DataType::Int64) return v;
  Value *c = b.temp(what, TensorType(DataType::Int64));
  Node *n = b.emit("Cast", {v}, {c});
  n->attrs["to"] = Attribute::makeInt(toOnnxDataType(DataType::Int64));
  return c;
}

} // namespace

Status convertReshape(OpBuilder &b) {
  EDGEC_TRY(b.arity(1, 2));
  EDGEC_ASSIGN_OR_RETURN(const fb::ReshapeOptions *o,
                         b.options<fb::ReshapeOptions>());
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  Value *y = b.output(0);
  Value *shape = nullptr;
  std::vector<int64_t> dims;
  bool known = false;
  if (b.hasInput(1)) {
    if (std::optional<Tensor> c = b.constInput(1)) {
      dims = c->toInt64Vector();
      known = true;
    } else {
      EDGEC_ASSIGN_OR_RETURN(shape, int64Input(b, 1, "shape"));
    }
  } else if (o->new_shape() && o->new_shape()->size()) {
    for (int32_t d : *o->new_shape())
      dims.push_back(d);
    known = true;
  } else {
    TensorShape s = shapeOf(nullptr);
    if (!y->type.hasRank) return b.error("no target shape");
    for (const Dim &d : y->type.dims)
      dims.push_back(d.isStatic() ? d.value : -1);
    known = true;
  }
  bool zero = false;
  if (known) {
    for (int64_t d : dims) {
      if (d < -1)
        return b.error("invalid target dimension " + std::to_string(d));
      zero = zero || d == 0;
    }
    shape = b.int64Constant("shape", dims);
  }
  Node *n = b.emit("Reshape", {x, shape}, {y});
  if (zero) n->attrs["allowzero"] = Attribute::makeInt(1);
  return Status::ok();
}

Status convertSqueeze(OpBuilder &b) {
  EDGEC_TRY(b.arity(1, 1));
  EDGEC_ASSIGN_OR_RETURN(const fb::SqueezeOptions *o,
                         b.options<fb::SqueezeOptions>());
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  std::vector<Value *> ins{x};
  if (o->squeeze_dims() && o->squeeze_dims()->size()) {
    std::vector<int64_t> axes;
    for (int32_t a : *o->squeeze_dims())
      axes.push_back(a);
    ins.push_back(b.int64Constant("axes", axes));
  }
  b.emit("Squeeze", ins, {b.output(0)});
  return Status::ok();
}

Status convertExpandDims(OpBuilder &b) {
  EDGEC_TRY(b.arity(2, 2));
  EDGEC_ASSIGN_OR_RETURN(std::vector<int64_t> axis, b.constInts(1, "axis"));
  if (axis.size() != 1) return b.error("axis must hold one value");
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  b.emit("Unsqueeze", {x, b.int64Constant("axes", axis)}, {b.output(0)});
  return Status::ok();
}

Status convertTranspose(OpBuilder &b) {
  EDGEC_TRY(b.arity(2, 2));
  EDGEC_ASSIGN_OR_RETURN(std::vector<int64_t> perm, b.constInts(1, "perm"));
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  Node *n = b.emit("Transpose", {x}, {b.output(0)});
  n->attrs["perm"] = Attribute::makeInts(perm);
  return Status::ok();
}

Status convertConcat(OpBuilder &b) {
  if (b.numInputs() == 0) return b.error("has no inputs");
  EDGEC_TRY(b.arity(1, b.numInputs()));
  EDGEC_ASSIGN_OR_RETURN(const fb::ConcatenationOptions *o,
                         b.options<fb::ConcatenationOptions>());
  std::vector<Value *> ins;
  for (size_t i = 0; i < b.numInputs(); ++i) {
    EDGEC_ASSIGN_OR_RETURN(Value * v, b.input(i));
    ins.push_back(v);
  }
  Node *n = b.emit("Concat", ins, {b.output(0)});
  n->attrs["axis"] = Attribute::makeInt(o->axis());
  return b.fuseActivation(n, o->fused_activation_function());
}

Status convertPad(OpBuilder &b, bool v2) {
  EDGEC_TRY(b.arity(2, v2 ? 3 : 2));
  EDGEC_ASSIGN_OR_RETURN(std::vector<int64_t> p, b.constInts(1, "paddings"));
  if (p.size() % 2) return b.error("paddings must have shape [rank, 2]");
  std::vector<int64_t> pads(p.size());
  const size_t r = p.size() / 2;
  for (size_t i = 0; i < r; ++i) {
    if (p[2 * i] < 0 || p[2 * i + 1] < 0) return b.error("negative padding");
    pads[i] = p[2 * i];
    pads[i + r] = p[2 * i + 1];
  }
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  std::vector<Value *> ins{x, b.int64Constant("pads", pads)};
  if (v2 && b.hasInput(2)) {
    EDGEC_ASSIGN_OR_RETURN(Value * c, b.input(2));
    ins.push_back(c);
  }
  b.emit("Pad", ins, {b.output(0)});
  return Status::ok();
}

Status convertMirrorPad(OpBuilder &b) {
  EDGEC_TRY(b.arity(2, 2));
  EDGEC_ASSIGN_OR_RETURN(const fb::MirrorPadOptions *o,
                         b.options<fb::MirrorPadOptions>());
  if (o->mode() != fb::MirrorPadMode::REFLECT)
    return b.unsupported("SYMMETRIC mirror padding");
  EDGEC_TRY(convertPad(b, false));
  Node *n = b.output(0)->producer();
  n->attrs["mode"] = Attribute::makeString("reflect");
  return Status::ok();
}

Status convertStridedSlice(OpBuilder &b) {
  EDGEC_TRY(b.arity(3, 4));
  EDGEC_ASSIGN_OR_RETURN(const fb::StridedSliceOptions *o,
                         b.options<fb::StridedSliceOptions>());
  if (o->ellipsis_mask() || o->new_axis_mask())
    return b.unsupported("ellipsis_mask and new_axis_mask");
  EDGEC_ASSIGN_OR_RETURN(std::vector<int64_t> begin, b.constInts(1, "begin"));
  EDGEC_ASSIGN_OR_RETURN(std::vector<int64_t> end, b.constInts(2, "end"));
  std::vector<int64_t> strides(begin.size(), 1);
  if (b.hasInput(3)) {
    EDGEC_ASSIGN_OR_RETURN(strides, b.constInts(3, "strides"));
  }
  if (end.size() != begin.size() || strides.size() != begin.size())
    return b.error("begin, end and strides differ in length");
  if (begin.size() > 64) return b.error("more than 64 sliced dimensions");
  std::vector<int64_t> starts, ends, axes, steps, squeeze;
  for (size_t i = 0; i < begin.size(); ++i) {
    int64_t s = begin[i], e = end[i], st = strides[i];
    if (st == 0) return b.error("stride " + std::to_string(i) + " is 0");
    const bool shrink = (o->shrink_axis_mask() >> i) & 1;
    if (o->offset()) e = s + e;
    if (shrink) {
      e = s == -1 ? kInt64Max : s + 1;
      st = 1;
      squeeze.push_back((int64_t)i);
    } else {
      if ((o->begin_mask() >> i) & 1) s = st > 0 ? kInt64Min : kInt64Max;
      if ((o->end_mask() >> i) & 1) e = st > 0 ? kInt64Max : kInt64Min;
    }
    starts.push_back(s);
    ends.push_back(e);
    axes.push_back((int64_t)i);
    steps.push_back(st);
  }
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  Value *y = b.output(0);
  Value *sliced = squeeze.empty()
                      ? y
                      : b.temp("slice", TensorType(y->type.dtype), y->quant);
  b.emit("Slice",
         {x, b.int64Constant("starts", starts), b.int64Constant("ends", ends),
          b.int64Constant("axes", axes), b.int64Constant("steps", steps)},
         {sliced});
  if (!squeeze.empty())
    b.emit("Squeeze", {sliced, b.int64Constant("squeeze_axes", squeeze)}, {y});
  return Status::ok();
}

Status convertSlice(OpBuilder &b) {
  EDGEC_TRY(b.arity(3, 3));
  EDGEC_ASSIGN_OR_RETURN(std::vector<int64_t> begin, b.constInts(1, "begin"));
  EDGEC_ASSIGN_OR_RETURN(std::vector<int64_t> size, b.constInts(2, "size"));
  if (size.size() != begin.size())
    return b.error("begin and size differ in length");
  std::vector<int64_t> ends, axes;
  for (size_t i = 0; i < begin.size(); ++i) {
    if (size[i] < -1 || begin[i] < 0) return b.error("invalid begin or size");
    ends.push_back(size[i] == -1 ? kInt64Max : begin[i] + size[i]);
    axes.push_back((int64_t)i);
  }
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  b.emit("Slice",
         {x, b.int64Constant("starts", begin), b.int64Constant("ends", ends),
          b.int64Constant("axes", axes)},
         {b.output(0)});
  return Status::ok();
}

Status convertGather(OpBuilder &b) {
  EDGEC_TRY(b.arity(2, 2));
  EDGEC_ASSIGN_OR_RETURN(const fb::GatherOptions *o,
                         b.options<fb::GatherOptions>());
  if (o->batch_dims() != 0) return b.unsupported("batch_dims");
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  EDGEC_ASSIGN_OR_RETURN(Value * i, b.input(1));
  Node *n = b.emit("Gather", {x, i}, {b.output(0)});
  n->attrs["axis"] = Attribute::makeInt(o->axis());
  return Status::ok();
}

Status convertGatherNd(OpBuilder &b) {
  EDGEC_TRY(b.arity(2, 2));
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  EDGEC_ASSIGN_OR_RETURN(Value * i, b.input(1));
  Value *idx = b.temp("indices", TensorType(DataType::Int64));
  Node *c = b.emit("Cast", {i}, {idx});
  c->attrs["to"] = Attribute::makeInt(toOnnxDataType(DataType::Int64));
  b.emit("GatherND", {x, idx}, {b.output(0)});
  return Status::ok();
}

Status convertSplit(OpBuilder &b, bool sizes) {
  // SPLIT: (axis, input); SPLIT_V: (input, size_splits, axis).
  EDGEC_TRY(b.arity(sizes ? 3 : 2, sizes ? 3 : 2, -1));
  const size_t axisSlot = sizes ? 2 : 0, dataSlot = sizes ? 0 : 1;
  EDGEC_ASSIGN_OR_RETURN(std::vector<int64_t> axisV,
                         b.constInts(axisSlot, "axis"));
  if (axisV.size() != 1) return b.error("axis must hold one value");
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(dataSlot));
  std::vector<Value *> outs;
  for (size_t i = 0; i < b.numOutputs(); ++i)
    outs.push_back(b.output(i));
  std::vector<Value *> ins{x};
  if (sizes) {
    EDGEC_ASSIGN_OR_RETURN(std::vector<int64_t> split,
                           b.constInts(1, "size_splits"));
    if (split.size() != outs.size())
      return b.error("size_splits has " + std::to_string(split.size()) +
                     " entries for " + std::to_string(outs.size()) +
                     " outputs");
    int64_t unknown = -1, known = 0;
    for (size_t i = 0; i < split.size(); ++i) {
      if (split[i] == -1 && unknown < 0)
        unknown = (int64_t)i;
      else if (split[i] < 0)
        return b.error("invalid size_splits");
      else
        known += split[i];
    }
    if (unknown >= 0) {
      TensorShape s = shapeOf(b.inputTensor(0));
      int64_t a = axisV[0] < 0 ? axisV[0] + (int64_t)s.size() : axisV[0];
      if (a < 0 || a >= (int64_t)s.size() || s[(size_t)a] < known)
        return b.error("cannot infer the -1 entry of size_splits");
      split[(size_t)unknown] = s[(size_t)a] - known;
    }
    ins.push_back(b.int64Constant("split", split));
  }
  Node *n = b.emit("Split", ins, outs);
  n->attrs["axis"] = Attribute::makeInt(axisV[0]);
  if (!sizes)
    n->attrs["num_outputs"] = Attribute::makeInt((int64_t)outs.size());
  return Status::ok();
}

Status convertPack(OpBuilder &b) {
  if (b.numInputs() == 0) return b.error("has no inputs");
  EDGEC_TRY(b.arity(1, b.numInputs()));
  EDGEC_ASSIGN_OR_RETURN(const fb::PackOptions *o,
                         b.options<fb::PackOptions>());
  std::vector<Value *> parts;
  Value *axes = b.int64Constant("axes", {o->axis()});
  for (size_t i = 0; i < b.numInputs(); ++i) {
    EDGEC_ASSIGN_OR_RETURN(Value * v, b.input(i));
    Value *u = b.temp("unsqueeze", TensorType(v->type.dtype), v->quant);
    b.emit("Unsqueeze", {v, axes}, {u});
    parts.push_back(u);
  }
  Node *n = b.emit("Concat", parts, {b.output(0)});
  n->attrs["axis"] = Attribute::makeInt(o->axis());
  return Status::ok();
}

Status convertUnpack(OpBuilder &b) {
  EDGEC_TRY(b.arity(1, 1, -1));
  EDGEC_ASSIGN_OR_RETURN(const fb::UnpackOptions *o,
                         b.options<fb::UnpackOptions>());
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  std::vector<Value *> parts;
  for (size_t i = 0; i < b.numOutputs(); ++i)
    parts.push_back(
        b.temp("split", TensorType(x->type.dtype), b.output(i)->quant));
  Node *s = b.emit("Split", {x}, parts);
  s->attrs["axis"] = Attribute::makeInt(o->axis());
  s->attrs["num_outputs"] = Attribute::makeInt((int64_t)parts.size());
  Value *axes = b.int64Constant("axes", {o->axis()});
  for (size_t i = 0; i < parts.size(); ++i)
    b.emit("Squeeze", {parts[i], axes}, {b.output(i)});
  return Status::ok();
}

Status convertTile(OpBuilder &b, const char *onnxOp) {
  EDGEC_TRY(b.arity(2, 2));
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  EDGEC_ASSIGN_OR_RETURN(Value * r, int64Input(b, 1, "repeats"));
  b.emit(onnxOp, {x, r}, {b.output(0)});
  return Status::ok();
}

Status convertShape(OpBuilder &b) {
  EDGEC_TRY(b.arity(1, 1));
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  Value *y = b.output(0);
  if (y->type.dtype == DataType::Int64) {
    b.emit("Shape", {x}, {y});
    return Status::ok();
  }
  Value *s = b.temp("shape", TensorType(DataType::Int64));
  b.emit("Shape", {x}, {s});
  Node *c = b.emit("Cast", {s}, {y});
  c->attrs["to"] = Attribute::makeInt(toOnnxDataType(y->type.dtype));
  return Status::ok();
}

Status convertFill(OpBuilder &b) {
  EDGEC_TRY(b.arity(2, 2));
  EDGEC_ASSIGN_OR_RETURN(Value * dims, int64Input(b, 0, "dims"));
  EDGEC_ASSIGN_OR_RETURN(Value * v, b.input(1));
  b.emit("Expand", {v, dims}, {b.output(0)});
  return Status::ok();
}

Status convertResize(OpBuilder &b, bool bilinear) {
  EDGEC_TRY(b.arity(2, 2));
  EDGEC_TRY(checkRank(b, 0, 4, "input"));
  bool alignCorners = false, halfPixel = false;
  if (bilinear) {
    EDGEC_ASSIGN_OR_RETURN(const fb::ResizeBilinearOptions *o,
                           b.options<fb::ResizeBilinearOptions>());
    alignCorners = o->align_corners();
    halfPixel = o->half_pixel_centers();
  } else {
    EDGEC_ASSIGN_OR_RETURN(const fb::ResizeNearestNeighborOptions *o,
                           b.options<fb::ResizeNearestNeighborOptions>());
    alignCorners = o->align_corners();
    halfPixel = o->half_pixel_centers();
  }
  EDGEC_ASSIGN_OR_RETURN(std::vector<int64_t> size, b.constInts(1, "size"));
  if (size.size() != 2 || size[0] <= 0 || size[1] <= 0)
    return b.error("size must hold two positive values");
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  Node *n =
      b.emit("Resize", {x, nullptr, nullptr, b.int64Constant("sizes", size)},
             {b.output(0)});
  n->attrs["axes"] = Attribute::makeInts({1, 2});
  n->attrs["mode"] = Attribute::makeString(bilinear ? "linear" : "nearest");
  std::string ct = alignCorners ? "align_corners"
                   : halfPixel
                       ? (bilinear ? "half_pixel" : "tf_half_pixel_for_nn")
                       : "asymmetric";
  n->attrs["coordinate_transformation_mode"] = Attribute::makeString(ct);
  if (!bilinear)
    n->attrs["nearest_mode"] = Attribute::makeString(
        alignCorners || halfPixel ? "round_prefer_ceil" : "floor");
  return Status::ok();
}

template <typename Options>
Status convertSpaceDepth(OpBuilder &b, const char *onnxOp) {
  EDGEC_TRY(b.arity(1, 1));
  EDGEC_TRY(checkRank(b, 0, 4, "input"));
  EDGEC_ASSIGN_OR_RETURN(const Options *o, b.options<Options>());
  if (o->block_size() <= 0) return b.error("block_size must be positive");
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  Node *n = b.emit(onnxOp, {x}, {b.output(0)});
  n->attrs["blocksize"] = Attribute::makeInt(o->block_size());
  if (std::string(onnxOp) == "DepthToSpace")
    n->attrs["mode"] = Attribute::makeString("DCR");
  setLayout(n);
  return Status::ok();
}


template Status convertSpaceDepth<fb::DepthToSpaceOptions>(OpBuilder &, const char *);
template Status convertSpaceDepth<fb::SpaceToDepthOptions>(OpBuilder &, const char *);

} // namespace edgec::tflite
