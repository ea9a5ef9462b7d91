// Building a lowered program (see ProgramBuilder.h).
#include "targets/common/ProgramBuilder.h"

#include "targets/common/CNames.h"

#include <cassert>
#include <cstring>

namespace edgec::target {

StepBuilder::StepBuilder(ProgramBuildState &state, int step) : state_(state), index_(step) {}

const Tensor *StepBuilder::constantInput(size_t i) const {
  return hasInput(i) && node().inputs[i]->constant ? &*node().inputs[i]->constant : nullptr;
}

int ProgramBuildState::addConstant(const std::string &hint, DataType t, const void *data,
                                   size_t count, const std::string &encoding, bool *added) {
  size_t bytes = count * dataTypeSize(t);
  // bool and uint8 constants are the same bytes to a kernel.
  DataType keyType = t == DataType::Bool ? DataType::UInt8 : t;
  uint64_t hash = 14695981039346656037ull; // FNV-1a
  for (size_t i = 0; i < bytes; ++i)
    hash = (hash ^ static_cast<const unsigned char *>(data)[i]) * 1099511628211ull;
  std::string key = std::string(dataTypeName(keyType)) + ":" + std::to_string(bytes) + ":" +
                    std::to_string(hash);
  if (added) *added = false;
  std::vector<int> &same = constantByContent[key];
  for (int id : same)
    if (bytes == 0 || std::memcmp(program.constants[size_t(id)].bytes.data(), data, bytes) == 0)
      return id;
  Constant c;
  c.hint = "w_" + hint;
  c.dtype = t;
  c.bytes.assign(static_cast<const char *>(data), bytes);
  c.count = int64_t(count);
  c.encoding = encoding;
  int id = int(program.constants.size());
  program.constants.push_back(std::move(c));
  same.push_back(id);
  if (added) *added = true;
  return id;
}

int ProgramBuildState::constantOf(const Value *v) {
  auto it = constantOfValue.find(v);
  if (it != constantOfValue.end()) return it->second;
  const Tensor &t = *v->constant;
  bool added = false;
  int id = addConstant(v->name, t.dtype(), t.raw(), size_t(t.numElements()), "as in the model",
                       &added);
  if (added) program.constants[size_t(id)].source = v;
  constantOfValue[v] = id;
  return id;
}

Operand StepBuilder::in(size_t i) {
  const Value *v = node().inputs.at(i);
  assert(v && "in(): absent optional input");
  return operandOf(v);
}

Operand StepBuilder::operandOf(const Value *v) {
  Operand o;
  if (v->constant && !v->producer()) {
    size_t before = state_.program.constants.size();
    o.kind = Operand::Kind::Constant;
    o.index = state_.constantOf(v);
    o.view = state_.program.constants[size_t(o.index)].dtype;
    if (state_.program.constants.size() != before)
      step().constantBytes += int64_t(state_.program.constants.back().bytes.size());
    return o;
  }
  o.kind = Operand::Kind::Tensor;
  o.value = v;
  o.view = v->type.dtype;
  return o;
}

Operand StepBuilder::out(size_t i) {
  const Value *v = node().outputs.at(i);
  assert(v && "out(): absent optional output");
  Operand o;
  o.kind = Operand::Kind::Tensor;
  o.value = v;
  o.view = v->type.dtype;
  o.writable = true;
  return o;
}

Operand StepBuilder::constant(const std::string &hint, DataType t, const void *data,
                              size_t count, const std::string &encoding) {
  bool added = false;
  Operand o;
  o.kind = Operand::Kind::Constant;
  o.index = state_.addConstant(hint, t, data, count, encoding, &added);
  o.view = t;
  if (added) step().constantBytes += int64_t(count * dataTypeSize(t));
  return o;
}

Operand StepBuilder::scratch(int64_t bytes) {
  Operand o;
  o.kind = Operand::Kind::Scratch;
  o.index = int(state_.program.scratch.size());
  state_.program.scratch.push_back({index_, bytes});
  return o;
}

Operand StepBuilder::params(const std::string &ctype, const std::string &hint,
                            const Fields &fields) {
  Operand o;
  o.kind = Operand::Kind::Params;
  o.index = int(state_.program.params.size());
  state_.program.params.push_back({ctype, hint, fields.list()});
  return o;
}

void StepBuilder::call(const std::string &kernel, std::vector<Operand> args) {
  step().calls.push_back({kernel, std::move(args)});
}

Operand StepBuilder::alsoRead(const Value &v) {
  if (!(v.constant && !v.producer())) step().alsoReads.push_back(&v);
  return operandOf(&v);
}

void StepBuilder::useRuntime(const std::string &file) { state_.program.runtimeFiles.insert(file); }

namespace {

bool isViewOp(const Node &n) {
  static const char *const ops[] = {"Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity"};
  if (!n.domain.empty() || n.inputs.empty() || !n.inputs[0] || n.outputs.size() != 1)
    return false;
  bool op = false;
  for (const char *o : ops) op = op || n.opType == o;
  if (!op) return false;
  const Value *a = n.inputs[0], *b = n.outputs[0];
  if (a->type.dtype != b->type.dtype) return false;
  if (a->quant.has_value() != b->quant.has_value()) return false;
  if (a->quant && !(*a->quant == *b->quant)) return false;
  return true;
}

/// Every value the code touches needs a static shape and a C type.
Status checkValues(const Graph &g) {
  for (const auto &v : g.values()) {
    if (v->name.empty() && !v->producer() && !v->isGraphInput()) continue;
    if (!v->type.hasRank || !v->type.isStatic())
      return Error(ErrorCode::Unsupported, "value '" + v->name + "' has a dynamic or unknown shape " +
                                               v->type.str() + "; fix it with --input-shape");
    if (cType(v->type.dtype).empty())
      return Error(ErrorCode::Unsupported, "value '" + v->name + "' has element type " +
                                               v->type.str() +
                                               ", which generated code does not handle");
  }
  return Status::ok();
}

} // namespace

Expected<Program> lowerProgram(const Model &m, const Partition &part,
                               const std::map<std::string, NodeLowering> &lowerings,
                               const LowerOptions &o) {
  const Graph &g = *m.graph;
  EDGEC_TRY(requireSupported(part));
  EDGEC_TRY(checkValues(g));
  ProgramBuildState st;
  Program &p = st.program;
  p.name = o.name;
  p.graphName = g.name;
  for (const Value *v : g.inputs)
    if (!v->isInitializer()) p.inputs.push_back(v);
  for (const Value *v : g.outputs) p.outputs.push_back(v);

  using SK = Storage::Kind;
  for (size_t k = 0; k < p.inputs.size(); ++k) p.setStorage(p.inputs[k], {SK::Input, int(k), nullptr, -1});
  for (size_t k = 0; k < p.outputs.size(); ++k) {
    const Value *v = p.outputs[k];
    if (p.hasStorage(v) || v->constant) p.outputCopies.push_back({int(k), v});
    else p.setStorage(v, {SK::Output, int(k), nullptr, -1});
  }

  for (const auto &node : g.nodes()) {
    const Node &n = *node;
    Step s;
    s.node = &n;
    s.target = part.placementOf(&n).target;
    bool empty = !n.outputs.empty();
    for (const Value *v : n.outputs)
      if (v && elementCount(*v) > 0) empty = false;
    if (empty) {
      s.kind = Step::Kind::Empty;
    } else if (isViewOp(n)) {
      const Value *in = n.inputs[0], *out = n.outputs[0];
      bool outIsUser = p.hasStorage(out) && p.storage(out).kind == SK::Output;
      if (outIsUser || in->constant) {
        s.kind = Step::Kind::Copy;
      } else {
        s.kind = Step::Kind::View;
        p.setStorage(out, {SK::Alias, 0, in, -1});
      }
    }
    for (const Value *v : n.outputs)
      if (v && !p.hasStorage(v)) p.setStorage(v, {SK::Arena, 0, nullptr, -1});
    p.steps.push_back(std::move(s));
  }

  for (size_t i = 0; i < p.steps.size(); ++i) {
    Step &s = p.steps[i];
    StepBuilder b(st, int(i));
    switch (s.kind) {
    case Step::Kind::Empty: s.kernel = "none (empty output)"; break;
    case Step::Kind::View: s.kernel = "view (no code)"; break;
    case Step::Kind::Copy:
      b.call("memcpy", {b.out(0), b.in(0), Operand::integer(valueBytes(*s.node->outputs[0]))});
      p.steps[i].kernel = "copy";
      break;
    case Step::Kind::Kernel: {
      auto it = lowerings.find(p.steps[i].target);
      if (it == lowerings.end())
        return Error(ErrorCode::Internal, s.node->label() + ": no lowering for target '" +
                                              p.steps[i].target + "'");
      EDGEC_TRY(it->second(b));
      if (p.steps[i].kernel.empty()) p.steps[i].kernel = p.steps[i].node->opType;
      break;
    }
    }
  }

  // Graph outputs that are constants are copied from their constant.
  for (const auto &[k, v] : p.outputCopies)
    if (v->constant) p.setStorage(v, {SK::Constant, st.constantOf(v), nullptr, -1});
  return std::move(st.program);
}

} // namespace edgec::target
