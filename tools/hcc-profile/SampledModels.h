//===- SampledModels.h - single-op models of sampled shapes ------*- C++
//-*-===//
#ifndef HCC_TOOLS_PROFILE_SAMPLEDMODELS_H
#define HCC_TOOLS_PROFILE_SAMPLEDMODELS_H

#include <string>
#include <vector>

namespace hcc {
namespace profile {

struct SampledModel {
  std::string name; // "sampled/conv_007"
  std::string path; // the .onnx file written
};

/// Writes `count` one- or two-node ONNX models (MatMul, Gemm, Conv incl.
/// depthwise and strided, pooling, Softmax, LayerNormalization, reductions,
/// Transpose, Concat, elementwise) with shapes drawn log-uniformly from
/// ranges real models use, weights as initializers; deterministic for a
/// seed. Work per model is capped so a run takes milliseconds, not
/// seconds. Returns false with `error` when a file cannot be written.
bool writeSampledModels(const std::string &dir, int count, unsigned seed,
                        std::vector<SampledModel> &out, std::string &error);

} // namespace profile
} // namespace hcc

#endif
