//===- async_runtime.h - MLIR async runtime C API over our pool -*- C++ -*-===//
//
// Generated kernels lowered with async-parallel-for + convert-async-to-llvm
// call these C functions; the runtime exports them so a dlopen'ed kernel
// library binds to them. The signatures mirror
// mlir/ExecutionEngine/AsyncRuntime.h (declared here so the runtime does not
// depend on MLIR headers). Work goes to the calling worker's session pool.
//
//===----------------------------------------------------------------------===//
#ifndef HCC_RUNTIME_ASYNC_RUNTIME_H
#define HCC_RUNTIME_ASYNC_RUNTIME_H

#include <cstdint>

#define HCC_ASYNC_EXPORT extern "C" __attribute__((visibility("default")))

struct HccAsyncToken;
struct HccAsyncValue;
struct HccAsyncGroup;
using HccCoroHandle = void *;
using HccCoroResume = void (*)(void *);

HCC_ASYNC_EXPORT void mlirAsyncRuntimeAddRef(void *obj, int64_t count);
HCC_ASYNC_EXPORT void mlirAsyncRuntimeDropRef(void *obj, int64_t count);
HCC_ASYNC_EXPORT HccAsyncToken *mlirAsyncRuntimeCreateToken();
HCC_ASYNC_EXPORT HccAsyncValue *mlirAsyncRuntimeCreateValue(int64_t size);
HCC_ASYNC_EXPORT HccAsyncGroup *mlirAsyncRuntimeCreateGroup(int64_t size);
HCC_ASYNC_EXPORT int64_t mlirAsyncRuntimeAddTokenToGroup(HccAsyncToken *,
                                                         HccAsyncGroup *);
HCC_ASYNC_EXPORT void mlirAsyncRuntimeEmplaceToken(HccAsyncToken *);
HCC_ASYNC_EXPORT void mlirAsyncRuntimeEmplaceValue(HccAsyncValue *);
HCC_ASYNC_EXPORT void mlirAsyncRuntimeSetTokenError(HccAsyncToken *);
HCC_ASYNC_EXPORT void mlirAsyncRuntimeSetValueError(HccAsyncValue *);
HCC_ASYNC_EXPORT bool mlirAsyncRuntimeIsTokenError(HccAsyncToken *);
HCC_ASYNC_EXPORT bool mlirAsyncRuntimeIsValueError(HccAsyncValue *);
HCC_ASYNC_EXPORT bool mlirAsyncRuntimeIsGroupError(HccAsyncGroup *);
HCC_ASYNC_EXPORT void mlirAsyncRuntimeAwaitToken(HccAsyncToken *);
HCC_ASYNC_EXPORT void mlirAsyncRuntimeAwaitValue(HccAsyncValue *);
HCC_ASYNC_EXPORT void mlirAsyncRuntimeAwaitAllInGroup(HccAsyncGroup *);
HCC_ASYNC_EXPORT void *mlirAsyncRuntimeGetValueStorage(HccAsyncValue *);
HCC_ASYNC_EXPORT void mlirAsyncRuntimeExecute(HccCoroHandle, HccCoroResume);
HCC_ASYNC_EXPORT void mlirAsyncRuntimeAwaitTokenAndExecute(HccAsyncToken *,
                                                           HccCoroHandle,
                                                           HccCoroResume);
HCC_ASYNC_EXPORT void mlirAsyncRuntimeAwaitValueAndExecute(HccAsyncValue *,
                                                           HccCoroHandle,
                                                           HccCoroResume);
HCC_ASYNC_EXPORT void mlirAsyncRuntimeAwaitAllInGroupAndExecute(HccAsyncGroup *,
                                                                HccCoroHandle,
                                                                HccCoroResume);
// (sic) upstream spells it without the 'e'.
HCC_ASYNC_EXPORT int64_t mlirAsyncRuntimGetNumWorkerThreads();
HCC_ASYNC_EXPORT void mlirAsyncRuntimePrintCurrentThreadId();

/// hcc's addition: the index of the calling worker in its pool (-1 on
/// other threads). Kernels start their share of a parallel loop at the
/// part of this index (hcc-cpu-async-parallel-for).
HCC_ASYNC_EXPORT int64_t hcc_cpu_worker_index();

namespace hcc {
namespace rt {
/// Tokens, values and groups currently alive (leak checks in tests).
int64_t asyncLiveObjects();
} // namespace rt
} // namespace hcc

#endif // HCC_RUNTIME_ASYNC_RUNTIME_H
