//===- hcc-opt.cpp - mlir-opt for hcc's dialects and passes ---------------===//
//
// Parses a .mlir file, runs the passes or named pipelines given on the
// command line (every hcc pass and pipeline is registered) and prints the
// result, exactly like mlir-opt.
//
//===----------------------------------------------------------------------===//

#include "hcc/InitAllDialects.h"
#include "hcc/InitAllPasses.h"
#include "hcc/InitAllTargets.h"

#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  hcc::registerAllDialects(registry);
  hcc::registerAllTargetDialects(registry);
  hcc::registerAllPasses();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "hcc optimizer driver: runs hcc passes on .mlir files\n",
      registry));
}
