//===- Elementwise.cpp - unary, binary and variadic elementwise ops -------===//
//
// Every elementwise graph op becomes one linalg.generic over the result's
// iteration space; operands broadcast numpy-style through their indexing
// maps (size-1 dims read index 0, missing leading dims are dropped). The
// scalar body of each op is an entry of the table below, so adding an op is
// one line.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "dialects/Graph/IR/ShapeHelpers.h"

using namespace mlir;

namespace hcc::g2l {
namespace {

/// What a scalar body may look at besides its operands.
struct EltInfo {
  Operation *op;
  /// Original (graph) element types of the present (non-none) operands.
  SmallVector<Type> inTypes;
  /// Original element type of the result.
  Type outType;
  bool isUnsignedIn(unsigned i) const { return inTypes[i].isUnsignedInteger(); }
};

using EltFn = Value (*)(OpBuilder &, Location, ValueRange, const EltInfo &);

bool isF(Value v) { return isa<FloatType>(v.getType()); }
Value cst(OpBuilder &b, Location l, Value like, double v) {
  return scalarConst(b, l, like.getType(), v);
}

Value add(OpBuilder &b, Location l, Value x, Value y) {
  return isF(x) ? Value(arith::AddFOp::create(b, l, x, y))
                : Value(arith::AddIOp::create(b, l, x, y));
}
Value sub(OpBuilder &b, Location l, Value x, Value y) {
  return isF(x) ? Value(arith::SubFOp::create(b, l, x, y))
                : Value(arith::SubIOp::create(b, l, x, y));
}
Value mul(OpBuilder &b, Location l, Value x, Value y) {
  return isF(x) ? Value(arith::MulFOp::create(b, l, x, y))
                : Value(arith::MulIOp::create(b, l, x, y));
}
Value div(OpBuilder &b, Location l, Value x, Value y, bool isUnsigned) {
  if (isF(x))
    return arith::DivFOp::create(b, l, x, y);
  // ONNX integer Div truncates, like C.
  return isUnsigned ? Value(arith::DivUIOp::create(b, l, x, y))
                    : Value(arith::DivSIOp::create(b, l, x, y));
}
Value maxOf(OpBuilder &b, Location l, Value x, Value y, bool isUnsigned) {
  if (isF(x))
    return arith::MaximumFOp::create(b, l, x, y);
  return isUnsigned ? Value(arith::MaxUIOp::create(b, l, x, y))
                    : Value(arith::MaxSIOp::create(b, l, x, y));
}
Value minOf(OpBuilder &b, Location l, Value x, Value y, bool isUnsigned) {
  if (isF(x))
    return arith::MinimumFOp::create(b, l, x, y);
  return isUnsigned ? Value(arith::MinUIOp::create(b, l, x, y))
                    : Value(arith::MinSIOp::create(b, l, x, y));
}
/// Comparison with float predicate `fp` or the signed/unsigned int ones.
Value cmp(OpBuilder &b, Location l, Value x, Value y, arith::CmpFPredicate fp,
          arith::CmpIPredicate sp, arith::CmpIPredicate up, bool isUnsigned) {
  if (isF(x))
    return arith::CmpFOp::create(b, l, fp, x, y);
  return arith::CmpIOp::create(b, l, isUnsigned ? up : sp, x, y);
}
Value lessThanZero(OpBuilder &b, Location l, Value x) {
  return cmp(b, l, x, cst(b, l, x, 0), arith::CmpFPredicate::OLT,
             arith::CmpIPredicate::slt, arith::CmpIPredicate::ult, false);
}
Value select(OpBuilder &b, Location l, Value c, Value x, Value y) {
  return arith::SelectOp::create(b, l, c, x, y);
}
Value expOf(OpBuilder &b, Location l, Value x) {
  return math::ExpOp::create(b, l, x);
}

#define UNARY_MATH(NAME, OP)                                                   \
  Value NAME(OpBuilder &b, Location l, ValueRange a, const EltInfo &) {        \
    return OP::create(b, l, a[0]);                                             \
  }
UNARY_MATH(lowerExp, math::ExpOp)
UNARY_MATH(lowerLog, math::LogOp)
UNARY_MATH(lowerSqrt, math::SqrtOp)
UNARY_MATH(lowerTanh, math::TanhOp)
UNARY_MATH(lowerCeil, math::CeilOp)
UNARY_MATH(lowerFloor, math::FloorOp)
UNARY_MATH(lowerErf, math::ErfOp)
UNARY_MATH(lowerSin, math::SinOp)
UNARY_MATH(lowerCos, math::CosOp)
UNARY_MATH(lowerTan, math::TanOp)
UNARY_MATH(lowerAsin, math::AsinOp)
UNARY_MATH(lowerAcos, math::AcosOp)
UNARY_MATH(lowerAtan, math::AtanOp)
UNARY_MATH(lowerSinh, math::SinhOp)
UNARY_MATH(lowerCosh, math::CoshOp)
UNARY_MATH(lowerAsinh, math::AsinhOp)
UNARY_MATH(lowerAcosh, math::AcoshOp)
UNARY_MATH(lowerAtanh, math::AtanhOp)
UNARY_MATH(lowerRound, math::RoundEvenOp)
#undef UNARY_MATH

/// max(x, bound) and min(x, bound) for the bounds of activations (Relu,
/// Clip): `x < bound ? bound : x`, which keeps a NaN x (a compare with NaN
/// is false) like arith.maximumf, and is one vmaxps on x86 instead of
/// maximumf's NaN and signed-zero fix-ups (five instructions in every
/// convolution epilogue). It differs only for a NaN bound (x is kept, as
/// ONNX Runtime keeps it) and for -0 against a bound of +0 (-0 is kept).
Value lowerBound(OpBuilder &b, Location l, Value x, Value bound, bool upper,
                 bool isUnsigned) {
  if (!isF(x))
    return upper ? minOf(b, l, x, bound, isUnsigned)
                 : maxOf(b, l, x, bound, isUnsigned);
  auto beyond = arith::CmpFOp::create(
      b, l, upper ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OLT, x,
      bound);
  return select(b, l, beyond, bound, x);
}
Value lowerRelu(OpBuilder &b, Location l, ValueRange a, const EltInfo &i) {
  return lowerBound(b, l, a[0], cst(b, l, a[0], 0), /*upper=*/false,
                    i.isUnsignedIn(0));
}
Value lowerLeakyRelu(OpBuilder &b, Location l, ValueRange a, const EltInfo &i) {
  Value x = a[0];
  Value alpha = cst(b, l, x, floatAttrOr(i.op, "alpha", 0.01));
  return select(b, l, lessThanZero(b, l, x), mul(b, l, x, alpha), x);
}
/// 1 / (1 + exp(-x)), with exp's argument capped below the type's
/// overflow so that the denominator is finite: the division may then be
/// computed as a reciprocal (arcp, ninf: a vector reciprocal estimate and a
/// Newton step where the target has one) instead of a slow divide. The cap
/// changes only outputs below the smallest normal number.
Value lowerSigmoid(OpBuilder &b, Location l, ValueRange a, const EltInfo &) {
  Value one = cst(b, l, a[0], 1);
  unsigned bits = a[0].getType().getIntOrFloatBitWidth();
  Value cap = cst(b, l, a[0], bits <= 16 ? 11 : bits <= 32 ? 88 : 709);
  Value negated = arith::NegFOp::create(b, l, a[0]);
  // A select keeps NaN (a compare with NaN is false).
  Value capped = select(
      b, l,
      arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, negated, cap), cap,
      negated);
  Value denominator = arith::AddFOp::create(b, l, one, expOf(b, l, capped));
  return arith::DivFOp::create(b, l, one, denominator,
                               arith::FastMathFlags::arcp |
                                   arith::FastMathFlags::ninf);
}
Value lowerNeg(OpBuilder &b, Location l, ValueRange a, const EltInfo &) {
  if (isF(a[0]))
    return arith::NegFOp::create(b, l, a[0]);
  return arith::SubIOp::create(b, l, cst(b, l, a[0], 0), a[0]);
}
Value lowerAbs(OpBuilder &b, Location l, ValueRange a, const EltInfo &i) {
  if (isF(a[0]))
    return math::AbsFOp::create(b, l, a[0]);
  if (i.isUnsignedIn(0))
    return a[0];
  return math::AbsIOp::create(b, l, a[0]);
}
Value lowerReciprocal(OpBuilder &b, Location l, ValueRange a, const EltInfo &) {
  return arith::DivFOp::create(b, l, cst(b, l, a[0], 1), a[0]);
}
Value lowerClip(OpBuilder &b, Location l, ValueRange a, const EltInfo &i) {
  auto clip = cast<graph::ClipOp>(i.op);
  Value x = a[0];
  unsigned next = 1;
  bool u = i.isUnsignedIn(0);
  if (!graph::isNone(clip.getMin()))
    x = lowerBound(b, l, x, a[next++], /*upper=*/false, u);
  if (!graph::isNone(clip.getMax()))
    x = lowerBound(b, l, x, a[next++], /*upper=*/true, u);
  return x;
}
Value lowerHardSigmoid(OpBuilder &b, Location l, ValueRange a,
                       const EltInfo &i) {
  Value x = a[0];
  Value alpha = cst(b, l, x, floatAttrOr(i.op, "alpha", 0.2));
  Value beta = cst(b, l, x, floatAttrOr(i.op, "beta", 0.5));
  Value y = arith::AddFOp::create(b, l, mul(b, l, x, alpha), beta);
  y = minOf(b, l, y, cst(b, l, x, 1), false);
  return maxOf(b, l, y, cst(b, l, x, 0), false);
}
Value lowerHardSwish(OpBuilder &b, Location l, ValueRange a, const EltInfo &) {
  Value x = a[0];
  Value y = arith::AddFOp::create(b, l, mul(b, l, x, cst(b, l, x, 1.0 / 6)),
                                  cst(b, l, x, 0.5));
  y = minOf(b, l, y, cst(b, l, x, 1), false);
  y = maxOf(b, l, y, cst(b, l, x, 0), false);
  return mul(b, l, x, y);
}
Value lowerElu(OpBuilder &b, Location l, ValueRange a, const EltInfo &i) {
  Value x = a[0];
  Value alpha = cst(b, l, x, floatAttrOr(i.op, "alpha", 1.0));
  Value neg = mul(b, l, alpha, sub(b, l, expOf(b, l, x), cst(b, l, x, 1)));
  return select(b, l, lessThanZero(b, l, x), neg, x);
}
Value lowerSelu(OpBuilder &b, Location l, ValueRange a, const EltInfo &i) {
  Value x = a[0];
  Value alpha =
      cst(b, l, x, floatAttrOr(i.op, "alpha", 1.67326319217681884765625));
  Value gamma =
      cst(b, l, x, floatAttrOr(i.op, "gamma", 1.05070102214813232421875));
  Value neg = sub(b, l, mul(b, l, alpha, expOf(b, l, x)), alpha);
  Value pos = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, x,
                                    cst(b, l, x, 0));
  return mul(b, l, gamma, select(b, l, pos, x, neg));
}
Value lowerCelu(OpBuilder &b, Location l, ValueRange a, const EltInfo &i) {
  Value x = a[0];
  Value alpha = cst(b, l, x, floatAttrOr(i.op, "alpha", 1.0));
  Value e = expOf(b, l, arith::DivFOp::create(b, l, x, alpha));
  Value neg = mul(b, l, alpha, sub(b, l, e, cst(b, l, x, 1)));
  return add(b, l, maxOf(b, l, x, cst(b, l, x, 0), false),
             minOf(b, l, neg, cst(b, l, x, 0), false));
}
Value lowerThresholdedRelu(OpBuilder &b, Location l, ValueRange a,
                           const EltInfo &i) {
  Value x = a[0];
  Value alpha = cst(b, l, x, floatAttrOr(i.op, "alpha", 1.0));
  Value gt = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, x, alpha);
  return select(b, l, gt, x, cst(b, l, x, 0));
}
Value lowerSoftplus(OpBuilder &b, Location l, ValueRange a, const EltInfo &) {
  return math::Log1pOp::create(b, l, expOf(b, l, a[0]));
}
/// Gelu-20: x * Phi(x), exactly with erf or by the tanh approximation.
Value lowerGelu(OpBuilder &b, Location l, ValueRange a, const EltInfo &i) {
  Value x = a[0];
  Value half = cst(b, l, x, 0.5), one = cst(b, l, x, 1);
  Value phi2; // 1 + erf(x / sqrt 2), or 1 + tanh(...)
  if (cast<graph::GeluOp>(i.op).getApproximate() ==
      graph::GeluApproximation::Tanh) {
    Value x3 = mul(b, l, mul(b, l, x, x), x);
    Value inner = mul(b, l, cst(b, l, x, 0.7978845608028654),
                      add(b, l, x, mul(b, l, cst(b, l, x, 0.044715), x3)));
    phi2 = add(b, l, one, math::TanhOp::create(b, l, inner));
  } else {
    Value scaled = mul(b, l, x, cst(b, l, x, 0.7071067811865476));
    phi2 = add(b, l, one, math::ErfOp::create(b, l, scaled));
  }
  return mul(b, l, mul(b, l, half, x), phi2);
}
/// Mish-18: x * tanh(softplus(x)).
Value lowerMish(OpBuilder &b, Location l, ValueRange a, const EltInfo &i) {
  Value x = a[0];
  return mul(b, l, x, math::TanhOp::create(b, l, lowerSoftplus(b, l, a, i)));
}
/// Swish-24: x * sigmoid(alpha * x).
Value lowerSwish(OpBuilder &b, Location l, ValueRange a, const EltInfo &i) {
  Value x = a[0];
  Value ax = mul(b, l, x, cst(b, l, x, floatAttrOr(i.op, "alpha", 1.0)));
  return mul(b, l, x, lowerSigmoid(b, l, ax, i));
}
Value lowerSoftsign(OpBuilder &b, Location l, ValueRange a, const EltInfo &) {
  Value x = a[0];
  Value d = arith::AddFOp::create(b, l, cst(b, l, x, 1),
                                  math::AbsFOp::create(b, l, x));
  return arith::DivFOp::create(b, l, x, d);
}
Value lowerShrink(OpBuilder &b, Location l, ValueRange a, const EltInfo &i) {
  Value x = a[0];
  bool u = i.isUnsignedIn(0);
  Value lambd = cst(b, l, x, floatAttrOr(i.op, "lambd", 0.5));
  Value negLambd = cst(b, l, x, -floatAttrOr(i.op, "lambd", 0.5));
  Value bias = cst(b, l, x, floatAttrOr(i.op, "bias", 0.0));
  Value lt = cmp(b, l, x, negLambd, arith::CmpFPredicate::OLT,
                 arith::CmpIPredicate::slt, arith::CmpIPredicate::ult, u);
  Value gt = cmp(b, l, x, lambd, arith::CmpFPredicate::OGT,
                 arith::CmpIPredicate::sgt, arith::CmpIPredicate::ugt, u);
  Value zero = cst(b, l, x, 0);
  return select(b, l, lt, add(b, l, x, bias),
                select(b, l, gt, sub(b, l, x, bias), zero));
}
Value lowerNot(OpBuilder &b, Location l, ValueRange a, const EltInfo &) {
  return arith::XOrIOp::create(b, l, a[0], cst(b, l, a[0], 1));
}
Value lowerBitwiseNot(OpBuilder &b, Location l, ValueRange a, const EltInfo &) {
  return arith::XOrIOp::create(b, l, a[0], cst(b, l, a[0], -1));
}
Value lowerCast(OpBuilder &b, Location l, ValueRange a, const EltInfo &i) {
  return convertScalar(b, l, a[0], i.inTypes[0], i.outType, narrowCastOf(i.op));
}
/// BitCast: the same bits read as another type of the same width (a bool
/// is its byte: 0 or 1).
Value lowerBitCast(OpBuilder &b, Location l, ValueRange a, const EltInfo &i) {
  Value x = a[0];
  Type to = i.outType;
  if (auto it = dyn_cast<IntegerType>(to); it && !it.isSignless())
    to = b.getIntegerType(it.getWidth());
  if (x.getType() == to)
    return x;
  if (x.getType().isInteger(1))
    return arith::ExtUIOp::create(b, l, to, x);
  if (to.isInteger(1))
    return arith::CmpIOp::create(b, l, arith::CmpIPredicate::ne, x,
                                 cst(b, l, x, 0));
  return arith::BitcastOp::create(b, l, to, x);
}
Value lowerSign(OpBuilder &b, Location l, ValueRange a, const EltInfo &i) {
  Value x = a[0];
  bool u = i.isUnsignedIn(0);
  Value zero = cst(b, l, x, 0);
  Value gt = cmp(b, l, x, zero, arith::CmpFPredicate::OGT,
                 arith::CmpIPredicate::sgt, arith::CmpIPredicate::ugt, u);
  Value lt = cmp(b, l, x, zero, arith::CmpFPredicate::OLT,
                 arith::CmpIPredicate::slt, arith::CmpIPredicate::ult, u);
  return select(b, l, gt, cst(b, l, x, 1),
                select(b, l, lt, cst(b, l, x, -1), zero));
}
Value lowerIsNaN(OpBuilder &b, Location l, ValueRange a, const EltInfo &) {
  return arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNO, a[0], a[0]);
}
Value lowerIsInf(OpBuilder &b, Location l, ValueRange a, const EltInfo &i) {
  Value x = a[0];
  auto ft = cast<FloatType>(x.getType());
  auto inf = [&](bool neg) -> Value {
    return arith::ConstantOp::create(
        b, l, b.getFloatAttr(ft, APFloat::getInf(ft.getFloatSemantics(), neg)));
  };
  Value isPos =
      arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ, x, inf(false));
  Value isNeg =
      arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ, x, inf(true));
  bool pos = intAttrOr(i.op, "detect_positive", 1) != 0;
  bool neg = intAttrOr(i.op, "detect_negative", 1) != 0;
  if (pos && neg)
    return arith::OrIOp::create(b, l, isPos, isNeg);
  if (pos)
    return isPos;
  if (neg)
    return isNeg;
  return arith::ConstantOp::create(b, l, b.getBoolAttr(false));
}

Value lowerAdd(OpBuilder &b, Location l, ValueRange a, const EltInfo &) {
  return add(b, l, a[0], a[1]);
}
Value lowerSub(OpBuilder &b, Location l, ValueRange a, const EltInfo &) {
  return sub(b, l, a[0], a[1]);
}
Value lowerMul(OpBuilder &b, Location l, ValueRange a, const EltInfo &) {
  return mul(b, l, a[0], a[1]);
}
Value lowerDiv(OpBuilder &b, Location l, ValueRange a, const EltInfo &i) {
  return div(b, l, a[0], a[1], i.isUnsignedIn(0));
}
Value lowerPow(OpBuilder &b, Location l, ValueRange a, const EltInfo &i) {
  // The exponent may have another type; ONNX's result has the base's.
  Value e = convertScalar(b, l, a[1], i.inTypes[1], i.inTypes[0]);
  if (isF(a[0]))
    return math::PowFOp::create(b, l, a[0], e);
  return math::IPowIOp::create(b, l, a[0], e);
}
Value lowerMax(OpBuilder &b, Location l, ValueRange a, const EltInfo &i) {
  Value r = a[0];
  for (Value v : a.drop_front())
    r = maxOf(b, l, r, v, i.isUnsignedIn(0));
  return r;
}
Value lowerMin(OpBuilder &b, Location l, ValueRange a, const EltInfo &i) {
  Value r = a[0];
  for (Value v : a.drop_front())
    r = minOf(b, l, r, v, i.isUnsignedIn(0));
  return r;
}
Value lowerSum(OpBuilder &b, Location l, ValueRange a, const EltInfo &) {
  Value r = a[0];
  for (Value v : a.drop_front())
    r = add(b, l, r, v);
  return r;
}
Value lowerMean(OpBuilder &b, Location l, ValueRange a, const EltInfo &i) {
  return div(b, l, lowerSum(b, l, a, i), cst(b, l, a[0], a.size()), false);
}
Value lowerAnd(OpBuilder &b, Location l, ValueRange a, const EltInfo &) {
  return arith::AndIOp::create(b, l, a[0], a[1]);
}
Value lowerOr(OpBuilder &b, Location l, ValueRange a, const EltInfo &) {
  return arith::OrIOp::create(b, l, a[0], a[1]);
}
Value lowerXor(OpBuilder &b, Location l, ValueRange a, const EltInfo &) {
  return arith::XOrIOp::create(b, l, a[0], a[1]);
}
#define COMPARE(NAME, FP, SP, UP)                                              \
  Value NAME(OpBuilder &b, Location l, ValueRange a, const EltInfo &i) {       \
    return cmp(b, l, a[0], a[1], arith::CmpFPredicate::FP,                     \
               arith::CmpIPredicate::SP, arith::CmpIPredicate::UP,             \
               i.isUnsignedIn(0));                                             \
  }
COMPARE(lowerEqual, OEQ, eq, eq)
COMPARE(lowerLess, OLT, slt, ult)
COMPARE(lowerLessOrEqual, OLE, sle, ule)
COMPARE(lowerGreater, OGT, sgt, ugt)
COMPARE(lowerGreaterOrEqual, OGE, sge, uge)
#undef COMPARE
Value lowerWhere(OpBuilder &b, Location l, ValueRange a, const EltInfo &) {
  return select(b, l, a[0], a[1], a[2]);
}
Value lowerPRelu(OpBuilder &b, Location l, ValueRange a, const EltInfo &) {
  return select(b, l, lessThanZero(b, l, a[0]), mul(b, l, a[0], a[1]), a[0]);
}
Value lowerMod(OpBuilder &b, Location l, ValueRange a, const EltInfo &i) {
  Value x = a[0], y = a[1];
  if (isF(x))
    return arith::RemFOp::create(b, l, x, y); // fmod=1: sign of the dividend
  if (i.isUnsignedIn(0))
    return arith::RemUIOp::create(b, l, x, y);
  Value r = arith::RemSIOp::create(b, l, x, y);
  if (intAttrOr(i.op, "fmod", 0) != 0)
    return r;
  // Python-style: the result takes the divisor's sign.
  Value zero = cst(b, l, x, 0);
  Value nonZero =
      arith::CmpIOp::create(b, l, arith::CmpIPredicate::ne, r, zero);
  Value rNeg = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, r, zero);
  Value yNeg = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, y, zero);
  Value differ = arith::XOrIOp::create(b, l, rNeg, yNeg);
  Value fix = arith::AndIOp::create(b, l, nonZero, differ);
  return select(b, l, fix, arith::AddIOp::create(b, l, r, y), r);
}
Value lowerBitShift(OpBuilder &b, Location l, ValueRange a, const EltInfo &i) {
  auto op = cast<graph::BitShiftOp>(i.op);
  if (op.getDirection() == graph::BitShiftDirection::Left)
    return arith::ShLIOp::create(b, l, a[0], a[1]);
  return arith::ShRUIOp::create(b, l, a[0], a[1]);
}

struct EltEntry {
  const char *name;
  EltFn fn;
  /// Only float element types are accepted.
  bool floatOnly;
};

const EltEntry kElementwiseOps[] = {
    {"Relu", lowerRelu, false},
    {"LeakyRelu", lowerLeakyRelu, true},
    {"Sigmoid", lowerSigmoid, true},
    {"Tanh", lowerTanh, true},
    {"Exp", lowerExp, true},
    {"Log", lowerLog, true},
    {"Sqrt", lowerSqrt, true},
    {"Neg", lowerNeg, false},
    {"Abs", lowerAbs, false},
    {"Ceil", lowerCeil, true},
    {"Floor", lowerFloor, true},
    {"Round", lowerRound, true},
    {"Reciprocal", lowerReciprocal, true},
    {"Clip", lowerClip, false},
    {"Erf", lowerErf, true},
    {"HardSigmoid", lowerHardSigmoid, true},
    {"HardSwish", lowerHardSwish, true},
    {"Elu", lowerElu, true},
    {"Selu", lowerSelu, true},
    {"Celu", lowerCelu, true},
    {"ThresholdedRelu", lowerThresholdedRelu, true},
    {"Softplus", lowerSoftplus, true},
    {"Softsign", lowerSoftsign, true},
    {"Gelu", lowerGelu, true},
    {"Mish", lowerMish, true},
    {"Swish", lowerSwish, true},
    {"Shrink", lowerShrink, false},
    {"Sin", lowerSin, true},
    {"Cos", lowerCos, true},
    {"Tan", lowerTan, true},
    {"Asin", lowerAsin, true},
    {"Acos", lowerAcos, true},
    {"Atan", lowerAtan, true},
    {"Sinh", lowerSinh, true},
    {"Cosh", lowerCosh, true},
    {"Asinh", lowerAsinh, true},
    {"Acosh", lowerAcosh, true},
    {"Atanh", lowerAtanh, true},
    {"Not", lowerNot, false},
    {"Cast", lowerCast, false},
    {"BitCast", lowerBitCast, false},
    {"Sign", lowerSign, false},
    {"IsNaN", lowerIsNaN, true},
    {"IsInf", lowerIsInf, true},
    {"Add", lowerAdd, false},
    {"Sub", lowerSub, false},
    {"Mul", lowerMul, false},
    {"Div", lowerDiv, false},
    {"Pow", lowerPow, false},
    {"Max", lowerMax, false},
    {"Min", lowerMin, false},
    {"Sum", lowerSum, false},
    {"Mean", lowerMean, true},
    {"And", lowerAnd, false},
    {"Or", lowerOr, false},
    {"Xor", lowerXor, false},
    {"BitwiseAnd", lowerAnd, false},
    {"BitwiseOr", lowerOr, false},
    {"BitwiseXor", lowerXor, false},
    {"BitwiseNot", lowerBitwiseNot, false},
    {"Equal", lowerEqual, false},
    {"Less", lowerLess, false},
    {"LessOrEqual", lowerLessOrEqual, false},
    {"Greater", lowerGreater, false},
    {"GreaterOrEqual", lowerGreaterOrEqual, false},
    {"Where", lowerWhere, false},
    {"PRelu", lowerPRelu, false},
    {"Mod", lowerMod, false},
    {"BitShift", lowerBitShift, false},
};

/// One pattern class for the whole table, matched by op name.
class ElementwiseLowering : public ConversionPattern {
public:
  ElementwiseLowering(const TypeConverter &tc, MLIRContext *ctx,
                      const EltEntry &entry)
      : ConversionPattern(tc, (Twine("graph.") + entry.name).str(),
                          /*benefit=*/1, ctx),
        entry(entry) {}

  LogicalResult
  matchAndRewrite(Operation *op, ArrayRef<Value> operands,
                  ConversionPatternRewriter &rewriter) const override {
    if (op->getNumResults() != 1)
      return rewriter.notifyMatchFailure(op, "expected one result");
    auto resultType =
        convertedTensorType(*getTypeConverter(), op->getResult(0).getType());
    if (!resultType || !resultType.hasStaticShape())
      return unsupported(op, "result type must be a static tensor");
    EltInfo info{op, {}, elementTypeOf(op->getResult(0))};
    SmallVector<Value> inputs;
    for (auto [orig, conv] : llvm::zip(op->getOperands(), operands)) {
      if (isa<NoneType>(orig.getType()))
        continue;
      if (!isa<RankedTensorType>(conv.getType()))
        return unsupported(op, "operands must be ranked tensors");
      inputs.push_back(conv);
      info.inTypes.push_back(elementTypeOf(orig));
    }
    if (inputs.empty())
      return unsupported(op, "no tensor operands");
    auto numeric = [](Type t) { return t.isIntOrFloat(); };
    if (!llvm::all_of(info.inTypes, numeric) || !numeric(info.outType))
      return unsupported(op, "only integer and floating-point element types");
    if (entry.floatOnly && !isa<FloatType>(info.inTypes[0]))
      return unsupported(op, "only floating-point element types");
    Value result = buildBroadcastElementwise(
        rewriter, op->getLoc(), resultType, inputs,
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return entry.fn(b, loc, args, info);
        });
    rewriter.replaceOp(op, result);
    return success();
  }

private:
  EltEntry entry;
};

} // namespace

void populateElementwisePatterns(TypeConverter &tc, RewritePatternSet &p) {
  for (const EltEntry &e : kElementwiseOps)
    p.add<ElementwiseLowering>(tc, p.getContext(), e);
}

void appendElementwiseOpNames(SmallVectorImpl<StringRef> &names) {
  for (const EltEntry &e : kElementwiseOps)
    names.push_back(e.name);
}

} // namespace hcc::g2l
