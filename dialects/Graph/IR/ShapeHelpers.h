//===- ShapeHelpers.h - building blocks of graph shape functions -*- C++
//-*-===//
//
// Shape functions work on ShapeInfo (dimension sizes plus ONNX dim_param
// names) and refine an op's result types through refineResult, which keeps
// the more precise of the current and the inferred type and reports a
// contradiction as an error on the op.
//
//===----------------------------------------------------------------------===//

#ifndef HCC_DIALECTS_GRAPH_IR_SHAPEHELPERS_H
#define HCC_DIALECTS_GRAPH_IR_SHAPEHELPERS_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"
#include "mlir/Support/LLVM.h"

#include <optional>

namespace hcc::graph {

/// A ranked shape under inference. `dims[i]` is mlir::ShapedType::kDynamic
/// when unknown; `syms[i]` names a symbolic dimension (may be null).
struct ShapeInfo {
  llvm::SmallVector<int64_t> dims;
  llvm::SmallVector<mlir::StringAttr> syms;

  ShapeInfo() = default;
  explicit ShapeInfo(llvm::ArrayRef<int64_t> d)
      : dims(d.begin(), d.end()), syms(d.size()) {}
  /// A shape of `rank` unknown dimensions.
  static ShapeInfo unknown(int64_t rank);
  int64_t rank() const { return dims.size(); }
  bool isStatic() const;
  /// Appends dimension `i` of `other` (size and name).
  void appendDim(const ShapeInfo &other, int64_t i);
  void appendDim(int64_t size, mlir::StringAttr sym = {});
  /// Number of elements, or nullopt if dynamic or overflowing.
  std::optional<int64_t> numElements() const;
};

/// The ranked shape of a tensor value, or nullopt (unranked, none, seq).
std::optional<ShapeInfo> getShapeInfo(mlir::Value v);
/// Element type of a tensor value (null for non-tensors).
mlir::Type getElementType(mlir::Value v);
/// Builds `tensor<dims x elem>` with a #graph.dims encoding if any name.
mlir::RankedTensorType makeTensorType(const ShapeInfo &shape, mlir::Type elem);

/// The type the importer gives a result it has no type for yet
/// (`tensor<*xnone>`); shape inference must replace it.
mlir::Type getPlaceholderType(mlir::MLIRContext *ctx);
bool isPlaceholderType(mlir::Type type);

/// Whether `op` takes sequences or optionals as operands (the sequence and
/// optional operators, Identity, Loop, yield); every other op takes tensors
/// only, and its shape function may rely on that.
bool acceptsContainerOperands(mlir::Operation *op);

/// The more precise of two types of one value, per dimension; null when they
/// contradict (element type, rank or a static size differs).
mlir::Type mergeTypes(mlir::Type current, mlir::Type inferred);

/// Refines result `idx` of `op` to `inferred` (mergeTypes). Fails with an
/// error naming the op when the two contradict.
mlir::LogicalResult refineResult(mlir::Operation *op, unsigned idx,
                                 mlir::Type inferred);

/// The element type ONNX TensorProto data type `dataType` maps to (1 =
/// float, 7 = int64, 9 = bool, ...); null for an unknown or unsupported
/// number. Shared by shape inference (Cast, EyeLike, ...) and the importer.
mlir::Type onnxDataTypeToMlir(mlir::MLIRContext *ctx, int64_t dataType);
/// The inverse: the ONNX TensorProto.DataType number of an element type, 0
/// for a type ONNX has no number for.
int64_t mlirToOnnxDataType(mlir::Type elem);

/// The element type of a tensor value when it is known: null for
/// non-tensors and for the importer's placeholder (`none` element).
mlir::Type getKnownElementType(mlir::Value v);

/// The element type of `source` if known, else the one `result` is declared
/// with: lets a shape be inferred before the element type is.
mlir::Type getElementTypeOr(mlir::Value source, mlir::Value result);

/// The values of an optional I64ArrayAttr, empty when absent.
llvm::SmallVector<int64_t> getI64s(mlir::ArrayAttr attr);

/// Records `shape` x `elem` as the inferred type of result `idx`.
inline void setInferred(llvm::SmallVectorImpl<mlir::Type> &types, unsigned idx,
                        const ShapeInfo &shape, mlir::Type elem);

/// Integer contents of `v` if it is produced by a constant (graph.Constant
/// with an integer ElementsAttr).
std::optional<llvm::SmallVector<int64_t>> getConstantInts(mlir::Value v);
/// The ElementsAttr a constant value holds, or null.
mlir::ElementsAttr getConstantElements(mlir::Value v);
/// The single number a constant scalar (or one-element tensor) holds, read
/// as a double whatever its element type.
std::optional<double> getConstantScalar(mlir::Value v);
/// True if `v` is the absent optional (`none`).
bool isNone(mlir::Value v);

/// Pad's `pads` spread over every dimension of a rank-`rank` input: as
/// given when `axes` is null, else the 2 * len(axes) entries placed at the
/// listed axes (Pad-18) and zeros elsewhere. Fails with `error` set when
/// they do not fit the rank.
mlir::FailureOr<llvm::SmallVector<int64_t>>
padsForEveryAxis(llvm::ArrayRef<int64_t> pads,
                 std::optional<llvm::ArrayRef<int64_t>> axes, int64_t rank,
                 std::string &error);

/// Resize-18's `axes` spread over a rank-`rank` input: for every dimension
/// the position of its entry in scales/sizes (and in each half of roi), or
/// -1 when the dimension is not resized. Without axes, dimension i has
/// position i. Fails with `error` set for an axis out of range or repeated.
mlir::FailureOr<llvm::SmallVector<int64_t>>
resizeAxisPositions(std::optional<llvm::ArrayRef<int64_t>> axes, int64_t rank,
                    std::string &error);

/// The scale of every dimension and the output shape Resize derives from
/// `sizes` (indexed by `positions`) for input dimensions `in` under
/// keep_aspect_ratio_policy `policy` (stretch: sizes / in per axis;
/// not_larger / not_smaller: the smallest / largest of those ratios for
/// every listed axis, and output round_half_up(scale * in)). Unlisted
/// dimensions keep scale 1. A dynamic input dimension gives scale 0 and a
/// dynamic output where the policy needs it. Fails for an unknown policy or
/// negative sizes.
mlir::LogicalResult
resizeFromSizes(llvm::ArrayRef<int64_t> in, llvm::ArrayRef<int64_t> positions,
                llvm::ArrayRef<int64_t> sizes, llvm::StringRef policy,
                llvm::SmallVectorImpl<double> &scales,
                llvm::SmallVectorImpl<int64_t> &out, std::string &error);

/// The dimensions [begin, end) that graph.Shape returns for a rank-`rank`
/// input: negatives count from the back, both are clamped to [0, rank].
std::pair<int64_t, int64_t> shapeOpRange(int64_t rank, int64_t start,
                                         std::optional<int64_t> end);

/// Maps `axis` in [-rank, rank) to [0, rank); error on the op otherwise.
mlir::LogicalResult normalizeAxis(mlir::Operation *op, int64_t &axis,
                                  int64_t rank, llvm::StringRef what = "axis");

/// Numpy (multidirectional) broadcast of `shapes`; error on the op if two
/// static dimensions differ and neither is 1.
mlir::LogicalResult broadcastShapes(mlir::Operation *op,
                                    llvm::ArrayRef<ShapeInfo> shapes,
                                    ShapeInfo &result);

/// Records an unranked `elem` tensor (rank unknown, element type known).
inline void setUnranked(llvm::SmallVectorImpl<mlir::Type> &types, unsigned idx,
                        mlir::Type elem) {
  if (idx < types.size() && elem)
    types[idx] = mlir::UnrankedTensorType::get(elem);
}

inline void setInferred(llvm::SmallVectorImpl<mlir::Type> &types, unsigned idx,
                        const ShapeInfo &shape, mlir::Type elem) {
  // An unknown element type leaves the result unknown rather than wrong.
  if (idx < types.size() && elem)
    types[idx] = makeTensorType(shape, elem);
}

} // namespace hcc::graph

#endif // HCC_DIALECTS_GRAPH_IR_SHAPEHELPERS_H
