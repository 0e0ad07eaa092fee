// RUN: not hcc-opt %s --hcc-ocl-lower-linalg="gpu-contractions=true gpu-reductions=butterfly" 2>&1 | FileCheck %s --check-prefix=REDUCE
// RUN: not hcc-opt %s --hcc-ocl-lower-linalg="vector-width=3" 2>&1 | FileCheck %s --check-prefix=WIDTH

// Out-of-range options of the loop lowering are errors naming the option
// and the values it takes.
// REDUCE: error: option 'gpu-reductions' = 'butterfly' is not one of tree, shuffle, emulated-shuffle
// WIDTH: error: option 'vector-width' = 3 is not one of 1, 2, 4, 8, 16
func.func @k(%a: memref<4xf32>, %b: memref<4xf32>) {
  linalg.copy ins(%a : memref<4xf32>) outs(%b : memref<4xf32>)
  return
}
