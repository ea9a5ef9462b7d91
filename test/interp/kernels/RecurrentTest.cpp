// Hand-computed RNN / GRU / LSTM steps: custom activations, reverse
// direction, sequence_lens and shape validation.
#include "KernelTestUtil.h"

#include <cmath>

using namespace edgec;
using edgec::test::SingleNode;

namespace {

Tensor f32(TensorShape s, std::vector<float> v) {
  return Tensor::fromVector<float>(std::move(s), v);
}

void expectValues(const Tensor &t, const std::vector<double> &want) {
  std::vector<double> got = t.toDoubleVector();
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i)
    EXPECT_NEAR(got[i], want[i], 1e-5) << "element " << i;
}

Attribute strings(std::vector<std::string> v) {
  Attribute a;
  a.kind = Attribute::Kind::Strings;
  a.strings = std::move(v);
  return a;
}

} // namespace

TEST(RecurrentTest, RnnReluAccumulates) {
  // W = R = 1, Relu: h1 = 1, h2 = relu(2 + 1) = 3.
  SingleNode n("RNN", {f32({2, 1, 1}, {1, 2}), f32({1, 1, 1}, {1}),
                       f32({1, 1, 1}, {1})},
               2, 14);
  n.node->attrs["activations"] = strings({"Relu"});
  n.node->attrs["hidden_size"] = Attribute::makeInt(1);
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  expectValues((*r)[0], {1, 3});
  expectValues((*r)[1], {3});
}

TEST(RecurrentTest, RnnReverseDirection) {
  SingleNode n("RNN", {f32({2, 1, 1}, {1, 2}), f32({1, 1, 1}, {1}),
                       f32({1, 1, 1}, {1})},
               2, 14);
  n.node->attrs["activations"] = strings({"Relu"});
  n.node->attrs["direction"] = Attribute::makeString("reverse");
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  expectValues((*r)[0], {3, 2}); // Y[t] in time order
  expectValues((*r)[1], {3});
}

TEST(RecurrentTest, SequenceLensStopsShortEntries) {
  // Batch 2, lengths {2, 1}: entry 1 keeps its state after step 0 and its
  // Y at step 1 is zero.
  Tensor x = f32({2, 2, 1}, {1, 1, 2, 2});
  SingleNode n("RNN",
               {x, f32({1, 1, 1}, {1}), f32({1, 1, 1}, {1}),
                f32({1, 2}, {0, 0}),
                Tensor::fromVector<int32_t>({2}, {2, 1})},
               2, 14);
  n.node->attrs["activations"] = strings({"Relu"});
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  expectValues((*r)[0], {1, 1, 3, 0});
  expectValues((*r)[1], {3, 1});
}

TEST(RecurrentTest, SequenceLensOutOfRangeIsRejected) {
  SingleNode n("RNN",
               {f32({1, 1, 1}, {1}), f32({1, 1, 1}, {1}), f32({1, 1, 1}, {1}),
                f32({1, 2}, {0, 0}), Tensor::fromVector<int32_t>({1}, {5})},
               1, 14);
  EXPECT_FALSE(n.run().isOk());
}

TEST(RecurrentTest, LstmWithZeroWeightsHalvesCellInput) {
  // All weights zero: i = f = o = 0.5, c~ = tanh(0) = 0 -> c = 0.5 * c0,
  // h = 0.5 * tanh(c). With initial_c = 2: c = 1, h = 0.5 * tanh(1).
  SingleNode n("LSTM",
               {f32({1, 1, 1}, {3}), f32({1, 4, 1}, {0, 0, 0, 0}),
                f32({1, 4, 1}, {0, 0, 0, 0}), f32({1, 8}, std::vector<float>(8)),
                Tensor::fromVector<int32_t>({1}, {1}), f32({1, 1, 1}, {0}),
                f32({1, 1, 1}, {2})},
               3, 14);
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  expectValues((*r)[1], {0.5 * std::tanh(1.0)});
  expectValues((*r)[2], {1});
}

TEST(RecurrentTest, GruWrongWeightShapeIsRejected) {
  // GRU needs W of shape [1, 3 * hidden, input].
  SingleNode n("GRU", {f32({1, 1, 1}, {1}), f32({1, 2, 1}, {1, 1}),
                       f32({1, 3, 1}, {1, 1, 1})},
               1, 14);
  auto r = n.run();
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.error().message().find("W has shape"), std::string::npos);
}
