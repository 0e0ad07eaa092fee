//===- compile_fuzzer.cpp - fuzzes the whole compile at -O0 ---------------===//
//
// The input is an .onnx file compiled as `hcc-compile --targets=cpu -O0`
// does, under the fuzzers' budgets: import, the graph pipeline, placement
// and kernel outlining, CPU code generation and serialization to a bundle
// in memory. Any failure must be a proper error, never a crash or an
// assert; a model that compiles must give a bundle the runtime loads.
//
//===----------------------------------------------------------------------===//

#include "FuzzCompiler.h"

#include "dialects/Exec/IR/ExecDialect.h"
#include "hcc/Bundle/BundleEmitter.h"
#include "hcc/InitAllTargets.h"
#include "hcc/Pipelines/Pipelines.h"
#include "hcc/Target/Target.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"

#include <cstdio>
#include <cstdlib>

using namespace mlir;

namespace {
bool compile(ModuleOp module) {
  MLIRContext *context = module.getContext();
  PassManager pm(context);
  hcc::buildGraphPipeline(pm, {});
  hcc::PlacementPipelineOptions placement;
  placement.targets = {"cpu"};
  hcc::buildPlacementPipeline(pm, placement);
  if (failed(pm.run(module)))
    return false;
  auto funcs = module.getOps<func::FuncOp>();
  if (std::distance(funcs.begin(), funcs.end()) != 1)
    return false;
  func::FuncOp host = *funcs.begin();
  if (failed(hcc::checkBundleTypes(host)))
    return false;
  hcc::CodegenOptions options;
  options.optLevel = 0;
  for (auto targetModule : module.getOps<ModuleOp>()) {
    auto attr = hcc::exec::getTarget(targetModule);
    const hcc::Target *target =
        attr ? hcc::lookupTarget(attr.getName(), targetModule.getLoc())
             : nullptr;
    if (!target)
      return false;
    options.config = attr.getConfig();
    PassManager codegen(context, ModuleOp::getOperationName());
    target->buildCodegenPipeline(codegen, options);
    std::vector<uint8_t> code;
    if (failed(codegen.run(targetModule)) ||
        failed(target->serialize(targetModule, options, code)))
      return false;
  }
  return true;
}
} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  hcc::registerAllTargets();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  OwningOpRef<ModuleOp> module = hcc::fuzz::importChecked(
      llvm::StringRef(reinterpret_cast<const char *>(data), size), "fuzz.onnx");
  if (module && !compile(*module))
    hcc::fuzz::checkRejection();
  return 0;
}
