//===- GraphOps.cpp - hand-written parts of graph ops ---------------------===//

#include "dialects/Graph/IR/GraphOps.h"

using namespace mlir;
using namespace hcc::graph;

#include "dialects/Graph/IR/GraphInterfaces.cpp.inc"
