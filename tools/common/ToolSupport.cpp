//===- ToolSupport.cpp - What the measuring tools share -------------------===//

#include "ToolSupport.h"

#include "hcc/runtime.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>
#include <ctime>
#include <fstream>
#include <thread>
#include <unistd.h>

namespace hcc {
namespace tools {

std::string isoDate() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string cpuModelName() {
  std::ifstream info("/proc/cpuinfo");
  for (std::string line; std::getline(info, line);)
    if (line.rfind("model name", 0) == 0)
      return llvm::StringRef(line).split(':').second.trim().str();
  return "unknown CPU";
}

std::string machineName() {
  char host[256] = "unknown";
  gethostname(host, sizeof(host) - 1);
  return std::string(host) + " (" + cpuModelName() + ", " +
         std::to_string(std::thread::hardware_concurrency()) + " threads)";
}

std::string hostDriver() {
  hcc_device_info_t d;
  return hcc_device_info(0, &d) == HCC_OK ? d.driver : "";
}

std::string lastLine(const std::string &path) {
  std::ifstream in(path);
  std::string line, last;
  while (std::getline(in, line))
    if (!llvm::StringRef(line).trim().empty())
      last = line;
  return last;
}

Progress::Progress(size_t total)
    : total(total), start(std::chrono::steady_clock::now()),
      tty(llvm::sys::Process::StandardErrIsDisplayed()) {}

void Progress::show(size_t done, const std::string &what) {
  show(done, what, -1);
}

void Progress::show(size_t done, const std::string &what, double secondsLeft) {
  double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  double left = secondsLeft >= 0 ? secondsLeft
                : done           ? elapsed / done * (total - done)
                                 : -1;
  const int width = 24;
  int filled =
      total ? static_cast<int>(width * std::min(done, total) / total) : width;
  std::string bar(filled, '#');
  bar.resize(width, '-');
  char eta[32] = "?";
  if (left >= 0)
    std::snprintf(eta, sizeof(eta), "%dm%02ds", static_cast<int>(left) / 60,
                  static_cast<int>(left) % 60);
  llvm::errs() << (tty ? "\r\033[K" : "") << "[" << bar << "] " << done << "/"
               << total << "  time left ~" << eta << "  " << what
               << (tty ? "" : "\n");
}

void Progress::finish() {
  if (tty)
    llvm::errs() << "\n";
}

} // namespace tools
} // namespace hcc
