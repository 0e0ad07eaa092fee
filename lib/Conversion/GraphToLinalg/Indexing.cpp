//===- Indexing.cpp - gathers, block rearrangements, CastLike -------------===//
//
// GatherElements, GatherND, DepthToSpace, SpaceToDepth, ReverseSequence,
// Compress and CastLike. Gathers are one linalg.generic over the result
// whose body reads the data with tensor.extract at computed coordinates.
// Run-time indices are wrapped (negative counts from the end) and then
// clamped into range, so an out-of-range index reads an edge element
// instead of faulting.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "dialects/Graph/IR/ShapeHelpers.h"

using namespace mlir;

namespace hcc::g2l {

Value normalizeIndex(OpBuilder &b, Location loc, Value idx, int64_t dim,
                     bool clamp) {
  if (!idx.getType().isIndex())
    idx = arith::IndexCastOp::create(b, loc, b.getIndexType(), idx);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value neg =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, idx, zero);
  Value wrapped = arith::AddIOp::create(
      b, loc, idx, arith::ConstantIndexOp::create(b, loc, dim));
  idx = arith::SelectOp::create(b, loc, neg, wrapped, idx);
  if (!clamp)
    return idx;
  idx = arith::MaxSIOp::create(b, loc, idx, zero);
  return arith::MinSIOp::create(
      b, loc, idx, arith::ConstantIndexOp::create(b, loc, dim - 1));
}

FailureOr<RankedTensorType> staticResultType(const TypeConverter *tc,
                                             Operation *op, unsigned idx) {
  auto t = convertedTensorType(*tc, op->getResult(idx).getType());
  if (!t || !t.hasStaticShape())
    return unsupported(op, "result must be a static tensor");
  if (!t.getElementType().isIntOrFloat())
    return unsupported(op, "only integer and floating-point element types");
  return t;
}

FailureOr<RankedTensorType> staticOperandType(Operation *op, Value v) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  if (!t || !t.hasStaticShape())
    return unsupported(op, "operands must be static tensors");
  return t;
}

/// Map (d0..d{n-1}) -> (d0..d{n-1}) with the result `axis` replaced by
/// dim `with`, over `numDims` dims.
AffineMap replaceDimMap(MLIRContext *ctx, unsigned numDims, int64_t rank,
                        int64_t axis, unsigned with) {
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < rank; ++i)
    exprs.push_back(getAffineDimExpr(i == axis ? with : i, ctx));
  return AffineMap::get(numDims, 0, exprs, ctx);
}

namespace {

/// Shared prologue: static result type and static operand types.
#define G2L_RESULT(var, idx)                                                   \
  FailureOr<RankedTensorType> var =                                            \
      staticResultType(getTypeConverter(), op, idx);                           \
  if (failed(var))                                                             \
    return failure();
#define G2L_OPERAND(var, value)                                                \
  FailureOr<RankedTensorType> var = staticOperandType(op, value);              \
  if (failed(var))                                                             \
    return failure();

/// out[i] = data[i with i[axis] replaced by indices[i]].
struct GatherElementsLowering : OpConversionPattern<graph::GatherElementsOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::GatherElementsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    G2L_RESULT(type, 0);
    G2L_OPERAND(dataType, adaptor.getData());
    G2L_OPERAND(idxType, adaptor.getIndices());
    Value data = adaptor.getData();
    int64_t rank = dataType->getRank();
    int64_t axis = intAttrOr(op, "axis", 0);
    if (axis < 0)
      axis += rank;
    if (axis < 0 || axis >= rank || idxType->getRank() != rank ||
        idxType->getShape() != type->getShape())
      return unsupported(op, "axis or index shape disagrees with the data");
    for (int64_t i = 0; i < rank; ++i)
      if (i != axis && idxType->getDimSize(i) > dataType->getDimSize(i))
        return unsupported(op, "indices larger than the data off the axis");
    if (dataType->getNumElements() == 0)
      return unsupported(op, "empty data");
    int64_t dim = dataType->getDimSize(axis);
    Value r = buildGeneric(
        rewriter, op.getLoc(), *type, {adaptor.getIndices()},
        {rewriter.getMultiDimIdentityMap(rank)},
        [&](OpBuilder &b, Location loc, ValueRange a) -> Value {
          SmallVector<Value> coords;
          for (int64_t i = 0; i < rank; ++i)
            coords.push_back(i == axis
                                 ? normalizeIndex(b, loc, a[0], dim)
                                 : Value(linalg::IndexOp::create(b, loc, i)));
          return tensor::ExtractOp::create(b, loc, data, coords);
        });
    rewriter.replaceOp(op, r);
    return success();
  }
};

/// out[b..., q..., t...] = data[b..., indices[b..., q..., :], t...].
struct GatherNDLowering : OpConversionPattern<graph::GatherNDOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::GatherNDOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    G2L_RESULT(type, 0);
    G2L_OPERAND(dataType, adaptor.getData());
    G2L_OPERAND(idxType, adaptor.getIndices());
    Value data = adaptor.getData(), indices = adaptor.getIndices();
    int64_t r = dataType->getRank(), q = idxType->getRank();
    int64_t bd = intAttrOr(op, "batch_dims", 0);
    if (q < 1)
      return unsupported(op, "indices must have rank >= 1");
    int64_t k = idxType->getDimSize(q - 1);
    if (bd < 0 || bd >= q || bd >= r || k < 1 || bd + k > r ||
        type->getRank() != q - 1 + r - k - bd)
      return unsupported(op, "batch_dims or index depth disagrees with data");
    for (int64_t i = 0; i < bd; ++i)
      if (dataType->getDimSize(i) != idxType->getDimSize(i))
        return unsupported(op, "batch dimensions of data and indices differ");
    if (dataType->getNumElements() == 0)
      return unsupported(op, "empty data");
    Value res = buildGeneric(
        rewriter, op.getLoc(), *type, {}, {},
        [&](OpBuilder &b, Location loc, ValueRange) -> Value {
          SmallVector<Value> outIdx;
          for (int64_t i = 0; i < type->getRank(); ++i)
            outIdx.push_back(linalg::IndexOp::create(b, loc, i));
          SmallVector<Value> idxCoords(outIdx.begin(), outIdx.begin() + q - 1);
          idxCoords.push_back(Value());
          SmallVector<Value> coords(outIdx.begin(), outIdx.begin() + bd);
          for (int64_t j = 0; j < k; ++j) {
            idxCoords.back() = arith::ConstantIndexOp::create(b, loc, j);
            Value v = tensor::ExtractOp::create(b, loc, indices, idxCoords);
            coords.push_back(
                normalizeIndex(b, loc, v, dataType->getDimSize(bd + j)));
          }
          coords.append(outIdx.begin() + q - 1, outIdx.end());
          return tensor::ExtractOp::create(b, loc, data, coords);
        });
    rewriter.replaceOp(op, res);
    return success();
  }
};

/// Cast to the element type of the second operand.
struct CastLikeLowering : OpConversionPattern<graph::CastLikeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::CastLikeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    G2L_RESULT(type, 0);
    Type from = elementTypeOf(op.getInput());
    Type to = elementTypeOf(op.getOutput());
    if (!from.isIntOrFloat() || !to.isIntOrFloat())
      return unsupported(op, "only integer and floating-point element types");
    Value r = buildBroadcastElementwise(
        rewriter, op.getLoc(), *type, {adaptor.getInput()},
        [&](OpBuilder &b, Location loc, ValueRange a) {
          return convertScalar(b, loc, a[0], from, to, narrowCastOf(op));
        });
    rewriter.replaceOp(op, r);
    return success();
  }
};

/// reshape -> transpose -> reshape, with static shapes.
Value reshapeTransposeReshape(OpBuilder &b, Location loc, Value v,
                              ArrayRef<int64_t> midShape,
                              ArrayRef<int64_t> perm, RankedTensorType result) {
  Type elem = result.getElementType();
  auto midType = RankedTensorType::get(midShape, elem);
  Value mid = reshapeTo(b, loc, v, midType);
  SmallVector<int64_t> tShape;
  for (int64_t p : perm)
    tShape.push_back(midShape[p]);
  Value init = emptyTensor(b, loc, RankedTensorType::get(tShape, elem));
  Value t = linalg::TransposeOp::create(b, loc, mid, init, perm).getResult()[0];
  return reshapeTo(b, loc, t, result);
}

struct DepthToSpaceLowering : OpConversionPattern<graph::DepthToSpaceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::DepthToSpaceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    G2L_RESULT(type, 0);
    G2L_OPERAND(inType, adaptor.getInput());
    int64_t bs = op.getBlocksize();
    if (inType->getRank() != 4 || bs < 1 ||
        inType->getDimSize(1) % (bs * bs) != 0)
      return unsupported(op, "needs a 4-D input with C divisible by "
                             "blocksize^2");
    int64_t n = inType->getDimSize(0), c = inType->getDimSize(1),
            h = inType->getDimSize(2), w = inType->getDimSize(3);
    int64_t oc = c / (bs * bs);
    if (type->getShape() != ArrayRef<int64_t>{n, oc, h * bs, w * bs})
      return unsupported(op, "result shape disagrees with blocksize");
    bool dcr = op.getMode() == graph::DepthToSpaceMode::DCR;
    SmallVector<int64_t> mid = dcr ? SmallVector<int64_t>{n, bs, bs, oc, h, w}
                                   : SmallVector<int64_t>{n, oc, bs, bs, h, w};
    SmallVector<int64_t> perm = dcr ? SmallVector<int64_t>{0, 3, 4, 1, 5, 2}
                                    : SmallVector<int64_t>{0, 1, 4, 2, 5, 3};
    rewriter.replaceOp(op, reshapeTransposeReshape(rewriter, op.getLoc(),
                                                   adaptor.getInput(), mid,
                                                   perm, *type));
    return success();
  }
};

struct SpaceToDepthLowering : OpConversionPattern<graph::SpaceToDepthOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::SpaceToDepthOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    G2L_RESULT(type, 0);
    G2L_OPERAND(inType, adaptor.getInput());
    int64_t bs = op.getBlocksize();
    if (inType->getRank() != 4 || bs < 1 || inType->getDimSize(2) % bs != 0 ||
        inType->getDimSize(3) % bs != 0)
      return unsupported(op, "needs a 4-D input with H and W divisible by "
                             "blocksize");
    int64_t n = inType->getDimSize(0), c = inType->getDimSize(1),
            h = inType->getDimSize(2), w = inType->getDimSize(3);
    if (type->getShape() != ArrayRef<int64_t>{n, c * bs * bs, h / bs, w / bs})
      return unsupported(op, "result shape disagrees with blocksize");
    SmallVector<int64_t> mid{n, c, h / bs, bs, w / bs, bs};
    SmallVector<int64_t> perm{0, 3, 5, 1, 2, 4};
    rewriter.replaceOp(op, reshapeTransposeReshape(rewriter, op.getLoc(),
                                                   adaptor.getInput(), mid,
                                                   perm, *type));
    return success();
  }
};

/// out[b, t] = t < len[b] ? in[b, len[b] - 1 - t] : in[b, t] (lengths are
/// clamped to [0, time]).
struct ReverseSequenceLowering : OpConversionPattern<graph::ReverseSequenceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::ReverseSequenceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    G2L_RESULT(type, 0);
    G2L_OPERAND(inType, adaptor.getInput());
    G2L_OPERAND(lenType, adaptor.getSequenceLens());
    int64_t rank = inType->getRank();
    int64_t ba = intAttrOr(op, "batch_axis", 1),
            ta = intAttrOr(op, "time_axis", 0);
    if (rank < 2 || !((ba == 0 && ta == 1) || (ba == 1 && ta == 0)) ||
        lenType->getRank() != 1 ||
        lenType->getDimSize(0) != inType->getDimSize(ba))
      return unsupported(op, "batch_axis/time_axis must be 0/1 or 1/0 with "
                             "one length per batch");
    int64_t time = inType->getDimSize(ta);
    Value input = adaptor.getInput();
    MLIRContext *ctx = rewriter.getContext();
    AffineMap lenMap =
        AffineMap::get(rank, 0, {getAffineDimExpr(ba, ctx)}, ctx);
    Value r = buildGeneric(
        rewriter, op.getLoc(), *type, {adaptor.getSequenceLens()}, {lenMap},
        [&](OpBuilder &b, Location loc, ValueRange a) -> Value {
          Value len =
              arith::IndexCastOp::create(b, loc, b.getIndexType(), a[0]);
          len = arith::MaxSIOp::create(
              b, loc, len, arith::ConstantIndexOp::create(b, loc, 0));
          len = arith::MinSIOp::create(
              b, loc, len, arith::ConstantIndexOp::create(b, loc, time));
          SmallVector<Value> coords;
          for (int64_t i = 0; i < rank; ++i)
            coords.push_back(linalg::IndexOp::create(b, loc, i));
          Value t = coords[ta];
          Value inSeq =
              arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, t, len);
          Value rev = arith::SubIOp::create(
              b, loc,
              arith::SubIOp::create(b, loc, len,
                                    arith::ConstantIndexOp::create(b, loc, 1)),
              t);
          coords[ta] = arith::SelectOp::create(b, loc, inSeq, rev, t);
          return tensor::ExtractOp::create(b, loc, input, coords);
        });
    rewriter.replaceOp(op, r);
    return success();
  }
};

/// Compress with a run-time condition and a static result: prefix[i] counts
/// the true conditions before i (an O(n^2) reduction generic); then
/// out[.., j, ..] is the input slice i with cond[i] && prefix[i] == j (a
/// reduction generic over i). Result rows past the number of true
/// conditions stay zero.
struct CompressLowering : OpConversionPattern<graph::CompressOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::CompressOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    G2L_RESULT(type, 0);
    G2L_OPERAND(inType, adaptor.getInput());
    G2L_OPERAND(condType, adaptor.getCondition());
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value input = adaptor.getInput();
    int64_t axis = 0;
    if (auto a = op->getAttrOfType<IntegerAttr>("axis")) {
      axis = a.getInt();
      if (axis < 0)
        axis += inType->getRank();
      if (axis < 0 || axis >= inType->getRank())
        return unsupported(op, "axis out of range");
    } else {
      input = reshapeTo(rewriter, loc, input,
                        RankedTensorType::get({inType->getNumElements()},
                                              inType->getElementType()));
    }
    auto srcType = cast<RankedTensorType>(input.getType());
    int64_t rank = srcType.getRank();
    if (condType->getRank() != 1 || type->getRank() != rank)
      return unsupported(op, "condition must be 1-D");
    for (int64_t i = 0; i < rank; ++i)
      if (i != axis && type->getDimSize(i) != srcType.getDimSize(i))
        return unsupported(op, "result shape disagrees with the input");
    int64_t n = std::min(condType->getDimSize(0), srcType.getDimSize(axis));
    if (n == 0 || type->getNumElements() == 0) {
      rewriter.replaceOp(
          op,
          filledTensor(rewriter, loc, *type,
                       scalarConst(rewriter, loc, type->getElementType(), 0)));
      return success();
    }
    Value cond = adaptor.getCondition();
    if (condType->getDimSize(0) != n)
      cond = tensor::ExtractSliceOp::create(
          rewriter, loc, RankedTensorType::get({n}, condType->getElementType()),
          cond, ValueRange{}, ValueRange{}, ValueRange{}, ArrayRef<int64_t>{0},
          ArrayRef<int64_t>{n}, ArrayRef<int64_t>{1});
    if (srcType.getDimSize(axis) != n) {
      SmallVector<int64_t> offs(rank, 0), sizes(srcType.getShape()),
          strides(rank, 1);
      sizes[axis] = n;
      input = tensor::ExtractSliceOp::create(
          rewriter, loc, RankedTensorType::get(sizes, srcType.getElementType()),
          input, ValueRange{}, ValueRange{}, ValueRange{}, offs, sizes,
          strides);
    }
    // prefix[i] = sum_{j < i} cond[j].
    Type i64 = rewriter.getI64Type();
    auto prefixType = RankedTensorType::get({n}, i64);
    Value zero64 = scalarConst(rewriter, loc, i64, 0);
    Value prefixInit = filledTensor(rewriter, loc, prefixType, zero64);
    AffineExpr d0 = getAffineDimExpr(0, ctx), d1 = getAffineDimExpr(1, ctx);
    auto prefix = linalg::GenericOp::create(
        rewriter, loc, TypeRange{prefixType}, ValueRange{cond},
        ValueRange{prefixInit},
        ArrayRef<AffineMap>{AffineMap::get(2, 0, {d1}, ctx),
                            AffineMap::get(2, 0, {d0}, ctx)},
        ArrayRef<utils::IteratorType>{utils::IteratorType::parallel,
                                      utils::IteratorType::reduction},
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value i = linalg::IndexOp::create(b, l, 0);
          Value j = linalg::IndexOp::create(b, l, 1);
          Value before =
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, j, i);
          Value take = arith::AndIOp::create(b, l, before, a[0]);
          Value inc = arith::ExtUIOp::create(b, l, b.getI64Type(), take);
          linalg::YieldOp::create(
              b, l, Value(arith::AddIOp::create(b, l, a[1], inc)));
        });
    // out[.., j, ..] = select over i.
    Value outInit =
        filledTensor(rewriter, loc, *type,
                     scalarConst(rewriter, loc, type->getElementType(), 0));
    SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
    iters.push_back(utils::IteratorType::reduction);
    AffineMap iMap =
        AffineMap::get(rank + 1, 0, {getAffineDimExpr(rank, ctx)}, ctx);
    auto out = linalg::GenericOp::create(
        rewriter, loc, TypeRange{*type},
        ValueRange{input, cond, prefix.getResult(0)}, ValueRange{outInit},
        ArrayRef<AffineMap>{replaceDimMap(ctx, rank + 1, rank, axis, rank),
                            iMap, iMap,
                            replaceDimMap(ctx, rank + 1, rank, -1, 0)},
        iters, [&](OpBuilder &b, Location l, ValueRange a) {
          Value j = arith::IndexCastOp::create(
              b, l, b.getI64Type(), linalg::IndexOp::create(b, l, axis));
          Value hit =
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, a[2], j);
          hit = arith::AndIOp::create(b, l, hit, a[1]);
          linalg::YieldOp::create(
              b, l, Value(arith::SelectOp::create(b, l, hit, a[0], a[3])));
        });
    rewriter.replaceOp(op, out.getResult(0));
    return success();
  }
};

#undef G2L_RESULT
#undef G2L_OPERAND

} // namespace

void populateIndexingPatterns(TypeConverter &tc, RewritePatternSet &p) {
  p.add<GatherElementsLowering, GatherNDLowering, CastLikeLowering,
        DepthToSpaceLowering, SpaceToDepthLowering, ReverseSequenceLowering,
        CompressLowering>(tc, p.getContext());
}

} // namespace hcc::g2l
