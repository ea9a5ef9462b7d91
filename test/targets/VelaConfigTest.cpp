// Vela's INI configuration format (targets/npu/VelaConfig.h) and the Ethos-U
// target's options (NpuOptions.h): the built-in system configurations
// against the table of NPU-EDGETPU.md A.1, a user file with inheritance,
// comments and mixed-case keys, and one case per class of malformed file,
// each a Usage error naming FILE:LINE.
#include "support/FileIO.h"
#include "support/Process.h"
#include "targets/npu/NpuOptions.h"
#include "targets/npu/VelaConfig.h"

#include <gtest/gtest.h>

using namespace edgec;
using namespace edgec::ethosu;
using namespace std::string_literals;

namespace {

TEST(VelaConfig, BuiltinSystemsMatchTheFacts) {
  EXPECT_EQ(builtinSystemConfigs(),
            (std::vector<std::string>{"Ethos_U55_Deep_Embedded", "Ethos_U55_High_End_Embedded",
                                      "Ethos_U65_Embedded", "Ethos_U65_Mid_End",
                                      "Ethos_U65_High_End", "Ethos_U65_Client_Server"}));
  // A.1: clock, AXI1 memory and scale, design peak bandwidths (AXI width x
  // clock x scale: 8 bytes on the U55, 16 on the U65).
  struct Row {
    const char *name;
    double clock;
    MemoryType axi1;
    double scale, sramGBs, otherGBs;
    int axiBytes;
  };
  for (const Row &r : {Row{"Ethos_U55_Deep_Embedded", 200e6, MemoryType::OffChipFlash, 0.0625, 1.6, 0.1, 8},
                       Row{"Ethos_U55_High_End_Embedded", 500e6, MemoryType::OffChipFlash, 0.125, 4, 0.5, 8},
                       Row{"Ethos_U65_Embedded", 500e6, MemoryType::OffChipFlash, 0.0625, 8, 0.5, 16},
                       Row{"Ethos_U65_Mid_End", 500e6, MemoryType::Dram, 0.46875, 8, 3.75, 16},
                       Row{"Ethos_U65_High_End", 1e9, MemoryType::Dram, 0.234375, 16, 3.75, 16},
                       Row{"Ethos_U65_Client_Server", 1e9, MemoryType::Dram, 0.75, 16, 12, 16}}) {
    auto c = readSystemConfig(builtinVelaIni(), r.name);
    ASSERT_TRUE(c.isOk()) << c.error().message();
    EXPECT_EQ(c->coreClock, r.clock) << r.name;
    EXPECT_EQ(c->axi0, MemoryType::Sram) << r.name;
    EXPECT_EQ(c->axi1, r.axi1) << r.name;
    EXPECT_EQ(c->on(r.axi1).clockScale, r.scale) << r.name;
    // Latencies and bursts (A.1): SRAM 32/32 and 32 B; flash 64/64, DRAM
    // 500/250, both 128 B.
    EXPECT_EQ(c->on(MemoryType::Sram).readLatency, 32);
    EXPECT_EQ(c->on(MemoryType::Sram).writeLatency, 32);
    EXPECT_EQ(c->on(MemoryType::Sram).burstLength, 32);
    EXPECT_EQ(c->on(r.axi1).burstLength, 128);
    EXPECT_EQ(c->on(r.axi1).readLatency, r.axi1 == MemoryType::Dram ? 500 : 64);
    EXPECT_EQ(c->on(r.axi1).writeLatency, r.axi1 == MemoryType::Dram ? 250 : 64);
    SystemSetup s;
    s.system = *c;
    EXPECT_NEAR(s.peakBandwidth(MemoryType::Sram, r.axiBytes) / 1e9, r.sramGBs, 1e-9) << r.name;
    EXPECT_NEAR(s.peakBandwidth(r.axi1, r.axiBytes) / 1e9, r.otherGBs, 1e-9) << r.name;
  }
}

TEST(VelaConfig, BuiltinMemoryModes) {
  SystemConfig sys = *readSystemConfig(builtinVelaIni(), "Ethos_U65_High_End");
  auto shared = readMemoryMode(builtinVelaIni(), "Shared_Sram", sys);
  ASSERT_TRUE(shared.isOk());
  SystemSetup s{sys, *shared, "built-in"};
  EXPECT_EQ(s.constMemory(), MemoryType::Dram);
  EXPECT_EQ(s.arenaMemory(), MemoryType::Sram);
  auto dedicated = readMemoryMode(builtinVelaIni(), "Dedicated_Sram", sys);
  ASSERT_TRUE(dedicated.isOk());
  EXPECT_EQ(dedicated->arenaCacheSize, 384 * 1024);
  s.mode = *dedicated;
  EXPECT_EQ(s.arenaMemory(), MemoryType::Dram);
  EXPECT_EQ(s.cacheMemory(), MemoryType::Sram);
  // Sram_Only: everything on AXI0; the constants move to on-chip flash on
  // the other port, with SRAM's timing (Vela's rule).
  auto only = readMemoryMode(builtinVelaIni(), "Sram_Only", sys);
  ASSERT_TRUE(only.isOk()) << only.error().message();
  s.system = sys;
  s.mode = *only;
  EXPECT_EQ(s.constMemory(), MemoryType::OnChipFlash);
  EXPECT_EQ(s.system.on(MemoryType::OnChipFlash).clockScale, 1.0);
  EXPECT_EQ(s.arenaMemory(), MemoryType::Sram);
}

TEST(VelaConfig, UserFileWithInheritanceCommentsAndCase) {
  const std::string text = "; vendor file\r\n"
                           "# another comment\n"
                           "[System_Config.Base]\n"
                           "core_clock = 400e6\n"
                           "AXI0_Port=Sram\n"
                           "axi1_port: OffChipFlash\n"
                           "Sram_Clock_Scale=1.0\n"
                           "OffChipFlash_clock_scale=0.25\n"
                           "\n"
                           "[System_Config.Board]\n"
                           "inherit=System_Config.Base\n"
                           "core_clock=800e6\n"
                           "[Memory_Mode.Mine]\n"
                           "const_mem_area=Axi1\n"
                           "arena_mem_area=Axi0\n"
                           "cache_mem_area=Axi0\n"
                           "[Architecture.Ignored]\n"
                           "anything=goes\n";
  auto ini = parseIni(text, "board.ini");
  ASSERT_TRUE(ini.isOk()) << ini.error().message();
  auto c = readSystemConfig(*ini, "Board");
  ASSERT_TRUE(c.isOk()) << c.error().message();
  EXPECT_EQ(c->coreClock, 800e6); // its own key wins over the inherited one
  EXPECT_EQ(c->axi1, MemoryType::OffChipFlash);
  EXPECT_EQ(c->on(MemoryType::OffChipFlash).clockScale, 0.25);
  auto m = readMemoryMode(*ini, "Mine", *c);
  ASSERT_TRUE(m.isOk()) << m.error().message();
  EXPECT_EQ(m->constArea, AxiPort::Axi1);
}

/// The error for `text` as file "bad.ini", checked to name "bad.ini:LINE:"
/// and to be one line.
std::string iniError(const std::string &text, int line, const char *system = "S",
                     const char *mode = nullptr) {
  std::string where = "bad.ini:" + std::to_string(line) + ": ";
  auto ini = parseIni(text, "bad.ini");
  std::string msg;
  if (!ini) {
    msg = ini.error().message();
    EXPECT_EQ(ini.error().code(), ErrorCode::Usage);
  } else {
    auto c = readSystemConfig(*ini, system);
    if (!c) {
      msg = c.error().message();
    } else if (mode) {
      auto m = readMemoryMode(*ini, mode, *c);
      EXPECT_FALSE(m.isOk()) << text;
      if (!m) msg = m.error().message();
    }
  }
  EXPECT_NE(msg.find(where), std::string::npos) << "'" << msg << "' does not name " << where;
  EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
  return msg;
}

TEST(VelaConfig, MalformedFilesNameFileAndLine) {
  // Syntax.
  iniError("[System_Config.S\ncore_clock=1\n", 1);
  iniError("[System_Config.S]\njust words\n", 2);
  iniError("core_clock=1\n[System_Config.S]\n", 1);
  iniError("[System_Config.S]\n=5\n", 2);
  iniError("[System_Config.S]\n[]\n", 2);
  iniError("[System_Config.S]\ncore_clock=1\n[System_Config.S]\n", 3);
  iniError("[System_Config.S]\ncore_clock=1\nCORE_CLOCK=2\n", 3);
  iniError("[System_Config.S]\ncore_clock=1\n  continued\n", 3);
  iniError("[System_Config.S]\ncore_\0clock=1\n"s, 2);
  // Values.
  iniError("[System_Config.S]\ncore_clock=fast\n", 2);
  iniError("[System_Config.S]\ncore_clock=-5\n", 2);
  iniError("[System_Config.S]\ncore_clock=1e999\n", 2);
  iniError("[System_Config.S]\naxi0_port=Sram\naxi1_port=Flash\n", 3);
  iniError("[System_Config.S]\naxi0_port=Sram\nSram_burst_length=3.5\n", 3);
  iniError("[System_Config.S]\naxi0_port=Sram\nSram_read_latency=-1\n", 3);
  // Inheritance.
  iniError("[System_Config.S]\ninherit=System_Config.S\n", 2);
  iniError("[System_Config.S]\ninherit=System_Config.Missing\n", 2);
  // Memory modes: a bad port, and constants on SRAM with the arena elsewhere.
  iniError("[System_Config.S]\naxi0_port=Sram\naxi1_port=OffChipFlash\n"
           "[Memory_Mode.M]\nconst_mem_area=Axi2\n",
           5, "S", "M");
  iniError("[System_Config.S]\naxi0_port=Sram\naxi1_port=Dram\n"
           "[Memory_Mode.M]\nconst_mem_area=Axi0\narena_mem_area=Axi1\ncache_mem_area=Axi0\n",
           4, "S", "M");
  // A missing section names the file and the sections it has.
  auto ini = parseIni("[System_Config.A]\ncore_clock=1\n", "bad.ini");
  ASSERT_TRUE(ini.isOk());
  auto c = readSystemConfig(*ini, "B");
  ASSERT_FALSE(c.isOk());
  EXPECT_NE(c.error().message().find("bad.ini: no section [System_Config.B]"), std::string::npos);
  EXPECT_NE(c.error().message().find("system configurations: A"), std::string::npos);
}

TEST(VelaConfig, TargetOptionsResolve) {
  auto d = resolveNpuOptions("", "", "");
  ASSERT_TRUE(d.isOk());
  EXPECT_EQ(d->accelerator->name, "ethos-u55-128");
  EXPECT_EQ(d->system.system.name, "Ethos_U55_High_End_Embedded");
  EXPECT_EQ(d->system.mode.name, "Shared_Sram");
  auto u65 = resolveNpuOptions("ethos-u65-256", "", "");
  ASSERT_TRUE(u65.isOk());
  EXPECT_EQ(u65->system.system.name, "Ethos_U65_Client_Server");
  EXPECT_EQ(u65->system.mode.name, "Dedicated_Sram");
  auto mixed = resolveNpuOptions("Ethos_U55_64", "Ethos_U55_Deep_Embedded", "sram-only");
  ASSERT_TRUE(mixed.isOk()) << mixed.error().message();
  EXPECT_EQ(mixed->accelerator->macsPerCycle, 64);
  EXPECT_EQ(mixed->system.mode.name, "Sram_Only");
  auto bad = resolveNpuOptions("ethos-u55-100", "", "");
  ASSERT_FALSE(bad.isOk());
  EXPECT_EQ(bad.error().code(), ErrorCode::Usage);
  EXPECT_NE(bad.error().message().find("npu-config"), std::string::npos);
  EXPECT_FALSE(resolveNpuOptions("", "NoSuchSystem", "").isOk());
  EXPECT_FALSE(resolveNpuOptions("", "", "no-such-mode").isOk());
  // A user file: FILE.ini:NAME; the standard memory modes come from the
  // built-in file when the user's has none; a malformed file names its line.
  auto dir = makeTempDir("edgec-vela-ini");
  ASSERT_TRUE(dir.isOk());
  TempDir keep(*dir);
  std::string good = *dir + "/vendor.ini", broken = *dir + "/broken.ini";
  ASSERT_TRUE(writeFileBytes(good, "[System_Config.Board]\ncore_clock=250e6\naxi0_port=Sram\n"
                                   "axi1_port=OffChipFlash\n").isOk());
  ASSERT_TRUE(writeFileBytes(broken, "[System_Config.Board]\ncore_clock=250e6\noops\n").isOk());
  auto user = resolveNpuOptions("", good + ":Board", "shared-sram");
  ASSERT_TRUE(user.isOk()) << user.error().message();
  EXPECT_EQ(user->system.system.coreClock, 250e6);
  EXPECT_EQ(user->system.source, good);
  auto b = resolveNpuOptions("", broken + ":Board", "");
  ASSERT_FALSE(b.isOk());
  EXPECT_NE(b.error().message().find(broken + ":3: "), std::string::npos) << b.error().message();
  auto missing = resolveNpuOptions("", *dir + "/none.ini:Board", "");
  ASSERT_FALSE(missing.isOk());
  EXPECT_EQ(missing.error().code(), ErrorCode::Io);
}

} // namespace
