// Test driver: checks a QDQ model written by `edgec quantize` against ONNX
// Runtime's outputs for it. The model's QDQ groups are folded into integer
// ops (what back ends run), the integer interpreter runs the inputs, and
// every output is compared with ONNX Runtime's in quantization steps (the
// scale of the DequantizeLinear producing the output; outputs computed in
// float after the last DequantizeLinear use 1e-3 + 1e-2 |reference| as the
// step). Two bounds, both of which a regression can exceed:
//  - MAX_STEPS: no element may be more than this many steps off;
//  - MAX_BEYOND: at most this fraction of each output's elements may be
//    more than one step off ("-": no such bound, for outputs whose every
//    element is already more than one step off; MAX_STEPS still holds).
//
//   edgec-qdq-check MODEL.onnx ORT_OUT_DIR MAX_STEPS MAX_BEYOND input_0.pb ...
// Prints one line per output; exit 0 within both bounds, 1 outside them,
// 2 on a usage error (a bound that cannot fail is one: MAX_BEYOND >= 1).
#include "interp/Interpreter.h"
#include "onnx/OnnxImporter.h"
#include "onnx/TensorProto.h"
#include "passes/PassManager.h"
#include "ImportOptions.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>

using namespace edgec;

int main(int argc, char **argv) {
  if (argc < 6) {
    std::cerr << "usage: edgec-qdq-check MODEL ORT_OUT_DIR MAX_STEPS MAX_BEYOND INPUT.pb...\n";
    return 2;
  }
  // The bounds: finite, and each able to fail.
  char *end = nullptr;
  const double maxSteps = std::strtod(argv[3], &end);
  if (*end || !(maxSteps >= 0) || !std::isfinite(maxSteps)) {
    std::cerr << "error: MAX_STEPS must be a number >= 0, got '" << argv[3] << "'\n";
    return 2;
  }
  std::optional<double> maxBeyond;
  if (std::string(argv[4]) != "-") {
    maxBeyond = std::strtod(argv[4], &end);
    if (*end || !(*maxBeyond >= 0) || *maxBeyond >= 1) {
      std::cerr << "error: MAX_BEYOND must be '-' or a fraction in [0, 1) (1 or more "
                   "cannot fail), got '" << argv[4] << "'\n";
      return 2;
    }
  }
  const int firstInput = 5;
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
  std::map<std::string, Tensor> inputs;
  std::vector<const Value *> feeds;
  for (const Value *v : m.graph->inputs)
    if (!v->isInitializer()) feeds.push_back(v);
  for (int i = firstInput; i < argc; ++i) {
    if ((size_t)(i - firstInput) >= feeds.size()) return fail("too many inputs");
    Expected<Tensor> t = readTensorProtoFile(argv[i]);
    if (!t.isOk()) return fail(t.error().message());
    inputs[feeds[(size_t)(i - firstInput)]->name] = *t;
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
    int64_t beyond = 0, exact = 0;
    double maxDiff = 0, worstSteps = 0;
    int64_t worstAt = 0;
    for (int64_t i = 0; i < a.numElements(); ++i) {
      const double d = std::fabs(a.getDouble(i) - ref->getDouble(i));
      maxDiff = std::max(maxDiff, d);
      // A float output (computed after the last DequantizeLinear, e.g. in a
      // subgraph): float tolerance instead of a quantization step.
      const double unit = step > 0 ? step : 1e-3 + 1e-2 * std::fabs(ref->getDouble(i));
      // Steps off, forgiving float32 rounding of the dequantized values.
      const double steps = std::max(0.0, d - 1e-7) / (unit * (1 + 1e-5));
      if (steps > worstSteps) worstSteps = steps, worstAt = i;
      beyond += steps > 1;
      exact += d <= 1e-7 + step * 1e-5;
    }
    const int64_t n = a.numElements();
    const double fracBeyond = n ? (double)beyond / (double)n : 0;
    char bound[32] = "none";
    if (maxBeyond) std::snprintf(bound, sizeof bound, "%g%%", 100 * *maxBeyond);
    std::printf("%s: %lld elements, %lld (%.4f%%) more than one step (%.6g) off "
                "(bound %s), %.4f%% equal, max %.6g steps (bound %g), max diff %.6g\n",
                v->name.c_str(), (long long)n, (long long)beyond, 100 * fracBeyond, step,
                bound,
                n ? 100.0 * (double)exact / (double)n : 100.0, worstSteps, maxSteps, maxDiff);
    if (worstSteps > 1)
      std::printf("%s: worst at element %lld: edgec %.6g, ONNX Runtime %.6g\n",
                  v->name.c_str(), (long long)worstAt, a.getDouble(worstAt),
                  ref->getDouble(worstAt));
    if (worstSteps > maxSteps) {
      std::printf("%s: exceeds MAX_STEPS: %.6g steps > %g\n", v->name.c_str(), worstSteps,
                  maxSteps);
      ok = false;
    }
    if (maxBeyond && fracBeyond > *maxBeyond) {
      std::printf("%s: exceeds MAX_BEYOND: %.6g > %g of the elements more than one step off\n",
                  v->name.c_str(), fracBeyond, *maxBeyond);
      ok = false;
    }
  }
  return ok ? 0 : 1;
}
