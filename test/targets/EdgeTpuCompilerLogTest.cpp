// The edgetpu_compiler log parser (targets/edgetpu/EdgeTpuCompilerLog.h) on
// real compiler output quoted in public issues
// (test/targets/edgetpu/logs/, sources in SOURCES.md there). The expected
// values are read off those texts by hand.
#include "support/FileIO.h"
#include "targets/edgetpu/EdgeTpuCompilerLog.h"

#include <gtest/gtest.h>

using namespace edgec;
using namespace edgec::edgetpu;

namespace {

CompilerLog parseFile(const std::string &name) {
  auto text = readFileBytes(std::string(EDGEC_SOURCE_DIR) + "/test/targets/edgetpu/logs/" + name);
  EXPECT_TRUE(text.isOk()) << name;
  if (!text) return {};
  auto log = parseCompilerLog(*text);
  EXPECT_TRUE(log.isOk()) << name << ": " << (log ? "" : log.error().message());
  return log ? *log : CompilerLog{};
}

int64_t mib(double v) { return (int64_t)(v * 1048576.0 + 0.5); }
int64_t kib(double v) { return (int64_t)(v * 1024.0 + 0.5); }

TEST(EdgeTpuCompilerLog, Sizes) {
  EXPECT_EQ(parseCompilerSize("0.00B"), 0);
  EXPECT_EQ(parseCompilerSize("175.00KiB"), 175 * 1024);
  EXPECT_EQ(parseCompilerSize("4.21MiB"), mib(4.21));
  EXPECT_EQ(parseCompilerSize(" 1.00GiB "), int64_t(1) << 30);
  EXPECT_FALSE(parseCompilerSize("4.21 MB"));
  EXPECT_FALSE(parseCompilerSize("MiB"));
  EXPECT_FALSE(parseCompilerSize("1.2.3KiB"));
  EXPECT_FALSE(parseCompilerSize("99999999999999999999999MiB"));
}

TEST(EdgeTpuCompilerLog, Issue342TransposesAndTheSubgraphRule) {
  CompilerLog l = parseFile("issue342.stdout");
  EXPECT_EQ(l.onEdgeTpu, 2);
  EXPECT_EQ(l.onCpu, 153);
  EXPECT_FALSE(l.total);
  EXPECT_FALSE(l.failed);
  ASSERT_TRUE(l.hasTable);
  ASSERT_EQ(l.table.size(), 10u);
  EXPECT_EQ(l.table[0].op, "TRANSPOSE");
  EXPECT_EQ(l.table[0].count, 70);
  EXPECT_EQ(l.table[0].known, OpStatus::NotSupported);
  EXPECT_EQ(l.table[8].op, "QUANTIZE");
  EXPECT_EQ(l.table[8].known, OpStatus::UnspecifiedLimitation);
  int64_t sum = 0, mapped = 0;
  for (const LogRow &r : l.table) {
    sum += r.count;
    if (r.known == OpStatus::Mapped) mapped += r.count;
  }
  // This table is complete: it adds up to the printed counts.
  EXPECT_EQ(sum, 155);
  EXPECT_EQ(mapped, 2);
  Json j = compilerLogJson(l);
  EXPECT_EQ(j["kind"].asString(), "compiler-log");
  // No "Total number of operations" line: the fraction comes from the two counts.
  EXPECT_DOUBLE_EQ(j["mapped_fraction"].asDouble(), 0.0129);
}

TEST(EdgeTpuCompilerLog, Issue427MemoryLines) {
  CompilerLog l = parseFile("issue427.stdout");
  EXPECT_EQ(l.version, "15.0.340273435");
  EXPECT_EQ(l.onChip, mib(1.92));
  EXPECT_EQ(l.remaining, kib(1.75));
  EXPECT_EQ(l.offChip, mib(3.23));
  EXPECT_EQ(l.subgraphs, 1);
  EXPECT_EQ(l.total, 136);
  EXPECT_EQ(l.onEdgeTpu, 135);
  EXPECT_EQ(l.onCpu, 1);
  ASSERT_EQ(l.table.size(), 4u);
  EXPECT_EQ(l.table[3].op, "ADD");
  EXPECT_EQ(l.table[3].count, 10);
}

TEST(EdgeTpuCompilerLog, Issue572NoTable) {
  CompilerLog l = parseFile("issue572.stdout");
  EXPECT_EQ(l.version, "16.0.384591198");
  EXPECT_EQ(l.onChip, kib(604.5));
  EXPECT_EQ(l.remaining, kib(511.5));
  EXPECT_EQ(l.offChip, mib(3.45));
  EXPECT_EQ(l.total, 50);
  EXPECT_FALSE(l.hasTable);
  EXPECT_FALSE(l.failed);
  EXPECT_TRUE(compilerLogJson(l)["table"].isNull());
}

TEST(EdgeTpuCompilerLog, Issue708NothingMapped) {
  CompilerLog l = parseFile("issue708.stdout");
  EXPECT_EQ(l.subgraphs, 0);
  EXPECT_EQ(l.onEdgeTpu, 0);
  EXPECT_EQ(l.onCpu, 157);
  EXPECT_EQ(l.onChip, 0);
  ASSERT_EQ(l.table.size(), 1u);
  EXPECT_EQ(l.table[0].known, OpStatus::UnsupportedDataType);
  EXPECT_DOUBLE_EQ(compilerLogJson(l)["mapped_fraction"].asDouble(), 0.0);
}

TEST(EdgeTpuCompilerLog, Issue512Failure) {
  CompilerLog l = parseFile("issue512-failed.stdout");
  EXPECT_TRUE(l.failed);
  EXPECT_EQ(l.failure, "Compilation failed due to large activation tensors in model.");
  EXPECT_FALSE(l.total);
  Json j = compilerLogJson(l);
  EXPECT_TRUE(j["failed"].asBool());
  EXPECT_TRUE(j["mapped_fraction"].isNull());
}

TEST(EdgeTpuCompilerLog, LogFileOneOperatorOnThreeRows) {
  CompilerLog l = parseFile("ultralytics-hub-1136.log");
  EXPECT_EQ(l.version, "16.0.384591198");
  EXPECT_FALSE(l.onEdgeTpu);
  ASSERT_EQ(l.table.size(), 14u);
  int concat = 0;
  for (const LogRow &r : l.table)
    if (r.op == "CONCATENATION") ++concat;
  EXPECT_EQ(concat, 3);
  EXPECT_EQ(l.table[12].known, OpStatus::UnspecifiedLimitation);
}

TEST(EdgeTpuCompilerLog, SearchDelegateOutput) {
  CompilerLog l = parseFile("ultralytics-4754.stdout");
  EXPECT_EQ(l.offChip, kib(18.19));
  EXPECT_EQ(l.total, 257);
  ASSERT_EQ(l.table.size(), 9u);
  EXPECT_EQ(l.table[8].op, "TRANSPOSE");
  EXPECT_EQ(l.table[8].known, OpStatus::Mapped);
}

TEST(EdgeTpuCompilerLog, BadValuesAreErrorsNamingTheLine) {
  auto l = parseCompilerLog("Edge TPU Compiler version 16\nTotal number of operations: many\n");
  ASSERT_FALSE(l.isOk());
  EXPECT_NE(l.error().message().find("line 2"), std::string::npos) << l.error().message();
  auto s = parseCompilerLog("Off-chip memory used for streaming uncached model parameters: 3 MB");
  ASSERT_FALSE(s.isOk());
  EXPECT_NE(s.error().message().find("is not a size"), std::string::npos);
  // Unknown lines and an unknown status string are kept, not errors.
  auto u = parseCompilerLog("hello\nOperator Count Status\nFOO 3 Some new status\n");
  ASSERT_TRUE(u.isOk());
  ASSERT_EQ(u->table.size(), 1u);
  EXPECT_FALSE(u->table[0].known);
  EXPECT_EQ(u->table[0].status, "Some new status");
  // Garbage never crashes.
  std::string junk;
  for (int i = 0; i < 2000; ++i) junk += char((i * 131 + 7) % 256);
  EXPECT_TRUE(parseCompilerLog(junk).isOk());
}

TEST(EdgeTpuCompilerLog, ComparisonCountsBothSides) {
  CompilerLog l = parseFile("issue342.stdout");
  Prediction p;
  p.total = 155;
  p.onEdgeTpu = 2;
  p.onCpu = 153;
  p.subgraphs = 1;
  p.table = {{"TRANSPOSE", 70, OpStatus::NotSupported}, {"PAD", 18, OpStatus::MoreThanOneSubgraph}};
  Json c = comparisonJson(p, l);
  EXPECT_TRUE(c["edgetpu"]["agree"].asBool());
  EXPECT_TRUE(c["cpu"]["agree"].asBool());
  EXPECT_FALSE(c["table_agrees"].asBool());
  bool sawPad = false;
  for (const Json &r : c["table"].elements())
    if (r.find("operator")->asString() == "PAD" &&
        r.find("status")->asString() == "More than one subgraph is not supported") {
      EXPECT_EQ(r.find("predicted")->asInt(), 18);
      EXPECT_EQ(r.find("actual")->asInt(), 17);
      sawPad = true;
    }
  EXPECT_TRUE(sawPad);
  std::string t = comparisonText(p, l);
  EXPECT_NE(t.find("<- differs"), std::string::npos);
}

} // namespace
