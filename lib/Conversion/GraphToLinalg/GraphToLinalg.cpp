//===- GraphToLinalg.cpp - the convert-graph-to-linalg pass ---------------===//
//
// The type converter, the table of covered ops and the pass driver. The
// patterns live in one file per op family (Elementwise.cpp, MatMul.cpp,
// Conv.cpp, Pooling.cpp, Reduction.cpp, Normalization.cpp,
// DataMovement.cpp).
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Transforms/DialectConversion.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringSet.h"

namespace hcc {
#define GEN_PASS_DEF_CONVERTGRAPHTOLINALG
#include "hcc/Conversion/Passes.h.inc"
} // namespace hcc

using namespace mlir;
using namespace hcc;

/// Non-elementwise ops with a lowering (the elementwise ones come from the
/// table in Elementwise.cpp). Keep docs/GraphToLinalg.md in sync.
static const char *const kStructuredOps[] = {
    // DataMovement.cpp
    "Constant", "Identity", "Dropout", "Reshape", "Flatten", "Squeeze",
    "Unsqueeze", "Transpose", "Concat", "Slice", "Gather", "Split", "Tile",
    "Expand", "Pad", "Shape", "Size", "ConstantOfShape", "Range",
    // Indexing.cpp, Scatter.cpp, Einsum.cpp, TopK.cpp
    "GatherElements", "GatherND", "CastLike", "DepthToSpace", "SpaceToDepth",
    "ReverseSequence", "Compress", "ScatterElements", "Scatter", "ScatterND",
    "TensorScatter", "Einsum", "TopK",
    // MatMul.cpp
    "MatMul", "Gemm",
    // Conv.cpp, DeformConv.cpp, TfIdf.cpp
    "Conv", "DeformConv", "TfIdfVectorizer",
    // Pooling.cpp
    "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "LpPool",
    "GlobalLpPool",
    // Reduction.cpp
    "ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd",
    "ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp",
    "ReduceSumSquare", "ArgMax", "ArgMin", "Softmax", "LogSoftmax",
    // Normalization.cpp
    "BatchNormalization", "InstanceNormalization", "LayerNormalization",
    "RMSNormalization", "GroupNormalization", "LpNormalization",
    // Resize.cpp, ConvTranspose.cpp, Quantization.cpp, Variants.cpp
    "Resize", "Upsample", "ConvTranspose", "QuantizeLinear", "DequantizeLinear",
    "DynamicQuantizeLinear", "LRN",
    // Geometry.cpp, Attention.cpp, GridSample.cpp, Spectral.cpp,
    // Sequential.cpp, RoiAlign.cpp
    "CenterCropPad", "AffineGrid", "Col2Im", "Attention", "GridSample", "DFT",
    "STFT", "MaxUnpool", "Det", "RoiAlign", "RotaryEmbedding",
    "LinearAttention", "MelWeightMatrix",
    // Quantized.cpp
    "MatMulInteger", "QLinearMatMul", "ConvInteger", "QLinearConv",
    // Recurrent.cpp
    "RNN", "GRU", "LSTM", "CausalConvWithState",
    // Losses.cpp
    "NegativeLogLikelihoodLoss", "SoftmaxCrossEntropyLoss",
    // Misc.cpp
    "Trilu", "Hardmax", "CumSum", "CumProd", "EyeLike", "OneHot", "HannWindow",
    "HammingWindow", "BlackmanWindow", "MeanVarianceNormalization",
    // ControlFlow.cpp
    "If", "Loop", "Scan", "yield"};

bool hcc::isGraphOpSupportedByLinalgLowering(StringRef opName) {
  static const llvm::StringSet<> supported = [] {
    llvm::StringSet<> s;
    SmallVector<StringRef> names;
    g2l::appendElementwiseOpNames(names);
    names.append(std::begin(kStructuredOps), std::end(kStructuredOps));
    for (StringRef n : names)
      s.insert((Twine("graph.") + n).str());
    s.insert("graph.none");
    return s;
  }();
  return supported.contains(opName);
}

GraphToLinalgTypeConverter::GraphToLinalgTypeConverter() {
  addConversion([](Type t) { return t; });
  addConversion([](RankedTensorType t) -> Type {
    return RankedTensorType::get(t.getShape(),
                                 g2l::storageElementType(t.getElementType()));
  });
}

void hcc::populateGraphToLinalgPatterns(TypeConverter &typeConverter,
                                        RewritePatternSet &patterns,
                                        bool int8DotProducts) {
  g2l::populateElementwisePatterns(typeConverter, patterns);
  g2l::populateMatMulPatterns(typeConverter, patterns);
  g2l::populateConvPatterns(typeConverter, patterns);
  g2l::populatePoolingPatterns(typeConverter, patterns);
  g2l::populateReductionPatterns(typeConverter, patterns);
  g2l::populateNormalizationPatterns(typeConverter, patterns);
  g2l::populateDataMovementPatterns(typeConverter, patterns);
  g2l::populateResizePatterns(typeConverter, patterns);
  g2l::populateConvTransposePatterns(typeConverter, patterns);
  g2l::populateQuantizationPatterns(typeConverter, patterns);
  g2l::populateVariantsPatterns(typeConverter, patterns);
  g2l::populateIndexingPatterns(typeConverter, patterns);
  g2l::populateScatterPatterns(typeConverter, patterns);
  g2l::populateEinsumPatterns(typeConverter, patterns);
  g2l::populateTopKPatterns(typeConverter, patterns);
  g2l::populateRecurrentPatterns(typeConverter, patterns);
  g2l::populateQuantizedPatterns(typeConverter, patterns, int8DotProducts);
  g2l::populateGeometryPatterns(typeConverter, patterns);
  g2l::populateAttentionPatterns(typeConverter, patterns);
  g2l::populateGridSamplePatterns(typeConverter, patterns);
  g2l::populateSpectralPatterns(typeConverter, patterns);
  g2l::populateSequentialPatterns(typeConverter, patterns);
  g2l::populateRoiAlignPatterns(typeConverter, patterns);
  g2l::populateLinearAttentionPatterns(typeConverter, patterns);
  g2l::populateDeformConvPatterns(typeConverter, patterns);
  g2l::populateTfIdfPatterns(typeConverter, patterns);
  g2l::populateLossPatterns(typeConverter, patterns);
  g2l::populateMiscPatterns(typeConverter, patterns);
  g2l::populateControlFlowPatterns(typeConverter, patterns);
  g2l::populateRuntimeOperandsPatterns(typeConverter, patterns);
}

namespace {
/// The 8-, 4- and 2-bit types are only stored, converted and moved: an op
/// that computes on them would compute on their i8 storage.
LogicalResult checkNarrowTypes(Operation *op) {
  static const llvm::StringSet<> movers = [] {
    llvm::StringSet<> s;
    for (StringRef n :
         {"Cast", "CastLike", "QuantizeLinear", "DequantizeLinear", "Constant",
          "Identity", "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Transpose",
          "Shape", "Size", "Concat", "Slice", "Split", "Gather", "Expand",
          "Tile"})
      s.insert((Twine("graph.") + n).str());
    return s;
  }();
  if (movers.contains(op->getName().getStringRef()))
    return success();
  for (Type t : llvm::concat<Type>(op->getOperandTypes(), op->getResultTypes()))
    if (auto s = dyn_cast<ShapedType>(t);
        s && g2l::isNarrowType(s.getElementType()))
      return op->emitError()
             << op->getName() << " on " << s.getElementType()
             << " values is not supported: hcc converts, quantizes and moves "
                "8-, 4- and 2-bit types but computes in wider ones";
  return success();
}

struct ConvertGraphToLinalgPass
    : public hcc::impl::ConvertGraphToLinalgBase<ConvertGraphToLinalgPass> {
  using Base::Base;
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();

    // Reject what has no lowering up front, naming each op once.
    bool rejected = false;
    module.walk([&](Operation *op) {
      if (!isa<graph::GraphDialect>(op->getDialect()))
        return;
      if (isGraphOpSupportedByLinalgLowering(op->getName().getStringRef()))
        return;
      op->emitError() << op->getName() << " has no lowering to linalg";
      rejected = true;
    });
    module.walk([&](Operation *op) {
      if (isa<graph::GraphDialect>(op->getDialect()) &&
          failed(checkNarrowTypes(op)))
        rejected = true;
    });
    if (rejected)
      return signalPassFailure();

    GraphToLinalgTypeConverter typeConverter;
    ConversionTarget target(*ctx);
    target.addLegalDialect<linalg::LinalgDialect, tensor::TensorDialect,
                           arith::ArithDialect, math::MathDialect,
                           scf::SCFDialect>();
    target.addIllegalDialect<graph::GraphDialect>();
    target.addLegalOp<graph::NoneOp>();
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp f) {
      return typeConverter.isSignatureLegal(f.getFunctionType()) &&
             typeConverter.isLegal(&f.getBody());
    });
    target.addDynamicallyLegalOp<func::ReturnOp, func::CallOp>(
        [&](Operation *op) { return typeConverter.isLegal(op); });

    RewritePatternSet patterns(ctx);
    populateGraphToLinalgPatterns(typeConverter, patterns, int8DotProducts);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(
        patterns, typeConverter);
    populateReturnOpTypeConversionPattern(patterns, typeConverter);
    populateCallOpTypeConversionPattern(patterns, typeConverter);
    // A pattern that refuses an op says why (rejectLowering); the driver's
    // own "failed to legalize operation" for that op would be a second
    // error for the same problem, and is dropped.
    llvm::DenseSet<Location> explained;
    ScopedDiagnosticHandler oneErrorPerOp(ctx, [&](Diagnostic &diag) {
      if (diag.getSeverity() != DiagnosticSeverity::Error)
        return failure();
      if (explained.contains(diag.getLocation()) &&
          StringRef(diag.str()).starts_with("failed to legalize operation"))
        return success();
      explained.insert(diag.getLocation());
      return failure();
    });
    if (failed(applyPartialConversion(module, target, std::move(patterns))))
      return signalPassFailure();

    // Absent optional inputs have no users left.
    module.walk([](graph::NoneOp op) {
      if (op->use_empty())
        op->erase();
    });
  }
};
} // namespace
