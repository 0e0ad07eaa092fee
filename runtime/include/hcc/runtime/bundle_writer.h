//===- bundle_writer.h - Writes .hccb bundles -------------------*- C++ -*-===//
//
// Used by hcc-compile and by the runtime's tests. Exception-free interface so
// it links into code built with -fno-exceptions (the compiler).
//
//===----------------------------------------------------------------------===//
#ifndef HCC_RUNTIME_BUNDLE_WRITER_H
#define HCC_RUNTIME_BUNDLE_WRITER_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace hcc {
namespace bundle {

class Writer {
public:
  /// The manifest JSON text (see docs/Bundle.md); replaces an earlier one.
  void addManifest(std::string json);
  /// Code for one target ("cpu": an ELF shared object). Target names are
  /// unique and at most 31 bytes; a repeated target replaces the earlier one.
  void addCode(std::string target, std::vector<uint8_t> bytes);
  void addCode(std::string target, const void *data, size_t size);
  /// Appends one weight to the WEIGHTS blob and returns its offset inside
  /// the blob (the manifest's "weight_offset"). align is raised to 64.
  uint64_t addWeight(const void *data, size_t size, size_t align = 64);
  /// Size of the WEIGHTS blob so far.
  uint64_t weightsSize() const { return weights.size(); }

  /// Serializes the bundle into memory.
  std::vector<uint8_t> serialize() const;
  /// Writes the bundle to path atomically (temporary file + rename). Returns
  /// false and sets *error (naming the file) on failure.
  bool write(const std::string &path, std::string *error) const;

private:
  std::string manifest;
  std::vector<std::pair<std::string, std::vector<uint8_t>>> code;
  std::vector<uint8_t> weights;
};

} // namespace bundle
} // namespace hcc

#endif // HCC_RUNTIME_BUNDLE_WRITER_H
