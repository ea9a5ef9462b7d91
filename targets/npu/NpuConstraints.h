// What Arm's Vela (3.10, TFLite input, Ethos-U55/U65) places on the NPU, as
// data: the operators it has (others are "CPU only" ops), the generic
// constraints most operators must meet and the constraints of each
// operator, each with Vela's own sentence (its SUPPORTED_OPS.md, generated
// by `vela --supported-ops-report`) and where the fact comes from
// (NPU-EDGETPU.md A.6). The judge applies them to the TFLite operators a
// node of the prepared model is written as (the TFLite support query, as
// the Edge TPU target does). Unlike Vela, which prints only the first
// constraint an operator fails, the judge reports every one.
//
// Constraints Vela has that the IR cannot violate are left out and listed
// in docs/targets.md ("The Ethos-U target"): constant tensors with None
// values, scales outside float32, SOFTMAX's beta (written as 1), fused
// activations other than TFLite's own (the writer writes only those).
#pragma once

#include "ir/Graph.h"
#include "tflite/TfliteSupport.h"

#include <string>
#include <vector>

namespace edgec::ethosu {

/// One TFLite operator a node is written as, with the tensors Vela names
/// IFM, IFM2, weights, bias and OFM. Only the node's principal operator
/// has tensors; operators the writer adds around it (a PAD before a conv)
/// are judged on the operator list alone.
struct OpView {
  const Node *node = nullptr;
  std::string op;                    ///< "CONV_2D"
  std::vector<const Value *> ifms;   ///< data inputs (IFM, IFM2, ...), constant or not
  const Value *weights = nullptr;    ///< conv / FC weights
  const Value *bias = nullptr;       ///< conv / FC bias
  std::vector<const Value *> ofms;
  const Value *ifm() const { return ifms.empty() ? nullptr : ifms[0]; }
  const Value *ofm() const { return ofms.empty() ? nullptr : ofms[0]; }
};

/// One constraint: Vela's sentence, where it comes from, the operators it
/// concerns, and its test ("" when it holds, else what fails, naming the
/// tensor or attribute).
struct Constraint {
  const char *id;       ///< "generic.batch", "conv.stride"
  const char *sentence; ///< Vela's sentence
  const char *source;
  bool generic;         ///< true: all operators except `ops`; false: only `ops`
  std::vector<std::string> ops;
  std::string (*check)(const OpView &v);
  bool appliesTo(const std::string &op) const;
};

/// The generic constraints, then the per-operator ones, in Vela's order.
const std::vector<Constraint> &constraints();
/// The TFLite operators Vela 3.10 can place on the NPU (sorted).
const std::vector<std::string> &npuOperators();
bool isNpuOperator(const std::string &op);

/// A failed constraint, with what failed. `constraint` is null for the two
/// refusals that are not constraints of the table: a CPU only operator and
/// a node the TFLite writer cannot write.
struct Failure {
  const Constraint *constraint = nullptr;
  std::string op;     ///< the TFLite operator judged
  std::string detail; ///< what exactly fails
  std::string sentence() const;
  std::string source() const;
  std::string id() const;
};

struct NodeJudgement {
  std::vector<TfliteOperatorUse> operators; ///< as written (empty: none)
  std::vector<Failure> failures;            ///< every one
  bool onNpu() const { return failures.empty(); }
};

/// The OpView of node n written as `op` (its principal operator).
OpView viewOf(const Node &n, const std::string &op);
/// Every constraint operator `op` of n fails; `principal` false judges the
/// operator list only.
std::vector<Failure> judgeOperator(const Node &n, const std::string &op, bool principal);
/// Judges node n, whose TFLite form is `support` (TfliteSupport.h).
NodeJudgement judgeNode(const Node &n, const TfliteSupport &support);
/// One line: "CONV_2D: <sentence> (<detail>); ..." naming every failure.
std::string failuresText(const std::vector<Failure> &f);

} // namespace edgec::ethosu
