//===- MaxPoolRows.cpp - max pools as a column pass and a row pass --------===//
//
// A helper of hcc-cpu-tile-and-vectorize. A KH x KW max pool is a max over
// KH input rows followed by a max over KW columns of that row (max is
// separable), which takes KH - 1 + KW - 1 maxima per output instead of
// KH * KW - 1, and reads every input row a few times as whole vectors
// instead of once per tap. Per task (image, channel):
//
//   B = [pad ... pad]                 a row buffer, the padded width
//   for each output row oy:
//     B[left + x] = max_i X[clamp(oy * SH - top + i)][x]    (vectors of x)
//     Y[oy][ox]   = max_j B[ox * SW + j]                    (vectors of ox)
//
// The column reads of B are strided (stride 2: a read of twice the lanes
// and a deinterleave, hcc-cpu-lower-vectors). Rows past the input are
// clamped to its edge: the clamped row is in the same window (every
// window holds an input row, checked), and a max does not mind a row
// twice; columns past it read the padding value in B. The input stays
// NCHW and unpadded: no padded copy of the tensor.
//
//===----------------------------------------------------------------------===//

#include "Tiling.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"

#include <algorithm>
#include <limits>

using namespace mlir;

namespace {

using hcc::cpu::WindowShape;

/// Whether every output row's window holds at least one input row.
bool everyWindowHasARow(const WindowShape &g) {
  for (int64_t oy = 0; oy < g.oh; ++oy) {
    int64_t first = oy * g.sh - g.top;
    if (first >= g.h || first + g.kh <= 0)
      return false;
  }
  return true;
}

/// Whether `v` is the constant -inf (an ONNX max pool's padding and
/// start; -FLT_MAX would not be neutral for a -inf input).
bool isNegInf(Value v) { return matchPattern(v, m_NegInfFloat()); }

Value indexValue(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

} // namespace

namespace hcc::cpu {

LogicalResult maxPoolOnRows(RewriterBase &rewriter, linalg::PoolingNchwMaxOp op,
                            int64_t lanes) {
  if (lanes < 2)
    return failure();
  // Padding with -inf is what the windows' clamped rows and B's borders
  // stand for; any other (a Pad node's zeros) is input.
  FailureOr<WindowShape> shape = windowShape(op, 0, isNegInf);
  if (failed(shape))
    return failure();
  InitValue start = classifyInit(op.getDpsInits()[0]);
  if (!start.scalar)
    return failure();
  const WindowShape &g = *shape;
  Value source = g.source;
  // Strides past 2 would read B one lane at a time; one-tap windows are
  // copies.
  if (g.h == 0 || g.w == 0 || g.oh == 0 || g.ow == 0 || g.sw > 2 ||
      g.kh * g.kw < 2 || !everyWindowHasARow(g))
    return failure();

  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  OpBuilder &b = rewriter;
  Type f32 = b.getF32Type();
  auto index = [&](int64_t v) { return indexValue(b, loc, v); };
  auto vec = VectorType::get({lanes}, f32);
  // B's borders and the lanes read past a row (without padding, no window
  // reaches those).
  Value pad = arith::ConstantOp::create(
      b, loc, b.getF32FloatAttr(-std::numeric_limits<float>::infinity()));
  Value padVec = vector::BroadcastOp::create(b, loc, vec, pad);
  // Columns the row pass reads: up to (whole vectors of ox) * SW + KW, and
  // a stride-2 read takes twice the lanes; the column pass writes whole
  // vectors from `left`.
  int64_t owVectors = llvm::alignTo(g.ow, lanes);
  int64_t width = llvm::alignTo(
      std::max(owVectors * g.sw + g.kw + lanes,
               g.left + static_cast<int64_t>(llvm::alignTo(g.w, lanes))),
      lanes);
  bool initIsNeutral = isNegInf(start.scalar);
  Value initVec = vector::BroadcastOp::create(b, loc, vec, start.scalar);

  // Output rows per block: the column passes of a block's rows store to
  // B before the row passes load from it (a load right after the stores
  // it overlaps would wait for them: store forwarding fails on B's
  // unaligned reads).
  int64_t chunks = llvm::alignTo(g.w, lanes) / lanes;
  int64_t block = std::min<int64_t>(
      g.oh, std::clamp<int64_t>((8 + chunks - 1) / chunks, 2, 8));

  auto body = [&](Value img, Value ch, Value slice) -> Value {
    Value rowBuf = memref::AllocaOp::create(
        b, loc, MemRefType::get({block, width}, f32), b.getI64IntegerAttr(64));
    for (int64_t r = 0; r < block; ++r)
      for (int64_t x = 0; x < width; x += lanes)
        vector::TransferWriteOp::create(b, loc, padVec, rowBuf,
                                        ValueRange{index(r), index(x)},
                                        ArrayRef<bool>{true});
    Value plane = tensor::ExtractSliceOp::create(
        b, loc, RankedTensorType::get({g.h, g.w}, f32), source,
        SmallVector<OpFoldResult>{img, ch, b.getIndexAttr(0),
                                  b.getIndexAttr(0)},
        indexAttrs(b, {1, 1, g.h, g.w}), indexAttrs(b, {1, 1, 1, 1}));
    Value dst = tensor::CollapseShapeOp::create(
        b, loc, slice, ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
    // The row pass's strided views of each row of B, one per column tap.
    SmallVector<SmallVector<Value>> taps(block);
    for (int64_t r = 0; r < block; ++r)
      for (int64_t j = 0; j < g.kw; ++j) {
        int64_t count = (width - j) / g.sw;
        auto type = MemRefType::get(
            {count}, f32,
            StridedLayoutAttr::get(b.getContext(), r * width + j,
                                   ArrayRef<int64_t>{g.sw}));
        taps[r].push_back(memref::SubViewOp::create(
            b, loc, type, rowBuf, ArrayRef<int64_t>{r, j},
            ArrayRef<int64_t>{1, count}, ArrayRef<int64_t>{1, g.sw}));
      }
    // Output rows oy0 .. oy0 + count - 1 of `out`.
    auto emitRows = [&](OpBuilder &b, Location l, Value oy0, int64_t count,
                        Value out) -> Value {
      auto index = [&](int64_t v) { return indexValue(b, l, v); };
      SmallVector<Value> oys;
      for (int64_t r = 0; r < count; ++r)
        oys.push_back(arith::AddIOp::create(b, l, oy0, index(r)));
      // Column passes: each row's window of input rows, clamped to the
      // plane.
      for (int64_t r = 0; r < count; ++r) {
        SmallVector<Value> rows;
        Value first = arith::SubIOp::create(
            b, l, arith::MulIOp::create(b, l, oys[r], index(g.sh)),
            index(g.top));
        for (int64_t i = 0; i < g.kh; ++i) {
          Value y = arith::AddIOp::create(b, l, first, index(i));
          y = arith::MaxSIOp::create(b, l, y, index(0));
          rows.push_back(arith::MinSIOp::create(b, l, y, index(g.h - 1)));
        }
        for (int64_t x = 0; x < g.w; x += lanes) {
          bool whole = x + lanes <= g.w;
          Value acc;
          for (Value y : rows) {
            Value v = vector::TransferReadOp::create(
                b, l, vec, plane, ValueRange{y, index(x)}, pad,
                ArrayRef<bool>{whole});
            acc = acc ? arith::MaximumFOp::create(b, l, acc, v) : v;
          }
          vector::TransferWriteOp::create(
              b, l, acc, rowBuf, ValueRange{index(r), index(g.left + x)},
              ArrayRef<bool>{true});
        }
      }
      // Row passes: the window's columns of each row of B.
      for (int64_t r = 0; r < count; ++r)
        for (int64_t x = 0; x < g.ow; x += lanes) {
          Value acc = initIsNeutral ? Value() : initVec;
          for (Value tap : taps[r]) {
            Value v = vector::TransferReadOp::create(b, l, vec, tap,
                                                     ValueRange{index(x)}, pad,
                                                     ArrayRef<bool>{true});
            acc = acc ? arith::MaximumFOp::create(b, l, acc, v) : v;
          }
          out = vector::TransferWriteOp::create(
                    b, l, acc, out, ValueRange{oys[r], index(x)},
                    ArrayRef<bool>{x + lanes <= g.ow})
                    .getResult();
        }
      return out;
    };
    int64_t whole = g.oh / block * block;
    auto loop = scf::ForOp::create(
        b, loc, index(0), index(whole), index(block), ValueRange{dst},
        [&](OpBuilder &b, Location l, Value oy0, ValueRange iter) {
          scf::YieldOp::create(b, l, emitRows(b, l, oy0, block, iter[0]));
        });
    Value out = loop.getResult(0);
    if (whole < g.oh)
      out = emitRows(b, loc, index(whole), g.oh - whole, out);
    return tensor::ExpandShapeOp::create(
        b, loc, cast<RankedTensorType>(slice.getType()), out,
        ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
  };

  auto outType = cast<RankedTensorType>(op->getResult(0).getType());
  Value dest = tensor::EmptyOp::create(b, loc, outType.getShape(), f32);
  auto offsets = [&](Value img, Value ch) -> SmallVector<OpFoldResult> {
    return {img, ch, b.getIndexAttr(0), b.getIndexAttr(0)};
  };
  Value y =
      forEachSlice(b, loc, g.n, g.c, dest, offsets, {1, 1, g.oh, g.ow}, body);
  replaceWindowOp(rewriter, op, nullptr, y);
  return success();
}

} // namespace hcc::cpu
