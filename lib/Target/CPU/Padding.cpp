//===- Padding.cpp - padded tensors as border fills and an interior copy --===//
//
// A helper of hcc-cpu-tile-and-vectorize. A padded convolution input,
// lowered as upstream's destination-passing-style rewrite does it (a fill
// of the whole tensor, then the interior copied in), is written twice: the
// fill is a full pass over the tensor (a memset as large as the input)
// before the copy. Here only the border is filled: one slab per padded
// dimension and side (the dimensions before it restricted to their
// interior, the ones after it whole), then the interior is a linalg.copy;
// all are linalg ops on slices that the row tiling vectorizes and shares
// among the threads. A convolution run in blocks of output rows needs no
// padded tensor at all: each block copies its own rows of the source into
// a padded buffer of its own (localizePaddedRows).
//
//===----------------------------------------------------------------------===//

#include "Tiling.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;

using hcc::cpu::indexAttrs;
using hcc::cpu::lookThroughPad;
using hcc::cpu::Unpadded;

namespace {
/// `dest` with the slab at `offsets` x `sizes` written by `write` (which
/// gets the slab and returns its new value).
Value updateSlab(OpBuilder &b, Location loc, Value dest,
                 ArrayRef<int64_t> offsets, ArrayRef<int64_t> sizes,
                 llvm::function_ref<Value(Value)> write) {
  SmallVector<OpFoldResult> ones(offsets.size(), b.getIndexAttr(1));
  Value slab = tensor::ExtractSliceOp::create(
      b, loc, dest, indexAttrs(b, offsets), indexAttrs(b, sizes), ones);
  return tensor::InsertSliceOp::create(b, loc, write(slab), dest,
                                       indexAttrs(b, offsets),
                                       indexAttrs(b, sizes), ones);
}

/// The pad as border fills and an interior copy; failure when its padding
/// is not a constant or its amounts are not static.
LogicalResult padByBorders(RewriterBase &rewriter, tensor::PadOp pad) {
  Value value = pad.getConstantPaddingValue();
  auto sourceType = cast<RankedTensorType>(pad.getSource().getType());
  if (!value || !sourceType.hasStaticShape())
    return failure();
  ArrayRef<int64_t> low = pad.getStaticLow(), high = pad.getStaticHigh();
  if (llvm::any_of(low, ShapedType::isDynamic) ||
      llvm::any_of(high, ShapedType::isDynamic))
    return failure();
  RankedTensorType type = pad.getResultType();
  ArrayRef<int64_t> full = type.getShape(), inner = sourceType.getShape();
  Location loc = pad.getLoc();
  rewriter.setInsertionPoint(pad);
  if (value.getParentRegion() == &pad.getRegion())
    value = rewriter.clone(*value.getDefiningOp())->getResult(0);
  Value result =
      tensor::EmptyOp::create(rewriter, loc, full, type.getElementType());
  auto fill = [&](Value slab) {
    return linalg::FillOp::create(rewriter, loc, value, slab).getResult(0);
  };
  for (int64_t d = 0, rank = type.getRank(); d < rank; ++d) {
    SmallVector<int64_t> offsets, sizes;
    for (int64_t i = 0; i < rank; ++i) {
      offsets.push_back(i < d ? low[i] : 0);
      sizes.push_back(i < d ? inner[i] : full[i]);
    }
    if (low[d] > 0) {
      sizes[d] = low[d];
      result = updateSlab(rewriter, loc, result, offsets, sizes, fill);
    }
    if (high[d] > 0) {
      offsets[d] = low[d] + inner[d];
      sizes[d] = high[d];
      result = updateSlab(rewriter, loc, result, offsets, sizes, fill);
    }
  }
  result = updateSlab(rewriter, loc, result, low, inner, [&](Value slab) {
    return linalg::CopyOp::create(rewriter, loc, pad.getSource(), slab)
        .getResult(0);
  });
  rewriter.replaceOp(pad, result);
  return success();
}
} // namespace

void hcc::cpu::padsToLinalg(RewriterBase &rewriter, func::FuncOp func) {
  SmallVector<tensor::PadOp> pads;
  func.walk([&](tensor::PadOp pad) {
    if (isTopLevel(pad) && pad.getResultType().hasStaticShape() &&
        pad.getResultType().getElementType().isF32())
      pads.push_back(pad);
  });
  for (tensor::PadOp pad : pads) {
    if (succeeded(padByBorders(rewriter, pad)))
      continue;
    // Otherwise upstream's rewrite: a fill of the whole tensor, the
    // interior inserted (as a linalg.copy, tiled like any elementwise op).
    rewriter.setInsertionPoint(pad);
    FailureOr<Operation *> filled =
        linalg::rewriteInDestinationPassingStyle(rewriter, pad);
    if (failed(filled))
      continue;
    auto insert = dyn_cast<tensor::InsertSliceOp>(*filled);
    if (!insert)
      continue;
    Value source = insert.getSource();
    auto sourceType = cast<RankedTensorType>(source.getType());
    if (!sourceType.hasStaticShape() ||
        sourceType.getRank() != insert.getDestType().getRank())
      continue;
    rewriter.setInsertionPoint(insert);
    Location loc = insert.getLoc();
    Value interior = tensor::ExtractSliceOp::create(
        rewriter, loc, sourceType, insert.getDest(), insert.getMixedOffsets(),
        insert.getMixedSizes(), insert.getMixedStrides());
    Value copied =
        linalg::CopyOp::create(rewriter, loc, source, interior).getResult(0);
    rewriter.modifyOpInPlace(insert,
                             [&] { insert.getSourceMutable().assign(copied); });
  }
}

SmallVector<OpFoldResult> hcc::cpu::indexAttrs(OpBuilder &b,
                                               ArrayRef<int64_t> values) {
  return llvm::map_to_vector(
      values, [&](int64_t v) -> OpFoldResult { return b.getIndexAttr(v); });
}

/// A task's block of rows of a padded NCHW input (an extract_slice of a
/// tensor.pad at a run-time row offset, whole channels and padded width)
/// copied into a buffer of the task's own, row by row from the unpadded
/// source: rows outside the source and the columns beside it hold the
/// padding. The whole padded input is then never written: it was a pass
/// over memory the size of the input before the first block started (13 %
/// of a 64 -> 128 stride-2 convolution over 56 x 56), and the blocks read
/// it back from memory instead of L2.
LogicalResult hcc::cpu::localizePaddedRows(RewriterBase &rewriter,
                                           OpOperand &operand) {
  auto slice = operand.get().getDefiningOp<tensor::ExtractSliceOp>();
  if (!slice || !slice.hasUnitStride())
    return failure();
  Unpadded input = lookThroughPad(slice.getSource());
  if (!input.value)
    return failure();
  auto sourceType = cast<RankedTensorType>(input.source.getType());
  RankedTensorType type = slice.getType();
  auto paddedType = cast<RankedTensorType>(slice.getSource().getType());
  if (sourceType.getRank() != 4 || type.getRank() != 4 ||
      !type.hasStaticShape() || !sourceType.hasStaticShape() ||
      !paddedType.hasStaticShape() || type.getDimSize(0) != 1 ||
      type.getDimSize(1) != sourceType.getDimSize(1) ||
      !isConstantIntValue(slice.getMixedOffsets()[1], 0) ||
      !isConstantIntValue(slice.getMixedOffsets()[3], 0))
    return failure();
  int64_t channels = type.getDimSize(1), rows = type.getDimSize(2);
  int64_t height = sourceType.getDimSize(2);
  // The columns of a source row inside the slice (a stride-2 window may
  // leave the last padded column unread).
  int64_t width =
      std::min(sourceType.getDimSize(3), type.getDimSize(3) - input.left);
  if (width <= 0)
    return failure();
  Location loc = slice.getLoc();
  rewriter.setInsertionPoint(slice);
  auto index = [&](int64_t v) {
    return arith::ConstantIndexOp::create(rewriter, loc, v).getResult();
  };
  Value n = getValueOrCreateConstantIndexOp(rewriter, loc,
                                            slice.getMixedOffsets()[0]);
  Value rowOffset = getValueOrCreateConstantIndexOp(rewriter, loc,
                                                    slice.getMixedOffsets()[2]);
  Value buf = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                      type.getElementType());
  buf = linalg::FillOp::create(rewriter, loc, input.value, buf).getResult(0);
  auto rowType = VectorType::get({width}, type.getElementType());
  Value zero = index(0), one = index(1);
  auto channelLoop = scf::ForOp::create(
      rewriter, loc, zero, index(channels), one, ValueRange{buf},
      [&](OpBuilder &b, Location l, Value c, ValueRange channelIter) {
        auto rowLoop = scf::ForOp::create(
            b, l, zero, index(rows), one, channelIter,
            [&](OpBuilder &rb, Location rl, Value i, ValueRange rowIter) {
              // Source row rowOffset + i - top, if inside the source.
              Value padded = arith::AddIOp::create(rb, rl, rowOffset, i);
              Value top = arith::ConstantIndexOp::create(rb, rl, input.top);
              Value inside = arith::AndIOp::create(
                  rb, rl,
                  arith::CmpIOp::create(rb, rl, arith::CmpIPredicate::uge,
                                        padded, top),
                  arith::CmpIOp::create(rb, rl, arith::CmpIPredicate::ult,
                                        padded,
                                        arith::ConstantIndexOp::create(
                                            rb, rl, input.top + height)));
              auto copy = scf::IfOp::create(
                  rb, rl, inside,
                  [&](OpBuilder &tb, Location tl) {
                    Value row = arith::SubIOp::create(tb, tl, padded, top);
                    Value zeroIndex = arith::ConstantIndexOp::create(tb, tl, 0);
                    Value v = vector::TransferReadOp::create(
                        tb, tl, rowType, input.source,
                        ValueRange{n, c, row, zeroIndex}, input.value,
                        ArrayRef<bool>{true});
                    Value written =
                        vector::TransferWriteOp::create(
                            tb, tl, v, rowIter[0],
                            ValueRange{zeroIndex, c, i,
                                       arith::ConstantIndexOp::create(
                                           tb, tl, input.left)},
                            ArrayRef<bool>{true})
                            .getResult();
                    scf::YieldOp::create(tb, tl, written);
                  },
                  [&](OpBuilder &eb, Location el) {
                    scf::YieldOp::create(eb, el, rowIter[0]);
                  });
              scf::YieldOp::create(rb, rl, copy.getResult(0));
            });
        scf::YieldOp::create(b, l, rowLoop.getResult(0));
      });
  rewriter.modifyOpInPlace(operand.getOwner(),
                           [&] { operand.set(channelLoop.getResult(0)); });
  if (slice->use_empty())
    rewriter.eraseOp(slice);
  return success();
}
