//===- GraphImporter.cpp - ONNX graphs to graph-dialect functions ---------===//
//
// Validates and imports an ONNX ModelProto. Nodes become the graph op of the
// same name through the generated OpTable (operands, attributes, enums);
// subgraphs become regions; initializers become graph.Constant. Each error
// names the node (name and op type) or the value and what is wrong with it.
//
//===----------------------------------------------------------------------===//

#include "Budgets.h"
#include "OpTable.h"
#include "TensorImport.h"
#include "TextFormat.h"
#include "VersionAdapters.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/ShapeHelpers.h"
#include "dialects/Graph/Transforms/Passes.h"
#include "hcc/Importer/ONNX/Importer.h"
#include "hcc/Support/Files.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/ScopedHashTable.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <deque>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

using namespace mlir;
using namespace hcc;
using namespace hcc::onnx_import;

int64_t hcc::onnx_import::maxOpset() { return newestOpset(); }

void hcc::onnx_import::registerImporterDialects(DialectRegistry &registry) {
  registry.insert<graph::GraphDialect, func::FuncDialect>();
}

namespace {

/// Describes a node for messages: `node 'conv1' (Conv)`.
std::string describeNode(const onnx::NodeProto &node, int index) {
  std::string name = node.name().empty() ? "#" + std::to_string(index)
                                         : "'" + boundedName(node.name()) + "'";
  return "node " + name + " (" + boundedName(node.op_type()) + ")";
}

/// ONNX constraints the graph ops do not verify themselves: the data
/// operands of a broadcasting op share one element type (Pow's exponent
/// excepted), and the `axis` of a same-shape op (Softmax, Hardmax, ...)
/// lies in [-rank, rank) of its first operand.
LogicalResult checkOnnxConstraints(Operation *op, const std::string &desc) {
  // Before shape inference: shape functions read tensor operands as tensors.
  if (!graph::acceptsContainerOperands(op))
    for (auto [i, v] : llvm::enumerate(op->getOperands()))
      if (isa<graph::SeqType, graph::OptType>(v.getType()))
        return emitError(op->getLoc())
               << desc << ": input " << i << " is "
               << (isa<graph::SeqType>(v.getType()) ? "a sequence"
                                                    : "an optional")
               << ", the operator takes tensors";
  if ((op->hasTrait<graph::OpTrait::Broadcast>() ||
       op->hasTrait<graph::OpTrait::BroadcastBool>()) &&
      !isa<graph::PowOp>(op)) {
    Type first;
    for (Value v : op->getOperands().drop_front(isa<graph::WhereOp>(op)))
      if (Type elem = graph::getKnownElementType(v)) {
        if (!first)
          first = elem;
        else if (elem != first)
          return emitError(op->getLoc())
                 << desc << ": operands have different element types " << first
                 << " and " << elem;
      }
  }
  if (op->hasTrait<graph::OpTrait::SameShape>())
    if (auto axis = op->getAttrOfType<IntegerAttr>("axis"))
      if (std::optional<graph::ShapeInfo> shape =
              graph::getShapeInfo(op->getOperand(0))) {
        int64_t a = axis.getInt();
        if (a < -shape->rank() || a >= std::max<int64_t>(shape->rank(), 1))
          return emitError(op->getLoc())
                 << desc << ": axis " << a << " is out of range for rank "
                 << shape->rank();
      }
  return success();
}

class GraphImporter {
public:
  GraphImporter(MLIRContext *ctx, const ImportOptions &options, StringRef path,
                int64_t opset)
      : ctx(ctx), builder(ctx), options(options), path(path.str()),
        opset(opset), loader{options, {}, 0} {
    loader.baseDir = options.externalDataDir.empty()
                         ? llvm::sys::path::parent_path(path).str()
                         : options.externalDataDir;
    if (loader.baseDir.empty())
      loader.baseDir = ".";
  }

  OwningOpRef<ModuleOp> importModel(const onnx::ModelProto &model);

private:
  using Scope = llvm::ScopedHashTableScope<StringRef, Value>;

  Location fileLoc() { return FileLineColLoc::get(ctx, path, 0, 0); }
  Location nodeLoc(const onnx::NodeProto &node, int index) {
    std::string name = node.name().empty()
                           ? node.op_type() + "#" + std::to_string(index)
                           : boundedName(node.name());
    return NameLoc::get(StringAttr::get(ctx, name), fileLoc());
  }

  LogicalResult importGraph(const onnx::GraphProto &graph, Block *block,
                            ArrayRef<Type> declaredOutputs,
                            SmallVectorImpl<Value> &outputs, unsigned depth);
  /// Imports `node`; `newestForm` says it already has the newest form of
  /// its operator (a part of an old-opset node's adaptation).
  LogicalResult importNode(const onnx::NodeProto &node, int index,
                           unsigned depth, bool newestForm = false);
  LogicalResult importConstantNode(const onnx::NodeProto &node, int index,
                                   Location loc, const std::string &desc);
  Attribute importAttribute(const onnx::AttributeProto &attr,
                            const AttrInfo &info, const std::string &desc,
                            Location loc);
  /// Names a constant created while adapting an old-opset node.
  std::string defineConstant(Attribute value, Location loc);
  /// A value name no model can use, for intermediate results of adapters.
  std::string freshName();
  /// Nodes that adapters made; the symbol table refers to their names.
  std::deque<std::vector<onnx::NodeProto>> adaptedNodes;
  Value noneValue(Location loc);
  /// Replaces `op` by constants (or an operand) when it folds; `results`
  /// then holds the replacements.
  void foldNode(Operation *op, SmallVectorImpl<Value> &results);

  MLIRContext *ctx;
  OpBuilder builder;
  const ImportOptions &options;
  std::string path;
  int64_t opset;
  TensorLoader loader;
  /// Values by ONNX name; one scope per (sub)graph so inner graphs see the
  /// outer scope, as ONNX allows.
  llvm::ScopedHashTable<StringRef, Value> symbols;
  /// Declared types (value_info, outputs) of the graph being imported.
  llvm::StringMap<Type> declared;
  /// Names defined anywhere (to tell a cycle from an undefined name).
  llvm::StringMap<int> producedLater;
  /// Names defined in the graph being imported (ONNX is SSA).
  llvm::StringSet<> *definedHere = nullptr;
  /// Storage of names made up by the importer (symbols keeps StringRefs).
  std::deque<std::string> syntheticNames;
};

} // namespace

std::string GraphImporter::defineConstant(Attribute value, Location loc) {
  auto elements = cast<ElementsAttr>(value);
  OperationState state(loc, graph::ConstantOp::getOperationName());
  state.addTypes(elements.getType());
  state.addAttribute("value", elements);
  syntheticNames.push_back("hcc.adapted." +
                           std::to_string(syntheticNames.size()));
  symbols.insert(syntheticNames.back(), builder.create(state)->getResult(0));
  return syntheticNames.back();
}

std::string GraphImporter::freshName() {
  syntheticNames.push_back("hcc.adapted." +
                           std::to_string(syntheticNames.size()));
  return syntheticNames.back();
}

Value GraphImporter::noneValue(Location loc) {
  return graph::NoneOp::create(builder, loc, builder.getNoneType());
}

OwningOpRef<ModuleOp>
GraphImporter::importModel(const onnx::ModelProto &model) {
  Location loc = fileLoc();
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  if (!model.has_graph()) {
    emitError(loc) << "model has no graph";
    return nullptr;
  }
  const onnx::GraphProto &g = model.graph();
  Scope scope(symbols);

  // Function signature: graph inputs that are not initializers.
  llvm::StringSet<> initNames;
  for (const auto &init : g.initializer())
    initNames.insert(init.name());
  SmallVector<Type> argTypes;
  SmallVector<Attribute> inputNames;
  SmallVector<const onnx::ValueInfoProto *> args;
  llvm::StringSet<> seen;
  for (const auto &input : g.input()) {
    if (input.name().empty()) {
      emitError(loc) << "graph input without a name";
      return nullptr;
    }
    if (!seen.insert(input.name()).second) {
      emitError(loc) << "graph input '" << boundedName(input.name())
                     << "' is declared twice";
      return nullptr;
    }
    if (initNames.contains(input.name()))
      continue; // The initializer is its value (see docs/Importer.md).
    if (!input.has_type()) {
      emitError(loc) << "graph input '" << boundedName(input.name())
                     << "' has no type";
      return nullptr;
    }
    Type t = importType(input.type(), loc,
                        "graph input '" + boundedName(input.name()) + "'");
    if (!t)
      return nullptr;
    argTypes.push_back(t);
    inputNames.push_back(builder.getStringAttr(input.name()));
    args.push_back(&input);
  }
  SmallVector<Type> declaredOutputs;
  SmallVector<Attribute> outputNames;
  for (const auto &output : g.output()) {
    Type t;
    if (output.has_type()) {
      t = importType(output.type(), loc,
                     "graph output '" + boundedName(output.name()) + "'");
      if (!t)
        return nullptr;
    }
    declaredOutputs.push_back(t);
    outputNames.push_back(builder.getStringAttr(output.name()));
  }
  if (g.output_size() == 0) {
    emitError(loc) << "graph '" << boundedName(g.name()) << "' has no outputs";
    return nullptr;
  }

  builder.setInsertionPointToEnd(module->getBody());
  auto func = func::FuncOp::create(builder, loc, options.funcName,
                                   builder.getFunctionType(argTypes, {}));
  Block *entry = func.addEntryBlock();
  for (auto [i, input] : llvm::enumerate(args))
    symbols.insert(input->name(), entry->getArgument(i));

  SmallVector<Value> outputs;
  if (failed(importGraph(g, entry, declaredOutputs, outputs, 0)))
    return nullptr;
  builder.setInsertionPointToEnd(entry);
  func::ReturnOp::create(builder, loc, outputs);
  func.setType(
      builder.getFunctionType(argTypes, ValueRange(outputs).getTypes()));
  func->setAttr("graph.input_names", builder.getArrayAttr(inputNames));
  func->setAttr("graph.output_names", builder.getArrayAttr(outputNames));

  // Model metadata.
  SmallVector<NamedAttribute> opsets;
  for (const auto &imp : model.opset_import())
    opsets.push_back(
        builder.getNamedAttr(imp.domain().empty() ? "ai.onnx" : imp.domain(),
                             builder.getI64IntegerAttr(imp.version())));
  (*module)->setAttr("graph.opset_import", builder.getDictionaryAttr(opsets));
  (*module)->setAttr("graph.ir_version",
                     builder.getI64IntegerAttr(model.ir_version()));
  if (!model.producer_name().empty()) {
    std::string producer = model.producer_name();
    if (!model.producer_version().empty())
      producer += " " + model.producer_version();
    (*module)->setAttr("graph.producer", builder.getStringAttr(producer));
  }
  if (!g.name().empty())
    (*module)->setAttr("graph.name", builder.getStringAttr(g.name()));
  if (model.metadata_props_size()) {
    SmallVector<NamedAttribute> props;
    for (const auto &p : model.metadata_props())
      props.push_back(
          builder.getNamedAttr(p.key(), builder.getStringAttr(p.value())));
    (*module)->setAttr("graph.metadata", builder.getDictionaryAttr(props));
  }

  if (failed(verify(*module)))
    return nullptr;
  return module;
}

LogicalResult GraphImporter::importGraph(const onnx::GraphProto &g,
                                         Block *block,
                                         ArrayRef<Type> declaredOutputs,
                                         SmallVectorImpl<Value> &outputs,
                                         unsigned depth) {
  Location loc = fileLoc();
  builder.setInsertionPointToEnd(block);
  llvm::StringMap<Type> savedDeclared = std::move(declared);
  declared.clear();
  llvm::scope_exit restore([&] { declared = std::move(savedDeclared); });
  for (const auto &vi : g.value_info()) {
    if (!vi.has_type())
      continue;
    Type t = importType(vi.type(), loc, "value '" + vi.name() + "'");
    if (!t)
      return failure();
    declared[vi.name()] = t;
  }
  for (auto [i, output] : llvm::enumerate(g.output()))
    if (i < declaredOutputs.size() && declaredOutputs[i])
      declared[output.name()] = declaredOutputs[i];

  llvm::StringSet<> defined;
  llvm::StringSet<> *savedDefined = definedHere;
  definedHere = &defined;
  llvm::scope_exit restoreDefined([&] { definedHere = savedDefined; });
  for (const auto &input : g.input())
    defined.insert(input.name());

  // Initializers.
  for (const auto &init : g.initializer()) {
    if (init.name().empty())
      return emitError(loc) << "initializer without a name";
    if (!defined.insert(init.name()).second &&
        !llvm::any_of(g.input(), [&](const onnx::ValueInfoProto &vi) {
          return vi.name() == init.name();
        }))
      return emitError(loc) << "initializer '" << boundedName(init.name())
                            << "' is defined twice";
    ElementsAttr value = loader.load(
        init, loc, "initializer '" + boundedName(init.name()) + "'");
    if (!value)
      return failure();
    OperationState state(NameLoc::get(builder.getStringAttr(init.name()), loc),
                         graph::ConstantOp::getOperationName());
    state.addTypes(value.getType());
    state.addAttribute("value", value);
    symbols.insert(init.name(), builder.create(state)->getResult(0));
  }
  if (g.sparse_initializer_size())
    return emitError(loc) << "sparse initializers are not supported";

  // Where each name is produced, to tell cycles from undefined names.
  producedLater.clear();
  for (auto [i, node] : llvm::enumerate(g.node()))
    for (const std::string &out : node.output())
      if (!out.empty())
        producedLater[out] = static_cast<int>(i);

  for (auto [i, node] : llvm::enumerate(g.node()))
    if (failed(importNode(node, static_cast<int>(i), depth)))
      return failure();

  for (const auto &output : g.output()) {
    Value v = symbols.lookup(output.name());
    if (!v)
      return emitError(loc) << "graph output '" << boundedName(output.name())
                            << "' is not produced by any node or input";
    outputs.push_back(v);
  }
  return success();
}

Attribute GraphImporter::importAttribute(const onnx::AttributeProto &attr,
                                         const AttrInfo &info,
                                         const std::string &desc,
                                         Location loc) {
  using AP = onnx::AttributeProto;
  static const AP::AttributeType expected[] = {
      AP::FLOAT,  AP::INT,  AP::STRING,  AP::TENSOR,        AP::GRAPH,
      AP::FLOATS, AP::INTS, AP::STRINGS, AP::SPARSE_TENSOR, AP::TYPE_PROTO};
  AP::AttributeType want = expected[static_cast<int>(info.kind)];
  if (attr.type() != want && attr.type() != AP::UNDEFINED) {
    emitError(loc) << desc << ": attribute '" << boundedName(attr.name())
                   << "' has type " << AP::AttributeType_Name(attr.type())
                   << " but " << AP::AttributeType_Name(want) << " is expected";
    return {};
  }
  switch (info.kind) {
  case AttrKind::Float:
    return builder.getF32FloatAttr(attr.f());
  case AttrKind::Int:
    return builder.getI64IntegerAttr(attr.i());
  case AttrKind::String:
    if (info.enumName) {
      Attribute e = buildEnumAttr(ctx, info.enumName, attr.s());
      if (!e)
        emitError(loc) << desc << ": attribute '" << boundedName(attr.name())
                       << "' is '" << attr.s() << "', expected one of "
                       << enumSpellings(info.enumName);
      return e;
    }
    return builder.getStringAttr(attr.s());
  case AttrKind::Floats:
    return builder.getF32ArrayAttr(
        SmallVector<float>(attr.floats().begin(), attr.floats().end()));
  case AttrKind::Ints:
    return builder.getI64ArrayAttr(
        SmallVector<int64_t>(attr.ints().begin(), attr.ints().end()));
  case AttrKind::Strings: {
    SmallVector<StringRef> strings(attr.strings().begin(),
                                   attr.strings().end());
    return builder.getStrArrayAttr(strings);
  }
  case AttrKind::Tensor: {
    ElementsAttr t = loader.load(
        attr.t(), loc, desc + " attribute '" + boundedName(attr.name()) + "'");
    return t;
  }
  case AttrKind::TypeProto: {
    Type t = importType(attr.tp(), loc,
                        desc + " attribute '" + boundedName(attr.name()) + "'");
    return t ? TypeAttr::get(t) : Attribute();
  }
  case AttrKind::SparseTensor:
    emitError(loc) << desc << ": sparse tensor attributes are not supported";
    return {};
  case AttrKind::Graph:
    break;
  }
  llvm_unreachable("graph attributes are regions");
}

LogicalResult GraphImporter::importConstantNode(const onnx::NodeProto &node,
                                                int index, Location loc,
                                                const std::string &desc) {
  if (node.attribute_size() != 1 || node.output_size() != 1)
    return emitError(loc) << desc
                          << ": Constant needs exactly one value attribute "
                             "and one output";
  const onnx::AttributeProto &a = node.attribute(0);
  ElementsAttr value;
  auto scalarOr1D = [&](Type elem, bool scalar, auto values) {
    SmallVector<int64_t> shape;
    if (!scalar)
      shape.push_back(static_cast<int64_t>(values.size()));
    return DenseElementsAttr::get(RankedTensorType::get(shape, elem),
                                  ArrayRef(values));
  };
  if (a.name() == "value" && a.type() == onnx::AttributeProto::TENSOR) {
    value = loader.load(a.t(), loc, desc + " value");
  } else if (a.name() == "value_float") {
    value = scalarOr1D(builder.getF32Type(), true, SmallVector<float>{a.f()});
  } else if (a.name() == "value_floats") {
    value =
        scalarOr1D(builder.getF32Type(), false,
                   SmallVector<float>(a.floats().begin(), a.floats().end()));
  } else if (a.name() == "value_int") {
    value = scalarOr1D(builder.getI64Type(), true, SmallVector<int64_t>{a.i()});
  } else if (a.name() == "value_ints") {
    value = scalarOr1D(builder.getI64Type(), false,
                       SmallVector<int64_t>(a.ints().begin(), a.ints().end()));
  } else if (a.name() == "value_string" || a.name() == "value_strings") {
    SmallVector<StringRef> strings;
    if (a.name() == "value_string")
      strings.push_back(a.s());
    else
      strings.assign(a.strings().begin(), a.strings().end());
    SmallVector<int64_t> shape;
    if (a.name() == "value_strings")
      shape.push_back(strings.size());
    value = DenseStringElementsAttr::get(
        RankedTensorType::get(shape, graph::StringType::get(ctx)), strings);
  } else {
    return emitError(loc) << desc << ": unsupported Constant attribute '"
                          << a.name() << "'";
  }
  if (!value)
    return failure();
  OperationState state(loc, graph::ConstantOp::getOperationName());
  state.addTypes(value.getType());
  state.addAttribute("value", value);
  Value result = builder.create(state)->getResult(0);
  if (auto it = declared.find(node.output(0)); it != declared.end())
    if (!graph::mergeTypes(result.getType(), it->second))
      return emitError(loc)
             << desc << ": output '" << boundedName(node.output(0))
             << "' is declared as " << it->second << " but the constant is "
             << result.getType();
  symbols.insert(node.output(0), result);
  (void)index;
  return success();
}

/// The type of an untyped input of Scan's body, from the operand it comes
/// from: a state variable has the type of its initial value, a scan input
/// loses the scanned axis (scan_input_axes, default 0). Null when unknown.
static Type scanBodyInputType(const onnx::NodeProto &node,
                              ArrayRef<Value> operands, unsigned argNo) {
  if (argNo >= operands.size())
    return {};
  int64_t scanInputs = 0;
  SmallVector<int64_t> axes;
  for (const auto &a : node.attribute()) {
    if (a.name() == "num_scan_inputs")
      scanInputs = a.i();
    else if (a.name() == "scan_input_axes")
      axes.assign(a.ints().begin(), a.ints().end());
  }
  int64_t states = int64_t(operands.size()) - scanInputs;
  Type t = operands[argNo].getType();
  if (scanInputs < 1 || states < 0 || int64_t(argNo) < states)
    return t;
  auto rt = dyn_cast<RankedTensorType>(t);
  if (!rt)
    return {};
  int64_t i = argNo - states;
  int64_t axis = i < int64_t(axes.size()) ? axes[i] : 0;
  if (axis < 0)
    axis += rt.getRank();
  if (axis < 0 || axis >= rt.getRank())
    return {};
  SmallVector<int64_t> shape(rt.getShape());
  shape.erase(shape.begin() + axis);
  return RankedTensorType::get(shape, rt.getElementType());
}

LogicalResult GraphImporter::importNode(const onnx::NodeProto &node, int index,
                                        unsigned depth, bool newestForm) {
  Location loc = nodeLoc(node, index);
  std::string desc = describeNode(node, index);
  if (!node.domain().empty() && node.domain() != "ai.onnx")
    return emitError(loc) << desc << ": operators of domain '"
                          << boundedName(node.domain())
                          << "' are not supported";
  const OpInfo *info = lookupOp(node.op_type());
  if (!info)
    return emitError(loc) << desc << ": unknown operator '"
                          << boundedName(node.op_type())
                          << "' in the default ONNX domain";
  // The definition the model's opset selects: older ones are adapted to
  // the newest form (VersionAdapters.cpp) or rejected.
  if (!newestForm) {
    int version = info->versionAt(opset);
    if (version == 0)
      return emitError(loc)
             << desc << ": " << node.op_type() << " does not exist in opset "
             << opset << " (it was added in opset " << info->versions.front()
             << ")";
    int oldest = oldestReadableVersion(*info);
    if (version < oldest)
      return emitError(loc)
             << desc << ": opset " << opset << " selects " << node.op_type()
             << "-" << version << ", an older definition than hcc reads ("
             << node.op_type() << "-" << oldest
             << " and newer); convert the model to opset " << kMinOpset
             << " or newer";
  }

  // Operands.
  SmallVector<Value> operands;
  auto lookupInput = [&](const std::string &name) -> Value {
    Value v = symbols.lookup(name);
    if (v)
      return v;
    auto it = producedLater.find(name);
    if (it != producedLater.end() && it->second >= index)
      emitError(loc) << desc << ": input '" << boundedName(name)
                     << "' is produced by a later node (the graph has a "
                        "cycle or is not topologically sorted)";
    else
      emitError(loc) << desc << ": input '" << boundedName(name)
                     << "' is not defined";
    return {};
  };

  // SSA: every output name is new in this graph.
  for (const std::string &out : node.output())
    if (!out.empty() && !definedHere->insert(out).second)
      return emitError(loc) << desc << ": output '" << boundedName(out)
                            << "' is already defined in this graph";
  if (node.op_type() == "Constant")
    return importConstantNode(node, index, loc, desc);

  // An older definition becomes nodes of the newest ones.
  if (!newestForm) {
    std::vector<onnx::NodeProto> expansion;
    std::string name = node.name().empty()
                           ? node.op_type() + "#" + std::to_string(index)
                           : boundedName(node.name());
    // function_ref does not own its callable: keep the lambdas alive.
    auto define = [&](Attribute value, Location l) {
      return defineConstant(value, l);
    };
    auto fresh = [&] { return freshName(); };
    AdaptContext actx{ctx, define, fresh, loc, desc, name};
    switch (adaptNode(node, info->versionAt(opset), expansion, actx)) {
    case AdaptResult::Failed:
      return failure();
    case AdaptResult::Unchanged:
      break;
    case AdaptResult::Rewritten:
      // The rewritten nodes define this node's outputs, not new ones.
      for (const std::string &out : node.output())
        definedHere->erase(out);
      // The symbol table keys on the nodes' strings: keep them alive.
      adaptedNodes.push_back(std::move(expansion));
      for (const onnx::NodeProto &part : adaptedNodes.back())
        if (failed(importNode(part, index, depth, /*newestForm=*/true)))
          return failure();
      return success();
    }
  }
  const onnx::NodeProto &n = node;

  int numInputs = n.input_size();
  int formal = static_cast<int>(info->inputs.size());
  bool variadicLast =
      formal > 0 && info->inputs.back().option == Param::Variadic;
  if (numInputs < info->minInputs)
    return emitError(loc) << desc << ": has " << numInputs
                          << " inputs but needs at least " << info->minInputs;
  if (!variadicLast && numInputs > formal)
    return emitError(loc) << desc << ": has " << numInputs
                          << " inputs but takes at most " << formal;
  for (int i = 0; i < std::max(numInputs, variadicLast ? formal - 1 : formal);
       ++i) {
    const Param &p = info->inputs[std::min(i, formal - 1)];
    if (i >= numInputs || n.input(i).empty()) {
      if (p.option == Param::Single)
        return emitError(loc)
               << desc << ": required input '" << p.name << "' is missing";
      if (p.option == Param::Optional)
        operands.push_back(noneValue(loc));
      continue;
    }
    Value v = lookupInput(n.input(i));
    if (!v)
      return failure();
    operands.push_back(v);
  }

  // Attributes and subgraphs.
  OperationState state(loc, "graph." + node.op_type());
  state.addOperands(operands);
  llvm::StringSet<> seenAttrs;
  SmallVector<const onnx::AttributeProto *> subgraphs;
  for (const auto &attr : n.attribute()) {
    if (!seenAttrs.insert(attr.name()).second)
      return emitError(loc) << desc << ": attribute '"
                            << boundedName(attr.name()) << "' is given twice";
    const AttrInfo *ai = lookupAttr(*info, attr.name());
    if (!ai)
      return emitError(loc) << desc << ": unknown attribute '"
                            << boundedName(attr.name()) << "'";
    if (ai->kind == AttrKind::Graph) {
      if (attr.type() != onnx::AttributeProto::GRAPH || !attr.has_g())
        return emitError(loc)
               << desc << ": attribute '" << boundedName(attr.name())
               << "' must be a graph";
      subgraphs.push_back(&attr);
      continue;
    }
    Attribute a = importAttribute(attr, *ai, desc, loc);
    if (!a)
      return failure();
    state.addAttribute(attr.name(), a);
  }
  for (const AttrInfo &ai : info->attributes)
    if (ai.required && !seenAttrs.contains(ai.name))
      return emitError(loc)
             << desc << ": required attribute '" << ai.name << "' is missing";

  // Results.
  int formalOut = static_cast<int>(info->outputs.size());
  bool variadicOut =
      formalOut > 0 && info->outputs.back().option == Param::Variadic;
  if (!variadicOut && n.output_size() > formalOut)
    return emitError(loc) << desc << ": has " << n.output_size()
                          << " outputs but produces at most " << formalOut;
  if (n.output_size() < info->minOutputs)
    return emitError(loc) << desc << ": has " << n.output_size()
                          << " outputs but needs at least " << info->minOutputs;
  SmallVector<StringRef> resultNames;
  int numResults =
      variadicOut ? std::max(n.output_size(), formalOut - 1) : formalOut;
  for (int i = 0; i < numResults; ++i) {
    StringRef name = i < node.output_size() ? StringRef(node.output(i)) : "";
    const Param &p = info->outputs[std::min(i, formalOut - 1)];
    if (name.empty() && p.option == Param::Single && i < n.output_size())
      return emitError(loc) << desc << ": output #" << i << " has no name";
    if (name.empty() && p.option == Param::Optional) {
      state.addTypes(builder.getNoneType());
    } else {
      auto it = declared.find(name);
      state.addTypes(it != declared.end() ? it->second
                                          : graph::getPlaceholderType(ctx));
    }
    resultNames.push_back(name);
  }

  // Subgraphs become regions; their block arguments are the subgraph's
  // inputs and graph.yield returns its outputs.
  if (!subgraphs.empty() && depth + 1 > options.maxSubgraphDepth)
    return emitError(loc) << desc << ": subgraphs are nested more than "
                          << options.maxSubgraphDepth << " deep";
  SmallVector<std::unique_ptr<Region>> regions;
  for (const AttrInfo &ai : info->attributes) {
    if (ai.kind != AttrKind::Graph)
      continue;
    const onnx::AttributeProto *attr = nullptr;
    for (const auto *s : subgraphs)
      if (s->name() == ai.name)
        attr = s;
    auto region = std::make_unique<Region>();
    if (!attr)
      return emitError(loc)
             << desc << ": subgraph '" << ai.name << "' is missing";
    const onnx::GraphProto &sub = attr->g();
    Block *block = new Block();
    region->push_back(block);
    Scope inner(symbols);
    for (const auto &input : sub.input()) {
      // An untyped Loop body input takes the type Loop passes it (the
      // iteration number, the condition, then the loop-carried values).
      unsigned argNo = block->getNumArguments();
      Type t;
      if (!input.has_type() && node.op_type() == "Loop") {
        if (argNo < 2)
          t = RankedTensorType::get({}, argNo == 0 ? Type(builder.getI64Type())
                                                   : builder.getI1Type());
        else if (argNo < operands.size())
          t = operands[argNo].getType();
      }
      if (!input.has_type() && node.op_type() == "Scan")
        t = scanBodyInputType(node, operands, argNo);
      if (!t && !input.has_type())
        return emitError(loc)
               << desc << ": input '" << boundedName(input.name())
               << "' of subgraph '" << ai.name << "' has no type";
      if (!t)
        t = importType(input.type(), loc,
                       desc + " subgraph input '" + boundedName(input.name()) +
                           "'");
      if (!t)
        return failure();
      symbols.insert(input.name(), block->addArgument(t, loc));
    }
    SmallVector<Type> subDeclared;
    for (const auto &output : sub.output()) {
      Type t;
      if (output.has_type() &&
          !(t = importType(output.type(), loc,
                           desc + " subgraph output '" +
                               boundedName(output.name()) + "'")))
        return failure();
      subDeclared.push_back(t);
    }
    OpBuilder::InsertionGuard guard(builder);
    auto savedLater = std::move(producedLater);
    SmallVector<Value> subOutputs;
    if (failed(importGraph(sub, block, subDeclared, subOutputs, depth + 1)))
      return failure();
    producedLater = std::move(savedLater);
    builder.setInsertionPointToEnd(block);
    graph::YieldOp::create(builder, loc, subOutputs);
    regions.push_back(std::move(region));
  }
  for (auto &r : regions)
    state.addRegion(std::move(r));

  Operation *op = builder.create(state);
  if (failed(checkOnnxConstraints(op, desc)))
    return failure();

  // Shape inference right away, so later nodes see refined types.
  if (options.inferShapes)
    if (auto iface = dyn_cast<graph::ShapeInferenceOpInterface>(op))
      if (failed(graph::refineResultTypes(iface)))
        return failure();
  for (auto [i, name] : llvm::enumerate(resultNames))
    if (graph::isPlaceholderType(op->getResult(i).getType()))
      return emitError(loc) << desc << ": cannot infer the type of output '"
                            << boundedName(name.str())
                            << "' (no shape function and no value_info)";
  SmallVector<Value> results(op->getResults());
  if (options.foldConstants)
    foldNode(op, results);
  for (auto [name, result] : llvm::zip(resultNames, results))
    if (!name.empty())
      symbols.insert(name, result);
  return success();
}

void GraphImporter::foldNode(Operation *op, SmallVectorImpl<Value> &results) {
  SmallVector<Value> replacements;
  if (!graph::foldToValues(op, replacements))
    return;
  results.assign(replacements.begin(), replacements.end());
  op->erase();
}

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

/// True if `bytes` look like the ONNX textual syntax rather than protobuf.
/// Characters of the ONNX text parser's message kept in a diagnostic.
static constexpr size_t kMaxParseMessage = 240;

static bool looksLikeText(StringRef bytes, StringRef path) {
  if (path.ends_with(".onnxtxt") || path.ends_with(".onnx.txt"))
    return true;
  StringRef head = bytes.ltrim();
  return head.starts_with("<") || head.starts_with("agraph") ||
         head.starts_with("{");
}

OwningOpRef<ModuleOp>
hcc::onnx_import::importModel(StringRef bytes, StringRef path,
                              MLIRContext *context,
                              const ImportOptions &options) {
  context->loadDialect<graph::GraphDialect, func::FuncDialect>();
  PrintableDiagnostics printable(context);
  Location loc = FileLineColLoc::get(context, path, 0, 0);
  if (bytes.size() > options.maxModelBytes) {
    emitError(loc) << "model file is " << bytes.size()
                   << " bytes, more than the limit of "
                   << options.maxModelBytes;
    return nullptr;
  }
  if (bytes.empty()) {
    emitError(loc) << "model file is empty";
    return nullptr;
  }
  onnx::ModelProto model;
  if (looksLikeText(bytes, path)) {
    std::string text = bytes.str();
    unsigned nesting = textNestingDepth(text);
    unsigned maxNesting = 4 * options.maxSubgraphDepth + 32;
    if (nesting > maxNesting) {
      emitError(loc) << "ONNX text nested " << nesting
                     << " brackets deep, more than the limit of " << maxNesting
                     << " (subgraphs nest at most " << options.maxSubgraphDepth
                     << " deep)";
      return nullptr;
    }
    std::string error;
    if (!parseTextModel(text, model, error)) {
      // ONNX's parser reports on several lines and may quote the rest of
      // the input: one line, and a bounded one.
      SmallVector<StringRef> lines;
      StringRef(error).split(lines, '\n', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
      std::string message;
      for (StringRef line : lines)
        if (!line.trim().empty())
          message += (message.empty() ? "" : "; ") + line.trim().str();
      if (message.size() > kMaxParseMessage)
        message = message.substr(0, kMaxParseMessage) + "... (" +
                  std::to_string(message.size() - kMaxParseMessage) +
                  " more characters)";
      emitError(loc) << "cannot parse ONNX text: " << message;
      return nullptr;
    }
  } else {
    google::protobuf::io::ArrayInputStream raw(bytes.data(),
                                               static_cast<int>(bytes.size()));
    google::protobuf::io::CodedInputStream coded(&raw);
    coded.SetRecursionLimit(4 * static_cast<int>(options.maxSubgraphDepth) +
                            32);
    coded.SetTotalBytesLimit(
        static_cast<int>(std::min<uint64_t>(options.maxModelBytes, INT32_MAX)));
    if (!model.ParseFromCodedStream(&coded) || !coded.ConsumedEntireMessage()) {
      emitError(loc) << "not a valid ONNX model (protobuf parsing failed: "
                        "truncated, corrupt or too deeply nested)";
      return nullptr;
    }
  }
  // The IR version says which fields a model may use: a newer one than hcc
  // knows may carry meaning hcc would silently drop (ONNX Runtime rejects it
  // too). The limit is the IR version of the ONNX release the op table was
  // generated from; hcc reads every field up to it that matters for
  // inference, and rejects element types it cannot compute per tensor.
  const int64_t kMaxIrVersion = newestIrVersion();
  if (model.ir_version() > kMaxIrVersion) {
    emitError(loc) << "model IR version " << model.ir_version()
                   << " is newer than hcc reads (up to " << kMaxIrVersion
                   << ")";
    return nullptr;
  }
  // Opsets.
  int64_t opset = -1;
  for (const auto &imp : model.opset_import()) {
    if (imp.domain().empty() || imp.domain() == "ai.onnx") {
      if (opset >= 0) {
        emitError(loc) << "the default ONNX domain is imported twice";
        return nullptr;
      }
      opset = imp.version();
    }
  }
  if (opset < 0) {
    std::string domains;
    for (const auto &imp : model.opset_import())
      domains += (domains.empty() ? "'" : ", '") + imp.domain() + "'";
    if (domains.empty())
      emitError(loc) << "model does not import the default ONNX domain "
                        "(opset_import is missing)";
    else
      emitError(loc) << "model imports only the operator domains " << domains
                     << ", which hcc does not support (training and "
                        "custom domains are out of scope)";
    return nullptr;
  }
  if (opset < 1 || opset > maxOpset()) {
    emitError(loc) << "opset " << opset << " is not supported (hcc supports "
                   << kMinOpset << " to " << maxOpset()
                   << ", and ops unchanged since opset 1 at older opsets)";
    return nullptr;
  }
  if (model.functions_size()) {
    emitError(loc) << "model-local functions are not supported";
    return nullptr;
  }
  if (failed(checkGraphBudgets(model, options, loc)))
    return nullptr;
  GraphImporter importer(context, options, path, opset);
  return importer.importModel(model);
}

OwningOpRef<ModuleOp>
hcc::onnx_import::importModelFile(StringRef path, MLIRContext *context,
                                  const ImportOptions &options) {
  auto buffer = readInputFile(path, /*isText=*/false, kMaxInputFileBytes,
                              /*allowStdin=*/true);
  if (!buffer) {
    emitError(FileLineColLoc::get(context, path, 0, 0))
        << "cannot read '" << path << "': " << toString(buffer.takeError());
    return nullptr;
  }
  return importModel((*buffer)->getBuffer(), path, context, options);
}
