//===- PackedWeights.cpp - B panels of weights packed at compile time ----===//
//
// A helper of hcc-cpu-tile-and-vectorize. A contraction whose B operand is
// a constant of the kernel (a MatMul's or Gemm's weight: the CPU target asks
// for such weights to be part of the kernel's code, Target::inlinesWeight)
// reads its B panels (cache-k x tile-n, see packPanel) from a copy of the
// weight packed at compile time into column groups,
//
//   P[g, k, j] = B[k, g * tile-n + j]    (zero past N)
//
// so that every panel is already a contiguous block of P: no copy at run
// time, and the register tiles stream it with unit stride.
//
//===----------------------------------------------------------------------===//

#include "Tiling.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"

#include <cstring>
#include <optional>

using namespace mlir;

namespace hcc::cpu {

std::optional<std::vector<float>> constantF32Values(Value v) {
  auto cst = v.getDefiningOp<arith::ConstantOp>();
  auto type = dyn_cast<RankedTensorType>(v.getType());
  if (!cst || !type || !type.getElementType().isF32() || !type.hasStaticShape())
    return std::nullopt;
  size_t count = type.getNumElements();
  if (auto dense = dyn_cast<DenseElementsAttr>(cst.getValue())) {
    auto values = dense.getValues<float>();
    return std::vector<float>(values.begin(), values.end());
  }
  if (auto res = dyn_cast<DenseResourceElementsAttr>(cst.getValue())) {
    AsmResourceBlob *blob = res.getRawHandle().getBlob();
    if (!blob || blob->getData().size() != count * sizeof(float))
      return std::nullopt;
    std::vector<float> out(count);
    std::memcpy(out.data(), blob->getData().data(), count * sizeof(float));
    return out;
  }
  return std::nullopt;
}

namespace {

/// `v mod q` when it is the same for every value `v` takes (constants,
/// induction variables of loops whose lower bound and step have known
/// residues, and sums and products of those); nullopt otherwise.
std::optional<int64_t> residue(Value v, int64_t q, unsigned depth = 0);

std::optional<int64_t> sumResidue(std::optional<int64_t> l,
                                  std::optional<int64_t> r, int64_t q) {
  if (l && r)
    return (*l + *r) % q;
  return std::nullopt;
}

/// A product is a multiple of q when either factor is, known or not.
std::optional<int64_t> productResidue(std::optional<int64_t> l,
                                      std::optional<int64_t> r, int64_t q) {
  if ((l && *l == 0) || (r && *r == 0))
    return 0;
  if (l && r)
    return (*l * *r) % q;
  return std::nullopt;
}

std::optional<int64_t> residue(OpFoldResult ofr, int64_t q, unsigned depth) {
  if (std::optional<int64_t> c = getConstantIntValue(ofr))
    return ((*c % q) + q) % q;
  return residue(cast<Value>(ofr), q, depth);
}

std::optional<int64_t> exprResidue(AffineExpr e, ValueRange dims,
                                   ValueRange symbols, int64_t q,
                                   unsigned depth) {
  if (auto c = dyn_cast<AffineConstantExpr>(e))
    return ((c.getValue() % q) + q) % q;
  if (auto d = dyn_cast<AffineDimExpr>(e))
    return residue(dims[d.getPosition()], q, depth);
  if (auto s = dyn_cast<AffineSymbolExpr>(e))
    return residue(symbols[s.getPosition()], q, depth);
  auto bin = dyn_cast<AffineBinaryOpExpr>(e);
  if (!bin)
    return std::nullopt;
  std::optional<int64_t> l = exprResidue(bin.getLHS(), dims, symbols, q, depth);
  std::optional<int64_t> r = exprResidue(bin.getRHS(), dims, symbols, q, depth);
  if (e.getKind() == AffineExprKind::Add)
    return sumResidue(l, r, q);
  if (e.getKind() == AffineExprKind::Mul)
    return productResidue(l, r, q);
  return std::nullopt;
}

std::optional<int64_t> residue(Value v, int64_t q, unsigned depth) {
  if (++depth > 16)
    return std::nullopt;
  APInt c;
  if (matchPattern(v, m_ConstantInt(&c)))
    return ((c.getSExtValue() % q) + q) % q;
  if (auto arg = dyn_cast<BlockArgument>(v)) {
    Operation *owner = arg.getOwner()->getParentOp();
    if (auto loop = dyn_cast<scf::ForOp>(owner)) {
      if (arg != loop.getInductionVar())
        return std::nullopt;
      std::optional<int64_t> lb = residue(loop.getLowerBound(), q, depth);
      std::optional<int64_t> step = residue(loop.getStep(), q, depth);
      if (lb && step && *step == 0)
        return lb;
      return std::nullopt;
    }
    if (auto loop = dyn_cast<scf::ForallOp>(owner)) {
      auto ivs = loop.getInductionVars();
      auto it = llvm::find(ivs, arg);
      if (it == ivs.end())
        return std::nullopt;
      unsigned i = it - ivs.begin();
      std::optional<int64_t> lb =
          residue(loop.getMixedLowerBound()[i], q, depth);
      std::optional<int64_t> step = residue(loop.getMixedStep()[i], q, depth);
      if (lb && step && *step == 0)
        return lb;
    }
    return std::nullopt;
  }
  if (auto apply = v.getDefiningOp<affine::AffineApplyOp>()) {
    AffineMap map = apply.getAffineMap();
    return exprResidue(map.getResult(0), apply.getDimOperands(),
                       apply.getSymbolOperands(), q, depth);
  }
  if (auto add = v.getDefiningOp<arith::AddIOp>())
    return sumResidue(residue(add.getLhs(), q, depth),
                      residue(add.getRhs(), q, depth), q);
  if (auto mul = v.getDefiningOp<arith::MulIOp>())
    return productResidue(residue(mul.getLhs(), q, depth),
                          residue(mul.getRhs(), q, depth), q);
  return std::nullopt;
}

/// The 2-D f32 constant `v` ([K, N], row-major), or that of a
/// linalg.transpose of a constant [N, K] (Gemm's transB), with its values.
std::optional<std::vector<float>> constantMatrix(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  if (!type || type.getRank() != 2 || !type.hasStaticShape() ||
      !type.getElementType().isF32())
    return std::nullopt;
  bool transposed = false;
  if (auto t = v.getDefiningOp<linalg::TransposeOp>()) {
    if (t.getPermutation() != ArrayRef<int64_t>{1, 0})
      return std::nullopt;
    v = t.getInput();
    transposed = true;
  }
  std::optional<std::vector<float>> values = constantF32Values(v);
  if (!values)
    return std::nullopt;
  if (!transposed)
    return values;
  int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
  std::vector<float> out(values->size());
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      out[r * cols + c] = (*values)[c * rows + r];
  return out;
}

/// P (see the file comment) for the [K, N] matrix `values`.
DenseElementsAttr packColumnGroups(ArrayRef<float> values, int64_t k, int64_t n,
                                   int64_t group, Type f32) {
  int64_t groups = llvm::divideCeil(n, group);
  std::vector<float> packed(groups * k * group, 0.0f);
  for (int64_t g = 0; g < groups; ++g)
    for (int64_t r = 0; r < k; ++r) {
      int64_t width = std::min(group, n - g * group);
      std::memcpy(&packed[(g * k + r) * group], &values[r * n + g * group],
                  width * sizeof(float));
    }
  auto type = RankedTensorType::get({groups, k, group}, f32);
  return DenseElementsAttr::get(type, ArrayRef<float>(packed));
}

} // namespace

bool isPackableWeight(Value panel) {
  while (auto slice = panel.getDefiningOp<tensor::ExtractSliceOp>())
    panel = slice.getSource();
  auto type = dyn_cast<RankedTensorType>(panel.getType());
  if (!type || type.getRank() != 2 || !type.hasStaticShape() ||
      !type.getElementType().isF32())
    return false;
  if (auto t = panel.getDefiningOp<linalg::TransposeOp>())
    panel = t.getInput();
  return panel.getDefiningOp<arith::ConstantOp>() != nullptr;
}

Value packedWeightPanel(RewriterBase &rewriter, Value panel, int64_t group,
                        llvm::DenseMap<Value, Value> &packedWeights) {
  auto panelType = dyn_cast<RankedTensorType>(panel.getType());
  if (!panelType || panelType.getRank() != 2 || !panelType.hasStaticShape() ||
      group <= 0)
    return nullptr;
  // The panel's offsets in the root: a chain of unit-stride, rank-keeping
  // slices.
  Value root = panel;
  SmallVector<SmallVector<OpFoldResult>> chain;
  while (auto slice = root.getDefiningOp<tensor::ExtractSliceOp>()) {
    if (!slice.hasUnitStride() ||
        slice.getSourceType().getRank() != slice.getType().getRank())
      return nullptr;
    chain.push_back(slice.getMixedOffsets());
    root = slice.getSource();
  }
  if (chain.empty())
    return nullptr;
  auto rootType = dyn_cast<RankedTensorType>(root.getType());
  if (!rootType || rootType.getRank() != 2)
    return nullptr;
  int64_t width = panelType.getDimSize(1);
  // The column offset's position in its group must be known and the panel
  // must fit in the group.
  int64_t column = 0;
  for (ArrayRef<OpFoldResult> offsets : chain) {
    std::optional<int64_t> r = residue(offsets[1], group, 0);
    if (!r)
      return nullptr;
    column = (column + *r) % group;
  }
  if (column + width > group)
    return nullptr;

  Value packed = packedWeights.lookup(root);
  if (!packed) {
    std::optional<std::vector<float>> values = constantMatrix(root);
    if (!values)
      return nullptr;
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPointAfterValue(root);
    packed = arith::ConstantOp::create(
        rewriter, root.getLoc(),
        packColumnGroups(*values, rootType.getDimSize(0),
                         rootType.getDimSize(1), group,
                         rootType.getElementType()));
    packedWeights[root] = packed;
  }

  // Offsets (row, column) in the root: the chain's sums.
  Location loc = panel.getLoc();
  AffineExpr s0, s1;
  bindSymbols(rewriter.getContext(), s0, s1);
  OpFoldResult row = rewriter.getIndexAttr(0), col = rewriter.getIndexAttr(0);
  for (ArrayRef<OpFoldResult> offsets : chain) {
    row = affine::makeComposedFoldedAffineApply(rewriter, loc, s0 + s1,
                                                {row, offsets[0]});
    col = affine::makeComposedFoldedAffineApply(rewriter, loc, s0 + s1,
                                                {col, offsets[1]});
  }
  OpFoldResult g = affine::makeComposedFoldedAffineApply(
      rewriter, loc, s0.floorDiv(group), {col});
  SmallVector<OpFoldResult> offsets = {g, row, rewriter.getIndexAttr(column)};
  SmallVector<OpFoldResult> sizes = {
      rewriter.getIndexAttr(1), rewriter.getIndexAttr(panelType.getDimSize(0)),
      rewriter.getIndexAttr(width)};
  SmallVector<OpFoldResult> strides(3, rewriter.getIndexAttr(1));
  return tensor::ExtractSliceOp::create(rewriter, loc, panelType, packed,
                                        offsets, sizes, strides);
}

} // namespace hcc::cpu
