// Lowering of IR nodes to calls of runtime kernels for the MCU target. One
// file per kernel family in this folder registers its lowerings (explicit
// list in LowerRegistry.cpp).
//
// A lowering reads the node (shapes are static by then), computes every
// parameter at compile time (strides, quantized multipliers, repacked
// weights) and adds calls to the node's step of the lowered program
// (targets/common/Program.h) through LowerContext: operands for the node's
// tensors come from in()/out(), weights and tables become flash constants
// with constant()/constantArray(), a kernel's parameter struct is a
// params() block of named fields, and call() appends the call. The runtime
// files it needs are named with useRuntime(); only those are copied into the
// package. Lowerings never write C: the C emitter (and later the LLVM
// emitter) prints the program.
#pragma once

#include "ir/Annotations.h"
#include "ir/Graph.h"
#include "support/Error.h"
#include "targets/common/CNames.h"
#include "shape/Window.h"
#include "targets/common/ProgramBuilder.h"
#include "targets/mcu/McuOptions.h"

#include <array>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

namespace edgec::mcu {

using target::Fields;
using target::Operand;
using target::cFloat;
using target::cInt;
using target::cType;
using target::elementCount;
using target::staticDims;

/// A step builder that also knows the MCU options and the core.
class LowerContext : public target::StepBuilder {
public:
  LowerContext(const target::StepBuilder &b, const McuOptions &o, const CpuInfo &cpu,
               bool pairLayout = false)
      : target::StepBuilder(b), options_(o), cpu_(cpu), pairLayout_(pairLayout) {}
  const McuOptions &options() const { return options_; }
  const CpuInfo &cpu() const { return cpu_; }
  /// flash-budget chose the 16-bit pair weight layout for this node
  /// (FlashBudget.h); otherwise int8 weights are stored one byte each.
  bool pairLayout() const { return pairLayout_; }

private:
  const McuOptions &options_;
  const CpuInfo &cpu_;
  bool pairLayout_;
};

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
void registerQuantizeRt(std::vector<Lowering> &out);
void registerDataS8(std::vector<Lowering> &out);
void registerConvF32(std::vector<Lowering> &out);
void registerConvTransposeF32(std::vector<Lowering> &out);
void registerGemmF32(std::vector<Lowering> &out);
void registerPoolF32(std::vector<Lowering> &out);
void registerElementwiseF32(std::vector<Lowering> &out);
void registerSoftmaxF32(std::vector<Lowering> &out);
void registerDataF32(std::vector<Lowering> &out);
void registerReduceF32(std::vector<Lowering> &out);
void registerNormF32(std::vector<Lowering> &out);
void registerSelect(std::vector<Lowering> &out);
void registerElementwiseInt(std::vector<Lowering> &out);
void registerCast(std::vector<Lowering> &out);
void registerArgMaxF32(std::vector<Lowering> &out);
void registerCumSum(std::vector<Lowering> &out);
void registerAttentionF32(std::vector<Lowering> &out);
void registerTrilu(std::vector<Lowering> &out);
void registerTopK(std::vector<Lowering> &out);
void registerLossF32(std::vector<Lowering> &out);
void registerResizeF32(std::vector<Lowering> &out);
void registerGatherAny(std::vector<Lowering> &out);
void registerGeneratorAny(std::vector<Lowering> &out);
void registerScatterAny(std::vector<Lowering> &out);
void registerLpF32(std::vector<Lowering> &out);
void registerGridSampleF32(std::vector<Lowering> &out);
void registerOneHotBitCast(std::vector<Lowering> &out);

/// Resize / Upsample with constant scales, nearest or linear, through
/// precomputed index tables (LowerDataF32.cpp): "" or why not, and the
/// lowering. LowerResizeF32.cpp handles the other forms.
std::string checkResizeTables(const Node &n, const McuOptions &o);
Status lowerResizeTables(LowerContext &ctx);
/// Gather of float32 with constant indices (LowerDataF32.cpp); other forms
/// in LowerGatherAny.cpp.
std::string checkGatherTables(const Node &n, const McuOptions &o);
Status lowerGatherTables(LowerContext &ctx);
/// QuantizeLinear / DequantizeLinear float32 <-> int8/int16 with a constant
/// per-tensor scale (LowerQuantizeS8.cpp); other forms in LowerQuantizeRt.cpp.
std::string checkQuantizeTables(const Node &n, const McuOptions &o);
Status lowerQuantizeTables(LowerContext &ctx);

/// Integer / bool forms of the elementwise arithmetic ops, comparisons and
/// logical ops (LowerElementwiseInt.cpp): "" or why not, and the lowering.
std::string checkElementwiseInt(const Node &n, const McuOptions &o);
Status lowerElementwiseInt(LowerContext &ctx);

// Helpers for lowerings.
/// "[1,3,224,224]".
std::string dimsString(const std::vector<int64_t> &d);
/// The window geometry of a Conv or pool node (shape/Window.h, the
/// interpreter's definition): kernel_shape (or `kernel`, the weights'
/// spatial dims), strides, dilations, pads, auto_pad and, for pools,
/// ceil_mode, over input 0's spatial dims in either layout, validated. The
/// error is the bare reason (the partition report names the node).
Expected<WindowGeometry> windowOf(const Node &n, const std::vector<int64_t> &kernel = {});

/// Sizes and element strides of N, C, H, W of a rank-3/4 activation in
/// either layout (rank 3 is [N, C, W] / [N, W, C] with H = 1).
struct Geo {
  int64_t n = 1, c = 1, h = 1, w = 1;
  int64_t sn = 0, sc = 0, sh = 0, sw = 0;
};
Geo geometry(const std::vector<int64_t> &dims, bool nhwc);

/// Strides (in elements) of a contiguous operand of dims `d` broadcast to
/// `out` (right-aligned; 0 along broadcast dims).
std::vector<int64_t> bcastStrides(const std::vector<int64_t> &d,
                                  const std::vector<int64_t> &out);
/// Drops unit dims and merges adjacent dims that every operand walks
/// contiguously (`strides`: one list per operand, as from bcastStrides).
void coalesce(std::vector<int64_t> &dims, std::vector<std::vector<int64_t>> &strides);

/// The operand checks Conv and ConvTranspose share (float32 input, weights,
/// bias and output, weights of the input's rank, rank 3 or 4 -- `what` names
/// the op in that message --, NCHW or NHWC, a positive group): "" or why not.
std::string checkConvOperandsF32(const Node &n, const std::string &what);
/// The geometry fields ec_conv_f32_params and ec_convtranspose_f32_params
/// share (n .. out_sw): sizes and strides of input and output, co, the
/// kernel {kh, kw}, and strides, dilations and top/left pads of `win` (1-D:
/// H is 1).
Fields convGeometryFields(const Geo &gi, const Geo &go, int64_t co,
                          const std::array<int64_t, 2> &k, const WindowGeometry &win,
                          int64_t groups);

/// The fields of an `ec_act_params` (EC_ACT_* kind and its parameters).
Fields actParams(const std::string &kind, float alpha, float beta, float lo, float hi);
/// The fields of a node's fused float activation (`ec_act_params`: kind,
/// alpha, beta, lo, hi); error for unknown ones.
Expected<Fields> fusedActivationF32(const Node &n);
/// "" when the node's fused activation (if any) is one fusedActivationF32
/// handles, else the reason.
std::string checkFusedActivationF32(const Node &n);

} // namespace edgec::mcu
