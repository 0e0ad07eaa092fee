//===- Interrupt.cpp - hcc-tune stopped by a signal -----------------------===//

#include "Interrupt.h"

#include "llvm/Support/Signals.h"

#include <atomic>
#include <climits>
#include <csignal>
#include <cstring>
#include <sys/wait.h>
#include <unistd.h>

namespace hcc {
namespace tune {
namespace {
std::atomic<pid_t> runningChild{0};
// Filled before the handler is installed, read only by it.
char directory[PATH_MAX];

void onInterrupt() {
  pid_t child = runningChild.exchange(0);
  if (child > 0) {
    kill(child, SIGKILL);
    waitpid(child, nullptr, 0);
  }
  if (directory[0]) {
    pid_t rm = fork();
    if (rm == 0) {
      char name[] = "rm", flags[] = "-rf";
      char *argv[] = {name, flags, directory, nullptr};
      execv("/bin/rm", argv);
      _exit(127);
    }
    if (rm > 0)
      waitpid(rm, nullptr, 0);
  }
  _exit(130);
}
} // namespace

void cleanUpOnInterrupt(const std::string &workDirectory) {
  if (workDirectory.size() < sizeof(directory))
    std::memcpy(directory, workDirectory.c_str(), workDirectory.size() + 1);
  llvm::sys::SetInterruptFunction(onInterrupt);
}

void setRunningChild(pid_t pid) { runningChild.store(pid); }

} // namespace tune
} // namespace hcc
