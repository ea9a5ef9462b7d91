#include "interp/NodeContext.h"

namespace edgec {

int64_t NodeContext::attrInt(const std::string &n, int64_t dflt) const {
  const Attribute *a = node_.attr(n);
  if (!a) return dflt;
  if (a->kind == Attribute::Kind::Float) return (int64_t)a->f;
  return a->i;
}

float NodeContext::attrFloat(const std::string &n, float dflt) const {
  const Attribute *a = node_.attr(n);
  if (!a) return dflt;
  if (a->kind == Attribute::Kind::Int) return (float)a->i;
  return a->f;
}

std::string NodeContext::attrString(const std::string &n,
                                    const std::string &dflt) const {
  const Attribute *a = node_.attr(n);
  return a ? a->s : dflt;
}

std::vector<int64_t> NodeContext::attrInts(const std::string &n,
                                           std::vector<int64_t> dflt) const {
  const Attribute *a = node_.attr(n);
  if (!a) return dflt;
  if (a->kind == Attribute::Kind::Int) return {a->i};
  return a->ints;
}

std::vector<float> NodeContext::attrFloats(const std::string &n,
                                           std::vector<float> dflt) const {
  const Attribute *a = node_.attr(n);
  if (!a) return dflt;
  if (a->kind == Attribute::Kind::Float) return {a->f};
  return a->floats;
}

Error NodeContext::error(const std::string &msg, ErrorCode code) const {
  return Error(code, node_.label() + ": " + msg);
}

Expected<int64_t> normalizeAxis(const NodeContext &ctx, int64_t axis,
                                int64_t rank) {
  if (axis < -rank || axis >= rank || (rank == 0 && axis != 0))
    return ctx.error("axis " + std::to_string(axis) +
                     " is out of range for rank " + std::to_string(rank));
  return axis < 0 ? axis + rank : axis;
}

} // namespace edgec
