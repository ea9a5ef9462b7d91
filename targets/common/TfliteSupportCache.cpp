// TfliteSupportCache (see TfliteSupportCache.h).
#include "targets/common/TfliteSupportCache.h"

#include <cassert>

namespace edgec::target {

const TfliteSupport &TfliteSupportCache::query(const Node &n) const {
  const Graph *g = n.owner();
  bool same = g == graph_ && nodes_.size() == g->nodes().size();
  for (size_t i = 0; same && i < nodes_.size(); ++i) same = nodes_[i] == g->nodes()[i].get();
  if (!same) {
    graph_ = g;
    nodes_.clear();
    for (const auto &x : g->nodes()) nodes_.push_back(x.get());
    answers_ = tfliteSupport(*g, profile_);
  }
  for (size_t i = 0; i < nodes_.size(); ++i)
    if (nodes_[i] == &n) return answers_[i];
  assert(false && "TfliteSupportCache: the node is not in its owner graph");
  return answers_.front();
}

} // namespace edgec::target
