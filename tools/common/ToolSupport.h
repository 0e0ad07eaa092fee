//===- ToolSupport.h - What the measuring tools share ------------*- C++
//-*-===//
//
// hcc-profile and hcc-tune compile models with hcc-compile (a child
// process), measure bundles through the runtime and report progress: the
// helpers they share.
//
//===----------------------------------------------------------------------===//
#ifndef HCC_TOOLS_COMMON_TOOLSUPPORT_H
#define HCC_TOOLS_COMMON_TOOLSUPPORT_H

#include <chrono>
#include <cstddef>
#include <string>

namespace hcc {
namespace tools {

/// Now in UTC, ISO 8601 ("2026-12-04T19:40:00Z").
std::string isoDate();
/// "host (CPU model, N threads)".
std::string machineName();
/// The processor's model name (/proc/cpuinfo), "unknown CPU" if none.
std::string cpuModelName();
/// The runtime's device 0 (always the host): its driver name. Not for
/// processes that link LLVM's code generators: listing devices loads
/// vendor libraries (PoCL) with their own LLVM, whose options clash.
std::string hostDriver();
/// The last non-empty line of a file (a child's diagnostic), "" if none.
std::string lastLine(const std::string &path);

/// A progress line on stderr: a bar, done/total, time left and a note;
/// redrawn in place on a terminal, one line per update elsewhere.
class Progress {
public:
  explicit Progress(size_t total);
  void show(size_t done, const std::string &what);
  /// Time left as the caller knows it (a time budget), instead of the
  /// estimate from the rate so far; negative to estimate.
  void show(size_t done, const std::string &what, double secondsLeft);
  void finish();

private:
  size_t total;
  std::chrono::steady_clock::time_point start;
  bool tty;
};

} // namespace tools
} // namespace hcc

#endif
