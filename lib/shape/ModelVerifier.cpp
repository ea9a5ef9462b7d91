#include "shape/ModelVerifier.h"

#include "ir/Annotations.h"
#include "ir/Verifier.h"

#include <vector>

namespace edgec {

namespace {

/// A declared static type contradicts the computed one: different element
/// types, different ranks, or a dimension both know that differs.
bool contradicts(const TensorType &declared, const TensorType &computed) {
  if (declared.dtype != DataType::Undefined &&
      computed.dtype != DataType::Undefined && declared.dtype != computed.dtype)
    return true;
  if (!declared.hasRank || !computed.hasRank) return false;
  if (declared.rank() != computed.rank()) return true;
  for (size_t i = 0; i < declared.rank(); ++i)
    if (declared.dims[i].isStatic() && computed.dims[i].isStatic() &&
        declared.dims[i].value != computed.dims[i].value)
      return true;
  return false;
}

/// The declared type of one node output, before inference.
struct Declared {
  const Node *node;
  size_t output;
  TensorType type;
};

/// Declared types of every node output, subgraphs included, in node order.
void collectDeclared(const Graph &g, std::vector<Declared> &out) {
  for (const auto &n : g.nodes()) {
    for (Graph *sg : n->subgraphs()) collectDeclared(*sg, out);
    for (size_t i = 0; i < n->outputs.size(); ++i)
      if (n->outputs[i]) out.push_back({n.get(), i, n->outputs[i]->type});
  }
}

} // namespace

Verdict verifyModel(Model &m, const VerifyOptions &o) {
  Status structure = verifyGraph(*m.graph);
  if (!structure.isOk()) return {structure, nullptr};
  std::vector<Declared> declared;
  if (o.checkDeclaredTypes) collectDeclared(*m.graph, declared);
  // Quantized nodes (ir/Annotations.h) run integer kernels; the float ops'
  // inference does not describe them (a quantized Softmax is not floating
  // point). Unsupported features (string constants, ...) are not a validity
  // question: the commands that need them report them (exit 5).
  for (const ShapeDiagnostic &d : inferShapesDiagnose(m, o.inference))
    if ((!d.node || !isQuantizedNode(*d.node)) &&
        d.error.code() != ErrorCode::Unsupported)
      return {Error(ErrorCode::InvalidModel, d.error.message()), d.node};
  for (const Declared &d : declared) {
    const Value *v = d.node->outputs[d.output];
    if (isQuantizedNode(*d.node) || !contradicts(d.type, v->type)) continue;
    return {Error(ErrorCode::InvalidModel,
                  d.node->label() + ": output '" + v->name + "' is declared " +
                      d.type.str() + " but the model computes " +
                      v->type.str()),
            d.node};
  }
  return {Status::ok(), nullptr};
}

} // namespace edgec
