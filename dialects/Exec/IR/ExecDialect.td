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
include "mlir/IR/BuiltinAttributeInterfaces.td"

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

def Exec_TargetAttr : AttrDef<Exec_Dialect, "Target"> {
  let mnemonic = "target";
  let summary = "A target hcc generates code for, with its configuration";
  let description = [{
    Names a registered target plug-in (`cpu`, `opencl`, ...; see
    docs/AddingATarget.md) and optionally carries its configuration, a
    dictionary whose keys the target declares (device class, vector width,
    work-group and local-memory limits, ...). Placement and outlining check
    the name and the configuration against the target registry.

    ```mlir
    module @opencl attributes {exec.target = #exec.target<"opencl">} {}
    %0 = graph.Relu(%x) {exec.target = #exec.target<"cpu">} : ...
    ```
  }];
  let parameters = (ins StringRefParameter<"registered target name">:$name,
                        OptionalParameter<"::mlir::DictionaryAttr">:$config);
  let assemblyFormat = "`<` $name (`,` $config^)? `>`";
  let builders = [
    AttrBuilder<(ins "::llvm::StringRef":$name), [{
      return $_get($_ctxt, name, ::mlir::DictionaryAttr());
    }]>
  ];
}

#endif // HCC_EXEC_DIALECT_TD
