"""hcc.placement: a bundle's kernel DAG with targets; placement_svg draws
it with Graphviz."""

import shutil

import pytest

import hcc


def test_placement_dag(models):
    dag = hcc.placement(models["add_relu_b4"])
    assert dag["model"] == "add_relu"
    assert dag["devices"][0]["kind"] == "cpu"
    kernels = dag["kernels"]
    assert kernels and all(k["target"] == "cpu" for k in kernels)
    for k in kernels:
        assert all(d < k["index"] for d in k["deps"])
    with open(models["add_relu_b4"], "rb") as f:
        assert hcc.placement(f.read()) == dag


def test_placement_errors(tmp_path):
    with pytest.raises(hcc.IOFailure):
        hcc.placement(str(tmp_path / "none.hccb"))
    with pytest.raises(hcc.InvalidArgument):
        hcc.placement(3.5)


@pytest.mark.skipif(shutil.which("dot") is None, reason="no Graphviz")
def test_placement_svg(models, tmp_path):
    svg = hcc.placement_svg(models["add_relu_b4"], tmp_path / "p.svg")
    assert "<svg" in svg and (tmp_path / "p.svg").read_text() == svg
