// RUN: hcc-opt %s --convert-graph-to-linalg --split-input-file --verify-diagnostics

func.func @loop_dynamic_scan_output(%m: tensor<i64>, %y: tensor<1xf32>) -> (tensor<1xf32>, tensor<?x1xf32>) {
  %none = graph.none
  // expected-error @+1 {{graph.Loop cannot be lowered to linalg: scan output #0 needs a static shape}}
  %r:2 = graph.Loop(%m, %none, %y) : (tensor<i64>, none, tensor<1xf32>) -> (tensor<1xf32>, tensor<?x1xf32>) {
  ^bb0(%i: tensor<i64>, %ci: tensor<i1>, %v: tensor<1xf32>):
    graph.yield %ci, %v, %v : tensor<i1>, tensor<1xf32>, tensor<1xf32>
  }
  return %r#0, %r#1 : tensor<1xf32>, tensor<?x1xf32>
}

// -----

func.func @scan_dynamic_length(%init: tensor<2xf32>, %x: tensor<?x2xf32>) -> (tensor<2xf32>, tensor<3x2xf32>) {
  // expected-error @+1 {{graph.Scan cannot be lowered to linalg: inputs must have static shapes}}
  %r:2 = graph.Scan(%init, %x) attributes {num_scan_inputs = 1 : i64} : (tensor<2xf32>, tensor<?x2xf32>) -> (tensor<2xf32>, tensor<3x2xf32>) {
  ^bb0(%s: tensor<2xf32>, %e: tensor<2xf32>):
    graph.yield %s, %e : tensor<2xf32>, tensor<2xf32>
  }
  return %r#0, %r#1 : tensor<2xf32>, tensor<3x2xf32>
}

// -----

func.func @if_sequence(%c: tensor<i1>, %a: !graph.seq<tensor<4xf32>>) -> !graph.seq<tensor<4xf32>> {
  // expected-error @+1 {{graph.If cannot be lowered to linalg: only tensor values (no sequences or optionals)}}
  %r = graph.If(%c) : (tensor<i1>) -> !graph.seq<tensor<4xf32>> {
    graph.yield %a : !graph.seq<tensor<4xf32>>
  }, {
    graph.yield %a : !graph.seq<tensor<4xf32>>
  }
  return %r : !graph.seq<tensor<4xf32>>
}
