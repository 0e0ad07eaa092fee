// A register tile whose K loop takes far-apart rows of an activation (not
// a constant) one after another, at a column tile the loop does not move,
// prefetches the same rows row-prefetch-cols columns further on into L2
// (locality 2), one prefetch per cache line the read covers (4 rows x 128
// bytes: 8). Rows closer than 1 KiB, and K loops of fewer than 32 rows,
// get none.
// RUN: hcc-opt %s --hcc-cpu-lower-vectors="row-prefetch-cols=64 prefetch-kib=0" | FileCheck %s
// RUN: hcc-opt %s --hcc-cpu-lower-vectors="row-prefetch-cols=0 prefetch-kib=0" | FileCheck %s --check-prefix=OFF
// RUN: not hcc-opt %s --hcc-cpu-lower-vectors="row-prefetch-cols=-1" 2>&1 | FileCheck %s --check-prefix=RANGE

// 128 rows of 3025 columns (12100 bytes apart): the prefetched index is
// the read's first element 64 columns on, clamped so that the last line
// (3 rows and 16 columns past the first) stays inside the 387200-element
// buffer: 387200 - 1 - (3 * 3025 + 16) = 378108.
// CHECK-LABEL: func.func @far_rows
// CHECK-DAG:   %[[LAST:.*]] = arith.constant 378108 : index
// CHECK-DAG:   %[[AHEAD:.*]] = arith.constant 64 : index
// CHECK:       scf.for
// CHECK:         %[[AT:.*]] = arith.addi {{.*}}, %[[AHEAD]] : index
// CHECK:         %[[FIRST:.*]] = arith.minsi %[[AT]], %[[LAST]] : index
// CHECK-COUNT-8: memref.prefetch {{.*}}[{{.*}}], read, locality<2>, data : memref<387200xf32>
// CHECK-NOT:     memref.prefetch
// CHECK:       return
// OFF-NOT:     memref.prefetch
// RANGE:       error: {{.*}}row-prefetch-cols{{.*}}
func.func @far_rows(%w: memref<16x128xf32>, %x: memref<1x128x3025xf32>, %c: memref<1x8x32xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c128 = arith.constant 128 : index
  %f0 = arith.constant 0.0 : f32
  %init = vector.transfer_read %c[%c0, %c0, %c0], %f0 {in_bounds = [true, true, true]} : memref<1x8x32xf32>, vector<1x8x32xf32>
  %r = scf.for %k = %c0 to %c128 step %c4 iter_args(%acc = %init) -> vector<1x8x32xf32> {
    %av = vector.transfer_read %w[%c0, %k], %f0 {in_bounds = [true, true]} : memref<16x128xf32>, vector<8x4xf32>
    %bv = vector.transfer_read %x[%c0, %k, %n], %f0 {in_bounds = [true, true, true]} : memref<1x128x3025xf32>, vector<1x4x32xf32>
    %m = vector.contract {indexing_maps = [affine_map<(b, m, n, k) -> (m, k)>, affine_map<(b, m, n, k) -> (b, k, n)>, affine_map<(b, m, n, k) -> (b, m, n)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"], kind = #vector.kind<add>} %av, %bv, %acc : vector<8x4xf32>, vector<1x4x32xf32> into vector<1x8x32xf32>
    scf.yield %m : vector<1x8x32xf32>
  }
  vector.transfer_write %r, %c[%c0, %c0, %c0] {in_bounds = [true, true, true]} : vector<1x8x32xf32>, memref<1x8x32xf32>
  return
}

// Rows 784 bytes apart share pages: the hardware prefetchers follow them.
// CHECK-LABEL: func.func @near_rows
// CHECK-NOT:   memref.prefetch
// CHECK:       return
func.func @near_rows(%w: memref<16x128xf32>, %x: memref<1x128x196xf32>, %c: memref<1x8x32xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c128 = arith.constant 128 : index
  %f0 = arith.constant 0.0 : f32
  %init = vector.transfer_read %c[%c0, %c0, %c0], %f0 {in_bounds = [true, true, true]} : memref<1x8x32xf32>, vector<1x8x32xf32>
  %r = scf.for %k = %c0 to %c128 step %c4 iter_args(%acc = %init) -> vector<1x8x32xf32> {
    %av = vector.transfer_read %w[%c0, %k], %f0 {in_bounds = [true, true]} : memref<16x128xf32>, vector<8x4xf32>
    %bv = vector.transfer_read %x[%c0, %k, %n], %f0 {in_bounds = [true, true, true]} : memref<1x128x196xf32>, vector<1x4x32xf32>
    %m = vector.contract {indexing_maps = [affine_map<(b, m, n, k) -> (m, k)>, affine_map<(b, m, n, k) -> (b, k, n)>, affine_map<(b, m, n, k) -> (b, m, n)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"], kind = #vector.kind<add>} %av, %bv, %acc : vector<8x4xf32>, vector<1x4x32xf32> into vector<1x8x32xf32>
    scf.yield %m : vector<1x8x32xf32>
  }
  vector.transfer_write %r, %c[%c0, %c0, %c0] {in_bounds = [true, true, true]} : vector<1x8x32xf32>, memref<1x8x32xf32>
  return
}


// A K loop of 16 rows: few enough streams for the hardware prefetchers.
// CHECK-LABEL: func.func @short_k
// CHECK-NOT:   memref.prefetch
// CHECK:       return
func.func @short_k(%w: memref<16x128xf32>, %x: memref<1x128x3025xf32>, %c: memref<1x8x32xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  %f0 = arith.constant 0.0 : f32
  %init = vector.transfer_read %c[%c0, %c0, %c0], %f0 {in_bounds = [true, true, true]} : memref<1x8x32xf32>, vector<1x8x32xf32>
  %r = scf.for %k = %c0 to %c16 step %c4 iter_args(%acc = %init) -> vector<1x8x32xf32> {
    %av = vector.transfer_read %w[%c0, %k], %f0 {in_bounds = [true, true]} : memref<16x128xf32>, vector<8x4xf32>
    %bv = vector.transfer_read %x[%c0, %k, %n], %f0 {in_bounds = [true, true, true]} : memref<1x128x3025xf32>, vector<1x4x32xf32>
    %m = vector.contract {indexing_maps = [affine_map<(b, m, n, k) -> (m, k)>, affine_map<(b, m, n, k) -> (b, k, n)>, affine_map<(b, m, n, k) -> (b, m, n)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"], kind = #vector.kind<add>} %av, %bv, %acc : vector<8x4xf32>, vector<1x4x32xf32> into vector<1x8x32xf32>
    scf.yield %m : vector<1x8x32xf32>
  }
  vector.transfer_write %r, %c[%c0, %c0, %c0] {in_bounds = [true, true, true]} : vector<1x8x32xf32>, memref<1x8x32xf32>
  return
}

