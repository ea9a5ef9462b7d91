// Vela's INI configuration format (see VelaConfig.h).
#include "targets/npu/VelaConfig.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <set>

namespace edgec::ethosu {

const char *memoryTypeName(MemoryType t) {
  switch (t) {
  case MemoryType::Sram: return "Sram";
  case MemoryType::Dram: return "Dram";
  case MemoryType::OnChipFlash: return "OnChipFlash";
  case MemoryType::OffChipFlash: return "OffChipFlash";
  }
  return "?";
}

namespace {

std::string trim(const std::string &s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

std::string lower(std::string s) {
  for (char &c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string at(const std::string &path, int line) {
  return path + ":" + std::to_string(line) + ": ";
}

/// A printable excerpt of a line for an error (control bytes as '?').
std::string excerpt(const std::string &s) {
  std::string r;
  for (char c : s.substr(0, 40)) r += std::isprint(static_cast<unsigned char>(c)) ? c : '?';
  return s.size() > 40 ? r + "..." : r;
}

} // namespace

Expected<IniFile> parseIni(const std::string &text, const std::string &path) {
  IniFile f;
  f.path = path;
  IniSection *current = nullptr;
  std::string currentName;
  int line = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string raw = text.substr(pos, end - pos);
    pos = end + 1;
    ++line;
    if (!raw.empty() && raw.back() == '\r') raw.pop_back();
    if (raw.find('\0') != std::string::npos)
      return Error(ErrorCode::Usage, at(path, line) + "a NUL byte: not a text INI file");
    std::string s = trim(raw);
    if (s.empty() || s[0] == ';' || s[0] == '#') continue;
    if (s[0] == '[') {
      if (s.back() != ']')
        return Error(ErrorCode::Usage,
                     at(path, line) + "section header '" + excerpt(s) + "' has no closing ']'");
      std::string name = trim(s.substr(1, s.size() - 2));
      if (name.empty()) return Error(ErrorCode::Usage, at(path, line) + "empty section name");
      if (f.sections.count(name))
        return Error(ErrorCode::Usage, at(path, line) + "section [" + name +
                                           "] appears twice (first at line " +
                                           std::to_string(f.sections[name].line) + ")");
      current = &f.sections[name];
      current->line = line;
      currentName = name;
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(raw[0])) && current)
      return Error(ErrorCode::Usage, at(path, line) + "indented line '" + excerpt(s) +
                                         "' (continuation lines are not supported)");
    size_t sep = s.find_first_of("=:");
    if (sep == std::string::npos)
      return Error(ErrorCode::Usage,
                   at(path, line) + "'" + excerpt(s) + "' is not KEY=VALUE or a [section]");
    std::string key = lower(trim(s.substr(0, sep)));
    if (key.empty()) return Error(ErrorCode::Usage, at(path, line) + "empty key before '" +
                                                        std::string(1, s[sep]) + "'");
    if (!current)
      return Error(ErrorCode::Usage,
                   at(path, line) + "key '" + key + "' before the first [section]");
    if (current->keys.count(key))
      return Error(ErrorCode::Usage, at(path, line) + "key '" + key + "' appears twice in [" +
                                         currentName + "] (first at line " +
                                         std::to_string(current->keys[key].line) + ")");
    current->keys[key] = {trim(s.substr(sep + 1)), line};
  }
  return f;
}

namespace {

// Vela's example vela.ini (ethosu/config_files/Arm/vela.ini; NPU-EDGETPU.md
// A.1): per system, the NPU clock, the memory on each AXI port with its
// clock scale, burst length (bytes) and read/write latency (cycles); per
// memory mode, the port of the constants, the arena and the cache.
constexpr const char *kBuiltinIni = R"(; edgec's built-in system configurations (Vela's examples)
[System_Config.Ethos_U55_Deep_Embedded]
core_clock=200e6
axi0_port=Sram
axi1_port=OffChipFlash
Sram_clock_scale=1.0
Sram_burst_length=32
Sram_read_latency=32
Sram_write_latency=32
OffChipFlash_clock_scale=0.0625
OffChipFlash_burst_length=128
OffChipFlash_read_latency=64
OffChipFlash_write_latency=64

[System_Config.Ethos_U55_High_End_Embedded]
core_clock=500e6
axi0_port=Sram
axi1_port=OffChipFlash
Sram_clock_scale=1.0
Sram_burst_length=32
Sram_read_latency=32
Sram_write_latency=32
OffChipFlash_clock_scale=0.125
OffChipFlash_burst_length=128
OffChipFlash_read_latency=64
OffChipFlash_write_latency=64

[System_Config.Ethos_U65_Embedded]
core_clock=500e6
axi0_port=Sram
axi1_port=OffChipFlash
Sram_clock_scale=1.0
Sram_burst_length=32
Sram_read_latency=32
Sram_write_latency=32
OffChipFlash_clock_scale=0.0625
OffChipFlash_burst_length=128
OffChipFlash_read_latency=64
OffChipFlash_write_latency=64

[System_Config.Ethos_U65_Mid_End]
core_clock=500e6
axi0_port=Sram
axi1_port=Dram
Sram_clock_scale=1.0
Sram_burst_length=32
Sram_read_latency=32
Sram_write_latency=32
Dram_clock_scale=0.46875
Dram_burst_length=128
Dram_read_latency=500
Dram_write_latency=250

[System_Config.Ethos_U65_High_End]
core_clock=1e9
axi0_port=Sram
axi1_port=Dram
Sram_clock_scale=1.0
Sram_burst_length=32
Sram_read_latency=32
Sram_write_latency=32
Dram_clock_scale=0.234375
Dram_burst_length=128
Dram_read_latency=500
Dram_write_latency=250

[System_Config.Ethos_U65_Client_Server]
core_clock=1e9
axi0_port=Sram
axi1_port=Dram
Sram_clock_scale=1.0
Sram_burst_length=32
Sram_read_latency=32
Sram_write_latency=32
Dram_clock_scale=0.75
Dram_burst_length=128
Dram_read_latency=500
Dram_write_latency=250

[Memory_Mode.Sram_Only]
const_mem_area=Axi0
arena_mem_area=Axi0
cache_mem_area=Axi0

[Memory_Mode.Shared_Sram]
const_mem_area=Axi1
arena_mem_area=Axi0
cache_mem_area=Axi0

[Memory_Mode.Dedicated_Sram]
const_mem_area=Axi1
arena_mem_area=Axi1
cache_mem_area=Axi0
arena_cache_size=393216
)";

/// The section `name` with `inherit` followed: the entry of `key`, or null.
/// Error on a missing inherited section or an inheritance loop.
Expected<const IniEntry *> lookup(const IniFile &ini, const std::string &section,
                                  const std::string &key) {
  std::set<std::string> seen;
  std::string s = section;
  const IniEntry *found = nullptr;
  while (true) {
    auto it = ini.sections.find(s);
    if (it == ini.sections.end()) return found; // caller checked the first one
    seen.insert(s);
    if (!found) {
      auto k = it->second.keys.find(key);
      if (k != it->second.keys.end()) found = &k->second;
    }
    auto inh = it->second.keys.find("inherit");
    if (inh == it->second.keys.end()) return found;
    if (!ini.sections.count(inh->second.value))
      return Error(ErrorCode::Usage, at(ini.path, inh->second.line) + "[" + s +
                                         "] inherits the missing section [" +
                                         inh->second.value + "]");
    if (seen.count(inh->second.value))
      return Error(ErrorCode::Usage, at(ini.path, inh->second.line) + "[" + s + "] inherits [" +
                                         inh->second.value + "], which is a loop");
    s = inh->second.value;
  }
}

Expected<double> number(const IniFile &ini, const IniEntry &e, const std::string &key,
                        bool integer) {
  const char *b = e.value.c_str();
  char *end = nullptr;
  errno = 0;
  double v = std::strtod(b, &end);
  if (e.value.empty() || end != b + e.value.size() || errno == ERANGE || !std::isfinite(v) ||
      (integer && (v != std::floor(v) || std::fabs(v) > 1e15)))
    return Error(ErrorCode::Usage, at(ini.path, e.line) + key + " = '" + excerpt(e.value) +
                                       "' is not " + (integer ? "an integer" : "a number"));
  return v;
}

std::string knownSections(const IniFile &ini, const std::string &prefix) {
  std::string r;
  for (const auto &[name, s] : ini.sections)
    if (name.rfind(prefix, 0) == 0) r += (r.empty() ? "" : ", ") + name.substr(prefix.size());
  return r.empty() ? "none" : r;
}

Expected<MemoryType> memoryType(const IniFile &ini, const IniEntry &e, const std::string &key) {
  for (MemoryType t : {MemoryType::Sram, MemoryType::Dram, MemoryType::OnChipFlash,
                       MemoryType::OffChipFlash})
    if (e.value == memoryTypeName(t)) return t;
  return Error(ErrorCode::Usage, at(ini.path, e.line) + key + " = '" + excerpt(e.value) +
                                     "' is not Sram, Dram, OnChipFlash or OffChipFlash");
}

Expected<AxiPort> axiPort(const IniFile &ini, const IniEntry &e, const std::string &key) {
  if (e.value == "Axi0") return AxiPort::Axi0;
  if (e.value == "Axi1") return AxiPort::Axi1;
  return Error(ErrorCode::Usage,
               at(ini.path, e.line) + key + " = '" + excerpt(e.value) + "' is not Axi0 or Axi1");
}

} // namespace

const IniFile &builtinVelaIni() {
  static const IniFile f = [] {
    Expected<IniFile> r = parseIni(kBuiltinIni, "<built-in vela.ini>");
    return r ? std::move(*r) : IniFile{};
  }();
  return f;
}

std::vector<std::string> builtinSystemConfigs() {
  // File order (the map is sorted): the order of kBuiltinIni.
  std::vector<std::pair<int, std::string>> v;
  for (const auto &[name, s] : builtinVelaIni().sections)
    if (name.rfind("System_Config.", 0) == 0) v.push_back({s.line, name.substr(14)});
  std::sort(v.begin(), v.end());
  std::vector<std::string> out;
  for (auto &p : v) out.push_back(p.second);
  return out;
}

Expected<SystemConfig> readSystemConfig(const IniFile &ini, const std::string &name) {
  const std::string section = "System_Config." + name;
  if (!ini.sections.count(section))
    return Error(ErrorCode::Usage, ini.path + ": no section [" + section +
                                       "] (system configurations: " +
                                       knownSections(ini, "System_Config.") + ")");
  SystemConfig c;
  c.name = name;
  // Vela initialises every property to 1 (or the equivalent) before reading.
  c.coreClock = 1;
  for (MemorySettings &m : c.memory) m = {1.0, 1, 0, 0};
  EDGEC_ASSIGN_OR_RETURN(const IniEntry *clock, lookup(ini, section, "core_clock"));
  if (clock) {
    EDGEC_ASSIGN_OR_RETURN(c.coreClock, number(ini, *clock, "core_clock", false));
    if (c.coreClock <= 0)
      return Error(ErrorCode::Usage, at(ini.path, clock->line) + "core_clock must be positive");
  }
  c.axi0 = MemoryType::Dram; // Vela's MemArea(1) when a port is not named
  c.axi1 = MemoryType::Dram;
  for (auto [key, port] : {std::pair<const char *, MemoryType *>{"axi0_port", &c.axi0},
                           {"axi1_port", &c.axi1}}) {
    EDGEC_ASSIGN_OR_RETURN(const IniEntry *e, lookup(ini, section, key));
    if (e) {
      EDGEC_ASSIGN_OR_RETURN(*port, memoryType(ini, *e, key));
    }
  }
  for (MemoryType t : {c.axi0, c.axi1}) {
    MemorySettings &m = c.memory[size_t(t)];
    const std::string p = lower(memoryTypeName(t));
    struct Field {
      const char *suffix;
      bool integer;
      bool positive;
    };
    for (Field f : {Field{"_clock_scale", false, true}, Field{"_burst_length", true, true},
                    Field{"_read_latency", true, false}, Field{"_write_latency", true, false}}) {
      const std::string key = p + f.suffix;
      EDGEC_ASSIGN_OR_RETURN(const IniEntry *e, lookup(ini, section, key));
      if (!e) continue;
      EDGEC_ASSIGN_OR_RETURN(double v, number(ini, *e, key, f.integer));
      if (f.positive ? v <= 0 : v < 0)
        return Error(ErrorCode::Usage, at(ini.path, e->line) + key + " must be " +
                                           (f.positive ? "positive" : "0 or more"));
      if (f.suffix == std::string("_clock_scale")) m.clockScale = v;
      else if (f.suffix == std::string("_burst_length")) m.burstLength = int64_t(v);
      else if (f.suffix == std::string("_read_latency")) m.readLatency = int64_t(v);
      else m.writeLatency = int64_t(v);
    }
  }
  return c;
}

Expected<MemoryMode> readMemoryMode(const IniFile &ini, const std::string &name,
                                    SystemConfig &sys) {
  const std::string section = "Memory_Mode." + name;
  if (!ini.sections.count(section))
    return Error(ErrorCode::Usage, ini.path + ": no section [" + section + "] (memory modes: " +
                                       knownSections(ini, "Memory_Mode.") + ")");
  MemoryMode m;
  m.name = name;
  m.constArea = m.arenaArea = m.cacheArea = AxiPort::Axi1; // Vela's MemPort(1)
  int line = ini.sections.at(section).line;
  for (auto [key, port] : {std::pair<const char *, AxiPort *>{"const_mem_area", &m.constArea},
                           {"arena_mem_area", &m.arenaArea},
                           {"cache_mem_area", &m.cacheArea}}) {
    EDGEC_ASSIGN_OR_RETURN(const IniEntry *e, lookup(ini, section, key));
    if (e) {
      EDGEC_ASSIGN_OR_RETURN(*port, axiPort(ini, *e, key));
    }
  }
  for (const char *key : {"arena_cache_size", "cache_sram_size"}) {
    EDGEC_ASSIGN_OR_RETURN(const IniEntry *e, lookup(ini, section, key));
    if (!e) continue;
    EDGEC_ASSIGN_OR_RETURN(double v, number(ini, *e, key, true));
    if (v < 0) return Error(ErrorCode::Usage, at(ini.path, e->line) + key + " must be 0 or more");
    m.arenaCacheSize = int64_t(v);
    break;
  }
  auto onPort = [&](AxiPort p) { return p == AxiPort::Axi0 ? sys.axi0 : sys.axi1; };
  // All on one SRAM port: the constants move to on-chip flash with SRAM's
  // timing, on the other port (Vela prints this as an Info line).
  if (onPort(m.constArea) == MemoryType::Sram && m.constArea == m.arenaArea &&
      m.arenaArea == m.cacheArea) {
    MemoryType &other = m.constArea == AxiPort::Axi0 ? sys.axi1 : sys.axi0;
    m.constArea = m.constArea == AxiPort::Axi0 ? AxiPort::Axi1 : AxiPort::Axi0;
    other = MemoryType::OnChipFlash;
    sys.memory[size_t(MemoryType::OnChipFlash)] = sys.memory[size_t(MemoryType::Sram)];
  }
  auto fail = [&](const char *what, MemoryType t, const char *allowed) {
    return Error(ErrorCode::Usage, at(ini.path, line) + "[" + section + "] with [System_Config." +
                                       sys.name + "]: " + what + " is on " + memoryTypeName(t) +
                                       " (must be " + allowed + ")");
  };
  MemoryType cm = onPort(m.constArea), am = onPort(m.arenaArea), xm = onPort(m.cacheArea);
  if (cm == MemoryType::Sram) return fail("const_mem_area", cm, "Dram, OnChipFlash or OffChipFlash");
  if (am != MemoryType::Sram && am != MemoryType::Dram) return fail("arena_mem_area", am, "Sram or Dram");
  if (xm != MemoryType::Sram) return fail("cache_mem_area", xm, "Sram");
  if (m.cacheArea == m.arenaArea) m.arenaCacheSize = 0; // no spilling: the cache is the arena
  return m;
}

std::string memoryModeSection(const std::string &spelling) {
  if (spelling == "sram-only") return "Sram_Only";
  if (spelling == "shared-sram") return "Shared_Sram";
  if (spelling == "dedicated-sram") return "Dedicated_Sram";
  return spelling;
}

MemoryType SystemSetup::constMemory() const {
  return mode.constArea == AxiPort::Axi0 ? system.axi0 : system.axi1;
}
MemoryType SystemSetup::arenaMemory() const {
  return mode.arenaArea == AxiPort::Axi0 ? system.axi0 : system.axi1;
}
MemoryType SystemSetup::cacheMemory() const {
  return mode.cacheArea == AxiPort::Axi0 ? system.axi0 : system.axi1;
}

double SystemSetup::peakBandwidth(MemoryType t, int axiBytes) const {
  return double(axiBytes) * system.coreClock * system.on(t).clockScale;
}

} // namespace edgec::ethosu
