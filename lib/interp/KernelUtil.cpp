#include "interp/KernelUtil.h"

namespace edgec {

BroadcastIndexer::BroadcastIndexer(const TensorShape &in,
                                   const TensorShape &out) {
  identity_ = in == out;
  int64_t n = 1;
  for (int64_t d : in) n *= d;
  scalar_ = n == 1;
  outStrides_ = stridesOf(out);
  std::vector<int64_t> inS = stridesOf(in);
  inStrides_.assign(out.size(), 0);
  size_t off = out.size() - in.size();
  for (size_t i = 0; i < in.size(); ++i)
    inStrides_[i + off] = in[i] == 1 ? 0 : inS[i];
}

int64_t BroadcastIndexer::map(int64_t o) const {
  if (identity_) return o;
  if (scalar_) return 0;
  int64_t idx = 0;
  for (size_t d = 0; d < outStrides_.size(); ++d) {
    int64_t q = o / outStrides_[d];
    o -= q * outStrides_[d];
    idx += q * inStrides_[d];
  }
  return idx;
}

void addOp(KernelRegistry &r, const char *name, size_t required,
           KernelFn run) {
  r.add(name, [required, run](KernelContext &ctx) -> Status {
    EDGEC_TRY(requireInputs(ctx, required));
    return run(ctx);
  });
}

} // namespace edgec
