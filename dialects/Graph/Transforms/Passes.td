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

#endif // HCC_GRAPH_PASSES_TD
