// The TFLite support query (tflite/TfliteSupport.h) answered once per graph
// for targets whose checkNode() asks it node by node (edgetpu, tflite): the
// first question about a graph runs the writer's loop on the whole graph;
// later ones about the same graph, unchanged, read the stored answers.
#pragma once

#include "tflite/TfliteSupport.h"

#include <vector>

namespace edgec::target {

class TfliteSupportCache {
public:
  explicit TfliteSupportCache(TfliteProfile profile) : profile_(std::move(profile)) {}
  const TfliteProfile &profile() const { return profile_; }
  /// The answer for n (recomputed when n's graph is not the one cached or
  /// its node list changed).
  const TfliteSupport &query(const Node &n) const;

private:
  TfliteProfile profile_;
  mutable const Graph *graph_ = nullptr;
  mutable std::vector<const Node *> nodes_;
  mutable std::vector<TfliteSupport> answers_;
};

} // namespace edgec::target
