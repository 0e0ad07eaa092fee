// RUN: hcc-opt %s --convert-graph-to-linalg --split-input-file | FileCheck %s

// The first region of graph.If is else_branch (ODS order), the second
// then_branch; both become the scf.if branches with their ops converted.
// CHECK-LABEL: func.func @if_select
// CHECK: %[[C:[a-z0-9_]+]] = tensor.extract %{{.+}}[] : tensor<i1>
// CHECK: %[[R:[a-z0-9_]+]] = scf.if %[[C]] -> (tensor<4xf32>) {
// CHECK: arith.addf
// CHECK: scf.yield %{{.+}} : tensor<4xf32>
// CHECK: } else {
// CHECK: arith.select
// CHECK: scf.yield %{{.+}} : tensor<4xf32>
// CHECK: return %[[R]]
// CHECK-NOT: graph.
func.func @if_select(%c: tensor<i1>, %a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %r = graph.If(%c) : (tensor<i1>) -> tensor<4xf32> {
    %y = graph.Relu(%a) : (tensor<4xf32>) -> tensor<4xf32>
    graph.yield %y : tensor<4xf32>
  }, {
    %x = graph.Add(%a, %b) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
    graph.yield %x : tensor<4xf32>
  }
  return %r : tensor<4xf32>
}

// -----

// Loop-carried tensors first, then the iteration number and condition; the
// loop runs while cond && i < min(M, 5); scan elements go to row i, then
// the carried values are copied into their iteration arguments (in place).
// CHECK-LABEL: func.func @loop_scan_output
// CHECK: %[[M:[a-z0-9_]+]] = tensor.extract %arg0[] : tensor<i64>
// CHECK: %[[BOUND:[a-z0-9_]+]] = arith.minsi %[[M]], %{{.+}} : i64
// CHECK: %[[C0:[a-z0-9_]+]] = tensor.extract %arg1[] : tensor<i1>
// CHECK: %[[ACC:[a-z0-9_]+]] = linalg.fill {{.*}} -> tensor<5x1xf32>
// CHECK: %[[W:[a-z0-9_]+]]:4 = scf.while (%[[V:[a-z0-9_]+]] = %arg2, %[[A:[a-z0-9_]+]] = %[[ACC]], %[[I:[a-z0-9_]+]] = %{{.+}}, %[[K:[a-z0-9_]+]] = %[[C0]]) : (tensor<1xf32>, tensor<5x1xf32>, i64, i1)
// CHECK: %[[LT:[a-z0-9_]+]] = arith.cmpi slt, %[[I]], %[[BOUND]] : i64
// CHECK: %[[GO:[a-z0-9_]+]] = arith.andi %[[LT]], %[[K]] : i1
// CHECK: scf.condition(%[[GO]])
// CHECK: } do {
// CHECK: tensor.from_elements %{{.+}} : tensor<i64>
// CHECK: %[[E:[a-z0-9_]+]]:3 = scf.execute_region -> (tensor<i1>, tensor<1xf32>, tensor<1xf32>)
// CHECK: arith.sitofp
// CHECK: arith.addf
// CHECK: scf.yield
// CHECK: tensor.insert_slice %[[E]]#2 into %{{.+}}[%{{.+}}, 0] [1, 1] [1, 1] : tensor<1xf32> into tensor<5x1xf32>
// CHECK: linalg.copy ins(%[[E]]#1 : tensor<1xf32>) outs(%{{.+}} : tensor<1xf32>)
// CHECK: arith.addi
// CHECK: tensor.extract %[[E]]#0[] : tensor<i1>
// CHECK: return %[[W]]#0, %[[W]]#1
func.func @loop_scan_output(%m: tensor<i64>, %c: tensor<i1>, %y: tensor<1xf32>) -> (tensor<1xf32>, tensor<5x1xf32>) {
  %r:2 = graph.Loop(%m, %c, %y) : (tensor<i64>, tensor<i1>, tensor<1xf32>) -> (tensor<1xf32>, tensor<5x1xf32>) {
  ^bb0(%i: tensor<i64>, %ci: tensor<i1>, %v: tensor<1xf32>):
    %f = graph.Cast(%i) {to = 1 : i64} : (tensor<i64>) -> tensor<f32>
    %n = graph.Add(%v, %f) : (tensor<1xf32>, tensor<f32>) -> tensor<1xf32>
    graph.yield %ci, %n, %n : tensor<i1>, tensor<1xf32>, tensor<1xf32>
  }
  return %r#0, %r#1 : tensor<1xf32>, tensor<5x1xf32>
}

// -----

// Absent M and cond: bound INT64_MAX, initial condition true.
// CHECK-LABEL: func.func @loop_while
// CHECK-DAG: %[[MAX:[a-z0-9_]+]] = arith.constant 9223372036854775807 : i64
// CHECK-DAG: %[[TRUE:[a-z0-9_]+]] = arith.constant true
// CHECK: scf.while (%{{.+}} = %arg0, %[[I:[a-z0-9_]+]] = %{{.+}}, %{{.+}} = %[[TRUE]])
// CHECK: arith.cmpi slt, %[[I]], %[[MAX]] : i64
func.func @loop_while(%x: tensor<2xf32>) -> tensor<2xf32> {
  %none = graph.none
  %r = graph.Loop(%none, %none, %x) : (none, none, tensor<2xf32>) -> tensor<2xf32> {
  ^bb0(%i: tensor<i64>, %ci: tensor<i1>, %v: tensor<2xf32>):
    %n = graph.Add(%v, %v) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
    %s = graph.ReduceSum(%n, %none) {keepdims = 0 : i64} : (tensor<2xf32>, none) -> tensor<f32>
    %lim = graph.Constant() {value = dense<1.0e+02> : tensor<f32>} : () -> tensor<f32>
    %k = graph.Less(%s, %lim) : (tensor<f32>, tensor<f32>) -> tensor<i1>
    graph.yield %k, %n : tensor<i1>, tensor<2xf32>
  }
  return %r : tensor<2xf32>
}

// -----

// Scan over axis 1 backwards; the scan output is written forwards along
// its last axis.
// CHECK-LABEL: func.func @scan_reverse_axis1
// CHECK-DAG: %[[C3:[a-z0-9_]+]] = arith.constant 3 : index
// CHECK-DAG: %[[C2:[a-z0-9_]+]] = arith.constant 2 : index
// CHECK: %[[R:[a-z0-9_]+]]:2 = scf.for %[[T:[a-z0-9_]+]] = %{{.+}} to %[[C3]] step %{{.+}} iter_args(%[[S:[a-z0-9_]+]] = %arg0, %[[A:[a-z0-9_]+]] = %{{.+}}) -> (tensor<2xf32>, tensor<2x3xf32>)
// CHECK: %[[REV:[a-z0-9_]+]] = arith.subi %[[C2]], %[[T]] : index
// CHECK: %[[E:[a-z0-9_]+]] = tensor.extract_slice %arg1[0, %[[REV]]] [2, 1] [1, 1] : tensor<2x3xf32> to tensor<2xf32>
// CHECK: %[[B:[a-z0-9_]+]]:2 = scf.execute_region -> (tensor<2xf32>, tensor<2xf32>)
// CHECK: ins(%[[S]], %[[E]] : tensor<2xf32>, tensor<2xf32>)
// CHECK: %[[NA:[a-z0-9_]+]] = tensor.insert_slice %[[B]]#1 into %[[A]][0, %[[T]]] [2, 1] [1, 1] : tensor<2xf32> into tensor<2x3xf32>
// CHECK: %[[NS:[a-z0-9_]+]] = linalg.copy ins(%[[B]]#0 : tensor<2xf32>) outs(%[[S]] : tensor<2xf32>)
// CHECK: scf.yield %[[NS]], %[[NA]]
// CHECK: return %[[R]]#0, %[[R]]#1
func.func @scan_reverse_axis1(%init: tensor<2xf32>, %x: tensor<2x3xf32>) -> (tensor<2xf32>, tensor<2x3xf32>) {
  %r:2 = graph.Scan(%init, %x) attributes {num_scan_inputs = 1 : i64, scan_input_axes = [1], scan_input_directions = [1], scan_output_axes = [-1]} : (tensor<2xf32>, tensor<2x3xf32>) -> (tensor<2xf32>, tensor<2x3xf32>) {
  ^bb0(%s: tensor<2xf32>, %e: tensor<2xf32>):
    %n = graph.Add(%s, %e) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
    graph.yield %n, %n : tensor<2xf32>, tensor<2xf32>
  }
  return %r#0, %r#1 : tensor<2xf32>, tensor<2x3xf32>
}

// -----

// Scan-8 (batch axis 0 everywhere, found from the body's ranks): an outer
// loop over the batch rows around the scan.
// CHECK-LABEL: func.func @scan8_batched
// CHECK: scf.for %[[B:[a-z0-9_]+]] = {{.+}} -> (tensor<1x2xf32>, tensor<1x3x2xf32>)
// CHECK: tensor.extract_slice %arg0[%[[B]], 0] [1, 2] [1, 1] : tensor<1x2xf32> to tensor<2xf32>
// CHECK: tensor.extract_slice %arg1[%[[B]], 0, 0] [1, 3, 2] [1, 1, 1] : tensor<1x3x2xf32> to tensor<3x2xf32>
// CHECK: scf.for {{.+}} -> (tensor<2xf32>, tensor<3x2xf32>)
// CHECK: tensor.extract_slice %{{.+}}[%{{.+}}, 0] [1, 2] [1, 1] : tensor<3x2xf32> to tensor<2xf32>
// CHECK: tensor.insert_slice %{{.+}} into %{{.+}}[%[[B]], 0] [1, 2] [1, 1] : tensor<2xf32> into tensor<1x2xf32>
// CHECK: tensor.insert_slice %{{.+}} into %{{.+}}[%[[B]], 0, 0] [1, 3, 2] [1, 1, 1] : tensor<3x2xf32> into tensor<1x3x2xf32>
func.func @scan8_batched(%init: tensor<1x2xf32>, %x: tensor<1x3x2xf32>) -> (tensor<1x2xf32>, tensor<1x3x2xf32>) {
  %r:2 = graph.Scan(%init, %x) attributes {num_scan_inputs = 1 : i64} : (tensor<1x2xf32>, tensor<1x3x2xf32>) -> (tensor<1x2xf32>, tensor<1x3x2xf32>) {
  ^bb0(%s: tensor<2xf32>, %e: tensor<2xf32>):
    %n = graph.Add(%s, %e) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
    graph.yield %n, %n : tensor<2xf32>, tensor<2xf32>
  }
  return %r#0, %r#1 : tensor<1x2xf32>, tensor<1x3x2xf32>
}

// -----

// Loop-carried values swapped: the one read from another iteration
// argument is copied to a fresh tensor before the in-place copies.
// CHECK-LABEL: func.func @loop_swap
// CHECK: scf.while (%[[A:[a-z0-9_]+]] = %arg1, %[[B:[a-z0-9_]+]] = %arg2
// CHECK: } do {
// CHECK: ^bb0(%[[A2:[a-z0-9_]+]]: tensor<2xf32>, %[[B2:[a-z0-9_]+]]: tensor<2xf32>
// CHECK: %[[S:[a-z0-9_]+]]:3 = scf.execute_region
// CHECK: %[[F:[a-z0-9_]+]] = linalg.copy ins(%[[B2]] : tensor<2xf32>) outs(%{{.+}} : tensor<2xf32>)
// CHECK: linalg.copy ins(%[[F]] : tensor<2xf32>) outs(%[[A2]] : tensor<2xf32>)
// CHECK: linalg.copy ins(%[[S]]#2 : tensor<2xf32>) outs(%[[B2]] : tensor<2xf32>)
func.func @loop_swap(%m: tensor<i64>, %a: tensor<2xf32>, %b: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  %none = graph.none
  %r:2 = graph.Loop(%m, %none, %a, %b) : (tensor<i64>, none, tensor<2xf32>, tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  ^bb0(%i: tensor<i64>, %c: tensor<i1>, %x: tensor<2xf32>, %y: tensor<2xf32>):
    %s = graph.Add(%x, %y) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
    graph.yield %c, %y, %s : tensor<i1>, tensor<2xf32>, tensor<2xf32>
  }
  return %r#0, %r#1 : tensor<2xf32>, tensor<2xf32>
}
