#include "ir/Printer.h"

#include <cstdio>
#include <sstream>

namespace edgec {

namespace {

std::string fmtFloat(double f) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", f);
  return buf;
}

std::string quote(const std::string &s) {
  std::string r = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') r += '\\';
    if ((unsigned char)c < 0x20) {
      char b[8];
      std::snprintf(b, sizeof b, "\\x%02x", (unsigned char)c);
      r += b;
      continue;
    }
    r += c;
  }
  return r + "\"";
}

std::string valueRef(const Value *v) { return v ? "%" + v->name : "_"; }

std::string tensorSummary(const Tensor &t) {
  std::string r = describe(t);
  if (t.numElements() <= 8) {
    r += " {";
    for (int64_t i = 0; i < t.numElements(); ++i) {
      if (i) r += ", ";
      if (isFloatType(t.dtype())) r += fmtFloat(t.getDouble(i));
      else r += std::to_string(t.getInt64(i));
    }
    r += "}";
  }
  return r;
}

} // namespace

std::string printAttribute(const Attribute &a) {
  std::string r;
  auto list = [&](auto &vec, auto fn) {
    r = "[";
    for (size_t i = 0; i < vec.size(); ++i) {
      if (i) r += ", ";
      r += fn(vec[i]);
    }
    r += "]";
  };
  switch (a.kind) {
  case Attribute::Kind::Int: return std::to_string(a.i);
  case Attribute::Kind::Float: return fmtFloat(a.f);
  case Attribute::Kind::String: return quote(a.s);
  case Attribute::Kind::Tensor: return tensorSummary(a.t);
  case Attribute::Kind::Graph: return "graph " + (a.g ? a.g->name : "");
  case Attribute::Kind::Ints:
    list(a.ints, [](int64_t v) { return std::to_string(v); });
    return r;
  case Attribute::Kind::Floats:
    list(a.floats, [](float v) { return fmtFloat(v); });
    return r;
  case Attribute::Kind::Strings:
    list(a.strings, [](const std::string &v) { return quote(v); });
    return r;
  case Attribute::Kind::Tensors:
    list(a.tensors, [](const Tensor &v) { return tensorSummary(v); });
    return r;
  case Attribute::Kind::Graphs:
    list(a.graphs, [](const auto &g) { return "graph " + g->name; });
    return r;
  }
  return r;
}

void printGraph(const Graph &g, std::ostream &os, int indent) {
  std::string pad(indent, ' ');
  os << pad << "graph " << g.name << "(";
  for (size_t i = 0; i < g.inputs.size(); ++i) {
    if (i) os << ", ";
    os << valueRef(g.inputs[i]) << ": " << g.inputs[i]->type.str();
  }
  os << ") {\n";
  for (const auto &v : g.values())
    if (v->isInitializer() && !v->isGraphInput())
      os << pad << "  " << valueRef(v.get()) << " = const "
         << tensorSummary(*v->constant) << "\n";
  for (const auto &n : g.nodes()) {
    os << pad << "  ";
    for (size_t i = 0; i < n->outputs.size(); ++i) {
      if (i) os << ", ";
      const Value *o = n->outputs[i];
      os << valueRef(o);
      if (o) os << ": " << o->type.str();
    }
    os << " = " << (n->domain.empty() ? "" : n->domain + ".") << n->opType
       << "(";
    for (size_t i = 0; i < n->inputs.size(); ++i) {
      if (i) os << ", ";
      os << valueRef(n->inputs[i]);
    }
    os << ")";
    bool hasGraphs = false;
    if (!n->attrs.empty()) {
      os << " {";
      bool first = true;
      for (const auto &[name, a] : n->attrs) {
        if (a.kind == Attribute::Kind::Graph || a.kind == Attribute::Kind::Graphs) {
          hasGraphs = true;
          continue;
        }
        os << (first ? "" : ", ") << name << " = " << printAttribute(a);
        first = false;
      }
      os << "}";
    }
    os << "  # " << n->name << "\n";
    if (hasGraphs)
      for (const auto &[name, a] : n->attrs) {
        if (a.kind == Attribute::Kind::Graph && a.g) {
          os << pad << "    " << name << ":\n";
          printGraph(*a.g, os, indent + 4);
        }
        for (const auto &sg : a.graphs) {
          os << pad << "    " << name << ":\n";
          printGraph(*sg, os, indent + 4);
        }
      }
  }
  os << pad << "  return ";
  for (size_t i = 0; i < g.outputs.size(); ++i)
    os << (i ? ", " : "") << valueRef(g.outputs[i]);
  os << "\n" << pad << "}\n";
}

std::string printGraphToString(const Graph &g) {
  std::ostringstream ss;
  printGraph(g, ss);
  return ss.str();
}

} // namespace edgec
