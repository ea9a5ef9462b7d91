// edgec export: writes a model (any input format) as TFLite or ONNX.
#include "Commands.h"

#include "frontend/ModelLoader.h"
#include "onnx/OnnxExporter.h"
#include "onnx/OnnxImporter.h"
#include "export/TfliteExport.h"
#include "passes/PassManager.h"

#include <iostream>
#include <memory>

namespace edgec::tool {

namespace {

struct ExportCmdOptions {
  std::string model;
  std::string output;
  std::string format;
  std::vector<std::string> inputShapes;
  int level = -1;
  bool quiet = false;
};

bool isFloatGraph(const Graph &g) {
  for (const auto &n : g.nodes()) {
    if (n->opType == "QuantizeLinear" || n->opType == "DequantizeLinear") return false;
    for (const Value *v : n->outputs)
      if (v && v->quant) return false;
  }
  return true;
}

Status runExport(const ExportCmdOptions &o) {
  if (o.format != "tflite" && o.format != "onnx")
    return Error(ErrorCode::Usage, "--format must be tflite or onnx, got '" + o.format + "'");
  if (o.output.empty()) return Error(ErrorCode::Usage, "export: -o OUT is required");
  ImportOptions io;
  for (const auto &s : o.inputShapes) EDGEC_TRY(parseInputShapeOverride(s, io.inputShapes));
  EDGEC_ASSIGN_OR_RETURN(std::unique_ptr<Model> m, loadModelFile(o.model, io));
  // Float ONNX graphs going to TFLite get the cleanups that map onto TFLite
  // operators (constants folded, BatchNormalization folded, activations
  // fused) unless -O asks for a level; .tflite inputs and quantized graphs
  // (QDQ or integer) are written as they are.
  if (isFloatGraph(*m->graph) && detectModelFormat(o.model) == ModelFormat::Onnx) {
    PassManager pm;
    if (o.level > 0) {
      EDGEC_TRY(pm.addLevel(o.level));
    } else if (o.level < 0 && o.format == "tflite") {
      EDGEC_TRY(pm.addPassList("fold-constants,remove-noops,fuse-batchnorm,fuse-activation,"
                               "eliminate-dead-code"));
    }
    EDGEC_TRY(pm.run(*m));
  }
  if (o.format == "onnx") {
    EDGEC_TRY(exportOnnxFile(*m, o.output));
  } else {
    EDGEC_TRY(exportTfliteFile(*m, o.output));
  }
  if (!o.quiet) std::cout << "wrote " << o.output << " (" << o.format << ")\n";
  return Status::ok();
}

} // namespace

Runner addExportCommand(CLI::App &app) {
  auto o = std::make_shared<ExportCmdOptions>();
  CLI::App *c = app.add_subcommand(
      "export",
      "Write a model as TensorFlow Lite or ONNX\n\n"
      "Examples:\n  edgec export model.onnx --format tflite -o model.tflite\n"
      "  edgec export model.int8.onnx --format tflite -o model_int8.tflite\n"
      "  edgec export model.tflite --format onnx -o model.onnx");
  c->add_option("model", o->model, "model file (.onnx, ONNX text or .tflite)")->required();
  c->add_option("--format", o->format, "tflite or onnx")->required();
  c->add_option("-o,--output", o->output, "output file")->required();
  c->add_option("--input-shape", o->inputShapes,
                "override an input shape: name=d0,d1,... (repeatable)");
  c->add_option("-O,--level", o->level,
                "optimize float ONNX models at this level first (default: only constant folding and BatchNormalization / activation fusion for tflite)")
      ->check(CLI::Range(0, 3));
  c->add_flag("-q,--quiet", o->quiet, "print nothing on success");
  return [o] { return runExport(*o); };
}

} // namespace edgec::tool
