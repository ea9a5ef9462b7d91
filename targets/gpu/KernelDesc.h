// The GPU kernel description: one small IR per (fused) kernel, from which
// each dialect printer (OpenCL C 1.2 today, CUDA C++ next) prints source.
//
// A kernel runs `threads` work-items, one per output element (or per row
// for reductions), over a 1-D index space rounded up to the work-group size;
// every kernel starts with the guard `if (gid >= threads) return;` and uses
// no local memory and no barrier, so the early return is always legal. The
// body is a list of statements in the C subset both dialects share: `int`
// and `float` locals, for/if, the overloaded math functions (exp, fmax,
// tanh, sqrt, floor, ...), INFINITY, and the arguments by name (pointers
// already offset to the tensor's first element); `gid` is the work-item.
// Printers only add the signature, the index and the argument pointers, so
// one lowering serves every dialect.
#pragma once

#include "ir/Graph.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace edgec::gpu {

struct KernelArg {
  std::string name;      ///< identifier in the body
  bool writable = false; ///< written by the kernel
  /// Element type; each printer spells it (OpenCL: float, uchar for bool,
  /// long for int64).
  DataType dtype = DataType::Float32;
};

/// The OpenCL C spelling of an element type, or "" when kernels do not
/// handle it.
const char *openClType(DataType t);

struct KernelDesc {
  std::string name;             ///< unique kernel name (a C identifier)
  std::string family;           ///< for reports: "conv direct", "depthwise", ...
  std::vector<KernelArg> args;  ///< in the order of the call's operands
  int64_t threads = 0;          ///< work-items that do work
  std::vector<std::string> body;
  /// Ops fused into this kernel (the anchor first), for the report.
  std::vector<std::string> fused;
};

/// Decomposes `gid` (or another index expression) into named coordinates of
/// a row-major index space `dims`: "int i3 = gid % 7; int t_ = gid / 7; ..."
/// appended to body. names.size() == dims.size().
void decompose(std::vector<std::string> &body, const std::string &index,
               const std::vector<int64_t> &dims, const std::vector<std::string> &names);

/// The row-major offset sum_d names[d] * stride[d] of a tensor of dims `in`
/// read at output coordinates `names` of rank out (numpy broadcasting: in is
/// aligned right, size-1 dims read index 0). "0" for a scalar.
std::string broadcastOffset(const std::vector<int64_t> &in, const std::vector<std::string> &names);

/// The expression of unary op `op` (Relu, Sigmoid, Exp, Elu, ...) applied
/// to float expression x, its attributes read through attr(name, default);
/// "" for an op that is not one.
std::string unaryExpr(const std::string &op, const std::function<float(const char *, float)> &attr,
                      const std::string &x);

/// The expression applying node n's fused activation (edgec.activation) to
/// float expression x; x itself when there is none.
std::string activationExpr(const Node &n, const std::string &x);
/// "" when n's fused activation (if any) is one the GPU target applies,
/// else the reason.
std::string checkActivation(const Node &n);

/// Words of an int literal / float literal in kernel source.
std::string kInt(int64_t v);
std::string kFloat(float f);

/// Coordinate names i0, i1, ... of a rank-r index space.
std::vector<std::string> coordNames(size_t rank);

/// Row-major strides of dims.
std::vector<int64_t> stridesOf(const std::vector<int64_t> &dims);

} // namespace edgec::gpu
