//===- Section.cpp - the OpenCL bundle section ----------------------------===//
//
// After the codegen pipeline the target module holds EmitC (the prelude
// and one `__kernel` per stage) and the `hcc.opencl.kernels` attribute;
// upstream's C emitter prints the program, the attribute becomes the
// section's kernel table.
//
//===----------------------------------------------------------------------===//

#include "OpenCLUtils.h"
#include "hcc/Target/OpenCL/OpenCLCodegen.h"

#include "mlir/Dialect/EmitC/IR/EmitC.h"
#include "mlir/Target/Cpp/CppEmitter.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/JSON.h"

using namespace mlir;

LogicalResult hcc::translateOpenCLSource(ModuleOp module, std::string &source) {
  source.clear();
  llvm::raw_string_ostream os(source);
  return emitc::translateToCpp(module, os);
}

LogicalResult hcc::emitOpenCLSection(ModuleOp module, std::string &json) {
  auto kernels = module->getAttrOfType<DictionaryAttr>(opencl::kKernelsAttr);
  if (!kernels)
    return module.emitError()
           << "OpenCL target: no " << opencl::kKernelsAttr
           << " attribute (run hcc-opencl-codegen-pipeline first)";
  std::string source;
  if (failed(translateOpenCLSource(module, source)))
    return failure();

  auto bad = [&](StringRef kernel) {
    return module.emitError() << "OpenCL target: malformed entry '" << kernel
                              << "' in " << opencl::kKernelsAttr;
  };
  json.clear();
  llvm::raw_string_ostream os(json);
  llvm::json::OStream out(os, /*IndentSize=*/1);
  out.object([&] {
    out.attribute("format", "hcc-opencl-c/1");
    out.attribute("source", source);
    out.attribute("options", "-cl-std=CL1.2");
    out.attributeBegin("kernels");
    out.objectBegin();
    for (NamedAttribute kernel : kernels) {
      auto meta = dyn_cast<DictionaryAttr>(kernel.getValue());
      auto numArgs = meta ? meta.getAs<IntegerAttr>("num_args") : nullptr;
      auto scratch = meta ? meta.getAs<ArrayAttr>("scratch") : nullptr;
      auto stages = meta ? meta.getAs<ArrayAttr>("stages") : nullptr;
      if (!numArgs || !scratch || !stages) {
        (void)bad(kernel.getName());
        json.clear();
        continue;
      }
      out.attributeBegin(kernel.getName().getValue());
      out.objectBegin();
      out.attribute("num_args", numArgs.getInt());
      out.attributeArray("scratch", [&] {
        for (Attribute a : scratch)
          out.value(cast<IntegerAttr>(a).getInt());
      });
      out.attributeArray("stages", [&] {
        for (Attribute a : stages) {
          auto stage = cast<DictionaryAttr>(a);
          out.object([&] {
            out.attribute("entry", stage.getAs<StringAttr>("entry").getValue());
            out.attribute("global_size",
                          stage.getAs<IntegerAttr>("global_size").getInt());
            out.attributeArray("args", [&] {
              for (Attribute idx : stage.getAs<ArrayAttr>("args"))
                out.value(cast<IntegerAttr>(idx).getInt());
            });
          });
        }
      });
      out.objectEnd();
      out.attributeEnd();
    }
    out.objectEnd();
    out.attributeEnd();
  });
  os << "\n";
  return success(!json.empty());
}

void hcc::registerOpenCLTranslations() {
  auto registerDialects = [](DialectRegistry &registry) {
    registry.insert<emitc::EmitCDialect>();
  };
  TranslateFromMLIRRegistration source(
      "emit-opencl",
      "OpenCL C source of a module after hcc-opencl-codegen-pipeline",
      [](Operation *op, raw_ostream &os) -> LogicalResult {
        auto module = dyn_cast<ModuleOp>(op);
        if (!module)
          return op->emitError("expected a builtin.module");
        std::string text;
        if (failed(translateOpenCLSource(module, text)))
          return failure();
        os << text;
        return success();
      },
      registerDialects);
  TranslateFromMLIRRegistration section(
      "emit-opencl-section",
      "OpenCL bundle section (JSON) of a module after "
      "hcc-opencl-codegen-pipeline",
      [](Operation *op, raw_ostream &os) -> LogicalResult {
        auto module = dyn_cast<ModuleOp>(op);
        if (!module)
          return op->emitError("expected a builtin.module");
        std::string json;
        if (failed(emitOpenCLSection(module, json)))
          return failure();
        os << json;
        return success();
      },
      registerDialects);
}
