//===- manifest.h - The bundle manifest, parsed and validated ---*- C++ -*-===//
//
// After parseManifest succeeds every id is in range, every size matches its
// dtype and shape, weights lie inside the blob without overlapping, and the
// kernel list is a valid topological order: the executor relies on all of it
// without re-checking.
//
//===----------------------------------------------------------------------===//
#ifndef HCC_RUNTIME_MANIFEST_H
#define HCC_RUNTIME_MANIFEST_H

#include "status.h"

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace hcc {
namespace rt {

enum class BufferKind { Input, Output, Weight, Intermediate, ConstantOutput };

struct BufferDesc {
  hcc_dtype_t dtype = HCC_DTYPE_FLOAT32;
  std::vector<int64_t> shape;
  std::vector<std::string> dimNames; // same length as shape; "" = unnamed
  BufferKind kind = BufferKind::Intermediate;
  uint64_t bytes = 0;
  size_t device = 0; // whose memory holds it; graph values live on device 0
  uint64_t weightOffset = 0; // Weight and ConstantOutput
  bool isView = false;
  size_t viewOf = 0; // the aliased buffer (never itself a view)
  uint64_t viewOffset = 0;
};

struct ValueDesc {
  std::string name;
  size_t buffer = 0;
  std::vector<const char *> dimNamePtrs; // for hcc_value_info_t
};

struct DeviceDesc {
  std::string kind;   // runtime driver ("cpu", "opencl")
  std::string target; // the compiler target that generated its code
};

struct KernelDesc {
  std::string name;
  size_t device = 0;
  /// A copy of args[0] (on fromDevice) into args[1] (on device): no code.
  bool isTransfer = false;
  size_t fromDevice = 0;
  std::string code;
  std::string symbol;
  std::vector<size_t> args;
  size_t numInputs = 0;
  std::vector<size_t> deps; // all < this kernel's index
};

struct Manifest {
  std::string producer;
  std::string modelName;
  std::map<std::string, int64_t> symbolicDims;
  std::vector<DeviceDesc> devices;
  std::vector<BufferDesc> buffers;
  std::vector<ValueDesc> inputs;
  std::vector<ValueDesc> outputs;
  std::vector<KernelDesc> kernels;

  /// The buffer that owns the memory of `id` (itself unless a view).
  size_t root(size_t id) const {
    return buffers[id].isView ? buffers[id].viewOf : id;
  }
};

/// Parses and validates the manifest JSON. `weightsSize` is the size of the
/// WEIGHTS section, `codeTargets` the names of the CODE sections; `origin`
/// names the bundle in messages.
Status parseManifest(const char *text, size_t size, uint64_t weightsSize,
                     const std::set<std::string> &codeTargets,
                     const std::string &origin, Manifest &out);

} // namespace rt
} // namespace hcc

#endif // HCC_RUNTIME_MANIFEST_H
