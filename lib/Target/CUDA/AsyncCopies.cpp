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
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace hcc {
#define GEN_PASS_DEF_CUDAASYNCCOPIES
#include "hcc/Target/CUDA/Passes.h.inc"
} // namespace hcc

using namespace mlir;

namespace {

/// The guarded load a staged store writes: `scf.if %ok { index math;
/// memref.load } else { zero }` with the load's element type the tile's.
struct GuardedLoad {
  scf::IfOp guard;
  memref::LoadOp load;
};

std::optional<GuardedLoad> matchGuardedLoad(memref::StoreOp store) {
  auto guard = store.getValue().getDefiningOp<scf::IfOp>();
  if (!guard || guard.getNumResults() != 1 || guard.elseBlock() == nullptr ||
      !store.getValue().hasOneUse())
    return std::nullopt;
  auto yield = cast<scf::YieldOp>(guard.thenBlock()->getTerminator());
  auto load = yield.getOperand(0).getDefiningOp<memref::LoadOp>();
  if (!load || load->getBlock() != guard.thenBlock())
    return std::nullopt;
  // Everything else in the then block computes indices.
  for (Operation &op : guard.thenBlock()->without_terminator())
    if (&op != load && (!isPure(&op) || op.getNumRegions() != 0))
      return std::nullopt;
  Value other = guard.elseBlock()->getTerminator()->getOperand(0);
  if (!matchPattern(other, m_AnyZeroFloat()) && !matchPattern(other, m_Zero()))
    return std::nullopt;
  auto tile = cast<MemRefType>(store.getMemRef().getType());
  auto source = cast<MemRefType>(load.getMemRef().getType());
  unsigned bits = tile.getElementTypeBitWidth();
  if (source.getElementType() != tile.getElementType() ||
      (bits != 32 && bits != 64) ||
      !isa_and_nonnull<gpu::AddressSpaceAttr>(tile.getMemorySpace()) ||
      source.getMemorySpace())
    return std::nullopt;
  return GuardedLoad{guard, load};
}

/// Replaces the staged store by a one-element cp.async, zero-filled and
/// reading index 0 where the guard is false.
void toAsyncCopy(memref::StoreOp store, GuardedLoad g) {
  OpBuilder b(g.guard);
  Location loc = store.getLoc();
  IRMapping map;
  for (Operation &op : g.guard.thenBlock()->without_terminator())
    if (&op != g.load)
      b.clone(op, map);
  Value ok = g.guard.getCondition();
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  SmallVector<Value> src;
  for (Value index : g.load.getIndices())
    src.push_back(
        arith::SelectOp::create(b, loc, ok, map.lookupOrDefault(index), zero));
  Value srcElements = arith::SelectOp::create(b, loc, ok, one, zero);
  b.setInsertionPoint(store);
  nvgpu::DeviceAsyncCopyOp::create(
      b, loc, nvgpu::DeviceAsyncTokenType::get(b.getContext()),
      store.getMemRef(), store.getIndices(), g.load.getMemRef(), src,
      b.getIndexAttr(1), srcElements, /*bypassL1=*/nullptr);
  store.erase();
  g.guard.erase();
}

struct AsyncCopiesPass : hcc::impl::CUDAAsyncCopiesBase<AsyncCopiesPass> {
  void runOnOperation() override {
    getOperation().walk([](gpu::GPUFuncOp func) { rewrite(func); });
  }

  static void rewrite(gpu::GPUFuncOp func) {
    SmallVector<memref::StoreOp> staged;
    func.walk([&](memref::StoreOp store) {
      if (store->hasAttr(hcc::opencl::kGPUStagedAttr))
        staged.push_back(store);
    });
    bool converted = false;
    for (memref::StoreOp store : staged) {
      store->removeAttr(hcc::opencl::kGPUStagedAttr);
      if (std::optional<GuardedLoad> g = matchGuardedLoad(store)) {
        toAsyncCopy(store, *g);
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
      auto loop = barrier->getParentOfType<scf::ForOp>();
      assert(loop && "a stage-ready barrier sits in its k loop");
      // The copies issued before the loop (step 0) form the first group,
      // those issued in step i (step i + 1) the next; at step i's barrier
      // only the group just issued may still be in flight.
      OpBuilder b(loop);
      nvgpu::DeviceAsyncCreateGroupOp::create(b, barrier.getLoc(), tokenType,
                                              ValueRange{});
      b.setInsertionPoint(barrier);
      Value group = nvgpu::DeviceAsyncCreateGroupOp::create(
          b, barrier.getLoc(), tokenType, ValueRange{});
      nvgpu::DeviceAsyncWaitOp::create(b, barrier.getLoc(), group,
                                       b.getI32IntegerAttr(1));
    }
  }
};

} // namespace
