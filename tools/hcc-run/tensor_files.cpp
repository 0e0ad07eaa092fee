//===- tensor_files.cpp - Tensors in .pb (ONNX TensorProto) and .npy -----===//
//
// TensorProto goes through Debian's onnx_proto; .npy has no packaged C++
// reader, and its header is a tiny Python-literal dict, parsed here.
//
//===----------------------------------------------------------------------===//

#include "tensor_files.h"
#include "hcc/runtime.h"
#include "support/file_checks.h"

#include <cmath>
#include <cstring>
#include <map>
#include <onnx/onnx_pb.h>

namespace hcc {
namespace tools {

namespace {

/// Largest tensor file read (a bound on memory, not on useful sizes).
constexpr uint64_t kMaxTensorFileBytes = uint64_t(16) << 30;

bool fail(std::string *error, const std::string &path, const std::string &m) {
  *error = "'" + path + "': " + m;
  return false;
}

bool elementCount(const std::vector<int64_t> &dims, uint64_t &n) {
  n = 1;
  for (int64_t d : dims) {
    if (d < 0 || (d > 0 && n > (uint64_t(1) << 40) / static_cast<uint64_t>(d)))
      return false;
    n *= static_cast<uint64_t>(d);
  }
  return true;
}

template <typename Src, typename Dst>
void convertInto(const Src &src, std::vector<uint8_t> &data) {
  data.resize(src.size() * sizeof(Dst));
  Dst *out = reinterpret_cast<Dst *>(data.data());
  for (int i = 0; i < src.size(); ++i)
    out[i] = static_cast<Dst>(src.Get(i));
}

/// Bits per element of the types ONNX packs (4- and 2-bit), else 0.
unsigned packedBits(int dtype) {
  switch (dtype) {
  case HCC_DTYPE_UINT4:
  case HCC_DTYPE_INT4:
  case HCC_DTYPE_FLOAT4E2M1:
    return 4;
  case HCC_DTYPE_UINT2:
  case HCC_DTYPE_INT2:
    return 2;
  default:
    return 0;
  }
}

/// Packed elements (the first in the lowest bits) to one byte each, the
/// signed integers sign-extended.
void unpack(const std::vector<uint8_t> &packed, uint64_t n, int dtype,
            std::vector<uint8_t> &out) {
  unsigned bits = packedBits(dtype);
  bool isSigned = dtype == HCC_DTYPE_INT4 || dtype == HCC_DTYPE_INT2;
  out.resize(n);
  for (uint64_t i = 0; i < n; ++i) {
    unsigned v = (packed[i * bits / 8] >> (i * bits % 8)) & ((1u << bits) - 1);
    if (isSigned && (v >> (bits - 1)))
      v |= ~((1u << bits) - 1);
    out[i] = static_cast<uint8_t>(v);
  }
}

/// The inverse of unpack.
std::vector<uint8_t> pack(const std::vector<uint8_t> &data, int dtype) {
  unsigned bits = packedBits(dtype);
  std::vector<uint8_t> out((data.size() * bits + 7) / 8, 0);
  for (size_t i = 0; i < data.size(); ++i)
    out[i * bits / 8] |= (data[i] & ((1u << bits) - 1)) << (i * bits % 8);
  return out;
}

bool readProto(const std::string &path, const std::string &bytes, HostTensor &t,
               std::string *error) {
  onnx::TensorProto proto;
  if (!proto.ParseFromString(bytes))
    return fail(error, path, "not a valid ONNX TensorProto");
  if (proto.data_location() == onnx::TensorProto::EXTERNAL)
    return fail(error, path, "external tensor data is not supported");
  if (proto.has_segment())
    return fail(error, path, "segmented tensors are not supported");
  t.name = proto.name();
  t.dtype = proto.data_type();
  size_t elem = hcc_dtype_size(static_cast<hcc_dtype_t>(t.dtype));
  if (elem == 0)
    return fail(error, path,
                "unsupported data type " + std::to_string(t.dtype));
  t.dims.assign(proto.dims().begin(), proto.dims().end());
  uint64_t n = 0;
  if (!elementCount(t.dims, n))
    return fail(error, path, "invalid dims");
  unsigned bits = packedBits(t.dtype);
  if (bits) {
    // 4- and 2-bit elements are packed in the file, one byte each here.
    std::vector<uint8_t> packed;
    if (proto.has_raw_data())
      packed.assign(proto.raw_data().begin(), proto.raw_data().end());
    else
      convertInto<decltype(proto.int32_data()), uint8_t>(proto.int32_data(),
                                                         packed);
    if (packed.size() != (n * bits + 7) / 8)
      return fail(error, path,
                  "holds " + std::to_string(packed.size()) +
                      " packed bytes, dims need " +
                      std::to_string((n * bits + 7) / 8));
    unpack(packed, n, t.dtype, t.data);
  } else if (proto.has_raw_data()) {
    const std::string &raw = proto.raw_data();
    t.data.assign(raw.begin(), raw.end());
  } else {
    switch (t.dtype) {
    case onnx::TensorProto::FLOAT:
      convertInto<decltype(proto.float_data()), float>(proto.float_data(),
                                                       t.data);
      break;
    case onnx::TensorProto::DOUBLE:
      convertInto<decltype(proto.double_data()), double>(proto.double_data(),
                                                         t.data);
      break;
    case onnx::TensorProto::INT64:
      convertInto<decltype(proto.int64_data()), int64_t>(proto.int64_data(),
                                                         t.data);
      break;
    case onnx::TensorProto::UINT32:
      convertInto<decltype(proto.uint64_data()), uint32_t>(proto.uint64_data(),
                                                           t.data);
      break;
    case onnx::TensorProto::UINT64:
      convertInto<decltype(proto.uint64_data()), uint64_t>(proto.uint64_data(),
                                                           t.data);
      break;
    case onnx::TensorProto::INT32:
      convertInto<decltype(proto.int32_data()), int32_t>(proto.int32_data(),
                                                         t.data);
      break;
    case onnx::TensorProto::INT16:
      convertInto<decltype(proto.int32_data()), int16_t>(proto.int32_data(),
                                                         t.data);
      break;
    case onnx::TensorProto::UINT16:
    case onnx::TensorProto::FLOAT16:
    case onnx::TensorProto::BFLOAT16:
      // 16-bit floats travel as their bit patterns in int32_data.
      convertInto<decltype(proto.int32_data()), uint16_t>(proto.int32_data(),
                                                          t.data);
      break;
    case onnx::TensorProto::INT8:
      convertInto<decltype(proto.int32_data()), int8_t>(proto.int32_data(),
                                                        t.data);
      break;
    default: // UINT8, BOOL
      convertInto<decltype(proto.int32_data()), uint8_t>(proto.int32_data(),
                                                         t.data);
      break;
    }
  }
  if (t.data.size() != n * elem)
    return fail(error, path,
                "holds " + std::to_string(t.data.size()) + " bytes, dims " +
                    "need " + std::to_string(n * elem));
  return true;
}

struct NpyType {
  const char *descr;
  int dtype;
};
const NpyType kNpyTypes[] = {
    {"<f4", HCC_DTYPE_FLOAT32}, {"<f8", HCC_DTYPE_FLOAT64},
    {"<f2", HCC_DTYPE_FLOAT16}, {"|u1", HCC_DTYPE_UINT8},
    {"|i1", HCC_DTYPE_INT8},    {"<i2", HCC_DTYPE_INT16},
    {"<u2", HCC_DTYPE_UINT16},  {"<i4", HCC_DTYPE_INT32},
    {"<u4", HCC_DTYPE_UINT32},  {"<i8", HCC_DTYPE_INT64},
    {"<u8", HCC_DTYPE_UINT64},  {"|b1", HCC_DTYPE_BOOL}};

/// The header dict's three entries (descr, fortran_order, shape), each
/// once and nothing else, as numpy writes and reads them: {'key': value,
/// ...} with quoted-string, True/False or tuple values, then padding.
bool npyFields(const std::string &header,
               std::map<std::string, std::string> &fields) {
  size_t at = 0;
  auto skipSpace = [&] {
    while (at < header.size() && (header[at] == ' ' || header[at] == '\n'))
      ++at;
  };
  auto take = [&](char c) {
    skipSpace();
    if (at < header.size() && header[at] == c) {
      ++at;
      return true;
    }
    return false;
  };
  if (!take('{'))
    return false;
  while (!take('}')) {
    skipSpace();
    if (at >= header.size() || header[at] != '\'')
      return false;
    size_t close = header.find('\'', at + 1);
    if (close == std::string::npos)
      return false;
    std::string key = header.substr(at + 1, close - at - 1);
    at = close + 1;
    if (!take(':'))
      return false;
    skipSpace();
    if (at >= header.size())
      return false;
    size_t end = header[at] == '('    ? header.find(')', at)
                 : header[at] == '\'' ? header.find('\'', at + 1)
                                      : header.find_first_of(",}", at) - 1;
    if (end == std::string::npos || end + 1 <= at)
      return false;
    std::string value = header.substr(at, end + 1 - at);
    at = end + 1;
    bool known = key == "descr" || key == "fortran_order" || key == "shape";
    if (!known || !fields.emplace(key, value).second)
      return false;
    if (!take(',')) {
      if (!take('}'))
        return false;
      break;
    }
  }
  skipSpace();
  return at == header.size() && fields.size() == 3;
}

bool readNpy(const std::string &path, const std::string &bytes, HostTensor &t,
             std::string *error) {
  if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0)
    return fail(error, path, "not a .npy file (bad magic)");
  unsigned major = static_cast<uint8_t>(bytes[6]);
  size_t headerLen, start;
  if (major == 1) {
    headerLen =
        static_cast<uint8_t>(bytes[8]) | (static_cast<uint8_t>(bytes[9]) << 8);
    start = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      return fail(error, path, "truncated .npy header");
    headerLen = 0;
    for (int i = 3; i >= 0; --i)
      headerLen = (headerLen << 8) | static_cast<uint8_t>(bytes[8 + i]);
    start = 12;
  } else {
    return fail(error, path,
                "unsupported .npy version " + std::to_string(major));
  }
  if (headerLen > bytes.size() - start)
    return fail(error, path, "truncated .npy header");
  std::string header = bytes.substr(start, headerLen);
  std::map<std::string, std::string> fields;
  if (!npyFields(header, fields))
    return fail(error, path, "malformed .npy header");
  const std::string &descr = fields["descr"], &order = fields["fortran_order"],
                    &shape = fields["shape"];
  if (shape.size() < 2 || shape.front() != '(' || shape.back() != ')')
    return fail(error, path, "malformed .npy shape " + shape);
  if (order != "False")
    return fail(error, path, "Fortran-ordered arrays are not supported");
  t.dtype = 0;
  for (const NpyType &n : kNpyTypes)
    if (descr == std::string("'") + n.descr + "'")
      t.dtype = n.dtype;
  if (t.dtype == 0)
    return fail(error, path, "unsupported .npy dtype " + descr);
  // shape is "(2, 3)", "(4,)" or "()".
  t.dims.clear();
  std::string inner = shape.substr(1, shape.size() - 2);
  size_t pos = 0;
  while (pos < inner.size()) {
    size_t comma = inner.find(',', pos);
    std::string item = inner.substr(
        pos, comma == std::string::npos ? std::string::npos : comma - pos);
    size_t digits = item.find_first_not_of(' ');
    if (digits != std::string::npos) {
      char *end = nullptr;
      long long v = std::strtoll(item.c_str() + digits, &end, 10);
      while (end && *end == ' ')
        ++end;
      if (end == item.c_str() + digits || *end != '\0' || v < 0)
        return fail(error, path, "malformed .npy shape " + shape);
      t.dims.push_back(v);
    }
    if (comma == std::string::npos)
      break;
    pos = comma + 1;
  }
  uint64_t n = 0;
  if (!elementCount(t.dims, n))
    return fail(error, path, "invalid .npy shape " + shape);
  size_t dataStart = start + headerLen;
  uint64_t want = n * hcc_dtype_size(static_cast<hcc_dtype_t>(t.dtype));
  if (bytes.size() - dataStart != want)
    return fail(error, path,
                "holds " + std::to_string(bytes.size() - dataStart) +
                    " data bytes, shape " + shape + " needs " +
                    std::to_string(want));
  t.data.assign(bytes.begin() + dataStart, bytes.end());
  return true;
}

bool endsWith(const std::string &s, const char *suffix) {
  size_t n = std::strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

float halfToFloat(uint16_t h) {
  int exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
  float v = exp == 0 ? std::ldexp(static_cast<float>(mant), -24)
            : exp == 31
                ? (mant ? NAN : INFINITY)
                : std::ldexp(static_cast<float>(mant | 0x400), exp - 25);
  return (h & 0x8000) ? -v : v;
}

/// Where a narrow float type keeps NaN: the IEEE way (all-ones exponent,
/// nonzero mantissa; all-ones with zero mantissa is infinity), only in the
/// all-ones code (E4M3FN), in the negative-zero code (FNUZ), or nowhere.
enum class NarrowNaN { IEEE, AllOnes, NegativeZero, None };

/// Value of code `c` of a sign/exponent/mantissa float of `width` bits with
/// `mant` mantissa bits and exponent bias `bias`.
double narrowFloat(unsigned c, int mant, int bias, NarrowNaN nan,
                   int width = 8) {
  unsigned signBit = 1u << (width - 1), mag = c & (signBit - 1);
  unsigned expBits = width - 1 - mant, e = mag >> mant;
  unsigned f = mag & ((1u << mant) - 1);
  if ((nan == NarrowNaN::NegativeZero && c == signBit) ||
      (nan == NarrowNaN::AllOnes && mag == signBit - 1) ||
      (nan == NarrowNaN::IEEE && e == (1u << expBits) - 1 && f != 0))
    return NAN;
  double v = nan == NarrowNaN::IEEE && e == (1u << expBits) - 1 ? INFINITY
             : e == 0 ? std::ldexp(f, 1 - bias - mant)
                      : std::ldexp(f | (1u << mant), int(e) - bias - mant);
  return (c & signBit) ? -v : v;
}

} // namespace

bool readTensorFile(const std::string &path, HostTensor &out,
                    std::string *error) {
  std::string bytes;
  if (!support::readRegularFile(path, kMaxTensorFileBytes, bytes, error))
    return false;
  return decodeTensor(path, bytes, out, error);
}

bool decodeTensor(const std::string &path, const std::string &bytes,
                  HostTensor &out, std::string *error) {
  if (endsWith(path, ".npy"))
    return readNpy(path, bytes, out, error);
  if (endsWith(path, ".pb"))
    return readProto(path, bytes, out, error);
  return fail(error, path, "unknown tensor file type (expected .pb or .npy)");
}

bool encodeTensor(const HostTensor &t, bool npy, std::string &bytes,
                  std::string *error) {
  if (!npy) {
    onnx::TensorProto proto;
    proto.set_name(t.name);
    proto.set_data_type(t.dtype);
    for (int64_t d : t.dims)
      proto.add_dims(d);
    if (packedBits(t.dtype)) {
      std::vector<uint8_t> packed = pack(t.data, t.dtype);
      proto.set_raw_data(packed.data(), packed.size());
    } else {
      proto.set_raw_data(t.data.data(), t.data.size());
    }
    if (!proto.SerializeToString(&bytes)) {
      *error = "cannot serialize tensor '" + t.name + "'";
      return false;
    }
    return true;
  }
  const char *descr = nullptr;
  for (const NpyType &n : kNpyTypes)
    if (n.dtype == t.dtype)
      descr = n.descr;
  if (!descr) {
    *error = std::string("tensor '") + t.name + "' of type " +
             hcc_dtype_name(static_cast<hcc_dtype_t>(t.dtype)) +
             " cannot be stored as .npy";
    return false;
  }
  std::string shape = "(";
  for (size_t i = 0; i < t.dims.size(); ++i)
    shape += std::to_string(t.dims[i]) + (t.dims.size() == 1 ? ",)" : ", ");
  if (t.dims.size() != 1) {
    if (!t.dims.empty())
      shape.resize(shape.size() - 2);
    shape += ")";
  }
  std::string header = std::string("{'descr': '") + descr +
                       "', 'fortran_order': False, 'shape': " + shape + ", }";
  // Pad so the data starts on a 64-byte boundary, ending with '\n'.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  bytes = "\x93NUMPY";
  bytes += '\x01';
  bytes += '\x00';
  bytes += static_cast<char>(header.size() & 0xff);
  bytes += static_cast<char>(header.size() >> 8);
  bytes += header;
  bytes.append(reinterpret_cast<const char *>(t.data.data()), t.data.size());
  return true;
}

bool isFloatType(int dtype) {
  switch (dtype) {
  case HCC_DTYPE_FLOAT32:
  case HCC_DTYPE_FLOAT64:
  case HCC_DTYPE_FLOAT16:
  case HCC_DTYPE_BFLOAT16:
  case HCC_DTYPE_FLOAT8E4M3FN:
  case HCC_DTYPE_FLOAT8E4M3FNUZ:
  case HCC_DTYPE_FLOAT8E5M2:
  case HCC_DTYPE_FLOAT8E5M2FNUZ:
  case HCC_DTYPE_FLOAT4E2M1:
  case HCC_DTYPE_FLOAT8E8M0:
    return true;
  default:
    return false;
  }
}

double elementAsDouble(const HostTensor &t, size_t i) {
  const uint8_t *p = t.data.data();
  switch (t.dtype) {
  case HCC_DTYPE_FLOAT32: {
    float v;
    std::memcpy(&v, p + 4 * i, 4);
    return v;
  }
  case HCC_DTYPE_FLOAT64: {
    double v;
    std::memcpy(&v, p + 8 * i, 8);
    return v;
  }
  case HCC_DTYPE_FLOAT16: {
    uint16_t h;
    std::memcpy(&h, p + 2 * i, 2);
    return halfToFloat(h);
  }
  case HCC_DTYPE_BFLOAT16: {
    uint16_t h;
    std::memcpy(&h, p + 2 * i, 2);
    uint32_t bits = static_cast<uint32_t>(h) << 16;
    float v;
    std::memcpy(&v, &bits, 4);
    return v;
  }
  case HCC_DTYPE_FLOAT8E4M3FN:
    return narrowFloat(p[i], 3, 7, NarrowNaN::AllOnes);
  case HCC_DTYPE_FLOAT8E4M3FNUZ:
    return narrowFloat(p[i], 3, 8, NarrowNaN::NegativeZero);
  case HCC_DTYPE_FLOAT8E5M2:
    return narrowFloat(p[i], 2, 15, NarrowNaN::IEEE);
  case HCC_DTYPE_FLOAT8E5M2FNUZ:
    return narrowFloat(p[i], 2, 16, NarrowNaN::NegativeZero);
  case HCC_DTYPE_FLOAT4E2M1:
    return narrowFloat(p[i] & 0xf, 1, 1, NarrowNaN::None, 4);
  case HCC_DTYPE_FLOAT8E8M0:
    return p[i] == 0xff ? NAN : std::ldexp(1.0, p[i] - 127);
  case HCC_DTYPE_INT8:
  case HCC_DTYPE_INT4:
  case HCC_DTYPE_INT2:
    return static_cast<int8_t>(p[i]);
  case HCC_DTYPE_UINT8:
  case HCC_DTYPE_UINT4:
  case HCC_DTYPE_UINT2:
  case HCC_DTYPE_BOOL:
    return p[i];
  case HCC_DTYPE_INT16: {
    int16_t v;
    std::memcpy(&v, p + 2 * i, 2);
    return v;
  }
  case HCC_DTYPE_UINT16: {
    uint16_t v;
    std::memcpy(&v, p + 2 * i, 2);
    return v;
  }
  case HCC_DTYPE_INT32: {
    int32_t v;
    std::memcpy(&v, p + 4 * i, 4);
    return v;
  }
  case HCC_DTYPE_UINT32: {
    uint32_t v;
    std::memcpy(&v, p + 4 * i, 4);
    return v;
  }
  case HCC_DTYPE_INT64: {
    int64_t v;
    std::memcpy(&v, p + 8 * i, 8);
    return static_cast<double>(v);
  }
  default: {
    uint64_t v;
    std::memcpy(&v, p + 8 * i, 8);
    return static_cast<double>(v);
  }
  }
}

} // namespace tools
} // namespace hcc
