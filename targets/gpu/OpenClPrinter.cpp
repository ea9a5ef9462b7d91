// The OpenCL C printer (see OpenClPrinter.h).
#include "targets/gpu/OpenClPrinter.h"

namespace edgec::gpu {

std::string printOpenClKernel(const KernelDesc &k, const std::vector<int64_t> &offsets) {
  std::string s = "/* " + k.family + ":";
  for (const std::string &f : k.fused) s += " " + f;
  s += " */\n__kernel void " + k.name + "(";
  for (size_t i = 0; i < k.args.size(); ++i)
    s += std::string(i ? ", " : "") + "__global " + (k.args[i].writable ? "" : "const ") +
         openClType(k.args[i].dtype) + " *" + k.args[i].name + "_";
  s += ") {\n";
  s += "  const int gid = (int)get_global_id(0);\n";
  s += "  if (gid >= " + kInt(k.threads) + ") return;\n";
  for (size_t i = 0; i < k.args.size(); ++i) {
    const int64_t off = i < offsets.size() ? offsets[i] : 0;
    s += "  __global " + std::string(k.args[i].writable ? "" : "const ") +
         openClType(k.args[i].dtype) + " *" +
         k.args[i].name + " = " + k.args[i].name + "_" + (off ? " + " + kInt(off) : "") + ";\n";
  }
  for (const std::string &line : k.body) s += "  " + line + "\n";
  s += "}\n";
  return s;
}

} // namespace edgec::gpu
