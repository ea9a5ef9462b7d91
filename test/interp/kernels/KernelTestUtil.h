// Helpers for kernel unit tests: build a one-node model and run it.
#pragma once

#include "interp/Interpreter.h"

#include <gtest/gtest.h>

namespace edgec::test {

/// A model with a single node `opType` whose inputs are the given tensors
/// (as graph inputs) and with `numOutputs` outputs.
struct SingleNode {
  Model model;
  Node *node = nullptr;
  SingleNode(const std::string &opType, const std::vector<Tensor> &inputs,
             size_t numOutputs = 1, int64_t opset = 21) {
    model.opsets[""] = opset;
    Graph &g = *model.graph;
    std::vector<Value *> ins, outs;
    for (size_t i = 0; i < inputs.size(); ++i)
      ins.push_back(g.addInput("in" + std::to_string(i),
                               TensorType(inputs[i].dtype(), inputs[i].shape())));
    for (size_t i = 0; i < numOutputs; ++i)
      outs.push_back(g.addValue("out" + std::to_string(i)));
    node = g.addNode(opType, ins, outs, "n0");
    node->opsetVersion = opset;
    g.outputs = outs;
    inputs_ = inputs;
  }
  Expected<std::vector<Tensor>> run() {
    Interpreter interp(model);
    std::map<std::string, Tensor> m;
    for (size_t i = 0; i < inputs_.size(); ++i)
      m["in" + std::to_string(i)] = inputs_[i];
    return interp.run(m);
  }

private:
  std::vector<Tensor> inputs_;
};

} // namespace edgec::test
