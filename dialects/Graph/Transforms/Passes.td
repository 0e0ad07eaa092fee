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

def GraphFoldChannelScales : Pass<"hcc-fold-channel-scales"> {
  let summary = "Move per-channel scales of a convolution's input onto its weights";
  let description = [{
    `Conv(Mul(x, s), W)` where `s` holds one value per input channel (it
    broadcasts as `[1, C, 1, ..., 1]`) becomes `Conv(x, Mul(W, s))`: the
    scale multiplies the M x C x K weights instead of the whole activation,
    and the pass over the activation that only fed the Conv is gone.
    Squeeze-and-excitation blocks end this way (the excitation scales the
    features that the 1x1 projection reads).

    Applies when the Conv has one group, the Mul has no other user and
    keeps x's shape, `s` is the same for every image and x (static) has
    more elements than W. A scale computed
    at run time moves only onto 1x1 filters (larger ones may be transformed
    at compile time, Winograd, which needs constant weights); a constant
    scale always moves and folds into the constant weights.

    ```mlir
    // Before
    %xs = graph.Mul(%x, %s) : (tensor<1x96x56x56xf32>, tensor<1x96x1x1xf32>) -> tensor<1x96x56x56xf32>
    %y = graph.Conv(%xs, %w) : (tensor<1x96x56x56xf32>, tensor<24x96x1x1xf32>) -> tensor<1x24x56x56xf32>
    // After
    %ws = graph.Mul(%w, %s) : (tensor<24x96x1x1xf32>, tensor<1x96x1x1xf32>) -> tensor<24x96x1x1xf32>
    %y = graph.Conv(%x, %ws) : (tensor<1x96x56x56xf32>, tensor<24x96x1x1xf32>) -> tensor<1x24x56x56xf32>
    ```
  }];
  let dependentDialects = ["::hcc::graph::GraphDialect"];
}

#endif // HCC_GRAPH_PASSES_TD
