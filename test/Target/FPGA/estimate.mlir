// RUN: hcc-opt %s --hcc-fpga-codegen-pipeline="board=u250" | FileCheck %s --check-prefix=U250
// RUN: hcc-opt %s --hcc-fpga-codegen-pipeline="board=agilex7" | FileCheck %s --check-prefix=AGILEX
// RUN: %python -c "import json; b = json.load(open('%S/../../../boards/u250.json')); b['global_memory']['bandwidth_gbps'] = 1; json.dump(b, open('%t.slow.json', 'w'))"
// RUN: hcc-opt %s --hcc-fpga-codegen-pipeline="board=%t.slow.json" | FileCheck %s --check-prefix=SLOW
// RUN: not hcc-opt %s --hcc-fpga-codegen-pipeline="board=vu9p" 2>&1 | FileCheck %s --check-prefix=BAD

// The closed-form model of the matmul stage (a single work-item: 4 x 8
// register tiles of 8 x 32 multiply-adds, 16 vector<16xf32> lanes each,
// over k = 96; the 4 x 8 tile loops flattened into one of 32 trips),
// worked by hand:
//   prologue = 5 (work-item id, cast, mul, add, min: 1 cycle each)
//   k loop  = max(compute = depth + II * 95, memory = 96 * 160 bytes /
//             bytes per cycle + cycles after the last access), where
//             depth = 1 (index add) + 64 (global load) + 1 (broadcast) +
//             mul + add, II = the accumulator's add (recurrence)
//   stores  = 16 x 64 bytes / bytes per cycle after each k loop
//   tile loop = 32 * (2 (delinearize, mul) + k loop + stores + 1);
//   work-item loop = 1 * (1 (a constant) + tile loop + 1)
//   DSP     = 256 multiply-adds * DSP per f32 multiply-add
//   logic   = 256 * logic per multiply-add + 3 loops * 100
// U250 (f32 MAC: 5 DSP, 700 LUT, 7 cycles; 77 GB/s at 300 MHz = 256 B per
// cycle): depth 80, k loop 80 + 7 * 95 = 745 (memory 60 + 15), stores 4,
// tile loop 32 * 752 = 24064, 24066 + 5 = 24071 cycles.
// U250: hcc.fpga.board = {clock_mhz = 3.000000e+02 : f64, dsp = 12288 : i64, logic = 1728000 : i64, name = "u250", opencl_platform = "Xilinx", ram_blocks = 2688 : i64}
// U250-SAME: hcc.fpga.estimates = {k_mm_s0 = {cycles = 24071 : i64, dsp = 1.280000e+03 : f64, ii = 7 : i64, kernel = "k_mm", logic = 1.795000e+05 : f64, ram_blocks = 0 : i64}
// Agilex 7 (1 DSP, 10 ALM, 4 cycles; 38.4 GB/s at 400 MHz = 96 B per
// cycle): depth 74, k loop 74 + 4 * 95 = 454, stores 10.67, tile loop
// 32 * 467.67 = 14965.3, 14972.3 cycles, rounded up.
// AGILEX: hcc.fpga.estimates = {k_mm_s0 = {cycles = 14973 : i64, dsp = 2.560000e+02 : f64, ii = 4 : i64, kernel = "k_mm", logic = 2.860000e+03 : f64, ram_blocks = 0 : i64}
// A board with 1 GB/s (3.33 B per cycle) is bandwidth-bound: II =
// ceil(160 / 3.33) = 48; k loop = memory 96 * 48 + 15 = 4623 (compute
// 745), stores 307.2, tile loop 32 * 4933.2 = 157862.4, 157869.4 cycles.
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
