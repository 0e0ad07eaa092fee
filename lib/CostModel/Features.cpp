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

/// A stable code per ONNX op type (trees split on it): its position in
/// this list, 0 for others. Append only: codes are part of saved models.
static int opCode(const std::string &op) {
  static const char *ops[] = {"Conv",
                              "MatMul",
                              "Gemm",
                              "Add",
                              "Mul",
                              "Relu",
                              "Clip",
                              "Sigmoid",
                              "MaxPool",
                              "AveragePool",
                              "GlobalAveragePool",
                              "Concat",
                              "Transpose",
                              "Reshape",
                              "Slice",
                              "Gather",
                              "Softmax",
                              "LayerNormalization",
                              "ReduceMean",
                              "Split",
                              "Sub",
                              "Div",
                              "Tanh",
                              "Erf",
                              "Exp",
                              "LSTM",
                              "GRU",
                              "Flatten",
                              "BatchNormalization",
                              "HardSigmoid",
                              "HardSwish",
                              "Pad",
                              "Resize",
                              "Where",
                              "Pow",
                              "Sqrt",
                              "ConvTranspose",
                              "Abs",
                              "Identity",
                              "Cast"};
  for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); ++i)
    if (op == ops[i])
      return static_cast<int>(i) + 1;
  return 0;
}

double KernelFeatures::intensity() const {
  return flops / std::max(1.0, bytesIn + bytesOut);
}

const std::vector<std::string> &KernelFeatures::names() {
  static const std::vector<std::string> list = {"family",
                                                "log2_flops",
                                                "log2_bytes_in",
                                                "log2_bytes_out",
                                                "log2_weights",
                                                "intensity",
                                                "log2_out_elems",
                                                "log2_m",
                                                "log2_n",
                                                "log2_k",
                                                "log2_batch",
                                                "window",
                                                "stride",
                                                "log2_groups",
                                                "num_ops",
                                                "fused_ops",
                                                "dtype_bits",
                                                "rank",
                                                "threads",
                                                "log2_flops_per_thread",
                                                "op_code",
                                                "log2_channels_per_group",
                                                "m_mod8",
                                                "n_mod8",
                                                "k_mod8",
                                                "n_mod32",
                                                "log2_bytes_per_thread",
                                                "log2_transcendentals"};
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
          log2p(perThread),
          static_cast<float>(opCode(opType)),
          log2p(window > 0 ? k / window : k),
          static_cast<float>(std::fmod(m, 8)),
          static_cast<float>(std::fmod(n, 8)),
          static_cast<float>(std::fmod(k, 8)),
          static_cast<float>(std::fmod(n, 32)),
          log2p((bytesIn + bytesOut) / std::max(1.0, threads)),
          log2p(transcendentals)};
}

} // namespace cost
} // namespace hcc
