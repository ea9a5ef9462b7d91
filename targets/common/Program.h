// The lowered program: the target-independent result of lowering a model,
// which every emitter prints (C source today; LLVM objects, NPU command
// streams and GPU host launchers later).
//
// A program is a schedule of steps, one per IR node. A step is a sequence of
// calls of runtime kernels; each call names its kernel symbol and its
// operands: tensors (graph inputs/outputs and intermediate values, placed by
// the memory plan), constants (weights and tables with their element type,
// encoding and memory placement), arena scratch, immediates and parameter
// blocks (a kernel's parameter struct as named, typed fields, all computed
// at compile time). Lowerings produce steps; they never write target text.
#pragma once

#include "ir/Graph.h"
#include "plan/ArenaPlanner.h"

#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace edgec::target {

/// Where a constant lives while the model runs.
enum class MemoryPlace { Flash, Sram, Device };
const char *memoryPlaceName(MemoryPlace p);

/// A constant array: weights, biases, lookup tables, repacked forms.
struct Constant {
  std::string hint;      ///< identifier hint ("w_conv1"); emitters make it unique
  DataType dtype = DataType::Undefined;
  std::string bytes;     ///< count elements, little-endian
  int64_t count = 0;
  MemoryPlace place = MemoryPlace::Flash;
  /// The layout the kernel reads, in words ("as in the model", "[g][co/4][kh][kw][ci][4]",
  /// "int16 pairs"): for reports and for emitters that re-encode (NPU).
  std::string encoding;
  const Value *source = nullptr; ///< the IR constant stored unchanged, else null
};

/// What a kernel argument (or a pointer field) refers to.
struct Operand {
  enum class Kind {
    Null,     ///< a null pointer
    Tensor,   ///< a graph input, output or intermediate value
    Constant, ///< Program::constants[index]
    Scratch,  ///< Program::scratch[index] (arena, this step only)
    Params,   ///< the address of Program::params[index]
    Int,      ///< an integer immediate
    Float,    ///< a float immediate
    Select,   ///< choice[1] when element 0 of tensor choice[0] is non-zero, else choice[2]
  };
  Kind kind = Kind::Null;
  const Value *value = nullptr; ///< Tensor
  int index = -1;               ///< Constant, Scratch, Params
  int64_t offset = 0;           ///< Tensor, Constant: in elements of `view`
  /// Tensor: the element type the kernel sees (the value's own type unless
  /// a view reinterprets it); Constant: the constant's type.
  DataType view = DataType::Undefined;
  bool writable = false;        ///< Tensor: the kernel writes through it
  int64_t i = 0;                ///< Int
  float f = 0;                  ///< Float
  std::vector<Operand> choice;  ///< Select: condition, if true, if false

  static Operand null() { return {}; }
  static Operand integer(int64_t v);
  static Operand real(float v);
  static Operand select(Operand cond, Operand ifTrue, Operand ifFalse);
  /// The same reference `elements` further (tensors and constants).
  Operand at(int64_t elements) const;
  /// A tensor operand read through its address (an output read back).
  Operand readOnly() const;
  bool isNull() const { return kind == Kind::Null; }
};

/// One named field of a parameter block.
struct Field;
struct FieldValue {
  enum class Kind { Int, Float, Symbol, Pointer, Ints, Struct };
  Kind kind = Kind::Int;
  int64_t i = 0;
  float f = 0;
  std::string symbol;          ///< an enumerator of the runtime ABI ("EC_ACT_RELU")
  Operand pointer;             ///< Pointer: a constant or null
  std::vector<int64_t> ints;   ///< Ints: an array field (the rest of the array is zero)
  std::vector<Field> fields;   ///< Struct: a nested parameter struct
};
struct Field {
  std::string name;
  FieldValue value;
};

/// Builds the fields of a parameter block in the order given.
class Fields {
public:
  Fields &i(const std::string &name, int64_t v);
  Fields &f(const std::string &name, float v);
  Fields &sym(const std::string &name, const std::string &enumerator);
  /// A pointer field: a constant operand, or Operand::null().
  Fields &ptr(const std::string &name, const Operand &constant);
  Fields &ints(const std::string &name, const std::vector<int64_t> &v);
  Fields &sub(const std::string &name, const Fields &nested);
  const std::vector<Field> &list() const { return fields_; }

private:
  std::vector<Field> fields_;
};

/// A kernel's parameter struct, constant for the whole run.
struct ParamBlock {
  std::string ctype; ///< "ec_conv_f32_params"
  std::string hint;  ///< identifier hint
  std::vector<Field> fields;
};

/// One call of a runtime kernel (or of memcpy/memset).
struct Call {
  std::string kernel; ///< the C symbol
  std::vector<Operand> args;
};

/// The code of one IR node.
struct Step {
  enum class Kind {
    Kernel, ///< calls lowered by the owning target
    View,   ///< a reshape-like op sharing its input's memory: no code
    Copy,   ///< a reshape-like op that must copy (into a graph output, or from a constant)
    Empty,  ///< every output has zero elements: no code
  };
  const Node *node = nullptr;
  Kind kind = Kind::Kernel;
  std::string target;        ///< the target whose lowering produced it
  std::vector<Call> calls;
  std::string kernel;        ///< for reports: "conv_s8_dsp (im2col)", "view (no code)"
  int64_t macs = 0;
  int64_t constantBytes = 0; ///< constant bytes this step added
  /// Output 0 may be written over input `inPlaceInput` when that input dies
  /// here and has the same size (-1: never).
  int inPlaceInput = -1;
  /// Values the step's calls read besides its node's inputs (a GPU kernel
  /// that fuses a chain of earlier nodes reads their inputs here): the
  /// memory plan keeps them live until this step.
  std::vector<const Value *> alsoReads;
};

/// Arena scratch of one step.
struct Scratch {
  int step = 0;
  int64_t bytes = 0;
};

/// Where a value lives at run time.
struct Storage {
  enum class Kind {
    Input,    ///< the caller's input buffer `index`
    Output,   ///< the caller's output buffer `index`
    Arena,    ///< its own arena buffer (offset after planMemory)
    Alias,    ///< a view of `of` (reshape-likes; same bytes, other shape)
    Constant, ///< an IR constant (stored as a Program constant when used)
  };
  Kind kind = Kind::Arena;
  int index = 0;
  const Value *of = nullptr;
  int64_t offset = -1; ///< Arena: byte offset in the arena (-1 before planning)
};

/// The memory decisions of a program (planMemory fills them).
struct MemoryLayout {
  plan::ArenaPlan arena;
  int64_t alignment = 16;
  std::vector<plan::Buffer> buffers;  ///< what was planned (values, then scratch)
  std::vector<int64_t> scratchOffset; ///< per Program::scratch entry
  std::vector<bool> inPlace;          ///< per step: output 0 shares an input's buffer
  int64_t ioBytes = 0;                ///< bytes of the caller's inputs and outputs
};

/// The lowered program of one model.
struct Program {
  std::string name;                     ///< package / symbol stem
  std::string graphName;                ///< the model's graph name (comments)
  std::vector<const Value *> inputs;    ///< in run-signature order (no initializers)
  std::vector<const Value *> outputs;
  std::vector<Step> steps;              ///< in schedule order
  std::vector<Constant> constants;      ///< in creation order
  std::vector<ParamBlock> params;       ///< in creation order
  std::vector<Scratch> scratch;
  std::set<std::string> runtimeFiles;   ///< runtime headers the calls need ("kernels/...h")
  /// Graph outputs that are graph inputs or constants, copied at the end of
  /// the run: (output position, source value).
  std::vector<std::pair<int, const Value *>> outputCopies;
  MemoryLayout memory;

  int64_t constantBytes() const;
  int64_t macs() const;
  /// The storage of a value the program touches (asserts it has one).
  const Storage &storage(const Value *v) const;
  Storage &storage(const Value *v);
  bool hasStorage(const Value *v) const { return storageIndex_.count(v) != 0; }
  void setStorage(const Value *v, Storage s);
  /// The value whose memory v uses (follows aliases).
  const Value *root(const Value *v) const;

private:
  std::vector<Storage> storage_;
  /// Lookup only; never iterated (output order never depends on addresses).
  std::unordered_map<const Value *, size_t> storageIndex_;
};

/// Bytes of a value with a static shape.
int64_t valueBytes(const Value &v);
/// The static dims of v (asserts they are static: checked before lowering).
std::vector<int64_t> staticDims(const Value &v);
int64_t elementCount(const Value &v);

} // namespace edgec::target
