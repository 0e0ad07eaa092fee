//===- AsyncCopies.cpp - tile staging as cp.async copies ------------------===//
//
// hcc-cuda-async-copies: the double-buffered k loops of the GPU tile
// emitters (emitStagedKLoop) stage tiles with synchronous loads and
// stores, which is what OpenCL runs. On sm_80+ each staged element that
// is copied unchanged becomes a cp.async (nvgpu.device_async_copy), so the
// copies of step i + 1 are in flight while step i multiplies.
//
//===----------------------------------------------------------------------===//

#include "../OpenCL/OpenCLUtils.h"
#include "hcc/Target/CUDA/CUDATarget.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace hcc {
#define GEN_PASS_DEF_CUDAASYNCCOPIES
#include "hcc/Target/CUDA/Passes.h.inc"
} // namespace hcc

using namespace mlir;

namespace {

/// A staged store: `memref.store` of an element or `vector.store` of a
/// group of elements (emitTileStaging), whose value is the guarded load
/// `scf.if %ok { index math; load } else { zero }` of the tile's type.
struct StagedCopy {
  Operation *store;
  Value tile;
  ValueRange tileIndices;
  scf::IfOp guard;
  Operation *load;
  Value source;
  ValueRange sourceIndices;
  /// Elements copied.
  int64_t elements = 1;
};

std::optional<StagedCopy> matchStagedCopy(Operation *op) {
  StagedCopy c;
  c.store = op;
  Value value;
  if (auto store = dyn_cast<memref::StoreOp>(op)) {
    value = store.getValue();
    c.tile = store.getMemRef();
    c.tileIndices = store.getIndices();
  } else if (auto store = dyn_cast<vector::StoreOp>(op)) {
    value = store.getValueToStore();
    c.tile = store.getBase();
    c.tileIndices = store.getIndices();
    c.elements = store.getVectorType().getNumElements();
  } else {
    return std::nullopt;
  }
  c.guard = value.getDefiningOp<scf::IfOp>();
  if (!c.guard || c.guard.getNumResults() != 1 || !c.guard.elseBlock() ||
      !value.hasOneUse())
    return std::nullopt;
  auto yield = cast<scf::YieldOp>(c.guard.thenBlock()->getTerminator());
  c.load = yield.getOperand(0).getDefiningOp();
  if (!c.load || c.load->getBlock() != c.guard.thenBlock())
    return std::nullopt;
  if (auto load = dyn_cast<memref::LoadOp>(c.load)) {
    c.source = load.getMemRef();
    c.sourceIndices = load.getIndices();
  } else if (auto load = dyn_cast<vector::LoadOp>(c.load)) {
    c.source = load.getBase();
    c.sourceIndices = load.getIndices();
  } else {
    return std::nullopt;
  }
  // Everything else in the then block computes indices.
  for (Operation &other : c.guard.thenBlock()->without_terminator())
    if (&other != c.load && (!isPure(&other) || other.getNumRegions() != 0))
      return std::nullopt;
  Value zero = c.guard.elseBlock()->getTerminator()->getOperand(0);
  if (!matchPattern(zero, m_AnyZeroFloat()) && !matchPattern(zero, m_Zero()))
    return std::nullopt;
  auto tile = cast<MemRefType>(c.tile.getType());
  auto source = cast<MemRefType>(c.source.getType());
  // cp.async copies 4, 8 or 16 bytes.
  int64_t bytes = c.elements * tile.getElementTypeBitWidth() / 8;
  if (source.getElementType() != tile.getElementType() ||
      !llvm::is_contained({4, 8, 16}, bytes) ||
      !isa_and_nonnull<gpu::AddressSpaceAttr>(tile.getMemorySpace()) ||
      source.getMemorySpace())
    return std::nullopt;
  return c;
}

/// Replaces the staged store by a cp.async, zero-filled and reading index
/// 0 where the guard is false.
void toAsyncCopy(StagedCopy c) {
  OpBuilder b(c.guard);
  Location loc = c.store->getLoc();
  IRMapping map;
  for (Operation &op : c.guard.thenBlock()->without_terminator())
    if (&op != c.load)
      b.clone(op, map);
  Value ok = c.guard.getCondition();
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value all = arith::ConstantIndexOp::create(b, loc, c.elements);
  SmallVector<Value> src;
  for (Value index : c.sourceIndices)
    src.push_back(
        arith::SelectOp::create(b, loc, ok, map.lookupOrDefault(index), zero));
  Value srcElements = arith::SelectOp::create(b, loc, ok, all, zero);
  b.setInsertionPoint(c.store);
  // 16-byte copies may bypass L1 (cp.async.cg): staged tiles are read once.
  nvgpu::DeviceAsyncCopyOp::create(
      b, loc, nvgpu::DeviceAsyncTokenType::get(b.getContext()), c.tile,
      c.tileIndices, c.source, src, b.getIndexAttr(c.elements), srcElements,
      c.elements *
                  cast<MemRefType>(c.tile.getType()).getElementTypeBitWidth() ==
              128
          ? b.getUnitAttr()
          : nullptr);
  c.store->erase();
  c.guard.erase();
}

struct AsyncCopiesPass : hcc::impl::CUDAAsyncCopiesBase<AsyncCopiesPass> {
  void runOnOperation() override {
    getOperation().walk([](gpu::GPUFuncOp func) { rewrite(func); });
  }

  static void rewrite(gpu::GPUFuncOp func) {
    SmallVector<Operation *> staged;
    func.walk([&](Operation *op) {
      if (op->hasAttr(hcc::opencl::kGPUStagedAttr))
        staged.push_back(op);
    });
    bool converted = false;
    for (Operation *store : staged) {
      store->removeAttr(hcc::opencl::kGPUStagedAttr);
      if (std::optional<StagedCopy> c = matchStagedCopy(store)) {
        toAsyncCopy(*c);
        converted = true;
      }
    }
    SmallVector<gpu::BarrierOp> ready;
    func.walk([&](gpu::BarrierOp barrier) {
      if (barrier->removeAttr(hcc::opencl::kGPUStageReadyAttr))
        ready.push_back(barrier);
    });
    if (!converted)
      return;
    auto tokenType = nvgpu::DeviceAsyncTokenType::get(func.getContext());
    for (gpu::BarrierOp barrier : ready) {
      Location loc = barrier.getLoc();
      OpBuilder b(barrier);
      auto loop = dyn_cast<scf::ForOp>(barrier->getParentOp());
      if (!loop) {
        // A k loop of one step folds away: all its copies were issued
        // before the barrier.
        Value group = nvgpu::DeviceAsyncCreateGroupOp::create(b, loc, tokenType,
                                                              ValueRange{});
        nvgpu::DeviceAsyncWaitOp::create(b, loc, group, b.getI32IntegerAttr(0));
        continue;
      }
      // The copies issued before the loop (step 0) form the first group,
      // those issued in step i (step i + 1) the next; at step i's barrier
      // only the group just issued may still be in flight.
      Value group = nvgpu::DeviceAsyncCreateGroupOp::create(b, loc, tokenType,
                                                            ValueRange{});
      nvgpu::DeviceAsyncWaitOp::create(b, loc, group, b.getI32IntegerAttr(1));
      b.setInsertionPoint(loop);
      nvgpu::DeviceAsyncCreateGroupOp::create(b, loc, tokenType, ValueRange{});
    }
  }
};

} // namespace
