//===- dtype.cpp - Element types and tensor sizes ------------------------===//

#include "dtype.h"

namespace hcc {
namespace rt {

size_t dtypeSize(int64_t code) {
  switch (code) {
  case HCC_DTYPE_UINT8:
  case HCC_DTYPE_INT8:
  case HCC_DTYPE_BOOL:
  case HCC_DTYPE_FLOAT8E4M3FN:
  case HCC_DTYPE_FLOAT8E4M3FNUZ:
  case HCC_DTYPE_FLOAT8E5M2:
  case HCC_DTYPE_FLOAT8E5M2FNUZ:
  case HCC_DTYPE_UINT4:
  case HCC_DTYPE_INT4:
  case HCC_DTYPE_FLOAT4E2M1:
  case HCC_DTYPE_FLOAT8E8M0:
  case HCC_DTYPE_UINT2:
  case HCC_DTYPE_INT2:
    return 1;
  case HCC_DTYPE_UINT16:
  case HCC_DTYPE_INT16:
  case HCC_DTYPE_FLOAT16:
  case HCC_DTYPE_BFLOAT16:
    return 2;
  case HCC_DTYPE_FLOAT32:
  case HCC_DTYPE_INT32:
  case HCC_DTYPE_UINT32:
    return 4;
  case HCC_DTYPE_INT64:
  case HCC_DTYPE_FLOAT64:
  case HCC_DTYPE_UINT64:
    return 8;
  default:
    return 0;
  }
}

const char *dtypeName(int64_t code) {
  switch (code) {
  case HCC_DTYPE_FLOAT32:
    return "float32";
  case HCC_DTYPE_UINT8:
    return "uint8";
  case HCC_DTYPE_INT8:
    return "int8";
  case HCC_DTYPE_UINT16:
    return "uint16";
  case HCC_DTYPE_INT16:
    return "int16";
  case HCC_DTYPE_INT32:
    return "int32";
  case HCC_DTYPE_INT64:
    return "int64";
  case HCC_DTYPE_BOOL:
    return "bool";
  case HCC_DTYPE_FLOAT16:
    return "float16";
  case HCC_DTYPE_FLOAT64:
    return "float64";
  case HCC_DTYPE_UINT32:
    return "uint32";
  case HCC_DTYPE_UINT64:
    return "uint64";
  case HCC_DTYPE_BFLOAT16:
    return "bfloat16";
  case HCC_DTYPE_FLOAT8E4M3FN:
    return "float8e4m3fn";
  case HCC_DTYPE_FLOAT8E4M3FNUZ:
    return "float8e4m3fnuz";
  case HCC_DTYPE_FLOAT8E5M2:
    return "float8e5m2";
  case HCC_DTYPE_FLOAT8E5M2FNUZ:
    return "float8e5m2fnuz";
  case HCC_DTYPE_UINT4:
    return "uint4";
  case HCC_DTYPE_INT4:
    return "int4";
  case HCC_DTYPE_FLOAT4E2M1:
    return "float4e2m1";
  case HCC_DTYPE_FLOAT8E8M0:
    return "float8e8m0";
  case HCC_DTYPE_UINT2:
    return "uint2";
  case HCC_DTYPE_INT2:
    return "int2";
  default:
    return "unknown";
  }
}

bool tensorBytes(const std::vector<int64_t> &shape, size_t elementSize,
                 uint64_t &bytes) {
  for (int64_t d : shape)
    if (d < 0)
      return false;
  for (int64_t d : shape)
    if (d == 0) {
      bytes = 0;
      return true;
    }
  const uint64_t limit = uint64_t(1) << 62;
  uint64_t n = elementSize;
  for (int64_t d : shape) {
    if (n > limit / static_cast<uint64_t>(d))
      return false;
    n *= static_cast<uint64_t>(d);
  }
  bytes = n;
  return true;
}

std::string describeType(int64_t dtype, const int64_t *dims, size_t rank) {
  std::string s = dtypeName(dtype);
  s += "[";
  for (size_t i = 0; i < rank; ++i) {
    if (i)
      s += ",";
    s += std::to_string(dims[i]);
  }
  return s + "]";
}

} // namespace rt
} // namespace hcc
