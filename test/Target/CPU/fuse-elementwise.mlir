// RUN: hcc-opt %s --hcc-cpu-fuse-elementwise | FileCheck %s

// A [seq, 1, d] x [d, n] MatMul lowers to a collapse, linalg.matmul and an
// expand; reshape propagation must not turn the matmul into a generic (the
// tiler's GEMM path needs the named op), while elementwise ops still fuse.
// CHECK-LABEL: func.func @matmul_between_reshapes
// CHECK: tensor.collapse_shape
// CHECK: linalg.matmul
// CHECK: tensor.expand_shape
// CHECK: linalg.generic
// CHECK: arith.addf
// CHECK: arith.maximumf
// CHECK-NOT: linalg.generic
func.func @matmul_between_reshapes(%x: tensor<128x1x768xf32>, %w: tensor<768x256xf32>, %b: tensor<128x1x256xf32>) -> tensor<128x1x256xf32> {
  %zero = arith.constant 0.0 : f32
  %c = tensor.collapse_shape %x [[0], [1, 2]] : tensor<128x1x768xf32> into tensor<128x768xf32>
  %e = tensor.empty() : tensor<128x256xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<128x256xf32>) -> tensor<128x256xf32>
  %m = linalg.matmul ins(%c, %w : tensor<128x768xf32>, tensor<768x256xf32>) outs(%f : tensor<128x256xf32>) -> tensor<128x256xf32>
  %r = tensor.expand_shape %m [[0], [1, 2]] output_shape [128, 1, 256] : tensor<128x256xf32> into tensor<128x1x256xf32>
  %e3 = tensor.empty() : tensor<128x1x256xf32>
  %add = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%r, %b : tensor<128x1x256xf32>, tensor<128x1x256xf32>) outs(%e3 : tensor<128x1x256xf32>) {
  ^bb0(%i: f32, %j: f32, %o: f32):
    %s = arith.addf %i, %j : f32
    linalg.yield %s : f32
  } -> tensor<128x1x256xf32>
  %relu = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%add : tensor<128x1x256xf32>) outs(%e3 : tensor<128x1x256xf32>) {
  ^bb0(%i: f32, %o: f32):
    %s = arith.maximumf %i, %zero : f32
    linalg.yield %s : f32
  } -> tensor<128x1x256xf32>
  return %relu : tensor<128x1x256xf32>
}

// A squeeze-and-excite gate: sigmoid of one value per channel, broadcast
// over the feature map. Fusing it would compute C x H x W exponentials
// instead of C: the gate stays its own op; a cheap broadcast producer (the
// bias add) still fuses.
// CHECK-LABEL: func.func @broadcast_gate
// CHECK: %[[GATE:.*]] = linalg.generic
// CHECK-SAME: ins(%arg1 : tensor<1x8x1x1xf32>)
// CHECK: math.exp
// CHECK: linalg.generic
// CHECK-SAME: ins(%arg0, %arg2, %[[GATE]] :
// CHECK-NOT: math.exp
// CHECK: arith.addf
// CHECK: arith.mulf
// CHECK: return
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#bc4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, 0, 0)>
func.func @broadcast_gate(%x: tensor<1x8x16x16xf32>, %s: tensor<1x8x1x1xf32>, %b: tensor<1x8x1x1xf32>) -> tensor<1x8x16x16xf32> {
  %one = arith.constant 1.0 : f32
  %e1 = tensor.empty() : tensor<1x8x1x1xf32>
  %gate = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%s : tensor<1x8x1x1xf32>) outs(%e1 : tensor<1x8x1x1xf32>) {
  ^bb0(%i: f32, %o: f32):
    %n = arith.negf %i : f32
    %x1 = math.exp %n : f32
    %d = arith.addf %x1, %one : f32
    %r = arith.divf %one, %d : f32
    linalg.yield %r : f32
  } -> tensor<1x8x1x1xf32>
  %e = tensor.empty() : tensor<1x8x16x16xf32>
  %biased = linalg.generic {indexing_maps = [#id4, #bc4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x, %b : tensor<1x8x16x16xf32>, tensor<1x8x1x1xf32>) outs(%e : tensor<1x8x16x16xf32>) {
  ^bb0(%i: f32, %j: f32, %o: f32):
    %r = arith.addf %i, %j : f32
    linalg.yield %r : f32
  } -> tensor<1x8x16x16xf32>
  %y = linalg.generic {indexing_maps = [#id4, #bc4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%biased, %gate : tensor<1x8x16x16xf32>, tensor<1x8x1x1xf32>) outs(%e : tensor<1x8x16x16xf32>) {
  ^bb0(%i: f32, %j: f32, %o: f32):
    %r = arith.mulf %i, %j : f32
    linalg.yield %r : f32
  } -> tensor<1x8x16x16xf32>
  return %y : tensor<1x8x16x16xf32>
}

// Pow with a constant exponent (LayerNorm's variance) is strength-reduced
// once the splat exponent is inlined: no libm powf call per element.
// CHECK-LABEL: func.func @pow_constant_exponent
// CHECK: linalg.generic
// CHECK-NOT: math.powf
// CHECK: arith.mulf %[[IN:.*]], %[[IN]] : f32
// CHECK: math.sqrt
// CHECK-NOT: math.powf
// CHECK: return
func.func @pow_constant_exponent(%x: tensor<128x768xf32>) -> (tensor<128x768xf32>, tensor<128x768xf32>) {
  %two = arith.constant dense<2.0> : tensor<128x768xf32>
  %half = arith.constant dense<0.5> : tensor<128x768xf32>
  %e = tensor.empty() : tensor<128x768xf32>
  %sq = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x, %two : tensor<128x768xf32>, tensor<128x768xf32>) outs(%e : tensor<128x768xf32>) {
  ^bb0(%i: f32, %p: f32, %o: f32):
    %r = math.powf %i, %p : f32
    linalg.yield %r : f32
  } -> tensor<128x768xf32>
  %rt = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x, %half : tensor<128x768xf32>, tensor<128x768xf32>) outs(%e : tensor<128x768xf32>) {
  ^bb0(%i: f32, %p: f32, %o: f32):
    %r = math.powf %i, %p : f32
    linalg.yield %r : f32
  } -> tensor<128x768xf32>
  return %sq, %rt : tensor<128x768xf32>, tensor<128x768xf32>
}
