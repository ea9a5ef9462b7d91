#include "targets/mcu/PackageRunner.h"

#include "support/FileIO.h"
#include "targets/mcu/McuOptions.h"

#include <cstdlib>
#include <cstring>
#include <sys/wait.h>
#include <filesystem>
#include <sstream>
#include <unistd.h>

namespace edgec::mcu {

std::string shellQuote(const std::string &s) {
  std::string o = "'";
  for (char c : s) {
    if (c == '\'') o += "'\\''";
    else o += c;
  }
  return o + "'";
}

Expected<std::string> makeTempDir(const std::string &prefix) {
  const char *t = std::getenv("TMPDIR");
  std::string base = (t && *t) ? t : "/tmp";
  std::string tmpl = base + "/" + prefix + "XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data()))
    return Error(ErrorCode::Io, "cannot create a temporary directory under " + base);
  return std::string(buf.data());
}

void removeTree(const std::string &dir) {
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

Status checkFitsMachine(const Json &report, const std::string &cpu) {
  const CpuInfo *c = findCpu(cpu);
  if (!c || !c->qemuMachine[0]) return Status::ok();
  auto num = [](const Json *x) { return x ? x->asInt() : int64_t(0); };
  int64_t weights = num(report.find("weight_bytes"));
  const Json *arena = report.find("arena");
  int64_t ram = arena ? num(arena->find("bytes_with_io")) : 0;
  auto mib = [](int64_t b) { return std::to_string((b + (1 << 19)) >> 20) + " MiB"; };
  if (weights + (128 << 10) > c->flashBytes)
    return Error(ErrorCode::Unsupported,
                 "the model's " + std::to_string(weights) + " bytes of weights do not fit the " +
                     std::string(c->qemuMachine) + " machine (" + mib(c->flashBytes) +
                     " for code and weights); validate it on the host (--cpu host)");
  if (ram + (512 << 10) > c->ramBytes)
    return Error(ErrorCode::Unsupported,
                 "the model's arena and buffers (" + std::to_string(ram) + " bytes) do not fit the " +
                     std::string(c->qemuMachine) + " machine (" + mib(c->ramBytes) +
                     " of RAM); validate it on the host (--cpu host)");
  return Status::ok();
}

int runCommand(const std::string &cmd, const std::string &logFile) {
  std::string full = "(" + cmd + ") > " + shellQuote(logFile) + " 2>&1 < /dev/null";
  int rc = std::system(full.c_str());
  if (rc == -1) return 127;
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : 128;
}

namespace {

Expected<Tensor> tensorFromRaw(const std::string &bytes, const Value &v, const std::string &what) {
  TensorShape shape = v.type.staticShape();
  EDGEC_ASSIGN_OR_RETURN(Tensor t, Tensor::create(v.type.dtype, shape));
  if (bytes.size() != t.byteSize())
    return Error(ErrorCode::Runtime, what + ": got " + std::to_string(bytes.size()) +
                                         " bytes, expected " + std::to_string(t.byteSize()));
  if (!bytes.empty()) std::memcpy(t.raw(), bytes.data(), bytes.size());
  return t;
}

} // namespace

Expected<HarnessRun> buildAndRun(const HarnessRequest &r, const std::vector<Tensor> &inputs,
                                 const std::vector<const Value *> &outputTypes) {
  namespace fs = std::filesystem;
  std::string dir = fs::absolute(r.dir).string();
  std::string args = "-n " + std::to_string(r.runs) + " -w " + std::to_string(r.warmup);
  for (size_t k = 0; k < inputs.size(); ++k) {
    std::string p = dir + "/edgec_in" + std::to_string(k) + ".bin";
    EDGEC_TRY(writeFileBytes(p, std::string((const char *)inputs[k].raw(), inputs[k].byteSize())));
    args += " " + p;
  }
  for (size_t k = 0; k < outputTypes.size(); ++k) {
    std::string p = dir + "/edgec_out" + std::to_string(k) + ".bin";
    std::error_code ec;
    fs::remove(p, ec);
    args += " -o " + p;
  }
  std::string log = dir + "/edgec_run.log";
  std::string cmd = "make --no-print-directory -s -C " + shellQuote(dir) +
                    " CPU=" + shellQuote(r.cpu) + " EC_TIMEOUT=" +
                    std::to_string(r.timeoutSeconds) + " EXTRA_CFLAGS=" +
                    shellQuote(r.extraCflags) +
                    " run ARGS=" + shellQuote(args);
  int rc = runCommand(cmd, log);
  HarnessRun out;
  auto text = readFileBytes(log);
  if (text.isOk()) out.log = *text;
  if (rc != 0) {
    std::string tail = out.log.size() > 1500 ? out.log.substr(out.log.size() - 1500) : out.log;
    for (char &c : tail)
      if (c == '\n') c = ' ';
    return Error(ErrorCode::Runtime, "building or running the package for " + r.cpu +
                                         " failed (exit " + std::to_string(rc) + "): " + tail);
  }
  std::istringstream is(out.log);
  std::string line;
  while (std::getline(is, line)) {
    if (line.rfind("edgec: platform=", 0) == 0) {
      auto field = [&](const std::string &k) {
        size_t p = line.find(" " + k + "=");
        if (p == std::string::npos) return std::string();
        p += k.size() + 2;
        return line.substr(p, line.find(' ', p) - p);
      };
      out.unit = field("unit");
      out.minCount = std::strtoull(field("min").c_str(), nullptr, 10);
      out.medianCount = std::strtoull(field("median").c_str(), nullptr, 10);
    } else if (line.rfind("edgec: layer ", 0) == 0) {
      std::istringstream ls(line.substr(13));
      int idx = 0;
      uint64_t count = 0;
      ls >> idx >> count;
      std::string rest;
      std::getline(ls, rest);
      if (!rest.empty() && rest[0] == ' ') rest.erase(0, 1);
      out.layers.push_back({rest, count});
    }
  }
  for (size_t k = 0; k < outputTypes.size(); ++k) {
    std::string p = dir + "/edgec_out" + std::to_string(k) + ".bin";
    EDGEC_ASSIGN_OR_RETURN(std::string bytes, readFileBytes(p));
    EDGEC_ASSIGN_OR_RETURN(Tensor t, tensorFromRaw(bytes, *outputTypes[k], "output " + std::to_string(k)));
    out.outputs.push_back(std::move(t));
  }
  return out;
}

Expected<std::vector<Tensor>> randomInputs(const Model &m, uint64_t seed) {
  std::vector<Tensor> out;
  uint64_t s = seed * 0x9E3779B97F4A7C15ull + 1;
  auto next = [&] {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    return uint32_t(s >> 32);
  };
  for (const Value *v : m.graph->inputs) {
    if (v->isInitializer()) continue;
    if (!v->type.isStatic())
      return Error(ErrorCode::InvalidInput, "input '" + v->name + "' has a dynamic shape " +
                                                v->type.str() + "; give --input-shape");
    EDGEC_ASSIGN_OR_RETURN(Tensor t, Tensor::create(v->type.dtype, v->type.staticShape()));
    for (int64_t i = 0; i < t.numElements(); ++i) {
      uint32_t r = next();
      switch (v->type.dtype) {
      case DataType::Float32: t.setDouble(i, double(r) / 2147483648.0 - 1.0); break;
      case DataType::Int8: t.setInt64(i, int64_t(r % 256) - 128); break;
      case DataType::UInt8: t.setInt64(i, int64_t(r % 256)); break;
      case DataType::Int16: t.setInt64(i, int64_t(r % 65536) - 32768); break;
      case DataType::Bool: t.setInt64(i, int64_t(r % 2)); break;
      default: t.setInt64(i, int64_t(r % 8)); break;
      }
    }
    out.push_back(std::move(t));
  }
  return out;
}

} // namespace edgec::mcu
