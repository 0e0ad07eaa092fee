//===- Passes.td - graph dialect passes --------------------*- tablegen -*-===//

#ifndef HCC_GRAPH_PASSES_TD
#define HCC_GRAPH_PASSES_TD

include "mlir/Pass/PassBase.td"

def GraphInferShapes : Pass<"hcc-infer-shapes"> {
  let summary = "Infer ranked, static result types of graph ops";
  let description = [{
    Walks every graph op in program order (regions first, so a subgraph's
    types are known before its parent) and refines its result types with its
    shape function. Function result types are updated to match their return
    values. An inconsistency (incompatible broadcast, axis out of range, a
    declared type contradicting the inferred one) is an error on the op.

    ```mlir
    // Before
    %0 = graph.Add(%a, %b) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<*xf32>
    // After
    %0 = graph.Add(%a, %b) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
    ```
  }];
  let options = [
    Option<"foldConstants", "fold-constants", "bool", "true",
           "Replace an op whose operands are all constants by its value right "
           "after refining it, so shape arithmetic downstream sees values">
  ];
  let dependentDialects = ["::hcc::graph::GraphDialect"];
}

def GraphFuseQDQ : Pass<"hcc-fuse-qdq"> {
  let summary = "Run QDQ-quantized convolutions as integer QLinearConv";
  let description = [{
    Static quantizers (ONNX Runtime's, torch's) write a quantized
    convolution as a float Conv between DequantizeLinear and QuantizeLinear
    nodes. When x and y are quantized per tensor, w per tensor or per output
    channel, the bias (if any) is a constant int32 (re-expressed on the
    accumulator scale x_scale * w_scale when its own scale differs) and the
    Conv feeds only the QuantizeLinear, the three become one
    QLinearConv: an int8 convolution accumulating in int32, requantized
    once, with the same result as the integer kernels of ONNX Runtime.
    Then a DequantizeLinear of constants that is still in use (the weights
    of a Gemm or MatMul left in float) is folded into its float value,
    computed once at compile time rather than on every run.

    ```mlir
    // Before
    %x = graph.DequantizeLinear(%xq, %xs, %xz) ...
    %w = graph.DequantizeLinear(%wq, %ws, %wz) ...
    %b = graph.DequantizeLinear(%bq, %bs, %none) ...   // %bs = %xs * %ws
    %y = graph.Conv(%x, %w, %b) ...
    %yq = graph.QuantizeLinear(%y, %ys, %yz) ...
    // After
    %yq = graph.QLinearConv(%xq, %xs, %xz, %wq, %ws, %wz, %ys, %yz, %bq) ...
    ```
  }];
  let dependentDialects = ["::hcc::graph::GraphDialect"];
}

#endif // HCC_GRAPH_PASSES_TD
