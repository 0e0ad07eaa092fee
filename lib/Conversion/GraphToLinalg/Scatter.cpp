//===- Scatter.cpp - ScatterElements, Scatter, ScatterND ------------------===//
//
// Scatters are written as reductions over the updates: one linalg.generic
// whose parallel dims run over the output and whose reduction dims run over
// the update positions that could land there; the accumulator starts as the
// data and every update whose (wrapped) index equals the output position is
// combined into it in update order, so with reduction = none the last
// duplicate wins, as in the ONNX reference. Cost: O(|output| * updates along
// the axis) for ScatterElements, O(|output| * |index tuples| * k) for
// ScatterND. Indices outside [-dim, dim) never match and are ignored.
// TensorScatter (a KV-cache update) is a gather over the output instead.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "dialects/Graph/IR/ShapeHelpers.h"

using namespace mlir;

namespace hcc::g2l {
namespace {

/// Combines `acc` with `upd` per the ONNX reduction attribute.
Value combine(OpBuilder &b, Location loc, graph::ScatterReduction red,
              Value acc, Value upd, bool isUnsigned) {
  bool f = isa<FloatType>(upd.getType());
  switch (red) {
  case graph::ScatterReduction::None:
    return upd;
  case graph::ScatterReduction::Add:
    return f ? Value(arith::AddFOp::create(b, loc, acc, upd))
             : Value(arith::AddIOp::create(b, loc, acc, upd));
  case graph::ScatterReduction::Mul:
    return f ? Value(arith::MulFOp::create(b, loc, acc, upd))
             : Value(arith::MulIOp::create(b, loc, acc, upd));
  case graph::ScatterReduction::Max:
    if (f)
      return arith::MaximumFOp::create(b, loc, acc, upd);
    return isUnsigned ? Value(arith::MaxUIOp::create(b, loc, acc, upd))
                      : Value(arith::MaxSIOp::create(b, loc, acc, upd));
  case graph::ScatterReduction::Min:
    if (f)
      return arith::MinimumFOp::create(b, loc, acc, upd);
    return isUnsigned ? Value(arith::MinUIOp::create(b, loc, acc, upd))
                      : Value(arith::MinSIOp::create(b, loc, acc, upd));
  }
  return upd;
}

/// ScatterElements and the deprecated Scatter. The generic runs over the
/// part of the data the updates cover off the axis (an extract_slice of the
/// data, inserted back afterwards), plus one reduction dim over the
/// updates' axis extent.
LogicalResult lowerScatterElements(Operation *op, const TypeConverter *tc,
                                   Value data, Value indices, Value updates,
                                   Type origElem, graph::ScatterReduction red,
                                   ConversionPatternRewriter &rewriter) {
  FailureOr<RankedTensorType> type = staticResultType(tc, op, 0);
  if (failed(type))
    return failure();
  FailureOr<RankedTensorType> idxType = staticOperandType(op, indices);
  FailureOr<RankedTensorType> updType = staticOperandType(op, updates);
  if (failed(idxType) || failed(updType))
    return failure();
  int64_t rank = type->getRank();
  int64_t axis = intAttrOr(op, "axis", 0);
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis >= rank || idxType->getShape() != updType->getShape() ||
      idxType->getRank() != rank)
    return unsupported(op, "axis or indices/updates shapes disagree");
  for (int64_t i = 0; i < rank; ++i)
    if (i != axis && idxType->getDimSize(i) > type->getDimSize(i))
      return unsupported(op, "updates larger than the data off the axis");
  if (updType->getNumElements() == 0) {
    rewriter.replaceOp(op, data);
    return success();
  }
  Location loc = op->getLoc();
  MLIRContext *ctx = rewriter.getContext();
  SmallVector<int64_t> offs(rank, 0), sizes(idxType->getShape()),
      strides(rank, 1);
  sizes[axis] = type->getDimSize(axis);
  auto regionType = RankedTensorType::get(sizes, type->getElementType());
  bool whole = regionType == *type;
  Value region = whole ? data
                       : Value(tensor::ExtractSliceOp::create(
                             rewriter, loc, regionType, data, ValueRange{},
                             ValueRange{}, ValueRange{}, offs, sizes, strides));
  int64_t dim = type->getDimSize(axis);
  SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
  iters.push_back(utils::IteratorType::reduction);
  AffineMap updMap = replaceDimMap(ctx, rank + 1, rank, axis, rank);
  AffineMap outMap = replaceDimMap(ctx, rank + 1, rank, -1, 0);
  bool isUnsigned = origElem.isUnsignedInteger();
  auto g = linalg::GenericOp::create(
      rewriter, loc, TypeRange{regionType}, ValueRange{indices, updates},
      ValueRange{region}, ArrayRef<AffineMap>{updMap, updMap, outMap}, iters,
      [&](OpBuilder &b, Location l, ValueRange a) {
        Value idx = normalizeIndex(b, l, a[0], dim, /*clamp=*/false);
        Value hit = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, idx,
                                          linalg::IndexOp::create(b, l, axis));
        Value upd = combine(b, l, red, a[2], a[1], isUnsigned);
        linalg::YieldOp::create(
            b, l, Value(arith::SelectOp::create(b, l, hit, upd, a[2])));
      });
  Value r = g.getResult(0);
  if (!whole)
    r = tensor::InsertSliceOp::create(rewriter, loc, r, data, ValueRange{},
                                      ValueRange{}, ValueRange{}, offs, sizes,
                                      strides);
  rewriter.replaceOp(op, r);
  return success();
}

struct ScatterElementsLowering : OpConversionPattern<graph::ScatterElementsOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::ScatterElementsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    return lowerScatterElements(op, getTypeConverter(), adaptor.getData(),
                                adaptor.getIndices(), adaptor.getUpdates(),
                                elementTypeOf(op.getData()), op.getReduction(),
                                rewriter);
  }
};

struct ScatterLowering : OpConversionPattern<graph::ScatterOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::ScatterOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    return lowerScatterElements(op, getTypeConverter(), adaptor.getData(),
                                adaptor.getIndices(), adaptor.getUpdates(),
                                elementTypeOf(op.getData()),
                                graph::ScatterReduction::None, rewriter);
  }
};

/// ScatterND: parallel dims over the output (rank r), reduction dims over
/// the index tuples (indices.shape[:-1]); the k index components are read
/// with tensor.extract and compared with the first k output coordinates.
struct ScatterNDLowering : OpConversionPattern<graph::ScatterNDOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::ScatterNDOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type =
        staticResultType(getTypeConverter(), op, 0);
    if (failed(type))
      return failure();
    Value data = adaptor.getData(), indices = adaptor.getIndices(),
          updates = adaptor.getUpdates();
    FailureOr<RankedTensorType> idxType = staticOperandType(op, indices);
    FailureOr<RankedTensorType> updType = staticOperandType(op, updates);
    if (failed(idxType) || failed(updType))
      return failure();
    int64_t r = type->getRank(), q = idxType->getRank();
    if (q < 1)
      return unsupported(op, "indices must have rank >= 1");
    int64_t k = idxType->getDimSize(q - 1);
    SmallVector<int64_t> expected(idxType->getShape().drop_back());
    if (k < 1 || k > r)
      return unsupported(op, "index depth must be in [1, rank]");
    expected.append(type->getShape().begin() + k, type->getShape().end());
    if (updType->getShape() != ArrayRef<int64_t>(expected))
      return unsupported(op, "updates shape disagrees with indices and data");
    if (updType->getNumElements() == 0) {
      rewriter.replaceOp(op, data);
      return success();
    }
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    int64_t nb = q - 1, nd = r + nb;
    SmallVector<utils::IteratorType> iters(r, utils::IteratorType::parallel);
    iters.append(nb, utils::IteratorType::reduction);
    SmallVector<AffineExpr> updExprs;
    for (int64_t i = 0; i < nb; ++i)
      updExprs.push_back(getAffineDimExpr(r + i, ctx));
    for (int64_t i = k; i < r; ++i)
      updExprs.push_back(getAffineDimExpr(i, ctx));
    AffineMap updMap = AffineMap::get(nd, 0, updExprs, ctx);
    AffineMap outMap = replaceDimMap(ctx, nd, r, -1, 0);
    graph::ScatterReduction red = op.getReduction();
    bool isUnsigned = elementTypeOf(op.getData()).isUnsignedInteger();
    auto g = linalg::GenericOp::create(
        rewriter, loc, TypeRange{*type}, ValueRange{updates}, ValueRange{data},
        ArrayRef<AffineMap>{updMap, outMap}, iters,
        [&](OpBuilder &b, Location l, ValueRange a) {
          SmallVector<Value> coords;
          for (int64_t i = 0; i < nb; ++i)
            coords.push_back(linalg::IndexOp::create(b, l, r + i));
          coords.push_back(Value());
          Value hit;
          for (int64_t j = 0; j < k; ++j) {
            coords.back() = arith::ConstantIndexOp::create(b, l, j);
            Value v = tensor::ExtractOp::create(b, l, indices, coords);
            Value idx =
                normalizeIndex(b, l, v, type->getDimSize(j), /*clamp=*/false);
            Value eq =
                arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, idx,
                                      linalg::IndexOp::create(b, l, j));
            hit = hit ? Value(arith::AndIOp::create(b, l, hit, eq)) : eq;
          }
          Value upd = combine(b, l, red, a[1], a[0], isUnsigned);
          linalg::YieldOp::create(
              b, l, Value(arith::SelectOp::create(b, l, hit, upd, a[1])));
        });
    rewriter.replaceOp(op, g.getResult(0));
    return success();
  }
};

} // namespace

namespace {
/// TensorScatter (the KV-cache update): each batch row writes its update
/// at write_indices[b] along `axis` (mod the cache length in circular
/// mode). Written as a gather over the output: position j takes
/// update[j - w] when that lies inside the update, else the past cache.
struct TensorScatterLowering : OpConversionPattern<graph::TensorScatterOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::TensorScatterOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResultType(getTypeConverter(), op);
    if (failed(type))
      return failure();
    Value past = adaptor.getPastCache(), update = adaptor.getUpdate();
    FailureOr<RankedTensorType> pt = staticOperandType(op, past);
    FailureOr<RankedTensorType> ut = staticOperandType(op, update);
    if (failed(pt) || failed(ut))
      return failure();
    int64_t rank = pt->getRank(), axis = op.getAxis();
    if (axis < -rank || axis >= rank)
      return unsupported(op, "axis out of range");
    if (axis < 0)
      axis += rank;
    StringRef mode = op.getMode();
    if (mode != "linear" && mode != "circular")
      return unsupported(op, "mode '" + mode + "' is not linear or circular");
    for (int64_t i = 0; i < rank; ++i)
      if (ut->getRank() != rank ||
          (i != axis && ut->getDimSize(i) != pt->getDimSize(i)) ||
          (i == axis && ut->getDimSize(i) > pt->getDimSize(i)))
        return unsupported(op, "update must match past_cache except along "
                               "axis, where it may be shorter");
    if (axis == 0)
      return unsupported(op, "axis must not be the batch axis 0");
    int64_t cacheLen = pt->getDimSize(axis), updLen = ut->getDimSize(axis);
    bool circular = mode == "circular";
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<Value> inputs = {past};
    SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(rank)};
    bool indices = !graph::isNone(op.getWriteIndices());
    if (indices) {
      inputs.push_back(adaptor.getWriteIndices());
      maps.push_back(AffineMap::get(rank, 0, getAffineDimExpr(0, ctx), ctx));
    }
    Value r = buildGeneric(
        rewriter, op.getLoc(), *type, inputs, maps,
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          auto i64 = [&](int64_t v) -> Value {
            return arith::ConstantIntOp::create(b, l, v, 64);
          };
          Value j = arith::IndexCastOp::create(
              b, l, b.getI64Type(), linalg::IndexOp::create(b, l, axis));
          Value w = indices ? a[1] : i64(0);
          Value s = arith::SubIOp::create(b, l, j, w);
          if (circular) {
            // (j - w) mod cacheLen, into [0, cacheLen).
            Value m = arith::RemSIOp::create(b, l, s, i64(cacheLen));
            Value neg = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt,
                                              m, i64(0));
            s = arith::SelectOp::create(
                b, l, neg, arith::AddIOp::create(b, l, m, i64(cacheLen)), m);
          }
          Value inside = arith::AndIOp::create(
              b, l,
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, s, i64(0)),
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, s,
                                    i64(updLen)));
          Value clamped = arith::SelectOp::create(b, l, inside, s, i64(0));
          SmallVector<Value> at;
          for (int64_t i = 0; i < rank; ++i)
            at.push_back(i == axis ? Value(arith::IndexCastOp::create(
                                         b, l, b.getIndexType(), clamped))
                                   : Value(linalg::IndexOp::create(b, l, i)));
          Value v = tensor::ExtractOp::create(b, l, update, at);
          return arith::SelectOp::create(b, l, inside, v, a[0]);
        });
    rewriter.replaceOp(op, r);
    return success();
  }
};
} // namespace

void populateScatterPatterns(TypeConverter &tc, RewritePatternSet &p) {
  p.add<ScatterElementsLowering, ScatterLowering, ScatterNDLowering,
        TensorScatterLowering>(tc, p.getContext());
}

} // namespace hcc::g2l
