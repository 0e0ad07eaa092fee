// Row blocks are chosen among M's divisors in O(sqrt(M)): a product of 2^40
// rows (the largest shape the graph dialect accepts) used to walk every
// multiple of tile-m, minutes of compile time.
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize | FileCheck %s

// 16 blocks of 2^36 rows (min-parallel-tiles), register tiles inside.
// CHECK-LABEL: func.func @huge_m
// CHECK:         scf.forall (%{{.*}}) = (0) to (1099511627776) step (68719476736)
// CHECK:           scf.for
// CHECK:             vector.contract
func.func @huge_m(%a: tensor<1099511627776x4xf32>, %b: tensor<4x16xf32>, %c: tensor<1099511627776x16xf32>) -> tensor<1099511627776x16xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<1099511627776x4xf32>, tensor<4x16xf32>) outs(%c : tensor<1099511627776x16xf32>) -> tensor<1099511627776x16xf32>
  return %0 : tensor<1099511627776x16xf32>
}
