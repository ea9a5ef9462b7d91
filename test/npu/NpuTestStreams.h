// Small hand-written Ethos-U command streams and payloads for the tests,
// and a TFLite file holding one as an `ethos-u` custom operator, laid out
// as Vela writes them (driver_actions.py, npu_serialisation.py).
#pragma once

#include "npu/AcceleratorConfig.h"
#include "npu/Payload.h"
#include "npu/PayloadWriter.h"
#include "npu/Registers.h"
#include "tflite/TfliteTestBuilder.h"

#include <cstdint>
#include <vector>

namespace edgec::npu::test {

struct StreamBuilder {
  std::vector<uint32_t> words;
  void c0(uint16_t opcode, uint16_t param = 0) { words.push_back(opcode | uint32_t(param) << 16); }
  void c1(uint16_t opcode, uint32_t data, uint16_t param = 0) {
    words.push_back(opcode | kCmd1Flag | uint32_t(param) << 16);
    words.push_back(data);
  }
};

/// COP1, OPTIMIZER_CONFIG for `c`, NOPs to 16-byte alignment, the
/// COMMAND_STREAM action and the stream (npu/PayloadWriter.h).
inline std::vector<uint32_t> payloadWords(const AcceleratorConfig &c, const std::vector<uint32_t> &stream) {
  auto w = npu::payloadWords(c, stream);
  return w ? *w : std::vector<uint32_t>{};
}

inline std::vector<uint8_t> toBytes(const std::vector<uint32_t> &w) { return wordBytes(w); }

/// One int8 NHWC feature map of 1 x 1 x depth in region 1 at `base`.
inline void featureMap(StreamBuilder &s, bool ofm, uint32_t base, int depth) {
  if (ofm) {
    s.c0(op0::OfmRegion, 1);
    s.c1(op1::OfmBase0, base);
    s.c0(op0::OfmHeight0M1, 0);
    s.c0(op0::OfmHeight1M1, 0);
    s.c0(op0::OfmWidth0M1, 0);
    s.c0(op0::OfmHeightM1, 0);
    s.c0(op0::OfmWidthM1, 0);
    s.c0(op0::OfmDepthM1, uint16_t(depth - 1));
    s.c1(op1::OfmStrideC, 1);
    s.c1(op1::OfmStrideY, uint32_t(depth));
    s.c1(op1::OfmStrideX, uint32_t(depth));
    s.c0(op0::OfmZeroPoint, 0);
  } else {
    s.c0(op0::IfmRegion, 1);
    s.c1(op1::IfmBase0, base);
    s.c0(op0::IfmHeight0M1, 0);
    s.c0(op0::IfmHeight1M1, 0);
    s.c0(op0::IfmWidth0M1, 0);
    s.c0(op0::IfmDepthM1, uint16_t(depth - 1));
    s.c1(op1::IfmStrideC, 1);
    s.c1(op1::IfmStrideY, uint32_t(depth));
    s.c1(op1::IfmStrideX, uint32_t(depth));
    s.c0(op0::IfmZeroPoint, 0);
  }
}

/// y = max(x, 0) on 16 int8 values: ELEMENTWISE MAX with the scalar 0,
/// IFM at arena byte 0, OFM at byte 16.
inline std::vector<uint32_t> reluStream() {
  StreamBuilder s;
  featureMap(s, false, 0, 16);
  s.c0(op0::IfmPrecision, 1); // S8, NHWC
  featureMap(s, true, 16, 16);
  s.c0(op0::OfmPrecision, 1 | 1 << 8); // S8, NHWC, global scale
  s.c1(op1::OfmScale, 1, 0);
  s.c0(op0::Activation, 0);
  s.c0(op0::ActivationMin, uint16_t(int16_t(-128)));
  s.c0(op0::ActivationMax, 127);
  s.c0(op0::Ifm2Precision, 1);
  s.c0(op0::Ifm2ZeroPoint, 0);
  s.c0(op0::Ifm2Broadcast, 0x80); // scalar
  s.c0(op0::Ifm2Scalar, 0);
  s.c0(op0::Elementwise, 4); // MAX
  s.c0(op0::Stop, 0xFFFF);
  return s.words;
}

/// A TFLite model: x int8 [1,1,1,16] (when withInput) -> ethos-u(payload) ->
/// y int8 [1,1,1,16], with OfflineMemoryAllocation (scratch at 0, x at 0, y
/// at 16) unless withOffsets is false.
inline std::vector<uint8_t> ethosuTflite(const std::vector<uint8_t> &payload, bool withInput = true,
                                         bool withOffsets = true) {
  using namespace edgec::tflite;
  using namespace edgec::tflite::test;
  TModel m;
  const uint32_t cms = m.addBuffer(payload);
  const uint32_t flash = m.addBuffer(std::vector<uint8_t>(16, 0));
  TSubgraph sg;
  sg.tensors = {{{(int32_t)payload.size()}, fb::TensorType::UINT8, cms, "cms"},
                {{16}, fb::TensorType::UINT8, flash, "flash"},
                {{32}, fb::TensorType::UINT8, 0, "scratch"},
                {{32}, fb::TensorType::UINT8, 0, "scratch_fast"},
                {{1, 1, 1, 16}, fb::TensorType::INT8, 0, "y", {0.1f}, {0}}};
  std::vector<int32_t> ins = {0, 1, 2, 3};
  std::vector<int32_t> offsets = {-1, -1, 0, 0, 16};
  if (withInput) {
    sg.tensors.push_back({{1, 1, 1, 16}, fb::TensorType::INT8, 0, "x", {0.1f}, {0}});
    ins.push_back(5);
    offsets.push_back(0);
    sg.inputs = {5};
  }
  sg.outputs = {4};
  sg.ops = {{fb::BuiltinOperator::CUSTOM, ins, {4}, fb::BuiltinOptions::NONE, {}, "ethos-u"}};
  m.subgraphs = {sg};
  if (withOffsets) {
    std::vector<int32_t> md = {0, 0, (int32_t)offsets.size()};
    md.insert(md.end(), offsets.begin(), offsets.end());
    m.metadata.push_back({"OfflineMemoryAllocation", m.addBuffer(md)});
  }
  return m.finish();
}

} // namespace edgec::npu::test
