// RUN: hcc-opt %s --convert-graph-to-linalg --split-input-file | FileCheck %s

// rank[i] = #{j : x[j] beats x[i]} (ties to the lower index), then the
// element of rank r is selected for output position r.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[ALONG:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @topk_smallest
// CHECK: %[[R:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[ALONG]], #[[ID]]], iterator_types = ["parallel", "parallel", "reduction"]} {{.*}} outs(%{{.+}} : tensor<3x4xi64>)
// CHECK: arith.cmpf olt
// CHECK: arith.cmpf oeq
// CHECK: arith.cmpi slt
// CHECK: %{{.+}}:2 = linalg.generic {indexing_maps = [#[[ALONG]], #[[ALONG]], #[[ID]], #[[ID]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[R]], %{{.+}} : tensor<3x4xi64>, tensor<3x4xf32>) outs(%{{.+}}, %{{.+}} : tensor<3x2xf32>, tensor<3x2xi64>)
func.func @topk_smallest(%x: tensor<3x4xf32>, %k: tensor<1xi64>) -> (tensor<3x2xf32>, tensor<3x2xi64>) {
  %v, %i = graph.TopK(%x, %k) {axis = -1 : i64, largest = 0 : i64} : (tensor<3x4xf32>, tensor<1xi64>) -> (tensor<3x2xf32>, tensor<3x2xi64>)
  return %v, %i : tensor<3x2xf32>, tensor<3x2xi64>
}

// -----

// CHECK-LABEL: func.func @topk_largest_unsigned
// CHECK: arith.cmpi ugt
func.func @topk_largest_unsigned(%x: tensor<5xui8>, %k: tensor<1xi64>) -> (tensor<3xui8>, tensor<3xi64>) {
  %v, %i = graph.TopK(%x, %k) : (tensor<5xui8>, tensor<1xi64>) -> (tensor<3xui8>, tensor<3xi64>)
  return %v, %i : tensor<3xui8>, tensor<3xi64>
}
