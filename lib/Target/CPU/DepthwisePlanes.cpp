//===- DepthwisePlanes.cpp - depthwise convolutions over flattened planes -===//
//
// A helper of hcc-cpu-tile-and-vectorize. Row by row, a depthwise
// convolution on a small feature map runs on vectors of 7 lanes (of 16).
// Here each channel's padded input plane is one flat row instead: an
// output position p = oh * W + ow reads tap (kh, kw) at p + kh * W + kw, so
// every tap is one contiguous vector over all of the plane's outputs (the
// W - OW columns past each output row are computed and dropped).
//
//===----------------------------------------------------------------------===//

#include "Tiling.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;

using hcc::cpu::indexAttrs;
using hcc::cpu::padHighTo;

namespace {
/// The accumulator of the flattened convolution ([N, C, length]) from the
/// convolution's `init`: the same fill (or constant generic), the same
/// per-channel broadcast, or
/// zeros (`addInit` is then set: the init is added to the result).
Value flatInit(OpBuilder &b, Location loc, Value init, int64_t length,
               bool &addInit) {
  auto type = cast<RankedTensorType>(init.getType());
  SmallVector<int64_t> shape = {type.getDimSize(0), type.getDimSize(1), length};
  Value empty = tensor::EmptyOp::create(b, loc, shape, type.getElementType());
  addInit = false;
  if (auto fill = init.getDefiningOp<linalg::FillOp>())
    return linalg::FillOp::create(b, loc, fill.getInputs()[0], empty)
        .getResult(0);
  auto generic = init.getDefiningOp<linalg::GenericOp>();
  MLIRContext *ctx = b.getContext();
  // A generic that yields one value defined outside it is a fill.
  if (generic && generic.getNumDpsInputs() == 0) {
    auto yield = cast<linalg::YieldOp>(generic.getBlock()->getTerminator());
    if (yield.getValues().size() == 1 &&
        yield.getValues()[0].getParentRegion() != &generic.getRegion())
      return linalg::FillOp::create(b, loc, yield.getValues()[0], empty)
          .getResult(0);
  }
  if (generic && generic.getNumDpsInputs() == 1 &&
      generic.getNumParallelLoops() == 4 && generic.getNumLoops() == 4 &&
      generic.getIndexingMapsArray()[0] ==
          AffineMap::get(4, 0, {getAffineDimExpr(1, ctx)}, ctx) &&
      generic.getIndexingMapsArray()[1].isIdentity()) {
    auto yield = cast<linalg::YieldOp>(generic.getBlock()->getTerminator());
    if (yield.getValues().size() == 1 &&
        yield.getValues()[0] == generic.getBlock()->getArgument(0)) {
      AffineMap channel = AffineMap::get(3, 0, {getAffineDimExpr(1, ctx)}, ctx);
      return linalg::GenericOp::create(
                 b, loc, empty.getType(), generic.getDpsInputs(),
                 ValueRange{empty},
                 ArrayRef<AffineMap>{channel,
                                     AffineMap::getMultiDimIdentityMap(3, ctx)},
                 SmallVector<utils::IteratorType>(
                     3, utils::IteratorType::parallel),
                 [](OpBuilder &b, Location l, ValueRange args) {
                   linalg::YieldOp::create(b, l, args[0]);
                 })
          .getResult(0);
    }
  }
  addInit = true;
  Value zero =
      arith::ConstantOp::create(b, loc, b.getZeroAttr(type.getElementType()));
  return linalg::FillOp::create(b, loc, zero, empty).getResult(0);
}
} // namespace

namespace hcc::cpu {

FailureOr<linalg::GenericOp>
flattenDepthwise(RewriterBase &rewriter, linalg::DepthwiseConv2DNchwChwOp op,
                 int64_t lanes) {
  Value x = op.getInputs()[0], filter = op.getInputs()[1];
  Value init = op.getOutputs()[0];
  auto inType = cast<RankedTensorType>(x.getType());
  auto filterType = cast<RankedTensorType>(filter.getType());
  auto outType = cast<RankedTensorType>(init.getType());
  if (!inType.hasStaticShape() || !filterType.hasStaticShape() ||
      !outType.hasStaticShape() || !inType.getElementType().isF32())
    return failure();
  // Strided convolutions stay row by row: splitting their input into phase
  // planes first cost more than it saved (mobilenet_v2's, measured).
  auto isOne = [](const APInt &v) { return v.getSExtValue() == 1; };
  if (!llvm::all_of(op.getStrides(), isOne) ||
      !llvm::all_of(op.getDilations(), isOne))
    return failure();
  int64_t n = inType.getDimSize(0), c = inType.getDimSize(1);
  int64_t w = inType.getDimSize(3);
  int64_t kh = filterType.getDimSize(1), kw = filterType.getDimSize(2);
  int64_t oh = outType.getDimSize(2), ow = outType.getDimSize(3);
  // Outputs at p = oh * w + ow, rows padded to a multiple of `lanes`; the
  // last ones read up to (kh - 1) * w + kw - 1 past their position.
  int64_t outLength = llvm::alignTo(oh * w, lanes);
  int64_t inLength = outLength + (kh - 1) * w + kw - 1;

  MLIRContext *ctx = rewriter.getContext();
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  Type f32 = inType.getElementType();
  // Enough zero rows below the plane for the last outputs' taps, then
  // [n, c, rows, w] -> [n, c, rows * w].
  int64_t rows =
      std::max<int64_t>(inType.getDimSize(2), llvm::divideCeil(inLength, w));
  Value padded = padHighTo(rewriter, loc, x, {n, c, rows, w});
  Value planes = tensor::CollapseShapeOp::create(
      rewriter, loc, padded, ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}});

  // acc[n, c, p] += planes[n, c, p + kh * w + kw] * filter[c, kh, kw].
  bool addInit = false;
  Value acc = flatInit(rewriter, loc, init, outLength, addInit);
  AffineExpr dn, dc, dp, dkh, dkw;
  bindDims(ctx, dn, dc, dp, dkh, dkw);
  AffineMap planeMap = AffineMap::get(5, 0, {dn, dc, dp + dkh * w + dkw}, ctx);
  AffineMap filterMap = AffineMap::get(5, 0, {dc, dkh, dkw}, ctx);
  AffineMap accMap = AffineMap::get(5, 0, {dn, dc, dp}, ctx);
  SmallVector<utils::IteratorType> iterators(3, utils::IteratorType::parallel);
  iterators.append(2, utils::IteratorType::reduction);
  auto result = linalg::GenericOp::create(
      rewriter, loc, acc.getType(), ValueRange{planes, filter}, ValueRange{acc},
      ArrayRef<AffineMap>{planeMap, filterMap, accMap}, iterators,
      [](OpBuilder &b, Location l, ValueRange args) {
        Value product = arith::MulFOp::create(b, l, args[0], args[1]);
        linalg::YieldOp::create(
            b, l, Value(arith::AddFOp::create(b, l, args[2], product)));
      });

  // An elementwise consumer that reads only the convolution (its
  // activation) runs on the flat rows too, as vectors of all their
  // positions: on the 7x7 outputs it would get rows of 7 lanes.
  Value flatResult = result.getResult(0);
  Operation *replaced = op;
  auto consumer = dyn_cast<linalg::GenericOp>(
      op->hasOneUse() ? *op->getUsers().begin() : nullptr);
  if (consumer && !addInit && consumer->getBlock() == op->getBlock() &&
      consumer->getNumResults() == 1 &&
      consumer->getResult(0).getType() == outType &&
      isElementwiseLinalg(consumer) &&
      llvm::all_of(consumer.getIndexingMapsArray(),
                   [](AffineMap map) { return map.isIdentity(); }) &&
      llvm::all_of(consumer.getDpsInputs(),
                   [&](Value v) { return v == op->getResult(0); })) {
    rewriter.setInsertionPoint(consumer);
    Value empty = tensor::EmptyOp::create(rewriter, loc, {n, c, outLength},
                                          outType.getElementType());
    AffineMap id = AffineMap::getMultiDimIdentityMap(3, ctx);
    SmallVector<Value> inputs(consumer.getNumDpsInputs(), flatResult);
    auto flatConsumer = linalg::GenericOp::create(
        rewriter, consumer.getLoc(), TypeRange{empty.getType()}, inputs,
        ValueRange{empty},
        SmallVector<AffineMap>(consumer.getNumDpsInputs() + 1, id),
        SmallVector<utils::IteratorType>(3, utils::IteratorType::parallel));
    rewriter.cloneRegionBefore(consumer.getRegion(), flatConsumer.getRegion(),
                               flatConsumer.getRegion().end());
    flatResult = flatConsumer.getResult(0);
    replaced = consumer;
  }
  // The outputs: rows of w positions, of which the first ow are kept.
  Value flat = tensor::ExtractSliceOp::create(
      rewriter, loc, flatResult, indexAttrs(rewriter, {0, 0, 0}),
      indexAttrs(rewriter, {n, c, oh * w}), indexAttrs(rewriter, {1, 1, 1}));
  Value outRows = tensor::ExpandShapeOp::create(
      rewriter, loc, RankedTensorType::get({n, c, oh, w}, f32), flat,
      ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}});
  Value out = tensor::ExtractSliceOp::create(
      rewriter, loc, outType, outRows, indexAttrs(rewriter, {0, 0, 0, 0}),
      indexAttrs(rewriter, {n, c, oh, ow}), indexAttrs(rewriter, {1, 1, 1, 1}));
  if (addInit) {
    AffineMap id = AffineMap::getMultiDimIdentityMap(4, ctx);
    out =
        linalg::GenericOp::create(
            rewriter, loc, outType, ValueRange{out}, ValueRange{init},
            ArrayRef<AffineMap>{id, id},
            SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
            [](OpBuilder &b, Location l, ValueRange args) {
              linalg::YieldOp::create(
                  b, l, Value(arith::AddFOp::create(b, l, args[0], args[1])));
            })
            .getResult(0);
  }
  rewriter.replaceOp(replaced, out);
  if (replaced != op.getOperation())
    rewriter.eraseOp(op);
  return result;
}

} // namespace hcc::cpu
