#include "passes/PassRegistry.h"

namespace edgec {

#define EDGEC_PASS(NAME, FACTORY, SUMMARY) std::unique_ptr<Pass> FACTORY();
#include "passes/Passes.def"
#undef EDGEC_PASS

const std::vector<PassInfo> &allPasses() {
  static const std::vector<PassInfo> passes = {
#define EDGEC_PASS(NAME, FACTORY, SUMMARY) {NAME, SUMMARY, &FACTORY},
#include "passes/Passes.def"
#undef EDGEC_PASS
  };
  return passes;
}

const PassInfo *findPass(const std::string &name) {
  for (const PassInfo &p : allPasses())
    if (name == p.name) return &p;
  return nullptr;
}

std::vector<PipelineStage> pipelineForLevel(int level) {
  if (level <= 0) return {};
  std::vector<PipelineStage> st;
  st.push_back({{"infer-shapes", "fold-constants"}, false});
  PipelineStage cleanup{{"remove-noops", "simplify-reshapes", "fold-constants",
                         "eliminate-common-subexpressions",
                         "eliminate-dead-code"},
                        true};
  st.push_back(cleanup);
  if (level == 1) return st;
  st.push_back({{"recognize-hardsigmoid", "recognize-hardswish",
                 "recognize-gelu", "recognize-mish", "recognize-swish",
                 "recognize-softmax", "recognize-layernorm",
                 "recognize-rmsnorm", "eliminate-dead-code"},
                true});
  st.push_back({{"fuse-batchnorm", "fuse-matmul-add", "fuse-mul-add",
                 "fold-pad", "remove-noops", "simplify-reshapes",
                 "fold-constants", "eliminate-dead-code"},
                true});
  st.push_back({{"fuse-activation", "eliminate-dead-code"}, true});
  if (level >= 3) {
    // -O3: a second round over the fused graph (a fusion can expose a
    // pattern, e.g. MatMul+Add -> Gemm then Gemm+Relu) and cleanup to a
    // fixed point across all groups.
    PipelineStage all;
    all.fixedPoint = true;
    for (size_t i = 1; i < st.size(); ++i)
      for (const std::string &p : st[i].passes) all.passes.push_back(p);
    st.push_back(all);
  }
  st.push_back({{"eliminate-common-subexpressions", "eliminate-dead-code",
                 "infer-shapes"},
                false});
  return st;
}

PipelineStage nhwcLayoutStage() {
  return {{"convert-to-nhwc", "simplify-reshapes", "remove-noops",
           "eliminate-common-subexpressions", "eliminate-dead-code"},
          true};
}

} // namespace edgec
