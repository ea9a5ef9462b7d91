// The functional model: the output stage's roundings on hand-computed
// values, a hand-written stream run through the TFLite reader and the
// interpreter, and the malformed `ethos-u` files of test/bad-models
// (EDGEC_UPDATE_BAD_MODELS=1 rewrites them).
#include "ZeroInputs.h"
#include "NpuTestStreams.h"
#include "frontend/ModelLoader.h"
#include "interp/Interpreter.h"
#include "npu/OutputStage.h"
#include "tflite/TfliteImporter.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

namespace edgec::npu {
namespace {

TEST(NpuOutputStage, Rounding) {
  // TFL below 31 bits: one rounding, half up.
  EXPECT_EQ(scaleAndRound(5, 1, 1, 0), 3);   // 2.5 -> 3
  EXPECT_EQ(scaleAndRound(-5, 1, 1, 0), -2); // -2.5 -> -2
  // TFL from 31 bits: half up at bit 31, then half away from zero.
  // 3 * 2^30 / 2^32: 1.5 at bit 31 -> 2, then 2 / 2 = 1.
  EXPECT_EQ(scaleAndRound(3, int64_t(1) << 30, 32, 0), 1);
  // -3 * 2^30 / 2^32: -1.5 -> -1 at bit 31, then -1 / 2 = -0.5 -> -1.
  EXPECT_EQ(scaleAndRound(-3, int64_t(1) << 30, 32, 0), -1);
  // Double rounding is not one rounding: 3 * 2^30 / 2^33 = 0.375 would
  // round to 0; at bit 31 it is 1.5 -> 2, then 2 / 4 = 0.5 -> 1.
  EXPECT_EQ(scaleAndRound(3, int64_t(1) << 30, 33, 0), 1);
  EXPECT_EQ(scaleAndRound(-7, 1, 2, 1), -1); // truncate toward zero: -1.75 -> -1
  EXPECT_EQ(scaleAndRound(-6, 1, 2, 2), -1); // natural: -1.5 -> -1 (half up)
  EXPECT_EQ(scaleAndRound(6, 1, 2, 2), 2);   // 1.5 -> 2
  EXPECT_EQ(shiftRound(-6, 2, 0), -2);       // TFL shift: -1.5 -> -2 (away from zero)
}

TEST(NpuFunctionalModel, HandWrittenStreamThroughTheInterpreter) {
  const AcceleratorConfig &c = **findAcceleratorConfig("ethos-u55-128");
  const auto bytes = test::ethosuTflite(test::toBytes(test::payloadWords(c, test::reluStream())));
  auto m = importTfliteBytes(bytes.data(), bytes.size(), ImportOptions{});
  ASSERT_TRUE(m.isOk()) << m.error().message();
  Tensor x = *Tensor::create(DataType::Int8, {1, 1, 1, 16});
  for (int i = 0; i < 16; ++i) x.data<int8_t>()[i] = int8_t(i * 17 - 128);
  Interpreter interp(**m);
  auto r = interp.run({{"x", x}});
  ASSERT_TRUE(r.isOk()) << r.error().message();
  ASSERT_EQ(r->size(), 1u);
  const Tensor &y = (*r)[0];
  for (int i = 0; i < 16; ++i) {
    const int v = i * 17 - 128;
    EXPECT_EQ(y.data<int8_t>()[i], v < 0 ? 0 : v) << i;
  }
}

struct BadFile {
  std::string name;
  std::vector<uint8_t> bytes;
  int code;
  std::string substring;
  bool atRun;
};

std::vector<BadFile> badFiles() {
  const AcceleratorConfig &c = **findAcceleratorConfig("ethos-u55-128");
  std::vector<BadFile> r;
  auto words = test::payloadWords(c, test::reluStream());
  auto w = words;
  w[0] = 0x32504f43u;
  r.push_back({"ethosu_bad_magic", test::ethosuTflite(test::toBytes(w)), 4, "magic is not \"COP1\"", false});
  w = words;
  w[7] += 1000u << 16;
  r.push_back({"ethosu_stream_overrun", test::ethosuTflite(test::toBytes(w)), 4, "overruns", false});
  w = words;
  w[8] = 0x3F; // the first command: an unknown opcode
  r.push_back({"ethosu_unknown_opcode", test::ethosuTflite(test::toBytes(w)), 4,
               "unknown cmd0 opcode 63", false});
  w = words;
  w[3] = uint32_t(2) << 28; // architecture 2.0.0
  r.push_back({"ethosu_wrong_architecture", test::ethosuTflite(test::toBytes(w)), 4,
               "architecture 2.0.0 vs 1.0.6", false});
  w = words;
  w[2] = (w[2] & ~0xFu) | 3; // 8 MACs/cycle: no such Ethos-U
  r.push_back({"ethosu_unknown_config", test::ethosuTflite(test::toBytes(w)), 5,
               "names no known Ethos-U configuration", false});
  r.push_back({"ethosu_no_offsets",
               test::ethosuTflite(test::toBytes(words), true, false), 5,
               "no OfflineMemoryAllocation metadata", false});
  // A DMA from flash beyond its 16 bytes; the model has no inputs, so the
  // CLI's `run` reaches it.
  test::StreamBuilder s;
  s.c0(op0::Dma0SrcRegion, 0);
  s.c1(op1::Dma0Src, 0);
  s.c0(op0::Dma0DstRegion, 1);
  s.c1(op1::Dma0Dst, 0);
  s.c1(op1::Dma0Len, 4096);
  s.c0(op0::DmaStart);
  s.c0(op0::Stop, 0xFFFF);
  // A corrupted shape: 65536 x 65536 x 16 cannot lie in a 32-byte arena
  // (caught before anything is allocated or looped over).
  auto huge = test::reluStream();
  for (uint32_t &word : huge)
    if ((word & 0xFFFF) == op0::OfmHeightM1 || (word & 0xFFFF) == op0::OfmWidthM1)
      word = (word & 0xFFFF) | 0xFFFF0000u;
  r.push_back({"ethosu_huge_feature_map",
               test::ethosuTflite(test::toBytes(test::payloadWords(c, huge)), false), 4,
               "feature map cannot lie in region 1", false});
  r.push_back({"ethosu_dma_outside_region",
               test::ethosuTflite(test::toBytes(test::payloadWords(c, s.words)), false), 4,
               "outside its region", false});
  return r;
}

TEST(NpuBadModelFiles, CheckedInFilesAreCurrent) {
  // Each file fails the way every command sees it: loaded by the frontend
  // (which evaluates constant subexpressions, so a stream without graph
  // inputs already runs at load), then run on zero inputs.
  const std::string dir = std::string(EDGEC_SOURCE_DIR) + "/test/bad-models/";
  const char *update = std::getenv("EDGEC_UPDATE_BAD_MODELS");
  for (const BadFile &f : badFiles()) {
    SCOPED_TRACE(f.name);
    const std::string path = dir + f.name + ".tflite";
    if (update && *update) {
      std::ofstream(path, std::ios::binary)
          .write((const char *)f.bytes.data(), (std::streamsize)f.bytes.size());
      std::ofstream(dir + f.name + ".expected")
          << f.code << "\n" << f.substring << "\n" << (f.atRun ? "run\n" : "");
    }
    std::ifstream in(path, std::ios::binary);
    std::vector<uint8_t> have((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(have, f.bytes) << path << " is stale: rerun with EDGEC_UPDATE_BAD_MODELS=1";
    auto m = loadModelFile(path);
    Error e(ErrorCode::Ok, "");
    if (f.atRun) {
      ASSERT_TRUE(m.isOk()) << m.error().message();
      Interpreter interp(**m);
      auto r = interp.run(edgec::test::zeroInputs(**m));
      ASSERT_FALSE(r.isOk());
      e = r.error();
    } else {
      ASSERT_FALSE(m.isOk());
      e = m.error();
    }
    EXPECT_EQ((int)e.code(), f.code) << e.message();
    EXPECT_NE(e.message().find(f.substring), std::string::npos) << e.message();
  }
}

} // namespace
} // namespace edgec::npu
