//===- GraphBase.td - common definitions of graph ops ------*- tablegen -*-===//

#ifndef HCC_GRAPH_BASE_TD
#define HCC_GRAPH_BASE_TD

include "GraphDialect.td"
include "GraphTypes.td"
include "GraphAttrs.td"
include "GraphEnums.td"
include "GraphInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"

class Graph_Op<string mnemonic, list<Trait> traits = []>
    : Op<Graph_Dialect, mnemonic, traits>;

// An ONNX optional input or output: the value, or `none` when absent.
class Graph_Optional<Type t> : AnyTypeOf<[t, NoneType]>;

#endif // HCC_GRAPH_BASE_TD
