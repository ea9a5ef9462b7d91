// Shared parts of the target interface.
#include "targets/Target.h"

#include "support/FileIO.h"
#include "targets/Executor.h"
#include "targets/common/CHarness.h"

#include <algorithm>

#include <filesystem>

namespace edgec::target {

const char *layoutName(Layout l) {
  switch (l) {
  case Layout::Any: return "any";
  case Layout::NCHW: return "NCHW";
  case Layout::NHWC: return "NHWC";
  }
  return "?";
}

void Pipeline::add(const std::string &csv, bool fixedPoint) {
  PipelineStage st;
  st.fixedPoint = fixedPoint;
  size_t p = 0;
  while (p <= csv.size()) {
    size_t e = csv.find(',', p);
    if (e == std::string::npos) e = csv.size();
    if (e > p) st.passes.push_back(csv.substr(p, e - p));
    p = e + 1;
  }
  stages.push_back(std::move(st));
}

void Pipeline::addLevel(int level) {
  for (PipelineStage &s : pipelineForLevel(level)) stages.push_back(std::move(s));
}

Status Target::lowerNode(StepBuilder &) const {
  return Error(ErrorCode::Internal,
               "target '" + name() + "' does not lower nodes for the C emitter");
}

PlacementView Target::describePlacement(const Model &, const Partition &) const { return {}; }

std::string Target::defaultExecutor() const {
  std::vector<std::string> e = executors();
  return e.empty() ? std::string() : e.front();
}

Expected<std::unique_ptr<Executor>> Target::createExecutor(const std::string &where) const {
  std::string w = where.empty() ? defaultExecutor() : where;
  std::vector<std::string> all = executors();
  if (w == "host" && std::find(all.begin(), all.end(), w) != all.end())
    return std::unique_ptr<Executor>(new HostExecutor());
  std::string known;
  for (const std::string &e : executors()) known += (known.empty() ? "" : ", ") + e;
  return Error(ErrorCode::Usage,
               "target '" + name() + "' cannot run compiled output" +
                   (where.empty() ? std::string() : " on '" + where + "'") +
                   (known.empty() ? std::string() : " (it runs on: " + known + ")"));
}

Status writeArtifacts(const std::string &dir, const std::vector<Artifact> &files) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Error(ErrorCode::Io, "cannot create directory '" + dir + "': " + ec.message());
  for (const Artifact &a : files) {
    fs::path p(a.path);
    bool bad = p.is_absolute() || a.path.empty();
    for (const auto &part : p) bad = bad || part == ".." || part == ".";
    if (bad) return Error(ErrorCode::Internal, "artifact path '" + a.path + "' leaves the output directory");
    fs::path full = fs::path(dir) / p;
    fs::create_directories(full.parent_path(), ec);
    if (ec)
      return Error(ErrorCode::Io, "cannot create directory '" + full.parent_path().string() +
                                      "': " + ec.message());
    EDGEC_TRY(writeFileBytes(full.string(), a.content));
  }
  return Status::ok();
}

} // namespace edgec::target
