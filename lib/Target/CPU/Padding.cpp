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
// among the threads.
//
//===----------------------------------------------------------------------===//

#include "Tiling.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

using hcc::cpu::indexAttrs;

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
