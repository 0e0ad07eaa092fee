//===- Passes.h - hcc conversion passes -------------------------*- C++ -*-===//

#ifndef HCC_CONVERSION_PASSES_H
#define HCC_CONVERSION_PASSES_H

#include "hcc/Conversion/GraphToLinalg.h"

#include "mlir/Pass/Pass.h"

namespace hcc {
#define GEN_PASS_REGISTRATION
#include "hcc/Conversion/Passes.h.inc"
} // namespace hcc

#endif // HCC_CONVERSION_PASSES_H
