// The Edge TPU target's prediction: the constraint table and status strings
// (targets/edgetpu/EdgeTpuRules.h), and the negative pack in
// test/targets/edgetpu/pack/ (one small QDQ model per failure class: a float
// op, batch 2, a rank-5 tensor, TRANSPOSE, a dynamic dimension, an
// unsupported op at the input), each prepared and partitioned as
// `edgec compile --target edgetpu` does: every node gets the compiler's
// status for its own problem, and every node after the first unmapped one is
// on the CPU (the single-partition rule).
#include "onnx/OnnxImporter.h"
#include "support/FileIO.h"
#include "targets/Driver.h"
#include "targets/common/ModelSlice.h"
#include "targets/edgetpu/EdgeTpuPrediction.h"
#include "targets/edgetpu/EdgeTpuRules.h"
#include "targets/edgetpu/EdgeTpuTarget.h"

#include <gtest/gtest.h>

#include <set>

using namespace edgec;
using namespace edgec::edgetpu;

namespace {

TEST(EdgeTpuRules, StatusStringsAreTheCompilers) {
  // Verbatim from NPU-EDGETPU.md B.5 ("Status strings seen").
  EXPECT_STREQ(statusString(OpStatus::Mapped), "Mapped to Edge TPU");
  EXPECT_STREQ(statusString(OpStatus::MoreThanOneSubgraph),
               "More than one subgraph is not supported");
  EXPECT_STREQ(statusString(OpStatus::UnspecifiedLimitation),
               "Operation is otherwise supported, but not mapped due to some unspecified "
               "limitation");
  EXPECT_STREQ(statusString(OpStatus::UnsupportedDataType),
               "Operation is working on an unsupported data type");
  EXPECT_STREQ(statusString(OpStatus::NotSupported), "Operation not supported");
  EXPECT_STREQ(statusString(OpStatus::VersionNotSupported), "Operation version not supported");
  EXPECT_STREQ(statusString(OpStatus::UnsupportedRank),
               "Tensor has unsupported rank (up to 3 innermost dimensions mapped)");
  std::set<std::string> distinct;
  for (OpStatus s : allStatuses()) distinct.insert(statusString(s));
  EXPECT_EQ(distinct.size(), 7u);
}

TEST(EdgeTpuRules, EveryRuleHasASourceAndOneEntry) {
  std::set<std::string> ops;
  for (const OperatorRule &r : operatorRules()) {
    EXPECT_TRUE(ops.insert(r.op).second) << "duplicate rule " << r.op;
    EXPECT_NE(std::string(r.source).find("NPU-EDGETPU.md B."), std::string::npos) << r.op;
    EXPECT_GE(r.maxVersion, 1) << r.op;
  }
  // DEQUANTIZE is in the table only to be refused for its float output,
  // as the compiler's log shows (google-coral/edgetpu#490).
  ASSERT_NE(findOperatorRule("DEQUANTIZE"), nullptr);
  EXPECT_NE(std::string(findOperatorRule("DEQUANTIZE")->source).find("#490"), std::string::npos);
  for (const char *absent : {"TRANSPOSE", "GATHER", "DIV", "EXP", "HARD_SWISH",
                             "BATCH_MATMUL", "CUSTOM", "FLOOR_MOD"})
    EXPECT_EQ(findOperatorRule(absent), nullptr) << absent;
}

TEST(EdgeTpuRules, OperatorVersionsTooNewAreRefused) {
  EXPECT_TRUE(checkOperator("CONV_2D", 3).mapped());
  EXPECT_TRUE(checkOperator("CONV_2D", 5).mapped());
  // TF 2.9 writes CONV_2D version 6 (google-coral/edgetpu#631).
  Verdict v = checkOperator("CONV_2D", 6);
  EXPECT_EQ(v.status, OpStatus::VersionNotSupported);
  EXPECT_NE(v.detail.find("CONV_2D version 6 is above version 5"), std::string::npos) << v.detail;
  EXPECT_NE(v.detail.find("Didn't find op for builtin opcode 'CONV_2D' version '6'"),
            std::string::npos);
  EXPECT_NE(v.source.find("#631"), std::string::npos);
  EXPECT_EQ(checkOperator("TRANSPOSE_CONV", 3).status, OpStatus::VersionNotSupported);
  EXPECT_EQ(checkOperator("RESIZE_BILINEAR", 3).status, OpStatus::VersionNotSupported);
  EXPECT_TRUE(checkOperator("RESIZE_BILINEAR", 2).mapped());
  Verdict t = checkOperator("TRANSPOSE", 1);
  EXPECT_EQ(t.status, OpStatus::NotSupported);
  EXPECT_NE(t.source.find("#342"), std::string::npos);
}

TEST(EdgeTpuRules, TensorTypesAndRanks) {
  EXPECT_EQ(effectiveRank({1, 96, 96, 3}), 3u);
  EXPECT_EQ(effectiveRank({1, 1, 5, 3}), 2u);
  EXPECT_EQ(effectiveRank({3, 128, 128, 1}), 4u);
  EXPECT_EQ(effectiveRank({}), 0u);
  Graph g;
  Value *ok = g.addValue("ok", TensorType(DataType::Int8, {1, 128, 128, 3}));
  Value *u8 = g.addValue("u8", TensorType(DataType::UInt8, {1, 1, 1, 7, 5, 3}));
  Value *f = g.addValue("f", TensorType(DataType::Float32, {1, 8}));
  Value *i32 = g.addValue("i32", TensorType(DataType::Int32, {1, 8}));
  Value *b2 = g.addValue("b2", TensorType(DataType::Int8, {3, 128, 128, 1}));
  EXPECT_TRUE(checkTensor(*ok, "input").mapped());
  EXPECT_TRUE(checkTensor(*u8, "input").mapped());
  EXPECT_EQ(checkTensor(*f, "input").status, OpStatus::UnsupportedDataType);
  EXPECT_EQ(checkTensor(*i32, "output").status, OpStatus::UnsupportedDataType);
  Verdict r = checkTensor(*b2, "output");
  EXPECT_EQ(r.status, OpStatus::UnsupportedRank);
  EXPECT_NE(r.detail.find("batch must be 1"), std::string::npos) << r.detail;
}

/// A pack model prepared, partitioned and predicted as compile does.
struct Predicted {
  std::unique_ptr<Model> model;
  target::Partition partition;
  Prediction prediction;
  std::vector<std::string> notes;

  const NodeRow &row(const std::string &op, int nth = 0) const {
    for (const NodeRow &r : prediction.nodes)
      if (r.node->opType == op && nth-- == 0) return r;
    ADD_FAILURE() << "no node " << op;
    return prediction.nodes.front();
  }
};

Predicted predictPack(const std::string &file, std::vector<std::string> options = {}) {
  Predicted p;
  std::string path = std::string(EDGEC_SOURCE_DIR) + "/test/targets/edgetpu/pack/" + file;
  auto text = readFileBytes(path);
  EXPECT_TRUE(text.isOk()) << path;
  auto m = importOnnxText(*text);
  EXPECT_TRUE(m.isOk()) << m.error().message();
  p.model = std::move(*m);
  auto setup = target::setUpTarget("edgetpu", options, "");
  EXPECT_TRUE(setup.isOk());
  auto prep = target::prepareForTarget(*p.model, *setup);
  EXPECT_TRUE(prep.isOk()) << prep.error().message();
  p.partition = target::partitionForTarget(*p.model, *setup);
  p.notes = setup->target->notes;
  EXPECT_EQ(p.partition.fallback, "tflite");
  EXPECT_EQ(p.partition.policy, target::PartitionPolicy::Prefix);
  EXPECT_TRUE(p.partition.unsupported().empty()) << "the CPU tail (tflite) runs every node";
  target::PlacementView view = setup->target->describePlacement(*p.model, p.partition);
  EXPECT_TRUE(view.present);
  auto *et = dynamic_cast<edgetpu::EdgeTpuTarget *>(setup->target.get());
  EXPECT_NE(et, nullptr);
  if (et) p.prediction = et->predictPartition(p.partition);
  // inspect's JSON holds the same counts.
  const Json *ops = view.json.find("operations");
  EXPECT_TRUE(ops && ops->find("edgetpu") &&
              ops->find("edgetpu")->asInt() == p.prediction.onEdgeTpu);
  return p;
}

/// Every node after the first unmapped one is on the CPU, and its status is
/// its own problem or "More than one subgraph is not supported".
void expectPrefixRule(const Predicted &p) {
  bool cut = false;
  for (size_t i = 0; i < p.prediction.nodes.size(); ++i) {
    const NodeRow &r = p.prediction.nodes[i];
    const target::NodePlacement &pl = p.partition.placements[i];
    if (cut) {
      EXPECT_NE(r.status, OpStatus::Mapped) << r.node->label();
      EXPECT_EQ(pl.kind, target::NodePlacement::Kind::Fallback) << r.node->label();
      EXPECT_EQ(pl.target, "tflite");
    } else if (r.status == OpStatus::Mapped) {
      EXPECT_EQ(pl.kind, target::NodePlacement::Kind::OnTarget) << r.node->label();
    }
    cut = cut || r.status != OpStatus::Mapped;
  }
  EXPECT_EQ(p.prediction.onEdgeTpu + p.prediction.onCpu, p.prediction.total);
}

TEST(EdgeTpuPack, FloatOp) {
  Predicted p = predictPack("float_op.onnxtxt");
  EXPECT_EQ(p.row("Relu").status, OpStatus::Mapped);
  EXPECT_EQ(p.row("DequantizeLinear").status, OpStatus::UnsupportedDataType);
  EXPECT_EQ(p.row("Exp").status, OpStatus::NotSupported);
  EXPECT_EQ(p.row("Add").status, OpStatus::UnsupportedDataType);
  EXPECT_NE(p.row("Add").detail.find("f32"), std::string::npos);
  EXPECT_EQ(p.row("QuantizeLinear").status, OpStatus::UnsupportedDataType);
  EXPECT_EQ(p.row("Relu", 1).status, OpStatus::MoreThanOneSubgraph);
  EXPECT_EQ(p.prediction.onEdgeTpu, 1);
  EXPECT_EQ(p.prediction.subgraphs, 1);
  expectPrefixRule(p);
}

TEST(EdgeTpuPack, BatchTwo) {
  Predicted p = predictPack("batch2.onnxtxt");
  EXPECT_EQ(p.row("Relu").status, OpStatus::UnsupportedRank);
  EXPECT_NE(p.row("Relu").detail.find("batch must be 1"), std::string::npos);
  EXPECT_EQ(p.prediction.onEdgeTpu, 0);
  EXPECT_EQ(p.prediction.subgraphs, 0);
  expectPrefixRule(p);
}

TEST(EdgeTpuPack, BatchTwoFullyConnected) {
  Predicted p = predictPack("batch2_fc.onnxtxt", {"rewrites=none"});
  const NodeRow &fc = p.row("MatMul");
  ASSERT_FALSE(fc.operators.empty());
  EXPECT_EQ(fc.operators.back().name, "FULLY_CONNECTED");
  EXPECT_EQ(fc.status, OpStatus::UnspecifiedLimitation);
  EXPECT_NE(fc.detail.find("is not 1-D"), std::string::npos) << fc.detail;
  expectPrefixRule(p);
}

TEST(EdgeTpuPack, RankFiveReshape) {
  Predicted p = predictPack("rank5.onnxtxt", {"rewrites=none"});
  EXPECT_EQ(p.row("Relu").status, OpStatus::Mapped);
  EXPECT_EQ(p.row("Reshape").status, OpStatus::UnsupportedRank);
  EXPECT_NE(p.row("Reshape").detail.find("[1,2,3,2,2]"), std::string::npos);
  EXPECT_EQ(p.row("Reshape", 1).status, OpStatus::UnsupportedRank);
  EXPECT_EQ(p.row("Relu", 1).status, OpStatus::MoreThanOneSubgraph);
  expectPrefixRule(p);
}

TEST(EdgeTpuPack, Transpose) {
  Predicted p = predictPack("transpose.onnxtxt");
  EXPECT_EQ(p.row("Relu").status, OpStatus::Mapped);
  EXPECT_EQ(p.row("Transpose").status, OpStatus::NotSupported);
  EXPECT_EQ(p.row("Relu", 1).status, OpStatus::MoreThanOneSubgraph);
  // The compiler's table: one row per (operator, status).
  ASSERT_EQ(p.prediction.table.size(), 3u);
  EXPECT_EQ(p.prediction.table[0].op, "RELU");
  EXPECT_EQ(p.prediction.table[1].op, "TRANSPOSE");
  EXPECT_EQ(p.prediction.table[2].op, "RELU");
  EXPECT_EQ(p.prediction.table[2].status, OpStatus::MoreThanOneSubgraph);
  expectPrefixRule(p);
}

TEST(EdgeTpuPack, DynamicShape) {
  Predicted p = predictPack("dynamic.onnxtxt");
  EXPECT_EQ(p.row("Relu").status, OpStatus::UnspecifiedLimitation);
  EXPECT_NE(p.row("Relu").detail.find("dynamic"), std::string::npos);
  bool noted = false;
  for (const std::string &n : p.notes) noted = noted || n.find("--input-shape") != std::string::npos;
  EXPECT_TRUE(noted);
  EXPECT_EQ(p.prediction.onEdgeTpu, 0);
  expectPrefixRule(p);
}

TEST(EdgeTpuPack, UnsupportedOpAtTheInput) {
  Predicted p = predictPack("unsupported_first.onnxtxt");
  EXPECT_EQ(p.row("LeakyRelu").status, OpStatus::NotSupported);
  EXPECT_EQ(p.row("Relu").status, OpStatus::MoreThanOneSubgraph);
  EXPECT_EQ(p.row("Add").status, OpStatus::MoreThanOneSubgraph);
  EXPECT_EQ(p.prediction.onEdgeTpu, 0);
  EXPECT_EQ(p.prediction.mappedFraction(), 0.0);
  expectPrefixRule(p);
}

/// The prediction for an ONNX text model compiled with the defaults.
Prediction predictText(const std::string &text, std::unique_ptr<Model> &keep) {
  auto m = importOnnxText(text);
  EXPECT_TRUE(m.isOk()) << m.error().message();
  if (!m.isOk()) return {};
  keep = std::move(*m);
  auto setup = target::setUpTarget("edgetpu", {}, "");
  EXPECT_TRUE(setup.isOk());
  auto prep = target::prepareForTarget(*keep, *setup);
  EXPECT_TRUE(prep.isOk()) << prep.error().message();
  target::Partition part = target::partitionForTarget(*keep, *setup);
  auto *et = dynamic_cast<EdgeTpuTarget *>(setup->target.get());
  return et ? et->predictPartition(part) : Prediction{};
}

const NodeRow *rowOf(const Prediction &p, const std::string &op) {
  for (const NodeRow &r : p.nodes)
    if (r.node->opType == op) return &r;
  return nullptr;
}

std::string qdqModel(const std::string &sig, const std::string &inits, const std::string &body) {
  return std::string("<ir_version: 8, opset_import: [\"\" : 13]>\ng ") + sig + " {\n" +
         "  s = Constant <value = float {0.05}> ()\n  z = Constant <value = int8 {0}> ()\n" +
         inits + "  xq = QuantizeLinear(x, s, z)\n  xd = DequantizeLinear(xq, s, z)\n" + body +
         "  yq = QuantizeLinear(r, s, z)\n  y = DequantizeLinear(yq, s, z)\n}\n";
}

TEST(EdgeTpuRules, OperatorLimits) {
  std::unique_ptr<Model> keep;
  // STRIDED_SLICE: strides 1 map, step 2 does not.
  const std::string sliceInits =
      "  b = Constant <value = int64[1] {0}> ()\n  e = Constant <value = int64[1] {8}> ()\n"
      "  a = Constant <value = int64[1] {1}> ()\n";
  for (int step : {1, 2}) {
    Prediction p = predictText(
        qdqModel("(float[1,8,4] x) => (float[1," + std::to_string(8 / step) + ",4] y)",
                 sliceInits + "  st = Constant <value = int64[1] {" + std::to_string(step) +
                     "}> ()\n",
                 "  r = Slice(xd, b, e, a, st)\n"),
        keep);
    const NodeRow *r = rowOf(p, "Slice");
    ASSERT_NE(r, nullptr);
    ASSERT_FALSE(r->operators.empty());
    EXPECT_EQ(r->operators.back().name, "STRIDED_SLICE");
    if (step == 1) {
      EXPECT_EQ(r->status, OpStatus::Mapped) << r->detail;
    } else {
      EXPECT_EQ(r->status, OpStatus::UnspecifiedLimitation);
      EXPECT_NE(r->detail.find("step 2"), std::string::npos) << r->detail;
    }
  }
  // CONCATENATION with a constant: a zero block as one of two inputs maps
  // (a zero-pad), a non-zero constant does not.
  for (int value : {0, 7}) {
    std::string v = std::to_string(value);
    Prediction p = predictText(
        qdqModel("(float[1,4,8] x) => (float[1,6,8] y)",
                 "  cq = Constant <value = int8[1,2,8] {" + v + "," + v + "," + v + "," + v + "," +
                     v + "," + v + "," + v + "," + v + "," + v + "," + v + "," + v + "," + v +
                     "," + v + "," + v + "," + v + "," + v + "}> ()\n",
                 "  cd = DequantizeLinear(cq, s, z)\n  r = Concat <axis = 1> (xd, cd)\n"),
        keep);
    const NodeRow *r = rowOf(p, "Concat");
    ASSERT_NE(r, nullptr);
    if (value == 0) {
      EXPECT_EQ(r->status, OpStatus::Mapped) << r->detail;
    } else {
      EXPECT_EQ(r->status, OpStatus::UnspecifiedLimitation);
      EXPECT_NE(r->detail.find("all zeros"), std::string::npos) << r->detail;
    }
  }
}

TEST(EdgeTpuPrediction, ParameterCacheEstimate) {
  // A mapped FULLY_CONNECTED: its int8 weights and int32 bias are the
  // parameters; within the assumed 7.50 MiB cache nothing is streamed.
  const char *text = R"(<ir_version: 8, opset_import: ["" : 13]>
g (float[1,6] x) => (float[1,4] y) {
  s = Constant <value = float {0.05}> ()
  z = Constant <value = int8 {0}> ()
  ws = Constant <value = float {0.01}> ()
  wq = Constant <value = int8[6,4] {1,2,3,4,5,6,7,8,9,10,11,12,-1,-2,-3,-4,-5,-6,-7,-8,-9,-10,-11,-12}> ()
  xq = QuantizeLinear(x, s, z)
  xd = DequantizeLinear(xq, s, z)
  wd = DequantizeLinear(wq, ws, z)
  g = MatMul(xd, wd)
  gq = QuantizeLinear(g, s, z)
  y = DequantizeLinear(gq, s, z)
})";
  auto m = importOnnxText(text);
  ASSERT_TRUE(m.isOk()) << m.error().message();
  auto setup = target::setUpTarget("edgetpu", {}, "");
  ASSERT_TRUE(setup.isOk());
  ASSERT_TRUE(target::prepareForTarget(**m, *setup).isOk());
  target::Partition part = target::partitionForTarget(**m, *setup);
  auto *et = dynamic_cast<EdgeTpuTarget *>(setup->target.get());
  ASSERT_NE(et, nullptr);
  Prediction p = et->predictPartition(part);
  ASSERT_EQ(p.onCpu, 0);
  int64_t weights = 0;
  Value *w = nullptr;
  for (const auto &v : (*m)->graph->values())
    if (v->constant && v->type.dtype == DataType::Int8 && v->constant->numElements() == 24)
      w = v.get();
  ASSERT_NE(w, nullptr);
  weights = (int64_t)w->constant->byteSize();
  EXPECT_GE(p.parameterBytes, weights);
  EXPECT_EQ(p.onChipEstimate, p.parameterBytes);
  EXPECT_EQ(p.offChipEstimate, 0);
  // The same weights grown to 3000 x 3000 int8 (8.58 MiB) no longer fit:
  // what exceeds the cache is streamed.
  auto big = Tensor::create(DataType::Int8, {3000, 3000});
  ASSERT_TRUE(big.isOk());
  w->constant = std::move(*big);
  Prediction q = et->predictPartition(part);
  EXPECT_EQ(q.parameterBytes - p.parameterBytes, 3000 * 3000 - weights);
  EXPECT_EQ(q.onChipEstimate, kParameterCacheBytes);
  EXPECT_EQ(q.offChipEstimate, q.parameterBytes - kParameterCacheBytes);
  EXPECT_GT(q.offChipEstimate, 0);
  Json j = predictionJson(q);
  ASSERT_TRUE(j.find("parameters"));
  EXPECT_EQ(j.find("parameters")->find("off_chip_estimate")->asInt(), q.offChipEstimate);
}

// The rewrites (targets/edgetpu/EdgeTpuRewrites.h), each on a pack model
// that shows it: the mapped count before them (what rewrites=none predicts)
// and after.
const RewriteApplied *findRewrite(const Prediction &p, const std::string &name) {
  for (const RewriteApplied &r : p.rewrites)
    if (r.name == name) return &r;
  return nullptr;
}

TEST(EdgeTpuRewrites, DelayUnmappedMovesPostProcessingToTheTail) {
  Predicted off = predictPack("rw_postprocess.onnxtxt", {"rewrites=none"});
  EXPECT_FALSE(off.prediction.beforeRewrites);
  EXPECT_EQ(off.prediction.onEdgeTpu, 0) << "the LEAKY_RELU comes first in the file";
  Predicted on = predictPack("rw_postprocess.onnxtxt");
  ASSERT_TRUE(on.prediction.beforeRewrites);
  EXPECT_EQ(on.prediction.beforeRewrites->mapped, off.prediction.onEdgeTpu);
  EXPECT_EQ(on.prediction.beforeRewrites->total, off.prediction.total);
  const RewriteApplied *r = findRewrite(on.prediction, "delay-unmapped");
  ASSERT_NE(r, nullptr);
  EXPECT_TRUE(r->exact);
  // RELU and ADD map; the LEAKY_RELU is the CPU tail, last in the file.
  EXPECT_EQ(on.prediction.onEdgeTpu, 2);
  EXPECT_EQ(on.prediction.onCpu, 1);
  EXPECT_EQ(on.prediction.nodes.back().node->opType, "LeakyRelu");
  EXPECT_EQ(on.prediction.nodes.back().status, OpStatus::NotSupported);
  Json j = predictionJson(on.prediction);
  EXPECT_EQ(j["rewrites"]["before"]["edgetpu"].asInt(), 0);
  EXPECT_FALSE(j["nodes"].elements().back().find("rewrite_needed")->isNull());
}

TEST(EdgeTpuRewrites, TransposeOfOnesIsAReshape) {
  Predicted off = predictPack("rw_transpose_ones.onnxtxt", {"rewrites=none"});
  EXPECT_EQ(off.row("Transpose").status, OpStatus::NotSupported);
  EXPECT_EQ(off.prediction.onEdgeTpu, 1);
  Predicted on = predictPack("rw_transpose_ones.onnxtxt");
  const RewriteApplied *r = findRewrite(on.prediction, "transpose-to-reshape");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->count, 1);
  EXPECT_TRUE(r->exact);
  EXPECT_EQ(on.prediction.onCpu, 0);
  EXPECT_EQ(on.prediction.onEdgeTpu, on.prediction.total);
  EXPECT_EQ(on.row("Reshape").status, OpStatus::Mapped);
}

TEST(EdgeTpuRewrites, FoldRank) {
  // rank5.onnxtxt: RESHAPE to [1,2,3,2,2] and back; the value between is
  // written [6,2,2].
  Predicted on = predictPack("rank5.onnxtxt");
  const RewriteApplied *r = findRewrite(on.prediction, "fold-rank");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->count, 1);
  EXPECT_TRUE(r->exact);
  EXPECT_EQ(on.prediction.onCpu, 0);
  EXPECT_EQ(on.prediction.onEdgeTpu, on.prediction.total);
  ASSERT_NE(on.model->graph->findValue("hq"), nullptr);
  EXPECT_EQ(on.model->graph->findValue("hq")->type.staticShape(), (std::vector<int64_t>{6, 2, 2}));
}

TEST(EdgeTpuRewrites, RankThatCannotBeFolded) {
  // rank5_reduce.onnxtxt: a REDUCE_MAX over the third of five dimensions
  // depends on the shape: nothing is folded, the RESHAPE is refused.
  Predicted on = predictPack("rank5_reduce.onnxtxt");
  EXPECT_EQ(findRewrite(on.prediction, "fold-rank"), nullptr);
  EXPECT_EQ(on.row("Reshape").status, OpStatus::UnsupportedRank);
  EXPECT_EQ(on.prediction.onEdgeTpu, 0);
  expectPrefixRule(on);
}

TEST(EdgeTpuRewrites, SplitLargeMean) {
  // rw_mean_large.onnxtxt: a MEAN over the channels of [1,256,128,3], the
  // size google-coral/edgetpu#461 reports unmapped.
  Predicted off = predictPack("rw_mean_large.onnxtxt", {"rewrites=none"});
  EXPECT_EQ(off.row("ReduceMean").status, OpStatus::UnspecifiedLimitation);
  EXPECT_NE(off.row("ReduceMean").detail.find("98304 elements"), std::string::npos);
  Predicted on = predictPack("rw_mean_large.onnxtxt");
  const RewriteApplied *r = findRewrite(on.prediction, "split-mean");
  ASSERT_NE(r, nullptr);
  EXPECT_TRUE(r->exact);
  EXPECT_EQ(on.prediction.onCpu, 0);
  std::multiset<std::string> ops;
  for (const NodeRow &n : on.prediction.nodes)
    for (const TfliteOperatorUse &o : n.operators) ops.insert(o.name);
  EXPECT_EQ(ops.count("MEAN"), 4u);
  EXPECT_EQ(ops.count("CONCATENATION"), 1u);
  for (const NodeRow &n : on.prediction.nodes)
    if (n.node->opType == "ReduceMean") {
      int64_t count = 1;
      for (int64_t d : n.node->input(0)->type.staticShape()) count *= d;
      EXPECT_LE(count, kMeanInputMapped);
    }
}

TEST(EdgeTpuRewrites, FullyConnectedRowsAsConv) {
  for (const char *file : {"rw_fc_rows.onnxtxt", "batch2_fc.onnxtxt"}) {
    Predicted off = predictPack(file, {"rewrites=none"});
    EXPECT_EQ(off.row("MatMul").status, OpStatus::UnspecifiedLimitation) << file;
    EXPECT_EQ(off.prediction.onEdgeTpu, 0) << file;
    Predicted on = predictPack(file);
    const RewriteApplied *r = findRewrite(on.prediction, "fc-as-conv");
    ASSERT_NE(r, nullptr) << file;
    EXPECT_EQ(r->count, 1);
    EXPECT_TRUE(r->exact);
    EXPECT_EQ(on.prediction.onCpu, 0) << file;
    std::multiset<std::string> ops;
    for (const NodeRow &n : on.prediction.nodes)
      for (const TfliteOperatorUse &o : n.operators) ops.insert(o.name);
    EXPECT_EQ(ops, (std::multiset<std::string>{"RESHAPE", "CONV_2D", "RESHAPE"})) << file;
  }
}

TEST(EdgeTpuRewrites, TransposeOfRealDimensionsStays) {
  // transpose.onnxtxt swaps two dimensions larger than 1: no RESHAPE can.
  Predicted on = predictPack("transpose.onnxtxt");
  EXPECT_EQ(findRewrite(on.prediction, "transpose-to-reshape"), nullptr);
  EXPECT_EQ(on.row("Transpose").status, OpStatus::NotSupported);
}

TEST(EdgeTpuRewrites, HardSwishAsMulAddMul) {
  Predicted off = predictPack("rw_hardswish.onnxtxt", {"rewrites=none"});
  EXPECT_EQ(off.prediction.onEdgeTpu, 0);
  Predicted on = predictPack("rw_hardswish.onnxtxt");
  const RewriteApplied *r = findRewrite(on.prediction, "hard-swish");
  ASSERT_NE(r, nullptr);
  EXPECT_FALSE(r->exact);
  EXPECT_EQ(on.prediction.onCpu, 0);
  EXPECT_EQ(on.prediction.total, 3);
  std::multiset<std::string> ops;
  for (const NodeRow &n : on.prediction.nodes)
    for (const TfliteOperatorUse &o : n.operators) ops.insert(o.name);
  EXPECT_EQ(ops, (std::multiset<std::string>{"MUL", "ADD", "MUL"}));
}

// The CPU tail as a model of its own (cpu-tail=mcu): the mapped part and
// the tail of rw_postprocess after the rewrites, each with the right
// inputs and outputs.
/// The nodes on the Edge TPU and those of the CPU tail.
std::pair<std::vector<const Node *>, std::vector<const Node *>> splitAtTheTail(const Predicted &p) {
  std::vector<const Node *> prefix, tail;
  for (const target::NodePlacement &pl : p.partition.placements)
    (pl.kind == target::NodePlacement::Kind::OnTarget ? prefix : tail).push_back(pl.node);
  return {prefix, tail};
}

TEST(EdgeTpuCpuTail, SliceIntoMappedPartAndTail) {
  Predicted on = predictPack("rw_postprocess.onnxtxt");
  auto [prefix, tail] = splitAtTheTail(on);
  ASSERT_EQ(prefix.size(), 2u);
  ASSERT_EQ(tail.size(), 1u);
  auto head = target::sliceModel(*on.model, prefix);
  auto rest = target::sliceModel(*on.model, tail);
  ASSERT_TRUE(head.isOk() && rest.isOk());
  auto names = [](const std::vector<Value *> &vs) {
    std::vector<std::string> r;
    for (const Value *v : vs)
      if (!v->isInitializer()) r.push_back(v->name);
    return r;
  };
  EXPECT_EQ(names((*head)->graph->inputs), std::vector<std::string>{"x"});
  EXPECT_EQ(names((*head)->graph->outputs), std::vector<std::string>{"y"});
  EXPECT_EQ(names((*rest)->graph->inputs), std::vector<std::string>{"x"});
  EXPECT_EQ(names((*rest)->graph->outputs), std::vector<std::string>{"p"});
  EXPECT_EQ((*rest)->graph->nodes().size(), 1u);
  EXPECT_TRUE((*rest)->graph->inputs[0]->quant.has_value()) << "quantization is kept";
}

TEST(EdgeTpuCpuTail, WhatCrossesIsOutputThenInput) {
  // transpose.onnxtxt: RELU maps, the TRANSPOSE and the RELU after it do not.
  Predicted on = predictPack("transpose.onnxtxt");
  auto [prefix, tail] = splitAtTheTail(on);
  ASSERT_EQ(prefix.size(), 1u);
  ASSERT_EQ(tail.size(), 2u);
  auto head = target::sliceModel(*on.model, prefix);
  auto rest = target::sliceModel(*on.model, tail);
  ASSERT_TRUE(head.isOk() && rest.isOk());
  ASSERT_EQ((*head)->graph->outputs.size(), 1u);
  std::vector<const Value *> restIn;
  for (const Value *v : (*rest)->graph->inputs)
    if (!v->isInitializer()) restIn.push_back(v);
  ASSERT_EQ(restIn.size(), 1u);
  EXPECT_EQ(restIn[0]->name, (*head)->graph->outputs[0]->name);
  EXPECT_EQ(restIn[0]->name, prefix[0]->outputs[0]->name);
  ASSERT_EQ((*rest)->graph->outputs.size(), 1u);
  EXPECT_EQ((*rest)->graph->outputs[0]->name, on.model->graph->outputs[0]->name);
}

} // namespace
