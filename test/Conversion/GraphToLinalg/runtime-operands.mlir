// RUN: hcc-opt %s --convert-graph-to-linalg --split-input-file | FileCheck %s

// Run-time starts/axes/steps: per-dimension start and step computed before
// the generic (axes wrapped, starts wrapped and clamped), then one generic
// over the static output reading input[start + i * step] (clamped).
// CHECK-LABEL: func.func @slice_runtime
// CHECK-SAME: (%[[X:.+]]: tensor<20x10x5xf32>, %[[S:.+]]: tensor<2xi64>, %{{.+}}: tensor<2xi64>, %[[A:.+]]: tensor<2xi64>, %[[ST:.+]]: tensor<2xi64>)
// CHECK: tensor.extract %[[S]][%{{.+}}] : tensor<2xi64>
// CHECK: tensor.extract %[[ST]][%{{.+}}] : tensor<2xi64>
// CHECK: tensor.extract %[[A]][%{{.+}}] : tensor<2xi64>
// CHECK: arith.select
// CHECK: linalg.generic {{.*}} outs(%{{.+}} : tensor<3x10x5xf32>)
// CHECK: linalg.index 0
// CHECK: arith.muli
// CHECK: arith.addi
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: %[[V:.+]] = tensor.extract %[[X]][%{{.+}}, %{{.+}}, %{{.+}}] : tensor<20x10x5xf32>
// CHECK-NEXT: linalg.yield %[[V]]
func.func @slice_runtime(%x: tensor<20x10x5xf32>, %s: tensor<2xi64>, %e: tensor<2xi64>, %a: tensor<2xi64>, %st: tensor<2xi64>) -> tensor<3x10x5xf32> {
  %0 = graph.Slice(%x, %s, %e, %a, %st) : (tensor<20x10x5xf32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<3x10x5xf32>
  return %0 : tensor<3x10x5xf32>
}

// -----

// Constant operands keep the tensor.extract_slice path.
// CHECK-LABEL: func.func @slice_constant
// CHECK: tensor.extract_slice %{{.+}}[1, 0] [2, 4] [1, 1]
// CHECK-NOT: linalg.generic
func.func @slice_constant(%x: tensor<4x4xf32>) -> tensor<2x4xf32> {
  %s = graph.Constant() {value = dense<[1]> : tensor<1xi64>} : () -> tensor<1xi64>
  %e = graph.Constant() {value = dense<[3]> : tensor<1xi64>} : () -> tensor<1xi64>
  %n = graph.none
  %0 = graph.Slice(%x, %s, %e, %n, %n) : (tensor<4x4xf32>, tensor<1xi64>, tensor<1xi64>, none, none) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// Constant mode: bounds check of out - pad_begin, run-time pad value.
// CHECK-LABEL: func.func @pad_constant
// CHECK-SAME: (%[[X:.+]]: tensor<3x4xf32>, %[[P:.+]]: tensor<4xi64>, %[[V:.+]]: tensor<f32>)
// CHECK-DAG: %[[PV:.+]] = tensor.extract %[[V]][] : tensor<f32>
// CHECK-DAG: %[[L0:.+]] = tensor.extract %[[P]][%{{.+}}] : tensor<4xi64>
// CHECK: linalg.generic {{.*}} outs(%{{.+}} : tensor<5x7xf32>)
// CHECK: linalg.index 0
// CHECK: arith.subi
// CHECK: arith.cmpi slt
// CHECK: arith.cmpi sge
// CHECK: %[[E:.+]] = tensor.extract %[[X]][%{{.+}}, %{{.+}}] : tensor<3x4xf32>
// CHECK: arith.select %{{.+}}, %[[E]], %[[PV]] : f32
func.func @pad_constant(%x: tensor<3x4xf32>, %p: tensor<4xi64>, %v: tensor<f32>) -> tensor<5x7xf32> {
  %n = graph.none
  %0 = graph.Pad(%x, %p, %v, %n) : (tensor<3x4xf32>, tensor<4xi64>, tensor<f32>, none) -> tensor<5x7xf32>
  return %0 : tensor<5x7xf32>
}

// -----

// Edge mode: the source index is clamped.
// CHECK-LABEL: func.func @pad_edge
// CHECK: linalg.generic {{.*}} outs(%{{.+}} : tensor<5x7xi32>)
// CHECK: %[[J:.+]] = arith.subi
// CHECK: %[[C:.+]] = arith.maxsi %[[J]]
// CHECK: arith.minsi %[[C]]
// CHECK-NOT: arith.select
// CHECK: linalg.yield
func.func @pad_edge(%x: tensor<3x4xi32>, %p: tensor<4xi64>) -> tensor<5x7xi32> {
  %n = graph.none
  %0 = graph.Pad(%x, %p, %n, %n) {mode = #graph.pad_mode<edge>} : (tensor<3x4xi32>, tensor<4xi64>, none, none) -> tensor<5x7xi32>
  return %0 : tensor<5x7xi32>
}

// -----

// Reflect mode: mirrored with period 2 (n - 1) (4 and 6 here).
// CHECK-LABEL: func.func @pad_reflect
// CHECK: linalg.generic {{.*}} outs(%{{.+}} : tensor<5x7xf32>)
// CHECK-DAG: %[[P0:.+]] = arith.constant 4 : index
// CHECK: arith.remsi %{{.+}}, %[[P0]] : index
// CHECK: %[[P1:.+]] = arith.constant 6 : index
// CHECK: arith.remsi %{{.+}}, %[[P1]] : index
func.func @pad_reflect(%x: tensor<3x4xf32>, %p: tensor<4xi64>) -> tensor<5x7xf32> {
  %n = graph.none
  %0 = graph.Pad(%x, %p, %n, %n) {mode = #graph.pad_mode<reflect>} : (tensor<3x4xf32>, tensor<4xi64>, none, none) -> tensor<5x7xf32>
  return %0 : tensor<5x7xf32>
}

// -----

// keepdims = 1: the reduced axes follow from the shapes (dim 1).
// CHECK-LABEL: func.func @reduce_sum_keepdims
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction", "parallel"]
// CHECK: tensor.expand_shape {{.*}} into tensor<3x1x2xf32>
func.func @reduce_sum_keepdims(%x: tensor<3x2x2xf32>, %a: tensor<1xi64>) -> tensor<3x1x2xf32> {
  %0 = graph.ReduceSum(%x, %a) : (tensor<3x2x2xf32>, tensor<1xi64>) -> tensor<3x1x2xf32>
  return %0 : tensor<3x1x2xf32>
}

// -----

// keepdims = 0, 3x2x2 -> 3x2: axis 1 or 2; both reduced, the run-time axis
// (1 or -2 names the first) selects.
// CHECK-LABEL: func.func @reduce_sum_ambiguous
// CHECK-SAME: (%[[X:.+]]: tensor<3x2x2xf32>, %[[A:.+]]: tensor<1xi64>)
// CHECK: %[[AV:.+]] = tensor.extract %[[A]][%{{.+}}] : tensor<1xi64>
// CHECK: %[[R2:.+]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: arith.cmpi eq, %[[AV]], %{{.+}} : i64
// CHECK: arith.cmpi eq, %[[AV]], %{{.+}} : i64
// CHECK: %[[M:.+]] = arith.ori
// CHECK: %[[R1:.+]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction", "parallel"]
// CHECK: %[[Y:.+]] = linalg.generic {{.*}} ins(%[[R1]], %[[R2]] : tensor<3x2xf32>, tensor<3x2xf32>)
// CHECK: arith.select %[[M]]
// CHECK: return %[[Y]]
func.func @reduce_sum_ambiguous(%x: tensor<3x2x2xf32>, %a: tensor<1xi64>) -> tensor<3x2xf32> {
  %0 = graph.ReduceSum(%x, %a) {keepdims = 0 : i64} : (tensor<3x2x2xf32>, tensor<1xi64>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// An empty axes tensor: identity with noop_with_empty_axes ...
// CHECK-LABEL: func.func @reduce_sum_noop
// CHECK-SAME: (%[[X:.+]]: tensor<3x2x2xf32>
// CHECK-NEXT: return %[[X]]
func.func @reduce_sum_noop(%x: tensor<3x2x2xf32>, %a: tensor<0xi64>) -> tensor<3x2x2xf32> {
  %0 = graph.ReduceSum(%x, %a) {noop_with_empty_axes = 1 : i64} : (tensor<3x2x2xf32>, tensor<0xi64>) -> tensor<3x2x2xf32>
  return %0 : tensor<3x2x2xf32>
}

// -----

// ... else a reduction over every axis.
// CHECK-LABEL: func.func @reduce_sum_empty_all
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "reduction", "reduction"]
// CHECK: tensor.expand_shape {{.*}} into tensor<1x1x1xf32>
func.func @reduce_sum_empty_all(%x: tensor<3x2x2xf32>, %a: tensor<0xi64>) -> tensor<1x1x1xf32> {
  %0 = graph.ReduceSum(%x, %a) : (tensor<3x2x2xf32>, tensor<0xi64>) -> tensor<1x1x1xf32>
  return %0 : tensor<1x1x1xf32>
}
