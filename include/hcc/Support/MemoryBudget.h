//===- MemoryBudget.h - A compile's memory, bounded -------------*- C++ -*-===//
//
// A 200-byte model can describe gigabytes of work. The tools cap their
// address space (setrlimit) at a budget and turn the allocation failure that
// ends a compile over budget into one error line naming the budget and the
// option that raises it, instead of an abort or the system's OOM killer.
//
//===----------------------------------------------------------------------===//
#ifndef HCC_SUPPORT_MEMORYBUDGET_H
#define HCC_SUPPORT_MEMORYBUDGET_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>

namespace hcc {

/// Three quarters of physical memory, in MiB (at least 1024).
uint64_t defaultMemoryBudgetMiB();

/// Limits the address space to `mib` MiB (0: no limit) and installs the
/// handler that reports running out of it as "<tool>: error: ..." naming
/// `option`, exit code 1. Sanitized builds reserve terabytes of address
/// space up front: there the limit is not applied (the handler still is).
llvm::Error setMemoryBudget(uint64_t mib, llvm::StringRef tool,
                            llvm::StringRef option);

} // namespace hcc

#endif // HCC_SUPPORT_MEMORYBUDGET_H
