//===- model.h - A loaded, validated bundle ---------------------*- C++ -*-===//
#ifndef HCC_RUNTIME_MODEL_H
#define HCC_RUNTIME_MODEL_H

#include "bundle_reader.h"
#include "device.h"
#include "manifest.h"

#include <atomic>
#include <map>
#include <memory>

namespace hcc {
namespace rt {

/// Immutable once loaded; shared by sessions through a reference count.
class Model {
public:
  static Status load(std::unique_ptr<BundleImage> image,
                     std::unique_ptr<Model> &out);

  const Manifest &manifest() const { return *manifest_; }
  const BundleImage &image() const { return *image_; }
  KernelHandle kernel(size_t index) const { return kernels_[index]; }
  /// The loaded code sections, by name (what devices prepare()).
  const std::map<std::string, std::unique_ptr<CodeModule>> &code() const {
    return code_;
  }
  const uint8_t *weights() const { return image_->weights().data; }

  void retain() { refs.fetch_add(1); }
  /// Deletes the model when the last reference goes.
  void release() {
    if (refs.fetch_sub(1) == 1)
      delete this;
  }

private:
  Model() = default;
  std::atomic<int> refs{1};
  std::unique_ptr<BundleImage> image_;
  std::unique_ptr<Manifest> manifest_;
  // Declared after image_ so libraries unload before the bytes go away.
  std::map<std::string, std::unique_ptr<CodeModule>> code_;
  std::vector<KernelHandle> kernels_;
};

} // namespace rt
} // namespace hcc

#endif // HCC_RUNTIME_MODEL_H
