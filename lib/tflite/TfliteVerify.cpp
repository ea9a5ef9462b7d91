#include "tflite/TfliteVerify.h"

#include "ir/Tensor.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <set>
#include <vector>

namespace edgec::tflite {

int32_t builtinCode(const fb::OperatorCode &oc) {
  return std::max<int32_t>(oc.deprecated_builtin_code(),
                           (int32_t)oc.builtin_code());
}

std::string opCodeName(const fb::OperatorCode &oc) {
  int32_t c = builtinCode(oc);
  if (c == (int32_t)fb::BuiltinOperator::CUSTOM)
    return "CUSTOM(" + (oc.custom_code() ? oc.custom_code()->str() : "") + ")";
  if (c >= (int32_t)fb::BuiltinOperator::MIN &&
      c <= (int32_t)fb::BuiltinOperator::MAX) {
    const char *n = fb::EnumNameBuiltinOperator((fb::BuiltinOperator)c);
    if (n && *n) return n;
  }
  return "BUILTIN_" + std::to_string(c);
}

std::string tensorTypeName(fb::TensorType t) {
  if (t >= fb::TensorType::MIN && t <= fb::TensorType::MAX) {
    const char *n = fb::EnumNameTensorType(t);
    if (n && *n) return n;
  }
  return "type " + std::to_string((int)t);
}

BufferView tensorData(const fb::Model &m, const fb::Tensor &t,
                      const uint8_t *file, size_t fileSize) {
  BufferView v;
  const auto *bufs = m.buffers();
  if (!bufs || t.buffer() >= bufs->size()) return v;
  const fb::Buffer *b = bufs->Get(t.buffer());
  if (!b) return v;
  if (b->offset() > 1) {
    // Verified to lie inside the file.
    if (b->offset() <= fileSize && b->size() <= fileSize - b->offset()) {
      v.data = file + b->offset();
      v.size = (size_t)b->size();
    }
    return v;
  }
  if (b->data() && b->data()->size() > 0) {
    v.data = b->data()->data();
    v.size = b->data()->size();
  }
  return v;
}

namespace {

/// Bytes per element of the element types edgec imports; 0 otherwise.
size_t elementSize(fb::TensorType t) {
  switch (t) {
  case fb::TensorType::FLOAT32:
  case fb::TensorType::INT32:
  case fb::TensorType::UINT32: return 4;
  case fb::TensorType::FLOAT16:
  case fb::TensorType::INT16:
  case fb::TensorType::UINT16:
  case fb::TensorType::BFLOAT16: return 2;
  case fb::TensorType::UINT8:
  case fb::TensorType::INT8:
  case fb::TensorType::BOOL: return 1;
  case fb::TensorType::INT64:
  case fb::TensorType::UINT64:
  case fb::TensorType::FLOAT64: return 8;
  default: return 0;
  }
}

Error invalid(const std::string &m) {
  return Error(ErrorCode::InvalidModel, m);
}

std::string tensorLabel(size_t s, size_t i, const fb::Tensor *t) {
  std::string r =
      "subgraph " + std::to_string(s) + " tensor " + std::to_string(i);
  if (t && t->name() && t->name()->size()) r += " '" + t->name()->str() + "'";
  return r;
}

Status verifyQuantization(const std::string &what, const fb::Tensor &t) {
  const fb::QuantizationParameters *q = t.quantization();
  if (!q) return Status::ok();
  if (q->details_type() != fb::QuantizationDetails::NONE)
    return Error(ErrorCode::Unsupported,
                 what + ": custom quantization is not supported");
  const auto *scale = q->scale();
  const auto *zp = q->zero_point();
  size_t ns = scale ? scale->size() : 0, nz = zp ? zp->size() : 0;
  if (ns == 0) {
    if (nz != 0)
      return invalid(what + ": " + std::to_string(nz) +
                     " zero points without scales");
    return Status::ok();
  }
  if (nz != ns)
    return invalid(what + ": " + std::to_string(ns) + " scales but " +
                   std::to_string(nz) + " zero points");
  for (size_t i = 0; i < ns; ++i) {
    float s = scale->Get((flatbuffers::uoffset_t)i);
    if (!(s > 0) || !std::isfinite(s)) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%g", (double)s);
      return invalid(what + ": quantization scale " + std::to_string(i) +
                     " is " + buf + " (must be positive and finite)");
    }
  }
  if (ns > 1) {
    int32_t qd = q->quantized_dimension();
    size_t rank = t.shape() ? t.shape()->size() : 0;
    if (qd < 0 || (size_t)qd >= rank)
      return invalid(what + ": quantized_dimension " + std::to_string(qd) +
                     " out of range for rank " + std::to_string(rank));
    int32_t dim = t.shape()->Get((flatbuffers::uoffset_t)qd);
    if ((size_t)dim != ns)
      return invalid(what + ": " + std::to_string(ns) +
                     " per-axis scales for dimension " + std::to_string(qd) +
                     " of size " + std::to_string(dim));
  }
  int64_t lo = std::numeric_limits<int32_t>::min(),
          hi = std::numeric_limits<int32_t>::max();
  switch (t.type()) {
  case fb::TensorType::INT8: lo = -128, hi = 127; break;
  case fb::TensorType::UINT8: lo = 0, hi = 255; break;
  case fb::TensorType::INT16: lo = -32768, hi = 32767; break;
  default: break;
  }
  for (size_t i = 0; i < nz; ++i) {
    int64_t z = zp->Get((flatbuffers::uoffset_t)i);
    if (z < lo || z > hi)
      return invalid(what + ": zero point " + std::to_string(z) +
                     " is outside the " + tensorTypeName(t.type()) + " range");
  }
  return Status::ok();
}

Status verifyTensor(const fb::Model &m, size_t s, size_t i, const fb::Tensor *t,
                    const uint8_t *file, size_t fileSize) {
  std::string what = tensorLabel(s, i, t);
  if (!t) return invalid(what + ": missing tensor table");
  if (elementSize(t->type()) == 0)
    return Error(ErrorCode::Unsupported, what + ": element type " +
                                             tensorTypeName(t->type()) +
                                             " is not supported");
  if (t->sparsity())
    return Error(ErrorCode::Unsupported,
                 what + ": sparse tensors are not supported");
  TensorShape shape;
  if (t->shape())
    for (int32_t d : *t->shape()) {
      if (d < 0)
        return invalid(what + ": negative dimension " + std::to_string(d));
      shape.push_back(d);
    }
  auto n = checkedNumElements(shape);
  if (!n)
    return invalid(what + ": shape " + shapeToString(shape) +
                   " has too many elements");
  if (const auto *sig = t->shape_signature()) {
    if (sig->size() != shape.size())
      return invalid(what + ": shape_signature has rank " +
                     std::to_string(sig->size()) + ", shape has rank " +
                     std::to_string(shape.size()));
    for (int32_t d : *sig)
      if (d < -1)
        return invalid(what + ": shape_signature dimension " +
                       std::to_string(d) + " is invalid");
  }
  const size_t nbuf = m.buffers() ? m.buffers()->size() : 0;
  if (t->buffer() != 0 && t->buffer() >= nbuf)
    return invalid(what + ": buffer index " + std::to_string(t->buffer()) +
                   " out of range (" + std::to_string(nbuf) + " buffers)");
  if (t->buffer() < nbuf) {
    const fb::Buffer *b = m.buffers()->Get(t->buffer());
    if (b && b->offset() > 1 &&
        (b->offset() > fileSize || b->size() > fileSize - b->offset()))
      return invalid(what + ": buffer " + std::to_string(t->buffer()) +
                     " data range lies outside the file");
  }
  BufferView data = tensorData(m, *t, file, fileSize);
  if (data.size) {
    uint64_t want = (uint64_t)*n * elementSize(t->type());
    if (data.size != want)
      return invalid(what + ": buffer " + std::to_string(t->buffer()) +
                     " holds " + std::to_string(data.size) + " bytes, shape " +
                     shapeToString(shape) + " of " + tensorTypeName(t->type()) +
                     " needs " + std::to_string(want));
  }
  return verifyQuantization(what, *t);
}

/// Subgraphs an operator calls (IF, WHILE, CALL_ONCE, CALL), validated.
Status calledSubgraphs(const fb::Model &m, const std::string &where,
                       int32_t code, const fb::Operator &op,
                       std::vector<int64_t> &out) {
  using BO = fb::BuiltinOperator;
  auto need = [&](const void *p, const char *table) -> Status {
    if (!p) return invalid(where + ": missing " + std::string(table));
    return Status::ok();
  };
  switch ((BO)code) {
  case BO::IF: {
    const auto *o = op.builtin_options_as_IfOptions();
    EDGEC_TRY(need(o, "IfOptions"));
    out = {o->then_subgraph_index(), o->else_subgraph_index()};
    break;
  }
  case BO::WHILE: {
    const auto *o = op.builtin_options_as_WhileOptions();
    EDGEC_TRY(need(o, "WhileOptions"));
    out = {o->cond_subgraph_index(), o->body_subgraph_index()};
    break;
  }
  case BO::CALL_ONCE: {
    const auto *o = op.builtin_options_as_CallOnceOptions();
    EDGEC_TRY(need(o, "CallOnceOptions"));
    out = {o->init_subgraph_index()};
    break;
  }
  case BO::CALL: {
    const auto *o = op.builtin_options_as_CallOptions();
    EDGEC_TRY(need(o, "CallOptions"));
    out = {(int64_t)o->subgraph()};
    break;
  }
  default: return Status::ok();
  }
  const int64_t ns = m.subgraphs()->size();
  for (int64_t s : out)
    if (s < 0 || s >= ns)
      return invalid(where + ": subgraph index " + std::to_string(s) +
                     " out of range (" + std::to_string(ns) + " subgraphs)");
  return Status::ok();
}

Status verifySubgraph(const fb::Model &m, size_t s, const uint8_t *file,
                      size_t fileSize,
                      std::vector<std::vector<int64_t>> &calls) {
  const fb::SubGraph *sg = m.subgraphs()->Get((flatbuffers::uoffset_t)s);
  const std::string sgName = "subgraph " + std::to_string(s);
  if (!sg) return invalid(sgName + ": missing subgraph table");
  const size_t nt = sg->tensors() ? sg->tensors()->size() : 0;
  for (size_t i = 0; i < nt; ++i)
    EDGEC_TRY(verifyTensor(m, s, i,
                           sg->tensors()->Get((flatbuffers::uoffset_t)i), file,
                           fileSize));
  auto inRange = [&](int32_t t) { return t >= 0 && (size_t)t < nt; };
  // Which op (or graph input) writes each tensor: -2 graph input, -1 none.
  std::vector<int64_t> writer(nt, -1);
  if (sg->inputs())
    for (int32_t t : *sg->inputs()) {
      if (!inRange(t))
        return invalid(sgName + ": input tensor index " + std::to_string(t) +
                       " out of range (" + std::to_string(nt) + " tensors)");
      if (writer[(size_t)t] != -1)
        return invalid(sgName + ": tensor " + std::to_string(t) +
                       " is listed twice as an input");
      writer[(size_t)t] = -2;
    }
  if (sg->outputs())
    for (int32_t t : *sg->outputs())
      if (!inRange(t))
        return invalid(sgName + ": output tensor index " + std::to_string(t) +
                       " out of range (" + std::to_string(nt) + " tensors)");
  const size_t ncodes = m.operator_codes() ? m.operator_codes()->size() : 0;
  const size_t nops = sg->operators() ? sg->operators()->size() : 0;
  for (size_t k = 0; k < nops; ++k) {
    const fb::Operator *op = sg->operators()->Get((flatbuffers::uoffset_t)k);
    std::string where = sgName + " operator " + std::to_string(k);
    if (!op) return invalid(where + ": missing operator table");
    if (op->opcode_index() >= ncodes)
      return invalid(where + ": opcode index " +
                     std::to_string(op->opcode_index()) + " out of range (" +
                     std::to_string(ncodes) + " operator codes)");
    const fb::OperatorCode *oc = m.operator_codes()->Get(op->opcode_index());
    where += " (" + opCodeName(*oc) + ")";
    std::set<int32_t> ins;
    if (op->inputs())
      for (int32_t t : *op->inputs()) {
        if (t == -1) continue; // omitted optional input
        if (!inRange(t))
          return invalid(where + ": input tensor index " + std::to_string(t) +
                         " out of range (" + std::to_string(nt) + " tensors)");
        ins.insert(t);
      }
    std::set<int32_t> outs;
    if (op->outputs())
      for (int32_t t : *op->outputs()) {
        if (t == -1) continue;
        if (!inRange(t))
          return invalid(where + ": output tensor index " + std::to_string(t) +
                         " out of range (" + std::to_string(nt) + " tensors)");
        if (ins.count(t))
          return invalid(where + ": tensor " + std::to_string(t) +
                         " is both an input and an output");
        if (!outs.insert(t).second)
          return invalid(where + ": tensor " + std::to_string(t) +
                         " is listed twice as an output");
        const fb::Tensor *tt = sg->tensors()->Get((flatbuffers::uoffset_t)t);
        if (writer[(size_t)t] == -2)
          return invalid(where + ": output tensor " + std::to_string(t) +
                         " is also a subgraph input");
        if (writer[(size_t)t] >= 0)
          return invalid(where + ": output tensor " + std::to_string(t) +
                         " is already written by operator " +
                         std::to_string(writer[(size_t)t]));
        if (tensorData(m, *tt, file, fileSize).size)
          return invalid(where + ": output tensor " + std::to_string(t) +
                         " is a constant");
        writer[(size_t)t] = (int64_t)k;
      }
    if (op->intermediates())
      for (int32_t t : *op->intermediates())
        if (t != -1 && !inRange(t))
          return invalid(where + ": intermediate tensor index " +
                         std::to_string(t) + " out of range");
    std::vector<int64_t> called;
    EDGEC_TRY(calledSubgraphs(m, where, builtinCode(*oc), *op, called));
    for (int64_t c : called)
      calls[s].push_back(c);
  }
  return Status::ok();
}

/// Error on a cycle in the subgraph call graph (a subgraph that reaches
/// itself through IF/WHILE/CALL_ONCE/CALL).
Status checkCallCycles(const std::vector<std::vector<int64_t>> &calls) {
  const size_t n = calls.size();
  std::vector<int> state(n, 0); // 0 new, 1 on the stack, 2 done
  std::vector<int64_t> stack;
  // Iterative DFS: (node, next edge).
  for (size_t root = 0; root < n; ++root) {
    if (state[root]) continue;
    std::vector<std::pair<int64_t, size_t>> work{{(int64_t)root, 0}};
    state[root] = 1;
    stack = {(int64_t)root};
    while (!work.empty()) {
      auto &[v, e] = work.back();
      if (e < calls[(size_t)v].size()) {
        int64_t w = calls[(size_t)v][e++];
        if (state[(size_t)w] == 1) {
          std::string path;
          bool on = false;
          for (int64_t x : stack) {
            on = on || x == w;
            if (on) path += std::to_string(x) + " -> ";
          }
          return invalid("subgraph reference cycle: " + path +
                         std::to_string(w));
        }
        if (state[(size_t)w] == 0) {
          state[(size_t)w] = 1;
          stack.push_back(w);
          work.push_back({w, 0});
        }
      } else {
        state[(size_t)v] = 2;
        stack.pop_back();
        work.pop_back();
      }
    }
  }
  return Status::ok();
}

} // namespace

Expected<const fb::Model *> verifyTflite(const uint8_t *data, size_t size) {
  if (size < 8 || std::memcmp(data + 4, "TFL3", 4) != 0)
    return invalid("not a TensorFlow Lite model (no \"TFL3\" file identifier)");
  if (size >= (size_t)FLATBUFFERS_MAX_BUFFER_SIZE)
    return invalid("file is larger than the 2 GiB flatbuffer limit");
  flatbuffers::Verifier::Options vo;
  vo.max_depth = 64;
  vo.max_tables = 10000000;
  flatbuffers::Verifier v(data, size, vo);
  if (!fb::VerifyModelBuffer(v))
    return invalid("not a valid TensorFlow Lite model (flatbuffer "
                   "verification failed: truncated or corrupt file)");
  const fb::Model *m = fb::GetModel(data);
  if (m->version() != 3)
    return Error(ErrorCode::Unsupported, "TFLite schema version " +
                                             std::to_string(m->version()) +
                                             " is not supported (expected 3)");
  if (!m->subgraphs() || m->subgraphs()->size() == 0)
    return invalid("model has no subgraphs");
  if (m->operator_codes())
    for (size_t i = 0; i < m->operator_codes()->size(); ++i) {
      const fb::OperatorCode *oc =
          m->operator_codes()->Get((flatbuffers::uoffset_t)i);
      if (!oc)
        return invalid("operator code " + std::to_string(i) + " is missing");
      if (builtinCode(*oc) < 0)
        return invalid("operator code " + std::to_string(i) +
                       " has negative builtin code " +
                       std::to_string(builtinCode(*oc)));
    }
  if (m->buffers())
    for (size_t i = 0; i < m->buffers()->size(); ++i)
      if (!m->buffers()->Get((flatbuffers::uoffset_t)i))
        return invalid("buffer " + std::to_string(i) + " is missing");
  const size_t ns = m->subgraphs()->size();
  std::vector<std::vector<int64_t>> calls(ns);
  for (size_t s = 0; s < ns; ++s)
    EDGEC_TRY(verifySubgraph(*m, s, data, size, calls));
  EDGEC_TRY(checkCallCycles(calls));
  return m;
}

} // namespace edgec::tflite
