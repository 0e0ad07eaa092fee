// RUN: hcc-opt %s --split-input-file --hcc-ocl-lower-linalg="work-items=1 tile-n=64 vector-width=1" --canonicalize | FileCheck %s
// RUN: hcc-opt %s --split-input-file --hcc-ocl-lower-linalg="work-items=1" --canonicalize | FileCheck %s --check-prefix=VEC

// A matmul is register-blocked: an scf.parallel over (column, row) tiles,
// 8x64 private accumulators loaded once, the K loop outside the rows and
// the contiguous column loop, stored once (scalar tiles: vector-width=1).
// With vectors (the default), an 8x32 tile is 8x2 vector<16xf32>
// accumulators carried through the K loop: per step two vector loads of
// B, a broadcast of A per row, a multiply-add per accumulator.
// VEC-LABEL: func.func @matmul
// VEC-SAME:    (%[[A:.*]]: memref<64x32xf32>, %[[B:.*]]: memref<32x128xf32>, %[[C:.*]]: memref<64x128xf32>)
// VEC:         scf.parallel
// VEC-COUNT-16:  vector.load %[[C]]
// VEC:           %[[R:.*]]:16 = scf.for %[[K:.*]] = {{.*}} iter_args({{.*}}) -> (vector<16xf32>, {{.*}})
// VEC:             %[[AK:.*]] = memref.load %[[A]][{{.*}}, %[[K]]]
// VEC:             vector.broadcast %[[AK]] : f32 to vector<16xf32>
// VEC-COUNT-2:     vector.load %[[B]][%[[K]], {{.*}}] : memref<32x128xf32>, vector<16xf32>
// VEC:             arith.mulf {{.*}} : vector<16xf32>
// VEC:             arith.addf {{.*}} : vector<16xf32>
// VEC:             scf.yield
// VEC-COUNT-16:  vector.store %[[R]]#{{[0-9]+}}, %[[C]]
// CHECK-LABEL: func.func @matmul
// CHECK-SAME:    (%[[A:.*]]: memref<64x32xf32>, %[[B:.*]]: memref<32x128xf32>, %[[C:.*]]: memref<64x128xf32>)
// CHECK-DAG:     %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG:     %[[C8:.*]] = arith.constant 8 : index
// CHECK-DAG:     %[[C32:.*]] = arith.constant 32 : index
// CHECK-DAG:     %[[C64:.*]] = arith.constant 64 : index
// CHECK:         scf.parallel (%[[NT:.*]], %[[MT:.*]]) = ({{.*}}) to (%[[C2]], %[[C8]])
// CHECK:           %[[ACC:.*]] = memref.alloca() : memref<8x64xf32, "private">
// CHECK:           memref.load %[[C]]
// CHECK:           memref.store {{.*}}, %[[ACC]]
// CHECK:           scf.for %[[K:.*]] = %{{.*}} to %[[C32]]
// CHECK-NEXT:        scf.for %[[I:.*]] = %{{.*}} to %[[C8]]
// CHECK-NEXT:          scf.for %[[J:.*]] = %{{.*}} to %[[C64]]
// CHECK:                 memref.load %[[ACC]][%[[I]], %[[J]]]
// CHECK:                 memref.load %[[A]][%{{.*}}, %[[K]]]
// CHECK:                 memref.load %[[B]][%[[K]], %{{.*}}]
// CHECK:                 arith.mulf
// CHECK:                 arith.addf
// CHECK:                 memref.store {{.*}}, %[[ACC]][%[[I]], %[[J]]]
// CHECK:           memref.store {{.*}}, %[[C]]
// CHECK-NOT:     linalg.
func.func @matmul(%a: memref<64x32xf32>, %b: memref<32x128xf32>, %c: memref<64x128xf32>) {
  linalg.matmul ins(%a, %b : memref<64x32xf32>, memref<32x128xf32>) outs(%c : memref<64x128xf32>)
  return
}

// -----

// Sizes that are not tile multiples: full tiles with static bounds, edge
// tiles with the remaining extents.
// CHECK-LABEL: func.func @matmul_edges
// CHECK:         scf.parallel
// CHECK:           %[[FULL:.*]] = arith.andi
// CHECK:           scf.if %[[FULL]] {
// CHECK:             memref.alloca() : memref<8x64xf32, "private">
// CHECK:           } else {
// CHECK:             arith.minsi
// CHECK:             arith.minsi
// CHECK:             memref.alloca() : memref<8x64xf32, "private">
func.func @matmul_edges(%a: memref<10x4xf32>, %b: memref<4x70xf32>, %c: memref<10x70xf32>) {
  linalg.matmul ins(%a, %b : memref<10x4xf32>, memref<4x70xf32>) outs(%c : memref<10x70xf32>)
  return
}

// -----

// Elementwise ops are a plain scf.parallel over all their dimensions.
// CHECK-LABEL: func.func @elementwise
// CHECK:         scf.parallel (%[[I:.*]], %[[J:.*]]) =
// CHECK:           %[[X:.*]] = memref.load %{{.*}}[%[[J]]] : memref<16xf32>
// CHECK:           math.exp %[[X]]
// CHECK:           memref.store {{.*}}[%[[I]], %[[J]]] : memref<4x16xf32>
// CHECK-NOT:     memref.alloca
#bcast = affine_map<(d0, d1) -> (d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @elementwise(%x: memref<16xf32>, %y: memref<4x16xf32>) {
  linalg.generic {indexing_maps = [#bcast, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<16xf32>) outs(%y : memref<4x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %e = math.exp %in : f32
    linalg.yield %e : f32
  }
  return
}

// -----

// A row reduction (contiguous along the reduced dim): one output per tile,
// each row streamed whole; the accumulator is private.
// CHECK-LABEL: func.func @row_max
// CHECK:         scf.parallel (%[[R:.*]]) =
// CHECK:           %[[ACC:.*]] = memref.alloca() : memref<1x1xf32, "private">
// CHECK:           scf.for %[[K:.*]] =
// CHECK:             memref.load %{{.*}}[%[[R]], %[[K]]] : memref<37x100xf32>
// CHECK:             arith.maximumf
#in = affine_map<(d0, d1) -> (d0, d1)>
#out = affine_map<(d0, d1) -> (d0)>
func.func @row_max(%x: memref<37x100xf32>, %y: memref<37xf32>) {
  linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<37x100xf32>) outs(%y : memref<37xf32>) {
  ^bb0(%a: f32, %b: f32):
    %m = arith.maximumf %a, %b : f32
    linalg.yield %m : f32
  }
  return
}

// -----

// Copies become loops too; ops with an empty iteration space disappear.
// CHECK-LABEL: func.func @copies
// CHECK:         scf.parallel
// CHECK:           memref.load %{{.*}} : memref<2x3xf32, strided<[8, 1], offset: 3>>
// CHECK-NOT:     memref.copy
// CHECK-NOT:     linalg.
func.func @copies(%x: memref<2x8xf32>, %y: memref<2x3xf32>, %e: memref<0x4xf32>) {
  %v = memref.subview %x[0, 3] [2, 3] [1, 1] : memref<2x8xf32> to memref<2x3xf32, strided<[8, 1], offset: 3>>
  memref.copy %v, %y : memref<2x3xf32, strided<[8, 1], offset: 3>> to memref<2x3xf32>
  %cst = arith.constant 0.0 : f32
  linalg.fill ins(%cst : f32) outs(%e : memref<0x4xf32>)
  return
}

// -----

// The initializer right before a blocked op (a fill, a bias broadcast) is
// computed into the accumulators instead of through memory.
// VEC-LABEL: func.func @bias_matmul
// VEC-SAME:    %[[BIAS:[a-z0-9]+]]: memref<32xf32>, %[[C:.*]]: memref<16x32xf32>)
// VEC-NOT:     linalg.
// VEC:         vector.load %[[BIAS]]
// VEC-NOT:     vector.load %[[C]]
// VEC:         scf.for
// CHECK-LABEL: func.func @bias_matmul
// CHECK-SAME:    (%[[A:.*]]: memref<16x8xf32>, %[[B:.*]]: memref<8x32xf32>, %[[BIAS:.*]]: memref<32xf32>, %[[C:.*]]: memref<16x32xf32>)
// CHECK-NOT:     linalg.
// CHECK:         scf.parallel
// CHECK:           %[[ACC:.*]] = memref.alloca()
// CHECK:           %[[BV:.*]] = memref.load %[[BIAS]]
// CHECK:           memref.store %[[BV]], %[[ACC]]
// CHECK:           scf.for
// CHECK:       return
#row = affine_map<(d0, d1) -> (d1)>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
func.func @bias_matmul(%a: memref<16x8xf32>, %b: memref<8x32xf32>, %bias: memref<32xf32>, %c: memref<16x32xf32>) {
  linalg.generic {indexing_maps = [#row, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%bias : memref<32xf32>) outs(%c : memref<16x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  linalg.matmul ins(%a, %b : memref<16x8xf32>, memref<8x32xf32>) outs(%c : memref<16x32xf32>)
  return
}

// -----

// A unit-stride convolution is a vector tile too: the input row at ow + kw
// is contiguous along the output row, the filter tap is broadcast per
// output channel. 18 columns: 16-lane tiles at 0 and 2 (the edge tile
// overlaps its neighbour; both start from the fill, computed in-register).
// VEC-LABEL: func.func @conv
// VEC-SAME:    (%[[X:.*]]: memref<1x4x10x20xf32>, %[[W:.*]]: memref<8x4x3x3xf32>, %[[Y:.*]]: memref<1x8x8x18xf32>)
// VEC-DAG:     %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<16xf32>
// VEC-DAG:     %[[C2:.*]] = arith.constant 2 : index
// VEC:         scf.parallel (%[[OH:.*]], %[[NT:.*]]) =
// VEC:           %[[N0:.*]] = arith.muli %[[NT]], %{{.*}}
// VEC:           %[[START:.*]] = arith.minsi %[[N0]], %[[C2]]
// VEC:           scf.for {{.*}} iter_args(%{{.*}} = %[[ZERO]],
// VEC:             scf.for
// VEC:               scf.for
// VEC:                 vector.load %[[X]]{{.*}} : memref<1x4x10x20xf32>, vector<16xf32>
// VEC-COUNT-8:         vector.broadcast
// VEC-COUNT-8:     vector.store {{.*}}, %[[Y]]
// CHECK-LABEL: func.func @conv
func.func @conv(%x: memref<1x4x10x20xf32>, %w: memref<8x4x3x3xf32>, %y: memref<1x8x8x18xf32>) {
  %cst = arith.constant 0.0 : f32
  linalg.fill ins(%cst : f32) outs(%y : memref<1x8x8x18xf32>)
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%x, %w : memref<1x4x10x20xf32>, memref<8x4x3x3xf32>) outs(%y : memref<1x8x8x18xf32>)
  return
}
