"""The examples of docs/Python.md run as they are written, each in a fresh
directory holding model.onnx (input x: [N, 3] float32)."""

import os
import re

import onnx
import pytest

from conftest import add_relu_model

DOC = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "Python.md")
BLOCKS = re.findall(r"```python\n(.*?)```", open(DOC).read(), re.S)


def test_the_doc_has_examples():
    assert len(BLOCKS) >= 7


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_example(index, tmp_path, monkeypatch):
    code = BLOCKS[index]
    if "import torch" in code:
        pytest.importorskip("torch")
    if "import onnxruntime" in code:
        pytest.importorskip("onnxruntime")
    onnx.save(add_relu_model(), str(tmp_path / "model.onnx"))
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "docs/Python.md example %d" % (index + 1), "exec"), {})
