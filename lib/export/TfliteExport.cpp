// The TFLite export pipeline (TfliteExport.h).
#include "export/TfliteExport.h"

#include "ir/Annotations.h"
#include "passes/InferShapes.h"
#include "passes/PassManager.h"
#include "support/FileIO.h"

namespace edgec {
namespace {

bool hasQdq(const Graph &g) {
  for (const auto &n : g.nodes())
    if (n->domain.empty() && (n->opType == "QuantizeLinear" || n->opType == "DequantizeLinear"))
      return true;
  return false;
}

bool hasChannelsFirst(const Graph &g) {
  for (const auto &n : g.nodes()) {
    const std::string &o = n->opType;
    if (n->domain.empty() && !isChannelsLast(*n) &&
        (o == "Conv" || o == "ConvTranspose" || o == "MaxPool" || o == "AveragePool" ||
         o == "GlobalAveragePool" || o == "GlobalMaxPool" || o == "BatchNormalization"))
      return true;
  }
  return false;
}

} // namespace

Status prepareForTflite(Model &m, const TfliteExportOptions &o) {
  // Constant nodes become initializers (their values are read as data).
  std::vector<Node *> consts;
  for (const auto &n : m.graph->nodes())
    if (n->opType == "Constant" && n->domain.empty() && n->outputs.size() == 1 &&
        n->outputs[0] && n->attr("value") && n->attr("value")->kind == Attribute::Kind::Tensor)
      consts.push_back(n.get());
  for (Node *n : consts) {
    Value *v = n->outputs[0];
    Tensor t = n->attr("value")->t;
    m.graph->removeNode(n);
    v->constant = t;
    v->type = TensorType(t.dtype(), t.shape());
  }
  // Dynamic input dims become 1 (TFLite's default allocation); the file
  // keeps -1 for them in shape_signature.
  bool fixed = false;
  for (Value *v : m.graph->inputs) {
    if (v->constant || !v->type.hasRank) continue;
    for (Dim &d : v->type.dims)
      if (!d.isStatic()) {
        m.metadata["edgec.tflite.dynamic." + v->name] += std::to_string(&d - v->type.dims.data()) + ",";
        d = Dim::fixed(1);
        fixed = true;
      }
  }
  if (fixed) EDGEC_TRY(inferShapesWithConstants(m));
  if (o.foldQdq && hasQdq(*m.graph)) {
    PassManager pm;
    EDGEC_TRY(pm.addPassList("fold-qdq,eliminate-dead-code,fold-qdq-hardswish,eliminate-dead-code"));
    EDGEC_TRY(pm.run(m));
  }
  if (o.convertLayout && hasChannelsFirst(*m.graph)) {
    // The layout stage carries the quantization parameters of integer
    // graphs onto the values it creates (transposed copies).
    PassManager pm;
    EDGEC_TRY(pm.addStage(nhwcLayoutStage()));
    EDGEC_TRY(pm.run(m));
  }
  return inferShapesWithConstants(m);
}

Expected<std::string> exportTfliteBytes(Model &m, const TfliteExportOptions &o) {
  EDGEC_TRY(prepareForTflite(m, o));
  return writeTflite(m, o);
}

Status exportTfliteFile(Model &m, const std::string &path, const TfliteExportOptions &o) {
  EDGEC_ASSIGN_OR_RETURN(std::string bytes, exportTfliteBytes(m, o));
  return writeFileBytes(path, bytes);
}

} // namespace edgec
