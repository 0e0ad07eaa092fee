"""Fixtures of the Python package's tests: small ONNX models (built with
onnx.helper) and their bundles, compiled once per test session."""

import os

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper

import hcc


def add_relu_model(dim="N"):
    """y = relu(x + b), x: [N, 3] float32 (N symbolic), b a weight."""
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [dim, 3])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [dim, 3])
    b = helper.make_tensor("b", TensorProto.FLOAT, [3], [1.0, -2.0, 0.5])
    nodes = [helper.make_node("Add", ["x", "b"], ["s"], name="add"),
             helper.make_node("Relu", ["s"], ["y"], name="relu")]
    graph = helper.make_graph(nodes, "add_relu", [x], [y], [b])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def two_io_model():
    """sum = a + b (float32 [2, 4]), idx = argmax(a, axis=1) (int64 [2])."""
    a = helper.make_tensor_value_info("a", TensorProto.FLOAT, [2, 4])
    b = helper.make_tensor_value_info("b", TensorProto.FLOAT, [2, 4])
    s = helper.make_tensor_value_info("sum", TensorProto.FLOAT, [2, 4])
    i = helper.make_tensor_value_info("idx", TensorProto.INT64, [2])
    nodes = [helper.make_node("Add", ["a", "b"], ["sum"], name="add"),
             helper.make_node("ArgMax", ["a"], ["idx"], name="argmax", axis=1,
                              keepdims=0)]
    graph = helper.make_graph(nodes, "two_io", [a, b], [s, i])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def bad_matmul_model():
    """A MatMul whose operands do not fit: the compiler names the node."""
    a = helper.make_tensor_value_info("a", TensorProto.FLOAT, [2, 3])
    b = helper.make_tensor_value_info("b", TensorProto.FLOAT, [4, 5])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, None)
    nodes = [helper.make_node("MatMul", ["a", "b"], ["y"], name="bad_mm")]
    graph = helper.make_graph(nodes, "bad", [a, b], [y])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


@pytest.fixture(scope="session")
def models(tmp_path_factory):
    """Paths of the models and of their bundles (compiled for the CPU)."""
    d = tmp_path_factory.mktemp("models")
    paths = {}
    for name, model in (("add_relu", add_relu_model()),
                        ("two_io", two_io_model())):
        path = str(d / (name + ".onnx"))
        onnx.save(model, path)
        paths[name] = path
    paths["add_relu_b4"] = hcc.compile(paths["add_relu"], dims={"N": 4},
                                       output=str(d / "add_relu_b4.hccb"))
    paths["two_io_b"] = hcc.compile(paths["two_io"],
                                    output=str(d / "two_io.hccb"))
    return paths


@pytest.fixture
def session(models):
    with hcc.Session(models["add_relu_b4"], threads=1) as s:
        yield s


def reference(x):
    return np.maximum(x + np.array([1.0, -2.0, 0.5], np.float32), 0)
