// Running an edgec.npu.EthosU node (npu/EthosUNode.h) outside the
// interpreter's kernel loop: the invocation request its constants and
// attributes describe. The kernel (kernels/quant/QEthosU.cpp), inspect's
// per-operation counters and the TFLM tensor check share it.
#pragma once

#include "ir/Graph.h"
#include "npu/Invoke.h"

#include <vector>

namespace edgec {

/// The request for node `n` (its payload and flash constants, arena sizes
/// and offsets) with `ifms` as the subgraph inputs (null: zeros) and output
/// sizes from the node's declared output types. The tensors must outlive the
/// request. Errors: a non-constant payload, an output without a static shape.
Expected<npu::InvokeRequest> ethosURequest(const Node &n, const Tensor &payload, const Tensor *flash,
                                           const std::vector<const Tensor *> &ifms);

/// The request with the payload and flash taken from the node's constant
/// inputs.
Expected<npu::InvokeRequest> ethosURequest(const Node &n, const std::vector<const Tensor *> &ifms);

} // namespace edgec
