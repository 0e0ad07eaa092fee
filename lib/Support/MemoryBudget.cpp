//===- MemoryBudget.cpp - A compile's memory, bounded ---------------------===//

#include "hcc/Support/MemoryBudget.h"

#include "llvm/Support/ErrorHandling.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <sys/resource.h>
#include <unistd.h>

#ifndef __has_feature
#define __has_feature(x) 0
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) ||           \
    __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) ||     \
    __has_feature(memory_sanitizer)
#define HCC_SANITIZED 1
#else
#define HCC_SANITIZED 0
#endif

namespace hcc {
namespace {
// Built once, before any allocation can fail: the handler must not allocate.
std::string &budgetMessage() {
  static std::string message;
  return message;
}

void onBadAlloc(void *, const char *, bool) {
  const std::string &m = budgetMessage();
  ssize_t ignored = ::write(2, m.data(), m.size());
  (void)ignored;
  ::_exit(1);
}
} // namespace

uint64_t defaultMemoryBudgetMiB() {
  long pages = ::sysconf(_SC_PHYS_PAGES), size = ::sysconf(_SC_PAGESIZE);
  uint64_t mib = pages > 0 && size > 0
                     ? static_cast<uint64_t>(pages) *
                           static_cast<uint64_t>(size) / (1 << 20)
                     : 0;
  return std::max<uint64_t>(mib / 4 * 3, 1024);
}

llvm::Error setMemoryBudget(uint64_t mib, llvm::StringRef tool,
                            llvm::StringRef option) {
  budgetMessage() =
      (tool + ": error: out of memory: the compile needs more than " +
       (mib ? "the memory budget of " + std::to_string(mib) +
                  " MiB (raise it "
                  "with " +
                  option.str() + "=N)"
            : std::string("the memory available")) +
       "\n")
          .str();
  llvm::install_bad_alloc_error_handler(onBadAlloc, nullptr);
  if (mib == 0 || HCC_SANITIZED)
    return llvm::Error::success();
  if (mib > (UINT64_MAX >> 20))
    return llvm::createStringError(option + "=" + std::to_string(mib) +
                                   " is too large");
  struct rlimit limit;
  if (::getrlimit(RLIMIT_AS, &limit) != 0)
    return llvm::createStringError(std::string("getrlimit: ") +
                                   std::strerror(errno));
  rlim_t wanted = static_cast<rlim_t>(mib) << 20;
  // Never raise a limit someone else set (ulimit -v).
  if (limit.rlim_max != RLIM_INFINITY && wanted > limit.rlim_max)
    wanted = limit.rlim_max;
  limit.rlim_cur = wanted;
  if (::setrlimit(RLIMIT_AS, &limit) != 0)
    return llvm::createStringError(std::string("setrlimit: ") +
                                   std::strerror(errno));
  return llvm::Error::success();
}

} // namespace hcc
