#include "quant/CalibrationStats.h"

#include "tensorio/NpyIO.h"

#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace edgec {

namespace {

constexpr const char *kSchema = "edgec.calibration-stats.v1";

std::string hexFloat(double v) {
  char b[64];
  std::snprintf(b, sizeof b, "%a", v);
  return b;
}

Expected<double> readHexFloat(const Json *j, const std::string &what) {
  if (!j || !j->isString()) return Error(ErrorCode::InvalidInput, what + ": expected a hex float string");
  const std::string &s = j->asString();
  char *end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (s.empty() || *end != '\0' || !std::isfinite(v))
    return Error(ErrorCode::InvalidInput, what + ": '" + s + "' is not a finite number");
  return v;
}

Expected<int64_t> readCount(const Json *j, const std::string &what) {
  if (!j || !j->isInt() || j->asInt() < 0)
    return Error(ErrorCode::InvalidInput, what + ": expected a non-negative integer");
  return j->asInt();
}

Json shapeJson(const TensorShape &s) {
  Json a = Json::array();
  for (int64_t d : s) a.push(d);
  return a;
}

Expected<TensorShape> readShape(const Json *j, const std::string &what) {
  if (!j || !j->isArray()) return Error(ErrorCode::InvalidInput, what + ": expected a shape array");
  TensorShape s;
  for (const Json &d : j->elements()) {
    if (!d.isInt() || d.asInt() < 0)
      return Error(ErrorCode::InvalidInput, what + ": bad dimension");
    s.push_back(d.asInt());
  }
  return s;
}

std::string toHex(const std::string &bytes) {
  static const char *digits = "0123456789abcdef";
  std::string h;
  h.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    h += digits[c >> 4];
    h += digits[c & 15];
  }
  return h;
}

Expected<std::string> fromHex(const std::string &h, const std::string &what) {
  auto nibble = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  if (h.size() % 2) return Error(ErrorCode::InvalidInput, what + ": odd-length hex");
  std::string out(h.size() / 2, '\0');
  for (size_t i = 0; i < out.size(); ++i) {
    int a = nibble(h[2 * i]), b = nibble(h[2 * i + 1]);
    if (a < 0 || b < 0) return Error(ErrorCode::InvalidInput, what + ": bad hex digit");
    out[i] = (char)(a * 16 + b);
  }
  return out;
}

Json histogramJson(const RangeHistogram &h) {
  Json j = Json::object();
  j["count"] = h.count();
  j["non_finite"] = h.nonFinite();
  j["pending_zeros"] = h.pendingZeros();
  j["min"] = hexFloat(h.min());
  j["max"] = hexFloat(h.max());
  j["range"] = hexFloat(h.range());
  Json bins = Json::array(); // [index, count] for the non-empty bins
  for (int i = 0; i < RangeHistogram::kBins; ++i) {
    if (!h.bins()[(size_t)i]) continue;
    Json b = Json::array();
    b.push(i);
    b.push(h.bins()[(size_t)i]);
    bins.push(b);
  }
  j["bins"] = bins;
  return j;
}

Expected<RangeHistogram> readHistogram(const Json &j, const std::string &what) {
  if (!j.isObject()) return Error(ErrorCode::InvalidInput, what + ": expected an object");
  EDGEC_ASSIGN_OR_RETURN(int64_t count, readCount(j.find("count"), what + " count"));
  EDGEC_ASSIGN_OR_RETURN(int64_t nonFinite, readCount(j.find("non_finite"), what + " non_finite"));
  EDGEC_ASSIGN_OR_RETURN(int64_t zeros, readCount(j.find("pending_zeros"), what + " pending_zeros"));
  EDGEC_ASSIGN_OR_RETURN(double mn, readHexFloat(j.find("min"), what + " min"));
  EDGEC_ASSIGN_OR_RETURN(double mx, readHexFloat(j.find("max"), what + " max"));
  EDGEC_ASSIGN_OR_RETURN(double range, readHexFloat(j.find("range"), what + " range"));
  const Json *bins = j.find("bins");
  if (!bins || !bins->isArray()) return Error(ErrorCode::InvalidInput, what + ": expected bins");
  std::vector<int64_t> b((size_t)RangeHistogram::kBins, 0);
  int64_t last = -1;
  for (const Json &e : bins->elements()) {
    const Json::Array &p = e.elements();
    if (p.size() != 2 || !p[0].isInt() || !p[1].isInt() || p[0].asInt() <= last ||
        p[0].asInt() >= RangeHistogram::kBins || p[1].asInt() <= 0)
      return Error(ErrorCode::InvalidInput,
                   what + ": bins must be [index, count] pairs, indices increasing below " +
                       std::to_string(RangeHistogram::kBins) + ", counts positive");
    last = p[0].asInt();
    b[(size_t)last] = p[1].asInt();
  }
  return RangeHistogram::fromParts(range, std::move(b), mn, mx, count, nonFinite, zeros, what);
}

} // namespace

SampleShapes sampleShapesOf(const std::vector<CalibSample> &samples) {
  SampleShapes r;
  for (const CalibSample &s : samples) {
    SampleShapes one;
    for (const auto &[name, t] : s.inputs) one[name] = {t.shape(), true};
    mergeSampleShapes(r, one);
  }
  return r;
}

void mergeSampleShapes(SampleShapes &into, const SampleShapes &from) {
  for (const auto &[name, s] : from) {
    auto it = into.find(name);
    if (it == into.end()) {
      into[name] = s;
      continue;
    }
    it->second.agree = it->second.agree && s.agree && it->second.shape == s.shape;
  }
}

std::string modelDigest(const std::string &bytes) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  char b[32];
  std::snprintf(b, sizeof b, "fnv1a64:%016" PRIx64, h);
  return b;
}

std::string inputShapesText(const std::map<std::string, TensorShape> &shapes) {
  std::string r;
  for (const auto &[name, s] : shapes) {
    r += (r.empty() ? "" : ";") + name + "=";
    for (size_t i = 0; i < s.size(); ++i) r += (i ? "," : "") + std::to_string(s[i]);
  }
  return r;
}

Json calibrationStatsToJson(const CalibrationStats &s) {
  Json j = Json::object();
  j["schema"] = kSchema;
  j["model_digest"] = s.modelDigest;
  j["input_shapes"] = s.inputShapes;
  j["samples"] = s.result.samples;
  Json shapes = Json::object();
  for (const auto &[name, sh] : s.sampleShapes) {
    Json e = Json::object();
    e["shape"] = shapeJson(sh.shape);
    e["agree"] = sh.agree;
    shapes[name] = e;
  }
  j["sample_shapes"] = shapes;
  Json probe = Json::object();
  probe["source"] = s.probe.source;
  Json inputs = Json::object();
  for (const auto &[name, t] : s.probe.inputs) inputs[name] = toHex(serializeNpy(t));
  probe["inputs_npy_hex"] = inputs;
  j["probe"] = probe;
  Json tensors = Json::object();
  for (const auto &[name, h] : s.result.tensors) tensors[name] = histogramJson(h);
  j["tensors"] = tensors;
  return j;
}

Expected<CalibrationStats> calibrationStatsFromJson(const Json &j, const std::string &what) {
  auto bad = [&](const std::string &why) { return Error(ErrorCode::InvalidInput, what + ": " + why); };
  const Json *schema = j.find("schema");
  if (!schema || schema->asString() != kSchema)
    return bad(std::string("not a calibration statistics file (schema ") + kSchema + ")");
  CalibrationStats s;
  const Json *digest = j.find("model_digest"), *shapes = j.find("input_shapes");
  if (!digest || !digest->isString() || !shapes || !shapes->isString())
    return bad("model_digest and input_shapes must be strings");
  s.modelDigest = digest->asString();
  s.inputShapes = shapes->asString();
  EDGEC_ASSIGN_OR_RETURN(int64_t n, readCount(j.find("samples"), what + ": samples"));
  if (n < 1 || n > INT32_MAX) return bad("samples must be at least 1");
  s.result.samples = (int)n;
  const Json *ss = j.find("sample_shapes");
  if (!ss || !ss->isObject()) return bad("sample_shapes must be an object");
  for (const auto &[name, e] : ss->members()) {
    const std::string where = what + ": sample_shapes '" + name + "'";
    EDGEC_ASSIGN_OR_RETURN(TensorShape shape, readShape(e.find("shape"), where));
    const Json *agree = e.find("agree");
    if (!agree || !agree->isBool()) return Error(ErrorCode::InvalidInput, where + ": agree must be true or false");
    s.sampleShapes[name] = {shape, agree->asBool()};
  }
  const Json *probe = j.find("probe");
  const Json *inputs = probe ? probe->find("inputs_npy_hex") : nullptr;
  if (!probe || !probe->find("source") || !inputs || !inputs->isObject() || inputs->members().empty())
    return bad("probe must hold the source and the inputs of a sample");
  s.probe.source = probe->find("source")->asString();
  for (const auto &[name, h] : inputs->members()) {
    const std::string where = what + ": probe input '" + name + "'";
    EDGEC_ASSIGN_OR_RETURN(std::string bytes, fromHex(h.asString(), where));
    EDGEC_ASSIGN_OR_RETURN(Tensor t, parseNpy(bytes, where));
    s.probe.inputs[name] = std::move(t);
  }
  const Json *tensors = j.find("tensors");
  if (!tensors || !tensors->isObject()) return bad("tensors must be an object");
  for (const auto &[name, h] : tensors->members()) {
    EDGEC_ASSIGN_OR_RETURN(RangeHistogram hist, readHistogram(h, what + ": tensor '" + name + "'"));
    s.result.tensors[name] = std::move(hist);
  }
  return s;
}

Expected<CalibrationStats> mergeCalibrationStats(const std::vector<CalibrationStats> &shards,
                                                 const std::vector<std::string> &names) {
  if (shards.empty()) return Error(ErrorCode::Usage, "no calibration statistics to merge");
  CalibrationStats m = shards.front();
  for (size_t i = 1; i < shards.size(); ++i) {
    const CalibrationStats &s = shards[i];
    const std::string &name = i < names.size() ? names[i] : "shard " + std::to_string(i);
    const std::string &first = names.empty() ? std::string("the first shard") : names[0];
    if (s.modelDigest != m.modelDigest)
      return Error(ErrorCode::InvalidInput, name + ": statistics of another model (" +
                                                s.modelDigest + ", " + first + " has " +
                                                m.modelDigest + ")");
    if (s.inputShapes != m.inputShapes)
      return Error(ErrorCode::InvalidInput, name + ": collected with --input-shape '" +
                                                s.inputShapes + "', " + first + " with '" +
                                                m.inputShapes + "'");
    bool sameTensors = s.result.tensors.size() == m.result.tensors.size();
    for (const auto &kv : s.result.tensors) sameTensors = sameTensors && m.result.tensors.count(kv.first);
    if (!sameTensors)
      return Error(ErrorCode::InvalidInput,
                   name + ": its tensors differ from " + first +
                       "'s (collected by another edgec version or optimization?)");
    mergeSampleShapes(m.sampleShapes, s.sampleShapes);
    if (s.result.samples > INT32_MAX - m.result.samples)
      return Error(ErrorCode::InvalidInput, name + ": too many samples");
    m.result.samples += s.result.samples;
    for (const auto &[t, h] : s.result.tensors) m.result.tensors[t].merge(h);
  }
  return m;
}

} // namespace edgec
