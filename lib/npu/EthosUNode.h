// The IR form of an `ethos-u` TFLite custom operator: the one definition of
// the node's domain, op type and attribute names that the TFLite reader
// writes and the interpreter's kernel reads.
//
//   edgec.npu.EthosU(command_stream, flash, ifm...) -> ofm...
//     command_stream  uint8 constant: the driver payload (Payload.h)
//     flash           uint8 constant: region 0 (weights, scales, LUTs);
//                     may be omitted when Vela wrote none
//     ifm...          the subgraph's inputs
//   attributes
//     scratch_size       int: bytes of region 1 (the arena Vela planned)
//     scratch_fast_size  int: bytes of region 2
//     input_offsets      ints: each IFM's byte offset inside region 1
//     output_offsets     ints: each OFM's byte offset inside region 1
//                        (from the model's OfflineMemoryAllocation metadata)
#pragma once

namespace edgec::npu {

inline constexpr const char *kEthosUDomain = "edgec.npu";
inline constexpr const char *kEthosUOp = "EthosU";
inline constexpr const char *kScratchSizeAttr = "scratch_size";
inline constexpr const char *kScratchFastSizeAttr = "scratch_fast_size";
inline constexpr const char *kInputOffsetsAttr = "input_offsets";
inline constexpr const char *kOutputOffsetsAttr = "output_offsets";
/// String, set by `edgec run --npu-config` (not by the reader): the
/// accelerator the payload is checked against; absent, the payload's own.
inline constexpr const char *kHardwareAttr = "npu_config";

/// Region indices the driver gives Vela 3.x's tensors (BasePointerIndex).
inline constexpr int kFlashRegion = 0, kScratchRegion = 1, kScratchFastRegion = 2;

} // namespace edgec::npu
