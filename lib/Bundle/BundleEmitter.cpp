//===- BundleEmitter.cpp - placed module -> .hccb -------------------------===//

#include "hcc/Bundle/BundleEmitter.h"

#include "dialects/Exec/IR/ExecDialect.h"
#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/ShapeHelpers.h"

#include "hcc/runtime/bundle_writer.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/MapVector.h"

#include "llvm/Support/JSON.h"
#include <map>

using namespace mlir;
using namespace hcc;

namespace {
/// ONNX TensorProto.DataType of an element type, or 0 if the runtime cannot
/// hold it.
int dtypeOf(Type t) {
  int64_t code = graph::mlirToOnnxDataType(t);
  return code == 8 || code == 14 || code == 15 ? 0 : static_cast<int>(code);
}

/// The bytes of a constant as the runtime lays them out: row-major, one
/// byte per bool; 4- and 2-bit integers one byte each, sign- or
/// zero-extended; FLOAT4E2M1 its code in the low bits of a byte.
std::vector<uint8_t> bytesOf(DenseElementsAttr value) {
  auto type = cast<ShapedType>(value.getType());
  int64_t n = type.getNumElements();
  Type elem = type.getElementType();
  std::vector<uint8_t> out;
  if (elem.isInteger(1)) {
    for (bool b : value.getValues<bool>())
      out.push_back(b);
    return out;
  }
  if (elem.getIntOrFloatBitWidth() < 8) {
    out.reserve(n);
    if (isa<FloatType>(elem)) {
      for (const APFloat &f : value.getValues<APFloat>())
        out.push_back(f.bitcastToAPInt().getZExtValue());
    } else {
      bool isSigned = !elem.isUnsignedInteger();
      for (const APInt &i : value.getValues<APInt>())
        out.push_back(isSigned ? i.sext(8).getZExtValue() : i.getZExtValue());
    }
    return out;
  }
  ArrayRef<char> raw = value.getRawData();
  if (value.isSplat()) {
    size_t elem = raw.size();
    out.resize(elem * n);
    for (int64_t i = 0; i < n; ++i)
      std::memcpy(out.data() + i * elem, raw.data(), elem);
    return out;
  }
  out.assign(raw.begin(), raw.end());
  return out;
}

struct Buffer {
  Value value;
  std::string kind;
  int64_t device = 0;
  int64_t weightOffset = -1;
  /// For a slice written in place (an input of exec.concat): the buffer id
  /// of the concatenation and the byte offset of the slice in it.
  int64_t viewOf = -1;
  int64_t viewOffset = 0;
};

llvm::json::Array dims(ArrayRef<int64_t> shape) {
  llvm::json::Array a;
  for (int64_t d : shape)
    a.push_back(d);
  return a;
}
} // namespace

LogicalResult hcc::checkBundleTypes(func::FuncOp host) {
  auto check = [&](Value v, Operation *where) -> LogicalResult {
    auto type = dyn_cast<RankedTensorType>(v.getType());
    if (type && type.hasStaticShape() && dtypeOf(type.getElementType()))
      return success();
    return where->emitError()
           << "the runtime cannot hold a value of type " << v.getType()
           << " (static shapes of numeric types only)";
  };
  for (BlockArgument arg : host.getArguments())
    if (failed(check(arg, host)))
      return failure();
  WalkResult result = host.walk([&](Operation *op) {
    for (Value r : op->getResults())
      if (failed(check(r, op)))
        return WalkResult::interrupt();
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

LogicalResult hcc::writeBundle(func::FuncOp host,
                               const BundleContents &contents,
                               const std::string &path) {
  bundle::Writer writer;
  llvm::json::Array kernels;
  DenseMap<Operation *, int64_t> kernelId;
  // Devices: the host first, then one per other target, in launch order.
  llvm::MapVector<std::string, int64_t, std::map<std::string, unsigned>>
      deviceOf;
  deviceOf.insert({contents.hostTarget, 0});
  auto device = [&](StringRef target) {
    return deviceOf.insert({target.str(), deviceOf.size()}).first->second;
  };
  llvm::MapVector<Value, Buffer> buffers;
  auto addBuffer = [&](Value v, StringRef kind, Operation *where,
                       int64_t dev = 0) -> bool {
    auto type = dyn_cast<RankedTensorType>(v.getType());
    if (!type || !type.hasStaticShape() || !dtypeOf(type.getElementType())) {
      where->emitError() << "the runtime cannot hold a value of type "
                         << v.getType()
                         << " (static shapes of numeric types only)";
      return false;
    }
    buffers.insert({v, Buffer{v, kind.str(), dev}});
    return true;
  };
  auto argsOf = [&](Operation *op, llvm::json::Array &args,
                    llvm::json::Array &deps) -> LogicalResult {
    for (Value v : op->getOperands()) {
      auto it = buffers.find(v);
      if (it == buffers.end())
        return op->emitError() << "reads a value with no buffer";
      args.push_back(static_cast<int64_t>(it - buffers.begin()));
      if (Operation *def = v.getDefiningOp(); def && kernelId.count(def))
        deps.push_back(kernelId[def]);
    }
    return success();
  };
  for (BlockArgument arg : host.getArguments())
    if (!addBuffer(arg, "input", host))
      return failure();
  auto ret = cast<func::ReturnOp>(host.getBody().back().getTerminator());
  DenseSet<Value> outputs(ret.getOperands().begin(), ret.getOperands().end());
  auto kindOf = [&](Value r) {
    return outputs.contains(r) ? "output" : "intermediate";
  };
  // Inputs of exec.concat are views of its result's buffer (its verifier
  // makes them results of launches on one target, in no other place).
  DenseMap<Value, std::pair<exec::ConcatOp, unsigned>> sliceOf;
  for (auto concat : host.getBody().front().getOps<exec::ConcatOp>())
    for (auto [i, input] : llvm::enumerate(concat.getInputs()))
      sliceOf.try_emplace(input, concat, i);
  auto addResultBuffer = [&](Value r, Operation *where, int64_t dev) -> bool {
    auto slice = sliceOf.find(r);
    if (slice == sliceOf.end())
      return addBuffer(r, kindOf(r), where, dev);
    auto [concat, index] = slice->second;
    Value root = concat.getResult();
    if (!buffers.count(root) && !addBuffer(root, kindOf(root), concat, dev))
      return false;
    auto rootIt = buffers.find(root);
    assert(rootIt->second.device == dev && "exec.concat across devices");
    int64_t rootId = static_cast<int64_t>(rootIt - buffers.begin());
    if (!addBuffer(r, "intermediate", where, dev))
      return false;
    buffers.back().second.viewOf = rootId;
    buffers.back().second.viewOffset = concat.byteOffset(index);
    return true;
  };

  for (Operation &op : host.getBody().front()) {
    if (auto cst = dyn_cast<graph::ConstantOp>(op)) {
      auto value = dyn_cast_or_null<DenseElementsAttr>(cst.getValueAttr());
      if (!value)
        return cst.emitError() << "weights must be dense constants";
      if (!addBuffer(cst, "weight", cst))
        return failure();
      std::vector<uint8_t> bytes = bytesOf(value);
      buffers.back().second.weightOffset =
          writer.addWeight(bytes.data(), bytes.size());
      continue;
    }
    if (isa<graph::NoneOp, func::ReturnOp>(op))
      continue;
    if (auto concat = dyn_cast<exec::ConcatOp>(op)) {
      // Written by the producers of its inputs: no kernel of its own.
      (void)concat;
      assert(llvm::all_of(concat.getInputs(),
                          [&](Value v) {
                            auto it = buffers.find(v);
                            return it != buffers.end() &&
                                   it->second.viewOf >= 0;
                          }) &&
             "exec.concat inputs are views");
      continue;
    }
    int64_t id = static_cast<int64_t>(kernels.size());
    llvm::json::Array args, deps;
    if (failed(argsOf(&op, args, deps)))
      return failure();
    if (auto transfer = dyn_cast<exec::TransferOp>(op)) {
      // Outputs are read by the caller on the host.
      int64_t to = outputs.contains(transfer.getOutput())
                       ? 0
                       : device(transfer.getTo().getName());
      int64_t from = buffers.find(transfer.getInput())->second.device;
      if (!addResultBuffer(transfer.getOutput(), transfer, to))
        return failure();
      args.push_back(static_cast<int64_t>(buffers.size() - 1));
      kernelId[transfer] = id;
      kernels.push_back(
          llvm::json::Object{{"id", id},
                             {"name", ("transfer_" + std::to_string(id))},
                             {"kind", "transfer"},
                             {"device", to},
                             {"from_device", from},
                             {"args", std::move(args)},
                             {"num_inputs", 1},
                             {"deps", std::move(deps)}});
      continue;
    }
    auto launch = dyn_cast<exec::LaunchOp>(op);
    if (!launch)
      return op.emitError() << "cannot be written to a bundle (only kernel "
                               "launches, transfers and weights run in the "
                               "host)";
    StringRef target = launch.getCallee().getRootReference().getValue();
    StringRef leaf = launch.getCallee().getLeafReference().getValue();
    int64_t dev = device(target);
    for (Value r : launch.getResults()) {
      if (!addResultBuffer(r, launch, dev))
        return failure();
      args.push_back(static_cast<int64_t>(buffers.size() - 1));
    }
    kernelId[launch] = id;
    kernels.push_back(llvm::json::Object{
        {"id", id},
        {"name", leaf},
        {"device", dev},
        {"code", target},
        {"symbol", ("hcc_" + leaf).str()},
        {"args", std::move(args)},
        {"num_inputs", static_cast<int64_t>(launch.getArgs().size())},
        {"deps", std::move(deps)}});
  }

  llvm::json::Array bufferJson;
  for (auto [index, entry] : llvm::enumerate(buffers)) {
    const Buffer &b = entry.second;
    auto type = cast<RankedTensorType>(b.value.getType());
    llvm::json::Object o{{"id", static_cast<int64_t>(index)},
                         {"dtype", dtypeOf(type.getElementType())},
                         {"shape", dims(type.getShape())},
                         {"kind", b.kind},
                         {"device", b.device}};
    if (auto names =
            dyn_cast_or_null<graph::DimSymbolsAttr>(type.getEncoding())) {
      llvm::json::Array a;
      for (Attribute n : names.getNames())
        a.push_back(cast<StringAttr>(n).str());
      o["dim_names"] = std::move(a);
    }
    if (b.weightOffset >= 0)
      o["weight_offset"] = b.weightOffset;
    if (b.viewOf >= 0)
      o["view_of"] =
          llvm::json::Object{{"buffer", b.viewOf}, {"offset", b.viewOffset}};
    bufferJson.push_back(std::move(o));
  }
  auto names = [&](StringRef attr, ValueRange values) {
    llvm::json::Array out;
    auto list = host->getAttrOfType<ArrayAttr>(attr);
    for (auto [i, v] : llvm::enumerate(values)) {
      std::string name = list && i < list.size()
                             ? cast<StringAttr>(list[i]).str()
                             : "value_" + std::to_string(i);
      out.push_back(llvm::json::Object{
          {"name", name},
          {"buffer", static_cast<int64_t>(buffers.find(v) - buffers.begin())}});
    }
    return out;
  };
  llvm::json::Object symbolic;
  for (const auto &[name, value] : contents.symbolicDims)
    symbolic[name] = value;
  llvm::json::Array devices;
  for (const auto &[target, id] : deviceOf) {
    auto kind = contents.deviceKinds.find(target);
    devices.push_back(llvm::json::Object{
        {"id", id},
        {"target", target},
        {"kind", kind == contents.deviceKinds.end() ? target : kind->second}});
  }
  llvm::json::Object manifest{
      {"format_version", 1},
      {"producer", "hcc 0.1.0"},
      {"model_name", contents.modelName},
      {"symbolic_dims", std::move(symbolic)},
      {"devices", std::move(devices)},
      {"buffers", std::move(bufferJson)},
      {"inputs", names("graph.input_names", host.getArguments())},
      {"outputs", names("graph.output_names", ret.getOperands())},
      {"kernels", std::move(kernels)}};
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::json::Value(std::move(manifest));
  writer.addManifest(text);
  for (const auto &[target, bytes] : contents.code)
    writer.addCode(target, bytes);
  std::string error;
  if (!writer.write(path, &error))
    return host.emitError() << error;
  return success();
}
