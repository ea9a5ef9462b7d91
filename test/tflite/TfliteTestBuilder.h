// Builds small .tflite flatbuffers for tests with edgec's own schema
// (lib/tflite/schema.fbs): tensors, buffers, operators and subgraphs
// described as plain structs, serialized with the generated builder.
#pragma once

#include "tflite/schema_generated.h"

#include <cstring>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace edgec::tflite::test {

struct TTensor {
  TTensor() = default;
  TTensor(std::vector<int32_t> s, fb::TensorType t = fb::TensorType::FLOAT32,
          uint32_t b = 0, std::string n = {}, std::vector<float> sc = {},
          std::vector<int64_t> zp = {}, int32_t qd = 0,
          std::vector<int32_t> sig = {})
      : shape(std::move(s)), type(t), buffer(b), name(std::move(n)),
        scale(std::move(sc)), zeroPoint(std::move(zp)), quantizedDimension(qd),
        shapeSignature(std::move(sig)) {}
  std::vector<int32_t> shape;
  fb::TensorType type = fb::TensorType::FLOAT32;
  uint32_t buffer = 0; ///< 0: no data
  std::string name;
  std::vector<float> scale;
  std::vector<int64_t> zeroPoint;
  int32_t quantizedDimension = 0;
  std::vector<int32_t> shapeSignature;
};

using OptionsFn =
    std::function<flatbuffers::Offset<void>(flatbuffers::FlatBufferBuilder &)>;

struct TOp {
  TOp() = default;
  TOp(fb::BuiltinOperator c, std::vector<int32_t> in, std::vector<int32_t> out,
      fb::BuiltinOptions ot = fb::BuiltinOptions::NONE, OptionsFn o = {},
      std::string cc = {})
      : code(c), inputs(std::move(in)), outputs(std::move(out)), optionsType(ot),
        options(std::move(o)), customCode(std::move(cc)) {}
  fb::BuiltinOperator code = fb::BuiltinOperator::ADD;
  std::vector<int32_t> inputs, outputs;
  fb::BuiltinOptions optionsType = fb::BuiltinOptions::NONE;
  OptionsFn options;
  std::string customCode;
};

struct TSubgraph {
  std::vector<TTensor> tensors;
  std::vector<int32_t> inputs, outputs;
  std::vector<TOp> ops;
  std::string name;
};

struct TModel {
  std::vector<TSubgraph> subgraphs;
  /// buffers[0] is the conventional empty buffer.
  std::vector<std::vector<uint8_t>> buffers{{}};
  uint32_t version = 3;
  /// Model metadata: name -> buffer index.
  std::vector<std::pair<std::string, uint32_t>> metadata;

  /// Adds a buffer holding `v`'s bytes; returns its index.
  template <typename T> uint32_t addBuffer(const std::vector<T> &v) {
    std::vector<uint8_t> b(v.size() * sizeof(T));
    if (!b.empty()) std::memcpy(b.data(), v.data(), b.size());
    buffers.push_back(std::move(b));
    return (uint32_t)buffers.size() - 1;
  }

  std::vector<uint8_t> finish() const {
    flatbuffers::FlatBufferBuilder fbb;
    // Operator codes: one per distinct (code, custom code).
    std::map<std::pair<int, std::string>, uint32_t> codeIndex;
    std::vector<std::pair<int, std::string>> codes;
    for (const auto &sg : subgraphs)
      for (const auto &op : sg.ops) {
        auto key = std::make_pair((int)op.code, op.customCode);
        if (!codeIndex.count(key)) {
          codeIndex[key] = (uint32_t)codes.size();
          codes.push_back(key);
        }
      }
    std::vector<flatbuffers::Offset<fb::OperatorCode>> ocs;
    for (const auto &[c, custom] : codes)
      ocs.push_back(
          fb::CreateOperatorCode(fbb, (int8_t)std::min(c, 127),
                                 custom.empty() ? 0 : fbb.CreateString(custom),
                                 1, (fb::BuiltinOperator)c));
    std::vector<flatbuffers::Offset<fb::SubGraph>> sgs;
    for (const auto &sg : subgraphs) {
      std::vector<flatbuffers::Offset<fb::Tensor>> ts;
      for (const auto &t : sg.tensors) {
        flatbuffers::Offset<fb::QuantizationParameters> q = 0;
        if (!t.scale.empty() || !t.zeroPoint.empty())
          q = fb::CreateQuantizationParameters(
              fbb, 0, 0, fbb.CreateVector(t.scale),
              fbb.CreateVector(t.zeroPoint), fb::QuantizationDetails::NONE, 0,
              t.quantizedDimension);
        ts.push_back(fb::CreateTensor(
            fbb, fbb.CreateVector(t.shape), t.type, t.buffer,
            fbb.CreateString(t.name), q, false, 0,
            t.shapeSignature.empty() ? 0 : fbb.CreateVector(t.shapeSignature)));
      }
      std::vector<flatbuffers::Offset<fb::Operator>> ops;
      for (const auto &op : sg.ops) {
        flatbuffers::Offset<void> o = op.options ? op.options(fbb) : 0;
        ops.push_back(fb::CreateOperator(
            fbb, codeIndex.at({(int)op.code, op.customCode}),
            fbb.CreateVector(op.inputs), fbb.CreateVector(op.outputs),
            op.options ? op.optionsType : fb::BuiltinOptions::NONE, o));
      }
      sgs.push_back(fb::CreateSubGraph(
          fbb, fbb.CreateVector(ts), fbb.CreateVector(sg.inputs),
          fbb.CreateVector(sg.outputs), fbb.CreateVector(ops),
          fbb.CreateString(sg.name)));
    }
    std::vector<flatbuffers::Offset<fb::Buffer>> bufs;
    for (const auto &b : buffers)
      bufs.push_back(
          fb::CreateBuffer(fbb, b.empty() ? 0 : fbb.CreateVector(b)));
    std::vector<flatbuffers::Offset<fb::Metadata>> mds;
    for (const auto &[name, buffer] : metadata)
      mds.push_back(fb::CreateMetadata(fbb, fbb.CreateString(name), buffer));
    auto model = fb::CreateModel(
        fbb, version, fbb.CreateVector(ocs), fbb.CreateVector(sgs),
        fbb.CreateString("edgec test"), fbb.CreateVector(bufs), 0,
        mds.empty() ? 0 : fbb.CreateVector(mds));
    fb::FinishModelBuffer(fbb, model);
    return std::vector<uint8_t>(fbb.GetBufferPointer(),
                                fbb.GetBufferPointer() + fbb.GetSize());
  }
};

} // namespace edgec::tflite::test
