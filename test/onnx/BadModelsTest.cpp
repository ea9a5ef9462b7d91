// Every model of test/bad-models/ (written by scripts/make_bad_models.py)
// must fail cleanly: the exact ErrorCode of its .expected file and a
// one-line message containing the expected substring. Models marked "run"
// import fine and fail when executed with zero-filled inputs; tensor files
// marked "input" (<case>.npy / <case>.pb) fail as the input of
// input_model.onnx.
#include "ZeroInputs.h"
#include "interp/Interpreter.h"
#include "frontend/ModelLoader.h"
#include "frontend/TensorFile.h"
#include "onnx/OnnxImporter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace edgec {
namespace {

struct BadCase {
  std::string name;
  std::string model;
  int code = 0;
  std::string substring;
  bool atRun = false;
  bool asInput = false;
};

void PrintTo(const BadCase &c, std::ostream *os) { *os << c.name; }

std::string badModelsDir() {
  return std::string(EDGEC_SOURCE_DIR) + "/test/bad-models";
}

std::vector<BadCase> loadCases() {
  std::vector<BadCase> cases;
  std::error_code ec;
  for (const auto &e : fs::directory_iterator(badModelsDir(), ec)) {
    if (e.path().extension() != ".expected") continue;
    BadCase c;
    c.name = e.path().stem().string();
    fs::path flat = e.path().parent_path() / (c.name + ".onnx");
    for (const char *ext : {".tflite", ".npy", ".pb"})
      if (!fs::exists(flat)) flat = e.path().parent_path() / (c.name + ext);
    c.model = fs::exists(flat)
                  ? flat.string()
                  : (e.path().parent_path() / c.name / "model.onnx").string();
    std::ifstream in(e.path());
    std::string code, stage;
    std::getline(in, code);
    std::getline(in, c.substring);
    std::getline(in, stage);
    c.code = std::atoi(code.c_str());
    c.atRun = stage == "run";
    c.asInput = stage == "input";
    cases.push_back(c);
  }
  std::sort(cases.begin(), cases.end(),
            [](const BadCase &a, const BadCase &b) { return a.name < b.name; });
  return cases;
}

TEST(BadModelsFolder, HasTheCases) {
  auto cases = loadCases();
  EXPECT_GE(cases.size(), 40u) << "run scripts/make_bad_models.py";
  for (const auto &c : cases) {
    EXPECT_NE(c.code, 0) << c.name << ".expected: bad exit code line";
    EXPECT_FALSE(c.substring.empty()) << c.name << ".expected: no substring";
    EXPECT_TRUE(fs::exists(c.model) || fs::is_symlink(c.model)) << c.model;
  }
}

class BadModelTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadModelTest, FailsWithExpectedError) {
  const BadCase &c = GetParam();
  if (c.name.find("symlink") != std::string::npos) {
    bool anyLink = false;
    for (const auto &e : fs::directory_iterator(fs::path(c.model).parent_path()))
      anyLink |= fs::is_symlink(e.symlink_status());
    if (!anyLink) GTEST_SKIP() << "symlinks not checked out";
  }
  Error err(ErrorCode::Ok, "");
  if (c.asInput) {
    auto m = loadModelFile(badModelsDir() + "/input_model.onnx");
    ASSERT_TRUE(m.isOk()) << m.error().message();
    auto t = loadInputFiles(**m, {c.model});
    ASSERT_FALSE(t.isOk()) << c.name << ": the tensor file loaded";
    err = t.error();
  } else if (auto m = loadModelFile(c.model); c.atRun) {
    ASSERT_TRUE(m.isOk()) << "expected import to succeed, got: "
                          << m.error().message();
    Interpreter interp(**m);
    auto r = interp.run(edgec::test::zeroInputs(**m));
    ASSERT_FALSE(r.isOk()) << c.name << ": running succeeded";
    err = r.error();
  } else {
    ASSERT_FALSE(m.isOk()) << c.name << ": import succeeded";
    err = m.error();
  }
  EXPECT_EQ((int)err.code(), c.code) << err.message();
  EXPECT_NE(err.message().find(c.substring), std::string::npos)
      << "message: " << err.message() << "\nexpected to contain: "
      << c.substring;
  EXPECT_EQ(err.message().find('\n'), std::string::npos) << err.message();
  EXPECT_LT(err.message().size(), 1000u);
}

INSTANTIATE_TEST_SUITE_P(
    Folder, BadModelTest, ::testing::ValuesIn(loadCases()),
    [](const ::testing::TestParamInfo<BadCase> &i) {
      std::string n = i.param.name;
      for (char &ch : n)
        if (!std::isalnum((unsigned char)ch)) ch = '_';
      return n;
    });

} // namespace
} // namespace edgec
