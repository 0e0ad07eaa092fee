//===- Board.h - FPGA board descriptions ------------------------*- C++ -*-===//
//
// What the FPGA target knows of a board: its resources, clock, memory and
// host link, and the cost of one pipelined multiply-add per element type,
// read from a JSON board description (boards/*.json, built in; or a file
// the user names). docs/Boards.md is the schema and the sources of the
// built-in figures.
//
//===----------------------------------------------------------------------===//

#ifndef HCC_TARGET_FPGA_BOARD_H
#define HCC_TARGET_FPGA_BOARD_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace hcc::fpga {

/// One kind of on-chip RAM block (BRAM36, URAM, M20K).
struct RamKind {
  std::string kind;
  int64_t blocks = 0;
  int64_t bitsPerBlock = 0;
};

/// Cost of one fully pipelined multiply-add a * b + c per cycle.
struct MacCost {
  double dsp = 0;
  double logic = 0;
  int64_t latency = 0;
};

struct Board {
  std::string name, title, vendor, device, family;
  double clockMHz = 0;
  /// LUTs (AMD) or ALMs (Intel).
  std::string logicKind;
  int64_t logic = 0;
  std::string dspKind;
  int64_t dsp = 0;
  std::vector<RamKind> ram;
  std::string memoryKind;
  int64_t memoryChannels = 0;
  double memoryGiB = 0, memoryGBps = 0;
  std::string hostLinkKind;
  double hostLinkGBps = 0;
  MacCost f32Mac, f16Mac, int8Mac;
  /// Substring of the vendor runtime's OpenCL platform name.
  std::string openclPlatform;
  /// Where the description came from: "built-in" or the file's path.
  std::string origin;

  /// On-chip RAM in bits over every block kind.
  int64_t ramBits() const;
};

/// Names of the built-in boards ("u250", ...).
std::vector<std::string> builtinBoardNames();

/// Parses and checks a board description (`text`, from `origin`): every
/// field present, of its type, positive where it counts something. Errors
/// name the origin and the field.
llvm::Expected<Board> parseBoard(llvm::StringRef text, llvm::StringRef origin);

/// The board `nameOrPath` names: a built-in board's name, or the path of
/// a JSON file (anything with a '/' or ending in ".json").
llvm::Expected<Board> loadBoard(llvm::StringRef nameOrPath);
/// What tells the board `nameOrPath` names apart from every other, for
/// tuning workloads (costs are modelled per board): a built-in board's
/// name; for a description file, its board's name and a hash of its text
/// (a copy with other figures is another board); "" when it does not load.
std::string boardIdentity(llvm::StringRef nameOrPath);

} // namespace hcc::fpga

#endif // HCC_TARGET_FPGA_BOARD_H
