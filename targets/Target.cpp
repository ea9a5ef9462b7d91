// Shared parts of the target interface.
#include "targets/Target.h"

namespace edgec::target {

const char *layoutName(Layout l) {
  switch (l) {
  case Layout::Any: return "any";
  case Layout::NCHW: return "NCHW";
  case Layout::NHWC: return "NHWC";
  }
  return "?";
}

Error unsupportedNodesError(const std::string &target,
                            const std::vector<Unsupported> &nodes) {
  std::string msg = std::to_string(nodes.size()) + " node" +
                    (nodes.size() == 1 ? "" : "s") + " not supported by target '" +
                    target + "': ";
  for (size_t i = 0; i < nodes.size(); ++i) {
    const Node *n = nodes[i].node;
    if (i) msg += "; ";
    msg += n ? n->label() : std::string("?");
    msg += ": " + nodes[i].reason;
  }
  return Error(ErrorCode::Unsupported, msg);
}

Expected<Partition> Target::partition(const Model &m) const {
  Partition p;
  Segment seg;
  for (const auto &n : m.graph->nodes()) {
    std::string why = checkNode(*n);
    if (!why.empty()) p.unsupported.push_back({n.get(), why});
    seg.nodes.push_back(n.get());
  }
  if (!p.unsupported.empty()) return unsupportedNodesError(name(), p.unsupported);
  p.segments.push_back(std::move(seg));
  return p;
}

} // namespace edgec::target
