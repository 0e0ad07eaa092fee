//===- cuda_api.h - CUDA driver API entry points loaded at run time -*- C++
//-*-//
//
// The runtime never links libcuda: a machine without an NVIDIA driver must
// still run every other bundle. libcuda.so.1 is dlopen'ed on first use and
// each function the driver calls is looked up once, by the versioned name
// the CUDA headers map it to. The types are declared here (the driver
// API's ABI is stable), so the runtime builds without the CUDA toolkit.
//
//===----------------------------------------------------------------------===//
#ifndef HCC_RUNTIME_DRIVERS_CUDA_API_H
#define HCC_RUNTIME_DRIVERS_CUDA_API_H

#include <cstddef>
#include <string>

namespace hcc {
namespace rt {
namespace cuda {

using CUresult = int;
using CUdevice = int;
using CUdeviceptr = unsigned long long;
using CUcontext = struct CUctx_st *;
using CUmodule = struct CUmod_st *;
using CUfunction = struct CUfunc_st *;
using CUstream = struct CUstream_st *;
using CUevent = struct CUevent_st *;
using CUjit_option = int;

constexpr CUresult CUDA_SUCCESS = 0;
constexpr CUresult CUDA_ERROR_OUT_OF_MEMORY = 2;
constexpr CUresult CUDA_ERROR_NOT_READY = 600;
// cuDeviceGetAttribute
constexpr int CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT = 16;
constexpr int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75;
constexpr int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76;
constexpr int CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK = 1;
// cuModuleLoadDataEx
constexpr CUjit_option CU_JIT_ERROR_LOG_BUFFER = 5;
constexpr CUjit_option CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES = 6;
// cuStreamCreate, cuEventCreate, cuMemHostAlloc
constexpr unsigned CU_STREAM_NON_BLOCKING = 1;
constexpr unsigned CU_EVENT_DEFAULT = 0;
constexpr unsigned CU_MEMHOSTALLOC_PORTABLE = 1;

// Every driver function the runtime calls: name, versioned symbol, type.
#define HCC_CUDA_FUNCTIONS(X)                                                  \
  X(cuInit, "cuInit", CUresult (*)(unsigned))                                  \
  X(cuDriverGetVersion, "cuDriverGetVersion", CUresult (*)(int *))             \
  X(cuDeviceGetCount, "cuDeviceGetCount", CUresult (*)(int *))                 \
  X(cuDeviceGet, "cuDeviceGet", CUresult (*)(CUdevice *, int))                 \
  X(cuDeviceGetName, "cuDeviceGetName", CUresult (*)(char *, int, CUdevice))   \
  X(cuDeviceTotalMem, "cuDeviceTotalMem_v2", CUresult (*)(size_t *, CUdevice)) \
  X(cuDeviceGetAttribute, "cuDeviceGetAttribute",                              \
    CUresult (*)(int *, int, CUdevice))                                        \
  X(cuDevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain",                      \
    CUresult (*)(CUcontext *, CUdevice))                                       \
  X(cuDevicePrimaryCtxRelease, "cuDevicePrimaryCtxRelease_v2",                 \
    CUresult (*)(CUdevice))                                                    \
  X(cuCtxSetCurrent, "cuCtxSetCurrent", CUresult (*)(CUcontext))               \
  X(cuStreamCreate, "cuStreamCreate", CUresult (*)(CUstream *, unsigned))      \
  X(cuStreamDestroy, "cuStreamDestroy_v2", CUresult (*)(CUstream))             \
  X(cuStreamSynchronize, "cuStreamSynchronize", CUresult (*)(CUstream))        \
  X(cuMemAlloc, "cuMemAlloc_v2", CUresult (*)(CUdeviceptr *, size_t))          \
  X(cuMemFree, "cuMemFree_v2", CUresult (*)(CUdeviceptr))                      \
  X(cuMemHostAlloc, "cuMemHostAlloc", CUresult (*)(void **, size_t, unsigned)) \
  X(cuMemFreeHost, "cuMemFreeHost", CUresult (*)(void *))                      \
  X(cuMemcpyHtoDAsync, "cuMemcpyHtoDAsync_v2",                                 \
    CUresult (*)(CUdeviceptr, const void *, size_t, CUstream))                 \
  X(cuMemcpyDtoHAsync, "cuMemcpyDtoHAsync_v2",                                 \
    CUresult (*)(void *, CUdeviceptr, size_t, CUstream))                       \
  X(cuModuleLoadDataEx, "cuModuleLoadDataEx",                                  \
    CUresult (*)(CUmodule *, const void *, unsigned, CUjit_option *, void **)) \
  X(cuModuleUnload, "cuModuleUnload", CUresult (*)(CUmodule))                  \
  X(cuModuleGetFunction, "cuModuleGetFunction",                                \
    CUresult (*)(CUfunction *, CUmodule, const char *))                        \
  X(cuLaunchKernel, "cuLaunchKernel",                                          \
    CUresult (*)(CUfunction, unsigned, unsigned, unsigned, unsigned, unsigned, \
                 unsigned, unsigned, CUstream, void **, void **))              \
  X(cuEventCreate, "cuEventCreate", CUresult (*)(CUevent *, unsigned))         \
  X(cuEventRecord, "cuEventRecord", CUresult (*)(CUevent, CUstream))           \
  X(cuEventSynchronize, "cuEventSynchronize", CUresult (*)(CUevent))           \
  X(cuEventElapsedTime, "cuEventElapsedTime",                                  \
    CUresult (*)(float *, CUevent, CUevent))                                   \
  X(cuEventDestroy, "cuEventDestroy_v2", CUresult (*)(CUevent))                \
  X(cuGetErrorName, "cuGetErrorName", CUresult (*)(CUresult, const char **))

/// Names a function pointer type written as an abstract declarator.
template <typename T> using FnPtr = T;

/// Function pointers into libcuda, all non-null.
struct CudaApi {
#define HCC_CUDA_MEMBER(fn, symbol, type) FnPtr<type> fn = nullptr;
  HCC_CUDA_FUNCTIONS(HCC_CUDA_MEMBER)
#undef HCC_CUDA_MEMBER
};

/// The loaded API, or nullptr when libcuda.so.1 cannot be loaded, lacks a
/// function, or cuInit fails (no GPU, driver mismatch). Loaded once per
/// process, never unloaded. `HCC_CUDA_LIBRARY` names another library (a
/// test's stand-in).
const CudaApi *cudaApi();
/// Why cudaApi() is null ("" when it is not).
const std::string &cudaUnavailableReason();

/// "CUDA_ERROR_OUT_OF_MEMORY (2)": the driver's name when it is loaded.
std::string cudaErrorName(const CudaApi *api, CUresult code);

} // namespace cuda
} // namespace rt
} // namespace hcc

#endif // HCC_RUNTIME_DRIVERS_CUDA_API_H
