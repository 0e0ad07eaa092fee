// RUN: hcc-opt %s --convert-graph-to-linalg --split-input-file | FileCheck %s

// Runtime training_mode/ratio: a hash of the linear index decides keep,
// kept values scaled by 1 / (1 - ratio) in training; the mask is the same
// predicate.
// CHECK-LABEL: func.func @dropout_training
// CHECK-SAME: (%[[X:.+]]: tensor<3x4xf32>, %[[R:.+]]: tensor<f32>, %[[T:.+]]: tensor<i1>)
// CHECK-DAG: %[[TV:.+]] = tensor.extract %[[T]][] : tensor<i1>
// CHECK-DAG: %[[RV:.+]] = tensor.extract %[[R]][] : tensor<f32>
// CHECK: %[[Y:.+]] = linalg.generic {{.*}} ins(%[[X]] : tensor<3x4xf32>)
// CHECK: linalg.index 0
// CHECK: arith.cmpf oge, %{{.+}}, %[[RV]] : f32
// CHECK: arith.xori %[[TV]], %{{.+}} : i1
// CHECK: %[[M:.+]] = linalg.generic {{.*}} outs(%{{.+}} : tensor<3x4xi1>)
// CHECK: return %[[Y]], %[[M]]
func.func @dropout_training(%x: tensor<3x4xf32>, %r: tensor<f32>, %t: tensor<i1>) -> (tensor<3x4xf32>, tensor<3x4xi1>) {
  %y, %m = graph.Dropout(%x, %r, %t) {seed = 0 : i64} : (tensor<3x4xf32>, tensor<f32>, tensor<i1>) -> (tensor<3x4xf32>, tensor<3x4xi1>)
  return %y, %m : tensor<3x4xf32>, tensor<3x4xi1>
}

// -----

// Batch statistics by reductions over all dims but 1; running statistics
// blended with momentum.
// CHECK-LABEL: func.func @batchnorm_training
// CHECK: %[[SUM:.+]] = linalg.generic {{.*}} iterator_types = ["reduction", "parallel", "reduction"]
// CHECK: %[[MEAN:.+]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<3xf32>)
// CHECK: %[[SQ:.+]] = linalg.generic {{.*}} iterator_types = ["reduction", "parallel", "reduction"]{{.*}} ins(%{{.+}}, %[[MEAN]] : tensor<2x3x4xf32>, tensor<3xf32>)
// CHECK: %[[VAR:.+]] = linalg.generic {{.*}} ins(%[[SQ]] : tensor<3xf32>)
// CHECK: %[[Y:.+]] = linalg.generic {{.*}} ins(%{{.+}}, %[[MEAN]], %[[VAR]], %{{.+}}, %{{.+}} :
// CHECK: math.sqrt
// CHECK: %[[RM:.+]] = linalg.generic {{.*}} ins(%{{.+}}, %[[MEAN]] :
// CHECK: %[[RV:.+]] = linalg.generic {{.*}} ins(%{{.+}}, %[[VAR]] :
// CHECK: return %[[Y]], %[[RM]], %[[RV]]
func.func @batchnorm_training(%x: tensor<2x3x4xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>) {
  %y, %rm, %rv = graph.BatchNormalization(%x, %s, %b, %m, %v) {training_mode = 1 : i64} : (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>)
  return %y, %rm, %rv : tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>
}

// -----

// One reduction generic with two outputs: the max and the flat index of
// the first maximum (strictly greater replaces).
// CHECK-LABEL: func.func @maxpool_indices
// CHECK: %[[R:.+]]:2 = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]{{.*}} outs(%{{.+}}, %{{.+}} : tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>)
// CHECK: %[[GT:.+]] = arith.cmpf ogt
// CHECK: arith.select %[[GT]], %{{.+}}, %{{.+}} : f32
// CHECK: arith.select %[[GT]], %{{.+}}, %{{.+}} : i64
// CHECK: return %[[R]]#0, %[[R]]#1
func.func @maxpool_indices(%x: tensor<1x1x5x5xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>) {
  %y, %i = graph.MaxPool(%x) {kernel_shape = [2, 2], strides = [2, 2], storage_order = 1 : i64} : (tensor<1x1x5x5xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>)
  return %y, %i : tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>
}

// -----

// Squares padded along channels by (size - 1) / 2 low and the rest high,
// a windowed sum, then x / (bias + alpha / size * sum) ^ beta.
// CHECK-LABEL: func.func @lrn
// CHECK: %[[SQ:.+]] = linalg.generic
// CHECK: %[[P:.+]] = tensor.pad %[[SQ]] low[0, 1, 0, 0] high[0, 1, 0, 0]
// CHECK: %[[S:.+]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%[[P]], %{{.+}} : tensor<1x7x2x2xf32>, tensor<3xf32>)
// CHECK: linalg.generic {{.*}} ins(%{{.+}}, %[[S]] :
// CHECK: math.powf
// CHECK: arith.divf
func.func @lrn(%x: tensor<1x5x2x2xf32>) -> tensor<1x5x2x2xf32> {
  %0 = graph.LRN(%x) {size = 3 : i64} : (tensor<1x5x2x2xf32>) -> tensor<1x5x2x2xf32>
  return %0 : tensor<1x5x2x2xf32>
}

// -----

// Unsigned MaxPool (no Indices): same generic, unsigned compare, padded
// with 0; the absent Indices result stays none.
// CHECK-LABEL: func.func @maxpool_uint8
// CHECK: tensor.pad
// CHECK: %[[R:.+]]:2 = linalg.generic
// CHECK: arith.cmpi ugt
// CHECK: return %[[R]]#0 : tensor<1x1x5x5xi8>
func.func @maxpool_uint8(%x: tensor<1x1x5x5xui8>) -> tensor<1x1x5x5xui8> {
  %y, %i = graph.MaxPool(%x) {kernel_shape = [5, 5], pads = [2, 2, 2, 2]} : (tensor<1x1x5x5xui8>) -> (tensor<1x1x5x5xui8>, none)
  return %y : tensor<1x1x5x5xui8>
}
