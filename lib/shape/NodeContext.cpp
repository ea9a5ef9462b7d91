#include "shape/NodeContext.h"

namespace edgec {

Error NodeContext::error(const std::string &msg, ErrorCode code) const {
  return Error(code, node_.label() + ": " + msg);
}

std::string reasonOf(const Node &n, const Error &e) {
  const std::string label = n.label() + ": ";
  const std::string &m = e.message();
  return m.rfind(label, 0) == 0 ? m.substr(label.size()) : m;
}

Expected<int64_t> normalizeAxis(const NodeContext &ctx, int64_t axis,
                                int64_t rank) {
  if (axis < -rank || axis >= rank || (rank == 0 && axis != 0))
    return ctx.error("axis " + std::to_string(axis) +
                     " is out of range for rank " + std::to_string(rank));
  return axis < 0 ? axis + rank : axis;
}

} // namespace edgec
