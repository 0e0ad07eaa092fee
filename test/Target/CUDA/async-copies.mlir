// RUN: hcc-opt %s --split-input-file --pass-pipeline="builtin.module(gpu.module(hcc-cuda-async-copies))" | FileCheck %s

// A staged f32 element becomes a one-element cp.async, zero-filled (and
// reading index 0) where its guard is false; the stage before the k loop
// and each stage in it form a group, and the ready barrier waits until at
// most the group just issued is in flight.
// CHECK-LABEL: gpu.func @staged
// CHECK:         %[[OK:.*]] = arith.cmpi slt
// CHECK:         %[[I:.*]] = arith.select %[[OK]], %{{.*}}, %c0
// CHECK:         %[[N:.*]] = arith.select %[[OK]], %c1{{.*}}, %c0
// CHECK:         nvgpu.device_async_copy %{{.*}}[%[[I]]], %{{.*}}[%c0, %{{.*}}], 1, %[[N]] : memref<64xf32> to memref<2x16xf32, #gpu.address_space<workgroup>>
// CHECK-NOT:     memref.store
// CHECK:         nvgpu.device_async_create_group
// CHECK-NEXT:    scf.for
// CHECK:           nvgpu.device_async_copy
// CHECK:         %[[G:.*]] = nvgpu.device_async_create_group
// CHECK-NEXT:    nvgpu.device_async_wait %[[G]] {numGroups = 1 : i32}
// CHECK-NEXT:    gpu.barrier
// CHECK-NOT:     hcc.gpu
gpu.module @m {
  gpu.func @staged(%src: memref<64xf32>, %out: memref<16xf32>) workgroup(%tile : memref<2x16xf32, #gpu.address_space<workgroup>>) kernel {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c16 = arith.constant 16 : index
    %c64 = arith.constant 64 : index
    %zero = arith.constant 0.0 : f32
    %tid = gpu.thread_id x
    %i = arith.addi %tid, %c16 : index
    %ok = arith.cmpi slt, %i, %c64 : index
    %v = scf.if %ok -> (f32) {
      %x = memref.load %src[%i] : memref<64xf32>
      scf.yield %x : f32
    } else {
      scf.yield %zero : f32
    }
    memref.store %v, %tile[%c0, %tid] {hcc.gpu.staged} : memref<2x16xf32, #gpu.address_space<workgroup>>
    scf.for %k = %c0 to %c64 step %c16 {
      %j = arith.addi %k, %tid : index
      %w = scf.if %ok -> (f32) {
        %y = memref.load %src[%j] : memref<64xf32>
        scf.yield %y : f32
      } else {
        scf.yield %zero : f32
      }
      memref.store %w, %tile[%c1, %tid] {hcc.gpu.staged} : memref<2x16xf32, #gpu.address_space<workgroup>>
      gpu.barrier {hcc.gpu.stage_ready}
      %r = memref.load %tile[%c0, %tid] : memref<2x16xf32, #gpu.address_space<workgroup>>
      memref.store %r, %out[%tid] : memref<16xf32>
      gpu.barrier
    }
    gpu.return
  }
}

// -----

// Staged values that are converted (f32 rounded to f16) or 2 bytes wide
// have no cp.async form: the stores and barrier stay as they are, with no
// groups.
// CHECK-LABEL: gpu.func @converted
// CHECK-NOT:     nvgpu
// CHECK:         memref.store
// CHECK-NOT:     nvgpu
// CHECK:         gpu.barrier
// CHECK-NOT:     nvgpu
// CHECK-NOT:     hcc.gpu
gpu.module @m {
  gpu.func @converted(%src: memref<64xf32>, %half: memref<64xf16>) workgroup(%tile : memref<2x16xf16, #gpu.address_space<workgroup>>) kernel {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c16 = arith.constant 16 : index
    %c64 = arith.constant 64 : index
    %zero = arith.constant 0.0 : f32
    %hzero = arith.constant 0.0 : f16
    %tid = gpu.thread_id x
    %ok = arith.cmpi slt, %tid, %c64 : index
    %v = scf.if %ok -> (f32) {
      %x = memref.load %src[%tid] : memref<64xf32>
      scf.yield %x : f32
    } else {
      scf.yield %zero : f32
    }
    %t = arith.truncf %v : f32 to f16
    memref.store %t, %tile[%c0, %tid] {hcc.gpu.staged} : memref<2x16xf16, #gpu.address_space<workgroup>>
    scf.for %k = %c0 to %c64 step %c16 {
      %w = scf.if %ok -> (f16) {
        %y = memref.load %half[%tid] : memref<64xf16>
        scf.yield %y : f16
      } else {
        scf.yield %hzero : f16
      }
      memref.store %w, %tile[%c1, %tid] {hcc.gpu.staged} : memref<2x16xf16, #gpu.address_space<workgroup>>
      gpu.barrier {hcc.gpu.stage_ready}
    }
    gpu.return
  }
}

// -----

// A k loop of one step folds away: the ready barrier waits for every copy.
// CHECK-LABEL: gpu.func @one_step
// CHECK:         nvgpu.device_async_copy
// CHECK-NEXT:    %[[G:.*]] = nvgpu.device_async_create_group
// CHECK-NEXT:    nvgpu.device_async_wait %[[G]] {numGroups = 0 : i32}
// CHECK-NEXT:    gpu.barrier
gpu.module @m {
  gpu.func @one_step(%src: memref<16xf32>) workgroup(%tile : memref<2x16xf32, #gpu.address_space<workgroup>>) kernel {
    %c0 = arith.constant 0 : index
    %c16 = arith.constant 16 : index
    %zero = arith.constant 0.0 : f32
    %tid = gpu.thread_id x
    %ok = arith.cmpi slt, %tid, %c16 : index
    %v = scf.if %ok -> (f32) {
      %x = memref.load %src[%tid] : memref<16xf32>
      scf.yield %x : f32
    } else {
      scf.yield %zero : f32
    }
    memref.store %v, %tile[%c0, %tid] {hcc.gpu.staged} : memref<2x16xf32, #gpu.address_space<workgroup>>
    gpu.barrier {hcc.gpu.stage_ready}
    gpu.return
  }
}

// -----

// A group of 4 f32 (16 bytes, emitTileStaging's vector staging) is one
// 16-byte cp.async that bypasses L1, zero-filled out of bounds.
// CHECK-LABEL: gpu.func @vector
// CHECK:         %[[OK:.*]] = arith.cmpi slt
// CHECK:         %[[N:.*]] = arith.select %[[OK]], %c4{{.*}}, %c0
// CHECK:         nvgpu.device_async_copy %{{.*}}[%{{.*}}], %{{.*}}[%c0, %{{.*}}], 4, %[[N]] {bypassL1} : memref<64xf32> to memref<2x16xf32, #gpu.address_space<workgroup>>
// CHECK-NOT:     vector.store
gpu.module @m {
  gpu.func @vector(%src: memref<64xf32>) workgroup(%tile : memref<2x16xf32, #gpu.address_space<workgroup>>) kernel {
    %c0 = arith.constant 0 : index
    %c4 = arith.constant 4 : index
    %c64 = arith.constant 64 : index
    %zero = arith.constant dense<0.0> : vector<4xf32>
    %tid = gpu.thread_id x
    %i = arith.muli %tid, %c4 : index
    %ok = arith.cmpi slt, %i, %c64 : index
    %v = scf.if %ok -> (vector<4xf32>) {
      %x = vector.load %src[%i] {alignment = 16 : i64} : memref<64xf32>, vector<4xf32>
      scf.yield %x : vector<4xf32>
    } else {
      scf.yield %zero : vector<4xf32>
    }
    vector.store %v, %tile[%c0, %i] {alignment = 16 : i64, hcc.gpu.staged} : memref<2x16xf32, #gpu.address_space<workgroup>>, vector<4xf32>
    gpu.barrier {hcc.gpu.stage_ready}
    gpu.return
  }
}
