// Partitioning by policy (see Partition.h).
#include "targets/Partition.h"

#include "targets/Target.h"

#include <cassert>
#include <set>
#include <unordered_map>

namespace edgec::target {

const char *partitionPolicyName(PartitionPolicy p) {
  switch (p) {
  case PartitionPolicy::AllOrError: return "all-or-error";
  case PartitionPolicy::Fallback: return "fallback";
  case PartitionPolicy::Prefix: return "prefix";
  }
  return "?";
}

const char *placementKindName(NodePlacement::Kind k) {
  switch (k) {
  case NodePlacement::Kind::OnTarget: return "target";
  case NodePlacement::Kind::Fallback: return "fallback";
  case NodePlacement::Kind::Unsupported: return "unsupported";
  }
  return "?";
}

const NodePlacement &Partition::placementOf(const Node *n) const {
  for (const NodePlacement &p : placements)
    if (p.node == n) return p;
  assert(false && "node not in the partition");
  return placements.front();
}

std::vector<const NodePlacement *> Partition::unsupported() const {
  std::vector<const NodePlacement *> out;
  for (const NodePlacement &p : placements)
    if (p.kind == NodePlacement::Kind::Unsupported) out.push_back(&p);
  return out;
}

size_t Partition::count(NodePlacement::Kind k) const {
  size_t n = 0;
  for (const NodePlacement &p : placements) n += p.kind == k;
  return n;
}

namespace {

/// Fills segment boundary values: inputs are non-constant values a segment
/// reads that it does not produce; outputs are values it produces that a
/// later segment reads or the graph returns.
void computeBoundaries(const Model &m, std::vector<Segment> &segs) {
  std::unordered_map<const Value *, size_t> producerSeg; // lookup only
  for (size_t s = 0; s < segs.size(); ++s)
    for (const Node *n : segs[s].nodes)
      for (const Value *v : n->outputs)
        if (v) producerSeg[v] = s;
  std::set<const Value *> graphOut(m.graph->outputs.begin(), m.graph->outputs.end());
  std::set<const Value *> graphIn(m.graph->inputs.begin(), m.graph->inputs.end());
  std::vector<std::vector<const Value *>> usedOutside(segs.size());
  for (size_t s = 0; s < segs.size(); ++s) {
    std::set<const Value *> seen;
    for (const Node *n : segs[s].nodes) {
      // Subgraph bodies may read values of the main graph too.
      std::vector<const Value *> reads(n->inputs.begin(), n->inputs.end());
      for (const Graph *g : n->subgraphs())
        for (const auto &inner : g->nodes())
          for (const Value *v : inner->inputs) reads.push_back(v);
      for (const Value *v : reads) {
        if (!v || v->constant || seen.count(v)) continue;
        auto it = producerSeg.find(v);
        bool fromOther = it != producerSeg.end() && it->second != s;
        bool fromCaller = it == producerSeg.end() && graphIn.count(v);
        if (!fromOther && !fromCaller) continue;
        seen.insert(v);
        segs[s].inputs.push_back(v);
        if (fromOther) usedOutside[it->second].push_back(v);
      }
    }
  }
  for (size_t s = 0; s < segs.size(); ++s) {
    std::set<const Value *> wanted(usedOutside[s].begin(), usedOutside[s].end());
    for (const Node *n : segs[s].nodes)
      for (const Value *v : n->outputs)
        if (v && (wanted.count(v) || graphOut.count(v))) segs[s].outputs.push_back(v);
  }
}

} // namespace

Partition partitionModel(const Model &m, const Target &t, const Target *fallback) {
  Partition p;
  p.target = t.name();
  p.policy = t.partitionPolicy();
  if (p.policy != PartitionPolicy::AllOrError && fallback) p.fallback = fallback->name();
  const Node *firstRefused = nullptr;
  for (const auto &node : m.graph->nodes()) {
    const Node *n = node.get();
    NodePlacement pl;
    pl.node = n;
    std::string why = t.checkNode(*n);
    if (why.empty() && p.policy == PartitionPolicy::Prefix && firstRefused)
      why = "after " + firstRefused->label() + ", the first node " + t.name() +
            " cannot run (prefix partition)";
    if (why.empty()) {
      pl.kind = NodePlacement::Kind::OnTarget;
      pl.target = t.name();
    } else {
      if (!firstRefused) firstRefused = n;
      pl.reason = why;
      std::string fb = "no fallback target";
      if (p.policy != PartitionPolicy::AllOrError && fallback) fb = fallback->checkNode(*n);
      if (p.policy != PartitionPolicy::AllOrError && fallback && fb.empty()) {
        pl.kind = NodePlacement::Kind::Fallback;
        pl.target = fallback->name();
      } else {
        pl.kind = NodePlacement::Kind::Unsupported;
        if (p.policy != PartitionPolicy::AllOrError && fallback)
          pl.reason += "; " + fallback->name() + ": " + fb;
      }
    }
    p.placements.push_back(std::move(pl));
  }
  for (const NodePlacement &pl : p.placements) {
    std::string owner = pl.kind == NodePlacement::Kind::Unsupported ? std::string() : pl.target;
    if (p.segments.empty() || p.segments.back().target != owner)
      p.segments.push_back({owner, {}, {}, {}});
    p.segments.back().nodes.push_back(pl.node);
  }
  computeBoundaries(m, p.segments);
  return p;
}

Status requireSupported(const Partition &p) {
  std::vector<const NodePlacement *> bad = p.unsupported();
  if (bad.empty()) return Status::ok();
  std::string msg = std::to_string(bad.size()) + " node" + (bad.size() == 1 ? "" : "s") +
                    " not supported by target '" + p.target + "'" +
                    (p.fallback.empty() ? "" : " or its fallback '" + p.fallback + "'") + ": ";
  for (size_t i = 0; i < bad.size(); ++i)
    msg += (i ? "; " : "") + bad[i]->node->label() + ": " + bad[i]->reason;
  return Error(ErrorCode::Unsupported, msg);
}

Json partitionJson(const Partition &p) {
  Json j = Json::object();
  j["target"] = p.target;
  j["fallback"] = p.fallback;
  j["policy"] = partitionPolicyName(p.policy);
  Json counts = Json::object();
  for (auto k : {NodePlacement::Kind::OnTarget, NodePlacement::Kind::Fallback,
                 NodePlacement::Kind::Unsupported})
    counts[placementKindName(k)] = int64_t(p.count(k));
  j["counts"] = counts;
  Json nodes = Json::array();
  for (const NodePlacement &pl : p.placements) {
    Json x = Json::object();
    x["node"] = pl.node->name;
    x["op"] = pl.node->opType;
    x["placement"] = placementKindName(pl.kind);
    x["target"] = pl.target;
    x["reason"] = pl.reason;
    nodes.push(x);
  }
  j["nodes"] = nodes;
  Json segs = Json::array();
  for (const Segment &s : p.segments) {
    Json x = Json::object();
    x["target"] = s.target;
    Json ns = Json::array();
    for (const Node *n : s.nodes) ns.push(n->name);
    x["nodes"] = ns;
    Json in = Json::array(), out = Json::array();
    for (const Value *v : s.inputs) in.push(v->name);
    for (const Value *v : s.outputs) out.push(v->name);
    x["inputs"] = in;
    x["outputs"] = out;
    segs.push(x);
  }
  j["segments"] = segs;
  return j;
}

std::string partitionText(const Partition &p) {
  std::string t = "placement on '" + p.target + "' (policy " + partitionPolicyName(p.policy) +
                  (p.fallback.empty() ? "" : ", fallback '" + p.fallback + "'") + "): " +
                  std::to_string(p.count(NodePlacement::Kind::OnTarget)) + " on " + p.target;
  if (!p.fallback.empty())
    t += ", " + std::to_string(p.count(NodePlacement::Kind::Fallback)) + " on " + p.fallback;
  t += ", " + std::to_string(p.count(NodePlacement::Kind::Unsupported)) + " unsupported; " +
       std::to_string(p.segments.size()) + " segment" + (p.segments.size() == 1 ? "" : "s") +
       "\n";
  for (const NodePlacement &pl : p.placements) {
    t += "  " + pl.node->label() + ": ";
    switch (pl.kind) {
    case NodePlacement::Kind::OnTarget: t += "runs on " + pl.target; break;
    case NodePlacement::Kind::Fallback:
      t += "falls back to " + pl.target + " (" + pl.reason + ")";
      break;
    case NodePlacement::Kind::Unsupported: t += "unsupported (" + pl.reason + ")"; break;
    }
    t += "\n";
  }
  return t;
}

} // namespace edgec::target
