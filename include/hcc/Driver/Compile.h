//===- Compile.h - ONNX model -> .hccb bundle, as a library -----*- C++ -*-===//
//
// What hcc-compile does, callable from a program (hcc-compile itself, the
// Python package): import the model, run the graph phase, the placement
// phase and each target's codegen, and write one bundle. Every failure is
// one diagnostic naming the node or file (`file: error: node 'n': ...`) on
// the diagnostics stream; nothing is left half-written.
//
//===----------------------------------------------------------------------===//
#ifndef HCC_DRIVER_COMPILE_H
#define HCC_DRIVER_COMPILE_H

#include "hcc/Importer/ONNX/Importer.h"

#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>
#include <vector>

namespace hcc {
namespace driver {

/// Where a compile stops: after a phase, printing its IR, or (Bundle)
/// writing the bundle.
enum class Emit { Graph, Placed, Codegen, Bundle };

struct CompileOptions {
  /// The model's file; with `modelBytes`, only its name in diagnostics
  /// (and the base of its external data).
  std::string inputPath;
  /// The model itself (binary or textual ONNX), when it is not read from
  /// `inputPath`.
  std::optional<std::string> modelBytes;
  /// The bundle to write; empty: `inputPath` with the extension .hccb.
  std::string outputPath;
  /// Targets (NAME or NAME:VARIANT); the first is every op's default;
  /// empty: the host's.
  std::vector<std::string> targets;
  /// "auto" or a JSON file of placement rules; "": auto with several
  /// targets.
  std::string placement;
  /// auto, default or alternate; "": auto with several targets.
  std::string placementStrategy;
  std::string costModel, tuningLog;
  std::string objective = "latency";
  /// NAME:KEY=VALUE[;KEY=VALUE], a target's configuration.
  std::vector<std::string> targetConfigs;
  /// Files (.json or .dot) the placed kernel DAG is written to.
  std::vector<std::string> dumpPlacement;
  /// NAME=VALUE values of symbolic dimensions (unset ones are 1).
  std::vector<std::string> dims;
  unsigned optLevel = 3;
  std::string precision = "fp32";
  bool parallel = true;
  /// Print what each target knows of its kernels (--report) to `out`.
  bool report = false;
  /// Print how long each phase and pass took to standard error.
  bool timing = false;
  Emit emit = Emit::Bundle;
  onnx_import::ImportOptions import;
  /// Names the caller in messages that are not about the model
  /// ("hcc-compile: error: unknown target 'x'").
  std::string tool = "hcc-compile";
};

/// Compiles as `options` say: IR (--emit) and reports to `out`, one line
/// per diagnostic (errors, warnings, notes) to `diagnostics`. False on any
/// error, with the bundle not written.
bool compile(const CompileOptions &options, llvm::raw_ostream &out,
             llvm::raw_ostream &diagnostics);

} // namespace driver
} // namespace hcc

#endif // HCC_DRIVER_COMPILE_H
