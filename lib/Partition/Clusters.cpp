//===- Clusters.cpp - kernels as placement sees them ----------------------===//

#include "hcc/Partition/Clusters.h"

#include "dialects/Graph/IR/GraphOps.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;

namespace hcc {

bool isFusibleConsumer(Operation *op) {
  return op->hasTrait<graph::OpTrait::SameShape>() ||
         op->hasTrait<graph::OpTrait::SameShapeBool>() ||
         op->hasTrait<graph::OpTrait::Broadcast>() ||
         op->hasTrait<graph::OpTrait::BroadcastBool>() ||
         isa<graph::BatchNormalizationOp, graph::ReshapeOp, graph::FlattenOp,
             graph::SqueezeOp, graph::UnsqueezeOp, graph::IdentityOp,
             graph::DropoutOp, graph::CastOp, graph::ClipOp>(op);
}

namespace {

/// An elementwise op of one statically shaped result: its tiles are the
/// tiles of that result.
bool isElementwise(Operation *op) {
  if (op->getNumResults() != 1 || op->getNumRegions() != 0)
    return false;
  auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!type || !type.hasStaticShape())
    return false;
  return op->hasTrait<graph::OpTrait::SameShape>() ||
         op->hasTrait<graph::OpTrait::SameShapeBool>() ||
         op->hasTrait<graph::OpTrait::Broadcast>() ||
         op->hasTrait<graph::OpTrait::BroadcastBool>() ||
         isa<graph::IdentityOp, graph::CastOp, graph::ClipOp>(op);
}

ArrayRef<int64_t> resultShape(Operation *op) {
  return cast<RankedTensorType>(op->getResult(0).getType()).getShape();
}

} // namespace

bool joinsLatest(Operation *op, ArrayRef<Operation *> latest,
                 function_ref<bool(Operation *)> inLatest) {
  if (!isFusibleConsumer(op) || op->getNumOperands() == 0 || latest.empty())
    return false;
  auto produced = [&](Value v) {
    Operation *producer = v.getDefiningOp();
    return producer && inLatest(producer);
  };
  if (produced(op->getOperand(0)))
    return true;
  // An elementwise op whose other operand comes from the latest kernel
  // finishes that kernel's tiles just the same, unless it broadcasts them.
  bool elementwise = op->hasTrait<graph::OpTrait::SameShape>() ||
                     op->hasTrait<graph::OpTrait::Broadcast>();
  if (elementwise && op->getNumResults() == 1 &&
      llvm::any_of(op->getOperands().drop_front(), [&](Value v) {
        return v.getType() == op->getResult(0).getType() && produced(v);
      }))
    return true;
  // Side by side: independent elementwise ops over tiles of one shape.
  if (latest.size() >= kMaxSideBySideOps || !isElementwise(op) ||
      llvm::any_of(op->getOperands(), produced))
    return false;
  ArrayRef<int64_t> shape = resultShape(op);
  return llvm::all_of(latest, [&](Operation *member) {
    return isElementwise(member) && resultShape(member) == shape;
  });
}

std::vector<Cluster> formClusters(func::FuncOp func) {
  std::vector<Cluster> clusters;
  DenseMap<Operation *, size_t> clusterOf;
  for (Operation &op : func.getBody().front()) {
    if (!isa<graph::GraphDialect>(op.getDialect()) ||
        isa<graph::ConstantOp, graph::NoneOp>(op))
      continue;
    bool join =
        !clusters.empty() &&
        joinsLatest(&op, clusters.back().ops, [&](Operation *p) {
          auto it = clusterOf.find(p);
          return it != clusterOf.end() && it->second == clusters.size() - 1;
        });
    if (!join)
      clusters.emplace_back();
    clusters.back().ops.push_back(&op);
    clusterOf[&op] = clusters.size() - 1;
  }
  return clusters;
}

int64_t typeBytes(Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped || !shaped.hasStaticShape() ||
      !shaped.getElementType().isIntOrFloat())
    return 0;
  int64_t bits = shaped.getElementType().getIntOrFloatBitWidth();
  return shaped.getNumElements() * std::max<int64_t>(1, (bits + 7) / 8);
}

namespace {

double elements(Value v) {
  auto shaped = dyn_cast<ShapedType>(v.getType());
  return shaped && shaped.hasStaticShape() ? shaped.getNumElements() : 0;
}

SmallVector<int64_t> shapeOf(Value v) {
  auto shaped = dyn_cast<ShapedType>(v.getType());
  if (!shaped || !shaped.hasStaticShape())
    return {};
  return SmallVector<int64_t>(shaped.getShape());
}

int64_t product(ArrayRef<int64_t> dims) {
  int64_t p = 1;
  for (int64_t d : dims)
    p *= d;
  return p;
}

int64_t firstInt(Operation *op, StringRef name, int64_t fallback) {
  if (auto list = op->getAttrOfType<ArrayAttr>(name))
    if (!list.empty())
      if (auto i = dyn_cast<IntegerAttr>(list[0]))
        return i.getInt();
  if (auto i = op->getAttrOfType<IntegerAttr>(name))
    return i.getInt();
  return fallback;
}

double outputElements(Operation *op) {
  double n = 0;
  for (Value r : op->getResults())
    n += elements(r);
  return n;
}

/// Elementwise ops that cost tens of cycles per element, not one.
bool isTranscendental(Operation *op) {
  static const llvm::StringSet<> names = {
      "Sigmoid",   "Tanh",     "Exp",      "Log",        "Erf",
      "HardSwish", "Softplus", "Softsign", "Gelu",       "Mish",
      "Div",       "Pow",      "Sqrt",     "Reciprocal", "Sin",
      "Cos",       "Elu",      "Selu",     "Celu",       "ThresholdedRelu",
      "Atan",      "Asin",     "Acos",     "Sinh",       "Cosh",
      "Tan"};
  return names.contains(op->getName().stripDialect());
}

/// FLOPs of one op; fills the shape features when it is the anchor.
double opFlops(Operation *op, cost::KernelFeatures &f, bool anchor) {
  std::string type = op->getName().stripDialect().str();
  cost::OpFamily family = cost::familyOf(type);
  double out = outputElements(op);
  double in = op->getNumOperands() ? elements(op->getOperand(0)) : 0;
  switch (family) {
  case cost::OpFamily::Contraction: {
    if (op->getNumOperands() < 2)
      return out;
    SmallVector<int64_t> a = shapeOf(op->getOperand(0)),
                         b = shapeOf(op->getOperand(1));
    if (a.empty() || b.empty())
      return out;
    int64_t k = a.back();
    if (type == "Gemm" && firstInt(op, "transA", 0))
      k = a.front();
    if (type == "Einsum")
      k = std::max<int64_t>(
          1, static_cast<int64_t>(std::max(in, elements(op->getOperand(1))) /
                                  std::max(1.0, out)));
    int64_t n = b.size() >= 2 ? b.back() : 1;
    if (type == "Gemm" && firstInt(op, "transB", 0))
      n = b.front();
    if (anchor) {
      f.k = k;
      f.n = n;
      f.m = std::max(1.0, out / std::max<int64_t>(1, n));
      if (a.size() >= 2 && type != "Gemm") {
        f.m = a[a.size() - 2];
        f.batch = std::max(1.0, out / std::max(1.0, f.m * n));
      }
    }
    return 2.0 * out * k;
  }
  case cost::OpFamily::Convolution: {
    if (op->getNumOperands() < 2)
      return out;
    // QLinearConv: x, x_scale, x_zero_point, w, ...
    Value w = type == "QLinearConv" && op->getNumOperands() > 3
                  ? op->getOperand(3)
                  : op->getOperand(1);
    SmallVector<int64_t> ws = shapeOf(w), xs = shapeOf(op->getOperand(0));
    if (ws.size() < 3 || xs.empty())
      return out;
    double window = product(ArrayRef<int64_t>(ws).drop_front(2));
    // Multiply-adds per output (Conv) or per input (ConvTranspose) element.
    double perOutput =
        static_cast<double>(product(ws)) / std::max<int64_t>(1, ws[0]);
    if (anchor) {
      f.window = window;
      f.stride = firstInt(op, "strides", 1);
      f.groups = firstInt(op, "group", 1);
      f.batch = xs[0];
      f.m = type == "ConvTranspose" ? ws[1] * f.groups : ws[0];
      f.k = perOutput;
      f.n = out / std::max(1.0, f.batch * f.m);
    }
    if (type == "ConvTranspose")
      return 2.0 * in * perOutput;
    return 2.0 * out * perOutput;
  }
  case cost::OpFamily::Pooling: {
    double window =
        type.rfind("Global", 0) == 0 ? in / std::max(1.0, out) : 1.0;
    if (auto kernel = op->getAttrOfType<ArrayAttr>("kernel_shape")) {
      window = 1;
      for (Attribute a : kernel)
        if (auto i = dyn_cast<IntegerAttr>(a))
          window *= i.getInt();
    }
    if (anchor) {
      f.window = window;
      f.stride = firstInt(op, "strides", 1);
    }
    return out * window;
  }
  case cost::OpFamily::Reduction:
    if (anchor)
      f.k = in / std::max(1.0, out);
    return in;
  case cost::OpFamily::Normalization:
    return 5.0 * in;
  case cost::OpFamily::DataMovement:
    return 0;
  case cost::OpFamily::Recurrent: {
    double weights = 0;
    for (Value v : op->getOperands())
      if (shapeOf(v).size() == 3 && v != op->getOperand(0))
        weights += elements(v);
    SmallVector<int64_t> x = shapeOf(op->getOperand(0));
    double steps = x.size() == 3 ? static_cast<double>(x[0]) * x[1] : 1;
    if (anchor)
      f.k = steps;
    return 2.0 * steps * weights;
  }
  default:
    return out;
  }
}

} // namespace

cost::KernelFeatures kernelFeatures(ArrayRef<Operation *> ops,
                                    int64_t inlineLimit) {
  cost::KernelFeatures f;
  if (ops.empty())
    return f;
  Operation *anchor = ops.front();
  for (Operation *op : ops)
    if (!isFusibleConsumer(op)) {
      anchor = op;
      break;
    }
  f.opType = anchor->getName().stripDialect().str();
  f.family = cost::familyOf(f.opType);
  f.numOps = ops.size();
  f.fusedOps = ops.size() - 1;
  if (anchor->getNumResults())
    if (auto shaped = dyn_cast<ShapedType>(anchor->getResult(0).getType())) {
      if (shaped.hasRank())
        f.rank = shaped.getRank();
      if (shaped.getElementType().isIntOrFloat())
        f.dtypeBits = shaped.getElementType().getIntOrFloatBitWidth();
    }

  llvm::SmallPtrSet<Operation *, 8> members(ops.begin(), ops.end());
  llvm::SetVector<Value> inputs;
  for (Operation *op : ops) {
    f.flops += opFlops(op, f, op == anchor);
    if (isTranscendental(op))
      f.transcendentals += outputElements(op);
    op->walk([&](Operation *nested) {
      for (Value v : nested->getOperands()) {
        Operation *def = v.getDefiningOp();
        if (def && (members.contains(def) || op->isProperAncestor(def)))
          continue;
        if (auto arg = dyn_cast<BlockArgument>(v);
            arg && op->isAncestor(arg.getOwner()->getParentOp()))
          continue;
        inputs.insert(v);
      }
    });
    for (Value r : op->getResults())
      if (llvm::any_of(r.getUsers(), [&](Operation *user) {
            return !members.contains(user);
          })) {
        f.bytesOut += typeBytes(r.getType());
        f.outElements += elements(r);
      }
  }
  for (Value v : inputs) {
    auto cst = v.getDefiningOp<graph::ConstantOp>();
    if (cst) {
      auto dense = dyn_cast_or_null<DenseElementsAttr>(cst.getValueAttr());
      if (elements(v) <= inlineLimit || (dense && dense.isSplat()))
        continue;
      f.weightBytes += typeBytes(v.getType());
    }
    if (isa_and_nonnull<graph::NoneOp>(v.getDefiningOp()))
      continue;
    f.bytesIn += typeBytes(v.getType());
  }
  return f;
}

} // namespace hcc
