//===- TestUtil.h - Kernels compiled at test time, bundles ------*- C++ -*-===//
#ifndef HCC_RUNTIME_TEST_TESTUTIL_H
#define HCC_RUNTIME_TEST_TESTUTIL_H

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace hcc {
namespace test {

/// Compiles C source into a shared object with the system C compiler and
/// returns its bytes (empty on failure, with the reason printed).
std::vector<uint8_t> compileSharedObject(const std::string &source);

/// Kernels following the CPU ABI, shared by the tests:
///  add_f32(a, b, out) for n = args... fixed 4 elements, relu_f32(in, out),
///  par_scale(in, out): out = 2*in using the MLIR async runtime API.
const std::vector<uint8_t> &testKernels();

/// Manifest of y = relu(x + w) on float32[4] with an intermediate t,
/// w a weight at offset 0: buffers x=0, w=1, t=2, y=3.
nlohmann::json addReluManifest();

/// Bundle bytes of addReluManifest() with w = {1, -2, 3, -4}.
std::vector<uint8_t> addReluBundle();

std::string tempDir();

} // namespace test
} // namespace hcc

#endif // HCC_RUNTIME_TEST_TESTUTIL_H
