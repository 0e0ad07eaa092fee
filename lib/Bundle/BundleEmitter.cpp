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

/// A manifest kernel: a launch of generated code, or a transfer.
struct KernelEntry {
  int64_t id = 0;
  std::string name;
  bool transfer = false;
  int64_t device = 0, fromDevice = 0;
  std::string code, symbol;
  std::vector<int64_t> args, deps;
  int64_t numInputs = 0;
};

/// A graph input or output: its name and buffer.
struct NamedBuffer {
  std::string name;
  int64_t buffer;
};

void writeInts(llvm::json::OStream &j, ArrayRef<int64_t> values) {
  j.array([&] {
    for (int64_t v : values)
      j.value(v);
  });
}

void writeNamed(llvm::json::OStream &j, ArrayRef<NamedBuffer> list) {
  j.array([&] {
    for (const NamedBuffer &n : list)
      j.object([&] {
        j.attribute("buffer", n.buffer);
        j.attribute("name", n.name);
      });
  });
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
  std::vector<KernelEntry> kernels;
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
  auto argsOf = [&](Operation *op, KernelEntry &k) -> LogicalResult {
    for (Value v : op->getOperands()) {
      auto it = buffers.find(v);
      if (it == buffers.end())
        return op->emitError() << "reads a value with no buffer";
      k.args.push_back(static_cast<int64_t>(it - buffers.begin()));
      if (Operation *def = v.getDefiningOp(); def && kernelId.count(def))
        k.deps.push_back(kernelId[def]);
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
    KernelEntry k;
    k.id = static_cast<int64_t>(kernels.size());
    if (failed(argsOf(&op, k)))
      return failure();
    if (auto transfer = dyn_cast<exec::TransferOp>(op)) {
      // Outputs are read by the caller on the host.
      k.transfer = true;
      k.name = "transfer_" + std::to_string(k.id);
      k.device = outputs.contains(transfer.getOutput())
                     ? 0
                     : device(transfer.getTo().getName());
      k.fromDevice = buffers.find(transfer.getInput())->second.device;
      if (!addResultBuffer(transfer.getOutput(), transfer, k.device))
        return failure();
      k.args.push_back(static_cast<int64_t>(buffers.size() - 1));
      k.numInputs = 1;
      kernelId[transfer] = k.id;
      kernels.push_back(std::move(k));
      continue;
    }
    auto launch = dyn_cast<exec::LaunchOp>(op);
    if (!launch)
      return op.emitError() << "cannot be written to a bundle (only kernel "
                               "launches, transfers and weights run in the "
                               "host)";
    StringRef target = launch.getCallee().getRootReference().getValue();
    k.name = launch.getCallee().getLeafReference().getValue().str();
    k.device = device(target);
    k.code = target.str();
    k.symbol = "hcc_" + k.name;
    k.numInputs = static_cast<int64_t>(launch.getArgs().size());
    for (Value r : launch.getResults()) {
      if (!addResultBuffer(r, launch, k.device))
        return failure();
      k.args.push_back(static_cast<int64_t>(buffers.size() - 1));
    }
    kernelId[launch] = k.id;
    kernels.push_back(std::move(k));
  }

  auto names = [&](StringRef attr, ValueRange values) {
    std::vector<NamedBuffer> out;
    auto list = host->getAttrOfType<ArrayAttr>(attr);
    for (auto [i, v] : llvm::enumerate(values))
      out.push_back({list && i < list.size() ? cast<StringAttr>(list[i]).str()
                                             : "value_" + std::to_string(i),
                     static_cast<int64_t>(buffers.find(v) - buffers.begin())});
    return out;
  };

  // Streamed, keys in sorted order: a DOM of llvm::json objects took ~9 KB
  // per buffer (900 MB for a model of 100,000 inputs).
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::json::OStream j(os);
  j.object([&] {
    j.attributeArray("buffers", [&] {
      for (size_t index = 0; index < buffers.size(); ++index) {
        const Buffer &b = buffers.begin()[index].second;
        auto type = cast<RankedTensorType>(b.value.getType());
        j.object([&] {
          j.attribute("device", b.device);
          if (auto dimNames =
                  dyn_cast_or_null<graph::DimSymbolsAttr>(type.getEncoding()))
            j.attributeArray("dim_names", [&] {
              for (Attribute n : dimNames.getNames())
                j.value(cast<StringAttr>(n).getValue());
            });
          j.attribute("dtype", dtypeOf(type.getElementType()));
          j.attribute("id", static_cast<int64_t>(index));
          j.attribute("kind", b.kind);
          j.attributeBegin("shape");
          writeInts(j, type.getShape());
          j.attributeEnd();
          if (b.viewOf >= 0)
            j.attributeObject("view_of", [&] {
              j.attribute("buffer", b.viewOf);
              j.attribute("offset", b.viewOffset);
            });
          if (b.weightOffset >= 0)
            j.attribute("weight_offset", b.weightOffset);
        });
      }
    });
    j.attributeArray("devices", [&] {
      for (const auto &entry : deviceOf) {
        const std::string &target = entry.first;
        int64_t id = entry.second;
        auto kind = contents.deviceKinds.find(target);
        j.object([&] {
          j.attribute("id", id);
          j.attribute("kind", kind == contents.deviceKinds.end()
                                  ? target
                                  : kind->second);
          j.attribute("target", target);
        });
      }
    });
    j.attribute("format_version", 1);
    j.attributeBegin("inputs");
    writeNamed(j, names("graph.input_names", host.getArguments()));
    j.attributeEnd();
    j.attributeArray("kernels", [&] {
      for (const KernelEntry &k : kernels)
        j.object([&] {
          j.attributeBegin("args");
          writeInts(j, k.args);
          j.attributeEnd();
          if (!k.transfer)
            j.attribute("code", k.code);
          j.attributeBegin("deps");
          writeInts(j, k.deps);
          j.attributeEnd();
          j.attribute("device", k.device);
          if (k.transfer)
            j.attribute("from_device", k.fromDevice);
          j.attribute("id", k.id);
          if (k.transfer)
            j.attribute("kind", "transfer");
          j.attribute("name", k.name);
          j.attribute("num_inputs", k.numInputs);
          if (!k.transfer)
            j.attribute("symbol", k.symbol);
        });
    });
    j.attribute("model_name", contents.modelName);
    j.attributeBegin("outputs");
    writeNamed(j, names("graph.output_names", ret.getOperands()));
    j.attributeEnd();
    j.attribute("producer", "hcc 0.1.0");
    j.attributeObject("symbolic_dims", [&] {
      for (const auto &[name, value] : contents.symbolicDims)
        j.attribute(name, value);
    });
  });
  os.flush();
  writer.addManifest(text);
  for (const auto &[target, bytes] : contents.code)
    writer.addCode(target, bytes);
  std::string error;
  if (!writer.write(path, &error))
    return host.emitError() << error;
  return success();
}
