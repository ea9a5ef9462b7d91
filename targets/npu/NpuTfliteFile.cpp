#include "targets/npu/NpuTfliteFile.h"

#include "tflite/schema_generated.h"

#include <algorithm>

namespace edgec::ethosu {

namespace fb = edgec::tflite::fb;

namespace {

Expected<fb::TensorType> tensorType(DataType t) {
  switch (t) {
  case DataType::Int8: return fb::TensorType::INT8;
  case DataType::UInt8: return fb::TensorType::UINT8;
  case DataType::Int16: return fb::TensorType::INT16;
  case DataType::Int32: return fb::TensorType::INT32;
  default: return Error(ErrorCode::Unsupported, "an NPU input/output of a type TFLite files do not take here");
  }
}

} // namespace

Expected<std::string> writeNpuTflite(const NpuTfliteModel &m) {
  flatbuffers::FlatBufferBuilder fbb;
  std::vector<flatbuffers::Offset<fb::Buffer>> buffers = {fb::CreateBuffer(fbb)};
  auto addBuffer = [&](const uint8_t *d, size_t n) {
    fbb.ForceVectorAlignment(n, 1, 16);
    auto v = fbb.CreateVector(d, n);
    buffers.push_back(fb::CreateBuffer(fbb, v));
    return uint32_t(buffers.size() - 1);
  };
  std::vector<flatbuffers::Offset<fb::Tensor>> tensors;
  std::vector<int32_t> offsets;
  auto ioTensor = [&](const NpuTfliteIo &io) -> Expected<int32_t> {
    const Value *v = io.value;
    if (!v->type.isStatic())
      return Error(ErrorCode::Unsupported, "tensor '" + v->name + "' has no static shape");
    EDGEC_ASSIGN_OR_RETURN(fb::TensorType t, tensorType(v->type.dtype));
    std::vector<int32_t> shape;
    for (int64_t d : v->type.staticShape()) shape.push_back(int32_t(d));
    flatbuffers::Offset<fb::QuantizationParameters> q;
    if (v->quant) {
      std::vector<float> s(v->quant->scale.begin(), v->quant->scale.end());
      std::vector<int64_t> z(v->quant->zeroPoint.begin(), v->quant->zeroPoint.end());
      q = fb::CreateQuantizationParametersDirect(fbb, nullptr, nullptr, &s, &z);
    }
    tensors.push_back(fb::CreateTensorDirect(fbb, &shape, t, 0, v->name.c_str(), q));
    offsets.push_back(int32_t(io.offset));
    return int32_t(tensors.size() - 1);
  };
  auto byteTensor = [&](const char *name, int64_t size, uint32_t buffer, int32_t offset) {
    std::vector<int32_t> shape = {int32_t(size)};
    tensors.push_back(fb::CreateTensorDirect(fbb, &shape, fb::TensorType::UINT8, buffer, name));
    offsets.push_back(offset);
    return int32_t(tensors.size() - 1);
  };
  std::vector<int32_t> ins, outs, opIns;
  for (const NpuTfliteIo &io : m.inputs) {
    EDGEC_ASSIGN_OR_RETURN(int32_t t, ioTensor(io));
    ins.push_back(t);
  }
  for (const NpuTfliteIo &io : m.outputs) {
    EDGEC_ASSIGN_OR_RETURN(int32_t t, ioTensor(io));
    outs.push_back(t);
  }
  const uint32_t cmsBuf = addBuffer(m.payload.data(), m.payload.size());
  const uint32_t flashBuf = addBuffer(m.flash.data(), m.flash.size());
  opIns.push_back(byteTensor("_npu_command_stream", int64_t(m.payload.size()), cmsBuf, -1));
  opIns.push_back(byteTensor("_npu_flash", int64_t(m.flash.size()), flashBuf, -1));
  opIns.push_back(byteTensor("_npu_scratch", m.arenaSize, 0, 0));
  opIns.push_back(byteTensor("_npu_scratch_fast", 0, 0, 0));
  opIns.insert(opIns.end(), ins.begin(), ins.end());

  std::vector<flatbuffers::Offset<fb::Operator>> ops = {
      fb::CreateOperatorDirect(fbb, 0, &opIns, &outs)};
  std::vector<int32_t> modelOuts = outs;
  for (const NpuTfliteSoftmax &sm : m.softmax) {
    int32_t in = -1;
    for (size_t i = 0; i < m.outputs.size(); ++i)
      if (m.outputs[i].value == sm.input) in = outs[i];
    if (in < 0) return Error(ErrorCode::Internal, "SOFTMAX input is not an ethos-u output");
    EDGEC_ASSIGN_OR_RETURN(int32_t out, ioTensor({sm.output, -1}));
    std::vector<int32_t> i1 = {in}, o1 = {out};
    ops.push_back(fb::CreateOperator(fbb, 1, fbb.CreateVector(i1), fbb.CreateVector(o1),
                                     fb::BuiltinOptions::SoftmaxOptions,
                                     fb::CreateSoftmaxOptions(fbb, 1.0f).Union()));
    std::replace(modelOuts.begin(), modelOuts.end(), in, out);
  }
  std::vector<flatbuffers::Offset<fb::SubGraph>> subgraphs = {
      fb::CreateSubGraphDirect(fbb, &tensors, &ins, &modelOuts, &ops, "main")};
  std::vector<flatbuffers::Offset<fb::OperatorCode>> codes = {
      fb::CreateOperatorCodeDirect(fbb, int8_t(fb::BuiltinOperator::CUSTOM), "ethos-u", 1,
                                   fb::BuiltinOperator::CUSTOM)};
  if (!m.softmax.empty())
    codes.push_back(fb::CreateOperatorCodeDirect(fbb, int8_t(fb::BuiltinOperator::SOFTMAX), nullptr,
                                                 2, fb::BuiltinOperator::SOFTMAX));
  // OfflineMemoryAllocation: version 0, subgraph 0, count, one offset per
  // tensor (-1: planned online).
  std::vector<int32_t> md = {0, 0, int32_t(offsets.size())};
  md.insert(md.end(), offsets.begin(), offsets.end());
  std::vector<uint8_t> mdBytes;
  for (int32_t v : md)
    for (int i = 0; i < 4; ++i) mdBytes.push_back(uint8_t(uint32_t(v) >> (8 * i)));
  const uint32_t mdBuf = addBuffer(mdBytes.data(), mdBytes.size());
  std::vector<flatbuffers::Offset<fb::Metadata>> metadata = {
      fb::CreateMetadataDirect(fbb, "OfflineMemoryAllocation", mdBuf)};
  auto model = fb::CreateModelDirect(fbb, 3, &codes, &subgraphs, m.description.c_str(), &buffers,
                                     nullptr, &metadata);
  fbb.Finish(model, "TFL3");
  return std::string(reinterpret_cast<const char *>(fbb.GetBufferPointer()), fbb.GetSize());
}

} // namespace edgec::ethosu
