//===- Knobs.cpp - the kernel knobs the OpenCL passes read ----------------===//

#include "dialects/Exec/IR/ExecDialect.h"
#include "hcc/Target/OpenCL/OpenCLCodegen.h"
#include "hcc/Target/OpenCL/OpenCLTarget.h"
#include "hcc/Target/Target.h"

using namespace mlir;

FailureOr<SmallVector<int64_t>>
hcc::resolveOpenCLKnobs(Operation *kernel, ArrayRef<StringRef> names,
                        ArrayRef<int64_t> defaults) {
  ArrayRef<KnobSpec> specs = openclKnobSpecs();
  for (auto [name, value] : llvm::zip(names, defaults))
    if (failed(checkKnobOption(findKnob(specs, name), value, kernel)))
      return failure();
  auto position = [&](StringRef name) -> std::optional<size_t> {
    auto it = llvm::find(names, name);
    if (it == names.end())
      return std::nullopt;
    return it - names.begin();
  };
  std::optional<size_t> m = position("tile-m"), n = position("tile-n");
  if (m && n && defaults[*m] * defaults[*n] > kOpenCLMaxTileElements)
    return kernel->emitError()
           << "options tile-m * tile-n = " << defaults[*m] * defaults[*n]
           << " exceeds " << kOpenCLMaxTileElements;
  auto dict = kernel->getAttrOfType<DictionaryAttr>(exec::kKnobsAttrName);
  std::string what = "kernel";
  if (auto sym =
          kernel->getAttrOfType<StringAttr>(SymbolTable::getSymbolAttrName()))
    what = ("kernel '" + sym.getValue() + "'").str();
  if (failed(verifyKnobDictionary(dict, specs, what, kernel->getLoc())))
    return failure();
  SmallVector<int64_t> values;
  for (auto [name, value] : llvm::zip(names, defaults))
    values.push_back(knobValue(kernel, findKnob(specs, name), value));
  if (m && n && values[*m] * values[*n] > kOpenCLMaxTileElements)
    return kernel->emitError()
           << what << ": tile-m * tile-n = " << values[*m] * values[*n]
           << " exceeds " << kOpenCLMaxTileElements;
  return values;
}
