#include "tensorio/NpyIO.h"

#include "support/FileIO.h"

#include <cstring>

namespace edgec {

namespace {

const char *npyDescr(DataType t) {
  switch (t) {
  case DataType::Float32: return "<f4";
  case DataType::Float16: return "<f2";
  case DataType::Float64: return "<f8";
  case DataType::Int8: return "|i1";
  case DataType::UInt8: return "|u1";
  case DataType::Int16: return "<i2";
  case DataType::UInt16: return "<u2";
  case DataType::Int32: return "<i4";
  case DataType::UInt32: return "<u4";
  case DataType::Int64: return "<i8";
  case DataType::UInt64: return "<u8";
  case DataType::Bool: return "|b1";
  default: return nullptr;
  }
}

std::optional<DataType> fromNpyDescr(std::string d) {
  if (d.size() == 3 && (d[0] == '<' || d[0] == '|' || d[0] == '='))
    d = d.substr(1);
  static const struct { const char *d; DataType t; } table[] = {
      {"f4", DataType::Float32}, {"f2", DataType::Float16},
      {"f8", DataType::Float64}, {"i1", DataType::Int8},
      {"u1", DataType::UInt8},   {"i2", DataType::Int16},
      {"u2", DataType::UInt16},  {"i4", DataType::Int32},
      {"u4", DataType::UInt32},  {"i8", DataType::Int64},
      {"u8", DataType::UInt64},  {"b1", DataType::Bool}};
  for (const auto &e : table)
    if (d == e.d) return e.t;
  return std::nullopt;
}

/// Value of `'key': <value>` in the header dict (up to ',' or '}' at depth 0).
std::optional<std::string> headerField(const std::string &h,
                                       const std::string &key) {
  auto p = h.find("'" + key + "'");
  if (p == std::string::npos) return std::nullopt;
  p = h.find(':', p);
  if (p == std::string::npos) return std::nullopt;
  ++p;
  while (p < h.size() && h[p] == ' ') ++p;
  int depth = 0;
  size_t e = p;
  for (; e < h.size(); ++e) {
    char c = h[e];
    if (c == '(') ++depth;
    else if (c == ')') --depth;
    else if ((c == ',' || c == '}') && depth == 0) break;
  }
  return h.substr(p, e - p);
}

} // namespace

Expected<Tensor> parseNpy(const std::string &b, const std::string &what) {
  auto bad = [&](const std::string &m) {
    return Error(ErrorCode::InvalidInput, what + ": " + m);
  };
  if (b.size() < 10 || b.compare(0, 6, "\x93NUMPY") != 0)
    return bad("not a .npy file (bad magic)");
  int major = (unsigned char)b[6];
  size_t hlen, hstart;
  if (major == 1) {
    hlen = (unsigned char)b[8] | (size_t)(unsigned char)b[9] << 8;
    hstart = 10;
  } else if (major == 2 || major == 3) {
    if (b.size() < 12) return bad("truncated header");
    hlen = 0;
    for (int i = 0; i < 4; ++i) hlen |= (size_t)(unsigned char)b[8 + i] << (8 * i);
    hstart = 12;
  } else {
    return bad("unsupported .npy version " + std::to_string(major));
  }
  if (hstart + hlen > b.size()) return bad("truncated header");
  std::string h = b.substr(hstart, hlen);
  auto descr = headerField(h, "descr");
  auto fortran = headerField(h, "fortran_order");
  auto shapeStr = headerField(h, "shape");
  if (!descr || !fortran || !shapeStr) return bad("malformed header");
  std::string d = *descr;
  if (d.size() >= 2 && (d.front() == '\'' || d.front() == '"'))
    d = d.substr(1, d.size() - 2);
  auto dt = fromNpyDescr(d);
  if (!dt) return bad("unsupported dtype '" + d + "'");
  if (fortran->find("True") != std::string::npos)
    return bad("fortran_order arrays are not supported");
  TensorShape shape;
  std::string s = *shapeStr;
  size_t i = 0;
  while (i < s.size()) {
    if (isdigit((unsigned char)s[i])) {
      size_t j = i;
      while (j < s.size() && isdigit((unsigned char)s[j])) ++j;
      if (j - i > 15) return bad("dimension too large");
      shape.push_back(std::stoll(s.substr(i, j - i)));
      i = j;
    } else {
      ++i;
    }
  }
  // The data must be in the file: check its size before allocating, so
  // that a small file cannot declare a shape of gigabytes.
  auto numel = checkedNumElements(shape);
  if (!numel.isOk()) return bad(numel.error().message());
  uint64_t need = (uint64_t)*numel * dataTypeSize(*dt);
  size_t dataStart = hstart + hlen;
  if (b.size() - dataStart != need)
    return bad("data has " + std::to_string(b.size() - dataStart) +
               " bytes but shape " + shapeToString(shape) + " needs " +
               std::to_string(need));
  auto t = Tensor::create(*dt, shape);
  if (!t.isOk()) return bad(t.error().message());
  if (need) std::memcpy(t->raw(), b.data() + dataStart, need);
  return t;
}

Expected<Tensor> readNpy(const std::string &path) {
  EDGEC_ASSIGN_OR_RETURN(std::string b, readFileBytes(path));
  return parseNpy(b, path);
}

std::string serializeNpy(const Tensor &t) {
  const char *descr = npyDescr(t.dtype());
  std::string d = descr ? descr : "<u2"; // bfloat16 stored as raw uint16
  std::string shape = "(";
  for (size_t i = 0; i < t.rank(); ++i) {
    shape += std::to_string(t.dim(i));
    shape += (t.rank() == 1 || i + 1 < t.rank()) ? "," : "";
    if (i + 1 < t.rank()) shape += " ";
  }
  shape += ")";
  std::string h = "{'descr': '" + d + "', 'fortran_order': False, 'shape': " +
                  shape + ", }";
  size_t total = 10 + h.size() + 1;
  size_t pad = (64 - total % 64) % 64;
  h += std::string(pad, ' ') + "\n";
  std::string out = "\x93NUMPY";
  out += (char)1;
  out += (char)0;
  out += (char)(h.size() & 0xFF);
  out += (char)(h.size() >> 8);
  out += h;
  out.append(static_cast<const char *>(t.raw()), t.byteSize());
  return out;
}

Status writeNpy(const std::string &path, const Tensor &t) {
  return writeFileBytes(path, serializeNpy(t));
}

} // namespace edgec
