// Depthwise convolutions run per (image, channel) task over flattened
// planes. A stride-1 convolution on a 7x7 map copies its channel's
// unpadded plane into a 10x9 buffer (one padding row and column on each
// side, one more row for the last outputs' taps: 90 values) whose border
// alone is zeroed, the bias seeds 64-lane sums (7 output rows of 9
// positions, padded to 4 vectors), and each of the 9 taps is one 64-lane
// multiply-add at offset kh * 9 + kw; the 7x7 outputs are a strided view of
// them.
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="distribute=false depthwise-channel-max-pixels=0" --canonicalize | FileCheck %s
// flat-depthwise-max-width=0 keeps the convolution row by row.
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="distribute=false depthwise-channel-max-pixels=0 flat-depthwise-max-width=0" --canonicalize | FileCheck %s --check-prefix=ROWS
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="distribute=false depthwise-channel-max-pixels=0 depthwise-tile-rows=1" --canonicalize | FileCheck %s --check-prefix=ONEROW
// RUN: not hcc-opt %s --hcc-cpu-tile-and-vectorize="depthwise-tile-rows=9" 2>&1 | FileCheck %s --check-prefix=BADROWS
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="distribute=false depthwise-channel-max-pixels=0 costly-window-vectors=2" --canonicalize | FileCheck %s --check-prefix=COSTLY
// RUN: not hcc-opt %s --hcc-cpu-tile-and-vectorize="costly-window-vectors=0" 2>&1 | FileCheck %s --check-prefix=BADCOSTLY

// CHECK-LABEL: func.func @planes
// CHECK-NOT:   tensor.pad
// CHECK:       scf.forall (%[[C:.*]]) in (32)
// CHECK:       %[[X:.*]] = tensor.extract_slice %arg0[0, %[[C]], 0, 0] [1, 1, 7, 7] [1, 1, 1, 1] : tensor<1x32x7x7xf32> to tensor<7x7xf32>
// CHECK-NOT:   linalg.fill {{.*}} tensor<1x10x9xf32>
// CHECK:       linalg.fill {{.*}} -> tensor<7x1xf32>
// CHECK:       tensor.insert_slice %[[X]] into {{.*}}[0, 1, 1] [1, 7, 7] [1, 1, 1] : tensor<7x7xf32> into tensor<1x10x9xf32>
// CHECK:       %[[FLAT:.*]] = tensor.collapse_shape {{.*}} into tensor<1x90xf32>
// CHECK:       tensor.extract %arg2[%[[C]]] : tensor<32xf32>
// CHECK-COUNT-9: vector.transfer_read %[[FLAT]]{{.*}} : tensor<1x90xf32>, vector<64xf32>
// CHECK-NOT:   vector.transfer_read {{.*}} : tensor<64xf32>
// CHECK:       vector.broadcast {{.*}} : f32 to vector<64xf32>
// CHECK:       %[[VIEW:.*]] = tensor.expand_shape {{.*}} into tensor<7x9xf32>
// CHECK:       tensor.extract_slice %[[VIEW]][0, 0] [7, 7] [1, 1]
// CHECK:       tensor.parallel_insert_slice {{.*}}[0, %[[C]], 0, 0] [1, 1, 7, 7]
// ROWS-LABEL: func.func @planes
// ROWS-NOT:   tensor<1x90xf32>
// ROWS:       vector<7xf32>
#bias = affine_map<(d0, d1, d2, d3) -> (d1)>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @planes(%x: tensor<1x32x7x7xf32>, %w: tensor<32x3x3xf32>, %b: tensor<32xf32>) -> tensor<1x32x7x7xf32> {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x32x7x7xf32> to tensor<1x32x9x9xf32>
  %e = tensor.empty() : tensor<1x32x7x7xf32>
  %init = linalg.generic {indexing_maps = [#bias, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%b : tensor<32xf32>) outs(%e : tensor<1x32x7x7xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x32x7x7xf32>
  %c = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%p, %w : tensor<1x32x9x9xf32>, tensor<32x3x3xf32>) outs(%init : tensor<1x32x7x7xf32>) -> tensor<1x32x7x7xf32>
  return %c : tensor<1x32x7x7xf32>
}

// An activation that reads only the convolution runs on the flat rows
// too (64-lane vectors, not rows of 7) before the 7x7 view is taken; a +0
// init is not read (the first tap starts the sum).
// CHECK-LABEL: func.func @planes_relu
// CHECK:       vector.transfer_read {{.*}} : tensor<1x90xf32>, vector<64xf32>
// CHECK:       arith.maximumf {{.*}} : vector<64xf32>
// CHECK:       tensor.expand_shape {{.*}} into tensor<7x9xf32>
// CHECK-NOT:   linalg.generic
// CHECK:       return
func.func @planes_relu(%x: tensor<1x32x7x7xf32>, %w: tensor<32x3x3xf32>) -> tensor<1x32x7x7xf32> {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x32x7x7xf32> to tensor<1x32x9x9xf32>
  %e = tensor.empty() : tensor<1x32x7x7xf32>
  %init = linalg.generic {indexing_maps = [#id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%e : tensor<1x32x7x7xf32>) {
  ^bb0(%out: f32):
    linalg.yield %zero : f32
  } -> tensor<1x32x7x7xf32>
  %c = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%p, %w : tensor<1x32x9x9xf32>, tensor<32x3x3xf32>) outs(%init : tensor<1x32x7x7xf32>) -> tensor<1x32x7x7xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c : tensor<1x32x7x7xf32>) outs(%e : tensor<1x32x7x7xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x32x7x7xf32>
  return %r : tensor<1x32x7x7xf32>
}

// A stride-2 convolution on a 13x15 map (padded to 15x17) splits the
// plane into four phase planes of 9 rows of 9: (even, even) rows and
// columns take source rows 1, 3, ... and columns 1, 3, ..., (odd, odd) ones
// rows 0, 2, ... and columns 0, 2, .... Each source row r is read once
// (16 lanes over its 15 columns) and deinterleaved: its even columns go to
// phase ((r + 1) % 2) * 2 + 1 from column 0, its 7 odd ones to phase
// ((r + 1) % 2) * 2 from column 1. Tap (kh, kw) reads phase
// (kh % 2) * 2 + kw % 2 at offset (kh / 2) * 9 + kw / 2, contiguously.
// CHECK-LABEL: func.func @planes_s2
// CHECK-DAG:   %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:   %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG:   %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG:   %[[C3:.*]] = arith.constant 3 : index
// CHECK-DAG:   %[[C9:.*]] = arith.constant 9 : index
// CHECK-DAG:   %[[C10:.*]] = arith.constant 10 : index
// CHECK-DAG:   %[[C13:.*]] = arith.constant 13 : index
// CHECK:       %[[X:.*]] = tensor.extract_slice %arg0{{.*}} to tensor<13x15xf32>
// CHECK:       scf.for %[[R:.*]] = %[[C0]] to %[[C13]]
// CHECK:       vector.transfer_read %[[X]][%[[R]], %[[C0]]], {{.*}} : tensor<13x15xf32>, vector<16xf32>
// CHECK:       %[[EVEN:.*]], %[[ODD:.*]] = vector.deinterleave
// CHECK:       vector.transfer_write %[[EVEN]], {{.*}}[{{.*}}, {{.*}}, %[[C0]]] {in_bounds = [true]} : vector<8xf32>, tensor<4x9x9xf32>
// CHECK:       %[[ODD7:.*]] = vector.extract_strided_slice %[[ODD]] {{.*}}sizes = [7]
// CHECK:       vector.transfer_write %[[ODD7]], {{.*}}[{{.*}}, {{.*}}, %[[C1]]] {in_bounds = [true]} : vector<7xf32>, tensor<4x9x9xf32>
// CHECK:       %[[P:.*]] = tensor.collapse_shape {{.*}} into tensor<4x81xf32>
// CHECK:       vector.transfer_read %[[P]][%[[C0]], %[[C0]]]
// CHECK-NEXT:  vector.transfer_read %[[P]][%[[C1]], %[[C0]]]
// CHECK-NEXT:  vector.transfer_read %[[P]][%[[C0]], %[[C1]]]
// CHECK-NEXT:  vector.transfer_read %[[P]][%[[C2]], %[[C0]]]
// CHECK-NEXT:  vector.transfer_read %[[P]][%[[C3]], %[[C0]]]
// CHECK-NEXT:  vector.transfer_read %[[P]][%[[C2]], %[[C1]]]
// CHECK-NEXT:  vector.transfer_read %[[P]][%[[C0]], %[[C9]]]
// CHECK-NEXT:  vector.transfer_read %[[P]][%[[C1]], %[[C9]]]
// CHECK-NEXT:  vector.transfer_read %[[P]][%[[C0]], %[[C10]]], {{.*}} : tensor<4x81xf32>, vector<64xf32>
// CHECK:       tensor.expand_shape {{.*}} into tensor<7x9xf32>
// CHECK:       tensor.extract_slice {{.*}}[0, 0] [7, 8] [1, 1]
func.func @planes_s2(%x: tensor<1x8x13x15xf32>, %w: tensor<8x3x3xf32>) -> tensor<1x8x7x8xf32> {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x8x13x15xf32> to tensor<1x8x15x17xf32>
  %e = tensor.empty() : tensor<1x8x7x8xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x7x8xf32>) -> tensor<1x8x7x8xf32>
  %c = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%p, %w : tensor<1x8x15x17xf32>, tensor<8x3x3xf32>) outs(%init : tensor<1x8x7x8xf32>) -> tensor<1x8x7x8xf32>
  return %c : tensor<1x8x7x8xf32>
}

// A residual consumer (Relu(conv + x)) runs in the task too: x's plane is
// copied into the flat layout (8 rows of 9) and read as 64-lane vectors.
// CHECK-LABEL: func.func @planes_residual
// CHECK:       scf.forall
// CHECK:       tensor.insert_slice {{.*}} into {{.*}}[0, 0] [7, 7] [1, 1] : tensor<7x7xf32> into tensor<8x9xf32>
// CHECK:       arith.addf {{.*}} : vector<64xf32>
// CHECK:       arith.maximumf {{.*}} : vector<64xf32>
// CHECK-NOT:   linalg.generic
// CHECK:       return
func.func @planes_residual(%x: tensor<1x32x7x7xf32>, %w: tensor<32x3x3xf32>) -> tensor<1x32x7x7xf32> {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x32x7x7xf32> to tensor<1x32x9x9xf32>
  %e = tensor.empty() : tensor<1x32x7x7xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x32x7x7xf32>) -> tensor<1x32x7x7xf32>
  %c = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%p, %w : tensor<1x32x9x9xf32>, tensor<32x3x3xf32>) outs(%init : tensor<1x32x7x7xf32>) -> tensor<1x32x7x7xf32>
  %r = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c, %x : tensor<1x32x7x7xf32>, tensor<1x32x7x7xf32>) outs(%e : tensor<1x32x7x7xf32>) {
  ^bb0(%in: f32, %in2: f32, %out: f32):
    %s = arith.addf %in, %in2 : f32
    %m = arith.maximumf %s, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x32x7x7xf32>
  return %r : tensor<1x32x7x7xf32>
}

// A consumer that yields a value captured from above (not its input) joins
// the task too: the chunks yield that value.
// CHECK-LABEL: func.func @planes_captured_yield
// CHECK:       scf.forall
// CHECK-NOT:   linalg.generic
// CHECK:       return
func.func @planes_captured_yield(%x: tensor<1x8x7x7xf32>, %w: tensor<8x3x3xf32>, %v: f32) -> tensor<1x8x7x7xf32> {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x8x7x7xf32> to tensor<1x8x9x9xf32>
  %e = tensor.empty() : tensor<1x8x7x7xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x7x7xf32>) -> tensor<1x8x7x7xf32>
  %c = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%p, %w : tensor<1x8x9x9xf32>, tensor<8x3x3xf32>) outs(%init : tensor<1x8x7x7xf32>) -> tensor<1x8x7x7xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c : tensor<1x8x7x7xf32>) outs(%e : tensor<1x8x7x7xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %v : f32
  } -> tensor<1x8x7x7xf32>
  return %r : tensor<1x8x7x7xf32>
}

// Output rows at least depthwise-rows-min-width (48) wide are computed row
// by row straight into the task's slice of the output: each tap is a 50x50
// window of the flat (53x52) plane viewed as rows of 52, and chunks of
// depthwise-tile-rows (4) rows by two vectors write the output in place; no
// flat accumulator is copied out. Tap (kh, kw) of row r and tap (kh - 1, kw)
// of row r + 1 read the same input row: one load serves both (LLVM merges
// the identical addresses), 36 loads for the chunk's 72 products instead of
// 72. The 18 columns and 2 rows past the whole chunks are peeled.
// CHECK-LABEL: func.func @planes_rows
// CHECK:       scf.forall (%[[C:.*]]) in (4) shared_outs(%[[OUT:.*]] = %{{.*}})
// CHECK:       %[[SLICE:.*]] = tensor.extract_slice %[[OUT]][0, %[[C]], 0, 0] [1, 1, 50, 50]
// CHECK:       tensor.collapse_shape {{.*}} into tensor<1x2756xf32>
// CHECK:       %[[DST:.*]] = tensor.collapse_shape %[[SLICE]] {{.*}} into tensor<50x50xf32>
// CHECK:       scf.for {{.*}} iter_args(%{{.*}} = %[[DST]]) -> (tensor<50x50xf32>)
// CHECK-COUNT-9: vector.transfer_read {{.*}} : tensor<50x52xf32>, vector<4x32xf32>
// CHECK:       vector.transfer_write {{.*}} : vector<4x32xf32>, tensor<50x50xf32>
// CHECK:       vector<4x18xf32>
// CHECK:       vector<2x32xf32>
// CHECK-NOT:   tensor<2600xf32>
// CHECK:       return
// With depthwise-tile-rows=1: chunks of one row of 50 (at most 8 vectors).
// ONEROW-LABEL: func.func @planes_rows
// ONEROW:       scf.for {{.*}} -> (tensor<50x50xf32>)
// ONEROW-COUNT-9: vector.transfer_read {{.*}} : tensor<50x52xf32>, vector<1x50xf32>
// ONEROW:       vector.transfer_write {{.*}} : vector<1x50xf32>, tensor<50x50xf32>
// BADROWS: error: option 'depthwise-tile-rows' = 9 is out of range [1, 8]
func.func @planes_rows(%x: tensor<1x4x50x50xf32>, %w: tensor<4x3x3xf32>) -> tensor<1x4x50x50xf32> {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x4x50x50xf32> to tensor<1x4x52x52xf32>
  %e = tensor.empty() : tensor<1x4x50x50xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x50x50xf32>) -> tensor<1x4x50x50xf32>
  %c = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%p, %w : tensor<1x4x52x52xf32>, tensor<4x3x3xf32>) outs(%init : tensor<1x4x50x50xf32>) -> tensor<1x4x50x50xf32>
  return %c : tensor<1x4x50x50xf32>
}

// A consumer with transcendental functions (SiLU) makes the chunks
// costly-window-vectors wide (the taps' sums and the polynomial's
// temporaries share the registers): 14 x 16 flat outputs in chunks of 8
// vectors by default, of 2 with costly-window-vectors=2. A plane of at
// most 8 vectors (7x7: 64 lanes) stays one chunk, which a narrower chunk
// would leave an odd remainder of.
// CHECK-LABEL: func.func @planes_silu
// CHECK:       math.exp {{.*}} : vector<128xf32>
// CHECK-LABEL: func.func @planes_silu_7x7
// CHECK:       math.exp {{.*}} : vector<64xf32>
// COSTLY-LABEL: func.func @planes_silu
// COSTLY:       math.exp {{.*}} : vector<32xf32>
// COSTLY-NOT:   vector<128xf32>
// COSTLY-LABEL: func.func @planes_silu_7x7
// COSTLY:       math.exp {{.*}} : vector<64xf32>
// BADCOSTLY: error: option 'costly-window-vectors' = 0 is out of range [1, 64]
func.func @planes_silu(%x: tensor<1x8x14x14xf32>, %w: tensor<8x3x3xf32>) -> tensor<1x8x14x14xf32> {
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x8x14x14xf32> to tensor<1x8x16x16xf32>
  %e = tensor.empty() : tensor<1x8x14x14xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x14x14xf32>) -> tensor<1x8x14x14xf32>
  %c = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%p, %w : tensor<1x8x16x16xf32>, tensor<8x3x3xf32>) outs(%init : tensor<1x8x14x14xf32>) -> tensor<1x8x14x14xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c : tensor<1x8x14x14xf32>) outs(%e : tensor<1x8x14x14xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.negf %in : f32
    %x1 = math.exp %n : f32
    %d = arith.addf %x1, %one : f32
    %s = arith.divf %in, %d : f32
    linalg.yield %s : f32
  } -> tensor<1x8x14x14xf32>
  return %r : tensor<1x8x14x14xf32>
}

func.func @planes_silu_7x7(%x: tensor<1x8x7x7xf32>, %w: tensor<8x3x3xf32>) -> tensor<1x8x7x7xf32> {
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x8x7x7xf32> to tensor<1x8x9x9xf32>
  %e = tensor.empty() : tensor<1x8x7x7xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x7x7xf32>) -> tensor<1x8x7x7xf32>
  %c = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%p, %w : tensor<1x8x9x9xf32>, tensor<8x3x3xf32>) outs(%init : tensor<1x8x7x7xf32>) -> tensor<1x8x7x7xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c : tensor<1x8x7x7xf32>) outs(%e : tensor<1x8x7x7xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.negf %in : f32
    %x1 = math.exp %n : f32
    %d = arith.addf %x1, %one : f32
    %s = arith.divf %in, %d : f32
    linalg.yield %s : f32
  } -> tensor<1x8x7x7xf32>
  return %r : tensor<1x8x7x7xf32>
}
