#include "passes/PassManager.h"

#include "ir/Printer.h"
#include "ir/Verifier.h"

namespace edgec {

Status PassManager::addStage(const PipelineStage &stage) {
  Stage s;
  s.fixedPoint = stage.fixedPoint;
  for (const std::string &n : stage.passes) {
    const PassInfo *info = findPass(n);
    if (!info)
      return Error(ErrorCode::Usage, "unknown pass '" + n +
                                         "' (edgec optimize --list-passes)");
    s.passes.push_back(info->create());
  }
  stages_.push_back(std::move(s));
  return Status::ok();
}

Status PassManager::addLevel(int level) {
  if (level < 0 || level > 3)
    return Error(ErrorCode::Usage,
                 "optimization level must be 0-3, got " + std::to_string(level));
  for (const PipelineStage &st : pipelineForLevel(level))
    EDGEC_TRY(addStage(st));
  return Status::ok();
}

Status PassManager::addPassList(const std::string &csv) {
  PipelineStage st;
  size_t start = 0;
  while (start <= csv.size()) {
    size_t end = csv.find(',', start);
    if (end == std::string::npos) end = csv.size();
    std::string n = csv.substr(start, end - start);
    while (!n.empty() && n.front() == ' ') n.erase(n.begin());
    while (!n.empty() && n.back() == ' ') n.pop_back();
    if (!n.empty()) st.passes.push_back(n);
    start = end + 1;
  }
  if (st.passes.empty())
    return Error(ErrorCode::Usage, "--passes lists no pass");
  return addStage(st);
}

Expected<bool> PassManager::runPass(Pass &p, Model &m) {
  PassRunSummary *sum = nullptr;
  for (PassRunSummary &s : summary_)
    if (s.name == p.name()) sum = &s;
  if (!sum) {
    summary_.push_back(PassRunSummary{p.name(), 0, 0, {}});
    sum = &summary_.back();
  }
  PassStats stats;
  PassContext ctx{opts_.pass, stats};
  size_t before = m.graph->nodes().size();
  Expected<bool> changed = p.run(m, ctx);
  if (!changed) return changed.error().withContext(std::string(p.name()) + ": ");
  size_t after = m.graph->nodes().size();
  if (before > after) stats.add("nodes-removed", (int64_t)(before - after));
  if (after > before) stats.add("nodes-added", (int64_t)(after - before));
  // Find the summary again: runPass of another pass may have grown the
  // vector meanwhile (it did not here, but stay safe).
  for (PassRunSummary &s : summary_)
    if (s.name == p.name()) sum = &s;
  ++sum->runs;
  if (*changed) ++sum->changed;
  sum->stats.merge(stats);
  if (opts_.verifyEach) {
    Status v = verifyGraph(*m.graph);
    if (!v.isOk())
      return Error(ErrorCode::Internal, std::string("pass '") + p.name() +
                                            "' broke the IR: " +
                                            v.error().message());
  }
  if (opts_.dump && (opts_.printAfterAll || opts_.printAfter.count(p.name()))) {
    *opts_.dump << "// -----// IR after " << p.name() << " //----- //\n";
    printGraph(*m.graph, *opts_.dump);
  }
  return *changed;
}

Status PassManager::run(Model &m) {
  for (Stage &st : stages_) {
    int iter = 0;
    bool any = true;
    while (any) {
      any = false;
      for (auto &p : st.passes) {
        EDGEC_ASSIGN_OR_RETURN(bool c, runPass(*p, m));
        any = any || c;
      }
      if (!st.fixedPoint || ++iter >= opts_.maxIterations) break;
    }
  }
  return Status::ok();
}

} // namespace edgec
