// edgec: ahead-of-time compiler for edge AI. This is the only place that
// prints for users and exits; everything below returns errors.
#include "Commands.h"

#include <iostream>

namespace {
constexpr const char *kVersion = "0.1.0";
}

int main(int argc, char **argv) {
  CLI::App app{"edgec: ahead-of-time compiler for edge AI models\n\n"
               "Examples:\n"
               "  edgec inspect model.onnx\n"
               "  edgec inspect model.onnx --input-shape x=1,3,224,224 --json\n"
               "  edgec run model.onnx --input x=input.npy --output-dir out/\n"
               "  edgec optimize model.onnx -O2 -o model.opt.onnx --stats\n"
               "  edgec quantize model.onnx -o model.int8.onnx --calib calib/\n"
               "  edgec prune model.onnx -o pruned.onnx --method channel --sparsity 0.25\n"
               "  edgec compile model.onnx --target mcu --cpu cortex-m4 -o out/\n"
               "  edgec validate model.onnx --target mcu --cpu cortex-m4\n"
               "  edgec bench model.onnx --target mcu --cpu cortex-m4 --json\n",
               "edgec"};
  app.set_version_flag("--version", std::string("edgec ") + kVersion);
  app.require_subcommand(1);
  std::map<std::string, edgec::tool::Runner> runners;
  runners["inspect"] = edgec::tool::addInspectCommand(app);
  runners["run"] = edgec::tool::addRunCommand(app);
  runners["optimize"] = edgec::tool::addOptimizeCommand(app);
  runners["quantize"] = edgec::tool::addQuantizeCommand(app);
  runners["prune"] = edgec::tool::addPruneCommand(app);
  runners["export"] = edgec::tool::addExportCommand(app);
  runners["compile"] = edgec::tool::addCompileCommand(app);
  runners["targets"] = edgec::tool::addTargetsCommand(app);
  runners["validate"] = edgec::tool::addValidateCommand(app);
  runners["bench"] = edgec::tool::addBenchCommand(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp &e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp &e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion &e) {
    return app.exit(e);
  } catch (const CLI::ParseError &e) {
    std::string msg = e.what();
    std::cerr << "error: " << msg << "\n";
    return (int)edgec::ErrorCode::Usage;
  }
  for (CLI::App *sub : app.get_subcommands()) {
    edgec::Status s;
    try {
      s = runners.at(sub->get_name())();
    } catch (const std::bad_alloc &) {
      std::cerr << "error: out of memory\n";
      return (int)edgec::ErrorCode::Runtime;
    } catch (const std::exception &e) {
      std::cerr << "error: internal error: " << e.what() << "\n";
      return (int)edgec::ErrorCode::Internal;
    }
    if (!s.isOk()) {
      std::string m = s.error().message();
      for (char &c : m)
        if (c == '\n' || c == '\r') c = ' ';
      std::cerr << "error: " << m << "\n";
      return (int)s.error().code();
    }
  }
  return 0;
}
