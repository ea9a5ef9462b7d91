// The memory plan of a lowered program (see MemoryPlan.h).
#include "targets/common/MemoryPlan.h"

#include <algorithm>
#include <unordered_map>

namespace edgec::target {

Status planMemory(Program &p, const MemoryOptions &o) {
  using SK = Storage::Kind;
  MemoryLayout &mem = p.memory;
  mem = MemoryLayout();
  mem.alignment = o.alignment;
  const size_t nsteps = p.steps.size();
  mem.inPlace.assign(nsteps, false);

  // One buffer per arena value, in order of definition; lifetimes from the
  // defining step to the last step reading it (through any view).
  std::unordered_map<const Value *, int> bufOf; // lookup only
  std::vector<const Value *> bufValue;
  std::vector<plan::Buffer> &bufs = mem.buffers;
  for (size_t s = 0; s < nsteps; ++s)
    for (const Value *v : p.steps[s].node->outputs)
      if (v && p.hasStorage(v) && p.storage(v).kind == SK::Arena && !bufOf.count(v)) {
        bufOf[v] = int(bufs.size());
        bufValue.push_back(v);
        bufs.push_back({v->name, valueBytes(*v), int(s), int(s)});
      }
  std::vector<int> lastUse(bufs.size());
  for (size_t b = 0; b < bufs.size(); ++b) lastUse[b] = bufs[b].last;
  auto use = [&](const Value *v, size_t s) {
    if (!v) return;
    auto it = bufOf.find(p.root(v));
    if (it != bufOf.end())
      lastUse[size_t(it->second)] = std::max(lastUse[size_t(it->second)], int(s));
  };
  for (size_t s = 0; s < nsteps; ++s) {
    for (const Value *v : p.steps[s].node->inputs) use(v, s);
    for (const Value *v : p.steps[s].alsoReads) use(v, s);
  }
  for (size_t b = 0; b < bufs.size(); ++b) bufs[b].last = lastUse[b];

  // In-place: output 0 joins the buffer of the input the step allows, when
  // that buffer dies here and has the same size.
  std::vector<int> group(bufs.size());
  for (size_t b = 0; b < bufs.size(); ++b) group[b] = int(b);
  auto find = [&](int b) {
    while (group[size_t(b)] != b) b = group[size_t(b)];
    return b;
  };
  for (size_t s = 0; s < nsteps && o.inPlace; ++s) {
    const Step &st = p.steps[s];
    int k = st.inPlaceInput;
    if (k < 0 || st.kind != Step::Kind::Kernel) continue;
    const Node &n = *st.node;
    const Value *out = n.outputs.empty() ? nullptr : n.outputs[0];
    if (!out || !bufOf.count(out) || size_t(k) >= n.inputs.size() || !n.inputs[size_t(k)])
      continue;
    const Value *in = n.inputs[size_t(k)];
    const Value *r = p.root(in);
    if (!bufOf.count(r)) continue;
    int bi = find(bufOf[r]), bo = bufOf[out];
    if (bufs[size_t(bi)].last != int(s) || bufs[size_t(bi)].size != bufs[size_t(bo)].size)
      continue;
    // Another operand viewing the same buffer with a different shape would
    // be overwritten while still being read.
    bool clash = false;
    for (size_t j = 0; j < n.inputs.size(); ++j)
      if (j != size_t(k) && n.inputs[j] && p.root(n.inputs[j]) == r &&
          !(n.inputs[j]->type == in->type))
        clash = true;
    if (clash) continue;
    group[size_t(bo)] = bi;
    bufs[size_t(bi)].last = std::max(bufs[size_t(bi)].last, bufs[size_t(bo)].last);
    bufs[size_t(bo)].size = 0;
    mem.inPlace[s] = true;
  }

  // Scratch buffers.
  std::vector<int> scratchBuf;
  for (const Scratch &sc : p.scratch) {
    scratchBuf.push_back(int(bufs.size()));
    bufs.push_back({"scratch@" + std::to_string(sc.step), sc.bytes, sc.step, sc.step});
    group.push_back(int(group.size()));
  }
  // Merged members have size 0 and take their group root's offset.
  EDGEC_ASSIGN_OR_RETURN(mem.arena, plan::planArena(bufs, o.alignment, o.strategy));
  auto offsetOf = [&](int b) { return mem.arena.offsets[size_t(find(b))]; };
  for (size_t b = 0; b < bufValue.size(); ++b) p.storage(bufValue[b]).offset = offsetOf(int(b));
  for (int b : scratchBuf) mem.scratchOffset.push_back(offsetOf(b));

  for (const Value *v : p.inputs) mem.ioBytes += valueBytes(*v);
  for (const Value *v : p.outputs) mem.ioBytes += valueBytes(*v);
  return Status::ok();
}

int64_t arenaOffset(const Program &p, const Value *v) {
  const Value *r = p.root(v);
  if (!p.hasStorage(r)) return -1;
  const Storage &s = p.storage(r);
  return s.kind == Storage::Kind::Arena ? s.offset : -1;
}

} // namespace edgec::target
