//===- Common.h - helpers shared by the graph-to-linalg patterns -*- C++
//-*-===//
//
// Builders for the upstream IR every op family produces: broadcasting
// elementwise linalg.generic ops, reductions, reshapes, scalar constants and
// element-type conversions that respect ONNX signedness (the graph dialect
// keeps ui8/ui16/...; the lowered IR is signless).
//
//===----------------------------------------------------------------------===//

#ifndef HCC_LIB_CONVERSION_GRAPHTOLINALG_COMMON_H
#define HCC_LIB_CONVERSION_GRAPHTOLINALG_COMMON_H

#include "dialects/Graph/IR/GraphOps.h"
#include "hcc/Conversion/GraphToLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

#include <optional>

namespace hcc::g2l {
using namespace mlir;

/// Body of an elementwise generic: scalar inputs in, scalar result out.
using ScalarFn =
    llvm::function_ref<Value(OpBuilder &, Location, ValueRange args)>;
/// Combiner of a reduction: (element, accumulator) -> accumulator.
using CombineFn =
    llvm::function_ref<Value(OpBuilder &, Location, Value x, Value acc)>;

/// The converted (encoding-free, signless) ranked tensor type of `v`'s type.
RankedTensorType convertedTensorType(const TypeConverter &tc, Type t);
/// Whether every type is present and has a static shape.
bool allStaticTensors(ArrayRef<RankedTensorType> types);
/// True for unsigned integer element types of the original graph IR.
bool isUnsignedType(Type t);
Type elementTypeOf(Value v);

/// A scalar constant of element type `t` (float or signless integer).
Value scalarConst(OpBuilder &b, Location loc, Type t, double v);
/// The lowest / highest value of `t` (-inf / +inf for floats).
Value lowestValue(OpBuilder &b, Location loc, Type t, bool isUnsigned);
Value highestValue(OpBuilder &b, Location loc, Type t, bool isUnsigned);

Value emptyTensor(OpBuilder &b, Location loc, RankedTensorType t);
/// linalg.fill of a tensor.empty with `scalar`.
Value filledTensor(OpBuilder &b, Location loc, RankedTensorType t,
                   Value scalar);

/// Map from the iteration space of a rank-`outRank` result (shape
/// `outShape`) into an operand of type `in` under numpy broadcasting
/// (trailing alignment; size-1 dims read index 0).
AffineMap broadcastMap(MLIRContext *ctx, ArrayRef<int64_t> inShape,
                       ArrayRef<int64_t> outShape);
/// Map (d0..dn) -> (the dims not in `axes`).
AffineMap dropDimsMap(MLIRContext *ctx, int64_t rank, ArrayRef<int64_t> axes);

/// An all-parallel linalg.generic producing `resultType` from `inputs`
/// read through `maps` (the output map is the identity).
Value buildGeneric(OpBuilder &b, Location loc, RankedTensorType resultType,
                   ValueRange inputs, ArrayRef<AffineMap> maps, ScalarFn body);
/// buildGeneric with numpy broadcasting of every input to `resultType`.
Value buildBroadcastElementwise(OpBuilder &b, Location loc,
                                RankedTensorType resultType, ValueRange inputs,
                                ScalarFn body);
/// Reduces `input` over the sorted `axes` into a tensor of the remaining
/// dimensions (of element type `accType`), starting from `init`.
Value buildReduction(OpBuilder &b, Location loc, Value input,
                     ArrayRef<int64_t> axes, Value init, CombineFn combine);

/// Reshapes `v` to the static `target` (same element count) with
/// tensor.collapse_shape/expand_shape.
Value reshapeTo(OpBuilder &b, Location loc, Value v, RankedTensorType target);

/// How a cast into the narrow float types treats what does not fit (Cast's
/// `saturate` and, for FLOAT8E8M0, `round_mode`).
struct NarrowCast {
  bool saturate = true;
  StringRef roundMode = "up";
};
/// Reads `saturate` and `round_mode` off a Cast, CastLike or QuantizeLinear.
NarrowCast narrowCastOf(Operation *op);

/// Converts scalar `v` from the original element type `from` to `to`
/// (ONNX Cast semantics, signedness taken from the original types).
Value convertScalar(OpBuilder &b, Location loc, Value v, Type from, Type to,
                    const NarrowCast &mode = {});

/// The 8-, 4- and 2-bit types (float8, FLOAT4E2M1, FLOAT8E8M0, int4, uint4,
/// int2, uint2), stored one element per byte as i8 in the lowered IR.
bool isNarrowType(Type t);
/// The lowered element type of original element type `t`: signless, narrow
/// types as i8.
Type storageElementType(Type t);
/// convertScalar where `from` or `to` is narrow (NarrowTypes.cpp).
Value convertNarrow(OpBuilder &b, Location loc, Value v, Type from, Type to,
                    const NarrowCast &mode);
/// A constant of a narrow type as its i8 storage.
DenseElementsAttr narrowToStorage(DenseElementsAttr value,
                                  RankedTensorType storage);

/// Integer contents of a constant operand: looks at the original value
/// (graph.Constant) and at the converted one (arith.constant).
std::optional<SmallVector<int64_t>> constInts(Value orig, Value converted);
/// The single float a constant operand holds.
std::optional<double> constScalar(Value orig, Value converted);

int64_t intAttrOr(Operation *op, StringRef name, int64_t dflt);
double floatAttrOr(Operation *op, StringRef name, double dflt);
SmallVector<int64_t> intsAttr(Operation *op, StringRef name);

/// Window geometry of a convolution or pool over the spatial dimensions,
/// with auto_pad resolved and, for ceil_mode, the high pads grown so that
/// every output position has a full window in the padded input.
struct Window {
  SmallVector<int64_t> kernel, strides, dilations, padLow, padHigh;
  /// The high pads the op asks for (padHigh may be larger for ceil_mode).
  SmallVector<int64_t> declaredHigh;
  bool hasPadding() const;
};
/// Reads kernel_shape/strides/dilations/pads/auto_pad off `op` for input
/// spatial sizes `in`, kernel sizes `kernel` and output sizes `out`.
FailureOr<Window> readWindow(Operation *op, ArrayRef<int64_t> in,
                             ArrayRef<int64_t> kernel, ArrayRef<int64_t> out);
/// tensor.pad of the spatial dims (2..) of an N, C, spatial... tensor.
Value padSpatial(OpBuilder &b, Location loc, Value v, const Window &w,
                 Value padValue);

/// Operands of an integer 2-D convolution for buildDot4Convolution
/// (converted values; signedness and zero-point facts from the graph).
struct Dot4ConvOperands {
  Value x;        // [N, C, H, W] 8-bit
  bool xUnsigned; // uint8 activations
  Value xZp;      // one element, or null for 0
  Value w;        // [M, C, KH, KW] 8-bit
  bool wUnsigned;
  bool wZeroPointIsZero;    // absent or a constant 0
  Value bias;               // [M] i32, or null
  RankedTensorType accType; // [N, M, OH, OW] i32
  int64_t group;
};
/// The i32 accumulator (bias included, x's zero point taken out) of the
/// convolution as 4-deep uint8 x int8 dot products (Dot4Conv.cpp); nullopt,
/// with nothing emitted, when the operands do not fit that form.
std::optional<Value> buildDot4Convolution(OpBuilder &b, Operation *op,
                                          const Dot4ConvOperands &in);

/// Emits "graph.X cannot be lowered to linalg: `why`" and fails.
LogicalResult unsupported(Operation *op, const Twine &why);

/// Names (without `graph.`) of the ops the elementwise table lowers.
void appendElementwiseOpNames(SmallVectorImpl<StringRef> &names);

void populateElementwisePatterns(TypeConverter &tc, RewritePatternSet &p);
void populateMatMulPatterns(TypeConverter &tc, RewritePatternSet &p);
void populateConvPatterns(TypeConverter &tc, RewritePatternSet &p);
void populatePoolingPatterns(TypeConverter &tc, RewritePatternSet &p);
void populateReductionPatterns(TypeConverter &tc, RewritePatternSet &p);
void populateNormalizationPatterns(TypeConverter &tc, RewritePatternSet &p);
void populateDataMovementPatterns(TypeConverter &tc, RewritePatternSet &p);
void populateResizePatterns(TypeConverter &tc, RewritePatternSet &p);
void populateConvTransposePatterns(TypeConverter &tc, RewritePatternSet &p);
void populateQuantizationPatterns(TypeConverter &tc, RewritePatternSet &p);
void populateVariantsPatterns(TypeConverter &tc, RewritePatternSet &p);
void populateIndexingPatterns(TypeConverter &tc, RewritePatternSet &p);
void populateScatterPatterns(TypeConverter &tc, RewritePatternSet &p);
void populateEinsumPatterns(TypeConverter &tc, RewritePatternSet &p);
void populateTopKPatterns(TypeConverter &tc, RewritePatternSet &p);
void populateQuantizedPatterns(TypeConverter &tc, RewritePatternSet &p,
                               bool int8DotProducts);
void populateGeometryPatterns(TypeConverter &tc, RewritePatternSet &p);
void populateAttentionPatterns(TypeConverter &tc, RewritePatternSet &p);
void populateGridSamplePatterns(TypeConverter &tc, RewritePatternSet &p);
void populateSpectralPatterns(TypeConverter &tc, RewritePatternSet &p);
void populateSequentialPatterns(TypeConverter &tc, RewritePatternSet &p);
void populateRoiAlignPatterns(TypeConverter &tc, RewritePatternSet &p);
void populateLinearAttentionPatterns(TypeConverter &tc, RewritePatternSet &p);
void populateDeformConvPatterns(TypeConverter &tc, RewritePatternSet &p);
void populateTfIdfPatterns(TypeConverter &tc, RewritePatternSet &p);

/// Scalar float arithmetic at `b`'s insertion point, for the coordinate and
/// weight computations in generic bodies.
struct FloatArith {
  OpBuilder &b;
  Location l;
  Value add(Value x, Value y) const {
    return arith::AddFOp::create(b, l, x, y);
  }
  Value sub(Value x, Value y) const {
    return arith::SubFOp::create(b, l, x, y);
  }
  Value mul(Value x, Value y) const {
    return arith::MulFOp::create(b, l, x, y);
  }
  Value div(Value x, Value y) const {
    return arith::DivFOp::create(b, l, x, y);
  }
};

/// `v` with its dimensions permuted (`linalg.transpose`): result dim i is
/// `v`'s dim perm[i].
Value permuteDims(OpBuilder &b, Location loc, Value v, ArrayRef<int64_t> perm);

/// The type a product of `elem` values accumulates in: f32 for f16 and
/// bf16 (the precision ONNX Runtime keeps on CPUs), else `elem` itself.
Type accumulatorType(Type elem);
/// `v` with its elements converted to `elem` (no-op when they are).
Value convertElements(OpBuilder &b, Location loc, Value v, Type elem);

/// Conv.cpp: the convolution of `x` by `w` (ONNX Conv's attributes read
/// from `op`), plus `bias` along dim 1 when given, into `type`.
FailureOr<Value> buildConvolution(OpBuilder &b, Operation *op, Value x, Value w,
                                  Value bias, RankedTensorType type,
                                  int64_t group);
/// Reduction.cpp: softmax (or log-softmax) of the static float tensor `x`
/// along `axis`: max-reduce, exp(x - max), sum-reduce, divide.
Value buildSoftmax(OpBuilder &b, Location loc, Value x, int64_t axis,
                   bool isLog = false);
/// MatMul.cpp: numpy.matmul of static tensors into `resultType`.
Value buildMatMul(OpBuilder &b, Location loc, Value lhs, Value rhs,
                  RankedTensorType resultType);
void populateRecurrentPatterns(TypeConverter &tc, RewritePatternSet &p);

// Indexing.cpp helpers, shared with Scatter.cpp, Einsum.cpp, TopK.cpp.
/// Index-typed `idx` (any integer) wrapped from [-dim, 0) and, with
/// `clamp`, clamped into [0, dim).
Value normalizeIndex(OpBuilder &b, Location loc, Value idx, int64_t dim,
                     bool clamp = true);
/// The static, numeric converted type of result `idx` or an error.
FailureOr<RankedTensorType> staticResultType(const TypeConverter *tc,
                                             Operation *op, unsigned idx = 0);
/// The static ranked tensor type of operand `v` or an error.
FailureOr<RankedTensorType> staticOperandType(Operation *op, Value v);
/// (d0..d{numDims-1}) -> (d0..d{rank-1}) with result `axis` replaced by
/// d`with` (axis -1: none replaced).
AffineMap replaceDimMap(MLIRContext *ctx, unsigned numDims, int64_t rank,
                        int64_t axis, unsigned with);
void populateLossPatterns(TypeConverter &tc, RewritePatternSet &p);
void populateMiscPatterns(TypeConverter &tc, RewritePatternSet &p);
// ControlFlow.cpp: If, Loop, Scan (and graph.yield) as scf ops.
void populateControlFlowPatterns(TypeConverter &tc, RewritePatternSet &p);

// RuntimeOperands.cpp: Slice/Pad with run-time operands, run-time axes.
void populateRuntimeOperandsPatterns(TypeConverter &tc, RewritePatternSet &p);
/// Reduce* of static `x` into static `outType` with the run-time 1-D `axes`:
/// derives the axis sets the shapes allow and calls `reduceOver` (sorted
/// axes -> a value of `outType`) for each, selecting the one `axes` names
/// at run time. `sumLike`: reducing a size-1 dim is the identity.
FailureOr<Value>
lowerRuntimeReduceAxes(OpBuilder &b, Operation *op, Value x, Value axes,
                       RankedTensorType outType, bool sumLike,
                       llvm::function_ref<Value(ArrayRef<int64_t>)> reduceOver);

} // namespace hcc::g2l

#endif // HCC_LIB_CONVERSION_GRAPHTOLINALG_COMMON_H
