// Output deviation between two models on the reference interpreter.
#include "prune/Evaluate.h"

#include "interp/Interpreter.h"
#include "tensorio/NpyIO.h"
#include "support/FileIO.h"

#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <sstream>

namespace edgec {

namespace {

struct Acc {
  double sumRef2 = 0, sumErr2 = 0, maxAbs = 0, sumCos = 0;
  int64_t samples = 0, rows = 0, agree = 0, refCorrect = 0, testCorrect = 0;
  int64_t labelled = 0;
  bool classifier = false;
};

/// [N, K] (or [K]) with K >= 2: rows and K; otherwise nullopt.
std::optional<std::pair<int64_t, int64_t>> classifierShape(const Tensor &t) {
  if (t.rank() == 0 || t.rank() > 2 || t.numElements() == 0) return std::nullopt;
  int64_t k = t.dim(t.rank() - 1);
  if (k < 2) return std::nullopt;
  return std::make_pair(t.numElements() / k, k);
}

int64_t argmaxRow(const Tensor &t, int64_t row, int64_t k) {
  int64_t best = 0;
  double bv = t.getDouble(row * k);
  for (int64_t j = 1; j < k; ++j) {
    double v = t.getDouble(row * k + j);
    if (v > bv) {
      bv = v;
      best = j;
    }
  }
  return best;
}

std::string stemOf(const std::string &p) {
  std::filesystem::path f(p);
  return f.stem().string();
}
std::string baseOf(const std::string &p) {
  std::filesystem::path f(p);
  return f.filename().string();
}

} // namespace

Expected<DeviationReport> compareModels(const Model &ref, const Model &test,
                                        const std::vector<CalibSample> &samples,
                                        const std::vector<int64_t> *labels) {
  Interpreter ri(ref), ti(test);
  EDGEC_TRY(ri.checkSupported());
  EDGEC_TRY(ti.checkSupported());
  size_t nout = ref.graph->outputs.size();
  if (test.graph->outputs.size() != nout)
    return Error(ErrorCode::Internal, "compared models have different output counts");
  std::vector<Acc> acc(nout);
  int firstClassifier = -1;
  int64_t labelRow = 0;
  for (const CalibSample &s : samples) {
    EDGEC_ASSIGN_OR_RETURN(std::vector<Tensor> a, ri.run(s.inputs));
    EDGEC_ASSIGN_OR_RETURN(std::vector<Tensor> b, ti.run(s.inputs));
    for (size_t o = 0; o < nout; ++o) {
      const Tensor &x = a[o], &y = b[o];
      if (x.shape() != y.shape())
        return Error(ErrorCode::Internal,
                     "output '" + ref.graph->outputs[o]->name + "' changed shape: " +
                         describe(x) + " vs " + describe(y));
      Acc &A = acc[o];
      double dot = 0, nx = 0, ny = 0;
      for (int64_t i = 0; i < x.numElements(); ++i) {
        double u = x.getDouble(i), v = y.getDouble(i);
        double e = u - v;
        A.sumRef2 += u * u;
        A.sumErr2 += e * e;
        A.maxAbs = std::max(A.maxAbs, std::fabs(e));
        dot += u * v;
        nx += u * u;
        ny += v * v;
      }
      double cos = (nx == 0 && ny == 0) ? 1.0
                   : (nx == 0 || ny == 0) ? 0.0
                                          : dot / std::sqrt(nx * ny);
      A.sumCos += cos;
      ++A.samples;
      auto cs = classifierShape(x);
      if (cs && isFloatType(x.dtype())) {
        if (A.samples == 1) A.classifier = true;
        if (firstClassifier < 0) firstClassifier = (int)o;
        auto [rows, k] = *cs;
        for (int64_t r = 0; r < rows; ++r) {
          int64_t ca = argmaxRow(x, r, k), cb = argmaxRow(y, r, k);
          ++A.rows;
          if (ca == cb) ++A.agree;
          if (labels && (int)o == firstClassifier) {
            if (labelRow < (int64_t)labels->size()) {
              int64_t l = (*labels)[labelRow];
              if (ca == l) ++A.refCorrect;
              if (cb == l) ++A.testCorrect;
              ++A.labelled;
            }
            ++labelRow;
          }
        }
      } else {
        A.classifier = false;
      }
    }
  }
  if (labels && firstClassifier >= 0 && labelRow != (int64_t)labels->size())
    return Error(ErrorCode::InvalidInput,
                 "--eval-labels: " + std::to_string(labels->size()) +
                     " labels for " + std::to_string(labelRow) + " classifier rows");
  if (labels && firstClassifier < 0)
    return Error(ErrorCode::InvalidInput,
                 "--eval-labels: the model has no classifier-like output ([N, K])");
  DeviationReport r;
  r.samples = (int64_t)samples.size();
  for (size_t o = 0; o < nout; ++o) {
    const Acc &A = acc[o];
    OutputDeviation d;
    d.name = ref.graph->outputs[o]->name;
    d.samples = A.samples;
    d.maxAbsError = A.maxAbs;
    d.meanCosine = A.samples ? A.sumCos / (double)A.samples : 1.0;
    d.snrDb = A.sumErr2 == 0 ? std::numeric_limits<double>::infinity()
              : A.sumRef2 == 0 ? -std::numeric_limits<double>::infinity()
                               : 10.0 * std::log10(A.sumRef2 / A.sumErr2);
    d.classifier = A.classifier && A.rows > 0;
    d.rows = A.rows;
    d.top1Agreement = A.rows ? (double)A.agree / (double)A.rows : 1.0;
    if (A.labelled) {
      d.referenceAccuracy = (double)A.refCorrect / (double)A.labelled;
      d.prunedAccuracy = (double)A.testCorrect / (double)A.labelled;
    }
    r.outputs.push_back(d);
  }
  return r;
}

Expected<std::vector<int64_t>> loadLabels(const std::string &path,
                                          const std::vector<CalibSample> &samples) {
  std::vector<int64_t> out;
  if (path.size() > 4 && path.substr(path.size() - 4) == ".npy") {
    EDGEC_ASSIGN_OR_RETURN(Tensor t, readNpy(path));
    if (!isIntegerType(t.dtype()))
      return Error(ErrorCode::InvalidInput, path + ": labels must be integers");
    out = t.toInt64Vector();
  } else {
    EDGEC_ASSIGN_OR_RETURN(std::string text, readFileBytes(path));
    std::istringstream in(text);
    std::string line;
    std::map<std::string, int64_t> byName;
    std::vector<int64_t> positional;
    int lineNo = 0;
    while (std::getline(in, line)) {
      ++lineNo;
      std::istringstream ls(line);
      std::vector<std::string> tok;
      std::string w;
      while (ls >> w) tok.push_back(w);
      if (tok.empty() || tok[0][0] == '#') continue;
      auto parse = [&](const std::string &s) -> Expected<int64_t> {
        try {
          size_t pos = 0;
          long long v = std::stoll(s, &pos);
          if (pos == s.size()) return (int64_t)v;
        } catch (...) {
        }
        return Error(ErrorCode::InvalidInput, path + ":" + std::to_string(lineNo) +
                                                  ": '" + s + "' is not an integer label");
      };
      if (tok.size() == 1) {
        EDGEC_ASSIGN_OR_RETURN(int64_t v, parse(tok[0]));
        positional.push_back(v);
      } else if (tok.size() == 2) {
        EDGEC_ASSIGN_OR_RETURN(int64_t v, parse(tok[1]));
        byName[tok[0]] = v;
      } else {
        return Error(ErrorCode::InvalidInput, path + ":" + std::to_string(lineNo) +
                                                  ": expected 'LABEL' or 'NAME LABEL'");
      }
    }
    if (!positional.empty() && !byName.empty())
      return Error(ErrorCode::InvalidInput,
                   path + ": mixes 'LABEL' and 'NAME LABEL' lines");
    if (!byName.empty()) {
      for (const CalibSample &s : samples) {
        auto it = byName.find(baseOf(s.source));
        if (it == byName.end()) it = byName.find(stemOf(s.source));
        if (it == byName.end())
          return Error(ErrorCode::InvalidInput,
                       path + ": no label for sample '" + baseOf(s.source) + "'");
        out.push_back(it->second);
      }
    } else {
      out = positional;
    }
  }
  return out;
}

Json deviationJson(const DeviationReport &r) {
  Json j = Json::object();
  j["samples"] = r.samples;
  Json outs = Json::array();
  for (const OutputDeviation &d : r.outputs) {
    Json o = Json::object();
    o["name"] = d.name;
    o["max_abs_error"] = d.maxAbsError;
    o["mean_cosine"] = d.meanCosine;
    o["snr_db"] = d.snrDb; // null when identical (infinite)
    o["identical"] = d.maxAbsError == 0;
    if (d.classifier) {
      o["top1_agreement"] = d.top1Agreement;
      o["rows"] = d.rows;
    }
    if (d.referenceAccuracy) {
      o["accuracy_original"] = *d.referenceAccuracy;
      o["accuracy_pruned"] = *d.prunedAccuracy;
    }
    outs.push(o);
  }
  j["outputs"] = outs;
  return j;
}

} // namespace edgec
