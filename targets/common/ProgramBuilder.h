// Building a lowered program from a partitioned model.
//
// lowerProgram() walks the schedule: it decides where every value lives
// (caller inputs/outputs, arena, views of other values), turns reshape-like
// nodes into views or copies and nodes with empty outputs into nothing, and
// hands every other node to the lowering of the target the partition put it
// on. A lowering sees one StepBuilder: the node, operands for its inputs and
// outputs, constants, parameter blocks and calls. planMemory() then assigns
// the arena (common/MemoryPlan.h).
#pragma once

#include "targets/Partition.h"
#include "targets/common/Program.h"

#include <functional>
#include <map>
#include <unordered_map>

namespace edgec::target {

class StepBuilder;

/// Lowers one node into its step; "" target lowerings are never called.
using NodeLowering = std::function<Status(StepBuilder &)>;

/// Shared state of one program being built (constant deduplication).
struct ProgramBuildState {
  Program program;
  /// IR constant -> Program constant (lookup only).
  std::unordered_map<const Value *, int> constantOfValue;
  /// "type:bytes:hash of the contents" -> the Program constants with that
  /// key (compared byte for byte): no second copy of the weights while
  /// lowering (big models).
  std::map<std::string, std::vector<int>> constantByContent;

  /// The constant with these contents (added when new; `added` says so).
  int addConstant(const std::string &hint, DataType t, const void *data, size_t count,
                  const std::string &encoding, bool *added = nullptr);
  /// The constant holding IR constant v as stored in the model.
  int constantOf(const Value *v);
};

class StepBuilder {
public:
  StepBuilder(ProgramBuildState &state, int step);
  const Node &node() const { return *step().node; }
  int index() const { return index_; }

  size_t numInputs() const { return node().inputs.size(); }
  /// Input i exists (optional inputs may be absent).
  bool hasInput(size_t i) const {
    return i < node().inputs.size() && node().inputs[i] != nullptr;
  }
  const Value &inValue(size_t i) const { return *node().inputs.at(i); }
  const Value &outValue(size_t i) const { return *node().outputs.at(i); }
  /// The data of input i when it is a constant, else null.
  const Tensor *constantInput(size_t i) const;

  /// Input i: a tensor, or for a constant input the constant as stored in
  /// the IR (added on first use, shared by every use).
  Operand in(size_t i);
  /// Output i (written).
  Operand out(size_t i);
  /// A constant of `count` elements of type t; identical contents share one.
  Operand constant(const std::string &hint, DataType t, const void *data, size_t count,
                   const std::string &encoding = "");
  template <class T>
  Operand constantArray(const std::string &hint, const std::vector<T> &v,
                        const std::string &encoding = "");
  /// Arena scratch for this step only.
  Operand scratch(int64_t bytes);
  /// A parameter block (the kernel's parameter struct `ctype`); the operand
  /// is its address.
  Operand params(const std::string &ctype, const std::string &hint, const Fields &fields);
  /// Appends a call to the step.
  void call(const std::string &kernel, std::vector<Operand> args);
  /// A runtime header the calls need, relative to runtime/ ("kernels/add_f32.h").
  void useRuntime(const std::string &file);
  /// Report: the kernel chosen ("conv_s8_dsp (im2col)") and the work done.
  void setKernel(const std::string &k) { step().kernel = k; }
  void addMacs(int64_t m) { step().macs += m; }
  /// Output 0 may be written over input i when i dies at this node and has
  /// the same byte size (elementwise kernels that read element k before
  /// writing element k).
  void allowInPlace(size_t i) { step().inPlaceInput = int(i); }
  /// The calls also read v (not an input of this node): v stays live until
  /// this step. Returns v's operand (a tensor; a constant is added as one).
  Operand alsoRead(const Value &v);

private:
  Operand operandOf(const Value *v);
  Step &step() { return state_.program.steps[size_t(index_)]; }
  const Step &step() const { return state_.program.steps[size_t(index_)]; }
  ProgramBuildState &state_;
  int index_;
};

template <class T> constexpr DataType dataTypeOf();
template <> constexpr DataType dataTypeOf<float>() { return DataType::Float32; }
template <> constexpr DataType dataTypeOf<int8_t>() { return DataType::Int8; }
template <> constexpr DataType dataTypeOf<uint8_t>() { return DataType::UInt8; }
template <> constexpr DataType dataTypeOf<int16_t>() { return DataType::Int16; }
template <> constexpr DataType dataTypeOf<int32_t>() { return DataType::Int32; }
template <> constexpr DataType dataTypeOf<int64_t>() { return DataType::Int64; }

template <class T>
Operand StepBuilder::constantArray(const std::string &hint, const std::vector<T> &v,
                                   const std::string &encoding) {
  return constant(hint, dataTypeOf<T>(), v.data(), v.size(), encoding);
}

struct LowerOptions {
  std::string name = "model"; ///< the program name (C identifier)
};

/// Lowers every node of m (static shapes and types with a C spelling are
/// checked first) by its placement in p, with the lowering registered for
/// the placed target. Error for an unsupported node or a target without a
/// lowering.
Expected<Program> lowerProgram(const Model &m, const Partition &p,
                               const std::map<std::string, NodeLowering> &lowerings,
                               const LowerOptions &o);

} // namespace edgec::target
