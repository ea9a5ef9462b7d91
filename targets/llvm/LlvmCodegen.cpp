// Object code through LLVM 14 (see LlvmCodegen.h).
#include "targets/llvm/LlvmCodegen.h"

#include "support/FileIO.h"
#include "support/Process.h"

#include <llvm/ADT/SmallVector.h>
#include <llvm/Bitcode/BitcodeReader.h>
#include <llvm/Config/llvm-config.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/DataLayout.h>
#include <llvm/IR/GlobalVariable.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Linker/Linker.h>
#include <llvm/MC/MCSubtargetInfo.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Object/ELFObjectFile.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/Target/TargetOptions.h>
#include <llvm/Transforms/IPO/Internalize.h>

#include <cstdlib>
#include <cstring>
#include <map>
#include <filesystem>
#include <mutex>
#include <set>

namespace edgec::llvmtarget {

namespace {

void initLlvm() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeAllTargetInfos();
    llvm::InitializeAllTargets();
    llvm::InitializeAllTargetMCs();
    llvm::InitializeAllAsmPrinters();
    llvm::InitializeAllAsmParsers(); // inline assembly (Cortex-M DSP kernels)
  });
}

Expected<const llvm::Target *> lookup(const TripleInfo &t) {
  initLlvm();
  std::string err;
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(t.triple, err);
  if (!target)
    return Error(ErrorCode::Unsupported, std::string("LLVM has no target for '") + t.triple +
                                             "': " + err);
  return target;
}

std::vector<std::string> splitFeatures(const std::string &s) {
  std::vector<std::string> out;
  size_t b = 0;
  while (b <= s.size()) {
    size_t e = s.find(',', b);
    if (e == std::string::npos) e = s.size();
    if (e > b) out.push_back(s.substr(b, e - b));
    b = e + 1;
  }
  return out;
}

/// clang-14: $EDGEC_CLANG, else on $PATH, else LLVM 14's bin folder.
std::string findClang() {
  if (const char *e = std::getenv("EDGEC_CLANG"); e && *e) return e;
  std::string c = findOnPath("clang-14");
  if (!c.empty()) return c;
  std::error_code ec;
  if (std::filesystem::exists("/usr/lib/llvm-14/bin/clang", ec)) return "/usr/lib/llvm-14/bin/clang";
  return "";
}

std::string oneLine(std::string s) {
  if (s.size() > 1500) s = s.substr(0, 1500);
  for (char &c : s)
    if (c == '\n') c = ' ';
  return s;
}

/// Compiles r.compile to bitcode (NAME.c -> NAME.c.bc) in `dir`, several at once.
Status compileToBitcode(const CodegenRequest &r, const std::string &dir) {
  const std::string clang = findClang();
  if (clang.empty())
    return Error(ErrorCode::Unsupported,
                 "--target llvm needs clang-14 (Debian: apt install clang-14; or set EDGEC_CLANG)");
  const TripleInfo &t = *r.triple;
  std::string flags = std::string("--target=") + t.triple + " " + t.cpuFlag + shellQuote(r.cpu);
  for (const std::string &f : splitFeatures(r.features))
    flags += " -Xclang -target-feature -Xclang " + shellQuote(f);
  if (*t.clangFlags) flags += std::string(" ") + t.clangFlags;
  flags += t.pic ? " -fPIC" : " -fno-pic";
  // O3 attributes but no optimization yet: the whole program is optimized
  // once, after linking. No contraction: float results as the C package
  // and the interpreter round them.
  // No frame pointer: the Cortex-M DSP kernels' inline assembly needs 13
  // registers (with r7 reserved LLVM 14's greedy allocator crashes).
  flags += " -fomit-frame-pointer -std=c99 -O3 -Xclang -disable-llvm-optzns -fno-math-errno -ffp-contract=off"
           " -ffunction-sections -fdata-sections -w -I. -Iruntime/include -Iruntime"
           " -emit-llvm -c";
  std::string list;
  for (const std::string &f : r.compile) list += shellQuote(f) + "\n";
  EDGEC_TRY(writeFileBytes(dir + "/edgec_sources.txt", list));
  // Relative paths from `dir`: nothing of the temporary folder's name
  // reaches the module (deterministic objects).
  std::string cmd = "cd " + shellQuote(dir) + " && xargs -P 4 -I{} " + shellQuote(clang) + " " +
                    flags + " {} -o {}.bc < edgec_sources.txt";
  std::string log = dir + "/edgec_clang.log";
  int rc = runCommand(cmd, log);
  if (rc != 0) {
    auto text = readFileBytes(log);
    return Error(ErrorCode::Internal, "clang-14 failed (exit " + std::to_string(rc) +
                                          "): " + oneLine(text.isOk() ? *text : ""));
  }
  return Status::ok();
}

/// An output stream into a std::string that the object writer can seek
/// back into (no second copy of a large object).
class StringPwriteStream : public llvm::raw_pwrite_stream {
public:
  explicit StringPwriteStream(std::string &s) : s_(s) { SetUnbuffered(); }

private:
  void write_impl(const char *p, size_t n) override { s_.append(p, n); }
  void pwrite_impl(const char *p, size_t n, uint64_t at) override {
    if (at + n > s_.size()) s_.resize(size_t(at + n));
    std::memcpy(&s_[size_t(at)], p, n);
  }
  uint64_t current_pos() const override { return s_.size(); }
  std::string &s_;
};

/// A weight defined in the module: its symbol and bytes.
struct Defined {
  std::string symbol;
  const std::string *bytes;
};

/// Replaces the extern declaration of each weight the optimized code still
/// uses by an internal constant i8 array of zeros of its size, in read-only
/// data: the code generator writes zeros cheaply (a fill, no copy of the
/// data in LLVM) and patchWeights() puts the bytes in the object. Runs after
/// optimization, so no load of a weight is folded to zero.
Expected<std::vector<Defined>> defineWeights(llvm::Module &m, const std::vector<WeightData> &weights) {
  const llvm::DataLayout &dl = m.getDataLayout();
  llvm::Type *i8 = llvm::Type::getInt8Ty(m.getContext());
  std::vector<Defined> out;
  for (const WeightData &w : weights) {
    llvm::GlobalVariable *decl = m.getNamedGlobal(w.symbol);
    if (!decl) continue; // never used (or optimized away)
    auto *at = llvm::dyn_cast<llvm::ArrayType>(decl->getValueType());
    if (!at || !decl->isDeclaration())
      return Error(ErrorCode::Internal, "weight '" + w.symbol + "' is not an extern array");
    const uint64_t bytes = at->getNumElements() * dl.getTypeAllocSize(at->getElementType());
    const uint64_t have = w.count == 0 ? bytes : w.bytes->size();
    if (have != bytes)
      return Error(ErrorCode::Internal, "weight '" + w.symbol + "': " + std::to_string(have) +
                                            " bytes for " + std::to_string(bytes) + " declared");
    llvm::Type *type = llvm::ArrayType::get(i8, bytes);
    auto *g = new llvm::GlobalVariable(m, type, true, llvm::GlobalValue::InternalLinkage,
                                       llvm::ConstantAggregateZero::get(type), "");
    g->setAlignment(llvm::Align(16));
    g->takeName(decl);
    decl->replaceAllUsesWith(llvm::ConstantExpr::getBitCast(g, decl->getType()));
    decl->eraseFromParent();
    if (w.count != 0) out.push_back({w.symbol, w.bytes});
  }
  return out;
}

/// Writes each weight's bytes over its zeros in the object (found by its
/// local symbol: section file offset + value, bounds-checked).
Status patchWeights(std::string &obj, const std::vector<Defined> &weights) {
  std::map<std::string, const std::string *> want;
  for (const Defined &d : weights) want[d.symbol] = d.bytes;
  auto file = llvm::object::ObjectFile::createObjectFile(
      llvm::MemoryBufferRef(llvm::StringRef(obj.data(), obj.size()), "object"));
  if (!file) return Error(ErrorCode::Internal, "reading the object: " + llvm::toString(file.takeError()));
  auto *elf = llvm::dyn_cast<llvm::object::ELFObjectFileBase>(file->get());
  if (!elf) return Error(ErrorCode::Internal, "the object is not ELF");
  size_t done = 0;
  for (const llvm::object::SymbolRef &sym : elf->symbols()) {
    auto name = sym.getName();
    if (!name) return Error(ErrorCode::Internal, llvm::toString(name.takeError()));
    auto it = want.find(name->str());
    if (it == want.end()) continue;
    auto sec = sym.getSection();
    if (!sec || *sec == elf->section_end())
      return Error(ErrorCode::Internal, "weight '" + it->first + "' has no section");
    const llvm::object::ELFSectionRef es(**sec);
    auto value = sym.getValue();
    if (!value) return Error(ErrorCode::Internal, llvm::toString(value.takeError()));
    const uint64_t at = es.getOffset() + *value, n = it->second->size();
    if (es.getType() != llvm::ELF::SHT_PROGBITS || *value + n > es.getSize() ||
        at + n > obj.size())
      return Error(ErrorCode::Internal, "weight '" + it->first + "' is not in file data");
    std::memcpy(obj.data() + at, it->second->data(), n);
    want.erase(it);
    ++done;
  }
  if (!want.empty())
    return Error(ErrorCode::Internal, "weight '" + want.begin()->first + "' not found in the object");
  return Status::ok();
}

std::unique_ptr<llvm::TargetMachine> makeMachine(const llvm::Target &target, const TripleInfo &t,
                                                 const std::string &cpu,
                                                 const std::string &features) {
  llvm::TargetOptions to;
  to.FunctionSections = true;
  to.DataSections = true;
  if (std::string(t.triple).find("eabihf") != std::string::npos)
    to.FloatABIType = llvm::FloatABI::Hard;
  return std::unique_ptr<llvm::TargetMachine>(target.createTargetMachine(
      t.triple, cpu, features, to, t.pic ? llvm::Reloc::PIC_ : llvm::Reloc::Static,
      llvm::None, llvm::CodeGenOpt::Aggressive));
}

void optimize(llvm::Module &m, llvm::TargetMachine &tm) {
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder pb(&tm);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  llvm::ModulePassManager mpm = pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O3);
  mpm.run(m, mam);
}

} // namespace

Status checkCpu(const TripleInfo &t, const std::string &cpu, const std::string &features) {
  EDGEC_ASSIGN_OR_RETURN(const llvm::Target *target, lookup(t));
  std::unique_ptr<llvm::MCSubtargetInfo> sti(target->createMCSubtargetInfo(t.triple, "", ""));
  if (!sti) return Error(ErrorCode::Internal, std::string("no subtarget for ") + t.triple);
  if (!sti->isCPUStringValid(cpu))
    return Error(ErrorCode::Usage, "--cpu '" + cpu + "' is not a CPU LLVM 14 knows for " +
                                       t.triple);
  // Names are not checked here (LLVM 14 has no public list; an unknown one
  // is reported by LLVM as ignored).
  for (const std::string &f : splitFeatures(features)) {
    if (f.size() < 2 || (f[0] != '+' && f[0] != '-'))
      return Error(ErrorCode::Usage, "--features: '" + f + "' must be +NAME or -NAME");
  }
  return Status::ok();
}

Expected<CodegenResult> compileObject(const CodegenRequest &r) {
  EDGEC_ASSIGN_OR_RETURN(const llvm::Target *target, lookup(*r.triple));
  EDGEC_ASSIGN_OR_RETURN(std::string dir, makeTempDir("edgec-llvm-"));
  TempDir keep(dir);
  for (const auto &[path, content] : r.files) {
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(dir + "/" + path).parent_path(), ec);
    EDGEC_TRY(writeFileBytes(dir + "/" + path, content));
  }
  EDGEC_TRY(compileToBitcode(r, dir));

  auto ctx = std::make_unique<llvm::LLVMContext>();
  std::unique_ptr<llvm::Module> m;
  for (const std::string &f : r.compile) {
    EDGEC_ASSIGN_OR_RETURN(std::string bc, readFileBytes(dir + "/" + f + ".bc"));
    auto mod = llvm::parseBitcodeFile(llvm::MemoryBufferRef(bc, f), *ctx);
    if (!mod)
      return Error(ErrorCode::Internal, f + ".bc: " + llvm::toString(mod.takeError()));
    if (!m) {
      m = std::move(*mod);
      continue;
    }
    if (llvm::Linker::linkModules(*m, std::move(*mod)))
      return Error(ErrorCode::Internal, "linking the bitcode of " + f + " failed");
  }
  if (!m) return Error(ErrorCode::Internal, "no sources to compile");
  const std::set<std::string> exported(r.exported.begin(), r.exported.end());
  llvm::internalizeModule(*m, [&](const llvm::GlobalValue &gv) {
    return exported.count(gv.getName().str()) != 0;
  });
  std::string verify;
  llvm::raw_string_ostream vs(verify);
  if (llvm::verifyModule(*m, &vs)) return Error(ErrorCode::Internal, "invalid module: " + oneLine(vs.str()));

  std::unique_ptr<llvm::TargetMachine> tm = makeMachine(*target, *r.triple, r.cpu, r.features);
  if (!tm) return Error(ErrorCode::Internal, std::string("no target machine for ") + r.triple->triple);
  m->setDataLayout(tm->createDataLayout());
  optimize(*m, *tm);
  EDGEC_ASSIGN_OR_RETURN(std::vector<Defined> defined, defineWeights(*m, r.weights));

  // The object, then the module freed before the weights are patched in.
  CodegenResult out;
  {
    StringPwriteStream os(out.object);
    llvm::legacy::PassManager pm;
    if (tm->addPassesToEmitFile(pm, os, nullptr, llvm::CGFT_ObjectFile))
      return Error(ErrorCode::Internal, "LLVM cannot write objects for " + std::string(r.triple->triple));
    pm.run(*m);
  }
  m.reset();
  ctx.reset();
  EDGEC_TRY(patchWeights(out.object, defined));
  out.llvmVersion = LLVM_VERSION_STRING;
  return out;
}

} // namespace edgec::llvmtarget
