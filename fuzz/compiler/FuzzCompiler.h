//===- FuzzCompiler.h - what the compiler fuzzers share ---------*- C++ -*-===//
//
// One MLIRContext with every dialect loaded, made afresh every few hundred
// inputs (uniqued attributes would otherwise pile up for an hour), and the
// property every rejection must have: at least one error, each on one line
// and short (the bar of docs/Hardening.md: no input echoed).
//
//===----------------------------------------------------------------------===//
#ifndef HCC_FUZZ_COMPILER_FUZZCOMPILER_H
#define HCC_FUZZ_COMPILER_FUZZCOMPILER_H

#include "hcc/Importer/ONNX/Importer.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/StringRef.h"

#include <cstddef>
#include <cstdint>

namespace hcc::fuzz {

/// The context for the next input, with a diagnostic handler that records
/// errors for checkRejection().
mlir::MLIRContext &freshContext();

/// Budgets small enough that one input stays within a second and a few
/// hundred MB: what a service compiling untrusted models would set.
onnx_import::ImportOptions fuzzImportOptions();

/// Imports `bytes` as a model file named `path`; when the import fails,
/// aborts unless it reported a proper error.
mlir::OwningOpRef<mlir::ModuleOp> importChecked(llvm::StringRef bytes,
                                                llvm::StringRef path);

/// Aborts unless the failure just reported came with a proper error.
void checkRejection();

} // namespace hcc::fuzz

#endif // HCC_FUZZ_COMPILER_FUZZCOMPILER_H
