// Typed node attributes.
#pragma once

#include "ir/Tensor.h"

#include <memory>
#include <string>
#include <vector>

namespace edgec {

class Graph;

struct Attribute {
  enum class Kind { Int, Float, String, Tensor, Graph, Ints, Floats, Strings,
                    Tensors, Graphs };
  Kind kind = Kind::Int;
  int64_t i = 0;
  float f = 0;
  std::string s;
  edgec::Tensor t;
  std::shared_ptr<edgec::Graph> g;
  std::vector<int64_t> ints;
  std::vector<float> floats;
  std::vector<std::string> strings;
  std::vector<edgec::Tensor> tensors;
  std::vector<std::shared_ptr<edgec::Graph>> graphs;

  static Attribute makeInt(int64_t v) { Attribute a; a.kind = Kind::Int; a.i = v; return a; }
  static Attribute makeFloat(float v) { Attribute a; a.kind = Kind::Float; a.f = v; return a; }
  static Attribute makeString(std::string v) { Attribute a; a.kind = Kind::String; a.s = std::move(v); return a; }
  static Attribute makeInts(std::vector<int64_t> v) { Attribute a; a.kind = Kind::Ints; a.ints = std::move(v); return a; }
  static Attribute makeFloats(std::vector<float> v) { Attribute a; a.kind = Kind::Floats; a.floats = std::move(v); return a; }
  static Attribute makeTensor(edgec::Tensor v) { Attribute a; a.kind = Kind::Tensor; a.t = std::move(v); return a; }
};

const char *attributeKindName(Attribute::Kind k);

} // namespace edgec
