//===- FPGATarget.cpp - The FPGA target plug-in ---------------------------===//
//
// FPGA boards programmed with OpenCL: every kernel a single work-item
// (work-items = 1: the whole loop nest in one kernel invocation, the form
// FPGA OpenCL compilers pipeline), the OpenCL C emitter's program with the
// board vendor's attributes (hcc-fpga-kernel-attributes). The board comes
// from the `board` configuration key (`--targets=fpga:u250`; a built-in
// name or a .json path; default u250). Until the FPGA driver exists the
// bundle's code runs on the runtime's OpenCL device (PoCL here).
//
//===----------------------------------------------------------------------===//

#include "hcc/Target/FPGA/FPGATarget.h"

#include "hcc/Target/FPGA/Board.h"
#include "hcc/Target/OpenCL/OpenCLCodegen.h"

#include "mlir/IR/Diagnostics.h"

using namespace mlir;

namespace hcc {
namespace {

constexpr llvm::StringLiteral kDefaultBoard = "u250";

/// The board a configuration names (kDefaultBoard when none).
llvm::Expected<fpga::Board> configuredBoard(DictionaryAttr config) {
  llvm::StringRef name = kDefaultBoard;
  if (config)
    if (auto board = config.getAs<StringAttr>("board"))
      name = board.getValue();
  return fpga::loadBoard(name);
}

class FPGATarget : public Target {
public:
  llvm::StringRef name() const override { return "fpga"; }
  llvm::StringRef description() const override {
    return "FPGA boards through OpenCL (AMD Vitis, Intel FPGA SDK): single-"
           "work-item kernels with the board vendor's attributes; run "
           "functionally on an OpenCL device";
  }
  llvm::StringRef deviceKind() const override { return "opencl"; }
  llvm::ArrayRef<NameKeySpec> nameConfigKeys() const override {
    static const std::vector<NameKeySpec> keys = {
        {"board", "board description: a built-in board (u250, ...) or the "
                  "path of a .json file (docs/Boards.md); default u250"}};
    return keys;
  }
  llvm::StringRef variantKey() const override { return "board"; }
  LogicalResult verifyConfig(DictionaryAttr config, llvm::StringRef what,
                             Location loc) const override {
    llvm::Expected<fpga::Board> board = configuredBoard(config);
    if (!board)
      return emitError(loc)
             << what << ": " << llvm::toString(board.takeError());
    return success();
  }
  llvm::ArrayRef<KnobSpec> knobs() const override { return {}; }

  bool supports(Operation *op, std::string &reason) const override {
    return stageFunctionPipelineSupports(op, "FPGA OpenCL kernels", reason);
  }

  void buildCodegenPipeline(OpPassManager &pm,
                            const CodegenOptions &options) const override {
    OpenCLCodegenOptions ocl;
    // Single work-item kernels: the loop nest is the pipeline.
    ocl.workItems = 1;
    buildOpenCLCodegenPipeline(pm, ocl);
    llvm::Expected<fpga::Board> board = configuredBoard(options.config);
    FPGAKernelAttributesOptions attributes;
    if (board)
      attributes.vendor = board->vendor;
    else
      llvm::consumeError(board.takeError()); // verifyConfig reported it.
    pm.addPass(createFPGAKernelAttributes(attributes));
  }

  LogicalResult serialize(ModuleOp module, const CodegenOptions &options,
                          std::vector<uint8_t> &section) const override {
    return serializeOpenCLSection(module, section);
  }
};

} // namespace

void registerFPGATarget(TargetRegistry &registry) {
  registry.add(std::make_unique<FPGATarget>());
}

void registerFPGATargetPasses() { registerHccFPGAPasses(); }

} // namespace hcc
