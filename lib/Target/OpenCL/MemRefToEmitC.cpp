//===- MemRefToEmitC.cpp - buffers as OpenCL pointers ---------------------===//
//
// A converted buffer is a pointer to its first element (offset applied),
// so loads and stores only need the static strides of their memref type,
// and views (reinterpret_cast after expand-strided-metadata) are pointer
// additions. Private register tiles are C arrays indexed directly.
//
//===----------------------------------------------------------------------===//

#include "EmitCPatterns.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"

#include "OpenCLUtils.h"
#include <atomic>

#include "mlir/Dialect/EmitC/IR/EmitC.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;

namespace hcc::opencl {

static std::string elementSuffix(Type elem) {
  if (elem.isIndex())
    return "idx";
  if (elem.isInteger(1))
    return "b";
  if (auto f = dyn_cast<FloatType>(elem))
    return "f" + std::to_string(f.getWidth());
  auto i = cast<IntegerType>(elem);
  return (i.isUnsigned() ? "u" : "i") + std::to_string(i.getWidth());
}

std::string clElementType(Type elem) {
  if (elem.isIndex())
    return "long";
  if (elem.isInteger(1))
    return "uchar";
  if (elem.isF16())
    return "half";
  if (elem.isF32())
    return "float";
  if (elem.isF64())
    return "double";
  auto i = cast<IntegerType>(elem);
  const char *name = i.getWidth() == 8    ? "char"
                     : i.getWidth() == 16 ? "short"
                     : i.getWidth() == 32 ? "int"
                                          : "long";
  return (i.isUnsigned() ? "u" : "") + std::string(name);
}

std::string pointerTypeName(Type elem, bool constant) {
  return std::string(constant ? "hcc_c" : "hcc_g") + elementSuffix(elem);
}

std::string localPointerTypeName(Type elem) {
  return "hcc_l" + elementSuffix(elem);
}

std::string globalCName(StringRef symbol) {
  std::string name = "hcc_" + symbol.str();
  for (char &c : name)
    if (!llvm::isAlnum(c))
      c = '_';
  return name;
}

static bool hasSpace(MemRefType type, StringRef name) {
  auto space = dyn_cast_or_null<StringAttr>(type.getMemorySpace());
  return space && space.getValue() == name;
}
bool isConstantSpace(MemRefType type) { return hasSpace(type, kConstantSpace); }
bool isPrivateSpace(MemRefType type) { return hasSpace(type, kPrivateSpace); }
bool isLocalSpace(MemRefType type) {
  auto space = dyn_cast_or_null<gpu::AddressSpaceAttr>(type.getMemorySpace());
  return space && space.getValue() == gpu::AddressSpace::Workgroup;
}

OpenCLTypeConverter::OpenCLTypeConverter(MLIRContext *ctx) {
  addConversion([](Type t) -> std::optional<Type> {
    if (emitc::isSupportedEmitCType(t))
      return t;
    return std::nullopt;
  });
  addConversion([](BFloat16Type) -> Type { return Type(); });
  addConversion(
      [ctx](IndexType) -> Type { return emitc::PtrDiffTType::get(ctx); });
  addConversion([ctx](Float16Type) -> Type { return Float32Type::get(ctx); });
  addConversion([ctx](VectorType type) -> Type {
    if (!isSupportedVectorType(type))
      return Type();
    return emitc::OpaqueType::get(ctx,
                                  clElementType(type.getElementType()) +
                                      std::to_string(type.getNumElements()));
  });
  addConversion([this, ctx](MemRefType type) -> Type {
    Type elem = type.getElementType();
    bool supported = elem.isIndex() || elem.isF16() || elem.isF32() ||
                     elem.isF64() ||
                     (isa<IntegerType>(elem) &&
                      llvm::is_contained({1u, 8u, 16u, 32u, 64u},
                                         elem.getIntOrFloatBitWidth()));
    if (!supported)
      return Type();
    if (isPrivateSpace(type)) {
      if (!type.hasStaticShape() || type.getRank() == 0)
        return Type();
      return emitc::ArrayType::get(type.getShape(), convertType(elem));
    }
    if (isLocalSpace(type))
      return emitc::OpaqueType::get(ctx, localPointerTypeName(elem));
    return emitc::OpaqueType::get(ctx,
                                  pointerTypeName(elem, isConstantSpace(type)));
  });
}

Value ptrdiff(OpBuilder &b, Location loc, int64_t v) {
  return emitc::ConstantOp::create(
      b, loc, emitc::PtrDiffTType::get(b.getContext()), b.getIndexAttr(v));
}

/// Static strides and offset of `type`, or failure.
LogicalResult staticLayout(MemRefType type, SmallVectorImpl<int64_t> &strides,
                           int64_t &offset) {
  if (failed(type.getStridesAndOffset(strides, offset)))
    return failure();
  return failure(llvm::any_of(strides, ShapedType::isDynamic));
}

/// Element index of `indices` in a buffer of `type` counted from its first
/// element.
FailureOr<Value> linearIndex(OpBuilder &b, Location loc, MemRefType type,
                             ValueRange indices) {
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(staticLayout(type, strides, offset)))
    return failure();
  Type pd = emitc::PtrDiffTType::get(b.getContext());
  Value sum;
  for (auto [idx, stride] : llvm::zip(indices, strides)) {
    auto constant = idx.getDefiningOp<emitc::ConstantOp>();
    auto value =
        constant ? dyn_cast<IntegerAttr>(constant.getValue()) : nullptr;
    if (stride == 0 || (value && value.getInt() == 0))
      continue;
    Value term = idx;
    if (stride != 1)
      term = emitc::MulOp::create(b, loc, pd, idx, ptrdiff(b, loc, stride));
    sum = sum ? emitc::AddOp::create(b, loc, pd, sum, term).getResult() : term;
  }
  return sum ? sum : ptrdiff(b, loc, 0);
}

namespace {

/// The pointer `ptr` (to the first element of a `type` buffer) moved by
/// `delta` elements.
Value offsetPointer(OpBuilder &b, Location loc, Value ptr, Value delta) {
  return emitc::AddOp::create(b, loc, ptr.getType(), ptr, delta);
}

struct LoadLowering : OpConversionPattern<memref::LoadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(memref::LoadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Type type = getTypeConverter()->convertType(op.getType());
    Value base = adaptor.getMemref();
    if (!type || !base)
      return rewriter.notifyMatchFailure(op, "unsupported type");
    if (isa<emitc::ArrayType>(base.getType())) {
      Value lv = emitc::SubscriptOp::create(rewriter, loc,
                                            emitc::LValueType::get(type), base,
                                            adaptor.getIndices());
      rewriter.replaceOpWithNewOp<emitc::LoadOp>(op, type, lv);
      return success();
    }
    FailureOr<Value> index =
        linearIndex(rewriter, loc, op.getMemRefType(), adaptor.getIndices());
    if (failed(index))
      return rewriter.notifyMatchFailure(op, "dynamic strides");
    if (op.getType().isF16()) {
      rewriter.replaceOpWithNewOp<emitc::CallOpaqueOp>(
          op, TypeRange{type}, "vload_half", ValueRange{*index, base});
      return success();
    }
    Value lv = emitc::SubscriptOp::create(
        rewriter, loc, emitc::LValueType::get(type), base, *index);
    rewriter.replaceOpWithNewOp<emitc::LoadOp>(op, type, lv);
    return success();
  }
};

struct StoreLowering : OpConversionPattern<memref::StoreOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(memref::StoreOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value base = adaptor.getMemref(), value = adaptor.getValue();
    Type type = value.getType();
    if (isa<emitc::ArrayType>(base.getType())) {
      Value lv = emitc::SubscriptOp::create(rewriter, loc,
                                            emitc::LValueType::get(type), base,
                                            adaptor.getIndices());
      rewriter.replaceOpWithNewOp<emitc::AssignOp>(op, lv, value);
      return success();
    }
    FailureOr<Value> index =
        linearIndex(rewriter, loc, op.getMemRefType(), adaptor.getIndices());
    if (failed(index))
      return rewriter.notifyMatchFailure(op, "dynamic strides");
    if (op.getValue().getType().isF16()) {
      rewriter.replaceOpWithNewOp<emitc::CallOpaqueOp>(
          op, TypeRange{}, "vstore_half", ValueRange{value, *index, base});
      return success();
    }
    Value lv = emitc::SubscriptOp::create(
        rewriter, loc, emitc::LValueType::get(type), base, *index);
    rewriter.replaceOpWithNewOp<emitc::AssignOp>(op, lv, value);
    return success();
  }
};

struct AllocaLowering : OpConversionPattern<memref::AllocaOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(memref::AllocaOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type type = getTypeConverter()->convertType(op.getType());
    if (!type)
      return rewriter.notifyMatchFailure(op, "unsupported type");
    if (isLocalSpace(op.getType()) && op.getType().hasStaticShape()) {
      // A `__local` array at kernel scope (where OpenCL C 1.2 wants it)
      // and a pointer to it.
      static std::atomic<unsigned> counter{0};
      std::string name = "hcc_local" + std::to_string(counter++);
      emitc::VerbatimOp::create(
          rewriter, op.getLoc(),
          "__local " + clElementType(op.getType().getElementType()) + " " +
              name + "[" + std::to_string(op.getType().getNumElements()) +
              "];");
      rewriter.replaceOpWithNewOp<emitc::LiteralOp>(op, type, name);
      return success();
    }
    if (!isPrivateSpace(op.getType()))
      return rewriter.notifyMatchFailure(op, "not a private array");
    rewriter.replaceOpWithNewOp<emitc::VariableOp>(
        op, type, emitc::OpaqueAttr::get(op.getContext(), ""));
    return success();
  }
};

struct ReinterpretCastLowering
    : OpConversionPattern<memref::ReinterpretCastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(memref::ReinterpretCastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value src = adaptor.getSource();
    auto srcType = cast<MemRefType>(op.getSource().getType());
    SmallVector<int64_t> strides;
    int64_t srcOffset;
    if (isa<emitc::ArrayType>(src.getType()) ||
        failed(staticLayout(srcType, strides, srcOffset)) ||
        ShapedType::isDynamic(srcOffset))
      return rewriter.notifyMatchFailure(op, "source layout");
    OpFoldResult offset = op.getMixedOffsets().front();
    if (auto attr = dyn_cast<Attribute>(offset)) {
      int64_t delta = cast<IntegerAttr>(attr).getInt() - srcOffset;
      rewriter.replaceOp(
          op, delta == 0 ? src
                         : offsetPointer(rewriter, loc, src,
                                         ptrdiff(rewriter, loc, delta)));
      return success();
    }
    Value delta = adaptor.getOffsets().front();
    if (srcOffset != 0)
      delta = emitc::SubOp::create(rewriter, loc, delta.getType(), delta,
                                   ptrdiff(rewriter, loc, srcOffset));
    rewriter.replaceOp(op, offsetPointer(rewriter, loc, src, delta));
    return success();
  }
};

struct ExtractStridedMetadataLowering
    : OpConversionPattern<memref::ExtractStridedMetadataOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(memref::ExtractStridedMetadataOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value src = adaptor.getSource();
    MemRefType type = op.getSource().getType();
    SmallVector<int64_t> strides;
    int64_t offset;
    if (isa<emitc::ArrayType>(src.getType()) ||
        failed(staticLayout(type, strides, offset)) ||
        ShapedType::isDynamic(offset) || !type.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic layout");
    SmallVector<Value> results;
    results.push_back(offset == 0
                          ? src
                          : offsetPointer(rewriter, loc, src,
                                          ptrdiff(rewriter, loc, -offset)));
    results.push_back(ptrdiff(rewriter, loc, offset));
    for (int64_t size : type.getShape())
      results.push_back(ptrdiff(rewriter, loc, size));
    for (int64_t stride : strides)
      results.push_back(ptrdiff(rewriter, loc, stride));
    rewriter.replaceOp(op, results);
    return success();
  }
};

struct CastLowering : OpConversionPattern<memref::CastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(memref::CastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type type = getTypeConverter()->convertType(op.getType());
    if (type != adaptor.getSource().getType())
      return rewriter.notifyMatchFailure(op, "changes the C type");
    // The pointer is to the first element whatever the layout says.
    rewriter.replaceOp(op, adaptor.getSource());
    return success();
  }
};

struct GetGlobalLowering : OpConversionPattern<memref::GetGlobalOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(memref::GetGlobalOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type type = getTypeConverter()->convertType(op.getType());
    if (!type || !isConstantSpace(op.getType()))
      return rewriter.notifyMatchFailure(op, "not a __constant buffer");
    std::string name = globalCName(op.getName());
    // f16 constants are stored as their bits (half needs cl_khr_fp16).
    if (op.getType().getElementType().isF16())
      name = "((__constant half *)" + name + ")";
    rewriter.replaceOpWithNewOp<emitc::LiteralOp>(op, type, name);
    return success();
  }
};

template <typename OpTy> struct ForwardSource : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (op->getNumResults() == 0)
      rewriter.eraseOp(op);
    else
      rewriter.replaceOp(op, adaptor.getOperands().front());
    return success();
  }
};

} // namespace

void populateMemRefToOpenCLPatterns(TypeConverter &converter,
                                    RewritePatternSet &patterns) {
  patterns
      .add<LoadLowering, StoreLowering, AllocaLowering, ReinterpretCastLowering,
           ExtractStridedMetadataLowering, CastLowering, GetGlobalLowering,
           ForwardSource<memref::DeallocOp>,
           ForwardSource<memref::AssumeAlignmentOp>>(converter,
                                                     patterns.getContext());
}

} // namespace hcc::opencl
