// The compile report of a program (see CompileReport.h).
#include "targets/common/CompileReport.h"

#include "targets/common/MemoryPlan.h"

#include <cstdio>

namespace edgec::target {

std::vector<LayerRow> layerRows(const Program &p) {
  std::vector<LayerRow> rows;
  for (size_t i = 0; i < p.steps.size(); ++i) {
    const Step &s = p.steps[i];
    const Node &n = *s.node;
    LayerRow r;
    r.index = int(i);
    r.name = n.name;
    r.op = n.opType;
    r.target = s.target;
    r.kernel = s.kernel;
    for (const Value *v : n.inputs) r.inputs.push_back(v ? v->type.str() : "-");
    for (const Value *v : n.outputs) r.outputs.push_back(v ? v->type.str() : "-");
    r.macs = s.macs;
    r.weightBytes = s.constantBytes;
    r.inPlace = i < p.memory.inPlace.size() && p.memory.inPlace[i];
    const Value *v = n.outputs.empty() ? nullptr : n.outputs[0];
    if (v && p.hasStorage(v)) {
      const Storage &st = p.storage(v);
      switch (st.kind) {
      case Storage::Kind::Output: r.storage = "output " + std::to_string(st.index); break;
      case Storage::Kind::Alias: r.storage = "view of '" + p.root(v)->name + "'"; break;
      case Storage::Kind::Arena:
        r.storage = "arena";
        r.arenaOffset = st.offset;
        r.arenaBytes = valueBytes(*v);
        break;
      default: break;
      }
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

Json arenaBuffersJson(const Program &p) {
  const std::vector<plan::Buffer> &bufs = p.memory.buffers;
  const size_t firstScratch = bufs.size() - p.scratch.size(); // values, then scratch
  Json out = Json::array();
  for (size_t b = 0; b < bufs.size(); ++b) {
    if (bufs[b].size == 0) continue; // in place: lives in its input's buffer
    Json x = Json::object();
    x["name"] = bufs[b].name;
    x["kind"] = b >= firstScratch ? "scratch" : "value";
    x["offset"] = p.memory.arena.offsets[b];
    x["bytes"] = bufs[b].size;
    x["first"] = bufs[b].first;
    x["last"] = bufs[b].last;
    out.push(x);
  }
  return out;
}

Json programReport(const Program &p, const Partition &part, plan::ArenaStrategy strategy) {
  const plan::ArenaPlan &a = p.memory.arena;
  Json j = Json::object();
  Json arena = Json::object();
  arena["bytes"] = a.arenaSize;
  arena["lower_bound"] = a.lowerBound;
  arena["ratio"] = a.lowerBound > 0 ? double(a.arenaSize) / double(a.lowerBound) : 1.0;
  arena["alignment"] = p.memory.alignment;
  arena["strategy"] = plan::arenaStrategyName(a.strategy);
  arena["requested_strategy"] = plan::arenaStrategyName(strategy);
  Json tried = Json::object();
  for (const auto &[k, v] : a.tried) tried[k] = v;
  arena["tried"] = tried;
  arena["io_bytes"] = p.memory.ioBytes;
  arena["bytes_with_io"] = a.arenaSize + p.memory.ioBytes;
  arena["lower_bound_with_io"] = a.lowerBound + p.memory.ioBytes;
  arena["buffers"] = arenaBuffersJson(p);
  j["arena"] = arena;
  j["weight_bytes"] = p.constantBytes();
  j["macs"] = p.macs();
  Json layers = Json::array();
  for (const LayerRow &l : layerRows(p)) {
    Json x = Json::object();
    x["index"] = l.index;
    x["name"] = l.name;
    x["op"] = l.op;
    x["target"] = l.target;
    x["kernel"] = l.kernel;
    Json ins = Json::array();
    for (const std::string &s : l.inputs) ins.push(s);
    x["inputs"] = ins;
    Json outs = Json::array();
    for (const std::string &s : l.outputs) outs.push(s);
    x["outputs"] = outs;
    x["macs"] = l.macs;
    x["weight_bytes"] = l.weightBytes;
    x["storage"] = l.storage;
    x["arena_offset"] = l.arenaOffset;
    x["arena_bytes"] = l.arenaBytes;
    x["in_place"] = l.inPlace;
    layers.push(x);
  }
  j["layers"] = layers;
  j["placement"] = partitionJson(part);
  return j;
}

std::string programReportText(const Program &p, const Partition &part, const std::string &title) {
  const plan::ArenaPlan &a = p.memory.arena;
  std::vector<LayerRow> rows = layerRows(p);
  std::string t = title + "\n";
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "arena: %lld bytes (lower bound %lld, %.3fx, strategy %s, alignment %lld)\n"
                "arena + inputs/outputs: %lld bytes (lower bound %lld)\n"
                "weights: %lld bytes, MACs: %lld, layers: %zu\n",
                (long long)a.arenaSize, (long long)a.lowerBound,
                a.lowerBound > 0 ? double(a.arenaSize) / double(a.lowerBound) : 1.0,
                plan::arenaStrategyName(a.strategy), (long long)p.memory.alignment,
                (long long)(a.arenaSize + p.memory.ioBytes),
                (long long)(a.lowerBound + p.memory.ioBytes), (long long)p.constantBytes(),
                (long long)p.macs(), rows.size());
  t += buf;
  bool mixed = part.segments.size() > 1;
  if (mixed) t += partitionText(part);
  t += "\n";
  const int kw = mixed ? 34 : 24; // "target: kernel" when segments differ
  std::snprintf(buf, sizeof buf, "%4s  %-18s %-*s %12s %10s %10s %8s  %s\n", "#", "op", kw,
                "kernel", "MACs", "weights", "offset", "bytes", "output");
  t += buf;
  for (const LayerRow &l : rows) {
    std::string off = l.arenaOffset >= 0 ? std::to_string(l.arenaOffset) : l.storage;
    if (off.size() > 10) off = off.substr(0, 10);
    std::string kernel = mixed ? l.target + ": " + l.kernel : l.kernel;
    std::snprintf(buf, sizeof buf, "%4d  %-18s %-*s %12lld %10lld %10s %8lld  %s%s\n", l.index,
                  l.op.substr(0, 18).c_str(), kw, kernel.substr(0, size_t(kw)).c_str(),
                  (long long)l.macs,
                  (long long)l.weightBytes, off.c_str(), (long long)l.arenaBytes,
                  l.outputs.empty() ? "" : l.outputs[0].c_str(), l.inPlace ? " (in place)" : "");
    t += buf;
  }
  return t;
}

} // namespace edgec::target
