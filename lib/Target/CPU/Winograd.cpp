//===- Winograd.cpp - 3x3 convolutions as Winograd F(4x4, 3x3) ------------===//
//
// A helper of hcc-cpu-tile-and-vectorize. A 3x3 stride-1 convolution whose
// filter is a constant of the kernel (the CPU target asks for such filters
// to be part of the kernel's code, Target::inlinesWeight) computes each
// 4x4 block of outputs (a tile) from the 6x6 block of inputs around it with
// Lavin's F(4x4, 3x3) over the points 0, +-1, +-2 and infinity: 36 products
// per input channel instead of 144.
//
//   U[xi, f, c] = (G g[f, c] G^T)[xi]         at compile time
//   V[xi, c, t] = (B^T d[c, t] B)[xi]         input transform
//   M[xi, f, t] = sum_c U[xi, f, c] V[xi, c, t]  36 GEMMs (linalg.batch_matmul)
//   y[f, t]     = A^T M[., f, t] A + init     output transform
//
// The transforms run on vectors of `lanes` tiles: the input transform
// gathers each of a tile's 36 inputs from the padded input plane (offsets
// from a table of tile origins), the output transform scatters each of its
// 16 outputs, masked where a tile passes the edge of the output. The tiles'
// count is rounded up to whole vectors (their extra columns in V and M are
// computed and dropped). The GEMMs are tiled like every other contraction.
//
//===----------------------------------------------------------------------===//

#include "Tiling.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"

#include <optional>

using namespace mlir;
using hcc::cpu::classifyInit;
using hcc::cpu::forEachSlice;
using hcc::cpu::indexAttrs;
using hcc::cpu::InitValue;

namespace {
// Lavin & Gray's F(4x4, 3x3) matrices (points 0, 1, -1, 2, -2, infinity).
constexpr double kBT4[] = {4, 0, -5, 0,  1, 0, 0, -4, -4, 1,  1, 0,
                           0, 4, -4, -1, 1, 0, 0, -2, -1, 2,  1, 0,
                           0, 2, -1, -2, 1, 0, 0, 4,  0,  -5, 0, 1};
constexpr double kG4[] = {1.0 / 4,  0,        0,        -1.0 / 6,  -1.0 / 6,
                          -1.0 / 6, -1.0 / 6, 1.0 / 6,  -1.0 / 6,  1.0 / 24,
                          1.0 / 12, 1.0 / 6,  1.0 / 24, -1.0 / 12, 1.0 / 6,
                          0,        0,        1};
constexpr double kAT4[] = {1, 1, 1, 1, 1, 0, 0, 1, -1, 2, -2, 0,
                           0, 1, 1, 4, 4, 0, 0, 1, -1, 8, -8, 1};
// F(2x2, 3x3) (points 0, 1, -1, infinity).
constexpr double kBT2[] = {1, 0, -1, 0, 0, 1, 1, 0, 0, -1, 1, 0, 0, 1, 0, -1};
constexpr double kG2[] = {1, 0, 0, 0.5, 0.5, 0.5, 0.5, -0.5, 0.5, 0, 0, 1};
constexpr double kAT2[] = {1, 1, 1, 0, 0, 1, -1, -1};

/// One of the two Winograd algorithms: output tiles of `out` x `out` from
/// input tiles of `in` x `in` (in = out + 2), its matrices row-major.
struct Variant {
  int64_t in, out;
  ArrayRef<double> bt, g, at; // in x in, in x 3, out x in

  ArrayRef<double> btRow(int64_t i) const { return bt.slice(i * in, in); }
  ArrayRef<double> gRow(int64_t i) const { return g.slice(i * 3, 3); }
  ArrayRef<double> atRow(int64_t i) const { return at.slice(i * in, in); }
  int64_t points() const { return in * in; }
};

const Variant &variant(int64_t out) {
  static const Variant f4{6, 4, kBT4, kG4, kAT4};
  static const Variant f2{4, 2, kBT2, kG2, kAT2};
  return out == 4 ? f4 : f2;
}

/// U[xi * 6 + nu, f, c] = (G g[f, c] G^T)[xi, nu], in double precision.
DenseElementsAttr transformFilter(const Variant &v, ArrayRef<float> g,
                                  int64_t filters, int64_t channels, Type f32) {
  std::vector<float> u(v.points() * filters * channels);
  for (int64_t f = 0; f < filters; ++f)
    for (int64_t c = 0; c < channels; ++c) {
      const float *w = g.data() + (f * channels + c) * 9;
      double left[6][3];
      for (int64_t a = 0; a < v.in; ++a)
        for (int64_t j = 0; j < 3; ++j) {
          left[a][j] = 0;
          for (int64_t i = 0; i < 3; ++i)
            left[a][j] += v.gRow(a)[i] * w[i * 3 + j];
        }
      for (int64_t a = 0; a < v.in; ++a)
        for (int64_t b = 0; b < v.in; ++b) {
          double sum = 0;
          for (int64_t j = 0; j < 3; ++j)
            sum += left[a][j] * v.gRow(b)[j];
          u[((a * v.in + b) * filters + f) * channels + c] = float(sum);
        }
    }
  auto type = RankedTensorType::get({v.points(), filters, channels}, f32);
  return DenseElementsAttr::get(type, ArrayRef<float>(u));
}

/// Emits the vector code of the transforms.
struct Emitter {
  OpBuilder &b;
  Location loc;
  int64_t lanes;

  VectorType f32Vector() const {
    return VectorType::get({lanes}, b.getF32Type());
  }
  VectorType i32Vector() const {
    return VectorType::get({lanes}, b.getI32Type());
  }
  Value index(int64_t v) const {
    return arith::ConstantIndexOp::create(b, loc, v);
  }
  Value splat(double v) const {
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(f32Vector(), b.getF32FloatAttr(v)));
  }
  Value splatI32(int64_t v) const {
    return arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(i32Vector(), b.getI32IntegerAttr(int32_t(v))));
  }
  Value allTrue() const {
    return arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(VectorType::get({lanes}, b.getI1Type()), true));
  }
  /// sum_j coeffs[j] * xs[j], without the products by 0 and +-1.
  Value combine(ArrayRef<double> coeffs, ArrayRef<Value> xs) const {
    Value acc;
    for (auto [c, x] : llvm::zip(coeffs, xs)) {
      if (c == 0)
        continue;
      if (!acc)
        acc = c == 1 ? x : arith::MulFOp::create(b, loc, splat(c), x);
      else if (c == 1)
        acc = arith::AddFOp::create(b, loc, acc, x);
      else if (c == -1)
        acc = arith::SubFOp::create(b, loc, acc, x);
      else
        acc = vector::FMAOp::create(b, loc, splat(c), x, acc);
    }
    return acc ? acc : splat(0);
  }
  /// A table of `lanes` i32 entries at `chunk`.
  Value readTable(Value table, Value chunk) const {
    return vector::TransferReadOp::create(
        b, loc, i32Vector(), table, ValueRange{chunk},
        /*padding=*/std::nullopt, ArrayRef<bool>{true});
  }
};

/// A constant i32 table of `size` entries.
Value table(OpBuilder &b, Location loc, ArrayRef<int32_t> values) {
  auto type = RankedTensorType::get({int64_t(values.size())}, b.getI32Type());
  return arith::ConstantOp::create(b, loc,
                                   DenseElementsAttr::get(type, values));
}

/// Where the per-image tiles start and how much of them is inside the
/// output: `origins[t]` = 4 th * rowStride + 4 tw for the tiles t < th * tw
/// of an image (0 past them), `rowsLeft`/`colsLeft` the output rows and
/// columns from the tile's origin to the edge (0 past the tiles).
struct TileTables {
  SmallVector<int32_t> inputOrigins, outputOrigins, rowsLeft, colsLeft;
};

TileTables tileTables(const Variant &v, int64_t th, int64_t tw, int64_t padded,
                      int64_t oh, int64_t ow, int64_t inWidth) {
  TileTables t;
  for (int64_t i = 0; i < padded; ++i) {
    bool real = i < th * tw;
    int64_t r = real ? i / tw * v.out : 0, c = real ? i % tw * v.out : 0;
    t.inputOrigins.push_back(int32_t(r * inWidth + c));
    t.outputOrigins.push_back(int32_t(r * ow + c));
    t.rowsLeft.push_back(real ? int32_t(oh - r) : 0);
    t.colsLeft.push_back(real ? int32_t(ow - c) : 0);
  }
  return t;
}

/// The input plane of image `n`, channel `c` padded to [height, width]
/// and flattened, which the input transform gathers from: the unpadded
/// input's plane itself when it has that shape, else a copy of it into a
/// buffer of the task's own (L1-resident: 58 x 58 floats for a 56 x 56
/// map) whose border holds the padding. A padded copy of the whole input
/// made first was a pass over memory the size of the input (15 % of a
/// 64-channel 56 x 56 convolution's time) and a stage of its own.
struct InputPlanes {
  hcc::cpu::Unpadded input;
  int64_t height, width;

  Value planeOf(OpBuilder &b, Location loc, Value n, Value c) const {
    auto type = cast<RankedTensorType>(input.source.getType());
    int64_t h = type.getDimSize(2), w = type.getDimSize(3);
    Type f32 = type.getElementType();
    SmallVector<OpFoldResult> at = {n, c, b.getIndexAttr(0), b.getIndexAttr(0)};
    Value plane = tensor::ExtractSliceOp::create(
        b, loc, RankedTensorType::get({h, w}, f32), input.source, at,
        indexAttrs(b, {1, 1, h, w}), indexAttrs(b, {1, 1, 1, 1}));
    if (h != height || w != width || input.top != 0 || input.left != 0) {
      Value padding = input.value;
      if (!padding)
        padding = arith::ConstantOp::create(b, loc, b.getZeroAttr(f32));
      Value buf = tensor::EmptyOp::create(b, loc, {height, width}, f32);
      buf = linalg::FillOp::create(b, loc, padding, buf).getResult(0);
      plane = tensor::InsertSliceOp::create(
          b, loc, plane, buf, indexAttrs(b, {input.top, input.left}),
          indexAttrs(b, {h, w}), indexAttrs(b, {1, 1}));
    }
    return tensor::CollapseShapeOp::create(
        b, loc, plane, ArrayRef<ReassociationIndices>{{0, 1}});
  }
};

/// V[xi, c, n * tiles + t] from the input planes padded to
/// [4 TH + 2, 4 TW + 2].
Value inputTransform(OpBuilder &b, Location loc, const Variant &v,
                     const InputPlanes &planes, Value origins, int64_t images,
                     int64_t channels, int64_t tiles, int64_t lanes) {
  int64_t width = planes.width;
  Emitter e{b, loc, lanes};
  Type f32 = b.getF32Type();
  Value empty = tensor::EmptyOp::create(
      b, loc, ArrayRef<int64_t>{v.points(), channels, images * tiles}, f32);
  auto offsets = [&](Value n, Value c) -> SmallVector<OpFoldResult> {
    Value column = arith::MulIOp::create(b, loc, n, e.index(tiles));
    return {b.getIndexAttr(0), c, column};
  };
  auto body = [&](Value n, Value c, Value slice) -> Value {
    Value flat = planes.planeOf(b, loc, n, c);
    Value mask = e.allTrue(), zero = e.splat(0);
    auto loop = scf::ForOp::create(
        b, loc, e.index(0), e.index(tiles), e.index(lanes), ValueRange{slice},
        [&](OpBuilder &, Location, Value chunk, ValueRange args) {
          Value origin = e.readTable(origins, chunk);
          SmallVector<Value> d;
          for (int64_t i = 0; i < v.in; ++i)
            for (int64_t j = 0; j < v.in; ++j) {
              Value at = arith::AddIOp::create(b, loc, origin,
                                               e.splatI32(i * width + j));
              d.push_back(vector::GatherOp::create(b, loc, e.f32Vector(), flat,
                                                   ValueRange{e.index(0)}, at,
                                                   mask, zero));
            }
          // Rows: d B (each input row's 6 values), then columns: B^T (d B).
          SmallVector<Value> rows;
          for (int64_t i = 0; i < v.in; ++i)
            for (int64_t nu = 0; nu < v.in; ++nu)
              rows.push_back(
                  e.combine(v.btRow(nu), ArrayRef(d).slice(i * v.in, v.in)));
          Value acc = args[0];
          for (int64_t xi = 0; xi < v.in; ++xi)
            for (int64_t nu = 0; nu < v.in; ++nu) {
              SmallVector<Value> column;
              for (int64_t i = 0; i < v.in; ++i)
                column.push_back(rows[i * v.in + nu]);
              Value t = e.combine(v.btRow(xi), column);
              acc = vector::TransferWriteOp::create(
                        b, loc, t, acc,
                        ValueRange{e.index(xi * v.in + nu), e.index(0), chunk},
                        ArrayRef<bool>{true})
                        .getResult();
            }
          scf::YieldOp::create(b, loc, acc);
        });
    return loop.getResult(0);
  };
  return forEachSlice(b, loc, images, channels, empty, offsets,
                      {v.points(), 1, tiles}, body);
}

/// `g`'s body on vectors: its inputs are `inputs` (vectors of `lanes`),
/// captured scalars are broadcast; returns the yielded vector.
Value applyBody(OpBuilder &b, Location loc, linalg::GenericOp g,
                ArrayRef<Value> inputs, int64_t lanes) {
  IRMapping map;
  for (auto [arg, v] : llvm::zip(g.getBody()->getArguments(), inputs))
    map.map(arg, v);
  auto vectorOf = [&](Type t) { return VectorType::get({lanes}, t); };
  for (Operation &op : g.getBody()->without_terminator()) {
    if (auto cst = dyn_cast<arith::ConstantOp>(op)) {
      map.map(
          cst.getResult(),
          arith::ConstantOp::create(
              b, loc,
              DenseElementsAttr::get(vectorOf(cst.getType()), cst.getValue())));
      continue;
    }
    for (Value operand : op.getOperands())
      if (!map.contains(operand))
        map.map(operand, vector::BroadcastOp::create(
                             b, loc, vectorOf(operand.getType()), operand));
    Operation *clone = b.clone(op, map);
    for (Value r : clone->getResults())
      r.setType(vectorOf(r.getType()));
  }
  return map.lookup(g.getBody()->getTerminator()->getOperand(0));
}

/// y = A^T M A (+ the accumulator) scattered into the output [N, F, OH, OW].
Value outputTransform(OpBuilder &b, Location loc, const Variant &v, Value m,
                      Value init, linalg::GenericOp consumer, Value result,
                      const TileTables &tables, int64_t tiles,
                      RankedTensorType outType, int64_t lanes) {
  Emitter e{b, loc, lanes};
  int64_t images = outType.getDimSize(0), filters = outType.getDimSize(1);
  int64_t oh = outType.getDimSize(2), ow = outType.getDimSize(3);
  InitValue start = classifyInit(init);
  Value dest = tensor::EmptyOp::create(b, loc, outType.getShape(),
                                       outType.getElementType());
  Value origins = table(b, loc, tables.outputOrigins);
  Value rowsLeft = table(b, loc, tables.rowsLeft);
  Value colsLeft = table(b, loc, tables.colsLeft);
  auto offsets = [&](Value n, Value f) -> SmallVector<OpFoldResult> {
    return {n, f, b.getIndexAttr(0), b.getIndexAttr(0)};
  };
  auto body = [&](Value n, Value f, Value slice) -> Value {
    Value column = arith::MulIOp::create(b, loc, n, e.index(tiles));
    auto planeOf = [&](Value t) -> Value {
      if (t == slice)
        return tensor::CollapseShapeOp::create(
            b, loc, slice, ArrayRef<ReassociationIndices>{{0, 1, 2, 3}});
      Value s = tensor::ExtractSliceOp::create(b, loc, t, offsets(n, f),
                                               indexAttrs(b, {1, 1, oh, ow}),
                                               indexAttrs(b, {1, 1, 1, 1}));
      return tensor::CollapseShapeOp::create(
          b, loc, s, ArrayRef<ReassociationIndices>{{0, 1, 2, 3}});
    };
    Value plane = planeOf(slice);
    Value initPlane = start.scalar || start.perFilter ? Value() : planeOf(init);
    // The consumer's inputs: the convolution's output tile (null here) or
    // a plane of another tensor.
    SmallVector<Value> consumerPlanes;
    if (consumer)
      for (Value input : consumer.getDpsInputs())
        consumerPlanes.push_back(input == result ? Value() : planeOf(input));
    // A fill with +0 adds nothing.
    bool zeroInit =
        start.scalar && matchPattern(start.scalar, m_PosZeroFloat());
    Value bias;
    if (start.scalar)
      bias = vector::BroadcastOp::create(b, loc, e.f32Vector(), start.scalar);
    else if (start.perFilter)
      bias = vector::BroadcastOp::create(
          b, loc, e.f32Vector(),
          tensor::ExtractOp::create(b, loc, start.perFilter, ValueRange{f}));
    Value zero = e.splat(0);
    auto loop = scf::ForOp::create(
        b, loc, e.index(0), e.index(tiles), e.index(lanes), ValueRange{plane},
        [&](OpBuilder &, Location, Value chunk, ValueRange args) {
          Value at = arith::AddIOp::create(b, loc, column, chunk);
          SmallVector<Value> mv;
          for (int64_t k = 0; k < v.points(); ++k)
            mv.push_back(vector::TransferReadOp::create(
                b, loc, e.f32Vector(), m, ValueRange{e.index(k), f, at},
                /*padding=*/std::nullopt, ArrayRef<bool>{true}));
          // Rows: M A (6 rows of 4), then columns: A^T (M A).
          SmallVector<Value> rows;
          for (int64_t xi = 0; xi < v.in; ++xi)
            for (int64_t j = 0; j < v.out; ++j)
              rows.push_back(
                  e.combine(v.atRow(j), ArrayRef(mv).slice(xi * v.in, v.in)));
          Value origin = e.readTable(origins, chunk);
          Value rowsHere = e.readTable(rowsLeft, chunk);
          Value colsHere = e.readTable(colsLeft, chunk);
          Value acc = args[0];
          for (int64_t i = 0; i < v.out; ++i) {
            Value rowOk = arith::CmpIOp::create(
                b, loc, arith::CmpIPredicate::sgt, rowsHere, e.splatI32(i));
            for (int64_t j = 0; j < v.out; ++j) {
              SmallVector<Value> column;
              for (int64_t xi = 0; xi < v.in; ++xi)
                column.push_back(rows[xi * v.out + j]);
              Value y = e.combine(v.atRow(i), column);
              Value colOk = arith::CmpIOp::create(
                  b, loc, arith::CmpIPredicate::sgt, colsHere, e.splatI32(j));
              Value mask = arith::AndIOp::create(b, loc, rowOk, colOk);
              Value to =
                  arith::AddIOp::create(b, loc, origin, e.splatI32(i * ow + j));
              auto gather = [&](Value from) -> Value {
                return vector::GatherOp::create(b, loc, e.f32Vector(), from,
                                                ValueRange{e.index(0)}, to,
                                                mask, zero);
              };
              if (!zeroInit)
                y = arith::AddFOp::create(b, loc, y,
                                          bias ? bias : gather(initPlane));
              if (consumer) {
                SmallVector<Value> inputs;
                for (Value p : consumerPlanes)
                  inputs.push_back(p ? gather(p) : y);
                y = applyBody(b, loc, consumer, inputs, lanes);
              }
              acc =
                  vector::ScatterOp::create(b, loc, acc.getType(), acc,
                                            ValueRange{e.index(0)}, to, mask, y)
                      .getResult();
            }
          }
          scf::YieldOp::create(b, loc, acc);
        });
    return tensor::ExpandShapeOp::create(
        b, loc, slice.getType(), loop.getResult(0),
        ArrayRef<ReassociationIndices>{{0, 1, 2, 3}});
  };
  return forEachSlice(b, loc, images, filters, dest, offsets, {1, 1, oh, ow},
                      body);
}
} // namespace

namespace hcc::cpu {

int64_t winogradTileSize(linalg::Conv2DNchwFchwOp conv, int64_t minSize4,
                         int64_t minSize2, int64_t minChannels) {
  auto unit = [](DenseIntElementsAttr values) {
    return llvm::all_of(values,
                        [](const APInt &v) { return v.getSExtValue() == 1; });
  };
  auto filter = dyn_cast<RankedTensorType>(conv.getInputs()[1].getType());
  auto out = dyn_cast<RankedTensorType>(conv.getOutputs()[0].getType());
  if (!filter || !out || !filter.hasStaticShape() || !out.hasStaticShape() ||
      !filter.getElementType().isF32() || !out.getElementType().isF32() ||
      filter.getDimSize(2) != 3 || filter.getDimSize(3) != 3 ||
      !unit(conv.getStrides()) || !unit(conv.getDilations()) ||
      !conv.getInputs()[1].getDefiningOp<arith::ConstantOp>())
    return 0;
  return winogradTileSizeFor(out.getDimSize(2), out.getDimSize(3),
                             filter.getDimSize(1), minSize4, minSize2,
                             minChannels);
}

FailureOr<Value> winogradConvolution(RewriterBase &rewriter,
                                     linalg::Conv2DNchwFchwOp conv,
                                     int64_t tileSize, int64_t lanes) {
  const Variant &v = variant(tileSize);
  auto inType = cast<RankedTensorType>(conv.getInputs()[0].getType());
  auto filterType = cast<RankedTensorType>(conv.getInputs()[1].getType());
  auto outType = cast<RankedTensorType>(conv.getOutputs()[0].getType());
  std::optional<std::vector<float>> filter =
      hcc::cpu::constantF32Values(conv.getInputs()[1]);
  if (!filter || !inType.hasStaticShape())
    return failure();
  int64_t images = outType.getDimSize(0), filters = outType.getDimSize(1);
  int64_t oh = outType.getDimSize(2), ow = outType.getDimSize(3);
  int64_t channels = filterType.getDimSize(1);
  int64_t th = llvm::divideCeil(oh, v.out), tw = llvm::divideCeil(ow, v.out);
  int64_t height = th * v.out + 2, width = tw * v.out + 2;
  int64_t tiles = llvm::alignTo(th * tw, lanes);
  // The gathers' and scatters' offsets are i32.
  if (height * width >= (int64_t(1) << 31) || oh * ow >= (int64_t(1) << 31))
    return failure();

  Location loc = conv.getLoc();
  rewriter.setInsertionPoint(conv);
  Type f32 = rewriter.getF32Type();
  // The input planes, padded up to whole tiles per task.
  InputPlanes planes{hcc::cpu::lookThroughPad(conv.getInputs()[0]), height,
                     width};
  auto sourceType = cast<RankedTensorType>(planes.input.source.getType());
  if (!sourceType.hasStaticShape() ||
      sourceType.getDimSize(2) + planes.input.top > height ||
      sourceType.getDimSize(3) + planes.input.left > width)
    return failure();
  TileTables tables = tileTables(v, th, tw, tiles, oh, ow, width);
  Value inputs = inputTransform(rewriter, loc, v, planes,
                                table(rewriter, loc, tables.inputOrigins),
                                images, channels, tiles, lanes);
  Value u = arith::ConstantOp::create(
      rewriter, loc, transformFilter(v, *filter, filters, channels, f32));
  Value mInit = tensor::EmptyOp::create(
      rewriter, loc, ArrayRef<int64_t>{v.points(), filters, images * tiles},
      f32);
  Value zero =
      arith::ConstantOp::create(rewriter, loc, rewriter.getF32FloatAttr(0));
  mInit = linalg::FillOp::create(rewriter, loc, zero, mInit).getResult(0);
  Value m =
      linalg::BatchMatmulOp::create(rewriter, loc, mInit.getType(),
                                    ValueRange{u, inputs}, ValueRange{mInit})
          .getResult(0);
  // An elementwise consumer (activation, residual add) joins the output
  // transform when its other inputs exist already.
  linalg::GenericOp consumer = hcc::cpu::fusibleConsumer(conv);
  Value y = outputTransform(rewriter, loc, v, m, conv.getOutputs()[0], consumer,
                            conv.getResult(0), tables, tiles, outType, lanes);
  if (consumer) {
    rewriter.replaceOp(consumer, y);
    rewriter.eraseOp(conv);
  } else {
    rewriter.replaceOp(conv, y);
  }
  return y;
}

int64_t winogradTileSizeFor(int64_t height, int64_t width, int64_t channels,
                            int64_t minSize4, int64_t minSize2,
                            int64_t minChannels) {
  // Over a few input channels the 36 (16) GEMMs are K = channels deep: the
  // transforms cost more than the multiplications they save (3 -> 32
  // filters over 112 x 112: 0.37 ms as F(4x4), 0.28 ms over im2col).
  if (channels < minChannels)
    return 0;
  int64_t size = std::min(height, width);
  if (minSize4 > 0 && size >= minSize4)
    return 4;
  if (minSize2 > 0 && size >= minSize2)
    return 2;
  return 0;
}

} // namespace hcc::cpu
