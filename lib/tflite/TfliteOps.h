// The interface between the TFLite importer (TfliteImporter.cpp: tensors,
// subgraphs, model) and the per-operator conversions (read/: OpTable.cpp and
// one file per op family, declared in read/Converters.h).
//
// An OpBuilder gives a converter the operator's inputs as IR values (the
// verifier has already checked every index), its pre-created output
// values (TFLite types, shapes and quantization), its typed builtin
// options, and helpers to emit ONNX nodes into the current graph.
#pragma once

#include "ir/Graph.h"
#include "tflite/schema_generated.h"

#include <optional>
#include <string>
#include <vector>

namespace edgec::tflite {

/// Default-domain opset of every node the importer creates.
inline constexpr int64_t kImportOpset = 18;

class SubgraphImporter;

class OpBuilder {
public:
  OpBuilder(SubgraphImporter &si, size_t opIndex, const fb::Operator &op,
            int32_t code, std::string opName);

  int32_t code() const { return code_; }
  const std::string &opName() const { return opName_; }
  const fb::Operator &op() const { return op_; }

  size_t numInputs() const;
  size_t numOutputs() const;
  /// Input slot i is present (exists and is not -1).
  bool hasInput(size_t i) const;
  const fb::Tensor *inputTensor(size_t i) const;
  /// The TFLite tensor index of input slot i / output slot i (-1: omitted).
  int32_t inputTensorIndex(size_t i) const { return tensorIndex(i); }
  int32_t outputTensorIndex(size_t i) const;
  /// The data of the model's metadata entry `name` (empty when absent).
  std::vector<uint8_t> metadata(const std::string &name) const;
  /// The custom code of a CUSTOM operator ("" otherwise).
  std::string customCode() const;
  /// The value of input slot i; error when it is omitted.
  Expected<Value *> input(size_t i);
  /// The value of input slot i, nullptr when omitted.
  Expected<Value *> optionalInput(size_t i);
  /// Constant data of input slot i (nullopt when not constant or omitted).
  std::optional<Tensor> constInput(size_t i);
  /// Constant integer input (error when missing or not constant).
  Expected<std::vector<int64_t>> constInts(size_t i, const std::string &what);
  /// Output slot i (created by the importer with the tensor's type and
  /// quantization); nullptr for an omitted output.
  Value *output(size_t i);

  /// Error unless the operator has between min and max inputs (slots, -1
  /// included) and exactly `outs` outputs (outs < 0: any number >= 1).
  Status arity(size_t min, size_t max, int outs = 1);

  Graph &graph();
  /// Adds a node (default domain, kImportOpset) named after output 0.
  Node *emit(const std::string &opType, std::vector<Value *> ins,
             std::vector<Value *> outs);
  /// A fresh intermediate value named after the operator.
  Value *temp(const std::string &suffix, TensorType t,
              std::optional<QuantParams> q = std::nullopt);
  /// A new initializer.
  Value *constant(const std::string &suffix, Tensor t,
                  std::optional<QuantParams> q = std::nullopt);
  Value *int64Constant(const std::string &suffix, std::vector<int64_t> v);
  Value *floatConstant(const std::string &suffix, float v);

  /// Weights for an ONNX op: input i permuted by `perm` (constants are
  /// rearranged at import, with the quantization axis remapped; other
  /// values get a Transpose). With `dequantize`, quantized integer
  /// constants become float (hybrid models: float activations, int8
  /// weights).
  Expected<Value *> weights(size_t i, const std::vector<int64_t> &perm,
                            bool dequantize);
  /// Annotates `n` with the fused activation (edgec.activation).
  Status fuseActivation(Node *n, fb::ActivationFunctionType act);

  Error error(const std::string &msg) const;
  Error unsupported(const std::string &msg) const;

  /// Typed builtin options: a default table when absent, an error when the
  /// operator carries options of another type.
  template <typename T> Expected<const T *> options() const {
    const auto want = fb::BuiltinOptionsTraits<T>::enum_value;
    if (op_.builtin_options_type() == fb::BuiltinOptions::NONE ||
        !op_.builtin_options())
      return defaultTable<T>();
    if (op_.builtin_options_type() != want)
      return optionsMismatch((int)op_.builtin_options_type(), (int)want);
    return static_cast<const T *>(op_.builtin_options());
  }

  /// Imports subgraph `index` as the body of a control-flow node of the
  /// current graph, its inputs bound to `bindings` (outer values).
  Expected<std::shared_ptr<Graph>> body(int64_t index,
                                        const std::vector<Value *> &bindings);
  /// Imports the operators of subgraph `index` into graph `into` (the
  /// current graph or a body being built), its inputs bound to `bindings`
  /// (values visible in `into`); returns the values of its outputs.
  Expected<std::vector<Value *>> inlineSubgraph(int64_t index, Graph &into,
                                                const std::vector<Value *> &bindings);

private:
  template <typename T> static const T *defaultTable() {
    static const std::vector<uint8_t> buf = [] {
      flatbuffers::FlatBufferBuilder b;
      auto start = b.StartTable();
      b.Finish(flatbuffers::Offset<T>(b.EndTable(start)));
      return std::vector<uint8_t>(b.GetBufferPointer(),
                                  b.GetBufferPointer() + b.GetSize());
    }();
    return flatbuffers::GetRoot<T>(buf.data());
  }
  Error optionsMismatch(int got, int want) const;
  /// An initializer named after TFLite tensor `tensor` (rearranged weights).
  Value *namedConstant(int32_t tensor, Tensor t, std::optional<QuantParams> q);
  int32_t tensorIndex(size_t slot) const;

  SubgraphImporter &si_;
  size_t opIndex_;
  const fb::Operator &op_;
  int32_t code_;
  std::string opName_;
};

using ConvertFn = Status (*)(OpBuilder &);
/// The converter of a builtin code, nullptr when edgec does not import it.
ConvertFn findConverter(int32_t code);
/// The converter of an operator code: builtins by code, CUSTOM operators by
/// their custom code ("ethos-u"); nullptr when edgec does not import it.
ConvertFn findConverter(const fb::OperatorCode &oc);

/// Element type of a TFLite tensor type (Undefined for unsupported ones).
DataType irType(fb::TensorType t);

} // namespace edgec::tflite
