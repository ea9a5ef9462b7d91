// Cast and CastLike.
//
// Conversions between the standard types follow C semantics with the UB
// removed: float -> integer truncates toward zero and clamps out-of-range
// values (NaN -> 0), integer -> narrower integer wraps, anything -> bool is
// `v != 0`. 16-bit floats round to nearest even.
//
// Storage-only targets: 8-bit floats round to nearest even and honour the
// `saturate` attribute (opset 19+, default 1: out-of-range values clamp to
// the largest finite value; 0: they become inf/NaN); FLOAT4E2M1 always
// saturates. 4- and 2-bit integers truncate and wrap, like the ONNX
// reference. Strings are unsupported.
#include "interp/kernels/ElementwiseUtil.h"

#include "support/MiniFloat.h"

#include <cmath>

namespace edgec {
namespace {

using namespace elementwise;
 // NOLINT: kernel-local helpers

MiniFloatKind miniFloatKind(DataType t) {
  switch (t) {
  case DataType::Float8E4M3FN: return MiniFloatKind::E4M3FN;
  case DataType::Float8E4M3FNUZ: return MiniFloatKind::E4M3FNUZ;
  case DataType::Float8E5M2: return MiniFloatKind::E5M2;
  case DataType::Float8E5M2FNUZ: return MiniFloatKind::E5M2FNUZ;
  default: return MiniFloatKind::E2M1;
  }
}

/// Converts one value between standard C++ storage types.
template <typename To, typename From> To convert(From v) {
  if constexpr (std::is_same_v<To, From>) {
    return v;
  } else if constexpr (std::is_same_v<To, bool>) {
    return (ComputeT<From>)v != 0;
  } else if constexpr (isFloatLike<From> && !isFloatLike<To>) {
    return fromDouble<To>((double)(ComputeT<From>)v);
  } else if constexpr (std::is_same_v<From, double> && isHalfLike<To>) {
    return To((float)v);
  } else if constexpr (isHalfLike<To>) {
    return To((float)(ComputeT<From>)v);
  } else {
    return (To)(ComputeT<From>)v;
  }
}

template <typename To, typename From>
void convertAll(const Tensor &in, Tensor &out) {
  const From *pi = in.data<From>();
  To *po = out.data<To>();
  for (int64_t i = 0; i < in.numElements(); ++i)
    po[i] = convert<To, From>(pi[i]);
}

/// Value of element i as a double (storage-only types decoded).
double valueAt(const Tensor &t, int64_t i) { return t.getDouble(i); }

/// Writes a storage-only target element from a double.
void storeStorageOnly(Tensor &out, int64_t i, double v, bool saturate) {
  DataType t = out.dtype();
  if (isMiniFloatType(t)) {
    uint8_t *p = static_cast<uint8_t *>(out.raw()) + i;
    // FLOAT4E2M1 has no NaN; the ONNX reference encodes NaN as 0b1000 (-0).
    if (t == DataType::Float4E2M1 && std::isnan(v))
      *p = 0x8;
    else
      *p = floatToMiniFloat((float)v, miniFloatKind(t), saturate);
    return;
  }
  // 4- and 2-bit integers: truncate, then keep the low bits (wrap), as the
  // reference does (e.g. INT4: -9 -> 7, UINT2: -3 -> 1).
  out.setDouble(i, v);
}

Expected<Tensor> castTensor(const KernelContext &ctx, const Tensor &in,
                            DataType to, bool saturate) {
  if (!in.isValid()) return ctx.error("input has no element type");
  if (in.dtype() == to) return in.clone();
  EDGEC_ASSIGN_OR_RETURN(Tensor out, Tensor::create(to, in.shape()));
  int64_t n = in.numElements();
  if (isStorageOnlyType(to)) {
    for (int64_t i = 0; i < n; ++i)
      storeStorageOnly(out, i, valueAt(in, i), saturate);
    return out;
  }
  if (isStorageOnlyType(in.dtype())) {
    // Sources decode exactly to double; setDouble does the target rounding.
    for (int64_t i = 0; i < n; ++i)
      out.setDouble(i, valueAt(in, i));
    return out;
  }
  dispatchType(to, [&](auto toTag) {
    using To = decltype(toTag);
    dispatchType(in.dtype(), [&](auto fromTag) {
      using From = decltype(fromTag);
      convertAll<To, From>(in, out);
    });
  });
  return out;
}

Status runCast(KernelContext &ctx) {
  if (!ctx.hasInput(0)) return ctx.error("expects an input");
  if (!ctx.hasAttr("to")) return ctx.error("missing attribute 'to'");
  int64_t onnxTo = ctx.attrInt("to", 0);
  std::optional<DataType> to = fromOnnxDataType((int)onnxTo);
  if (onnxTo == 8) return ctx.unsupported("cast to string is not supported");
  if (!to || *to == DataType::Undefined)
    return ctx.unsupported("cast to onnx type " + std::to_string(onnxTo) +
                           " is not supported");
  bool saturate = ctx.attrInt("saturate", 1) != 0;
  EDGEC_ASSIGN_OR_RETURN(ctx.outputs[0],
                         castTensor(ctx, ctx.input(0), *to, saturate));
  return Status::ok();
}

Status runCastLike(KernelContext &ctx) {
  if (!ctx.hasInput(0) || !ctx.hasInput(1))
    return ctx.error("expects input and target_type");
  bool saturate = ctx.attrInt("saturate", 1) != 0;
  DataType to = ctx.input(1).dtype();
  EDGEC_ASSIGN_OR_RETURN(ctx.outputs[0],
                         castTensor(ctx, ctx.input(0), to, saturate));
  return Status::ok();
}

} // namespace

void registerCastKernels(KernelRegistry &r) {
  r.add("Cast", runCast);
  r.add("CastLike", runCastLike);
}

} // namespace edgec
