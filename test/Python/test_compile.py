"""hcc.compile: from a path, bytes or a ModelProto; its options; every
rejection is a CompileError (or InvalidArgument) naming the problem."""

import json
import os

import numpy as np
import onnx
import pytest

import hcc
from conftest import add_relu_model, bad_matmul_model, reference


def test_compile_path_default_output(tmp_path):
    path = str(tmp_path / "m.onnx")
    onnx.save(add_relu_model(), path)
    out = hcc.compile(path)
    assert out == str(tmp_path / "m.hccb") and os.path.getsize(out) > 0


def test_compile_model_proto_and_bytes_in_memory():
    from_proto = hcc.compile(add_relu_model(), dims={"N": 2})
    from_bytes = hcc.compile(add_relu_model().SerializeToString(),
                             dims={"N": 2})
    for bundle in (from_proto, from_bytes):
        assert isinstance(bundle, bytes) and bundle[:7] == b"HCCBNDL"
        with hcc.Session(bundle) as s:
            x = np.arange(6, dtype=np.float32).reshape(2, 3) - 3
            np.testing.assert_array_equal(s.run({"x": x})[0], reference(x))


def test_compile_dims_and_emit(tmp_path):
    out = hcc.compile(add_relu_model(), dims={"N": 5},
                      output=tmp_path / "b5.hccb")
    with hcc.Session(out) as s:
        assert s.inputs[0].shape == (5, 3)
        assert s.inputs[0].symbolic_shape == ("N", 3)
    placed = hcc.compile(add_relu_model(), emit="placed")
    assert "func.func" in placed and "exec" in placed


def test_compile_placement_rules_and_dump(tmp_path):
    dump = str(tmp_path / "p.json")
    hcc.compile(add_relu_model(), output=str(tmp_path / "r.hccb"),
                placement={"rules": [{"op": "Relu", "target": "cpu"}]},
                dump_placement=[dump])
    assert json.load(open(dump))["kernels"]


def test_compile_error_names_the_node(tmp_path):
    with pytest.raises(hcc.CompileError) as e:
        hcc.compile(bad_matmul_model(), output=str(tmp_path / "bad.hccb"))
    assert "bad_mm" in str(e.value) and "error" in str(e.value)
    assert isinstance(e.value, hcc.HccError) and e.value.diagnostics
    assert not os.path.exists(tmp_path / "bad.hccb")


def test_compile_rejections(tmp_path):
    with pytest.raises(hcc.CompileError, match="unknown target 'tpu'"):
        hcc.compile(add_relu_model(), targets=["tpu"])
    with pytest.raises(hcc.CompileError, match="missing.onnx"):
        hcc.compile(str(tmp_path / "missing.onnx"))
    with pytest.raises(hcc.CompileError, match="not ONNX|parse|protobuf"):
        hcc.compile(b"\x00garbage\xff" * 10)
    with pytest.raises(hcc.CompileError, match="no-such-log"):
        hcc.compile(add_relu_model(), tuning_log=str(tmp_path / "no-such-log"))
    with pytest.raises(hcc.CompileError, match="precision"):
        hcc.compile(add_relu_model(), precision="fp8")
    with pytest.raises(hcc.CompileError):
        hcc.compile(add_relu_model(), output="/nonexistent/dir/m.hccb")
    with pytest.raises(hcc.CompileError, match="vector-width|opencl"):
        hcc.compile(add_relu_model(), targets=["cpu"],
                    target_config={"opencl": {"vector-width": 3}})


def test_compile_bad_arguments():
    with pytest.raises(hcc.InvalidArgument, match="model must be"):
        hcc.compile(42)
    with pytest.raises(hcc.InvalidArgument, match="dims"):
        hcc.compile(add_relu_model(), dims={"N": -1})
    with pytest.raises(hcc.InvalidArgument, match="dims"):
        hcc.compile(add_relu_model(), dims=[("N", 1)])
    with pytest.raises(hcc.InvalidArgument, match="targets"):
        hcc.compile(add_relu_model(), targets=[1])
    with pytest.raises(hcc.InvalidArgument, match="opt_level"):
        hcc.compile(add_relu_model(), opt_level=7)
    with pytest.raises(hcc.InvalidArgument, match="emit"):
        hcc.compile(add_relu_model(), emit="asm")
    with pytest.raises(hcc.InvalidArgument, match="target_config"):
        hcc.compile(add_relu_model(), target_config={"cpu": 3})
    # InvalidArgument is a ValueError too.
    with pytest.raises(ValueError):
        hcc.compile(add_relu_model(), output=3)


def test_compile_warnings_and_tuning_log(tmp_path):
    log = tmp_path / "tuning.jsonl"
    record = {"version": 1, "hcc": "0.1.0",
              "workload": "cpu:graph.Conv:1x8xf32:0000000000000000",
              "target": "cpu", "device": "test", "config": {"tile-m": 4},
              "costs": [1e-4], "error": "", "time": "2026-12-04T00:00:00Z"}
    log.write_text(json.dumps(record) + "\n{not json\n")
    with pytest.warns(hcc.CompileWarning) as caught:
        hcc.compile(add_relu_model(), tuning_log=str(log),
                    output=str(tmp_path / "t.hccb"))
    messages = [str(w.message) for w in caught]
    assert any("tuning.jsonl:2: skipped: not JSON" in m for m in messages)
    assert any("kernels tuned" in m for m in messages)
    log.write_text("{not json\n")
    with pytest.raises(hcc.CompileError, match="no usable record"):
        hcc.compile(add_relu_model(), tuning_log=str(log))
