// A kernel that is not in the bare-pointer form is rejected with the type
// it has.
// RUN: hcc-opt %s --hcc-cpu-kernel-abi -verify-diagnostics

module {
  // expected-error @+1 {{is not in the bare-pointer kernel form (void result, one pointer per buffer): '!llvm.func<void (ptr, i64)>'}}
  llvm.func @k(%in: !llvm.ptr, %n: i64) attributes {exec.kernel} {
    llvm.return
  }
}
