// The command-stream encoder and the payload writer: every operation of
// Vela's four MLPerf Tiny streams (../shared/vela/<m>/<m>_vela.tflite)
// decoded, re-encoded and decoded again gives the same descriptors; the
// re-encoded KWS payload runs through the functional model to the same
// output bytes as Vela's; the shadow state drops repeated writes; a value
// a register cannot hold is refused.
#include "interp/EthosU.h"
#include "npu/CommandStreamEncoder.h"
#include "npu/EthosUNode.h"
#include "npu/Payload.h"
#include "npu/PayloadWriter.h"
#include "tflite/TfliteImporter.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

namespace edgec::npu {
namespace {

std::string velaFile(const std::string &m) {
  std::string dir = std::string(EDGEC_SOURCE_DIR) + "/../shared";
  if (const char *e = std::getenv("EDGEC_SHARED_DIR"); e && *e) dir = e;
  return dir + "/vela/" + m + "/" + m + "_vela.tflite";
}

const Node *ethosUNode(const Model &m) {
  for (const auto &n : m.graph->nodes())
    if (n->opType == kEthosUOp) return n.get();
  return nullptr;
}

Expected<std::vector<Operation>> decodeOps(const std::vector<uint32_t> &words) {
  EDGEC_ASSIGN_OR_RETURN(auto cmds, decodeCommandStream(words));
  EDGEC_ASSIGN_OR_RETURN(auto ops, buildOperations(cmds));
  for (Operation &op : ops) op.streamOffset = 0;
  return ops;
}

class NpuEncoderVela : public ::testing::TestWithParam<std::string> {};

TEST_P(NpuEncoderVela, DecodeEncodeDecodeIsIdentity) {
  const std::string path = velaFile(GetParam());
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " absent";
  auto m = importTfliteFile(path);
  ASSERT_TRUE(m.isOk()) << m.error().message();
  const Node *n = ethosUNode(**m);
  ASSERT_NE(n, nullptr);
  const Tensor &payload = *n->inputs[0]->constant;
  auto p = parsePayload(static_cast<const uint8_t *>(payload.raw()), payload.byteSize());
  ASSERT_TRUE(p.isOk()) << p.error().message();
  auto ops = decodeOps(p->stream);
  ASSERT_TRUE(ops.isOk()) << ops.error().message();
  ASSERT_GT(ops->size(), 3u);
  auto words = encodeOperations(*ops);
  ASSERT_TRUE(words.isOk()) << words.error().message();
  auto again = decodeOps(*words);
  ASSERT_TRUE(again.isOk()) << again.error().message();
  ASSERT_EQ(again->size(), ops->size());
  for (size_t i = 0; i < ops->size(); ++i)
    EXPECT_TRUE((*again)[i] == (*ops)[i]) << GetParam() << " operation " << i << " "
                                          << operationName((*ops)[i]);
  // The shadow state keeps the stream near Vela's size (which also omits
  // repeated writes): within 1.5 times its words.
  EXPECT_LT(words->size(), p->stream.size() * 3 / 2) << GetParam();
}

INSTANTIATE_TEST_SUITE_P(Models, NpuEncoderVela,
                         ::testing::Values("kws_ref_model", "vww_96_int8", "pretrainedResnet_quant",
                                           "ad01_int8"));

TEST(NpuEncoder, ReencodedKwsRunsIdentically) {
  const std::string path = velaFile("kws_ref_model");
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " absent";
  auto m = importTfliteFile(path);
  ASSERT_TRUE(m.isOk()) << m.error().message();
  const Node *n = ethosUNode(**m);
  ASSERT_NE(n, nullptr);
  const Tensor &payload = *n->inputs[0]->constant;
  const Tensor *flash = n->inputs.size() > 1 && n->inputs[1]->constant ? &*n->inputs[1]->constant : nullptr;
  auto p = parsePayload(static_cast<const uint8_t *>(payload.raw()), payload.byteSize());
  ASSERT_TRUE(p.isOk());
  auto ops = decodeOps(p->stream);
  ASSERT_TRUE(ops.isOk());
  auto words = encodeOperations(*ops);
  ASSERT_TRUE(words.isOk());
  auto pw = payloadWords(**findAcceleratorConfig("ethos-u55-128"), *words);
  ASSERT_TRUE(pw.isOk());
  const std::vector<uint8_t> bytes = wordBytes(*pw);
  Tensor reencoded = *Tensor::create(DataType::UInt8, {int64_t(bytes.size())});
  std::copy(bytes.begin(), bytes.end(), reencoded.data<uint8_t>());

  // The IFM: a fixed pseudo-random int8 pattern of the node's input size.
  const Value *in = n->inputs.back();
  ASSERT_TRUE(in->type.isStatic());
  Tensor x = *Tensor::create(in->type.dtype, in->type.staticShape());
  uint32_t s = 12345;
  for (size_t i = 0; i < x.byteSize(); ++i) {
    s = s * 1103515245u + 12345u;
    static_cast<uint8_t *>(x.raw())[i] = uint8_t(s >> 16);
  }
  auto reqA = ethosURequest(*n, payload, flash, {&x});
  auto reqB = ethosURequest(*n, reencoded, flash, {&x});
  ASSERT_TRUE(reqA.isOk() && reqB.isOk());
  auto a = invokePayload(*reqA);
  auto b = invokePayload(*reqB);
  ASSERT_TRUE(a.isOk()) << a.error().message();
  ASSERT_TRUE(b.isOk()) << b.error().message();
  ASSERT_EQ(a->ofms.size(), b->ofms.size());
  for (size_t i = 0; i < a->ofms.size(); ++i) EXPECT_EQ(a->ofms[i], b->ofms[i]) << "OFM " << i;
  EXPECT_EQ(a->counters.size(), b->counters.size());
}

TEST(NpuEncoder, ShadowDropsRepeatedWrites) {
  CommandWriter w;
  w.set0(op0::IfmRegion, 1);
  w.set0(op0::IfmRegion, 1);
  w.set0(op0::IfmRegion, 0);
  w.set1(op1::IfmBase0, 16);
  w.set1(op1::IfmBase0, 16);
  w.set1(op1::IfmBase0, 16, 1); // same low word, other high address byte
  EXPECT_EQ(w.words().size(), 2u + 4u);
  EXPECT_EQ(w.dropped(), 2u);
  // A zero write on a never-written register is kept (reset state unknown).
  CommandWriter z;
  z.set0(op0::IfmPadTop, 0);
  EXPECT_EQ(z.words().size(), 1u);
}

TEST(NpuEncoder, RefusesValuesRegistersCannotHold) {
  Operation op;
  op.type = OpType::Conv;
  op.ofm.depth = 70000;
  auto r = encodeOperations({op});
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.error().message().find("OFM depth 70000"), std::string::npos) << r.error().message();
  op.ofm.depth = 1;
  op.strideX = 17;
  EXPECT_FALSE(encodeOperations({op}).isOk());
}

TEST(NpuPayloadWriter, ParserReadsWhatTheWriterWrites) {
  const AcceleratorConfig &c = **findAcceleratorConfig("ethos-u65-256");
  const std::vector<uint32_t> stream = {op0::Stop | 0xFFFFu << 16};
  auto w = payloadWords(c, stream);
  ASSERT_TRUE(w.isOk());
  const auto bytes = wordBytes(*w);
  auto p = parsePayload(bytes.data(), bytes.size());
  ASSERT_TRUE(p.isOk()) << p.error().message();
  EXPECT_EQ(p->stream, stream);
  EXPECT_EQ(p->streamOffset % 16, 0u);
  EXPECT_TRUE(checkPayloadConfig(*p, c).isOk());
  EXPECT_FALSE(checkPayloadConfig(*p, **findAcceleratorConfig("ethos-u55-128")).isOk());
  EXPECT_EQ(p->config.release, kWriterRelease);
  EXPECT_EQ(p->config.patch, kWriterPatch);
  EXPECT_FALSE(payloadWords(c, {}).isOk());
}

} // namespace
} // namespace edgec::npu
