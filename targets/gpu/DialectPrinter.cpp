// The OpenCL C and CUDA C++ printers (see DialectPrinter.h).
#include "targets/gpu/DialectPrinter.h"

namespace edgec::gpu {

namespace {

/// What differs between the dialects.
struct Dialect {
  const char *entry;                     ///< before the kernel name
  const char *space;                     ///< pointer address space
  std::string (*type)(DataType);         ///< element type spelling
  const char *index;                     ///< the work-item index expression
};

std::string clType(DataType t) { return openClType(t); }

std::string cuType(DataType t) {
  std::string s = openClType(t);
  if (s == "uchar") return "unsigned char";
  if (s == "long") return "long long";
  return s;
}

std::string print(const Dialect &d, const KernelDesc &k, const std::vector<int64_t> &offsets) {
  std::string s = "/* " + k.family + ":";
  for (const std::string &f : k.fused) s += " " + f;
  s += " */\n" + std::string(d.entry) + k.name + "(";
  auto pointer = [&](size_t i) {
    return std::string(d.space) + (k.args[i].writable ? "" : "const ") + d.type(k.args[i].dtype) +
           " *" + k.args[i].name;
  };
  for (size_t i = 0; i < k.args.size(); ++i) s += std::string(i ? ", " : "") + pointer(i) + "_";
  s += ") {\n";
  s += "  const int gid = (int)(" + std::string(d.index) + ");\n";
  s += "  if (gid >= " + kInt(k.threads) + ") return;\n";
  for (size_t i = 0; i < k.args.size(); ++i) {
    const int64_t off = i < offsets.size() ? offsets[i] : 0;
    s += "  " + pointer(i) + " = " + k.args[i].name + "_" + (off ? " + " + kInt(off) : "") + ";\n";
  }
  for (const std::string &line : k.body) s += "  " + line + "\n";
  s += "}\n";
  return s;
}

} // namespace

std::string printOpenClKernel(const KernelDesc &k, const std::vector<int64_t> &offsets) {
  static const Dialect cl{"__kernel void ", "__global ", clType, "get_global_id(0)"};
  return print(cl, k, offsets);
}

std::string printCudaKernel(const KernelDesc &k, const std::vector<int64_t> &offsets) {
  static const Dialect cu{"extern \"C\" __global__ void ", "", cuType,
                          "blockIdx.x * blockDim.x + threadIdx.x"};
  return print(cu, k, offsets);
}

std::string cudaPrelude() {
  return "/* CUDA C++ kernels printed from the same descriptions as the OpenCL ones. */\n"
         "#include <math.h>\n"
         "/* Not every kernel reads every coordinate of its index space (broadcast\n"
         " * and size-1 dims): unused coordinates are not warnings. */\n"
         "#pragma nv_diag_suppress 177\n#pragma nv_diag_suppress 550\n#ifndef INFINITY\n#define INFINITY __int_as_float(0x7f800000)\n#endif\n\n";
}

} // namespace edgec::gpu
