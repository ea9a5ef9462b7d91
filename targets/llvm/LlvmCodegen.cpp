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
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/Target/TargetOptions.h>
#include <llvm/Transforms/IPO/Internalize.h>

#include <cstdlib>
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
  flags += " -std=c99 -O3 -Xclang -disable-llvm-optzns -fno-math-errno -ffp-contract=off"
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

/// Replaces the extern declaration of each weight by an internal constant
/// byte array holding its data (an i8 array: written out as one block).
Status defineWeights(llvm::Module &m, const std::vector<WeightData> &weights) {
  const llvm::DataLayout &dl = m.getDataLayout();
  llvm::Type *i8 = llvm::Type::getInt8Ty(m.getContext());
  for (const WeightData &w : weights) {
    llvm::GlobalVariable *decl = m.getNamedGlobal(w.symbol);
    if (!decl) continue; // declared but never used: clang drops it
    auto *at = llvm::dyn_cast<llvm::ArrayType>(decl->getValueType());
    if (!at || !decl->isDeclaration())
      return Error(ErrorCode::Internal, "weight '" + w.symbol + "' is not an extern array");
    const uint64_t bytes = at->getNumElements() * dl.getTypeAllocSize(at->getElementType());
    std::string data = *w.bytes;
    if (w.count == 0) data.assign(size_t(bytes), '\0');
    if (data.size() != bytes)
      return Error(ErrorCode::Internal, "weight '" + w.symbol + "': " +
                                            std::to_string(data.size()) + " bytes for " +
                                            std::to_string(bytes) + " declared");
    llvm::Constant *init = llvm::ConstantDataArray::getRaw(data, bytes, i8);
    auto *g = new llvm::GlobalVariable(m, init->getType(), true,
                                       llvm::GlobalValue::InternalLinkage, init, "");
    g->setAlignment(llvm::Align(16));
    g->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
    g->takeName(decl);
    decl->replaceAllUsesWith(llvm::ConstantExpr::getBitCast(g, decl->getType()));
    decl->eraseFromParent();
  }
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

void optimize(llvm::Module &m, llvm::TargetMachine &tm, int level) {
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
  llvm::ModulePassManager mpm = pb.buildPerModuleDefaultPipeline(
      level >= 3 ? llvm::OptimizationLevel::O3 : llvm::OptimizationLevel::O2);
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

  llvm::LLVMContext ctx;
  std::unique_ptr<llvm::Module> m;
  for (const std::string &f : r.compile) {
    EDGEC_ASSIGN_OR_RETURN(std::string bc, readFileBytes(dir + "/" + f + ".bc"));
    auto mod = llvm::parseBitcodeFile(llvm::MemoryBufferRef(bc, f), ctx);
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
  EDGEC_TRY(defineWeights(*m, r.weights));
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
  optimize(*m, *tm, r.triple->optLevel);

  llvm::SmallVector<char, 0> buf;
  llvm::raw_svector_ostream os(buf);
  llvm::legacy::PassManager pm;
  if (tm->addPassesToEmitFile(pm, os, nullptr, llvm::CGFT_ObjectFile))
    return Error(ErrorCode::Internal, "LLVM cannot write objects for " + std::string(r.triple->triple));
  pm.run(*m);
  CodegenResult out;
  out.object.assign(buf.data(), buf.size());
  out.llvmVersion = LLVM_VERSION_STRING;
  return out;
}

} // namespace edgec::llvmtarget
