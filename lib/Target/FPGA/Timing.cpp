//===- Timing.cpp - what an FPGA pipeline charges per operation -----------===//

#include "Timing.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/EmitC/IR/EmitC.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

using namespace mlir;

namespace hcc::fpga {

int64_t lanes(Type type) {
  if (auto vector = dyn_cast<VectorType>(type))
    return vector.getNumElements();
  return 1;
}

Type elementType(Type type) {
  if (auto vector = dyn_cast<VectorType>(type))
    return vector.getElementType();
  return type;
}

/// The memref `op` loads or stores, through views; null for other ops.
static Value accessedMemRef(Operation *op) {
  Value memref;
  if (auto load = dyn_cast<memref::LoadOp>(op))
    memref = load.getMemRef();
  else if (auto store = dyn_cast<memref::StoreOp>(op))
    memref = store.getMemRef();
  else if (auto load = dyn_cast<vector::LoadOp>(op))
    memref = load.getBase();
  else if (auto store = dyn_cast<vector::StoreOp>(op))
    memref = store.getBase();
  else
    return {};
  while (auto view = memref.getDefiningOp<ViewLikeOpInterface>())
    memref = view.getViewSource();
  return memref;
}

std::optional<Board> loadBoardOrError(Operation *where,
                                      llvm::StringRef nameOrPath) {
  llvm::Expected<Board> loaded = loadBoard(nameOrPath);
  if (loaded)
    return std::move(*loaded);
  where->emitError() << "FPGA target: " << llvm::toString(loaded.takeError());
  return std::nullopt;
}

ValueRange accessIndices(Operation *op) {
  if (auto load = dyn_cast<memref::LoadOp>(op))
    return load.getIndices();
  if (auto store = dyn_cast<memref::StoreOp>(op))
    return store.getIndices();
  if (auto load = dyn_cast<vector::LoadOp>(op))
    return load.getIndices();
  if (auto store = dyn_cast<vector::StoreOp>(op))
    return store.getIndices();
  return {};
}

Value privateArray(Operation *op) {
  Value memref = accessedMemRef(op);
  return memref && memref.getDefiningOp<memref::AllocaOp>() ? memref : Value();
}

Value ramArray(Operation *op) {
  Value memref = accessedMemRef(op);
  auto alloca = memref ? memref.getDefiningOp<memref::AllocaOp>() : nullptr;
  if (!alloca)
    return {};
  MemRefType type = alloca.getType();
  if (!type.hasStaticShape() || !type.getElementType().isIntOrFloat())
    return {};
  int64_t bits =
      type.getNumElements() * type.getElementType().getIntOrFloatBitWidth();
  return bits > kRegisterArrayBits ? memref : Value();
}

std::optional<int64_t> globalBytes(Operation *op) {
  Value memref = accessedMemRef(op);
  if (!memref)
    return std::nullopt;
  Type value = isa<memref::StoreOp, vector::StoreOp>(op)
                   ? op->getOperand(0).getType()
                   : op->getResult(0).getType();
  if (!isa<BlockArgument>(memref))
    return std::nullopt; // A private array: registers or on-chip RAM.
  Type elem = elementType(value);
  int64_t bits = elem.isIntOrFloat() ? elem.getIntOrFloatBitWidth() : 64;
  return lanes(value) * std::max<int64_t>(bits / 8, 1);
}

bool isLoad(Operation *op) { return isa<memref::LoadOp, vector::LoadOp>(op); }

/// The values of `op`'s single integer result, or of a delinearization's
/// results, when its operands' are known.
static SmallVector<int64_t> evaluateResults(Operation *op,
                                            const IndexValues &known) {
  auto get = [&](Value v) -> std::optional<int64_t> {
    auto it = known.find(v);
    if (it == known.end())
      return std::nullopt;
    return it->second;
  };
  if (auto call = dyn_cast<emitc::CallOpaqueOp>(op)) {
    StringRef callee = call.getCallee();
    if (callee == "get_global_id" || callee == "get_local_id" ||
        callee == "get_group_id")
      return {0};
    if (callee == "get_global_size" || callee == "get_local_size" ||
        callee == "get_num_groups")
      return {1};
    return {};
  }
  if (auto split = dyn_cast<affine::AffineDelinearizeIndexOp>(op)) {
    std::optional<int64_t> linear = get(split.getLinearIndex());
    SmallVector<int64_t> basis;
    for (OpFoldResult b : split.getMixedBasis()) {
      std::optional<int64_t> v = getConstantIntValue(b);
      if (!v)
        if (auto value = dyn_cast<Value>(b))
          v = get(value);
      if (!v || *v <= 0)
        return {};
      basis.push_back(*v);
    }
    if (!linear)
      return {};
    // Without an outer bound the first result is unbounded.
    SmallVector<int64_t> results(split.getNumResults());
    int64_t rest = *linear;
    for (size_t i = results.size(); i-- > 0;) {
      size_t b = basis.size() - (results.size() - i);
      if (i == 0 && basis.size() < results.size()) {
        results[0] = rest;
        break;
      }
      results[i] = rest % basis[b];
      rest /= basis[b];
    }
    return results;
  }
  if (op->getNumResults() != 1 || !op->getResult(0).getType().isIntOrIndex())
    return {};
  SmallVector<Attribute> operands;
  for (Value operand : op->getOperands()) {
    std::optional<int64_t> v = get(operand);
    if (!v || !operand.getType().isIntOrIndex())
      return {};
    operands.push_back(IntegerAttr::get(operand.getType(), *v));
  }
  SmallVector<OpFoldResult> folded;
  if (failed(op->fold(operands, folded)) || folded.size() != 1)
    return {};
  if (auto attr = dyn_cast_if_present<Attribute>(folded.front())) {
    if (auto integer = dyn_cast<IntegerAttr>(attr))
      return {integer.getValue().getSExtValue()};
    return {};
  }
  if (std::optional<int64_t> v = get(cast<Value>(folded.front())))
    return {*v};
  return {};
}

void evaluateIndex(Operation *op, IndexValues &known) {
  SmallVector<int64_t> results = evaluateResults(op, known);
  if (results.size() != op->getNumResults())
    return;
  for (auto [result, value] : llvm::zip(op->getResults(), results))
    known[result] = value;
}

const MacCost &OpTiming::mac(Type type) const {
  Type elem = elementType(type);
  if (elem.isF16() || elem.isBF16())
    return board.f16Mac;
  if (elem.isInteger(8))
    return board.int8Mac;
  return board.f32Mac;
}

int64_t OpTiming::latency(Operation *op) const {
  if (isLoad(op) && globalBytes(op))
    return kGlobalLoadLatency;
  if (isa<arith::MulFOp, arith::AddFOp, arith::SubFOp, math::FmaOp,
          arith::DivFOp>(op) ||
      isa<math::MathDialect>(op->getDialect()))
    return mac(op->getResult(0).getType()).latency;
  return op->getNumResults() ? 1 : 0;
}

} // namespace hcc::fpga
