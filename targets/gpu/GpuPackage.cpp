// The GPU package (see GpuPackage.h).
#include "targets/gpu/GpuPackage.h"

#include "targets/common/MemoryPlan.h"
#include "targets/gpu/GpuLauncher.h"
#include "targets/gpu/DialectPrinter.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>

namespace edgec::gpu {

namespace {

using target::Operand;
using target::Program;
using target::Storage;

constexpr int64_t kWeightAlign = 64;

/// A device buffer reference: which buffer ("arena", "weights", "in0",
/// "out1") and the byte offset in it.
Expected<BufferRef> resolve(const Program &p, const Operand &o,
                            const std::vector<int64_t> &constOffset) {
  BufferRef r;
  if (o.kind == Operand::Kind::Constant) {
    if (o.index < 0 || size_t(o.index) >= constOffset.size())
      return Error(ErrorCode::Internal, "gpu: constant operand out of range");
    r.buffer = "weights";
    r.byteOffset = constOffset[size_t(o.index)] +
                   o.offset * int64_t(dataTypeSize(p.constants[size_t(o.index)].dtype));
    return r;
  }
  if (o.kind != Operand::Kind::Tensor || !o.value)
    return Error(ErrorCode::Internal, "gpu: a kernel operand that is not a tensor or constant");
  const Value *root = p.root(o.value);
  const Storage &s = p.storage(root);
  const int64_t elem = o.offset * int64_t(dataTypeSize(o.view == DataType::Undefined
                                                           ? o.value->type.dtype
                                                           : o.view));
  switch (s.kind) {
  case Storage::Kind::Input: r.buffer = "in" + std::to_string(s.index); break;
  case Storage::Kind::Output: r.buffer = "out" + std::to_string(s.index); break;
  case Storage::Kind::Arena:
    r.buffer = "arena";
    r.byteOffset = target::arenaOffset(p, o.value);
    break;
  case Storage::Kind::Constant:
    r.buffer = "weights";
    r.byteOffset = constOffset.at(size_t(s.index));
    break;
  default: return Error(ErrorCode::Internal, "gpu: unresolved alias of '" + o.value->name + "'");
  }
  r.byteOffset += elem;
  return r;
}

} // namespace

Expected<GpuPackage> gpuPackage(const Program &p, const std::vector<KernelDesc> &kernels,
                                const GpuOptions &o) {
  GpuPackage pkg;
  // Weights: every constant, each aligned, in creation order.
  std::vector<int64_t> constOffset;
  std::string weights;
  for (const target::Constant &c : p.constants) {
    while (int64_t(weights.size()) % kWeightAlign) weights.push_back('\0');
    constOffset.push_back(int64_t(weights.size()));
    weights += c.bytes;
  }
  while (weights.size() % 4) weights.push_back('\0');
  pkg.weightBytes = int64_t(weights.size());

  std::string cuda = cudaPrelude();
  std::map<std::string, const KernelDesc *> byName;
  for (const KernelDesc &k : kernels) byName[k.name] = &k;
  LauncherPlan plan;
  plan.name = p.name;
  plan.arenaBytes = p.memory.arena.arenaSize;
  plan.weightBytes = pkg.weightBytes;
  plan.workGroup = o.workGroup;
  for (const Value *v : p.inputs) plan.inputBytes.push_back(target::valueBytes(*v));
  for (const Value *v : p.outputs) {
    plan.outputBytes.push_back(target::valueBytes(*v));
    plan.outputElementBytes.push_back(int64_t(dataTypeSize(v->type.dtype)));
  }
  for (const target::Step &st : p.steps) {
    for (const target::Call &c : st.calls) {
      if (c.kernel == "memcpy") {
        if (c.args.size() != 3) return Error(ErrorCode::Internal, "gpu: bad copy");
        LaunchOp op;
        op.copy = true;
        EDGEC_ASSIGN_OR_RETURN(BufferRef dst, resolve(p, c.args[0], constOffset));
        EDGEC_ASSIGN_OR_RETURN(BufferRef src, resolve(p, c.args[1], constOffset));
        op.bufs = {dst, src};
        op.bytes = c.args[2].i;
        op.comment = st.node->label();
        plan.ops.push_back(op);
        ++pkg.copies;
        continue;
      }
      auto it = byName.find(c.kernel);
      if (it == byName.end())
        return Error(ErrorCode::Internal, "gpu: no kernel description for '" + c.kernel + "'");
      const KernelDesc &k = *it->second;
      if (c.args.size() != k.args.size())
        return Error(ErrorCode::Internal, "gpu: kernel '" + k.name + "' operand count");
      LaunchOp op;
      op.kernel = k.name;
      op.threads = k.threads;
      op.comment = st.node->label();
      std::vector<int64_t> offsets;
      for (const Operand &a : c.args) {
        EDGEC_ASSIGN_OR_RETURN(BufferRef r, resolve(p, a, constOffset));
        const int64_t es = int64_t(dataTypeSize(k.args[offsets.size()].dtype));
        if (r.byteOffset % es) return Error(ErrorCode::Internal, "gpu: unaligned operand");
        offsets.push_back(r.byteOffset / es);
        r.byteOffset = 0; // baked into the kernel
        op.bufs.push_back(r);
      }
      pkg.kernelSource += printOpenClKernel(k, offsets) + "\n";
      if (o.cudaKernels) cuda += printCudaKernel(k, offsets) + "\n";
      plan.ops.push_back(op);
      ++pkg.launches;
    }
  }
  // Graph outputs that are graph inputs or constants.
  for (const auto &[k, v] : p.outputCopies) {
    LaunchOp op;
    op.copy = true;
    Operand src;
    src.kind = Operand::Kind::Tensor;
    src.value = v;
    if (p.storage(v).kind == Storage::Kind::Constant) {
      src.kind = Operand::Kind::Constant;
      src.index = p.storage(v).index;
    }
    EDGEC_ASSIGN_OR_RETURN(BufferRef s, resolve(p, src, constOffset));
    op.bufs = {BufferRef{"out" + std::to_string(k), 0}, s};
    op.bytes = target::valueBytes(*v);
    op.comment = "output " + std::to_string(k);
    plan.ops.push_back(op);
    ++pkg.copies;
  }

  pkg.files = launcherFiles(plan, pkg.kernelSource, weights);
  if (o.cudaKernels) pkg.files.push_back({p.name + "_kernels.cu", cuda});
  std::sort(pkg.files.begin(), pkg.files.end(),
            [](const target::Artifact &x, const target::Artifact &y) { return x.path < y.path; });
  return pkg;
}

} // namespace edgec::gpu
