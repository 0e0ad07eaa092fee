//===- OutlineKernels.cpp - form kernels and outline them -----------------===//
//
// Groups placed graph ops into kernels, moves each kernel into a function of
// its target's module and launches it from the host function. Grouping keeps
// the kernel DAG acyclic by construction: an op only joins the most recent
// kernel, so everything else it reads comes from earlier kernels.
//
//===----------------------------------------------------------------------===//

#include "hcc/Partition/Clusters.h"
#include "hcc/Partition/Passes.h"
#include "hcc/Target/Target.h"

#include "dialects/Graph/IR/GraphOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"

namespace hcc {
#define GEN_PASS_DEF_OUTLINEKERNELS
#include "hcc/Partition/Passes.h.inc"
} // namespace hcc

using namespace mlir;
using namespace hcc;

namespace {

struct Kernel {
  exec::TargetAttr target;
  SmallVector<Operation *> ops;
};

/// The target of the module holding the kernel a launch calls.
exec::TargetAttr launchTarget(exec::LaunchOp launch) {
  // The target module alone: the host module holds few symbols, a target
  // module one per kernel (a lookup there per launch would be quadratic).
  return exec::getTarget(SymbolTable::lookupNearestSymbolFrom<ModuleOp>(
      launch, launch.getCallee().getRootReference()));
}

/// A symbol-friendly name for a kernel from its first op's ONNX node name.
std::string kernelName(Operation *op, unsigned index) {
  std::string base;
  if (auto name = dyn_cast<NameLoc>(op->getLoc()))
    base = name.getName().str();
  if (base.empty())
    base = op->getName().stripDialect().str();
  std::string out = "k" + std::to_string(index) + "_";
  for (char c : base)
    out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out.substr(0, 64);
}

struct OutlineKernelsPass : hcc::impl::OutlineKernelsBase<OutlineKernelsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    const Target *hostTarget = TargetRegistry::global().host();
    if (!hostTarget) {
      module.emitError() << "no host target is registered";
      return signalPassFailure();
    }
    host = exec::TargetAttr::get(&getContext(), hostTarget->name());
    SmallVector<func::FuncOp> hosts;
    for (auto func : module.getOps<func::FuncOp>())
      if (!func.isExternal())
        hosts.push_back(func);
    for (func::FuncOp func : hosts)
      if (failed(outline(module, func)))
        return signalPassFailure();
  }

  /// Whether the constant `use` reads is cloned into the kernel: small
  /// constants, splats, and weights the kernel's target `t` (may be null)
  /// takes into its code (Target::inlinesWeight).
  bool isInlinedConstant(OpOperand &use, const Target *t) {
    Value v = use.get();
    Operation *def = v.getDefiningOp();
    if (isa_and_nonnull<graph::NoneOp>(def))
      return true;
    auto cst = dyn_cast_or_null<graph::ConstantOp>(def);
    if (!cst)
      return false;
    auto type = dyn_cast<ShapedType>(cst.getType());
    if (!type || !type.hasStaticShape())
      return false;
    // A splat (zero points, fills) is one value whatever its size.
    auto dense = dyn_cast_or_null<DenseElementsAttr>(cst.getValueAttr());
    return type.getNumElements() <= inlineConstantLimit ||
           (dense && dense.isSplat()) || (t && t->inlinesWeight(use));
  }

  /// Makes every returned value the result of a kernel of its own: a
  /// returned input, weight or repeated value gets an Identity (a copy).
  void copyPassThroughResults(func::FuncOp func) {
    auto ret = cast<func::ReturnOp>(func.getBody().back().getTerminator());
    OpBuilder b(ret);
    DenseSet<Value> seen;
    for (OpOperand &operand : ret->getOpOperands()) {
      Value v = operand.get();
      Operation *def = v.getDefiningOp();
      bool needsCopy = !def || isa<graph::ConstantOp, graph::NoneOp>(def) ||
                       !seen.insert(v).second;
      if (!needsCopy)
        continue;
      OperationState state(ret.getLoc(), graph::IdentityOp::getOperationName());
      state.addOperands(v);
      state.addTypes(v.getType());
      Operation *copy = b.create(state);
      copy->setAttr(exec::kTargetAttrName, host);
      operand.set(copy->getResult(0));
    }
  }

  /// Knob `spec` as `config` sets it (verified by verifyTargetConfig), else
  /// its default.
  static int64_t configuredKnob(DictionaryAttr config, const KnobSpec &spec) {
    auto value = config ? config.getAs<IntegerAttr>(spec.name) : nullptr;
    return value && spec.accepts(value.getInt()) ? value.getInt()
                                                 : spec.defaultValue;
  }

  /// The configuration of `target`: its own, else what hcc-compile keeps
  /// on the module for it (--target-config); null when none.
  static DictionaryAttr configOf(ModuleOp module, exec::TargetAttr target) {
    if (DictionaryAttr config = target.getConfig())
      return config;
    return configuredTarget(module, target.getName());
  }

  ModuleOp targetModule(ModuleOp module, exec::TargetAttr target) {
    StringRef name = target.getName();
    for (auto m : module.getOps<ModuleOp>())
      if (m.getSymName() == name)
        return m;
    OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
    auto m = ModuleOp::create(b, module.getLoc(), name);
    m->setAttr(exec::kTargetAttrName, target);
    return m;
  }

  LogicalResult outline(ModuleOp module, func::FuncOp func) {
    copyPassThroughResults(func);
    // Grouping.
    std::vector<Kernel> kernels;
    DenseMap<Operation *, unsigned> kernelOf;
    for (Operation &op : func.getBody().front()) {
      if (isa<graph::ConstantOp, graph::NoneOp, func::ReturnOp>(op) ||
          isa<exec::ExecDialect>(op.getDialect()))
        continue;
      if (!isa<graph::GraphDialect>(op.getDialect()))
        return op.emitOpError() << "cannot be placed on a target";
      if (!op.hasAttr(exec::kTargetAttrName))
        return op.emitOpError() << "has no target (run hcc-place first)";
      exec::TargetAttr target = exec::getTarget(&op);
      if (!target)
        return op.emitOpError() << "has no target (run hcc-place first)";
      bool join =
          fuseElementwise && !kernels.empty() &&
          kernels.back().target.getName() == target.getName() &&
          joinsLatest(&op, kernels.back().ops, [&](Operation *p) {
            auto it = kernelOf.find(p);
            return it != kernelOf.end() && it->second == kernels.size() - 1;
          });
      if (!join)
        kernels.push_back({target, {}});
      kernels.back().ops.push_back(&op);
      kernelOf[&op] = kernels.size() - 1;
    }

    // Outlining.
    // One symbol table per target module, kept across kernels: building
    // one per kernel would make outlining quadratic in kernels.
    DenseMap<Operation *, std::unique_ptr<SymbolTable>> symbolTables;
    for (auto [index, kernel] : llvm::enumerate(kernels)) {
      DenseSet<Operation *> members(kernel.ops.begin(), kernel.ops.end());
      const Target *t =
          TargetRegistry::global().lookup(kernel.target.getName());
      llvm::SetVector<Value> inputs, outputs;
      for (Operation *op : kernel.ops) {
        auto isInternal = [&](Value v) {
          if (auto arg = dyn_cast<BlockArgument>(v))
            return op->isAncestor(arg.getOwner()->getParentOp());
          Operation *def = v.getDefiningOp();
          return members.contains(def) || op->isProperAncestor(def);
        };
        op->walk([&](Operation *nested) {
          for (OpOperand &use : nested->getOpOperands())
            if (!isInternal(use.get()) && !isInlinedConstant(use, t))
              inputs.insert(use.get());
        });
        for (Value r : op->getResults())
          for (Operation *user : r.getUsers())
            if (!members.contains(user))
              outputs.insert(r);
      }

      ModuleOp target = targetModule(module, kernel.target);
      std::unique_ptr<SymbolTable> &targetSymbols = symbolTables[target];
      if (!targetSymbols)
        targetSymbols = std::make_unique<SymbolTable>(target);
      OpBuilder kb = OpBuilder::atBlockEnd(target.getBody());
      auto type = kb.getFunctionType(
          SmallVector<Type>(ValueRange(inputs.getArrayRef()).getTypes()),
          SmallVector<Type>(ValueRange(outputs.getArrayRef()).getTypes()));
      auto kernelFunc =
          func::FuncOp::create(kb, kernel.ops.front()->getLoc(),
                               kernelName(kernel.ops.front(), index), type);
      targetSymbols->insert(kernelFunc);
      kernelFunc->setAttr(exec::kKernelAttrName, kb.getUnitAttr());
      // The knobs the kernel is generated with, visible and editable in
      // the IR: the target's defaults, or what its configuration sets
      // (`hcc-compile --target-config`), until a tuner sets them.
      if (t) {
        SmallVector<NamedAttribute> knobs;
        for (const KnobSpec &spec : t->knobs())
          knobs.push_back(kb.getNamedAttr(
              spec.name, kb.getI64IntegerAttr(configuredKnob(
                             configOf(module, kernel.target), spec))));
        if (!knobs.empty())
          kernelFunc->setAttr(exec::kKnobsAttrName,
                              kb.getDictionaryAttr(knobs));
      }
      Block *body = kernelFunc.addEntryBlock();
      kb.setInsertionPointToStart(body);
      IRMapping map;
      for (auto [v, arg] : llvm::zip(inputs, body->getArguments()))
        map.map(v, arg);
      for (Operation *op : kernel.ops) {
        op->walk([&](Operation *nested) {
          for (OpOperand &use : nested->getOpOperands())
            if (!map.contains(use.get()) && isInlinedConstant(use, t))
              map.map(use.get(),
                      kb.clone(*use.get().getDefiningOp())->getResult(0));
        });
        Operation *clone = kb.clone(*op, map);
        clone->removeAttr(exec::kTargetAttrName);
      }
      SmallVector<Value> results;
      for (Value v : outputs)
        results.push_back(map.lookup(v));
      func::ReturnOp::create(kb, kernelFunc.getLoc(), results);

      OpBuilder hb(kernel.ops.back());
      auto callee = SymbolRefAttr::get(
          target.getSymNameAttr(),
          {FlatSymbolRefAttr::get(kernelFunc.getSymNameAttr())});
      auto launch =
          exec::LaunchOp::create(hb, kernel.ops.front()->getLoc(),
                                 ValueRange(outputs.getArrayRef()).getTypes(),
                                 callee, inputs.getArrayRef());
      for (auto [v, r] : llvm::zip(outputs, launch.getResults()))
        Value(v).replaceAllUsesWith(r);
      for (Operation *op : llvm::reverse(kernel.ops))
        op->erase();
    }
    insertTransfers(func);
    // Constants only kernels used are dead in the host now.
    for (Operation &op : llvm::make_early_inc_range(
             llvm::reverse(func.getBody().front().getOperations())))
      if (isa<graph::ConstantOp, graph::NoneOp>(op) && op.use_empty())
        op.erase();
    return success();
  }

  /// A value read on another target than the one it lives on crosses
  /// through an exec.transfer: kernel operands produced elsewhere (inputs
  /// and weights live on the host), and results returned from a device.
  void insertTransfers(func::FuncOp func) {
    auto placeOf = [&](Value v) {
      if (auto producer = v.getDefiningOp<exec::LaunchOp>())
        return launchTarget(producer);
      return host;
    };
    // One transfer per value and destination, at its first use (the host
    // function is one block, so it dominates the later uses).
    DenseMap<std::pair<Value, StringRef>, Value> moved;
    auto cross = [&](OpOperand &operand, exec::TargetAttr to) {
      exec::TargetAttr from = placeOf(operand.get());
      if (from.getName() == to.getName())
        return;
      Value &copy = moved[{operand.get(), to.getName()}];
      if (!copy) {
        OpBuilder b(operand.getOwner());
        copy = exec::TransferOp::create(b, operand.getOwner()->getLoc(),
                                        operand.get().getType(), operand.get(),
                                        from, to);
      }
      operand.set(copy);
    };
    func.walk([&](exec::LaunchOp launch) {
      exec::TargetAttr to = launchTarget(launch);
      for (OpOperand &operand : launch->getOpOperands())
        cross(operand, to);
    });
    auto ret = cast<func::ReturnOp>(func.getBody().back().getTerminator());
    for (OpOperand &operand : ret->getOpOperands())
      cross(operand, host);
  }

  exec::TargetAttr host;
};
} // namespace
