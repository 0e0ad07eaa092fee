//===- ConvParts.cpp - pieces shared by the convolution rewrites ----------===//
//
// Helpers of hcc-cpu-tile-and-vectorize used by the rewrites that build a
// convolution's loops themselves (Winograd.cpp, DepthwisePlanes.cpp): a
// forall over (image, channel) slices, how the accumulator starts, and the
// elementwise consumer that can run in the convolution's own loops.
//
//===----------------------------------------------------------------------===//

#include "Tiling.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using hcc::cpu::indexAttrs;

namespace hcc::cpu {

Value forEachSlice(
    OpBuilder &b, Location loc, int64_t images, int64_t count, Value dest,
    function_ref<SmallVector<OpFoldResult>(Value, Value)> offsets,
    ArrayRef<int64_t> sizes, function_ref<Value(Value, Value, Value)> body) {
  auto forall = scf::ForallOp::create(b, loc, indexAttrs(b, {images, count}),
                                      ValueRange{dest}, std::nullopt);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(forall.getBody());
  Value n = forall.getInductionVars()[0], i = forall.getInductionVars()[1];
  SmallVector<OpFoldResult> at = offsets(n, i);
  SmallVector<OpFoldResult> extent = indexAttrs(b, sizes);
  SmallVector<OpFoldResult> ones(sizes.size(), b.getIndexAttr(1));
  Value shared = forall.getRegionIterArgs()[0];
  Value slice =
      tensor::ExtractSliceOp::create(b, loc, shared, at, extent, ones);
  Value result = body(n, i, slice);
  b.setInsertionPointToStart(forall.getTerminator().getBody());
  tensor::ParallelInsertSliceOp::create(b, loc, result, shared, at, extent,
                                        ones);
  return forall.getResult(0);
}

InitValue classifyInit(Value init) {
  if (auto fill = init.getDefiningOp<linalg::FillOp>())
    return {fill.getInputs()[0], nullptr};
  auto generic = init.getDefiningOp<linalg::GenericOp>();
  // A generic that yields one value defined outside it: a fill.
  if (generic && generic.getNumDpsInputs() == 0 &&
      generic.getBody()->getOperations().size() == 1) {
    Value yielded = generic.getBody()->getTerminator()->getOperand(0);
    if (yielded.getParentBlock() != generic.getBody())
      return {yielded, nullptr};
  }
  if (!generic || generic.getNumDpsInputs() != 1 ||
      generic.getNumParallelLoops() != 4 || generic.getNumLoops() != 4 ||
      generic.getBody()->getOperations().size() != 1)
    return {};
  Value yielded = generic.getBody()->getTerminator()->getOperand(0);
  AffineMap map = generic.getMatchingIndexingMap(generic.getDpsInputOperand(0));
  auto type = dyn_cast<RankedTensorType>(generic.getDpsInputs()[0].getType());
  if (yielded != generic.getBody()->getArgument(0) || !type ||
      type.getRank() != 1 || map.getNumResults() != 1 ||
      map.getResult(0) != getAffineDimExpr(1, generic.getContext()) ||
      !generic.getMatchingIndexingMap(generic.getDpsInitOperand(0))
           .isIdentity())
    return {};
  return {nullptr, generic.getDpsInputs()[0]};
}

linalg::GenericOp fusibleConsumer(Operation *producer) {
  Value result = producer->getResult(0);
  if (!result.hasOneUse())
    return nullptr;
  auto g = dyn_cast<linalg::GenericOp>(*result.getUsers().begin());
  if (!g || g.getNumDpsInits() != 1 || g->getNumResults() != 1 ||
      g.getNumParallelLoops() != g.getNumLoops() ||
      g.getResult(0).getType() != result.getType() ||
      !llvm::all_of(g.getIndexingMapsArray(),
                    [](AffineMap map) { return map.isIdentity(); }) ||
      !g.getMatchingBlockArgument(g.getDpsInitOperand(0)).use_empty())
    return nullptr;
  for (Value input : g.getDpsInputs()) {
    if (input.getType() != result.getType())
      return nullptr;
    // The fused code is built in the producer's place.
    Operation *def = input.getDefiningOp();
    if (input != result && def &&
        (def->getBlock() != producer->getBlock() ||
         !def->isBeforeInBlock(producer)))
      return nullptr;
  }
  auto scalar = [](Type t) { return t.isIntOrFloat(); };
  for (Operation &op : g.getBody()->without_terminator()) {
    StringRef dialect = op.getDialect()->getNamespace();
    if ((dialect != "arith" && dialect != "math") || op.getNumRegions() != 0 ||
        !llvm::all_of(op.getResultTypes(), scalar) ||
        !llvm::all_of(op.getOperandTypes(), scalar))
      return nullptr;
  }
  return g;
}

Unpadded lookThroughPad(Value x) {
  auto pad = x.getDefiningOp<tensor::PadOp>();
  if (!pad || !pad.getSourceType().hasStaticShape())
    return {x};
  Value value = pad.getConstantPaddingValue();
  if (!value || !matchPattern(value, m_Constant()))
    return {x};
  ArrayRef<int64_t> low = pad.getStaticLow(), high = pad.getStaticHigh();
  if (llvm::any_of(low, ShapedType::isDynamic) ||
      llvm::any_of(high, ShapedType::isDynamic) || low[0] || low[1] ||
      high[0] || high[1])
    return {x};
  return {pad.getSource(), low[2], low[3], value};
}

FailureOr<WindowShape> windowShape(linalg::LinalgOp op, int64_t windowDim,
                                   function_ref<bool(Value)> isBorder) {
  auto strides = op->getAttrOfType<DenseIntElementsAttr>("strides");
  auto dilations = op->getAttrOfType<DenseIntElementsAttr>("dilations");
  if (!strides || !dilations || strides.getNumElements() != 2 ||
      !llvm::all_of(dilations,
                    [](const APInt &d) { return d.getSExtValue() == 1; }))
    return failure();
  WindowShape s;
  s.source = op.getDpsInputs()[0];
  Unpadded unpadded = lookThroughPad(s.source);
  if (unpadded.value && isBorder(unpadded.value)) {
    s.source = unpadded.source;
    s.top = unpadded.top;
    s.left = unpadded.left;
  }
  auto staticF32 = [](Value v) {
    auto t = dyn_cast<RankedTensorType>(v.getType());
    return t && t.hasStaticShape() && t.getElementType().isF32() ? t : nullptr;
  };
  RankedTensorType src = staticF32(s.source);
  RankedTensorType window = staticF32(op.getDpsInputs()[1]);
  RankedTensorType out = staticF32(op->getResult(0));
  if (!src || !window || !out || src.getRank() != 4 || out.getRank() != 4 ||
      window.getRank() != windowDim + 2)
    return failure();
  s.n = out.getDimSize(0);
  s.c = out.getDimSize(1);
  s.oh = out.getDimSize(2);
  s.ow = out.getDimSize(3);
  s.h = src.getDimSize(2);
  s.w = src.getDimSize(3);
  s.kh = window.getDimSize(windowDim);
  s.kw = window.getDimSize(windowDim + 1);
  s.sh = strides.getValues<int64_t>()[0];
  s.sw = strides.getValues<int64_t>()[1];
  return s;
}

void replaceWindowOp(RewriterBase &rewriter, Operation *op,
                     linalg::GenericOp consumer, Value result) {
  Operation *pad = op->getOperand(0).getDefiningOp<tensor::PadOp>();
  if (consumer) {
    rewriter.replaceOp(consumer, result);
    rewriter.eraseOp(op);
  } else {
    rewriter.replaceOp(op, result);
  }
  if (pad && pad->use_empty())
    rewriter.eraseOp(pad);
}

} // namespace hcc::cpu
