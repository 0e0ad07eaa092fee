// B panels (cache-k x tile-n) are copied into a contiguous buffer once per
// panel when enough register tiles of A rows reuse them (pack-min-rows),
// and A is blocked by cache-m rows; pack-min-rows=0 keeps reading B in
// place.
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="distribute=false" --canonicalize | FileCheck %s
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="distribute=false pack-min-rows=0" --canonicalize | FileCheck %s --check-prefix=NOPACK
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="distribute=false cache-m=16" --canonicalize | FileCheck %s --check-prefix=BLOCKED

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
