// The MCU code generator (see CodeGen.h).
#include "targets/mcu/CodeGen.h"

#include "targets/mcu/CodeUnit.h"
#include "targets/mcu/Package.h"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <map>
#include <set>

namespace edgec::mcu {

// Defined in the EmbeddedRuntime.cpp that cmake/EmbedFiles.cmake writes.
struct EmbeddedFile {
  const char *path;
  const unsigned char *data;
  size_t size;
};
extern const EmbeddedFile kRuntimeFiles[];

const std::vector<std::pair<std::string, std::string>> &embeddedRuntime() {
  static const std::vector<std::pair<std::string, std::string>> files = [] {
    std::vector<std::pair<std::string, std::string>> v;
    for (const EmbeddedFile *f = kRuntimeFiles; f->path; ++f)
      v.push_back({f->path, std::string((const char *)f->data, f->size)});
    return v;
  }();
  return files;
}

namespace {

const std::string *findRuntime(const std::string &path) {
  for (const auto &[p, c] : embeddedRuntime())
    if (p == path) return &c;
  return nullptr;
}

/// `file` plus its .c twin and, transitively, the runtime headers they
/// include with "...", resolved as the package's compiler resolves them
/// (the including file's folder, then -I runtime/include, then -I runtime:
/// "kernels/reference/fc_s8.h"). Error for a name the runtime does not have.
Status collectRuntime(const std::string &file, std::set<std::string> &out) {
  if (out.count(file)) return Status::ok();
  const std::string *content = findRuntime(file);
  if (!content)
    return Error(ErrorCode::Internal, "runtime file '" + file + "' is not embedded");
  out.insert(file);
  std::string dir = file.substr(0, file.rfind('/') + 1);
  if (file.size() > 2 && file.compare(file.size() - 2, 2, ".h") == 0) {
    std::string c = file.substr(0, file.size() - 2) + ".c";
    if (findRuntime(c)) EDGEC_TRY(collectRuntime(c, out));
  }
  size_t pos = 0;
  while ((pos = content->find("#include \"", pos)) != std::string::npos) {
    pos += 10;
    size_t end = content->find('"', pos);
    if (end == std::string::npos) break;
    std::string inc = content->substr(pos, end - pos);
    bool found = false;
    for (const std::string &cand : {dir + inc, "include/" + inc, inc}) {
      if (findRuntime(cand)) {
        EDGEC_TRY(collectRuntime(cand, out));
        found = true;
        break;
      }
    }
    if (!found)
      return Error(ErrorCode::Internal, "runtime file '" + file + "' includes '" + inc +
                                            "', which the runtime does not have");
  }
  return Status::ok();
}

bool isViewOp(const Node &n) {
  static const char *const ops[] = {"Reshape", "Flatten", "Squeeze", "Unsqueeze",
                                    "Identity"};
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

int64_t valueBytes(const Value &v) {
  return elementCount(v) * int64_t(dataTypeSize(v.type.dtype));
}

std::string typeStr(const Value &v) { return v.type.str(); }

enum class Kind { In, Out, Const, Arena, Alias };
struct Storage {
  Kind kind = Kind::Arena;
  int index = 0;             ///< input/output number
  const Value *of = nullptr; ///< Alias: the value this is a view of
};

} // namespace

Expected<GeneratedPackage> generatePackage(const Model &m, const McuOptions &o,
                                           const std::string &name) {
  const Graph &g = *m.graph;
  const CpuInfo *cpu = findCpu(o.cpu);
  if (!cpu) return Error(ErrorCode::Usage, "unknown --cpu '" + o.cpu + "'");

  // Every value the code touches needs a static shape and a C type.
  for (const auto &v : g.values()) {
    if (v->name.empty() && !v->producer() && !v->isGraphInput()) continue;
    if (!v->type.hasRank || !v->type.isStatic())
      return Error(ErrorCode::Unsupported,
                   "value '" + v->name + "' has a dynamic or unknown shape " +
                       v->type.str() + "; fix it with --input-shape");
    if (cType(v->type.dtype).empty())
      return Error(ErrorCode::Unsupported, "value '" + v->name + "' has element type " +
                                               v->type.str() +
                                               ", which generated code does not handle");
  }

  std::vector<const Value *> ins, outs;
  for (const Value *v : g.inputs)
    if (!v->isInitializer()) ins.push_back(v);
  for (const Value *v : g.outputs) outs.push_back(v);

  std::map<const Value *, Storage> st;
  for (size_t k = 0; k < ins.size(); ++k) st[ins[k]] = {Kind::In, int(k), nullptr};
  std::vector<std::pair<int, const Value *>> copyAtEnd; // (output k, source)
  for (size_t k = 0; k < outs.size(); ++k) {
    const Value *v = outs[k];
    if (st.count(v) || v->constant) copyAtEnd.push_back({int(k), v});
    else st[v] = {Kind::Out, int(k), nullptr};
  }
  auto root = [&](const Value *v) {
    while (true) {
      auto it = st.find(v);
      if (it == st.end() || it->second.kind != Kind::Alias) return v;
      v = it->second.of;
    }
  };

  std::vector<const Node *> sched;
  for (const auto &n : g.nodes()) sched.push_back(n.get());
  enum class NodeKind { Kernel, View, Copy, Empty };
  std::vector<NodeKind> nk(sched.size(), NodeKind::Kernel);
  for (size_t s = 0; s < sched.size(); ++s) {
    const Node &n = *sched[s];
    bool empty = !n.outputs.empty();
    for (const Value *v : n.outputs)
      if (v && elementCount(*v) > 0) empty = false;
    if (empty) nk[s] = NodeKind::Empty;
    else if (isViewOp(n)) {
      const Value *in = n.inputs[0], *out = n.outputs[0];
      bool outIsUser = st.count(out) && st[out].kind == Kind::Out;
      if (outIsUser || in->constant) nk[s] = NodeKind::Copy;
      else {
        nk[s] = NodeKind::View;
        st[out] = {Kind::Alias, 0, in};
      }
    }
    for (const Value *v : n.outputs)
      if (v && !st.count(v)) st[v] = {Kind::Arena, 0, nullptr};
  }

  // Lower.
  CodeUnit unit;
  unit.ids.reserve(name);
  for (const char *r : {"a", "arena"}) unit.ids.reserve(r);
  for (size_t k = 0; k < ins.size(); ++k) unit.ids.reserve("input" + std::to_string(k));
  for (size_t k = 0; k < outs.size(); ++k) unit.ids.reserve("output" + std::to_string(k));
  std::vector<std::string> code(sched.size());
  std::vector<int> inPlace(sched.size(), -1);
  PackageInfo info;
  for (size_t s = 0; s < sched.size(); ++s) {
    const Node &n = *sched[s];
    LayerInfo li;
    li.index = int(s);
    li.name = n.name;
    li.op = n.opType;
    for (const Value *v : n.inputs) li.inputs.push_back(v ? typeStr(*v) : "-");
    for (const Value *v : n.outputs) li.outputs.push_back(v ? typeStr(*v) : "-");
    int64_t before = unit.constantBytes;
    unit.body.clear();
    if (nk[s] == NodeKind::Empty) {
      li.kernel = "none (empty output)";
    } else if (nk[s] == NodeKind::View) {
      li.kernel = "view (no code)";
    } else if (nk[s] == NodeKind::Copy) {
      LowerContext ctx(n, int(s), o, *cpu, unit);
      ctx.emit("memcpy(" + ctx.out(0) + ", " + ctx.in(0) + ", " +
               std::to_string(valueBytes(*n.outputs[0])) + "u);");
      li.kernel = "copy";
    } else {
      const Lowering *l = findLowering(n);
      if (!l) return Error(ErrorCode::Unsupported, n.label() + ": no MCU kernel");
      std::string why = l->check(n, o);
      if (!why.empty()) return Error(ErrorCode::Unsupported, n.label() + ": " + why);
      LowerContext ctx(n, int(s), o, *cpu, unit);
      EDGEC_TRY(l->lower(ctx));
      li.kernel = ctx.kernel().empty() ? n.opType : ctx.kernel();
      li.macs = ctx.macs();
      inPlace[s] = o.inPlace ? ctx.inPlaceInput() : -1;
    }
    code[s] = unit.body;
    li.weightBytes = unit.constantBytes - before;
    info.macs += li.macs;
    info.layers.push_back(li);
  }
  info.weightBytes = unit.constantBytes;

  // Lifetimes of arena buffers (one per root value; in-place outputs join
  // their input's buffer).
  std::map<const Value *, int> bufOf;
  std::vector<plan::Buffer> bufs;
  for (size_t s = 0; s < sched.size(); ++s)
    for (const Value *v : sched[s]->outputs)
      if (v && st[v].kind == Kind::Arena && !bufOf.count(v)) {
        bufOf[v] = int(bufs.size());
        bufs.push_back({v->name, valueBytes(*v), int(s), int(s)});
      }
  std::vector<int> lastUse(bufs.size());
  for (size_t b = 0; b < bufs.size(); ++b) lastUse[b] = bufs[b].last;
  for (size_t s = 0; s < sched.size(); ++s)
    for (const Value *v : sched[s]->inputs) {
      if (!v) continue;
      const Value *r = root(v);
      auto it = bufOf.find(r);
      if (it != bufOf.end()) lastUse[size_t(it->second)] = std::max(lastUse[size_t(it->second)], int(s));
    }
  for (size_t b = 0; b < bufs.size(); ++b) bufs[b].last = lastUse[b];
  std::vector<int> group(bufs.size());
  for (size_t b = 0; b < bufs.size(); ++b) group[b] = int(b);
  auto find = [&](int b) {
    while (group[size_t(b)] != b) b = group[size_t(b)];
    return b;
  };
  for (size_t s = 0; s < sched.size(); ++s) {
    if (inPlace[s] < 0) continue;
    const Node &n = *sched[s];
    const Value *out = n.outputs[0];
    if (!bufOf.count(out) || size_t(inPlace[s]) >= n.inputs.size() || !n.inputs[size_t(inPlace[s])])
      continue;
    const Value *in = n.inputs[size_t(inPlace[s])];
    const Value *r = root(in);
    if (!bufOf.count(r)) continue;
    int bi = find(bufOf[r]), bo = bufOf[out];
    if (bufs[size_t(bi)].last != int(s) || bufs[size_t(bi)].size != bufs[size_t(bo)].size)
      continue;
    // Another operand viewing the same buffer with a different shape would
    // be overwritten while still being read.
    bool clash = false;
    for (size_t j = 0; j < n.inputs.size(); ++j)
      if (j != size_t(inPlace[s]) && n.inputs[j] && root(n.inputs[j]) == r &&
          !(n.inputs[j]->type == in->type))
        clash = true;
    if (clash) continue;
    group[size_t(bo)] = bi;
    bufs[size_t(bi)].last = std::max(bufs[size_t(bi)].last, bufs[size_t(bo)].last);
    bufs[size_t(bo)].size = 0;
    info.layers[s].inPlace = true;
  }
  // Scratch buffers.
  std::vector<int> scratchBuf;
  for (const auto &[step, bytes] : unit.scratch) {
    scratchBuf.push_back(int(bufs.size()));
    bufs.push_back({"scratch@" + std::to_string(step), bytes, step, step});
    group.push_back(int(group.size()));
  }
  // Plan only group roots (merged members have size 0 and take the root's
  // offset).
  EDGEC_ASSIGN_OR_RETURN(info.arena, plan::planArena(bufs, o.alignment, o.strategy));
  auto offsetOf = [&](int b) { return info.arena.offsets[size_t(find(b))]; };

  int64_t ioBytes = 0;
  for (const Value *v : ins) ioBytes += valueBytes(*v);
  for (const Value *v : outs) ioBytes += valueBytes(*v);
  info.ioBytes = ioBytes;
  info.arenaWithIo = info.arena.arenaSize + ioBytes;
  info.lowerBoundWithIo = info.arena.lowerBound + ioBytes;

  // Storage descriptions for the report.
  for (size_t s = 0; s < sched.size(); ++s) {
    const Node &n = *sched[s];
    if (n.outputs.empty() || !n.outputs[0]) continue;
    const Value *v = n.outputs[0];
    const Storage &sv = st[v];
    LayerInfo &li = info.layers[s];
    if (sv.kind == Kind::Out) li.storage = "output " + std::to_string(sv.index);
    else if (sv.kind == Kind::Alias) li.storage = "view of '" + root(v)->name + "'";
    else if (sv.kind == Kind::Arena) {
      li.storage = "arena";
      li.arenaOffset = offsetOf(bufOf[v]);
      li.arenaBytes = valueBytes(*v);
    }
  }

  // Placeholder substitution.
  auto valueExpr = [&](const Value *v) -> Expected<std::string> {
    const Value *r = root(v);
    const Storage &sr = st[r];
    switch (sr.kind) {
    case Kind::In: return "input" + std::to_string(sr.index);
    case Kind::Out: return "output" + std::to_string(sr.index);
    case Kind::Arena: return "(a + " + std::to_string(offsetOf(bufOf[r])) + ")";
    default: break;
    }
    return Error(ErrorCode::Internal, "value '" + v->name + "' has no storage");
  };
  std::vector<std::string> refExpr;
  for (const Value *v : unit.referenced) {
    EDGEC_ASSIGN_OR_RETURN(std::string e, valueExpr(v));
    refExpr.push_back(e);
  }
  auto substitute = [&](const std::string &text) -> std::string {
    std::string outText;
    for (size_t i = 0; i < text.size();) {
      if (text[i] == '@' && i + 2 < text.size() && (text[i + 1] == 'V' || text[i + 1] == 'S')) {
        size_t e = text.find('@', i + 2);
        if (e != std::string::npos) {
          int id = std::stoi(text.substr(i + 2, e - i - 2));
          if (text[i + 1] == 'V') outText += refExpr[size_t(id)];
          else outText += "(a + " + std::to_string(offsetOf(scratchBuf[size_t(id)])) + ")";
          i = e + 1;
          continue;
        }
      }
      outText += text[i++];
    }
    return outText;
  };

  // Runtime files.
  std::set<std::string> runtime;
  EDGEC_TRY(collectRuntime("include/edgec_rt.h", runtime));
  for (const std::string &f : unit.runtimeFiles) EDGEC_TRY(collectRuntime(f, runtime));

  // Graph outputs that are constants are copied from flash.
  std::map<int, std::string> constantOutput;
  for (const auto &[k, v] : copyAtEnd)
    if (v->constant)
      constantOutput[k] = unit.addConstant(v->name, cType(v->type.dtype), v->constant->raw(),
                                           size_t(v->constant->numElements()),
                                           dataTypeSize(v->type.dtype));

  // NAME.c
  PackageModel pm;
  pm.name = name;
  for (const Value *v : ins) pm.inputs.push_back(v);
  for (const Value *v : outs) pm.outputs.push_back(v);
  std::string c;
  c += "/* Generated by edgec from '" + cCommentText(m.graph->name) + "'. Do not edit. */\n";
  c += "#include \"" + name + ".h\"\n\n#include <string.h>\n#include <float.h>\n";
  bool needMath = false;
  for (const std::string &f : runtime)
    if (f.find("_f32") != std::string::npos) needMath = true;
  if (needMath) c += "#include <math.h>\n";
  for (const std::string &f : runtime)
    if (f.rfind("kernels/", 0) == 0 && f.size() > 2 && f.compare(f.size() - 2, 2, ".h") == 0)
      c += "#include \"" + f + "\"\n";
  c += "\n#if EDGEC_RT_VERSION_MAJOR != 1\n#error \"runtime ABI mismatch: this code needs edgec runtime 1.x\"\n#endif\n";
  c += "\n#ifdef EC_PROFILE\nvoid ec_profile_layer(int index);\n#define EC_PROFILE_POINT(i) ec_profile_layer(i)\n#else\n#define EC_PROFILE_POINT(i) ((void)0)\n#endif\n";
  c += "\n/* ---- weights and tables (flash) ---- */\n";
  for (const std::string &d : unit.constantDefs) c += d;
  c += "\n/* ---- kernel parameters ---- */\n";
  for (const std::string &d : unit.statics) c += substitute(d) + "\n";
  c += "\n" + tensorInfoTables(pm);
  c += "\n#ifdef EC_PROFILE\nconst char *const " + name + "_layer_names[" + name +
       "_NUM_LAYERS > 0 ? " + name + "_NUM_LAYERS : 1] = {\n";
  for (size_t s = 0; s < sched.size(); ++s)
    c += "  \"" + cStringLiteral(sched[s]->opType + " " + sched[s]->name) + "\",\n";
  if (sched.empty()) c += "  \"\"\n";
  c += "};\n#endif\n\n";
  c += "int " + name + "_run(" + runSignature(pm) + ") {\n";
  c += "  uint8_t *const a = (uint8_t *)arena;\n";
  std::string nullCheck;
  for (size_t k = 0; k < ins.size(); ++k)
    nullCheck += std::string(nullCheck.empty() ? "" : " || ") + "input" + std::to_string(k) + " == NULL";
  for (size_t k = 0; k < outs.size(); ++k)
    nullCheck += std::string(nullCheck.empty() ? "" : " || ") + "output" + std::to_string(k) + " == NULL";
  if (!nullCheck.empty()) c += "  if (" + nullCheck + ") return EC_ERR_NULL;\n";
  c += "  if (" + name + "_ARENA_SIZE > 0u && (a == NULL || ((uintptr_t)a & (" + name +
       "_ARENA_ALIGN - 1u)) != 0u)) return EC_ERR_ARENA_ALIGN;\n  (void)a;\n";
  for (size_t s = 0; s < sched.size(); ++s) {
    const Node &n = *sched[s];
    std::string shapes;
    for (const Value *v : n.inputs)
      if (v && !v->constant) shapes += (shapes.empty() ? "" : ", ") + typeStr(*v);
    shapes += " -> ";
    for (size_t k = 0; k < n.outputs.size(); ++k)
      if (n.outputs[k]) shapes += (k ? ", " : "") + typeStr(*n.outputs[k]);
    std::string comment =
        cCommentText(std::to_string(s) + ": " + n.opType + " '" + n.name + "' " + shapes);
    c += "\n  /* " + comment + " */\n";
    std::string body = substitute(code[s]);
    size_t p = 0;
    while (p < body.size()) {
      size_t e = body.find('\n', p);
      if (e == std::string::npos) e = body.size();
      if (e > p) c += "  " + body.substr(p, e - p) + "\n";
      p = e + 1;
    }
    c += "  EC_PROFILE_POINT(" + std::to_string(s) + ");\n";
  }
  for (const auto &[k, v] : copyAtEnd) {
    std::string src;
    if (v->constant) {
      src = constantOutput[k];
    } else {
      EDGEC_ASSIGN_OR_RETURN(src, valueExpr(v));
    }
    c += "  memcpy(output" + std::to_string(k) + ", " + src + ", " +
         std::to_string(valueBytes(*v)) + "u);\n";
  }
  c += "  return EC_OK;\n}\n\n";
  c += runGenericDefinition(pm);

  GeneratedPackage out;
  PackageLayout lay;
  lay.arenaSize = info.arena.arenaSize;
  lay.alignment = o.alignment;
  lay.layers = int(sched.size());
  out.files.push_back({name + ".h", headerFile(pm, lay)});
  out.files.push_back({name + ".c", c});
  for (const std::string &f : runtime) out.files.push_back({"runtime/" + f, *findRuntime(f)});
  for (const auto &[p, content] : embeddedRuntime())
    if (p.rfind("platform/", 0) == 0) out.files.push_back({"runtime/" + p, content});
  std::vector<std::string> kernelSources;
  for (const std::string &f : runtime)
    if (f.size() > 2 && f.compare(f.size() - 2, 2, ".c") == 0) kernelSources.push_back("runtime/" + f);
  out.files.push_back({"main.c", harnessFile(pm)});
  out.files.push_back({"Makefile", makefile(pm, kernelSources, o.cpu)});
  out.files.push_back({"CMakeLists.txt", cmakeFile(pm, kernelSources)});
  out.files.push_back({"sources.mk", sourcesFragment(pm, kernelSources)});
  std::sort(out.files.begin(), out.files.end(),
            [](const target::Artifact &x, const target::Artifact &y) { return x.path < y.path; });
  out.info = std::move(info);
  return out;
}

} // namespace edgec::mcu
