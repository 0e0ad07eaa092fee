// A padded tensor (a convolution's input) is vectorized fills of its border
// only (top and bottom rows, then the left and right columns of the rows
// between) and a vectorized copy of the interior, all row tiles shared by
// the threads: no scalar loop nest, and no pass filling the whole tensor.
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize --canonicalize | FileCheck %s

// CHECK-LABEL: func.func @pad
// CHECK-NOT: tensor.pad
// CHECK: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<1x1x1x32xf32>
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<1x4x32x32xf32>
// CHECK: tensor.extract_slice %[[EMPTY]][0, 0, 0, 0] [1, 4, 1, 32]
// CHECK:   vector.transfer_write %[[ZERO]]
// CHECK: tensor.extract_slice %{{.*}}[0, 0, 31, 0] [1, 4, 1, 32]
// CHECK:   vector.transfer_write %[[ZERO]]
// CHECK: linalg.fill {{.*}} -> tensor<1x4x30x1xf32>
// CHECK: tensor.insert_slice {{.*}}[0, 0, 1, 0] [1, 4, 30, 1]
// CHECK: linalg.fill {{.*}} -> tensor<1x4x30x1xf32>
// CHECK: tensor.insert_slice {{.*}}[0, 0, 1, 31] [1, 4, 30, 1]
// CHECK: %[[INTERIOR:.*]] = tensor.extract_slice %{{.*}}[0, 0, 1, 1] [1, 4, 30, 30]
// CHECK: %[[COPIED:.*]] = scf.for {{.*}} iter_args(%{{.*}} = %[[INTERIOR]])
// CHECK:   vector.transfer_read %arg0{{.*}} vector<1x1x1x30xf32>
// CHECK: tensor.insert_slice %[[COPIED]] into %{{.*}}[0, 0, 1, 1] [1, 4, 30, 30]
func.func @pad(%x: tensor<1x4x30x30xf32>) -> tensor<1x4x32x32xf32> {
  %z = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %z : f32
  } : tensor<1x4x30x30xf32> to tensor<1x4x32x32xf32>
  return %p : tensor<1x4x32x32xf32>
}

// Large enough to share: the interior copy's rows are scf.forall tiles (the
// border fills are too little work to split).
// CHECK-LABEL: func.func @pad_distributed
// CHECK-NOT: scf.forall
// CHECK: vector.transfer_write
// CHECK: scf.forall
// CHECK:   vector.transfer_read %arg0
func.func @pad_distributed(%x: tensor<1x64x112x112xf32>) -> tensor<1x64x114x114xf32> {
  %z = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %z : f32
  } : tensor<1x64x112x112xf32> to tensor<1x64x114x114xf32>
  return %p : tensor<1x64x114x114xf32>
}
