// A 3x3 stride-1 convolution with a constant filter and an output at least
// winograd-min-size (14 here; 28 by default) high and wide runs as Winograd
// F(4x4, 3x3): the filter
// transformed at compile time ([36, F, C]), each channel's input plane
// copied by its own task into a buffer padded to whole 6x6 tiles (4 TH + 2
// = 18 columns for 14 outputs; no padded copy of the whole input), 36 gathers per
// vector of tiles, 36 GEMMs, and 16 masked scatters of 4x4 output tiles
// with the per-channel bias added.
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="winograd-min-size=14 winograd-min-channels=2" --canonicalize | FileCheck %s
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="winograd-min-size=14 winograd-min-channels=2" --canonicalize | FileCheck %s --check-prefix=FUSED
// Below the size, with 0, with a filter that is not a constant or a stride
// of 2, the convolution stays a GEMM over im2col.
// Below winograd-min-size but at least winograd-f2-min-size, F(2x2, 3x3):
// [16, F, C] filters, 4x4 input tiles (16 gathers), 2x2 output tiles (4
// scatters); the input's 18x16 padding already holds 8x7 tiles.
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="winograd-min-size=17 winograd-f2-min-size=7 winograd-min-channels=2" --canonicalize | FileCheck %s --check-prefix=F2
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="winograd-min-size=17 winograd-f2-min-size=15" --canonicalize | FileCheck %s --check-prefix=DIRECT
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="winograd-min-size=0 winograd-f2-min-size=0" --canonicalize | FileCheck %s --check-prefix=DIRECT
// With fewer input channels than winograd-min-channels (8 by default; 2
// here), the GEMMs would be too shallow to pay for the transforms: im2col.
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="winograd-min-size=14" --canonicalize | FileCheck %s --check-prefix=DIRECT
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="winograd-min-size=14 winograd-min-channels=3" --canonicalize | FileCheck %s --check-prefix=DIRECT

// CHECK-LABEL: func.func @winograd
// CHECK-DAG: %[[ORIGINS:.*]] = arith.constant dense<[0, 4, 8, 12, 72, 76, 80, 84, 144, 148, 152, 156, 216, 220, 224, 228]> : tensor<16xi32>
// CHECK-DAG: %[[U:.*]] = arith.constant dense<"0x{{.*}}"> : tensor<36x4x2xf32>
// CHECK-NOT: tensor<1x2x18x18xf32>
// CHECK: scf.forall (%[[C:.*]]) in (2) shared_outs({{.*}}) -> (tensor<36x2x16xf32>)
// CHECK: %[[PLANE:.*]] = tensor.extract_slice %arg0[0, %[[C]], 0, 0] [1, 1, 16, 14] [1, 1, 1, 1] : tensor<1x2x16x14xf32> to tensor<16x14xf32>
// CHECK: tensor.empty() : tensor<18x18xf32>
// CHECK: %[[PADDED:.*]] = tensor.insert_slice %[[PLANE]] into %{{.*}}[1, 1] [16, 14] [1, 1]
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[PADDED]] {{\[}}[0, 1]] : tensor<18x18xf32> into tensor<324xf32>
// CHECK-COUNT-36: vector.gather %[[FLAT]][%{{.*}}]
// CHECK: scf.forall.in_parallel
// CHECK: vector.transfer_read %[[U]]
// CHECK: vector.contract
// CHECK: scf.forall (%[[F:.*]]) in (4) shared_outs({{.*}}) -> (tensor<1x4x16x14xf32>)
// CHECK: %[[BIAS:.*]] = tensor.extract %arg1[%[[F]]] : tensor<4xf32>
// CHECK-COUNT-16: vector.scatter
// CHECK: scf.forall.in_parallel
// CHECK-NOT: linalg.generic

// CHECK-LABEL: func.func @strided
// CHECK-NOT: vector.gather

// CHECK-LABEL: func.func @filter_argument
// CHECK-NOT: vector.gather

// F2-LABEL: func.func @winograd
// F2-DAG: arith.constant dense<[0, 2, 4, 6, 8, 10, 12, 32, 34, {{.*}}]> : tensor<64xi32>
// F2-DAG: %[[U:.*]] = arith.constant dense<"0x{{.*}}"> : tensor<16x4x2xf32>
// F2: scf.forall (%{{.*}}) in (2) shared_outs({{.*}}) -> (tensor<16x2x64xf32>)
// F2: %[[FLAT:.*]] = tensor.collapse_shape {{.*}} : tensor<18x16xf32> into tensor<288xf32>
// F2-COUNT-16: vector.gather %[[FLAT]]
// F2-NOT: vector.gather
// F2: vector.transfer_read %[[U]]
// F2: scf.forall (%{{.*}}) in (4) shared_outs({{.*}}) -> (tensor<1x4x16x14xf32>)
// F2-COUNT-4: vector.scatter
// F2-NOT: vector.scatter
// F2: scf.forall.in_parallel

// The elementwise consumer (a residual add and a Relu) joins the output
// transform: the residual is gathered like the tile's outputs (16 more
// gathers), the body runs on vectors before each scatter.
// CHECK-LABEL: func.func @winograd_add_relu
// CHECK-COUNT-36: vector.gather
// CHECK: vector.contract
// CHECK: scf.forall (%[[G:.*]]) in (4) shared_outs({{.*}}) -> (tensor<1x4x16x16xf32>)
// CHECK: %[[RS:.*]] = tensor.extract_slice %arg1[0, %[[G]], 0, 0] [1, 1, 16, 16]
// CHECK: %[[RES:.*]] = tensor.collapse_shape %[[RS]]
// CHECK-COUNT-16: vector.gather %[[RES]]
// CHECK: scf.forall.in_parallel
// CHECK-NOT: linalg.generic
// FUSED-LABEL: func.func @winograd_add_relu
// FUSED: scf.forall (%{{.*}}) in (4)
// FUSED-COUNT-16: arith.maximumf {{.*}} : vector<16xf32>
// FUSED: scf.forall.in_parallel

// DIRECT-LABEL: func.func @winograd
// DIRECT-NOT: vector.gather
// DIRECT-NOT: vector.scatter
// DIRECT: return

#map = affine_map<(d0, d1, d2, d3) -> (d1)>
#map1 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @winograd(%x: tensor<1x2x16x14xf32>, %b: tensor<4xf32>) -> tensor<1x4x16x14xf32> {
  %w = arith.constant dense<1.0> : tensor<4x2x3x3xf32>
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x2x16x14xf32> to tensor<1x2x18x16xf32>
  %e = tensor.empty() : tensor<1x4x16x14xf32>
  %init = linalg.generic {indexing_maps = [#map, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%b : tensor<4xf32>) outs(%e : tensor<1x4x16x14xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x4x16x14xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %w : tensor<1x2x18x16xf32>, tensor<4x2x3x3xf32>) outs(%init : tensor<1x4x16x14xf32>) -> tensor<1x4x16x14xf32>
  return %c : tensor<1x4x16x14xf32>
}

func.func @strided(%x: tensor<1x2x34x34xf32>) -> tensor<1x4x16x16xf32> {
  %w = arith.constant dense<1.0> : tensor<4x2x3x3xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x16x16xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x16x16xf32>) -> tensor<1x4x16x16xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x2x34x34xf32>, tensor<4x2x3x3xf32>) outs(%init : tensor<1x4x16x16xf32>) -> tensor<1x4x16x16xf32>
  return %c : tensor<1x4x16x16xf32>
}

func.func @filter_argument(%x: tensor<1x2x18x18xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<1x4x16x16xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x16x16xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x16x16xf32>) -> tensor<1x4x16x16xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x2x18x18xf32>, tensor<4x2x3x3xf32>) outs(%init : tensor<1x4x16x16xf32>) -> tensor<1x4x16x16xf32>
  return %c : tensor<1x4x16x16xf32>
}

func.func @winograd_add_relu(%x: tensor<1x2x16x16xf32>, %r: tensor<1x4x16x16xf32>) -> tensor<1x4x16x16xf32> {
  %w = arith.constant dense<1.0> : tensor<4x2x3x3xf32>
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x2x16x16xf32> to tensor<1x2x18x18xf32>
  %e = tensor.empty() : tensor<1x4x16x16xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x16x16xf32>) -> tensor<1x4x16x16xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %w : tensor<1x2x18x18xf32>, tensor<4x2x3x3xf32>) outs(%init : tensor<1x4x16x16xf32>) -> tensor<1x4x16x16xf32>
  %y = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c, %r : tensor<1x4x16x16xf32>, tensor<1x4x16x16xf32>) outs(%e : tensor<1x4x16x16xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %s = arith.addf %a, %b : f32
    %m = arith.maximumf %s, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x4x16x16xf32>
  return %y : tensor<1x4x16x16xf32>
}

// An unpadded input whose planes already cover whole tiles (18 x 18 for
// 16 x 16 outputs) is gathered from in place: no copy.
// CHECK-LABEL: func.func @winograd_in_place
// CHECK: scf.forall (%[[C:.*]]) in (2) shared_outs({{.*}}) -> (tensor<36x2x16xf32>)
// CHECK-NOT: tensor.empty() : tensor<18x18xf32>
// CHECK: %[[PLANE:.*]] = tensor.extract_slice %arg0[0, %[[C]], 0, 0] [1, 1, 18, 18] [1, 1, 1, 1] : tensor<1x2x18x18xf32> to tensor<18x18xf32>
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[PLANE]] {{\[}}[0, 1]] : tensor<18x18xf32> into tensor<324xf32>
// CHECK-COUNT-36: vector.gather %[[FLAT]][%{{.*}}]
func.func @winograd_in_place(%x: tensor<1x2x18x18xf32>) -> tensor<1x4x16x16xf32> {
  %w = arith.constant dense<1.0> : tensor<4x2x3x3xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x16x16xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x16x16xf32>) -> tensor<1x4x16x16xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x2x18x18xf32>, tensor<4x2x3x3xf32>) outs(%init : tensor<1x4x16x16xf32>) -> tensor<1x4x16x16xf32>
  return %c : tensor<1x4x16x16xf32>
}
