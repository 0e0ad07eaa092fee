// RUN: hcc-opt %s --split-input-file --hcc-infer-shapes=fold-constants=false | FileCheck %s

// CHECK-LABEL: func @cast_keeps_symbols
// CHECK: graph.Cast{{.*}} -> tensor<?x3xf16, #graph.dims<["N", ""]>>
// CHECK: graph.CastLike{{.*}} -> tensor<?x3xi64, #graph.dims<["N", ""]>>
func.func @cast_keeps_symbols(%x: tensor<?x3xf32, #graph.dims<["N", ""]>>, %t: tensor<i64>) -> (tensor<*xf16>, tensor<*xi64>) {
  %0 = graph.Cast(%x) {to = 10 : i64} : (tensor<?x3xf32, #graph.dims<["N", ""]>>) -> tensor<*xf16>
  %1 = graph.CastLike(%x, %t) : (tensor<?x3xf32, #graph.dims<["N", ""]>>, tensor<i64>) -> tensor<*xi64>
  return %0, %1 : tensor<*xf16>, tensor<*xi64>
}

// -----

// CHECK-LABEL: func @constants
// CHECK: graph.Constant() {value_ints = [1, 2, 3]} : () -> tensor<3xi64>
// CHECK: graph.ConstantOfShape{{.*}} -> tensor<2x5xi32>
// CHECK: graph.Shape{{.*}} -> tensor<2xi64>
// CHECK: graph.Size{{.*}} -> tensor<i64>
func.func @constants(%x: tensor<?x?x4xf32>) -> (tensor<*xi64>, tensor<*xi32>, tensor<*xi64>, tensor<*xi64>) {
  %0 = graph.Constant() {value_ints = [1, 2, 3]} : () -> tensor<*xi64>
  %s = graph.Constant() {value = dense<[2, 5]> : tensor<2xi64>} : () -> tensor<2xi64>
  %1 = graph.ConstantOfShape(%s) {value = dense<1> : tensor<1xi32>} : (tensor<2xi64>) -> tensor<*xi32>
  %2 = graph.Shape(%x) {start = 1 : i64} : (tensor<?x?x4xf32>) -> tensor<*xi64>
  %3 = graph.Size(%x) : (tensor<?x?x4xf32>) -> tensor<*xi64>
  return %0, %1, %2, %3 : tensor<*xi64>, tensor<*xi32>, tensor<*xi64>, tensor<*xi64>
}

// -----

// CHECK-LABEL: func @reshape
// CHECK: graph.Reshape{{.*}} -> tensor<?x12xf32, #graph.dims<["N", ""]>>
// CHECK: graph.Reshape{{.*}} -> tensor<6x2x?xf32>
// CHECK: graph.Reshape{{.*}} -> tensor<0x3xf32>
// CHECK: graph.Flatten{{.*}} -> tensor<?x12xf32, #graph.dims<["N", ""]>>
// CHECK: graph.Flatten{{.*}} -> tensor<1x?xf32>
func.func @reshape(%x: tensor<?x3x4xf32, #graph.dims<["N", "", ""]>>, %y: tensor<3x4xf32>, %z: tensor<0x3xf32>, %dyn: tensor<3xi64>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %s0 = graph.Constant() {value = dense<[0, -1]> : tensor<2xi64>} : () -> tensor<2xi64>
  %0 = graph.Reshape(%x, %s0) : (tensor<?x3x4xf32, #graph.dims<["N", "", ""]>>, tensor<2xi64>) -> tensor<*xf32>
  %s1 = graph.Constant() {value = dense<[6, 2, -1]> : tensor<3xi64>} : () -> tensor<3xi64>
  %1 = graph.Reshape(%x, %s1) : (tensor<?x3x4xf32, #graph.dims<["N", "", ""]>>, tensor<3xi64>) -> tensor<*xf32>
  %s2 = graph.Constant() {value = dense<[0, 3]> : tensor<2xi64>} : () -> tensor<2xi64>
  %2 = graph.Reshape(%z, %s2) {allowzero = 1 : i64} : (tensor<0x3xf32>, tensor<2xi64>) -> tensor<*xf32>
  %3 = graph.Flatten(%x) : (tensor<?x3x4xf32, #graph.dims<["N", "", ""]>>) -> tensor<*xf32>
  %4 = graph.Flatten(%x) {axis = 0 : i64} : (tensor<?x3x4xf32, #graph.dims<["N", "", ""]>>) -> tensor<*xf32>
  return %0, %1, %2, %3, %4 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// CHECK-LABEL: func @reshape_dynamic_shape
// CHECK: graph.Reshape{{.*}} -> tensor<?x?x?xf32>
func.func @reshape_dynamic_shape(%x: tensor<3x4xf32>, %s: tensor<3xi64>) -> tensor<*xf32> {
  %0 = graph.Reshape(%x, %s) : (tensor<3x4xf32>, tensor<3xi64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// CHECK-LABEL: func @transpose_concat_split
// CHECK: graph.Transpose{{.*}} -> tensor<4x?x3xf32, #graph.dims<["", "N", ""]>>
// CHECK: graph.Transpose{{.*}} -> tensor<3x?xf32, #graph.dims<["", "N"]>>
// CHECK: graph.Concat{{.*}} -> tensor<?x8xf32, #graph.dims<["N", ""]>>
// CHECK: graph.Split{{.*}} -> (tensor<?x2xf32, #graph.dims<["N", ""]>>, tensor<?x6xf32, #graph.dims<["N", ""]>>)
// CHECK: graph.Split{{.*}} -> (tensor<?x4xf32, #graph.dims<["N", ""]>>, tensor<?x4xf32, #graph.dims<["N", ""]>>)
// Split-18 num_outputs: chunks of ceil(8 / 3) = 3, the last one smaller.
// CHECK: graph.Split{{.*}} -> (tensor<?x3xf32, #graph.dims<["N", ""]>>, tensor<?x3xf32, #graph.dims<["N", ""]>>, tensor<?x2xf32, #graph.dims<["N", ""]>>)
func.func @transpose_concat_split(%x: tensor<?x3x4xf32, #graph.dims<["N", "", ""]>>, %a: tensor<?x3xf32, #graph.dims<["N", ""]>>, %b: tensor<?x5xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %0 = graph.Transpose(%x) {perm = [2, 0, 1]} : (tensor<?x3x4xf32, #graph.dims<["N", "", ""]>>) -> tensor<*xf32>
  %1 = graph.Transpose(%a) : (tensor<?x3xf32, #graph.dims<["N", ""]>>) -> tensor<*xf32>
  %2 = graph.Concat(%a, %b) {axis = -1 : i64} : (tensor<?x3xf32, #graph.dims<["N", ""]>>, tensor<?x5xf32>) -> tensor<*xf32>
  %sp = graph.Constant() {value = dense<[2, 6]> : tensor<2xi64>} : () -> tensor<2xi64>
  %3:2 = graph.Split(%2, %sp) {axis = 1 : i64} : (tensor<*xf32>, tensor<2xi64>) -> (tensor<*xf32>, tensor<*xf32>)
  %n = graph.none
  %4:2 = graph.Split(%2, %n) {axis = 1 : i64} : (tensor<*xf32>, none) -> (tensor<*xf32>, tensor<*xf32>)
  %5:3 = graph.Split(%2, %n) {axis = 1 : i64, num_outputs = 3 : i64} : (tensor<*xf32>, none) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>)
  return %0, %1, %2, %3#0, %3#1, %4#0, %4#1 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// CHECK-LABEL: func @squeeze_unsqueeze
// CHECK: graph.Squeeze{{.*}} -> tensor<?x3xf32, #graph.dims<["N", ""]>>
// CHECK: graph.Squeeze{{.*}} -> tensor<3xf32>
// CHECK: graph.Unsqueeze{{.*}} -> tensor<1x?x1x3xf32, #graph.dims<["", "N", "", ""]>>
// CHECK: graph.Unsqueeze{{.*}} -> tensor<?x?x?x?xf32>
func.func @squeeze_unsqueeze(%x: tensor<?x1x3xf32, #graph.dims<["N", "", ""]>>, %y: tensor<1x3x1xf32>, %a: tensor<2xi64>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %ax = graph.Constant() {value = dense<[1]> : tensor<1xi64>} : () -> tensor<1xi64>
  %0 = graph.Squeeze(%x, %ax) : (tensor<?x1x3xf32, #graph.dims<["N", "", ""]>>, tensor<1xi64>) -> tensor<*xf32>
  %n = graph.none
  %1 = graph.Squeeze(%y, %n) : (tensor<1x3x1xf32>, none) -> tensor<*xf32>
  %ax2 = graph.Constant() {value = dense<[0, -2]> : tensor<2xi64>} : () -> tensor<2xi64>
  %2 = graph.Unsqueeze(%0, %ax2) : (tensor<*xf32>, tensor<2xi64>) -> tensor<*xf32>
  %3 = graph.Unsqueeze(%0, %a) : (tensor<*xf32>, tensor<2xi64>) -> tensor<*xf32>
  return %0, %1, %2, %3 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// CHECK-LABEL: func @slice
// CHECK: graph.Slice{{.*}} -> tensor<?x2x5xf32, #graph.dims<["N", "", ""]>>
// CHECK: graph.Slice{{.*}} -> tensor<?x?x?xf32>
func.func @slice(%x: tensor<?x10x5xf32, #graph.dims<["N", "", ""]>>, %st: tensor<1xi64>) -> (tensor<*xf32>, tensor<*xf32>) {
  %starts = graph.Constant() {value = dense<[-1]> : tensor<1xi64>} : () -> tensor<1xi64>
  %ends = graph.Constant() {value = dense<[-9223372036854775807]> : tensor<1xi64>} : () -> tensor<1xi64>
  %axes = graph.Constant() {value = dense<[1]> : tensor<1xi64>} : () -> tensor<1xi64>
  %steps = graph.Constant() {value = dense<[-5]> : tensor<1xi64>} : () -> tensor<1xi64>
  %0 = graph.Slice(%x, %starts, %ends, %axes, %steps) : (tensor<?x10x5xf32, #graph.dims<["N", "", ""]>>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<*xf32>
  %1 = graph.Slice(%x, %st, %st, %st, %st) : (tensor<?x10x5xf32, #graph.dims<["N", "", ""]>>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<*xf32>
  return %0, %1 : tensor<*xf32>, tensor<*xf32>
}

// -----

// CHECK-LABEL: func @gathers
// CHECK: graph.Gather{{.*}} -> tensor<?x2x3x5xf32, #graph.dims<["N", "", "", ""]>>
// CHECK: graph.GatherElements{{.*}} -> tensor<?x2x5xf32, #graph.dims<["M", "", ""]>>
// CHECK: graph.GatherND{{.*}} -> tensor<7x5xf32>
func.func @gathers(%x: tensor<?x4x5xf32, #graph.dims<["N", "", ""]>>, %i: tensor<2x3xi64>, %e: tensor<?x2x5xi64, #graph.dims<["M", "", ""]>>, %nd: tensor<7x2xi64>, %y: tensor<3x4x5xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %0 = graph.Gather(%x, %i) {axis = 1 : i64} : (tensor<?x4x5xf32, #graph.dims<["N", "", ""]>>, tensor<2x3xi64>) -> tensor<*xf32>
  %1 = graph.GatherElements(%x, %e) {axis = 1 : i64} : (tensor<?x4x5xf32, #graph.dims<["N", "", ""]>>, tensor<?x2x5xi64, #graph.dims<["M", "", ""]>>) -> tensor<*xf32>
  %2 = graph.GatherND(%y, %nd) : (tensor<3x4x5xf32>, tensor<7x2xi64>) -> tensor<*xf32>
  return %0#0, %1, %2 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// CHECK-LABEL: func @expand_tile_pad
// CHECK: graph.Expand{{.*}} -> tensor<2x?x4xf32, #graph.dims<["", "N", ""]>>
// CHECK: graph.Tile{{.*}} -> tensor<?x8xf32, #graph.dims<["N", ""]>>
// CHECK: graph.Pad{{.*}} -> tensor<?x7xf32, #graph.dims<["N", ""]>>
func.func @expand_tile_pad(%x: tensor<?x1xf32, #graph.dims<["N", ""]>>, %y: tensor<?x4xf32, #graph.dims<["N", ""]>>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %s = graph.Constant() {value = dense<[2, 1, 4]> : tensor<3xi64>} : () -> tensor<3xi64>
  %0 = graph.Expand(%x, %s) : (tensor<?x1xf32, #graph.dims<["N", ""]>>, tensor<3xi64>) -> tensor<*xf32>
  %r = graph.Constant() {value = dense<[1, 2]> : tensor<2xi64>} : () -> tensor<2xi64>
  %1 = graph.Tile(%y, %r) : (tensor<?x4xf32, #graph.dims<["N", ""]>>, tensor<2xi64>) -> tensor<*xf32>
  %p = graph.Constant() {value = dense<[0, 1, 0, 2]> : tensor<4xi64>} : () -> tensor<4xi64>
  %n = graph.none
  %2 = graph.Pad(%y, %p, %n, %n) : (tensor<?x4xf32, #graph.dims<["N", ""]>>, tensor<4xi64>, none, none) -> tensor<*xf32>
  return %0#0, %1, %2 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// CHECK-LABEL: func @generators
// CHECK: graph.Range{{.*}} -> tensor<4xf32>
// CHECK: graph.EyeLike{{.*}} -> tensor<3x4xi32>
// CHECK: graph.OneHot{{.*}} -> tensor<?x10xf32, #graph.dims<["N", ""]>>
// CHECK: graph.TopK{{.*}} -> (tensor<?x2xf32, #graph.dims<["N", ""]>>, tensor<?x2xi64, #graph.dims<["N", ""]>>)
func.func @generators(%x: tensor<3x4xf32>, %i: tensor<?xi64, #graph.dims<["N"]>>, %v: tensor<2xf32>, %t: tensor<?x5xf32, #graph.dims<["N", ""]>>) -> (tensor<*xf32>, tensor<*xi32>, tensor<*xf32>, tensor<*xf32>, tensor<*xi64>) {
  %a = graph.Constant() {value = dense<1.0> : tensor<f32>} : () -> tensor<f32>
  %b = graph.Constant() {value = dense<3.0> : tensor<f32>} : () -> tensor<f32>
  %c = graph.Constant() {value = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %0 = graph.Range(%a, %b, %c) : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<*xf32>
  %1 = graph.EyeLike(%x) {dtype = 6 : i64} : (tensor<3x4xf32>) -> tensor<*xi32>
  %d = graph.Constant() {value = dense<10> : tensor<i64>} : () -> tensor<i64>
  %2 = graph.OneHot(%i, %d, %v) : (tensor<?xi64, #graph.dims<["N"]>>, tensor<i64>, tensor<2xf32>) -> tensor<*xf32>
  %k = graph.Constant() {value = dense<2> : tensor<1xi64>} : () -> tensor<1xi64>
  %3:2 = graph.TopK(%t, %k) : (tensor<?x5xf32, #graph.dims<["N", ""]>>, tensor<1xi64>) -> (tensor<*xf32>, tensor<*xi64>)
  return %0, %1, %2, %3#0, %3#1 : tensor<*xf32>, tensor<*xi32>, tensor<*xf32>, tensor<*xf32>, tensor<*xi64>
}

// -----

// CHECK-LABEL: func @data_dependent
// CHECK: graph.NonZero{{.*}} -> tensor<2x?xi64>
// CHECK: graph.Compress{{.*}} -> tensor<2x?xf32>
// CHECK: graph.Unique{{.*}} -> (tensor<?xf32>, tensor<?xi64>, tensor<6xi64>, tensor<?xi64>)
// CHECK: graph.NonMaxSuppression{{.*}} -> tensor<?x3xi64>
func.func @data_dependent(%x: tensor<2x3xf32>, %c: tensor<3xi1>, %b: tensor<1x6x4xf32>, %s: tensor<1x2x6xf32>) -> (tensor<*xi64>, tensor<*xf32>, tensor<*xf32>, tensor<*xi64>) {
  %0 = graph.NonZero(%x) : (tensor<2x3xf32>) -> tensor<*xi64>
  %1 = graph.Compress(%x, %c) {axis = 1 : i64} : (tensor<2x3xf32>, tensor<3xi1>) -> tensor<*xf32>
  %2:4 = graph.Unique(%x) : (tensor<2x3xf32>) -> (tensor<*xf32>, tensor<*xi64>, tensor<*xi64>, tensor<*xi64>)
  %n = graph.none
  %3 = graph.NonMaxSuppression(%b, %s, %n, %n, %n) : (tensor<1x6x4xf32>, tensor<1x2x6xf32>, none, none, none) -> tensor<*xi64>
  return %0, %1, %2#0, %3 : tensor<*xi64>, tensor<*xf32>, tensor<*xf32>, tensor<*xi64>
}

// -----

// CHECK-LABEL: func @matmuls
// CHECK: graph.MatMul{{.*}} -> tensor<5x?x3x7xf32, #graph.dims<["", "B", "", ""]>>
// CHECK: graph.MatMul{{.*}} -> tensor<?x3xf32, #graph.dims<["B", ""]>>
// CHECK: graph.MatMulInteger{{.*}} -> tensor<3x7xi32>
// CHECK: graph.Gemm{{.*}} -> tensor<?x7xf32, #graph.dims<["M", ""]>>
func.func @matmuls(%a: tensor<?x3x4xf32, #graph.dims<["B", "", ""]>>, %b: tensor<5x1x4x7xf32>, %v: tensor<4xf32>, %ia: tensor<3x4xui8>, %ib: tensor<4x7xui8>, %g: tensor<4x?xf32, #graph.dims<["", "M"]>>, %gb: tensor<7x4xf32>, %c: tensor<7xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xi32>, tensor<*xf32>) {
  %0 = graph.MatMul(%a, %b) : (tensor<?x3x4xf32, #graph.dims<["B", "", ""]>>, tensor<5x1x4x7xf32>) -> tensor<*xf32>
  %1 = graph.MatMul(%a, %v) : (tensor<?x3x4xf32, #graph.dims<["B", "", ""]>>, tensor<4xf32>) -> tensor<*xf32>
  %n = graph.none
  %2 = graph.MatMulInteger(%ia, %ib, %n, %n) : (tensor<3x4xui8>, tensor<4x7xui8>, none, none) -> tensor<*xi32>
  %3 = graph.Gemm(%g, %gb, %c) {transA = 1 : i64, transB = 1 : i64} : (tensor<4x?xf32, #graph.dims<["", "M"]>>, tensor<7x4xf32>, tensor<7xf32>) -> tensor<*xf32>
  return %0, %1, %2, %3 : tensor<*xf32>, tensor<*xf32>, tensor<*xi32>, tensor<*xf32>
}

// -----

// CHECK-LABEL: func @convs
// CHECK: graph.Conv{{.*}} -> tensor<?x16x16x16xf32, #graph.dims<["N", "", "", ""]>>
// CHECK: graph.Conv{{.*}} -> tensor<?x16x8x8xf32, #graph.dims<["N", "", "", ""]>>
// CHECK: graph.Conv{{.*}} -> tensor<?x16x?x14xf32, #graph.dims<["N", "", "", ""]>>
// CHECK: graph.ConvTranspose{{.*}} -> tensor<1x4x11x11xf32>
// CHECK: graph.ConvTranspose{{.*}} -> tensor<1x4x10x10xf32>
func.func @convs(%x: tensor<?x3x32x32xf32, #graph.dims<["N", "", "", ""]>>, %w: tensor<16x3x3x3xf32>, %d: tensor<?x3x?x16xf32, #graph.dims<["N", "", "", ""]>>, %t: tensor<1x2x5x5xf32>, %tw: tensor<2x4x3x3xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %n = graph.none
  %0 = graph.Conv(%x, %w, %n) {strides = [2, 2], pads = [1, 1, 1, 1]} : (tensor<?x3x32x32xf32, #graph.dims<["N", "", "", ""]>>, tensor<16x3x3x3xf32>, none) -> tensor<*xf32>
  %1 = graph.Conv(%x, %w, %n) {strides = [4, 4], auto_pad = #graph.auto_pad<SAME_UPPER>} : (tensor<?x3x32x32xf32, #graph.dims<["N", "", "", ""]>>, tensor<16x3x3x3xf32>, none) -> tensor<*xf32>
  %2 = graph.Conv(%d, %w, %n) {auto_pad = #graph.auto_pad<VALID>} : (tensor<?x3x?x16xf32, #graph.dims<["N", "", "", ""]>>, tensor<16x3x3x3xf32>, none) -> tensor<*xf32>
  %3 = graph.ConvTranspose(%t, %tw, %n) {strides = [2, 2]} : (tensor<1x2x5x5xf32>, tensor<2x4x3x3xf32>, none) -> tensor<*xf32>
  %4 = graph.ConvTranspose(%t, %tw, %n) {strides = [2, 2], auto_pad = #graph.auto_pad<SAME_UPPER>} : (tensor<1x2x5x5xf32>, tensor<2x4x3x3xf32>, none) -> tensor<*xf32>
  return %0, %1, %2, %3, %4 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// CHECK-LABEL: func @pools
// CHECK: graph.MaxPool{{.*}} -> (tensor<?x3x16x16xf32, #graph.dims<["N", "", "", ""]>>, tensor<?x3x16x16xi64, #graph.dims<["N", "", "", ""]>>)
// CHECK: graph.AveragePool{{.*}} -> tensor<1x3x3x3xf32>
// CHECK: graph.AveragePool{{.*}} -> tensor<1x3x2x2xf32>
// CHECK: graph.GlobalAveragePool{{.*}} -> tensor<?x3x1x1xf32, #graph.dims<["N", "", "", ""]>>
func.func @pools(%x: tensor<?x3x32x32xf32, #graph.dims<["N", "", "", ""]>>, %y: tensor<1x3x5x5xf32>) -> (tensor<*xf32>, tensor<*xi64>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %0:2 = graph.MaxPool(%x) {kernel_shape = [2, 2], strides = [2, 2]} : (tensor<?x3x32x32xf32, #graph.dims<["N", "", "", ""]>>) -> (tensor<*xf32>, tensor<*xi64>)
  %1 = graph.AveragePool(%y) {kernel_shape = [2, 2], strides = [2, 2], ceil_mode = 1 : i64} : (tensor<1x3x5x5xf32>) -> tensor<*xf32>
  %2 = graph.AveragePool(%y) {kernel_shape = [2, 2], strides = [2, 2]} : (tensor<1x3x5x5xf32>) -> tensor<*xf32>
  %3 = graph.GlobalAveragePool(%x) : (tensor<?x3x32x32xf32, #graph.dims<["N", "", "", ""]>>) -> tensor<*xf32>
  return %0#0, %0#1, %1, %2, %3 : tensor<*xf32>, tensor<*xi64>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// ceil_mode drops a last window that would start in the trailing padding.
// CHECK-LABEL: func @ceil_last_window
// CHECK: graph.MaxPool{{.*}} -> (tensor<1x1x1x1xf32>, tensor<1x1x1x1xi64>)
// CHECK: graph.AveragePool{{.*}} -> tensor<1x3x1x1xf32>
// CHECK: graph.AveragePool{{.*}} -> tensor<1x3x2x2xf32>
func.func @ceil_last_window(%x: tensor<1x1x2x2xf32>, %y: tensor<1x3x2x2xf32>, %z: tensor<1x3x4x4xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %0:2 = graph.MaxPool(%x) {kernel_shape = [1, 1], strides = [2, 2], ceil_mode = 1 : i64} : (tensor<1x1x2x2xf32>) -> (tensor<*xf32>, tensor<*xi64>)
  %1 = graph.AveragePool(%y) {kernel_shape = [3, 3], strides = [3, 3], pads = [1, 1, 1, 1], ceil_mode = 1 : i64} : (tensor<1x3x2x2xf32>) -> tensor<*xf32>
  %2 = graph.AveragePool(%z) {kernel_shape = [3, 3], strides = [3, 3], pads = [1, 1, 1, 1], ceil_mode = 1 : i64} : (tensor<1x3x4x4xf32>) -> tensor<*xf32>
  return %0#0, %1, %2 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// CHECK-LABEL: func @quantization
// CHECK: graph.QuantizeLinear{{.*}} -> tensor<?x4xi8, #graph.dims<["N", ""]>>
// CHECK: graph.DequantizeLinear{{.*}} -> tensor<?x4xf32, #graph.dims<["N", ""]>>
// CHECK: graph.DynamicQuantizeLinear{{.*}} -> (tensor<?x4xui8, #graph.dims<["N", ""]>>, tensor<f32>, tensor<ui8>)
func.func @quantization(%x: tensor<?x4xf32, #graph.dims<["N", ""]>>, %s: tensor<4xf32>, %z: tensor<4xi8>) -> (tensor<*xi8>, tensor<*xf32>, tensor<*xui8>, tensor<*xf32>, tensor<*xui8>) {
  %0 = graph.QuantizeLinear(%x, %s, %z) : (tensor<?x4xf32, #graph.dims<["N", ""]>>, tensor<4xf32>, tensor<4xi8>) -> tensor<*xi8>
  %1 = graph.DequantizeLinear(%0, %s, %z) : (tensor<*xi8>, tensor<4xf32>, tensor<4xi8>) -> tensor<*xf32>
  %2:3 = graph.DynamicQuantizeLinear(%x) : (tensor<?x4xf32, #graph.dims<["N", ""]>>) -> (tensor<*xui8>, tensor<*xf32>, tensor<*xui8>)
  return %0, %1, %2#0, %2#1, %2#2 : tensor<*xi8>, tensor<*xf32>, tensor<*xui8>, tensor<*xf32>, tensor<*xui8>
}

// -----

// A one-element 1-D scale is per tensor: `axis` (default 1) does not apply
// to a rank-1 bias (what ONNX Runtime's QDQ quantizer writes).
// CHECK-LABEL: func @dequantize_per_tensor_bias
// CHECK: graph.DequantizeLinear{{.*}} -> tensor<64xf32>
func.func @dequantize_per_tensor_bias(%b: tensor<64xi32>, %s: tensor<1xf32>, %z: tensor<1xi32>) -> tensor<*xf32> {
  %0 = graph.DequantizeLinear(%b, %s, %z) : (tensor<64xi32>, tensor<1xf32>, tensor<1xi32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// CHECK-LABEL: func @image
// CHECK: graph.DepthToSpace{{.*}} -> tensor<?x2x6x8xf32, #graph.dims<["N", "", "", ""]>>
// CHECK: graph.SpaceToDepth{{.*}} -> tensor<?x8x3x4xf32, #graph.dims<["N", "", "", ""]>>
// CHECK: graph.Resize{{.*}} -> tensor<?x8x6x8xf32, #graph.dims<["N", "", "", ""]>>
// CHECK: graph.Resize{{.*}} -> tensor<1x8x5x7xf32>
// CHECK: graph.GridSample{{.*}} -> tensor<?x8x5x6xf32, #graph.dims<["N", "", "", ""]>>
// CHECK: graph.RoiAlign{{.*}} -> tensor<?x8x7x7xf32, #graph.dims<["R", "", "", ""]>>
func.func @image(%x: tensor<?x8x3x4xf32, #graph.dims<["N", "", "", ""]>>, %g: tensor<?x5x6x2xf32>, %rois: tensor<?x4xf32, #graph.dims<["R", ""]>>, %bi: tensor<?xi64>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %0 = graph.DepthToSpace(%x) {blocksize = 2 : i64} : (tensor<?x8x3x4xf32, #graph.dims<["N", "", "", ""]>>) -> tensor<*xf32>
  %1 = graph.SpaceToDepth(%0) {blocksize = 2 : i64} : (tensor<*xf32>) -> tensor<*xf32>
  %n = graph.none
  %sc = graph.Constant() {value = dense<[1.0, 1.0, 2.0, 2.0]> : tensor<4xf32>} : () -> tensor<4xf32>
  %2 = graph.Resize(%x, %n, %sc, %n) : (tensor<?x8x3x4xf32, #graph.dims<["N", "", "", ""]>>, none, tensor<4xf32>, none) -> tensor<*xf32>
  %sz = graph.Constant() {value = dense<[1, 8, 5, 7]> : tensor<4xi64>} : () -> tensor<4xi64>
  %3 = graph.Resize(%x, %n, %n, %sz) : (tensor<?x8x3x4xf32, #graph.dims<["N", "", "", ""]>>, none, none, tensor<4xi64>) -> tensor<*xf32>
  %4 = graph.GridSample(%x, %g) : (tensor<?x8x3x4xf32, #graph.dims<["N", "", "", ""]>>, tensor<?x5x6x2xf32>) -> tensor<*xf32>
  %5 = graph.RoiAlign(%x, %rois, %bi) {output_height = 7 : i64, output_width = 7 : i64} : (tensor<?x8x3x4xf32, #graph.dims<["N", "", "", ""]>>, tensor<?x4xf32, #graph.dims<["R", ""]>>, tensor<?xi64>) -> tensor<*xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// CHECK-LABEL: func @norms_losses
// CHECK: graph.LayerNormalization{{.*}} -> (tensor<?x5x8xf32, #graph.dims<["N", "", ""]>>, tensor<?x5x1xf32, #graph.dims<["N", "", ""]>>, tensor<?x5x1xf32, #graph.dims<["N", "", ""]>>)
// CHECK: graph.BatchNormalization{{.*}} -> (tensor<?x5x8xf32, #graph.dims<["N", "", ""]>>, tensor<5xf32>, tensor<5xf32>)
// CHECK: graph.NegativeLogLikelihoodLoss{{.*}} -> tensor<f32>
// CHECK: graph.SoftmaxCrossEntropyLoss{{.*}} -> (tensor<?x8xf32>, tensor<?x5x8xf32, #graph.dims<["N", "", ""]>>)
func.func @norms_losses(%x: tensor<?x5x8xf32, #graph.dims<["N", "", ""]>>, %s: tensor<8xf32>, %c: tensor<5xf32>, %t: tensor<?x8xi64>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %0:3 = graph.LayerNormalization(%x, %s, %s) : (tensor<?x5x8xf32, #graph.dims<["N", "", ""]>>, tensor<8xf32>, tensor<8xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>)
  %1:3 = graph.BatchNormalization(%x, %c, %c, %c, %c) {training_mode = 1 : i64} : (tensor<?x5x8xf32, #graph.dims<["N", "", ""]>>, tensor<5xf32>, tensor<5xf32>, tensor<5xf32>, tensor<5xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>)
  %n = graph.none
  %2 = graph.NegativeLogLikelihoodLoss(%x, %t, %n) : (tensor<?x5x8xf32, #graph.dims<["N", "", ""]>>, tensor<?x8xi64>, none) -> tensor<*xf32>
  %3:2 = graph.SoftmaxCrossEntropyLoss(%x, %t, %n) {reduction = #graph.loss_reduction<none>} : (tensor<?x5x8xf32, #graph.dims<["N", "", ""]>>, tensor<?x8xi64>, none) -> (tensor<*xf32>, tensor<*xf32>)
  return %0#0, %0#1, %0#2, %1#0, %1#1, %1#2, %2, %3#0, %3#1 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// CHECK-LABEL: func @recurrent
// CHECK: graph.LSTM{{.*}} -> (tensor<7x2x?x16xf32, #graph.dims<["", "", "B", ""]>>, tensor<2x?x16xf32, #graph.dims<["", "B", ""]>>, tensor<2x?x16xf32, #graph.dims<["", "B", ""]>>)
func.func @recurrent(%x: tensor<7x?x10xf32, #graph.dims<["", "B", ""]>>, %w: tensor<2x64x10xf32>, %r: tensor<2x64x16xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %n = graph.none
  %0:3 = graph.LSTM(%x, %w, %r, %n, %n, %n, %n, %n) {direction = #graph.rnn_direction<bidirectional>} : (tensor<7x?x10xf32, #graph.dims<["", "B", ""]>>, tensor<2x64x10xf32>, tensor<2x64x16xf32>, none, none, none, none, none) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>)
  return %0#0, %0#1, %0#2 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// CHECK-LABEL: func @math_random
// CHECK: graph.Einsum{{.*}} -> tensor<?x3x5xf32, #graph.dims<["B", "", ""]>>
// CHECK: graph.Einsum{{.*}} -> tensor<3x5xf32>
// CHECK: graph.Det{{.*}} -> tensor<?xf32, #graph.dims<["B"]>>
// CHECK: graph.RandomUniformLike{{.*}} -> tensor<?x3x4xf16, #graph.dims<["B", "", ""]>>
// CHECK: graph.RandomNormal{{.*}} -> tensor<2x3xf64>
func.func @math_random(%a: tensor<?x3x4xf32, #graph.dims<["B", "", ""]>>, %b: tensor<?x4x5xf32>, %m: tensor<?x4x4xf32, #graph.dims<["B", "", ""]>>, %p: tensor<3x4xf32>, %q: tensor<4x5xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf16>, tensor<*xf64>) {
  %0 = graph.Einsum(%a, %b) {equation = "bij, bjk -> bik"} : (tensor<?x3x4xf32, #graph.dims<["B", "", ""]>>, tensor<?x4x5xf32>) -> tensor<*xf32>
  %1 = graph.Einsum(%q, %p) {equation = "jk,ij"} : (tensor<4x5xf32>, tensor<3x4xf32>) -> tensor<*xf32>
  %2 = graph.Det(%m) : (tensor<?x4x4xf32, #graph.dims<["B", "", ""]>>) -> tensor<*xf32>
  %3 = graph.RandomUniformLike(%a) {dtype = 10 : i64} : (tensor<?x3x4xf32, #graph.dims<["B", "", ""]>>) -> tensor<*xf16>
  %4 = graph.RandomNormal() {dtype = 11 : i64, shape = [2, 3]} : () -> tensor<*xf64>
  return %0, %1, %2, %3, %4 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf16>, tensor<*xf64>
}

// -----

// The geometry ops take their output shape from constant operands; with a
// run-time `shape`, the cropped axes stay unknown.
// CHECK-LABEL: func @geometry
// CHECK: graph.CenterCropPad{{.*}} -> tensor<?x4x9xf32, #graph.dims<["N", "", ""]>>
// CHECK: graph.CenterCropPad{{.*}} -> tensor<?x?x?xf32, #graph.dims<["N", "", ""]>>
// CHECK: graph.AffineGrid{{.*}} -> tensor<2x5x6x2xf32>
// CHECK: graph.AffineGrid{{.*}} -> tensor<2x3x5x6x3xf32>
// CHECK: graph.Col2Im{{.*}} -> tensor<1x2x5x5xf32>
func.func @geometry(%x: tensor<?x6x7xf32, #graph.dims<["N", "", ""]>>, %s: tensor<2xi64>, %t2: tensor<2x2x3xf32>, %t3: tensor<2x3x4xf32>, %c: tensor<1x18x9xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %hw = graph.Constant() {value = dense<[4, 9]> : tensor<2xi64>} : () -> tensor<2xi64>
  %0 = graph.CenterCropPad(%x, %hw) {axes = [-2, 2]} : (tensor<?x6x7xf32, #graph.dims<["N", "", ""]>>, tensor<2xi64>) -> tensor<*xf32>
  %1 = graph.CenterCropPad(%x, %s) {axes = [1, 2]} : (tensor<?x6x7xf32, #graph.dims<["N", "", ""]>>, tensor<2xi64>) -> tensor<*xf32>
  %sz2 = graph.Constant() {value = dense<[2, 3, 5, 6]> : tensor<4xi64>} : () -> tensor<4xi64>
  %2 = graph.AffineGrid(%t2, %sz2) : (tensor<2x2x3xf32>, tensor<4xi64>) -> tensor<*xf32>
  %sz3 = graph.Constant() {value = dense<[2, 1, 3, 5, 6]> : tensor<5xi64>} : () -> tensor<5xi64>
  %3 = graph.AffineGrid(%t3, %sz3) : (tensor<2x3x4xf32>, tensor<5xi64>) -> tensor<*xf32>
  %img = graph.Constant() {value = dense<[5, 5]> : tensor<2xi64>} : () -> tensor<2xi64>
  %blk = graph.Constant() {value = dense<[3, 3]> : tensor<2xi64>} : () -> tensor<2xi64>
  %4 = graph.Col2Im(%c, %img, %blk) : (tensor<1x18x9xf32>, tensor<2xi64>, tensor<2xi64>) -> tensor<*xf32>
  return %0, %1, %2, %3, %4 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// Attention: 3-D output merges the heads; present key/value grow by the
// past; the QK scores cover the total sequence.
// CHECK-LABEL: func @attention
// CHECK: graph.Attention{{.*}} -> (tensor<?x5x24xf32, #graph.dims<["N", "", ""]>>, tensor<?x2x8x8xf32, #graph.dims<["N", "", "", ""]>>, tensor<?x2x8x6xf32, #graph.dims<["N", "", "", ""]>>, tensor<?x4x5x8xf32, #graph.dims<["N", "", "", ""]>>)
func.func @attention(%q: tensor<?x5x32xf32, #graph.dims<["N", "", ""]>>, %k: tensor<?x5x16xf32, #graph.dims<["N", "", ""]>>, %v: tensor<?x5x12xf32, #graph.dims<["N", "", ""]>>, %pk: tensor<?x2x3x8xf32>, %pv: tensor<?x2x3x6xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %n = graph.none
  %y, %ck, %cv, %qk = graph.Attention(%q, %k, %v, %n, %pk, %pv, %n) {q_num_heads = 4 : i64, kv_num_heads = 2 : i64} : (tensor<?x5x32xf32, #graph.dims<["N", "", ""]>>, tensor<?x5x16xf32, #graph.dims<["N", "", ""]>>, tensor<?x5x12xf32, #graph.dims<["N", "", ""]>>, none, tensor<?x2x3x8xf32>, tensor<?x2x3x6xf32>, none) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>)
  return %y, %ck, %cv, %qk : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// Resize-18: axes name what scales/sizes list; keep_aspect_ratio_policy
// scales every listed axis by one ratio (round half up).
// CHECK-LABEL: func @resize_axes_policy
// CHECK: graph.Resize{{.*}} -> tensor<?x3x8x12xf32, #graph.dims<["N", "", "", ""]>>
// CHECK: graph.Resize{{.*}} -> tensor<?x3x7x7xf32, #graph.dims<["N", "", "", ""]>>
// CHECK: graph.Resize{{.*}} -> tensor<?x3x8x8xf32, #graph.dims<["N", "", "", ""]>>
func.func @resize_axes_policy(%x: tensor<?x3x4x4xf32, #graph.dims<["N", "", "", ""]>>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %n = graph.none
  %sc = graph.Constant() {value = dense<[3.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %0 = graph.Resize(%x, %n, %sc, %n) {axes = [3, 2]} : (tensor<?x3x4x4xf32, #graph.dims<["N", "", "", ""]>>, none, tensor<2xf32>, none) -> tensor<*xf32>
  %sz = graph.Constant() {value = dense<[7, 8]> : tensor<2xi64>} : () -> tensor<2xi64>
  %1 = graph.Resize(%x, %n, %n, %sz) {axes = [2, 3], keep_aspect_ratio_policy = "not_larger"} : (tensor<?x3x4x4xf32, #graph.dims<["N", "", "", ""]>>, none, none, tensor<2xi64>) -> tensor<*xf32>
  %2 = graph.Resize(%x, %n, %n, %sz) {axes = [2, 3], keep_aspect_ratio_policy = "not_smaller"} : (tensor<?x3x4x4xf32, #graph.dims<["N", "", "", ""]>>, none, none, tensor<2xi64>) -> tensor<*xf32>
  return %0#0, %1, %2 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// DFT: a one-sided spectrum has n / 2 + 1 bins, an inverse one-sided one is
// real; STFT: (length - frame) / step + 1 frames.
// CHECK-LABEL: func @spectral
// CHECK: graph.DFT{{.*}} -> tensor<?x5x3x2xf32, #graph.dims<["B", "", "", ""]>>
// CHECK: graph.DFT{{.*}} -> tensor<?x8x3x1xf32, #graph.dims<["B", "", "", ""]>>
// CHECK: graph.STFT{{.*}} -> tensor<2x15x9x2xf32>
func.func @spectral(%x: tensor<?x8x3x1xf32, #graph.dims<["B", "", "", ""]>>, %y: tensor<?x5x3x2xf32, #graph.dims<["B", "", "", ""]>>, %s: tensor<2x128x1xf32>, %w: tensor<16xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %n = graph.none
  %a = graph.Constant() {value = dense<1> : tensor<i64>} : () -> tensor<i64>
  %0 = graph.DFT(%x, %n, %a) {onesided = 1 : i64} : (tensor<?x8x3x1xf32, #graph.dims<["B", "", "", ""]>>, none, tensor<i64>) -> tensor<*xf32>
  %1 = graph.DFT(%y, %n, %a) {onesided = 1 : i64, inverse = 1 : i64} : (tensor<?x5x3x2xf32, #graph.dims<["B", "", "", ""]>>, none, tensor<i64>) -> tensor<*xf32>
  %st = graph.Constant() {value = dense<8> : tensor<i64>} : () -> tensor<i64>
  %2 = graph.STFT(%s, %st, %w, %n) : (tensor<2x128x1xf32>, tensor<i64>, tensor<16xf32>, none) -> tensor<*xf32>
  return %0#0, %1, %2 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// Scan: states keep their type; scan outputs gain the scanned length (3,
// axis 1 of the input) at scan_output_axes (-1: last). Scan-8's batched
// form keeps the batch axis in front.
// CHECK-LABEL: func @scan_shapes
// CHECK: graph.Scan{{.*}} -> (tensor<2xf32>, tensor<2x3xf32>)
// CHECK: graph.Scan{{.*}} -> (tensor<1x2xf32>, tensor<1x3x2xf32>)
func.func @scan_shapes(%init: tensor<2xf32>, %x: tensor<2x3xf32>, %bi: tensor<1x2xf32>, %bx: tensor<1x3x2xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %r:2 = graph.Scan(%init, %x) attributes {num_scan_inputs = 1 : i64, scan_input_axes = [1], scan_output_axes = [-1]} : (tensor<2xf32>, tensor<2x3xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  ^bb0(%s: tensor<2xf32>, %e: tensor<2xf32>):
    %n = graph.Add(%s, %e) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
    graph.yield %n, %n : tensor<2xf32>, tensor<2xf32>
  }
  %b:2 = graph.Scan(%bi, %bx) attributes {num_scan_inputs = 1 : i64} : (tensor<1x2xf32>, tensor<1x3x2xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  ^bb0(%s: tensor<2xf32>, %e: tensor<2xf32>):
    %n = graph.Add(%s, %e) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
    graph.yield %n, %n : tensor<2xf32>, tensor<2xf32>
  }
  return %r#0, %r#1, %b#0, %b#1 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// CHECK-LABEL: func @mel_shape
// CHECK: graph.MelWeightMatrix{{.*}} -> tensor<9x8xf64>
func.func @mel_shape(%r: tensor<i64>, %lo: tensor<f32>, %hi: tensor<f32>) -> tensor<*xf64> {
  %m = graph.Constant() {value = dense<8> : tensor<i64>} : () -> tensor<i64>
  %d = graph.Constant() {value = dense<16> : tensor<i64>} : () -> tensor<i64>
  %0 = graph.MelWeightMatrix(%m, %d, %r, %lo, %hi) {output_datatype = 11 : i64} : (tensor<i64>, tensor<i64>, tensor<i64>, tensor<f32>, tensor<f32>) -> tensor<*xf64>
  return %0 : tensor<*xf64>
}
