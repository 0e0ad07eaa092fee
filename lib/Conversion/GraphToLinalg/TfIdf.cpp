//===- TfIdf.cpp - TfIdfVectorizer (integer pools) ------------------------===//
//
// One linalg.generic over Y [rows, outputs]. The pool is flattened at
// compile time into tables: each n-gram's tokens (padded to the longest
// counted size) and length, and for every output index the n-grams that
// land on it. The body counts, for each of its n-grams, every start i and
// skip distance d (1 .. max_skip_count + 1; unigrams only at d = 1, as the
// ONNX reference counts them once) with x[i + t * d] equal to token t for
// all t < n and i + (n - 1) * d inside the row -- scf.for loops with
// run-time bounds inside the body -- then applies TF (the count), IDF
// (weight where the count is positive) or TFIDF (weight * count); weights
// default to 1. N-grams outside [min_gram_length, max_gram_length] are
// never counted. String pools are rejected.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "dialects/Graph/IR/ShapeHelpers.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;

namespace hcc::g2l {
namespace {

struct TfIdfVectorizerLowering : OpConversionPattern<graph::TfIdfVectorizerOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::TfIdfVectorizerOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResultType(getTypeConverter(), op);
    if (failed(type))
      return failure();
    Value x = adaptor.getX();
    FailureOr<RankedTensorType> xt = staticOperandType(op, x);
    if (failed(xt))
      return failure();
    if (!op.getPoolInt64s() || !isa<IntegerType>(xt->getElementType()))
      return unsupported(op, "only integer inputs and pool_int64s");
    bool batched = xt->getRank() == 2;
    int64_t length = xt->getDimSize(batched ? 1 : 0);
    int64_t outputs = type->getDimSize(batched ? 1 : 0);

    // The counted n-grams, in pool order, with their output index.
    SmallVector<int64_t> pool = graph::getI64s(*op.getPoolInt64s());
    SmallVector<int64_t> counts = graph::getI64s(op.getNgramCounts());
    SmallVector<int64_t> indexes = graph::getI64s(op.getNgramIndexes());
    int64_t minN = op.getMinGramLength(), maxN = op.getMaxGramLength();
    struct Gram {
      int64_t n, first, output;
    };
    SmallVector<Gram> grams;
    int64_t entry = 0, width = 1;
    for (size_t i = 0; i < counts.size(); ++i) {
      int64_t n = int64_t(i) + 1;
      int64_t end =
          i + 1 < counts.size() ? counts[i + 1] : int64_t(pool.size());
      for (int64_t p = counts[i]; p + n <= end; p += n, ++entry)
        if (n >= minN && n <= maxN) {
          grams.push_back({n, p, indexes[entry]});
          width = std::max(width, n);
        }
    }
    // Tables: tokens [G, width], lengths [G], and per output the n-grams
    // (CSR: offsets [outputs + 1] into a list ordered by output).
    SmallVector<int64_t> tokens, lengths, offsets(outputs + 1, 0), list;
    for (const Gram &g : grams) {
      for (int64_t t = 0; t < width; ++t)
        tokens.push_back(t < g.n ? pool[g.first + t] : 0);
      lengths.push_back(g.n);
      ++offsets[g.output + 1];
    }
    for (int64_t o = 0; o < outputs; ++o)
      offsets[o + 1] += offsets[o];
    list.assign(grams.size(), 0);
    SmallVector<int64_t> fill(offsets.begin(), offsets.end() - 1);
    for (auto [g, gram] : llvm::enumerate(grams))
      list[fill[gram.output]++] = int64_t(g);
    SmallVector<float> weights(outputs, 1.0f);
    if (auto w = op.getWeights())
      for (auto [i, a] : llvm::enumerate(*w))
        weights[i] = cast<FloatAttr>(a).getValueAsDouble();

    Location loc = op.getLoc();
    Type i64 = rewriter.getI64Type(), idx = rewriter.getIndexType();
    auto table = [&](ArrayRef<int64_t> values, ArrayRef<int64_t> shape) {
      SmallVector<int64_t> data(values);
      if (data.empty())
        data.push_back(0); // a table is never empty
      SmallVector<int64_t> dims(shape);
      if (values.empty())
        dims.assign(shape.size(), 1);
      auto t = RankedTensorType::get(dims, i64);
      return arith::ConstantOp::create(
                 rewriter, loc, DenseElementsAttr::get(t, ArrayRef(data)))
          .getResult();
    };
    int64_t g = int64_t(grams.size());
    Value tokT = table(tokens, {g, width}), lenT = table(lengths, {g}),
          offT = table(offsets, {outputs + 1}), listT = table(list, {g});
    Value wT = arith::ConstantOp::create(
        rewriter, loc,
        DenseElementsAttr::get(
            RankedTensorType::get({outputs}, rewriter.getF32Type()),
            ArrayRef<float>(weights)));
    int64_t distances = op.getMaxSkipCount() + 1;
    graph::TfIdfMode mode = op.getMode();

    int64_t rank = type->getRank();
    Value y = buildGeneric(
        rewriter, loc, *type, {}, {},
        [&](OpBuilder &b, Location l, ValueRange) -> Value {
          auto ci = [&](int64_t v) {
            return arith::ConstantIndexOp::create(b, l, v).getResult();
          };
          auto toIndex = [&](Value v) {
            return arith::IndexCastOp::create(b, l, idx, v).getResult();
          };
          auto at = [&](Value t, ValueRange i) {
            return tensor::ExtractOp::create(b, l, t, i).getResult();
          };
          Value row =
              batched ? Value(linalg::IndexOp::create(b, l, 0)) : Value();
          Value out = linalg::IndexOp::create(b, l, rank - 1);
          auto read = [&](Value pos) {
            Value v = batched ? at(x, {row, pos}) : at(x, {pos});
            return convertScalar(b, l, v, elementTypeOf(op.getX()), i64);
          };
          Value zero = arith::ConstantOp::create(b, l, b.getI64IntegerAttr(0));
          Value one = arith::ConstantOp::create(b, l, b.getI64IntegerAttr(1));
          Value begin = toIndex(at(offT, {out}));
          Value end =
              toIndex(at(offT, {arith::AddIOp::create(b, l, out, ci(1))}));
          auto overGrams = scf::ForOp::create(
              b, l, begin, end, ci(1), ValueRange{zero},
              [&](OpBuilder &b, Location l, Value k, ValueRange acc) {
                Value gi = toIndex(at(listT, {k}));
                Value n = toIndex(at(lenT, {gi}));
                // Unigrams at distance 1 only.
                Value isUni = arith::CmpIOp::create(
                    b, l, arith::CmpIPredicate::eq, n, ci(1));
                Value dEnd = arith::SelectOp::create(b, l, isUni, ci(2),
                                                     ci(distances + 1));
                auto overD = scf::ForOp::create(
                    b, l, ci(1), dEnd, ci(1), acc,
                    [&](OpBuilder &b, Location l, Value d, ValueRange acc) {
                      // Starts i with i + (n - 1) * d < length.
                      Value span = arith::MulIOp::create(
                          b, l, arith::SubIOp::create(b, l, n, ci(1)), d);
                      Value starts = arith::MaxSIOp::create(
                          b, l, arith::SubIOp::create(b, l, ci(length), span),
                          ci(0));
                      auto overI = scf::ForOp::create(
                          b, l, ci(0), starts, ci(1), acc,
                          [&](OpBuilder &b, Location l, Value i,
                              ValueRange acc) {
                            Value t1 = arith::ConstantOp::create(
                                b, l, b.getBoolAttr(true));
                            auto overT = scf::ForOp::create(
                                b, l, ci(0), n, ci(1), ValueRange{t1},
                                [&](OpBuilder &b, Location l, Value t,
                                    ValueRange m) {
                                  Value pos = arith::AddIOp::create(
                                      b, l, i,
                                      arith::MulIOp::create(b, l, t, d));
                                  Value eq = arith::CmpIOp::create(
                                      b, l, arith::CmpIPredicate::eq, read(pos),
                                      at(tokT, {gi, t}));
                                  scf::YieldOp::create(
                                      b, l,
                                      ValueRange{arith::AndIOp::create(
                                          b, l, m[0], eq)});
                                });
                            Value hit = arith::SelectOp::create(
                                b, l, overT.getResult(0), one, zero);
                            scf::YieldOp::create(
                                b, l,
                                ValueRange{
                                    arith::AddIOp::create(b, l, acc[0], hit)});
                          });
                      scf::YieldOp::create(b, l, overI.getResults());
                    });
                scf::YieldOp::create(b, l, overD.getResults());
              });
          Type f32 = b.getF32Type();
          Value count = overGrams.getResult(0);
          Value w = at(wT, {out});
          Value cf = arith::SIToFPOp::create(b, l, f32, count);
          switch (mode) {
          case graph::TfIdfMode::TF:
            return cf;
          case graph::TfIdfMode::IDF: {
            Value pos = arith::CmpIOp::create(b, l, arith::CmpIPredicate::sgt,
                                              count, zero);
            return arith::SelectOp::create(b, l, pos, w,
                                           scalarConst(b, l, f32, 0));
          }
          case graph::TfIdfMode::TFIDF:
            return arith::MulFOp::create(b, l, w, cf);
          }
          llvm_unreachable("TfIdfVectorizer mode");
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

} // namespace

void populateTfIdfPatterns(TypeConverter &tc, RewritePatternSet &p) {
  p.add<TfIdfVectorizerLowering>(tc, p.getContext());
}

} // namespace hcc::g2l
