// Raises a model's default-domain opset, rewriting the nodes whose form
// changed in between (attributes that became inputs, changed defaults), so
// that ops introduced later (per-axis QuantizeLinear at 13, int16 Q/DQ at 21)
// can be added and the model still means the same.
#pragma once

#include "ir/Graph.h"

namespace edgec {

/// Upgrades every node of m (subgraphs included) to opset `target` of the
/// default domain. Handled: Clip, Pad, Slice, TopK, Dropout, Upsample and
/// Resize-10, Squeeze / Unsqueeze / ReduceSum / Split (13), the other Reduce
/// ops (18), Softmax / LogSoftmax / Hardmax (13; the old flattening axis must
/// be the last one), GridSample mode names (20). Ops whose semantics did not
/// change need nothing. An Unsupported error names the node that cannot be
/// expressed at `target`; m is then partly upgraded and should be dropped.
Status upgradeOpset(Model &m, int64_t target);

} // namespace edgec
