//===- Target.h - Targets as plug-ins: interface and registry ---*- C++ -*-===//
//
// A target is everything the compiler knows about one kind of device it
// generates code for: its name, the configuration keys its `#exec.target`
// attribute may carry, which ops it can run (the question placement asks),
// the knobs a tuner may set on its kernels (with ranges and defaults), its
// codegen pipeline, and how its code is serialized into a bundle section.
// Target-neutral code (placement, outlining, hcc-compile, hcc-opt, the bundle
// emitter) reaches targets only through this interface and the registry;
// include/hcc/InitAllTargets.h is the one place that lists them.
//
//===----------------------------------------------------------------------===//

#ifndef HCC_TARGET_TARGET_H
#define HCC_TARGET_TARGET_H

#include "hcc/CostModel/CostModel.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace hcc {

/// An integer knob: valid values are [min, max], powers of two only when
/// `powerOfTwo`. The list of a target's specs is also the tuner's search
/// space.
struct KnobSpec {
  std::string name;
  int64_t min = 0;
  int64_t max = 0;
  int64_t defaultValue = 0;
  bool powerOfTwo = false;
  std::string description;

  bool accepts(int64_t v) const {
    return v >= min && v <= max && (!powerOfTwo || (v > 0 && !(v & (v - 1))));
  }
};

/// A knob a tuner varies on a kernel and the values it tries (each one the
/// knob's spec accepts; the knob's default among them).
struct KnobChoices {
  std::string name;
  std::vector<int64_t> values;
};

/// Where a tuner searches for one kernel: knobs with their candidate
/// values, and the constraint that excludes invalid (or pointless) points
/// before anything is compiled. A point holds one value per knob, in
/// `knobs` order; knobs not in the space keep their values.
struct SearchSpace {
  std::vector<KnobChoices> knobs;
  /// Null: every point is valid.
  std::function<bool(llvm::ArrayRef<int64_t> point)> valid;

  bool empty() const { return knobs.empty(); }
  /// Points before the constraint.
  uint64_t size() const {
    uint64_t n = knobs.empty() ? 0 : 1;
    for (const KnobChoices &k : knobs)
      n *= k.values.size();
    return n;
  }
  bool accepts(llvm::ArrayRef<int64_t> point) const {
    return point.size() == knobs.size() && (!valid || valid(point));
  }
};

/// A configuration key whose value is a name (a string): the FPGA target's
/// `board`. The target checks the value itself (Target::verifyConfig).
struct NameKeySpec {
  std::string name;
  std::string description;
};

/// Options hcc-compile passes to every target's code generator.
struct CodegenOptions {
  /// Optimization level of generated code (0-3).
  unsigned optLevel = 3;
  /// Let kernels split their work over the device's threads.
  bool parallel = true;
  /// The target module's configuration (`#exec.target<"name", {...}>`),
  /// checked against configKeys(); null when it has none.
  mlir::DictionaryAttr config;
  /// Operand precision of contractions (`hcc-compile --precision`): "fp32"
  /// (exact, the default), "tf32", "fp16" or "bf16"; one of the target's
  /// precisions().
  std::string precision = "fp32";
};

class Target {
public:
  virtual ~Target();
  /// The registered name: `#exec.target<"name">`, `--targets=name`, the
  /// name of the target module and of the bundle's code section.
  virtual llvm::StringRef name() const = 0;
  virtual llvm::StringRef description() const = 0;
  /// The runtime driver that runs this target's code ("cpu", "opencl").
  virtual llvm::StringRef deviceKind() const { return name(); }
  /// Runs on the host processor in host memory: graph inputs, outputs and
  /// weights live on the host target, and values crossing to any other
  /// target are transferred.
  virtual bool isHost() const { return false; }
  /// Whether the weight (a host constant) that `use` reads, an operand of a
  /// graph op placed on this target, becomes part of the kernel's code
  /// instead of a kernel argument, so that codegen can transform it at
  /// compile time (the CPU target's Winograd filters). False by default:
  /// weights stay in the bundle's weight section, mapped, not copied.
  virtual bool inlinesWeight(mlir::OpOperand &use) const { return false; }

  /// Configuration keys `#exec.target<"name", {...}>` may carry, as knobs
  /// (integer values with ranges).
  virtual llvm::ArrayRef<KnobSpec> configKeys() const { return {}; }
  /// Configuration keys whose values are names (strings).
  virtual llvm::ArrayRef<NameKeySpec> nameConfigKeys() const { return {}; }
  /// The name key `--targets=NAME:VALUE` sets to VALUE (the FPGA target's
  /// `board`: fpga:u250), or "" when the target takes no such variant.
  virtual llvm::StringRef variantKey() const { return ""; }
  /// Checks a configuration whose keys and value types are valid (see
  /// verifyTargetConfig) as a whole, e.g. that the board it names loads;
  /// errors on `loc` start with `what`.
  virtual mlir::LogicalResult verifyConfig(mlir::DictionaryAttr config,
                                           llvm::StringRef what,
                                           mlir::Location loc) const {
    return mlir::success();
  }
  /// Knobs of this target's kernels (`exec.knobs` on a kernel function).
  virtual llvm::ArrayRef<KnobSpec> knobs() const = 0;
  /// The search space of a kernel with these features (its kind and
  /// shapes) for a tuner (hcc-tune), under the target's configuration
  /// `config` (null: the defaults); empty when nothing about it is worth
  /// tuning. Every point of it compiles.
  virtual SearchSpace searchSpace(const cost::KernelFeatures &kernel,
                                  mlir::DictionaryAttr config) const {
    return {};
  }
  /// The class of kernel code `config` (null: the defaults) gives this
  /// target's kernels when it shapes them otherwise than the defaults
  /// (the OpenCL target's gpu-shape: "gpu"), or "". Workloads of different
  /// classes are different workloads (tuning::workloadOf): a configuration
  /// measured for one does not apply to the other.
  virtual std::string workloadClass(mlir::DictionaryAttr config) const {
    return "";
  }

  /// Whether this target's kernels compete for one budget (the FPGA
  /// target: the board's DSPs), so that the fastest configuration of each
  /// workload alone is not what to apply: hcc-compile --tuning-log then
  /// gives each kernel the configurations measured for its workload
  /// (`exec.tuned_options`) and the target's codegen chooses among them
  /// for all its kernels together.
  virtual bool choosesAmongTunedConfigs() const { return false; }
  /// Configuration (key, value) a tuner compiles its candidates with:
  /// for targets whose kernels compete for one budget, what makes each
  /// candidate costed as if it had the budget alone (the FPGA target:
  /// resources=kernel), so that a round of candidates that together would
  /// not fit is still costed kernel by kernel. Empty by default.
  virtual std::vector<std::pair<std::string, std::string>>
  tuningRoundConfig() const {
    return {};
  }

  /// Contraction precisions the target implements (CodegenOptions::
  /// precision); "fp32" always comes first.
  virtual llvm::ArrayRef<llvm::StringRef> precisions() const {
    static const llvm::StringRef exact[] = {"fp32"};
    return exact;
  }

  /// Capability query: can this target run `op` (a graph-dialect op with its
  /// types and shapes)? On false `reason` says why, for the remark.
  virtual bool supports(mlir::Operation *op, std::string &reason) const = 0;

  /// Codegen of a target module (`module @name`), run on that module.
  virtual void buildCodegenPipeline(mlir::OpPassManager &pm,
                                    const CodegenOptions &options) const = 0;
  /// After the pipeline: prints what the target knows of the module's
  /// kernels for `hcc-compile --report` (the FPGA target: its modelled
  /// latency and resources); nothing by default.
  virtual void report(mlir::ModuleOp module, llvm::raw_ostream &os) const {}
  /// After the pipeline: the time the target's model of its hardware
  /// predicts for each kernel of the module (the kernel's symbol in the
  /// code section -> seconds), for targets whose costs are modelled rather
  /// than measured (the FPGA target's board model); placement and the
  /// tuner ask it as they ask measured costs of devices that exist. Empty
  /// for targets without a model.
  virtual std::map<std::string, double>
  modelledSeconds(mlir::ModuleOp module) const {
    return {};
  }
  /// True for targets whose kernel costs come from modelledSeconds():
  /// automatic placement then generates their code for every candidate
  /// kernel and asks the model instead of a learned or roofline cost.
  virtual bool modelsKernelCosts() const { return false; }
  /// The analytical cost of the target's device when no learned model
  /// covers it (a roofline from public figures of the device class), and
  /// its link to host memory: what placement falls back to, with a
  /// warning. `config` is the target's configuration (the FPGA target:
  /// its board's figures).
  virtual cost::RooflineSpec rooflinePrior(mlir::DictionaryAttr config) const;
  virtual cost::TransferFit hostLinkPrior(mlir::DictionaryAttr config) const;

  /// After the pipeline: the bytes of the module's bundle code section.
  virtual mlir::LogicalResult
  serialize(mlir::ModuleOp module, const CodegenOptions &options,
            std::vector<uint8_t> &section) const = 0;
};

class TargetRegistry {
public:
  /// The process-wide registry that registerAllTargets() fills.
  static TargetRegistry &global();
  /// Adds a target; a second target of the same name is ignored.
  void add(std::unique_ptr<Target> target);
  const Target *lookup(llvm::StringRef name) const;
  std::vector<const Target *> targets() const;
  /// "cpu, opencl": for diagnostics.
  std::string names() const;
  /// The target whose memory is host memory (registered first), or null.
  const Target *host() const;

private:
  std::vector<std::unique_ptr<Target>> list;
};

/// The target named by `name`, or an error on `loc` listing the registered
/// ones.
const Target *lookupTarget(llvm::StringRef name, mlir::Location loc);

/// Checks `dict` (a target configuration or a kernel's `exec.knobs`)
/// against `specs`: unknown keys, non-integers and out-of-range values are
/// errors on `loc` naming `what` (e.g. "kernel 'k0_conv'").
/// `noun` names an entry in messages ("knob", "configuration key").
mlir::LogicalResult verifyKnobDictionary(mlir::DictionaryAttr dict,
                                         llvm::ArrayRef<KnobSpec> specs,
                                         llvm::StringRef what,
                                         mlir::Location loc,
                                         llvm::StringRef noun = "knob");

/// Checks a target configuration (`#exec.target<"name", {...}>`,
/// `--target-config`): every key one of the target's configKeys() (an
/// integer in range) or nameConfigKeys() (a string), then
/// Target::verifyConfig. Errors on `loc` start with `what`.
mlir::LogicalResult verifyTargetConfig(const Target &target,
                                       mlir::DictionaryAttr config,
                                       llvm::StringRef what,
                                       mlir::Location loc);

/// Checks `kernel`'s `exec.knobs` and the knob keys of its target module's
/// configuration (hcc-compile checks that first; hcc-opt input only here)
/// against `specs`; errors name the kernel or `targetName`'s configuration.
mlir::LogicalResult verifyKernelKnobs(mlir::func::FuncOp kernel,
                                      llvm::ArrayRef<KnobSpec> specs,
                                      llvm::StringRef targetName);

/// The configuration of the target module holding `op` (its
/// `#exec.target<name, {...}>`), or null.
mlir::DictionaryAttr enclosingTargetConfig(mlir::Operation *op);

/// The value of knob `spec` on `kernel`: its `exec.knobs`, else its target
/// module's configuration (`hcc-compile --target-config`), else
/// `fallback`. Call after verifyKnobDictionary succeeded.
int64_t knobValue(mlir::Operation *kernel, const KnobSpec &spec,
                  int64_t fallback);

/// Checks a pass option that mirrors a knob; an error names the option.
mlir::LogicalResult checkKnobOption(const KnobSpec &spec, int64_t value,
                                    mlir::Operation *where);

/// The spec called `name` in `specs` (asserts it exists: a compiler bug).
const KnobSpec &findKnob(llvm::ArrayRef<KnobSpec> specs, llvm::StringRef name);

} // namespace hcc

#endif // HCC_TARGET_TARGET_H
