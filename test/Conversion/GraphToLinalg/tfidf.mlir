// RUN: hcc-opt %s --convert-graph-to-linalg | FileCheck %s

// TfIdfVectorizer: compile-time tables of the counted n-grams (tokens,
// lengths, and per output index the n-grams landing on it), one generic
// over [rows, outputs] counting matches over n-grams, skip distances and
// starts with scf.for loops, then IDF: the weight where the count is
// positive.
// CHECK-LABEL: func.func @tfidf
// CHECK-DAG:   arith.constant dense<{{\[}}[2, 0], [3, 0], [5, 6], [7, 8]]> : tensor<4x2xi64>
// CHECK-DAG:   arith.constant dense<[1, 1, 2, 2]> : tensor<4xi64>
// CHECK-DAG:   arith.constant dense<[0, 1, 2, 3, 4]> : tensor<5xi64>
// CHECK-DAG:   arith.constant dense<[5.000000e-01, 1.000000e+00, 2.000000e+00, 3.000000e+00]> : tensor<4xf32>
// CHECK:       linalg.generic {{.*}} outs(%{{.+}} : tensor<2x4xf32>)
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK:             scf.for
// CHECK:               scf.for
// CHECK:         arith.cmpi sgt
// CHECK:         arith.select
func.func @tfidf(%x: tensor<2x6xi32>) -> tensor<2x4xf32> {
  %0 = graph.TfIdfVectorizer(%x) {mode = #graph.tf_idf_mode<IDF>, min_gram_length = 1 : i64, max_gram_length = 2 : i64, max_skip_count = 2 : i64, ngram_counts = [0, 2], ngram_indexes = [0, 1, 2, 3], pool_int64s = [2, 3, 5, 6, 7, 8], weights = [0.5 : f32, 1.0 : f32, 2.0 : f32, 3.0 : f32]} : (tensor<2x6xi32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}
