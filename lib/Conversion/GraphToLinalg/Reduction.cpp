//===- Reduction.cpp - Reduce*, ArgMax/ArgMin, Softmax/LogSoftmax ---------===//
//
// Reductions are linalg.generic ops with reduction iterators into a tensor
// of the kept dimensions (keepdims is a tensor.expand_shape afterwards).
// Softmax is max-reduce, exp(x - max), sum-reduce, divide: four generics the
// upstream fusion passes can merge.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "dialects/Graph/IR/ShapeHelpers.h"

using namespace mlir;

namespace hcc::g2l {
namespace {

enum class ReduceKind {
  Sum,
  Mean,
  Max,
  Min,
  Prod,
  L1,
  L2,
  LogSum,
  LogSumExp,
  SumSquare
};

bool isF(Value v) { return isa<FloatType>(v.getType()); }

Value addOf(OpBuilder &b, Location l, Value x, Value y) {
  return isF(x) ? Value(arith::AddFOp::create(b, l, x, y))
                : Value(arith::AddIOp::create(b, l, x, y));
}
Value mulOf(OpBuilder &b, Location l, Value x, Value y) {
  return isF(x) ? Value(arith::MulFOp::create(b, l, x, y))
                : Value(arith::MulIOp::create(b, l, x, y));
}

/// Sorted, normalised reduction axes of a Reduce* op (attribute or, for
/// ReduceSum, operand); empty axes mean all unless noop_with_empty_axes.
FailureOr<SmallVector<int64_t>> reductionAxes(Operation *op, Value axesOperand,
                                              int64_t rank, bool &noop) {
  SmallVector<int64_t> axes;
  noop = false;
  if (axesOperand && !graph::isNone(axesOperand)) {
    auto c = constInts(axesOperand, Value());
    if (!c)
      return unsupported(op, "axes must be a constant");
    axes = *c;
  } else {
    axes = intsAttr(op, "axes");
  }
  if (axes.empty()) {
    if (intAttrOr(op, "noop_with_empty_axes", 0) != 0) {
      noop = true;
      return axes;
    }
    for (int64_t i = 0; i < rank; ++i)
      axes.push_back(i);
  }
  for (int64_t &a : axes)
    if (a < 0)
      a += rank;
  llvm::sort(axes);
  axes.erase(std::unique(axes.begin(), axes.end()), axes.end());
  return axes;
}

template <typename OpTy, ReduceKind kind>
struct ReduceLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Operation *raw = op.getOperation();
    auto type = convertedTensorType(*this->getTypeConverter(),
                                    raw->getResult(0).getType());
    Value x = adaptor.getOperands()[0];
    auto xt = dyn_cast<RankedTensorType>(x.getType());
    if (!allStaticTensors({type, xt}))
      return unsupported(op, "operands and result must be static tensors");
    // Booleans compare unsigned: true (1) is the maximum, not -1.
    bool u = isUnsignedType(raw->getOperand(0).getType()) ||
             getElementTypeOrSelf(raw->getOperand(0).getType()).isInteger(1);
    Type elem = type.getElementType();
    bool f = isa<FloatType>(elem);
    if (!f && kind != ReduceKind::Sum && kind != ReduceKind::Max &&
        kind != ReduceKind::Min && kind != ReduceKind::Prod &&
        kind != ReduceKind::SumSquare && kind != ReduceKind::L1)
      return unsupported(op, "integer element types");
    Value axesOperand =
        raw->getNumOperands() > 1 ? raw->getOperand(1) : Value();
    Location loc = op.getLoc();
    auto reduceOver = [&](ArrayRef<int64_t> axes) -> Value {
      return reduce(rewriter, loc, x, xt, type, axes, u);
    };
    if (axesOperand && !graph::isNone(axesOperand) &&
        !constInts(axesOperand, Value())) {
      // Run-time axes (RuntimeOperands.cpp).
      bool sumLike = kind == ReduceKind::Sum || kind == ReduceKind::Mean ||
                     kind == ReduceKind::Max || kind == ReduceKind::Min ||
                     kind == ReduceKind::Prod;
      FailureOr<Value> r =
          lowerRuntimeReduceAxes(rewriter, raw, x, adaptor.getOperands()[1],
                                 type, sumLike, reduceOver);
      if (failed(r))
        return failure();
      rewriter.replaceOp(raw, *r);
      return success();
    }
    bool noop;
    FailureOr<SmallVector<int64_t>> axes =
        reductionAxes(raw, axesOperand, xt.getRank(), noop);
    if (failed(axes))
      return failure();
    if (noop) {
      rewriter.replaceOp(raw, x);
      return success();
    }
    rewriter.replaceOp(raw, reduceOver(*axes));
    return success();
  }

  /// Reduces `x` over the sorted `axes` into `type`.
  static Value reduce(OpBuilder &rewriter, Location loc, Value x,
                      RankedTensorType xt, RankedTensorType type,
                      ArrayRef<int64_t> axes, bool u) {
    Type elem = type.getElementType();
    bool f = isa<FloatType>(elem);
    Value init;
    switch (kind) {
    case ReduceKind::Max:
      init = lowestValue(rewriter, loc, elem, u);
      break;
    case ReduceKind::Min:
      init = highestValue(rewriter, loc, elem, u);
      break;
    case ReduceKind::Prod:
      init = scalarConst(rewriter, loc, elem, 1);
      break;
    default:
      init = scalarConst(rewriter, loc, elem, 0);
    }
    Value r = buildReduction(
        rewriter, loc, x, axes, init,
        [&](OpBuilder &b, Location l, Value v, Value acc) -> Value {
          switch (kind) {
          case ReduceKind::Max:
            return f   ? Value(arith::MaximumFOp::create(b, l, v, acc))
                   : u ? Value(arith::MaxUIOp::create(b, l, v, acc))
                       : Value(arith::MaxSIOp::create(b, l, v, acc));
          case ReduceKind::Min:
            return f   ? Value(arith::MinimumFOp::create(b, l, v, acc))
                   : u ? Value(arith::MinUIOp::create(b, l, v, acc))
                       : Value(arith::MinSIOp::create(b, l, v, acc));
          case ReduceKind::Prod:
            return mulOf(b, l, v, acc);
          case ReduceKind::L1:
            return addOf(b, l,
                         f   ? Value(math::AbsFOp::create(b, l, v))
                         : u ? v
                             : Value(math::AbsIOp::create(b, l, v)),
                         acc);
          case ReduceKind::L2:
          case ReduceKind::SumSquare:
            return addOf(b, l, mulOf(b, l, v, v), acc);
          case ReduceKind::LogSumExp:
            return addOf(b, l, math::ExpOp::create(b, l, v), acc);
          default:
            return addOf(b, l, v, acc);
          }
        });
    int64_t count = 1;
    for (int64_t a : axes)
      count *= xt.getDimSize(a);
    if (kind == ReduceKind::Mean || kind == ReduceKind::L2 ||
        kind == ReduceKind::LogSum || kind == ReduceKind::LogSumExp) {
      auto rt = cast<RankedTensorType>(r.getType());
      r = buildGeneric(rewriter, loc, rt, {r},
                       {rewriter.getMultiDimIdentityMap(rt.getRank())},
                       [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                         if (kind == ReduceKind::Mean)
                           return arith::DivFOp::create(
                               b, l, a[0], scalarConst(b, l, elem, count));
                         if (kind == ReduceKind::L2)
                           return math::SqrtOp::create(b, l, a[0]);
                         return math::LogOp::create(b, l, a[0]);
                       });
    }
    return reshapeTo(rewriter, loc, r, type);
  }
};

/// ArgMax/ArgMin: a two-output reduction carrying (best value, its index).
template <typename OpTy, bool isMax>
struct ArgLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedTensorType(*this->getTypeConverter(), op.getType());
    Value x = adaptor.getData();
    auto xt = dyn_cast<RankedTensorType>(x.getType());
    if (!allStaticTensors({type, xt}))
      return unsupported(op, "operands and result must be static tensors");
    Type elem = xt.getElementType();
    bool u = isUnsignedType(op.getData().getType());
    bool last = intAttrOr(op, "select_last_index", 0) != 0;
    int64_t rank = xt.getRank(), axis = intAttrOr(op, "axis", 0);
    if (axis < 0)
      axis += rank;
    Location loc = op.getLoc();
    SmallVector<int64_t> keptShape;
    SmallVector<utils::IteratorType> iters;
    for (int64_t i = 0; i < rank; ++i) {
      iters.push_back(i == axis ? utils::IteratorType::reduction
                                : utils::IteratorType::parallel);
      if (i != axis)
        keptShape.push_back(xt.getDimSize(i));
    }
    auto valType = RankedTensorType::get(keptShape, elem);
    auto idxType = RankedTensorType::get(keptShape, rewriter.getI64Type());
    Value valInit = filledTensor(rewriter, loc, valType,
                                 isMax ? lowestValue(rewriter, loc, elem, u)
                                       : highestValue(rewriter, loc, elem, u));
    Value idxInit =
        filledTensor(rewriter, loc, idxType,
                     scalarConst(rewriter, loc, rewriter.getI64Type(), 0));
    AffineMap outMap = dropDimsMap(rewriter.getContext(), rank, {axis});
    SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(rank),
                                   outMap, outMap};
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{valType, idxType}, ValueRange{x},
        ValueRange{valInit, idxInit}, maps, iters,
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value v = a[0], best = a[1], bestIdx = a[2];
          Value better;
          if (isa<FloatType>(elem)) {
            auto p = isMax ? (last ? arith::CmpFPredicate::OGE
                                   : arith::CmpFPredicate::OGT)
                           : (last ? arith::CmpFPredicate::OLE
                                   : arith::CmpFPredicate::OLT);
            better = arith::CmpFOp::create(b, l, p, v, best);
          } else {
            using P = arith::CmpIPredicate;
            P p = isMax
                      ? (last ? (u ? P::uge : P::sge) : (u ? P::ugt : P::sgt))
                      : (last ? (u ? P::ule : P::sle) : (u ? P::ult : P::slt));
            better = arith::CmpIOp::create(b, l, p, v, best);
          }
          Value idx = arith::IndexCastOp::create(
              b, l, b.getI64Type(), linalg::IndexOp::create(b, l, axis));
          linalg::YieldOp::create(
              b, l,
              ValueRange{arith::SelectOp::create(b, l, better, v, best),
                         arith::SelectOp::create(b, l, better, idx, bestIdx)});
        });
    rewriter.replaceOp(op,
                       reshapeTo(rewriter, loc, generic.getResult(1), type));
    return success();
  }
};

/// Softmax / LogSoftmax over one axis (opset 13).
template <typename OpTy, bool isLog>
struct SoftmaxLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedTensorType(*this->getTypeConverter(), op.getType());
    Value x = adaptor.getInput();
    if (!type || !type.hasStaticShape() ||
        !isa<FloatType>(type.getElementType()))
      return unsupported(op, "result must be a static float tensor");
    int64_t rank = type.getRank(), axis = intAttrOr(op, "axis", -1);
    // Out of range it would normalize over no axis (all ones): refused.
    if (axis < -rank || axis >= rank)
      return unsupported(op, "axis " + Twine(axis) +
                                 " is out of range for rank " + Twine(rank));
    if (axis < 0)
      axis += rank;
    rewriter.replaceOp(op, buildSoftmax(rewriter, op.getLoc(), x, axis, isLog));
    return success();
  }
};

} // namespace

Value buildSoftmax(OpBuilder &rewriter, Location loc, Value x, int64_t axis,
                   bool isLog) {
  auto type = cast<RankedTensorType>(x.getType());
  Type elem = type.getElementType();
  int64_t rank = type.getRank();
  MLIRContext *ctx = rewriter.getContext();
  AffineMap id = rewriter.getMultiDimIdentityMap(rank);
  AffineMap kept = dropDimsMap(ctx, rank, {axis});
  Value max = buildReduction(
      rewriter, loc, x, {axis}, lowestValue(rewriter, loc, elem, false),
      [](OpBuilder &b, Location l, Value v, Value acc) -> Value {
        return arith::MaximumFOp::create(b, l, v, acc);
      });
  Value shifted =
      buildGeneric(rewriter, loc, type, {x, max}, {id, kept},
                   [](OpBuilder &b, Location l, ValueRange a) -> Value {
                     return arith::SubFOp::create(b, l, a[0], a[1]);
                   });
  Value exp = buildGeneric(rewriter, loc, type, {shifted}, {id},
                           [](OpBuilder &b, Location l, ValueRange a) -> Value {
                             return math::ExpOp::create(b, l, a[0]);
                           });
  Value sum = buildReduction(
      rewriter, loc, exp, {axis}, scalarConst(rewriter, loc, elem, 0),
      [](OpBuilder &b, Location l, Value v, Value acc) -> Value {
        return arith::AddFOp::create(b, l, v, acc);
      });
  Value r;
  if (isLog)
    r = buildGeneric(rewriter, loc, type, {shifted, sum}, {id, kept},
                     [](OpBuilder &b, Location l, ValueRange a) -> Value {
                       return arith::SubFOp::create(
                           b, l, a[0], math::LogOp::create(b, l, a[1]));
                     });
  else
    r = buildGeneric(rewriter, loc, type, {exp, sum}, {id, kept},
                     [](OpBuilder &b, Location l, ValueRange a) -> Value {
                       return arith::DivFOp::create(b, l, a[0], a[1]);
                     });
  return r;
}

void populateReductionPatterns(TypeConverter &tc, RewritePatternSet &p) {
  p.add<ReduceLowering<graph::ReduceSumOp, ReduceKind::Sum>,
        ReduceLowering<graph::ReduceMeanOp, ReduceKind::Mean>,
        ReduceLowering<graph::ReduceMaxOp, ReduceKind::Max>,
        ReduceLowering<graph::ReduceMinOp, ReduceKind::Min>,
        ReduceLowering<graph::ReduceProdOp, ReduceKind::Prod>,
        ReduceLowering<graph::ReduceL1Op, ReduceKind::L1>,
        ReduceLowering<graph::ReduceL2Op, ReduceKind::L2>,
        ReduceLowering<graph::ReduceLogSumOp, ReduceKind::LogSum>,
        ReduceLowering<graph::ReduceLogSumExpOp, ReduceKind::LogSumExp>,
        ReduceLowering<graph::ReduceSumSquareOp, ReduceKind::SumSquare>,
        ArgLowering<graph::ArgMaxOp, true>, ArgLowering<graph::ArgMinOp, false>,
        SoftmaxLowering<graph::SoftmaxOp, false>,
        SoftmaxLowering<graph::LogSoftmaxOp, true>>(tc, p.getContext());
}

} // namespace hcc::g2l
