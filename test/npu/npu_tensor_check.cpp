// edgec-npu-tensor-check VELA.tflite TFLM_DIR: runs the `ethos-u` operator
// of a Vela-compiled model through the functional model on TFLM_DIR's
// input.npy and compares, after each NPU operation, the feature map it
// completed with the tensors TensorFlow Lite Micro computed (TFLM_DIR's
// manifest.json and .npy files). Matching is honest: consecutive operations
// that write one feature map in depth slices or row stripes are joined; the
// joined map is compared with the next tensor (in manifest order) of the
// same shape and zero point, and a differing byte is a failure. Prints one
// line per comparison and "compared N tensors, M mismatched"; exit 1 when any
// differs or the final output is wrong, 2 on errors.
#include "interp/EthosU.h"
#include "npu/EthosUNode.h"
#include "npu/Invoke.h"
#include "support/FileIO.h"
#include "support/Json.h"
#include "tensorio/NpyIO.h"
#include "tflite/TfliteImporter.h"

#include <cstdio>
#include <iostream>

using namespace edgec;

namespace {

struct Candidate {
  size_t order;
  std::string name, file;
  std::vector<int64_t> dims; ///< without the 1s
  int64_t zeroPoint;
};

std::vector<int64_t> squeeze(const std::vector<int64_t> &d) {
  std::vector<int64_t> r;
  for (int64_t v : d)
    if (v != 1) r.push_back(v);
  return r;
}

int fail(const std::string &m) {
  std::cerr << "error: " << m << "\n";
  return 2;
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 3) return fail("usage: edgec-npu-tensor-check VELA.tflite TFLM_DIR");
  const std::string dir = argv[2];
  ImportOptions io;
  auto model = importTfliteFile(argv[1], io);
  if (!model) return fail(model.error().message());
  const Node *npuNode = nullptr;
  for (const auto &n : (*model)->graph->nodes())
    if (n->domain == npu::kEthosUDomain) npuNode = n.get();
  if (!npuNode) return fail("no ethos-u operator");
  auto manifestText = readFileBytes(dir + "/manifest.json");
  if (!manifestText) return fail(manifestText.error().message());
  auto manifest = Json::parse(*manifestText);
  if (!manifest) return fail(manifest.error().message());
  std::vector<Candidate> cands;
  if (const Json *ts = manifest->find("tensors"))
    for (const Json &t : ts->elements()) {
      if (t.find("dtype")->asString() != "int8" || t.find("producer_op")->isNull()) continue;
      Candidate c;
      c.order = cands.size();
      c.name = t.find("name")->asString();
      c.file = t.find("file")->asString();
      std::vector<int64_t> dims;
      for (const Json &d : t.find("shape")->elements()) dims.push_back(d.asInt());
      c.dims = squeeze(dims);
      c.zeroPoint = t.find("zero_point")->asInt();
      cands.push_back(c);
    }
  auto input = readNpy(dir + "/input.npy");
  if (!input) return fail(input.error().message());

  auto request = ethosURequest(*npuNode, {&*input});
  if (!request) return fail(request.error().message());
  npu::InvokeRequest req = *request;

  size_t next = 0; // candidates before it are used or skipped
  int compared = 0, mismatched = 0;
  bool haveGroup = false;
  npu::FeatureMap group;
  req.afterOperation = [&](const npu::Operation &op, const npu::FunctionalModel &m) {
    if (!op.isBlock()) return;
    const npu::FeatureMap &f = op.ofm;
    auto same = [&](const npu::FeatureMap &g) {
      return g.region == f.region && g.elemBytes == f.elemBytes && g.brick16 == f.brick16 &&
             g.zeroPoint == f.zeroPoint && g.strideX == f.strideX && g.strideY == f.strideY &&
             g.strideC == f.strideC;
    };
    if (haveGroup && same(group) && f.height == group.height && f.width == group.width &&
        npu::elementOffset(group, 0, 0, group.depth) == f.base[0])
      group.depth += f.depth; // the next depth slice
    else if (haveGroup && same(group) && f.width == group.width && f.depth == group.depth &&
             npu::elementOffset(group, group.height, 0, 0) == f.base[0])
      group.height += f.height; // the next row stripe
    else
      group = f;
    haveGroup = true;
    if (group.elemBytes != 1) return;
    const std::vector<int64_t> dims = squeeze({group.height, group.width, group.depth});
    for (size_t k = next; k < cands.size(); ++k) {
      // Vela runs some ops (average pooling) with zero points forced to 0.
      if (cands[k].dims != dims || (cands[k].zeroPoint != group.zeroPoint && group.zeroPoint != 0))
        continue;
      auto want = readNpy(dir + "/" + cands[k].file);
      auto got = npu::readFeatureMap(group, m.regions()[size_t(group.region)], false, "OFM");
      if (!want || !got) return;
      const int8_t *w = want->data<int8_t>();
      size_t diff = 0;
      for (size_t i = 0; i < got->size(); ++i)
        diff += int8_t((*got)[i]) != w[i];
      ++compared;
      if (diff) ++mismatched;
      std::printf("op %zu %s -> %s: %s (%zu of %zu bytes differ)\n", op.index,
                  npu::operationName(op).c_str(), cands[k].file.c_str(),
                  diff ? "MISMATCH" : "match", diff, got->size());
      next = k + 1;
      haveGroup = false;
      return;
    }
  };
  auto r = npu::invokePayload(req);
  if (!r) return fail(r.error().message());
  std::printf("compared %d tensors, %d mismatched\n", compared, mismatched);
  return mismatched ? 1 : 0;
}
