// Lowers graph ops all the way to LLVM with hcc-opt's registered upstream
// passes (the pipeline of docs/GraphToLinalg.md) and runs them.
// REQUIRES: mlir-runner
// RUN: hcc-opt %s --convert-graph-to-linalg \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" \
// RUN:   --convert-linalg-to-loops --expand-strided-metadata --lower-affine \
// RUN:   --convert-scf-to-cf --convert-math-to-llvm --finalize-memref-to-llvm \
// RUN:   --convert-func-to-llvm --convert-arith-to-llvm --convert-cf-to-llvm \
// RUN:   --reconcile-unrealized-casts \
// RUN: | %mlir_runner -e main -entry-point-result=void -shared-libs=%runner_libs \
// RUN: | FileCheck %s

func.func private @printMemrefF32(memref<*xf32>)

// x = [[1,2,3],[4,5,6],[7,8,9]], w = [[1,0],[0,1]], b = -7:
// x[i][j] + x[i+1][j+1] - 7 = [[-1, 1], [5, 7]]; relu -> [[0, 1], [5, 7]].
func.func @conv_relu(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x2x2xf32>, %b: tensor<1xf32>) -> tensor<1x1x2x2xf32> {
  %0 = graph.Conv(%x, %w, %b) : (tensor<1x1x3x3xf32>, tensor<1x1x2x2xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
  %1 = graph.Relu(%0) : (tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
  return %1 : tensor<1x1x2x2xf32>
}

// A = [[1,2,3],[4,5,6]], B = [[1,0],[0,1],[1,1]], C = [10, 20]:
// A @ B = [[4, 5], [10, 11]]; + C = [[14, 25], [20, 31]].
func.func @gemm(%a: tensor<2x3xf32>, %b: tensor<3x2xf32>, %c: tensor<2xf32>) -> tensor<2x2xf32> {
  %0 = graph.Gemm(%a, %b, %c) : (tensor<2x3xf32>, tensor<3x2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// numpy: e = exp([1,2,3] - 3) = [0.135335, 0.367879, 1]; e / e.sum() =
// [0.0900306, 0.244728, 0.665241]; a constant row gives 1/3 each.
func.func @softmax(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.Softmax(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

func.func @print(%t: tensor<*xf32>) {
  %m = bufferization.to_buffer %t : tensor<*xf32> to memref<*xf32>
  func.call @printMemrefF32(%m) : (memref<*xf32>) -> ()
  return
}

func.func @main() {
  %x = arith.constant dense<[[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]]]> : tensor<1x1x3x3xf32>
  %w = arith.constant dense<[[[[1.0, 0.0], [0.0, 1.0]]]]> : tensor<1x1x2x2xf32>
  %b = arith.constant dense<[-7.0]> : tensor<1xf32>
  %r0 = func.call @conv_relu(%x, %w, %b) : (tensor<1x1x3x3xf32>, tensor<1x1x2x2xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
  %u0 = tensor.cast %r0 : tensor<1x1x2x2xf32> to tensor<*xf32>
  func.call @print(%u0) : (tensor<*xf32>) -> ()

  %ga = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %gb = arith.constant dense<[[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]> : tensor<3x2xf32>
  %gc = arith.constant dense<[10.0, 20.0]> : tensor<2xf32>
  %r1 = func.call @gemm(%ga, %gb, %gc) : (tensor<2x3xf32>, tensor<3x2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  %u1 = tensor.cast %r1 : tensor<2x2xf32> to tensor<*xf32>
  func.call @print(%u1) : (tensor<*xf32>) -> ()

  %sx = arith.constant dense<[[1.0, 2.0, 3.0], [5.0, 5.0, 5.0]]> : tensor<2x3xf32>
  %r2 = func.call @softmax(%sx) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %u2 = tensor.cast %r2 : tensor<2x3xf32> to tensor<*xf32>
  func.call @print(%u2) : (tensor<*xf32>) -> ()
  return
}

// CHECK: rank = 4 {{.*}} sizes = [1, 1, 2, 2]
// CHECK: {{\[}}[0,{{ +}}1],
// CHECK-NEXT: {{\[}}5,{{ +}}7]]]]
// CHECK: rank = 2 {{.*}} sizes = [2, 2]
// CHECK-NEXT: {{\[}}[14,{{ +}}25],
// CHECK-NEXT: {{\[}}20,{{ +}}31]]
// CHECK: rank = 2 {{.*}} sizes = [2, 3]
// CHECK-NEXT: {{\[}}[0.09003{{[0-9]*}},{{ +}}0.24472{{[0-9]*}},{{ +}}0.66524{{[0-9]*}}],
// CHECK-NEXT: {{\[}}0.33333{{[0-9]*}},{{ +}}0.33333{{[0-9]*}},{{ +}}0.33333{{[0-9]*}}]]
