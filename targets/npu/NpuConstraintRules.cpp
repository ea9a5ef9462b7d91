// What the constraint families share (see NpuConstraintRules.h).
#include "targets/npu/NpuConstraintRules.h"

#include <algorithm>

namespace edgec::ethosu::rules {

const std::vector<std::string> kConvOps = {"CONV_2D", "DEPTHWISE_CONV_2D", "TRANSPOSE_CONV"};
const std::vector<std::string> kWeightOps = {"CONV_2D", "DEPTHWISE_CONV_2D", "TRANSPOSE_CONV",
                                             "FULLY_CONNECTED"};

std::string dims(const Value *v) { return v ? v->type.str() : "?"; }

std::string named(const Value *v) { return v ? "'" + v->name + "' " + dims(v) : "(missing)"; }

std::vector<int64_t> shapeOf(const Value *v) {
  if (!v || !v->type.hasRank || !v->type.isStatic()) return {};
  return v->type.staticShape();
}

bool isOneOf(const std::string &s, std::initializer_list<const char *> list) {
  for (const char *x : list)
    if (s == x) return true;
  return false;
}

std::vector<const Value *> tensors(const OpView &v, bool weights) {
  std::vector<const Value *> t;
  for (const Value *x : v.ifms)
    if (x) t.push_back(x);
  for (const Value *x : v.ofms)
    if (x) t.push_back(x);
  if (weights && v.weights) t.push_back(v.weights);
  return t;
}

bool isNpuType(DataType t) {
  return t == DataType::Int8 || t == DataType::UInt8 || t == DataType::Int16 ||
         t == DataType::Int32;
}

bool isSigned(DataType t) { return t == DataType::Int8 || t == DataType::Int16 || t == DataType::Int32; }

std::string typeName(DataType t) { return std::string(dataTypeName(t)); }

Kernel kernelOf(const OpView &v) {
  Kernel k;
  std::vector<int64_t> ks = v.node->attrInts("kernel_shape", {});
  if (ks.empty()) {
    std::vector<int64_t> w = shapeOf(v.weights);
    if (w.size() == 4) ks = {w[2], w[3]};
  }
  if (ks.size() == 2) k.h = ks[0], k.w = ks[1];
  std::vector<int64_t> s = v.node->attrInts("strides", {1, 1});
  if (s.size() == 2) k.strideH = s[0], k.strideW = s[1];
  std::vector<int64_t> d = v.node->attrInts("dilations", {1, 1});
  if (d.size() == 2) k.dilH = d[0], k.dilW = d[1];
  // Attributes come from the file: bound them so the products below cannot
  // overflow (every limit checked is far below the bound).
  for (int64_t *x : {&k.h, &k.w, &k.strideH, &k.strideW, &k.dilH, &k.dilW})
    *x = std::clamp<int64_t>(*x, -(int64_t(1) << 20), int64_t(1) << 20);
  return k;
}

std::string strideText(const Kernel &k) {
  return "stride " + std::to_string(k.strideW) + "x" + std::to_string(k.strideH) + " (WxH)";
}

std::string typesMatch(const OpView &v) {
  if (!v.ifm() || !v.ofm()) return "";
  return v.ifm()->type.dtype == v.ofm()->type.dtype
             ? ""
             : "IFM " + typeName(v.ifm()->type.dtype) + ", OFM " + typeName(v.ofm()->type.dtype);
}

std::string int8OrUint8(const OpView &v) {
  if (!v.ifm()) return "";
  DataType t = v.ifm()->type.dtype;
  return t == DataType::Int8 || t == DataType::UInt8 ? "" : "IFM is " + typeName(t);
}

std::string strideWithin13(const Kernel &k) {
  return k.strideH >= 1 && k.strideH <= 3 && k.strideW >= 1 && k.strideW <= 3 ? "" : strideText(k);
}

} // namespace edgec::ethosu::rules
