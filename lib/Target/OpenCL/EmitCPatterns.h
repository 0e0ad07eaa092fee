//===- EmitCPatterns.h - OpenCL C patterns for EmitC ------------*- C++ -*-===//
//
// Types and rewrite patterns of hcc-ocl-convert-to-emitc.
//
//===----------------------------------------------------------------------===//

#ifndef HCC_LIB_TARGET_OPENCL_EMITCPATTERNS_H
#define HCC_LIB_TARGET_OPENCL_EMITCPATTERNS_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

#include <string>

namespace hcc::opencl {

/// index -> ptrdiff_t (signed, as arith's signed index ops need), f16 ->
/// float (computed in float, stored as half), buffers -> typedef'd
/// `__global`/`__constant` pointers (`hcc_gf32`), private buffers -> C
/// arrays.
class OpenCLTypeConverter : public mlir::TypeConverter {
public:
  explicit OpenCLTypeConverter(mlir::MLIRContext *ctx);
};

/// OpenCL C name of a buffer element type ("float", "uchar" for i1).
std::string clElementType(mlir::Type elem);
/// Typedef name of a pointer to `elem` in `__constant` (true) or
/// `__global` memory: "hcc_cf32", "hcc_gi64".
std::string pointerTypeName(mlir::Type elem, bool constant);
/// Typedef name of a pointer to `elem` in `__local` memory ("hcc_lf32").
std::string localPointerTypeName(mlir::Type elem);
/// Whether `type` is a memref in the `__constant`, private or workgroup
/// (`__local`, `#gpu.address_space<workgroup>`) space.
bool isConstantSpace(mlir::MemRefType type);
bool isPrivateSpace(mlir::MemRefType type);
bool isLocalSpace(mlir::MemRefType type);

/// A ptrdiff_t constant.
mlir::Value ptrdiff(mlir::OpBuilder &b, mlir::Location loc, int64_t v);
/// Static strides and offset of `type`, or failure.
mlir::LogicalResult staticLayout(mlir::MemRefType type,
                                 llvm::SmallVectorImpl<int64_t> &strides,
                                 int64_t &offset);
/// Element index (ptrdiff_t) of `indices` (converted) in a buffer of
/// `type`, counted from its first element; failure for dynamic strides.
mlir::FailureOr<mlir::Value> linearIndex(mlir::OpBuilder &b, mlir::Location loc,
                                         mlir::MemRefType type,
                                         mlir::ValueRange indices);

/// memref.load/store/alloca/reinterpret_cast/extract_strided_metadata/
/// cast/get_global/dealloc/assume_alignment on static-stride buffers.
void populateMemRefToOpenCLPatterns(mlir::TypeConverter &converter,
                                    mlir::RewritePatternSet &patterns);
/// 1-D vectors (vector tiles) -> OpenCL vector types (float16):
/// vector.load/store -> vloadN/vstoreN, vector.broadcast -> a conversion
/// cast, arithmetic on vectors -> C operators.
void populateVectorToOpenCLPatterns(mlir::TypeConverter &converter,
                                    mlir::RewritePatternSet &patterns);
/// Whether vectors of `type` have an OpenCL C type.
bool isSupportedVectorType(mlir::VectorType type);

/// gpu.thread_id/block_id/block_dim/grid_dim -> get_local_id/
/// get_group_id/get_local_size/get_num_groups, gpu.barrier -> barrier().
void populateGPUToOpenCLPatterns(mlir::TypeConverter &converter,
                                 mlir::RewritePatternSet &patterns);

/// math ops -> OpenCL built-ins; arith ops upstream lacks or gets wrong
/// for OpenCL (remf, bitcast, f16 constants and casts).
void populateMathToOpenCLPatterns(mlir::TypeConverter &converter,
                                  mlir::RewritePatternSet &patterns);
/// Whether the math op `op` has an OpenCL lowering.
bool isSupportedMathOp(mlir::Operation *op);
/// Name of the C helper computing math.ipowi on `type`.
std::string ipowiHelperName(mlir::IntegerType type);
/// C name of the `__constant` array of memref.global `symbol`.
std::string globalCName(llvm::StringRef symbol);

} // namespace hcc::opencl

#endif // HCC_LIB_TARGET_OPENCL_EMITCPATTERNS_H
