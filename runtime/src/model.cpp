//===- model.cpp - A loaded, validated bundle ----------------------------===//

#include "model.h"
#include "hcc/runtime/bundle_format.h"

namespace hcc {
namespace rt {

static std::string supportedKinds() {
  std::string out = " (drivers:";
  for (Driver *d : allDrivers())
    out += std::string(" ") + d->name();
  return out + ")";
}

Status Model::load(std::unique_ptr<BundleImage> image,
                   std::unique_ptr<Model> &out) {
  std::unique_ptr<Model> model(new Model());
  std::set<std::string> targets;
  for (const SectionView &s : image->sections())
    if (s.kind == HCC_BUNDLE_SECTION_CODE)
      targets.insert(s.name);
  const SectionView &manifest = image->manifest();
  model->manifest_ = std::make_unique<Manifest>();
  HCC_RETURN_IF_ERROR(parseManifest(
      reinterpret_cast<const char *>(manifest.data), manifest.size,
      image->weights().size, targets, image->origin(), *model->manifest_));
  const Manifest &m = *model->manifest_;
  // Each kernel's code section is loaded once, by the driver of the device
  // it runs on.
  for (const KernelDesc &k : m.kernels) {
    if (k.isTransfer || model->code_.count(k.code))
      continue;
    const std::string &kind = m.devices[k.device].kind;
    Driver *driver = findDriver(kind);
    if (!driver)
      return Status(HCC_ERROR_UNSUPPORTED,
                    "bundle '" + image->origin() + "': device kind '" + kind +
                        "' is not supported by this runtime" +
                        supportedKinds());
    std::unique_ptr<CodeModule> module;
    HCC_RETURN_IF_ERROR(
        driver->loadCode(*image->code(k.code), image->origin(), module));
    if (module->copiesSection())
      image->releasePages(*image->code(k.code));
    model->code_[k.code] = std::move(module);
  }
  for (const KernelDesc &k : m.kernels) {
    KernelHandle fn = nullptr;
    if (!k.isTransfer)
      HCC_RETURN_IF_ERROR(model->code_.at(k.code)->resolve(k.symbol, fn));
    model->kernels_.push_back(fn);
  }
  model->image_ = std::move(image);
  out = std::move(model);
  return Status::ok();
}

} // namespace rt
} // namespace hcc
