//===- DepthwiseChannels.cpp - depthwise convolutions on channel lanes ----===//
//
// A helper of hcc-cpu-tile-and-vectorize. A depthwise convolution with
// small output planes (efficientnet_b0's and mobilenet_v2's 14x14 and 7x7
// layers) runs as tasks over (image, block of 16 channels) whose vector
// lanes are the block's channels, as NCHWc engines compute it, while the
// tensors stay NCHW:
//
//   1. the block's 16 input planes, read 16 pixels at a time as a 16x16
//      tile and transposed, are written pixel by pixel into a zeroed
//      channels-last buffer P[Hp][Wp][16] at their padded position;
//   2. each output pixel is sum_t P[oh * SH + kh][ow * SW + kw][:] * f_t
//      with one 16-lane filter vector f_t per tap (the filter's [16][taps]
//      block transposed the same way) and the bias as the start, a row of
//      output pixels accumulating in registers, into O[OH * OW][16];
//   3. O, 16 pixels at a time, is transposed back, the convolution's
//      elementwise consumer (SiLU, ReLU6, a residual) applied on the 16x16
//      tile, and written to the block's planes.
//
// Every lane does useful work, whatever the plane's width (the flattened
// planes of DepthwisePlanes.cpp compute a padded row's columns too: 7x7
// outputs of a 5x5 window fill 49 of 80 lanes), any stride reads its
// pixels in place, and a task covers 16 channels' small planes at once.
//
//===----------------------------------------------------------------------===//

#include "Tiling.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;

namespace {

constexpr int64_t kLanes = 16;

/// The sizes of one task's buffers.
struct Shape {
  int64_t h, w, top, left; // unpadded input plane and its low padding
  int64_t sh, sw, kh, kw, oh, ow;
  int64_t hp, wp; // the padded extent the windows read
  int64_t taps() const { return kh * kw; }
};

struct LaneBuilder {
  OpBuilder &b;
  Location loc;
  Type f32;

  Value index(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  VectorType vec(ArrayRef<int64_t> shape, Type elem = nullptr) {
    return VectorType::get(shape, elem ? elem : f32);
  }
  Value zero() { return arith::ConstantOp::create(b, loc, b.getZeroAttr(f32)); }
  Value splat(VectorType type, Value scalar) {
    return vector::BroadcastOp::create(b, loc, type, scalar);
  }
  /// A 16x16 tile of the 2-D `t` at (row, col), zero past its columns.
  Value tile(Value t, Value row, int64_t col, int64_t cols) {
    bool inBounds = col + kLanes <= cols;
    return vector::TransferReadOp::create(
        b, loc, vec({kLanes, kLanes}), t, SmallVector<Value>{row, index(col)},
        zero(), ArrayRef<bool>{true, inBounds});
  }
  Value transpose(Value v) {
    return vector::TransposeOp::create(b, loc, v, ArrayRef<int64_t>{1, 0});
  }
  Value row(Value v, int64_t i) {
    return vector::ExtractOp::create(b, loc, v, ArrayRef<int64_t>{i});
  }
  /// Stores `v` into the task's scratch buffer `m` (a memref: its writes
  /// form no chain of tensor values for bufferization to analyse).
  void store(Value v, Value m, ValueRange at) {
    SmallVector<bool> inBounds(cast<VectorType>(v.getType()).getRank(), true);
    vector::TransferWriteOp::create(b, loc, v, m, at, inBounds);
  }
  Value scratch(ArrayRef<int64_t> shape) {
    return memref::AllocaOp::create(b, loc, MemRefType::get(shape, f32),
                                    b.getI64IntegerAttr(64));
  }
  Value read(Value t, ValueRange at) {
    return vector::TransferReadOp::create(b, loc, vec({kLanes}), t, at, zero(),
                                          ArrayRef<bool>{true});
  }
  Value collapse(Value t, ArrayRef<ReassociationIndices> groups) {
    return tensor::CollapseShapeOp::create(b, loc, t, groups);
  }
};

/// The consumer's body applied lane-wise to 16x16 tiles: `args` its block
/// arguments' tiles; values captured from above are broadcast.
Value applyConsumer(LaneBuilder &bb, linalg::GenericOp consumer,
                    ArrayRef<Value> args) {
  OpBuilder &b = bb.b;
  Block *body = consumer.getBody();
  IRMapping map;
  for (auto [k, arg] : llvm::enumerate(args))
    map.map(body->getArgument(k), arg);
  auto tileOf = [&](Type t) { return bb.vec({kLanes, kLanes}, t); };
  auto lookup = [&](Value v) -> Value {
    if (Value m = map.lookupOrNull(v))
      return m;
    Value s = bb.splat(tileOf(v.getType()), v);
    map.map(v, s);
    return s;
  };
  for (Operation &op : body->without_terminator()) {
    if (auto c = dyn_cast<arith::ConstantOp>(op)) {
      auto type = tileOf(c.getType());
      Value v = arith::ConstantOp::create(
          b, bb.loc, type,
          DenseElementsAttr::get(type, cast<TypedAttr>(c.getValue())));
      map.map(c.getResult(), v);
      continue;
    }
    for (Value operand : op.getOperands())
      (void)lookup(operand);
    Operation *clone = b.clone(op, map);
    for (Value r : clone->getResults())
      r.setType(tileOf(r.getType()));
  }
  return lookup(body->getTerminator()->getOperand(0));
}

} // namespace

namespace hcc::cpu {

LogicalResult depthwiseOnChannelLanes(RewriterBase &rewriter,
                                      linalg::DepthwiseConv2DNchwChwOp op,
                                      int64_t maxPixels) {
  if (maxPixels <= 0)
    return failure();
  Value filter = op.getDpsInputs()[1];
  Value init = op.getDpsInits()[0];
  // Zero padding of the spatial dimensions is written as the buffer's
  // border; any other padding stays an input.
  FailureOr<WindowShape> shape = windowShape(
      op, 1, [](Value v) { return matchPattern(v, m_AnyZeroFloat()); });
  if (failed(shape))
    return failure();
  Value source = shape->source;
  int64_t n = shape->n, c = shape->c;
  Shape s{};
  s.top = shape->top;
  s.left = shape->left;
  s.oh = shape->oh;
  s.ow = shape->ow;
  s.h = shape->h;
  s.w = shape->w;
  s.kh = shape->kh;
  s.kw = shape->kw;
  s.sh = shape->sh;
  s.sw = shape->sw;
  s.hp = (s.oh - 1) * s.sh + s.kh;
  s.wp = (s.ow - 1) * s.sw + s.kw;
  // Planes whose transposes stay a small part of the work (a stride-2
  // window over 28x28 inputs transposes four pixels per output: slower
  // than the phase planes), and taps that a row of accumulators and the
  // filter vectors leave registers for.
  if (c % kLanes != 0 || s.oh * s.ow > maxPixels || s.h * s.w > maxPixels ||
      s.taps() > 32 || s.hp * s.wp > 4096 || s.h * s.w == 0)
    return failure();
  InitValue start = classifyInit(init);
  if (!start.scalar && !start.perFilter)
    return failure();
  linalg::GenericOp consumer = fusibleConsumer(op);
  Value result = op->getResult(0);

  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  LaneBuilder bb{rewriter, loc, rewriter.getF32Type()};
  OpBuilder &b = rewriter;
  int64_t hw = s.h * s.w, ohw = s.oh * s.ow;
  // Pixels and taps as the columns of [N, C, pixels] and [C, taps].
  Value srcFlat = bb.collapse(source, {{0}, {1}, {2, 3}});
  Value fFlat = bb.collapse(filter, {{0}, {1, 2}});
  // The consumer's inputs as [N, C, pixels] (null: the convolution's).
  SmallVector<Value> consumerFlat;
  if (consumer)
    for (Value v : consumer.getDpsInputs())
      consumerFlat.push_back(v == result ? Value()
                                         : bb.collapse(v, {{0}, {1}, {2, 3}}));
  // Columns of accumulators per register tile of an output row.
  int64_t rowTile = std::min<int64_t>(s.ow, 8);

  Value c0; // the block's first channel, made by `offsets` in the task
  auto body = [&](Value img, Value blk, Value slice) -> Value {
    // 1. The padded channels-last input buffer.
    Value buf = bb.scratch({s.hp, s.wp, kLanes});
    Value zeroRow = arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(bb.vec({s.wp, kLanes}),
                               b.getFloatAttr(bb.f32, 0.0)));
    for (int64_t r = 0; r < s.hp; ++r)
      bb.store(zeroRow, buf, {bb.index(r), bb.index(0), bb.index(0)});
    Value srcImg = tensor::ExtractSliceOp::create(
        b, loc, RankedTensorType::get({c, hw}, bb.f32), srcFlat,
        SmallVector<OpFoldResult>{img, b.getIndexAttr(0), b.getIndexAttr(0)},
        indexAttrs(b, {1, c, hw}), indexAttrs(b, {1, 1, 1}));
    for (int64_t p0 = 0; p0 < hw; p0 += kLanes) {
      Value t = bb.transpose(bb.tile(srcImg, c0, p0, hw));
      for (int64_t j = 0; j < kLanes && p0 + j < hw; ++j) {
        int64_t y = (p0 + j) / s.w + s.top, x = (p0 + j) % s.w + s.left;
        if (y >= s.hp || x >= s.wp)
          continue; // a row or column no window reaches
        bb.store(bb.row(t, j), buf, {bb.index(y), bb.index(x), bb.index(0)});
      }
    }
    // The filter's taps as 16-lane vectors, and the start.
    SmallVector<Value> taps;
    for (int64_t t0 = 0; t0 < s.taps(); t0 += kLanes) {
      Value t = bb.transpose(bb.tile(fFlat, c0, t0, s.taps()));
      for (int64_t j = 0; j < kLanes && t0 + j < s.taps(); ++j)
        taps.push_back(bb.row(t, j));
    }
    Value seed = start.scalar
                     ? bb.splat(bb.vec({kLanes}), start.scalar)
                     : vector::TransferReadOp::create(
                           b, loc, bb.vec({kLanes}), start.perFilter,
                           ValueRange{c0}, bb.zero(), ArrayRef<bool>{true})
                           .getResult();
    // 2. Output rows: a register tile of up to eight pixels per tap sweep.
    Value out = bb.scratch({ohw, kLanes});
    scf::ForOp::create(
        b, loc, bb.index(0), bb.index(s.oh), bb.index(1), ValueRange{},
        [&](OpBuilder &nb, Location l, Value oh, ValueRange) {
          LaneBuilder rb{nb, l, bb.f32};
          for (int64_t ow0 = 0; ow0 < s.ow; ow0 += rowTile) {
            int64_t cols = std::min(rowTile, s.ow - ow0);
            SmallVector<Value> acc(cols, seed);
            for (int64_t i = 0; i < s.kh; ++i) {
              Value y = affine::AffineApplyOp::create(
                  nb, l,
                  AffineMap::get(1, 0, nb.getAffineDimExpr(0) * s.sh + i),
                  ValueRange{oh});
              for (int64_t j = 0; j < s.kw; ++j)
                for (int64_t k = 0; k < cols; ++k) {
                  Value x = rb.read(
                      buf, {y, rb.index((ow0 + k) * s.sw + j), rb.index(0)});
                  acc[k] = vector::FMAOp::create(nb, l, x, taps[i * s.kw + j],
                                                 acc[k]);
                }
            }
            for (int64_t k = 0; k < cols; ++k) {
              Value p = affine::AffineApplyOp::create(
                  nb, l,
                  AffineMap::get(1, 0, nb.getAffineDimExpr(0) * s.ow + ow0 + k),
                  ValueRange{oh});
              rb.store(acc[k], out, {p, rb.index(0)});
            }
          }
          scf::YieldOp::create(nb, l);
        });
    // 3. Back to the block's planes, through the consumer (its other
    // inputs' planes of this image, read as tiles at the same place).
    auto imagePlanes = [&](Value flat) -> Value {
      if (!flat)
        return flat;
      return tensor::ExtractSliceOp::create(
          b, loc, RankedTensorType::get({c, ohw}, bb.f32), flat,
          SmallVector<OpFoldResult>{img, b.getIndexAttr(0), b.getIndexAttr(0)},
          indexAttrs(b, {1, c, ohw}), indexAttrs(b, {1, 1, 1}));
    };
    SmallVector<Value> consumerPlanes =
        llvm::map_to_vector(consumerFlat, imagePlanes);
    Value dst = bb.collapse(slice, {{0, 1}, {2, 3}}); // [16, OH * OW]
    for (int64_t p0 = 0; p0 < ohw; p0 += kLanes) {
      Value rowsIn = vector::TransferReadOp::create(
          b, loc, bb.vec({kLanes, kLanes}), out,
          SmallVector<Value>{bb.index(p0), bb.index(0)}, bb.zero(),
          ArrayRef<bool>{p0 + kLanes <= ohw, true});
      Value v = bb.transpose(rowsIn);
      if (consumer) {
        SmallVector<Value> args;
        for (Value plane : consumerPlanes)
          args.push_back(plane ? bb.tile(plane, c0, p0, ohw) : v);
        v = applyConsumer(bb, consumer, args);
      }
      dst = vector::TransferWriteOp::create(
                b, loc, v, dst, SmallVector<Value>{bb.index(0), bb.index(p0)},
                ArrayRef<bool>{true, p0 + kLanes <= ohw})
                .getResult();
    }
    return tensor::ExpandShapeOp::create(
        b, loc, RankedTensorType::get({1, kLanes, s.oh, s.ow}, bb.f32), dst,
        ArrayRef<ReassociationIndices>{{0, 1}, {2, 3}});
  };

  auto outType = cast<RankedTensorType>(op->getResult(0).getType());
  Value dest = tensor::EmptyOp::create(b, loc, outType.getShape(), bb.f32);
  auto offsets = [&](Value img, Value blk) -> SmallVector<OpFoldResult> {
    c0 = arith::MulIOp::create(b, loc, blk, bb.index(kLanes));
    return {img, c0, b.getIndexAttr(0), b.getIndexAttr(0)};
  };
  Value y = forEachSlice(b, loc, n, c / kLanes, dest, offsets,
                         {1, kLanes, s.oh, s.ow}, body);
  replaceWindowOp(rewriter, op, consumer, y);
  return success();
}

} // namespace hcc::cpu
