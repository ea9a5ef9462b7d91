// The OpenCL executor (see OpenClExecutor.h).
#include "targets/gpu/OpenClExecutor.h"

#include "targets/common/CHarness.h"

namespace edgec::gpu {

Expected<target::ExecResult> OpenClExecutor::run(const target::ExecRequest &r) const {
  if (r.profile)
    return Error(ErrorCode::Unsupported, "gpu: per-layer profiling is not implemented yet");
  target::ExecRequest req = r;
  if (r.onStep)
    req.onStep = [&r](const std::string &) { r.onStep("building the package and running it on OpenCL"); };
  Expected<target::ExecResult> res = target::runCPackage(req, "host");
  if (!res) {
    const std::string &m = res.error().message();
    size_t p = m.find("edgec: no OpenCL device");
    if (p != std::string::npos) {
      size_t e = m.find("edgec: platform", p);
      return Error(ErrorCode::Runtime, "gpu: " + m.substr(p + 7, e == std::string::npos ? std::string::npos : e - p - 7));
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
