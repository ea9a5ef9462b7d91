// The lowered program's small helpers (see Program.h).
#include "targets/common/Program.h"

#include <cassert>

namespace edgec::target {

const char *memoryPlaceName(MemoryPlace p) {
  switch (p) {
  case MemoryPlace::Flash: return "flash";
  case MemoryPlace::Sram: return "sram";
  case MemoryPlace::Device: return "device";
  }
  return "?";
}

Operand Operand::integer(int64_t v) {
  Operand o;
  o.kind = Kind::Int;
  o.i = v;
  return o;
}

Operand Operand::real(float v) {
  Operand o;
  o.kind = Kind::Float;
  o.f = v;
  return o;
}

Operand Operand::select(Operand cond, Operand ifTrue, Operand ifFalse) {
  assert(cond.kind == Kind::Tensor || cond.kind == Kind::Constant);
  Operand o;
  o.kind = Kind::Select;
  o.choice = {std::move(cond), std::move(ifTrue), std::move(ifFalse)};
  return o;
}

Operand Operand::at(int64_t elements) const {
  assert((kind == Kind::Tensor || kind == Kind::Constant) && "offset of a non-pointer operand");
  Operand o = *this;
  o.offset += elements;
  return o;
}

Operand Operand::readOnly() const {
  Operand o = *this;
  o.writable = false;
  return o;
}

Fields &Fields::i(const std::string &name, int64_t v) {
  FieldValue fv;
  fv.kind = FieldValue::Kind::Int;
  fv.i = v;
  fields_.push_back({name, std::move(fv)});
  return *this;
}

Fields &Fields::f(const std::string &name, float v) {
  FieldValue fv;
  fv.kind = FieldValue::Kind::Float;
  fv.f = v;
  fields_.push_back({name, std::move(fv)});
  return *this;
}

Fields &Fields::sym(const std::string &name, const std::string &enumerator) {
  FieldValue fv;
  fv.kind = FieldValue::Kind::Symbol;
  fv.symbol = enumerator;
  fields_.push_back({name, std::move(fv)});
  return *this;
}

Fields &Fields::ptr(const std::string &name, const Operand &constant) {
  assert((constant.kind == Operand::Kind::Constant || constant.kind == Operand::Kind::Null) &&
         "a parameter block can only point at constants");
  FieldValue fv;
  fv.kind = FieldValue::Kind::Pointer;
  fv.pointer = constant;
  fields_.push_back({name, std::move(fv)});
  return *this;
}

Fields &Fields::ints(const std::string &name, const std::vector<int64_t> &v) {
  FieldValue fv;
  fv.kind = FieldValue::Kind::Ints;
  fv.ints = v;
  fields_.push_back({name, std::move(fv)});
  return *this;
}

Fields &Fields::sub(const std::string &name, const Fields &nested) {
  FieldValue fv;
  fv.kind = FieldValue::Kind::Struct;
  fv.fields = nested.list();
  fields_.push_back({name, std::move(fv)});
  return *this;
}

int64_t Program::constantBytes() const {
  int64_t n = 0;
  for (const Constant &c : constants) n += int64_t(c.bytes.size());
  return n;
}

int64_t Program::macs() const {
  int64_t n = 0;
  for (const Step &s : steps) n += s.macs;
  return n;
}

const Storage &Program::storage(const Value *v) const {
  auto it = storageIndex_.find(v);
  assert(it != storageIndex_.end() && "value without storage");
  return storage_[it->second];
}

Storage &Program::storage(const Value *v) {
  auto it = storageIndex_.find(v);
  assert(it != storageIndex_.end() && "value without storage");
  return storage_[it->second];
}

void Program::setStorage(const Value *v, Storage s) {
  auto it = storageIndex_.find(v);
  if (it != storageIndex_.end()) {
    storage_[it->second] = s;
    return;
  }
  storageIndex_[v] = storage_.size();
  storage_.push_back(s);
}

const Value *Program::root(const Value *v) const {
  while (true) {
    auto it = storageIndex_.find(v);
    if (it == storageIndex_.end() || storage_[it->second].kind != Storage::Kind::Alias) return v;
    v = storage_[it->second].of;
  }
}

std::vector<int64_t> staticDims(const Value &v) {
  assert(v.type.isStatic() && "lowering a value with a dynamic shape");
  TensorShape s = v.type.staticShape();
  return std::vector<int64_t>(s.begin(), s.end());
}

int64_t elementCount(const Value &v) {
  int64_t n = 1;
  for (int64_t d : staticDims(v)) n *= d;
  return n;
}

int64_t valueBytes(const Value &v) {
  return elementCount(v) * int64_t(dataTypeSize(v.type.dtype));
}

} // namespace edgec::target
