// The OpenCL executor (see OpenClExecutor.h).
#include "targets/gpu/OpenClExecutor.h"

#include "targets/common/CHarness.h"

namespace edgec::gpu {

Expected<target::ExecResult> OpenClExecutor::run(const target::ExecRequest &r) const {
  target::ExecRequest req = r;
  req.profile = false; // per-layer counts: not on OpenCL yet (the totals are measured)
  if (r.onStep)
    req.onStep = [&r](const std::string &) { r.onStep("building the package and running it on OpenCL"); };
  Expected<target::ExecResult> res = target::runCPackage(req, "host");
  if (!res) {
    const std::string &m = res.error().message();
    size_t p = m.find("edgec: no OpenCL device");
    if (p != std::string::npos) {
      std::string why = m.substr(p + 7);
      size_t e = why.find(" make:");
      if (e != std::string::npos) why.resize(e);
      return Error(ErrorCode::Runtime, "gpu: " + why);
    }
    return res.error();
  }
  std::string dev;
  size_t p = res->log.find("edgec: opencl device: ");
  if (p != std::string::npos) dev = res->log.substr(p + 22, res->log.find('\n', p) - p - 22);
  res->metrics["device"] = dev;
  res->metricLines.push_back("opencl device: " + dev);
  return res;
}

} // namespace edgec::gpu
