//===- cuda_code.h - The "cuda" CODE section, parsed ------------*- C++ -*-===//
//
// The section is JSON (format "hcc-cuda/1"): the PTX of every stage entry
// point and the architecture it was generated for, cubins assembled for
// some architectures (base64), and the same kernel table as the OpenCL
// section (staged_code.h), every stage with its block size.
//
//===----------------------------------------------------------------------===//
#ifndef HCC_RUNTIME_DRIVERS_CUDA_CODE_H
#define HCC_RUNTIME_DRIVERS_CUDA_CODE_H

#include "drivers/staged_code.h"

#include <map>
#include <string>

namespace hcc {
namespace rt {
namespace cuda {

constexpr const char *kCodeFormat = "hcc-cuda/1";

class CodeModule : public StagedCodeModule {
public:
  CodeModule() : StagedCodeModule("cuda") {}

  /// `code` if it is a live module of this driver, else nullptr.
  static CodeModule *from(rt::CodeModule &code);

  std::string ptx;
  /// The PTX's architecture as major * 10 + minor (sm_80: 80).
  int ptxArch = 0;
  /// Architecture (major * 10 + minor) -> cubin bytes.
  std::map<int, std::string> cubins;

private:
  Status parseSection(const nlohmann::json &doc) override;
};

/// "sm_80" -> 80; -1 when `name` is not sm_<digits>.
int parseArch(const std::string &name);

/// Decodes standard base64 (RFC 4648, '=' padding); false on bad input.
bool decodeBase64(const std::string &text, std::string &out);

} // namespace cuda
} // namespace rt
} // namespace hcc

#endif // HCC_RUNTIME_DRIVERS_CUDA_CODE_H
