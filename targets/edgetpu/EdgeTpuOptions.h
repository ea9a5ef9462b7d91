// Options of the Edge TPU target (`--target edgetpu --option NAME=VALUE`).
#pragma once

#include "ir/DataType.h"

#include <string>

namespace edgec::edgetpu {

struct EdgeTpuOptions {
  /// Element type of the emitted file's inputs and outputs (`io=int8` or
  /// `io=uint8`). The network itself is int8 either way; with uint8 the file
  /// starts and ends with a requantizing QUANTIZE (uint8 <-> int8), which the
  /// Edge TPU maps (Quantize, runtime 13). Float inputs and outputs are never
  /// written: a QUANTIZE of a float input is an op the compiler cannot map,
  /// and by its single-partition rule it would send the whole model to the CPU.
  DataType io = DataType::Int8;
  /// `io-layout=nhwc`: the 4-D inputs and outputs of a channels-first model
  /// are written channels-last, without the TRANSPOSE the NHWC conversion
  /// puts after each input and before each output (the Edge TPU cannot map
  /// TRANSPOSE, so one at the input leaves the whole model on the CPU). The
  /// caller then feeds and reads NHWC tensors. `io-layout=model` (default)
  /// keeps the model's layout.
  bool nhwcIo = false;
  /// `compiler-log=FILE`: the stdout or .log of edgetpu_compiler run on the
  /// emitted file elsewhere, parsed and set beside the prediction instead of
  /// running the compiler found on PATH.
  std::string compilerLog;
  /// `rewrites=all` (default): the rewrites of EdgeTpuRewrites.h that raise
  /// the mapped fraction; `rewrites=none` writes the model as prepared.
  bool rewrites = true;
  /// `cpu-tail=tflite` (default): what the Edge TPU cannot map stays in the
  /// file for the TensorFlow Lite runtime. `cpu-tail=mcu`: the file holds
  /// the mapped prefix only (its outputs are the values the tail reads) and
  /// the tail is compiled as `--target mcu --cpu host` into cpu_tail/.
  bool mcuTail = false;
  /// `pad=concat` (default): zero padding of an int8 value whose zero point
  /// is not 0 (explicit Conv pads, Pad) is written as two-input
  /// CONCATENATIONs with constant blocks of the zero point, which the Edge
  /// TPU maps too: the same values, and the form runtimes that pad int8
  /// with 0 (Arm NN 20.08) compute correctly. `pad=pad`: one PAD (fewer
  /// operators).
  bool padAsConcat = true;
};

} // namespace edgec::edgetpu
