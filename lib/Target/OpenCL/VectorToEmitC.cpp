//===- VectorToEmitC.cpp - vector tiles as OpenCL vector types ------------===//
//
// The 1-D vectors of vector register tiles are OpenCL C vector values
// (float16, double8, ...): loads and stores are vloadN/vstoreN at the
// element's address, a broadcast is a scalar-to-vector conversion cast,
// and elementwise arithmetic uses C's operators, which OpenCL defines on
// vectors.
//
//===----------------------------------------------------------------------===//

#include "EmitCPatterns.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/EmitC/IR/EmitC.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;

namespace hcc::opencl {

bool isSupportedVectorType(VectorType type) {
  Type elem = type.getElementType();
  return type.getRank() == 1 && !type.isScalable() &&
         (elem.isF32() || elem.isF64()) &&
         llvm::is_contained({2, 3, 4, 8, 16}, type.getNumElements());
}

namespace {

std::string width(VectorType type) {
  return std::to_string(type.getNumElements());
}

/// The address of element `indices` of `memref` (converted `base`).
FailureOr<Value> elementAddress(OpBuilder &b, Location loc, Value base,
                                MemRefType type, ValueRange indices) {
  if (!isa<emitc::OpaqueType>(base.getType()))
    return failure();
  FailureOr<Value> index = linearIndex(b, loc, type, indices);
  if (failed(index))
    return failure();
  return emitc::AddOp::create(b, loc, base.getType(), base, *index).getResult();
}

struct VectorLoadLowering : OpConversionPattern<vector::LoadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(vector::LoadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type type = getTypeConverter()->convertType(op.getType());
    FailureOr<Value> address =
        elementAddress(rewriter, op.getLoc(), adaptor.getBase(),
                       op.getMemRefType(), adaptor.getIndices());
    if (!type || failed(address))
      return rewriter.notifyMatchFailure(op, "unsupported vector load");
    rewriter.replaceOpWithNewOp<emitc::CallOpaqueOp>(
        op, TypeRange{type}, "vload" + width(op.getVectorType()),
        ValueRange{ptrdiff(rewriter, op.getLoc(), 0), *address});
    return success();
  }
};

struct VectorStoreLowering : OpConversionPattern<vector::StoreOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(vector::StoreOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<Value> address =
        elementAddress(rewriter, op.getLoc(), adaptor.getBase(),
                       op.getMemRefType(), adaptor.getIndices());
    if (failed(address))
      return rewriter.notifyMatchFailure(op, "unsupported vector store");
    rewriter.replaceOpWithNewOp<emitc::CallOpaqueOp>(
        op, TypeRange{}, "vstore" + width(op.getVectorType()),
        ValueRange{adaptor.getValueToStore(), ptrdiff(rewriter, op.getLoc(), 0),
                   *address});
    return success();
  }
};

struct BroadcastLowering : OpConversionPattern<vector::BroadcastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(vector::BroadcastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type type = getTypeConverter()->convertType(op.getType());
    if (!type || isa<VectorType>(op.getSource().getType()))
      return rewriter.notifyMatchFailure(op, "not a scalar broadcast");
    // (floatN)x: OpenCL converts a scalar to a vector of copies.
    rewriter.replaceOpWithNewOp<emitc::CastOp>(op, type, adaptor.getSource());
    return success();
  }
};

/// One lane of a vector: its OpenCL component (`v.s5`, `v.sa`), read
/// through a variable (components are members of an lvalue).
struct ExtractLowering : OpConversionPattern<vector::ExtractOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(vector::ExtractOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto vecType = dyn_cast<VectorType>(op.getSource().getType());
    Type vecCType = vecType ? getTypeConverter()->convertType(vecType) : Type();
    ArrayRef<int64_t> position = op.getStaticPosition();
    if (!vecCType || position.size() != 1 ||
        ShapedType::isDynamic(position[0]) || !op.getDynamicPosition().empty())
      return rewriter.notifyMatchFailure(op, "not a static lane of a vector");
    Location loc = op.getLoc();
    auto lvalue = emitc::LValueType::get(vecCType);
    Value var = emitc::VariableOp::create(
        rewriter, loc, lvalue, emitc::OpaqueAttr::get(getContext(), ""));
    emitc::AssignOp::create(rewriter, loc, var, adaptor.getSource());
    static const char digits[] = "0123456789abcdef";
    Value lane = emitc::MemberOp::create(
        rewriter, loc, emitc::LValueType::get(op.getType()),
        std::string("s") + digits[position[0]], var);
    rewriter.replaceOpWithNewOp<emitc::LoadOp>(op, op.getType(), lane);
    return success();
  }
};

/// Splat vector constants: the scalar, converted to the vector type.
struct SplatConstantLowering : OpConversionPattern<arith::ConstantOp> {
  SplatConstantLowering(TypeConverter &converter, MLIRContext *ctx)
      : OpConversionPattern(converter, ctx, /*benefit=*/2) {}
  LogicalResult
  matchAndRewrite(arith::ConstantOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto splat = dyn_cast<SplatElementsAttr>(op.getValue());
    auto vecType = dyn_cast<VectorType>(op.getType());
    Type type = vecType ? getTypeConverter()->convertType(vecType) : Type();
    if (!splat || !type)
      return rewriter.notifyMatchFailure(op, "not a splat vector");
    Value scalar = emitc::ConstantOp::create(rewriter, op.getLoc(),
                                             vecType.getElementType(),
                                             splat.getSplatValue<TypedAttr>());
    rewriter.replaceOpWithNewOp<emitc::CastOp>(op, type, scalar);
    return success();
  }
};

/// Elementwise arithmetic on vectors: C operators on OpenCL vectors.
template <typename From, typename To>
struct VectorBinaryLowering : OpConversionPattern<From> {
  VectorBinaryLowering(TypeConverter &converter, MLIRContext *ctx)
      : OpConversionPattern<From>(converter, ctx, /*benefit=*/2) {}
  LogicalResult
  matchAndRewrite(From op, typename From::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto vecType = dyn_cast<VectorType>(op.getType());
    Type type =
        vecType ? this->getTypeConverter()->convertType(vecType) : Type();
    if (!type)
      return rewriter.notifyMatchFailure(op, "not a vector op");
    rewriter.replaceOpWithNewOp<To>(op, type, adaptor.getLhs(),
                                    adaptor.getRhs());
    return success();
  }
};

} // namespace

void populateVectorToOpenCLPatterns(TypeConverter &converter,
                                    RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<VectorLoadLowering, VectorStoreLowering, BroadcastLowering,
               ExtractLowering>(converter, ctx);
  patterns.add<SplatConstantLowering,
               VectorBinaryLowering<arith::AddFOp, emitc::AddOp>,
               VectorBinaryLowering<arith::SubFOp, emitc::SubOp>,
               VectorBinaryLowering<arith::MulFOp, emitc::MulOp>>(converter,
                                                                  ctx);
}

} // namespace hcc::opencl
