//===- GraphTypes.td - graph dialect types -----------------*- tablegen -*-===//
//
// ONNX value kinds MLIR's builtin types do not cover: strings, sequences and
// optionals.
//
//===----------------------------------------------------------------------===//

#ifndef HCC_GRAPH_TYPES_TD
#define HCC_GRAPH_TYPES_TD

include "GraphDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/BuiltinTypeInterfaces.td"

class Graph_Type<string name, string typeMnemonic, list<Trait> traits = []>
    : TypeDef<Graph_Dialect, name, traits> {
  let mnemonic = typeMnemonic;
}

def Graph_String : Graph_Type<"String", "string"> {
  let summary = "ONNX string element type";
  let description = [{
    The element type of ONNX `tensor(string)`: `tensor<3x!graph.string>`.
  }];
}

def Graph_SeqType : Graph_Type<"Seq", "seq"> {
  let summary = "ONNX sequence of tensors";
  let description = [{
    An ONNX `seq(tensor(T))`. The element type is the common type of the
    tensors it holds, e.g. `!graph.seq<tensor<?x3xf32>>`.
  }];
  let parameters = (ins "::mlir::Type":$elementType);
  let assemblyFormat = "`<` $elementType `>`";
}

def Graph_OptType : Graph_Type<"Opt", "opt"> {
  let summary = "ONNX optional value";
  let description = [{
    An ONNX `optional(T)`: a tensor or sequence that may be absent,
    e.g. `!graph.opt<tensor<5xf32>>`.
  }];
  let parameters = (ins "::mlir::Type":$elementType);
  let assemblyFormat = "`<` $elementType `>`";
}

#endif // HCC_GRAPH_TYPES_TD
