//===- staged_code.h - CODE sections of staged GPU-style kernels -*- C++ -*-=//
//
// The OpenCL and CUDA sections describe their kernels the same way: each
// manifest kernel is a list of stages (entry points launched in order over
// a 1-D range, optionally in work-groups/blocks) reading kernel arguments
// and scratch buffers the device allocates. This is that kernel table,
// parsed and validated once; each driver's module adds its own fields (the
// OpenCL C source, the PTX and cubins).
//
//===----------------------------------------------------------------------===//
#ifndef HCC_RUNTIME_DRIVERS_STAGED_CODE_H
#define HCC_RUNTIME_DRIVERS_STAGED_CODE_H

#include "bundle_reader.h"
#include "device.h"
#include "status.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace hcc {
namespace rt {

struct Stage {
  std::string entry;
  uint64_t globalSize = 1;
  /// Work-group (block) size; 0: the driver chooses (CPU-shaped stages).
  uint64_t localSize = 0;
  std::vector<uint32_t> args;
};

/// What a KernelHandle of a staged module points at.
struct StagedKernel {
  uint64_t moduleId = 0;
  std::string symbol;
  uint32_t numArgs = 0;
  std::vector<uint64_t> scratch;
  std::vector<Stage> stages;
};

/// Why `kernel` (null: none given) cannot be launched with `numArgs`
/// arguments on `device` (a name for messages): not `prepared` there, or
/// another argument count; OK otherwise.
Status checkLaunch(const std::string &device, const StagedKernel *kernel,
                   bool prepared, size_t numArgs);

class StagedCodeModule : public CodeModule {
public:
  /// `kind` names the section in messages ("opencl", "cuda").
  explicit StagedCodeModule(const char *kind);
  ~StagedCodeModule() override;

  /// `code` if it is a live module of `kind`, else nullptr (the runtime is
  /// not required to have RTTI).
  static StagedCodeModule *from(rt::CodeModule &code, const char *kind);

  /// Parses and validates the section; `origin` names the bundle.
  Status parse(const SectionView &code, const std::string &origin);
  Status resolve(const std::string &symbol, KernelHandle &out) override;

  /// Unique per process, unlike addresses, which a later module may reuse.
  uint64_t id = 0;
  std::string origin;
  // std::map: handles point into it, so nodes must not move.
  std::map<std::string, StagedKernel> kernels;

protected:
  /// The section's own fields; call parseKernels for "kernels".
  virtual Status parseSection(const nlohmann::json &doc) = 0;
  /// `doc` is an object whose "format" is `format`.
  Status checkFormat(const nlohmann::json &doc, const char *format) const;
  /// The "kernels" object of `doc`.
  Status parseKernels(const nlohmann::json &doc);
  Status bad(const std::string &what) const;
  /// A JSON value for a message, cut short (the value may be huge).
  static std::string brief(const nlohmann::json &v);

private:
  Status parseKernel(const std::string &symbol, const nlohmann::json &k);
  const char *kind;
};

} // namespace rt
} // namespace hcc

#endif // HCC_RUNTIME_DRIVERS_STAGED_CODE_H
