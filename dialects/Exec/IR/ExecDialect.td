//===- ExecDialect.td - hcc exec dialect definition --------*- tablegen -*-===//
//
// The exec dialect describes how a placed model runs: which kernel runs on
// which target, in which order, and where data crosses between devices.
//
//===----------------------------------------------------------------------===//

#ifndef HCC_EXEC_DIALECT_TD
#define HCC_EXEC_DIALECT_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def Exec_Dialect : Dialect {
  let name = "exec";
  let cppNamespace = "::hcc::exec";
  let summary = "Kernels, targets and transfers of a partitioned model";
  let description = [{
    After placement a model is a host function that launches kernels and
    moves tensors between devices. Kernels live in one nested `builtin.module`
    per target (`module @cpu attributes {exec.target = #exec.target<cpu>}`),
    so each target's codegen pipeline runs on its own module; the host
    function holds `exec.launch` and `exec.transfer` ops and the weights
    (`graph.Constant`). The bundle's kernel DAG is read off this function.
  }];
  let useDefaultAttributePrinterParser = 1;
}

def Exec_Target : I32EnumAttr<"Target", "a kind of device hcc generates code for", [
    I32EnumAttrCase<"cpu", 0>, I32EnumAttrCase<"cuda", 1>,
    I32EnumAttrCase<"opencl", 2>, I32EnumAttrCase<"fpga", 3>]> {
  let cppNamespace = "::hcc::exec";
  let genSpecializedAttr = 0;
}

def Exec_TargetAttr : EnumAttr<Exec_Dialect, Exec_Target, "target"> {
  let assemblyFormat = "`<` $value `>`";
}

#endif // HCC_EXEC_DIALECT_TD
