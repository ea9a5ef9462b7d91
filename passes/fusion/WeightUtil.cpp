#include "passes/fusion/WeightUtil.h"

#include "passes/PatternUtil.h"

namespace edgec {

bool isRewritableFloat(DataType t) {
  return t == DataType::Float32 || t == DataType::Float16 ||
         t == DataType::Float64 || t == DataType::BFloat16;
}

std::optional<std::vector<double>> perChannel(const Tensor &c, size_t outRank,
                                              size_t axis, int64_t channels) {
  if (c.rank() > outRank || isStorageOnlyType(c.dtype())) return std::nullopt;
  TensorShape s = rightAlignedShape(c.shape(), outRank);
  for (size_t i = 0; i < outRank; ++i)
    if (i != axis && s[i] != 1) return std::nullopt;
  if (s[axis] != 1 && s[axis] != channels) return std::nullopt;
  std::vector<double> r((size_t)channels);
  for (int64_t o = 0; o < channels; ++o)
    r[(size_t)o] = c.getDouble(s[axis] == 1 ? 0 : o);
  return r;
}

Tensor scaleConvWeight(const Tensor &w, const std::vector<double> &f) {
  Tensor r = w.clone();
  int64_t per = w.numElements() / w.dim(0);
  for (int64_t i = 0; i < w.numElements(); ++i)
    r.setDouble(i, w.getDouble(i) * f[(size_t)(i / per)]);
  return r;
}

Tensor scaleConvTransposeWeight(const Tensor &w, const std::vector<double> &f,
                                int64_t group) {
  Tensor r = w.clone();
  int64_t cin = w.dim(0), coutPerGroup = w.dim(1);
  int64_t cinPerGroup = cin / group;
  int64_t spatial = w.numElements() / (cin * coutPerGroup);
  for (int64_t c = 0; c < cin; ++c)
    for (int64_t j = 0; j < coutPerGroup; ++j) {
      int64_t o = (c / cinPerGroup) * coutPerGroup + j;
      for (int64_t k = 0; k < spatial; ++k) {
        int64_t i = (c * coutPerGroup + j) * spatial + k;
        r.setDouble(i, w.getDouble(i) * f[(size_t)o]);
      }
    }
  return r;
}

Tensor scaleGemmWeight(const Tensor &b, const std::vector<double> &f, bool transB) {
  Tensor r = b.clone();
  int64_t rows = b.dim(0), cols = b.dim(1);
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) {
      int64_t idx = i * cols + j;
      r.setDouble(idx, b.getDouble(idx) * f[(size_t)(transB ? i : j)]);
    }
  return r;
}

Tensor vectorTensor(DataType dtype, const std::vector<double> &v) {
  Tensor t(dtype, {(int64_t)v.size()});
  for (size_t i = 0; i < v.size(); ++i) t.setDouble((int64_t)i, v[i]);
  return t;
}

std::optional<std::vector<double>> biasValues(const Value *b, int64_t channels) {
  if (!b) return std::vector<double>((size_t)channels, 0.0);
  const Tensor *t = constantOf(b);
  if (!t || t->numElements() != channels) return std::nullopt;
  std::vector<double> r((size_t)channels);
  for (int64_t i = 0; i < channels; ++i) r[(size_t)i] = t->getDouble(i);
  return r;
}

} // namespace edgec

namespace edgec {

std::optional<LinearAnchor> matchLinearAnchor(Graph &g, const Value *v) {
  Node *n = v ? v->producer() : nullptr;
  if (!n || n->owner() != &g || !n->domain.empty() || n->outputs.size() != 1)
    return std::nullopt;
  if (n->attr("edgec.activation") || n->attr("edgec.layout"))
    return std::nullopt;
  UseCounts uc(g);
  if (!uc.singleUse(v)) return std::nullopt;
  LinearAnchor a;
  a.node = n;
  a.weight = constantOf(n->input(1));
  if (!a.weight || !isRewritableFloat(a.weight->dtype())) return std::nullopt;
  const Tensor &w = *a.weight;
  if (n->opType == "Conv") {
    if (w.rank() < 3) return std::nullopt;
    a.kind = LinearAnchor::Kind::Conv;
    a.channels = w.dim(0);
    a.outRank = w.rank();
  } else if (n->opType == "ConvTranspose") {
    if (w.rank() < 3) return std::nullopt;
    a.kind = LinearAnchor::Kind::ConvTranspose;
    const Attribute *gr = n->attr("group");
    int64_t group = gr ? gr->i : 1;
    if (group <= 0 || w.dim(0) % group) return std::nullopt;
    a.channels = w.dim(1) * group;
    a.outRank = w.rank();
  } else if (n->opType == "Gemm") {
    if (w.rank() != 2) return std::nullopt;
    a.kind = LinearAnchor::Kind::Gemm;
    const Attribute *tb = n->attr("transB");
    a.transB = tb && tb->i != 0;
    const Attribute *al = n->attr("alpha");
    a.alpha = al ? al->f : 1.0;
    a.channels = a.transB ? w.dim(0) : w.dim(1);
    a.outRank = 2;
  } else {
    return std::nullopt;
  }
  if (a.kind == LinearAnchor::Kind::Gemm) {
    const Attribute *be = n->attr("beta");
    double beta = be ? be->f : 1.0;
    Value *c = n->input(2);
    if (!c) {
      a.bias.assign((size_t)a.channels, 0.0);
    } else {
      const Tensor *ct = constantOf(c);
      if (!ct) return std::nullopt;
      auto pc = perChannel(*ct, 2, 1, a.channels);
      if (!pc) return std::nullopt;
      for (double &x : *pc) x *= beta;
      a.bias = *pc;
    }
  } else {
    auto b = biasValues(n->input(2), a.channels);
    if (!b) return std::nullopt;
    a.bias = *b;
  }
  if (v->type.hasRank && v->type.rank() != a.outRank) return std::nullopt;
  return a;
}

Node *rebuildAnchor(Graph &g, const LinearAnchor &a, Node *last,
                    const std::vector<double> &scale,
                    const std::vector<double> &bias) {
  const Tensor &w = *a.weight;
  Tensor nw;
  switch (a.kind) {
  case LinearAnchor::Kind::Conv: nw = scaleConvWeight(w, scale); break;
  case LinearAnchor::Kind::ConvTranspose: {
    const Attribute *gr = a.node->attr("group");
    nw = scaleConvTransposeWeight(w, scale, gr ? gr->i : 1);
    break;
  }
  case LinearAnchor::Kind::Gemm: nw = scaleGemmWeight(w, scale, a.transB); break;
  }
  Value *wv = addConstant(g, a.node->name + "/weight", std::move(nw));
  Value *bv = addConstant(g, a.node->name + "/bias", vectorTensor(w.dtype(), bias));
  Node *n = replaceNode(g, last, a.node->opType, {a.node->input(0), wv, bv});
  n->name = a.node->name;
  n->opsetVersion = a.node->opsetVersion;
  n->attrs = a.node->attrs;
  if (a.kind == LinearAnchor::Kind::Gemm) n->attrs["beta"] = Attribute::makeFloat(1.0f);
  return n;
}

} // namespace edgec

namespace edgec {
Node *matMulAsGemm(Graph &g, Node *n) {
  if (!isOp(n, "MatMul") || n->owner() != &g || n->outputs.size() != 1) return nullptr;
  Value *a = n->input(0), *b = n->input(1);
  if (!a || !b || !a->type.hasRank || a->type.rank() != 2) return nullptr;
  if (!b->type.hasRank || b->type.rank() != 2) return nullptr;
  Node *gemm = replaceNode(g, n, "Gemm", {a, b});
  gemm->opsetVersion = std::max<int64_t>(gemm->opsetVersion, 11);
  return gemm;
}
} // namespace edgec
