//===- KLaneTail.cpp - narrow contraction tails with lanes along K --------===//
//
// Helpers of hcc-cpu-tile-and-vectorize for the few columns left over when a
// contraction's N is not a multiple of the vector width (49 = 32 + 16 + 1 on
// a 7x7 feature map). Vectorized along N like the rest, a one-column piece
// is scalar: one load of A per multiply, sixteen times the cost of a full
// column. Here the lanes run along K instead: B's narrow panel is
// transposed once into rows, every register tile keeps `rows x cols`
// vector accumulators of partial sums over K, and each is reduced to one
// scalar at the end of the tile.
//
//===----------------------------------------------------------------------===//

#include "Tiling.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;

namespace {
constexpr int64_t kMaxRows = 8;

/// `map` with its last two results swapped.
AffineMap swapLastTwo(AffineMap map) {
  SmallVector<AffineExpr> results(map.getResults());
  std::swap(results[results.size() - 1], results[results.size() - 2]);
  return AffineMap::get(map.getNumDims(), 0, results, map.getContext());
}

/// Whether `map`'s last two results are the loops `first` then `second`.
bool endsWith(AffineMap map, unsigned first, unsigned second) {
  unsigned n = map.getNumResults();
  MLIRContext *ctx = map.getContext();
  return n >= 2 && map.getResult(n - 2) == getAffineDimExpr(first, ctx) &&
         map.getResult(n - 1) == getAffineDimExpr(second, ctx);
}

/// `value` (static, every dimension but the last two of extent 1) as a 2-D
/// tensor.
Value as2D(OpBuilder &b, Location loc, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getRank() == 2)
    return value;
  ArrayRef<int64_t> shape = type.getShape();
  auto flat = RankedTensorType::get(shape.take_back(2), type.getElementType());
  SmallVector<OpFoldResult> zeros(shape.size(), b.getIndexAttr(0));
  SmallVector<OpFoldResult> sizes, ones(shape.size(), b.getIndexAttr(1));
  for (int64_t d : shape)
    sizes.push_back(b.getIndexAttr(d));
  return tensor::ExtractSliceOp::create(b, loc, flat, value, zeros, sizes,
                                        ones);
}

bool leadingUnit(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  return type && type.hasStaticShape() && type.getRank() >= 2 &&
         llvm::all_of(type.getShape().drop_back(2),
                      [](int64_t d) { return d == 1; });
}

/// The scalar body of a f32 contraction: acc + a * b.
bool isMulAdd(linalg::LinalgOp op) {
  Block *body = op.getBlock();
  if (body->getNumArguments() != 3 || body->getOperations().size() != 3)
    return false;
  auto mul = dyn_cast<arith::MulFOp>(&body->front());
  auto add = dyn_cast<arith::AddFOp>(mul ? mul->getNextNode() : nullptr);
  auto yield = dyn_cast<linalg::YieldOp>(body->getTerminator());
  if (!mul || !add || !yield || yield.getValues().size() != 1 ||
      yield.getValues()[0] != add.getResult())
    return false;
  auto isArg = [&](Value v, unsigned i) { return v == body->getArgument(i); };
  bool mulOk = (isArg(mul.getLhs(), 0) && isArg(mul.getRhs(), 1)) ||
               (isArg(mul.getLhs(), 1) && isArg(mul.getRhs(), 0));
  bool addOk = (isArg(add.getLhs(), 2) && add.getRhs() == mul.getResult()) ||
               (isArg(add.getRhs(), 2) && add.getLhs() == mul.getResult());
  return mulOk && addOk;
}

/// The rows of a register tile with `cols` output columns and at most
/// `maxAccumulators` vector accumulators (the other registers hold the rows
/// of A and B of one K step).
int64_t tileRows(int64_t cols, int64_t maxAccumulators) {
  return std::max<int64_t>(1, std::min(kMaxRows, maxAccumulators / cols));
}

/// Rows [begin, end) of out2 (step `rows`) as register tiles over K.
Value emitRows(OpBuilder &b, Location loc, Value a2, Value bt2, Value out2,
               int64_t begin, int64_t end, int64_t rows, int64_t lanes) {
  auto aType = cast<RankedTensorType>(a2.getType());
  auto btType = cast<RankedTensorType>(bt2.getType());
  int64_t depth = aType.getDimSize(1), cols = btType.getDimSize(0);
  Type f32 = aType.getElementType();
  auto vecType = VectorType::get({lanes}, f32);
  auto idx = [&](OpBuilder &b, int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  auto loop = scf::ForOp::create(
      b, loc, idx(b, begin), idx(b, end), idx(b, rows), ValueRange{out2},
      [&](OpBuilder &b, Location l, Value row0, ValueRange carried) {
        Value zero = arith::ConstantOp::create(b, l, b.getZeroAttr(vecType));
        Value pad = arith::ConstantOp::create(b, l, b.getZeroAttr(f32));
        SmallVector<Value> rowIndex;
        for (int64_t i = 0; i < rows; ++i)
          rowIndex.push_back(
              arith::AddIOp::create(b, l, row0, idx(b, i)).getResult());
        // One K step: rows of A and B (zero-padded past K when `inBounds`
        // is false), then rows x cols FMAs.
        auto step = [&](OpBuilder &b, Value k, ValueRange acc, bool inBounds) {
          SmallVector<Value> aRows, bRows, next;
          for (int64_t i = 0; i < rows; ++i)
            aRows.push_back(vector::TransferReadOp::create(
                b, l, vecType, a2, ValueRange{rowIndex[i], k}, pad,
                ArrayRef<bool>{inBounds}));
          for (int64_t j = 0; j < cols; ++j)
            bRows.push_back(vector::TransferReadOp::create(
                b, l, vecType, bt2, ValueRange{idx(b, j), k}, pad,
                ArrayRef<bool>{inBounds}));
          for (int64_t i = 0; i < rows; ++i)
            for (int64_t j = 0; j < cols; ++j)
              next.push_back(vector::FMAOp::create(b, l, aRows[i], bRows[j],
                                                   acc[i * cols + j]));
          return next;
        };
        SmallVector<Value> acc(rows * cols, zero);
        int64_t full = depth / lanes * lanes;
        if (full > 0) {
          auto kLoop = scf::ForOp::create(
              b, l, idx(b, 0), idx(b, full), idx(b, lanes), acc,
              [&](OpBuilder &b, Location l, Value k, ValueRange a) {
                scf::YieldOp::create(b, l, step(b, k, a, true));
              });
          acc = SmallVector<Value>(kLoop.getResults());
        }
        if (full < depth)
          acc = step(b, idx(b, full), acc, false);
        // Each accumulator's lanes summed (in any order) onto the output.
        Value out = carried.front();
        auto reassoc = arith::FastMathFlagsAttr::get(
            b.getContext(), arith::FastMathFlags::reassoc);
        for (int64_t i = 0; i < rows; ++i)
          for (int64_t j = 0; j < cols; ++j) {
            Value sum = vector::ReductionOp::create(
                b, l, vector::CombiningKind::ADD, acc[i * cols + j], Value(),
                reassoc.getValue());
            // Owned: a ValueRange of a braced list would dangle.
            SmallVector<Value, 2> at = {rowIndex[i], idx(b, j)};
            Value old = tensor::ExtractOp::create(b, l, out, at);
            Value updated = arith::AddFOp::create(b, l, old, sum);
            out = tensor::InsertOp::create(b, l, updated, out, at);
          }
        scf::YieldOp::create(b, l, out);
      });
  return loop.getResult(0);
}
} // namespace

namespace hcc::cpu {

linalg::GenericOp transposeNarrowPanel(RewriterBase &rewriter,
                                       linalg::LinalgOp op, unsigned m,
                                       unsigned n, unsigned k) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      !linalg::isaContractionOpInterface(op))
    return nullptr;
  OpOperand *a = op.getDpsInputOperand(0), *b = op.getDpsInputOperand(1);
  if (op.getMatchingIndexingMap(a).isFunctionOfDim(n))
    std::swap(a, b);
  OpOperand *out = op.getDpsInitOperand(0);
  auto f32 = [](Value v) {
    return cast<RankedTensorType>(v.getType()).getElementType().isF32();
  };
  if (!leadingUnit(a->get()) || !leadingUnit(b->get()) ||
      !leadingUnit(out->get()) || !f32(a->get()) || !f32(b->get()) ||
      !f32(out->get()) || !endsWith(op.getMatchingIndexingMap(a), m, k) ||
      !endsWith(op.getMatchingIndexingMap(b), k, n) ||
      !endsWith(op.getMatchingIndexingMap(out), m, n) || !isMulAdd(op))
    return nullptr;
  unsigned bIndex = b->getOperandNumber();
  rewriter.setInsertionPoint(op);
  Location loc = op.getLoc();
  // B's columns as rows: [..., n, k].
  auto bType = cast<RankedTensorType>(b->get().getType());
  SmallVector<int64_t> perm(bType.getRank()), shape(bType.getShape());
  for (int64_t i = 0, e = bType.getRank(); i < e; ++i)
    perm[i] = i;
  std::swap(perm[perm.size() - 1], perm[perm.size() - 2]);
  std::swap(shape[shape.size() - 1], shape[shape.size() - 2]);
  Value empty =
      tensor::EmptyOp::create(rewriter, loc, shape, bType.getElementType());
  Value rowsOfB =
      linalg::TransposeOp::create(rewriter, loc, b->get(), empty, perm)
          .getResult()[0];
  linalg::GenericOp generic;
  if (auto g = dyn_cast<linalg::GenericOp>(op.getOperation())) {
    generic = g;
  } else {
    FailureOr<linalg::GenericOp> named =
        linalg::generalizeNamedOp(rewriter, op);
    if (failed(named))
      return nullptr;
    generic = *named;
  }
  SmallVector<AffineMap> maps = generic.getIndexingMapsArray();
  maps[bIndex] = swapLastTwo(maps[bIndex]);
  rewriter.modifyOpInPlace(generic, [&] {
    generic->getOpOperand(bIndex).set(rowsOfB);
    generic.setIndexingMapsAttr(rewriter.getAffineMapArrayAttr(maps));
  });
  return generic;
}

LogicalResult emitKLaneContraction(RewriterBase &rewriter, linalg::GenericOp op,
                                   int64_t lanes, int64_t maxAccumulators) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      !op.hasPureTensorSemantics() || op.hasDynamicShape())
    return failure();
  // A's map ends with (m, k), B's rows' with (n, k), the output's (m, n).
  Value a = op.getDpsInputs()[0], bt = op.getDpsInputs()[1];
  Value out = op.getDpsInits()[0];
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  AffineMap aMap = op.getMatchingIndexingMap(op.getDpsInputOperand(0));
  AffineMap btMap = op.getMatchingIndexingMap(op.getDpsInputOperand(1));
  if (aMap.getNumResults() < 2 || btMap.getNumResults() < 2 ||
      outMap.getNumResults() < 2)
    return failure();
  auto dim = [](AffineMap map, unsigned fromEnd) {
    return map.getResult(map.getNumResults() - fromEnd);
  };
  if (dim(aMap, 2) != dim(outMap, 2)) {
    std::swap(a, bt);
    std::swap(aMap, btMap);
  }
  if (dim(aMap, 2) != dim(outMap, 2) || dim(btMap, 2) != dim(outMap, 1) ||
      dim(aMap, 1) != dim(btMap, 1) || !isMulAdd(op))
    return failure();
  for (Value v : {a, bt, out})
    if (!leadingUnit(v))
      return failure();
  rewriter.setInsertionPoint(op);
  Location loc = op.getLoc();
  Value a2 = as2D(rewriter, loc, a), bt2 = as2D(rewriter, loc, bt);
  Value out2 = as2D(rewriter, loc, out);
  int64_t rowsTotal = cast<RankedTensorType>(out2.getType()).getDimSize(0);
  int64_t cols = cast<RankedTensorType>(bt2.getType()).getDimSize(0);
  int64_t rows = tileRows(cols, maxAccumulators);
  int64_t main = rowsTotal / rows * rows;
  Value result = out2;
  if (main > 0)
    result = emitRows(rewriter, loc, a2, bt2, result, 0, main, rows, lanes);
  if (main < rowsTotal)
    result =
        emitRows(rewriter, loc, a2, bt2, result, main, rowsTotal, 1, lanes);
  if (result.getType() != out.getType()) {
    auto type = cast<RankedTensorType>(out.getType());
    SmallVector<OpFoldResult> zeros(type.getRank(), rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> sizes,
        ones(type.getRank(), rewriter.getIndexAttr(1));
    for (int64_t d : type.getShape())
      sizes.push_back(rewriter.getIndexAttr(d));
    result = tensor::InsertSliceOp::create(rewriter, loc, result, out, zeros,
                                           sizes, ones);
  }
  rewriter.replaceOp(op, result);
  return success();
}

} // namespace hcc::cpu
