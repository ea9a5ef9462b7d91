#include "TensorDump.h"

#include "support/FileIO.h"
#include "tensorio/NpyIO.h"

#include <cctype>
#include <cstdio>
#include <filesystem>

namespace fs = std::filesystem;

namespace edgec::tool {

std::string safeFileName(const std::string &name, size_t index, std::set<std::string> &used) {
  std::string r;
  for (char c : name)
    r += (std::isalnum((unsigned char)c) || c == '_' || c == '-' || c == '.') ? c : '_';
  if (r.empty() || r[0] == '.') r = "output_" + std::to_string(index) + r;
  if (r.size() > 100) r = r.substr(0, 100);
  std::string base = r;
  for (int k = 1; used.count(r); ++k) r = base + "_" + std::to_string(k);
  used.insert(r);
  return r;
}

Status makeDirectory(const std::string &dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Error(ErrorCode::Io, dir + ": cannot create output directory");
  return Status::ok();
}

Expected<TensorDump> TensorDump::create(std::string dir) {
  EDGEC_TRY(makeDirectory(dir));
  return TensorDump(std::move(dir));
}

void TensorDump::add(const Value &v, const Tensor &t) {
  if (!status_.isOk()) return;
  const size_t index = count_++;
  char prefix[24];
  std::snprintf(prefix, sizeof prefix, "%04zu_", index);
  const std::string file = prefix + safeFileName(v.name, index, used_) + ".npy";
  if (Status s = writeNpy(dir_ + "/" + file, t); !s.isOk()) {
    status_ = s;
    return;
  }
  Json e = Json::object();
  e["index"] = (int64_t)index;
  e["name"] = v.name;
  e["file"] = file;
  e["dtype"] = std::string(dataTypeName(t.dtype()));
  Json shape = Json::array();
  for (int64_t d : t.shape()) shape.push(d);
  e["shape"] = shape;
  const Node *p = v.producer();
  e["producer"] = p ? Json(p->name) : Json();
  e["op"] = p ? Json(p->opType) : Json();
  if (v.quant) {
    Json sc = Json::array(), zp = Json::array();
    for (float f : v.quant->scale) sc.push((double)f);
    for (int64_t z : v.quant->zeroPoint) zp.push(z);
    e["scale"] = sc;
    e["zero_point"] = zp;
    e["axis"] = (int64_t)v.quant->axis;
  }
  entries_.push(std::move(e));
}

Status TensorDump::finish(const std::string &model) {
  EDGEC_TRY(status_);
  Json m = Json::object();
  m["model"] = fs::path(model).filename().string();
  m["tensors"] = entries_;
  return writeFileBytes(dir_ + "/manifest.json", m.dump() + "\n");
}

} // namespace edgec::tool
