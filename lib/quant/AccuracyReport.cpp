#include "quant/AccuracyReport.h"

#include "interp/Interpreter.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace edgec {

namespace {

/// Float view of a value's tensor: dequantized when integer with params.
Tensor realValues(const Value &v, const Tensor &t) {
  if (t.dtype() == DataType::Float32) return t;
  Tensor f(DataType::Float32, t.shape());
  float *d = f.data<float>();
  if (!v.quant || v.quant->scale.empty()) {
    for (int64_t i = 0; i < t.numElements(); ++i) d[i] = (float)t.getDouble(i);
    return f;
  }
  const QuantParams &q = *v.quant;
  int64_t inner = 1, dim = 1;
  if (q.perAxis() && (size_t)q.axis < t.rank()) {
    dim = t.dim((size_t)q.axis);
    for (size_t a = (size_t)q.axis + 1; a < t.rank(); ++a) inner *= t.dim(a);
  }
  for (int64_t i = 0; i < t.numElements(); ++i) {
    size_t c = q.perAxis() ? (size_t)((i / inner) % dim) : 0;
    if (c >= q.scale.size()) c = 0;
    d[i] = q.scale[c] * (float)(t.getInt64(i) - q.zeroPoint[c]);
  }
  return f;
}

int64_t argmaxRow(const Tensor &t, int64_t row, int64_t cols) {
  int64_t best = 0;
  for (int64_t c = 1; c < cols; ++c)
    if (t.getDouble(row * cols + c) > t.getDouble(row * cols + best)) best = c;
  return best;
}

bool isClassifierLike(const Tensor &t) {
  return t.rank() == 2 && t.dim(1) > 1;
}

double rounded(double v, double step = 1e-4) { return std::round(v / step) * step; }

} // namespace

void ErrorStats::add(const Tensor &reference, const Tensor &test) {
  const int64_t n = std::min(reference.numElements(), test.numElements());
  double dot = 0, rr = 0, tt = 0;
  for (int64_t i = 0; i < n; ++i) {
    const double f = reference.getDouble(i), q = test.getDouble(i);
    if (!std::isfinite(f) || !std::isfinite(q)) continue;
    signal += f * f;
    noise += (f - q) * (f - q);
    dot += f * q;
    rr += f * f;
    tt += q * q;
    maxAbs = std::max(maxAbs, std::fabs(f - q));
  }
  cosineSum += rr == 0 && tt == 0 ? 1.0 : rr == 0 || tt == 0 ? 0.0 : dot / std::sqrt(rr * tt);
  ++samples;
  elements += n;
}

double ErrorStats::snrDb() const {
  if (noise == 0) return 999;
  if (signal == 0) return -999;
  return std::min(999.0, 10 * std::log10(signal / noise));
}

Expected<std::map<std::string, int64_t>> loadLabels(const std::string &path) {
  std::ifstream in(path);
  if (!in) return Error(ErrorCode::Io, path + ": cannot read the labels file");
  std::map<std::string, int64_t> out;
  std::string line;
  int lineNo = 0;
  while (std::getline(in, line)) {
    ++lineNo;
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ss(line);
    std::string name;
    int64_t label;
    if (!(ss >> name >> label) || label < 0)
      return Error(ErrorCode::InvalidInput,
                   path + ":" + std::to_string(lineNo) +
                       ": expected 'NAME LABEL' with a class index >= 0");
    out[name] = label;
  }
  return out;
}

std::string sampleKey(const CalibSample &s) {
  return std::filesystem::path(s.source).stem().string();
}

Expected<AccuracyReport>
compareModels(const Model &floatModel, const Model &quantModel,
              const std::vector<CalibSample> &samples,
              const std::map<std::string, int64_t> *labels) {
  AccuracyReport r;
  // Layers: quantized nodes of the integer model whose name is a node of
  // the float model.
  std::map<std::string, const Node *> floatNodes;
  for (const auto &n : floatModel.graph->nodes()) floatNodes[n->name] = n.get();
  struct Pair {
    const Node *q, *f;
  };
  std::vector<Pair> pairs;
  std::map<std::string, size_t> layerByValue; // quantized value -> layer
  for (const auto &n : quantModel.graph->nodes()) {
    const Value *y = n->outputs.empty() ? nullptr : n->outputs[0];
    if (!y || !y->quant || y->type.dtype == DataType::Float32) continue;
    if (n->opType == "QuantizeLinear") continue;
    auto it = floatNodes.find(n->name);
    if (it == floatNodes.end() || !it->second->outputs[0]) continue;
    LayerAccuracy l;
    l.node = n->name;
    l.op = n->opType;
    l.value = y->name;
    l.type = y->type.dtype;
    l.scale = y->quant->scale.empty() ? 0 : y->quant->scale[0];
    l.zeroPoint = y->quant->zeroPoint.empty() ? 0 : y->quant->zeroPoint[0];
    layerByValue[y->name] = r.layers.size();
    r.layers.push_back(l);
    pairs.push_back({n.get(), it->second});
  }
  r.outputs.resize(quantModel.graph->outputs.size());
  for (size_t i = 0; i < r.outputs.size(); ++i)
    r.outputs[i].name = quantModel.graph->outputs[i]->name;
  std::vector<int64_t> agree(r.outputs.size(), 0), rows(r.outputs.size(), 0);
  int64_t floatCorrect = 0, quantCorrect = 0;

  for (const CalibSample &s : samples) {
    std::map<const Value *, Tensor> fv, qv;
    std::set<const Value *> wantF, wantQ;
    for (const Pair &p : pairs) {
      wantF.insert(p.f->outputs[0]);
      wantQ.insert(p.q->outputs[0]);
    }
    InterpreterOptions fo;
    fo.observer = [&](const Value &v, const Tensor &t) {
      if (wantF.count(&v)) fv[&v] = t;
    };
    InterpreterOptions qo;
    qo.observer = [&](const Value &v, const Tensor &t) {
      if (wantQ.count(&v)) qv[&v] = t;
    };
    Interpreter fi(floatModel, fo), qi(quantModel, qo);
    EDGEC_ASSIGN_OR_RETURN(std::vector<Tensor> fout, fi.run(s.inputs));
    EDGEC_ASSIGN_OR_RETURN(std::vector<Tensor> qout, qi.run(s.inputs));
    for (size_t i = 0; i < pairs.size(); ++i) {
      auto a = fv.find(pairs[i].f->outputs[0]);
      auto b = qv.find(pairs[i].q->outputs[0]);
      if (a == fv.end() || b == qv.end()) continue;
      if (a->second.numElements() != b->second.numElements()) continue;
      r.layers[i].error.add(realValues(*pairs[i].f->outputs[0], a->second),
                            realValues(*pairs[i].q->outputs[0], b->second));
    }
    for (size_t o = 0; o < r.outputs.size() && o < fout.size() && o < qout.size();
         ++o) {
      const Tensor f = realValues(*floatModel.graph->outputs[o], fout[o]);
      const Tensor q = realValues(*quantModel.graph->outputs[o], qout[o]);
      r.outputs[o].error.add(f, q);
      if (isClassifierLike(f) && f.shape() == q.shape()) {
        for (int64_t row = 0; row < f.dim(0); ++row) {
          const int64_t af = argmaxRow(f, row, f.dim(1));
          const int64_t aq = argmaxRow(q, row, q.dim(1));
          agree[o] += af == aq;
          ++rows[o];
          if (o == 0 && labels && f.dim(0) == 1) {
            auto it = labels->find(sampleKey(s));
            if (it != labels->end()) {
              ++r.labelled;
              floatCorrect += af == it->second;
              quantCorrect += aq == it->second;
            }
          }
        }
      }
    }
    ++r.samples;
  }
  for (size_t o = 0; o < r.outputs.size(); ++o)
    if (rows[o]) r.outputs[o].top1Agreement = (double)agree[o] / (double)rows[o];
  if (r.labelled) {
    r.floatAccuracy = (double)floatCorrect / r.labelled;
    r.quantAccuracy = (double)quantCorrect / r.labelled;
  }
  // SNR lost per layer: against the worst of its quantized inputs.
  for (size_t i = 0; i < pairs.size(); ++i) {
    double inSnr = 999;
    for (const Value *in : pairs[i].q->inputs) {
      if (!in) continue;
      auto it = layerByValue.find(in->name);
      if (it != layerByValue.end())
        inSnr = std::min(inSnr, r.layers[it->second].error.snrDb());
    }
    r.layers[i].snrDropDb = std::max(0.0, inSnr - r.layers[i].error.snrDb());
    if (inSnr == 999) r.layers[i].snrDropDb = 999 - r.layers[i].error.snrDb();
    if (r.layers[i].snrDropDb > 900) r.layers[i].snrDropDb = -1; // first layer
  }
  return r;
}

std::string formatReport(const AccuracyReport &r, int worst, bool layers) {
  std::ostringstream os;
  char buf[512];
  if (layers) {
  os << "per-layer accuracy (" << r.samples << " samples, float vs quantized):\n";
  std::snprintf(buf, sizeof buf, "  %-4s %-40s %-18s %-5s %12s %5s %9s %9s %9s\n",
                "#", "node", "op", "type", "scale", "zp", "SNR dB", "cosine",
                "max err");
  os << buf;
  for (size_t i = 0; i < r.layers.size(); ++i) {
    const LayerAccuracy &l = r.layers[i];
    std::string name = l.node.size() > 40 ? "..." + l.node.substr(l.node.size() - 37) : l.node;
    std::snprintf(buf, sizeof buf,
                  "  %-4zu %-40s %-18s %-5s %12.6g %5lld %9.2f %9.5f %9.4g\n", i,
                  name.c_str(), l.op.c_str(), std::string(dataTypeName(l.type)).c_str(), (double)l.scale,
                  (long long)l.zeroPoint, l.error.snrDb(), l.error.cosine(),
                  l.error.maxAbs);
    os << buf;
  }
  }
  os << "outputs:\n";
  for (const OutputAccuracy &o : r.outputs) {
    std::snprintf(buf, sizeof buf,
                  "  %-30s SNR %7.2f dB  cosine %.5f  max abs error %.5g", o.name.c_str(),
                  o.error.snrDb(), o.error.cosine(), o.error.maxAbs);
    os << buf;
    if (o.top1Agreement)
      os << "  top-1 agreement " << std::to_string(*o.top1Agreement * 100).substr(0, 5) << "%";
    os << "\n";
  }
  if (r.floatAccuracy) {
    std::snprintf(buf, sizeof buf,
                  "accuracy on %d labelled samples: float %.2f%%, quantized %.2f%% (%+.2f points)\n",
                  r.labelled, *r.floatAccuracy * 100, *r.quantAccuracy * 100,
                  (*r.quantAccuracy - *r.floatAccuracy) * 100);
    os << buf;
  }
  std::vector<size_t> idx;
  for (size_t i = 0; i < r.layers.size(); ++i)
    if (r.layers[i].snrDropDb >= 0) idx.push_back(i);
  std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) {
    return r.layers[a].snrDropDb > r.layers[b].snrDropDb;
  });
  if (!idx.empty()) {
    os << "layers losing the most (SNR drop from their inputs):\n";
    for (size_t k = 0; k < idx.size() && (int)k < worst; ++k) {
      const LayerAccuracy &l = r.layers[idx[k]];
      std::snprintf(buf, sizeof buf, "  %-40s %-18s -%.2f dB (now %.2f dB)\n",
                    l.node.c_str(), l.op.c_str(), l.snrDropDb, l.error.snrDb());
      os << buf;
    }
  }
  return os.str();
}

Json reportJson(const AccuracyReport &r) {
  auto err = [](const ErrorStats &e) {
    Json j = Json::object();
    j["snr_db"] = rounded(e.snrDb());
    j["cosine"] = rounded(e.cosine(), 1e-6);
    j["max_abs_error"] = rounded(e.maxAbs, 1e-7);
    j["elements"] = e.elements;
    return j;
  };
  Json j = Json::object();
  j["samples"] = r.samples;
  Json layers = Json::array();
  for (const LayerAccuracy &l : r.layers) {
    Json e = err(l.error);
    e["node"] = l.node;
    e["op"] = l.op;
    e["value"] = l.value;
    e["type"] = std::string(dataTypeName(l.type));
    e["scale"] = (double)l.scale;
    e["zero_point"] = l.zeroPoint;
    e["snr_drop_db"] = l.snrDropDb < 0 ? Json(nullptr) : Json(rounded(l.snrDropDb));
    layers.push(e);
  }
  j["layers"] = layers;
  Json outs = Json::array();
  for (const OutputAccuracy &o : r.outputs) {
    Json e = err(o.error);
    e["name"] = o.name;
    e["top1_agreement"] = o.top1Agreement ? Json(rounded(*o.top1Agreement, 1e-6)) : Json(nullptr);
    outs.push(e);
  }
  j["outputs"] = outs;
  if (r.floatAccuracy) {
    Json a = Json::object();
    a["labelled_samples"] = r.labelled;
    a["float_top1"] = rounded(*r.floatAccuracy, 1e-6);
    a["quantized_top1"] = rounded(*r.quantAccuracy, 1e-6);
    j["accuracy"] = a;
  }
  return j;
}

} // namespace edgec
