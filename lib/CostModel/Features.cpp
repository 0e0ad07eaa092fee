//===- Features.cpp - What the cost model knows of a kernel ---------------===//

#include "hcc/CostModel/Features.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace hcc {
namespace cost {

const char *familyName(OpFamily family) {
  switch (family) {
  case OpFamily::Elementwise:
    return "elementwise";
  case OpFamily::Contraction:
    return "contraction";
  case OpFamily::Convolution:
    return "convolution";
  case OpFamily::Pooling:
    return "pooling";
  case OpFamily::Reduction:
    return "reduction";
  case OpFamily::Normalization:
    return "normalization";
  case OpFamily::DataMovement:
    return "data-movement";
  case OpFamily::Recurrent:
    return "recurrent";
  case OpFamily::Other:
    return "other";
  }
  return "other";
}

OpFamily familyOf(const std::string &op) {
  static const std::map<std::string, OpFamily> table = {
      {"MatMul", OpFamily::Contraction},
      {"Gemm", OpFamily::Contraction},
      {"MatMulInteger", OpFamily::Contraction},
      {"QLinearMatMul", OpFamily::Contraction},
      {"Einsum", OpFamily::Contraction},
      {"Conv", OpFamily::Convolution},
      {"ConvTranspose", OpFamily::Convolution},
      {"ConvInteger", OpFamily::Convolution},
      {"QLinearConv", OpFamily::Convolution},
      {"DeformConv", OpFamily::Convolution},
      {"MaxPool", OpFamily::Pooling},
      {"AveragePool", OpFamily::Pooling},
      {"LpPool", OpFamily::Pooling},
      {"GlobalAveragePool", OpFamily::Pooling},
      {"GlobalMaxPool", OpFamily::Pooling},
      {"GlobalLpPool", OpFamily::Pooling},
      {"MaxRoiPool", OpFamily::Pooling},
      {"ReduceSum", OpFamily::Reduction},
      {"ReduceMean", OpFamily::Reduction},
      {"ReduceMax", OpFamily::Reduction},
      {"ReduceMin", OpFamily::Reduction},
      {"ReduceProd", OpFamily::Reduction},
      {"ReduceL1", OpFamily::Reduction},
      {"ReduceL2", OpFamily::Reduction},
      {"ReduceLogSum", OpFamily::Reduction},
      {"ReduceLogSumExp", OpFamily::Reduction},
      {"ReduceSumSquare", OpFamily::Reduction},
      {"ArgMax", OpFamily::Reduction},
      {"ArgMin", OpFamily::Reduction},
      {"TopK", OpFamily::Reduction},
      {"CumSum", OpFamily::Reduction},
      {"Softmax", OpFamily::Normalization},
      {"LogSoftmax", OpFamily::Normalization},
      {"Hardmax", OpFamily::Normalization},
      {"LayerNormalization", OpFamily::Normalization},
      {"InstanceNormalization", OpFamily::Normalization},
      {"GroupNormalization", OpFamily::Normalization},
      {"LpNormalization", OpFamily::Normalization},
      {"LRN", OpFamily::Normalization},
      {"MeanVarianceNormalization", OpFamily::Normalization},
      {"RMSNormalization", OpFamily::Normalization},
      {"Transpose", OpFamily::DataMovement},
      {"Concat", OpFamily::DataMovement},
      {"Split", OpFamily::DataMovement},
      {"Slice", OpFamily::DataMovement},
      {"Gather", OpFamily::DataMovement},
      {"GatherElements", OpFamily::DataMovement},
      {"GatherND", OpFamily::DataMovement},
      {"ScatterElements", OpFamily::DataMovement},
      {"ScatterND", OpFamily::DataMovement},
      {"Pad", OpFamily::DataMovement},
      {"Resize", OpFamily::DataMovement},
      {"Tile", OpFamily::DataMovement},
      {"Expand", OpFamily::DataMovement},
      {"DepthToSpace", OpFamily::DataMovement},
      {"SpaceToDepth", OpFamily::DataMovement},
      {"Reshape", OpFamily::DataMovement},
      {"Flatten", OpFamily::DataMovement},
      {"Squeeze", OpFamily::DataMovement},
      {"Unsqueeze", OpFamily::DataMovement},
      {"Identity", OpFamily::DataMovement},
      {"LSTM", OpFamily::Recurrent},
      {"GRU", OpFamily::Recurrent},
      {"RNN", OpFamily::Recurrent},
      {"Loop", OpFamily::Recurrent},
      {"Scan", OpFamily::Recurrent},
  };
  auto it = table.find(op);
  return it == table.end() ? OpFamily::Elementwise : it->second;
}

namespace {
float log2p(double v) { return static_cast<float>(std::log2(1.0 + v)); }
} // namespace

double KernelFeatures::intensity() const {
  return flops / std::max(1.0, bytesIn + bytesOut);
}

const std::vector<std::string> &KernelFeatures::names() {
  static const std::vector<std::string> list = {
      "family",       "log2_flops",  "log2_bytes_in",  "log2_bytes_out",
      "log2_weights", "intensity",   "log2_out_elems", "log2_m",
      "log2_n",       "log2_k",      "log2_batch",     "window",
      "stride",       "log2_groups", "num_ops",        "fused_ops",
      "dtype_bits",   "rank",        "threads",        "log2_flops_per_thread"};
  return list;
}

std::vector<float> KernelFeatures::vector() const {
  double perThread = flops / std::max(1.0, threads);
  return {static_cast<float>(family),
          log2p(flops),
          log2p(bytesIn),
          log2p(bytesOut),
          log2p(weightBytes),
          static_cast<float>(intensity()),
          log2p(outElements),
          log2p(m),
          log2p(n),
          log2p(k),
          log2p(batch),
          static_cast<float>(window),
          static_cast<float>(stride),
          log2p(groups),
          static_cast<float>(numOps),
          static_cast<float>(fusedOps),
          static_cast<float>(dtypeBits),
          static_cast<float>(rank),
          static_cast<float>(threads),
          log2p(perThread)};
}

} // namespace cost
} // namespace hcc
