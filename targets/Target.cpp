// Shared parts of the target interface.
#include "targets/Target.h"

#include "support/FileIO.h"

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

Error unsupportedNodesError(const std::string &target,
                            const std::vector<Unsupported> &nodes) {
  std::string msg = std::to_string(nodes.size()) + " node" +
                    (nodes.size() == 1 ? "" : "s") + " not supported by target '" +
                    target + "': ";
  for (size_t i = 0; i < nodes.size(); ++i) {
    const Node *n = nodes[i].node;
    if (i) msg += "; ";
    msg += n ? n->label() : std::string("?");
    msg += ": " + nodes[i].reason;
  }
  return Error(ErrorCode::Unsupported, msg);
}

Expected<Partition> Target::partition(const Model &m) const {
  Partition p;
  Segment seg;
  for (const auto &n : m.graph->nodes()) {
    std::string why = checkNode(*n);
    if (!why.empty()) p.unsupported.push_back({n.get(), why});
    seg.nodes.push_back(n.get());
  }
  if (!p.unsupported.empty()) return unsupportedNodesError(name(), p.unsupported);
  p.segments.push_back(std::move(seg));
  return p;
}

Status writeArtifacts(const std::string &dir, const std::vector<target::Artifact> &files) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Error(ErrorCode::Io, "cannot create directory '" + dir + "': " + ec.message());
  for (const target::Artifact &a : files) {
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
