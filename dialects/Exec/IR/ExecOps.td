//===- ExecOps.td - hcc exec dialect ops -------------------*- tablegen -*-===//

#ifndef HCC_EXEC_OPS_TD
#define HCC_EXEC_OPS_TD

include "ExecDialect.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

class Exec_Op<string mnemonic, list<Trait> traits = []>
    : Op<Exec_Dialect, mnemonic, traits>;

def Exec_LaunchOp : Exec_Op<"launch", [
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "Runs a kernel of a target module on tensors";
  let description = [{
    Runs kernel `callee` (a `func.func` in the nested module of its target)
    on the operands and returns its results. The operand and result types
    match the kernel's signature; the kernel reads its operands and writes
    fresh results (destination buffers are chosen by the runtime's memory
    planner).

    ```mlir
    %y = exec.launch @cpu::@conv1_relu(%x, %w) : (tensor<1x3x8x8xf32>,
        tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
    ```
  }];
  let arguments = (ins SymbolRefAttr:$callee, Variadic<AnyType>:$args);
  let results = (outs Variadic<AnyType>:$results);
  let assemblyFormat = [{
    $callee `(` $args `)` attr-dict `:` functional-type($args, results)
  }];
}

def Exec_TransferOp : Exec_Op<"transfer", [Pure,
    AllTypesMatch<["input", "output"]>]> {
  let summary = "Moves a tensor from one target's memory to another's";
  let description = [{
    Inserted by `hcc-outline-kernels` wherever a kernel on one target reads
    a value produced on another. The runtime implements it as a copy over
    the link between the two devices (and the cost model charges it).

    ```mlir
    %d = exec.transfer %h from <"cpu"> to <"opencl"> : tensor<1x64xf32>
    ```
  }];
  let arguments = (ins AnyType:$input, Exec_TargetAttr:$from,
                   Exec_TargetAttr:$to);
  let results = (outs AnyType:$output);
  let assemblyFormat = [{
    $input `from` $from `to` $to attr-dict `:` type($input)
  }];
  let hasVerifier = 1;
}

def Exec_ConcatOp : Exec_Op<"concat", [Pure]> {
  let summary = "A tensor assembled in place from the results of kernels";
  let description = [{
    The concatenation of `inputs` along `axis`, made without a kernel: each
    input is written by the kernel that produces it straight into its slice
    of the result's buffer (the bundle declares the inputs' buffers as views
    of the result's, `view_of` in docs/Bundle.md). So every slice must be
    one contiguous range of bytes: the dimensions before `axis` are all 1.
    Formed by `hcc-concat-in-place` from a kernel that only concatenates;
    every input must be a result of an `exec.launch`, used by no other
    `exec.concat` and not returned itself.

    ```mlir
    %c = exec.concat %a, %b {axis = 1 : i64}
        : (tensor<1x64x13x13xf32>, tensor<1x64x13x13xf32>)
        -> tensor<1x128x13x13xf32>
    ```
  }];
  let arguments = (ins Variadic<AnyRankedTensor>:$inputs,
                   ConfinedAttr<I64Attr, [IntNonNegative]>:$axis);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $inputs attr-dict `:` functional-type($inputs, $result)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// Byte offset of input `index` in the result (static shapes).
    int64_t byteOffset(unsigned index);
  }];
}

#endif // HCC_EXEC_OPS_TD
