//===- LowerVectors.cpp - hcc-cpu-lower-vectors ---------------------------===//
//
// After bufferization: buffer copies tiled to rows and vectorized, vector
// transfers hoisted out of loops, exp/log/tanh/erf approximated in vectors,
// contractions
// lowered to broadcast-FMAs, and n-D vector ops towards the 1-D ones
// convert-vector-to-llvm handles. The tensor-level half is
// TileAndVectorize.cpp.
//
//===----------------------------------------------------------------------===//

#include "Tiling.h"
#include "hcc/Target/CPU/CPUTarget.h"
#include "hcc/Target/Target.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Hoisting.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace hcc {
#define GEN_PASS_DEF_CPULOWERVECTORS
#include "hcc/Target/CPU/Passes.h.inc"
} // namespace hcc

using namespace mlir;
using hcc::cpu::tile;

namespace {
/// Lanes of the partial sums of row reductions (a 512-bit vector of f32).
constexpr int64_t kReductionLanes = 16;

/// A 1-D in-bounds read from a memref whose innermost stride is 2 (the
/// rows of stride-2 depthwise convolutions and of phase planes) becomes a
/// contiguous read of twice the lanes (the last one masked off) and a
/// vector.deinterleave: strided transfers are otherwise lowered to one
/// scalar load per lane.
struct StridedReadToDeinterleave : OpRewritePattern<vector::TransferReadOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vector::TransferReadOp read,
                                PatternRewriter &rewriter) const override {
    VectorType vecType = read.getVectorType();
    auto type = dyn_cast<MemRefType>(read.getBase().getType());
    if (!type || vecType.getRank() != 1 || read.getMask() ||
        !read.getPermutationMap().isMinorIdentity() || !read.isDimInBounds(0))
      return failure();
    SmallVector<int64_t> strides;
    int64_t offset;
    if (failed(type.getStridesAndOffset(strides, offset)) ||
        strides.back() != 2)
      return failure();
    Location loc = read.getLoc();
    int64_t lanes = vecType.getDimSize(0);
    // The first element's offset in the underlying buffer.
    auto meta =
        memref::ExtractStridedMetadataOp::create(rewriter, loc, read.getBase());
    Value at = meta.getOffset();
    for (auto [index, stride] : llvm::zip(read.getIndices(), meta.getStrides()))
      at = arith::AddIOp::create(
          rewriter, loc, at,
          arith::MulIOp::create(rewriter, loc, index, stride));
    auto denseType = MemRefType::get(
        {2 * lanes - 1}, type.getElementType(),
        StridedLayoutAttr::get(getContext(), ShapedType::kDynamic, {1}),
        type.getMemorySpace());
    Value dense = memref::ReinterpretCastOp::create(
        rewriter, loc, denseType, meta.getBaseBuffer(), OpFoldResult(at),
        ArrayRef<OpFoldResult>{rewriter.getIndexAttr(2 * lanes - 1)},
        ArrayRef<OpFoldResult>{rewriter.getIndexAttr(1)});
    auto wideType = VectorType::get({2 * lanes}, vecType.getElementType());
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value wide = vector::TransferReadOp::create(
        rewriter, loc, wideType, dense, ValueRange{zero}, read.getPadding(),
        ArrayRef<bool>{false});
    auto deinterleave = vector::DeinterleaveOp::create(rewriter, loc, wide);
    rewriter.replaceOp(read, deinterleave.getRes1());
    return success();
  }
};

/// Replaces a read of a vector from `base` at `indices` (its dimensions
/// the memref's innermost ones) whose every use extracts one element at
/// constant positions by one scalar load per element.
LogicalResult readToScalars(PatternRewriter &rewriter, Operation *read,
                            Value base, ValueRange readIndices) {
  if (read->use_empty() || readIndices.empty())
    return failure();
  auto vecType = cast<VectorType>(read->getResult(0).getType());
  if (cast<MemRefType>(base.getType()).getElementType() !=
      vecType.getElementType())
    return failure();
  int64_t rank = vecType.getRank();
  SmallVector<vector::ExtractOp> extracts;
  for (Operation *user : read->getUsers()) {
    auto extract = dyn_cast<vector::ExtractOp>(user);
    if (!extract || !extract.getDynamicPosition().empty() ||
        static_cast<int64_t>(extract.getStaticPosition().size()) != rank ||
        llvm::any_of(extract.getStaticPosition(),
                     [](int64_t at) { return at < 0; }))
      return failure();
    extracts.push_back(extract);
  }
  Location loc = read->getLoc();
  SmallVector<Value> first(readIndices);
  size_t lead = first.size() - rank;
  for (vector::ExtractOp extract : extracts) {
    rewriter.setInsertionPoint(extract);
    SmallVector<Value> indices(first);
    for (auto [dim, at] : llvm::enumerate(extract.getStaticPosition()))
      if (at != 0)
        indices[lead + dim] = arith::AddIOp::create(
            rewriter, loc, first[lead + dim],
            arith::ConstantIndexOp::create(rewriter, loc, at));
    rewriter.replaceOpWithNewOp<memref::LoadOp>(extract, base, indices);
  }
  rewriter.eraseOp(read);
  return success();
}

/// A vector read whose every use extracts one element at constant
/// positions (the columns of A a register tile broadcasts in its K steps)
/// becomes one scalar load per element, which LLVM folds into the
/// broadcast (vbroadcastss from memory). From the vector read LLVM merges
/// neighbouring elements into wider loads and shuffles them apart instead:
/// shuffles issue on the port of one of the two FMA pipes.
struct ExtractedLoadToScalars : OpRewritePattern<vector::LoadOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vector::LoadOp load,
                                PatternRewriter &rewriter) const override {
    if (load.getVectorType().isScalable())
      return failure();
    return readToScalars(rewriter, load, load.getBase(), load.getIndices());
  }
};
struct ExtractedReadToScalars : OpRewritePattern<vector::TransferReadOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vector::TransferReadOp read,
                                PatternRewriter &rewriter) const override {
    if (!isa<MemRefType>(read.getBase().getType()) || read.getMask() ||
        read.getVectorType().isScalable() ||
        !read.getPermutationMap().isMinorIdentity() ||
        llvm::any_of(read.getInBoundsValues(), [](bool b) { return !b; }))
      return failure();
    return readToScalars(rewriter, read, read.getBase(), read.getIndices());
  }
};

/// Reduces the 1-D vector `row` into `acc` as a tree of elementwise ops on
/// vectors of `lanes` and one horizontal reduction of the last vector
/// (`acc` may be null: no initial value),
/// reassociated as every tuned library sums (floats are summed out of
/// order; integer sums are exact either way).
Value reduceRowAsTree(PatternRewriter &rewriter, Location loc,
                      vector::CombiningKind kind, Value row, Value acc,
                      int64_t lanes) {
  auto type = cast<VectorType>(row.getType());
  int64_t n = type.getNumElements();
  SmallVector<Value> parts;
  int64_t whole = n / lanes * lanes;
  for (int64_t i = 0; i < whole; i += lanes)
    parts.push_back(vector::ExtractStridedSliceOp::create(
        rewriter, loc, row, ArrayRef<int64_t>{i}, ArrayRef<int64_t>{lanes},
        ArrayRef<int64_t>{1}));
  while (parts.size() > 1) {
    SmallVector<Value> next;
    for (size_t i = 0; i + 1 < parts.size(); i += 2)
      next.push_back(vector::makeArithReduction(rewriter, loc, kind, parts[i],
                                                parts[i + 1]));
    if (parts.size() % 2)
      next.push_back(parts.back());
    parts = std::move(next);
  }
  auto reassoc = isa<FloatType>(type.getElementType())
                     ? arith::FastMathFlags::reassoc
                     : arith::FastMathFlags::none;
  if (!parts.empty())
    acc = vector::ReductionOp::create(rewriter, loc, kind, parts.front(), acc,
                                      reassoc);
  if (whole < n) {
    Value tail = vector::ExtractStridedSliceOp::create(
        rewriter, loc, row, ArrayRef<int64_t>{whole},
        ArrayRef<int64_t>{n - whole}, ArrayRef<int64_t>{1});
    acc = vector::ReductionOp::create(rewriter, loc, kind, tail, acc, reassoc);
  }
  return acc;
}

/// A reduction rewritten into a tree of vectors of `lanes`; preferred to
/// upstream's lowerings of the same op.
template <typename OpTy> struct TreePattern : OpRewritePattern<OpTy> {
  TreePattern(MLIRContext *ctx, int64_t lanes)
      : OpRewritePattern<OpTy>(ctx, /*benefit=*/2), lanes(lanes) {}
  int64_t lanes;
};

/// A multi-reduction of one row (every other dimension a unit: the row
/// tiles of softmax, layer norms, global pools, ReduceMean) becomes a tree
/// (reduceRowAsTree). Upstream's lowering (inner-parallel) extracts every
/// element into a serial chain.
struct RowReductionToTree : TreePattern<vector::MultiDimReductionOp> {
  using TreePattern::TreePattern;

  LogicalResult matchAndRewrite(vector::MultiDimReductionOp op,
                                PatternRewriter &rewriter) const override {
    VectorType type = op.getSourceVectorType();
    if (type.isScalable() || type.getNumElements() < 2 ||
        cast<vector::MaskableOpInterface>(op.getOperation()).isMasked())
      return failure();
    SmallVector<bool> reduced = op.getReductionMask();
    for (auto [size, isReduced] : llvm::zip(type.getShape(), reduced))
      if (size > 1 && !isReduced)
        return failure();
    Location loc = op.getLoc();
    Value row = vector::ShapeCastOp::create(
        rewriter, loc,
        VectorType::get({type.getNumElements()}, type.getElementType()),
        op.getSource());
    Value acc = op.getAcc();
    if (auto accType = dyn_cast<VectorType>(acc.getType()))
      acc = vector::ExtractOp::create(
          rewriter, loc, acc, SmallVector<int64_t>(accType.getRank(), 0));
    acc = reduceRowAsTree(rewriter, loc, op.getKind(), row, acc, lanes);
    if (isa<VectorType>(op.getType()))
      acc = vector::BroadcastOp::create(rewriter, loc, op.getType(), acc);
    rewriter.replaceOp(op, acc);
    return success();
  }
};

/// The same for a float vector.reduction of a row longer than `lanes` that
/// is summed in order (the lowering of a contraction over a row, such as a
/// variance's sum of squares, makes these; LLVM lowers an in-order
/// reduction as one dependent add per element).
struct OrderedReductionToTree : TreePattern<vector::ReductionOp> {
  using TreePattern::TreePattern;

  LogicalResult matchAndRewrite(vector::ReductionOp op,
                                PatternRewriter &rewriter) const override {
    VectorType type = op.getSourceVectorType();
    if (type.isScalable() || type.getRank() != 1 ||
        type.getNumElements() <= lanes ||
        !isa<FloatType>(type.getElementType()) ||
        bitEnumContainsAll(op.getFastmath(), arith::FastMathFlags::reassoc) ||
        cast<vector::MaskableOpInterface>(op.getOperation()).isMasked())
      return failure();
    rewriter.replaceOp(op, reduceRowAsTree(rewriter, op.getLoc(), op.getKind(),
                                           op.getVector(), op.getAcc(), lanes));
    return success();
  }
};

struct CPULowerVectorsPass
    : hcc::impl::CPULowerVectorsBase<CPULowerVectorsPass> {
  using Base::Base;
  /// Buffer copies (im2col rows, padding, bufferization's copies) are
  /// tiled to rows and vectorized; the scalar loops LLVM gets otherwise are
  /// not vectorized when it cannot prove the buffers disjoint.
  void vectorizeCopies(func::FuncOp func) {
    IRRewriter rewriter(&getContext());
    SmallVector<linalg::CopyOp> copies;
    func.walk([&](linalg::CopyOp copy) { copies.push_back(copy); });
    for (linalg::CopyOp copy : copies) {
      auto type = dyn_cast<MemRefType>(copy.getInputs()[0].getType());
      // Vectors of i1 are bit-packed in LLVM but memrefs of i1 hold a
      // byte per element: only copy whole-byte elements with vectors.
      if (!type || !type.getElementType().isIntOrFloat() ||
          type.getElementType().getIntOrFloatBitWidth() % 8 != 0 ||
          !type.hasStaticShape() || type.getRank() == 0 ||
          !cast<MemRefType>(copy.getOutputs()[0].getType()).hasStaticShape())
        continue;
      int64_t inner = type.getShape().back();
      if (inner < 4 || inner > 1024)
        continue;
      SmallVector<Operation *> rows = {copy};
      if (type.getRank() > 1) {
        SmallVector<int64_t> sizes(type.getRank(), 1);
        sizes.back() = 0;
        FailureOr<scf::SCFTilingResult> tiled = tile(rewriter, copy, sizes);
        if (failed(tiled))
          continue;
        rows.assign(tiled->tiledOps.begin(), tiled->tiledOps.end());
      }
      for (Operation *row : rows) {
        if (failed(linalg::vectorizeOpPrecondition(row)))
          continue;
        rewriter.setInsertionPoint(row);
        if (succeeded(linalg::vectorize(rewriter, row)))
          rewriter.eraseOp(row);
      }
    }
  }

  /// There is no vector math library behind the LLVM backend here: a
  /// vector exp (sigmoid, swish, softmax, GELU's tanh) becomes one libm call
  /// per lane, 30x slower than the FMAs around it. Upstream's polynomial
  /// approximations (within a few ulp) keep vectors in registers; scalar
  /// math keeps libm.
  void approximateVectorMath(func::FuncOp func) {
    SmallVector<Operation *> ops;
    func.walk([&](Operation *op) {
      if (isa<math::MathDialect>(op->getDialect()) &&
          op->getNumResults() == 1 &&
          isa<VectorType>(op->getResult(0).getType()))
        ops.push_back(op);
    });
    if (ops.empty())
      return;
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns, [](StringRef name) {
      name.consume_front("math.");
      return llvm::is_contained(
          {"exp", "expm1", "log", "log2", "log1p", "tanh"}, name);
    });
    (void)applyOpPatternsGreedily(ops, std::move(patterns));
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    MLIRContext *ctx = &getContext();
    if (int8Dot != "auto" && int8Dot != "vnni" && int8Dot != "portable") {
      func.emitError() << "int8-dot must be 'auto', 'vnni' or 'portable', "
                          "not '"
                       << int8Dot << "'";
      return signalPassFailure();
    }
    const hcc::KnobSpec &prefetch =
        hcc::findKnob(hcc::cpuKnobSpecs(), "prefetch-kib");
    const hcc::KnobSpec &rowPrefetch =
        hcc::findKnob(hcc::cpuKnobSpecs(), "row-prefetch-cols");
    const hcc::KnobSpec &nextBlock =
        hcc::findKnob(hcc::cpuKnobSpecs(), "prefetch-next-block");
    const hcc::KnobSpec &epiloguePrefetch =
        hcc::findKnob(hcc::cpuKnobSpecs(), "epilogue-prefetch-tiles");
    const hcc::KnobSpec &nextRows =
        hcc::findKnob(hcc::cpuKnobSpecs(), "prefetch-next-rows");
    if (failed(hcc::checkKnobOption(prefetch, prefetchKiB, func)) ||
        failed(hcc::checkKnobOption(rowPrefetch, rowPrefetchCols, func)) ||
        failed(hcc::checkKnobOption(nextBlock, prefetchNextBlock, func)) ||
        failed(hcc::checkKnobOption(epiloguePrefetch, epiloguePrefetchTiles,
                                    func)) ||
        failed(hcc::checkKnobOption(nextRows, prefetchNextRows, func)))
      return signalPassFailure();
    vectorizeCopies(func);
    linalg::hoistRedundantVectorTransfers(func);
    hcc::cpu::prefetchStreamedConstants(
        func, hcc::knobValue(func, prefetch, prefetchKiB) * 1024,
        hcc::knobValue(func, nextBlock, prefetchNextBlock) != 0);
    if (hcc::knobValue(func, nextRows, prefetchNextRows) != 0)
      hcc::cpu::prefetchNextRowBlocks(func);
    hcc::cpu::prefetchStridedRows(
        func, hcc::knobValue(func, rowPrefetch, rowPrefetchCols));
    hcc::cpu::prefetchTileRows(
        func, hcc::knobValue(func, epiloguePrefetch, epiloguePrefetchTiles));
    auto apply = [&](llvm::function_ref<void(RewritePatternSet &)> populate) {
      RewritePatternSet patterns(ctx);
      populate(patterns);
      (void)applyPatternsGreedily(func, std::move(patterns));
    };
    // LLVM has no erf intrinsic: math-to-libm would scalarize a vector of
    // erf into extracts after the vector lowering has run. Upstream's
    // polynomial approximation stays in vectors (and is faster).
    apply([](RewritePatternSet &patterns) {
      populatePolynomialApproximateErfPattern(patterns);
      populatePolynomialApproximateErfcPattern(patterns);
    });
    approximateVectorMath(func);
    // Quantized convolutions' 4-deep dot products: vpdpbusd where the host
    // (or int8-dot) says so.
    if (int8Dot == "vnni" ||
        (int8Dot == "auto" && hcc::cpu::hostHasAvx512Vnni()))
      apply([](RewritePatternSet &patterns) {
        hcc::cpu::populateDot4VnniPatterns(patterns);
      });
    // Unit dimensions (batch/N of the im2col matmuls) out of the way first.
    apply([](RewritePatternSet &patterns) {
      patterns.add<StridedReadToDeinterleave>(patterns.getContext());
      patterns.add<RowReductionToTree>(patterns.getContext(), kReductionLanes);
      vector::populateCastAwayVectorLeadingOneDimPatterns(patterns);
      vector::populateVectorTransferDropUnitDimsPatterns(patterns);
    });
    // 16 x 16 transposes (transposed elementwise tiles) as shuffles; the
    // others (a K step of a transposed operand) element by element below.
    SmallVector<Operation *> squares;
    func.walk([&](vector::TransposeOp t) {
      VectorType type = t.getResultVectorType();
      if (type.getRank() == 2 && type.getDimSize(0) == 16 &&
          type.getDimSize(1) == 16 && type.getElementTypeBitWidth() == 32)
        squares.push_back(t);
    });
    if (!squares.empty()) {
      RewritePatternSet patterns(ctx);
      vector::populateVectorTransposeLoweringPatterns(
          patterns, vector::VectorTransposeLowering::Shuffle16x16);
      (void)applyOpPatternsGreedily(squares, std::move(patterns));
    }
    // vector.contract -> vector.outerproduct -> vector.fma on rows.
    apply([](RewritePatternSet &patterns) {
      vector::populateVectorContractLoweringPatterns(
          patterns, vector::VectorContractLowering::OuterProduct);
      vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
    });
    apply([](RewritePatternSet &patterns) {
      // The dot products of contractions over a row (a variance's sum of
      // squares) lower to in-order reductions.
      patterns.add<OrderedReductionToTree>(patterns.getContext(),
                                           kReductionLanes);
      vector::populateVectorOuterProductLoweringPatterns(patterns);
      vector::populateVectorTransposeLoweringPatterns(
          patterns, vector::VectorTransposeLowering::EltWise);
      vector::populateVectorMultiReductionLoweringPatterns(
          patterns, vector::VectorMultiReductionLowering::InnerParallel);
      vector::populateVectorBroadcastLoweringPatterns(patterns);
      vector::populateVectorShapeCastLoweringPatterns(patterns);
    });
    // n-D transfers to 1-D loads/stores (what remains goes through
    // convert-vector-to-scf).
    apply([](RewritePatternSet &patterns) {
      vector::populateVectorTransferLoweringPatterns(patterns,
                                                     /*maxTransferRank=*/1);
    });
    apply([](RewritePatternSet &patterns) {
      patterns.add<ExtractedLoadToScalars, ExtractedReadToScalars>(
          patterns.getContext());
      hcc::cpu::populateMaximumTreePatterns(patterns);
    });
  }
};
} // namespace
