//===- hcc-translate.cpp - translations into and out of hcc's IR ----------===//
//
//   hcc-translate --import-onnx model.onnx [-o model.mlir]
//   hcc-translate --emit-opencl codegen.mlir   (and other targets' outputs)
//
// Imports an ONNX model (binary or ONNX text syntax) into the graph dialect.
// On any error it prints one diagnostic naming the file or node and exits 1
// without writing the output file.
//
//===----------------------------------------------------------------------===//

#include "hcc/Importer/ONNX/Importer.h"
#include "hcc/InitAllTranslations.h"
#include "hcc/Support/Files.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;

static llvm::cl::opt<bool>
    noInferShapes("onnx-no-infer-shapes",
                  llvm::cl::desc("Keep the types the model declares; do not "
                                 "run shape inference during import"),
                  llvm::cl::init(false));
static llvm::cl::opt<unsigned> maxSubgraphDepth(
    "onnx-max-subgraph-depth",
    llvm::cl::desc("Deepest If/Loop/Scan nesting accepted (default 32)"),
    llvm::cl::init(32));
static llvm::cl::opt<uint64_t>
    maxNodes("onnx-max-nodes",
             llvm::cl::desc("Most nodes a model may have, subgraphs included "
                            "(default 250000)"),
             llvm::cl::init(hcc::onnx_import::ImportOptions().maxNodes));
static llvm::cl::opt<uint64_t> maxNodeInputs(
    "onnx-max-node-inputs",
    llvm::cl::desc("Most inputs one node may have (default 16384)"),
    llvm::cl::init(hcc::onnx_import::ImportOptions().maxNodeInputs));
static llvm::cl::opt<std::string> externalDataDir(
    "onnx-external-data-dir",
    llvm::cl::desc("Directory external tensor data is read beneath "
                   "(default: the model's directory)"),
    llvm::cl::init(""));

/// mlirTranslateMain reads its input file unchecked: a FIFO would block
/// forever, /dev/zero never end. The positional arguments are checked (as
/// hcc-compile checks its model) before it runs.
static bool checkInputs(int argc, char **argv) {
  for (int i = 1; i < argc; ++i) {
    llvm::StringRef arg = argv[i];
    if (arg == "-o" || arg == "--o") {
      ++i; // its value
      continue;
    }
    if (arg == "-" || (arg.starts_with("-") && arg != "--"))
      continue;
    if (arg == "--") {
      if (++i >= argc)
        break;
      arg = argv[i];
    }
    if (auto buffer =
            hcc::readInputFile(arg, /*isText=*/false, hcc::kMaxInputFileBytes);
        !buffer) {
      llvm::errs() << "hcc-translate: error: cannot read '" << arg
                   << "': " << llvm::toString(buffer.takeError()) << "\n";
      return false;
    }
  }
  return true;
}

int main(int argc, char **argv) {
  if (!checkInputs(argc, argv))
    return 1;
  // Code generators' translations (e.g. a target's program source).
  hcc::registerAllTranslations();
  TranslateToMLIRRegistration importOnnx(
      "import-onnx",
      "Import an ONNX model (.onnx protobuf or ONNX text) into the graph "
      "dialect",
      [](llvm::SourceMgr &sourceMgr, MLIRContext *context) {
        const llvm::MemoryBuffer *buffer =
            sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
        // One diagnostic per problem: no IR dump of the offending op.
        context->printOpOnDiagnostic(false);
        hcc::onnx_import::ImportOptions options;
        options.inferShapes = !noInferShapes;
        options.maxSubgraphDepth = maxSubgraphDepth;
        options.maxNodes = maxNodes;
        options.maxNodeInputs = maxNodeInputs;
        options.optionPrefix = "--onnx-";
        options.externalDataDir = externalDataDir;
        return OwningOpRef<Operation *>(hcc::onnx_import::importModel(
            buffer->getBuffer(), buffer->getBufferIdentifier(), context,
            options));
      },
      [](DialectRegistry &registry) {
        hcc::onnx_import::registerImporterDialects(registry);
      });
  return failed(mlirTranslateMain(argc, argv, "hcc translation tool"));
}
