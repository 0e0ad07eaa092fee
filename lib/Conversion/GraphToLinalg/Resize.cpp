//===- Resize.cpp - Resize, Upsample --------------------------------------===//
//
// One linalg.generic over the output. Per resized dimension the body maps
// the output index to a source coordinate with arith (every
// coordinate_transformation_mode), picks the taps (1 for nearest, 2 for
// linear, 4 for cubic; indices clamped to the input, i.e. edge padding, and
// for cubic with exclude_outside the outside taps get weight 0 and the rest
// are renormalised) and reads the input with tensor.extract. Dimensions
// with equal input and output size and scale 1 are read directly. N-d
// interpolation is the separable tensor product of the 1-d taps, computed in
// f64 like the ONNX reference.
//
// Scales may be runtime tensors: they are read with tensor.extract before
// the generic (the output shape is static). With `sizes` the scale of a
// dimension is out / in. `roi` (tf_crop_and_resize) may be runtime too.
// Upsample is Resize with asymmetric coordinates (nearest rounds down).
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "dialects/Graph/IR/ShapeHelpers.h"

#include "mlir/IR/Matchers.h"

using namespace mlir;

namespace hcc::g2l {
namespace {

using graph::CoordTransformMode;
using graph::NearestMode;
using graph::ResizeMode;

struct ResizeSpec {
  ResizeMode mode = ResizeMode::Nearest;
  CoordTransformMode ctm = CoordTransformMode::HalfPixel;
  NearestMode nearest = NearestMode::RoundPreferFloor;
  double cubicA = -0.75;
  bool excludeOutside = false;
  double extrapolation = 0.0;
};

/// Float contents of a constant operand (original graph.Constant or the
/// converted arith.constant).
std::optional<SmallVector<double>> constFloats(Value orig, Value converted) {
  SmallVector<double> out;
  if (orig)
    if (ElementsAttr e = graph::getConstantElements(orig))
      if (isa<FloatType>(e.getElementType())) {
        for (APFloat v : e.getValues<APFloat>())
          out.push_back(v.convertToDouble());
        return out;
      }
  DenseFPElementsAttr attr;
  if (converted && matchPattern(converted, m_Constant(&attr))) {
    for (APFloat v : attr.getValues<APFloat>())
      out.push_back(v.convertToDouble());
    return out;
  }
  return std::nullopt;
}

/// Element `i` of the 1-D float tensor `t`, as f64 (or the constant).
Value elementF64(OpBuilder &b, Location loc, Value t,
                 const std::optional<SmallVector<double>> &folded, int64_t i) {
  Type f64 = b.getF64Type();
  if (folded)
    return scalarConst(b, loc, f64, (*folded)[i]);
  Value idx = arith::ConstantIndexOp::create(b, loc, i);
  Value v = tensor::ExtractOp::create(b, loc, t, ValueRange{idx});
  return convertScalar(b, loc, v, v.getType(), f64);
}

/// Per-dimension data computed before the generic.
struct DimInfo {
  bool identity = true;
  int64_t in = 1, out = 1;
  Value scale, outWidth, roiStart, roiEnd; // f64 scalars
};

struct Tap {
  Value index;  // index type, in range
  Value weight; // f64, or null for nearest
};

Value f64c(OpBuilder &b, Location l, double v) {
  return scalarConst(b, l, b.getF64Type(), v);
}

/// Source coordinate of output index `o` (f64) for one dimension.
Value sourceCoordinate(OpBuilder &b, Location l, const ResizeSpec &s,
                       const DimInfo &d, Value o) {
  Value half = f64c(b, l, 0.5), one = f64c(b, l, 1.0);
  Value inM1 = f64c(b, l, d.in - 1);
  auto add = [&](Value x, Value y) {
    return Value(arith::AddFOp::create(b, l, x, y));
  };
  auto sub = [&](Value x, Value y) {
    return Value(arith::SubFOp::create(b, l, x, y));
  };
  auto mul = [&](Value x, Value y) {
    return Value(arith::MulFOp::create(b, l, x, y));
  };
  auto div = [&](Value x, Value y) {
    return Value(arith::DivFOp::create(b, l, x, y));
  };
  auto outIsOne = [&] {
    return Value(arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ,
                                       d.outWidth, one));
  };
  switch (s.ctm) {
  case CoordTransformMode::Asymmetric:
    return div(o, d.scale);
  case CoordTransformMode::AlignCorners: {
    Value x = div(mul(o, inM1), sub(d.outWidth, one));
    return arith::SelectOp::create(b, l, outIsOne(), f64c(b, l, 0.0), x);
  }
  case CoordTransformMode::PytorchHalfPixel: {
    Value x = sub(div(add(o, half), d.scale), half);
    return arith::SelectOp::create(b, l, outIsOne(), f64c(b, l, -0.5), x);
  }
  case CoordTransformMode::TfCropAndResize: {
    Value range = sub(d.roiEnd, d.roiStart);
    Value single = mul(mul(range, inM1), half);
    Value many = div(mul(mul(o, range), inM1), sub(d.outWidth, one));
    Value x = arith::SelectOp::create(b, l, outIsOne(), single, many);
    return add(x, mul(d.roiStart, inM1));
  }
  case CoordTransformMode::TfHalfPixelForNn:
    return div(add(o, half), d.scale);
  default: // HalfPixel
    return sub(div(add(o, half), d.scale), half);
  }
}

/// Clamps the f64 integral value `v` to [0, in - 1] as an index.
Value clampIndex(OpBuilder &b, Location l, Value v, int64_t in) {
  Value i = arith::FPToSIOp::create(b, l, b.getI64Type(), v);
  i = arith::MaxSIOp::create(b, l, i, scalarConst(b, l, b.getI64Type(), 0));
  i = arith::MinSIOp::create(b, l, i,
                             scalarConst(b, l, b.getI64Type(), in - 1));
  return arith::IndexCastOp::create(b, l, b.getIndexType(), i);
}

/// Cubic convolution weights for the taps floor(x) - 1 .. floor(x) + 2.
SmallVector<Value> cubicWeights(OpBuilder &b, Location l, double a, Value r) {
  auto c = [&](double v) { return f64c(b, l, v); };
  auto add = [&](Value x, Value y) {
    return Value(arith::AddFOp::create(b, l, x, y));
  };
  auto sub = [&](Value x, Value y) {
    return Value(arith::SubFOp::create(b, l, x, y));
  };
  auto mul = [&](Value x, Value y) {
    return Value(arith::MulFOp::create(b, l, x, y));
  };
  // Outer taps (distance t in [1, 2]): ((A t - 5A) t + 8A) t - 4A.
  auto outer = [&](Value t) {
    Value v = sub(mul(c(a), t), c(5 * a));
    v = add(mul(v, t), c(8 * a));
    return sub(mul(v, t), c(4 * a));
  };
  // Inner taps (distance t in [0, 1]): ((A + 2) t - (A + 3)) t t + 1.
  auto inner = [&](Value t) {
    Value v = sub(mul(c(a + 2), t), c(a + 3));
    return add(mul(mul(v, t), t), c(1));
  };
  Value oneMinus = sub(c(1), r);
  return {outer(add(r, c(1))), inner(r), inner(oneMinus),
          outer(add(oneMinus, c(1)))};
}

/// The taps of one resized dimension for source coordinate `x`.
SmallVector<Tap> dimTaps(OpBuilder &b, Location l, const ResizeSpec &s,
                         const DimInfo &d, Value x) {
  if (s.mode == ResizeMode::Nearest) {
    Value half = f64c(b, l, 0.5), r;
    switch (s.nearest) {
    case NearestMode::RoundPreferFloor:
      r = math::CeilOp::create(b, l, arith::SubFOp::create(b, l, x, half));
      break;
    case NearestMode::RoundPreferCeil:
      r = math::FloorOp::create(b, l, arith::AddFOp::create(b, l, x, half));
      break;
    case NearestMode::Floor:
      r = math::FloorOp::create(b, l, x);
      break;
    case NearestMode::Ceil:
      r = math::CeilOp::create(b, l, x);
      break;
    }
    return {{clampIndex(b, l, r, d.in), Value()}};
  }
  Value f = math::FloorOp::create(b, l, x);
  Value r = arith::SubFOp::create(b, l, x, f);
  SmallVector<Value> weights;
  int64_t first = 0;
  if (s.mode == ResizeMode::Linear) {
    weights = {arith::SubFOp::create(b, l, f64c(b, l, 1), r), r};
  } else {
    weights = cubicWeights(b, l, s.cubicA, r);
    first = -1;
  }
  SmallVector<Tap> taps;
  Value sum;
  for (auto [j, w] : llvm::enumerate(weights)) {
    Value pos = arith::AddFOp::create(b, l, f, f64c(b, l, first + (int64_t)j));
    if (s.excludeOutside) {
      Value ge = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGE, pos,
                                       f64c(b, l, 0));
      Value le = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLE, pos,
                                       f64c(b, l, d.in - 1));
      Value inside = arith::AndIOp::create(b, l, ge, le);
      w = arith::SelectOp::create(b, l, inside, w, f64c(b, l, 0));
      sum = sum ? Value(arith::AddFOp::create(b, l, sum, w)) : w;
    }
    taps.push_back({clampIndex(b, l, pos, d.in), w});
  }
  if (s.excludeOutside)
    for (Tap &t : taps)
      t.weight = arith::DivFOp::create(b, l, t.weight, sum);
  return taps;
}

/// Builds the resize generic. `scales`/`roi` are converted operands (or
/// null) with their folded constants; `useSizes` takes scale = out / in.
FailureOr<Value> buildResize(ConversionPatternRewriter &rw, Operation *op,
                             const ResizeSpec &s, Value x,
                             RankedTensorType type, Value scales,
                             std::optional<SmallVector<double>> scalesConst,
                             bool useSizes, Value roi,
                             std::optional<SmallVector<double>> roiConst) {
  Location loc = op->getLoc();
  auto xt = cast<RankedTensorType>(x.getType());
  int64_t rank = xt.getRank();
  Type elem = type.getElementType();
  if (s.mode != ResizeMode::Nearest && !isa<FloatType>(elem))
    return unsupported(op, "linear and cubic modes need a float element type");
  if (scalesConst && (int64_t)scalesConst->size() != rank)
    return unsupported(op, "scales must have one entry per input dimension");
  if (roiConst && s.ctm == CoordTransformMode::TfCropAndResize &&
      (int64_t)roiConst->size() != 2 * rank)
    return unsupported(op, "roi must have 2 * rank entries");
  if (s.ctm == CoordTransformMode::TfCropAndResize && !roi)
    return unsupported(op, "tf_crop_and_resize needs the roi input");
  SmallVector<DimInfo> dims(rank);
  for (int64_t i = 0; i < rank; ++i) {
    DimInfo &d = dims[i];
    d.in = xt.getDimSize(i);
    d.out = type.getDimSize(i);
    bool unitScale = useSizes || (scalesConst && (*scalesConst)[i] == 1.0);
    d.identity = (d.in == 1 && d.out == 1) ||
                 (d.in == d.out && unitScale &&
                  s.ctm != CoordTransformMode::TfCropAndResize);
    if (d.identity)
      continue;
    if (useSizes)
      d.scale = f64c(rw, loc, (double)d.out / (double)d.in);
    else
      d.scale = elementF64(rw, loc, scales, scalesConst, i);
    d.outWidth = arith::MulFOp::create(rw, loc, d.scale, f64c(rw, loc, d.in));
    if (s.ctm == CoordTransformMode::TfCropAndResize) {
      d.roiStart = elementF64(rw, loc, roi, roiConst, i);
      d.roiEnd = elementF64(rw, loc, roi, roiConst, rank + i);
    }
  }

  Value init = emptyTensor(rw, loc, type);
  SmallVector<AffineMap> maps = {rw.getMultiDimIdentityMap(rank)};
  SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      rw, loc, TypeRange{type}, ValueRange{}, ValueRange{init}, maps, iters,
      [&](OpBuilder &b, Location l, ValueRange) {
        SmallVector<SmallVector<Tap>> taps(rank);
        Value outside;
        for (int64_t i = 0; i < rank; ++i) {
          Value idx = linalg::IndexOp::create(b, l, i);
          if (dims[i].identity) {
            taps[i] = {{idx, Value()}};
            continue;
          }
          Value o = arith::IndexCastOp::create(b, l, b.getI64Type(), idx);
          o = arith::SIToFPOp::create(b, l, b.getF64Type(), o);
          Value c = sourceCoordinate(b, l, s, dims[i], o);
          if (s.ctm == CoordTransformMode::TfCropAndResize) {
            Value lt = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, c,
                                             f64c(b, l, 0));
            Value gt = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, c,
                                             f64c(b, l, dims[i].in - 1));
            Value out = arith::OrIOp::create(b, l, lt, gt);
            outside =
                outside ? Value(arith::OrIOp::create(b, l, outside, out)) : out;
          }
          taps[i] = dimTaps(b, l, s, dims[i], c);
        }
        // Sum over the tensor product of the taps.
        Value acc;
        SmallVector<int64_t> pick(rank, 0);
        while (true) {
          SmallVector<Value> indices;
          Value w;
          for (int64_t i = 0; i < rank; ++i) {
            const Tap &t = taps[i][pick[i]];
            indices.push_back(t.index);
            if (t.weight)
              w = w ? Value(arith::MulFOp::create(b, l, w, t.weight))
                    : t.weight;
          }
          Value v = tensor::ExtractOp::create(b, l, x, indices);
          if (w) {
            v = convertScalar(b, l, v, elem, b.getF64Type());
            v = arith::MulFOp::create(b, l, v, w);
            acc = acc ? Value(arith::AddFOp::create(b, l, acc, v)) : v;
          } else {
            acc = v;
          }
          int64_t i = rank - 1;
          for (; i >= 0; --i) {
            if (++pick[i] < (int64_t)taps[i].size())
              break;
            pick[i] = 0;
          }
          if (i < 0)
            break;
        }
        if (acc.getType() != elem)
          acc = convertScalar(b, l, acc, b.getF64Type(), elem);
        if (outside)
          acc = arith::SelectOp::create(
              b, l, outside, scalarConst(b, l, elem, s.extrapolation), acc);
        linalg::YieldOp::create(b, l, acc);
      });
  return generic.getResult(0);
}

/// The converted result type of a Resize/Upsample of `x`: static, numeric
/// and of `x`'s (static) rank.
FailureOr<RankedTensorType> resizeResultType(const TypeConverter &tc,
                                             Operation *op, Value x) {
  auto type = convertedTensorType(tc, op->getResult(0).getType());
  auto xt = dyn_cast<RankedTensorType>(x.getType());
  if (!type || !type.hasStaticShape() || !xt || !xt.hasStaticShape() ||
      xt.getRank() != type.getRank())
    return unsupported(op, "input and result must be static tensors of the "
                           "same rank");
  if (!type.getElementType().isIntOrFloat())
    return unsupported(op, "non-numeric element types");
  return type;
}

struct ResizeLowering : OpConversionPattern<graph::ResizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::ResizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type =
        resizeResultType(*getTypeConverter(), op, adaptor.getX());
    if (failed(type))
      return failure();
    ResizeSpec s;
    s.mode = op.getMode();
    s.ctm = op.getCoordinateTransformationMode();
    s.nearest = op.getNearestMode();
    s.cubicA = op.getCubicCoeffA().convertToDouble();
    s.excludeOutside = op.getExcludeOutside() != 0;
    s.extrapolation = op.getExtrapolationValue().convertToDouble();
    if (s.ctm == CoordTransformMode::OutputHalfPixel)
      return unsupported(op, "coordinate_transformation_mode "
                             "output_half_pixel");
    // An empty scales tensor counts as absent (opset 11 style).
    Value scales;
    std::optional<SmallVector<double>> scalesConst;
    if (!graph::isNone(op.getScales())) {
      auto st = dyn_cast<RankedTensorType>(adaptor.getScales().getType());
      if (!st || !st.hasStaticShape())
        return unsupported(op, "scales must have a static shape");
      if (st.getNumElements() != 0) {
        scales = adaptor.getScales();
        scalesConst = constFloats(op.getScales(), scales);
      }
    }
    bool useSizes = false;
    if (!scales) {
      if (graph::isNone(op.getSizes()))
        return unsupported(op, "neither scales nor sizes is given");
      useSizes = true; // the static result shape holds the sizes
    }
    Value roi;
    std::optional<SmallVector<double>> roiConst;
    if (!graph::isNone(op.getRoi())) {
      roi = adaptor.getRoi();
      roiConst = constFloats(op.getRoi(), roi);
    }
    FailureOr<Value> r =
        buildResize(rewriter, op, s, adaptor.getX(), *type, scales, scalesConst,
                    useSizes, roi, roiConst);
    if (failed(r))
      return failure();
    rewriter.replaceOp(op, *r);
    return success();
  }
};

struct UpsampleLowering : OpConversionPattern<graph::UpsampleOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::UpsampleOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type =
        resizeResultType(*getTypeConverter(), op, adaptor.getX());
    if (failed(type))
      return failure();
    ResizeSpec s;
    s.mode = op.getMode();
    if (s.mode == ResizeMode::Cubic)
      return unsupported(op, "cubic mode");
    s.ctm = CoordTransformMode::Asymmetric;
    s.nearest = NearestMode::Floor;
    Value scales = adaptor.getScales();
    FailureOr<Value> r = buildResize(
        rewriter, op, s, adaptor.getX(), *type, scales,
        constFloats(op.getScales(), scales), false, Value(), std::nullopt);
    if (failed(r))
      return failure();
    rewriter.replaceOp(op, *r);
    return success();
  }
};

} // namespace

void populateResizePatterns(TypeConverter &tc, RewritePatternSet &p) {
  p.add<ResizeLowering, UpsampleLowering>(tc, p.getContext());
}

} // namespace hcc::g2l
