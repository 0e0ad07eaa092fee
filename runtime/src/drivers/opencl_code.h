//===- opencl_code.h - The "opencl" CODE section, parsed --------*- C++ -*-===//
//
// The section is JSON (format "hcc-opencl-c/2"): one OpenCL C source holding
// every stage entry point, build options, and per manifest kernel the stages
// to enqueue and the scratch buffers they share. A stage argument below the
// kernel's num_args is a manifest argument, above it a scratch buffer.
//
//===----------------------------------------------------------------------===//
#ifndef HCC_RUNTIME_DRIVERS_OPENCL_CODE_H
#define HCC_RUNTIME_DRIVERS_OPENCL_CODE_H

#include "drivers/staged_code.h"

#include <nlohmann/json_fwd.hpp>

#include <map>
#include <string>
#include <vector>

namespace hcc {
namespace rt {
namespace opencl {

constexpr const char *kCodeFormat = "hcc-opencl-c/2";

using Stage = rt::Stage;
using Kernel = StagedKernel;

class CodeModule : public StagedCodeModule {
public:
  CodeModule() : StagedCodeModule("opencl") {}

  /// `code` if it is a live module of this driver, else nullptr.
  static CodeModule *from(rt::CodeModule &code);

  std::string source;
  std::string options;

protected:
  Status parseSection(const nlohmann::json &doc) override;
};

} // namespace opencl
} // namespace rt
} // namespace hcc

#endif // HCC_RUNTIME_DRIVERS_OPENCL_CODE_H
