//===- GPUToEmitC.cpp - gpu dialect ids and barriers to OpenCL C ----------===//
//
// GPU-shaped stages index their threads with the gpu dialect (the form the
// CUDA target lowers to NVVM); in OpenCL C a block is a work-group and a
// thread a work-item.
//
//===----------------------------------------------------------------------===//

#include "EmitCPatterns.h"

#include "mlir/Dialect/EmitC/IR/EmitC.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"

using namespace mlir;

namespace {

/// gpu.<id op> <dim> -> `<builtin>(dim)` (size_t, converted to ptrdiff_t).
template <typename IdOp> struct IdToBuiltin : OpConversionPattern<IdOp> {
  IdToBuiltin(TypeConverter &converter, MLIRContext *ctx, StringRef builtin)
      : OpConversionPattern<IdOp>(converter, ctx), builtin(builtin) {}

  LogicalResult
  matchAndRewrite(IdOp op, typename IdOp::Adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type type = this->getTypeConverter()->convertType(op.getType());
    if (!type)
      return failure();
    auto dim = static_cast<int32_t>(op.getDimension());
    rewriter.replaceOpWithNewOp<emitc::CallOpaqueOp>(
        op, TypeRange{type}, builtin, ValueRange{},
        rewriter.getArrayAttr({rewriter.getI32IntegerAttr(dim)}), ArrayAttr());
    return success();
  }

  std::string builtin;
};

/// gpu.barrier -> barrier(CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE): the
/// threads of a block also exchange values through global scratch buffers.
struct BarrierToBuiltin : OpConversionPattern<gpu::BarrierOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(gpu::BarrierOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<emitc::VerbatimOp>(
        op, "barrier(CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE);");
    return success();
  }
};

} // namespace

void hcc::opencl::populateGPUToOpenCLPatterns(TypeConverter &converter,
                                              RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<IdToBuiltin<gpu::ThreadIdOp>>(converter, ctx, "get_local_id");
  patterns.add<IdToBuiltin<gpu::BlockIdOp>>(converter, ctx, "get_group_id");
  patterns.add<IdToBuiltin<gpu::BlockDimOp>>(converter, ctx, "get_local_size");
  patterns.add<IdToBuiltin<gpu::GridDimOp>>(converter, ctx, "get_num_groups");
  patterns.add<BarrierToBuiltin>(converter, ctx);
}
