//===- Spectral.cpp - DFT and STFT ----------------------------------------===//
//
// Direct transforms: one linalg.generic over the output with the summed
// samples as an extra reduction loop, y[k] = sum_t x[t] e^(-+2 pi i k t / n)
// (1 / n for the inverse), accumulated in f64 with the angle reduced
// exactly ((k t) mod n) before the sine and cosine. The inverse of a
// one-sided spectrum (irfft) weighs the bins between DC and Nyquist twice
// and returns the real part. Samples are read with tensor.extract so that
// STFT's run-time frame_step and frame_length can index them; reads beyond
// the signal (DFT's zero padding) count 0.
//
// MelWeightMatrix builds its triangular filters in one generic (f64).
//
// DFT-20 names its axis with an input: a constant picks the axis; a run-time
// one selects, with scf.index_switch, among the axes the static shapes
// allow.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "dialects/Graph/IR/ShapeHelpers.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

#include <cmath>

using namespace mlir;

namespace hcc::g2l {
namespace {

/// Reads sample `part` (0 real, 1 imaginary) for output position `out` and
/// summed index `t`, as f64 (0 where there is none).
using SampleFn = llvm::function_ref<Value(OpBuilder &, Location, ValueRange out,
                                          Value t, int part)>;

struct Transform {
  int64_t kDim; // output dimension of the frequency (or time, inverse)
  int64_t taps; // summed indices, a static bound
  Value length; // n (i64): the transform length
  Value limit;  // i64 or null: only t < limit count (run-time lengths)
  bool inverse = false;
  bool complexIn = false;
  bool halfSpectrum = false; // irfft
};

Value idx64(OpBuilder &b, Location l, Value i) {
  return arith::IndexCastOp::create(b, l, b.getI64Type(), i);
}

/// The transform into `type` ([..., 2] complex, [..., 1] for irfft).
Value buildTransform(OpBuilder &b, Location loc, RankedTensorType type,
                     const Transform &tr, SampleFn sample) {
  int64_t rank = type.getRank();
  Type f64 = b.getF64Type();
  auto accType = RankedTensorType::get(type.getShape(), f64);
  Value init = filledTensor(b, loc, accType, scalarConst(b, loc, f64, 0));
  SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
  iters.push_back(utils::IteratorType::reduction);
  MLIRContext *ctx = b.getContext();
  AffineMap outMap =
      AffineMap::getMultiDimIdentityMap(rank + 1, ctx).getMajorSubMap(rank);
  // An empty [taps] operand only carries the bound of the summed loop.
  Value bound =
      tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{tr.taps}, f64);
  AffineMap boundMap =
      AffineMap::get(rank + 1, 0, getAffineDimExpr(rank, ctx), ctx);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{accType}, ValueRange{bound}, ValueRange{init},
      {boundMap, outMap}, iters, [&](OpBuilder &nb, Location l, ValueRange a) {
        auto c = [&](double v) { return scalarConst(nb, l, f64, v); };
        SmallVector<Value> out;
        for (int64_t i = 0; i < rank; ++i)
          out.push_back(linalg::IndexOp::create(nb, l, i));
        Value t = linalg::IndexOp::create(nb, l, rank);
        Value k64 = idx64(nb, l, out[tr.kDim]), t64 = idx64(nb, l, t);
        // theta = 2 pi ((k t) mod n) / n.
        Value m = arith::RemSIOp::create(
            nb, l, arith::MulIOp::create(nb, l, k64, t64), tr.length);
        Value nf = arith::SIToFPOp::create(nb, l, f64, tr.length);
        Value theta = arith::DivFOp::create(
            nb, l,
            arith::MulFOp::create(nb, l, c(2 * M_PI),
                                  arith::SIToFPOp::create(nb, l, f64, m)),
            nf);
        Value cs = math::CosOp::create(nb, l, theta);
        Value sn = math::SinOp::create(nb, l, theta);
        Value xr = sample(nb, l, out, t, 0);
        Value xi = tr.complexIn ? sample(nb, l, out, t, 1) : c(0);
        FloatArith fa{nb, l};
        Value re, im;
        if (tr.inverse) { // (xr + i xi)(cos + i sin)
          re = fa.sub(fa.mul(xr, cs), fa.mul(xi, sn));
          im = fa.add(fa.mul(xr, sn), fa.mul(xi, cs));
        } else { // (xr + i xi)(cos - i sin)
          re = fa.add(fa.mul(xr, cs), fa.mul(xi, sn));
          im = fa.sub(fa.mul(xi, cs), fa.mul(xr, sn));
        }
        Value v = re;
        if (type.getDimSize(rank - 1) == 2) {
          Value isIm = arith::CmpIOp::create(
              nb, l, arith::CmpIPredicate::eq, out[rank - 1],
              arith::ConstantIndexOp::create(nb, l, 1));
          v = arith::SelectOp::create(nb, l, isIm, im, re);
        }
        Value weight =
            tr.inverse ? arith::DivFOp::create(nb, l, c(1), nf) : c(1);
        if (tr.halfSpectrum) {
          // Bins 0 and n / 2 once, those between twice, beyond n / 2 none.
          Value twice = arith::MulIOp::create(
              nb, l, t64, arith::ConstantIntOp::create(nb, l, 2, 64));
          Value edge = arith::OrIOp::create(
              nb, l,
              arith::CmpIOp::create(nb, l, arith::CmpIPredicate::eq, t64,
                                    arith::ConstantIntOp::create(nb, l, 0, 64)),
              arith::CmpIOp::create(nb, l, arith::CmpIPredicate::eq, twice,
                                    tr.length));
          Value beyond = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::sgt,
                                               twice, tr.length);
          Value w = arith::SelectOp::create(nb, l, edge, c(1), c(2));
          w = arith::SelectOp::create(nb, l, beyond, c(0), w);
          weight = fa.mul(weight, w);
        }
        if (tr.limit) {
          Value inside = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::slt,
                                               t64, tr.limit);
          weight = arith::SelectOp::create(nb, l, inside, weight, c(0));
        }
        linalg::YieldOp::create(nb, l, fa.add(a[1], fa.mul(v, weight)));
      });
  return convertElements(b, loc, generic.getResult(0), type.getElementType());
}

/// x[idx] as f64 where every index is in range, else 0 (`idx` may run
/// past the end along dimensions listed in `checked`).
Value readOrZero(OpBuilder &b, Location l, Value x, SmallVector<Value> idx,
                 ArrayRef<int64_t> checked) {
  auto xt = cast<RankedTensorType>(x.getType());
  Type f64 = b.getF64Type();
  Value inside;
  for (int64_t d : checked) {
    Value n = arith::ConstantIndexOp::create(b, l, xt.getDimSize(d));
    Value ok =
        arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult, idx[d], n);
    inside = inside ? Value(arith::AndIOp::create(b, l, inside, ok)) : ok;
    Value last = arith::ConstantIndexOp::create(b, l, xt.getDimSize(d) - 1);
    idx[d] = arith::MinUIOp::create(b, l, idx[d], last);
  }
  Value v = tensor::ExtractOp::create(b, l, x, idx);
  v = convertScalar(b, l, v, xt.getElementType(), f64);
  if (!inside)
    return v;
  return arith::SelectOp::create(b, l, inside, v, scalarConst(b, l, f64, 0));
}

struct DFTLowering : OpConversionPattern<graph::DFTOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::DFTOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResultType(getTypeConverter(), op);
    if (failed(type))
      return failure();
    Value x = adaptor.getInput();
    FailureOr<RankedTensorType> xt = staticOperandType(op, x);
    if (failed(xt))
      return failure();
    int64_t rank = xt->getRank();
    int64_t channels = xt->getDimSize(rank - 1);
    if (rank < 2 || (channels != 1 && channels != 2) || type->getRank() != rank)
      return unsupported(op, "input must be [..., 1] (real) or [..., 2] "
                             "(complex) and the result of the same rank");
    bool inverse = op.getInverse() != 0, onesided = op.getOnesided() != 0;
    std::optional<int64_t> length;
    if (!graph::isNone(op.getDftLength())) {
      auto given = constInts(op.getDftLength(), adaptor.getDftLength());
      if (!given || given->size() != 1 || (*given)[0] < 1)
        return unsupported(op, "dft_length must be a positive constant");
      length = (*given)[0];
    }
    // Candidate axes: every signal axis the static shapes allow.
    SmallVector<int64_t> axes;
    std::optional<SmallVector<int64_t>> given;
    if (!graph::isNone(op.getAxis())) {
      given = constInts(op.getAxis(), adaptor.getAxis());
      if (given && given->size() != 1)
        return unsupported(op, "axis must be a scalar");
    }
    for (int64_t a = 0; a + 1 < rank; ++a) {
      if (given && (*given)[0] != a && (*given)[0] + rank != a)
        continue;
      if (!given && graph::isNone(op.getAxis()) && a != rank - 2)
        continue; // the default axis is -2
      if (fits(*xt, *type, a, length, inverse, onesided))
        axes.push_back(a);
    }
    if (axes.empty())
      return unsupported(op, "no axis gives the result shape from the input");
    Location loc = op.getLoc();
    if (axes.size() == 1) {
      rewriter.replaceOp(op, transform(rewriter, loc, x, *type, axes[0], length,
                                       inverse, onesided));
      return success();
    }
    // The run-time axis (negative counts from the back) picks the case.
    Value a = tensor::ExtractOp::create(
        rewriter, loc, adaptor.getAxis(),
        SmallVector<Value>(
            cast<RankedTensorType>(adaptor.getAxis().getType()).getRank(),
            arith::ConstantIndexOp::create(rewriter, loc, 0)));
    Value r = arith::ConstantIntOp::create(rewriter, loc, rank, 64);
    Value neg = arith::CmpIOp::create(
        rewriter, loc, arith::CmpIPredicate::slt, a,
        arith::ConstantIntOp::create(rewriter, loc, 0, 64));
    a = arith::SelectOp::create(rewriter, loc, neg,
                                arith::AddIOp::create(rewriter, loc, a, r), a);
    Value which =
        arith::IndexCastOp::create(rewriter, loc, rewriter.getIndexType(), a);
    auto sw = scf::IndexSwitchOp::create(rewriter, loc, TypeRange{*type}, which,
                                         axes, axes.size());
    for (auto [i, axis] : llvm::enumerate(axes)) {
      Block &block = sw.getCaseRegions()[i].emplaceBlock();
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPointToStart(&block);
      scf::YieldOp::create(
          rewriter, loc,
          transform(rewriter, loc, x, *type, axis, length, inverse, onesided));
    }
    // An axis the shapes do not allow: the first candidate's transform.
    {
      Block &block = sw.getDefaultRegion().emplaceBlock();
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPointToStart(&block);
      scf::YieldOp::create(rewriter, loc,
                           transform(rewriter, loc, x, *type, axes[0], length,
                                     inverse, onesided));
    }
    rewriter.replaceOp(op, sw.getResults());
    return success();
  }

  static int64_t transformLength(RankedTensorType xt, int64_t axis,
                                 std::optional<int64_t> length, bool inverse,
                                 bool onesided) {
    if (length)
      return *length;
    return inverse && onesided ? 2 * (xt.getDimSize(axis) - 1)
                               : xt.getDimSize(axis);
  }

  static bool fits(RankedTensorType xt, RankedTensorType type, int64_t axis,
                   std::optional<int64_t> length, bool inverse, bool onesided) {
    int64_t rank = xt.getRank();
    int64_t n = transformLength(xt, axis, length, inverse, onesided);
    if (n < 1)
      return false;
    for (int64_t d = 0; d + 1 < rank; ++d) {
      int64_t want = d != axis              ? xt.getDimSize(d)
                     : inverse || !onesided ? n
                                            : n / 2 + 1;
      if (type.getDimSize(d) != want)
        return false;
    }
    return type.getDimSize(rank - 1) == (inverse && onesided ? 1 : 2);
  }

  static Value transform(OpBuilder &b, Location loc, Value x,
                         RankedTensorType type, int64_t axis,
                         std::optional<int64_t> length, bool inverse,
                         bool onesided) {
    auto xt = cast<RankedTensorType>(x.getType());
    int64_t rank = xt.getRank();
    int64_t n = transformLength(xt, axis, length, inverse, onesided);
    Transform tr;
    tr.kDim = axis;
    tr.inverse = inverse;
    tr.complexIn = xt.getDimSize(rank - 1) == 2;
    tr.halfSpectrum = inverse && onesided;
    tr.taps = std::min(n, xt.getDimSize(axis));
    if (tr.halfSpectrum)
      tr.taps = std::min(tr.taps, n / 2 + 1);
    tr.length = arith::ConstantIntOp::create(b, loc, n, 64);
    return buildTransform(b, loc, type, tr,
                          [&](OpBuilder &nb, Location l, ValueRange out,
                              Value t, int part) -> Value {
                            SmallVector<Value> idx(out.begin(), out.end());
                            idx[axis] = t;
                            idx[rank - 1] =
                                arith::ConstantIndexOp::create(nb, l, part);
                            return readOrZero(nb, l, x, idx, {});
                          });
  }
};

/// The scalar integer `v` (any rank-0 or one-element tensor) as i64.
Value scalarI64(OpBuilder &b, Location l, Value v) {
  auto t = cast<RankedTensorType>(v.getType());
  Value e = tensor::ExtractOp::create(
      b, l, v,
      SmallVector<Value>(t.getRank(), arith::ConstantIndexOp::create(b, l, 0)));
  if (e.getType().getIntOrFloatBitWidth() < 64)
    e = arith::ExtSIOp::create(b, l, b.getI64Type(), e);
  return e;
}

/// STFT: frames of frame_length samples every frame_step, each windowed and
/// transformed: out[b, f, k] = sum_t x[b, f * step + t] w[t]
/// e^(-2 pi i k t / frame_length). frame_step may be a run-time value; so
/// may frame_length (the sum then runs to the longest length the result's
/// bins allow and masks the rest).
struct STFTLowering : OpConversionPattern<graph::STFTOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::STFTOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResultType(getTypeConverter(), op);
    if (failed(type))
      return failure();
    Value x = adaptor.getSignal();
    FailureOr<RankedTensorType> xt = staticOperandType(op, x);
    if (failed(xt))
      return failure();
    if (xt->getRank() != 3 ||
        (xt->getDimSize(2) != 1 && xt->getDimSize(2) != 2) ||
        type->getRank() != 4 || type->getDimSize(3) != 2 ||
        type->getDimSize(0) != xt->getDimSize(0))
      return unsupported(op, "signal must be [batch, length, 1 or 2] and the "
                             "result [batch, frames, bins, 2]");
    Location loc = op.getLoc();
    bool onesided = op.getOnesided() != 0;
    int64_t bins = type->getDimSize(2), samples = xt->getDimSize(1);
    Transform tr;
    tr.kDim = 2;
    tr.complexIn = xt->getDimSize(2) == 2;
    Value window;
    if (!graph::isNone(op.getWindow())) {
      window = adaptor.getWindow();
      FailureOr<RankedTensorType> wt = staticOperandType(op, window);
      if (failed(wt))
        return failure();
      if (wt->getRank() != 1)
        return unsupported(op, "window must be 1-D");
      tr.taps = wt->getDimSize(0);
      tr.length = arith::ConstantIntOp::create(rewriter, loc, tr.taps, 64);
    } else if (graph::isNone(op.getFrameLength())) {
      return unsupported(op, "needs a window or a frame_length");
    } else if (auto fl =
                   constInts(op.getFrameLength(), adaptor.getFrameLength());
               fl && fl->size() == 1) {
      tr.taps = (*fl)[0];
      tr.length = arith::ConstantIntOp::create(rewriter, loc, tr.taps, 64);
    } else {
      tr.taps = std::min(onesided ? 2 * bins - 1 : bins, samples);
      tr.length = scalarI64(rewriter, loc, adaptor.getFrameLength());
      tr.limit = tr.length;
    }
    if (tr.taps < 1 || tr.taps > samples ||
        (!tr.limit && (onesided ? tr.taps / 2 + 1 : tr.taps) != bins))
      return unsupported(op, "frame_length must be in [1, signal length] and "
                             "give the result's bins");
    Value step = scalarI64(rewriter, loc, adaptor.getFrameStep());
    Type f64 = rewriter.getF64Type();
    rewriter.replaceOp(
        op, buildTransform(
                rewriter, loc, *type, tr,
                [&](OpBuilder &b, Location l, ValueRange out, Value t,
                    int part) -> Value {
                  Value start =
                      arith::MulIOp::create(b, l, idx64(b, l, out[1]), step);
                  Value pos = arith::IndexCastOp::create(
                      b, l, b.getIndexType(),
                      arith::AddIOp::create(b, l, start, idx64(b, l, t)));
                  Value v = readOrZero(
                      b, l, x,
                      {out[0], pos, arith::ConstantIndexOp::create(b, l, part)},
                      {1});
                  if (!window)
                    return v;
                  Value w =
                      tensor::ExtractOp::create(b, l, window, ValueRange{t});
                  w = convertScalar(
                      b, l, w,
                      cast<RankedTensorType>(window.getType()).getElementType(),
                      f64);
                  return arith::MulFOp::create(b, l, v, w);
                }));
    return success();
  }
};

/// The scalar float `v` (rank 0 or one element) as f64.
Value scalarF64(OpBuilder &b, Location l, Value v) {
  auto t = cast<RankedTensorType>(v.getType());
  Value e = tensor::ExtractOp::create(
      b, l, v,
      SmallVector<Value>(t.getRank(), arith::ConstantIndexOp::create(b, l, 0)));
  return convertScalar(b, l, e, t.getElementType(), b.getF64Type());
}

/// MelWeightMatrix: [dft_length / 2 + 1, num_mel_bins] triangular filters
/// between mel-spaced edges, as the ONNX reference computes them (f64; the
/// edges are floor((dft_length + 1) * hz / sample_rate)): bin j of filter i
/// rises from edge i to edge i + 1 and falls to edge i + 2.
struct MelWeightMatrixLowering : OpConversionPattern<graph::MelWeightMatrixOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::MelWeightMatrixOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResultType(getTypeConverter(), op);
    if (failed(type))
      return failure();
    if (type->getRank() != 2)
      return unsupported(op, "the result must be 2-D");
    for (Value v : adaptor.getOperands())
      if (failed(staticOperandType(op, v)))
        return failure();
    Location loc = op.getLoc();
    Type f64 = rewriter.getF64Type();
    auto asF64 = [&](Value v) {
      Value i = scalarI64(rewriter, loc, v);
      return arith::SIToFPOp::create(rewriter, loc, f64, i).getResult();
    };
    Value mels = asF64(adaptor.getNumMelBins());
    Value dft = asF64(adaptor.getDftLength());
    Value rate = asF64(adaptor.getSampleRate());
    Value lowHz = scalarF64(rewriter, loc, adaptor.getLowerEdgeHertz());
    Value highHz = scalarF64(rewriter, loc, adaptor.getUpperEdgeHertz());
    Type elem = type->getElementType();
    Value r = buildGeneric(
        rewriter, loc, *type, {}, {},
        [&](OpBuilder &b, Location l, ValueRange) -> Value {
          auto c = [&](double v) { return scalarConst(b, l, f64, v); };
          FloatArith fa{b, l};
          auto toMel = [&](Value hz) -> Value {
            return fa.mul(c(2595), math::Log10Op::create(
                                       b, l, fa.add(c(1), fa.div(hz, c(700)))));
          };
          Value lowMel = toMel(lowHz);
          Value step =
              fa.div(fa.sub(toMel(highHz), lowMel), fa.add(mels, c(2)));
          auto index = [&](unsigned d) -> Value {
            return arith::SIToFPOp::create(
                b, l, f64,
                arith::IndexCastOp::create(b, l, b.getI64Type(),
                                           linalg::IndexOp::create(b, l, d)));
          };
          Value j = index(0), i = index(1);
          // Edge m: floor((dft + 1) * hz(m) / rate), hz(m) from the mel grid.
          auto edge = [&](double offset) -> Value {
            Value mel = fa.add(fa.mul(fa.add(i, c(offset)), step), lowMel);
            Value hz = fa.mul(
                c(700),
                fa.sub(math::PowFOp::create(b, l, c(10), fa.div(mel, c(2595))),
                       c(1)));
            return math::FloorOp::create(
                b, l, fa.div(fa.mul(fa.add(dft, c(1)), hz), rate));
          };
          Value left = edge(0), center = edge(1), right = edge(2);
          auto cmp = [&](arith::CmpFPredicate p, Value x, Value y) -> Value {
            return arith::CmpFOp::create(b, l, p, x, y);
          };
          auto both = [&](Value x, Value y) -> Value {
            return arith::AndIOp::create(b, l, x, y);
          };
          auto select = [&](Value cond, Value x, Value y) -> Value {
            return arith::SelectOp::create(b, l, cond, x, y);
          };
          Value rising =
              select(both(cmp(arith::CmpFPredicate::OGE, j, left),
                          cmp(arith::CmpFPredicate::OLE, j, center)),
                     fa.div(fa.sub(j, left), fa.sub(center, left)), c(0));
          Value flat = cmp(arith::CmpFPredicate::OEQ, center, left);
          rising = select(
              flat,
              select(cmp(arith::CmpFPredicate::OEQ, j, center), c(1), c(0)),
              rising);
          Value falls = both(cmp(arith::CmpFPredicate::OGT, right, center),
                             both(cmp(arith::CmpFPredicate::OGE, j, center),
                                  cmp(arith::CmpFPredicate::OLT, j, right)));
          Value v = select(
              falls, fa.div(fa.sub(right, j), fa.sub(right, center)), rising);
          return convertScalar(b, l, v, f64, elem);
        });
    rewriter.replaceOp(op, r);
    return success();
  }
};

} // namespace

void populateSpectralPatterns(TypeConverter &tc, RewritePatternSet &p) {
  p.add<DFTLowering, STFTLowering, MelWeightMatrixLowering>(tc, p.getContext());
}

} // namespace hcc::g2l
