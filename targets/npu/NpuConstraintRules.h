// Internal to Vela's constraint table (NpuConstraints.h): what the
// constraint families share (tensor descriptions, shapes, the kernel of a
// convolution or pool) and one function per family, each in its own file
// with its checks: NpuGenericConstraints.cpp, NpuConvConstraints.cpp,
// NpuPoolConstraints.cpp, NpuElementwiseConstraints.cpp,
// NpuOtherConstraints.cpp. NpuConstraints.cpp joins them in that order.
#pragma once

#include "targets/npu/NpuConstraints.h"

#include <initializer_list>
#include <string>
#include <vector>

namespace edgec::ethosu::rules {

/// The source of the generic constraints, and of an operator's own.
inline constexpr const char *kGenericSource =
    "Vela 3.10 SUPPORTED_OPS.md, TFLite generic constraints (NPU-EDGETPU.md A.6)";
#define EDGEC_NPU_SOURCE(op)                                                                       \
  "Vela 3.10 SUPPORTED_OPS.md, TFLite " op " constraints (NPU-EDGETPU.md A.6)"

/// The convolutions, and the operators with weights and a bias.
extern const std::vector<std::string> kConvOps, kWeightOps;

std::string dims(const Value *v);  ///< "i8[1,4,4,8]"
std::string named(const Value *v); ///< "'x' i8[1,4,4,8]"
/// The static shape, or empty.
std::vector<int64_t> shapeOf(const Value *v);
bool isOneOf(const std::string &s, std::initializer_list<const char *> list);
/// Every tensor Vela's generic constraints look at: IFMs, OFMs and, with
/// `weights`, the weights.
std::vector<const Value *> tensors(const OpView &v, bool weights);
/// What `bad` says of each tensor that fails it, joined.
template <class F> std::string each(const std::vector<const Value *> &ts, F bad) {
  std::string r;
  for (const Value *t : ts) {
    std::string d = bad(*t);
    if (!d.empty()) r += (r.empty() ? "" : ", ") + d;
  }
  return r;
}
bool isNpuType(DataType t);
bool isSigned(DataType t);
std::string typeName(DataType t);

/// A convolution's or pool's window, attributes bounded (from the file).
struct Kernel {
  int64_t h = 1, w = 1, strideH = 1, strideW = 1, dilH = 1, dilW = 1;
};
Kernel kernelOf(const OpView &v);
std::string strideText(const Kernel &k); ///< "stride 5x4 (WxH)"
/// "" when both strides are in [1, 3], else strideText(k).
std::string strideWithin13(const Kernel &k);
/// IFM and OFM element types equal.
std::string typesMatch(const OpView &v);
/// IFM int8 or uint8.
std::string int8OrUint8(const OpView &v);

std::vector<Constraint> genericConstraints();
std::vector<Constraint> convConstraints();
std::vector<Constraint> poolingConstraints();
std::vector<Constraint> elementwiseConstraints();
std::vector<Constraint> otherConstraints();

} // namespace edgec::ethosu::rules
