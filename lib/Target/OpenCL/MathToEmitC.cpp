//===- MathToEmitC.cpp - math and arith extras as OpenCL built-ins --------===//
//
// Math ops call OpenCL C built-ins, which are overloaded for float, double
// and half (upstream's math-to-emitc calls C99's expf etc., which OpenCL C
// lacks). Also the arith ops upstream's arith-to-emitc lacks (remf,
// bitcast) or that f16-as-float changes (constants, extf, truncf).
//
//===----------------------------------------------------------------------===//

#include "EmitCPatterns.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/EmitC/IR/EmitC.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;

namespace hcc::opencl {
namespace {

/// `op` -> `name(operands...)`.
struct BuiltinCall : ConversionPattern {
  BuiltinCall(TypeConverter &converter, MLIRContext *ctx, StringRef opName,
              StringRef callee)
      : ConversionPattern(converter, opName, /*benefit=*/2, ctx),
        callee(callee.str()) {}

  LogicalResult
  matchAndRewrite(Operation *op, ArrayRef<Value> operands,
                  ConversionPatternRewriter &rewriter) const override {
    SmallVector<Type> types;
    if (failed(getTypeConverter()->convertTypes(op->getResultTypes(), types)))
      return rewriter.notifyMatchFailure(op, "result type");
    // OpenCL's built-ins are overloaded for its vector types too.
    if (llvm::any_of(op->getResultTypes(), [](Type t) {
          auto vec = dyn_cast<VectorType>(t);
          return isa<ShapedType>(t) && !(vec && isSupportedVectorType(vec));
        }))
      return rewriter.notifyMatchFailure(op, "vector operands");
    rewriter.replaceOpWithNewOp<emitc::CallOpaqueOp>(op, types, callee,
                                                     operands);
    return success();
  }

  std::string callee;
};

/// math.ipowi -> a helper the prelude defines per integer type.
struct IPowILowering : OpConversionPattern<math::IPowIOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(math::IPowIOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = dyn_cast<IntegerType>(op.getType());
    if (!type)
      return rewriter.notifyMatchFailure(op, "vector operands");
    rewriter.replaceOpWithNewOp<emitc::CallOpaqueOp>(
        op, TypeRange{type}, ipowiHelperName(type), adaptor.getOperands());
    return success();
  }
};

struct RemFLowering : OpConversionPattern<arith::RemFOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(arith::RemFOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type type = getTypeConverter()->convertType(op.getType());
    if (!type || isa<ShapedType>(op.getType()))
      return rewriter.notifyMatchFailure(op, "type");
    rewriter.replaceOpWithNewOp<emitc::CallOpaqueOp>(
        op, TypeRange{type}, "fmod", adaptor.getOperands());
    return success();
  }
};

/// Reinterprets bits with OpenCL's as_<type>() (a C cast would convert).
struct BitcastLowering : OpConversionPattern<arith::BitcastOp> {
  BitcastLowering(TypeConverter &converter, MLIRContext *ctx)
      : OpConversionPattern(converter, ctx, /*benefit=*/2) {}
  LogicalResult
  matchAndRewrite(arith::BitcastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type from = op.getIn().getType(), to = op.getType();
    if (!from.isIntOrFloat() || !to.isIntOrFloat() || from.isF16() ||
        to.isF16() || from.isInteger(1))
      return rewriter.notifyMatchFailure(op, "type");
    rewriter.replaceOpWithNewOp<emitc::CallOpaqueOp>(
        op, TypeRange{to}, "as_" + clElementType(to), adaptor.getOperands());
    return success();
  }
};

/// f16 scalars are floats in the C code.
struct F16ConstantLowering : OpConversionPattern<arith::ConstantOp> {
  F16ConstantLowering(TypeConverter &converter, MLIRContext *ctx)
      : OpConversionPattern(converter, ctx, /*benefit=*/2) {}
  LogicalResult
  matchAndRewrite(arith::ConstantOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto attr = dyn_cast<FloatAttr>(op.getValue());
    if (!attr || !attr.getType().isF16())
      return rewriter.notifyMatchFailure(op, "not an f16 scalar");
    rewriter.replaceOpWithNewOp<emitc::ConstantOp>(
        op, rewriter.getF32Type(),
        rewriter.getF32FloatAttr(attr.getValue().convertToFloat()));
    return success();
  }
};

/// extf/truncf: nothing when f16 is involved (values are floats already;
/// a truncf to f16 keeps float precision until the value is stored), else
/// a C cast.
template <typename OpTy>
struct FloatResizeLowering : OpConversionPattern<OpTy> {
  FloatResizeLowering(TypeConverter &converter, MLIRContext *ctx)
      : OpConversionPattern<OpTy>(converter, ctx, /*benefit=*/2) {}
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type type = this->getTypeConverter()->convertType(op.getType());
    if (!type || isa<ShapedType>(op.getType()))
      return rewriter.notifyMatchFailure(op, "type");
    Value in = adaptor.getIn();
    if (in.getType() == type)
      rewriter.replaceOp(op, in);
    else
      rewriter.replaceOpWithNewOp<emitc::CastOp>(op, type, in);
    return success();
  }
};

struct MathBuiltin {
  StringRef op, callee;
};
constexpr MathBuiltin kMathBuiltins[] = {
    {"math.absf", "fabs"},         {"math.absi", "abs"},
    {"math.acos", "acos"},         {"math.acosh", "acosh"},
    {"math.asin", "asin"},         {"math.asinh", "asinh"},
    {"math.atan", "atan"},         {"math.atan2", "atan2"},
    {"math.atanh", "atanh"},       {"math.cbrt", "cbrt"},
    {"math.ceil", "ceil"},         {"math.copysign", "copysign"},
    {"math.cos", "cos"},           {"math.cosh", "cosh"},
    {"math.ctlz", "clz"},          {"math.ctpop", "popcount"},
    {"math.erf", "erf"},           {"math.erfc", "erfc"},
    {"math.exp", "exp"},           {"math.exp2", "exp2"},
    {"math.expm1", "expm1"},       {"math.floor", "floor"},
    {"math.fma", "fma"},           {"math.fpowi", "pown"},
    {"math.isfinite", "isfinite"}, {"math.isinf", "isinf"},
    {"math.isnan", "isnan"},       {"math.log", "log"},
    {"math.log10", "log10"},       {"math.log1p", "log1p"},
    {"math.log2", "log2"},         {"math.powf", "pow"},
    {"math.round", "round"},       {"math.roundeven", "rint"},
    {"math.rsqrt", "rsqrt"},       {"math.sin", "sin"},
    {"math.sinh", "sinh"},         {"math.sqrt", "sqrt"},
    {"math.tan", "tan"},           {"math.tanh", "tanh"},
    {"math.trunc", "trunc"},
};

} // namespace

std::string ipowiHelperName(IntegerType type) {
  return "hcc_ipowi_i" + std::to_string(type.getWidth());
}

bool isSupportedMathOp(Operation *op) {
  if (isa<math::IPowIOp>(op))
    return true;
  StringRef name = op->getName().getStringRef();
  return llvm::any_of(kMathBuiltins,
                      [&](const MathBuiltin &b) { return b.op == name; });
}

void populateMathToOpenCLPatterns(TypeConverter &converter,
                                  RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  for (const MathBuiltin &b : kMathBuiltins)
    patterns.add<BuiltinCall>(converter, ctx, b.op, b.callee);
  patterns.add<IPowILowering, RemFLowering, BitcastLowering,
               F16ConstantLowering, FloatResizeLowering<arith::ExtFOp>,
               FloatResizeLowering<arith::TruncFOp>>(converter, ctx);
}

} // namespace hcc::opencl
