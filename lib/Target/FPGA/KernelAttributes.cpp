//===- KernelAttributes.cpp - vendor attributes of FPGA kernels -----------===//

#include "hcc/Target/FPGA/FPGATarget.h"

#include "../OpenCL/OpenCLUtils.h"

#include "mlir/Dialect/EmitC/IR/EmitC.h"

namespace hcc {
#define GEN_PASS_DEF_FPGAKERNELATTRIBUTES
#include "hcc/Target/FPGA/Passes.h.inc"
} // namespace hcc

using namespace mlir;

namespace {

/// The attribute macros of each vendor; a vendor build may predefine them.
std::string macros(llvm::StringRef vendor) {
  llvm::StringRef kernel, pipeline;
  if (vendor == "intel") {
    kernel = "__attribute__((max_global_work_dim(0)))";
    pipeline = "_Pragma(HCC_FPGA_STR(ii n))";
  } else {
    kernel = "__attribute__((reqd_work_group_size(1, 1, 1)))";
    pipeline = "__attribute__((xcl_pipeline_loop(n)))";
  }
  return ("// FPGA (" + vendor +
          "): single work-item kernels, pipelined "
          "innermost loops.\n#ifndef HCC_FPGA_KERNEL\n#define "
          "HCC_FPGA_KERNEL " +
          kernel +
          "\n#endif\n#define HCC_FPGA_STR(x) #x\n#ifndef HCC_FPGA_PIPELINE\n"
          "#define HCC_FPGA_PIPELINE(n) " +
          pipeline + "\n#endif")
      .str();
}

struct KernelAttributesPass
    : hcc::impl::FPGAKernelAttributesBase<KernelAttributesPass> {
  using Base::Base;

  void runOnOperation() override {
    if (vendor != "amd" && vendor != "intel") {
      getOperation().emitError()
          << "FPGA target: vendor '" << vendor << "' is not amd or intel";
      return signalPassFailure();
    }
    ModuleOp module = getOperation();
    // After the prelude (the program's first verbatim block).
    OpBuilder b(module.getContext());
    auto prelude = module.getOps<emitc::VerbatimOp>();
    if (prelude.empty())
      b.setInsertionPointToStart(module.getBody());
    else
      b.setInsertionPointAfter(*prelude.begin());
    emitc::VerbatimOp::create(b, module.getLoc(), macros(vendor));

    // Single work-items launch as work-groups of one (OpenCL requires the
    // local size a reqd_work_group_size kernel declares).
    if (auto kernels =
            module->getAttrOfType<DictionaryAttr>(hcc::opencl::kKernelsAttr)) {
      SmallVector<NamedAttribute> table;
      for (NamedAttribute kernel : kernels) {
        auto entry = cast<DictionaryAttr>(kernel.getValue());
        NamedAttrList fields(entry);
        SmallVector<Attribute> stages;
        for (Attribute stage : entry.getAs<ArrayAttr>("stages")) {
          NamedAttrList stageFields(cast<DictionaryAttr>(stage));
          stageFields.set("local_size", b.getI64IntegerAttr(1));
          stages.push_back(stageFields.getDictionary(b.getContext()));
        }
        fields.set("stages", b.getArrayAttr(stages));
        table.push_back(NamedAttribute(kernel.getName(),
                                       fields.getDictionary(b.getContext())));
      }
      module->setAttr(hcc::opencl::kKernelsAttr, b.getDictionaryAttr(table));
    }
    module.walk([&](emitc::FuncOp func) {
      ArrayAttr specifiers = func.getSpecifiersAttr();
      if (!specifiers ||
          !llvm::any_of(specifiers.getAsValueRange<StringAttr>(),
                        [](llvm::StringRef s) { return s == "__kernel"; }))
        return;
      SmallVector<Attribute> list(specifiers.getValue());
      list.push_back(b.getStringAttr("HCC_FPGA_KERNEL"));
      func.setSpecifiersAttr(b.getArrayAttr(list));
      // The II the model found for each innermost loop (in pre-order, as
      // hcc-fpga-estimate recorded them), 1 where it did not run.
      auto iis = func->getAttrOfType<DenseI64ArrayAttr>(hcc::fpga::kLoopIIAttr);
      SmallVector<emitc::ForOp> innermost;
      func.walk<WalkOrder::PreOrder>([&](emitc::ForOp loop) {
        bool inner = true;
        loop.getBody()->walk([&](emitc::ForOp) { inner = false; });
        if (inner)
          innermost.push_back(loop);
      });
      assert((!iis || iis.size() == static_cast<int64_t>(innermost.size())) &&
             "the OpenCL C lowering keeps every loop");
      for (auto [i, loop] : llvm::enumerate(innermost)) {
        int64_t ii = iis && static_cast<int64_t>(i) < iis.size() ? iis[i] : 1;
        OpBuilder lb(loop);
        emitc::VerbatimOp::create(
            lb, loop.getLoc(), "HCC_FPGA_PIPELINE(" + std::to_string(ii) + ")");
      }
    });
  }
};

} // namespace
