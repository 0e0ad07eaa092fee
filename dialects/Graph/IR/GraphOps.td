//===- GraphOps.td - graph dialect operations --------------*- tablegen -*-===//
//
// The ONNX operators (generated, GraphOnnxOps.td) and the few structural ops
// of the dialect.
//
//===----------------------------------------------------------------------===//

#ifndef HCC_GRAPH_OPS_TD
#define HCC_GRAPH_OPS_TD

include "GraphBase.td"
include "GraphOnnxOps.td"

def Graph_NoneOp : Graph_Op<"none", [Pure, ConstantLike]> {
  let summary = "the absent value of an ONNX optional input";
  let description = [{
    Stands for an optional ONNX input that a node leaves empty:
    ```mlir
    %none = graph.none
    %y = graph.Clip(%x, %none, %max) : (tensor<4xf32>, none, tensor<f32>) -> tensor<4xf32>
    ```
  }];
  let results = (outs NoneType:$result);
  let assemblyFormat = "attr-dict";
  let hasFolder = 1;
}

def Graph_YieldOp : Graph_Op<"yield", [Pure, ReturnLike, Terminator,
    ParentOneOf<["IfOp", "LoopOp", "ScanOp", "SequenceMapOp"]>]> {
  let summary = "returns the outputs of an ONNX subgraph";
  let description = [{
    Terminates the body of `graph.If`, `graph.Loop`, `graph.Scan` and
    `graph.SequenceMap`; its operands are the subgraph's outputs in order.
  }];
  let arguments = (ins Variadic<AnyType>:$results);
  let builders = [OpBuilder<(ins), [{ /* nothing to yield */ }]>];
  let assemblyFormat = "($results^ `:` type($results))? attr-dict";
}

#endif // HCC_GRAPH_OPS_TD
