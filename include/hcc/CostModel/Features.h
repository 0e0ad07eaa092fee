//===- Features.h - What the cost model knows of a kernel --------*- C++
//-*-===//
//
// The op-level features every cost model of hcc reads: a kernel (a group of
// graph ops that run as one launch) is described by its anchor op's kind and
// family, its work (FLOPs), the bytes it moves, its arithmetic intensity,
// the shape of its contraction or window, how many ops are fused into it,
// and the knobs of the device configuration it runs under. The vector is the
// same for every device; no MLIR here, so datasets, models, hcc-costmodel
// and the simulator read it without the compiler.
//
//===----------------------------------------------------------------------===//

#ifndef HCC_COSTMODEL_FEATURES_H
#define HCC_COSTMODEL_FEATURES_H

#include <string>
#include <vector>

namespace hcc {
namespace cost {

/// Families of ops whose costs behave alike.
enum class OpFamily {
  Elementwise = 0,
  Contraction = 1, // MatMul, Gemm, Einsum, MatMulInteger
  Convolution = 2, // Conv, ConvTranspose, QLinearConv
  Pooling = 3,
  Reduction = 4,
  Normalization = 5, // Softmax, LayerNormalization, InstanceNormalization
  DataMovement = 6,  // Transpose, Concat, Gather, Slice, Pad, Resize
  Recurrent = 7,     // LSTM, GRU, RNN, Loop, Scan
  Other = 8,
};

/// "elementwise", "contraction", ... (names in datasets and reports).
const char *familyName(OpFamily family);
/// The family of an ONNX op type ("Conv" -> Convolution).
OpFamily familyOf(const std::string &opType);

/// Features of one kernel on one device configuration.
struct KernelFeatures {
  std::string opType; // the anchor op's ONNX type
  OpFamily family = OpFamily::Other;
  double flops = 0;
  double bytesIn = 0;     // operands read from outside the kernel
  double bytesOut = 0;    // results read outside the kernel
  double weightBytes = 0; // the part of bytesIn that is constant weights
  double outElements = 0;
  double m = 0, n = 0, k = 0; // contraction: rows, columns, reduction
  double batch = 1;           // independent contractions / images
  double window = 0;          // pooling / convolution window elements
  double stride = 1;
  double groups = 1;
  double numOps = 1;
  double fusedOps = 0; // ops fused after the anchor (epilogue)
  /// Elements computed by transcendental or dividing ops (Sigmoid, Tanh,
  /// Exp, Erf, HardSwish, Div, ...), the anchor's and its epilogue's: far
  /// costlier per element than an add.
  double transcendentals = 0;
  double dtypeBits = 32;
  double rank = 0;
  /// Device configuration: worker threads (CPU), 0 where it does not
  /// apply.
  double threads = 0;

  /// The model's input vector, in featureNames() order.
  std::vector<float> vector() const;
  /// Names of the vector's entries.
  static const std::vector<std::string> &names();
  /// FLOPs per byte moved.
  double intensity() const;
};

} // namespace cost
} // namespace hcc

#endif // HCC_COSTMODEL_FEATURES_H
