// ONNX importer: .onnx protobuf files and ONNX text syntax to the IR.
#pragma once

#include "ir/Graph.h"
#include "shape/ShapeInference.h"

#include <map>
#include <memory>
#include <string>

namespace onnx {
class ModelProto;
}

namespace edgec {

struct ImportOptions {
  /// Overrides of graph input shapes: name -> dims.
  std::map<std::string, TensorShape> inputShapes;
  /// Maximum nesting of subgraphs accepted.
  int maxSubgraphDepth = 32;
  /// Run shape inference after import.
  bool inferShapes = true;
  /// Evaluates nodes whose inputs are all constants during that inference
  /// (nullptr: the ops' inference only). The frontend's loaders pass the
  /// interpreter's (interp/ConstantEvaluation.h).
  const ConstantEvaluator *evaluator = nullptr;
};

/// Loads a model file (binary protobuf, or ONNX text syntax detected by
/// content). Errors name the file and the offending element.
Expected<std::unique_ptr<Model>> importOnnxFile(const std::string &path,
                                                const ImportOptions &opts = {});
/// Parses ONNX text syntax (onnx/defs/parser.h format).
Expected<std::unique_ptr<Model>> importOnnxText(const std::string &text,
                                                const ImportOptions &opts = {});
/// Imports an in-memory ModelProto. baseDir resolves external data.
Expected<std::unique_ptr<Model>> importOnnxProto(const onnx::ModelProto &mp,
                                                 const std::string &baseDir,
                                                 const ImportOptions &opts = {});

/// Parses "name=1,3,224,224" into an entry of ImportOptions::inputShapes.
Status parseInputShapeOverride(const std::string &spec,
                               std::map<std::string, TensorShape> &out);

} // namespace edgec
