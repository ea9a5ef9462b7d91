// Helpers shared by the import converters (Converters.h).
#include "tflite/read/Converters.h"

#include "ir/Annotations.h"

namespace edgec::tflite {

bool isFloat(const Value *v) {
  DataType t = v ? v->type.dtype : DataType::Undefined;
  return t == DataType::Float32 || t == DataType::Float16 ||
         t == DataType::Float64 || t == DataType::BFloat16;
}

TensorShape shapeOf(const fb::Tensor *t) {
  TensorShape s;
  if (t && t->shape())
    for (int32_t d : *t->shape())
      s.push_back(d);
  return s;
}

std::string padMode(fb::Padding p) {
  return p == fb::Padding::VALID ? "VALID" : "SAME_UPPER";
}

void setLayout(Node *n) {
  n->attrs[kLayoutAttr] = Attribute::makeString("NHWC");
}

Status checkStrides(OpBuilder &b, int64_t sh, int64_t sw, int64_t dh,
                    int64_t dw) {
  if (sh <= 0 || sw <= 0)
    return b.error("strides must be positive, got " + std::to_string(sh) + "x" +
                   std::to_string(sw));
  if (dh <= 0 || dw <= 0)
    return b.error("dilation factors must be positive, got " +
                   std::to_string(dh) + "x" + std::to_string(dw));
  return Status::ok();
}

Status checkRank(OpBuilder &b, size_t slot, size_t rank, const char *what) {
  TensorShape s = shapeOf(b.inputTensor(slot));
  if (s.size() != rank)
    return b.error(std::string(what) + " must have rank " +
                   std::to_string(rank) + ", got " + shapeToString(s));
  return Status::ok();
}

} // namespace edgec::tflite
