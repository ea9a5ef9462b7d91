// If as IF with its branches as subgraphs; the values the branches read
// from enclosing graphs become IF operands and subgraph inputs.
#include "tflite/write/SubgraphWriter.h"

namespace edgec::tflite {

Status SubgraphWriter::ifNode(const Node &n) {
  const Attribute *t = n.attr("then_branch"), *e = n.attr("else_branch");
  if (!t || !e || !t->g || !e->g) return unsupported("If without branches");
  std::vector<const Value *> caps;
  collectCaptures(*t->g, *t->g, caps);
  collectCaptures(*e->g, *e->g, caps);
  EDGEC_ASSIGN_OR_RETURN(int32_t ct, in(n, 0));
  std::vector<int32_t> ins{ct};
  for (const Value *v : caps) {
    EDGEC_ASSIGN_OR_RETURN(int32_t x, tensorOf(v));
    ins.push_back(x);
  }
  std::vector<int32_t> outs;
  for (size_t i = 0; i < n.outputs.size(); ++i) {
    EDGEC_ASSIGN_OR_RETURN(int32_t o, out(n, i));
    outs.push_back(o);
  }
  EDGEC_ASSIGN_OR_RETURN(int32_t ti, body(*t->g, caps));
  EDGEC_ASSIGN_OR_RETURN(int32_t ei, body(*e->g, caps));
  return op(BO::IF, ins, outs, DataType::Float32, BOpt::IfOptions,
            fb::CreateIfOptions(w.fbb, ti, ei).Union());
}

} // namespace edgec::tflite
