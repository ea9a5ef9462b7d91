// The tflite target (see TfliteTarget.h).
#include "targets/tflite/TfliteTarget.h"

#include "export/TfliteExport.h"

namespace edgec::tflitecpu {

TfliteTarget::TfliteTarget() : support_(genericTfliteProfile()) {}

std::string TfliteTarget::description() const {
  return "TensorFlow Lite file for the TFLite runtime on a CPU (as edgec export writes it); "
         "the Edge TPU target's CPU tail";
}

Status TfliteTarget::configure(const std::map<std::string, std::string> &values) {
  for (const auto &kv : values)
    return Error(ErrorCode::Usage, "target tflite has no option '" + kv.first + "'");
  return Status::ok();
}

std::vector<target::OpSupport> TfliteTarget::supportedOps() const {
  std::vector<target::OpSupport> out;
  for (const std::string &op : tfliteWritableOps())
    out.push_back({op, {}, "as edgec's TFLite writer writes it (docs/tflite.md)"});
  return out;
}

Status TfliteTarget::prepareModel(Model &m) { return prepareForTflite(m); }

target::Pipeline TfliteTarget::pipeline(const Model &) const { return {}; }

std::string TfliteTarget::checkNode(const Node &n) const { return support_.query(n).reason; }

Expected<target::EmitResult> TfliteTarget::emit(const Model &m, const target::Partition &p,
                                                 const target::EmitContext &ctx) {
  TfliteWriteOptions wo;
  wo.profile = support_.profile();
  EDGEC_ASSIGN_OR_RETURN(std::string bytes, writeTflite(m, wo));
  target::EmitResult r;
  const std::string file = ctx.name + ".tflite";
  r.files.push_back({file, bytes});
  r.report = Json::object();
  r.report["schema"] = "edgec.compile-report.v1";
  r.report["target"] = "tflite";
  r.report["name"] = ctx.name;
  r.report["tflite_bytes"] = int64_t(bytes.size());
  r.report["placement"] = target::partitionJson(p);
  r.textReport = "target tflite, file '" + file + "' (" + std::to_string(bytes.size()) +
                 " bytes)\n" + target::partitionText(p);
  return r;
}

} // namespace edgec::tflitecpu
