// RUN: env HCC_CPU_VECTORS=avx512 hcc-opt %s --split-input-file --hcc-place \
// RUN:   --hcc-outline-kernels=inline-constant-limit=8 | FileCheck %s
// RUN: hcc-opt %s --split-input-file --hcc-placement-pipeline=fuse-elementwise=false | FileCheck %s --check-prefix=NOFUSE

// Conv -> Relu -> Add form one kernel; the big weight stays in the host
// function, the small bias is copied into the kernel; MaxPool starts a new
// kernel; the returned input gets a copy kernel of its own.
// CHECK-LABEL: func.func @main
// CHECK-SAME: (%[[X:.+]]: tensor<1x2x4x4xf32>)
// CHECK: %[[W:.+]] = graph.Constant() {value = dense<{{.*}}> : tensor<2x2x3x3xf32>}
// CHECK: %[[K0:.+]] = exec.launch @cpu::@k0_conv(%[[X]], %[[W]])
// CHECK: %[[K1:.+]] = exec.launch @cpu::@k1_pool(%[[K0]])
// CHECK: %[[K2:.+]] = exec.launch @cpu::@k2_Identity(%[[X]])
// CHECK: return %[[K1]], %[[K2]]
// CHECK: module @cpu attributes {exec.target = #exec.target<"cpu">}
// CHECK: func.func @k0_conv(%{{.+}}: tensor<1x2x4x4xf32>, %{{.+}}: tensor<2x2x3x3xf32>) -> tensor<1x2x4x4xf32> attributes {exec.kernel, exec.knobs = {{{.*}}"tile-n" = 32 : i64{{.*}}}}
// CHECK: graph.Constant() {value = dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>}
// CHECK: graph.Conv
// CHECK: graph.Relu
// CHECK: graph.Add
// CHECK: func.func @k1_pool
// CHECK: graph.MaxPool
// NOFUSE-COUNT-5: exec.launch
func.func @main(%x: tensor<1x2x4x4xf32>) -> (tensor<1x2x2x2xf32>, tensor<1x2x4x4xf32>) {
  %w = graph.Constant() {value = dense<[[[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9]], [[1.0, 1.1, 1.2], [1.3, 1.4, 1.5], [1.6, 1.7, 1.8]]], [[[1.9, 2.0, 2.1], [2.2, 2.3, 2.4], [2.5, 2.6, 2.7]], [[2.8, 2.9, 3.0], [3.1, 3.2, 3.3], [3.4, 3.5, 3.6]]]]> : tensor<2x2x3x3xf32>} : () -> tensor<2x2x3x3xf32>
  %b = graph.Constant() {value = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %c = graph.Conv(%x, %w, %b) {pads = [1, 1, 1, 1]} : (tensor<1x2x4x4xf32>, tensor<2x2x3x3xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32> loc("conv")
  %r = graph.Relu(%c) : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %a = graph.Add(%r, %x) : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %p, %i = graph.MaxPool(%a) {kernel_shape = [2, 2], strides = [2, 2]} : (tensor<1x2x4x4xf32>) -> (tensor<1x2x2x2xf32>, none) loc("pool")
  return %p, %x : tensor<1x2x2x2xf32>, tensor<1x2x4x4xf32>
}

// -----

// A splat is one value whatever its size: it is copied into the kernel
// (zero points, fills), not passed as a weight.
// CHECK-LABEL: func.func @splat
// CHECK: exec.launch @cpu::@k0_Add(%{{.+}}) : (tensor<16xf32>)
// CHECK: func.func @k0_Add
// CHECK: graph.Constant() {value = dense<5.000000e-01> : tensor<16xf32>}
func.func @splat(%x: tensor<16xf32>) -> tensor<16xf32> {
  %c = graph.Constant() {value = dense<0.5> : tensor<16xf32>} : () -> tensor<16xf32>
  %a = graph.Add(%x, %c) : (tensor<16xf32>, tensor<16xf32>) -> tensor<16xf32>
  return %a : tensor<16xf32>
}

// -----

// A placement given in the IR is kept; crossing targets inserts transfers.
// CHECK-LABEL: func.func @mixed
// CHECK: %[[A:.+]] = exec.launch @cpu::@k0_Relu
// CHECK: %[[T:.+]] = exec.transfer %[[A]] from <"cpu"> to <"opencl"> : tensor<4xf32>
// CHECK: %[[B:.+]] = exec.launch @opencl::@k1_Tanh(%[[T]])
// CHECK: %[[U:.+]] = exec.transfer %[[B]] from <"opencl"> to <"cpu">
// CHECK: %[[C:.+]] = exec.launch @cpu::@k2_Add(%[[A]], %[[U]])
// CHECK: return %[[C]]
// CHECK: module @cpu
// CHECK: module @opencl attributes {exec.target = #exec.target<"opencl">}
// CHECK: func.func @k1_Tanh{{.*}}exec.knobs = {{{.*}}"work-items" = 64 : i64}
func.func @mixed(%x: tensor<4xf32>) -> tensor<4xf32> {
  %a = graph.Relu(%x) : (tensor<4xf32>) -> tensor<4xf32>
  %b = graph.Tanh(%a) {exec.target = #exec.target<"opencl">} : (tensor<4xf32>) -> tensor<4xf32>
  %c = graph.Add(%a, %b) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %c : tensor<4xf32>
}

// -----

// A residual Add whose first operand is the skip connection still finishes
// the convolution's kernel (mobilenet_v2 writes x + conv(x)); an Add that
// would broadcast the kernel's result does not join it.
// CHECK-LABEL: func.func @residual
// CHECK: %[[K0:.+]] = exec.launch @cpu::@k0_project(%{{.+}}, %{{.+}}, %{{.+}})
// CHECK: exec.launch @cpu::@k1_wider(%{{.+}}, %[[K0]])
// CHECK: func.func @k0_project
// CHECK: graph.Conv
// CHECK: graph.Add
// CHECK: func.func @k1_wider
// CHECK-NOT: graph.Conv
// CHECK: graph.Add
// NOFUSE-LABEL: func.func @residual
// NOFUSE-COUNT-3: exec.launch
func.func @residual(%x: tensor<1x2x4x4xf32>, %w: tensor<2x2x1x1xf32>, %bias: tensor<2xf32>, %big: tensor<3x2x4x4xf32>) -> (tensor<1x2x4x4xf32>, tensor<3x2x4x4xf32>) {
  %c = graph.Conv(%x, %w, %bias) : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32> loc("project")
  %a = graph.Add(%x, %c) : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %b = graph.Add(%big, %a) : (tensor<3x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<3x2x4x4xf32> loc("wider")
  return %a, %b : tensor<1x2x4x4xf32>, tensor<3x2x4x4xf32>
}

// -----

// A value read by two kernels of another target crosses once; a result
// produced on a device comes back to the host.
// CHECK-LABEL: func.func @fanout
// CHECK: %[[A:.+]] = exec.launch @cpu::@k0_Relu
// CHECK: %[[T:.+]] = exec.transfer %[[A]] from <"cpu"> to <"opencl">
// CHECK: exec.launch @opencl::@k1_Tanh(%[[T]])
// CHECK: %[[S:.+]] = exec.launch @opencl::@k2_MatMul(%[[T]])
// CHECK-NOT: exec.transfer %[[A]]
// CHECK: %[[R:.+]] = exec.transfer %[[S]] from <"opencl"> to <"cpu">
// CHECK: return %{{.+}}, %[[R]]
func.func @fanout(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<f32>) {
  %a = graph.Relu(%x) : (tensor<4xf32>) -> tensor<4xf32>
  %b = graph.Tanh(%a) {exec.target = #exec.target<"opencl">} : (tensor<4xf32>) -> tensor<4xf32>
  %c = graph.MatMul(%a, %a) {exec.target = #exec.target<"opencl">} : (tensor<4xf32>, tensor<4xf32>) -> tensor<f32>
  %d = graph.Add(%a, %b) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %d, %c : tensor<4xf32>, tensor<f32>
}

// -----

// Independent elementwise ops of one result shape share a kernel side by
// side, so a wide fan-out is not one kernel per branch: Neg, Exp and Add
// read only values from outside. An op of another shape, one after a
// kernel that is not elementwise, and one on another target start kernels
// of their own.
// CHECK-LABEL: func.func @side_by_side
// CHECK: %[[K0:.+]]:3 = exec.launch @cpu::@k0_a(
// CHECK: %[[K1:.+]] = exec.launch @cpu::@k1_d(
// CHECK: %[[K2:.+]] = exec.launch @cpu::@k2_m(
// CHECK: %[[K3:.+]] = exec.launch @cpu::@k3_e(
// CHECK: exec.launch @opencl::@k4_f(
// CHECK: func.func @k0_a(
// CHECK-NEXT: graph.Neg
// CHECK-NEXT: graph.Exp
// CHECK-NEXT: graph.Add
// CHECK-NEXT: return
// NOFUSE-LABEL: func.func @side_by_side
// NOFUSE-COUNT-7: exec.launch
// NOFUSE-NOT: exec.launch
// NOFUSE: return
func.func @side_by_side(%x: tensor<4x8xf32>, %y: tensor<4x8xf32>, %r: tensor<8xf32>, %w: tensor<8x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) {
  %a = graph.Neg(%x) : (tensor<4x8xf32>) -> tensor<4x8xf32> loc("a")
  %b = graph.Exp(%y) : (tensor<4x8xf32>) -> tensor<4x8xf32> loc("b")
  %c = graph.Add(%x, %y) : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32> loc("c")
  %d = graph.Neg(%r) : (tensor<8xf32>) -> tensor<8xf32> loc("d")
  %m = graph.MatMul(%x, %w) : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32> loc("m")
  %e = graph.Neg(%y) : (tensor<4x8xf32>) -> tensor<4x8xf32> loc("e")
  %f = graph.Neg(%x) {exec.target = #exec.target<"opencl">} : (tensor<4x8xf32>) -> tensor<4x8xf32> loc("f")
  return %a, %b, %c, %d, %m, %e, %f : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// The CPU target keeps the filter of a convolution that may run as Winograd
// F(4x4, 3x3) (3x3, stride 1, output at least 14 x 14, at least 8 input
// channels) in the kernel, to transform it at compile time; a stride-2
// convolution's filter, and one over fewer channels (im2col), stay kernel
// arguments.
// CHECK-LABEL: func.func @winograd_filter
// CHECK: %[[W:.+]] = graph.Constant() {value = dense<{{.*}}> : tensor<2x8x3x3xf32>}
// CHECK: %[[W1:.+]] = graph.Constant() {value = dense<{{.*}}> : tensor<2x1x3x3xf32>}
// CHECK: exec.launch @cpu::@k0_winograd(%{{.+}}) :
// CHECK: exec.launch @cpu::@k1_strided(%{{.+}}, %[[W]]) :
// CHECK: exec.launch @cpu::@k2_one_channel(%{{.+}}, %[[W1]]) :
// CHECK: func.func @k0_winograd(%{{.+}}: tensor<1x8x14x14xf32>) -> tensor<1x2x14x14xf32>
// CHECK: graph.Constant() {value = dense<{{.*}}> : tensor<2x8x3x3xf32>}
// CHECK: graph.Conv
// CHECK: func.func @k1_strided(%{{.+}}: tensor<1x8x14x14xf32>, %{{.+}}: tensor<2x8x3x3xf32>)
// CHECK: func.func @k2_one_channel(%{{.+}}: tensor<1x1x14x14xf32>, %{{.+}}: tensor<2x1x3x3xf32>)
func.func @winograd_filter(%x: tensor<1x8x14x14xf32>, %x1: tensor<1x1x14x14xf32>) -> (tensor<1x2x14x14xf32>, tensor<1x2x7x7xf32>, tensor<1x2x14x14xf32>) {
  %w = graph.Constant() {value = dense<[[[[0.01, 0.02, 0.03], [0.04, 0.05, 0.06], [0.07, 0.08, 0.09]], [[0.1, 0.11, 0.12], [0.13, 0.14, 0.15], [0.16, 0.17, 0.18]], [[0.19, 0.2, 0.21], [0.22, 0.23, 0.24], [0.25, 0.26, 0.27]], [[0.28, 0.29, 0.3], [0.31, 0.32, 0.33], [0.34, 0.35, 0.36]], [[0.37, 0.38, 0.39], [0.4, 0.41, 0.42], [0.43, 0.44, 0.45]], [[0.46, 0.47, 0.48], [0.49, 0.5, 0.51], [0.52, 0.53, 0.54]], [[0.55, 0.56, 0.57], [0.58, 0.59, 0.6], [0.61, 0.62, 0.63]], [[0.64, 0.65, 0.66], [0.67, 0.68, 0.69], [0.7, 0.71, 0.72]]], [[[0.73, 0.74, 0.75], [0.76, 0.77, 0.78], [0.79, 0.8, 0.81]], [[0.82, 0.83, 0.84], [0.85, 0.86, 0.87], [0.88, 0.89, 0.9]], [[0.91, 0.92, 0.93], [0.94, 0.95, 0.96], [0.97, 0.98, 0.99]], [[1.0, 1.01, 1.02], [1.03, 1.04, 1.05], [1.06, 1.07, 1.08]], [[1.09, 1.1, 1.11], [1.12, 1.13, 1.14], [1.15, 1.16, 1.17]], [[1.18, 1.19, 1.2], [1.21, 1.22, 1.23], [1.24, 1.25, 1.26]], [[1.27, 1.28, 1.29], [1.3, 1.31, 1.32], [1.33, 1.34, 1.35]], [[1.36, 1.37, 1.38], [1.39, 1.4, 1.41], [1.42, 1.43, 1.44]]]]> : tensor<2x8x3x3xf32>} : () -> tensor<2x8x3x3xf32>
  %w1 = graph.Constant() {value = dense<[[[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9]]], [[[1.0, 1.1, 1.2], [1.3, 1.4, 1.5], [1.6, 1.7, 1.8]]]]> : tensor<2x1x3x3xf32>} : () -> tensor<2x1x3x3xf32>
  %n = graph.none
  %c = graph.Conv(%x, %w, %n) {pads = [1, 1, 1, 1]} : (tensor<1x8x14x14xf32>, tensor<2x8x3x3xf32>, none) -> tensor<1x2x14x14xf32> loc("winograd")
  %s = graph.Conv(%x, %w, %n) {pads = [1, 1, 1, 1], strides = [2, 2]} : (tensor<1x8x14x14xf32>, tensor<2x8x3x3xf32>, none) -> tensor<1x2x7x7xf32> loc("strided")
  %o = graph.Conv(%x1, %w1, %n) {pads = [1, 1, 1, 1]} : (tensor<1x1x14x14xf32>, tensor<2x1x3x3xf32>, none) -> tensor<1x2x14x14xf32> loc("one_channel")
  return %c, %s, %o : tensor<1x2x14x14xf32>, tensor<1x2x7x7xf32>, tensor<1x2x14x14xf32>
}

// -----

// The CPU target keeps a MatMul's weight of at least tile-n columns in the
// kernel: it is packed at compile time, for the B panels of 64 rows and for
// the register tiles of 4 rows alike. A weight narrower than a register
// tile stays a kernel argument.
// CHECK-LABEL: func.func @matmul_weight
// CHECK: %[[N:.+]] = graph.Constant() {value = dense<{{.*}}> : tensor<2x8xf32>}
// CHECK: exec.launch @cpu::@k0_packed(%{{.+}}) :
// CHECK: exec.launch @cpu::@k1_few_rows(%{{.+}}) :
// CHECK: exec.launch @cpu::@k2_narrow(%{{.+}}, %[[N]]) :
// CHECK: func.func @k0_packed(%{{.+}}: tensor<64x2xf32>) -> tensor<64x32xf32>
// CHECK: graph.Constant() {value = dense<{{.*}}> : tensor<2x32xf32>}
// CHECK: graph.MatMul
// CHECK: func.func @k1_few_rows(%{{.+}}: tensor<4x2xf32>) -> tensor<4x32xf32>
// CHECK: graph.Constant() {value = dense<{{.*}}> : tensor<2x32xf32>}
// CHECK: func.func @k2_narrow(%{{.+}}: tensor<4x2xf32>, %{{.+}}: tensor<2x8xf32>)
func.func @matmul_weight(%x: tensor<64x2xf32>, %y: tensor<4x2xf32>) -> (tensor<64x32xf32>, tensor<4x32xf32>, tensor<4x8xf32>) {
  %b = graph.Constant() {value = dense<[[0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9, 2.0, 2.1, 2.2, 2.3, 2.4, 2.5, 2.6, 2.7, 2.8, 2.9, 3.0, 3.1], [3.2, 3.3, 3.4, 3.5, 3.6, 3.7, 3.8, 3.9, 4.0, 4.1, 4.2, 4.3, 4.4, 4.5, 4.6, 4.7, 4.8, 4.9, 5.0, 5.1, 5.2, 5.3, 5.4, 5.5, 5.6, 5.7, 5.8, 5.9, 6.0, 6.1, 6.2, 6.3]]> : tensor<2x32xf32>} : () -> tensor<2x32xf32>
  %c = graph.Constant() {value = dense<[[0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7], [0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5]]> : tensor<2x8xf32>} : () -> tensor<2x8xf32>
  %p = graph.MatMul(%x, %b) : (tensor<64x2xf32>, tensor<2x32xf32>) -> tensor<64x32xf32> loc("packed")
  %q = graph.MatMul(%y, %b) : (tensor<4x2xf32>, tensor<2x32xf32>) -> tensor<4x32xf32> loc("few_rows")
  %r = graph.MatMul(%y, %c) : (tensor<4x2xf32>, tensor<2x8xf32>) -> tensor<4x8xf32> loc("narrow")
  return %p, %q, %r : tensor<64x32xf32>, tensor<4x32xf32>, tensor<4x8xf32>
}
