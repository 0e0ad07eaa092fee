//===- MmaContractions.cpp - f32 contractions on tensor cores -------------===//
//
// The tensor-core form of a GPU contraction: like the generic GPU tile
// (lib/Target/OpenCL/GPUContraction.cpp) a block owns a 64 x 64 output
// tile and stages 16-deep slices of A and B in workgroup memory, but its
// four warps multiply them with warp-wide nvgpu.mma.sync instructions. Each
// thread's fragment elements sit where upstream's
// nvgpu::getLaneIdAndValueIdToOperandCoord (the PTX fragment layouts) puts
// them; accumulators stay f32.
//
//===----------------------------------------------------------------------===//

#include "../OpenCL/LinalgLoops.h"
#include "../OpenCL/OpenCLUtils.h"
#include "hcc/Target/CUDA/CUDATarget.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/NVGPU/Utils/MMAUtils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace hcc {
#define GEN_PASS_DEF_CUDAMMACONTRACTIONS
#include "hcc/Target/CUDA/Passes.h.inc"
} // namespace hcc

using namespace mlir;
using hcc::opencl::applyMap;
using hcc::opencl::cst;

namespace {

constexpr int64_t kBlockM = 64, kBlockN = 64, kBlockK = 16;
constexpr int64_t kWarps = 4, kWarpM = 32, kWarpN = 32;
constexpr int64_t kMmaM = 16, kMmaN = 8;
constexpr int64_t kTilesM = kWarpM / kMmaM, kTilesN = kWarpN / kMmaN;
constexpr int64_t kMaxGlobalThreads = int64_t(1) << 30;

/// A contraction on f32 buffers whose payload is exactly out + a * b.
bool isF32MulAdd(linalg::LinalgOp op) {
  for (OpOperand &operand : op->getOpOperands()) {
    auto type = dyn_cast<MemRefType>(operand.get().getType());
    if (!type || !type.getElementType().isF32())
      return false;
  }
  Block *body = op.getBlock();
  if (body->getOperations().size() != 3)
    return false;
  auto mul = dyn_cast<arith::MulFOp>(&body->front());
  auto add = dyn_cast<arith::AddFOp>(mul ? mul->getNextNode() : nullptr);
  if (!mul || !add || body->getTerminator()->getOperand(0) != add)
    return false;
  Value out = body->getArgument(2);
  return (add.getLhs() == out && add.getRhs() == mul) ||
         (add.getRhs() == out && add.getLhs() == mul);
}

/// acc + a * b on bf16 fragments as nvvm.mma.sync (nvgpu's lowering knows
/// no bf16): each register packs two bf16 (an i32), the f32 accumulator
/// values go in and come out in fragment order, as nvgpu's f16 form has
/// them.
Value mmaBf16(OpBuilder &b, Location loc, Value a, Value bv, Value acc) {
  MLIRContext *ctx = b.getContext();
  Type i32 = b.getI32Type(), f32 = b.getF32Type();
  auto registers = [&](Value frag) {
    SmallVector<Value> regs;
    auto type = cast<VectorType>(frag.getType());
    for (int64_t r = 0; r < type.getDimSize(0); ++r) {
      Value pair =
          vector::ExtractOp::create(b, loc, frag, ArrayRef<int64_t>{r});
      Value word =
          vector::BitCastOp::create(b, loc, VectorType::get({1}, i32), pair);
      regs.push_back(
          vector::ExtractOp::create(b, loc, word, ArrayRef<int64_t>{0}));
    }
    return regs;
  };
  SmallVector<Value> c;
  for (int64_t v = 0; v < 4; ++v)
    c.push_back(vector::ExtractOp::create(b, loc, acc,
                                          ArrayRef<int64_t>{v / 2, v % 2}));
  auto resultType = LLVM::LLVMStructType::getLiteral(ctx, {f32, f32, f32, f32});
  Value d = NVVM::MmaOp::create(
      b, loc, resultType, registers(a), registers(bv), c, {16, 8, 16},
      std::nullopt, std::nullopt,
      std::array<NVVM::MMATypes, 2>{NVVM::MMATypes::bf16, NVVM::MMATypes::bf16},
      std::array<NVVM::MMALayout, 2>{NVVM::MMALayout::row,
                                     NVVM::MMALayout::col});
  Value result = acc;
  for (int64_t v = 0; v < 4; ++v)
    result = vector::InsertOp::create(
        b, loc, LLVM::ExtractValueOp::create(b, loc, d, v), result,
        ArrayRef<int64_t>{v / 2, v % 2});
  return result;
}

struct MmaContractionsPass
    : hcc::impl::CUDAMmaContractionsBase<MmaContractionsPass> {
  using Base::Base;

  void runOnOperation() override {
    if (precision != "tf32" && precision != "fp16" && precision != "bf16") {
      getOperation().emitError()
          << "CUDA target: tensor-core precision '" << precision
          << "' is not one of tf32, fp16, bf16";
      return signalPassFailure();
    }
    SmallVector<linalg::LinalgOp> ops;
    getOperation().walk([&](linalg::LinalgOp op) { ops.push_back(op); });
    DenseSet<Operation *> erased;
    for (linalg::LinalgOp op : ops) {
      if (erased.contains(op))
        continue;
      std::optional<hcc::opencl::GPUContractionDims> dims =
          hcc::opencl::matchGPUContraction(op);
      if (!dims || !isF32MulAdd(op) || !isa<func::FuncOp>(op->getParentOp()))
        continue;
      // A fill or bias broadcast before is computed into the accumulators,
      // an elementwise consumer applied to the results.
      linalg::LinalgOp init =
          hcc::opencl::findGPUInitializer(op, op.getDpsInitsMutable()[0]);
      if (init && !isa<func::FuncOp>(init->getParentOp()))
        init = nullptr;
      std::optional<hcc::opencl::GPUEpilogue> epilogue =
          hcc::opencl::findGPUEpilogue(op, init);
      OpBuilder b(epilogue ? epilogue->op : op);
      if (emit(b, op, *dims, init, epilogue ? &*epilogue : nullptr)) {
        op->erase();
        for (linalg::LinalgOp done :
             {init, epilogue ? epilogue->op : linalg::LinalgOp()})
          if (done && erased.insert(done).second)
            done->erase();
      }
    }
  }

  bool emit(OpBuilder &outer, linalg::LinalgOp op,
            const hcc::opencl::GPUContractionDims &dims, linalg::LinalgOp init,
            const hcc::opencl::GPUEpilogue *epilogue);
};

bool MmaContractionsPass::emit(OpBuilder &outer, linalg::LinalgOp op,
                               const hcc::opencl::GPUContractionDims &dims,
                               linalg::LinalgOp init,
                               const hcc::opencl::GPUEpilogue *epilogue) {
  MLIRContext *ctx = op->getContext();
  Location loc = op.getLoc();
  bool tf32 = precision == "tf32";
  int64_t mmaK = tf32 ? 8 : 16;
  Type f32 = Float32Type::get(ctx);
  Type operandType = tf32                  ? f32
                     : precision == "bf16" ? Type(BFloat16Type::get(ctx))
                                           : Type(Float16Type::get(ctx));
  // Fragment layouts depend on the element width only: bf16's are f16's
  // (upstream's layout helper knows f16).
  Type layoutType = tf32 ? f32 : Float16Type::get(ctx);

  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  int64_t m = ranges[dims.m], n = ranges[dims.n], k = ranges[dims.k];
  int64_t tilesM = llvm::divideCeil(m, kBlockM);
  int64_t tilesN = llvm::divideCeil(n, kBlockN);
  int64_t batches = 1;
  for (unsigned d : dims.batch)
    batches *= ranges[d];
  int64_t threads = kWarps * 32;
  int64_t grid = batches * tilesM * tilesN;
  if (grid * threads >= kMaxGlobalThreads)
    return false;

  OpOperand *aOperand = op.getDpsInputOperand(dims.a);
  OpOperand *bOperand = op.getDpsInputOperand(1 - dims.a);

  OpBuilder b = hcc::opencl::createLaunchRegion(outer, loc, grid, threads);
  hcc::opencl::IndexMath im{b, loc};
  // (row, col) of fragment value `v` of this lane for `role` on `type`.
  auto coord = [&](OpBuilder &ib, nvgpu::MatMulOperandRole role,
                   VectorType type, Value lane,
                   int64_t v) -> std::pair<Value, Value> {
    FailureOr<AffineMap> map = nvgpu::getLaneIdAndValueIdToOperandCoord(
        ib, loc, nvgpu::WarpMatrixInfo{type, role});
    assert(succeeded(map) && "fragment layout of a supported mma shape");
    SmallVector<Value> at = applyMap(ib, loc, *map, {lane, cst(ib, loc, v)});
    return {at[0], at[1]};
  };

  Value bid = gpu::BlockIdOp::create(b, loc, gpu::Dimension::x);
  Value tid = gpu::ThreadIdOp::create(b, loc, gpu::Dimension::x);
  hcc::opencl::BlockTile owned =
      hcc::opencl::blockTile(b, loc, bid, dims, ranges, tilesM, tilesN);
  SmallVector<Value> point = owned.point;
  Value tileM = owned.tileM, tileN = owned.tileN;
  Value m0 = im.mulC(tileM, kBlockM);
  Value n0 = im.mulC(tileN, kBlockN);
  Value lane = im.remS(tid, 32), warp = im.divS(tid, 32);
  Value warpM = im.mulC(im.divS(warp, 2), kWarpM);
  Value warpN = im.mulC(im.remS(warp, 2), kWarpN);

  // Accumulators: kTilesM x kTilesN fragments vector<2x2xf32>, read from C.
  auto cType = VectorType::get({2, 2}, f32);
  auto cTile = VectorType::get({kMmaM, kMmaN}, f32);
  auto outAt = [&](int64_t i, int64_t j, int64_t v, Value &inBounds) {
    auto [r, col] = coord(b, nvgpu::MatMulOperandRole::C, cTile, lane, v);
    Value row = im.add(im.add(m0, warpM), im.addC(r, i * kMmaM));
    Value cl = im.add(im.add(n0, warpN), im.addC(col, j * kMmaN));
    inBounds = im.both(im.lessThan(row, m), im.lessThan(cl, n));
    SmallVector<Value> at = point;
    at[dims.m] = row;
    at[dims.n] = cl;
    return at;
  };
  SmallVector<Value> accInit;
  for (int64_t i = 0; i < kTilesM; ++i)
    for (int64_t j = 0; j < kTilesN; ++j) {
      Value acc = arith::ConstantOp::create(
          b, loc, DenseElementsAttr::get(cType, b.getF32FloatAttr(0)));
      for (int64_t v = 0; v < 4; ++v) {
        Value ok;
        SmallVector<Value> at = outAt(i, j, v, ok);
        Value first =
            hcc::opencl::initialAccumulator(b, loc, op, init, f32, at, ok);
        acc = vector::InsertOp::create(b, loc, first, acc,
                                       ArrayRef<int64_t>{v / 2, v % 2});
      }
      accInit.push_back(acc);
    }

  auto workgroup =
      gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup);
  // A as [buf][m][k], B as [buf][n][k]: the (row, col) order of the
  // fragments, double buffered.
  Value aTile = memref::AllocaOp::create(
      b, loc,
      MemRefType::get({2, kBlockM, kBlockK}, operandType, AffineMap(),
                      workgroup));
  Value bTile = memref::AllocaOp::create(
      b, loc,
      MemRefType::get({2, kBlockN, kBlockK}, operandType, AffineMap(),
                      workgroup));

  // Zero-padded staging (zeros add nothing to a multiply-add), in the
  // operand precision.
  auto stageTiles = [&](OpBuilder &sb, Value k0, Value buffer) {
    std::function<Value(OpBuilder &, Value)> round;
    if (!tf32)
      round = [&](OpBuilder &rb, Value v) -> Value {
        return arith::TruncFOp::create(rb, loc, operandType, v);
      };
    // A is usually contiguous along k, B along n.
    hcc::opencl::TileStaging a{aOperand, aTile, /*kInner=*/true,   dims.m, m0,
                               kBlockM,  m,     /*kFastest=*/true, round};
    hcc::opencl::TileStaging bs{bOperand, bTile, /*kInner=*/true,    dims.n, n0,
                                kBlockN,  n,     /*kFastest=*/false, round};
    for (const hcc::opencl::TileStaging &s : {a, bs})
      hcc::opencl::emitTileStaging(sb, loc, op, point, dims.k, k0, kBlockK, k,
                                   buffer, tid, threads, s);
  };

  int64_t perRegister = tf32 ? 1 : 2;
  auto aType = VectorType::get({4, perRegister}, operandType);
  auto bType = VectorType::get({2, perRegister}, operandType);
  auto aTileType = VectorType::get({kMmaM, mmaK}, layoutType);
  auto bTileType = VectorType::get({kMmaN, mmaK}, layoutType);
  auto multiply = [&](OpBuilder &cb, Value, Value buffer,
                      ValueRange current) -> SmallVector<Value> {
    hcc::opencl::IndexMath cm{cb, loc};
    SmallVector<Value> accs(current);
    for (int64_t kk = 0; kk < kBlockK; kk += mmaK) {
      auto fragment = [&](nvgpu::MatMulOperandRole role, VectorType type,
                          VectorType tileType, Value tile, Value rowBase) {
        Value frag = arith::ConstantOp::create(
            cb, loc, DenseElementsAttr::get(type, cb.getZeroAttr(operandType)));
        for (int64_t v = 0; v < type.getNumElements(); ++v) {
          auto [r, col] = coord(cb, role, tileType, lane, v);
          Value x = memref::LoadOp::create(
              cb, loc, tile,
              ValueRange{buffer, cm.add(rowBase, r), cm.addC(col, kk)});
          frag = vector::InsertOp::create(
              cb, loc, x, frag,
              ArrayRef<int64_t>{v / perRegister, v % perRegister});
        }
        return frag;
      };
      SmallVector<Value> aFrags, bFrags;
      for (int64_t i = 0; i < kTilesM; ++i)
        aFrags.push_back(fragment(nvgpu::MatMulOperandRole::A, aType, aTileType,
                                  aTile, cm.addC(warpM, i * kMmaM)));
      for (int64_t j = 0; j < kTilesN; ++j)
        bFrags.push_back(fragment(nvgpu::MatMulOperandRole::B, bType, bTileType,
                                  bTile, cm.addC(warpN, j * kMmaN)));
      for (int64_t i = 0; i < kTilesM; ++i)
        for (int64_t j = 0; j < kTilesN; ++j)
          accs[i * kTilesN + j] =
              operandType.isBF16()
                  ? mmaBf16(cb, loc, aFrags[i], bFrags[j],
                            accs[i * kTilesN + j])
                  : nvgpu::MmaSyncOp::create(
                        cb, loc, aFrags[i], bFrags[j], accs[i * kTilesN + j],
                        ArrayRef<int64_t>{kMmaM, kMmaN, mmaK}, tf32)
                        .getResult();
    }
    return accs;
  };
  SmallVector<Value> results = hcc::opencl::emitStagedKLoop(
      b, loc, k, kBlockK, accInit, stageTiles, multiply);

  for (int64_t i = 0; i < kTilesM; ++i)
    for (int64_t j = 0; j < kTilesN; ++j)
      for (int64_t v = 0; v < 4; ++v) {
        Value ok;
        SmallVector<Value> at = outAt(i, j, v, ok);
        Value x = vector::ExtractOp::create(b, loc, results[i * kTilesN + j],
                                            ArrayRef<int64_t>{v / 2, v % 2});
        auto ifOp = scf::IfOp::create(b, loc, ok);
        OpBuilder tb = ifOp.getThenBodyBuilder();
        hcc::opencl::storeGPUResult(tb, loc, op, epilogue, x, at);
      }
  scf::YieldOp::create(b, loc);
  return true;
}

} // namespace
