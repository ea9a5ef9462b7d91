// What the consumer of a written .tflite file can read: the profile the
// writer (TfliteWriter.h) and the support query (TfliteSupport.h) check
// every builtin operator they write against (docs/tflite.md, "Profiles").
//
// The limits are data a target fills in: the generic profile (a
// default-constructed one) is TensorFlow Lite itself and limits nothing; an
// Edge TPU profile lists the operators its compiler maps with their highest
// versions (listedOperatorsOnly), allows only int8/uint8 activations and
// marks TRANSPOSE unavailable; an Ethos-U profile lists Vela's operators.
#pragma once

#include "ir/DataType.h"

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace edgec {

/// Limits on one builtin operator.
struct TfliteOperatorLimits {
  /// false: the consumer does not have this operator.
  bool available = true;
  /// The highest operator version the consumer reads (0: any).
  int maxVersion = 0;
};

struct TfliteProfile {
  /// Named in refusals ("... in TFLite profile 'edgetpu'").
  std::string name = "tflite";
  /// Limits per builtin operator, by TFLite's operator name ("CONV_2D").
  std::map<std::string, TfliteOperatorLimits> operators;
  /// true: an operator missing from `operators` is unavailable (the
  /// consumer publishes an allow list).
  bool listedOperatorsOnly = false;
  /// Element types the operators' non-constant tensors may have (empty:
  /// any). Constant tensors (weights, int32 biases, shape operands) are
  /// not limited.
  std::vector<DataType> activationTypes;
  /// The highest rank of any tensor an operator reads or writes (0: any).
  size_t maxRank = 0;
  /// Zero padding of a quantized tensor whose zero point is not 0 (explicit
  /// Conv pads, Pad) is written as CONCATENATIONs with constant blocks of
  /// the zero point instead of PAD: the same values, and the form Arm NN
  /// 20.08 computes correctly (its PAD pads quantized tensors with the raw
  /// value 0; docs/tflite.md).
  bool quantizedPadAsConcat = true;
  /// With quantizedPadAsConcat: one CONCATENATION per padded side (a
  /// constant block and the tensor: two inputs) instead of one per padded
  /// dimension (up to three inputs): the form the Edge TPU maps.
  bool padConcatTwoInputs = false;
};

/// TensorFlow Lite itself: what the writer does without a target.
TfliteProfile genericTfliteProfile();

/// "" when profile `p` has builtin operator `op` ("CONV_2D") at `version`;
/// otherwise the reason, naming the operator, version and profile.
std::string checkTfliteOperator(const TfliteProfile &p, const std::string &op,
                                int version);

/// "" when an operator `op` of profile `p` may read or write tensor
/// `tensor` (element type t, rank, constant data or not); otherwise the
/// reason, naming the tensor.
std::string checkTfliteTensor(const TfliteProfile &p, const std::string &op,
                              const std::string &tensor, DataType t,
                              size_t rank, bool constant);

} // namespace edgec
