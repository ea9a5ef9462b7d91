// Importer unit tests: ONNX text syntax, attributes, inputs, shape
// overrides, subgraphs, initializer storage forms and external data.
#include "onnx/ExternalData.h"
#include "onnx/OnnxImporter.h"
#include "onnx/TensorProto.h"
#include "ImportOptions.h"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace edgec {
namespace {

std::string header(const std::string &extraOpsets = "") {
  return "<ir_version: 8, opset_import: [\"\" : 17" + extraOpsets + "]>\n";
}

Expected<std::unique_ptr<Model>> text(const std::string &graph,
                                      const ImportOptions &o = {},
                                      const std::string &extra = "") {
  return importOnnxText(header(extra) + graph, test::evaluating(o));
}

const Node *findNode(const Graph &g, const std::string &opType) {
  for (const auto &n : g.nodes())
    if (n->opType == opType) return n.get();
  return nullptr;
}

TEST(Importer, AttributesOfAllKinds) {
  auto m = text(R"(g (float[2] x) => (float[2] y) {
    y = test.Foo <i = 3, f = 0.5, s = "abc", ints = [1, -2, 3],
                  floats = [1.5, 2.5], strs = ["a", "bc"],
                  t = float[2] {1.0, 2.0}> (x)
  })",
                {}, ", \"test\" : 2");
  ASSERT_TRUE(m.isOk()) << m.error().message();
  const Node *n = findNode(*(*m)->graph, "Foo");
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->domain, "test");
  EXPECT_EQ(n->opsetVersion, 2);
  ASSERT_TRUE(n->attr("i") && n->attr("f") && n->attr("s") && n->attr("ints") &&
              n->attr("floats") && n->attr("strs") && n->attr("t"));
  EXPECT_EQ(n->attr("i")->kind, Attribute::Kind::Int);
  EXPECT_EQ(n->attr("i")->i, 3);
  EXPECT_EQ(n->attr("f")->kind, Attribute::Kind::Float);
  EXPECT_FLOAT_EQ(n->attr("f")->f, 0.5f);
  EXPECT_EQ(n->attr("s")->s, "abc");
  EXPECT_EQ(n->attr("ints")->ints, (std::vector<int64_t>{1, -2, 3}));
  EXPECT_EQ(n->attr("floats")->floats, (std::vector<float>{1.5f, 2.5f}));
  EXPECT_EQ(n->attr("strs")->strings, (std::vector<std::string>{"a", "bc"}));
  ASSERT_EQ(n->attr("t")->kind, Attribute::Kind::Tensor);
  EXPECT_EQ(n->attr("t")->t.toDoubleVector(), (std::vector<double>{1, 2}));
}

TEST(Importer, OpsetIsRecordedPerNode) {
  auto m = text("g (float[2] x) => (float[2] y) { y = Relu(x) }");
  ASSERT_TRUE(m.isOk()) << m.error().message();
  EXPECT_EQ((*m)->defaultOpset(), 17);
  EXPECT_EQ(findNode(*(*m)->graph, "Relu")->opsetVersion, 17);
}

TEST(Importer, OptionalInputsAreNull) {
  auto m = text(R"(g (float[3] x, float m) => (float[3] y) {
    y = Clip(x, , m)
  })");
  ASSERT_TRUE(m.isOk()) << m.error().message();
  const Node *n = findNode(*(*m)->graph, "Clip");
  ASSERT_EQ(n->inputs.size(), 3u);
  EXPECT_NE(n->inputs[0], nullptr);
  EXPECT_EQ(n->inputs[1], nullptr);
  EXPECT_EQ(n->inputs[2]->name, "m");
}

TEST(Importer, InitializerAlsoListedAsInput) {
  auto m = text(R"(g (float[2] x, float[2] w = {3.0, 4.0}) => (float[2] y) {
    y = Add(x, w)
  })");
  ASSERT_TRUE(m.isOk()) << m.error().message();
  const Graph &g = *(*m)->graph;
  ASSERT_EQ(g.inputs.size(), 2u);
  const Value *w = g.findValue("w");
  ASSERT_NE(w, nullptr);
  EXPECT_TRUE(w->isGraphInput());
  EXPECT_TRUE(w->isInitializer());
  EXPECT_EQ(w->constant->toDoubleVector(), (std::vector<double>{3, 4}));
}

TEST(Importer, SymbolicAndUnknownDims) {
  auto m = text(R"(g (float[N, ?, 3] x) => (float[N, ?, 3] y) {
    y = Relu(x)
  })");
  ASSERT_TRUE(m.isOk()) << m.error().message();
  const Value *x = (*m)->graph->inputs[0];
  ASSERT_EQ(x->type.rank(), 3u);
  EXPECT_EQ(x->type.dims[0].symbol, "N");
  EXPECT_FALSE(x->type.dims[1].isStatic());
  EXPECT_TRUE(x->type.dims[1].symbol.empty());
  EXPECT_EQ(x->type.dims[2].value, 3);
}

TEST(Importer, InputShapeOverride) {
  ImportOptions o;
  ASSERT_TRUE(parseInputShapeOverride("x=2,5,3", o.inputShapes).isOk());
  auto m = text(R"(g (float[N, M, 3] x) => (float[N, M, 3] y) {
    y = Relu(x)
  })",
                o);
  ASSERT_TRUE(m.isOk()) << m.error().message();
  EXPECT_EQ((*m)->graph->inputs[0]->type.str(), "f32[2,5,3]");
  // Inferred through to the output.
  EXPECT_EQ((*m)->graph->outputs[0]->type.str(), "f32[2,5,3]");
}

TEST(Importer, InputShapeOverrideErrors) {
  const char *g = "g (float[N, 3] x) => (float[N, 3] y) { y = Relu(x) }";
  auto with = [&](const std::string &spec) {
    ImportOptions o;
    EXPECT_TRUE(parseInputShapeOverride(spec, o.inputShapes).isOk()) << spec;
    return text(g, o);
  };
  auto rank = with("x=1,2,3");
  ASSERT_FALSE(rank.isOk());
  EXPECT_EQ(rank.error().code(), ErrorCode::Usage);
  EXPECT_NE(rank.error().message().find("has rank 3"), std::string::npos);
  auto conflict = with("x=4,4");
  ASSERT_FALSE(conflict.isOk());
  EXPECT_EQ(conflict.error().code(), ErrorCode::Usage);
  EXPECT_NE(conflict.error().message().find("conflicts"), std::string::npos);
  auto unknown = with("nope=1");
  ASSERT_FALSE(unknown.isOk());
  EXPECT_EQ(unknown.error().code(), ErrorCode::Usage);
  EXPECT_NE(unknown.error().message().find("'nope'"), std::string::npos);
}

TEST(Importer, ParseInputShapeOverrideSyntax) {
  std::map<std::string, TensorShape> s;
  ASSERT_TRUE(parseInputShapeOverride("in:0=1,3,224,224", s).isOk());
  EXPECT_EQ(s["in:0"], (TensorShape{1, 3, 224, 224}));
  ASSERT_TRUE(parseInputShapeOverride("scalar=", s).isOk());
  EXPECT_EQ(s["scalar"], TensorShape{});
  for (const char *bad : {"x", "=1,2", "x=1,,2", "x=1,", "x=a", "x=-1",
                          "x=1234567890123", "x=999999999999,999999999999"}) {
    std::map<std::string, TensorShape> t;
    Status st = parseInputShapeOverride(bad, t);
    ASSERT_FALSE(st.isOk()) << bad;
    EXPECT_EQ(st.error().code(), ErrorCode::Usage) << bad;
  }
  EXPECT_FALSE(parseInputShapeOverride("in:0=1", s).isOk()) << "given twice";
}

TEST(Importer, SubgraphCapturesOuterScope) {
  auto m = text(R"(g (bool c, float[2] x) => (float[2] y) {
    y = If (c) <then_branch = t () => (float[2] a) { a = Neg(x) },
                else_branch = e () => (float[2] b) { b = Identity(x) }>
  })");
  ASSERT_TRUE(m.isOk()) << m.error().message();
  const Graph &g = *(*m)->graph;
  const Node *n = findNode(g, "If");
  ASSERT_NE(n, nullptr);
  auto subs = n->subgraphs();
  ASSERT_EQ(subs.size(), 2u);
  const Graph *then = n->attr("then_branch")->g.get();
  EXPECT_EQ(then->parent, &g);
  const Node *neg = findNode(*then, "Neg");
  ASSERT_NE(neg, nullptr);
  EXPECT_EQ(neg->inputs[0], g.findValue("x")) << "captured outer value";
  EXPECT_EQ(then->outputs[0]->producer(), neg);
}

TEST(Importer, SubgraphDepthLimit) {
  std::string body = "y = Identity(x)";
  for (int i = 0; i < 4; ++i)
    body = "y = If (c) <then_branch = t" + std::to_string(i) +
           " () => (float[2] y) { " + body + " }, else_branch = e" +
           std::to_string(i) + " () => (float[2] y) { y = Identity(x) }>";
  std::string g = "g (bool c, float[2] x) => (float[2] y) { " + body + " }";
  ImportOptions o;
  EXPECT_TRUE(text(g, o).isOk());
  o.maxSubgraphDepth = 3;
  auto m = text(g, o);
  ASSERT_FALSE(m.isOk());
  EXPECT_EQ(m.error().code(), ErrorCode::InvalidModel);
  EXPECT_NE(m.error().message().find("nested deeper than 3"),
            std::string::npos)
      << m.error().message();
}

TEST(Importer, TextErrorsAreCleanErrors) {
  for (const char *bad :
       {"g (float[2] x) => (float[2] y) { y = Relu(x }",
        "g (float[2] x) => (float[2] y) { y = LeakyRelu <alpha_int = "
        "999999999999999999999999> (x) }",
        "g (float[2] x) => (float[2] y) { y = Foo <a = -> (x) }",
        "g (float[2] x) => (float[2] y) { y = Foo <a = \"unterminated> (x) }",
        "g (float[2] x) => (float[2] y) { y = Relu(z) }",
        "g (float[2] x) => (float[2] y) { }", ""}) {
    auto m = text(bad);
    ASSERT_FALSE(m.isOk()) << bad;
    EXPECT_EQ(m.error().code(), ErrorCode::InvalidModel) << bad;
    EXPECT_EQ(m.error().message().find('\n'), std::string::npos);
  }
}

TEST(Importer, UnknownDomainMustBeImported) {
  auto m = text("g (float[2] x) => (float[2] y) { y = other.Foo(x) }");
  ASSERT_FALSE(m.isOk());
  EXPECT_NE(m.error().message().find("opset_import"), std::string::npos);
}

// --- Initializer storage forms -----------------------------------------

onnx::TensorProto proto(int type, std::vector<int64_t> dims) {
  onnx::TensorProto p;
  p.set_name("t");
  p.set_data_type(type);
  for (int64_t d : dims) p.add_dims(d);
  return p;
}

TEST(TensorProto, TypedFields) {
  auto p = proto(onnx::TensorProto::INT64, {3});
  for (int64_t v : {int64_t(-1), int64_t(0), int64_t(1) << 40})
    p.add_int64_data(v);
  auto t = tensorFromProto(p, "", "t");
  ASSERT_TRUE(t.isOk()) << t.error().message();
  EXPECT_EQ(t->toInt64Vector(), (std::vector<int64_t>{-1, 0, 1LL << 40}));

  p = proto(onnx::TensorProto::DOUBLE, {2});
  p.add_double_data(0.25);
  p.add_double_data(-3);
  t = tensorFromProto(p, "", "t");
  ASSERT_TRUE(t.isOk());
  EXPECT_EQ(t->dtype(), DataType::Float64);
  EXPECT_EQ(t->toDoubleVector(), (std::vector<double>{0.25, -3}));

  p = proto(onnx::TensorProto::INT8, {2});
  p.add_int32_data(-128);
  p.add_int32_data(127);
  t = tensorFromProto(p, "", "t");
  ASSERT_TRUE(t.isOk());
  EXPECT_EQ(t->toInt64Vector(), (std::vector<int64_t>{-128, 127}));

  p = proto(onnx::TensorProto::BOOL, {3});
  for (int v : {0, 1, 5}) p.add_int32_data(v);
  t = tensorFromProto(p, "", "t");
  ASSERT_TRUE(t.isOk());
  EXPECT_EQ(t->toInt64Vector(), (std::vector<int64_t>{0, 1, 1}));

  p = proto(onnx::TensorProto::UINT32, {1});
  p.add_uint64_data(4000000000u);
  t = tensorFromProto(p, "", "t");
  ASSERT_TRUE(t.isOk());
  EXPECT_EQ(t->toInt64Vector(), (std::vector<int64_t>{4000000000LL}));

  p = proto(onnx::TensorProto::FLOAT, {2, 2});
  for (float v : {1.f, 2.f, 3.f}) p.add_float_data(v);
  t = tensorFromProto(p, "", "initializer 'w'");
  ASSERT_FALSE(t.isOk());
  EXPECT_EQ(t.error().message(),
            "initializer 'w': float_data has 3 values but f32[2,2] needs 4");
}

TEST(TensorProto, Float16BothForms) {
  // 1.0, -2.0, 0.5 in IEEE half.
  const uint16_t bits[] = {0x3C00, 0xC000, 0x3800};
  auto p = proto(onnx::TensorProto::FLOAT16, {3});
  for (uint16_t b : bits) p.add_int32_data(b);
  auto t = tensorFromProto(p, "", "t");
  ASSERT_TRUE(t.isOk()) << t.error().message();
  EXPECT_EQ(t->toDoubleVector(), (std::vector<double>{1, -2, 0.5}));

  p = proto(onnx::TensorProto::FLOAT16, {3});
  p.set_raw_data(std::string(reinterpret_cast<const char *>(bits), 6));
  t = tensorFromProto(p, "", "t");
  ASSERT_TRUE(t.isOk());
  EXPECT_EQ(t->toDoubleVector(), (std::vector<double>{1, -2, 0.5}));

  p = proto(onnx::TensorProto::BFLOAT16, {1});
  p.add_int32_data(0x3FC0); // 1.5
  t = tensorFromProto(p, "", "t");
  ASSERT_TRUE(t.isOk());
  EXPECT_EQ(t->toDoubleVector(), (std::vector<double>{1.5}));
}

TEST(TensorProto, SubByteTypesArePackedLowNibbleFirst) {
  auto p = proto(22 /* INT4 */, {3});
  p.set_raw_data(std::string("\x87\x0f", 2)); // 7, -8, -1
  auto t = tensorFromProto(p, "", "t");
  ASSERT_TRUE(t.isOk()) << t.error().message();
  EXPECT_EQ(t->dtype(), DataType::Int4);
  const auto *b = static_cast<const int8_t *>(t->raw());
  EXPECT_EQ(b[0], 7);
  EXPECT_EQ(b[1], -8);
  EXPECT_EQ(b[2], -1);
  onnx::TensorProto back;
  tensorToProto(*t, back);
  EXPECT_EQ(back.raw_data(), std::string("\x87\x0f", 2));

  p = proto(25 /* UINT2 */, {5});
  p.set_raw_data(std::string("\xe4\x03", 2)); // 0, 1, 2, 3, 3
  t = tensorFromProto(p, "", "t");
  ASSERT_TRUE(t.isOk()) << t.error().message();
  const auto *u = static_cast<const uint8_t *>(t->raw());
  EXPECT_EQ(std::vector<int>(u, u + 5), (std::vector<int>{0, 1, 2, 3, 3}));

  p = proto(22, {3});
  p.set_raw_data(std::string("\x87", 1));
  t = tensorFromProto(p, "", "t");
  ASSERT_FALSE(t.isOk());
  EXPECT_NE(t.error().message().find("raw_data has 1 bytes but i4[3] needs 2"),
            std::string::npos)
      << t.error().message();
}

TEST(TensorProto, ErrorsNameTheTensor) {
  auto p = proto(onnx::TensorProto::FLOAT, {1LL << 31, 1LL << 31});
  auto t = tensorFromProto(p, "", "initializer 'big'");
  ASSERT_FALSE(t.isOk());
  EXPECT_EQ(t.error().code(), ErrorCode::InvalidModel);
  EXPECT_EQ(t.error().message().rfind("initializer 'big': ", 0), 0u);

  p = proto(onnx::TensorProto::STRING, {1});
  t = tensorFromProto(p, "", "initializer 's'");
  ASSERT_FALSE(t.isOk());
  EXPECT_EQ(t.error().code(), ErrorCode::Unsupported);

  p = proto(0, {1});
  t = tensorFromProto(p, "", "initializer 'u'");
  ASSERT_FALSE(t.isOk());
  EXPECT_EQ(t.error().code(), ErrorCode::InvalidModel);
}

// --- External data --------------------------------------------------------

class ExternalDataTest : public ::testing::Test {
protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("edgec-extdata-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "model");
    std::vector<float> v{1, 2, 3, 4, 5, 6};
    std::string bytes(8, 'x'); // 8 bytes of padding before the data
    bytes.append(reinterpret_cast<const char *>(v.data()), 24);
    write(root_ / "model" / "w.bin", bytes);
    write(root_ / "outside.bin", bytes);
  }
  void TearDown() override { fs::remove_all(root_); }

  static void write(const fs::path &p, const std::string &bytes) {
    std::ofstream(p, std::ios::binary) << bytes;
  }

  /// Writes model/model.onnx: Relu of an external initializer; imports it.
  Expected<std::unique_ptr<Model>>
  importWith(const std::string &location, const std::string &offset = "8",
             const std::string &length = "24") {
    onnx::ModelProto mp;
    mp.set_ir_version(8);
    auto *os = mp.add_opset_import();
    os->set_domain("");
    os->set_version(17);
    auto *g = mp.mutable_graph();
    g->set_name("g");
    auto *t = g->add_initializer();
    t->set_name("W");
    t->set_data_type(onnx::TensorProto::FLOAT);
    t->add_dims(2);
    t->add_dims(3);
    t->set_data_location(onnx::TensorProto::EXTERNAL);
    auto kv = [&](const char *k, const std::string &v) {
      if (v.empty()) return;
      auto *e = t->add_external_data();
      e->set_key(k);
      e->set_value(v);
    };
    kv("location", location);
    kv("offset", offset);
    kv("length", length);
    auto *n = g->add_node();
    n->set_op_type("Relu");
    n->add_input("W");
    n->add_output("y");
    g->add_output()->set_name("y");
    std::string bytes;
    mp.SerializeToString(&bytes);
    write(root_ / "model" / "model.onnx", bytes);
    return importOnnxFile((root_ / "model" / "model.onnx").string(), test::evaluating());
  }

  void expectRejected(const std::string &location, const std::string &what) {
    auto m = importWith(location);
    ASSERT_FALSE(m.isOk()) << location;
    EXPECT_EQ(m.error().code(), ErrorCode::InvalidModel);
    EXPECT_NE(m.error().message().find(what), std::string::npos)
        << m.error().message();
  }

  fs::path root_;
};

TEST_F(ExternalDataTest, LoadsInsideTheModelDirectory) {
  auto m = importWith("w.bin");
  ASSERT_TRUE(m.isOk()) << m.error().message();
  const Value *w = (*m)->graph->findValue("W");
  EXPECT_EQ(w->constant->toDoubleVector(),
            (std::vector<double>{1, 2, 3, 4, 5, 6}));
  // Subdirectories and symlinks that stay inside are fine.
  fs::create_directories(root_ / "model" / "sub");
  fs::copy_file(root_ / "model" / "w.bin", root_ / "model" / "sub" / "w.bin");
  fs::create_symlink("w.bin", root_ / "model" / "link.bin");
  EXPECT_TRUE(importWith("sub/w.bin").isOk());
  EXPECT_TRUE(importWith("./link.bin").isOk());
  EXPECT_TRUE(importWith("sub/w.bin", "8", "").isOk()) << "no length";
}

TEST_F(ExternalDataTest, RejectsEscapes) {
  expectRejected("../outside.bin", "escapes the model directory ('..')");
  expectRejected("sub/../../outside.bin", "('..')");
  expectRejected((root_ / "outside.bin").string(), "is an absolute path");
  fs::create_symlink("../outside.bin", root_ / "model" / "link.bin");
  expectRejected("link.bin", "escapes the model directory (symlink)");
  fs::create_symlink(root_, root_ / "model" / "up");
  expectRejected("up/outside.bin", "escapes the model directory (symlink)");
  fs::create_directories(root_ / "model" / "dir");
  expectRejected("dir", "does not name a regular file");
  expectRejected("w.bin\\..\\x", "backslash");
}

TEST_F(ExternalDataTest, RejectsBadRanges) {
  auto m = importWith("w.bin", "100");
  ASSERT_FALSE(m.isOk());
  EXPECT_NE(m.error().message().find("offset 100 is outside file"),
            std::string::npos);
  m = importWith("w.bin", "16");
  ASSERT_FALSE(m.isOk());
  EXPECT_NE(m.error().message().find("exceeds file"), std::string::npos);
  m = importWith("w.bin", "8", "20");
  ASSERT_FALSE(m.isOk());
  EXPECT_NE(m.error().message().find("length 20 does not match"),
            std::string::npos);
  for (const char *bad : {"-1", "1e3", "12abc", "99999999999999999999"}) {
    m = importWith("w.bin", bad);
    ASSERT_FALSE(m.isOk()) << bad;
    EXPECT_NE(m.error().message().find("bad external data offset"),
              std::string::npos)
        << m.error().message();
  }
}

TEST_F(ExternalDataTest, NotAllowedWithoutModelDirectory) {
  auto r = resolveExternalDataPath("", "w.bin", "initializer 'W'");
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.error().message().find("no model directory"), std::string::npos);
}

TEST_F(ExternalDataTest, SpecialFilesAreNotModels) {
  auto m = importOnnxFile((root_ / "model").string(), test::evaluating());
  ASSERT_FALSE(m.isOk());
  EXPECT_EQ(m.error().code(), ErrorCode::Io);
  m = importOnnxFile("/dev/zero", test::evaluating());
  ASSERT_FALSE(m.isOk());
  EXPECT_EQ(m.error().code(), ErrorCode::Io);
  m = importOnnxFile((root_ / "missing.onnx").string(), test::evaluating());
  ASSERT_FALSE(m.isOk());
  EXPECT_EQ(m.error().code(), ErrorCode::Io);
}

} // namespace
} // namespace edgec
