// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="unpacked-row-bytes=0 tile-m=8 tile-n=32 tile-k=4 distribute=false flat-depthwise-max-width=0" --canonicalize | FileCheck %s
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="unpacked-row-bytes=0 distribute=false flat-depthwise-max-width=0 wide-tile-max-acc=0" --canonicalize | FileCheck %s --check-prefix=NARROW
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="unpacked-row-bytes=0 distribute=false flat-depthwise-max-width=0" --canonicalize \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" \
// RUN:   --hcc-cpu-lower-vectors --canonicalize | FileCheck %s --check-prefix=LOWER
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="unpacked-row-bytes=0 distribute=false flat-depthwise-max-width=0" --canonicalize \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" \
// RUN:   --hcc-cpu-lower-copies --hcc-cpu-lower-vectors | FileCheck %s --check-prefix=DW

// A matmul becomes N x M loops of 8x32 register tiles with a K loop of
// 4-step vector.contracts; the accumulator stays in registers (iter_args).
// CHECK-LABEL: func.func @matmul
// CHECK:       scf.for {{.*}} step %c32
// CHECK:         scf.for {{.*}} step %c8
// CHECK:           scf.for {{.*}} step %c4
// CHECK:             vector.contract {{.*}} vector<8x4xf32>, vector<4x32xf32> into vector<8x32xf32>
// LOWER-LABEL: func.func @matmul
// LOWER:         scf.for
// LOWER:           vector.fma {{.*}} : vector<32xf32>
// LOWER-NOT:       vector.contract
func.func @matmul(%a: tensor<64x128xf32>, %b: tensor<128x96xf32>,
                  %c: tensor<64x96xf32>) -> tensor<64x96xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<64x128xf32>, tensor<128x96xf32>)
                     outs(%c : tensor<64x96xf32>) -> tensor<64x96xf32>
  return %0 : tensor<64x96xf32>
}

// Remainders become static tiles: 50 = 48 + 2 columns (split; the 16
// columns past the 32-column tile widen it into one 8 x 48 register tile,
// three vectors per row: wide-tile-max-acc), 10 = 8 + 2 rows of it (its
// 24 accumulators allow no more), one tile of all 10 rows for the 2 columns
// (not 8 + 2: a short last tile costs about a full one), and 6 = 4 + 2
// reduction steps (peeled); no masks and no linalg op is left behind. The
// 48-lane tiles are split into one-row, one-step products of 16 lanes, K
// outermost, so each broadcast of A meets its row's three vectors at once.
// CHECK-LABEL: func.func @matmul_remainders
// CHECK-NOT:     vector.mask
// CHECK-NOT:     linalg.
// CHECK-NOT:     vector<8x48xf32> into
// CHECK-DAG:     vector<1x1xf32>, vector<1x16xf32> into vector<1x16xf32>
// CHECK-DAG:     vector<10x4xf32>, vector<4x2xf32> into vector<10x2xf32>
// CHECK-DAG:     vector<10x2xf32>, vector<2x2xf32> into vector<10x2xf32>
// CHECK-NOT:     vector.mask
// CHECK-NOT:     linalg.
// CHECK:       return
// wide-tile-max-acc=0: 50 = 32 + 16 + 2.
// NARROW-LABEL: func.func @matmul_remainders
// NARROW-DAG:     vector<8x4xf32>, vector<4x32xf32> into vector<8x32xf32>
// NARROW-DAG:     vector<8x4xf32>, vector<4x16xf32> into vector<8x16xf32>
// NARROW:       return
func.func @matmul_remainders(%a: tensor<10x6xf32>, %b: tensor<6x50xf32>,
                             %c: tensor<10x50xf32>) -> tensor<10x50xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<10x6xf32>, tensor<6x50xf32>)
                     outs(%c : tensor<10x50xf32>) -> tensor<10x50xf32>
  return %0 : tensor<10x50xf32>
}

// A 3x3 convolution goes through im2col into the same micro-kernels; the
// im2col matrix is built from input rows (slice copies), not element gathers.
// CHECK-LABEL: func.func @conv
// CHECK:         scf.for
// CHECK:           tensor.extract_slice %arg0{{.*}} [1, 1, 1, 8] [1, 1, 1, 1]
// CHECK:         tensor.collapse_shape {{.*}} tensor<1x8x3x3x8x8xf32> into tensor<1x72x64xf32>
// CHECK:         vector.contract
// CHECK-NOT:     linalg.
func.func @conv(%x: tensor<1x8x10x10xf32>, %w: tensor<16x8x3x3xf32>,
                %init: tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32> {
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>,
                                 strides = dense<1> : vector<2xi64>}
         ins(%x, %w : tensor<1x8x10x10xf32>, tensor<16x8x3x3xf32>)
         outs(%init : tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
  return %0 : tensor<1x16x8x8xf32>
}

// Elementwise ops are vectorized a row at a time; trailing loops narrower
// than four vectors are collapsed first (4 x 24: rows of 96 lanes).
// CHECK-LABEL: func.func @relu
// CHECK:         tensor.collapse_shape %{{.*}} {{\[}}[0], [1, 2]] : tensor<2x4x24xf32> into tensor<2x96xf32>
// CHECK:         scf.for
// CHECK-COUNT-6:   arith.maximumf {{.*}} : vector<1x16xf32>
#id = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
func.func @relu(%x: tensor<2x4x24xf32>) -> tensor<2x4x24xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x4x24xf32>
  %0 = linalg.generic {indexing_maps = [#id, #id],
                       iterator_types = ["parallel", "parallel", "parallel"]}
         ins(%x : tensor<2x4x24xf32>) outs(%e : tensor<2x4x24xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<2x4x24xf32>
  return %0 : tensor<2x4x24xf32>
}

// A per-channel scale (squeeze-and-excitation) of a 14x14 map: the scale's
// unit dims are dropped, then the map's rows of 14 become one row of 196
// per channel (rows of 14 were left scalar).
// CHECK-LABEL: func.func @channel_scale
// CHECK:         tensor.collapse_shape %{{.*}} : tensor<1x8x14x14xf32> into tensor<8x196xf32>
// CHECK:         scf.for
// CHECK:           vector.broadcast {{.*}} : vector<1xf32> to vector<1x196xf32>
// CHECK:           arith.mulf {{.*}} : vector<1x196xf32>
#nchw = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#chan = affine_map<(d0, d1, d2, d3) -> (d0, d1, 0, 0)>
func.func @channel_scale(%x: tensor<1x8x14x14xf32>, %s: tensor<1x8x1x1xf32>)
    -> tensor<1x8x14x14xf32> {
  %e = tensor.empty() : tensor<1x8x14x14xf32>
  %y = linalg.generic {indexing_maps = [#nchw, #chan, #nchw],
                       iterator_types = ["parallel", "parallel", "parallel",
                                         "parallel"]}
      ins(%x, %s : tensor<1x8x14x14xf32>, tensor<1x8x1x1xf32>)
      outs(%e : tensor<1x8x14x14xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.mulf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<1x8x14x14xf32>
  return %y : tensor<1x8x14x14xf32>
}

// A payload with a math call keeps its rows (libm calls per element expect
// the tiling's row shapes): no collapse.
// CHECK-LABEL: func.func @math_rows_kept
// CHECK-NOT:     tensor.collapse_shape
// CHECK:         math.acosh
// CHECK:         return
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
func.func @math_rows_kept(%x: tensor<3x4x5xf32>) -> tensor<3x4x5xf32> {
  %e = tensor.empty() : tensor<3x4x5xf32>
  %y = linalg.generic {indexing_maps = [#id3, #id3],
                       iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x : tensor<3x4x5xf32>) outs(%e : tensor<3x4x5xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = math.acosh %a : f32
    linalg.yield %m : f32
  } -> tensor<3x4x5xf32>
  return %y : tensor<3x4x5xf32>
}

// Exp (like log, tanh and erf) becomes a polynomial in vectors: a SiLU of
// a 14x14 map is collapsed too, into rows of 196.
// CHECK-LABEL: func.func @silu_rows_collapsed
// CHECK:         tensor.collapse_shape %{{.*}} : tensor<1x8x14x14xf32> into tensor<1x8x196xf32>
// CHECK:         math.exp {{.*}} : vector<
// CHECK:         return
func.func @silu_rows_collapsed(%x: tensor<1x8x14x14xf32>)
    -> tensor<1x8x14x14xf32> {
  %e = tensor.empty() : tensor<1x8x14x14xf32>
  %y = linalg.generic {indexing_maps = [#nchw, #nchw],
                       iterator_types = ["parallel", "parallel", "parallel",
                                         "parallel"]}
      ins(%x : tensor<1x8x14x14xf32>) outs(%e : tensor<1x8x14x14xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = arith.negf %a : f32
    %x1 = math.exp %n : f32
    %one = arith.constant 1.0 : f32
    %d = arith.addf %x1, %one : f32
    %s = arith.divf %a, %d : f32
    linalg.yield %s : f32
  } -> tensor<1x8x14x14xf32>
  return %y : tensor<1x8x14x14xf32>
}

// Row by row (flat-depthwise-max-width=0), a depthwise convolution becomes
// one row multiply-add per (channel, output
// row, kernel tap); a stride-2 row reads its input through a strided slice.
// CHECK-LABEL: func.func @depthwise
// CHECK:         scf.for
// CHECK:           tensor.extract_slice {{.*}} [8] [2] : tensor<15xf32> to tensor<8xf32>
// CHECK:           arith.mulf {{.*}} : vector<8xf32>
// CHECK:           arith.addf {{.*}} : vector<8xf32>
// CHECK-NOT:     linalg.
// After bufferization the stride-2 read is a contiguous read + deinterleave.
// DW-LABEL: func.func @depthwise
// DW:         vector.transfer_read {{.*}} : memref<15xf32, {{.*}}>, vector<16xf32>
// DW:         vector.deinterleave {{.*}} : vector<16xf32> -> vector<8xf32>
func.func @depthwise(%x: tensor<1x4x18x18xf32>, %w: tensor<4x3x3xf32>,
                     %init: tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32> {
  %0 = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : vector<2xi64>,
                                          strides = dense<2> : vector<2xi64>}
         ins(%x, %w : tensor<1x4x18x18xf32>, tensor<4x3x3xf32>)
         outs(%init : tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  return %0 : tensor<1x4x8x8xf32>
}
