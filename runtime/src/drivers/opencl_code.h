//===- opencl_code.h - The "opencl" CODE section, parsed --------*- C++ -*-===//
//
// The section is JSON (format "hcc-opencl-c/1"): one OpenCL C source holding
// every stage entry point, build options, and per manifest kernel the stages
// to enqueue and the scratch buffers they share. A stage argument below the
// kernel's num_args is a manifest argument, above it a scratch buffer.
//
//===----------------------------------------------------------------------===//
#ifndef HCC_RUNTIME_DRIVERS_OPENCL_CODE_H
#define HCC_RUNTIME_DRIVERS_OPENCL_CODE_H

#include "device.h"

#include <nlohmann/json_fwd.hpp>

#include <map>
#include <string>
#include <vector>

namespace hcc {
namespace rt {
namespace opencl {

constexpr const char *kCodeFormat = "hcc-opencl-c/1";

struct Stage {
  std::string entry;
  uint64_t globalSize = 1;
  std::vector<uint32_t> args;
};

/// What a KernelHandle of an OpenCL module points at.
struct Kernel {
  uint64_t moduleId = 0;
  std::string symbol;
  uint32_t numArgs = 0;
  std::vector<uint64_t> scratch;
  std::vector<Stage> stages;
};

class CodeModule : public rt::CodeModule {
public:
  CodeModule();
  ~CodeModule() override;

  /// `code` if it is a live module of this driver, else nullptr (the
  /// runtime is not required to have RTTI).
  static CodeModule *from(rt::CodeModule &code);

  /// Parses and validates the section; `origin` names the bundle.
  Status parse(const SectionView &code, const std::string &origin);
  Status resolve(const std::string &symbol, KernelHandle &out) override;

  /// Unique per process, unlike addresses, which a later module may reuse.
  uint64_t id = 0;
  std::string origin;
  std::string source;
  std::string options;
  // std::map: handles point into it, so nodes must not move.
  std::map<std::string, Kernel> kernels;

private:
  Status bad(const std::string &what) const;
  Status parseJson(const nlohmann::json &doc);
  Status parseKernel(const std::string &symbol, const nlohmann::json &k);
};

} // namespace opencl
} // namespace rt
} // namespace hcc

#endif // HCC_RUNTIME_DRIVERS_OPENCL_CODE_H
