// Lowering of IR nodes to calls of runtime kernels, for the MCU code
// generator. One file per kernel family in this folder registers its
// lowerings (explicit list in LowerRegistry.cpp).
//
// A lowering reads the node (shapes are static by then), computes every
// parameter at compile time (strides, quantized multipliers, repacked
// weights) and emits C statements through LowerContext: pointers to the
// node's tensors come from in()/out(), weights and tables become flash
// constants with constant(), per-call parameter structs go to file scope
// with emitStatic(). The runtime files it needs are named with
// useRuntime(); only those are copied into the package.
#pragma once

#include "ir/Annotations.h"
#include "ir/Graph.h"
#include "support/Error.h"
#include "targets/mcu/McuOptions.h"

#include <cstring>
#include <functional>
#include <string>
#include <vector>

namespace edgec::mcu {

class CodeUnit;

class LowerContext {
public:
  LowerContext(const Node &n, int step, const McuOptions &o, const CpuInfo &cpu,
               CodeUnit &unit)
      : node_(n), step_(step), options_(o), cpu_(cpu), unit_(unit) {}

  const Node &node() const { return node_; }
  const McuOptions &options() const { return options_; }
  const CpuInfo &cpu() const { return cpu_; }

  size_t numInputs() const { return node_.inputs.size(); }
  /// Input i exists (optional inputs may be absent).
  bool hasInput(size_t i) const {
    return i < node_.inputs.size() && node_.inputs[i] != nullptr;
  }
  const Value &inValue(size_t i) const { return *node_.inputs.at(i); }
  const Value &outValue(size_t i) const { return *node_.outputs.at(i); }
  /// The data of input i when it is a constant, else null.
  const Tensor *constantInput(size_t i) const {
    return hasInput(i) && node_.inputs[i]->constant ? &*node_.inputs[i]->constant
                                                    : nullptr;
  }

  /// C expression of input i's address, typed `const T *` (a constant input
  /// is emitted as stored in the IR on first use).
  std::string in(size_t i);
  /// C expression of output i's address, typed `T *`.
  std::string out(size_t i);

  /// Adds a flash constant of `count` elements of C type `ctype` ("int8_t",
  /// "int32_t", "float", ...) and returns its identifier (an array, or for
  /// float an expression of type `const float *`). Identical contents share
  /// one array.
  std::string constant(const std::string &hint, const std::string &ctype,
                       const void *data, size_t count, size_t elemSize);
  template <class T>
  std::string constantArray(const std::string &hint, const std::vector<T> &v);

  /// Arena scratch for this node only; returns a `void *` expression.
  std::string scratch(int64_t bytes);
  /// A runtime file the code needs, relative to runtime/ ("kernels/add_f32.h");
  /// its .c twin and the headers it includes are copied too.
  void useRuntime(const std::string &file);
  /// A unique C identifier derived from `hint` (for static parameter structs).
  std::string identifier(const std::string &hint);
  /// File-scope declarations (parameter structs), before the run function.
  void emitStatic(const std::string &code);
  /// Statements inside the run function.
  void emit(const std::string &code);
  /// Report: the kernel chosen ("conv2d_s8 (dsp)") and the work done.
  void setKernel(const std::string &k) { kernel_ = k; }
  void addMacs(int64_t m) { macs_ += m; }
  /// Output 0 may be written over input i when i dies at this node and has
  /// the same byte size (elementwise kernels that read element k before
  /// writing element k).
  void allowInPlace(size_t i) { inPlaceInput_ = int(i); }

  const std::string &kernel() const { return kernel_; }
  int64_t macs() const { return macs_; }
  int inPlaceInput() const { return inPlaceInput_; }

private:
  const Node &node_;
  int step_;
  const McuOptions &options_;
  const CpuInfo &cpu_;
  CodeUnit &unit_;
  std::string kernel_;
  int64_t macs_ = 0;
  int inPlaceInput_ = -1;
};

/// C element type name of an IR element type ("float", "int8_t", ...), or
/// "" for types generated code does not handle.
std::string cType(DataType t);

template <class T> const char *cTypeOf();
template <> inline const char *cTypeOf<float>() { return "float"; }
template <> inline const char *cTypeOf<int8_t>() { return "int8_t"; }
template <> inline const char *cTypeOf<uint8_t>() { return "uint8_t"; }
template <> inline const char *cTypeOf<int16_t>() { return "int16_t"; }
template <> inline const char *cTypeOf<int32_t>() { return "int32_t"; }
template <> inline const char *cTypeOf<int64_t>() { return "int64_t"; }

template <class T>
std::string LowerContext::constantArray(const std::string &hint,
                                        const std::vector<T> &v) {
  return constant(hint, cTypeOf<T>(), v.data(), v.size(), sizeof(T));
}

/// Exact C literal of a float ("0x1.8p+1f" style is avoided: "%.9g" + "f",
/// which round-trips every finite float; infinities become +-INFINITY).
std::string cFloat(float f);
/// C literal of an integer ("-5", "2147483647", "(-2147483647 - 1)").
std::string cInt(int64_t v);

/// One lowering: op type, which form of the op it handles (the quantized
/// integer form per ir/Annotations.h isQuantizedNode, the float form, or
/// both: QuantizeLinear, data movement on any type), a check
/// returning "" or why this node cannot be lowered, and the emitter.
struct Lowering {
  std::string opType;
  enum Form { Float, Integer, Any } form = Float;
  std::function<std::string(const Node &, const McuOptions &)> check;
  std::function<Status(LowerContext &)> lower;
  std::vector<std::string> types; ///< element types, for `edgec targets`
  std::string note;               ///< constraints in words
};

/// All lowerings, in registration order.
const std::vector<Lowering> &allLowerings();
/// The lowering for node n (by op type and integer-ness), or null.
const Lowering *findLowering(const Node &n);

// Per-family registration functions (LowerRegistry.cpp calls them in order).
void registerActivationF32(std::vector<Lowering> &out);
// Integer (int8 / int16) families (Lower*S8.cpp).
void registerConvS8(std::vector<Lowering> &out);
void registerPoolS8(std::vector<Lowering> &out);
void registerElementwiseS8(std::vector<Lowering> &out);
void registerSoftmaxS8(std::vector<Lowering> &out);
void registerUnaryS8(std::vector<Lowering> &out);
void registerQuantizeS8(std::vector<Lowering> &out);
void registerDataS8(std::vector<Lowering> &out);
void registerConvF32(std::vector<Lowering> &out);
void registerGemmF32(std::vector<Lowering> &out);
void registerPoolF32(std::vector<Lowering> &out);
void registerElementwiseF32(std::vector<Lowering> &out);
void registerSoftmaxF32(std::vector<Lowering> &out);
void registerDataF32(std::vector<Lowering> &out);
void registerReduceF32(std::vector<Lowering> &out);
void registerNormF32(std::vector<Lowering> &out);
void registerSelect(std::vector<Lowering> &out);

// Helpers for lowerings.
/// The static shape of v; asserts it is static (checked before lowering).
std::vector<int64_t> staticDims(const Value &v);
int64_t elementCount(const Value &v);
/// "[1,3,224,224]".
std::string dimsString(const std::vector<int64_t> &d);
/// The ints attribute `name` of n, or `dflt` when absent.
std::vector<int64_t> attrInts(const Node &n, const char *name, std::vector<int64_t> dflt = {});

/// Sizes and element strides of N, C, H, W of a rank-3/4 activation in
/// either layout (rank 3 is [N, C, W] / [N, W, C] with H = 1).
struct Geo {
  int64_t n = 1, c = 1, h = 1, w = 1;
  int64_t sn = 0, sc = 0, sh = 0, sw = 0;
};
Geo geometry(const std::vector<int64_t> &dims, bool nhwc);

/// Fused float activation of a node as an `ec_act_params` initializer
/// ("{EC_ACT_RELU, 0, 0, -INFINITY, INFINITY}"); error for unknown ones.
Expected<std::string> fusedActivationF32(const Node &n);
/// "" when the node's fused activation (if any) is one fusedActivationF32
/// handles, else the reason.
std::string checkFusedActivationF32(const Node &n);

} // namespace edgec::mcu
