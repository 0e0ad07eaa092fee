//===- Interrupt.h - hcc-tune stopped by a signal ---------------*- C++ -*-===//
//
// Stopped by SIGINT, SIGTERM or SIGHUP (LLVM's interrupt handler), hcc-tune
// kills the hcc-compile or hcc-bench it is waiting for, which would go on
// using a core (and disturb the measurements of a resumed run), removes its
// work directory and exits with status 130. Only async-signal-safe calls:
// kill, waitpid, fork and execv of rm, _exit. The log needs nothing: each
// record is one write of a whole line.
//
//===----------------------------------------------------------------------===//
#ifndef HCC_TUNE_INTERRUPT_H
#define HCC_TUNE_INTERRUPT_H

#include <string>
#include <sys/types.h>

namespace hcc {
namespace tune {

/// Installs the handler; `workDirectory` is removed when it runs.
void cleanUpOnInterrupt(const std::string &workDirectory);
/// The child process being waited for (0: none).
void setRunningChild(pid_t pid);

} // namespace tune
} // namespace hcc

#endif // HCC_TUNE_INTERRUPT_H
