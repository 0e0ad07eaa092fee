//===- Timing.cpp - what an FPGA pipeline charges per operation -----------===//

#include "Timing.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/EmitC/IR/EmitC.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
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

std::optional<int64_t> evaluateIndex(Operation *op, const IndexValues &known) {
  if (auto call = dyn_cast<emitc::CallOpaqueOp>(op)) {
    StringRef callee = call.getCallee();
    if (callee == "get_global_id" || callee == "get_local_id" ||
        callee == "get_group_id")
      return 0;
    if (callee == "get_global_size" || callee == "get_local_size" ||
        callee == "get_num_groups")
      return 1;
    return std::nullopt;
  }
  if (op->getNumResults() != 1 || !op->getResult(0).getType().isIntOrIndex())
    return std::nullopt;
  SmallVector<Attribute> operands;
  for (Value operand : op->getOperands()) {
    auto it = known.find(operand);
    if (it == known.end() || !operand.getType().isIntOrIndex())
      return std::nullopt;
    operands.push_back(IntegerAttr::get(operand.getType(), it->second));
  }
  SmallVector<OpFoldResult> folded;
  if (failed(op->fold(operands, folded)) || folded.size() != 1)
    return std::nullopt;
  if (auto attr = dyn_cast_if_present<Attribute>(folded.front())) {
    if (auto integer = dyn_cast<IntegerAttr>(attr))
      return integer.getValue().getSExtValue();
    return std::nullopt;
  }
  auto it = known.find(cast<Value>(folded.front()));
  if (it == known.end())
    return std::nullopt;
  return it->second;
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
