// The Ethos-U placement report: per node of the prepared model the TFLite
// operators it is written as, NPU or CPU, and for a CPU node every Vela
// constraint it fails (NpuConstraints.h); per model the counts in Vela's
// summary terms ("CPU operators = n (x%)", "NPU operators = ..."), the
// configuration lines of Vela's network summary, and an operator table.
// Text (Vela's label layout) and JSON (schema edgec.npu-placement.v1).
#pragma once

#include "npu/AcceleratorConfig.h"
#include "support/Json.h"
#include "targets/Partition.h"
#include "targets/npu/NpuConstraints.h"
#include "targets/npu/VelaConfig.h"

#include <functional>
#include <string>
#include <vector>

namespace edgec::ethosu {

struct PlacementRow {
  const Node *node = nullptr;
  bool onNpu = true;
  std::string runsOn;  ///< "npu", the fallback target's name, or "" when nothing runs it
  std::string fallbackReason; ///< the fallback target's refusal ("" when it runs the node)
  NodeJudgement judgement;
  /// The operators counted: the TFLite operators, or "(OpType)" for a node
  /// the writer cannot write.
  std::vector<std::string> counted() const;
};

struct OperatorCount {
  std::string op;
  bool onNpu = true;
  int count = 0;
};

struct PlacementReport {
  std::string accelerator; ///< Vela's spelling, "Ethos_U55_128"
  SystemSetup setup;
  int axiBytes = 8;
  std::vector<PlacementRow> rows;
  std::vector<OperatorCount> table; ///< in order of first appearance
  int npuOperators = 0, cpuOperators = 0;
  double npuPercent() const;
  double cpuPercent() const;
};

/// The report for partition p; `judge` gives a node's judgement.
PlacementReport placementReport(const target::Partition &p, const npu::AcceleratorConfig &accel,
                                const SystemSetup &setup,
                                const std::function<NodeJudgement(const Node &)> &judge);

/// {"schema": "edgec.npu-placement.v1", "accelerator", "system_config",
/// "memory_mode", "core_clock", "memory": {"const", "arena", "cache"},
/// "operators": {"npu", "cpu", "total", "npu_percent", "cpu_percent"},
/// "table": [{"operator", "placement", "count"}], "nodes": [{"node", "op",
/// "operators", "placement", "runs_on", "failures": [{"operator",
/// "constraint", "sentence", "detail", "source"}], "fallback_reason"}]}.
Json placementJson(const PlacementReport &r);
/// Vela's network summary lines for the configuration and the operator
/// counts, the operator table, then each CPU node with every constraint it
/// fails (Vela's " - sentence" form, with the detail and the source).
std::string placementText(const PlacementReport &r, const std::string &model);

} // namespace edgec::ethosu
