# lit configuration for the optimizer's FileCheck tests. Each test is an ONNX
# text-syntax model whose '#' comment lines hold the RUN and CHECK lines;
# the model's IR is printed after the pass under test and checked.
import os

import lit.formats

config.name = "edgec-passes"
config.test_format = lit.formats.ShTest(True)
config.suffixes = [".onnxtxt"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = lit_config.params.get("exec_root", config.test_source_root)
config.substitutions.append(("%edgec", lit_config.params["edgec"]))
llvm_bin = lit_config.params.get("llvm_bin", "/usr/lib/llvm-14/bin")
config.environment["PATH"] = os.pathsep.join(
    [llvm_bin, config.environment.get("PATH", os.environ.get("PATH", ""))])
