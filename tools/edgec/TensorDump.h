// Tensors of one run written to a directory (edgec run --dump-tensors,
// edgec validate --dump-tensors): NNNN_NAME.npy in the order they were
// added and manifest.json naming each file's value, element type, shape,
// quantization and producing node. The layout of TensorFlow Lite Micro's
// per-tensor dumps in ../shared (matched by value name), so the two compare
// with test/interp/compare_tensor_dumps.py.
#pragma once

#include "ir/Graph.h"
#include "support/Json.h"

#include <set>
#include <string>

namespace edgec::tool {

/// A file name derived from a tensor name that cannot leave the directory
/// ([A-Za-z0-9_.-], at most 100 characters, unique among `used`).
std::string safeFileName(const std::string &name, size_t index, std::set<std::string> &used);

/// Creates a directory (and its parents).
Status makeDirectory(const std::string &dir);

class TensorDump {
public:
  /// Creates `dir`.
  static Expected<TensorDump> create(std::string dir);
  /// Writes v's tensor t (the first write error is kept for finish()).
  void add(const Value &v, const Tensor &t);
  /// Writes manifest.json; the first error of any add() or of the manifest.
  Status finish(const std::string &model);

private:
  explicit TensorDump(std::string dir) : dir_(std::move(dir)) {}
  std::string dir_;
  Json entries_ = Json::array();
  size_t count_ = 0;
  std::set<std::string> used_;
  Status status_ = Status::ok();
};

} // namespace edgec::tool
