//===- GPUEpilogue.cpp - what GPU tiles compute before and after ----------===//
//
// A GPU tile kernel (contraction, reduction) absorbs the elementwise op
// that initializes its output (a fill, a bias broadcast: computed into the
// accumulators) and the elementwise op that consumes it (an activation, a
// residual add, a copy to the result: applied to each value before it is
// stored), so a convolution with its bias and ReLU is one kernel that
// writes its output once. Bufferization often leaves the two ops on
// another view of the output buffer than the contraction's
// (collapse_shape/expand_shape of one contiguous buffer): elements are
// matched through their row-major position in that buffer.
//
//===----------------------------------------------------------------------===//

#include "LinalgLoops.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

using namespace mlir;

namespace hcc::opencl {

namespace {

/// A static, identity-layout memref (its elements in row-major order).
bool isContiguous(Value v) {
  auto type = dyn_cast<MemRefType>(v.getType());
  return type && type.hasStaticShape() && type.getLayout().isIdentity();
}

/// The buffer `v` views: through collapse_shape and expand_shape of
/// contiguous buffers (which keep each element's row-major position); null
/// when `v` is not contiguous.
Value viewRoot(Value v) {
  if (!isContiguous(v))
    return nullptr;
  while (Operation *def = v.getDefiningOp()) {
    Value source;
    if (auto collapse = dyn_cast<memref::CollapseShapeOp>(def))
      source = collapse.getSrc();
    else if (auto expand = dyn_cast<memref::ExpandShapeOp>(def))
      source = expand.getSrc();
    if (!source || !isContiguous(source))
      break;
    v = source;
  }
  return v;
}

Value rootOf(OpOperand &operand) { return viewRoot(operand.get()); }

/// The indices in `to` of the element at `index` of `from` (two contiguous
/// views of one buffer).
SmallVector<Value> remapIndices(OpBuilder &b, Location loc, Value from,
                                ValueRange index, Value to) {
  if (from == to)
    return SmallVector<Value>(index);
  IndexMath im{b, loc};
  ArrayRef<int64_t> fromShape = cast<MemRefType>(from.getType()).getShape();
  ArrayRef<int64_t> toShape = cast<MemRefType>(to.getType()).getShape();
  Value linear = im.c(0);
  for (auto [i, size] : llvm::enumerate(fromShape))
    linear = im.add(im.mulC(linear, size), index[i]);
  SmallVector<Value> result(toShape.size());
  for (int64_t d = toShape.size() - 1; d >= 0; --d) {
    result[d] = d == 0 ? linear : im.remS(linear, toShape[d]);
    if (d > 0)
      linear = im.divS(linear, toShape[d]);
  }
  return result;
}

/// The iteration of `op` whose operand `operand` (indexed by a
/// permutation) reaches the element `index` of `operand`.
SmallVector<Value> iterationAt(linalg::LinalgOp op, OpOperand *operand,
                               ValueRange index) {
  AffineMap map = op.getMatchingIndexingMap(operand);
  SmallVector<Value> ivs(map.getNumDims());
  for (auto [r, idx] : llvm::enumerate(index))
    ivs[map.getDimPosition(r)] = idx;
  return ivs;
}

/// An elementwise op whose payload is pure and reads none of its outputs.
bool isPureElementwise(linalg::LinalgOp op) {
  if (!op.hasPureBufferSemantics() ||
      op.getNumLoops() != op.getNumParallelLoops())
    return false;
  for (int64_t r : op.getStaticLoopRanges())
    if (ShapedType::isDynamic(r))
      return false;
  for (OpOperand &init : op.getDpsInitsMutable())
    if (!op.getMatchingBlockArgument(&init).use_empty() ||
        !op.getMatchingIndexingMap(&init).isPermutation())
      return false;
  for (Operation &o : op.getBlock()->without_terminator())
    if (!isMemoryEffectFree(&o) || o.getNumRegions() != 0)
      return false;
  return true;
}

/// Whether `op` only allocates or has no memory effects (views, constants,
/// index math): nothing a reordering of the ops around it can change.
bool isInert(Operation *op) {
  if (op->getNumRegions() != 0)
    return false;
  if (isMemoryEffectFree(op))
    return true;
  auto effects = dyn_cast<MemoryEffectOpInterface>(op);
  return effects && effects.hasEffect<MemoryEffects::Allocate>() &&
         !effects.hasEffect<MemoryEffects::Read>() &&
         !effects.hasEffect<MemoryEffects::Write>() &&
         !effects.hasEffect<MemoryEffects::Free>();
}

/// The allocation (or argument) `v` is a view of.
Value aliasRoot(Value v) {
  while (auto view = v.getDefiningOp<ViewLikeOpInterface>())
    v = view.getViewSource();
  return v;
}

/// Whether an operand of `op` views the buffer `root`.
bool touches(linalg::LinalgOp op, Value root) {
  for (OpOperand &operand : op->getOpOperands())
    if (isa<MemRefType>(operand.get().getType()) &&
        aliasRoot(operand.get()) == aliasRoot(root))
      return true;
  return false;
}

/// The buffers `op` reads (aliasRoot).
SmallVector<Value> inputRoots(linalg::LinalgOp op) {
  SmallVector<Value> roots;
  for (OpOperand *in : op.getDpsInputOperands())
    if (isa<MemRefType>(in->get().getType()))
      roots.push_back(aliasRoot(in->get()));
  return roots;
}

} // namespace

linalg::LinalgOp findGPUInitializer(linalg::LinalgOp op, OpOperand &init) {
  Value root = rootOf(init);
  if (!root)
    return nullptr;
  SmallVector<linalg::LinalgOp> skipped;
  Operation *prev = op->getPrevNode();
  for (; prev; prev = prev->getPrevNode()) {
    if (isInert(prev))
      continue;
    auto other = dyn_cast<linalg::LinalgOp>(prev);
    if (!other || !other.hasPureBufferSemantics())
      return nullptr;
    // The initializer writes the buffer; ops that do not touch it can be
    // moved past.
    if (other.getNumDpsInits() == 1 &&
        rootOf(*other.getDpsInitOperand(0)) == root)
      break;
    if (touches(other, root))
      return nullptr;
    skipped.push_back(other);
  }
  auto producer = dyn_cast_or_null<linalg::LinalgOp>(prev);
  if (!producer || !isPureElementwise(producer) ||
      producer.getNumDpsInits() != 1)
    return nullptr;
  OpOperand *out = producer.getDpsInitOperand(0);
  // It writes the whole buffer and reads nothing `op` or the ops it is
  // moved past write.
  if (cast<MemRefType>(out->get().getType()).getNumElements() !=
      cast<MemRefType>(root.getType()).getNumElements())
    return nullptr;
  SmallVector<Value> written = {aliasRoot(root)};
  for (linalg::LinalgOp s : skipped)
    for (OpOperand &sInit : s.getDpsInitsMutable())
      written.push_back(aliasRoot(sInit.get()));
  for (Value in : inputRoots(producer))
    if (llvm::is_contained(written, in))
      return nullptr;
  return producer;
}

Value gpuInitializerValue(OpBuilder &b, Location loc, linalg::LinalgOp op,
                          OpOperand &init, linalg::LinalgOp producer,
                          ValueRange ivs) {
  OpOperand *out = producer.getDpsInitOperand(0);
  SmallVector<Value> index = remapIndices(
      b, loc, init.get(),
      applyMap(b, loc, op.getMatchingIndexingMap(&init), ivs), out->get());
  return emitIteration(b, loc, producer, iterationAt(producer, out, index),
                       {Value()})
      .front();
}

std::optional<GPUEpilogue> findGPUEpilogue(linalg::LinalgOp op,
                                           linalg::LinalgOp init) {
  if (op.getNumDpsInits() != 1)
    return std::nullopt;
  OpOperand &out = op.getDpsInitsMutable()[0];
  Value root = rootOf(out);
  if (!root)
    return std::nullopt;
  Operation *next = op->getNextNode();
  while (next && isInert(next))
    next = next->getNextNode();
  auto consumer = dyn_cast_or_null<linalg::LinalgOp>(next);
  if (!consumer || !isPureElementwise(consumer))
    return std::nullopt;
  int64_t elements = 1;
  for (int64_t r : consumer.getStaticLoopRanges())
    elements *= r;
  if (elements != cast<MemRefType>(root.getType()).getNumElements())
    return std::nullopt;
  // Exactly one input reads the output, each of its elements once.
  GPUEpilogue epilogue;
  epilogue.op = consumer;
  for (OpOperand *in : consumer.getDpsInputOperands()) {
    if (!isa<MemRefType>(in->get().getType()))
      continue;
    Value inRoot = rootOf(*in);
    if (!inRoot)
      return std::nullopt;
    if (inRoot != root)
      continue;
    if (epilogue.input ||
        !consumer.getMatchingIndexingMap(in).isPermutation() ||
        consumer.getMatchingBlockArgument(in).use_empty())
      return std::nullopt;
    epilogue.input = in;
  }
  if (!epilogue.input)
    return std::nullopt;
  // Its outputs: not what `op` (or its initializer) reads, and the output
  // buffer only where it overwrites the very element it read.
  SmallVector<Value> read = inputRoots(op);
  if (init)
    llvm::append_range(read, inputRoots(init));
  for (OpOperand &cInit : consumer.getDpsInitsMutable()) {
    Value cRoot = rootOf(cInit);
    if (!cRoot || llvm::is_contained(read, aliasRoot(cInit.get())))
      return std::nullopt;
    if (cRoot == root) {
      if (cInit.get() != epilogue.input->get() ||
          consumer.getMatchingIndexingMap(&cInit) !=
              consumer.getMatchingIndexingMap(epilogue.input))
        return std::nullopt;
      epilogue.inPlace = true;
    }
  }
  // The raw output must still be stored when anything else reads it.
  epilogue.keepOutput = !epilogue.inPlace;
  if (!epilogue.inPlace && root.getDefiningOp<memref::AllocOp>()) {
    SmallVector<Value> views = {root};
    bool otherUse = false;
    while (!views.empty() && !otherUse) {
      Value v = views.pop_back_val();
      for (Operation *user : v.getUsers()) {
        if (isa<memref::CollapseShapeOp, memref::ExpandShapeOp>(user))
          views.push_back(user->getResult(0));
        else if (user != op && user != consumer && user != init &&
                 !isa<memref::DeallocOp>(user))
          otherUse = true;
      }
    }
    epilogue.keepOutput = otherUse;
  }
  return epilogue;
}

void storeGPUResult(OpBuilder &b, Location loc, linalg::LinalgOp op,
                    const GPUEpilogue *epilogue, Value value, ValueRange ivs) {
  OpOperand &out = op.getDpsInitsMutable()[0];
  SmallVector<Value> index =
      applyMap(b, loc, op.getMatchingIndexingMap(&out), ivs);
  if (!epilogue || epilogue->keepOutput)
    memref::StoreOp::create(b, loc, value, out.get(), index);
  if (!epilogue)
    return;
  linalg::LinalgOp consumer = epilogue->op;
  SmallVector<Value> at = iterationAt(
      consumer, epilogue->input,
      remapIndices(b, loc, out.get(), index, epilogue->input->get()));
  SmallVector<Value> inputs;
  for (OpOperand *in : consumer.getDpsInputOperands()) {
    Value v = in->get();
    if (in == epilogue->input)
      inputs.push_back(value);
    else if (consumer.getMatchingBlockArgument(in).use_empty())
      inputs.push_back(Value());
    else if (!isa<MemRefType>(v.getType()))
      inputs.push_back(v);
    else
      inputs.push_back(memref::LoadOp::create(
          b, loc, v,
          applyMap(b, loc, consumer.getMatchingIndexingMap(in), at)));
  }
  SmallVector<Value> outs(consumer.getNumDpsInits(), Value());
  SmallVector<Value> results = emitPayload(b, consumer, inputs, at, outs);
  for (auto [cInit, result] :
       llvm::zip_equal(consumer.getDpsInitsMutable(), results))
    memref::StoreOp::create(
        b, loc, result, cInit.get(),
        applyMap(b, loc, consumer.getMatchingIndexingMap(&cInit), at));
}

} // namespace hcc::opencl
