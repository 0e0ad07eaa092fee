//===- FPGATarget.h - The FPGA target plug-in -------------------*- C++ -*-===//
//
// FPGA boards programmed with OpenCL (AMD Vitis, Intel FPGA SDK): single-
// work-item OpenCL C kernels with the board vendor's attributes, from a
// board description (Board.h). They run functionally on an OpenCL device.
//
//===----------------------------------------------------------------------===//

#ifndef HCC_TARGET_FPGA_FPGATARGET_H
#define HCC_TARGET_FPGA_FPGATARGET_H

#include "hcc/Target/Target.h"

#include "mlir/Dialect/EmitC/IR/EmitC.h"
#include "mlir/Pass/Pass.h"

namespace hcc {

namespace fpga {
/// Module attribute of an FPGA target module: stage -> the model's
/// {kernel, ii, cycles, dsp, logic, ram_blocks} (hcc-fpga-estimate).
inline constexpr llvm::StringLiteral kEstimatesAttr = "hcc.fpga.estimates";
/// Module attribute: the board the estimates are for {name, clock_mhz,
/// dsp, logic, ram_blocks}.
inline constexpr llvm::StringLiteral kBoardAttr = "hcc.fpga.board";
/// Module attribute: stage -> cycles of the cycle-level simulation
/// (hcc-fpga-simulate), to check the model against.
inline constexpr llvm::StringLiteral kSimulatedAttr = "hcc.fpga.simulated";
/// Stage function attribute: the modelled II of each innermost loop, in
/// pre-order (hcc-fpga-estimate), which hcc-fpga-kernel-attributes asks
/// the vendor compiler for.
inline constexpr llvm::StringLiteral kLoopIIAttr = "hcc.fpga.loop_ii";
} // namespace fpga

#define GEN_PASS_DECL
#include "hcc/Target/FPGA/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "hcc/Target/FPGA/Passes.h.inc"

/// What hcc-tune searches for an FPGA kernel (SearchSpace.cpp): the
/// processing-element array of contractions; empty for other kernels.
SearchSpace fpgaSearchSpaceFor(const cost::KernelFeatures &kernel);

/// Adds the `fpga` target.
void registerFPGATarget(TargetRegistry &registry);

/// Registers the FPGA target's passes.
void registerFPGATargetPasses();

} // namespace hcc

#endif // HCC_TARGET_FPGA_FPGATARGET_H
