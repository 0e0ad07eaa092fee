//===- BundleMutator.h - structure-aware mutation of bundles ----*- C++ -*-===//
//
// Version skew and damaged files give bundles whose CRCs are right but
// whose manifest disagrees with their code or weights. Random byte flips
// almost never get past the CRC check, so the bundle fuzzer mutates the
// bundle's parts (the manifest's JSON values, keys and arrays, its text,
// the weights) and writes the bundle again with valid CRCs.
//
//===----------------------------------------------------------------------===//
#ifndef HCC_FUZZ_RUNTIME_BUNDLEMUTATOR_H
#define HCC_FUZZ_RUNTIME_BUNDLEMUTATOR_H

#include <cstddef>
#include <cstdint>

namespace hcc::fuzz {
/// Mutates the bundle in data[0, size) in place (at most maxSize bytes) and
/// returns its new size; bytes that are not a valid bundle get libFuzzer's
/// own mutation.
size_t mutateBundle(uint8_t *data, size_t size, size_t maxSize, unsigned seed);
} // namespace hcc::fuzz

#endif // HCC_FUZZ_RUNTIME_BUNDLEMUTATOR_H
