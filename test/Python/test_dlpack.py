"""DLPack: torch tensors in without a copy, outputs out to torch without
one (numpy arrays are DLPack producers)."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import hcc
from conftest import reference


def test_torch_in_zero_copy(session):
    t = torch.linspace(-2, 2, 12, dtype=torch.float32).reshape(4, 3)
    assert session.input_addresses([np.from_dlpack(t)]) == [t.data_ptr()]
    (y,) = session.run({"x": t})
    np.testing.assert_array_equal(y, reference(t.numpy()))


def test_torch_out_zero_copy(session):
    x = np.ones((4, 3), np.float32)
    (y,) = session.run({"x": x})
    t = torch.from_dlpack(y)
    assert t.data_ptr() == y.ctypes.data
    assert torch.equal(t, torch.from_numpy(reference(x)))


def test_torch_round_trip(session):
    t = torch.randn(4, 3)
    (y,) = session.run({"x": t})
    back = torch.from_dlpack(y)
    assert torch.equal(back, torch.relu(t + torch.tensor([1.0, -2.0, 0.5])))


def test_torch_errors(session):
    with pytest.raises(hcc.InvalidArgument, match="expected float32, got float64"):
        session.run({"x": torch.ones(4, 3, dtype=torch.float64)})
    with pytest.raises(hcc.InvalidArgument, match="'x'"):
        session.run({"x": torch.ones(4, 3, requires_grad=True)})
