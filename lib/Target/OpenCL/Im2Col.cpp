//===- Im2Col.cpp - strided convolutions as contractions ------------------===//
//
// A convolution with strides or dilations reads its input with a stride
// along the output's innermost dimension, which vector register tiles
// cannot load; upstream's im2col rewrite turns it into a gather of patches
// (contiguous along the flattened output positions) and a contraction that
// vector tiles handle. Unit-stride convolutions are left as they are:
// their input rows are contiguous already and they need no patch buffer.
//
//===----------------------------------------------------------------------===//

#include "hcc/Target/OpenCL/OpenCLCodegen.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

namespace hcc {
#define GEN_PASS_DEF_OPENCLIM2COL
#include "hcc/Target/OpenCL/Passes.h.inc"
} // namespace hcc

using namespace mlir;

namespace {
struct Im2ColPass : hcc::impl::OpenCLIm2ColBase<Im2ColPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<linalg::Conv2DNchwFchwOp> convs;
    getOperation().walk([&](linalg::Conv2DNchwFchwOp conv) {
      if (!conv.hasPureTensorSemantics())
        return;
      auto unit = [](DenseIntElementsAttr attr) {
        return llvm::all_of(attr.getValues<int64_t>(),
                            [](int64_t v) { return v == 1; });
      };
      if (all || !unit(conv.getStrides()) || !unit(conv.getDilations()))
        convs.push_back(conv);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::Conv2DNchwFchwOp conv : convs) {
      rewriter.setInsertionPoint(conv);
      // Declines (leaving the convolution) for shapes it cannot handle.
      (void)linalg::rewriteInIm2Col(rewriter, conv);
    }
  }
};
} // namespace
