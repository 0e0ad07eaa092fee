//===- VersionAdapters.cpp - older opsets to the newest op form -----------===//

#include "VersionAdapters.h"
#include "OpTable.h"

#include "hcc/Importer/ONNX/Importer.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"

using namespace mlir;
using namespace hcc::onnx_import;

namespace {
/// Edits a copy of a node: moves attributes to inputs, drops attributes.
class NodeRewriter {
public:
  NodeRewriter(const onnx::NodeProto &node, onnx::NodeProto &out,
               MLIRContext *ctx, DefineConstant define, Location loc)
      : out(out), ctx(ctx), define(define), loc(loc) {
    out = node;
  }

  const onnx::AttributeProto *find(StringRef name) {
    for (const auto &a : out.attribute())
      if (a.name() == name)
        return &a;
    return nullptr;
  }

  void drop(StringRef name) {
    auto *attrs = out.mutable_attribute();
    for (int i = 0; i < attrs->size(); ++i)
      if (attrs->Get(i).name() == name) {
        attrs->DeleteSubrange(i, 1);
        return;
      }
  }

  /// Places `name` at input position `pos`, padding with empty inputs.
  void setInput(int pos, const std::string &name) {
    while (out.input_size() <= pos)
      out.add_input("");
    out.set_input(pos, name);
  }

  /// Moves INTS attribute `attr` to input `pos` as a 1-D i64 constant.
  void intsToInput(StringRef attr, int pos) {
    const onnx::AttributeProto *a = find(attr);
    if (!a)
      return;
    SmallVector<int64_t> values(a->ints().begin(), a->ints().end());
    auto type = RankedTensorType::get({static_cast<int64_t>(values.size())},
                                      IntegerType::get(ctx, 64));
    setInput(pos, define(DenseElementsAttr::get(type, ArrayRef(values)), loc));
    drop(attr);
  }

  /// Sets STRING attribute `attr` to `value`, replacing any given value.
  void setString(StringRef attr, StringRef value) {
    drop(attr);
    onnx::AttributeProto *a = out.add_attribute();
    a->set_name(attr.str());
    a->set_type(onnx::AttributeProto::STRING);
    a->set_s(value.str());
  }

  /// Sets STRING attribute `attr` to `value` unless the node gives it.
  void defaultString(StringRef attr, StringRef value) {
    if (!find(attr))
      setString(attr, value);
  }

  /// Moves INT attribute `attr` to input `pos` as a 1-D i64 constant.
  void intToInput(StringRef attr, int pos) {
    const onnx::AttributeProto *a = find(attr);
    if (!a)
      return;
    auto type = RankedTensorType::get({1}, IntegerType::get(ctx, 64));
    setInput(pos, define(DenseElementsAttr::get(type, ArrayRef(a->i())), loc));
    drop(attr);
  }

  /// Moves INT attribute `attr` to input `pos` as a 0-D i64 constant, or
  /// `dflt` if absent.
  void intToScalarInput(StringRef attr, int pos, int64_t dflt) {
    const onnx::AttributeProto *a = find(attr);
    int64_t v = a ? a->i() : dflt;
    auto type = RankedTensorType::get({}, IntegerType::get(ctx, 64));
    setInput(pos, define(DenseElementsAttr::get(type, ArrayRef(v)), loc));
    if (a)
      drop(attr);
  }

  /// Moves FLOAT attribute `attr` to input `pos` as an f32 scalar, or
  /// `dflt` if absent and `dflt` is given.
  void floatToInput(StringRef attr, int pos, std::optional<float> dflt) {
    const onnx::AttributeProto *a = find(attr);
    if (!a && !dflt)
      return;
    float v = a ? a->f() : *dflt;
    auto type = RankedTensorType::get({}, Float32Type::get(ctx));
    setInput(pos, define(DenseElementsAttr::get(type, ArrayRef(v)), loc));
    if (a)
      drop(attr);
  }

  /// Moves FLOATS attribute `attr` to input `pos` as a 1-D f32 constant.
  void floatsToInput(StringRef attr, int pos) {
    const onnx::AttributeProto *a = find(attr);
    if (!a)
      return;
    SmallVector<float> values(a->floats().begin(), a->floats().end());
    auto type = RankedTensorType::get({static_cast<int64_t>(values.size())},
                                      Float32Type::get(ctx));
    setInput(pos, define(DenseElementsAttr::get(type, ArrayRef(values)), loc));
    drop(attr);
  }

private:
  onnx::NodeProto &out;
  MLIRContext *ctx;
  DefineConstant define;
  Location loc;
};
} // namespace

/// One node of an expansion, named after the node it replaces so that its
/// diagnostics lead back to the model.
static onnx::NodeProto makeNode(const std::string &opType,
                                const std::string &name,
                                std::vector<std::string> inputs,
                                std::vector<std::string> outputs) {
  onnx::NodeProto n;
  n.set_op_type(opType);
  n.set_name(name);
  for (auto &i : inputs)
    n.add_input(i);
  for (auto &o : outputs)
    n.add_output(o);
  return n;
}

static void setIntAttr(onnx::NodeProto &n, const std::string &name, int64_t v) {
  onnx::AttributeProto *a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(v);
}

static std::optional<int64_t> intAttr(const onnx::NodeProto &n,
                                      StringRef name) {
  for (const auto &a : n.attribute())
    if (a.name() == name)
      return a.i();
  return std::nullopt;
}

/// Softmax, LogSoftmax and Hardmax before opset 13 coerce their input to
/// 2-D at `axis` (default 1) and normalize each row: Flatten, the op on
/// axis 1, and a Reshape back to the input's shape.
static void expandCoerced2D(const onnx::NodeProto &node,
                            std::vector<onnx::NodeProto> &out,
                            const AdaptContext &actx) {
  const std::string &x = node.input(0);
  std::string base = actx.nodeName + "/coerce_2d";
  std::string flat = actx.freshName(), normalized = actx.freshName(),
              shape = actx.freshName();
  onnx::NodeProto flatten = makeNode("Flatten", base + "/flatten", {x}, {flat});
  setIntAttr(flatten, "axis", intAttr(node, "axis").value_or(1));
  onnx::NodeProto op = makeNode(node.op_type(), base + "/" + node.op_type(),
                                {flat}, {normalized});
  setIntAttr(op, "axis", 1);
  out.push_back(std::move(flatten));
  out.push_back(std::move(op));
  out.push_back(makeNode("Shape", base + "/shape", {x}, {shape}));
  out.push_back(
      makeNode("Reshape", base + "/reshape", {normalized, shape},
               {node.output_size() ? node.output(0) : std::string()}));
}

static bool isReduceWithAxesInput18(StringRef op) {
  return op == "ReduceL1" || op == "ReduceL2" || op == "ReduceLogSum" ||
         op == "ReduceLogSumExp" || op == "ReduceMax" || op == "ReduceMean" ||
         op == "ReduceMin" || op == "ReduceProd" || op == "ReduceSumSquare";
}

int hcc::onnx_import::oldestReadableVersion(const OpInfo &info) {
  StringRef op = info.onnxName;
  // Definitions older than the one kMinOpset selects that differ from their
  // successor only in ways an adapter below handles (negative axes became
  // legal, attributes became inputs).
  if (isReduceWithAxesInput18(op) || op == "ReduceSum" || op == "ArgMax" ||
      op == "ArgMin")
    return info.versions.front();
  int v = info.versionAt(kMinOpset);
  return v ? v : info.versions.front();
}

AdaptResult hcc::onnx_import::adaptNode(const onnx::NodeProto &node,
                                        int version,
                                        std::vector<onnx::NodeProto> &out,
                                        const AdaptContext &actx) {
  StringRef op = node.op_type();
  out.clear();
  auto rewriter = [&] {
    out.emplace_back();
    return NodeRewriter(node, out.back(), actx.ctx, actx.defineConstant,
                        actx.loc);
  };
  if (version < 13 &&
      (op == "Softmax" || op == "LogSoftmax" || op == "Hardmax")) {
    if (node.input_size() != 1 || node.input(0).empty()) {
      emitError(actx.loc) << actx.desc << ": takes exactly one input";
      return AdaptResult::Failed;
    }
    expandCoerced2D(node, out, actx);
    return AdaptResult::Rewritten;
  }
  if ((version < 13 &&
       (op == "Squeeze" || op == "Unsqueeze" || op == "ReduceSum")) ||
      (version < 18 && isReduceWithAxesInput18(op))) {
    NodeRewriter r = rewriter();
    r.intsToInput("axes", 1);
    return AdaptResult::Rewritten;
  }
  if (version < 13 && op == "Split") {
    NodeRewriter r = rewriter();
    r.intsToInput("split", 1);
    return AdaptResult::Rewritten;
  }
  if (version < 10 && op == "Slice") {
    NodeRewriter r = rewriter();
    r.intsToInput("starts", 1);
    r.intsToInput("ends", 2);
    r.intsToInput("axes", 3);
    return AdaptResult::Rewritten;
  }
  if (version < 11 && op == "Pad") {
    NodeRewriter r = rewriter();
    r.intsToInput("pads", 1);
    r.floatToInput("value", 2, std::nullopt);
    return AdaptResult::Rewritten;
  }
  if (version < 11 && op == "Clip") {
    NodeRewriter r = rewriter();
    r.floatToInput("min", 1, std::nullopt);
    r.floatToInput("max", 2, std::nullopt);
    return AdaptResult::Rewritten;
  }
  if (version < 12 && op == "Dropout") {
    NodeRewriter r = rewriter();
    r.drop("is_test");
    r.floatToInput("ratio", 1, std::nullopt);
    return AdaptResult::Rewritten;
  }
  if (version < 10 && op == "TopK") {
    NodeRewriter r = rewriter();
    r.intToInput("k", 1);
    return AdaptResult::Rewritten;
  }
  if (version < 9 && op == "Upsample") {
    NodeRewriter r = rewriter();
    r.floatsToInput("scales", 1);
    return AdaptResult::Rewritten;
  }
  if (version < 11 && op == "Resize") {
    // Resize-10 takes (X, scales) and samples like Upsample: output
    // coordinates scale to input ones without a half-pixel offset, and
    // nearest rounds down.
    NodeRewriter r = rewriter();
    if (out.back().input_size() == 2) {
      std::string scales = out.back().input(1);
      r.setInput(1, "");
      r.setInput(2, scales);
    }
    r.setString("coordinate_transformation_mode", "asymmetric");
    r.setString("nearest_mode", "floor");
    return AdaptResult::Rewritten;
  }
  if (version < 9 && op == "BatchNormalization") {
    if (intAttr(node, "spatial").value_or(1) != 1) {
      emitError(actx.loc)
          << actx.desc
          << ": spatial=0 (statistics per element, BatchNormalization-"
          << version << ") is not supported; hcc reads spatial=1 only";
      return AdaptResult::Failed;
    }
    NodeRewriter r = rewriter();
    r.drop("spatial");
    r.drop("is_test");
    return AdaptResult::Rewritten;
  }
  if (version < 16 && op == "RoiAlign") {
    // RoiAlign-10 maps pixels without the half-pixel offset.
    NodeRewriter r = rewriter();
    r.defaultString("coordinate_transformation_mode", "output_half_pixel");
    return AdaptResult::Rewritten;
  }
  if (version < 20 && op == "DFT") {
    // DFT-20 takes the axis as an input, whose default moved from 1 to -2.
    NodeRewriter r = rewriter();
    r.intToScalarInput("axis", 2, 1);
    return AdaptResult::Rewritten;
  }
  if (version < 20 && op == "GridSample") {
    // GridSample-20 renamed the modes (bilinear -> linear, bicubic ->
    // cubic) and changed the default accordingly.
    NodeRewriter r = rewriter();
    std::string mode = "bilinear";
    for (const auto &a : node.attribute())
      if (a.name() == "mode")
        mode = a.s();
    r.setString("mode", mode == "bilinear"  ? "linear"
                        : mode == "bicubic" ? "cubic"
                                            : mode);
    return AdaptResult::Rewritten;
  }
  return AdaptResult::Unchanged;
}
