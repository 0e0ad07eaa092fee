//===- TensorImport.cpp - ONNX TensorProto and TypeProto to MLIR ----------===//

#include "TensorImport.h"
#include "ExternalData.h"

#include "dialects/Graph/IR/GraphDialect.h"
#include "dialects/Graph/IR/ShapeHelpers.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"

#include <cstring>

using namespace mlir;
using namespace hcc::onnx_import;
using onnx::TensorProto;

Type hcc::onnx_import::elementTypeFor(MLIRContext *ctx, int64_t dtype) {
  return hcc::graph::onnxDataTypeToMlir(ctx, dtype);
}

std::string hcc::onnx_import::dataTypeName(int64_t dtype) {
  // Debian's onnx.proto (1.12) stops at BFLOAT16 (16); the types added
  // since are named from the current onnx.proto.
  static const char *const newer[] = {
      "FLOAT8E4M3FN", "FLOAT8E4M3FNUZ", "FLOAT8E5M2", "FLOAT8E5M2FNUZ", "UINT4",
      "INT4",         "FLOAT4E2M1",     "FLOAT8E8M0", "UINT2",          "INT2"};
  std::string number = std::to_string(dtype);
  if (dtype >= 0 && dtype <= INT32_MAX &&
      onnx::TensorProto_DataType_IsValid(static_cast<int>(dtype)))
    return onnx::TensorProto_DataType_Name(
               static_cast<onnx::TensorProto_DataType>(dtype)) +
           " (" + number + ")";
  if (dtype >= 17 && dtype < 17 + int64_t(std::size(newer)))
    return std::string(newer[dtype - 17]) + " (" + number + ")";
  return "number " + number + ", not an ONNX data type";
}

/// Bits per element in raw_data (bool: one byte; 4- and 2-bit types are
/// packed, the first element in the lowest bits).
static uint64_t elementBits(Type elem) {
  if (auto c = dyn_cast<ComplexType>(elem))
    return 2 * elementBits(c.getElementType());
  if (elem.isInteger(1))
    return 8;
  return elem.getIntOrFloatBitWidth();
}

/// The elements of a packed 4- or 2-bit tensor, from its bytes.
static DenseElementsAttr unpackNarrow(RankedTensorType type,
                                      ArrayRef<char> bytes) {
  Type elem = type.getElementType();
  unsigned bits = elem.getIntOrFloatBitWidth();
  int64_t n = type.getNumElements();
  auto code = [&](int64_t i) {
    uint64_t bit = static_cast<uint64_t>(i) * bits;
    uint8_t byte = static_cast<uint8_t>(bytes[bit / 8]);
    return APInt(bits, (byte >> (bit % 8)) & ((1u << bits) - 1));
  };
  if (auto f = dyn_cast<FloatType>(elem)) {
    SmallVector<APFloat> values;
    values.reserve(n);
    for (int64_t i = 0; i < n; ++i)
      values.emplace_back(f.getFloatSemantics(), code(i));
    return DenseElementsAttr::get(type, values);
  }
  SmallVector<APInt> values;
  values.reserve(n);
  for (int64_t i = 0; i < n; ++i)
    values.push_back(code(i));
  return DenseElementsAttr::get(type, values);
}

Type hcc::onnx_import::importType(const onnx::TypeProto &type, Location loc,
                                  StringRef what) {
  MLIRContext *ctx = loc.getContext();
  switch (type.value_case()) {
  case onnx::TypeProto::kTensorType: {
    const auto &t = type.tensor_type();
    Type elem = elementTypeFor(ctx, t.elem_type());
    if (!elem) {
      emitError(loc) << what << " has element type "
                     << dataTypeName(t.elem_type())
                     << ", which hcc does not support";
      return {};
    }
    if (!t.has_shape())
      return UnrankedTensorType::get(elem);
    SmallVector<int64_t> dims;
    SmallVector<Attribute> names;
    bool anyName = false;
    for (const auto &d : t.shape().dim()) {
      if (d.has_dim_value()) {
        if (d.dim_value() < 0) {
          emitError(loc) << what << " has negative dimension " << d.dim_value();
          return {};
        }
        dims.push_back(d.dim_value());
        names.push_back(StringAttr::get(ctx, ""));
      } else {
        dims.push_back(ShapedType::kDynamic);
        names.push_back(StringAttr::get(ctx, d.dim_param()));
        anyName |= !d.dim_param().empty();
      }
    }
    if (dims.size() > 64) {
      emitError(loc) << what << " has rank " << dims.size()
                     << ", more than the supported 64";
      return {};
    }
    Attribute encoding;
    if (anyName)
      encoding =
          hcc::graph::DimSymbolsAttr::get(ctx, ArrayAttr::get(ctx, names));
    return RankedTensorType::get(dims, elem, encoding);
  }
  case onnx::TypeProto::kSequenceType: {
    if (!type.sequence_type().has_elem_type()) {
      emitError(loc) << what << " is a sequence without an element type";
      return {};
    }
    Type elem = importType(type.sequence_type().elem_type(), loc, what);
    return elem ? hcc::graph::SeqType::get(ctx, elem) : Type();
  }
  case onnx::TypeProto::kOptionalType: {
    if (!type.optional_type().has_elem_type()) {
      emitError(loc) << what << " is an optional without an element type";
      return {};
    }
    Type elem = importType(type.optional_type().elem_type(), loc, what);
    return elem ? hcc::graph::OptType::get(ctx, elem) : Type();
  }
  case onnx::TypeProto::kMapType:
    emitError(loc) << what << " is an ONNX map, which hcc does not support";
    return {};
  case onnx::TypeProto::kSparseTensorType:
    emitError(loc) << what << " is a sparse tensor, which hcc does not support";
    return {};
  default:
    emitError(loc) << what << " has no type";
    return {};
  }
}

/// Appends the little-endian bytes of `v` as a `bytes`-wide value.
template <typename T>
static void appendBytes(std::vector<char> &out, T v, unsigned bytes) {
  char buf[sizeof(T)];
  std::memcpy(buf, &v, sizeof(T));
  out.insert(out.end(), buf, buf + bytes);
}

ElementsAttr TensorLoader::load(const TensorProto &tensor, Location loc,
                                StringRef what) {
  MLIRContext *ctx = loc.getContext();
  Type elem = elementTypeFor(ctx, tensor.data_type());
  if (!elem) {
    emitError(loc) << what << " has data type "
                   << dataTypeName(tensor.data_type())
                   << ", which hcc does not support";
    return {};
  }
  if (tensor.has_segment()) {
    emitError(loc) << what << " is segmented, which hcc does not support";
    return {};
  }
  SmallVector<int64_t> dims;
  uint64_t numel = 1;
  for (int64_t d : tensor.dims()) {
    if (d < 0) {
      emitError(loc) << what << " has negative dimension " << d;
      return {};
    }
    if (d != 0 && numel > (uint64_t(1) << 62) / static_cast<uint64_t>(d)) {
      emitError(loc) << what << " has too many elements (dimension product "
                     << "overflows)";
      return {};
    }
    numel *= static_cast<uint64_t>(d);
    dims.push_back(d);
  }
  if (dims.size() > 64) {
    emitError(loc) << what << " has rank " << dims.size()
                   << ", more than the supported 64";
    return {};
  }
  auto type = RankedTensorType::get(dims, elem);

  if (isa<hcc::graph::StringType>(elem)) {
    if (tensor.has_raw_data() ||
        tensor.data_location() == TensorProto::EXTERNAL) {
      emitError(loc) << what << " is a string tensor with raw_data or "
                     << "external data; strings belong in string_data";
      return {};
    }
    if (static_cast<uint64_t>(tensor.string_data_size()) != numel) {
      emitError(loc) << what << " holds " << tensor.string_data_size()
                     << " strings but its shape needs " << numel;
      return {};
    }
    SmallVector<StringRef> strings(tensor.string_data().begin(),
                                   tensor.string_data().end());
    return DenseStringElementsAttr::get(type, strings);
  }

  uint64_t bits = elementBits(elem);
  uint64_t width = (bits + 7) / 8;
  uint64_t expected = (numel * bits + 7) / 8;
  if (expected > options.maxTensorBytes) {
    emitError(loc) << what << " needs " << expected
                   << " bytes, more than the limit of "
                   << options.maxTensorBytes;
    return {};
  }
  totalBytes += expected;
  if (totalBytes > options.maxTotalConstantBytes) {
    emitError(loc) << "constants exceed the budget of "
                   << options.maxTotalConstantBytes << " bytes in all at "
                   << what << "; raise it with " << options.optionPrefix
                   << "max-constant-bytes";
    return {};
  }

  std::vector<char> bytes;
  if (tensor.data_location() == TensorProto::EXTERNAL) {
    std::string location;
    uint64_t offset = 0, length = expected;
    bool haveLocation = false, haveOffset = false, haveLength = false;
    for (const auto &kv : tensor.external_data()) {
      const std::string &key = kv.key();
      bool *seen = key == "location" ? &haveLocation
                   : key == "offset" ? &haveOffset
                   : key == "length" ? &haveLength
                                     : nullptr;
      if (key == "checksum")
        continue;
      if (!seen) {
        emitError(loc) << what << " has unknown external_data key '" << key
                       << "'";
        return {};
      }
      if (*seen) {
        emitError(loc) << what << " repeats external_data key '" << key << "'";
        return {};
      }
      *seen = true;
      if (key == "location") {
        location = kv.value();
        continue;
      }
      uint64_t v;
      if (StringRef(kv.value()).getAsInteger(10, v)) {
        emitError(loc) << what << " has a non-numeric external_data " << key
                       << " '" << kv.value() << "'";
        return {};
      }
      (key == "offset" ? offset : length) = v;
    }
    if (!haveLocation) {
      emitError(loc) << what << " has external data without a location";
      return {};
    }
    if (length != expected) {
      emitError(loc) << what << " claims " << length
                     << " bytes of external data but its shape needs "
                     << expected;
      return {};
    }
    std::string error;
    if (!readExternalData(baseDir, location, offset, length, bytes, error)) {
      emitError(loc) << what << ": " << error;
      return {};
    }
  } else if (tensor.has_raw_data()) {
    if (tensor.raw_data().size() != expected) {
      emitError(loc) << what << " has " << tensor.raw_data().size()
                     << " bytes of raw_data but its shape needs " << expected;
      return {};
    }
    bytes.assign(tensor.raw_data().begin(), tensor.raw_data().end());
  } else {
    // Typed fields, as the ONNX spec assigns them per data type.
    uint64_t count = 0;
    bytes.reserve(expected);
    switch (tensor.data_type()) {
    case TensorProto::FLOAT:
    case TensorProto::COMPLEX64:
      count = tensor.float_data_size();
      for (float f : tensor.float_data())
        appendBytes(bytes, f, 4);
      break;
    case TensorProto::DOUBLE:
    case TensorProto::COMPLEX128:
      count = tensor.double_data_size();
      for (double d : tensor.double_data())
        appendBytes(bytes, d, 8);
      break;
    case TensorProto::INT64:
      count = tensor.int64_data_size();
      for (int64_t i : tensor.int64_data())
        appendBytes(bytes, i, 8);
      break;
    case TensorProto::UINT32:
    case TensorProto::UINT64:
      count = tensor.uint64_data_size();
      for (uint64_t u : tensor.uint64_data())
        appendBytes(bytes, u, width);
      break;
    default: // int32, int16, int8, uint16, uint8, bool, 16- and 8-bit
             // floats; 4- and 2-bit types: one packed byte per entry
      count = tensor.int32_data_size();
      for (int32_t i : tensor.int32_data())
        appendBytes(bytes, i, width);
      break;
    }
    // Packed 4- and 2-bit types count bytes, complex numbers two values.
    uint64_t need =
        bits < 8 ? expected : numel * (isa<ComplexType>(elem) ? 2 : 1);
    if (count != need) {
      emitError(loc) << what << " holds " << count
                     << " values but its shape needs " << need;
      return {};
    }
  }

  if (bits < 8)
    return unpackNarrow(type, bytes);
  if (elem.isInteger(1)) {
    SmallVector<bool> values;
    values.reserve(numel);
    for (char c : bytes)
      values.push_back(c != 0);
    return DenseElementsAttr::get(type, values);
  }
  bool detectedSplat = false;
  if (!DenseElementsAttr::isValidRawBuffer(type, bytes, detectedSplat)) {
    emitError(loc) << what << " has data of the wrong size";
    return {};
  }
  return DenseElementsAttr::getFromRawBuffer(type, bytes);
}
