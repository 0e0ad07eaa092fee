//===- DepthwisePlanes.cpp - depthwise convolutions over flattened planes -===//
//
// A helper of hcc-cpu-tile-and-vectorize. Each (image, channel) task of a
// depthwise convolution or a max or sum pool first copies its channel's
// input plane into a small buffer (L1/L2-resident, instead of padding the
// whole tensor in memory first; only the border is filled with the
// padding), split into phase planes for strided windows (a stride of 2
// along the width reads each input row once and deinterleaves it):
//
//   Q[a * SW + b][i][j] = padded[i * SH + a][j * SW + b]   (a < SH, b < SW)
//
// each flattened to one row of WQ = ceil(padded width / SW) columns. An
// output p = oh * WQ + ow then reads tap (kh, kw) at
//
//   Q[(kh % SH) * SW + kw % SW][p + (kh / SH) * WQ + kw / SW]
//
// so every tap is one contiguous vector over all of the plane's outputs,
// whatever the stride (the WQ - OW columns past each output row are
// computed and dropped). The taps are the inputs of one elementwise
// generic, acc + sum_t tap_t * filter_t (max_t tap_t, acc + sum_t tap_t for
// pools; then the op's elementwise consumer; a scalar or per-channel acc
// seeds the sum in registers), tiled into chunks of vectors. Output rows
// at least rows-min-width wide take each tap as an [OH, OW] window of the
// flat plane viewed as rows of WQ instead, and the generic writes the
// task's slice of the output in place (nothing to copy out).
//
//===----------------------------------------------------------------------===//

#include "Tiling.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;

using hcc::cpu::classifyInit;
using hcc::cpu::forEachSlice;
using hcc::cpu::indexAttrs;
using hcc::cpu::InitValue;
using hcc::cpu::lookThroughPad;
using hcc::cpu::Unpadded;

namespace {

/// The sizes of the flattened planes of one (image, channel) task.
struct Geometry {
  int64_t h, w; // the unpadded input plane
  int64_t top, left;
  int64_t sh, sw, kh, kw, oh, ow;
  int64_t wq;        // columns of a phase plane's rows
  int64_t rows;      // rows of a phase plane
  int64_t outLength; // oh * wq rounded up to whole vectors
  int64_t accRows;   // rows of wq covering outLength

  int64_t phases() const { return sh * sw; }
};

/// First index i >= 0 with i * s + phase - pad >= 0, and how many i keep
/// i * s + phase - pad below `size`.
std::pair<int64_t, int64_t> phaseRange(int64_t phase, int64_t pad, int64_t s,
                                       int64_t size) {
  int64_t first = pad > phase ? llvm::divideCeil(pad - phase, s) : 0;
  int64_t lastPos = size - 1 + pad - phase;
  if (lastPos < 0)
    return {first, 0};
  int64_t last = lastPos / s;
  return {first, std::max<int64_t>(0, last - first + 1)};
}

struct PlaneBuilder {
  OpBuilder &b;
  Location loc;
  const Geometry &g;
  Type f32;

  Value zero() { return arith::ConstantOp::create(b, loc, b.getZeroAttr(f32)); }
  Value filled(ArrayRef<int64_t> shape, Value value) {
    Value empty = tensor::EmptyOp::create(b, loc, shape, f32);
    return linalg::FillOp::create(b, loc, value, empty).getResult(0);
  }
  /// The [1, 1, H, W] slice of `t` at (n, c) as a 2-D tensor.
  Value plane(Value t, Value n, Value c, int64_t h, int64_t w) {
    auto type = RankedTensorType::get({h, w}, f32);
    return tensor::ExtractSliceOp::create(
        b, loc, type, t,
        ArrayRef<OpFoldResult>{n, c, b.getIndexAttr(0), b.getIndexAttr(0)},
        indexAttrs(b, {1, 1, h, w}), indexAttrs(b, {1, 1, 1, 1}));
  }

  /// `buf` with rows [r0, r0 + nr) x columns [c0, c0 + nc) of phase plane
  /// `phase` set to `value`.
  Value fillRect(Value buf, Value value, int64_t phase, int64_t r0, int64_t nr,
                 int64_t c0, int64_t nc) {
    if (nr <= 0 || nc <= 0)
      return buf;
    auto type = RankedTensorType::get({nr, nc}, f32);
    SmallVector<OpFoldResult> offsets = indexAttrs(b, {phase, r0, c0});
    SmallVector<OpFoldResult> sizes = indexAttrs(b, {1, nr, nc});
    SmallVector<OpFoldResult> strides = indexAttrs(b, {1, 1, 1});
    Value rect = tensor::ExtractSliceOp::create(b, loc, type, buf, offsets,
                                                sizes, strides);
    rect = linalg::FillOp::create(b, loc, value, rect).getResult(0);
    return tensor::InsertSliceOp::create(b, loc, rect, buf, offsets, sizes,
                                         strides);
  }

  /// The task's input plane, padded with `padding` and split into phase
  /// planes: [phases, rows, wq]. Only the border around each phase's
  /// copy is filled with the padding (not the whole buffer first).
  Value phasePlanes(Value source, Value padding, Value n, Value c) {
    Value x = plane(source, n, c, g.h, g.w);
    Value buf =
        tensor::EmptyOp::create(b, loc, {g.phases(), g.rows, g.wq}, f32);
    for (int64_t a = 0; a < g.sh; ++a)
      for (int64_t bb = 0; bb < g.sw; ++bb) {
        auto [i0, ni] = phaseRange(a, g.top, g.sh, g.h);
        auto [j0, nj] = phaseRange(bb, g.left, g.sw, g.w);
        int64_t phase = a * g.sw + bb;
        if (ni == 0 || nj == 0) {
          buf = fillRect(buf, padding, phase, 0, g.rows, 0, g.wq);
          continue;
        }
        buf = fillRect(buf, padding, phase, 0, i0, 0, g.wq);
        buf = fillRect(buf, padding, phase, i0 + ni, g.rows - i0 - ni, 0, g.wq);
        buf = fillRect(buf, padding, phase, i0, ni, 0, j0);
        buf = fillRect(buf, padding, phase, i0, ni, j0 + nj, g.wq - j0 - nj);
        if (g.sw == 2)
          continue; // copied by pairOfPhases below
        Value piece = tensor::ExtractSliceOp::create(
            b, loc, x,
            indexAttrs(b, {i0 * g.sh + a - g.top, j0 * g.sw + bb - g.left}),
            indexAttrs(b, {ni, nj}), indexAttrs(b, {g.sh, g.sw}));
        buf = tensor::InsertSliceOp::create(
            b, loc, piece, buf, indexAttrs(b, {phase, i0, j0}),
            indexAttrs(b, {1, ni, nj}), indexAttrs(b, {1, 1, 1}));
      }
    return g.sw == 2 ? pairOfPhases(x, padding, buf) : buf;
  }

  /// Copies the columns of every input row of `x` into the two phase
  /// planes of its row's phase, for a stride of 2 along the width: each
  /// row is read once and deinterleaved into its even and odd columns
  /// (strided copies per phase would read every row twice).
  Value pairOfPhases(Value x, Value padding, Value buf) {
    int64_t evenPhase = g.left % 2, oddPhase = 1 - evenPhase;
    int64_t evenAt = phaseRange(evenPhase, g.left, 2, g.w).first;
    int64_t oddAt = phaseRange(oddPhase, g.left, 2, g.w).first;
    int64_t evens = (g.w + 1) / 2, odds = g.w / 2;
    auto rowType = VectorType::get({2 * evens}, f32);
    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    Value top = arith::ConstantIndexOp::create(b, loc, g.top);
    Value sh = arith::ConstantIndexOp::create(b, loc, g.sh);
    Value two = arith::ConstantIndexOp::create(b, loc, 2);
    auto loop = scf::ForOp::create(
        b, loc, zero, arith::ConstantIndexOp::create(b, loc, g.h),
        arith::ConstantIndexOp::create(b, loc, 1), ValueRange{buf},
        [&](OpBuilder &lb, Location l, Value r, ValueRange iter) {
          // Padded row r + top: phase row (r + top) / sh of phase pair
          // (r + top) % sh.
          Value padded = arith::AddIOp::create(lb, l, r, top);
          Value row = arith::DivUIOp::create(lb, l, padded, sh);
          Value pair = arith::MulIOp::create(
              lb, l, arith::RemUIOp::create(lb, l, padded, sh), two);
          Value v = vector::TransferReadOp::create(
              lb, l, rowType, x, ValueRange{r, zero}, padding,
              ArrayRef<bool>{g.w % 2 == 0});
          auto halves = vector::DeinterleaveOp::create(lb, l, v);
          Value out = iter[0];
          auto write = [&](Value half, int64_t count, int64_t phase,
                           int64_t at) {
            if (count == 0)
              return;
            if (count < evens)
              half = vector::ExtractStridedSliceOp::create(
                  lb, l, half, ArrayRef<int64_t>{0}, ArrayRef<int64_t>{count},
                  ArrayRef<int64_t>{1});
            Value p = arith::AddIOp::create(
                lb, l, pair, arith::ConstantIndexOp::create(lb, l, phase));
            out = vector::TransferWriteOp::create(
                      lb, l, half, out,
                      ValueRange{p, row,
                                 arith::ConstantIndexOp::create(lb, l, at)},
                      ArrayRef<bool>{true})
                      .getResult();
          };
          write(halves.getRes1(), evens, evenPhase, evenAt);
          write(halves.getRes2(), odds, oddPhase, oddAt);
          scf::YieldOp::create(lb, l, out);
        });
    return loop.getResult(0);
  }

  /// A [1, 1, OH, OW] slice of `t` at (n, c) in the outputs' flat layout
  /// ([outLength], rows of wq).
  Value flatOutputs(Value t, Value n, Value c) {
    Value x = plane(t, n, c, g.oh, g.ow);
    Value buf = filled({g.accRows, g.wq}, zero());
    buf = tensor::InsertSliceOp::create(b, loc, x, buf, indexAttrs(b, {0, 0}),
                                        indexAttrs(b, {g.oh, g.ow}),
                                        indexAttrs(b, {1, 1}));
    Value flat = tensor::CollapseShapeOp::create(
        b, loc, buf, ArrayRef<ReassociationIndices>{{0, 1}});
    return tensor::ExtractSliceOp::create(
        b, loc, RankedTensorType::get({g.outLength}, f32), flat,
        indexAttrs(b, {0}), indexAttrs(b, {g.outLength}), indexAttrs(b, {1}));
  }

  /// The flat outputs back as the [1, 1, OH, OW] tile.
  Value outputTile(Value flat) {
    Value rows = tensor::ExtractSliceOp::create(
        b, loc, RankedTensorType::get({g.oh * g.wq}, f32), flat,
        indexAttrs(b, {0}), indexAttrs(b, {g.oh * g.wq}), indexAttrs(b, {1}));
    rows = tensor::ExpandShapeOp::create(
        b, loc, RankedTensorType::get({g.oh, g.wq}, f32), rows,
        ArrayRef<ReassociationIndices>{{0, 1}});
    Value tile = tensor::ExtractSliceOp::create(
        b, loc, RankedTensorType::get({g.oh, g.ow}, f32), rows,
        indexAttrs(b, {0, 0}), indexAttrs(b, {g.oh, g.ow}),
        indexAttrs(b, {1, 1}));
    return tensor::ExpandShapeOp::create(
        b, loc, RankedTensorType::get({1, 1, g.oh, g.ow}, f32), tile,
        ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
  }
};

/// The window ops computed over planes and how each tap combines.
enum class WindowKind { Depthwise, MaxPool, SumPool };

std::optional<WindowKind> windowKind(Operation *op) {
  if (isa<linalg::DepthwiseConv2DNchwChwOp>(op))
    return WindowKind::Depthwise;
  if (isa<linalg::PoolingNchwMaxOp>(op))
    return WindowKind::MaxPool;
  if (isa<linalg::PoolingNchwSumOp>(op))
    return WindowKind::SumPool;
  return std::nullopt;
}

DenseIntElementsAttr windowAttr(Operation *op, StringRef name) {
  return op->getAttrOfType<DenseIntElementsAttr>(name);
}
} // namespace

namespace hcc::cpu {

FailureOr<linalg::GenericOp> windowOnPlanes(RewriterBase &rewriter,
                                            linalg::LinalgOp op, int64_t lanes,
                                            int64_t rowsMinWidth) {
  std::optional<WindowKind> kind = windowKind(op);
  if (!kind || op->getNumResults() != 1)
    return failure();
  Value window = op.getDpsInputs()[1];
  Value init = op.getDpsInits()[0];
  auto inType = cast<RankedTensorType>(op.getDpsInputs()[0].getType());
  auto windowType = cast<RankedTensorType>(window.getType());
  auto outType = cast<RankedTensorType>(init.getType());
  auto isF32 = [](RankedTensorType t) { return t.getElementType().isF32(); };
  if (!inType.hasStaticShape() || !windowType.hasStaticShape() ||
      !outType.hasStaticShape() || !isF32(inType) || !isF32(windowType) ||
      !isF32(outType))
    return failure();
  DenseIntElementsAttr stridesAttr = windowAttr(op, "strides");
  DenseIntElementsAttr dilationsAttr = windowAttr(op, "dilations");
  if (!stridesAttr || !dilationsAttr ||
      !llvm::all_of(dilationsAttr,
                    [](const APInt &v) { return v.getSExtValue() == 1; }))
    return failure();
  SmallVector<int64_t> strides = llvm::map_to_vector(
      stridesAttr, [](const APInt &v) { return v.getSExtValue(); });
  Unpadded input = lookThroughPad(op.getDpsInputs()[0]);
  auto sourceType = cast<RankedTensorType>(input.source.getType());
  // A depthwise filter is [C, KH, KW], a pool's window shape [KH, KW].
  int64_t khDim = *kind == WindowKind::Depthwise ? 1 : 0;
  Geometry g;
  g.h = sourceType.getDimSize(2);
  g.w = sourceType.getDimSize(3);
  g.top = input.top;
  g.left = input.left;
  g.sh = strides[0];
  g.sw = strides[1];
  g.kh = windowType.getDimSize(khDim);
  g.kw = windowType.getDimSize(khDim + 1);
  g.oh = outType.getDimSize(2);
  g.ow = outType.getDimSize(3);
  int64_t hp = inType.getDimSize(2), wp = inType.getDimSize(3);
  g.wq = llvm::divideCeil(wp, g.sw);
  g.outLength = llvm::alignTo(g.oh * g.wq, lanes);
  int64_t reach = (g.kh - 1) / g.sh * g.wq + (g.kw - 1) / g.sw;
  g.rows = std::max(llvm::divideCeil(hp, g.sh),
                    llvm::divideCeil(g.outLength + reach, g.wq));
  g.accRows = llvm::divideCeil(g.outLength, g.wq);
  int64_t taps = g.kh * g.kw;
  // Far more taps than registers or planes far past the caches: rows.
  if (taps > 64 || g.phases() * g.rows * g.wq > (int64_t(1) << 20))
    return failure();

  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  Type f32 = rewriter.getF32Type();
  Value padding = input.value ? input.value
                              : arith::ConstantOp::create(
                                    rewriter, loc, rewriter.getF32FloatAttr(0));
  PlaneBuilder pb{rewriter, loc, g, f32};
  InitValue start = classifyInit(init);
  // A sum starting from +0 or a max starting from -inf: the first tap is
  // the start (max(-inf, NaN) is NaN too), and the accumulator is not read.
  bool skipInit =
      start.scalar && matchPattern(start.scalar, *kind == WindowKind::MaxPool
                                                     ? m_NegInfFloat()
                                                     : m_PosZeroFloat());
  linalg::GenericOp consumer = fusibleConsumer(op);
  Value result = op->getResult(0);
  linalg::GenericOp planeOp;

  // Wide planes compute output rows [OH, OW] straight into the output
  // (each tap a [OH, OW] window of its phase plane, rows wq apart); narrow
  // ones a flat vector over all outputs (rows of wq, copied out after).
  bool rows = g.ow >= rowsMinWidth;
  auto body = [&](Value n, Value c, Value slice) -> Value {
    Value planes = pb.phasePlanes(input.source, padding, n, c);
    // Taps are slices of the flattened planes (rows * wq >= outLength +
    // reach), also in rows mode: a window of the 3-D planes would fold
    // into a strided read of the input for a phase copied whole.
    Value flatPlanes = tensor::CollapseShapeOp::create(
        rewriter, loc, planes, ArrayRef<ReassociationIndices>{{0}, {1, 2}});
    int64_t tapLength = rows ? g.oh * g.wq : g.outLength;
    SmallVector<Value> inputs;
    SmallVector<Value> weights;
    for (int64_t i = 0; i < g.kh; ++i)
      for (int64_t j = 0; j < g.kw; ++j) {
        int64_t phase = i % g.sh * g.sw + j % g.sw;
        Value tap = tensor::ExtractSliceOp::create(
            rewriter, loc, RankedTensorType::get({tapLength}, f32), flatPlanes,
            indexAttrs(rewriter, {phase, i / g.sh * g.wq + j / g.sw}),
            indexAttrs(rewriter, {1, tapLength}), indexAttrs(rewriter, {1, 1}));
        if (rows) {
          tap = tensor::ExpandShapeOp::create(
              rewriter, loc, RankedTensorType::get({g.oh, g.wq}, f32), tap,
              ArrayRef<ReassociationIndices>{{0, 1}});
          tap = tensor::ExtractSliceOp::create(
              rewriter, loc, RankedTensorType::get({g.oh, g.ow}, f32), tap,
              indexAttrs(rewriter, {0, 0}), indexAttrs(rewriter, {g.oh, g.ow}),
              indexAttrs(rewriter, {1, 1}));
        }
        inputs.push_back(tap);
        if (*kind != WindowKind::Depthwise)
          continue;
        Value ii = arith::ConstantIndexOp::create(rewriter, loc, i);
        Value jj = arith::ConstantIndexOp::create(rewriter, loc, j);
        weights.push_back(
            tensor::ExtractOp::create(rewriter, loc, window, {c, ii, jj}));
      }
    // The consumer's other inputs, in the flat layout.
    SmallVector<int64_t> consumerArgs; // -1: the convolution's result
    if (consumer)
      for (Value v : consumer.getDpsInputs()) {
        if (v == result) {
          consumerArgs.push_back(-1);
          continue;
        }
        consumerArgs.push_back(inputs.size());
        inputs.push_back(rows ? pb.plane(v, n, c, g.oh, g.ow)
                              : pb.flatOutputs(v, n, c));
      }
    // A scalar start (per filter: the bias) seeds the sum in registers
    // instead of being stored to the accumulator and loaded back.
    Value seed;
    if (!skipInit && start.scalar)
      seed = start.scalar;
    else if (!skipInit && start.perFilter)
      seed = tensor::ExtractOp::create(rewriter, loc, start.perFilter, c);
    bool readsAcc = !skipInit && !seed;
    Value acc;
    if (rows && readsAcc)
      acc = pb.plane(init, n, c, g.oh, g.ow);
    else if (rows) // written in place: the task's slice of the output
      acc = tensor::CollapseShapeOp::create(
          rewriter, loc, slice, ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
    else if (readsAcc)
      acc = pb.flatOutputs(init, n, c);
    else
      acc = tensor::EmptyOp::create(rewriter, loc, {g.outLength}, f32);

    MLIRContext *ctx = rewriter.getContext();
    unsigned dims = rows ? 2 : 1;
    AffineMap id = AffineMap::getMultiDimIdentityMap(dims, ctx);
    planeOp = linalg::GenericOp::create(
        rewriter, loc, acc.getType(), inputs, ValueRange{acc},
        SmallVector<AffineMap>(inputs.size() + 1, id),
        SmallVector<utils::IteratorType>(dims, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value sum = readsAcc ? args.back() : seed;
          for (int64_t t = 0; t < taps; ++t) {
            Value tap = args[t];
            if (*kind == WindowKind::Depthwise)
              tap = arith::MulFOp::create(b, l, tap, weights[t]);
            if (!sum)
              sum = tap;
            else if (*kind == WindowKind::MaxPool)
              sum = arith::MaximumFOp::create(b, l, sum, tap);
            else
              sum = arith::AddFOp::create(b, l, sum, tap);
          }
          if (consumer) {
            IRMapping map;
            Block *cb = consumer.getBody();
            for (auto [k, arg] : llvm::enumerate(consumerArgs))
              map.map(cb->getArgument(k), arg < 0 ? sum : args[arg]);
            for (Operation &inner : cb->without_terminator())
              b.clone(inner, map);
            // The consumer may yield a value captured from above.
            sum = map.lookupOrDefault(cb->getTerminator()->getOperand(0));
          }
          linalg::YieldOp::create(b, l, sum);
        });
    if (rows)
      return tensor::ExpandShapeOp::create(
          rewriter, loc, RankedTensorType::get({1, 1, g.oh, g.ow}, f32),
          planeOp.getResult(0), ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
    return pb.outputTile(planeOp.getResult(0));
  };
  Value dest = tensor::EmptyOp::create(rewriter, loc, outType.getShape(), f32);
  auto offsets = [&](Value n, Value c) -> SmallVector<OpFoldResult> {
    return {n, c, rewriter.getIndexAttr(0), rewriter.getIndexAttr(0)};
  };
  Value y =
      forEachSlice(rewriter, loc, outType.getDimSize(0), outType.getDimSize(1),
                   dest, offsets, {1, 1, g.oh, g.ow}, body);
  replaceWindowOp(rewriter, op, consumer, y);
  return planeOp;
}

SmallVector<int64_t> windowPlaneChunk(linalg::GenericOp plane,
                                      int64_t vectorWidth,
                                      int64_t costlyWindowVectors,
                                      int64_t tileRows) {
  // Chunks of about eight vectors: of the flat outputs, or of tileRows
  // output rows (a tap's input row then serves the tile's rows that it
  // reaches, loaded once) by 8 / rows vectors. With a transcendental
  // consumer (SiLU), costlyWindowVectors: the sums and the polynomial's
  // temporaries of eight AVX2 vectors spilled (efficientnet_b0's 5x5
  // layers 25-38 % faster with four) -- unless the whole plane is one
  // chunk of eight (7x7 maps: a remainder chunk of odd lanes costs more).
  SmallVector<int64_t> bounds = plane.getStaticLoopRanges();
  int64_t vectors = 8;
  if (hasTranscendentals(plane) &&
      (bounds.size() == 2 || bounds.back() > 8 * vectorWidth))
    vectors = std::max<int64_t>(costlyWindowVectors, 1);
  if (bounds.size() != 2)
    return {std::min(bounds.back(), vectors * vectorWidth)};
  int64_t rows = std::min(tileRows, bounds.front());
  return {rows, std::min(bounds.back(),
                         std::max<int64_t>(1, vectors / rows) * vectorWidth)};
}

} // namespace hcc::cpu
