// Malformed and hostile .tflite files, built with edgec's own schema: each
// gives one clean error line with the ErrorCode of an ONNX model with the
// same defect, and no input crashes the importer (truncations and byte
// corruptions of a valid file are swept exhaustively).
#include "interp/Interpreter.h"
#include "tflite/TfliteImporter.h"
#include "tflite/TfliteTestBuilder.h"
#include "ImportOptions.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace edgec {
namespace {

using namespace tflite;
using namespace tflite::test;
using BO = fb::BuiltinOperator;

/// x [1,4] float -> ADD(x, x) -> y.
TModel addModel() {
  TModel m;
  TSubgraph sg;
  sg.tensors = {{{1, 4}, fb::TensorType::FLOAT32, 0, "x"},
                {{1, 4}, fb::TensorType::FLOAT32, 0, "y"}};
  sg.inputs = {0};
  sg.outputs = {1};
  sg.ops = {{BO::ADD, {0, 0}, {1}}};
  m.subgraphs = {sg};
  return m;
}

/// An int8 conv: x [1,4,4,2] -> CONV_2D(w [3,3,3,2] per channel, b) -> y.
TModel convModel() {
  TModel m;
  std::vector<int8_t> w(3 * 3 * 3 * 2);
  for (size_t i = 0; i < w.size(); ++i)
    w[i] = (int8_t)((int)(i * 37 % 255) - 127);
  uint32_t wb = m.addBuffer(w);
  uint32_t bb = m.addBuffer(std::vector<int32_t>{100, -200, 300});
  TSubgraph sg;
  TTensor x{{1, 4, 4, 2}, fb::TensorType::INT8, 0, "x", {0.5f}, {-3}};
  TTensor wt{{3, 3, 3, 2},
             fb::TensorType::INT8,
             wb,
             "w",
             {0.01f, 0.02f, 0.03f},
             {0, 0, 0},
             0};
  TTensor bt{{3}, fb::TensorType::INT32,   bb,
             "b", {0.005f, 0.01f, 0.015f}, {0, 0, 0},
             0};
  TTensor y{{1, 2, 2, 3}, fb::TensorType::INT8, 0, "y", {0.25f}, {5}};
  sg.tensors = {x, wt, bt, y};
  sg.inputs = {0};
  sg.outputs = {3};
  TOp op{BO::CONV_2D,
         {0, 1, 2},
         {3},
         fb::BuiltinOptions::Conv2DOptions,
         [](flatbuffers::FlatBufferBuilder &b) {
           return fb::CreateConv2DOptions(b, fb::Padding::SAME, 2, 2,
                                          fb::ActivationFunctionType::RELU)
               .Union();
         }};
  sg.ops = {op};
  m.subgraphs = {sg};
  return m;
}

Error importError(const std::vector<uint8_t> &bytes) {
  auto r = importTfliteBytes(bytes.data(), bytes.size(), edgec::test::evaluating());
  if (r.isOk()) return Error(ErrorCode::Ok, "");
  return r.error();
}

void expectError(const TModel &m, ErrorCode code, const std::string &substr) {
  Error e = importError(m.finish());
  EXPECT_EQ(e.code(), code) << e.message();
  EXPECT_NE(e.message().find(substr), std::string::npos)
      << "message: " << e.message() << "\nexpected to contain: " << substr;
  EXPECT_EQ(e.message().find('\n'), std::string::npos);
}

TEST(TfliteMalformed, ValidModelsImport) {
  for (const TModel &m : {addModel(), convModel()}) {
    auto bytes = m.finish();
    auto r = importTfliteBytes(bytes.data(), bytes.size(), edgec::test::evaluating());
    ASSERT_TRUE(r.isOk()) << r.error().message();
  }
}

TEST(TfliteMalformed, NotTflite) {
  std::vector<uint8_t> junk(64, 0x41);
  EXPECT_NE(importError(junk).message().find("TFL3"), std::string::npos);
  EXPECT_EQ(importError({}).code(), ErrorCode::InvalidModel);
  auto e = importTfliteFile("/nonexistent/model.tflite", edgec::test::evaluating());
  ASSERT_FALSE(e.isOk());
  EXPECT_EQ(e.error().code(), ErrorCode::Io);
}

TEST(TfliteMalformed, EveryTruncationIsACleanError) {
  auto bytes = convModel().finish();
  for (size_t n = 0; n < bytes.size(); ++n) {
    std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + (long)n);
    Error e = importError(cut);
    ASSERT_EQ(e.code(), ErrorCode::InvalidModel)
        << "length " << n << ": " << e.message();
  }
}

TEST(TfliteMalformed, CorruptBytesNeverCrash) {
  // Every byte flipped in turn, then every 4-byte word set to a large
  // offset: import either succeeds or fails cleanly; what imports also runs
  // (or fails) cleanly.
  auto bytes = convModel().finish();
  for (size_t i = 0; i < bytes.size(); ++i) {
    for (uint8_t x : {(uint8_t)0xff, (uint8_t)0x80, (uint8_t)0x01}) {
      std::vector<uint8_t> c = bytes;
      c[i] ^= x;
      auto r = importTfliteBytes(c.data(), c.size(), edgec::test::evaluating());
      if (!r.isOk()) {
        EXPECT_NE(r.error().code(), ErrorCode::Internal) << r.error().message();
        continue;
      }
      Interpreter interp(**r);
      std::map<std::string, Tensor> in;
      for (const Value *v : (*r)->graph->inputs) {
        TensorShape s;
        bool ok = v->type.isStatic();
        if (ok) s = v->type.staticShape();
        auto n = checkedNumElements(s);
        if (!ok || !n || *n > (1 << 16) || v->type.dtype == DataType::Undefined)
          continue;
        in[v->name] = Tensor(v->type.dtype, s);
      }
      (void)interp.run(in);
    }
  }
  for (size_t i = 0; i + 4 <= bytes.size(); i += 4) {
    std::vector<uint8_t> c = bytes;
    uint32_t big = 0x7ffffff0u;
    std::memcpy(&c[i], &big, 4);
    (void)importError(c);
  }
}

TEST(TfliteMalformed, TensorIndexOutOfRange) {
  TModel m = addModel();
  m.subgraphs[0].ops[0].inputs = {0, 99};
  expectError(
      m, ErrorCode::InvalidModel,
      "subgraph 0 operator 0 (ADD): input tensor index 99 out of range");
  m = addModel();
  m.subgraphs[0].ops[0].outputs = {7};
  expectError(m, ErrorCode::InvalidModel, "output tensor index 7 out of range");
  m = addModel();
  m.subgraphs[0].inputs = {-1};
  expectError(m, ErrorCode::InvalidModel, "input tensor index -1 out of range");
  m = addModel();
  m.subgraphs[0].ops[0].inputs = {0, -1};
  // -1 is an omitted optional input: ADD needs both.
  expectError(m, ErrorCode::InvalidModel, "input 1 is missing");
}

TEST(TfliteMalformed, TensorIsItsOwnInput) {
  TModel m = addModel();
  m.subgraphs[0].ops[0].inputs = {0, 1};
  m.subgraphs[0].ops[0].outputs = {1};
  expectError(m, ErrorCode::InvalidModel,
              "tensor 1 is both an input and an output");
}

TEST(TfliteMalformed, TensorWrittenTwiceOrReadBeforeWritten) {
  TModel m = addModel();
  m.subgraphs[0].ops.push_back({BO::ADD, {0, 0}, {1}});
  expectError(m, ErrorCode::InvalidModel, "is already written by operator 0");
  m = addModel();
  m.subgraphs[0].tensors.push_back({{1, 4}, fb::TensorType::FLOAT32, 0, "z"});
  m.subgraphs[0].ops[0].inputs = {0, 2};
  expectError(m, ErrorCode::InvalidModel,
              "is read before any operator writes it");
}

TEST(TfliteMalformed, CyclicSubgraphReferences) {
  TModel m = addModel();
  TSubgraph body = m.subgraphs[0];
  auto ifOp = [](int32_t then, int32_t els) {
    return TOp{BO::IF,
               {2, 0},
               {1},
               fb::BuiltinOptions::IfOptions,
               [then, els](flatbuffers::FlatBufferBuilder &b) {
                 return fb::CreateIfOptions(b, then, els).Union();
               }};
  };
  m.subgraphs[0].tensors.push_back({{}, fb::TensorType::BOOL, 0, "c"});
  m.subgraphs[0].inputs = {0, 2};
  m.subgraphs[0].ops = {ifOp(1, 1)};
  body.tensors.push_back({{}, fb::TensorType::BOOL, 0, "c"});
  body.inputs = {0, 2};
  body.ops = {ifOp(0, 1)};
  m.subgraphs.push_back(body);
  expectError(m, ErrorCode::InvalidModel,
              "subgraph reference cycle: 0 -> 1 -> 0");
  m.subgraphs[1].ops = {ifOp(1, 1)};
  expectError(m, ErrorCode::InvalidModel, "subgraph reference cycle: 1 -> 1");
  m.subgraphs[1].ops = {ifOp(5, 1)};
  expectError(m, ErrorCode::InvalidModel, "subgraph index 5 out of range");
}

TEST(TfliteMalformed, BadQuantization) {
  TModel m = convModel();
  m.subgraphs[0].tensors[0].scale = {0.0f};
  expectError(m, ErrorCode::InvalidModel,
              "tensor 0 'x': quantization scale 0 is 0");
  m = convModel();
  m.subgraphs[0].tensors[3].scale = {-1.0f};
  expectError(m, ErrorCode::InvalidModel, "must be positive and finite");
  m = convModel();
  m.subgraphs[0].tensors[3].scale = {std::numeric_limits<float>::infinity()};
  expectError(m, ErrorCode::InvalidModel, "must be positive and finite");
  m = convModel();
  m.subgraphs[0].tensors[1].zeroPoint = {0, 0};
  expectError(m, ErrorCode::InvalidModel, "3 scales but 2 zero points");
  m = convModel();
  m.subgraphs[0].tensors[1].quantizedDimension = 3;
  expectError(m, ErrorCode::InvalidModel,
              "3 per-axis scales for dimension 3 of size 2");
  m = convModel();
  m.subgraphs[0].tensors[1].quantizedDimension = 9;
  expectError(m, ErrorCode::InvalidModel, "quantized_dimension 9 out of range");
  m = convModel();
  m.subgraphs[0].tensors[0].zeroPoint = {200};
  expectError(m, ErrorCode::InvalidModel,
              "zero point 200 is outside the INT8 range");
}

TEST(TfliteMalformed, BadShapesAndBuffers) {
  TModel m = convModel();
  m.subgraphs[0].tensors[0].shape = {1, -4, 4, 2};
  expectError(m, ErrorCode::InvalidModel, "negative dimension -4");
  m = convModel();
  m.subgraphs[0].tensors[3].shape = {1 << 30, 1 << 30, 1 << 30, 3};
  expectError(m, ErrorCode::InvalidModel, "has too many elements");
  m = convModel();
  m.subgraphs[0].tensors[1].shape = {3, 3, 3, 3};
  m.subgraphs[0].tensors[1].scale = {0.01f, 0.02f, 0.03f};
  expectError(m, ErrorCode::InvalidModel, "holds 54 bytes");
  m = convModel();
  m.subgraphs[0].tensors[1].buffer = 42;
  expectError(m, ErrorCode::InvalidModel, "buffer index 42 out of range");
  m = convModel();
  m.subgraphs[0].tensors[0].type = fb::TensorType::STRING;
  expectError(m, ErrorCode::Unsupported,
              "element type STRING is not supported");
}

TEST(TfliteMalformed, BadOperatorFields) {
  TModel m = convModel();
  m.subgraphs[0].ops[0].options = [](flatbuffers::FlatBufferBuilder &b) {
    return fb::CreateConv2DOptions(b, fb::Padding::SAME, 0, 2).Union();
  };
  expectError(m, ErrorCode::InvalidModel, "strides must be positive");
  m = convModel();
  m.subgraphs[0].ops[0].optionsType = fb::BuiltinOptions::SoftmaxOptions;
  m.subgraphs[0].ops[0].options = [](flatbuffers::FlatBufferBuilder &b) {
    return fb::CreateSoftmaxOptions(b, 1.0f).Union();
  };
  expectError(m, ErrorCode::InvalidModel,
              "has builtin options SoftmaxOptions, expected Conv2DOptions");
  m = addModel();
  m.version = 2;
  expectError(m, ErrorCode::Unsupported, "schema version 2");
  m = addModel();
  m.subgraphs.clear();
  expectError(m, ErrorCode::InvalidModel, "model has no subgraphs");
}

TEST(TfliteMalformed, UnsupportedOpsAreListedTogether) {
  TModel m = addModel();
  m.subgraphs[0].tensors.push_back({{1, 4}, fb::TensorType::FLOAT32, 0, "z"});
  m.subgraphs[0].tensors.push_back({{1, 4}, fb::TensorType::FLOAT32, 0, "w"});
  m.subgraphs[0].ops.push_back(
      {BO::CUSTOM, {1}, {2}, fb::BuiltinOptions::NONE, {}, "MyOp"});
  m.subgraphs[0].ops.push_back({BO::SVDF, {2}, {3}});
  m.subgraphs[0].outputs = {3};
  expectError(m, ErrorCode::Unsupported,
              "2 unsupported TFLite operators: CUSTOM(MyOp) (1 operator, first "
              "subgraph 0 operator 1); SVDF (1 operator, first subgraph 0 "
              "operator 2)");
}

// The malformed .tflite files checked in under test/bad-models/ (run by
// BadModelsTest and the CLI test like the ONNX ones) are these models;
// EDGEC_UPDATE_BAD_MODELS=1 rewrites them.
struct BadFile {
  std::string name;
  std::vector<uint8_t> bytes;
  int code;
  std::string substring;
};

std::vector<BadFile> badFiles() {
  std::vector<BadFile> r;
  auto conv = convModel().finish();
  r.push_back(
      {"tflite_truncated",
       std::vector<uint8_t>(conv.begin(), conv.begin() + (long)conv.size() / 2),
       4, "flatbuffer verification failed"});
  TModel m = addModel();
  m.subgraphs[0].ops[0].inputs = {0, 99};
  r.push_back(
      {"tflite_index_out_of_range", m.finish(), 4,
       "subgraph 0 operator 0 (ADD): input tensor index 99 out of range"});
  m = addModel();
  m.subgraphs[0].ops[0].inputs = {0, 1};
  r.push_back({"tflite_own_input", m.finish(), 4,
               "tensor 1 is both an input and an output"});
  m = addModel();
  TSubgraph body = m.subgraphs[0];
  TOp ifOp{BO::IF,
           {2, 0},
           {1},
           fb::BuiltinOptions::IfOptions,
           [](flatbuffers::FlatBufferBuilder &b) {
             return fb::CreateIfOptions(b, 1, 1).Union();
           }};
  m.subgraphs[0].tensors.push_back({{}, fb::TensorType::BOOL, 0, "c"});
  m.subgraphs[0].inputs = {0, 2};
  m.subgraphs[0].ops = {ifOp};
  body.tensors.push_back({{}, fb::TensorType::BOOL, 0, "c"});
  body.inputs = {0, 2};
  body.ops = {ifOp};
  m.subgraphs.push_back(body);
  r.push_back({"tflite_cyclic_subgraphs", m.finish(), 4,
               "subgraph reference cycle: 1 -> 1"});
  m = convModel();
  m.subgraphs[0].tensors[3].scale = {0.0f};
  r.push_back({"tflite_zero_scale", m.finish(), 4,
               "tensor 3 'y': quantization scale 0 is 0"});
  m = convModel();
  m.subgraphs[0].tensors[1].shape = {3, 3, 3, 3};
  r.push_back({"tflite_buffer_size", m.finish(), 4, "holds 54 bytes"});
  m = addModel();
  m.subgraphs[0].tensors.push_back({{1, 4}, fb::TensorType::FLOAT32, 0, "z"});
  m.subgraphs[0].ops.push_back({BO::SVDF, {1}, {2}});
  m.subgraphs[0].outputs = {2};
  r.push_back({"tflite_unsupported_op", m.finish(), 5,
               "1 unsupported TFLite operator: SVDF"});
  return r;
}

TEST(TfliteBadModelFiles, CheckedInFilesAreCurrent) {
  const std::string dir = std::string(EDGEC_SOURCE_DIR) + "/test/bad-models/";
  const char *update = std::getenv("EDGEC_UPDATE_BAD_MODELS");
  for (const BadFile &f : badFiles()) {
    SCOPED_TRACE(f.name);
    Error e = importError(f.bytes);
    EXPECT_EQ((int)e.code(), f.code) << e.message();
    EXPECT_NE(e.message().find(f.substring), std::string::npos) << e.message();
    const std::string path = dir + f.name + ".tflite";
    if (update && *update) {
      std::ofstream(path, std::ios::binary)
          .write((const char *)f.bytes.data(), (std::streamsize)f.bytes.size());
      std::ofstream(dir + f.name + ".expected") << f.code << "\n"
                                                << f.substring << "\n";
      continue;
    }
    std::ifstream in(path, std::ios::binary);
    std::vector<uint8_t> have((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(have, f.bytes)
        << path << " is stale: rerun with EDGEC_UPDATE_BAD_MODELS=1";
  }
}

} // namespace
} // namespace edgec
