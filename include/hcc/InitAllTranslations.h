//===- InitAllTranslations.h - register targets' translations ---*- C++ -*-===//
//
// hcc-translate's translations out of target modules (a target's program
// source after its codegen pipeline); --import-onnx is registered by the
// tool itself.
//
//===----------------------------------------------------------------------===//

#ifndef HCC_INITALLTRANSLATIONS_H
#define HCC_INITALLTRANSLATIONS_H

#include "hcc/Target/CUDA/CUDATarget.h"
#include "hcc/Target/OpenCL/OpenCLCodegen.h"

namespace hcc {
inline void registerAllTranslations() {
  registerOpenCLTranslations();
  registerCUDATranslations();
}
} // namespace hcc

#endif // HCC_INITALLTRANSLATIONS_H
