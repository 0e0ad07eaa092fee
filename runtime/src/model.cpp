//===- model.cpp - A loaded, validated bundle ----------------------------===//

#include "model.h"
#include "hcc/runtime/bundle_format.h"

namespace hcc {
namespace rt {

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
  for (const DeviceDesc &d : m.devices) {
    if (model->code_.count(d.kind))
      continue;
    const SectionView *code = image->code(d.kind);
    if (!code) {
      // A device no kernel uses needs no code.
      continue;
    }
    std::unique_ptr<CodeModule> module;
    HCC_RETURN_IF_ERROR(loadCodeModule(d.kind, *code, image->origin(), module));
    model->code_[d.kind] = std::move(module);
  }
  for (const KernelDesc &k : m.kernels) {
    KernelHandle fn = nullptr;
    HCC_RETURN_IF_ERROR(model->code_.at(k.code)->resolve(k.symbol, fn));
    model->kernels_.push_back(fn);
  }
  model->image_ = std::move(image);
  out = std::move(model);
  return Status::ok();
}

} // namespace rt
} // namespace hcc
