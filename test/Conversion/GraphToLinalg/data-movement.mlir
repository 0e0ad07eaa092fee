// RUN: hcc-opt %s --convert-graph-to-linalg --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @constant_identity
// CHECK: %[[C:.+]] = arith.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK: return %[[C]]
func.func @constant_identity() -> tensor<2xf32> {
  %0 = graph.Constant() {value = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %1 = graph.Identity(%0) : (tensor<2xf32>) -> tensor<2xf32>
  return %1 : tensor<2xf32>
}

// -----

// CHECK-LABEL: func.func @flatten_reshape
// CHECK: tensor.collapse_shape %{{.+}} {{\[}}[0], [1, 2, 3]] : tensor<2x3x4x5xf32> into tensor<2x60xf32>
// CHECK: %[[F:.+]] = tensor.collapse_shape %{{.+}} {{\[}}[0, 1, 2, 3]] : tensor<2x3x4x5xf32> into tensor<120xf32>
// CHECK: tensor.expand_shape %[[F]] {{\[}}[0, 1]] output_shape [12, 10]
func.func @flatten_reshape(%x: tensor<2x3x4x5xf32>) -> (tensor<2x60xf32>, tensor<12x10xf32>) {
  %0 = graph.Flatten(%x) : (tensor<2x3x4x5xf32>) -> tensor<2x60xf32>
  %s = graph.Constant() {value = dense<[12, 10]> : tensor<2xi64>} : () -> tensor<2xi64>
  %1 = graph.Reshape(%x, %s) : (tensor<2x3x4x5xf32>, tensor<2xi64>) -> tensor<12x10xf32>
  return %0, %1 : tensor<2x60xf32>, tensor<12x10xf32>
}

// -----

// CHECK-LABEL: func.func @transpose_concat
// CHECK: linalg.transpose ins(%{{.+}} : tensor<2x3xf32>) outs(%{{.+}} : tensor<3x2xf32>) permutation = [1, 0]
// CHECK: tensor.concat dim(1) %{{.+}}, %{{.+}} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32>
func.func @transpose_concat(%x: tensor<2x3xf32>) -> (tensor<3x2xf32>, tensor<2x6xf32>) {
  %0 = graph.Transpose(%x) : (tensor<2x3xf32>) -> tensor<3x2xf32>
  %1 = graph.Concat(%x, %x) {axis = -1 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32>
  return %0, %1 : tensor<3x2xf32>, tensor<2x6xf32>
}

// -----

// Negative step: a strided extract_slice then a reversing generic.
// CHECK-DAG: #[[REV:.+]] = affine_map<(d0, d1) -> (d0, -d1 + 2)>
// CHECK-LABEL: func.func @slice_negative_step
// CHECK: %[[S:.+]] = tensor.extract_slice %{{.+}}[0, 1] [2, 3] [1, 2] : tensor<2x8xf32> to tensor<2x3xf32>
// CHECK: linalg.generic {indexing_maps = [#[[REV]], #{{.+}}]{{.*}} ins(%[[S]] :
func.func @slice_negative_step(%x: tensor<2x8xf32>) -> tensor<2x3xf32> {
  %starts = graph.Constant() {value = dense<[-3]> : tensor<1xi64>} : () -> tensor<1xi64>
  %ends = graph.Constant() {value = dense<[0]> : tensor<1xi64>} : () -> tensor<1xi64>
  %axes = graph.Constant() {value = dense<[1]> : tensor<1xi64>} : () -> tensor<1xi64>
  %steps = graph.Constant() {value = dense<[-2]> : tensor<1xi64>} : () -> tensor<1xi64>
  %0 = graph.Slice(%x, %starts, %ends, %axes, %steps) : (tensor<2x8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @gather
// CHECK-SAME: (%[[D:.+]]: tensor<5x4xf32>, %[[I:.+]]: tensor<2x3xi64>)
// CHECK: linalg.generic {{.*}} ins(%[[I]] : tensor<2x3xi64>) outs(%{{.+}} : tensor<2x3x4xf32>)
// CHECK: arith.index_cast
// CHECK: arith.select
// CHECK: %[[J:.+]] = linalg.index 2 : index
// CHECK: tensor.extract %[[D]][%{{.+}}, %[[J]]] : tensor<5x4xf32>
func.func @gather(%d: tensor<5x4xf32>, %i: tensor<2x3xi64>) -> tensor<2x3x4xf32> {
  %0 = graph.Gather(%d, %i) : (tensor<5x4xf32>, tensor<2x3xi64>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// CHECK-LABEL: func.func @split_pad
// CHECK: tensor.extract_slice %{{.+}}[0, 0] [2, 1] [1, 1]
// CHECK: tensor.extract_slice %{{.+}}[0, 1] [2, 3] [1, 1]
// CHECK: tensor.pad %{{.+}} low[0, 1] high[1, 2]
func.func @split_pad(%x: tensor<2x4xf32>) -> (tensor<2x1xf32>, tensor<2x3xf32>, tensor<3x7xf32>) {
  %s = graph.Constant() {value = dense<[1, 3]> : tensor<2xi64>} : () -> tensor<2xi64>
  %a, %b = graph.Split(%x, %s) {axis = 1 : i64} : (tensor<2x4xf32>, tensor<2xi64>) -> (tensor<2x1xf32>, tensor<2x3xf32>)
  %p = graph.Constant() {value = dense<[0, 1, 1, 2]> : tensor<4xi64>} : () -> tensor<4xi64>
  %n = graph.none
  %c = graph.Pad(%x, %p, %n, %n) : (tensor<2x4xf32>, tensor<4xi64>, none, none) -> tensor<3x7xf32>
  return %a, %b, %c : tensor<2x1xf32>, tensor<2x3xf32>, tensor<3x7xf32>
}

// -----

// Pad-18 `axes`: pads for dimension 1 only. Pad-19 `wrap`: the index wraps
// around the input (j mod n, made non-negative).
// CHECK-LABEL: func.func @pad_axes_wrap
// CHECK: tensor.pad %{{.+}} low[0, 2] high[0, 1]
// CHECK: linalg.generic
// CHECK: arith.remsi
// CHECK: arith.cmpi slt
// CHECK: arith.select
func.func @pad_axes_wrap(%x: tensor<2x4xf32>) -> (tensor<2x7xf32>, tensor<2x7xf32>) {
  %p = graph.Constant() {value = dense<[2, 1]> : tensor<2xi64>} : () -> tensor<2xi64>
  %a = graph.Constant() {value = dense<-1> : tensor<1xi64>} : () -> tensor<1xi64>
  %n = graph.none
  %0 = graph.Pad(%x, %p, %n, %a) : (tensor<2x4xf32>, tensor<2xi64>, none, tensor<1xi64>) -> tensor<2x7xf32>
  %1 = graph.Pad(%x, %p, %n, %a) {mode = #graph.pad_mode<wrap>} : (tensor<2x4xf32>, tensor<2xi64>, none, tensor<1xi64>) -> tensor<2x7xf32>
  return %0, %1 : tensor<2x7xf32>, tensor<2x7xf32>
}

// -----

// CHECK-DAG: #[[MOD:.+]] = affine_map<(d0, d1) -> (d0 mod 2, d1)>
// CHECK-LABEL: func.func @tile_shape
// CHECK: linalg.generic {indexing_maps = [#[[MOD]], #{{.+}}]
// CHECK: arith.constant dense<[2, 3]> : tensor<2xi64>
func.func @tile_shape(%x: tensor<2x3xf32>) -> (tensor<4x3xf32>, tensor<2xi64>) {
  %r = graph.Constant() {value = dense<[2, 1]> : tensor<2xi64>} : () -> tensor<2xi64>
  %0 = graph.Tile(%x, %r) : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<4x3xf32>
  %1 = graph.Shape(%x) : (tensor<2x3xf32>) -> tensor<2xi64>
  return %0, %1 : tensor<4x3xf32>, tensor<2xi64>
}

// -----

// A slice starting at the end is empty (tensor.extract_slice would reject
// its offset).
// CHECK-LABEL: func.func @empty_slice
// CHECK: tensor.empty() : tensor<2x0xf32>
// CHECK-NOT: tensor.extract_slice
func.func @empty_slice(%x: tensor<2x8xf32>) -> tensor<2x0xf32> {
  %s = graph.Constant() {value = dense<8> : tensor<1xi64>} : () -> tensor<1xi64>
  %e = graph.Constant() {value = dense<8> : tensor<1xi64>} : () -> tensor<1xi64>
  %a = graph.Constant() {value = dense<1> : tensor<1xi64>} : () -> tensor<1xi64>
  %n = graph.none
  %0 = graph.Slice(%x, %s, %e, %a, %n) : (tensor<2x8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<2x0xf32>
  return %0 : tensor<2x0xf32>
}

// -----

// Splats bigger than 64 KiB are filled at run time, not emitted whole into
// the kernel's object; small ones stay constants.
// CHECK-LABEL: func.func @big_splats
// CHECK-DAG: arith.constant dense<2.000000e+00> : tensor<4xf32>
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK-DAG: %[[SEVEN:.*]] = arith.constant 7 : i32
// CHECK-DAG: %[[E1:.*]] = tensor.empty() : tensor<4096x4096xf32>
// CHECK-DAG: linalg.fill ins(%[[ONE]] : f32) outs(%[[E1]] : tensor<4096x4096xf32>)
// CHECK-DAG: %[[E2:.*]] = tensor.empty() : tensor<1024x1024xi32>
// CHECK-DAG: linalg.fill ins(%[[SEVEN]] : i32) outs(%[[E2]] : tensor<1024x1024xi32>)
func.func @big_splats(%shape: tensor<2xi64>) -> (tensor<4xf32>, tensor<4096x4096xf32>, tensor<1024x1024xi32>) {
  %small = graph.Constant() {value = dense<2.0> : tensor<4xf32>} : () -> tensor<4xf32>
  %s = graph.Constant() {value = dense<[4096, 4096]> : tensor<2xi64>} : () -> tensor<2xi64>
  %big = graph.ConstantOfShape(%s) {value = dense<1.0> : tensor<1xf32>} : (tensor<2xi64>) -> tensor<4096x4096xf32>
  %bigc = graph.Constant() {value = dense<7> : tensor<1024x1024xi32>} : () -> tensor<1024x1024xi32>
  return %small, %big, %bigc : tensor<4xf32>, tensor<4096x4096xf32>, tensor<1024x1024xi32>
}

// -----

// A negative axis counts from the last (the signless attribute read as
// signed; -1 crashed the lowering): indices pick columns (wrapped by 4).
// CHECK-LABEL: func.func @gather_negative_axis
// CHECK: linalg.generic
// CHECK:   %[[IDX:.*]] = arith.index_cast %{{.*}} : i64 to index
// CHECK:   %[[C4:.*]] = arith.constant 4 : index
// CHECK:   arith.addi %[[IDX]], %[[C4]] : index
// CHECK:   %[[ROW:.*]] = linalg.index 0 : index
// CHECK:   tensor.extract %arg0[%[[ROW]], %{{.*}}] : tensor<3x4xf32>
func.func @gather_negative_axis(%x: tensor<3x4xf32>, %i: tensor<2xi64>) -> tensor<3x2xf32> {
  %0 = graph.Gather(%x, %i) {axis = -1 : i64} : (tensor<3x4xf32>, tensor<2xi64>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}
