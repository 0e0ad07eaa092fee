// RUN: hcc-opt %s --hcc-ocl-convert-to-emitc | hcc-translate --emit-opencl | FileCheck %s

// The prelude: OpenCL C has no <stdint.h>; buffers are typedef'd address-
// space pointers (bool buffers hold a byte per element); f64 enables
// cl_khr_fp64; constants are __constant arrays (exact hex floats); integer
// powers get a helper.
// CHECK:       #pragma OPENCL EXTENSION cl_khr_fp64 : enable
// CHECK:       typedef int int32_t;
// CHECK:       typedef long int64_t;
// CHECK-DAG:   typedef __constant float *hcc_cf32;
// CHECK-DAG:   typedef __global uchar *hcc_gb;
// CHECK-DAG:   typedef __global double *hcc_gf64;
// CHECK-DAG:   typedef __global half *hcc_gf16;
// CHECK-DAG:   typedef __global float *hcc_gf32;
// CHECK-DAG:   typedef __global int *hcc_gi32;
// CHECK:       __constant float hcc_table[3] = {0x1.8p+0f, -0x1p+1f, INFINITY};
// CHECK:       int32_t hcc_ipowi_i32(int32_t b, int32_t e) {

memref.global "private" constant @table : memref<3xf32> = dense<[1.5, -2.0, 0x7F800000]>

// Loads and stores linearize their indices with the buffer's strides; a
// view is a pointer moved by its offset.
// Each buffer parameter is followed by its byte offset (arena ranges are
// (buffer, offset) pairs), applied in elements before any other use.
// CHECK-LABEL: __kernel void strided(hcc_gf32 v1, uint64_t v2, hcc_gf32 v3, uint64_t v4)
// CHECK-NEXT:    ptrdiff_t [[B1:v[0-9]+]] = (ptrdiff_t) v2;
// CHECK-NEXT:    ptrdiff_t [[S1:v[0-9]+]] = 4;
// CHECK-NEXT:    ptrdiff_t [[E1:v[0-9]+]] = [[B1]] / [[S1]];
// CHECK-NEXT:    hcc_gf32 [[IN:v[0-9]+]] = v1 + [[E1]];
// CHECK:         hcc_gf32 [[OUT:v[0-9]+]] = v3 + {{v[0-9]+}};
// CHECK:         hcc_gf32 [[VIEW:v[0-9]+]] = [[IN]] + [[OFF:v[0-9]+]];
// CHECK:         ptrdiff_t [[IDX:v[0-9]+]] = [[I:v[0-9]+]] * [[STRIDE:v[0-9]+]];
// CHECK:         ptrdiff_t [[LIN:v[0-9]+]] = [[IDX]] + [[J:v[0-9]+]];
// CHECK:         float [[X:v[0-9]+]] = [[VIEW]][[[LIN]]];
// CHECK:         [[OUT]][{{v[0-9]+}}] = [[X]];
func.func @strided(%a: memref<4x8xf32>, %b: memref<2x3xf32>) attributes {hcc.opencl.stage} {
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %base, %offset, %sizes:2, %strides:2 = memref.extract_strided_metadata %a : memref<4x8xf32> -> memref<f32>, index, index, index, index, index
  %view = memref.reinterpret_cast %base to offset: [9], sizes: [2, 3], strides: [8, 1] : memref<f32> to memref<2x3xf32, strided<[8, 1], offset: 9>>
  %x = memref.load %view[%c1, %c2] : memref<2x3xf32, strided<[8, 1], offset: 9>>
  memref.store %x, %b[%c1, %c2] : memref<2x3xf32>
  return
}

// Private register tiles are C arrays; math ops call OpenCL built-ins.
// CHECK-LABEL: __kernel void builtins(hcc_gf32 v1, uint64_t v2, hcc_gi32 v3, uint64_t v4, hcc_gb v5, uint64_t v6, hcc_gf64 v7, uint64_t v8)
// CHECK:         hcc_gb [[BOOLS:v[0-9]+]] = v5 + {{v[0-9]+}};
// CHECK:         float [[ACC:v[0-9]+]][2][4];
// CHECK:         exp(
// CHECK:         rint(
// CHECK:         fmod(
// CHECK:         as_int(
// CHECK:         hcc_ipowi_i32(
// CHECK:         bool [[B:v[0-9]+]] = [[BOOLS]][
// CHECK:         sqrt(
// CHECK:         [[ACC]][{{v[0-9]+}}][{{v[0-9]+}}] =
func.func @builtins(%f: memref<4xf32>, %i: memref<4xi32>, %p: memref<4xi1>, %d: memref<4xf64>) attributes {hcc.opencl.stage} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %acc = memref.alloca() : memref<2x4xf32, "private">
  %x = memref.load %f[%c0] : memref<4xf32>
  %e = math.exp %x : f32
  %r = math.roundeven %e : f32
  %m = arith.remf %r, %x : f32
  %bits = arith.bitcast %m : f32 to i32
  %n = memref.load %i[%c1] : memref<4xi32>
  %pow = math.ipowi %bits, %n : i32
  memref.store %pow, %i[%c0] : memref<4xi32>
  %b = memref.load %p[%c1] : memref<4xi1>
  %s = arith.select %b, %m, %x : f32
  %dv = memref.load %d[%c0] : memref<4xf64>
  %ds = math.sqrt %dv : f64
  memref.store %ds, %d[%c1] : memref<4xf64>
  memref.store %s, %acc[%c1, %c0] : memref<2x4xf32, "private">
  %t = memref.load %acc[%c1, %c0] : memref<2x4xf32, "private">
  memref.store %t, %f[%c1] : memref<4xf32>
  return
}

// f16 buffers are read and written with vload_half/vstore_half and
// computed in float.
// CHECK-LABEL: __kernel void halves(hcc_gf16 v1, uint64_t v2)
// CHECK:         ptrdiff_t [[HB:v[0-9]+]] = 2;
// CHECK:         hcc_gf16 [[HP:v[0-9]+]] = v1 + {{v[0-9]+}};
// CHECK:         float [[H:v[0-9]+]] = vload_half({{v[0-9]+}}, [[HP]]);
// CHECK:         float [[S:v[0-9]+]] = [[H]] + [[H]];
// CHECK:         vstore_half([[S]], {{v[0-9]+}}, [[HP]]);
func.func @halves(%h: memref<4xf16>) attributes {hcc.opencl.stage} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %x = memref.load %h[%c0] : memref<4xf16>
  %s = arith.addf %x, %x : f16
  memref.store %s, %h[%c1] : memref<4xf16>
  return
}

// Constant buffers live in __constant memory.
// CHECK-LABEL: __kernel void constants(hcc_gf32 v1, uint64_t v2)
// CHECK:         float [[X:v[0-9]+]] = hcc_table[
func.func @constants(%y: memref<3xf32>) attributes {hcc.opencl.stage} {
  %c2 = arith.constant 2 : index
  %t = memref.get_global @table : memref<3xf32>
  %x = memref.load %t[%c2] : memref<3xf32>
  memref.store %x, %y[%c2] : memref<3xf32>
  return
}

// Functions that are not stages are plain OpenCL C functions.
// CHECK-LABEL: void helper(
// CHECK-NOT:   __kernel
func.func @helper(%y: memref<3xf32>) {
  return
}
