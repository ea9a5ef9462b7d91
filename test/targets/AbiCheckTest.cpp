// Parameter blocks are checked against the runtime header that declares
// their struct: every member set once, no unknown member, nested structs too.
#include "targets/common/AbiCheck.h"

#include <gtest/gtest.h>

using namespace edgec;
using namespace edgec::target;

namespace {

Program withBlock(const std::string &ctype, const Fields &f) {
  Program p;
  p.params.push_back({ctype, "b", f.list()});
  return p;
}

const std::set<std::string> kFiles = {"include/edgec_rt.h", "kernels/reference/softmax_f32.h",
                                      "kernels/reference/binary_f32.h"};

} // namespace

TEST(AbiCheck, ReadsStructMembersFromTheRuntimeHeaders) {
  auto m = abiStructMembers("ec_act_params", kFiles);
  ASSERT_TRUE(m.isOk()) << m.error().message();
  std::vector<std::string> names;
  for (const AbiMember &x : *m) names.push_back(x.name);
  EXPECT_EQ(names, (std::vector<std::string>{"kind", "alpha", "beta", "lo", "hi"}));
  auto b = abiStructMembers("ec_binary_f32_params", kFiles);
  ASSERT_TRUE(b.isOk()) << b.error().message();
  bool sawAct = false;
  for (const AbiMember &x : *b) sawAct = sawAct || (x.name == "act" && x.type == "ec_act_params");
  EXPECT_TRUE(sawAct);
  EXPECT_FALSE(abiStructMembers("ec_no_such_params", kFiles).isOk());
}

TEST(AbiCheck, AcceptsACompleteBlock) {
  Fields act = Fields().sym("kind", "EC_ACT_NONE").f("alpha", 0).f("beta", 0).f("lo", 0).f("hi", 0);
  EXPECT_TRUE(checkParamBlocks(withBlock("ec_act_params", act), kFiles).isOk());
  Fields sm = Fields().i("outer", 1).i("axis", 4).i("inner", 1).i("log", 0);
  EXPECT_TRUE(checkParamBlocks(withBlock("ec_softmax_f32_params", sm), kFiles).isOk());
}

TEST(AbiCheck, RejectsMissingUnknownAndRepeatedMembers) {
  Fields missing = Fields().i("outer", 1).i("axis", 4).i("inner", 1);
  Status s = checkParamBlocks(withBlock("ec_softmax_f32_params", missing), kFiles);
  ASSERT_FALSE(s.isOk());
  EXPECT_NE(s.error().message().find("member 'log'"), std::string::npos) << s.error().message();
  Fields unknown = Fields().i("outer", 1).i("axis", 4).i("inner", 1).i("log", 0).i("extra", 2);
  s = checkParamBlocks(withBlock("ec_softmax_f32_params", unknown), kFiles);
  ASSERT_FALSE(s.isOk());
  EXPECT_NE(s.error().message().find("no member 'extra'"), std::string::npos);
  Fields twice = Fields().i("outer", 1).i("outer", 2).i("axis", 4).i("inner", 1).i("log", 0);
  EXPECT_FALSE(checkParamBlocks(withBlock("ec_softmax_f32_params", twice), kFiles).isOk());
  // A nested struct is checked against its own declaration.
  Fields badAct = Fields().sym("kind", "EC_ACT_NONE").f("alpha", 0);
  Fields bin = Fields().sym("op", "EC_BIN_ADD").i("rank", 0).ints("dims", {}).ints("a_str", {})
                   .ints("b_str", {}).sub("act", badAct);
  s = checkParamBlocks(withBlock("ec_binary_f32_params", bin), kFiles);
  ASSERT_FALSE(s.isOk());
  EXPECT_NE(s.error().message().find("'b'.act: member 'beta'"), std::string::npos) << s.error().message();
}
