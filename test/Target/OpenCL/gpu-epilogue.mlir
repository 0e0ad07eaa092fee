// RUN: hcc-opt %s --split-input-file --hcc-opencl-codegen-pipeline="gpu-shape=true" | FileCheck %s
// RUN: hcc-opt %s --split-input-file --hcc-opencl-codegen-pipeline="gpu-shape=true" | hcc-translate --split-input-file --emit-opencl | FileCheck %s --check-prefix=OPENCL

// A GPU tile kernel absorbs the elementwise op that initializes its output
// (the bias broadcast, on another view of the buffer and with the im2col
// between) and the one that consumes it (the ReLU): the convolution is
// its padding, im2col and one tiled kernel that stores each output once.
// CHECK-LABEL: hcc_k0_conv = {
// CHECK-SAME:    stages = [{{.*}}entry = "k0_conv_s0"{{.*}}entry = "k0_conv_s1"{{.*}}entry = "k0_conv_s2"{{.*}}entry = "k0_conv_s3", global_size = 256 : i64, local_size = 64 : i64}]
module {
  func.func @k0_conv(%x: tensor<1x8x16x16xf32>, %w: tensor<16x8x3x3xf32>, %b: tensor<16xf32>) -> tensor<1x16x16x16xf32> attributes {exec.kernel} {
    %0 = graph.Conv(%x, %w, %b) {pads = [1, 1, 1, 1]} : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>, tensor<16xf32>) -> tensor<1x16x16x16xf32>
    %1 = graph.Relu(%0) : (tensor<1x16x16x16xf32>) -> tensor<1x16x16x16xf32>
    return %1 : tensor<1x16x16x16xf32>
  }
}

// -----

// A residual add after a matmul: one stage, which reads the residual where
// it stores. B (96 x 32, contiguous along n like its tile) is staged 4
// floats at a time.
// OPENCL-LABEL: void k0_mm_add_s0(
// OPENCL:         float4 v{{[0-9]+}} = vload4(
// OPENCL:         vstore4(v{{[0-9]+}},
// CHECK-LABEL: hcc_k0_mm_add = {num_args = 4 : i64, scratch = [], stages = [{args = [0, 1, 2, 3], entry = "k0_mm_add_s0", global_size = 128 : i64, local_size = 128 : i64}]}
module {
  func.func @k0_mm_add(%a: tensor<64x96xf32>, %b: tensor<96x32xf32>, %r: tensor<64x32xf32>) -> tensor<64x32xf32> attributes {exec.kernel} {
    %0 = graph.MatMul(%a, %b) : (tensor<64x96xf32>, tensor<96x32xf32>) -> tensor<64x32xf32>
    %1 = graph.Add(%0, %r) : (tensor<64x32xf32>, tensor<64x32xf32>) -> tensor<64x32xf32>
    return %1 : tensor<64x32xf32>
  }
}

// -----

// The matmul's own result is a kernel output too: the tile kernel stores
// both the product and its ReLU (still one stage).
// OPENCL-LABEL: void k0_mm_two_s0(
// OPENCL:         hcc_gf32 [[PROD:v[0-9]+]] = v5 +
// OPENCL:         hcc_gf32 [[RELU:v[0-9]+]] = v7 +
// OPENCL:         [[PROD]][{{.*}}] = [[V:v[0-9]+]];
// OPENCL-NEXT:    bool [[LT:v[0-9]+]] = [[V]] < {{.*}};
// OPENCL:         float [[R:v[0-9]+]] = {{.*}} ? {{.*}} : [[V]];
// OPENCL:         [[RELU]][{{.*}}] = [[R]];
// CHECK:       hcc_k0_mm_two = {num_args = 4 : i64, scratch = [], stages = [{args = [0, 1, 2, 3], entry = "k0_mm_two_s0"
// CHECK-SAME:    local_size = 128 : i64}]
module {
  func.func @k0_mm_two(%a: tensor<64x96xf32>, %b: tensor<96x32xf32>) -> (tensor<64x32xf32>, tensor<64x32xf32>) attributes {exec.kernel} {
    %0 = graph.MatMul(%a, %b) : (tensor<64x96xf32>, tensor<96x32xf32>) -> tensor<64x32xf32>
    %1 = graph.Relu(%0) : (tensor<64x32xf32>) -> tensor<64x32xf32>
    return %0, %1 : tensor<64x32xf32>, tensor<64x32xf32>
  }
}

// -----

// A long reduction with keepdims: its zero fill and the copy through the
// keepdims view are part of the one reduction stage.
// CHECK-LABEL: hcc_k0_sum = {num_args = 3 : i64, scratch = [], stages = [{args = [0, 2], entry = "k0_sum_s0", global_size = 1024 : i64, local_size = 256 : i64}]}
module {
  func.func @k0_sum(%x: tensor<4x5000xf32>, %axes: tensor<1xi64>) -> tensor<4x1xf32> attributes {exec.kernel} {
    %0 = graph.ReduceSum(%x, %axes) : (tensor<4x5000xf32>, tensor<1xi64>) -> tensor<4x1xf32>
    return %0 : tensor<4x1xf32>
  }
}
