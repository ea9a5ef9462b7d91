// TFLite control flow with subgraphs: WHILE (an ONNX Loop whose body runs
// the body subgraph, then the condition subgraph) and CALL_ONCE (the init
// subgraph inlined), run by the interpreter with known results, plus
// malformed references (bad subgraph index, cycles, wrong arities).
#include "interp/Interpreter.h"
#include "tflite/TfliteImporter.h"
#include "tflite/TfliteTestBuilder.h"
#include "ImportOptions.h"

#include <gtest/gtest.h>

namespace edgec {
namespace {

using namespace tflite;
using namespace tflite::test;
using BO = fb::BuiltinOperator;
using TT = fb::TensorType;

TOp whileOp(std::vector<int32_t> in, std::vector<int32_t> out, int32_t cond, int32_t body) {
  return TOp{BO::WHILE, std::move(in), std::move(out), fb::BuiltinOptions::WhileOptions,
             [cond, body](flatbuffers::FlatBufferBuilder &b) {
               return fb::CreateWhileOptions(b, cond, body).Union();
             }};
}

TOp callOnceOp(int32_t init) {
  return TOp{BO::CALL_ONCE, {}, {}, fb::BuiltinOptions::CallOnceOptions,
             [init](flatbuffers::FlatBufferBuilder &b) {
               return fb::CreateCallOnceOptions(b, init).Union();
             }};
}

/// main(i: i32[], x: f32[2], y: f32[2]) = WHILE(i, x, y):
///   cond(i, x, y) = i < 5;  body(i, x, y) = (i + 1, x * 2, y)
/// so from i = 0 it runs 5 times: x * 32, y unchanged (a body that returns
/// its input).
TModel whileModel() {
  TModel m;
  const uint32_t five = m.addBuffer(std::vector<int32_t>{5});
  const uint32_t one = m.addBuffer(std::vector<int32_t>{1});
  const uint32_t two = m.addBuffer(std::vector<float>{2.0f});
  TSubgraph main;
  main.name = "main";
  main.tensors = {{{}, TT::INT32, 0, "i"},     {{2}, TT::FLOAT32, 0, "x"},
                  {{2}, TT::FLOAT32, 0, "y"},  {{}, TT::INT32, 0, "i_out"},
                  {{2}, TT::FLOAT32, 0, "x_out"}, {{2}, TT::FLOAT32, 0, "y_out"}};
  main.inputs = {0, 1, 2};
  main.outputs = {3, 4, 5};
  main.ops = {whileOp({0, 1, 2}, {3, 4, 5}, 1, 2)};
  TSubgraph cond;
  cond.name = "cond";
  cond.tensors = {{{}, TT::INT32, 0, "ci"},
                  {{2}, TT::FLOAT32, 0, "cx"},
                  {{2}, TT::FLOAT32, 0, "cy"},
                  {{}, TT::INT32, five, "limit"},
                  {{}, TT::BOOL, 0, "go"}};
  cond.inputs = {0, 1, 2};
  cond.outputs = {4};
  cond.ops = {{BO::LESS, {0, 3}, {4}}};
  TSubgraph body;
  body.name = "body";
  body.tensors = {{{}, TT::INT32, 0, "bi"},      {{2}, TT::FLOAT32, 0, "bx"},
                  {{2}, TT::FLOAT32, 0, "by"},    {{}, TT::INT32, one, "one"},
                  {{}, TT::FLOAT32, two, "two"},  {{}, TT::INT32, 0, "bi2"},
                  {{2}, TT::FLOAT32, 0, "bx2"}};
  body.inputs = {0, 1, 2};
  body.outputs = {5, 6, 2};
  body.ops = {{BO::ADD, {0, 3}, {5}}, {BO::MUL, {1, 4}, {6}}};
  m.subgraphs = {main, cond, body};
  return m;
}

Expected<std::unique_ptr<Model>> importModel(const TModel &m) {
  auto bytes = m.finish();
  return importTfliteBytes(bytes.data(), bytes.size(), edgec::test::evaluating());
}

std::vector<Tensor> runWhile(const Model &m, int32_t i0) {
  Interpreter interp(m);
  auto r = interp.run({{"i", Tensor::scalar<int32_t>(i0)},
                       {"x", Tensor::fromVector<float>({2}, {1.0f, -3.0f})},
                       {"y", Tensor::fromVector<float>({2}, {0.5f, 7.0f})}});
  EXPECT_TRUE(r.isOk()) << (r.isOk() ? "" : r.error().message());
  return r.isOk() ? *r : std::vector<Tensor>{};
}

void expectError(const TModel &m, ErrorCode code, const std::string &substr) {
  auto r = importModel(m);
  ASSERT_FALSE(r.isOk()) << "expected an error containing: " << substr;
  EXPECT_EQ(r.error().code(), code) << r.error().message();
  EXPECT_NE(r.error().message().find(substr), std::string::npos)
      << "message: " << r.error().message() << "\nexpected to contain: " << substr;
  EXPECT_EQ(r.error().message().find('\n'), std::string::npos);
}

TEST(TfliteControlFlow, WhileBecomesLoopAndRuns) {
  auto r = importModel(whileModel());
  ASSERT_TRUE(r.isOk()) << r.error().message();
  const Model &m = **r;
  int loops = 0;
  for (const auto &n : m.graph->nodes())
    if (n->opType == "Loop") {
      ++loops;
      const Attribute *b = n->attr("body");
      ASSERT_TRUE(b && b->g);
      // iteration number, condition, three loop-carried values in; the
      // condition and three values out.
      EXPECT_EQ(b->g->inputs.size(), 5u);
      EXPECT_EQ(b->g->outputs.size(), 4u);
      EXPECT_EQ(n->input(0), nullptr); // no trip count
    }
  EXPECT_EQ(loops, 1);

  std::vector<Tensor> out = runWhile(m, 0);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].getInt64(0), 5);
  EXPECT_FLOAT_EQ(out[1].data<float>()[0], 32.0f);
  EXPECT_FLOAT_EQ(out[1].data<float>()[1], -96.0f);
  EXPECT_FLOAT_EQ(out[2].data<float>()[0], 0.5f);
  EXPECT_FLOAT_EQ(out[2].data<float>()[1], 7.0f);

  // The condition is checked before the first iteration: i = 3 runs twice,
  // i = 9 not at all.
  out = runWhile(m, 3);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].getInt64(0), 5);
  EXPECT_FLOAT_EQ(out[1].data<float>()[0], 4.0f);
  out = runWhile(m, 9);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].getInt64(0), 9);
  EXPECT_FLOAT_EQ(out[1].data<float>()[0], 1.0f);
  EXPECT_FLOAT_EQ(out[1].data<float>()[1], -3.0f);
}

TEST(TfliteControlFlow, WhileWithOneElementConditionTensor) {
  // TFLite accepts any single-element bool tensor as the condition.
  TModel m = whileModel();
  m.subgraphs[1].tensors[3].shape = {1};
  m.subgraphs[1].tensors[4].shape = {1};
  auto r = importModel(m);
  ASSERT_TRUE(r.isOk()) << r.error().message();
  std::vector<Tensor> out = runWhile(**r, 1);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].getInt64(0), 5);
  EXPECT_FLOAT_EQ(out[1].data<float>()[0], 16.0f);
}

TEST(TfliteControlFlow, NestedWhile) {
  // The body itself runs a WHILE (same cond, a body that adds 1): each
  // outer iteration jumps i straight to 5, so the outer loop runs once.
  TModel m = whileModel();
  TSubgraph inner = m.subgraphs[2];
  inner.name = "inner_body";
  TSubgraph &body = m.subgraphs[2];
  body.tensors.push_back({{}, TT::INT32, 0, "bi3"});
  body.tensors.push_back({{2}, TT::FLOAT32, 0, "bx3"});
  body.tensors.push_back({{2}, TT::FLOAT32, 0, "by3"});
  body.ops.push_back(whileOp({5, 6, 2}, {7, 8, 9}, 1, 3));
  body.outputs = {7, 8, 9};
  m.subgraphs.push_back(inner);
  auto r = importModel(m);
  ASSERT_TRUE(r.isOk()) << r.error().message();
  std::vector<Tensor> out = runWhile(**r, 0);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].getInt64(0), 5);
  EXPECT_FLOAT_EQ(out[1].data<float>()[0], 32.0f);
}

TEST(TfliteControlFlow, CallOnceInlinesInitSubgraph) {
  // main(x) = CALL_ONCE(init); x + x. The init subgraph computes something
  // nobody reads: importing it must not change the result.
  TModel m;
  const uint32_t c = m.addBuffer(std::vector<float>{3.0f});
  TSubgraph main;
  main.tensors = {{{2}, TT::FLOAT32, 0, "x"}, {{2}, TT::FLOAT32, 0, "y"}};
  main.inputs = {0};
  main.outputs = {1};
  main.ops = {callOnceOp(1), {BO::ADD, {0, 0}, {1}}};
  TSubgraph init;
  init.tensors = {{{}, TT::FLOAT32, c, "c"}, {{}, TT::FLOAT32, 0, "c2"}};
  init.ops = {{BO::MUL, {0, 0}, {1}}};
  m.subgraphs = {main, init};
  auto r = importModel(m);
  ASSERT_TRUE(r.isOk()) << r.error().message();
  Interpreter interp(**r);
  auto out = interp.run({{"x", Tensor::fromVector<float>({2}, {1.5f, -2.0f})}});
  ASSERT_TRUE(out.isOk()) << out.error().message();
  ASSERT_EQ(out->size(), 1u);
  EXPECT_FLOAT_EQ((*out)[0].data<float>()[0], 3.0f);
  EXPECT_FLOAT_EQ((*out)[0].data<float>()[1], -4.0f);
}

TEST(TfliteControlFlow, CallOnceWithResourceVariablesIsUnsupported) {
  TModel m;
  TSubgraph main;
  main.tensors = {{{2}, TT::FLOAT32, 0, "x"}, {{2}, TT::FLOAT32, 0, "y"}};
  main.inputs = {0};
  main.outputs = {1};
  main.ops = {callOnceOp(1), {BO::ADD, {0, 0}, {1}}};
  TSubgraph init;
  init.tensors = {{{}, TT::RESOURCE, 0, "handle"}};
  init.ops = {{BO::VAR_HANDLE, {}, {0}}};
  m.subgraphs = {main, init};
  expectError(m, ErrorCode::Unsupported, "element type RESOURCE is not supported");
  // Without resource tensors, the variable operators are named.
  m.subgraphs[1].tensors = {{{}, TT::INT32, 0, "handle"}, {{2}, TT::FLOAT32, 0, "v"}};
  m.subgraphs[1].ops = {{BO::VAR_HANDLE, {}, {0}}, {BO::ASSIGN_VARIABLE, {0, 1}, {}}};
  m.subgraphs[1].tensors[1].buffer = m.addBuffer(std::vector<float>{1.0f, 2.0f});
  expectError(m, ErrorCode::Unsupported,
              "2 unsupported TFLite operators: ASSIGN_VARIABLE (1 operator, first subgraph 1 "
              "operator 1); VAR_HANDLE (1 operator, first subgraph 1 operator 0)");
}

TEST(TfliteControlFlow, MalformedWhile) {
  TModel m = whileModel();
  m.subgraphs[0].ops[0] = whileOp({0, 1, 2}, {3, 4, 5}, 9, 2);
  expectError(m, ErrorCode::InvalidModel, "subgraph index 9 out of range");
  m.subgraphs[0].ops[0] = whileOp({0, 1, 2}, {3, 4, 5}, 1, -1);
  expectError(m, ErrorCode::InvalidModel, "out of range");
  // The body calls the main graph: a cycle.
  auto callsFromBody = [](int32_t target) {
    TModel m = whileModel();
    TSubgraph &body = m.subgraphs[2];
    body.tensors.push_back({{}, TT::INT32, 0, "bi3"});
    body.tensors.push_back({{2}, TT::FLOAT32, 0, "bx3"});
    body.tensors.push_back({{2}, TT::FLOAT32, 0, "by3"});
    body.ops.push_back(whileOp({5, 6, 2}, {7, 8, 9}, 1, target));
    body.outputs = {7, 8, 9};
    return m;
  };
  expectError(callsFromBody(0), ErrorCode::InvalidModel, "subgraph reference cycle: 0 -> 2 -> 0");
  // A body that runs itself.
  expectError(callsFromBody(2), ErrorCode::InvalidModel, "subgraph reference cycle: 2 -> 2");
  // Inputs and outputs must pair up.
  m = whileModel();
  m.subgraphs[0].ops[0] = whileOp({0, 1, 2}, {3, 4}, 1, 2);
  m.subgraphs[0].outputs = {3, 4};
  expectError(m, ErrorCode::InvalidModel, "expects 3 outputs, got 2");
  // The body returns two values for three operands.
  m = whileModel();
  m.subgraphs[2].outputs = {5, 6};
  expectError(m, ErrorCode::InvalidModel, "returns 2 values for 3 loop-carried operands");
  // The condition must be one bool.
  m = whileModel();
  m.subgraphs[1].outputs = {4, 4};
  expectError(m, ErrorCode::InvalidModel, "returns 2 values, 1 expected");
  m = whileModel();
  m.subgraphs[1].outputs = {0};
  expectError(m, ErrorCode::InvalidModel, "returns i32, not bool");
  // The condition subgraph takes as many inputs as there are operands.
  m = whileModel();
  m.subgraphs[1].inputs = {0, 1};
  expectError(m, ErrorCode::InvalidModel, "called with 3 operands but has 2 inputs");
}

TEST(TfliteControlFlow, MalformedCallOnce) {
  TModel m;
  TSubgraph main;
  main.tensors = {{{2}, TT::FLOAT32, 0, "x"}, {{2}, TT::FLOAT32, 0, "y"}};
  main.inputs = {0};
  main.outputs = {1};
  main.ops = {callOnceOp(4), {BO::ADD, {0, 0}, {1}}};
  TSubgraph init;
  m.subgraphs = {main, init};
  expectError(m, ErrorCode::InvalidModel, "subgraph index 4 out of range");
  m.subgraphs[0].ops[0] = callOnceOp(0);
  expectError(m, ErrorCode::InvalidModel, "subgraph reference cycle: 0 -> 0");
  // An init subgraph with inputs cannot be called without operands.
  m.subgraphs[0].ops[0] = callOnceOp(1);
  m.subgraphs[1].tensors = {{{}, TT::FLOAT32, 0, "a"}};
  m.subgraphs[1].inputs = {0};
  expectError(m, ErrorCode::InvalidModel, "called with 0 operands but has 1 inputs");
  // CALL_ONCE takes no operands.
  m.subgraphs[1] = TSubgraph{};
  m.subgraphs[0].ops[0].inputs = {0};
  expectError(m, ErrorCode::InvalidModel, "takes no inputs and has no outputs");
}

} // namespace
} // namespace edgec
