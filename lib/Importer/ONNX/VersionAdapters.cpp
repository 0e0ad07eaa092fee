//===- VersionAdapters.cpp - older opsets to the newest op form -----------===//

#include "VersionAdapters.h"

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

  /// Moves INT attribute `attr` to input `pos` as a 1-D i64 constant.
  void intToInput(StringRef attr, int pos) {
    const onnx::AttributeProto *a = find(attr);
    if (!a)
      return;
    auto type = RankedTensorType::get({1}, IntegerType::get(ctx, 64));
    setInput(pos, define(DenseElementsAttr::get(type, ArrayRef(a->i())), loc));
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

bool hcc::onnx_import::adaptNode(const onnx::NodeProto &node, int64_t opset,
                                 onnx::NodeProto &out, MLIRContext *ctx,
                                 DefineConstant defineConstant, Location loc,
                                 const std::string &desc, bool &failed) {
  failed = false;
  StringRef op = node.op_type();
  auto rewriter = [&] {
    return NodeRewriter(node, out, ctx, defineConstant, loc);
  };
  if (opset < 13 &&
      (op == "Squeeze" || op == "Unsqueeze" || op == "ReduceSum")) {
    NodeRewriter r = rewriter();
    r.intsToInput("axes", 1);
    return true;
  }
  if (opset < 13 && op == "Split") {
    NodeRewriter r = rewriter();
    r.intsToInput("split", 1);
    return true;
  }
  if (opset < 10 && op == "Slice") {
    NodeRewriter r = rewriter();
    r.intsToInput("starts", 1);
    r.intsToInput("ends", 2);
    r.intsToInput("axes", 3);
    return true;
  }
  if (opset < 11 && op == "Pad") {
    NodeRewriter r = rewriter();
    r.intsToInput("pads", 1);
    r.floatToInput("value", 2, std::nullopt);
    return true;
  }
  if (opset < 11 && op == "Clip") {
    NodeRewriter r = rewriter();
    r.floatToInput("min", 1, std::nullopt);
    r.floatToInput("max", 2, std::nullopt);
    return true;
  }
  if (opset < 12 && op == "Dropout") {
    NodeRewriter r = rewriter();
    r.drop("is_test");
    r.floatToInput("ratio", 1, std::nullopt);
    return true;
  }
  if (opset < 10 && op == "TopK") {
    NodeRewriter r = rewriter();
    r.intToInput("k", 1);
    return true;
  }
  if (opset < 9 && op == "Upsample") {
    NodeRewriter r = rewriter();
    r.floatsToInput("scales", 1);
    return true;
  }
  if (opset < 11 && op == "Resize") {
    // Resize-10 takes (X, scales); the newest takes (X, roi, scales, sizes).
    NodeRewriter r = rewriter();
    if (out.input_size() == 2) {
      std::string scales = out.input(1);
      r.setInput(1, "");
      r.setInput(2, scales);
    }
    return true;
  }
  if (opset < 9 && op == "BatchNormalization") {
    NodeRewriter r = rewriter();
    r.drop("spatial");
    r.drop("is_test");
    return true;
  }
  (void)desc;
  return false;
}
