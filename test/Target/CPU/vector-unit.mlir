// The CPU knobs' defaults follow the vector unit the kernels are shaped for
// (the host's, or HCC_CPU_VECTORS): accumulators in half the registers, two
// vectors of columns by a quarter of the registers as rows; pieces narrower
// than a vector run with their lanes along K.
// RUN: env HCC_CPU_VECTORS=avx512 hcc-opt %s --hcc-place --hcc-outline-kernels | FileCheck %s --check-prefix=AVX512
// RUN: env HCC_CPU_VECTORS=avx2 hcc-opt %s --hcc-place --hcc-outline-kernels | FileCheck %s --check-prefix=AVX2
// RUN: env HCC_CPU_VECTORS=sse hcc-opt %s --hcc-place --hcc-outline-kernels | FileCheck %s --check-prefix=SSE
// RUN: env HCC_CPU_VECTORS=neon hcc-opt %s --hcc-place --hcc-outline-kernels | FileCheck %s --check-prefix=NEON
// RUN: env HCC_CPU_VECTORS=avx3 hcc-opt %s --hcc-place --hcc-outline-kernels 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// AVX512: "k-lane-max-cols" = 15 : i64
// AVX512: "tile-m" = 8 : i64, "tile-n" = 32 : i64, "unpacked-row-bytes" = 1024 : i64, "vector-width" = 16 : i64, "wide-tile-max-acc" = 24 : i64
// AVX2: "k-lane-max-cols" = 7 : i64
// AVX2: "tile-m" = 4 : i64, "tile-n" = 16 : i64, "unpacked-row-bytes" = 1024 : i64, "vector-width" = 8 : i64, "wide-tile-max-acc" = 12 : i64
// SSE: "k-lane-max-cols" = 3 : i64
// SSE: "tile-m" = 4 : i64, "tile-n" = 8 : i64, "unpacked-row-bytes" = 1024 : i64, "vector-width" = 4 : i64, "wide-tile-max-acc" = 12 : i64
// NEON: "k-lane-max-cols" = 3 : i64
// NEON: "tile-m" = 8 : i64, "tile-n" = 8 : i64, "unpacked-row-bytes" = 1024 : i64, "vector-width" = 4 : i64, "wide-tile-max-acc" = 24 : i64
// UNKNOWN: warning: HCC_CPU_VECTORS='avx3' is not one of avx512, avx2, sse, neon; CPU kernels are shaped for this host's
// UNKNOWN: exec.knobs

// With the AVX2 knobs a product's register tile is 4 rows x 16 lanes (two
// 8-lane vectors per row: 8 accumulators of the 16 registers).
// RUN: hcc-opt %s --convert-graph-to-linalg --hcc-cpu-tile-and-vectorize="tile-m=4 tile-n=16 vector-width=8 distribute=false unpacked-row-bytes=0" --canonicalize | FileCheck %s --check-prefix=TILE
// TILE-LABEL: func.func @main
// TILE: vector.contract {{.*}} vector<4x4xf32>, vector<4x16xf32> into vector<4x16xf32>
func.func @main(%a: tensor<64x128xf32>, %b: tensor<128x64xf32>) -> tensor<64x64xf32> {
  %y = graph.MatMul(%a, %b) : (tensor<64x128xf32>, tensor<128x64xf32>) -> tensor<64x64xf32>
  return %y : tensor<64x64xf32>
}
