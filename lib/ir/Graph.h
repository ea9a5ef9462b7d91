// The graph IR: values, nodes and graphs (with subgraphs for If/Loop/Scan).
//
// A Graph owns its Values and Nodes. Nodes are kept in a topological order
// (the importer sorts them; passes keep it). Every Value has at most one
// producer: a node output, a graph input, or an initializer (constant data).
// Subgraph nodes may use Values of enclosing graphs (outer-scope captures).
// Iteration order is always the insertion order; nothing is keyed by pointer.
#pragma once

#include "ir/Attribute.h"
#include "ir/Type.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace edgec {

class Graph;
class Node;

class Value {
public:
  std::string name;
  TensorType type;
  /// Constant data: set for initializers (and for values folded later).
  std::optional<Tensor> constant;
  std::optional<QuantParams> quant;

  Node *producer() const { return producer_; }
  int producerOutput() const { return producerOutput_; }
  Graph *owner() const { return owner_; }
  bool isGraphInput() const { return isGraphInput_; }
  bool isInitializer() const { return constant.has_value() && !producer_; }

private:
  friend class Graph;
  Node *producer_ = nullptr;
  int producerOutput_ = -1;
  Graph *owner_ = nullptr;
  bool isGraphInput_ = false;
};

class Node {
public:
  std::string name;
  std::string opType;
  std::string domain; ///< "" for the default ONNX domain
  /// Opset version of this node's domain in the model.
  int64_t opsetVersion = 0;
  /// Sorted by name: deterministic printing and iteration.
  std::map<std::string, Attribute> attrs;
  /// Inputs in order; nullptr for an omitted optional input.
  std::vector<Value *> inputs;
  /// Outputs in order; nullptr for an omitted optional output.
  std::vector<Value *> outputs;

  Graph *owner() const { return owner_; }
  const Attribute *attr(const std::string &n) const {
    auto it = attrs.find(n);
    return it == attrs.end() ? nullptr : &it->second;
  }
  Value *input(size_t i) const { return i < inputs.size() ? inputs[i] : nullptr; }

  /// Typed attribute reads, `dflt` when the attribute is absent. Int and
  /// Float attributes read as each other, and a single Int / Float reads as
  /// a one-element list (what kernels, writers and back ends all accept).
  int64_t attrInt(const std::string &n, int64_t dflt) const;
  float attrFloat(const std::string &n, float dflt) const;
  std::string attrString(const std::string &n, const std::string &dflt) const;
  std::vector<int64_t> attrInts(const std::string &n,
                                std::vector<int64_t> dflt = {}) const;
  std::vector<float> attrFloats(const std::string &n,
                                std::vector<float> dflt = {}) const;
  /// "node 'conv1' (Conv)" for diagnostics.
  std::string label() const;
  /// Subgraphs held by this node's attributes, in attribute-name order.
  std::vector<Graph *> subgraphs() const;

private:
  friend class Graph;
  Graph *owner_ = nullptr;
};

class Graph {
public:
  std::string name;
  /// Enclosing graph for subgraphs, nullptr for the main graph.
  Graph *parent = nullptr;
  /// Graph inputs (may include initializers, as ONNX allows).
  std::vector<Value *> inputs;
  std::vector<Value *> outputs;

  Graph() = default;
  Graph(const Graph &) = delete;
  Graph &operator=(const Graph &) = delete;

  /// Creates a value owned by this graph.
  Value *addValue(std::string name, TensorType type = {});
  Value *addInput(std::string name, TensorType type);
  Value *addInitializer(std::string name, Tensor data);
  /// Makes an existing value (e.g. an initializer) a graph input too.
  void markAsInput(Value *v);
  /// Appends a node; sets producers of `outputs`.
  Node *addNode(std::string opType, std::vector<Value *> inputs,
                std::vector<Value *> outputs, std::string name = {},
                std::string domain = {});
  /// Like addNode, but placed right before `before` in node order (keeps
  /// the order topological when the new node feeds `before`).
  Node *addNodeBefore(Node *before, std::string opType,
                      std::vector<Value *> inputs, std::vector<Value *> outputs,
                      std::string name = {}, std::string domain = {});
  /// Removes a node (its outputs stay, without producer).
  void removeNode(Node *n);
  /// Replaces every use of `from` by `to`: node inputs (subgraph captures
  /// included) and graph outputs of this graph.
  void replaceAllUsesWith(Value *from, Value *to);
  /// Makes `n` produce `v` at output slot `i` (the old value there loses its
  /// producer). Used to keep graph-output names when rewiring.
  void setNodeOutput(Node *n, size_t i, Value *v);
  /// Removes a value that no node, graph input or output references.
  void removeValue(Value *v);
  /// A value name not used in this graph, derived from `base`.
  std::string uniqueName(const std::string &base) const;
  /// True when v is one of this graph's outputs.
  bool isGraphOutput(const Value *v) const;
  /// Reorders nodes topologically (stable); error on a cycle.
  Status sortTopologically();

  const std::vector<std::unique_ptr<Node>> &nodes() const { return nodes_; }
  const std::vector<std::unique_ptr<Value>> &values() const { return values_; }
  /// Initializers in creation order.
  std::vector<Value *> initializers() const;
  /// The inputs fed at run time: graph inputs that are not initializers, in
  /// order.
  std::vector<Value *> runtimeInputs() const;
  /// Finds a value by name in this graph (not in parents).
  Value *findValue(const std::string &name) const;
  /// Nodes using v (in this graph only), in node order.
  std::vector<Node *> usersOf(const Value *v) const;
  /// Depth of subgraph nesting (0 for the main graph).
  int depth() const;

private:
  std::vector<std::unique_ptr<Value>> values_;
  std::vector<std::unique_ptr<Node>> nodes_;
  std::map<std::string, Value *> byName_;
};

/// A model: the main graph plus metadata.
struct Model {
  std::unique_ptr<Graph> graph = std::make_unique<Graph>();
  /// opset version per domain ("" = default ONNX domain).
  std::map<std::string, int64_t> opsets;
  int64_t irVersion = 0;
  std::string producerName;
  std::string producerVersion;
  /// Source file (for diagnostics), may be empty.
  std::string path;
  /// ONNX metadata_props (key -> value), kept through import and export;
  /// "edgec.*" keys carry compiler decisions (kFloatNodesMetadata).
  std::map<std::string, std::string> metadata;
  int64_t defaultOpset() const {
    auto it = opsets.find("");
    return it == opsets.end() ? 0 : it->second;
  }
};

} // namespace edgec
