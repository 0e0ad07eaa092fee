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
#include "hcc/Support/Files.h"

#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/raw_ostream.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  hcc::registerAllDialects(registry);
  hcc::registerAllTargetDialects(registry);
  hcc::registerAllPasses();
  auto [input, output] = mlir::registerAndParseCLIOptions(
      argc, argv, "hcc optimizer driver: runs hcc passes on .mlir files\n",
      registry);
  // MlirOptMain reads its input unchecked: a FIFO would block forever,
  // /dev/zero never end. Checked (as hcc-compile checks its model) first.
  if (input != "-")
    if (auto buffer = hcc::readInputFile(input, /*isText=*/false); !buffer) {
      llvm::errs() << "hcc-opt: error: cannot read '" << input
                   << "': " << llvm::toString(buffer.takeError()) << "\n";
      return 1;
    }
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, input, output, registry));
}
