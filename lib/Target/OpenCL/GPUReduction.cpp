//===- GPUReduction.cpp - large reductions as work-group reductions -------===//
//
// The GPU shape of a reduction whose payload ends in an associative
// combiner (out = combine(out, x): sums, products, max/min, bitwise
// and/or/xor): one block per output (striding the grid past 65535
// outputs), its threads each fold a strided share of the reduced elements
// from the combiner's identity, then a tree over a workgroup array halves
// the partials between gpu.barriers; thread 0 folds the result into the
// output. One thread per output would leave a full reduction (a global
// sum, say) to a single thread.
//
//===----------------------------------------------------------------------===//

#include "LinalgLoops.h"
#include "OpenCLUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;

namespace hcc::opencl {

namespace {

/// Reductions shorter than this stay one thread per output.
constexpr int64_t kMinReduction = 64;
constexpr int64_t kMaxBlock = 256;
constexpr int64_t kMaxGrid = 65535;
/// Threads of a warp (sub-group) the shuffles fold over.
constexpr int64_t kWarp = 32;

/// The AtomicRMWKind of a combiner op, if it is one.
std::optional<arith::AtomicRMWKind> combinerKind(Operation *op) {
  using K = arith::AtomicRMWKind;
  return llvm::TypeSwitch<Operation *, std::optional<K>>(op)
      .Case([](arith::AddFOp) { return K::addf; })
      .Case([](arith::MulFOp) { return K::mulf; })
      .Case([](arith::MaximumFOp) { return K::maximumf; })
      .Case([](arith::MinimumFOp) { return K::minimumf; })
      .Case([](arith::MaxNumFOp) { return K::maxnumf; })
      .Case([](arith::MinNumFOp) { return K::minnumf; })
      .Case([](arith::AddIOp) { return K::addi; })
      .Case([](arith::MulIOp) { return K::muli; })
      .Case([](arith::MaxSIOp) { return K::maxs; })
      .Case([](arith::MinSIOp) { return K::mins; })
      .Case([](arith::MaxUIOp) { return K::maxu; })
      .Case([](arith::MinUIOp) { return K::minu; })
      .Case([](arith::AndIOp) { return K::andi; })
      .Case([](arith::OrIOp) { return K::ori; })
      .Case([](arith::XOrIOp) { return K::xori; })
      .Default([](Operation *) { return std::nullopt; });
}

struct Reduction {
  SmallVector<unsigned> parallel, reduced;
  Operation *combiner = nullptr;
  arith::AtomicRMWKind kind;
  /// Operand index of the combiner that is not the output.
  unsigned other = 0;
};

std::optional<Reduction> matchReduction(linalg::LinalgOp op) {
  if (op.getNumDpsInits() != 1 || !op.hasPureBufferSemantics())
    return std::nullopt;
  Reduction r;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  int64_t reducedSize = 1;
  for (auto [d, type] : llvm::enumerate(op.getIteratorTypesArray())) {
    if (type == utils::IteratorType::reduction) {
      r.reduced.push_back(d);
      reducedSize *= ranges[d];
    } else {
      r.parallel.push_back(d);
    }
  }
  if (r.reduced.empty() || reducedSize < kMinReduction)
    return std::nullopt;
  // The output is indexed by exactly the parallel dimensions.
  AffineMap out = op.getMatchingIndexingMap(&op.getDpsInitsMutable()[0]);
  if (!out.isProjectedPermutation() || out.getNumResults() != r.parallel.size())
    return std::nullopt;
  for (unsigned d : r.reduced)
    if (out.isFunctionOfDim(d))
      return std::nullopt;
  Block *body = op.getBlock();
  BlockArgument outArg = body->getArguments().back();
  Value yielded = body->getTerminator()->getOperand(0);
  Operation *combiner = yielded.getDefiningOp();
  if (!combiner || combiner->getBlock() != body ||
      combiner->getNumOperands() != 2 || !outArg.hasOneUse() ||
      outArg.getUses().begin()->getOwner() != combiner ||
      combiner->getOperand(0) == combiner->getOperand(1))
    return std::nullopt;
  std::optional<arith::AtomicRMWKind> kind = combinerKind(combiner);
  if (!kind)
    return std::nullopt;
  r.combiner = combiner;
  r.kind = *kind;
  r.other = combiner->getOperand(0) == outArg ? 1 : 0;
  return r;
}

using Combine = function_ref<Value(Value, Value)>;

/// `value` of lane `tid ^ offset` (tid: the thread id in the block) for
/// every thread: gpu.shuffle, or through `exchange` (a workgroup array of
/// one value per thread) between barriers where the device has no
/// sub-group shuffles. Every thread of the block must call it.
Value shuffleXor(OpBuilder &b, Location loc, Value value, int64_t offset,
                 Value tid, Value exchange, GPUReductionMode mode) {
  if (mode == GPUReductionMode::Shuffles) {
    Value width = arith::ConstantIntOp::create(b, loc, kWarp, 32);
    Value offset32 = arith::ConstantIntOp::create(b, loc, offset, 32);
    return gpu::ShuffleOp::create(b, loc, value, offset32, width,
                                  gpu::ShuffleMode::XOR)
        .getShuffleResult();
  }
  memref::StoreOp::create(b, loc, value, exchange, tid);
  gpu::BarrierOp::create(b, loc);
  // tid ^ offset for a power-of-two offset: tid + offset - 2 * offset *
  // bit, bit being tid's bit `offset`.
  IndexMath im{b, loc};
  Value bit = im.remS(im.divS(tid, offset), 2);
  Value partner = arith::SubIOp::create(b, loc, im.addC(tid, offset),
                                        im.mulC(bit, 2 * offset));
  Value result = memref::LoadOp::create(b, loc, exchange, partner);
  gpu::BarrierOp::create(b, loc);
  return result;
}

/// The fold of every thread's `value` over a block of `block` threads (a
/// power of two, at least 64), valid in thread 0: halving a workgroup
/// array between barriers.
Value treeReduce(OpBuilder &b, Location loc, Value value, Value tid,
                 int64_t block, Value partials, Combine combine) {
  IndexMath im{b, loc};
  memref::StoreOp::create(b, loc, value, partials, tid);
  gpu::BarrierOp::create(b, loc);
  for (int64_t half = block / 2; half > 0; half /= 2) {
    auto ifOp = scf::IfOp::create(b, loc, im.lessThan(tid, half));
    {
      OpBuilder::InsertionGuard g(b);
      b.setInsertionPointToStart(ifOp.thenBlock());
      Value mine = memref::LoadOp::create(b, loc, partials, tid);
      Value theirs =
          memref::LoadOp::create(b, loc, partials, im.addC(tid, half));
      memref::StoreOp::create(b, loc, combine(mine, theirs), partials, tid);
    }
    gpu::BarrierOp::create(b, loc);
  }
  return memref::LoadOp::create(b, loc, partials, im.c(0));
}

/// The same fold as warp reductions: butterfly shuffles within each warp
/// of 32, lane 0 of each warp writes its total to `partials` (one per
/// warp), then every warp folds those totals with shuffles again (all
/// threads take part, so the shuffles stay uniform).
Value warpReduce(OpBuilder &b, Location loc, Value value, Value tid,
                 int64_t block, Value exchange, Value partials, Value identity,
                 Combine combine, GPUReductionMode mode) {
  IndexMath im{b, loc};
  auto butterfly = [&](Value v, int64_t lanes) {
    for (int64_t offset = lanes / 2; offset > 0; offset /= 2)
      v = combine(v, shuffleXor(b, loc, v, offset, tid, exchange, mode));
    return v;
  };
  Value warpTotal = butterfly(value, kWarp);
  Value lane = im.remS(tid, kWarp), warp = im.divS(tid, kWarp);
  Value leader =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, lane, im.c(0));
  auto write = scf::IfOp::create(b, loc, leader);
  {
    OpBuilder tb = write.getThenBodyBuilder();
    memref::StoreOp::create(tb, loc, warpTotal, partials, warp);
  }
  gpu::BarrierOp::create(b, loc);
  int64_t warps = block / kWarp;
  Value mine =
      scf::IfOp::create(b, loc, TypeRange{identity.getType()},
                        im.lessThan(lane, warps), /*withElseRegion=*/true)
          .getResult(0);
  {
    auto ifOp = cast<scf::IfOp>(mine.getDefiningOp());
    OpBuilder tb = ifOp.getThenBodyBuilder();
    scf::YieldOp::create(
        tb, loc, memref::LoadOp::create(tb, loc, partials, lane).getResult());
    OpBuilder eb = ifOp.getElseBodyBuilder();
    scf::YieldOp::create(eb, loc, identity);
  }
  return butterfly(mine, warps);
}

} // namespace

std::optional<GPUReductionMode> parseGPUReductionMode(StringRef name) {
  return llvm::StringSwitch<std::optional<GPUReductionMode>>(name)
      .Case("tree", GPUReductionMode::Tree)
      .Case("shuffle", GPUReductionMode::Shuffles)
      .Case("emulated-shuffle", GPUReductionMode::EmulatedShuffles)
      .Default(std::nullopt);
}

bool isGPUReduction(linalg::LinalgOp op) {
  return matchReduction(op).has_value();
}

bool emitGPUReduction(OpBuilder &outer, linalg::LinalgOp op,
                      GPUReductionMode mode, linalg::LinalgOp init,
                      const GPUEpilogue *epilogue) {
  std::optional<Reduction> r = matchReduction(op);
  if (!r)
    return false;
  MLIRContext *ctx = op->getContext();
  Location loc = op.getLoc();
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  int64_t outputs = 1, reduced = 1;
  for (unsigned d : r->parallel)
    outputs *= ranges[d];
  for (unsigned d : r->reduced)
    reduced *= ranges[d];
  int64_t block =
      std::min<int64_t>(kMaxBlock, int64_t(llvm::bit_floor(uint64_t(reduced))));
  int64_t grid = std::min(outputs, kMaxGrid);
  OpOperand &out = op.getDpsInitsMutable()[0];
  Type type = cast<MemRefType>(out.get().getType()).getElementType();

  OpBuilder b = createLaunchRegion(outer, loc, grid, block);
  auto c = [&](int64_t v) { return cst(b, loc, v); };
  // Iteration indices of `dims` at the linear index `linear`.
  auto delinearize = [&](Value linear, ArrayRef<unsigned> dims,
                         SmallVectorImpl<Value> &ivs) {
    for (unsigned d : llvm::reverse(dims)) {
      ivs[d] = arith::RemSIOp::create(b, loc, linear, c(ranges[d]));
      linear = arith::DivSIOp::create(b, loc, linear, c(ranges[d]));
    }
  };
  auto combine = [&](Value x, Value y) {
    IRMapping map;
    map.map(r->combiner->getOperand(0), x);
    map.map(r->combiner->getOperand(1), y);
    return b.clone(*r->combiner, map)->getResult(0);
  };

  Value bid = gpu::BlockIdOp::create(b, loc, gpu::Dimension::x);
  Value tid = gpu::ThreadIdOp::create(b, loc, gpu::Dimension::x);
  auto workgroup =
      gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup);
  // Warp shuffles take 32-bit values (NVVM's shfl.sync); the others fold
  // through the tree.
  bool warpShuffles =
      mode != GPUReductionMode::Tree && type.getIntOrFloatBitWidth() == 32;
  Value partials = memref::AllocaOp::create(
      b, loc,
      MemRefType::get({warpShuffles ? block / kWarp : block}, type, AffineMap(),
                      workgroup));
  Value exchange;
  if (warpShuffles && mode == GPUReductionMode::EmulatedShuffles)
    exchange = memref::AllocaOp::create(
        b, loc, MemRefType::get({block}, type, AffineMap(), workgroup));
  Value identity = arith::getIdentityValue(r->kind, type, b, loc);

  auto outLoop = scf::ForOp::create(b, loc, bid, c(outputs), c(grid));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(outLoop.getBody());
  SmallVector<Value> ivs(op.getNumLoops());
  delinearize(outLoop.getInductionVar(), r->parallel, ivs);

  // This thread's share: elements tid, tid + block, ...
  auto share = scf::ForOp::create(b, loc, tid, c(reduced), c(block),
                                  ValueRange{identity});
  {
    OpBuilder::InsertionGuard g(b);
    b.setInsertionPointToStart(share.getBody());
    SmallVector<Value> at = ivs;
    delinearize(share.getInductionVar(), r->reduced, at);
    // The payload up to the combiner: its other operand is the element.
    IRMapping map;
    for (OpOperand *in : op.getDpsInputOperands()) {
      BlockArgument arg = op.getMatchingBlockArgument(in);
      if (arg.use_empty())
        continue;
      Value v = in->get();
      map.map(arg,
              isa<MemRefType>(v.getType())
                  ? memref::LoadOp::create(
                        b, loc, v,
                        applyMap(b, loc, op.getMatchingIndexingMap(in), at))
                        .getResult()
                  : v);
    }
    for (Operation &o : op.getBlock()->without_terminator()) {
      if (&o == r->combiner)
        break;
      if (auto index = dyn_cast<linalg::IndexOp>(o)) {
        map.map(index.getResult(), at[index.getDim()]);
        continue;
      }
      b.clone(o, map);
    }
    Value element = map.lookupOrDefault(r->combiner->getOperand(r->other));
    scf::YieldOp::create(b, loc,
                         combine(share.getRegionIterArgs()[0], element));
  }
  Value total = warpShuffles
                    ? warpReduce(b, loc, share.getResult(0), tid, block,
                                 exchange, partials, identity, combine, mode)
                    : treeReduce(b, loc, share.getResult(0), tid, block,
                                 partials, combine);
  Value first =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, tid, c(0));
  auto ifOp = scf::IfOp::create(b, loc, first);
  {
    OpBuilder::InsertionGuard g(b);
    b.setInsertionPointToStart(ifOp.thenBlock());
    Value current =
        init ? gpuInitializerValue(b, loc, op, out, init, ivs)
             : memref::LoadOp::create(
                   b, loc, out.get(),
                   applyMap(b, loc, op.getMatchingIndexingMap(&out), ivs))
                   .getResult();
    // out = combine(out, x), operands in the payload's order.
    Value result =
        r->other == 1 ? combine(current, total) : combine(total, current);
    storeGPUResult(b, loc, op, epilogue, result, ivs);
  }
  // The next output reuses the partials.
  gpu::BarrierOp::create(b, loc);
  b.setInsertionPointAfter(outLoop);
  scf::YieldOp::create(b, loc);
  return true;
}

} // namespace hcc::opencl
