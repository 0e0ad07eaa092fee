//===- GraphTraits.h - shape-family traits of graph ops ---------*- C++ -*-===//
//
// Marker traits naming an op's shape family; the default shape function and
// later the elementwise fusion read them.
//
//===----------------------------------------------------------------------===//

#ifndef HCC_DIALECTS_GRAPH_IR_GRAPHTRAITS_H
#define HCC_DIALECTS_GRAPH_IR_GRAPHTRAITS_H

#include "mlir/IR/OpDefinition.h"

namespace hcc::graph::OpTrait {
#define HCC_GRAPH_FAMILY_TRAIT(Name)                                           \
  template <typename ConcreteType>                                             \
  class Name : public mlir::OpTrait::TraitBase<ConcreteType, Name> {};
/// Results have the shape of the first operand (and its element type).
HCC_GRAPH_FAMILY_TRAIT(SameShape)
/// Like SameShape, with a boolean result.
HCC_GRAPH_FAMILY_TRAIT(SameShapeBool)
/// Multidirectional (numpy) broadcast of all tensor operands.
HCC_GRAPH_FAMILY_TRAIT(Broadcast)
/// Like Broadcast, with a boolean result.
HCC_GRAPH_FAMILY_TRAIT(BroadcastBool)
/// Reduction over `axes` (attribute or second operand), with `keepdims`.
HCC_GRAPH_FAMILY_TRAIT(Reduction)
#undef HCC_GRAPH_FAMILY_TRAIT
} // namespace hcc::graph::OpTrait

#endif // HCC_DIALECTS_GRAPH_IR_GRAPHTRAITS_H
