//===- ShapeMathRandomOps.cpp - shapes of Einsum, Det and random ops ------===//
//
// Shape functions of linear-algebra ops outside the matmul family (Einsum,
// Det) and of the random generators, whose element type comes from a
// `dtype` attribute rather than an operand.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/ShapeHelpers.h"

#include "llvm/ADT/StringExtras.h"

#include <map>

using namespace mlir;
using namespace hcc::graph;

static constexpr int64_t kDynamic = ShapedType::kDynamic;

static bool isDyn(int64_t d) { return ShapedType::isDynamic(d); }

//===----------------------------------------------------------------------===//
// Einsum
//===----------------------------------------------------------------------===//

namespace {
/// One operand term of an einsum equation: its letters, and where "..."
/// stands among them (-1 if absent).
struct EinsumTerm {
  std::string letters;
  int64_t ellipsisPos = -1;
};
} // namespace

static FailureOr<EinsumTerm> parseTerm(Operation *op, StringRef text) {
  EinsumTerm term;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text.substr(i).starts_with("...")) {
      if (term.ellipsisPos >= 0)
        return op->emitOpError()
               << "equation term '" << text << "' has more than one ellipsis";
      term.ellipsisPos = term.letters.size();
      i += 2;
      continue;
    }
    if (!llvm::isAlpha(text[i]))
      return op->emitOpError() << "equation term '" << text
                               << "' has invalid character '" << text[i] << "'";
    term.letters.push_back(text[i]);
  }
  return term;
}

LogicalResult EinsumOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elem = getInputs().empty()
                  ? Type()
                  : getElementTypeOr(getInputs()[0], getOutput());
  std::string equation;
  for (char c : getEquation())
    if (!llvm::isSpace(c))
      equation.push_back(c);
  StringRef eq(equation);
  auto [lhs, rhs] = eq.split("->");
  bool explicitOutput = eq.contains("->");
  SmallVector<StringRef> termTexts;
  lhs.split(termTexts, ',');
  if (termTexts.size() != getInputs().size())
    return emitOpError() << "equation has " << termTexts.size()
                         << " operand terms but there are "
                         << getInputs().size() << " inputs";

  std::map<char, int64_t> sizes;
  std::map<char, StringAttr> names;
  std::map<char, int64_t> counts;
  SmallVector<ShapeInfo> ellipsisShapes;
  bool allRanked = true, anyEllipsis = false;
  for (auto [text, input] : llvm::zip(termTexts, getInputs())) {
    FailureOr<EinsumTerm> term = parseTerm(*this, text);
    if (failed(term))
      return failure();
    anyEllipsis |= term->ellipsisPos >= 0;
    for (char c : term->letters)
      ++counts[c];
    std::optional<ShapeInfo> shape = getShapeInfo(input);
    if (!shape) {
      allRanked = false;
      continue;
    }
    int64_t numLetters = term->letters.size();
    int64_t numEllipsis = shape->rank() - numLetters;
    if (numEllipsis < 0 || (term->ellipsisPos < 0 && numEllipsis != 0))
      return emitOpError() << "equation term '" << text << "' does not match "
                           << "an input of rank " << shape->rank();
    ShapeInfo ellipsis;
    for (int64_t i = 0, dim = 0; i < numLetters; ++i, ++dim) {
      if (i == term->ellipsisPos)
        for (int64_t k = 0; k < numEllipsis; ++k)
          ellipsis.appendDim(*shape, dim++);
      char c = term->letters[i];
      int64_t d = shape->dims[dim];
      auto [it, inserted] = sizes.try_emplace(c, d);
      if (inserted || isDyn(it->second)) {
        it->second = d;
        if (!names[c])
          names[c] = shape->syms[dim];
      } else if (!isDyn(d) && d != it->second) {
        return emitOpError() << "label '" << c << "' has sizes " << it->second
                             << " and " << d;
      }
    }
    if (term->ellipsisPos == numLetters)
      for (int64_t k = 0; k < numEllipsis; ++k)
        ellipsis.appendDim(*shape, numLetters + k);
    ellipsisShapes.push_back(ellipsis);
  }

  EinsumTerm out;
  if (explicitOutput) {
    FailureOr<EinsumTerm> term = parseTerm(*this, rhs);
    if (failed(term))
      return failure();
    out = *term;
    for (char c : out.letters)
      if (!counts.count(c))
        return emitOpError()
               << "output label '" << c << "' does not appear in any input";
  } else {
    // Implicit output: the broadcast dims, then labels used once, sorted.
    out.ellipsisPos = anyEllipsis ? 0 : -1;
    for (auto [c, n] : counts)
      if (n == 1)
        out.letters.push_back(c);
  }
  if (!allRanked) {
    if (out.ellipsisPos < 0)
      setInferred(types, 0, ShapeInfo::unknown(out.letters.size()), elem);
    return success();
  }
  ShapeInfo ellipsis;
  if (failed(broadcastShapes(*this, ellipsisShapes, ellipsis)))
    return failure();
  ShapeInfo result;
  for (int64_t i = 0, e = out.letters.size(); i <= e; ++i) {
    if (i == out.ellipsisPos)
      for (int64_t k = 0; k < ellipsis.rank(); ++k)
        result.appendDim(ellipsis, k);
    if (i < e)
      result.appendDim(sizes[out.letters[i]], names[out.letters[i]]);
  }
  setInferred(types, 0, result, elem);
  return success();
}

//===----------------------------------------------------------------------===//
// Det
//===----------------------------------------------------------------------===//

LogicalResult DetOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elem = getElementTypeOr(getX(), getY());
  std::optional<ShapeInfo> shape = getShapeInfo(getX());
  if (!shape)
    return success();
  int64_t rank = shape->rank();
  if (rank < 2)
    return emitOpError() << "input must have rank at least 2, got " << rank;
  int64_t m = shape->dims[rank - 2], n = shape->dims[rank - 1];
  if (!isDyn(m) && !isDyn(n) && m != n)
    return emitOpError() << "input matrices must be square, got " << m << "x"
                         << n;
  ShapeInfo result;
  for (int64_t i = 0; i < rank - 2; ++i)
    result.appendDim(*shape, i);
  setInferred(types, 0, result, elem);
  return success();
}

//===----------------------------------------------------------------------===//
// Random generators
//===----------------------------------------------------------------------===//

/// The element type a `dtype` attribute names, `fallback` when absent.
static FailureOr<Type> dtypeOr(Operation *op, std::optional<int64_t> dtype,
                               Type fallback) {
  if (!dtype)
    return fallback;
  Type elem = onnxDataTypeToMlir(op->getContext(), *dtype);
  if (!elem)
    return op->emitOpError()
           << "dtype " << *dtype << " is not a supported ONNX data type";
  return elem;
}

/// The *Like generators and Bernoulli: the input's shape, `dtype` or the
/// input's element type.
static LogicalResult inferLike(Operation *op, Value input,
                               std::optional<int64_t> dtype,
                               SmallVectorImpl<Type> &types) {
  FailureOr<Type> elem =
      dtypeOr(op, dtype, getElementTypeOr(input, op->getResult(0)));
  if (failed(elem))
    return failure();
  if (std::optional<ShapeInfo> shape = getShapeInfo(input))
    setInferred(types, 0, *shape, *elem);
  else
    setUnranked(types, 0, *elem);
  return success();
}

LogicalResult BernoulliOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  return inferLike(*this, getInput(), getDtype(), types);
}

LogicalResult
RandomUniformLikeOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  return inferLike(*this, getInput(), getDtype(), types);
}

LogicalResult
RandomNormalLikeOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  return inferLike(*this, getInput(), getDtype(), types);
}

/// RandomUniform and RandomNormal: shape and dtype attributes.
static LogicalResult inferRandom(Operation *op, ArrayAttr shapeAttr,
                                 int64_t dtype, SmallVectorImpl<Type> &types) {
  FailureOr<Type> elem = dtypeOr(op, dtype, Type());
  if (failed(elem))
    return failure();
  SmallVector<int64_t> dims = getI64s(shapeAttr);
  for (int64_t d : dims)
    if (d < 0)
      return op->emitOpError() << "shape has negative dimension " << d;
  setInferred(types, 0, ShapeInfo(dims), *elem);
  return success();
}

LogicalResult RandomUniformOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  return inferRandom(*this, getShapeAttr(), getDtype(), types);
}

LogicalResult RandomNormalOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  return inferRandom(*this, getShapeAttr(), getDtype(), types);
}
