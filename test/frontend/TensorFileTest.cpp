#include "frontend/TensorFile.h"

#include "onnx/TensorProto.h"
#include "support/FileIO.h"
#include "tensorio/NpyIO.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <unistd.h>

using namespace edgec;
namespace fs = std::filesystem;

namespace {

class TensorFileTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("edgec-tensorfile-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string &name) const { return (dir_ / name).string(); }
  fs::path dir_;
};

Model oneInputModel(TensorType t) {
  Model m;
  Value *x = m.graph->addInput("x", t);
  m.graph->addInitializer("w", Tensor::scalar<float>(1));
  m.graph->outputs = {x};
  return m;
}

} // namespace

TEST_F(TensorFileTest, ReadsNpyAndTensorProtoByContent) {
  Tensor t = Tensor::fromVector<float>({2, 2}, {1, 2, 3, 4});
  // Whatever the file names, the content decides the format.
  ASSERT_TRUE(writeNpy(path("a.bin"), t).isOk());
  ASSERT_TRUE(writeTensorProtoFile(path("b.bin"), t, "x").isOk());
  for (const char *f : {"a.bin", "b.bin"}) {
    auto r = readTensorFile(path(f));
    ASSERT_TRUE(r.isOk()) << f << ": " << r.error().message();
    EXPECT_EQ(r->shape(), (TensorShape{2, 2})) << f;
    EXPECT_EQ(r->toDoubleVector(), (std::vector<double>{1, 2, 3, 4})) << f;
  }
}

TEST_F(TensorFileTest, NpyNamedFileWithoutMagicIsAnNpyError) {
  ASSERT_TRUE(writeFileBytes(path("bad.npy"), "not numpy").isOk());
  auto r = readTensorFile(path("bad.npy"));
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.error().message().find("bad.npy"), std::string::npos);
  EXPECT_FALSE(readTensorFile(path("missing.pb")).isOk());
}

TEST_F(TensorFileTest, TensorFileNames) {
  EXPECT_TRUE(isTensorFileName("x/input_0.pb"));
  EXPECT_TRUE(isTensorFileName("a.npy"));
  EXPECT_FALSE(isTensorFileName("a.npy.txt"));
  EXPECT_FALSE(isTensorFileName("pb"));
}

TEST_F(TensorFileTest, LoadInputFilesChecksCountTypeAndShape) {
  Model m = oneInputModel(TensorType(DataType::Float32, TensorShape{2, 2}));
  ASSERT_TRUE(writeNpy(path("x.npy"), Tensor::fromVector<float>({2, 2}, {1, 2, 3, 4})).isOk());
  ASSERT_TRUE(writeNpy(path("y.npy"), Tensor::fromVector<float>({4}, {1, 2, 3, 4})).isOk());
  auto ok = loadInputFiles(m, {path("x.npy")});
  ASSERT_TRUE(ok.isOk()) << ok.error().message();
  EXPECT_EQ(ok->size(), 1u); // the initializer is not an input to feed
  auto count = loadInputFiles(m, {path("x.npy"), path("x.npy")});
  ASSERT_FALSE(count.isOk());
  EXPECT_EQ(count.error().code(), ErrorCode::Usage);
  auto shape = loadInputFiles(m, {path("y.npy")});
  ASSERT_FALSE(shape.isOk());
  EXPECT_EQ(shape.error().code(), ErrorCode::InvalidInput);
}
