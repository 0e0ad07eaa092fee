//===- Einsum.cpp - Einsum as one contraction linalg.generic --------------===//
//
// Every distinct label of the equation (letters, plus one label per
// broadcast "..." dimension) is a loop of one linalg.generic: the output's
// labels are parallel loops, the others reductions. Each input is read
// through the map of its labels (a repeated label reads a diagonal; a
// size-1 "..." dimension broadcasts through a constant 0), the body
// multiplies the inputs and accumulates into a zero-filled output.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "llvm/ADT/MapVector.h"

using namespace mlir;

namespace hcc::g2l {
namespace {

/// Labels: 'a'..'z' and 'A'..'Z' as themselves, "..." dims as 256 + i
/// (right-aligned over the widest "..." of the equation).
using Labels = SmallVector<int>;

/// Parses one term of `rank` dims. `ellipsis` gets the number of dims the
/// "..." stands for (-1 when the term has none).
FailureOr<Labels> parseTerm(StringRef term, int64_t rank, int64_t maxEllipsis,
                            int64_t &ellipsis) {
  Labels out;
  ellipsis = -1;
  size_t dots = term.find("...");
  int64_t letters = 0;
  for (char c : term)
    if (llvm::isAlpha(c))
      ++letters;
    else if (c != '.')
      return failure();
  if (dots != StringRef::npos) {
    if (term.substr(dots + 3).contains('.') ||
        term.substr(0, dots).contains('.'))
      return failure();
    ellipsis = rank < 0 ? maxEllipsis : rank - letters;
    if (ellipsis < 0)
      return failure();
  } else if (term.contains('.')) {
    return failure();
  }
  for (size_t i = 0; i < term.size(); ++i) {
    if (i == dots) {
      for (int64_t e = 0; e < ellipsis; ++e)
        out.push_back(256 + maxEllipsis - ellipsis + e);
      i += 2;
      continue;
    }
    out.push_back(term[i]);
  }
  if (rank >= 0 && static_cast<int64_t>(out.size()) != rank)
    return failure();
  return out;
}

struct EinsumLowering : OpConversionPattern<graph::EinsumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::EinsumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type =
        staticResultType(getTypeConverter(), op, 0);
    if (failed(type))
      return failure();
    std::string eq;
    for (char c : op.getEquation())
      if (!llvm::isSpace(c))
        eq.push_back(c);
    StringRef eqRef(eq);
    auto [lhs, rhs] = eqRef.split("->");
    bool explicitOut = eqRef.contains("->");
    SmallVector<StringRef> terms;
    lhs.split(terms, ',');
    ValueRange inputs = adaptor.getInputs();
    if (terms.size() != inputs.size())
      return unsupported(op, "equation has " + Twine(terms.size()) +
                                 " terms for " + Twine(inputs.size()) +
                                 " inputs");
    SmallVector<RankedTensorType> inTypes;
    for (Value v : inputs) {
      FailureOr<RankedTensorType> t = staticOperandType(op, v);
      if (failed(t))
        return failure();
      inTypes.push_back(*t);
    }
    // Widest "..." first, then the labels of every term.
    int64_t maxEllipsis = 0;
    for (auto [term, t] : llvm::zip(terms, inTypes)) {
      int64_t e;
      if (failed(parseTerm(term, t.getRank(), 0, e)))
        return unsupported(op, "malformed equation '" + op.getEquation() + "'");
      maxEllipsis = std::max(maxEllipsis, e);
    }
    SmallVector<Labels> inLabels;
    llvm::MapVector<int, int64_t> sizes;
    llvm::DenseMap<int, int> counts;
    for (auto [term, t] : llvm::zip(terms, inTypes)) {
      int64_t e;
      FailureOr<Labels> ls = parseTerm(term, t.getRank(), maxEllipsis, e);
      if (failed(ls))
        return unsupported(op, "malformed equation");
      for (auto [i, l] : llvm::enumerate(*ls)) {
        int64_t s = t.getDimSize(i);
        ++counts[l];
        auto [it, inserted] = sizes.insert({l, s});
        if (!inserted && it->second != s) {
          if (it->second != 1 && s != 1)
            return unsupported(op, "label sizes disagree");
          it->second = std::max(it->second, s);
        }
      }
      inLabels.push_back(*ls);
    }
    Labels outLabels;
    if (explicitOut) {
      int64_t e;
      FailureOr<Labels> ls = parseTerm(rhs, -1, maxEllipsis, e);
      if (failed(ls))
        return unsupported(op, "malformed output term");
      outLabels = *ls;
    } else {
      for (int64_t e = 0; e < maxEllipsis; ++e)
        outLabels.push_back(256 + e);
      SmallVector<int> once;
      for (auto &[l, c] : counts)
        if (c == 1 && l < 256)
          once.push_back(l);
      llvm::sort(once);
      outLabels.append(once.begin(), once.end());
    }
    // Loops: the output labels, then the reduced ones.
    SmallVector<int> loops;
    for (int l : outLabels) {
      if (!sizes.count(l) || llvm::is_contained(loops, l))
        return unsupported(op, "output labels must be distinct input labels");
      loops.push_back(l);
    }
    for (auto &[l, s] : sizes)
      if (!llvm::is_contained(loops, l))
        loops.push_back(l);
    SmallVector<int64_t> outShape;
    for (int l : outLabels)
      outShape.push_back(sizes.lookup(l));
    if (ArrayRef<int64_t>(outShape) != type->getShape())
      return unsupported(op, "result shape disagrees with the equation");

    MLIRContext *ctx = rewriter.getContext();
    int64_t nLoops = loops.size();
    auto loopOf = [&](int l) {
      return getAffineDimExpr(llvm::find(loops, l) - loops.begin(), ctx);
    };
    SmallVector<AffineMap> maps;
    for (auto [ls, t] : llvm::zip(inLabels, inTypes)) {
      SmallVector<AffineExpr> exprs;
      for (auto [i, l] : llvm::enumerate(ls))
        exprs.push_back(t.getDimSize(i) == 1 && sizes.lookup(l) != 1
                            ? getAffineConstantExpr(0, ctx)
                            : loopOf(l));
      maps.push_back(AffineMap::get(nLoops, 0, exprs, ctx));
    }
    SmallVector<AffineExpr> outExprs;
    for (int l : outLabels)
      outExprs.push_back(loopOf(l));
    maps.push_back(AffineMap::get(nLoops, 0, outExprs, ctx));
    SmallVector<utils::IteratorType> iters;
    for (int64_t i = 0; i < nLoops; ++i)
      iters.push_back(i < static_cast<int64_t>(outLabels.size())
                          ? utils::IteratorType::parallel
                          : utils::IteratorType::reduction);

    Location loc = op.getLoc();
    Type elem = type->getElementType();
    if (!elem.isIntOrFloat() || elem.isInteger(1))
      return unsupported(op, "only integer and floating-point element types");
    bool isFloat = isa<FloatType>(elem);
    Value init =
        filledTensor(rewriter, loc, *type, scalarConst(rewriter, loc, elem, 0));
    auto g = linalg::GenericOp::create(
        rewriter, loc, TypeRange{*type}, inputs, ValueRange{init}, maps, iters,
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value p = a[0];
          for (Value x : a.drop_front().drop_back())
            p = isFloat ? Value(arith::MulFOp::create(b, l, p, x))
                        : Value(arith::MulIOp::create(b, l, p, x));
          Value acc = a.back();
          linalg::YieldOp::create(
              b, l,
              isFloat ? Value(arith::AddFOp::create(b, l, acc, p))
                      : Value(arith::AddIOp::create(b, l, acc, p)));
        });
    rewriter.replaceOp(op, g.getResult(0));
    return success();
  }
};

} // namespace

void populateEinsumPatterns(TypeConverter &tc, RewritePatternSet &p) {
  p.add<EinsumLowering>(tc, p.getContext());
}

} // namespace hcc::g2l
