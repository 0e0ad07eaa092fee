//===- InitAllPasses.h - register every pass and pipeline -------*- C++ -*-===//

#ifndef HCC_INITALLPASSES_H
#define HCC_INITALLPASSES_H

#include "dialects/Graph/Transforms/Passes.h"
#include "hcc/Pipelines/Pipelines.h"

#include "mlir/Transforms/Passes.h"

namespace hcc {
inline void registerAllPasses() {
  mlir::registerTransformsPasses();
  graph::registerGraphPasses();
  registerPipelines();
}
} // namespace hcc

#endif // HCC_INITALLPASSES_H
