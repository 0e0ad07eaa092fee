//===- dtype.h - Element types and tensor sizes -----------------*- C++ -*-===//
#ifndef HCC_RUNTIME_DTYPE_H
#define HCC_RUNTIME_DTYPE_H

#include "hcc/runtime.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

namespace hcc {
namespace rt {

/// Bytes per element; 0 for codes this runtime does not know.
/// The number a caller passed for a C enum. From C any int may arrive, and
/// reading one outside the enumerators' range through the C++ enum type is
/// undefined: API entry points read the enum's bytes once, check the number,
/// and use the enum only when it is valid.
template <typename Enum> int64_t enumCode(const Enum &value) {
  std::underlying_type_t<Enum> raw;
  std::memcpy(&raw, &value, sizeof raw);
  return static_cast<int64_t>(raw);
}

size_t dtypeSize(int64_t code);
const char *dtypeName(int64_t code);

/// product(shape) * elementSize, or false on a negative dimension or when
/// the result would exceed 2^62 bytes.
bool tensorBytes(const std::vector<int64_t> &shape, size_t elementSize,
                 uint64_t &bytes);

/// "float32[1,3,224,224]"
std::string describeType(int64_t dtype, const int64_t *dims, size_t rank);

} // namespace rt
} // namespace hcc

#endif // HCC_RUNTIME_DTYPE_H
