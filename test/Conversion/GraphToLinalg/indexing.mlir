// RUN: hcc-opt %s --convert-graph-to-linalg --split-input-file | FileCheck %s

// The index is wrapped (negative counts from the end) and clamped, then
// the data is read with tensor.extract.
// CHECK-LABEL: func.func @gather_elements
// CHECK: linalg.generic {{.*}} ins(%{{.+}} : tensor<2x4xi64>) outs(%{{.+}} : tensor<2x4xf32>)
// CHECK: %[[I:.+]] = arith.index_cast %{{.+}} : i64 to index
// CHECK: %[[W:.+]] = arith.addi %[[I]], %c3
// CHECK: %[[S:.+]] = arith.select %{{.+}}, %[[W]], %[[I]]
// CHECK: %[[LO:.+]] = arith.maxsi %[[S]]
// CHECK: %[[HI:.+]] = arith.minsi %[[LO]], %c2
// CHECK: %[[J:.+]] = linalg.index 1
// CHECK: tensor.extract %{{.+}}[%[[HI]], %[[J]]] : tensor<3x4xf32>
func.func @gather_elements(%d: tensor<3x4xf32>, %i: tensor<2x4xi64>) -> tensor<2x4xf32> {
  %0 = graph.GatherElements(%d, %i) {axis = 0 : i64} : (tensor<3x4xf32>, tensor<2x4xi64>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// batch_dims = 1: data[b, indices[b, 0], t].
// CHECK-LABEL: func.func @gather_nd_batch
// CHECK: linalg.generic {{.*}} outs(%{{.+}} : tensor<2x2xi32>)
// CHECK: %[[B:.+]] = linalg.index 0
// CHECK: %[[T:.+]] = linalg.index 1
// CHECK: tensor.extract %{{.+}}[%[[B]], %c0] : tensor<2x1xi64>
// CHECK: %[[K:.+]] = arith.minsi
// CHECK: tensor.extract %{{.+}}[%[[B]], %[[K]], %[[T]]] : tensor<2x2x2xi32>
func.func @gather_nd_batch(%d: tensor<2x2x2xi32>, %i: tensor<2x1xi64>) -> tensor<2x2xi32> {
  %0 = graph.GatherND(%d, %i) {batch_dims = 1 : i64} : (tensor<2x2x2xi32>, tensor<2x1xi64>) -> tensor<2x2xi32>
  return %0 : tensor<2x2xi32>
}

// -----

// CHECK-LABEL: func.func @castlike
// CHECK: linalg.generic {{.*}} ins(%{{.+}} : tensor<3xf64>) outs(%{{.+}} : tensor<3xf16>)
// CHECK: arith.truncf %{{.+}} : f64 to f16
func.func @castlike(%x: tensor<3xf64>, %l: tensor<1xf16>) -> tensor<3xf16> {
  %0 = graph.CastLike(%x, %l) : (tensor<3xf64>, tensor<1xf16>) -> tensor<3xf16>
  return %0 : tensor<3xf16>
}

// -----

// CHECK-LABEL: func.func @depth_to_space_dcr
// CHECK: tensor.expand_shape %{{.+}} {{\[}}[0], [1, 2, 3], [4], [5]] output_shape [1, 2, 2, 2, 2, 3]
// CHECK: linalg.transpose {{.*}} permutation = [0, 3, 4, 1, 5, 2]
// CHECK: tensor.collapse_shape %{{.+}} {{\[}}[0], [1], [2, 3], [4, 5]] : tensor<1x2x2x2x3x2xf32> into tensor<1x2x4x6xf32>
func.func @depth_to_space_dcr(%x: tensor<1x8x2x3xf32>) -> tensor<1x2x4x6xf32> {
  %0 = graph.DepthToSpace(%x) {blocksize = 2 : i64} : (tensor<1x8x2x3xf32>) -> tensor<1x2x4x6xf32>
  return %0 : tensor<1x2x4x6xf32>
}

// -----

// CHECK-LABEL: func.func @depth_to_space_crd
// CHECK: linalg.transpose {{.*}} permutation = [0, 1, 4, 2, 5, 3]
func.func @depth_to_space_crd(%x: tensor<1x8x2x3xf32>) -> tensor<1x2x4x6xf32> {
  %0 = graph.DepthToSpace(%x) {blocksize = 2 : i64, mode = #graph.depth_to_space_mode<CRD>} : (tensor<1x8x2x3xf32>) -> tensor<1x2x4x6xf32>
  return %0 : tensor<1x2x4x6xf32>
}

// -----

// CHECK-LABEL: func.func @space_to_depth
// CHECK: tensor.expand_shape %{{.+}} {{\[}}[0], [1], [2, 3], [4, 5]] output_shape [1, 2, 2, 2, 3, 2]
// CHECK: linalg.transpose {{.*}} permutation = [0, 3, 5, 1, 2, 4]
// CHECK: tensor.collapse_shape %{{.+}} {{\[}}[0], [1, 2, 3], [4], [5]] : tensor<1x2x2x2x2x3xf32> into tensor<1x8x2x3xf32>
func.func @space_to_depth(%x: tensor<1x2x4x6xf32>) -> tensor<1x8x2x3xf32> {
  %0 = graph.SpaceToDepth(%x) {blocksize = 2 : i64} : (tensor<1x2x4x6xf32>) -> tensor<1x8x2x3xf32>
  return %0 : tensor<1x8x2x3xf32>
}

// -----

// CHECK-DAG: #[[LEN:.+]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @reverse_sequence
// CHECK: linalg.generic {indexing_maps = [#[[LEN]], #{{.+}}]
// CHECK: %[[T:.+]] = linalg.index 0
// CHECK: %[[IN:.+]] = arith.cmpi slt, %[[T]], %{{.+}}
// CHECK: %[[SRC:.+]] = arith.select %[[IN]], %{{.+}}, %[[T]]
// CHECK: tensor.extract %{{.+}}[%[[SRC]], %{{.+}}] : tensor<4x3xf32>
func.func @reverse_sequence(%x: tensor<4x3xf32>, %l: tensor<3xi64>) -> tensor<4x3xf32> {
  %0 = graph.ReverseSequence(%x, %l) {batch_axis = 1 : i64, time_axis = 0 : i64} : (tensor<4x3xf32>, tensor<3xi64>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// A prefix count of the condition, then a select over the input rows.
// CHECK-LABEL: func.func @compress
// CHECK: %[[P:.+]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%{{.+}} : tensor<3xi1>) outs(%{{.+}} : tensor<3xi64>)
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{.+}}, %{{.+}}, %[[P]] : tensor<3x2xf32>, tensor<3xi1>, tensor<3xi64>) outs(%{{.+}} : tensor<2x2xf32>)
// CHECK: arith.select
func.func @compress(%x: tensor<3x2xf32>, %c: tensor<3xi1>) -> tensor<2x2xf32> {
  %0 = graph.Compress(%x, %c) {axis = 0 : i64} : (tensor<3x2xf32>, tensor<3xi1>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

// No axis: the input is flattened first.
// CHECK-LABEL: func.func @compress_flat
// CHECK: tensor.collapse_shape %{{.+}} {{\[}}[0, 1]] : tensor<3x2xf32> into tensor<6xf32>
// CHECK: tensor.extract_slice %{{.+}}[0] [5] [1] : tensor<6xf32> to tensor<5xf32>
func.func @compress_flat(%x: tensor<3x2xf32>, %c: tensor<5xi1>) -> tensor<2xf32> {
  %0 = graph.Compress(%x, %c) : (tensor<3x2xf32>, tensor<5xi1>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
