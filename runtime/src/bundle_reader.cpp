//===- bundle_reader.cpp - Maps and validates a .hccb file ---------------===//
//
// Every byte of the file is accounted for: header, table, sections (CRC'd)
// and the zero padding between them, so any corruption is reported before
// the manifest or code is looked at.
//
//===----------------------------------------------------------------------===//

#include "bundle_reader.h"
#include "hcc/runtime/bundle_format.h"
#include "support/file_checks.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

namespace hcc {
namespace rt {

namespace {
uint32_t getU32(const uint8_t *p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i)
    v = (v << 8) | p[i];
  return v;
}
uint64_t getU64(const uint8_t *p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i)
    v = (v << 8) | p[i];
  return v;
}
uint32_t crcOf(const uint8_t *data, uint64_t size) {
  uLong c = crc32(0L, Z_NULL, 0);
  while (size > 0) {
    uInt chunk = static_cast<uInt>(std::min<uint64_t>(size, 1u << 30));
    c = crc32(c, data, chunk);
    data += chunk;
    size -= chunk;
  }
  return static_cast<uint32_t>(c);
}
bool allZero(const uint8_t *p, uint64_t n) {
  for (uint64_t i = 0; i < n; ++i)
    if (p[i] != 0)
      return false;
  return true;
}
} // namespace

BundleImage::~BundleImage() {
  if (mapping_)
    ::munmap(mapping_, size_);
  std::free(copy_);
}

void BundleImage::releasePages(const SectionView &section) const {
  if (!mapping_ || section.size == 0)
    return;
  uintptr_t page = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
  uintptr_t begin = reinterpret_cast<uintptr_t>(section.data);
  uintptr_t end = begin + section.size;
  begin = (begin + page - 1) / page * page;
  end = end / page * page;
  // Clean pages of a private file mapping: dropped, read again on access.
  if (end > begin)
    ::madvise(reinterpret_cast<void *>(begin), end - begin, MADV_DONTNEED);
}

Status BundleImage::openFile(const std::string &path,
                             std::unique_ptr<BundleImage> &out) {
  // Without blocking: a FIFO is refused below, not waited on.
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    return Status(HCC_ERROR_IO,
                  "cannot open bundle '" + path + "': " + std::strerror(errno));
  struct stat st;
  bool known = ::fstat(fd, &st) == 0;
  if (!known || !S_ISREG(st.st_mode)) {
    const char *kind = known ? support::specialFileKind(st.st_mode) : nullptr;
    ::close(fd);
    return Status(HCC_ERROR_IO, "cannot read bundle '" + path +
                                    "': " + (kind ? kind : "unreadable") +
                                    ", not a regular file");
  }
  std::unique_ptr<BundleImage> image(new BundleImage());
  image->origin_ = path;
  image->size_ = static_cast<uint64_t>(st.st_size);
  if (image->size_ < HCC_BUNDLE_HEADER_SIZE) {
    ::close(fd);
    return invalidBundle("bundle '" + path +
                         "' is truncated: " + std::to_string(image->size_) +
                         " bytes, the header alone needs 64");
  }
  void *map = ::mmap(nullptr, image->size_, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED)
    return Status(HCC_ERROR_IO,
                  "cannot map bundle '" + path + "': " + std::strerror(errno));
  image->mapping_ = map;
  image->bytes_ = static_cast<const uint8_t *>(map);
  HCC_RETURN_IF_ERROR(image->validate());
  out = std::move(image);
  return Status::ok();
}

Status BundleImage::fromMemory(const void *data, size_t size,
                               std::unique_ptr<BundleImage> &out) {
  std::unique_ptr<BundleImage> image(new BundleImage());
  image->origin_ = "<memory>";
  image->size_ = size;
  if (size < HCC_BUNDLE_HEADER_SIZE)
    return invalidBundle(
        "bundle <memory> is truncated: " + std::to_string(size) +
        " bytes, the header alone needs 64");
  // Page-aligned copy: the weights keep the alignment they have in a file.
  size_t rounded = (size + HCC_BUNDLE_WEIGHTS_ALIGNMENT - 1) /
                   HCC_BUNDLE_WEIGHTS_ALIGNMENT * HCC_BUNDLE_WEIGHTS_ALIGNMENT;
  image->copy_ = std::aligned_alloc(HCC_BUNDLE_WEIGHTS_ALIGNMENT, rounded);
  if (!image->copy_)
    return Status(HCC_ERROR_OUT_OF_MEMORY, "cannot allocate " +
                                               std::to_string(size) +
                                               " bytes for bundle <memory>");
  std::memcpy(image->copy_, data, size);
  image->bytes_ = static_cast<const uint8_t *>(image->copy_);
  HCC_RETURN_IF_ERROR(image->validate());
  out = std::move(image);
  return Status::ok();
}

const SectionView *BundleImage::code(const std::string &target) const {
  for (const SectionView &s : sections_)
    if (s.kind == HCC_BUNDLE_SECTION_CODE && s.name == target)
      return &s;
  return nullptr;
}

Status BundleImage::validate() {
  const std::string what = "bundle '" + origin_ + "'";
  const uint8_t *b = bytes_;
  if (std::memcmp(b, HCC_BUNDLE_MAGIC, HCC_BUNDLE_MAGIC_SIZE) != 0)
    return invalidBundle(what + " is not an hcc bundle (bad magic)");
  uint32_t version = getU32(b + HCC_BUNDLE_OFF_VERSION);
  if (version != HCC_BUNDLE_FORMAT_VERSION)
    return Status(HCC_ERROR_VERSION_MISMATCH,
                  what + ": bundle format version " + std::to_string(version) +
                      ", this runtime reads " +
                      std::to_string(HCC_BUNDLE_FORMAT_VERSION));
  uint64_t declared = getU64(b + HCC_BUNDLE_OFF_FILE_SIZE);
  if (declared != size_)
    return invalidBundle(what + " is truncated or damaged: header says " +
                         std::to_string(declared) + " bytes, found " +
                         std::to_string(size_));
  if (!allZero(b + HCC_BUNDLE_OFF_HEADER_CRC + 4,
               HCC_BUNDLE_HEADER_SIZE - HCC_BUNDLE_OFF_HEADER_CRC - 4))
    return invalidBundle(what + " is damaged: reserved header bytes are set");

  uint64_t count = getU32(b + HCC_BUNDLE_OFF_SECTION_COUNT);
  if (count > (size_ - HCC_BUNDLE_HEADER_SIZE) / HCC_BUNDLE_SECTION_ENTRY_SIZE)
    return invalidBundle(what + " is damaged: " + std::to_string(count) +
                         " sections do not fit in the file");
  uint64_t tableEnd =
      HCC_BUNDLE_HEADER_SIZE + count * HCC_BUNDLE_SECTION_ENTRY_SIZE;
  if (crcOf(b + HCC_BUNDLE_HEADER_SIZE, tableEnd - HCC_BUNDLE_HEADER_SIZE) !=
      getU32(b + HCC_BUNDLE_OFF_HEADER_CRC))
    return invalidBundle(what + " is damaged: section table CRC mismatch");

  sections_.clear();
  int manifests = 0, weights = 0;
  for (uint64_t i = 0; i < count; ++i) {
    const uint8_t *e =
        b + HCC_BUNDLE_HEADER_SIZE + i * HCC_BUNDLE_SECTION_ENTRY_SIZE;
    std::string where = what + " section " + std::to_string(i);
    SectionView s;
    s.kind = getU32(e + HCC_BUNDLE_SEC_OFF_KIND);
    uint64_t offset = getU64(e + HCC_BUNDLE_SEC_OFF_OFFSET);
    s.size = getU64(e + HCC_BUNDLE_SEC_OFF_SIZE);
    if (getU32(e + HCC_BUNDLE_SEC_OFF_FLAGS) != 0 ||
        getU32(e + HCC_BUNDLE_SEC_OFF_RESERVED) != 0)
      return invalidBundle(where + ": unknown flags or reserved bits set");
    const char *name =
        reinterpret_cast<const char *>(e + HCC_BUNDLE_SEC_OFF_NAME);
    size_t len = strnlen(name, HCC_BUNDLE_SECTION_NAME_SIZE);
    if (len == 0 || len == HCC_BUNDLE_SECTION_NAME_SIZE ||
        !allZero(e + HCC_BUNDLE_SEC_OFF_NAME + len,
                 HCC_BUNDLE_SECTION_NAME_SIZE - len))
      return invalidBundle(where + ": name is empty or not NUL-padded");
    s.name.assign(name, len);
    where += " ('" + s.name + "')";
    if (offset < tableEnd || offset > size_ || s.size > size_ - offset)
      return invalidBundle(where + ": bytes [" + std::to_string(offset) +
                           ", +" + std::to_string(s.size) +
                           ") lie outside the file's " + std::to_string(size_) +
                           " bytes");
    s.data = b + offset;
    if (crcOf(s.data, s.size) != getU32(e + HCC_BUNDLE_SEC_OFF_CRC))
      return invalidBundle(where + " is damaged: CRC mismatch");
    switch (s.kind) {
    case HCC_BUNDLE_SECTION_MANIFEST:
      ++manifests;
      manifestIndex_ = sections_.size();
      break;
    case HCC_BUNDLE_SECTION_CODE:
      for (const SectionView &o : sections_)
        if (o.kind == HCC_BUNDLE_SECTION_CODE && o.name == s.name)
          return invalidBundle(where + ": duplicate code target");
      break;
    case HCC_BUNDLE_SECTION_WEIGHTS:
      ++weights;
      if (offset % HCC_BUNDLE_WEIGHTS_ALIGNMENT != 0)
        return invalidBundle(where + ": weights are not 4096-byte aligned");
      weights_ = s;
      break;
    default:
      return invalidBundle(where + ": unknown section kind " +
                           std::to_string(s.kind));
    }
    sections_.push_back(s);
  }
  if (manifests != 1)
    return invalidBundle(what + " has " + std::to_string(manifests) +
                         " manifest sections, expected 1");
  if (weights > 1)
    return invalidBundle(what + " has more than one weights section");

  // Sections must not overlap; everything between them must be zero padding.
  std::vector<const SectionView *> sorted;
  for (const SectionView &s : sections_)
    sorted.push_back(&s);
  std::sort(sorted.begin(), sorted.end(),
            [](const SectionView *x, const SectionView *y) {
              return x->data < y->data;
            });
  uint64_t cursor = tableEnd;
  for (const SectionView *s : sorted) {
    uint64_t offset = static_cast<uint64_t>(s->data - b);
    if (offset < cursor)
      return invalidBundle(what + ": section '" + s->name +
                           "' overlaps another section");
    if (!allZero(b + cursor, offset - cursor))
      return invalidBundle(what + " is damaged: padding before section '" +
                           s->name + "' is not zero");
    cursor = offset + s->size;
  }
  if (!allZero(b + cursor, size_ - cursor))
    return invalidBundle(what + " is damaged: trailing bytes are not zero");
  return Status::ok();
}

} // namespace rt
} // namespace hcc
