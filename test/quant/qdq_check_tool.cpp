// Test driver: checks a QDQ model written by `edgec quantize` against ONNX
// Runtime's outputs for it. The model's QDQ groups are folded into integer
// ops (what back ends run), the integer interpreter runs the inputs, and
// every output element must be within one quantization step (the scale of
// the DequantizeLinear producing the output) of ONNX Runtime's on at least
// MIN_FRACTION of the elements (outputs computed in float after the last
// DequantizeLinear: within 1e-3 + 1e-2 |reference|).
//
//   edgec-qdq-check MODEL.onnx ORT_OUT_DIR MIN_FRACTION input_0.pb ...
// Prints one line per output; exit 0 on agreement, 1 otherwise.
#include "interp/Interpreter.h"
#include "onnx/OnnxImporter.h"
#include "onnx/TensorProto.h"
#include "passes/PassManager.h"
#include "ImportOptions.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>

using namespace edgec;

int main(int argc, char **argv) {
  if (argc < 5) {
    std::cerr << "usage: edgec-qdq-check MODEL ORT_OUT_DIR MIN_FRACTION INPUT.pb...\n";
    return 2;
  }
  auto fail = [](const std::string &m) {
    std::cerr << "error: " << m << "\n";
    return 1;
  };
  Expected<std::unique_ptr<Model>> mm = importOnnxFile(argv[1], test::evaluating());
  if (!mm.isOk()) return fail(mm.error().message());
  Model &m = **mm;
  // EDGEC_QDQ_LAYERS=1: print the integer values that differ from the QDQ
  // model's (float Q/DQ semantics) QuantizeLinear outputs of the same name.
  std::map<std::string, Tensor> qdqValues;
  const bool layers = std::getenv("EDGEC_QDQ_LAYERS") != nullptr;
  std::unique_ptr<Model> qdqModel;
  if (layers) {
    Expected<std::unique_ptr<Model>> q2 = importOnnxFile(argv[1], test::evaluating());
    if (q2.isOk()) qdqModel = q2.take();
  }
  PassManager pm;
  Status s = pm.addPassList("fold-qdq,eliminate-dead-code");
  if (s.isOk()) s = pm.run(m);
  if (!s.isOk()) return fail(s.error().message());
  const double minFraction = std::atof(argv[3]);
  std::map<std::string, Tensor> inputs;
  std::vector<const Value *> feeds;
  for (const Value *v : m.graph->inputs)
    if (!v->isInitializer()) feeds.push_back(v);
  for (int i = 4; i < argc; ++i) {
    if ((size_t)(i - 4) >= feeds.size()) return fail("too many inputs");
    Expected<Tensor> t = readTensorProtoFile(argv[i]);
    if (!t.isOk()) return fail(t.error().message());
    inputs[feeds[(size_t)(i - 4)]->name] = *t;
  }
  if (qdqModel) {
    InterpreterOptions qo;
    qo.observer = [&](const Value &v, const Tensor &t) {
      if (!isFloatType(t.dtype())) qdqValues[v.name] = t;
    };
    Interpreter qi(*qdqModel, qo);
    (void)qi.run(inputs);
  }
  InterpreterOptions io;
  io.observer = [&](const Value &v, const Tensor &t) {
    auto it = qdqValues.find(v.name);
    if (it == qdqValues.end() || it->second.numElements() != t.numElements()) return;
    int64_t off = 0, maxd = 0;
    for (int64_t i = 0; i < t.numElements(); ++i) {
      const int64_t d = std::abs(t.getInt64(i) - it->second.getInt64(i));
      off += d > 1;
      maxd = std::max(maxd, d);
    }
    const Node *p = v.producer();
    std::printf("layer %s (%s): %lld of %lld differ by more than 1, max %lld\n",
                v.name.c_str(), p ? p->opType.c_str() : "?", (long long)off,
                (long long)t.numElements(), (long long)maxd);
  };
  Interpreter interp(m, io);
  if (qdqModel) {
    // Each integer node alone, on the QDQ model's inputs.
    for (const auto &n : m.graph->nodes()) {
      std::vector<const Tensor *> ins;
      bool ok = n->outputs.size() >= 1 && n->outputs[0] && qdqValues.count(n->outputs[0]->name);
      for (const Value *v : n->inputs) {
        if (!v) { ins.push_back(nullptr); continue; }
        if (v->constant) { ins.push_back(&*v->constant); continue; }
        auto it = qdqValues.find(v->name);
        if (it == qdqValues.end()) { ok = false; break; }
        ins.push_back(&it->second);
      }
      if (!ok) continue;
      Expected<std::vector<Tensor>> r = interp.runNode(*n, ins);
      if (!r.isOk()) continue;
      const Tensor &t = (*r)[0], &e = qdqValues[n->outputs[0]->name];
      int64_t off = 0, maxd = 0;
      for (int64_t i = 0; i < t.numElements() && i < e.numElements(); ++i) {
        const int64_t d = std::abs(t.getInt64(i) - e.getInt64(i));
        if (d > 0 && off == 0 && ins[0] && ins[0]->numElements() == t.numElements())
          std::printf("  first at %lld: in %lld got %lld want %lld\n", (long long)i,
                      (long long)ins[0]->getInt64(i), (long long)t.getInt64(i),
                      (long long)e.getInt64(i));
        off += d > 0;
        maxd = std::max(maxd, d);
      }
      std::printf("alone %s (%s): %lld of %lld differ, max %lld\n", n->name.c_str(),
                  n->opType.c_str(), (long long)off, (long long)t.numElements(),
                  (long long)maxd);
    }
  }
  Expected<std::vector<Tensor>> outs = interp.run(inputs);
  if (!outs.isOk()) return fail(outs.error().message());
  bool ok = true;
  for (size_t o = 0; o < outs->size(); ++o) {
    const Value *v = m.graph->outputs[o];
    const Node *dq = v->producer();
    double step = 0;
    if (dq && dq->opType == "DequantizeLinear" && dq->input(1) &&
        dq->input(1)->constant)
      step = dq->input(1)->constant->getDouble(0);
    Expected<Tensor> ref = readTensorProtoFile(std::string(argv[2]) + "/output_" +
                                               std::to_string(o) + ".pb");
    if (!ref.isOk()) return fail(ref.error().message());
    const Tensor &a = (*outs)[o];
    if (ref->numElements() != a.numElements())
      return fail("output " + std::to_string(o) + ": element counts differ");
    int64_t within = 0, exact = 0;
    double maxDiff = 0;
    for (int64_t i = 0; i < a.numElements(); ++i) {
      const double d = std::fabs(a.getDouble(i) - ref->getDouble(i));
      maxDiff = std::max(maxDiff, d);
      // A float output (computed after the last DequantizeLinear, e.g. in a
      // subgraph): float tolerance instead of a quantization step.
      within += step > 0 ? d <= step * (1 + 1e-5) + 1e-7
                         : d <= 1e-3 + 1e-2 * std::fabs(ref->getDouble(i));
      exact += d <= 1e-7 + step * 1e-5;
    }
    const double frac = a.numElements() ? (double)within / (double)a.numElements() : 1;
    std::printf("%s: %lld elements, %.4f%% within one step (%.6g), %.4f%% equal, "
                "max diff %.6g\n",
                v->name.c_str(), (long long)a.numElements(), 100 * frac, step,
                a.numElements() ? 100.0 * (double)exact / (double)a.numElements() : 100.0,
                maxDiff);
    if (frac < minFraction) ok = false;
  }
  return ok ? 0 : 1;
}
