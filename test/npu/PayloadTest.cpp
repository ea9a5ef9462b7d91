// The driver payload parser: Vela's layout parses; every malformed payload
// (and every truncation of a valid one) is a clean InvalidModel error; the
// configuration check refuses a payload built for other hardware.
#include "NpuTestStreams.h"

#include <gtest/gtest.h>

namespace edgec::npu {
namespace {

using test::payloadWords;
using test::toBytes;

const AcceleratorConfig &cfg(const char *name) { return **findAcceleratorConfig(name); }

std::vector<uint32_t> tinyStream() { return {op0::Stop | 0xFFFFu << 16}; }

std::string parseError(const std::vector<uint8_t> &b) {
  auto r = parsePayload(b.data(), b.size());
  EXPECT_FALSE(r.isOk());
  if (r.isOk()) return "";
  EXPECT_EQ(r.error().code(), ErrorCode::InvalidModel);
  return r.error().message();
}

TEST(NpuPayload, ParsesVelaLayout) {
  const std::vector<uint32_t> stream = {0x00000130u, op0::Stop | 0xFFFFu << 16};
  auto b = toBytes(test::payloadWords(cfg("ethos-u55-128"), stream));
  auto p = parsePayload(b.data(), b.size());
  ASSERT_TRUE(p.isOk()) << p.error().message();
  EXPECT_EQ(p->streamOffset, 32u); // COP1, 3 config words, 3 NOPs, header
  EXPECT_EQ(p->nops, 3);
  EXPECT_EQ(p->stream, stream);
  EXPECT_EQ(p->config.product, 0);
  EXPECT_EQ(p->config.macsLog2, 7);
  EXPECT_EQ(p->config.shramKb, 24);
  EXPECT_EQ(p->config.archMajor, 1);
  EXPECT_EQ(p->config.archPatch, 6);
  EXPECT_EQ(p->config.patch, 1);
  EXPECT_EQ(payloadAccelerator(*p), &cfg("ethos-u55-128"));
  EXPECT_TRUE(checkPayloadConfig(*p, cfg("ethos-u55-128")).isOk());
}

TEST(NpuPayload, ConfigWordMatchesVelasEncoding) {
  // Vela's build_config_word: macs_per_cc 3:0 (log2 of all cores' MACs),
  // shram_size 15:8 (KiB, all cores), product 31:28.
  EXPECT_EQ(configWordFor(cfg("ethos-u55-128")), 0x00001807u);
  EXPECT_EQ(configWordFor(cfg("ethos-u55-32")), 0x00001005u);
  EXPECT_EQ(configWordFor(cfg("ethos-u65-512")), 0x10006009u);
}

TEST(NpuPayload, TwentyFourBitLength) {
  std::vector<uint32_t> stream(70000, action::Nop);
  stream.back() = op0::Stop | 0xFFFFu << 16;
  auto b = toBytes(test::payloadWords(cfg("ethos-u55-64"), stream));
  auto p = parsePayload(b.data(), b.size());
  ASSERT_TRUE(p.isOk()) << p.error().message();
  EXPECT_EQ(p->stream.size(), 70000u);
}

TEST(NpuPayload, MalformedPayloadsAreErrors) {
  const auto good = test::payloadWords(cfg("ethos-u55-128"), tinyStream());
  EXPECT_NE(parseError({}).find("too short"), std::string::npos);
  auto b = toBytes(good);
  b.push_back(0);
  EXPECT_NE(parseError(b).find("not a multiple of 4"), std::string::npos);
  auto w = good;
  w[0] = 0x32504f43u; // COP2
  EXPECT_NE(parseError(toBytes(w)).find("magic"), std::string::npos);
  w = good;
  w[7] += 5u << 16; // stream length past the end
  EXPECT_NE(parseError(toBytes(w)).find("overruns"), std::string::npos);
  w = good;
  w.erase(w.begin() + 4); // one NOP fewer: the stream starts at byte 28
  EXPECT_NE(parseError(toBytes(w)).find("not 16-byte aligned"), std::string::npos);
  w = good;
  w[4] = action::DumpShram;
  EXPECT_NE(parseError(toBytes(w)).find("unsupported driver action 4"), std::string::npos);
  w = good;
  w.erase(w.begin() + 1, w.begin() + 4);
  w.insert(w.begin() + 1, 3, action::Nop);
  EXPECT_NE(parseError(toBytes(w)).find("no OPTIMIZER_CONFIG"), std::string::npos);
  w = {0x31504f43u, action::OptimizerConfig, configWordFor(cfg("ethos-u55-128")), archIdWord()};
  EXPECT_NE(parseError(toBytes(w)).find("no COMMAND_STREAM"), std::string::npos);
  w = {0x31504f43u, action::OptimizerConfig, 0};
  EXPECT_NE(parseError(toBytes(w)).find("OPTIMIZER_CONFIG truncated"), std::string::npos);
}

TEST(NpuPayload, EveryTruncationIsAnError) {
  const auto b = toBytes(test::payloadWords(cfg("ethos-u55-128"), {0x00000130u, 0x4030u, 0x100u, op0::Stop}));
  for (size_t n = 0; n < b.size(); ++n) {
    std::vector<uint8_t> cut(b.begin(), b.begin() + (long)n);
    auto r = parsePayload(cut.data(), cut.size());
    EXPECT_FALSE(r.isOk()) << n << " bytes";
  }
}

TEST(NpuPayload, WrongConfigurationIsRefused) {
  auto b = toBytes(test::payloadWords(cfg("ethos-u55-128"), tinyStream()));
  auto p = parsePayload(b.data(), b.size());
  ASSERT_TRUE(p.isOk());
  Status s = checkPayloadConfig(*p, cfg("ethos-u55-256"));
  ASSERT_FALSE(s.isOk());
  EXPECT_EQ(s.error().code(), ErrorCode::InvalidModel);
  EXPECT_NE(s.error().message().find("log2 MACs 7 vs 8"), std::string::npos) << s.error().message();
  s = checkPayloadConfig(*p, cfg("ethos-u65-256"));
  ASSERT_FALSE(s.isOk());
  EXPECT_NE(s.error().message().find("product 0 vs 1"), std::string::npos) << s.error().message();
  // A newer architecture minor revision than the hardware's.
  auto w = test::payloadWords(cfg("ethos-u55-128"), tinyStream());
  w[3] = uint32_t(1) << 28 | uint32_t(1) << 20;
  b = toBytes(w);
  p = parsePayload(b.data(), b.size());
  ASSERT_TRUE(p.isOk());
  s = checkPayloadConfig(*p, cfg("ethos-u55-128"));
  ASSERT_FALSE(s.isOk());
  EXPECT_NE(s.error().message().find("architecture 1.1.0 vs 1.0.6"), std::string::npos);
  // A stream version the hardware does not know.
  w = test::payloadWords(cfg("ethos-u55-128"), tinyStream());
  w[2] |= 1u << 4;
  b = toBytes(w);
  p = parsePayload(b.data(), b.size());
  ASSERT_TRUE(p.isOk());
  EXPECT_FALSE(checkPayloadConfig(*p, cfg("ethos-u55-128")).isOk());
}

} // namespace
} // namespace edgec::npu
