//===- GraphInterfaces.td - graph dialect interfaces -------*- tablegen -*-===//

#ifndef HCC_GRAPH_INTERFACES_TD
#define HCC_GRAPH_INTERFACES_TD

include "mlir/IR/OpBase.td"

def Graph_ShapeInferenceOpInterface : OpInterface<"ShapeInferenceOpInterface"> {
  let cppNamespace = "::hcc::graph";
  let description = [{
    Computes an op's result types from its operand types and, where a shape
    depends on data, from constant operands. The computation is pure: the
    hcc-infer-shapes pass refines results with it, and the op verifier uses
    it to reject result types that contradict the operands, so every shape
    rule is also a verifier. Ops of a shape family (elementwise, broadcast,
    reduction) share the default implementation, which dispatches on their
    family trait.
  }];
  let methods = [
    InterfaceMethod<[{
        Fills `types` (one entry per result, null on entry) with the inferred
        result types; entries left null are unknown. Emits an error naming
        the op and returns failure when the operands are inconsistent
        (incompatible broadcast, axis out of range, bad attribute value).
      }],
      "::mlir::LogicalResult", "inferResultTypes",
      (ins "::llvm::SmallVectorImpl<::mlir::Type> &":$types), [{}], [{
        return ::hcc::graph::inferTypesFromFamily($_op.getOperation(), types);
      }]>
  ];
  let verify = [{
    return ::hcc::graph::verifyInferredTypes($_op);
  }];
}

// Shape families (see ShapeInference/Families.cpp).
class Graph_FamilyTrait<string name> : NativeOpTrait<name> {
  let cppNamespace = "::hcc::graph::OpTrait";
}
def Graph_SameShape : Graph_FamilyTrait<"SameShape">;
def Graph_SameShapeBool : Graph_FamilyTrait<"SameShapeBool">;
def Graph_Broadcast : Graph_FamilyTrait<"Broadcast">;
def Graph_BroadcastBool : Graph_FamilyTrait<"BroadcastBool">;
def Graph_Reduction : Graph_FamilyTrait<"Reduction">;

#endif // HCC_GRAPH_INTERFACES_TD
