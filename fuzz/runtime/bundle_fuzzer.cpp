//===- bundle_fuzzer.cpp - fuzzes the bundle loader and the manifest ------===//
//
// Loads the input as a bundle from memory; one the runtime accepts gets a
// session and a run on zero inputs. The custom mutator keeps CRCs valid so
// that mutations reach the manifest checks and the code they guard.
//
//===----------------------------------------------------------------------===//

#include "BundleMutator.h"
#include "RunModel.h"

#include "hcc/runtime.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  hcc_model_t *model = nullptr;
  hcc_status_t status = hcc_model_load_memory(data, size, &model);
  hcc::fuzz::requireMessage(status);
  if (status != HCC_OK)
    return 0;
  (void)hcc_model_name(model);
  hcc::fuzz::runModelOnce(model);
  hcc_model_release(model);
  return 0;
}

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size,
                                          size_t maxSize, unsigned seed) {
  return hcc::fuzz::mutateBundle(data, size, maxSize, seed);
}
