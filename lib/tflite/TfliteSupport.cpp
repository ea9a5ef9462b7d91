// tfliteSupport (TfliteSupport.h): the writer's conversion loop on a
// throwaway ModelWriter that keeps no buffer data, read back per node.
#include "tflite/TfliteSupport.h"

#include "tflite/write/SubgraphWriter.h"

#include <cassert>

namespace edgec {

using namespace tflite;

std::vector<TfliteSupport> tfliteSupport(const Graph &g, const TfliteProfile &profile) {
  ModelWriter w(profile, /*keepData=*/false);
  std::vector<const Value *> caps;
  if (g.parent) collectCaptures(g, g, caps);
  SubgraphWriter sw(w, g, caps);
  std::vector<TfliteSupport> r;
  if (Status s = sw.run(); !s.isOk()) {
    r.assign(g.nodes().size(), TfliteSupport{s.error().message(), {}, -1});
    return r;
  }
  for (const NodeResult &nr : sw.nodes) {
    TfliteSupport s;
    s.reason = nr.reason;
    if (s.supported()) {
      for (size_t i = nr.firstOp; i < nr.endOp; ++i) {
        const auto &[code, version] = w.opcodes[sw.ops[i].opcode];
        s.operators.push_back({fb::EnumNameBuiltinOperator((BO)code), code, version});
      }
      if (nr.principal >= 0) s.principal = nr.principal - (int)nr.firstOp;
    }
    r.push_back(std::move(s));
  }
  return r;
}

TfliteSupport tfliteSupport(const Node &n, const TfliteProfile &profile) {
  const Graph &g = *n.owner();
  std::vector<TfliteSupport> all = tfliteSupport(g, profile);
  size_t i = 0;
  for (const auto &np : g.nodes()) {
    if (np.get() == &n) return all[i];
    ++i;
  }
  assert(false && "tfliteSupport: the node is not in its owner graph");
  return {};
}

} // namespace edgec
