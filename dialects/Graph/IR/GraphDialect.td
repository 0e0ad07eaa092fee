//===- GraphDialect.td - hcc graph dialect definition ------*- tablegen -*-===//
//
// The graph dialect holds a model with ONNX semantics on tensors: one op per
// ONNX operator, enums instead of strings, static shapes after inference.
//
//===----------------------------------------------------------------------===//

#ifndef HCC_GRAPH_DIALECT_TD
#define HCC_GRAPH_DIALECT_TD

include "mlir/IR/OpBase.td"

def Graph_Dialect : Dialect {
  let name = "graph";
  let cppNamespace = "::hcc::graph";
  let summary = "ONNX semantics on MLIR tensors";
  let description = [{
    The `graph` dialect is the entry point of hcc. The ONNX importer turns
    every node of a model into the op of the same name (`graph.Conv`,
    `graph.MatMul`, ...), keeping ONNX semantics exactly: broadcasting rules,
    attribute defaults, optional inputs (a `none` value when absent). String
    attributes with a fixed vocabulary are enums (`#graph.auto_pad<SAME_UPPER>`).
    Op names keep ONNX's spelling so a model and its IR read side by side.

    Shape inference (`hcc-infer-shapes`) refines every result to a ranked
    type; ONNX symbolic dimensions (`dim_param`) travel in the tensor
    encoding `#graph.dims<["N", ""]>` so a batch dimension keeps its name.
  }];
  let useDefaultTypePrinterParser = 1;
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 1;
  let extraClassDeclaration = [{
    void registerTypes();
    void registerAttributes();
  }];
}

#endif // HCC_GRAPH_DIALECT_TD
