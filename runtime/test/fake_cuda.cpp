//===- fake_cuda.cpp - a stand-in libcuda for the CUDA driver's tests
//------===//
//
// Exports the driver-API entry points hcc's CUDA driver looks up, over host
// memory: "device" pointers are malloc'ed, copies are memcpy, a launch runs
// nothing but is recorded (grid, block, parameters) for the test to check.
// It lets CudaDriverTest exercise the driver's own logic (memory, staging,
// module choice, launches, error paths) on machines without a GPU; it says
// nothing about generated kernels, which only a GPU runs. Behaviour is set
// by the test through fake_cuda_configure().
//
//===----------------------------------------------------------------------===//

#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace {
using CUresult = int;
using CUdeviceptr = unsigned long long;

struct Function {
  std::string name;
};

struct Launch {
  std::string function;
  unsigned grid = 0, block = 0;
  std::vector<CUdeviceptr> params;
};

struct State {
  std::mutex mu;
  int arch = 80;
  int failLaunchAt = -1; // launch index that fails (-1: none)
  int launches = 0;
  std::vector<Launch> log;
  std::string lastImageKind;
  long liveAllocations = 0;
  std::vector<std::unique_ptr<Function>> functions;
};

State &state() {
  static State *s = new State;
  return *s;
}

struct Module {
  std::string image;
};
} // namespace

#define EXPORT extern "C" __attribute__((visibility("default")))

EXPORT void fake_cuda_configure(int arch, int failLaunchAt) {
  std::lock_guard<std::mutex> lock(state().mu);
  state().arch = arch;
  state().failLaunchAt = failLaunchAt;
  state().launches = 0;
  state().log.clear();
}
EXPORT int fake_cuda_launches() { return static_cast<int>(state().log.size()); }
EXPORT const char *fake_cuda_launch(int i, unsigned *grid, unsigned *block,
                                    int *numParams) {
  const Launch &l = state().log.at(i);
  *grid = l.grid;
  *block = l.block;
  *numParams = static_cast<int>(l.params.size());
  return l.function.c_str();
}
EXPORT const char *fake_cuda_last_image_kind() {
  return state().lastImageKind.c_str();
}
EXPORT long fake_cuda_live_allocations() { return state().liveAllocations; }

EXPORT CUresult cuInit(unsigned) { return 0; }
EXPORT CUresult cuDriverGetVersion(int *v) { return *v = 12080, 0; }
EXPORT CUresult cuDeviceGetCount(int *n) { return *n = 1, 0; }
EXPORT CUresult cuDeviceGet(int *d, int i) { return *d = i, 0; }
EXPORT CUresult cuDeviceGetName(char *name, int len, int) {
  std::strncpy(name, "Fake GPU", len);
  return 0;
}
EXPORT CUresult cuDeviceTotalMem_v2(size_t *bytes, int) {
  return *bytes = size_t(1) << 30, 0;
}
EXPORT CUresult cuDeviceGetAttribute(int *value, int attr, int) {
  switch (attr) {
  case 75: // compute capability major
    *value = state().arch / 10;
    return 0;
  case 76:
    *value = state().arch % 10;
    return 0;
  case 16: // multiprocessors
    *value = 4;
    return 0;
  case 1: // max threads per block
    *value = 1024;
    return 0;
  }
  return 1;
}
EXPORT CUresult cuDevicePrimaryCtxRetain(void **ctx, int) {
  static int context;
  return *ctx = &context, 0;
}
EXPORT CUresult cuDevicePrimaryCtxRelease_v2(int) { return 0; }
EXPORT CUresult cuCtxSetCurrent(void *) { return 0; }
EXPORT CUresult cuStreamCreate(void **stream, unsigned) {
  static int s;
  return *stream = &s, 0;
}
EXPORT CUresult cuStreamDestroy_v2(void *) { return 0; }
EXPORT CUresult cuStreamSynchronize(void *) { return 0; }
EXPORT CUresult cuMemAlloc_v2(CUdeviceptr *p, size_t bytes) {
  if (bytes > (size_t(1) << 30))
    return 2; // CUDA_ERROR_OUT_OF_MEMORY
  *p = reinterpret_cast<CUdeviceptr>(std::calloc(1, bytes));
  std::lock_guard<std::mutex> lock(state().mu);
  ++state().liveAllocations;
  return 0;
}
EXPORT CUresult cuMemFree_v2(CUdeviceptr p) {
  std::free(reinterpret_cast<void *>(p));
  std::lock_guard<std::mutex> lock(state().mu);
  --state().liveAllocations;
  return 0;
}
EXPORT CUresult cuMemHostAlloc(void **p, size_t bytes, unsigned) {
  *p = std::malloc(bytes ? bytes : 1);
  return 0;
}
EXPORT CUresult cuMemFreeHost(void *p) {
  std::free(p);
  return 0;
}
EXPORT CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr dst, const void *src,
                                     size_t bytes, void *) {
  std::memcpy(reinterpret_cast<void *>(dst), src, bytes);
  return 0;
}
EXPORT CUresult cuMemcpyDtoHAsync_v2(void *dst, CUdeviceptr src, size_t bytes,
                                     void *) {
  std::memcpy(dst, reinterpret_cast<const void *>(src), bytes);
  return 0;
}
EXPORT CUresult cuModuleLoadDataEx(void **module, const void *image,
                                   unsigned numOptions, int *options,
                                   void **values) {
  const char *text = static_cast<const char *>(image);
  std::string kind = std::strncmp(text,
                                  "\x7f"
                                  "ELF",
                                  4) == 0
                         ? "cubin"
                         : "ptx";
  state().lastImageKind = kind;
  if (kind == "ptx" && std::strstr(text, "SYNTAX ERROR")) {
    for (unsigned i = 0; i < numOptions; ++i)
      if (options[i] == 5) // CU_JIT_ERROR_LOG_BUFFER
        std::strcpy(static_cast<char *>(values[i]),
                    "ptxas fatal: syntax error");
    return 218; // CUDA_ERROR_INVALID_PTX
  }
  *module = new Module{kind == "ptx" ? std::string(text) : std::string()};
  return 0;
}
EXPORT CUresult cuModuleUnload(void *module) {
  delete static_cast<Module *>(module);
  return 0;
}
EXPORT CUresult cuModuleGetFunction(void **fn, void *module, const char *name) {
  const std::string &image = static_cast<Module *>(module)->image;
  if (!image.empty() &&
      image.find(std::string(".entry ") + name) == std::string::npos)
    return 500; // CUDA_ERROR_NOT_FOUND
  std::lock_guard<std::mutex> lock(state().mu);
  state().functions.push_back(std::make_unique<Function>(Function{name}));
  *fn = state().functions.back().get();
  return 0;
}
EXPORT CUresult cuLaunchKernel(void *fn, unsigned gx, unsigned, unsigned,
                               unsigned bx, unsigned, unsigned, unsigned,
                               void *, void **params, void **) {
  std::lock_guard<std::mutex> lock(state().mu);
  if (state().launches++ == state().failLaunchAt)
    return 719; // CUDA_ERROR_LAUNCH_FAILED
  Launch l{static_cast<Function *>(fn)->name, gx, bx, {}};
  // hcc's driver ends the parameter list with a null pointer.
  for (int i = 0; params && params[i]; ++i)
    l.params.push_back(*static_cast<CUdeviceptr *>(params[i]));
  state().log.push_back(l);
  return 0;
}
EXPORT CUresult cuEventCreate(void **event, unsigned) {
  *event = new int(0);
  return 0;
}
EXPORT CUresult cuEventRecord(void *, void *) { return 0; }
EXPORT CUresult cuEventSynchronize(void *) { return 0; }
EXPORT CUresult cuEventElapsedTime(float *ms, void *, void *) {
  return *ms = 0.25f, 0;
}
EXPORT CUresult cuEventDestroy_v2(void *event) {
  delete static_cast<int *>(event);
  return 0;
}
EXPORT CUresult cuGetErrorName(CUresult code, const char **name) {
  switch (code) {
  case 2:
    *name = "CUDA_ERROR_OUT_OF_MEMORY";
    return 0;
  case 218:
    *name = "CUDA_ERROR_INVALID_PTX";
    return 0;
  case 500:
    *name = "CUDA_ERROR_NOT_FOUND";
    return 0;
  case 719:
    *name = "CUDA_ERROR_LAUNCH_FAILED";
    return 0;
  }
  return 1;
}
