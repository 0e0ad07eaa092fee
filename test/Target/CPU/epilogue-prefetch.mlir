// Register tiles prefetch the far-apart rows they touch outside their K
// loop epilogue-prefetch-tiles column tiles ahead into L2 (locality 2): the
// epilogue's rows (a residual read, the output write) spread over the K
// loop's iterations, one line per iteration here (8 rows x 2 lines in 16
// iterations), and the activation rows copied into a B panel, each row's
// lines as the copy loop reaches it. Rows closer than 1 KiB (the panel
// written, the 32-column output) get none, and so do tiles deeper than 256.
// RUN: hcc-opt %s --hcc-cpu-lower-vectors="prefetch-kib=0" | FileCheck %s
// RUN: hcc-opt %s --hcc-cpu-lower-vectors="prefetch-kib=0 epilogue-prefetch-tiles=2" | FileCheck %s --check-prefix=TWO
// RUN: hcc-opt %s --hcc-cpu-lower-vectors="prefetch-kib=0 epilogue-prefetch-tiles=0" | FileCheck %s --check-prefix=OFF
// RUN: not hcc-opt %s --hcc-cpu-lower-vectors="epilogue-prefetch-tiles=9" 2>&1 | FileCheck %s --check-prefix=RANGE

// Line l of the tile (l = min(iteration, 15)) is row l / 2, column
// (l % 2) * 16 of the tile, one column tile (32) on from the transfer's
// first element m * 3136 + n, clamped to the 802816-element buffer.
// CHECK-LABEL: func.func @epilogue
// CHECK-SAME:    %[[RES:[^:]*]]: memref<1x256x3136xf32>, %[[Y:[^:]*]]: memref<1x256x3136xf32>, %[[M:[^:]*]]: index, %[[N:[^:]*]]: index
// CHECK-DAG:   %[[C3136:.*]] = arith.constant 3136 : index
// CHECK-DAG:   %[[C32:.*]] = arith.constant 32 : index
// CHECK-DAG:   %[[C15:.*]] = arith.constant 15 : index
// CHECK-DAG:   %[[LAST:.*]] = arith.constant 802815 : index
// CHECK:       %[[ROW0:.*]] = arith.muli %[[M]], %[[C3136]] : index
// CHECK:       %[[AT:.*]] = arith.addi %[[ROW0]], %[[N]] : index
// CHECK:       %[[FIRST:.*]] = arith.addi %[[AT]], %[[C32]] : index
// CHECK:       scf.for %[[K:.*]] = {{.*}} step %[[C4:.*]] iter_args
// CHECK:         %[[J:.*]] = arith.divsi %[[K]], %[[C4]] : index
// CHECK:         %[[L:.*]] = arith.minsi %[[J]], %[[C15]] : index
// CHECK:         %[[R:.*]] = arith.divui %[[L]], %[[C2:.*]] : index
// CHECK:         %[[C:.*]] = arith.remui %[[L]], %[[C2]] : index
// CHECK:         %[[COL:.*]] = arith.muli %[[C]], %[[C16:.*]] : index
// CHECK:         %[[ROW:.*]] = arith.muli %[[R]], %[[C3136]] : index
// CHECK:         %[[DELTA:.*]] = arith.addi %[[ROW]], %[[COL]] : index
// CHECK:         %[[AT2:.*]] = arith.addi %[[FIRST]], %[[DELTA]] : index
// CHECK:         %[[I:.*]] = arith.minsi %[[AT2]], %[[LAST]] : index
// CHECK:         memref.prefetch %{{.*}}[%[[I]]], read, locality<2>, data : memref<802816xf32>
// CHECK:         memref.prefetch %{{.*}}, read, locality<2>, data : memref<802816xf32>
// CHECK-NOT:     memref.prefetch
// CHECK:         scf.yield
// CHECK-NOT:   memref.prefetch
// CHECK:       return
// TWO-LABEL:   func.func @epilogue
// TWO-DAG:     %[[C64:.*]] = arith.constant 64 : index
// TWO:         arith.addi %{{.*}}, %[[C64]] : index
// TWO-COUNT-2: memref.prefetch
// TWO-NOT:     memref.prefetch
// TWO:         return
// OFF-NOT:     memref.prefetch
// RANGE:       error: {{.*}}epilogue-prefetch-tiles{{.*}}
func.func @epilogue(%w: memref<256x64xf32>, %b: memref<1x64x32xf32>, %res: memref<1x256x3136xf32>, %y: memref<1x256x3136xf32>, %m: index, %n: index) {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c64 = arith.constant 64 : index
  %f0 = arith.constant 0.0 : f32
  %zero = arith.constant dense<0.0> : vector<1x8x32xf32>
  %r = scf.for %k = %c0 to %c64 step %c4 iter_args(%acc = %zero) -> vector<1x8x32xf32> {
    %av = vector.transfer_read %w[%m, %k], %f0 {in_bounds = [true, true]} : memref<256x64xf32>, vector<8x4xf32>
    %bv = vector.transfer_read %b[%c0, %k, %c0], %f0 {in_bounds = [true, true, true]} : memref<1x64x32xf32>, vector<1x4x32xf32>
    %p = vector.contract {indexing_maps = [affine_map<(b, m, n, k) -> (m, k)>, affine_map<(b, m, n, k) -> (b, k, n)>, affine_map<(b, m, n, k) -> (b, m, n)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"], kind = #vector.kind<add>} %av, %bv, %acc : vector<8x4xf32>, vector<1x4x32xf32> into vector<1x8x32xf32>
    scf.yield %p : vector<1x8x32xf32>
  }
  %rv = vector.transfer_read %res[%c0, %m, %n], %f0 {in_bounds = [true, true, true]} : memref<1x256x3136xf32>, vector<1x8x32xf32>
  %s = arith.addf %r, %rv : vector<1x8x32xf32>
  vector.transfer_write %s, %y[%c0, %m, %n] {in_bounds = [true, true, true]} : vector<1x8x32xf32>, memref<1x256x3136xf32>
  return
}

// The copy loop next to the register tiles' loop (a B panel packed from 64
// rows 12544 bytes apart) prefetches each row's two lines 32 columns on,
// clamped so that the last stays in the buffer (200704 - 1 - 16).
// CHECK-LABEL: func.func @panel_rows
// CHECK-DAG:   %[[LAST:.*]] = arith.constant 200687 : index
// CHECK-DAG:   %[[C32:.*]] = arith.constant 32 : index
// CHECK:       scf.for
// CHECK:         %[[AT:.*]] = arith.addi %{{.*}}, %[[C32]] : index
// CHECK:         %[[I:.*]] = arith.minsi %[[AT]], %[[LAST]] : index
// CHECK:         memref.prefetch %{{.*}}[%[[I]]], read, locality<2>, data : memref<200704xf32>
// CHECK:         %[[I2:.*]] = arith.addi %[[I]], %{{.*}} : index
// CHECK:         memref.prefetch %{{.*}}[%[[I2]]], read, locality<2>, data : memref<200704xf32>
// CHECK-NOT:     memref.prefetch
// CHECK:       return
func.func @panel_rows(%w: memref<256x64xf32>, %x: memref<1x64x3136xf32>, %y: memref<1x256x32xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %c64 = arith.constant 64 : index
  %c256 = arith.constant 256 : index
  %f0 = arith.constant 0.0 : f32
  %zero = arith.constant dense<0.0> : vector<1x8x32xf32>
  %panel = memref.alloca() : memref<1x64x32xf32>
  scf.for %r = %c0 to %c64 step %c1 {
    %row = vector.transfer_read %x[%c0, %r, %n], %f0 {in_bounds = [true]} : memref<1x64x3136xf32>, vector<32xf32>
    vector.transfer_write %row, %panel[%c0, %r, %c0] {in_bounds = [true]} : vector<32xf32>, memref<1x64x32xf32>
  }
  scf.for %m = %c0 to %c256 step %c8 {
    %r = scf.for %k = %c0 to %c64 step %c4 iter_args(%acc = %zero) -> vector<1x8x32xf32> {
      %av = vector.transfer_read %w[%m, %k], %f0 {in_bounds = [true, true]} : memref<256x64xf32>, vector<8x4xf32>
      %bv = vector.transfer_read %panel[%c0, %k, %c0], %f0 {in_bounds = [true, true, true]} : memref<1x64x32xf32>, vector<1x4x32xf32>
      %p = vector.contract {indexing_maps = [affine_map<(b, m, n, k) -> (m, k)>, affine_map<(b, m, n, k) -> (b, k, n)>, affine_map<(b, m, n, k) -> (b, m, n)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"], kind = #vector.kind<add>} %av, %bv, %acc : vector<8x4xf32>, vector<1x4x32xf32> into vector<1x8x32xf32>
      scf.yield %p : vector<1x8x32xf32>
    }
    vector.transfer_write %r, %y[%c0, %m, %c0] {in_bounds = [true, true, true]} : vector<1x8x32xf32>, memref<1x256x32xf32>
  }
  return
}

// A tile 512 deep (more than 256) spends long enough in its K loop: its
// epilogue gets none.
// CHECK-LABEL: func.func @deep_tile
// CHECK-NOT:   memref.prefetch
// CHECK:       return
func.func @deep_tile(%w: memref<256x512xf32>, %b: memref<1x512x32xf32>, %y: memref<1x256x3136xf32>, %m: index, %n: index) {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c512 = arith.constant 512 : index
  %f0 = arith.constant 0.0 : f32
  %zero = arith.constant dense<0.0> : vector<1x8x32xf32>
  %r = scf.for %k = %c0 to %c512 step %c4 iter_args(%acc = %zero) -> vector<1x8x32xf32> {
    %av = vector.transfer_read %w[%m, %k], %f0 {in_bounds = [true, true]} : memref<256x512xf32>, vector<8x4xf32>
    %bv = vector.transfer_read %b[%c0, %k, %c0], %f0 {in_bounds = [true, true, true]} : memref<1x512x32xf32>, vector<1x4x32xf32>
    %p = vector.contract {indexing_maps = [affine_map<(b, m, n, k) -> (m, k)>, affine_map<(b, m, n, k) -> (b, k, n)>, affine_map<(b, m, n, k) -> (b, m, n)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"], kind = #vector.kind<add>} %av, %bv, %acc : vector<8x4xf32>, vector<1x4x32xf32> into vector<1x8x32xf32>
    scf.yield %p : vector<1x8x32xf32>
  }
  vector.transfer_write %r, %y[%c0, %m, %n] {in_bounds = [true, true, true]} : vector<1x8x32xf32>, memref<1x256x3136xf32>
  return
}

// The same rows walked by a loop with no register tiles around it (a
// transpose-like copy): none.
// CHECK-LABEL: func.func @no_tiles
// CHECK-NOT:   memref.prefetch
// CHECK:       return
func.func @no_tiles(%x: memref<1x64x3136xf32>, %o: memref<1x64x32xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %f0 = arith.constant 0.0 : f32
  scf.for %r = %c0 to %c64 step %c1 {
    %row = vector.transfer_read %x[%c0, %r, %n], %f0 {in_bounds = [true]} : memref<1x64x3136xf32>, vector<32xf32>
    vector.transfer_write %row, %o[%c0, %r, %c0] {in_bounds = [true]} : vector<32xf32>, memref<1x64x32xf32>
  }
  return
}

// A register tile whose K steps are all unrolled (a 3x3 filter over three
// channels: no K loop) writes its far-apart output rows in the loop of the
// tiles: it prefetches them for writing one column tile (32) on right after
// its write, all 8 rows x 2 lines (the next tile multiplies meanwhile;
// between the contractions they would fence their loads), the first clamped
// so that the last line (7 * 3136 + 16 on) stays in the 802816 elements.
// CHECK-LABEL: func.func @unrolled_tile
// CHECK-DAG:   %[[LAST:.*]] = arith.constant 780847 : index
// CHECK-DAG:   %[[C32:.*]] = arith.constant 32 : index
// CHECK:       scf.for
// CHECK:         vector.fma
// CHECK-NOT:     memref.prefetch
// CHECK:         vector.transfer_write
// CHECK:         %[[FIRST:.*]] = arith.addi %{{.*}}, %[[C32]] : index
// CHECK:         %[[I:.*]] = arith.minsi %[[FIRST]], %[[LAST]] : index
// CHECK-COUNT-16: memref.prefetch %{{.*}}, write, locality<2>, data : memref<802816xf32>
// CHECK-NOT:     memref.prefetch
// CHECK:       return
// OFF-LABEL:   func.func @unrolled_tile
// OFF-NOT:     memref.prefetch
func.func @unrolled_tile(%w: memref<256x8xf32>, %b: memref<1x8x32xf32>, %y: memref<1x256x3136xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %c256 = arith.constant 256 : index
  %f0 = arith.constant 0.0 : f32
  %zero = arith.constant dense<0.0> : vector<1x8x32xf32>
  scf.for %m = %c0 to %c256 step %c8 {
    %a0 = vector.transfer_read %w[%m, %c0], %f0 {in_bounds = [true, true]} : memref<256x8xf32>, vector<8x4xf32>
    %b0 = vector.transfer_read %b[%c0, %c0, %c0], %f0 {in_bounds = [true, true, true]} : memref<1x8x32xf32>, vector<1x4x32xf32>
    %p0 = vector.contract {indexing_maps = [affine_map<(b, m, n, k) -> (m, k)>, affine_map<(b, m, n, k) -> (b, k, n)>, affine_map<(b, m, n, k) -> (b, m, n)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"], kind = #vector.kind<add>} %a0, %b0, %zero : vector<8x4xf32>, vector<1x4x32xf32> into vector<1x8x32xf32>
    %a1 = vector.transfer_read %w[%m, %c4], %f0 {in_bounds = [true, true]} : memref<256x8xf32>, vector<8x4xf32>
    %b1 = vector.transfer_read %b[%c0, %c4, %c0], %f0 {in_bounds = [true, true, true]} : memref<1x8x32xf32>, vector<1x4x32xf32>
    %p1 = vector.contract {indexing_maps = [affine_map<(b, m, n, k) -> (m, k)>, affine_map<(b, m, n, k) -> (b, k, n)>, affine_map<(b, m, n, k) -> (b, m, n)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"], kind = #vector.kind<add>} %a1, %b1, %p0 : vector<8x4xf32>, vector<1x4x32xf32> into vector<1x8x32xf32>
    vector.transfer_write %p1, %y[%c0, %m, %n] {in_bounds = [true, true, true]} : vector<1x8x32xf32>, memref<1x256x3136xf32>
  }
  return
}

// Unrolled K steps deeper than 256 (and a write whose rows are near, the
// 32-column output): none.
// CHECK-LABEL: func.func @unrolled_deep_or_near
// CHECK-NOT:   memref.prefetch
// CHECK:       return
func.func @unrolled_deep_or_near(%w: memref<8x260xf32>, %b: memref<1x260x32xf32>, %y: memref<1x8x3136xf32>, %z: memref<1x8x32xf32>) {
  %c0 = arith.constant 0 : index
  %f0 = arith.constant 0.0 : f32
  %zero = arith.constant dense<0.0> : vector<1x8x32xf32>
  %a = vector.transfer_read %w[%c0, %c0], %f0 {in_bounds = [true, true]} : memref<8x260xf32>, vector<8x260xf32>
  %bv = vector.transfer_read %b[%c0, %c0, %c0], %f0 {in_bounds = [true, true, true]} : memref<1x260x32xf32>, vector<1x260x32xf32>
  %p = vector.contract {indexing_maps = [affine_map<(b, m, n, k) -> (m, k)>, affine_map<(b, m, n, k) -> (b, k, n)>, affine_map<(b, m, n, k) -> (b, m, n)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"], kind = #vector.kind<add>} %a, %bv, %zero : vector<8x260xf32>, vector<1x260x32xf32> into vector<1x8x32xf32>
  vector.transfer_write %p, %y[%c0, %c0, %c0] {in_bounds = [true, true, true]} : vector<1x8x32xf32>, memref<1x8x3136xf32>
  %a2 = vector.transfer_read %w[%c0, %c0], %f0 {in_bounds = [true, true]} : memref<8x260xf32>, vector<8x4xf32>
  %b2 = vector.transfer_read %b[%c0, %c0, %c0], %f0 {in_bounds = [true, true, true]} : memref<1x260x32xf32>, vector<1x4x32xf32>
  %q = vector.contract {indexing_maps = [affine_map<(b, m, n, k) -> (m, k)>, affine_map<(b, m, n, k) -> (b, k, n)>, affine_map<(b, m, n, k) -> (b, m, n)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"], kind = #vector.kind<add>} %a2, %b2, %zero : vector<8x4xf32>, vector<1x4x32xf32> into vector<1x8x32xf32>
  vector.transfer_write %q, %z[%c0, %c0, %c0] {in_bounds = [true, true, true]} : vector<1x8x32xf32>, memref<1x8x32xf32>
  return
}
