//===- fpga_code.h - The "fpga" CODE section, parsed ------------*- C++ -*-===//
//
// An FPGA target's section is an OpenCL section (opencl_code.h: the
// single-work-item OpenCL C program and its kernel table) with an "fpga"
// object: the board the kernels were built for, its clock, the OpenCL
// platform its vendor runtime reports, and per kernel the cycles the
// compiler's model predicts there (MODELLED: no board measured them).
//
//   "fpga": {"board": "u250", "clock_mhz": 300, "opencl_platform": "Xilinx",
//            "kernels": {"hcc_k0": {"cycles": 24042}, ...}}
//
//===----------------------------------------------------------------------===//
#ifndef HCC_RUNTIME_DRIVERS_FPGA_CODE_H
#define HCC_RUNTIME_DRIVERS_FPGA_CODE_H

#include "drivers/opencl_code.h"

#include <map>
#include <string>

namespace hcc {
namespace rt {
namespace fpga {

class CodeModule : public opencl::CodeModule {
public:
  CodeModule();
  ~CodeModule() override;

  /// `code` if it is a live FPGA module, else nullptr.
  static const CodeModule *from(rt::CodeModule &code);

  /// Modelled nanoseconds of kernel `symbol` on the board (-1: unknown).
  double modelledNs(const std::string &symbol) const;

  std::string board;
  double clockMHz = 0;
  std::string platform;
  std::map<std::string, double> cycles;

private:
  Status parseSection(const nlohmann::json &doc) override;
};

} // namespace fpga
} // namespace rt
} // namespace hcc

#endif // HCC_RUNTIME_DRIVERS_FPGA_CODE_H
