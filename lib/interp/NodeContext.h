// Attribute access and diagnostics shared by kernels and shape inference.
#pragma once

#include "ir/Graph.h"

#include <string>
#include <vector>

namespace edgec {

class NodeContext {
public:
  explicit NodeContext(const Node &node) : node_(node) {}
  const Node &node() const { return node_; }
  /// Opset version of the node's domain in the model.
  int64_t opset() const { return node_.opsetVersion; }

  bool hasAttr(const std::string &n) const { return node_.attr(n) != nullptr; }
  int64_t attrInt(const std::string &n, int64_t dflt) const;
  float attrFloat(const std::string &n, float dflt) const;
  std::string attrString(const std::string &n, const std::string &dflt) const;
  std::vector<int64_t> attrInts(const std::string &n,
                                std::vector<int64_t> dflt = {}) const;
  std::vector<float> attrFloats(const std::string &n,
                                std::vector<float> dflt = {}) const;
  const Attribute *attr(const std::string &n) const { return node_.attr(n); }

  /// Error naming the node: "node 'x' (Op): <msg>".
  Error error(const std::string &msg,
              ErrorCode code = ErrorCode::InvalidModel) const;
  /// Error for a valid-but-unsupported feature (exit code Unsupported).
  Error unsupported(const std::string &msg) const {
    return error(msg, ErrorCode::Unsupported);
  }

private:
  const Node &node_;
};

/// Normalises a possibly negative axis into [0, rank); error if out of range.
Expected<int64_t> normalizeAxis(const NodeContext &ctx, int64_t axis,
                                int64_t rank);

} // namespace edgec
