//===- Geometry.cpp - CenterCropPad, AffineGrid, Col2Im -------------------===//
//
// Ops that place data by coordinates rather than compute on it:
// - CenterCropPad crops (tensor.extract_slice) or zero-pads (tensor.pad)
//   each listed axis around its centre;
// - AffineGrid writes theta @ (x, y[, z], 1) for the normalized coordinates
//   of every output position, one linalg.generic;
// - Col2Im sums the columns back into the image: one scf.for over the block
//   offsets, each adding a strided window of the padded image.
// The operands that set shapes (shape, size, image_shape, block_shape) must
// be constants, as shape inference already required.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "dialects/Graph/IR/ShapeHelpers.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;

namespace hcc::g2l {
namespace {

struct CenterCropPadLowering : OpConversionPattern<graph::CenterCropPadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::CenterCropPadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResultType(getTypeConverter(), op);
    if (failed(type))
      return failure();
    FailureOr<RankedTensorType> inType =
        staticOperandType(op, adaptor.getInputData());
    if (failed(inType))
      return failure();
    Location loc = op.getLoc();
    int64_t rank = inType->getRank();
    SmallVector<OpFoldResult> offsets, sizes, lo, hi;
    SmallVector<int64_t> cropped;
    bool crop = false, pad = false;
    for (int64_t i = 0; i < rank; ++i) {
      int64_t from = inType->getDimSize(i), to = type->getDimSize(i);
      // The extra half is at the end: floor((from - to) / 2) off the front.
      int64_t front = from > to ? (from - to) / 2 : 0;
      int64_t low = to > from ? (to - from) / 2 : 0;
      crop |= from > to;
      pad |= to > from;
      offsets.push_back(rewriter.getIndexAttr(front));
      cropped.push_back(std::min(from, to));
      sizes.push_back(rewriter.getIndexAttr(cropped.back()));
      lo.push_back(rewriter.getIndexAttr(low));
      hi.push_back(rewriter.getIndexAttr(to - cropped.back() - low));
    }
    Value v = adaptor.getInputData();
    if (crop)
      v = tensor::ExtractSliceOp::create(
          rewriter, loc, RankedTensorType::get(cropped, type->getElementType()),
          v, offsets, sizes,
          SmallVector<OpFoldResult>(rank, rewriter.getIndexAttr(1)));
    if (pad)
      v = tensor::PadOp::create(
          rewriter, loc, *type, v, lo, hi,
          scalarConst(rewriter, loc, type->getElementType(), 0));
    rewriter.replaceOp(op, v);
    return success();
  }
};

struct AffineGridLowering : OpConversionPattern<graph::AffineGridOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::AffineGridOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResultType(getTypeConverter(), op);
    if (failed(type))
      return failure();
    Value theta = adaptor.getTheta();
    FailureOr<RankedTensorType> thetaType = staticOperandType(op, theta);
    if (failed(thetaType))
      return failure();
    int64_t rank = type->getRank(), spatial = rank - 2;
    if (thetaType->getRank() != 3 || thetaType->getDimSize(1) != spatial ||
        thetaType->getDimSize(2) != spatial + 1)
      return unsupported(op, "theta must be N x k x (k + 1) for k = " +
                                 Twine(spatial) + " spatial dimensions");
    MLIRContext *ctx = rewriter.getContext();
    bool align = op.getAlignCorners() != 0;
    // One theta input per homogeneous coordinate t: (n, ..., j) -> theta[n,
    // j, t].
    SmallVector<Value> inputs(spatial + 1, theta);
    SmallVector<AffineMap> maps;
    for (int64_t t = 0; t <= spatial; ++t)
      maps.push_back(AffineMap::get(rank, 0,
                                    {getAffineDimExpr(0, ctx),
                                     getAffineDimExpr(rank - 1, ctx),
                                     getAffineConstantExpr(t, ctx)},
                                    ctx));
    Type elem = type->getElementType();
    Type calc = elem.isF64() ? elem : rewriter.getF32Type();
    Value result = buildGeneric(
        rewriter, op.getLoc(), *type, inputs, maps,
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          // Coordinate t runs along spatial axis spatial-1-t (x is the
          // innermost, W): -1 + (2i + 1) / n, or -1 + 2i / (n - 1) with
          // align_corners (-1 when n is 1).
          auto widen = [&](Value v) {
            return convertScalar(b, l, v, elem, calc);
          };
          Value sum = widen(a[spatial]);
          for (int64_t t = 0; t < spatial; ++t) {
            int64_t dim = spatial - t, n = type->getDimSize(dim);
            Value i = arith::IndexCastOp::create(
                b, l, b.getI64Type(), linalg::IndexOp::create(b, l, dim));
            Value fi = arith::SIToFPOp::create(b, l, calc, i);
            Value coord;
            if (align) {
              double step = n > 1 ? 2.0 / double(n - 1) : 0.0;
              coord = arith::MulFOp::create(b, l, fi,
                                            scalarConst(b, l, calc, step));
            } else {
              Value twice = arith::AddFOp::create(
                  b, l,
                  arith::MulFOp::create(b, l, fi, scalarConst(b, l, calc, 2)),
                  scalarConst(b, l, calc, 1));
              coord = arith::DivFOp::create(b, l, twice,
                                            scalarConst(b, l, calc, double(n)));
            }
            coord =
                arith::SubFOp::create(b, l, coord, scalarConst(b, l, calc, 1));
            sum = math::FmaOp::create(b, l, widen(a[t]), coord, sum);
          }
          return convertScalar(b, l, sum, calc, elem);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Adds `x` into `acc`, both static tensors of one type.
Value addTensors(OpBuilder &b, Location loc, Value acc, Value x) {
  auto type = cast<RankedTensorType>(acc.getType());
  AffineMap id = b.getMultiDimIdentityMap(type.getRank());
  bool isFloat = isa<FloatType>(type.getElementType());
  return buildGeneric(b, loc, type, {acc, x}, {id, id},
                      [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
                        if (isFloat)
                          return arith::AddFOp::create(nb, l, a[0], a[1]);
                        return arith::AddIOp::create(nb, l, a[0], a[1]);
                      });
}

struct Col2ImLowering : OpConversionPattern<graph::Col2ImOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::Col2ImOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResultType(getTypeConverter(), op);
    if (failed(type))
      return failure();
    Value input = adaptor.getInput();
    FailureOr<RankedTensorType> inType = staticOperandType(op, input);
    if (failed(inType))
      return failure();
    std::optional<SmallVector<int64_t>> block =
        constInts(op.getBlockShape(), adaptor.getBlockShape());
    if (!block)
      return unsupported(op, "block_shape must be a constant");
    Type elem = type->getElementType();
    if (!isa<FloatType, IntegerType>(elem) || elem.isInteger(1))
      return unsupported(op, "only numeric tensors are summed");
    int64_t spatial = type->getRank() - 2;
    if (int64_t(block->size()) != spatial)
      return unsupported(op, "block_shape must have one entry per image axis");
    auto attrOr = [&](ArrayAttr attr, int64_t n, int64_t dflt) {
      SmallVector<int64_t> v = graph::getI64s(attr);
      if (v.empty())
        v.assign(n, dflt);
      return v;
    };
    SmallVector<int64_t> strides = attrOr(op.getStridesAttr(), spatial, 1);
    SmallVector<int64_t> dilations = attrOr(op.getDilationsAttr(), spatial, 1);
    SmallVector<int64_t> pads = attrOr(op.getPadsAttr(), 2 * spatial, 0);
    if (int64_t(strides.size()) != spatial ||
        int64_t(dilations.size()) != spatial ||
        int64_t(pads.size()) != 2 * spatial)
      return unsupported(op, "strides, dilations and pads must have one "
                             "entry (pads: two) per image axis");
    // Blocks per axis, and the padded image they cover.
    SmallVector<int64_t> cols, padded;
    int64_t numBlocks = 1, blockSize = 1;
    for (int64_t i = 0; i < spatial; ++i) {
      if (strides[i] < 1 || dilations[i] < 1 || pads[i] < 0 ||
          pads[i + spatial] < 0)
        return unsupported(op, "strides and dilations must be positive, "
                               "pads not negative");
      padded.push_back(type->getDimSize(2 + i) + pads[i] + pads[i + spatial]);
      int64_t extent = dilations[i] * ((*block)[i] - 1) + 1;
      if (padded.back() < extent)
        return unsupported(op, "the block is larger than the padded image");
      cols.push_back((padded.back() - extent) / strides[i] + 1);
      numBlocks *= cols.back();
      blockSize *= (*block)[i];
    }
    int64_t n = type->getDimSize(0), c = type->getDimSize(1);
    if (inType->getDimSize(0) != n || inType->getDimSize(1) != c * blockSize ||
        inType->getDimSize(2) != numBlocks)
      return unsupported(op, "input must be " + Twine(n) + " x " +
                                 Twine(c * blockSize) + " x " +
                                 Twine(numBlocks) +
                                 " for these image and block shapes");
    Location loc = op.getLoc();
    // input as [N, C, K, cols...].
    SmallVector<int64_t> split = {n, c, blockSize};
    split.append(cols);
    Value blocks =
        reshapeTo(rewriter, loc, input, RankedTensorType::get(split, elem));
    SmallVector<int64_t> accShape = {n, c};
    accShape.append(padded);
    auto accType = RankedTensorType::get(accShape, elem);
    SmallVector<int64_t> windowShape = {n, c};
    windowShape.append(cols);
    auto windowType = RankedTensorType::get(windowShape, elem);
    Value zero = scalarConst(rewriter, loc, elem, 0);
    Value acc = filledTensor(rewriter, loc, accType, zero);
    auto idx = [&](OpBuilder &b, int64_t v) -> Value {
      return arith::ConstantIndexOp::create(b, loc, v);
    };
    auto loop = scf::ForOp::create(rewriter, loc, idx(rewriter, 0),
                                   idx(rewriter, blockSize), idx(rewriter, 1),
                                   ValueRange{acc});
    {
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPointToStart(loop.getBody());
      OpBuilder &b = rewriter;
      Value k = loop.getInductionVar();
      Value sum = loop.getRegionIterArgs()[0];
      // The block offset of k along each axis (row-major over block).
      SmallVector<OpFoldResult> offsets = {b.getIndexAttr(0),
                                           b.getIndexAttr(0)};
      int64_t inner = blockSize;
      for (int64_t i = 0; i < spatial; ++i) {
        inner /= (*block)[i];
        Value pos = arith::RemUIOp::create(
            b, loc, arith::DivUIOp::create(b, loc, k, idx(b, inner)),
            idx(b, (*block)[i]));
        offsets.push_back(
            arith::MulIOp::create(b, loc, pos, idx(b, dilations[i]))
                .getResult());
      }
      SmallVector<OpFoldResult> one(2 + spatial, b.getIndexAttr(1));
      SmallVector<OpFoldResult> sizes,
          strideAttrs = {b.getIndexAttr(1), b.getIndexAttr(1)};
      for (int64_t d : windowShape)
        sizes.push_back(b.getIndexAttr(d));
      for (int64_t s : strides)
        strideAttrs.push_back(b.getIndexAttr(s));
      // blocks[:, :, k] as [N, C, cols...].
      SmallVector<OpFoldResult> colOffsets = {b.getIndexAttr(0),
                                              b.getIndexAttr(0), k};
      SmallVector<OpFoldResult> colSizes = {
          b.getIndexAttr(n), b.getIndexAttr(c), b.getIndexAttr(1)};
      for (int64_t d : cols) {
        colOffsets.push_back(b.getIndexAttr(0));
        colSizes.push_back(b.getIndexAttr(d));
      }
      Value column = tensor::ExtractSliceOp::create(
          b, loc, windowType, blocks, colOffsets, colSizes,
          SmallVector<OpFoldResult>(3 + spatial, b.getIndexAttr(1)));
      Value window = tensor::ExtractSliceOp::create(
          b, loc, windowType, sum, offsets, sizes, strideAttrs);
      Value added = addTensors(b, loc, window, column);
      Value next = tensor::InsertSliceOp::create(b, loc, added, sum, offsets,
                                                 sizes, strideAttrs);
      scf::YieldOp::create(b, loc, next);
    }
    // The image without its pads.
    SmallVector<OpFoldResult> offsets = {rewriter.getIndexAttr(0),
                                         rewriter.getIndexAttr(0)};
    SmallVector<OpFoldResult> sizes;
    for (int64_t i = 0; i < spatial; ++i)
      offsets.push_back(rewriter.getIndexAttr(pads[i]));
    for (int64_t d : type->getShape())
      sizes.push_back(rewriter.getIndexAttr(d));
    rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
        op, *type, loop.getResult(0), offsets, sizes,
        SmallVector<OpFoldResult>(2 + spatial, rewriter.getIndexAttr(1)));
    return success();
  }
};

} // namespace

void populateGeometryPatterns(TypeConverter &tc, RewritePatternSet &p) {
  p.add<CenterCropPadLowering, AffineGridLowering, Col2ImLowering>(
      tc, p.getContext());
}

} // namespace hcc::g2l
