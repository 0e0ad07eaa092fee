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

/// Checks what the manifest gives kernel `k` against what its code says it
/// takes (when the code says): the number of buffers and their sizes. A
/// mismatch (version skew, a damaged or edited manifest) would have the
/// kernel read or write past its buffers.
static Status checkSignature(CodeModule &code, const KernelDesc &k,
                             const Manifest &m, const std::string &origin) {
  std::vector<int64_t> bytes;
  if (!code.signature(k.symbol, bytes))
    return Status::ok();
  std::string what = "bundle '" + origin + "': kernel '" + k.name + "'";
  if (bytes.size() != k.args.size())
    return invalidBundle(what + " takes " + std::to_string(bytes.size()) +
                         " buffers in its code, the manifest gives it " +
                         std::to_string(k.args.size()));
  for (size_t i = 0; i < bytes.size(); ++i) {
    uint64_t given = m.buffers[k.args[i]].bytes;
    if (bytes[i] >= 0 && static_cast<uint64_t>(bytes[i]) != given)
      return invalidBundle(what + ": buffer " + std::to_string(i) + " is " +
                           std::to_string(bytes[i]) +
                           " bytes in its code, the manifest's buffer " +
                           std::to_string(k.args[i]) + " has " +
                           std::to_string(given));
  }
  return Status::ok();
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
    if (!k.isTransfer) {
      CodeModule &code = *model->code_.at(k.code);
      HCC_RETURN_IF_ERROR(code.resolve(k.symbol, fn));
      HCC_RETURN_IF_ERROR(checkSignature(code, k, m, image->origin()));
    }
    model->kernels_.push_back(fn);
  }
  model->image_ = std::move(image);
  out = std::move(model);
  return Status::ok();
}

} // namespace rt
} // namespace hcc
