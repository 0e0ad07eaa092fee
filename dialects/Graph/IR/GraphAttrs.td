//===- GraphAttrs.td - graph dialect attributes ------------*- tablegen -*-===//

#ifndef HCC_GRAPH_ATTRS_TD
#define HCC_GRAPH_ATTRS_TD

include "GraphDialect.td"
include "mlir/IR/AttrTypeBase.td"

def Graph_DimSymbolsAttr : AttrDef<Graph_Dialect, "DimSymbols"> {
  let mnemonic = "dims";
  let summary = "names of a tensor's symbolic dimensions";
  let description = [{
    Tensor encoding carrying ONNX `dim_param` names, one string per dimension
    (empty for a dimension without a name):
    `tensor<?x3xf32, #graph.dims<["N", ""]>>`. Shape inference copies a name
    wherever it copies the dimension.
  }];
  let parameters = (ins "::mlir::ArrayAttr":$names);
  let assemblyFormat = "`<` $names `>`";
  let genVerifyDecl = 1;
}

#endif // HCC_GRAPH_ATTRS_TD
