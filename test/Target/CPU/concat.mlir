// A concatenation's inputs are copied into their slices of the result by
// row tiles distributed over the threads, not by one serial copy each.
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize --canonicalize | FileCheck %s

// CHECK-LABEL: func.func @concat
// CHECK-NOT:   tensor.concat
// CHECK:       %[[E:.*]] = tensor.empty() : tensor<1x128x55x55xf32>
// CHECK:       %[[A:.*]] = scf.forall (%{{.*}}, %{{.*}}) in (64, 55)
// CHECK:         vector.transfer_read %arg0{{.*}} vector<1x1x1x55xf32>
// CHECK:       %[[R:.*]] = tensor.insert_slice %[[A]] into %[[E]][0, 0, 0, 0] [1, 64, 55, 55]
// CHECK:       %[[B:.*]] = scf.forall (%{{.*}}, %{{.*}}) in (64, 55)
// CHECK:         vector.transfer_read %arg1{{.*}} vector<1x1x1x55xf32>
// CHECK:       tensor.insert_slice %[[B]] into %[[R]][0, 64, 0, 0] [1, 64, 55, 55]
func.func @concat(%a: tensor<1x64x55x55xf32>, %b: tensor<1x64x55x55xf32>) -> tensor<1x128x55x55xf32> {
  %c = tensor.concat dim(1) %a, %b : (tensor<1x64x55x55xf32>, tensor<1x64x55x55xf32>) -> tensor<1x128x55x55xf32>
  return %c : tensor<1x128x55x55xf32>
}

// Dynamic shapes keep upstream's decomposition.
// CHECK-LABEL: func.func @dynamic
// CHECK:       tensor.concat
func.func @dynamic(%a: tensor<?x8xf32>, %b: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %c = tensor.concat dim(0) %a, %b : (tensor<?x8xf32>, tensor<?x8xf32>) -> tensor<?x8xf32>
  return %c : tensor<?x8xf32>
}
