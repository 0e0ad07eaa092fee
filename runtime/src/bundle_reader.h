//===- bundle_reader.h - Maps and validates a .hccb file --------*- C++ -*-===//
//
// The container level only: header, section table, CRCs and bounds. The
// manifest's meaning is checked by manifest.h.
//
//===----------------------------------------------------------------------===//
#ifndef HCC_RUNTIME_BUNDLE_READER_H
#define HCC_RUNTIME_BUNDLE_READER_H

#include "status.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace hcc {
namespace rt {

struct SectionView {
  uint32_t kind = 0;
  std::string name;
  const uint8_t *data = nullptr;
  uint64_t size = 0;
};

/// Owns the bytes of a bundle (a read-only mapping or an aligned copy) and
/// exposes its sections once every byte of the container has been checked.
class BundleImage {
public:
  ~BundleImage();
  BundleImage(const BundleImage &) = delete;
  BundleImage &operator=(const BundleImage &) = delete;

  /// `origin` names the bundle in messages (a path or "<memory>").
  static Status openFile(const std::string &path,
                         std::unique_ptr<BundleImage> &out);
  static Status fromMemory(const void *data, size_t size,
                           std::unique_ptr<BundleImage> &out);

  const std::string &origin() const { return origin_; }
  const SectionView &manifest() const { return sections_[manifestIndex_]; }
  /// Empty view when the bundle has no weights.
  const SectionView &weights() const { return weights_; }
  /// nullptr when there is no CODE section for `target`.
  const SectionView *code(const std::string &target) const;
  const std::vector<SectionView> &sections() const { return sections_; }
  /// Lets the system take back the resident pages of `section` (one of
  /// this image's, copied elsewhere): a mapped file reads them again if
  /// they are touched; an image held in memory keeps them.
  void releasePages(const SectionView &section) const;

private:
  BundleImage() = default;
  Status validate();

  std::string origin_;
  const uint8_t *bytes_ = nullptr;
  uint64_t size_ = 0;
  void *mapping_ = nullptr; // munmap on destruction when non-null
  void *copy_ = nullptr;    // free on destruction when non-null
  std::vector<SectionView> sections_;
  size_t manifestIndex_ = 0;
  SectionView weights_;
};

} // namespace rt
} // namespace hcc

#endif // HCC_RUNTIME_BUNDLE_READER_H
