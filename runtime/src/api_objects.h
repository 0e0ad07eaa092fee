//===- api_objects.h - What the C API's opaque handles point to -*- C++ -*-===//
#ifndef HCC_RUNTIME_API_OBJECTS_H
#define HCC_RUNTIME_API_OBJECTS_H

#include "device.h"
#include "hcc/runtime.h"
#include "status.h"

#include <memory>

#include <map>
#include <string>
#include <vector>

namespace hcc {
namespace rt {
class Model;
class Session;

/// malloc-based allocator used when the caller gives none.
const hcc_allocator_t &defaultAllocator();

/// Records `status`'s message as the thread's last error; returns its code.
hcc_status_t report(const Status &status);

/// A new tensor object of this type with no memory yet (`bytes` its size);
/// reports and returns the error of an invalid type.
hcc_status_t newTensorObject(const hcc_dtype_t &dtype, const int64_t *dims,
                             size_t rank, hcc_tensor *&out);
} // namespace rt
} // namespace hcc

struct hcc_model {
  hcc::rt::Model *model;
};

struct hcc_tensor {
  hcc_dtype_t dtype = HCC_DTYPE_FLOAT32;
  std::vector<int64_t> dims;
  void *data = nullptr; // host memory; NULL for a device tensor
  size_t bytes = 0;
  bool owned = false;
  hcc_allocator_t allocator{};
  /// A device tensor: memory of a session's device, which it keeps alive.
  std::shared_ptr<hcc::rt::Device> device;
  hcc::rt::DeviceMemory memory = nullptr;
};

struct hcc_session_options {
  int threads = 0;
  std::string tracePath;
  bool hasAllocator = false;
  hcc_allocator_t allocator{};
  /// Device kind -> substring of the device name to use.
  std::map<std::string, std::string> deviceNames;
};

#endif // HCC_RUNTIME_API_OBJECTS_H
