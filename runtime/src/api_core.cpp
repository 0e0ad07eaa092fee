//===- api_core.cpp - C API: status, errors, dtypes, tensors -------------===//

#include "api_objects.h"
#include "dtype.h"
#include "hcc/runtime/bundle_format.h"
#include "support/host_memory.h"

#include <cstdlib>
#include <cstring>
#include <new>

namespace hcc {
namespace rt {

namespace {
thread_local std::string lastError;

void *defaultAlloc(void *, size_t size, size_t alignment) {
  return allocateHost(size, alignment);
}
void defaultFree(void *, void *ptr) { std::free(ptr); }
} // namespace

const hcc_allocator_t &defaultAllocator() {
  static const hcc_allocator_t alloc = {nullptr, defaultAlloc, defaultFree};
  return alloc;
}

hcc_status_t report(const Status &status) {
  if (status.isOk())
    return HCC_OK;
  try {
    lastError = status.message();
  } catch (...) {
    lastError.clear();
  }
  return status.code();
}

} // namespace rt
} // namespace hcc

using namespace hcc::rt;

extern "C" {

const char *hcc_status_string(hcc_status_t status) {
  switch (enumCode(status)) {
  case HCC_OK:
    return "HCC_OK";
  case HCC_ERROR_INVALID_ARGUMENT:
    return "HCC_ERROR_INVALID_ARGUMENT";
  case HCC_ERROR_INVALID_BUNDLE:
    return "HCC_ERROR_INVALID_BUNDLE";
  case HCC_ERROR_VERSION_MISMATCH:
    return "HCC_ERROR_VERSION_MISMATCH";
  case HCC_ERROR_IO:
    return "HCC_ERROR_IO";
  case HCC_ERROR_OUT_OF_MEMORY:
    return "HCC_ERROR_OUT_OF_MEMORY";
  case HCC_ERROR_SHAPE_MISMATCH:
    return "HCC_ERROR_SHAPE_MISMATCH";
  case HCC_ERROR_DTYPE_MISMATCH:
    return "HCC_ERROR_DTYPE_MISMATCH";
  case HCC_ERROR_UNSUPPORTED:
    return "HCC_ERROR_UNSUPPORTED";
  case HCC_ERROR_INTERNAL:
    return "HCC_ERROR_INTERNAL";
  case HCC_ERROR_DEVICE:
    return "HCC_ERROR_DEVICE";
  case HCC_ERROR_DEVICE_LOST:
    return "HCC_ERROR_DEVICE_LOST";
  }
  return "HCC_ERROR_UNKNOWN";
}

const char *hcc_runtime_last_error(void) { return lastError.c_str(); }
const char *hcc_runtime_version(void) { return "0.1.0"; }
uint32_t hcc_runtime_bundle_format_version(void) {
  return HCC_BUNDLE_FORMAT_VERSION;
}

size_t hcc_dtype_size(hcc_dtype_t dtype) { return dtypeSize(enumCode(dtype)); }
const char *hcc_dtype_name(hcc_dtype_t dtype) {
  return dtypeName(enumCode(dtype));
}

static hcc_status_t checkShape(const hcc_dtype_t &dtype, const int64_t *dims,
                               size_t rank, uint64_t &bytes) {
  if (dtypeSize(enumCode(dtype)) == 0)
    return report(
        invalidArgument("unknown dtype " + std::to_string(enumCode(dtype))));
  // Before dims is read: a garbage rank would read far past it.
  if (rank > HCC_MAX_TENSOR_RANK)
    return report(invalidArgument("rank " + std::to_string(rank) +
                                  " exceeds HCC_MAX_TENSOR_RANK (" +
                                  std::to_string(HCC_MAX_TENSOR_RANK) + ")"));
  if (rank > 0 && !dims)
    return report(
        invalidArgument("dims is NULL for rank " + std::to_string(rank)));
  std::vector<int64_t> shape(dims, dims + rank);
  if (!tensorBytes(shape, dtypeSize(dtype), bytes))
    return report(invalidArgument("invalid shape " +
                                  describeType(dtype, dims, rank) +
                                  " (negative dimension or too large)"));
  return HCC_OK;
}

/// A tensor object with its type filled in and no data yet.
static hcc_status_t newTensor(hcc_dtype_t dtype, const int64_t *dims,
                              size_t rank, uint64_t bytes, hcc_tensor *&out) {
  auto *t = new (std::nothrow) hcc_tensor();
  if (!t)
    return report(Status(HCC_ERROR_OUT_OF_MEMORY, "out of memory"));
  try {
    t->dims.assign(dims, dims + rank);
  } catch (...) {
    delete t;
    return report(Status(HCC_ERROR_OUT_OF_MEMORY, "out of memory"));
  }
  t->dtype = dtype;
  t->bytes = bytes;
  out = t;
  return HCC_OK;
}

hcc_status_t hcc_tensor_create(hcc_dtype_t dtype, const int64_t *dims,
                               size_t rank, const hcc_allocator_t *allocator,
                               hcc_tensor_t **out) {
  if (!out)
    return report(invalidArgument("hcc_tensor_create: out is NULL"));
  *out = nullptr;
  uint64_t bytes = 0;
  if (hcc_status_t st = checkShape(dtype, dims, rank, bytes))
    return st;
  const hcc_allocator_t &a = allocator ? *allocator : defaultAllocator();
  if (!a.alloc || !a.free)
    return report(invalidArgument("allocator lacks alloc or free"));
  hcc_tensor *t = nullptr;
  if (hcc_status_t st = newTensor(dtype, dims, rank, bytes, t))
    return st;
  t->allocator = a;
  t->owned = true;
  // Zero-size tensors still get a valid pointer: kernels may take it.
  t->data = a.alloc(a.ctx, bytes ? bytes : 64, 64);
  if (!t->data) {
    delete t;
    return report(Status(HCC_ERROR_OUT_OF_MEMORY, "cannot allocate " +
                                                      std::to_string(bytes) +
                                                      " bytes for a tensor"));
  }
  std::memset(t->data, 0, bytes);
  *out = t;
  return HCC_OK;
}

hcc_status_t hcc_tensor_wrap(hcc_dtype_t dtype, const int64_t *dims,
                             size_t rank, void *data, size_t size_bytes,
                             hcc_tensor_t **out) {
  if (!out)
    return report(invalidArgument("hcc_tensor_wrap: out is NULL"));
  *out = nullptr;
  uint64_t bytes = 0;
  if (hcc_status_t st = checkShape(dtype, dims, rank, bytes))
    return st;
  if (bytes != size_bytes)
    return report(invalidArgument(
        describeType(dtype, dims, rank) + " needs " + std::to_string(bytes) +
        " bytes, the wrapped buffer has " + std::to_string(size_bytes)));
  if (!data && bytes > 0)
    return report(invalidArgument("hcc_tensor_wrap: data is NULL"));
  hcc_tensor *t = nullptr;
  if (hcc_status_t st = newTensor(dtype, dims, rank, bytes, t))
    return st;
  // A zero-size wrap may pass NULL; give kernels a harmless pointer.
  static uint64_t empty[8];
  t->data = data ? data : empty;
  *out = t;
  return HCC_OK;
}

void hcc_tensor_release(hcc_tensor_t *t) {
  if (!t)
    return;
  if (t->owned)
    t->allocator.free(t->allocator.ctx, t->data);
  if (t->device)
    t->device->deallocate(t->memory);
  delete t;
}

void *hcc_tensor_data(const hcc_tensor_t *t) { return t ? t->data : nullptr; }
size_t hcc_tensor_size_bytes(const hcc_tensor_t *t) { return t ? t->bytes : 0; }
hcc_dtype_t hcc_tensor_dtype(const hcc_tensor_t *t) {
  return t ? t->dtype : static_cast<hcc_dtype_t>(0);
}
size_t hcc_tensor_rank(const hcc_tensor_t *t) { return t ? t->dims.size() : 0; }
const int64_t *hcc_tensor_dims(const hcc_tensor_t *t) {
  return t ? t->dims.data() : nullptr;
}

} // extern "C"

hcc_status_t hcc::rt::newTensorObject(const hcc_dtype_t &dtype,
                                      const int64_t *dims, size_t rank,
                                      hcc_tensor *&out) {
  uint64_t bytes = 0;
  if (hcc_status_t st = checkShape(dtype, dims, rank, bytes))
    return st;
  return newTensor(dtype, dims, rank, bytes, out);
}
