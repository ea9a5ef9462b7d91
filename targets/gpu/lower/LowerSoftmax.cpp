// Softmax and LogSoftmax as one kernel: one work-item per row (the
// elements along the axis, opset 13+; the flattened trailing dims from the
// axis before opset 13) computes the maximum, the sum of exponentials and
// writes the row.
#include "targets/gpu/lower/GpuLowering.h"

namespace edgec::gpu {

namespace {

std::string check(const Node &n) {
  if (n.inputs.size() != 1 || !n.inputs[0] || n.outputs.size() != 1) return "expects one input";
  if (std::string w = checkFloatNode(n); !w.empty()) return w;
  if (hasFusedActivation(n)) return "a fused activation after a softmax";
  if (n.inputs[0]->type.hasRank) {
    int64_t r = int64_t(n.inputs[0]->type.rank()), axis = n.attrInt("axis", n.opsetVersion >= 13 ? -1 : 1);
    if (axis < -r || axis >= std::max<int64_t>(r, 1)) return "axis out of range";
  }
  return "";
}

Status lower(GpuLowerContext &ctx) {
  const Node &n = ctx.node();
  std::vector<int64_t> xd = staticDims(ctx.inValue(0));
  const int64_t r = int64_t(xd.size());
  int64_t axis = n.attrInt("axis", n.opsetVersion >= 13 ? -1 : 1);
  if (axis < 0) axis += r;
  int64_t outer = 1, len = 1, inner = 1;
  for (int64_t d = 0; d < r; ++d) {
    if (d < axis) outer *= xd[size_t(d)];
    else if (d == axis || n.opsetVersion < 13) len *= xd[size_t(d)];
    else inner *= xd[size_t(d)];
  }
  const bool isLog = n.opType == "LogSoftmax";
  KernelDesc k = ctx.newKernel(isLog ? "log softmax" : "softmax");
  k.args = {{"x"}, {"y", true}};
  k.threads = outer * inner;
  std::vector<std::string> &s = k.body;
  const std::string st = kInt(inner);
  s.push_back("const int base = (gid / " + st + ") * " + kInt(len * inner) + " + gid % " + st + ";");
  s.push_back("float mx = -INFINITY;");
  s.push_back("for (int i = 0; i < " + kInt(len) + "; ++i) mx = fmax(mx, x[base + i * " + st + "]);");
  s.push_back("float sum = 0.0f;");
  s.push_back("for (int i = 0; i < " + kInt(len) + "; ++i) sum += exp(x[base + i * " + st + "] - mx);");
  if (isLog) {
    s.push_back("const float ls = log(sum);");
    s.push_back("for (int i = 0; i < " + kInt(len) + "; ++i) y[base + i * " + st +
                "] = x[base + i * " + st + "] - mx - ls;");
  } else {
    s.push_back("const float inv = 1.0f / sum;");
    s.push_back("for (int i = 0; i < " + kInt(len) + "; ++i) y[base + i * " + st +
                "] = exp(x[base + i * " + st + "] - mx) * inv;");
  }
  ctx.launch(std::move(k), {ctx.in(0), ctx.out(0)});
  return Status::ok();
}

} // namespace

void registerSoftmax(std::vector<GpuLowering> &out) {
  out.push_back({"Softmax", check, lower, "one kernel, one work-item per row"});
  out.push_back({"LogSoftmax", check, lower, "one kernel, one work-item per row"});
}

} // namespace edgec::gpu
