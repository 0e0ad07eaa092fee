//===- cuda_api.cpp - CUDA driver API entry points loaded at run time -----===//

#include "drivers/cuda_api.h"

#include <cstdlib>
#include <dlfcn.h>
#include <mutex>

namespace hcc {
namespace rt {
namespace cuda {

namespace {

struct Loaded {
  CudaApi api;
  const CudaApi *usable = nullptr;
  std::string reason;
};

Loaded &load() {
  static Loaded *loaded = [] {
    auto *l = new Loaded; // never freed: handles outlive callers
    const char *name = std::getenv("HCC_CUDA_LIBRARY");
    if (!name || !*name)
      name = "libcuda.so.1";
    void *lib = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
      const char *err = dlerror();
      l->reason = std::string("cannot load ") + name + ": " +
                  (err ? err : "unknown error");
      return l;
    }
#define HCC_CUDA_LOOKUP(fn, symbol, type)                                      \
  l->api.fn = reinterpret_cast<FnPtr<type>>(dlsym(lib, symbol));               \
  if (!l->api.fn) {                                                            \
    l->reason = std::string(name) + " lacks " + symbol;                        \
    return l;                                                                  \
  }
    HCC_CUDA_FUNCTIONS(HCC_CUDA_LOOKUP)
#undef HCC_CUDA_LOOKUP
    CUresult err = l->api.cuInit(0);
    if (err != CUDA_SUCCESS) {
      l->reason = "cuInit failed: " + cudaErrorName(&l->api, err);
      return l;
    }
    l->usable = &l->api;
    return l;
  }();
  return *loaded;
}

} // namespace

const CudaApi *cudaApi() { return load().usable; }

const std::string &cudaUnavailableReason() { return load().reason; }

std::string cudaErrorName(const CudaApi *api, CUresult code) {
  const char *name = nullptr;
  if (api && api->cuGetErrorName &&
      api->cuGetErrorName(code, &name) != CUDA_SUCCESS)
    name = nullptr;
  return std::string(name ? name : "CUDA error") + " (" + std::to_string(code) +
         ")";
}

} // namespace cuda
} // namespace rt
} // namespace hcc
