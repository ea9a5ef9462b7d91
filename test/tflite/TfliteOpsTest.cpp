// TFLite operator semantics after import: small models built with the
// project's schema, run by the interpreter and compared with direct
// implementations of TFLite's definitions (NHWC, SAME padding with the
// extra pixel at the end, depth multiplier, FULLY_CONNECTED flattening,
// STRIDED_SLICE masks), plus the IR structure the mapping promises.
#include "ir/Annotations.h"
#include "interp/Interpreter.h"
#include "tflite/TfliteImporter.h"
#include "tflite/TfliteTestBuilder.h"
#include "ImportOptions.h"

#include <gtest/gtest.h>

#include <cmath>

namespace edgec {
namespace {

using namespace tflite;
using namespace tflite::test;
using BO = fb::BuiltinOperator;

std::vector<float> ramp(size_t n, float scale, float offset) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i)
    v[i] = std::sin((float)i * scale + offset);
  return v;
}

std::unique_ptr<Model> import(const TModel &m) {
  auto bytes = m.finish();
  auto r = importTfliteBytes(bytes.data(), bytes.size(), edgec::test::evaluating());
  EXPECT_TRUE(r.isOk()) << (r.isOk() ? "" : r.error().message());
  return r.isOk() ? r.take() : nullptr;
}

Tensor runOne(const Model &m, const Tensor &x) {
  Interpreter interp(m);
  auto r = interp.run({{m.graph->inputs[0]->name, x}});
  EXPECT_TRUE(r.isOk()) << (r.isOk() ? "" : r.error().message());
  return r.isOk() ? (*r)[0] : Tensor();
}

/// TFLite's float Conv / DepthwiseConv over NHWC input, OHWI (or 1HW(C*M))
/// filters; SAME puts the odd padding pixel at the end.
std::vector<float> refConv(const std::vector<float> &x, int h, int w, int c,
                           const std::vector<float> &f, int kh, int kw, int m,
                           const std::vector<float> &bias, int stride,
                           bool same, bool depthwise, int &oh, int &ow) {
  oh = same ? (h + stride - 1) / stride : (h - kh) / stride + 1;
  ow = same ? (w + stride - 1) / stride : (w - kw) / stride + 1;
  int padH = same ? std::max(0, ((oh - 1) * stride + kh - h)) / 2 : 0;
  int padW = same ? std::max(0, ((ow - 1) * stride + kw - w)) / 2 : 0;
  std::vector<float> y((size_t)oh * ow * m, 0.0f);
  const int mult = depthwise ? m / c : 0;
  for (int oy = 0; oy < oh; ++oy)
    for (int ox = 0; ox < ow; ++ox)
      for (int o = 0; o < m; ++o) {
        double acc = bias[(size_t)o];
        for (int ky = 0; ky < kh; ++ky)
          for (int kx = 0; kx < kw; ++kx) {
            int iy = oy * stride - padH + ky, ix = ox * stride - padW + kx;
            if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
            if (depthwise) {
              int ic = o / mult;
              acc += x[(size_t)((iy * w + ix) * c + ic)] *
                     f[(size_t)((ky * kw + kx) * m + o)];
            } else {
              for (int ic = 0; ic < c; ++ic)
                acc += x[(size_t)((iy * w + ix) * c + ic)] *
                       f[(size_t)(((o * kh + ky) * kw + kx) * c + ic)];
            }
          }
        y[(size_t)((oy * ow + ox) * m + o)] = (float)acc;
      }
  return y;
}

void expectNear(const Tensor &got, const std::vector<float> &want) {
  ASSERT_EQ(got.numElements(), (int64_t)want.size());
  for (size_t i = 0; i < want.size(); ++i)
    EXPECT_NEAR(got.data<float>()[i], want[i], 1e-4) << "element " << i;
}

TModel convCase(bool depthwise, bool same, int stride, int &oh, int &ow,
                std::vector<float> &want, Tensor &x) {
  const int h = 6, w = 5, c = 2, kh = 3, kw = 2, m = depthwise ? 4 : 3;
  std::vector<float> xv = ramp((size_t)h * w * c, 0.37f, 0.1f);
  std::vector<float> fv =
      ramp((size_t)kh * kw * (depthwise ? m : m * c), 0.71f, 0.3f);
  std::vector<float> bv = ramp((size_t)m, 1.3f, 0.5f);
  want =
      refConv(xv, h, w, c, fv, kh, kw, m, bv, stride, same, depthwise, oh, ow);
  x = Tensor::fromVector<float>({1, h, w, c}, xv);
  TModel model;
  uint32_t fb_ = model.addBuffer(fv), bb = model.addBuffer(bv);
  TSubgraph sg;
  sg.tensors = {{{1, h, w, c}, fb::TensorType::FLOAT32, 0, "x"},
                {depthwise ? std::vector<int32_t>{1, kh, kw, m}
                           : std::vector<int32_t>{m, kh, kw, c},
                 fb::TensorType::FLOAT32, fb_, "f"},
                {{m}, fb::TensorType::FLOAT32, bb, "b"},
                {{1, oh, ow, m}, fb::TensorType::FLOAT32, 0, "y"}};
  sg.inputs = {0};
  sg.outputs = {3};
  fb::Padding pad = same ? fb::Padding::SAME : fb::Padding::VALID;
  if (depthwise)
    sg.ops = {{BO::DEPTHWISE_CONV_2D,
               {0, 1, 2},
               {3},
               fb::BuiltinOptions::DepthwiseConv2DOptions,
               [=](flatbuffers::FlatBufferBuilder &b) {
                 return fb::CreateDepthwiseConv2DOptions(b, pad, stride, stride,
                                                         2)
                     .Union();
               }}};
  else
    sg.ops = {{BO::CONV_2D,
               {0, 1, 2},
               {3},
               fb::BuiltinOptions::Conv2DOptions,
               [=](flatbuffers::FlatBufferBuilder &b) {
                 return fb::CreateConv2DOptions(b, pad, stride, stride).Union();
               }}};
  model.subgraphs = {sg};
  return model;
}

TEST(TfliteOps, Conv2DMatchesTfliteDefinition) {
  for (bool same : {true, false})
    for (int stride : {1, 2}) {
      SCOPED_TRACE(std::string(same ? "SAME" : "VALID") + " stride " +
                   std::to_string(stride));
      int oh, ow;
      std::vector<float> want;
      Tensor x;
      auto m = import(convCase(false, same, stride, oh, ow, want, x));
      ASSERT_TRUE(m);
      int transposes = 0, convs = 0;
      for (const auto &n : m->graph->nodes()) {
        transposes += n->opType == "Transpose";
        if (n->opType == "Conv") {
          ++convs;
          EXPECT_TRUE(isChannelsLast(*n));
          EXPECT_EQ(n->inputs[1]->constant->shape(), (TensorShape{3, 2, 3, 2}));
        }
      }
      EXPECT_EQ(convs, 1);
      EXPECT_EQ(transposes, 0);
      expectNear(runOne(*m, x), want);
    }
}

TEST(TfliteOps, DepthwiseConvWithMultiplier) {
  for (bool same : {true, false})
    for (int stride : {1, 2}) {
      int oh, ow;
      std::vector<float> want;
      Tensor x;
      auto m = import(convCase(true, same, stride, oh, ow, want, x));
      ASSERT_TRUE(m);
      const Node *conv = m->graph->nodes().back().get();
      EXPECT_EQ(conv->attr("group")->i, 2);
      expectNear(runOne(*m, x), want);
    }
}

TEST(TfliteOps, QuantizedConvKeepsPerChannelParameters) {
  TModel model;
  std::vector<int8_t> w(3 * 3 * 3 * 2);
  for (size_t i = 0; i < w.size(); ++i)
    w[i] = (int8_t)((int)(i * 37 % 255) - 127);
  uint32_t wb = model.addBuffer(w);
  uint32_t bb = model.addBuffer(std::vector<int32_t>{100, -200, 300});
  TSubgraph sg;
  sg.tensors = {{{1, 4, 4, 2}, fb::TensorType::INT8, 0, "x", {0.5f}, {-3}},
                {{3, 3, 3, 2},
                 fb::TensorType::INT8,
                 wb,
                 "w",
                 {0.01f, 0.02f, 0.03f},
                 {0, 0, 0},
                 0},
                {{3},
                 fb::TensorType::INT32,
                 bb,
                 "b",
                 {0.005f, 0.01f, 0.015f},
                 {0, 0, 0},
                 0},
                {{1, 2, 2, 3}, fb::TensorType::INT8, 0, "y", {0.25f}, {5}}};
  sg.inputs = {0};
  sg.outputs = {3};
  sg.ops = {{BO::CONV_2D,
             {0, 1, 2},
             {3},
             fb::BuiltinOptions::Conv2DOptions,
             [](flatbuffers::FlatBufferBuilder &b) {
               return fb::CreateConv2DOptions(b, fb::Padding::SAME, 2, 2,
                                              fb::ActivationFunctionType::RELU6)
                   .Union();
             }}};
  model.subgraphs = {sg};
  auto m = import(model);
  ASSERT_TRUE(m);
  const Node &conv = *m->graph->nodes().back();
  EXPECT_TRUE(isQuantizedNode(conv));
  EXPECT_EQ(conv.attr(kFusedActivationAttr)->s, "Clip");
  const Value *wv = conv.inputs[1];
  ASSERT_TRUE(wv->quant);
  EXPECT_EQ(wv->quant->axis, 0);
  EXPECT_EQ(wv->quant->scale, (std::vector<float>{0.01f, 0.02f, 0.03f}));
  EXPECT_EQ(wv->constant->shape(), (TensorShape{3, 2, 3, 3}));
  // OHWI -> OIHW: w'[o, i, y, x] = w[o, y, x, i].
  EXPECT_EQ(wv->constant->data<int8_t>()[1], w[2]);
  Tensor x(DataType::Int8, {1, 4, 4, 2});
  for (int64_t i = 0; i < x.numElements(); ++i)
    x.setInt64(i, (i * 29) % 200 - 100);
  Tensor y = runOne(*m, x);
  ASSERT_EQ(y.shape(), (TensorShape{1, 2, 2, 3}));
  // Relu6 clamp: q in [zp, zp + 6 / scale] = [5, 29].
  for (int64_t i = 0; i < y.numElements(); ++i) {
    EXPECT_GE(y.getInt64(i), 5);
    EXPECT_LE(y.getInt64(i), 29);
  }
}

TEST(TfliteOps, FullyConnectedFlattensInput) {
  TModel model;
  std::vector<float> wv = ramp(4 * 6, 0.3f, 0.2f), bv{1, 2, 3, 4};
  uint32_t wb = model.addBuffer(wv), bb = model.addBuffer(bv);
  TSubgraph sg;
  sg.tensors = {{{2, 2, 3}, fb::TensorType::FLOAT32, 0, "x"},
                {{4, 6}, fb::TensorType::FLOAT32, wb, "w"},
                {{4}, fb::TensorType::FLOAT32, bb, "b"},
                {{2, 4}, fb::TensorType::FLOAT32, 0, "y"}};
  sg.inputs = {0};
  sg.outputs = {3};
  sg.ops = {{BO::FULLY_CONNECTED, {0, 1, 2}, {3}}};
  model.subgraphs = {sg};
  auto m = import(model);
  ASSERT_TRUE(m);
  std::vector<float> xv = ramp(12, 0.5f, 0.0f);
  Tensor y = runOne(*m, Tensor::fromVector<float>({2, 2, 3}, xv));
  // TFLite flattens [2,2,3] to [2,6]: y[b, o] = sum_k x[b, k] w[o, k] + bias.
  std::vector<float> want;
  for (int b = 0; b < 2; ++b)
    for (int o = 0; o < 4; ++o) {
      double acc = bv[(size_t)o];
      for (int k = 0; k < 6; ++k)
        acc += xv[(size_t)(b * 6 + k)] * wv[(size_t)(o * 6 + k)];
      want.push_back((float)acc);
    }
  expectNear(y, want);
}

TEST(TfliteOps, StridedSliceMasks) {
  TModel model;
  uint32_t b0 = model.addBuffer(std::vector<int32_t>{0, 1, 0});
  uint32_t b1 = model.addBuffer(std::vector<int32_t>{0, 3, -1});
  uint32_t b2 = model.addBuffer(std::vector<int32_t>{1, 1, 2});
  TSubgraph sg;
  sg.tensors = {{{2, 4, 5}, fb::TensorType::FLOAT32, 0, "x"},
                {{3}, fb::TensorType::INT32, b0, "begin"},
                {{3}, fb::TensorType::INT32, b1, "end"},
                {{3}, fb::TensorType::INT32, b2, "strides"},
                {{2, 2}, fb::TensorType::FLOAT32, 0, "y"}};
  sg.inputs = {0};
  sg.outputs = {4};
  // Masks on axis 0 (all of it), axis 1 shrunk at index 1, axis 2 0:-1:2.
  sg.ops = {{BO::STRIDED_SLICE,
             {0, 1, 2, 3},
             {4},
             fb::BuiltinOptions::StridedSliceOptions,
             [](flatbuffers::FlatBufferBuilder &b) {
               return fb::CreateStridedSliceOptions(b, 1, 1, 0, 0, 2).Union();
             }}};
  model.subgraphs = {sg};
  auto m = import(model);
  ASSERT_TRUE(m);
  std::vector<float> xv(40);
  for (size_t i = 0; i < xv.size(); ++i)
    xv[i] = (float)i;
  Tensor y = runOne(*m, Tensor::fromVector<float>({2, 4, 5}, xv));
  // x[:, 1, 0:-1:2] -> [2, 2]
  ASSERT_EQ(y.shape(), (TensorShape{2, 2}));
  std::vector<float> want{5, 7, 25, 27};
  expectNear(y, want);
}

TEST(TfliteOps, AveragePoolSameCountsOnlyImagePixels) {
  TModel model;
  TSubgraph sg;
  sg.tensors = {{{1, 3, 3, 1}, fb::TensorType::FLOAT32, 0, "x"},
                {{1, 2, 2, 1}, fb::TensorType::FLOAT32, 0, "y"}};
  sg.inputs = {0};
  sg.outputs = {1};
  sg.ops = {{BO::AVERAGE_POOL_2D,
             {0},
             {1},
             fb::BuiltinOptions::Pool2DOptions,
             [](flatbuffers::FlatBufferBuilder &b) {
               return fb::CreatePool2DOptions(b, fb::Padding::SAME, 2, 2, 2, 2)
                   .Union();
             }}};
  model.subgraphs = {sg};
  auto m = import(model);
  ASSERT_TRUE(m);
  Tensor y = runOne(
      *m, Tensor::fromVector<float>({1, 3, 3, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9}));
  expectNear(y, {3.0f, 4.5f, 7.5f, 9.0f});
}

} // namespace
} // namespace edgec
