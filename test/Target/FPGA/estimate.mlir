// RUN: hcc-opt %s --hcc-fpga-codegen-pipeline="board=u250" | FileCheck %s --check-prefix=U250
// RUN: hcc-opt %s --hcc-fpga-codegen-pipeline="board=agilex7" | FileCheck %s --check-prefix=AGILEX
// RUN: %python -c "import json; b = json.load(open('%S/../../../boards/u250.json')); b['global_memory']['bandwidth_gbps'] = 1; json.dump(b, open('%t.slow.json', 'w'))"
// RUN: hcc-opt %s --hcc-fpga-codegen-pipeline="board=%t.slow.json" | FileCheck %s --check-prefix=SLOW
// RUN: not hcc-opt %s --hcc-fpga-codegen-pipeline="board=vu9p" 2>&1 | FileCheck %s --check-prefix=BAD

// The closed-form model of the matmul stage (a single work-item: 4 x 8
// register tiles of 8 x 32 multiply-adds, 16 vector<16xf32> lanes each,
// over k = 96; the 4 x 8 tile loops flattened into one of 32 trips; each
// of the 16 sums kept as L partial sums, L the board's add latency, so
// the k loop's recurrence II is 1), worked by hand:
//   prologue = 5 (work-item id, cast, mul, add, min: 1 cycle each)
//   k loop  = max(compute = depth + 1 * 95, memory = 96 * 160 bytes /
//             bytes per cycle + cycles after the last access), where
//             depth = 1 (index add) + 64 (global load) + 1 (broadcast) +
//             mul + add
//   tail    = max(the partials' add tree, log2(L) adds deep, then the
//             stores; 16 x 64 bytes / bytes per cycle) after each k loop
//   tile loop = 32 * (2 (delinearize, mul) + k loop + tail + 1);
//   work-item loop = 1 * (1 (a constant) + tile loop + 1)
//   DSP     = 256 multiply-adds * DSP per f32 multiply-add (the tail's
//             adds reuse the loop's adders)
//   logic   = 256 * logic per multiply-add + 3 loops * 100
// U250 (f32 MAC: 5 DSP, 700 LUT, 7 cycles; 77 GB/s at 300 MHz = 256 B per
// cycle; L = 7): depth 80, k loop 80 + 95 = 175 (memory 60 + 15), tail
// max(3 * 7, 4) = 21, tile loop 32 * 199 = 6368, 6370 + 5 = 6375 cycles.
// U250: hcc.fpga.board = {clock_mhz = 3.000000e+02 : f64, dsp = 12288 : i64, logic = 1728000 : i64, name = "u250", opencl_platform = "Xilinx", ram_blocks = 2688 : i64}
// U250-SAME: hcc.fpga.estimates = {k_mm_s0 = {cycles = 6375 : i64, dsp = 1.280000e+03 : f64, ii = 1 : i64, kernel = "k_mm", logic = 1.795000e+05 : f64, ram_blocks = 0 : i64}
// Agilex 7 (1 DSP, 10 ALM, 4 cycles; 38.4 GB/s at 400 MHz = 96 B per
// cycle; L = 4): depth 74, k loop max(74 + 95, 160 + 9) = 169 (II 2: the
// bandwidth's 1.67 rounded up), tail max(2 * 4, 10.67) = 10.67, tile loop
// 32 * 182.67 = 5845.3, 5852.3 cycles, rounded up.
// AGILEX: hcc.fpga.estimates = {k_mm_s0 = {cycles = 5853 : i64, dsp = 2.560000e+02 : f64, ii = 2 : i64, kernel = "k_mm", logic = 2.860000e+03 : f64, ram_blocks = 0 : i64}
// A board with 1 GB/s (3.33 B per cycle) is bandwidth-bound: II =
// ceil(160 / 3.33) = 48; k loop = memory 96 * 48 + 15 = 4623 (compute
// 175), tail 307.2, tile loop 32 * 4933.2 = 157862.4, 157869.4 cycles.
// SLOW: k_mm_s0 = {cycles = 157870 : i64, dsp = 1.280000e+03 : f64, ii = 48 : i64
// The vendor attributes follow the board.
// U250: #define HCC_FPGA_KERNEL __attribute__((reqd_work_group_size(1, 1, 1)))
// AGILEX: #define HCC_FPGA_KERNEL __attribute__((max_global_work_dim(0)))
// BAD: error: FPGA target: unknown board 'vu9p'
module {
  func.func @k_mm(%a: tensor<64x96xf32>, %b: tensor<96x128xf32>) -> tensor<64x128xf32> attributes {exec.kernel} {
    %0 = graph.MatMul(%a, %b) : (tensor<64x96xf32>, tensor<96x128xf32>) -> tensor<64x128xf32>
    return %0 : tensor<64x128xf32>
  }
}
