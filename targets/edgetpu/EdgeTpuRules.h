// What Google's edgetpu_compiler (v16.0.384591198, the last release) maps,
// as data: one rule per TFLite builtin operator it accepts (highest operator
// version, limits in words, where the fact comes from), the tensor rules it
// applies to every operator, and the status strings it prints in its
// operation log. Sources are sections of ../shared/NPU-EDGETPU.md (part B)
// and the google-coral/edgetpu issues quoted there; rules marked [G] there
// are from memory of the coral.ai table and say so in `source`.
#pragma once

#include "ir/Graph.h"

#include <optional>
#include <string>
#include <vector>

namespace edgec::edgetpu {

/// The status column of the compiler's operation log, one per row.
enum class OpStatus {
  Mapped,                ///< "Mapped to Edge TPU"
  MoreThanOneSubgraph,   ///< supported, but after the first unmapped op
  UnspecifiedLimitation, ///< supported op, refused for a limit
  UnsupportedDataType,   ///< a non-int8/uint8 tensor
  NotSupported,          ///< an op the compiler does not have
  VersionNotSupported,   ///< an op version newer than the compiler's TFLite
  UnsupportedRank,       ///< more than 3 dims larger than 1
};

/// The exact string edgetpu_compiler prints for a status (B.5).
const char *statusString(OpStatus s);
/// All statuses, in the order above.
std::vector<OpStatus> allStatuses();

/// One TFLite builtin operator the compiler maps.
struct OperatorRule {
  const char *op;         ///< TFLite operator name, "CONV_2D"
  int maxVersion;         ///< highest OperatorCode version it reads
  const char *limits;     ///< the limits in words ("" = none known)
  const char *source;     ///< where the rule comes from
};

/// The operator table of compiler v16 (B.3, versions from B.2.4).
const std::vector<OperatorRule> &operatorRules();
/// The rule of `op`, or null when the compiler does not have it.
const OperatorRule *findOperatorRule(const std::string &op);

/// A refusal: the status and, for people, what exactly failed and the
/// rule's source. OpStatus::Mapped with empty strings when nothing failed.
struct Verdict {
  OpStatus status = OpStatus::Mapped;
  std::string detail;
  std::string source;
  bool mapped() const { return status == OpStatus::Mapped; }
};

/// The operator-level rules: is `op` in the table, and is `version` one
/// the compiler reads.
Verdict checkOperator(const std::string &op, int version);

/// The tensor rules for one non-constant tensor an operator reads or
/// writes: int8/uint8 element type (B.2.1), at most three dimensions
/// larger than 1 and those innermost (B.2.3). `what` names it in the detail.
Verdict checkTensor(const Value &v, const std::string &what);

/// The op-specific limits of the rule of `op` (fused activations, dilations,
/// reductions over the batch, 1-D outputs) for IR node n written as `op`.
Verdict checkLimits(const Node &n, const std::string &op);

/// What would make a refused operator map, in words, for the report
/// ("" when nothing is known): a table of data by operator ("(OpType)" for
/// a node the TFLite writer cannot write), then by status.
const char *rewriteHint(const std::string &op, OpStatus status);

/// MEAN sizes from google-coral/edgetpu#461 (compiler v16): a MEAN of a
/// [1,256,128,3] input (98,304 elements) is not mapped; the same input
/// split into four [1,64,128,3] pieces (24,576 elements), one MEAN each,
/// maps. Inputs between the two are not known either way (predicted
/// mapped).
inline constexpr int64_t kMeanInputUnmapped = 98304;
inline constexpr int64_t kMeanInputMapped = 24576;

/// The reduction axes of a Reduce* node (attribute before opset 18, input
/// 1 after), normalized; nullopt when they are not known. Empty: all axes.
std::optional<std::vector<int64_t>> reductionAxes(const Node &n, int64_t rank);

/// The number of dimensions left after dropping leading 1s ([1,1,5,3]: 2).
size_t effectiveRank(const std::vector<int64_t> &shape);

} // namespace edgec::edgetpu
