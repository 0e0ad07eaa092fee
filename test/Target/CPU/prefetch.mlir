// A register tile that reads a constant of the kernel (packed weights) in
// its K loop prefetches it into L2 (locality 2); reads of other buffers get
// none. A contiguous panel (each K step reads the next rows of one
// block) gets the next K block prefetched, each register tile of the block
// its share; other reads (and all with prefetch-next-block=0) prefetch-kib
// ahead, one prefetch per cache line the read covers (4 rows x 128 bytes:
// 8).
// RUN: hcc-opt %s --hcc-cpu-lower-vectors | FileCheck %s
// RUN: hcc-opt %s --hcc-cpu-lower-vectors="prefetch-kib=1 prefetch-next-block=0" | FileCheck %s --check-prefix=AHEAD
// RUN: hcc-opt %s --hcc-cpu-lower-vectors="prefetch-kib=0" | FileCheck %s --check-prefix=OFF
// RUN: not hcc-opt %s --hcc-cpu-lower-vectors="prefetch-kib=-1" 2>&1 | FileCheck %s --check-prefix=RANGE
// RUN: not hcc-opt %s --hcc-cpu-lower-vectors="prefetch-next-block=2" 2>&1 | FileCheck %s --check-prefix=RANGE2

// With prefetch-next-block=0 the prefetched index is clamped so that the
// last line stays inside the constant (2 x 64 x 32 = 4096 elements; the
// last line's offset is 3 * 32 + 16 = 112 past the first: 4096 - 1 - 112 =
// 3983), 1 KiB (256 elements) ahead.
// AHEAD-LABEL: func.func @stream
// AHEAD-DAG:   %[[LAST:.*]] = arith.constant 3983 : index
// AHEAD-DAG:   %[[AHEAD:.*]] = arith.constant 256 : index
// AHEAD:       scf.for
// AHEAD:         %[[AT:.*]] = arith.addi {{.*}}, %[[AHEAD]] : index
// AHEAD:         %[[FIRST:.*]] = arith.minsi %[[AT]], %[[LAST]] : index
// AHEAD-COUNT-8: memref.prefetch {{.*}}[{{.*}}], read, locality<2>, data : memref<4096xf32>
// AHEAD-NOT:     memref.prefetch
// AHEAD:       return
// OFF-NOT:     memref.prefetch
// RANGE:       error: {{.*}}prefetch-kib{{.*}}
// RANGE2:      error: {{.*}}prefetch-next-block{{.*}}

// One register tile alone reads its block (16 K steps of 4 rows of 32:
// 2048 elements): it prefetches the next block, one block ahead (8 lines
// per step, clamped to the last whole share: 4096 - 128 = 3968).
// CHECK-LABEL: func.func @stream
// CHECK-DAG:   %[[BLOCK:.*]] = arith.constant 2048 : index
// CHECK-DAG:   %[[LAST:.*]] = arith.constant 3968 : index
// CHECK:       scf.for
// CHECK:         %[[AT:.*]] = arith.addi {{.*}} : index
// CHECK:         %[[NEXT:.*]] = arith.addi %[[AT]], %[[BLOCK]] : index
// CHECK:         arith.minsi %[[NEXT]], %[[LAST]] : index
// CHECK-COUNT-8: memref.prefetch {{.*}}, read, locality<2>, data : memref<4096xf32>
// CHECK-NOT:     memref.prefetch
// CHECK:       return
memref.global "private" constant @w : memref<2x64x32xf32> = dense<1.0>
func.func @stream(%a: memref<8x64xf32>, %c: memref<8x32xf32>) {
  %w = memref.get_global @w : memref<2x64x32xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c64 = arith.constant 64 : index
  %f0 = arith.constant 0.0 : f32
  %init = vector.transfer_read %c[%c0, %c0], %f0 {in_bounds = [true, true]} : memref<8x32xf32>, vector<8x32xf32>
  %r = scf.for %k = %c0 to %c64 step %c4 iter_args(%acc = %init) -> vector<8x32xf32> {
    %av = vector.transfer_read %a[%c0, %k], %f0 {in_bounds = [true, true]} : memref<8x64xf32>, vector<8x4xf32>
    %bv = vector.transfer_read %w[%c1, %k, %c0], %f0 {in_bounds = [true, true]} : memref<2x64x32xf32>, vector<4x32xf32>
    %n = vector.contract {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %av, %bv, %acc : vector<8x4xf32>, vector<4x32xf32> into vector<8x32xf32>
    scf.yield %n : vector<8x32xf32>
  }
  vector.transfer_write %r, %c[%c0, %c0] {in_bounds = [true, true]} : vector<8x32xf32>, memref<8x32xf32>
  return
}

// Four register tiles (the loop around the K loop, which does not move the
// read) share the block (128 lines): each K step of tile r prefetches 2
// lines (32 elements) of the next block, at (r * 16 + j) * 32 past its
// start; the step's own read moves 128 elements (at - j * 128 is the
// block's start): next = at + 2048 + j * (32 - 128) + r * 16 * 32.
// CHECK-LABEL: func.func @tiles_share
// CHECK-DAG:   %[[BLOCK:.*]] = arith.constant 2048 : index
// CHECK-DAG:   %[[BACK:.*]] = arith.constant -96 : index
// CHECK-DAG:   %[[TILE:.*]] = arith.constant 512 : index
// CHECK-DAG:   %[[LAST:.*]] = arith.constant 4064 : index
// CHECK:       scf.for %[[M:.*]] = %{{.*}} to %{{.*}} step %[[MSTEP:[^ ]*]]
// CHECK:         scf.for %[[K:.*]] = %{{.*}} to %{{.*}} step %[[KSTEP:[^ ]*]]
// CHECK:           %[[J:.*]] = arith.divsi {{.*}}, %[[KSTEP]] : index
// CHECK:           %[[AT0:.*]] = arith.addi {{.*}}, %[[BLOCK]] : index
// CHECK:           %[[JB:.*]] = arith.muli %[[J]], %[[BACK]] : index
// CHECK:           %[[AT1:.*]] = arith.addi %[[AT0]], %[[JB]] : index
// CHECK:           %[[R:.*]] = arith.divsi {{.*}}, %[[MSTEP]] : index
// CHECK:           %[[RT:.*]] = arith.muli %[[R]], %[[TILE]] : index
// CHECK:           %[[AT2:.*]] = arith.addi %[[AT1]], %[[RT]] : index
// CHECK:           arith.minsi %[[AT2]], %[[LAST]] : index
// CHECK-COUNT-2:   memref.prefetch {{.*}}, read, locality<2>, data : memref<4096xf32>
// CHECK-NOT:       memref.prefetch
// CHECK:       return
func.func @tiles_share(%a: memref<32x64xf32>, %c: memref<32x32xf32>) {
  %w = memref.get_global @w : memref<2x64x32xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  %f0 = arith.constant 0.0 : f32
  scf.for %m = %c0 to %c32 step %c8 {
    %init = vector.transfer_read %c[%m, %c0], %f0 {in_bounds = [true, true]} : memref<32x32xf32>, vector<8x32xf32>
    %r = scf.for %k = %c0 to %c64 step %c4 iter_args(%acc = %init) -> vector<8x32xf32> {
      %av = vector.transfer_read %a[%m, %k], %f0 {in_bounds = [true, true]} : memref<32x64xf32>, vector<8x4xf32>
      %bv = vector.transfer_read %w[%c1, %k, %c0], %f0 {in_bounds = [true, true]} : memref<2x64x32xf32>, vector<4x32xf32>
      %n = vector.contract {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %av, %bv, %acc : vector<8x4xf32>, vector<4x32xf32> into vector<8x32xf32>
      scf.yield %n : vector<8x32xf32>
    }
    vector.transfer_write %r, %c[%m, %c0] {in_bounds = [true, true]} : vector<8x32xf32>, memref<32x32xf32>
  }
  return
}

// A column tile of an unpacked constant (rows of 64, the tile reads 32 of
// each) is no contiguous panel: prefetch-kib (24 KiB: 6144 elements) ahead,
// a prefetch per line of the read.
// CHECK-LABEL: func.func @panel_with_gaps
// CHECK-DAG:   %[[DIST:.*]] = arith.constant 6144 : index
// CHECK:       scf.for
// CHECK:         arith.addi {{.*}}, %[[DIST]] : index
// CHECK-COUNT-8: memref.prefetch {{.*}}, read, locality<2>, data : memref<8192xf32>
// CHECK-NOT:     memref.prefetch
// CHECK:       return
memref.global "private" constant @wide : memref<128x64xf32> = dense<1.0>
func.func @panel_with_gaps(%a: memref<8x128xf32>, %c: memref<8x32xf32>) {
  %w = memref.get_global @wide : memref<128x64xf32>
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c128 = arith.constant 128 : index
  %f0 = arith.constant 0.0 : f32
  %init = vector.transfer_read %c[%c0, %c0], %f0 {in_bounds = [true, true]} : memref<8x32xf32>, vector<8x32xf32>
  %r = scf.for %k = %c0 to %c128 step %c4 iter_args(%acc = %init) -> vector<8x32xf32> {
    %av = vector.transfer_read %a[%c0, %k], %f0 {in_bounds = [true, true]} : memref<8x128xf32>, vector<8x4xf32>
    %bv = vector.transfer_read %w[%k, %c0], %f0 {in_bounds = [true, true]} : memref<128x64xf32>, vector<4x32xf32>
    %n = vector.contract {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %av, %bv, %acc : vector<8x4xf32>, vector<4x32xf32> into vector<8x32xf32>
    scf.yield %n : vector<8x32xf32>
  }
  vector.transfer_write %r, %c[%c0, %c0] {in_bounds = [true, true]} : vector<8x32xf32>, memref<8x32xf32>
  return
}
