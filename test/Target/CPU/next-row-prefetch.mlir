// Register tiles that read a kernel argument's rows in place along K (a
// convolution's filter as A) and read each row block again for every
// column tile prefetch the next row block into L2 (locality 2), spread
// over all the iterations of the nest that reads the current block: K
// step j of row tile r of column tile c is iteration
// o = j + 64 * r + 64 * 32 * c of T = 64 * 32 * 4 = 8192, and takes line
// o * 2048 / 8192 of the next block's 2048 lines (128 rows x 1 KiB),
// 32768 elements past the current block's start, clamped inside the
// 65536-element filter.
// RUN: hcc-opt %s --hcc-cpu-lower-vectors="prefetch-kib=0 row-prefetch-cols=0 epilogue-prefetch-tiles=0" | FileCheck %s
// RUN: hcc-opt %s --hcc-cpu-lower-vectors="prefetch-next-rows=0 prefetch-kib=0 row-prefetch-cols=0 epilogue-prefetch-tiles=0" | FileCheck %s --check-prefix=OFF
// RUN: not hcc-opt %s --hcc-cpu-lower-vectors="prefetch-next-rows=2" 2>&1 | FileCheck %s --check-prefix=RANGE

// CHECK-LABEL: func.func @filter_rows
// CHECK-DAG:   %[[BLOCK:.*]] = arith.constant 32768 : index
// CHECK-DAG:   %[[TOTAL:.*]] = arith.constant 8192 : index
// CHECK-DAG:   %[[LAST:.*]] = arith.constant 65535 : index
// CHECK:       scf.for
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK:             scf.for
// CHECK:               %[[NEXT:.*]] = arith.addi %{{.*}}, %[[BLOCK]] : index
// CHECK:               arith.divsi %{{.*}}, %[[TOTAL]] : index
// CHECK:               arith.minsi %{{.*}}, %[[LAST]] : index
// CHECK-NEXT:          memref.prefetch %{{.*}}[%{{.*}}], read, locality<2>, data : memref<65536xf32>
// CHECK-NOT:   memref.prefetch
// CHECK:       return
// OFF-NOT:     memref.prefetch
// RANGE:       error: {{.*}}prefetch-next-rows{{.*}}
func.func @filter_rows(%w: memref<256x256xf32>, %x: memref<256x64xf32>, %c: memref<256x64xf32>) {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  %c128 = arith.constant 128 : index
  %c256 = arith.constant 256 : index
  %f0 = arith.constant 0.0 : f32
  scf.for %mb = %c0 to %c256 step %c128 {
    scf.for %n = %c0 to %c64 step %c16 {
      scf.for %r = %c0 to %c128 step %c4 {
        %row = arith.addi %mb, %r : index
        %init = vector.transfer_read %c[%row, %n], %f0 {in_bounds = [true, true]} : memref<256x64xf32>, vector<4x16xf32>
        %acc = scf.for %k = %c0 to %c256 step %c4 iter_args(%a = %init) -> vector<4x16xf32> {
          %av = vector.transfer_read %w[%row, %k], %f0 {in_bounds = [true, true]} : memref<256x256xf32>, vector<4x4xf32>
          %bv = vector.transfer_read %x[%k, %n], %f0 {in_bounds = [true, true]} : memref<256x64xf32>, vector<4x16xf32>
          %m = vector.contract {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %av, %bv, %a : vector<4x4xf32>, vector<4x16xf32> into vector<4x16xf32>
          scf.yield %m : vector<4x16xf32>
        }
        vector.transfer_write %acc, %c[%row, %n] {in_bounds = [true, true]} : vector<4x16xf32>, memref<256x64xf32>
      }
    }
  }
  return
}

// Each row block read once (no column tiles around the row tiles): the
// hardware prefetchers follow the stream, nothing is added.
// CHECK-LABEL: func.func @rows_read_once
// CHECK-NOT:   memref.prefetch
// CHECK:       return
func.func @rows_read_once(%w: memref<256x256xf32>, %x: memref<256x16xf32>, %c: memref<256x16xf32>) {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c128 = arith.constant 128 : index
  %c256 = arith.constant 256 : index
  %f0 = arith.constant 0.0 : f32
  scf.for %mb = %c0 to %c256 step %c128 {
    scf.for %r = %c0 to %c128 step %c4 {
      %row = arith.addi %mb, %r : index
      %init = vector.transfer_read %c[%row, %c0], %f0 {in_bounds = [true, true]} : memref<256x16xf32>, vector<4x16xf32>
      %acc = scf.for %k = %c0 to %c256 step %c4 iter_args(%a = %init) -> vector<4x16xf32> {
        %av = vector.transfer_read %w[%row, %k], %f0 {in_bounds = [true, true]} : memref<256x256xf32>, vector<4x4xf32>
        %bv = vector.transfer_read %x[%k, %c0], %f0 {in_bounds = [true, true]} : memref<256x16xf32>, vector<4x16xf32>
        %m = vector.contract {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %av, %bv, %a : vector<4x4xf32>, vector<4x16xf32> into vector<4x16xf32>
        scf.yield %m : vector<4x16xf32>
      }
      vector.transfer_write %acc, %c[%row, %c0] {in_bounds = [true, true]} : vector<4x16xf32>, memref<256x16xf32>
    }
  }
  return
}
