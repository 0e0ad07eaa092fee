//===- SampledModels.cpp - single-op models of sampled shapes -------------===//

#include "SampledModels.h"

#include "onnx/onnx_pb.h"

#include <cmath>
#include <cstring>
#include <fstream>
#include <random>

namespace hcc {
namespace profile {
namespace {

using Dims = std::vector<int64_t>;

class Builder {
public:
  explicit Builder(const std::string &name) {
    model.set_ir_version(8);
    auto *opset = model.add_opset_import();
    opset->set_domain("");
    opset->set_version(17);
    model.set_producer_name("hcc-profile");
    graph = model.mutable_graph();
    graph->set_name(name);
  }

  void input(const std::string &name, const Dims &dims) {
    valueInfo(graph->add_input(), name, dims);
  }
  void output(const std::string &name, const Dims &dims) {
    valueInfo(graph->add_output(), name, dims);
  }
  void weight(const std::string &name, const Dims &dims, std::mt19937 &rng) {
    auto *t = graph->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::FLOAT);
    int64_t n = 1;
    for (int64_t d : dims) {
      t->add_dims(d);
      n *= d;
    }
    std::normal_distribution<float> dist(0.f, 0.1f);
    std::string raw(n * sizeof(float), '\0');
    for (int64_t i = 0; i < n; ++i) {
      float v = dist(rng);
      std::memcpy(&raw[i * sizeof(float)], &v, sizeof(float));
    }
    t->set_raw_data(raw);
  }
  void scalar(const std::string &name, float value) {
    auto *t = graph->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::FLOAT);
    t->add_float_data(value);
  }
  onnx::NodeProto *node(const std::string &op,
                        const std::vector<std::string> &inputs,
                        const std::string &output) {
    auto *n = graph->add_node();
    n->set_op_type(op);
    n->set_name(op + std::to_string(graph->node_size()));
    for (const std::string &i : inputs)
      n->add_input(i);
    n->add_output(output);
    return n;
  }
  static void ints(onnx::NodeProto *n, const std::string &name,
                   const Dims &values) {
    auto *a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INTS);
    for (int64_t v : values)
      a->add_ints(v);
  }
  static void integer(onnx::NodeProto *n, const std::string &name, int64_t v) {
    auto *a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(v);
  }
  bool write(const std::string &path) const {
    std::ofstream os(path, std::ios::binary);
    return os && model.SerializeToOstream(&os);
  }

private:
  static void valueInfo(onnx::ValueInfoProto *v, const std::string &name,
                        const Dims &dims) {
    v->set_name(name);
    auto *t = v->mutable_type()->mutable_tensor_type();
    t->set_elem_type(onnx::TensorProto::FLOAT);
    for (int64_t d : dims)
      t->mutable_shape()->add_dim()->set_dim_value(d);
  }
  onnx::ModelProto model;
  onnx::GraphProto *graph;
};

/// Log-uniform integer in [lo, hi].
int64_t sample(std::mt19937 &rng, int64_t lo, int64_t hi) {
  std::uniform_real_distribution<double> u(std::log(lo), std::log(hi + 1.0));
  return std::min<int64_t>(hi, static_cast<int64_t>(std::exp(u(rng))));
}
template <typename T> T pick(std::mt19937 &rng, std::vector<T> options) {
  return options[std::uniform_int_distribution<size_t>(0, options.size() -
                                                              1)(rng)];
}

/// The epilogue real models fuse after a contraction or convolution, drawn
/// at random: none, ReLU, ReLU6 (Clip), swish (x * Sigmoid(x)), HardSwish,
/// or a residual Add. Writes `out` from `in` of shape `dims`.
void epilogue(Builder &b, std::mt19937 &rng, const std::string &in,
              const std::string &out, const Dims &dims) {
  switch (std::uniform_int_distribution<int>(0, 5)(rng)) {
  case 0:
    b.node("Identity", {in}, out);
    return;
  case 1:
    b.node("Relu", {in}, out);
    return;
  case 2:
    b.scalar("lo", 0.f);
    b.scalar("hi", 6.f);
    b.node("Clip", {in, "lo", "hi"}, out);
    return;
  case 3:
    b.node("Sigmoid", {in}, in + "_sig");
    b.node("Mul", {in, in + "_sig"}, out);
    return;
  case 4:
    b.node("HardSwish", {in}, out);
    return;
  default:
    b.input("residual", dims);
    b.node("Add", {in, "residual"}, out);
    return;
  }
}

constexpr double kMaxFlops = 2e9;
constexpr int64_t kMaxElements = 4 << 20;

/// One case of family `kind`; its shapes are resampled until the work fits.
void build(const std::string &kind, std::mt19937 &rng, Builder &b) {
  if (kind == "matmul" || kind == "gemm") {
    int64_t m, k, n;
    do {
      m = sample(rng, 1, 1024);
      k = sample(rng, 8, 4096);
      n = sample(rng, 8, 4096);
    } while (2.0 * m * n * k > kMaxFlops || m * k > kMaxElements ||
             k * n > kMaxElements);
    b.input("x", {m, k});
    if (kind == "matmul") {
      b.weight("w", {k, n}, rng);
      b.node("MatMul", {"x", "w"}, "g");
    } else {
      b.weight("w", {n, k}, rng);
      b.weight("bias", {n}, rng);
      Builder::integer(b.node("Gemm", {"x", "w", "bias"}, "g"), "transB", 1);
    }
    epilogue(b, rng, "g", "y", {m, n});
    b.output("y", {m, n});
    return;
  }
  if (kind == "batch_matmul") {
    int64_t batch, m, k, n;
    do {
      batch = sample(rng, 1, 64);
      m = sample(rng, 4, 512);
      k = sample(rng, 8, 512);
      n = sample(rng, 4, 512);
    } while (2.0 * batch * m * n * k > kMaxFlops ||
             batch * std::max(m, n) * k > kMaxElements);
    b.input("a", {batch, m, k});
    b.input("c", {batch, k, n});
    b.node("MatMul", {"a", "c"}, "y");
    b.output("y", {batch, m, n});
    return;
  }
  if (kind == "conv" || kind == "depthwise") {
    for (;;) {
      int64_t n = pick<int64_t>(rng, {1, 1, 2, 4});
      int64_t c = sample(rng, kind == "conv" ? 3 : 8, 512);
      int64_t h = sample(rng, 7, 128);
      int64_t kernel = pick<int64_t>(rng, {1, 3, 3, 5, 7});
      int64_t stride = pick<int64_t>(rng, {1, 1, 2});
      int64_t cout = kind == "conv" ? sample(rng, 8, 512) : c;
      int64_t groups = kind == "conv" ? 1 : c;
      int64_t pad = kernel / 2;
      int64_t oh = (h + 2 * pad - kernel) / stride + 1;
      if (oh < 1)
        continue;
      double flops = 2.0 * n * cout * oh * oh * (c / groups) * kernel * kernel;
      if (flops > kMaxFlops || n * c * h * h > kMaxElements ||
          n * cout * oh * oh > kMaxElements)
        continue;
      b.input("x", {n, c, h, h});
      b.weight("w", {cout, c / groups, kernel, kernel}, rng);
      b.weight("bias", {cout}, rng);
      auto *conv = b.node("Conv", {"x", "w", "bias"}, "conv");
      Builder::ints(conv, "kernel_shape", {kernel, kernel});
      Builder::ints(conv, "strides", {stride, stride});
      Builder::ints(conv, "pads", {pad, pad, pad, pad});
      Builder::integer(conv, "group", groups);
      epilogue(b, rng, "conv", "y", {n, cout, oh, oh});
      b.output("y", {n, cout, oh, oh});
      return;
    }
  }
  if (kind == "pool") {
    for (;;) {
      int64_t n = pick<int64_t>(rng, {1, 2}), c = sample(rng, 8, 512),
              h = sample(rng, 4, 112);
      if (n * c * h * h > kMaxElements)
        continue;
      std::string op = pick<std::string>(
          rng, {"MaxPool", "AveragePool", "GlobalAveragePool"});
      b.input("x", {n, c, h, h});
      if (op == "GlobalAveragePool") {
        b.node(op, {"x"}, "y");
        b.output("y", {n, c, 1, 1});
        return;
      }
      int64_t kernel = pick<int64_t>(rng, {2, 3}),
              stride = pick<int64_t>(rng, {1, 2});
      int64_t oh = (h - kernel) / stride + 1;
      if (oh < 1)
        continue;
      auto *pool = b.node(op, {"x"}, "y");
      Builder::ints(pool, "kernel_shape", {kernel, kernel});
      Builder::ints(pool, "strides", {stride, stride});
      b.output("y", {n, c, oh, oh});
      return;
    }
  }
  // Row-wise ops on [rows, cols].
  int64_t rows, cols;
  do {
    rows = sample(rng, 1, 8192);
    cols = sample(rng, 2, 8192);
  } while (rows * cols > kMaxElements);
  if (kind == "softmax" || kind == "reduce" || kind == "layernorm") {
    b.input("x", {rows, cols});
    if (kind == "softmax") {
      Builder::integer(b.node("Softmax", {"x"}, "y"), "axis", -1);
      b.output("y", {rows, cols});
    } else if (kind == "reduce") {
      auto *r = b.node("ReduceMean", {"x"}, "y");
      Builder::ints(r, "axes", {-1});
      b.output("y", {rows, 1});
    } else {
      b.weight("gamma", {cols}, rng);
      b.weight("beta", {cols}, rng);
      Builder::integer(
          b.node("LayerNormalization", {"x", "gamma", "beta"}, "y"), "axis",
          -1);
      b.output("y", {rows, cols});
    }
    return;
  }
  if (kind == "transpose") {
    int64_t a = sample(rng, 1, 64), c = sample(rng, 1, 512);
    int64_t h =
        std::max<int64_t>(1, kMaxElements / std::max<int64_t>(1, a * c * 64));
    h = sample(rng, 1, std::max<int64_t>(1, std::min<int64_t>(h, 128)));
    b.input("x", {a, c, h, 8});
    Builder::ints(b.node("Transpose", {"x"}, "y"), "perm", {0, 2, 3, 1});
    b.output("y", {a, h, 8, c});
    return;
  }
  if (kind == "concat") {
    b.input("x", {rows, cols});
    b.input("z", {rows, cols});
    Builder::integer(b.node("Concat", {"x", "z"}, "y"), "axis", 1);
    b.output("y", {rows, 2 * cols});
    return;
  }
  // Elementwise: a binary op, then a unary one fused after it.
  std::string binary = pick<std::string>(rng, {"Add", "Mul", "Sub"});
  std::string unary =
      pick<std::string>(rng, {"Relu", "Sigmoid", "Tanh", "Exp", "Abs"});
  b.input("x", {rows, cols});
  b.input("z", {rows, cols});
  b.node(binary, {"x", "z"}, "s");
  b.node(unary, {"s"}, "y");
  b.output("y", {rows, cols});
  return;
}

} // namespace

bool writeSampledModels(const std::string &dir, int count, unsigned seed,
                        std::vector<SampledModel> &out, std::string &error) {
  static const char *kinds[] = {
      "matmul",    "gemm",   "batch_matmul", "conv",   "conv",
      "depthwise", "pool",   "softmax",      "reduce", "layernorm",
      "transpose", "concat", "elementwise"};
  std::mt19937 rng(seed);
  for (int i = 0; i < count; ++i) {
    std::string kind = kinds[i % (sizeof(kinds) / sizeof(kinds[0]))];
    char id[16];
    std::snprintf(id, sizeof(id), "%03d", i);
    std::string name = "sampled_" + kind + "_" + id;
    Builder b(name);
    build(kind, rng, b);
    std::string path = dir + "/" + name + ".onnx";
    if (!b.write(path)) {
      error = "cannot write '" + path + "'";
      return false;
    }
    out.push_back({"sampled/" + kind + "_" + id, path});
  }
  return true;
}

} // namespace profile
} // namespace hcc
