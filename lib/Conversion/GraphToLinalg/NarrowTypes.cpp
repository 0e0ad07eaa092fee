//===- NarrowTypes.cpp - 8-, 4- and 2-bit element types ------------------===//
//
// The float8 types, FLOAT4E2M1, FLOAT8E8M0 and the 4- and 2-bit integers
// are stored one element per byte in the lowered IR (i8), as the runtime
// holds them: the float codes as they are, the integers sign- or
// zero-extended. Decoding a float code is a lookup in a table of the 2^w
// values (built with APFloat, so every code decodes exactly). Encoding from
// f32 rounds to nearest even with integer arithmetic on the f32 bits, with
// ONNX's rules for what does not fit: saturate to the largest finite value,
// or else infinity where the type has one and NaN where it has not; FNUZ
// types have no negative zero; FLOAT8E8M0 follows Cast's round_mode.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "llvm/ADT/APFloat.h"

#include <limits>

using namespace mlir;

namespace hcc::g2l {

bool isNarrowType(Type t) {
  if (auto f = dyn_cast<FloatType>(t))
    return f.getWidth() <= 8;
  if (auto i = dyn_cast<IntegerType>(t))
    return i.getWidth() > 1 && i.getWidth() < 8;
  return false;
}

namespace {

Value i32Const(OpBuilder &b, Location l, int64_t v) {
  return arith::ConstantOp::create(b, l, b.getI32IntegerAttr(v));
}
Value f32Const(OpBuilder &b, Location l, double v) {
  return arith::ConstantOp::create(b, l, b.getF32FloatAttr(v));
}

/// f32 value of the code `c` (i8 storage) of narrow float type `from`.
Value decodeFloat(OpBuilder &b, Location l, Value c, FloatType from) {
  unsigned w = from.getWidth();
  SmallVector<float> table;
  for (uint64_t code = 0; code < (uint64_t(1) << w); ++code) {
    APFloat f(from.getFloatSemantics(), APInt(w, code));
    if (f.isNaN()) {
      table.push_back(std::numeric_limits<float>::quiet_NaN());
      continue;
    }
    bool lost;
    f.convert(APFloat::IEEEsingle(), APFloat::rmNearestTiesToEven, &lost);
    table.push_back(f.convertToFloat());
  }
  auto tableType =
      RankedTensorType::get({int64_t(table.size())}, b.getF32Type());
  Value t = arith::ConstantOp::create(
      b, l, DenseElementsAttr::get(tableType, ArrayRef<float>(table)));
  Value idx = arith::ExtUIOp::create(b, l, b.getI32Type(), c);
  if (w < 8)
    idx = arith::AndIOp::create(b, l, idx, i32Const(b, l, (1 << w) - 1));
  idx = arith::IndexCastUIOp::create(b, l, b.getIndexType(), idx);
  return tensor::ExtractOp::create(b, l, t, idx);
}

int64_t codeOf(const APFloat &f) {
  return static_cast<int64_t>(f.bitcastToAPInt().getZExtValue());
}

/// i8 code of f32 `x` in FLOAT8E8M0 (exponent only, no sign, no zero):
/// the f32 exponent, rounded as `roundMode` says.
Value encodeE8M0(OpBuilder &b, Location l, Value x, const NarrowCast &mode) {
  auto shr = [&](Value v, int64_t s) {
    return arith::ShRUIOp::create(b, l, v, i32Const(b, l, s));
  };
  auto bit = [&](Value v, int64_t mask) {
    return arith::CmpIOp::create(
        b, l, arith::CmpIPredicate::ne,
        arith::AndIOp::create(b, l, v, i32Const(b, l, mask)),
        i32Const(b, l, 0));
  };
  Value bits = arith::BitcastOp::create(b, l, b.getI32Type(), x);
  Value exp = arith::AndIOp::create(b, l, shr(bits, 23), i32Const(b, l, 0xff));
  Value special = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, exp,
                                        i32Const(b, l, 0xff));
  Value up;
  if (mode.roundMode == "nearest") {
    Value lsb = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ne, exp,
                                      i32Const(b, l, 0));
    Value rest = arith::OrIOp::create(
        b, l,
        arith::OrIOp::create(b, l, bit(bits, 0x200000), bit(bits, 0x1fffff)),
        lsb);
    up = arith::AndIOp::create(b, l, bit(bits, 0x400000), rest);
  } else if (mode.roundMode == "up") {
    up = bit(bits, 0x7fffff);
  } else {
    up = arith::ConstantOp::create(b, l, b.getBoolAttr(false));
  }
  Value notSpecial = arith::XOrIOp::create(
      b, l, special, arith::ConstantOp::create(b, l, b.getBoolAttr(true)));
  up = arith::AndIOp::create(b, l, up, notSpecial);
  if (mode.saturate) {
    Value atMax = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, exp,
                                        i32Const(b, l, 0xfe));
    Value notMax = arith::XOrIOp::create(
        b, l, atMax, arith::ConstantOp::create(b, l, b.getBoolAttr(true)));
    up = arith::AndIOp::create(b, l, up, notMax);
  }
  Value r = arith::AddIOp::create(
      b, l, exp, arith::ExtUIOp::create(b, l, b.getI32Type(), up));
  return arith::TruncIOp::create(b, l, b.getI8Type(), r);
}

/// i8 code of f32 `x` in narrow float type `to` (see the file comment).
Value encodeFloat(OpBuilder &b, Location l, Value x, FloatType to,
                  const NarrowCast &mode) {
  if (isa<Float8E8M0FNUType>(to))
    return encodeE8M0(b, l, x, mode);
  const llvm::fltSemantics &sem = to.getFloatSemantics();
  unsigned w = to.getWidth();
  int64_t m = APFloat::semanticsPrecision(sem) - 1;
  int64_t bias = 1 - APFloat::semanticsMinExponent(sem);
  int64_t signBit = int64_t(1) << (w - 1);
  int64_t maxCode = codeOf(APFloat::getLargest(sem));
  bool hasNaN = APFloat::semanticsHasNaN(sem);
  int64_t nanCode = hasNaN ? codeOf(APFloat::getQNaN(sem)) : signBit;
  bool negativeZero = codeOf(APFloat::getZero(sem, /*Negative=*/true)) != 0;
  // FLOAT4E2M1 always saturates; `saturate` is for the float8 types. What
  // overflows keeps its sign, except the FNUZ NaN, which has none.
  int64_t overflowCode = maxCode;
  bool overflowSigned = true;
  if (!mode.saturate && w == 8) {
    overflowCode = APFloat::semanticsHasInf(sem) ? codeOf(APFloat::getInf(sem))
                                                 : nanCode & (signBit - 1);
    overflowSigned = overflowCode != 0;
    if (!overflowSigned)
      overflowCode = nanCode;
  }
  double minNormal = APFloat::getSmallestNormalized(sem).convertToDouble();

  Type i32 = b.getI32Type();
  Value bits = arith::BitcastOp::create(b, l, i32, x);
  Value absBits = arith::AndIOp::create(b, l, bits, i32Const(b, l, 0x7fffffff));
  Value isNeg = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, bits,
                                      i32Const(b, l, 0));
  Value isNaN = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ugt, absBits,
                                      i32Const(b, l, 0x7f800000));
  Value absF = arith::BitcastOp::create(b, l, b.getF32Type(), absBits);

  // Below the smallest normal the step is fixed: scale and round to an
  // integer code (the smallest normal's code comes out of the same sum).
  Value clamped =
      arith::MinimumFOp::create(b, l, absF, f32Const(b, l, minNormal));
  Value scaled = arith::MulFOp::create(
      b, l, clamped, f32Const(b, l, std::ldexp(1.0, bias - 1 + m)));
  Value sub = arith::FPToSIOp::create(b, l, i32,
                                      math::RoundEvenOp::create(b, l, scaled));
  // Normal: round the f32 bits to m mantissa bits (ties to even), re-bias.
  int64_t shift = 23 - m;
  Value lsb = arith::AndIOp::create(
      b, l, arith::ShRUIOp::create(b, l, absBits, i32Const(b, l, shift)),
      i32Const(b, l, 1));
  Value rounded = arith::AddIOp::create(
      b, l,
      arith::AddIOp::create(b, l, absBits,
                            i32Const(b, l, (int64_t(1) << (shift - 1)) - 1)),
      lsb);
  Value nrm = arith::SubIOp::create(
      b, l, arith::ShRUIOp::create(b, l, rounded, i32Const(b, l, shift)),
      i32Const(b, l, (127 - bias) << m));
  Value isSub = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, absF,
                                      f32Const(b, l, minNormal));
  Value mag = arith::SelectOp::create(b, l, isSub, sub, nrm);
  Value overflow = arith::CmpIOp::create(b, l, arith::CmpIPredicate::sgt, mag,
                                         i32Const(b, l, maxCode));
  Value r = arith::SelectOp::create(
      b, l, isNeg, arith::OrIOp::create(b, l, mag, i32Const(b, l, signBit)),
      mag);
  if (!negativeZero) {
    Value zero = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, mag,
                                       i32Const(b, l, 0));
    r = arith::SelectOp::create(b, l, zero, i32Const(b, l, 0), r);
  }
  Value ovf = i32Const(b, l, overflowCode);
  if (overflowSigned)
    ovf = arith::SelectOp::create(b, l, isNeg,
                                  i32Const(b, l, overflowCode | signBit), ovf);
  r = arith::SelectOp::create(b, l, overflow, ovf, r);
  r = arith::SelectOp::create(b, l, isNaN, i32Const(b, l, nanCode), r);
  return arith::TruncIOp::create(b, l, b.getI8Type(), r);
}

/// Wraps the integer `v` (any width) into the canonical i8 storage of the
/// w-bit integer type `to`: the low w bits, sign- or zero-extended.
Value wrapNarrowInt(OpBuilder &b, Location l, Value v, IntegerType to) {
  Type i8 = b.getI8Type();
  unsigned vw = v.getType().getIntOrFloatBitWidth();
  if (vw > 8)
    v = arith::TruncIOp::create(b, l, i8, v);
  else if (vw < 8)
    v = arith::ExtUIOp::create(b, l, i8, v);
  Value s =
      arith::ConstantOp::create(b, l, b.getIntegerAttr(i8, 8 - to.getWidth()));
  Value up = arith::ShLIOp::create(b, l, v, s);
  return to.isUnsigned() ? Value(arith::ShRUIOp::create(b, l, up, s))
                         : Value(arith::ShRSIOp::create(b, l, up, s));
}

} // namespace

Type storageElementType(Type t) {
  if (isNarrowType(t))
    return IntegerType::get(t.getContext(), 8);
  if (auto i = dyn_cast<IntegerType>(t); i && !i.isSignless())
    return IntegerType::get(t.getContext(), i.getWidth());
  return t;
}

Value convertNarrow(OpBuilder &b, Location loc, Value v, Type from, Type to,
                    const NarrowCast &mode) {
  MLIRContext *ctx = b.getContext();
  Type f32 = b.getF32Type();
  // Narrow integers are their canonical (extended) byte.
  if (isNarrowType(from) && isa<IntegerType>(from)) {
    Type byte = from.isUnsignedInteger()
                    ? IntegerType::get(ctx, 8, IntegerType::Unsigned)
                    : IntegerType::get(ctx, 8);
    return convertScalar(b, loc, v, byte, to, mode);
  }
  if (auto f = dyn_cast<FloatType>(from); f && isNarrowType(f))
    return convertScalar(b, loc, decodeFloat(b, loc, v, f), f32, to, mode);
  if (auto f = dyn_cast<FloatType>(to)) {
    assert(isNarrowType(to) && "converting to a narrow type");
    return encodeFloat(b, loc, convertScalar(b, loc, v, from, f32), f, mode);
  }
  // Integers wrap to the low w bits; floats go through a signed i32 first
  // (-3.0 to UINT2 is 1, as the ONNX tests have it).
  auto it = cast<IntegerType>(to);
  Type wide = IntegerType::get(ctx, 32, IntegerType::Signed);
  if (!isa<FloatType>(from))
    wide = IntegerType::get(ctx, std::max(8u, from.getIntOrFloatBitWidth()),
                            it.isUnsigned() ? IntegerType::Unsigned
                                            : IntegerType::Signed);
  return wrapNarrowInt(b, loc, convertScalar(b, loc, v, from, wide), it);
}

DenseElementsAttr narrowToStorage(DenseElementsAttr value,
                                  RankedTensorType storage) {
  Type elem = value.getElementType();
  SmallVector<APInt> bytes;
  bytes.reserve(value.getNumElements());
  if (isa<FloatType>(elem)) {
    for (const APFloat &f : value.getValues<APFloat>())
      bytes.push_back(f.bitcastToAPInt().zext(8));
  } else {
    bool isSigned = !elem.isUnsignedInteger();
    for (const APInt &i : value.getValues<APInt>())
      bytes.push_back(isSigned ? i.sext(8) : i.zext(8));
  }
  return DenseElementsAttr::get(storage, bytes);
}

} // namespace hcc::g2l
