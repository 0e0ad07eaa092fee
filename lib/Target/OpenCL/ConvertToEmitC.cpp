//===- ConvertToEmitC.cpp - stage functions to EmitC for OpenCL C ---------===//
//
// Upstream's arith/scf/func to EmitC patterns plus hcc's buffer and math
// patterns (EmitCPatterns.h), then the program prelude: integer typedefs
// (OpenCL C has no <stdint.h>), the typedef'd address-space pointers the
// buffers use, extension pragmas, `__constant` arrays and helpers.
//
//===----------------------------------------------------------------------===//

#include "EmitCPatterns.h"
#include "OpenCLUtils.h"
#include "hcc/Target/OpenCL/OpenCLCodegen.h"

#include "mlir/Conversion/ArithToEmitC/ArithToEmitC.h"
#include "mlir/Conversion/FuncToEmitC/FuncToEmitC.h"
#include "mlir/Conversion/SCFToEmitC/SCFToEmitC.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/EmitC/IR/EmitC.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Format.h"

#include <cstring>
#include <limits>

#include <map>
#include <set>

namespace hcc {
#define GEN_PASS_DEF_OPENCLCONVERTTOEMITC
#include "hcc/Target/OpenCL/Passes.h.inc"
} // namespace hcc

using namespace mlir;
using namespace hcc::opencl;

namespace {

constexpr const char *kIntTypedefs = "typedef char int8_t;\n"
                                     "typedef uchar uint8_t;\n"
                                     "typedef short int16_t;\n"
                                     "typedef ushort uint16_t;\n"
                                     "typedef int int32_t;\n"
                                     "typedef uint uint32_t;\n"
                                     "typedef long int64_t;\n"
                                     "typedef ulong uint64_t;\n";

/// Whether `type` is or holds (element, function signature) `pred`.
bool containsType(Type type, function_ref<bool(Type)> pred) {
  if (pred(type))
    return true;
  if (auto shaped = dyn_cast<ShapedType>(type))
    return pred(shaped.getElementType());
  if (auto fn = dyn_cast<FunctionType>(type))
    return llvm::any_of(fn.getInputs(),
                        [&](Type t) { return containsType(t, pred); }) ||
           llvm::any_of(fn.getResults(),
                        [&](Type t) { return containsType(t, pred); });
  return false;
}

std::string floatLiteral(const APFloat &value, Type type) {
  if (value.isNaN())
    return "NAN";
  if (value.isInfinity())
    return value.isNegative() ? "-INFINITY" : "INFINITY";
  std::string s;
  llvm::raw_string_ostream os(s);
  if (type.isF64())
    os << llvm::format("%a", value.convertToDouble());
  else
    os << llvm::format("%af", value.convertToFloat());
  return s;
}

std::string intLiteral(const APInt &value, Type type) {
  auto intType = cast<IntegerType>(type);
  if (intType.getWidth() == 1)
    return value.isZero() ? "0" : "1";
  if (intType.isUnsigned())
    return std::to_string(value.getZExtValue()) + "UL";
  int64_t v = value.getSExtValue();
  if (v == std::numeric_limits<int64_t>::min())
    return "(-9223372036854775807L - 1)";
  return std::to_string(v) + (intType.getWidth() == 64 ? "L" : "");
}

/// The C initializer list of a constant buffer's elements.
FailureOr<std::string> initializer(memref::GlobalOp global) {
  Type elem = global.getType().getElementType();
  if (elem.isIndex())
    elem = IntegerType::get(elem.getContext(), 64);
  auto value = dyn_cast_or_null<ElementsAttr>(global.getInitialValueAttr());
  if (!value)
    return failure();
  unsigned width = elem.getIntOrFloatBitWidth();
  SmallVector<APInt> bits;
  if (auto dense = dyn_cast<DenseElementsAttr>(value)) {
    if (auto ft = dyn_cast<FloatType>(dense.getElementType()))
      for (APFloat f : dense.getValues<APFloat>())
        bits.push_back(f.bitcastToAPInt());
    else
      for (APInt i : dense.getValues<APInt>())
        bits.push_back(i);
  } else if (auto res = dyn_cast<DenseResourceElementsAttr>(value)) {
    AsmResourceBlob *blob = res.getRawHandle().getBlob();
    unsigned bytes = std::max(1u, width / 8);
    int64_t n = global.getType().getNumElements();
    if (!blob || blob->getData().size() != size_t(n * bytes))
      return failure();
    ArrayRef<char> data = blob->getData();
    for (int64_t i = 0; i < n; ++i) {
      uint64_t raw = 0;
      std::memcpy(&raw, data.data() + i * bytes, bytes);
      bits.push_back(APInt(std::max(1u, width), width == 1 ? raw & 1 : raw));
    }
  } else {
    return failure();
  }
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "{";
  for (auto [i, b] : llvm::enumerate(bits)) {
    if (i)
      os << (i % 8 ? ", " : ",\n  ");
    if (elem.isF16())
      os << b.getZExtValue();
    else if (auto ft = dyn_cast<FloatType>(elem))
      os << floatLiteral(APFloat(ft.getFloatSemantics(), b), elem);
    else
      os << intLiteral(b, elem);
  }
  if (bits.empty())
    os << "0";
  os << "}";
  return s;
}

/// Text of ipowi helpers: b**e, with math.ipowi's answers for e < 0.
std::string ipowiHelper(IntegerType type) {
  std::string t = "int" + std::to_string(type.getWidth()) + "_t";
  if (type.getWidth() == 1)
    t = "bool";
  std::string name = ipowiHelperName(type);
  return t + " " + name + "(" + t + " b, " + t + " e) {\n" +
         "  if (e < 0)\n"
         "    return b == 1 ? 1 : b == -1 ? ((e & 1) ? -1 : 1) : 0;\n"
         "  " +
         t +
         " r = 1;\n"
         "  while (e) {\n"
         "    if (e & 1)\n"
         "      r *= b;\n"
         "    b *= b;\n"
         "    e >>= 1;\n"
         "  }\n"
         "  return r;\n"
         "}\n";
}

/// Bytes per element of a `type` buffer as OpenCL C stores it.
int64_t elementBytes(MemRefType type) {
  Type elem = type.getElementType();
  if (elem.isIndex())
    return 8;
  return std::max<int64_t>(1, elem.getIntOrFloatBitWidth() / 8);
}

/// Gives the buffer parameter i of a `__kernel` a `uint64_t` byte offset
/// right after it and moves the pointer by it before any other use: the
/// runtime passes arena ranges as (buffer, offset) pairs, not sub-buffers.
/// Offsets are multiples of the device's base alignment, so of
/// `elementBytes[i]`.
void addByteOffsets(emitc::FuncOp func, ArrayRef<int64_t> elementBytes) {
  MLIRContext *ctx = func.getContext();
  Block &entry = func.getBody().front();
  assert(entry.getNumArguments() == elementBytes.size() &&
         "a stage's parameters are its buffers");
  Type u64 = IntegerType::get(ctx, 64, IntegerType::Unsigned);
  Type pd = emitc::PtrDiffTType::get(ctx);
  Location loc = func.getLoc();
  for (unsigned i = elementBytes.size(); i-- > 0;) {
    if (failed(func.insertArgument(i + 1, u64, DictionaryAttr(), loc)))
      llvm_unreachable("emitc.func takes any argument");
    BlockArgument ptr = entry.getArgument(i);
    OpBuilder b = OpBuilder::atBlockBegin(&entry);
    Value delta = emitc::CastOp::create(b, loc, pd, entry.getArgument(i + 1));
    if (elementBytes[i] != 1)
      delta = emitc::DivOp::create(b, loc, pd, delta,
                                   ptrdiff(b, loc, elementBytes[i]));
    Value moved = emitc::AddOp::create(b, loc, ptr.getType(), ptr, delta);
    ptr.replaceAllUsesExcept(moved, moved.getDefiningOp());
  }
}

struct ConvertToEmitCPass
    : hcc::impl::OpenCLConvertToEmitCBase<ConvertToEmitCPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (failed(checkSupported(module)) || failed(moveConstantsToConstant()))
      return signalPassFailure();

    // What the prelude must declare.
    std::map<std::string, std::string> pointerTypedefs;
    bool usesF64 = false;
    std::set<unsigned> ipowiWidths;
    auto noteType = [&](Type type) {
      usesF64 |= containsType(type, [](Type t) { return t.isF64(); });
      auto memref = dyn_cast<MemRefType>(type);
      if (!memref || isPrivateSpace(memref))
        return;
      if (isLocalSpace(memref)) {
        pointerTypedefs[localPointerTypeName(memref.getElementType())] =
            "__local " + clElementType(memref.getElementType());
        return;
      }
      bool constant = isConstantSpace(memref);
      pointerTypedefs[pointerTypeName(memref.getElementType(), constant)] =
          std::string(constant ? "__constant " : "__global ") +
          clElementType(memref.getElementType());
    };
    // Per stage, the byte size of each buffer parameter's element.
    std::map<std::string, SmallVector<int64_t>> stageElementBytes;
    module.walk([&](Operation *op) {
      for (Type t : op->getResultTypes())
        noteType(t);
      for (Region &r : op->getRegions())
        for (Block &b : r)
          for (BlockArgument arg : b.getArguments())
            noteType(arg.getType());
      if (auto ipowi = dyn_cast<math::IPowIOp>(op))
        if (auto t = dyn_cast<IntegerType>(ipowi.getType()))
          ipowiWidths.insert(t.getWidth());
      if (auto func = dyn_cast<func::FuncOp>(op))
        if (func->hasAttr(kStageAttr)) {
          SmallVector<int64_t> &bytes =
              stageElementBytes[func.getSymName().str()];
          for (Type t : func.getArgumentTypes())
            bytes.push_back(elementBytes(cast<MemRefType>(t)));
        }
    });

    std::string globals;
    for (auto global :
         llvm::make_early_inc_range(module.getOps<memref::GlobalOp>())) {
      FailureOr<std::string> init = initializer(global);
      MemRefType type = global.getType();
      if (failed(init) || !global.getConstant()) {
        global.emitError() << "OpenCL target: memref.global @"
                           << global.getSymName()
                           << " is not a constant with dense contents";
        return signalPassFailure();
      }
      Type elem = type.getElementType();
      globals += "__constant " +
                 (elem.isF16() ? std::string("ushort") : clElementType(elem)) +
                 " " + globalCName(global.getSymName()) + "[" +
                 std::to_string(std::max<int64_t>(1, type.getNumElements())) +
                 "] = " + *init + ";\n";
      noteType(MemRefType::get(type.getShape(), elem, nullptr,
                               StringAttr::get(&getContext(), kConstantSpace)));
      global.erase();
    }

    if (failed(convert(module)))
      return signalPassFailure();

    MLIRContext *ctx = &getContext();
    module.walk([&](emitc::FuncOp func) {
      auto it = stageElementBytes.find(func.getSymName().str());
      if (it == stageElementBytes.end())
        return;
      func.setSpecifiersAttr(
          ArrayAttr::get(ctx, {StringAttr::get(ctx, "__kernel")}));
      addByteOffsets(func, it->second);
    });

    std::string prelude = "// OpenCL C 1.2, generated by hcc.\n";
    if (usesF64)
      prelude += "#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n";
    prelude += kIntTypedefs;
    for (auto &[name, pointee] : pointerTypedefs)
      prelude += "typedef " + pointee + " *" + name + ";\n";
    prelude += globals;
    for (unsigned w : ipowiWidths)
      prelude += ipowiHelper(IntegerType::get(ctx, w));
    OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
    emitc::VerbatimOp::create(b, module.getLoc(), prelude);
  }

  /// Errors naming what the OpenCL target cannot express.
  LogicalResult checkSupported(ModuleOp module) {
    static const llvm::StringSet<> dialects = {"arith",   "math",   "memref",
                                               "scf",     "func",   "emitc",
                                               "builtin", "vector", "gpu"};
    static const llvm::StringSet<> gpuOps = {"gpu.thread_id", "gpu.block_id",
                                             "gpu.block_dim", "gpu.grid_dim",
                                             "gpu.barrier"};
    static const llvm::StringSet<> vectorOps = {
        "vector.load", "vector.store", "vector.broadcast", "vector.extract"};
    WalkResult result = module.walk([&](Operation *op) -> WalkResult {
      auto bad = [&]() -> InFlightDiagnostic {
        return op->emitError() << "OpenCL target: " << op->getName();
      };
      StringRef ns = op->getName().getDialectNamespace();
      if (!dialects.contains(ns))
        return bad() << " is not supported", WalkResult::interrupt();
      // A stage's parameters are the runtime's buffers: memrefs of numbers.
      if (auto func = dyn_cast<func::FuncOp>(op);
          func && func->hasAttr(kStageAttr))
        for (auto [i, t] : llvm::enumerate(func.getArgumentTypes())) {
          auto memref = dyn_cast<MemRefType>(t);
          if (!memref || !(memref.getElementType().isIntOrFloat() ||
                           memref.getElementType().isIndex()))
            return bad() << ": stage @" << func.getSymName() << " parameter #"
                         << i << " has type " << t
                         << "; stage parameters are buffers (memrefs of "
                            "numbers)",
                   WalkResult::interrupt();
        }
      if ((ns == "math" && !isSupportedMathOp(op)) ||
          (ns == "gpu" && !gpuOps.contains(op->getName().getStringRef())) ||
          (ns == "vector" && !vectorOps.contains(op->getName().getStringRef())))
        return bad() << " is not supported", WalkResult::interrupt();
      if (isa<memref::AllocOp>(op) ||
          (isa<memref::AllocaOp>(op) &&
           !isPrivateSpace(cast<memref::AllocaOp>(op).getType()) &&
           !isLocalSpace(cast<memref::AllocaOp>(op).getType())))
        return bad() << " (a temporary) was not made a scratch buffer",
               WalkResult::interrupt();
      auto types = llvm::to_vector(op->getResultTypes());
      llvm::append_range(types, op->getOperandTypes());
      for (Type t : types) {
        if (containsType(t, [](Type e) { return e.isBF16(); }))
          return bad() << ": bf16 is not supported by the OpenCL target",
                 WalkResult::interrupt();
        auto vec = dyn_cast<VectorType>(t);
        if (isa<TensorType>(t) || (vec && !isSupportedVectorType(vec)))
          return bad() << ": " << t << " values are not supported",
                 WalkResult::interrupt();
        auto memref = dyn_cast<MemRefType>(t);
        SmallVector<int64_t> strides;
        int64_t offset;
        if (memref && (failed(memref.getStridesAndOffset(strides, offset)) ||
                       llvm::any_of(strides, ShapedType::isDynamic)))
          return bad() << ": buffer layout " << t
                       << " is only known at run time",
                 WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    return failure(result.wasInterrupted());
  }

  /// Buffers of memref.global live in `__constant` memory: their views and
  /// metadata get that memory space (type-driven pointer names follow), so
  /// do selects and scf.if results choosing between constant buffers only.
  LogicalResult moveConstantsToConstant() {
    auto space = StringAttr::get(&getContext(), kConstantSpace);
    auto isConstant = [](Value v) {
      auto t = dyn_cast<MemRefType>(v.getType());
      return t && isConstantSpace(t);
    };
    SmallVector<Value> worklist;
    auto retype = [&](Value v) {
      if (isConstant(v))
        return;
      auto t = cast<MemRefType>(v.getType());
      v.setType(MemRefType::get(t.getShape(), t.getElementType(), t.getLayout(),
                                space));
      worklist.push_back(v);
    };
    getOperation().walk(
        [&](memref::GetGlobalOp op) { retype(op.getResult()); });
    // Users that choose among buffers: constant once all choices are.
    auto choice = [&](Operation *user) -> std::optional<bool> {
      if (auto select = dyn_cast<arith::SelectOp>(user)) {
        if (isConstant(select.getTrueValue()) &&
            isConstant(select.getFalseValue()))
          retype(select.getResult());
        return true;
      }
      auto yield = dyn_cast<scf::YieldOp>(user);
      auto ifOp = yield ? dyn_cast<scf::IfOp>(yield->getParentOp()) : nullptr;
      if (!ifOp)
        return std::nullopt;
      for (auto [i, result] : llvm::enumerate(ifOp.getResults()))
        if (isa<MemRefType>(result.getType()) &&
            isConstant(ifOp.thenYield().getOperand(i)) &&
            isConstant(ifOp.elseYield().getOperand(i)))
          retype(result);
      return true;
    };
    SmallVector<Operation *> choices;
    while (!worklist.empty()) {
      Value v = worklist.pop_back_val();
      for (Operation *user : v.getUsers()) {
        if (isa<memref::LoadOp, vector::LoadOp>(user))
          continue;
        if (auto md = dyn_cast<memref::ExtractStridedMetadataOp>(user)) {
          retype(md.getBaseBuffer());
          continue;
        }
        if (isa<ViewLikeOpInterface, memref::CastOp, memref::AssumeAlignmentOp>(
                user)) {
          for (Value r : user->getResults())
            if (isa<MemRefType>(r.getType()))
              retype(r);
          continue;
        }
        if (choice(user)) {
          choices.push_back(user);
          continue;
        }
        return user->emitError() << "OpenCL target: a constant buffer "
                                    "cannot be used by "
                                 << user->getName();
      }
    }
    // A choice between a constant and another buffer has no pointer type.
    for (Operation *user : choices) {
      SmallVector<std::pair<Value, Value>> chosen; // (choice, result)
      if (auto select = dyn_cast<arith::SelectOp>(user)) {
        chosen = {{select.getTrueValue(), select.getResult()},
                  {select.getFalseValue(), select.getResult()}};
      } else {
        auto ifOp = cast<scf::IfOp>(user->getParentOp());
        for (auto [v, r] : llvm::zip(user->getOperands(), ifOp.getResults()))
          chosen.push_back({v, r});
      }
      for (auto [v, r] : chosen)
        if (isConstant(v) && !isConstant(r))
          return user->emitError()
                 << "OpenCL target: chooses between a constant buffer and "
                    "another buffer";
    }
    return success();
  }

  LogicalResult convert(ModuleOp module) {
    MLIRContext *ctx = &getContext();
    OpenCLTypeConverter converter(ctx);
    RewritePatternSet patterns(ctx);
    populateArithToEmitCPatterns(converter, patterns);
    populateSCFToEmitCConversionPatterns(patterns, converter);
    populateFuncToEmitCPatterns(converter, patterns);
    populateMemRefToOpenCLPatterns(converter, patterns);
    populateMathToOpenCLPatterns(converter, patterns);
    populateVectorToOpenCLPatterns(converter, patterns);
    populateGPUToOpenCLPatterns(converter, patterns);
    // After the upstream populate functions, which register index ->
    // size_t: signed index arithmetic (divsi, remsi) needs ptrdiff_t.
    converter.addConversion(
        [ctx](IndexType) -> Type { return emitc::PtrDiffTType::get(ctx); });
    ConversionTarget target(*ctx);
    target.addLegalDialect<emitc::EmitCDialect>();
    target.addIllegalDialect<arith::ArithDialect, math::MathDialect,
                             memref::MemRefDialect, scf::SCFDialect,
                             func::FuncDialect, vector::VectorDialect,
                             gpu::GPUDialect>();
    target.addLegalOp<ModuleOp, UnrealizedConversionCastOp>();
    if (failed(applyPartialConversion(module, target, std::move(patterns))))
      return failure();
    SmallVector<UnrealizedConversionCastOp> casts;
    module.walk([&](UnrealizedConversionCastOp op) { casts.push_back(op); });
    SmallVector<UnrealizedConversionCastOp> left;
    reconcileUnrealizedCasts(casts, &left);
    if (!left.empty())
      return left.front()->emitError() << "OpenCL target: value of type "
                                       << left.front()->getOperandTypes()
                                       << " has no OpenCL C equivalent here";
    return success();
  }
};
} // namespace
