//===- FuzzCompiler.cpp - what the compiler fuzzers share -----------------===//

#include "FuzzCompiler.h"

#include "hcc/InitAllDialects.h"
#include "hcc/InitAllTargets.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

using namespace mlir;

namespace hcc::fuzz {
namespace {
constexpr unsigned kInputsPerContext = 256;
constexpr size_t kMaxMessage = 1000;

struct Fuzzing {
  std::unique_ptr<MLIRContext> context;
  std::unique_ptr<ScopedDiagnosticHandler> handler;
  std::vector<std::string> errors;
  unsigned uses = 0;
};

Fuzzing &state() {
  static Fuzzing *s = new Fuzzing;
  return *s;
}
} // namespace

MLIRContext &freshContext() {
  Fuzzing &s = state();
  if (!s.context || ++s.uses % kInputsPerContext == 0) {
    s.handler.reset();
    DialectRegistry registry;
    hcc::registerAllDialects(registry);
    hcc::registerAllTargetDialects(registry);
    s.context = std::make_unique<MLIRContext>(registry,
                                              MLIRContext::Threading::DISABLED);
    s.context->loadAllAvailableDialects();
    s.context->printOpOnDiagnostic(false);
    s.handler = std::make_unique<ScopedDiagnosticHandler>(
        s.context.get(), [](Diagnostic &diag) {
          if (diag.getSeverity() == DiagnosticSeverity::Error)
            state().errors.push_back(diag.str());
          return success();
        });
  }
  s.errors.clear();
  return *s.context;
}

onnx_import::ImportOptions fuzzImportOptions() {
  onnx_import::ImportOptions options;
  options.maxNodes = 4096;
  options.maxNodeInputs = 1024;
  options.maxSubgraphDepth = 8;
  options.maxTensorBytes = uint64_t(16) << 20;
  options.maxTotalConstantBytes = uint64_t(64) << 20;
  options.maxModelBytes = uint64_t(4) << 20;
  // External data is never read: no file next to "fuzz.onnx" exists.
  options.externalDataDir = "/nonexistent-hcc-fuzz-dir";
  return options;
}

void checkRejection() {
  const std::vector<std::string> &errors = state().errors;
  if (errors.empty()) {
    std::fprintf(stderr, "hcc-fuzz: failed without an error message\n");
    std::abort();
  }
  for (const std::string &e : errors)
    if (e.size() > kMaxMessage || e.find('\n') != std::string::npos) {
      std::fprintf(stderr,
                   "hcc-fuzz: error message of %zu bytes or several "
                   "lines: %.300s\n",
                   e.size(), e.c_str());
      std::abort();
    }
}

OwningOpRef<ModuleOp> importChecked(llvm::StringRef bytes,
                                    llvm::StringRef path) {
  MLIRContext &context = freshContext();
  OwningOpRef<ModuleOp> module =
      onnx_import::importModel(bytes, path, &context, fuzzImportOptions());
  if (!module) {
    checkRejection();
    return nullptr;
  }
  // What the importer builds must verify: a failure here is a compiler bug.
  if (failed(verify(*module))) {
    std::fprintf(stderr, "hcc-fuzz: the imported module does not verify\n");
    std::abort();
  }
  return module;
}

} // namespace hcc::fuzz
