// A register tile that reads a constant of the kernel (packed weights) in
// its K loop prefetches it prefetch-kib ahead into L2 (locality 2), one
// prefetch per cache line the read covers (4 rows x 128 bytes: 8); reads
// of other buffers get none.
// RUN: hcc-opt %s --hcc-cpu-lower-vectors="prefetch-kib=1" | FileCheck %s
// RUN: hcc-opt %s --hcc-cpu-lower-vectors="prefetch-kib=0" | FileCheck %s --check-prefix=OFF
// RUN: not hcc-opt %s --hcc-cpu-lower-vectors="prefetch-kib=-1" 2>&1 | FileCheck %s --check-prefix=RANGE

// The prefetched index is clamped so that the last line stays inside the
// constant (2 x 64 x 32 = 4096 elements; the last line's offset is 3 * 32
// + 16 = 112 past the first: 4096 - 1 - 112 = 3983), 1 KiB (256 elements)
// ahead.
// CHECK-LABEL: func.func @stream
// CHECK-DAG:   %[[LAST:.*]] = arith.constant 3983 : index
// CHECK-DAG:   %[[AHEAD:.*]] = arith.constant 256 : index
// CHECK:       scf.for
// CHECK:         %[[AT:.*]] = arith.addi {{.*}}, %[[AHEAD]] : index
// CHECK:         %[[FIRST:.*]] = arith.minsi %[[AT]], %[[LAST]] : index
// CHECK-COUNT-8: memref.prefetch {{.*}}[{{.*}}], read, locality<2>, data : memref<4096xf32>
// CHECK-NOT:     memref.prefetch
// CHECK:       return
// OFF-NOT:     memref.prefetch
// RANGE:       error: {{.*}}prefetch-kib{{.*}}
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
