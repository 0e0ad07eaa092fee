// hcc-cpu-kernel-abi gives each kernel the runtime's entry point
// `void hcc_<k>(ptr args)` and sends heap allocations (the generic memref
// functions) to the runtime's scratch allocator.
// RUN: hcc-opt %s --hcc-cpu-kernel-abi | FileCheck %s

// CHECK-NOT: _mlir_memref_to_llvm
// CHECK: llvm.func @hcc_cpu_scratch_alloc(i64) -> !llvm.ptr
// CHECK: llvm.func @hcc_cpu_scratch_aligned_alloc(i64, i64) -> !llvm.ptr
// CHECK: llvm.func @hcc_cpu_scratch_free(!llvm.ptr)
// CHECK: llvm.func internal @k(%[[IN:.*]]: !llvm.ptr, %[[OUT:.*]]: !llvm.ptr)
// CHECK:   %[[A:.*]] = llvm.call @hcc_cpu_scratch_alloc(%{{.*}}) : (i64) -> !llvm.ptr
// CHECK:   %[[B:.*]] = llvm.call @hcc_cpu_scratch_aligned_alloc(%{{.*}}, %{{.*}}) : (i64, i64) -> !llvm.ptr
// CHECK:   llvm.call @hcc_cpu_scratch_free(%[[A]]) : (!llvm.ptr) -> ()
// CHECK:   llvm.call @hcc_cpu_scratch_free(%[[B]]) : (!llvm.ptr) -> ()
// CHECK: llvm.func @hcc_k(%[[ARGS:.*]]: !llvm.ptr)
// CHECK:   %[[P0:.*]] = llvm.getelementptr %[[ARGS]][0]
// CHECK:   %[[I:.*]] = llvm.load %[[P0]]
// CHECK:   %[[P1:.*]] = llvm.getelementptr %[[ARGS]][1]
// CHECK:   %[[O:.*]] = llvm.load %[[P1]]
// CHECK:   llvm.call @k(%[[I]], %[[O]])
module {
  llvm.func @_mlir_memref_to_llvm_alloc(i64) -> !llvm.ptr
  llvm.func @_mlir_memref_to_llvm_aligned_alloc(i64, i64) -> !llvm.ptr
  llvm.func @_mlir_memref_to_llvm_free(!llvm.ptr)
  llvm.func @k(%in: !llvm.ptr, %out: !llvm.ptr) attributes {exec.kernel} {
    %size = llvm.mlir.constant(1048576 : i64) : i64
    %align = llvm.mlir.constant(64 : i64) : i64
    %a = llvm.call @_mlir_memref_to_llvm_alloc(%size) : (i64) -> !llvm.ptr
    %b = llvm.call @_mlir_memref_to_llvm_aligned_alloc(%align, %size) : (i64, i64) -> !llvm.ptr
    llvm.call @_mlir_memref_to_llvm_free(%a) : (!llvm.ptr) -> ()
    llvm.call @_mlir_memref_to_llvm_free(%b) : (!llvm.ptr) -> ()
    llvm.return
  }
}
