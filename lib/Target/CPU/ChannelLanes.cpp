//===- ChannelLanes.cpp - small convolutions with channels as lanes -------===//
//
// A helper of hcc-cpu-tile-and-vectorize. The im2col form of an NCHW
// convolution is the contraction
//
//   Y[b, f, p] = sum_k W[f, k] * X[b, k, p]      (p: output pixel)
//
// whose vector lanes run along the pixels. On a small output map (7x7: 49
// pixels) those are few and not a multiple of the register tile's columns,
// and every task repacks X's panels. The same contraction with the output
// channels as lanes,
//
//   Y'[b, p, f] = sum_k X[b, k, p] * W'[k, f],     W'[k, f] = W[f, k],
//
// has whole column tiles (output channels come in multiples of 32), reads X
// in place (the register tiles' broadcasts of a K step are the contiguous
// pixels of one row of X), and W' is a constant when the filter is (the CPU
// target asks for such filters in the kernel's code, Target::inlinesWeight):
// its panels are then packed at compile time (PackedWeights.cpp). Y' goes
// back to NCHW through a transpose fused into the convolution's
// elementwise consumer.
//
//===----------------------------------------------------------------------===//

#include "Tiling.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;

namespace hcc::cpu {

bool isChannelLaneShape(int64_t pixels, int64_t filters, int64_t maxPixels,
                        int64_t tileN) {
  return maxPixels > 0 && pixels <= maxPixels && tileN > 0 &&
         filters % tileN == 0;
}

namespace {

/// W' = the [F, K] filter `filter` (a collapse of the convolution's
/// [F, C, KH, KW] one) transposed: a constant when the filter is one.
Value transposedFilter(RewriterBase &rewriter, Location loc, Value filter) {
  auto type = cast<RankedTensorType>(filter.getType());
  int64_t f = type.getDimSize(0), k = type.getDimSize(1);
  auto outType = RankedTensorType::get({k, f}, type.getElementType());
  Value source = filter;
  if (auto collapse = filter.getDefiningOp<tensor::CollapseShapeOp>())
    source = collapse.getSrc();
  if (std::optional<std::vector<float>> values = constantF32Values(source)) {
    std::vector<float> out(values->size());
    for (int64_t row = 0; row < f; ++row)
      for (int64_t col = 0; col < k; ++col)
        out[col * f + row] = (*values)[row * k + col];
    return arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(outType, ArrayRef<float>(out)));
  }
  Value empty = tensor::EmptyOp::create(rewriter, loc, outType.getShape(),
                                        outType.getElementType());
  return linalg::TransposeOp::create(rewriter, loc, filter, empty,
                                     ArrayRef<int64_t>{1, 0})
      ->getResult(0);
}

/// The accumulator's start [B, P, F] for the [B, F, P] one `init` (the
/// collapse of the convolution's): a fill, or a broadcast over the pixels
/// (a bias) rebuilt in the new order; any other a transpose.
Value transposedInit(RewriterBase &rewriter, Location loc, Value init) {
  auto type = cast<RankedTensorType>(init.getType());
  SmallVector<int64_t> shape = {type.getDimSize(0), type.getDimSize(2),
                                type.getDimSize(1)};
  Value empty =
      tensor::EmptyOp::create(rewriter, loc, shape, type.getElementType());
  Value source = init;
  if (auto collapse = init.getDefiningOp<tensor::CollapseShapeOp>())
    source = collapse.getSrc();
  if (auto fill = source.getDefiningOp<linalg::FillOp>())
    return linalg::FillOp::create(rewriter, loc, fill.getInputs()[0], empty)
        .getResult(0);
  // A generic that broadcasts along everything but the batch and the
  // channel: its inputs' maps refer to loops 0 and 1 only.
  if (auto generic = source.getDefiningOp<linalg::GenericOp>();
      generic && generic.getNumDpsInits() == 1 &&
      generic.getNumParallelLoops() == generic.getNumLoops() &&
      generic.getMatchingIndexingMap(generic.getDpsInitOperand(0))
          .isIdentity() &&
      !generic.payloadUsesValueFromOperand(generic.getDpsInitOperand(0))) {
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<AffineMap> maps;
    bool ok = true;
    for (OpOperand *input : generic.getDpsInputOperands()) {
      AffineMap map = generic.getMatchingIndexingMap(input);
      SmallVector<AffineExpr> results;
      for (AffineExpr e : map.getResults()) {
        auto dim = dyn_cast<AffineDimExpr>(e);
        if (!dim || dim.getPosition() > 1) {
          ok = false;
          break;
        }
        results.push_back(
            getAffineDimExpr(dim.getPosition() == 0 ? 0 : 2, ctx));
      }
      maps.push_back(AffineMap::get(3, 0, results, ctx));
    }
    if (ok && !generic.hasIndexSemantics()) {
      maps.push_back(AffineMap::getMultiDimIdentityMap(3, ctx));
      SmallVector<utils::IteratorType> iterators(3,
                                                 utils::IteratorType::parallel);
      auto rebuilt = linalg::GenericOp::create(
          rewriter, loc, empty.getType(), generic.getInputs(),
          ValueRange{empty}, maps, iterators);
      IRMapping mapping;
      generic.getRegion().cloneInto(&rebuilt.getRegion(), mapping);
      return rebuilt.getResult(0);
    }
  }
  return linalg::TransposeOp::create(rewriter, loc, init, empty,
                                     ArrayRef<int64_t>{0, 2, 1})
      ->getResult(0);
}

} // namespace

LogicalResult channelLaneContraction(RewriterBase &rewriter,
                                     linalg::GenericOp matmul) {
  // The im2col contraction: (b, f, p, k), W[f, k] * X[b, k, p] -> Y[b, f, p].
  MLIRContext *ctx = rewriter.getContext();
  if (matmul.getNumDpsInputs() != 2 || matmul.getNumDpsInits() != 1 ||
      matmul.getNumLoops() != 4)
    return failure();
  AffineExpr b, f, p, k;
  bindDims(ctx, b, f, p, k);
  SmallVector<AffineMap> expected = {AffineMap::get(4, 0, {f, k}, ctx),
                                     AffineMap::get(4, 0, {b, k, p}, ctx),
                                     AffineMap::get(4, 0, {b, f, p}, ctx)};
  if (matmul.getIndexingMapsArray() != ArrayRef<AffineMap>(expected))
    return failure();
  Location loc = matmul.getLoc();
  Value w = matmul.getInputs()[0], x = matmul.getInputs()[1];
  Value init = matmul.getOutputs()[0];
  rewriter.setInsertionPoint(matmul);
  Value wt = transposedFilter(rewriter, loc, w);
  Value initT = transposedInit(rewriter, loc, init);

  // Y'[b, p, f] += X[b, k, p] * W'[k, f], loops (b, p, f, k).
  AffineExpr d0, d1, d2, d3;
  bindDims(ctx, d0, d1, d2, d3);
  SmallVector<AffineMap> maps = {AffineMap::get(4, 0, {d0, d3, d1}, ctx),
                                 AffineMap::get(4, 0, {d3, d2}, ctx),
                                 AffineMap::get(4, 0, {d0, d1, d2}, ctx)};
  SmallVector<utils::IteratorType> iterators = {
      utils::IteratorType::parallel, utils::IteratorType::parallel,
      utils::IteratorType::parallel, utils::IteratorType::reduction};
  auto lanes = linalg::GenericOp::create(rewriter, loc, initT.getType(),
                                         ValueRange{x, wt}, ValueRange{initT},
                                         maps, iterators);
  IRMapping mapping;
  matmul.getRegion().cloneInto(&lanes.getRegion(), mapping);
  // The region computes acc + a * b: swapping the operands keeps it.

  // Back to [B, F, P].
  auto outType = cast<RankedTensorType>(init.getType());
  Value empty = tensor::EmptyOp::create(rewriter, loc, outType.getShape(),
                                        outType.getElementType());
  AffineExpr e0, e1, e2;
  bindDims(ctx, e0, e1, e2);
  auto back = linalg::GenericOp::create(
      rewriter, loc, outType, ValueRange{lanes.getResult(0)}, ValueRange{empty},
      ArrayRef<AffineMap>{AffineMap::get(3, 0, {e0, e2, e1}, ctx),
                          AffineMap::getMultiDimIdentityMap(3, ctx)},
      SmallVector<utils::IteratorType>(3, utils::IteratorType::parallel),
      [](OpBuilder &builder, Location l, ValueRange args) {
        linalg::YieldOp::create(builder, l, args[0]);
      });
  rewriter.replaceOp(matmul, back.getResult(0));

  // The transpose joins the elementwise op that alone reads it.
  Value result = back.getResult(0);
  if (!result.hasOneUse())
    return success();
  OpOperand &use = *result.getUses().begin();
  auto consumer = dyn_cast<linalg::GenericOp>(use.getOwner());
  if (!consumer || !linalg::areElementwiseOpsFusable(&use))
    return success();
  FailureOr<linalg::ElementwiseOpFusionResult> fused =
      linalg::fuseElementwiseOps(rewriter, &use);
  if (failed(fused))
    return success();
  // In the consumer's place: after all of both ops' operands.
  rewriter.moveOpBefore(fused->fusedOp, consumer);
  for (auto [oldResult, newResult] : fused->replacements)
    rewriter.replaceUsesWithIf(oldResult, newResult, [&](OpOperand &operand) {
      return operand.getOwner() != consumer.getOperation();
    });
  rewriter.eraseOp(consumer);
  if (back->use_empty())
    rewriter.eraseOp(back);
  return success();
}

} // namespace hcc::cpu
