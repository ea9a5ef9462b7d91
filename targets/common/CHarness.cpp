// Running a generated C package (see CHarness.h).
#include "targets/common/CHarness.h"

#include "support/FileIO.h"
#include "support/Process.h"

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>

namespace edgec::target {

namespace {

Expected<Tensor> tensorFromRaw(const std::string &bytes, const Value &v, const std::string &what) {
  EDGEC_ASSIGN_OR_RETURN(Tensor t, Tensor::create(v.type.dtype, v.type.staticShape()));
  if (bytes.size() != t.byteSize())
    return Error(ErrorCode::Runtime, what + ": got " + std::to_string(bytes.size()) +
                                         " bytes, expected " + std::to_string(t.byteSize()));
  if (!bytes.empty()) std::memcpy(t.raw(), bytes.data(), bytes.size());
  return t;
}

/// One build and run of the harness in `dir`.
Expected<ExecResult> buildAndRun(const std::string &dirIn, const std::string &cpu,
                                 const std::string &cflags, const ExecRequest &r) {
  namespace fs = std::filesystem;
  std::string dir = fs::absolute(dirIn).string();
  std::string args = "-n " + std::to_string(r.runs) + " -w " + std::to_string(r.warmup);
  // Paths relative to `dir`, where make runs the program (on the host and
  // under QEMU, whose semihosting opens files from its working directory):
  // the command line stays short whatever the number of outputs.
  for (size_t k = 0; k < r.inputs.size(); ++k) {
    std::string p = "edgec_in" + std::to_string(k) + ".bin";
    EDGEC_TRY(writeFileBytes(dir + "/" + p,
                             std::string(static_cast<const char *>(r.inputs[k].raw()),
                                         r.inputs[k].byteSize())));
    args += " " + p;
  }
  for (size_t k = 0; k < r.outputs.size(); ++k) {
    std::error_code ec;
    fs::remove(dir + "/edgec_out" + std::to_string(k) + ".bin", ec);
  }
  if (!r.outputs.empty()) args += " -O edgec_out";
  std::string log = dir + "/edgec_run.log";
  std::string cmd = "make --no-print-directory -s -C " + shellQuote(dir) + " CPU=" +
                    shellQuote(cpu) + " EC_TIMEOUT=" + std::to_string(r.timeoutSeconds) +
                    " EXTRA_CFLAGS=" + shellQuote(cflags) + " run ARGS=" + shellQuote(args);
  int rc = runCommand(cmd, log);
  ExecResult out;
  auto text = readFileBytes(log);
  if (text.isOk()) out.log = *text;
  auto oneLine = [](std::string s) {
    if (s.size() > 1500) s = s.substr(s.size() - 1500);
    for (char &c : s)
      if (c == '\n') c = ' ';
    return s;
  };
  if (rc != 0)
    return Error(ErrorCode::Runtime, "building or running the package for " + cpu +
                                         " failed (exit " + std::to_string(rc) +
                                         "): " + oneLine(out.log));
  std::istringstream is(out.log);
  std::string line;
  bool counted = false;
  while (std::getline(is, line)) {
    if (line.rfind("edgec: platform=", 0) == 0) {
      auto field = [&](const std::string &k) {
        size_t p = line.find(" " + k + "=");
        if (p == std::string::npos) return std::string();
        p += k.size() + 2;
        return line.substr(p, line.find(' ', p) - p);
      };
      out.unit = field("unit");
      std::string mn = field("min"), md = field("median");
      counted = !out.unit.empty() && !mn.empty() && !md.empty();
      out.minCount = std::strtoull(mn.c_str(), nullptr, 10);
      out.medianCount = std::strtoull(md.c_str(), nullptr, 10);
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
  if (!counted)
    return Error(ErrorCode::Runtime, "the harness printed no counter line (edgec: platform=... "
                                     "unit=... min=... median=...): " + oneLine(out.log));
  for (size_t k = 0; k < r.outputs.size(); ++k) {
    std::string p = dir + "/edgec_out" + std::to_string(k) + ".bin";
    EDGEC_ASSIGN_OR_RETURN(std::string bytes, readFileBytes(p));
    EDGEC_ASSIGN_OR_RETURN(Tensor t, tensorFromRaw(bytes, *r.outputs[k], "output " + std::to_string(k)));
    out.outputs.push_back(std::move(t));
  }
  return out;
}

} // namespace

Expected<ExecResult> runCPackage(const ExecRequest &r, const std::string &cpu) {
  const std::string where = cpu == "host" ? "the host" : "qemu " + cpu;
  if (r.onStep) r.onStep("building the package and running it on " + where);
  EDGEC_ASSIGN_OR_RETURN(ExecResult res, buildAndRun(r.dir, cpu, r.extraCflags, r));
  if (r.profile) {
    // Per layer, with probes: a second build, so the totals above are
    // measured without them.
    if (!r.artifacts)
      return Error(ErrorCode::Internal, "a profiled run needs the package's artifacts");
    std::string pdir = r.dir + "/profile";
    EDGEC_TRY(writeArtifacts(pdir, *r.artifacts));
    if (r.onStep) r.onStep("profiling build and run on " + where);
    std::string flags = r.extraCflags.empty() ? "-DEC_PROFILE" : r.extraCflags + " -DEC_PROFILE";
    EDGEC_ASSIGN_OR_RETURN(ExecResult p, buildAndRun(pdir, cpu, flags, r));
    res.layers = std::move(p.layers);
  }
  return res;
}

} // namespace edgec::target
