// Attribute access and diagnostics of one node, shared by shape inference
// and the interpreter's kernels.
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
  /// The node's typed attribute reads (Node::attrInt etc.).
  int64_t attrInt(const std::string &n, int64_t dflt) const {
    return node_.attrInt(n, dflt);
  }
  float attrFloat(const std::string &n, float dflt) const {
    return node_.attrFloat(n, dflt);
  }
  std::string attrString(const std::string &n, const std::string &dflt) const {
    return node_.attrString(n, dflt);
  }
  std::vector<int64_t> attrInts(const std::string &n,
                                std::vector<int64_t> dflt = {}) const {
    return node_.attrInts(n, std::move(dflt));
  }
  std::vector<float> attrFloats(const std::string &n,
                                std::vector<float> dflt = {}) const {
    return node_.attrFloats(n, std::move(dflt));
  }
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

/// The message of e without the "node 'x' (Op): " prefix NodeContext::error
/// puts on it, for reports that name the node themselves.
std::string reasonOf(const Node &n, const Error &e);

/// Normalises a possibly negative axis into [0, rank); error if out of range.
Expected<int64_t> normalizeAxis(const NodeContext &ctx, int64_t axis,
                                int64_t rank);

} // namespace edgec
