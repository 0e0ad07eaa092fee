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
// dimension is out / in, or the common ratio keep_aspect_ratio_policy
// picks. `roi` (tf_crop_and_resize) may be runtime too. Resize-18's `axes`
// name the dimensions scales/sizes/roi list; the others are copied.
// antialias (linear/cubic downsampling) widens the filter to 1 / scale of
// its support, with as many taps (constant scales only).
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
  bool antialias = false;
  double extrapolation = 0.0;
};

/// Where Resize's scales (or the per-dimension scales derived from sizes)
/// and roi come from.
struct ResizeOperands {
  /// Per dimension: the entry of scales/sizes/roi it reads, or -1 (not
  /// resized; Resize-18 axes).
  SmallVector<int64_t> positions;
  /// Entries per scales/sizes (roi: twice as many).
  int64_t listed = 0;
  Value scales; // converted operand, or null (then `fixed` holds them)
  std::optional<SmallVector<double>> scalesConst;
  /// Per dimension, the scales derived from sizes.
  std::optional<SmallVector<double>> fixed;
  /// keep_aspect_ratio_policy with run-time sizes: the common scale (f64).
  Value commonScale;
  Value roi;
  std::optional<SmallVector<double>> roiConst;
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
  /// The scale when it is a compile-time constant.
  std::optional<double> staticScale;
  /// Taps of the antialiasing filter (0: none), for the smallest scale the
  /// shapes allow; taps beyond the run-time scale's support weigh 0.
  int64_t antialiasTaps = 0;
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
  FloatArith fa{b, l};
  auto outIsOne = [&] {
    return Value(arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ,
                                       d.outWidth, one));
  };
  switch (s.ctm) {
  case CoordTransformMode::Asymmetric:
    return fa.div(o, d.scale);
  case CoordTransformMode::AlignCorners: {
    Value x = fa.div(fa.mul(o, inM1), fa.sub(d.outWidth, one));
    return arith::SelectOp::create(b, l, outIsOne(), f64c(b, l, 0.0), x);
  }
  case CoordTransformMode::PytorchHalfPixel: {
    Value x = fa.sub(fa.div(fa.add(o, half), d.scale), half);
    return arith::SelectOp::create(b, l, outIsOne(), f64c(b, l, -0.5), x);
  }
  case CoordTransformMode::TfCropAndResize: {
    Value range = fa.sub(d.roiEnd, d.roiStart);
    Value single = fa.mul(fa.mul(range, inM1), half);
    Value many =
        fa.div(fa.mul(fa.mul(o, range), inM1), fa.sub(d.outWidth, one));
    Value x = arith::SelectOp::create(b, l, outIsOne(), single, many);
    return fa.add(x, fa.mul(d.roiStart, inM1));
  }
  case CoordTransformMode::TfHalfPixelForNn:
    return fa.div(fa.add(o, half), d.scale);
  case CoordTransformMode::HalfPixelSymmetric: {
    // Centred: offset = in / 2 * (1 - out / (scale * in)).
    Value adjustment = fa.div(f64c(b, l, d.out), d.outWidth);
    Value offset = fa.mul(f64c(b, l, d.in / 2.0), fa.sub(one, adjustment));
    return fa.add(offset, fa.sub(fa.div(fa.add(o, half), d.scale), half));
  }
  default: // HalfPixel
    return fa.sub(fa.div(fa.add(o, half), d.scale), half);
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
  FloatArith fa{b, l};
  // Outer taps (distance t in [1, 2]): ((A t - 5A) t + 8A) t - 4A.
  auto outer = [&](Value t) {
    Value v = fa.sub(fa.mul(c(a), t), c(5 * a));
    v = fa.add(fa.mul(v, t), c(8 * a));
    return fa.sub(fa.mul(v, t), c(4 * a));
  };
  // Inner taps (distance t in [0, 1]): ((A + 2) t - (A + 3)) t t + 1.
  auto inner = [&](Value t) {
    Value v = fa.sub(fa.mul(c(a + 2), t), c(a + 3));
    return fa.add(fa.mul(fa.mul(v, t), t), c(1));
  };
  Value oneMinus = fa.sub(c(1), r);
  return {outer(fa.add(r, c(1))), inner(r), inner(oneMinus),
          outer(fa.add(oneMinus, c(1)))};
}

/// The kernel of an antialiased linear or cubic filter at distance `u`
/// (already scaled): max(0, 1 - |u|), or the cubic convolution kernel.
Value filterKernel(OpBuilder &b, Location l, const ResizeSpec &s, Value u) {
  auto c = [&](double v) { return f64c(b, l, v); };
  Value t = math::AbsFOp::create(b, l, u);
  if (s.mode == ResizeMode::Linear)
    return arith::MaximumFOp::create(b, l, c(0),
                                     arith::SubFOp::create(b, l, c(1), t));
  double a = s.cubicA;
  FloatArith fa{b, l};
  Value t2 = fa.mul(t, t), t3 = fa.mul(t2, t);
  // |t| <= 1: (A + 2) t^3 - (A + 3) t^2 + 1;
  // 1 < |t| < 2: A t^3 - 5A t^2 + 8A t - 4A; else 0.
  Value near = arith::AddFOp::create(
      b, l,
      arith::SubFOp::create(b, l, fa.mul(c(a + 2), t3), fa.mul(c(a + 3), t2)),
      c(1));
  Value far = arith::SubFOp::create(
      b, l,
      arith::AddFOp::create(
          b, l,
          arith::SubFOp::create(b, l, fa.mul(c(a), t3), fa.mul(c(5 * a), t2)),
          fa.mul(c(8 * a), t)),
      c(4 * a));
  Value le1 = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLE, t, c(1));
  Value lt2 = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, t, c(2));
  return arith::SelectOp::create(b, l, le1, near,
                                 arith::SelectOp::create(b, l, lt2, far, c(0)));
}

/// Number of taps of an antialiased filter downsampling by `scale` (< 1):
/// the filter's support grows to 1 / scale (linear) or 2 / scale (cubic).
int64_t antialiasTaps(const ResizeSpec &s, double scale) {
  double support = s.mode == ResizeMode::Linear ? 1.0 : 2.0;
  int64_t start = static_cast<int64_t>(std::floor(-support / scale)) + 1;
  return 2 - 2 * start;
}

/// The taps of one resized dimension for source coordinate `x`.
SmallVector<Tap> dimTaps(OpBuilder &b, Location l, const ResizeSpec &s,
                         const DimInfo &d, Value x) {
  if (d.antialiasTaps > 0) {
    // Taps floor(x) + 1 - n/2 .. floor(x) + n/2, weighted by the kernel
    // stretched by 1 / min(scale, 1), normalised (outside ones 0 with
    // exclude_outside), edge-clamped.
    Value scale = arith::MinimumFOp::create(b, l, d.scale, f64c(b, l, 1.0));
    int64_t n = d.antialiasTaps;
    Value f = math::FloorOp::create(b, l, x);
    SmallVector<Tap> taps;
    Value sum;
    for (int64_t t = 0; t < n; ++t) {
      Value pos = arith::AddFOp::create(b, l, f, f64c(b, l, 1 - n / 2 + t));
      Value u = arith::MulFOp::create(b, l, arith::SubFOp::create(b, l, pos, x),
                                      scale);
      Value w = filterKernel(b, l, s, u);
      if (s.excludeOutside) {
        Value ge = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGE, pos,
                                         f64c(b, l, 0));
        Value le = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLE, pos,
                                         f64c(b, l, d.in - 1));
        w = arith::SelectOp::create(b, l, arith::AndIOp::create(b, l, ge, le),
                                    w, f64c(b, l, 0));
      }
      sum = sum ? Value(arith::AddFOp::create(b, l, sum, w)) : w;
      taps.push_back({clampIndex(b, l, pos, d.in), w});
    }
    for (Tap &t : taps)
      t.weight = arith::DivFOp::create(b, l, t.weight, sum);
    return taps;
  }
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

/// min (or max) over the resized axes of sizes[pos] / in, read from the
/// run-time 1-D `sizes`: keep_aspect_ratio_policy's common scale.
FailureOr<Value> runtimeCommonScale(OpBuilder &b, Operation *op, Value sizes,
                                    RankedTensorType xt,
                                    ArrayRef<int64_t> positions,
                                    bool smallest) {
  Location loc = op->getLoc();
  auto st = dyn_cast<RankedTensorType>(sizes.getType());
  if (!st || st.getRank() != 1 || !st.hasStaticShape())
    return unsupported(op, "sizes must be a static 1-D tensor");
  Value common;
  for (auto [i, pos] : llvm::enumerate(positions)) {
    if (pos < 0)
      continue;
    if (pos >= st.getDimSize(0))
      return unsupported(op, "sizes must have one entry per resized axis");
    Value v = tensor::ExtractOp::create(
        b, loc, sizes, ValueRange{arith::ConstantIndexOp::create(b, loc, pos)});
    v = arith::SIToFPOp::create(b, loc, b.getF64Type(), v);
    v = arith::DivFOp::create(b, loc, v, f64c(b, loc, xt.getDimSize(i)));
    if (!common)
      common = v;
    else if (smallest)
      common = arith::MinimumFOp::create(b, loc, common, v);
    else
      common = arith::MaximumFOp::create(b, loc, common, v);
  }
  if (!common)
    return unsupported(op, "no axis is resized");
  return common;
}

/// Builds the resize generic.
FailureOr<Value> buildResize(ConversionPatternRewriter &rw, Operation *op,
                             const ResizeSpec &s, Value x,
                             RankedTensorType type, const ResizeOperands &in) {
  Location loc = op->getLoc();
  auto xt = cast<RankedTensorType>(x.getType());
  int64_t rank = xt.getRank();
  Type elem = type.getElementType();
  if (s.mode != ResizeMode::Nearest && !isa<FloatType>(elem))
    return unsupported(op, "linear and cubic modes need a float element type");
  if (in.scalesConst && (int64_t)in.scalesConst->size() != in.listed)
    return unsupported(op, "scales must have one entry per resized axis");
  if (in.roiConst && s.ctm == CoordTransformMode::TfCropAndResize &&
      (int64_t)in.roiConst->size() != 2 * in.listed)
    return unsupported(op, "roi must have two entries per resized axis");
  if (s.ctm == CoordTransformMode::TfCropAndResize && !in.roi)
    return unsupported(op, "tf_crop_and_resize needs the roi input");
  SmallVector<DimInfo> dims(rank);
  int64_t taps = 1;
  for (int64_t i = 0; i < rank; ++i) {
    DimInfo &d = dims[i];
    d.in = xt.getDimSize(i);
    d.out = type.getDimSize(i);
    int64_t pos = in.positions[i];
    if (in.fixed)
      d.staticScale = (*in.fixed)[i];
    else if (in.scalesConst && pos >= 0)
      d.staticScale = (*in.scalesConst)[pos];
    else if (pos < 0)
      d.staticScale = 1.0;
    bool unitScale = d.staticScale && *d.staticScale == 1.0;
    d.identity = pos < 0 || (d.in == 1 && d.out == 1) ||
                 (d.in == d.out && unitScale &&
                  s.ctm != CoordTransformMode::TfCropAndResize);
    if (d.identity) {
      if (d.in != d.out)
        return unsupported(op, "dimension " + Twine(i) +
                                   " is not resized but changes size");
      continue;
    }
    // A run-time scale lies in [out / in, (out + 1) / in): the filter
    // gets the taps of the smallest.
    double smallest =
        d.staticScale ? *d.staticScale : double(d.out) / double(d.in);
    if (s.antialias && s.mode != ResizeMode::Nearest && smallest < 1.0) {
      if (smallest <= 0)
        return unsupported(op, "antialias needs a positive scale");
      d.antialiasTaps = antialiasTaps(s, smallest);
      taps *= d.antialiasTaps;
      if (taps > 4096)
        return unsupported(op, "antialiased downsampling needs more than "
                               "4096 taps per output element");
    }
    if (d.staticScale)
      d.scale = f64c(rw, loc, *d.staticScale);
    else if (in.commonScale)
      d.scale = in.commonScale;
    else
      d.scale = elementF64(rw, loc, in.scales, in.scalesConst, pos);
    d.outWidth = arith::MulFOp::create(rw, loc, d.scale, f64c(rw, loc, d.in));
    if (s.ctm == CoordTransformMode::TfCropAndResize) {
      d.roiStart = elementF64(rw, loc, in.roi, in.roiConst, pos);
      d.roiEnd = elementF64(rw, loc, in.roi, in.roiConst, in.listed + pos);
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
    s.antialias = op.getAntialias() != 0;
    if (s.ctm == CoordTransformMode::OutputHalfPixel)
      return unsupported(op, "coordinate_transformation_mode "
                             "output_half_pixel");
    int64_t rank = type->getRank();
    ResizeOperands in;
    SmallVector<int64_t> axes = graph::getI64s(op.getAxesAttr());
    std::string error;
    FailureOr<SmallVector<int64_t>> positions = graph::resizeAxisPositions(
        op.getAxesAttr() ? std::optional<ArrayRef<int64_t>>(axes)
                         : std::nullopt,
        rank, error);
    if (failed(positions))
      return unsupported(op, error);
    in.positions = *positions;
    in.listed = op.getAxesAttr() ? int64_t(axes.size()) : rank;
    // An empty scales tensor counts as absent (opset 11 style).
    if (!graph::isNone(op.getScales())) {
      auto st = dyn_cast<RankedTensorType>(adaptor.getScales().getType());
      if (!st || !st.hasStaticShape())
        return unsupported(op, "scales must have a static shape");
      if (st.getNumElements() != 0) {
        in.scales = adaptor.getScales();
        in.scalesConst = constFloats(op.getScales(), in.scales);
      }
    }
    if (!in.scales) {
      if (graph::isNone(op.getSizes()))
        return unsupported(op, "neither scales nor sizes is given");
      // With sizes the scale is out / in, or the common ratio the
      // keep_aspect_ratio_policy picks (then sizes must be constants).
      auto xt = cast<RankedTensorType>(adaptor.getX().getType());
      SmallVector<double> fixed(rank, 1.0);
      if (op.getKeepAspectRatioPolicy() == "stretch") {
        for (int64_t i = 0; i < rank; ++i)
          fixed[i] = double(type->getDimSize(i)) / double(xt.getDimSize(i));
      } else {
        std::optional<SmallVector<int64_t>> sizes =
            constInts(op.getSizes(), adaptor.getSizes());
        if (sizes) {
          if (int64_t(sizes->size()) != in.listed)
            return unsupported(op, "sizes must have one entry per resized "
                                   "axis");
          SmallVector<int64_t> out;
          if (failed(graph::resizeFromSizes(xt.getShape(), in.positions, *sizes,
                                            op.getKeepAspectRatioPolicy(),
                                            fixed, out, error)))
            return unsupported(op, error);
          if (ArrayRef<int64_t>(out) != type->getShape())
            return unsupported(op, "the result shape is not the one the "
                                   "sizes and keep_aspect_ratio_policy give");
        } else {
          FailureOr<Value> common = runtimeCommonScale(
              rewriter, op, adaptor.getSizes(), xt, in.positions,
              op.getKeepAspectRatioPolicy() == "not_larger");
          if (failed(common))
            return failure();
          in.commonScale = *common;
        }
      }
      if (!in.commonScale)
        in.fixed = fixed;
    }
    if (!graph::isNone(op.getRoi())) {
      in.roi = adaptor.getRoi();
      in.roiConst = constFloats(op.getRoi(), in.roi);
    }
    FailureOr<Value> r =
        buildResize(rewriter, op, s, adaptor.getX(), *type, in);
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
    ResizeOperands in;
    int64_t rank = type->getRank();
    for (int64_t i = 0; i < rank; ++i)
      in.positions.push_back(i);
    in.listed = rank;
    in.scales = adaptor.getScales();
    in.scalesConst = constFloats(op.getScales(), in.scales);
    FailureOr<Value> r =
        buildResize(rewriter, op, s, adaptor.getX(), *type, in);
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
