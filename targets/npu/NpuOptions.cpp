// Resolving the Ethos-U target's options (see NpuOptions.h).
#include "targets/npu/NpuOptions.h"

#include "support/FileIO.h"

namespace edgec::ethosu {

const char *defaultSystemConfig(npu::Product p) {
  return p == npu::Product::EthosU65 ? "Ethos_U65_Client_Server" : "Ethos_U55_High_End_Embedded";
}

npu::MemorySystem memorySystem(const SystemSetup &s) {
  static_assert(kMemoryTypes == npu::kMemories, "one memory type per estimated memory");
  auto to = [](MemoryType t) { return npu::Memory(uint8_t(t)); }; // same order (Vela's MemArea)
  npu::MemorySystem m;
  m.coreClockHz = s.system.coreClock;
  for (size_t i = 0; i < kMemoryTypes; ++i) {
    const MemorySettings &ms = s.system.memory[i];
    m.timing[i] = {ms.clockScale, ms.burstLength, ms.readLatency, ms.writeLatency};
  }
  m.regionMemory.fill(to(s.arenaMemory()));
  m.regionMemory[0] = to(s.constMemory());
  m.regionMemory[2] = to(s.cacheMemory());
  return m;
}

const char *defaultMemoryMode(npu::Product p) {
  return p == npu::Product::EthosU65 ? "dedicated-sram" : "shared-sram";
}

Expected<NpuOptions> resolveNpuOptions(const std::string &npuConfig,
                                       const std::string &systemConfig,
                                       const std::string &memoryMode) {
  NpuOptions o;
  auto accel = npu::findAcceleratorConfig(npuConfig.empty() ? "ethos-u55-128" : npuConfig);
  if (!accel) return Error(ErrorCode::Usage, "npu option npu-config: " + accel.error().message());
  o.accelerator = *accel;
  std::string sys = systemConfig.empty() ? defaultSystemConfig(o.accelerator->product) : systemConfig;
  std::string mode = memoryModeSection(memoryMode.empty() ? defaultMemoryMode(o.accelerator->product)
                                                          : memoryMode);
  // FILE.ini:NAME (the last ':' splits, so a drive letter stays in FILE).
  IniFile user;
  bool fromFile = false;
  if (size_t colon = sys.rfind(':'); colon != std::string::npos) {
    std::string path = sys.substr(0, colon);
    sys = sys.substr(colon + 1);
    if (path.empty() || sys.empty())
      return Error(ErrorCode::Usage, "npu option system-config: '" + systemConfig +
                                         "' is not NAME or FILE.ini:NAME");
    EDGEC_ASSIGN_OR_RETURN(std::string text, readFileBytes(path));
    EDGEC_ASSIGN_OR_RETURN(user, parseIni(text, path));
    fromFile = true;
  }
  const IniFile &sysIni = fromFile ? user : builtinVelaIni();
  auto cfg = readSystemConfig(sysIni, sys);
  if (!cfg) return Error(cfg.error().code(), "npu option system-config: " + cfg.error().message());
  o.system.system = *cfg;
  // The memory mode comes from the same file; the three standard modes
  // fall back to the built-in ones when the file has no such section.
  const IniFile &modeIni =
      fromFile && !user.sections.count("Memory_Mode." + mode) &&
              builtinVelaIni().sections.count("Memory_Mode." + mode)
          ? builtinVelaIni()
          : sysIni;
  auto mm = readMemoryMode(modeIni, mode, o.system.system);
  if (!mm) return Error(mm.error().code(), "npu option memory-mode: " + mm.error().message());
  o.system.mode = *mm;
  o.system.source = fromFile ? user.path : "built-in";
  return o;
}

} // namespace edgec::ethosu
