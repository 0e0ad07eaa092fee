// RUN: hcc-opt %s --split-input-file --hcc-cpu-tile-and-vectorize=distribute=false --canonicalize | FileCheck %s
// RUN: hcc-opt %s --split-input-file --hcc-cpu-tile-and-vectorize=distribute=false --canonicalize \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" \
// RUN:   --hcc-cpu-lower-vectors=int8-dot=vnni | FileCheck %s --check-prefix=VNNI
// RUN: hcc-opt %s --split-input-file --hcc-cpu-tile-and-vectorize=distribute=false --canonicalize \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" \
// RUN:   --hcc-cpu-lower-vectors=int8-dot=portable | FileCheck %s --check-prefix=PORTABLE
// RUN: not hcc-opt %s --split-input-file --hcc-cpu-lower-vectors=int8-dot=avx 2>&1 | FileCheck %s --check-prefix=BAD

// The 4-deep uint8 x int8 contraction of a quantized convolution: K blocks
// of 64 quads (64 + 16 here), 64-pixel tiles (64 + a 6-pixel remainder)
// and 4-channel tiles; each tile reads 16 pixels x 4 bytes as one 64-byte
// vector and accumulates 16 x 4-byte dot products per channel in
// registers across its K loop.
// (Loops of one iteration are folded away.)
// CHECK-LABEL: func.func @dot4
// CHECK:       scf.for {{.*}} to %c8 step %c4
// CHECK:       vector.transfer_read {{.*}} vector<16xi32>
// CHECK:       scf.for {{.*}} to %c64 step %c1 {{.*}} -> (vector<16xi32>,
// CHECK:       vector.transfer_read {{.*}} : tensor<1x64x256xi8>, vector<64xi8>
// CHECK:       vector.transfer_read {{.*}} vector<4xi8>
// CHECK:       arith.extui {{.*}} : vector<16x4xi8> to vector<16x4xi32>
// CHECK:       vector.contract {{.*}} : vector<16x4xi32>, vector<4xi32> into vector<16xi32>
// The remainder pixels: a 6-lane tile; then the K remainder (16 quads).
// CHECK:       vector.contract {{.*}} : vector<6x4xi32>, vector<4xi32> into vector<6xi32>
// CHECK:       scf.for {{.*}} to %c16 step %c1 {{.*}} -> (vector<16xi32>,
// With VNNI, each 16-lane dot product is one vpdpbusd; the 6-lane ones are
// vector code either way.
// VNNI-LABEL:  func.func @dot4
// VNNI:        llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"({{.*}}) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
// PORTABLE-LABEL: func.func @dot4
// PORTABLE-NOT: llvm.call_intrinsic
// BAD: int8-dot must be 'auto', 'vnni' or 'portable', not 'avx'
func.func @dot4(%x: tensor<1x80x70x4xi8>, %w: tensor<8x80x4xi8>, %acc: tensor<1x8x70xi32>) -> tensor<1x8x70xi32> {
  %0 = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4) -> (d0, d3, d2, d4)>, affine_map<(d0, d1, d2, d3, d4) -> (d1, d3, d4)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%x, %w : tensor<1x80x70x4xi8>, tensor<8x80x4xi8>) outs(%acc : tensor<1x8x70xi32>) {
  ^bb0(%a: i8, %b: i8, %c: i32):
    %1 = arith.extui %a : i8 to i32
    %2 = arith.extsi %b : i8 to i32
    %3 = arith.muli %1, %2 : i32
    %4 = arith.addi %c, %3 : i32
    linalg.yield %4 : i32
  } -> tensor<1x8x70xi32>
  return %0 : tensor<1x8x70xi32>
}

// -----

// Its im2col copy (quads of k = (c, kh, kw) of a 3x3 stride-2 window)
// becomes rows: per (quad, image, output row) the 4 source rows are read
// as 1-D vectors (twice the width: stride 2), every other byte kept, and
// interleaved into 4-byte quads written as one vector.
// CHECK-LABEL: func.func @im2col
// CHECK:       scf.for {{.*}} to %c9
// CHECK:       scf.for {{.*}} to %c4
// CHECK:       vector.transfer_read {{.*}} : tensor<1x4x9x9xi8>, vector<8xi8>
// CHECK:       vector.shuffle {{.*}} [0, 2, 4, 6] : vector<8xi8>, vector<8xi8>
// CHECK:       vector.interleave {{.*}} : vector<4xi8> -> vector<8xi8>
// CHECK:       vector.shuffle {{.*}} [0, 1, 8, 9, 2, 3, 10, 11, 4, 5, 12, 13, 6, 7, 14, 15] : vector<8xi8>, vector<8xi8>
// CHECK:       vector.transfer_write {{.*}} : vector<16xi8>, tensor<1x1x4x16xi8>
func.func @im2col(%xpad: tensor<1x4x9x9xi8>, %w: tensor<8x9x4xi8>, %acc: tensor<1x8x16xi32>) -> tensor<1x8x16xi32> {
  %e = tensor.empty() : tensor<1x9x4x4x4xi8>
  %cols = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4) -> (d0, (d1 * 4 + d4) floordiv 9, d2 * 2 + ((d1 * 4 + d4) mod 9) floordiv 3, d3 * 2 + (d1 * 4 + d4) mod 3)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%xpad : tensor<1x4x9x9xi8>) outs(%e : tensor<1x9x4x4x4xi8>) {
  ^bb0(%a: i8, %b: i8):
    linalg.yield %a : i8
  } -> tensor<1x9x4x4x4xi8>
  %c = tensor.collapse_shape %cols [[0], [1], [2, 3], [4]] : tensor<1x9x4x4x4xi8> into tensor<1x9x16x4xi8>
  %0 = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4) -> (d0, d3, d2, d4)>, affine_map<(d0, d1, d2, d3, d4) -> (d1, d3, d4)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%c, %w : tensor<1x9x16x4xi8>, tensor<8x9x4xi8>) outs(%acc : tensor<1x8x16xi32>) {
  ^bb0(%a: i8, %b: i8, %o: i32):
    %1 = arith.extui %a : i8 to i32
    %2 = arith.extsi %b : i8 to i32
    %3 = arith.muli %1, %2 : i32
    %4 = arith.addi %o, %3 : i32
    linalg.yield %4 : i32
  } -> tensor<1x8x16xi32>
  return %0 : tensor<1x8x16xi32>
}
