//===- Section.cpp - the CUDA bundle section ------------------------------===//
//
// After the pipeline the target module holds one gpu.binary with the PTX
// of every stage kernel. When the CUDA toolkit's ptxas is present it
// assembles that PTX for each cubin architecture: what the driver loads
// without a JIT, and the check that the PTX is valid; its `-v` report gives
// each kernel's registers and spills.
//
//===----------------------------------------------------------------------===//

#include "hcc/Target/CUDA/CUDATarget.h"
#include "hcc/Target/OpenCL/OpenCLCodegen.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/Base64.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/Regex.h"

#include <map>

using namespace mlir;

namespace {

/// Registers and spill bytes of one kernel for one architecture.
struct Resources {
  int64_t registers = 0;
  int64_t spillBytes = 0;
};

/// The PTX of the module's gpu.binary, or an error.
FailureOr<std::string> modulePTX(ModuleOp module) {
  auto binaries = module.getOps<gpu::BinaryOp>();
  if (std::distance(binaries.begin(), binaries.end()) != 1)
    return module.emitError() << "CUDA target: expected one gpu.binary (run "
                                 "hcc-cuda-codegen-pipeline first)";
  gpu::BinaryOp binary = *binaries.begin();
  for (Attribute attr : binary.getObjects()) {
    auto object = dyn_cast<gpu::ObjectAttr>(attr);
    if (object && object.getFormat() == gpu::CompilationTarget::Assembly)
      return object.getObject().str();
  }
  return binary.emitError() << "CUDA target: gpu.binary holds no PTX "
                               "(format=isa)";
}

/// Parses ptxas -v: "Compiling entry function 'k' for 'sm_80'", then
/// "N bytes spill stores, M bytes spill loads" and "Used R registers".
void parseVerbose(StringRef text, std::map<std::string, Resources> &resources) {
  llvm::Regex entry("Compiling entry function '([A-Za-z0-9_]+)'");
  llvm::Regex spills("([0-9]+) bytes spill stores, ([0-9]+) bytes spill loads");
  llvm::Regex regs("Used ([0-9]+) registers");
  std::string current;
  SmallVector<StringRef> lines;
  text.split(lines, '\n');
  for (StringRef line : lines) {
    SmallVector<StringRef> m;
    if (entry.match(line, &m)) {
      current = m[1].str();
      resources[current];
      continue;
    }
    if (current.empty())
      continue;
    if (spills.match(line, &m)) {
      int64_t stores = 0, loads = 0;
      m[1].getAsInteger(10, stores);
      m[2].getAsInteger(10, loads);
      resources[current].spillBytes = stores + loads;
    } else if (regs.match(line, &m)) {
      m[1].getAsInteger(10, resources[current].registers);
    }
  }
}

/// Runs ptxas on `ptxPath` for `arch`; the cubin's bytes on success, else
/// an error on `module` with ptxas's messages.
FailureOr<std::string> assemble(ModuleOp module, StringRef ptxas,
                                StringRef ptxPath, StringRef arch,
                                std::map<std::string, Resources> &resources) {
  SmallString<128> cubin, log;
  if (llvm::sys::fs::createTemporaryFile("hcc-cuda", "cubin", cubin) ||
      llvm::sys::fs::createTemporaryFile("hcc-cuda", "log", log))
    return module.emitError() << "CUDA target: cannot create temporary files";
  auto cleanup = llvm::make_scope_exit([&] {
    llvm::sys::fs::remove(cubin);
    llvm::sys::fs::remove(log);
  });
  std::string archFlag = ("-arch=" + arch).str();
  SmallVector<StringRef> args = {ptxas, archFlag, "-O3",  "-v",
                                 "-o",  cubin,    ptxPath};
  std::optional<StringRef> redirects[] = {std::nullopt, StringRef(log),
                                          StringRef(log)};
  std::string error;
  int rc = llvm::sys::ExecuteAndWait(ptxas, args, std::nullopt, redirects,
                                     /*SecondsToWait=*/300, 0, &error);
  auto output = llvm::MemoryBuffer::getFile(log);
  StringRef text = output ? (*output)->getBuffer() : StringRef();
  if (rc != 0)
    return module.emitError()
           << "CUDA target: ptxas rejected the PTX for " << arch << " ("
           << (error.empty() ? "exit " + std::to_string(rc) : error) << "):\n"
           << text;
  std::map<std::string, Resources> forArch;
  parseVerbose(text, forArch);
  for (auto &[name, r] : forArch)
    resources[(name + "\n" + arch).str()] = r;
  auto bytes = llvm::MemoryBuffer::getFile(cubin);
  if (!bytes)
    return module.emitError()
           << "CUDA target: ptxas wrote no cubin for " << arch;
  return (*bytes)->getBuffer().str();
}

} // namespace

LogicalResult hcc::emitCUDASection(ModuleOp module,
                                   const CUDACodegenOptions &options,
                                   std::string &json) {
  FailureOr<std::string> ptx = modulePTX(module);
  if (failed(ptx))
    return failure();

  std::map<std::string, std::string> cubins;
  std::map<std::string, Resources> resources; // "entry\narch"
  std::string toolkit = cudaToolkitPath(options.toolkitPath);
  SmallString<128> ptxas(toolkit);
  llvm::sys::path::append(ptxas, "bin", "ptxas");
  if (!toolkit.empty() && llvm::sys::fs::can_execute(ptxas)) {
    SmallString<128> ptxPath;
    int fd;
    if (llvm::sys::fs::createTemporaryFile("hcc-cuda", "ptx", fd, ptxPath))
      return module.emitError() << "CUDA target: cannot create a temporary "
                                   "file";
    auto cleanup =
        llvm::make_scope_exit([&] { llvm::sys::fs::remove(ptxPath); });
    {
      llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
      os << *ptx;
    }
    for (const std::string &arch : options.cubinArchs) {
      FailureOr<std::string> cubin =
          assemble(module, ptxas, ptxPath, arch, resources);
      if (failed(cubin))
        return failure();
      cubins[arch] = llvm::encodeBase64(*cubin);
    }
  }

  json.clear();
  llvm::raw_string_ostream os(json);
  llvm::json::OStream out(os, /*IndentSize=*/1);
  LogicalResult status = success();
  out.object([&] {
    out.attribute("format", "hcc-cuda/1");
    out.attribute("ptx_arch", options.ptxArch);
    out.attribute("ptx", *ptx);
    out.attributeObject("cubins", [&] {
      for (auto &[arch, data] : cubins)
        out.attribute(arch, data);
    });
    out.attributeObject("resources", [&] {
      std::map<std::string, std::map<std::string, Resources>> byEntry;
      for (auto &[key, r] : resources) {
        auto [entry, arch] = StringRef(key).split('\n');
        byEntry[entry.str()][arch.str()] = r;
      }
      for (auto &entryArchs : byEntry) {
        // Not structured bindings: lambdas capture those only from C++20.
        const auto &archs = entryArchs.second;
        out.attributeObject(entryArchs.first, [&] {
          for (auto &entryArch : archs) {
            const Resources &r = entryArch.second;
            out.attributeObject(entryArch.first, [&] {
              out.attribute("registers", r.registers);
              out.attribute("spill_bytes", r.spillBytes);
            });
          }
        });
      }
    });
    status = writeKernelTable(module, out);
  });
  os << "\n";
  return status;
}

void hcc::registerCUDATranslations() {
  auto dialects = [](DialectRegistry &registry) {
    registerCUDADialects(registry);
  };
  TranslateFromMLIRRegistration ptx(
      "emit-cuda-ptx", "PTX of a module after hcc-cuda-codegen-pipeline",
      [](Operation *op, raw_ostream &os) -> LogicalResult {
        auto module = dyn_cast<ModuleOp>(op);
        if (!module)
          return op->emitError("expected a builtin.module");
        FailureOr<std::string> text = modulePTX(module);
        if (failed(text))
          return failure();
        os << *text;
        return success();
      },
      dialects);
  TranslateFromMLIRRegistration section(
      "emit-cuda-section",
      "CUDA bundle section (JSON; cubins when ptxas is present) of a module "
      "after hcc-cuda-codegen-pipeline",
      [](Operation *op, raw_ostream &os) -> LogicalResult {
        auto module = dyn_cast<ModuleOp>(op);
        if (!module)
          return op->emitError("expected a builtin.module");
        std::string json;
        if (failed(emitCUDASection(module, {}, json)))
          return failure();
        os << json;
        return success();
      },
      dialects);
}
