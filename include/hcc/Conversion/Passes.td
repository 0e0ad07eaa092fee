//===- Passes.td - hcc conversion passes -------------------*- tablegen -*-===//

#ifndef HCC_CONVERSION_PASSES
#define HCC_CONVERSION_PASSES

include "mlir/Pass/PassBase.td"

def ConvertGraphToLinalg : Pass<"convert-graph-to-linalg", "mlir::ModuleOp"> {
  let summary = "Lower the graph dialect to linalg/tensor/arith/math on tensors";
  let description = [{
    Rewrites every `graph` op into upstream MLIR on tensors: `linalg.generic`
    for elementwise ops (ONNX multidirectional broadcasting through indexing
    maps), named linalg ops for matmuls, convolutions and pools, `tensor`
    ops for data movement and `arith.constant` for constants. Function
    signatures lose their `#graph.dims` encodings and unsigned element types
    become signless. No loops are built by hand: the output stays tileable,
    fusable and vectorizable by upstream transforms.

    An op without a lowering fails the pass with
    `graph.X has no lowering to linalg`.

    With `int8-dot-products` (set by a target whose hardware has 4-deep
    uint8 x int8 dot products, such as the CPU target on AVX-512 VNNI
    hosts), quantized 2-D convolutions become those dot products over an
    im2col in 4-byte quads; otherwise their int8 operands are widened to
    i32 for a plain convolution.

    Example:
    ```mlir
    %0 = graph.Relu(%x) : (tensor<4xf32>) -> tensor<4xf32>
    // becomes
    %e = tensor.empty() : tensor<4xf32>
    %0 = linalg.generic {...} ins(%x : tensor<4xf32>) outs(%e : tensor<4xf32>) {
      ^bb0(%in: f32, %out: f32):
        %m = arith.maximumf %in, %cst : f32
        linalg.yield %m : f32
    } -> tensor<4xf32>
    ```
  }];
  let options = [
    Option<"int8DotProducts", "int8-dot-products", "bool", /*default=*/"true",
           "Lower quantized 2-D convolutions to 4-deep uint8 x int8 dot "
           "products (for hardware that has them)">,
  ];
  let dependentDialects = [
    "mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect",
    "mlir::arith::ArithDialect", "mlir::math::MathDialect",
    "mlir::func::FuncDialect", "mlir::scf::SCFDialect"
  ];
}

#endif // HCC_CONVERSION_PASSES
