// ONNX backend-test case folders: model.onnx + test_data_set_*/{input,output}_N.pb.
#pragma once

#include "ir/Graph.h"

#include <string>
#include <vector>

namespace edgec {

struct TestDataSet {
  std::string dir;
  std::vector<Tensor> inputs;
  std::vector<Tensor> outputs;
};

/// Loads every test_data_set_* folder of a case (sorted by name).
Expected<std::vector<TestDataSet>> loadTestDataSets(const std::string &caseDir);

struct CompareOptions {
  double rtol = 1e-3;
  double atol = 1e-7;
};

/// Compares actual with expected: same dtype and shape; floats within
/// atol + rtol*|expected| (NaN equals NaN, infinities must match); integers
/// and bools exactly. Returns an empty string on match, else the reason.
std::string compareTensors(const Tensor &actual, const Tensor &expected,
                           const CompareOptions &o = {});

} // namespace edgec
