// B panels (cache-k x tile-n) are copied into a contiguous buffer once per
// panel when enough register tiles of A rows reuse them (pack-min-rows),
// and A is blocked by cache-m rows; pack-min-rows=0 keeps reading B in
// place.
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="unpacked-row-bytes=0 distribute=false" --canonicalize | FileCheck %s
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="unpacked-row-bytes=0 distribute=false pack-min-rows=0" --canonicalize | FileCheck %s --check-prefix=NOPACK
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="unpacked-row-bytes=0 distribute=false cache-m=16" --canonicalize | FileCheck %s --check-prefix=BLOCKED
// A B computed at run time whose rows take at most unpacked-row-bytes
// (default 1024) already streams through consecutive cache lines: its
// panels are read in place (B of 96 columns, 384 bytes a row); wider rows
// (512 columns) are packed.
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="distribute=false" --canonicalize | FileCheck %s --check-prefix=NARROWB
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="distribute=false unpacked-row-bytes=256" --canonicalize | FileCheck %s --check-prefix=PACKED256

// NARROWB-LABEL: func.func @mm_wide_rows(
// NARROWB: linalg.copy ins(%{{.*}} : tensor<128x32xf32>)
// NARROWB: vector.contract
// NARROWB-LABEL: func.func @mm(
// NARROWB-NOT: linalg.copy
// NARROWB: vector.contract
// NARROWB-LABEL: func.func @few_rows(
// PACKED256-LABEL: func.func @mm(
// PACKED256: linalg.copy ins(%{{.*}} : tensor<128x32xf32>)
func.func @mm_wide_rows(%a: tensor<64x128xf32>, %b: tensor<128x512xf32>) -> tensor<64x512xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x512xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<64x512xf32>) -> tensor<64x512xf32>
  %r = linalg.matmul ins(%a, %b : tensor<64x128xf32>, tensor<128x512xf32>) outs(%f : tensor<64x512xf32>) -> tensor<64x512xf32>
  return %r : tensor<64x512xf32>
}

// CHECK-LABEL: func.func @mm
// Columns of 32, then the panel's copy, then register tiles of 8 rows.
// CHECK: scf.for %[[N:.*]] = %c0 to %c96 step %c32
// CHECK:   %[[PANEL:.*]] = tensor.extract_slice %arg1[0, %[[N]]] [128, 32] [1, 1]
// CHECK:   %[[BUF:.*]] = tensor.empty() : tensor<128x32xf32>
// CHECK:   %[[PACKED:.*]] = linalg.copy ins(%[[PANEL]] : tensor<128x32xf32>) outs(%[[BUF]] : tensor<128x32xf32>)
// CHECK:   scf.for %{{.*}} = %c0 to %c64 step %c8
// CHECK:     scf.for
// CHECK:       vector.transfer_read %[[PACKED]]
// CHECK:       vector.contract
// NOPACK-LABEL: func.func @mm
// NOPACK-NOT: linalg.copy
// BLOCKED-LABEL: func.func @mm
// BLOCKED: scf.for %{{.*}} = %c0 to %c64 step %c16
// BLOCKED:   scf.for %{{.*}} = %c0 to %c96 step %c32
// BLOCKED:     linalg.copy
// BLOCKED:     scf.for %{{.*}} = %c0 to %c16 step %c8
func.func @mm(%a: tensor<64x128xf32>, %b: tensor<128x96xf32>) -> tensor<64x96xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x96xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<64x96xf32>) -> tensor<64x96xf32>
  %r = linalg.matmul ins(%a, %b : tensor<64x128xf32>, tensor<128x96xf32>) outs(%f : tensor<64x96xf32>) -> tensor<64x96xf32>
  return %r : tensor<64x96xf32>
}

// Two register tiles of rows: each panel is read twice, not worth a copy.
// CHECK-LABEL: func.func @few_rows
// CHECK-NOT: linalg.copy
// CHECK: return
func.func @few_rows(%a: tensor<16x128xf32>, %b: tensor<128x96xf32>) -> tensor<16x96xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x96xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<16x96xf32>) -> tensor<16x96xf32>
  %r = linalg.matmul ins(%a, %b : tensor<16x128xf32>, tensor<128x96xf32>) outs(%f : tensor<16x96xf32>) -> tensor<16x96xf32>
  return %r : tensor<16x96xf32>
}

// B transposed (K innermost) is not a panel of rows: read in place.
// CHECK-LABEL: func.func @transposed_b
// CHECK-NOT: linalg.copy
// CHECK: return
func.func @transposed_b(%a: tensor<64x128xf32>, %b: tensor<96x128xf32>) -> tensor<64x96xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x96xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<64x96xf32>) -> tensor<64x96xf32>
  %r = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
       ins(%a, %b : tensor<64x128xf32>, tensor<96x128xf32>) outs(%f : tensor<64x96xf32>) -> tensor<64x96xf32>
  return %r : tensor<64x96xf32>
}

// A constant B (a weight the CPU target inlines) is packed at compile time
// into groups of tile-n columns, P[g, k, j] = B[k, 32 g + j], zero past N:
// every panel, the 8-column tail's too, is a slice of P, copied at no run.
// CHECK-LABEL: func.func @constant_b
// CHECK-NOT: linalg.copy
// CHECK-DAG: %[[P:.*]] = arith.constant dense<"0x{{[0-9A-F]+}}"> : tensor<2x2x32xf32>
// CHECK: vector.transfer_read %[[P]][%c0, %c0, %c0], %{{.*}} : tensor<2x2x32xf32>, vector<2x32xf32>
// CHECK: vector.transfer_read %[[P]][%c1, %c0, %c0], %{{.*}} : tensor<2x2x32xf32>, vector<2x8xf32>
// NOPACK-LABEL: func.func @constant_b
// NOPACK-NOT: tensor<2x2x32xf32>
// NOPACK: return
func.func @constant_b(%a: tensor<64x2xf32>) -> tensor<64x40xf32> {
  %b = arith.constant dense<[[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0, 24.0, 25.0, 26.0, 27.0, 28.0, 29.0, 30.0, 31.0, 32.0, 33.0, 34.0, 35.0, 36.0, 37.0, 38.0, 39.0], [40.0, 41.0, 42.0, 43.0, 44.0, 45.0, 46.0, 47.0, 48.0, 49.0, 50.0, 51.0, 52.0, 53.0, 54.0, 55.0, 56.0, 57.0, 58.0, 59.0, 60.0, 61.0, 62.0, 63.0, 64.0, 65.0, 66.0, 67.0, 68.0, 69.0, 70.0, 71.0, 72.0, 73.0, 74.0, 75.0, 76.0, 77.0, 78.0, 79.0]]> : tensor<2x40xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x40xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<64x40xf32>) -> tensor<64x40xf32>
  %r = linalg.matmul ins(%a, %b : tensor<64x2xf32>, tensor<2x40xf32>) outs(%f : tensor<64x40xf32>) -> tensor<64x40xf32>
  return %r : tensor<64x40xf32>
}

// A product with fewer rows than pack-min-rows (a classifier's one row)
// copies no panels, but its register tiles read a constant B from the same
// packed copy: each column tile streams one contiguous block of P instead
// of a cache line per row of B. The weight is not kept unpacked as well.
// CHECK-LABEL: func.func @constant_b_one_row
// CHECK-NOT: linalg.copy
// CHECK-NOT: tensor<2x40xf32>
// CHECK-DAG: %[[P:.*]] = arith.constant dense<"0x{{[0-9A-F]+}}"> : tensor<2x2x32xf32>
// CHECK-DAG: vector.transfer_read %[[P]][%c0, %c0, %c0], %{{.*}} : tensor<2x2x32xf32>, vector<2x32xf32>
// CHECK-DAG: vector.transfer_read %[[P]][%c1, %c0, %c0], %{{.*}} : tensor<2x2x32xf32>, vector<2x8xf32>
// CHECK: return
// NOPACK-LABEL: func.func @constant_b_one_row
// NOPACK-NOT: tensor<2x2x32xf32>
// NOPACK: return
func.func @constant_b_one_row(%a: tensor<1x2xf32>) -> tensor<1x40xf32> {
  %b = arith.constant dense<[[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0, 24.0, 25.0, 26.0, 27.0, 28.0, 29.0, 30.0, 31.0, 32.0, 33.0, 34.0, 35.0, 36.0, 37.0, 38.0, 39.0], [40.0, 41.0, 42.0, 43.0, 44.0, 45.0, 46.0, 47.0, 48.0, 49.0, 50.0, 51.0, 52.0, 53.0, 54.0, 55.0, 56.0, 57.0, 58.0, 59.0, 60.0, 61.0, 62.0, 63.0, 64.0, 65.0, 66.0, 67.0, 68.0, 69.0, 70.0, 71.0, 72.0, 73.0, 74.0, 75.0, 76.0, 77.0, 78.0, 79.0]]> : tensor<2x40xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x40xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x40xf32>) -> tensor<1x40xf32>
  %r = linalg.matmul ins(%a, %b : tensor<1x2xf32>, tensor<2x40xf32>) outs(%f : tensor<1x40xf32>) -> tensor<1x40xf32>
  return %r : tensor<1x40xf32>
}
