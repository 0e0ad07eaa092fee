//===- Losses.cpp - NegativeLogLikelihoodLoss, SoftmaxCrossEntropyLoss ----===//
//
// NegativeLogLikelihoodLoss is one linalg.generic over the target's shape
// that gathers -input[n, target, d...] * weight[target] (tensor.extract in
// the body; ignored targets give 0 and weight 0), then, for reduction
// sum/mean, reduction generics over every dimension. `mean` divides the
// summed loss by the summed gathered weights (the count of non-ignored
// samples without weights), as the ONNX reference does.
// SoftmaxCrossEntropyLoss is LogSoftmax over the class axis (max, shift,
// exp, sum, log) feeding the same NLL generic; log_prob is the LogSoftmax.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "dialects/Graph/IR/ShapeHelpers.h"

using namespace mlir;

namespace hcc::g2l {
namespace {

/// The NLL loss of log-probabilities `logp` (N, C, d...) and class indices
/// `target` (N, d...), reduced as `red` and reshaped to `resultType`.
/// `weight` (C) is null when absent.
Value buildNll(OpBuilder &b, Location loc, Value logp, Value target,
               Value weight, std::optional<int64_t> ignoreIndex,
               graph::LossReduction red, RankedTensorType resultType) {
  auto tt = cast<RankedTensorType>(target.getType());
  Type elem = cast<RankedTensorType>(logp.getType()).getElementType();
  int64_t rank = tt.getRank();
  auto lossType = RankedTensorType::get(tt.getShape(), elem);
  SmallVector<AffineMap> maps(3, b.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{lossType, lossType}, ValueRange{target},
      ValueRange{emptyTensor(b, loc, lossType), emptyTensor(b, loc, lossType)},
      maps, iters, [&](OpBuilder &nb, Location l, ValueRange a) {
        Value t = a[0];
        if (!t.getType().isInteger(64))
          t = arith::ExtSIOp::create(nb, l, nb.getI64Type(), t);
        Value zeroI = scalarConst(nb, l, nb.getI64Type(), 0);
        Value valid = arith::ConstantOp::create(nb, l, nb.getBoolAttr(true));
        if (ignoreIndex)
          valid = arith::CmpIOp::create(
              nb, l, arith::CmpIPredicate::ne, t,
              // Exact (not through scalarConst's double): any int64 index.
              arith::ConstantOp::create(nb, l,
                                        nb.getI64IntegerAttr(*ignoreIndex)));
        Value cls = arith::IndexCastOp::create(
            nb, l, nb.getIndexType(),
            arith::SelectOp::create(nb, l, valid, t, zeroI));
        SmallVector<Value> coords;
        for (int64_t i = 0; i < rank; ++i) {
          coords.push_back(linalg::IndexOp::create(nb, l, i));
          if (i == 0)
            coords.push_back(cls);
        }
        Value x = tensor::ExtractOp::create(nb, l, logp, coords);
        Value zero = scalarConst(nb, l, elem, 0);
        Value w = weight ? Value(tensor::ExtractOp::create(nb, l, weight,
                                                           ValueRange{cls}))
                         : scalarConst(nb, l, elem, 1);
        Value loss =
            arith::NegFOp::create(nb, l, arith::MulFOp::create(nb, l, x, w));
        linalg::YieldOp::create(
            nb, l,
            ValueRange{arith::SelectOp::create(nb, l, valid, loss, zero),
                       arith::SelectOp::create(nb, l, valid, w, zero)});
      });
  Value loss = generic.getResult(0);
  if (red == graph::LossReduction::None)
    return reshapeTo(b, loc, loss, resultType);
  SmallVector<int64_t> all;
  for (int64_t i = 0; i < rank; ++i)
    all.push_back(i);
  auto sum = [&](Value v) {
    return buildReduction(
        b, loc, v, all, scalarConst(b, loc, elem, 0),
        [](OpBuilder &nb, Location l, Value x, Value acc) -> Value {
          return arith::AddFOp::create(nb, l, x, acc);
        });
  };
  Value total = sum(loss);
  if (red == graph::LossReduction::Mean) {
    Value weights = sum(generic.getResult(1));
    auto scalarType = cast<RankedTensorType>(total.getType());
    total =
        buildGeneric(b, loc, scalarType, {total, weights},
                     {b.getMultiDimIdentityMap(0), b.getMultiDimIdentityMap(0)},
                     [](OpBuilder &nb, Location l, ValueRange a) -> Value {
                       return arith::DivFOp::create(nb, l, a[0], a[1]);
                     });
  }
  return reshapeTo(b, loc, total, resultType);
}

/// Shared checks of both losses: static float input of rank >= 2, target
/// of the same rank minus one, static result.
LogicalResult checkLossTypes(Operation *op, Value input, Value target,
                             RankedTensorType resultType) {
  auto it = dyn_cast<RankedTensorType>(input.getType());
  auto tt = dyn_cast<RankedTensorType>(target.getType());
  if (!allStaticTensors({it, tt, resultType}))
    return unsupported(op, "operands and result must be static tensors");
  if (!isa<FloatType>(it.getElementType()))
    return unsupported(op, "input must be a float tensor");
  if (it.getRank() < 2 || tt.getRank() != it.getRank() - 1)
    return unsupported(op, "target rank must be the input rank minus one");
  return success();
}

std::optional<int64_t> ignoreIndexOf(Operation *op) {
  if (auto a = op->getAttrOfType<IntegerAttr>("ignore_index"))
    return a.getInt();
  return std::nullopt;
}

struct NllLossLowering
    : OpConversionPattern<graph::NegativeLogLikelihoodLossOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::NegativeLogLikelihoodLossOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedTensorType(*getTypeConverter(), op.getType());
    if (failed(
            checkLossTypes(op, adaptor.getInput(), adaptor.getTarget(), type)))
      return failure();
    Value weight =
        graph::isNone(op.getWeight()) ? Value() : adaptor.getWeight();
    rewriter.replaceOp(op,
                       buildNll(rewriter, op.getLoc(), adaptor.getInput(),
                                adaptor.getTarget(), weight, ignoreIndexOf(op),
                                op.getReduction(), type));
    return success();
  }
};

/// LogSoftmax of `x` over `axis`: x - max - log(sum(exp(x - max))).
Value buildLogSoftmax(OpBuilder &b, Location loc, Value x, int64_t axis) {
  auto type = cast<RankedTensorType>(x.getType());
  Type elem = type.getElementType();
  int64_t rank = type.getRank();
  AffineMap id = b.getMultiDimIdentityMap(rank);
  AffineMap kept = dropDimsMap(b.getContext(), rank, {axis});
  Value max = buildReduction(
      b, loc, x, {axis}, lowestValue(b, loc, elem, false),
      [](OpBuilder &nb, Location l, Value v, Value acc) -> Value {
        return arith::MaximumFOp::create(nb, l, v, acc);
      });
  Value shifted =
      buildGeneric(b, loc, type, {x, max}, {id, kept},
                   [](OpBuilder &nb, Location l, ValueRange a) -> Value {
                     return arith::SubFOp::create(nb, l, a[0], a[1]);
                   });
  Value sum = buildReduction(
      b, loc, shifted, {axis}, scalarConst(b, loc, elem, 0),
      [](OpBuilder &nb, Location l, Value v, Value acc) -> Value {
        return arith::AddFOp::create(nb, l, math::ExpOp::create(nb, l, v), acc);
      });
  return buildGeneric(b, loc, type, {shifted, sum}, {id, kept},
                      [](OpBuilder &nb, Location l, ValueRange a) -> Value {
                        return arith::SubFOp::create(
                            nb, l, a[0], math::LogOp::create(nb, l, a[1]));
                      });
}

struct SoftmaxCrossEntropyLossLowering
    : OpConversionPattern<graph::SoftmaxCrossEntropyLossOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::SoftmaxCrossEntropyLossOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type =
        convertedTensorType(*getTypeConverter(), op.getOutput().getType());
    if (failed(
            checkLossTypes(op, adaptor.getScores(), adaptor.getLabels(), type)))
      return failure();
    Location loc = op.getLoc();
    Value logp = buildLogSoftmax(rewriter, loc, adaptor.getScores(), 1);
    Value weight =
        graph::isNone(op.getWeights()) ? Value() : adaptor.getWeights();
    Value loss = buildNll(rewriter, loc, logp, adaptor.getLabels(), weight,
                          ignoreIndexOf(op), op.getReduction(), type);
    Value logProb;
    if (isa<NoneType>(op.getLogProb().getType()))
      logProb = graph::NoneOp::create(rewriter, loc, rewriter.getNoneType());
    else
      logProb = logp;
    rewriter.replaceOp(op, {loss, logProb});
    return success();
  }
};

} // namespace

void populateLossPatterns(TypeConverter &tc, RewritePatternSet &p) {
  p.add<NllLossLowering, SoftmaxCrossEntropyLossLowering>(tc, p.getContext());
}

} // namespace hcc::g2l
