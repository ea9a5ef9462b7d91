// Edge cases of Identity, Dropout (inference vs. training mode) and BitCast.
#include "KernelTestUtil.h"

#include <cstring>

using namespace edgec;
using edgec::test::SingleNode;

namespace {

template <typename T> Tensor vec(TensorShape s, std::vector<T> v) {
  return Tensor::fromVector<T>(std::move(s), v);
}

template <typename T> std::vector<T> values(const Tensor &t) {
  return std::vector<T>(t.data<T>(), t.data<T>() + t.numElements());
}

} // namespace

TEST(MiscTest, DropoutInferenceIsIdentityWithTrueMask) {
  Tensor x = vec<float>({3}, {1, -2, 3});
  auto r = SingleNode("Dropout", {x, vec<float>({}, {0.7f})}, 2, 13).run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(values<float>((*r)[0]), (std::vector<float>{1, -2, 3}));
  EXPECT_EQ((*r)[1].dtype(), DataType::Bool);
  EXPECT_EQ(values<bool>((*r)[1]), (std::vector<bool>{true, true, true}));

  // Training mode with ratio 0 is still deterministic; ratio > 0 is not.
  r = SingleNode("Dropout",
                 {x, vec<float>({}, {0.0f}), vec<bool>({}, {true})}, 1, 13)
          .run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  r = SingleNode("Dropout",
                 {x, vec<float>({}, {0.5f}), vec<bool>({}, {true})}, 1, 13)
          .run();
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.error().code(), ErrorCode::Unsupported);
}

TEST(MiscTest, IdentityKeepsValues) {
  auto r = SingleNode("Identity", {vec<int64_t>({2}, {5, 6})}).run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(values<int64_t>((*r)[0]), (std::vector<int64_t>{5, 6}));
}

TEST(MiscTest, BitCastKeepsBitsAndChecksWidth) {
  SingleNode n("BitCast", {vec<float>({1}, {1.0f})}, 1, 26);
  n.node->attrs["to"] = Attribute::makeInt(6); // int32
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(values<int32_t>((*r)[0]), (std::vector<int32_t>{0x3f800000}));

  SingleNode bad("BitCast", {vec<float>({1}, {1.0f})}, 1, 26);
  bad.node->attrs["to"] = Attribute::makeInt(7); // int64
  EXPECT_FALSE(bad.run().isOk());
}
