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

/// The kernel table as a JSON object (checked before anything is written).
static LogicalResult writeKernelObject(ModuleOp module,
                                       llvm::json::OStream &out) {
  auto kernels =
      module->getAttrOfType<DictionaryAttr>(hcc::opencl::kKernelsAttr);
  if (!kernels)
    return module.emitError()
           << "no " << hcc::opencl::kKernelsAttr
           << " attribute (split the kernels into stages first)";
  // Checked before anything is written.
  for (NamedAttribute kernel : kernels) {
    auto meta = dyn_cast<DictionaryAttr>(kernel.getValue());
    auto numArgs = meta ? meta.getAs<IntegerAttr>("num_args") : nullptr;
    auto scratch = meta ? meta.getAs<ArrayAttr>("scratch") : nullptr;
    auto stages = meta ? meta.getAs<ArrayAttr>("stages") : nullptr;
    bool ok = numArgs && scratch && stages &&
              llvm::all_of(scratch, llvm::IsaPred<IntegerAttr>);
    for (Attribute a : stages ? stages.getValue() : ArrayRef<Attribute>()) {
      auto stage = dyn_cast<DictionaryAttr>(a);
      auto global = stage ? stage.getAs<IntegerAttr>("global_size") : nullptr;
      auto args = stage ? stage.getAs<ArrayAttr>("args") : nullptr;
      // Arguments index the kernel's buffers (num_args of them, then its
      // scratch buffers); every stage runs at least one work-item.
      int64_t buffers =
          numArgs && scratch ? numArgs.getInt() + int64_t(scratch.size()) : 0;
      ok = ok && stage && stage.getAs<StringAttr>("entry") && global &&
           global.getInt() > 0 && args &&
           llvm::all_of(args, [&](Attribute arg) {
             auto i = dyn_cast<IntegerAttr>(arg);
             return i && i.getInt() >= 0 && i.getInt() < buffers;
           });
    }
    if (!ok)
      return module.emitError() << "malformed entry '" << kernel.getName()
                                << "' in " << hcc::opencl::kKernelsAttr;
  }
  out.objectBegin();
  for (NamedAttribute kernel : kernels) {
    auto meta = cast<DictionaryAttr>(kernel.getValue());
    out.attributeBegin(kernel.getName().getValue());
    out.objectBegin();
    out.attribute("num_args", meta.getAs<IntegerAttr>("num_args").getInt());
    out.attributeArray("scratch", [&] {
      for (Attribute a : meta.getAs<ArrayAttr>("scratch"))
        out.value(cast<IntegerAttr>(a).getInt());
    });
    out.attributeArray("stages", [&] {
      for (Attribute a : meta.getAs<ArrayAttr>("stages")) {
        auto stage = cast<DictionaryAttr>(a);
        out.object([&] {
          out.attribute("entry", stage.getAs<StringAttr>("entry").getValue());
          out.attribute("global_size",
                        stage.getAs<IntegerAttr>("global_size").getInt());
          if (auto local = stage.getAs<IntegerAttr>("local_size"))
            out.attribute("local_size", local.getInt());
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
  return success();
}

LogicalResult hcc::writeKernelTable(ModuleOp module, llvm::json::OStream &out) {
  out.attributeBegin("kernels");
  LogicalResult status = writeKernelObject(module, out);
  if (failed(status))
    out.objectBegin(), out.objectEnd();
  out.attributeEnd();
  return status;
}

LogicalResult hcc::serializeOpenCLSection(ModuleOp module,
                                          std::vector<uint8_t> &section) {
  std::string json;
  if (failed(emitOpenCLSection(module, json)))
    return failure();
  section.assign(json.begin(), json.end());
  return success();
}

/// Every stage of the kernel table names a `__kernel` of the program that
/// takes a buffer and its size for each of the stage's arguments (what the
/// runtime's OpenCL driver binds); checked once writeKernelObject has
/// found the table well formed.
static LogicalResult checkStageEntries(ModuleOp module) {
  LogicalResult status = success();
  hcc::opencl::forEachStage(
      module->getAttrOfType<DictionaryAttr>(hcc::opencl::kKernelsAttr),
      [&](StringRef kernel, DictionaryAttr stage) {
        auto entry = stage.getAs<StringAttr>("entry");
        auto args = stage.getAs<ArrayAttr>("args");
        if (failed(status) || !entry || !args)
          return;
        auto func = dyn_cast_if_present<emitc::FuncOp>(
            SymbolTable::lookupSymbolIn(module, entry));
        if (!func) {
          status = module.emitError()
                   << "stage '" << entry.getValue() << "' of kernel '" << kernel
                   << "' in " << hcc::opencl::kKernelsAttr
                   << " names no function of the program";
        } else if (func.getNumArguments() != 2 * args.size()) {
          status = func.emitError()
                   << "stage '" << entry.getValue() << "' takes "
                   << func.getNumArguments() << " parameters, but "
                   << hcc::opencl::kKernelsAttr << " binds " << args.size()
                   << " buffers (a pointer and a size each)";
        }
      });
  return status;
}

LogicalResult hcc::emitOpenCLSection(ModuleOp module, std::string &json) {
  std::string source;
  if (failed(translateOpenCLSource(module, source)))
    return failure();
  json.clear();
  llvm::raw_string_ostream os(json);
  llvm::json::OStream out(os, /*IndentSize=*/1);
  LogicalResult status = success();
  out.object([&] {
    out.attribute("format", "hcc-opencl-c/2");
    out.attribute("source", source);
    out.attribute("options", "-cl-std=CL1.2");
    status = writeKernelTable(module, out);
  });
  os << "\n";
  // The table is well formed: do its stages match the program?
  if (succeeded(status))
    status = checkStageEntries(module);
  return status;
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
