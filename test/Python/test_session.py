"""hcc.Session: inputs and outputs, run (dict, list, onnxruntime's order,
out=), zero copy checked by address, run_async, profile, memory
statistics, and every error path."""

import json
import threading

import numpy as np
import pytest

import hcc
from conftest import reference


def test_inputs_outputs(session, models):
    (x,), (y,) = session.inputs, session.outputs
    assert (x.name, x.dtype, x.type, x.shape) == ("x", np.float32, "float32",
                                                  (4, 3))
    assert x.symbolic_shape == ("N", 3) and y.name == "y"
    assert session.get_inputs() == session.inputs
    with hcc.Session(models["two_io_b"]) as s:
        assert [o.type for o in s.outputs] == ["float32", "int64"]


def test_run_dict_list_and_ort_order(session):
    x = np.linspace(-3, 3, 12, dtype=np.float32).reshape(4, 3)
    want = reference(x)
    np.testing.assert_array_equal(session.run({"x": x})[0], want)
    np.testing.assert_array_equal(session.run([x])[0], want)
    np.testing.assert_array_equal(session.run(None, {"x": x})[0], want)
    np.testing.assert_array_equal(session.run(["y"], {"x": x})[0], want)
    np.testing.assert_array_equal(session.run(("y",), {"x": x})[0], want)


def test_two_inputs_two_outputs(models):
    a = np.random.default_rng(1).standard_normal((2, 4)).astype(np.float32)
    b = np.ones((2, 4), np.float32)
    with hcc.Session(models["two_io_b"]) as s:
        total, idx = s.run({"a": a, "b": b})
        np.testing.assert_array_equal(total, a + b)
        np.testing.assert_array_equal(idx, a.argmax(axis=1))
        assert idx.dtype == np.int64
        (only,) = s.run({"a": a, "b": b}, output_names=["idx"])
        np.testing.assert_array_equal(only, idx)


def test_inputs_zero_copy_by_address(session):
    x = np.ones((4, 3), np.float32)
    assert session.input_addresses([x]) == [x.ctypes.data]
    # Not contiguous: copied (and still right).
    wide = np.arange(24, dtype=np.float32).reshape(4, 6)
    strided = wide[:, ::2]
    assert session.input_addresses([strided]) != [strided.ctypes.data]
    np.testing.assert_array_equal(session.run({"x": strided})[0],
                                  reference(strided))
    # Not aligned (a float32 at an odd byte): copied.
    raw = np.zeros(4 * 3 * 4 + 1, np.uint8)
    odd = raw[1:].view(np.float32).reshape(4, 3)
    assert not odd.flags.aligned
    assert session.input_addresses([odd]) != [odd.ctypes.data]
    np.testing.assert_array_equal(session.run({"x": odd})[0], reference(odd))


def test_out_written_in_place(session):
    x = np.full((4, 3), 2, np.float32)
    out = np.empty((4, 3), np.float32)
    (y,) = session.run({"x": x}, out=[out])
    assert y is out and y.ctypes.data == out.ctypes.data
    np.testing.assert_array_equal(out, reference(x))
    (y2,) = session.run({"x": x}, out=[None])  # the runtime's
    assert y2.ctypes.data != out.ctypes.data


def test_outputs_outlive_the_session(models):
    s = hcc.Session(models["add_relu_b4"])
    x = np.ones((4, 3), np.float32)
    (y,) = s.run({"x": x})
    s.close()
    del s
    np.testing.assert_array_equal(y, reference(x))
    assert y.flags.c_contiguous and y.flags.owndata is False


def test_input_errors(session):
    x = np.ones((4, 3), np.float32)
    with pytest.raises(hcc.InvalidArgument, match="input 'x': expected float32, got float64"):
        session.run({"x": x.astype(np.float64)})
    with pytest.raises(hcc.InvalidArgument, match="'x'") as e:
        session.run({"x": np.ones((5, 3), np.float32)})
    assert e.value.status == "HCC_ERROR_SHAPE_MISMATCH"
    with pytest.raises(hcc.InvalidArgument, match="byte order"):
        session.run({"x": x.astype(">f4")})
    with pytest.raises(hcc.InvalidArgument, match="takes 1 inputs, got 2"):
        session.run([x, x])
    with pytest.raises(hcc.InvalidArgument, match="no input named 'z'"):
        session.run({"x": x, "z": x})
    with pytest.raises(hcc.InvalidArgument, match="input 'x' is missing"):
        session.run({})
    with pytest.raises(hcc.InvalidArgument, match="expected a numpy array"):
        session.run({"x": "text"})
    with pytest.raises(hcc.InvalidArgument, match="inputs must be"):
        session.run(42)
    with pytest.raises(ValueError):  # InvalidArgument is a ValueError
        session.run({"x": x[:2]})
    # The session is still usable after every rejection.
    np.testing.assert_array_equal(session.run({"x": x})[0], reference(x))


def test_out_errors(session):
    x = np.ones((4, 3), np.float32)
    with pytest.raises(hcc.InvalidArgument, match="expected float32"):
        session.run({"x": x}, out=[np.empty((4, 3), np.float64)])
    with pytest.raises(hcc.InvalidArgument, match="C-contiguous"):
        session.run({"x": x}, out=[np.empty((3, 4), np.float32).T])
    frozen = np.empty((4, 3), np.float32)
    frozen.flags.writeable = False
    with pytest.raises(hcc.InvalidArgument, match="writeable"):
        session.run({"x": x}, out=[frozen])
    with pytest.raises(hcc.InvalidArgument, match="'y'"):
        session.run({"x": x}, out=[np.empty((2, 3), np.float32)])
    with pytest.raises(hcc.InvalidArgument, match="1 outputs"):
        session.run({"x": x}, out=[None, None])
    with pytest.raises(hcc.InvalidArgument, match="no output named"):
        session.run({"x": x}, output_names=["nope"])
    with pytest.raises(hcc.InvalidArgument, match="not the string 'y'"):
        session.run({"x": x}, "y")
    with pytest.raises(hcc.InvalidArgument, match="no output named"):
        session.run_async({"x": x}, output_names=["nope"])
    # An out= array that is also the input: rejected before anything runs.
    shared = np.ones((4, 3), np.float32)
    with pytest.raises(hcc.InvalidArgument, match="shares memory with input"):
        session.run({"x": shared}, out=[shared])
    np.testing.assert_array_equal(shared, np.ones((4, 3), np.float32))
    with pytest.raises(hcc.InvalidArgument, match="run's index"):
        session.profile("a")


def test_closed_session(models):
    s = hcc.Session(models["add_relu_b4"])
    s.close()
    s.close()  # twice is fine
    assert s.closed and "closed" in repr(s)
    with pytest.raises(hcc.InvalidArgument, match="closed"):
        s.run({"x": np.ones((4, 3), np.float32)})
    with pytest.raises(hcc.InvalidArgument, match="closed"):
        s.profile()
    with pytest.raises(hcc.InvalidArgument, match="closed"):
        s.memory_stats()
    with pytest.raises(hcc.InvalidArgument, match="closed"):
        s.run_async({"x": np.ones((4, 3), np.float32)})


def test_bad_bundles(tmp_path):
    with pytest.raises(hcc.IOFailure, match="missing.hccb"):
        hcc.Session(str(tmp_path / "missing.hccb"))
    garbage = tmp_path / "garbage.hccb"
    garbage.write_bytes(b"not a bundle" * 100)
    with pytest.raises(hcc.BundleError):
        hcc.Session(str(garbage))
    with pytest.raises(hcc.BundleError):
        hcc.Session(b"HCCBNDL\x00" + b"\x00" * 100)
    with pytest.raises(hcc.InvalidArgument, match="bundle must be"):
        hcc.Session(42)
    with pytest.raises(hcc.InvalidArgument, match="threads"):
        hcc.Session(str(garbage), threads=-1)
    for threads in (2**31, -2**63 - 1, 4097):
        with pytest.raises(hcc.InvalidArgument, match=r"threads must be in"):
            hcc.Session(str(garbage), threads=threads)
    with pytest.raises(hcc.InvalidArgument, match="devices"):
        hcc.Session(str(garbage), devices=[3])


def test_device_choice(models):
    with pytest.raises(hcc.InvalidArgument, match="unknown device kind 'tpu'"):
        hcc.Session(models["add_relu_b4"], devices={"tpu": None})
    with hcc.Session(models["add_relu_b4"], devices=["cpu"]) as s:
        assert s.run({"x": np.ones((4, 3), np.float32)})[0].shape == (4, 3)
    # A known kind the bundle runs no kernels on: a warning, then the run.
    with pytest.warns(RuntimeWarning, match="'opencl' has no effect"):
        s = hcc.Session(models["add_relu_b4"], devices={"opencl": "x"})
    with s:
        assert s.run({"x": np.ones((4, 3), np.float32)})[0].shape == (4, 3)


def test_run_async(session):
    xs = [np.full((4, 3), v, np.float32) for v in range(-3, 5)]
    futures = [session.run_async({"x": x}) for x in xs]
    for x, f in zip(xs, futures):
        np.testing.assert_array_equal(f.result(timeout=60)[0], reference(x))
    out = np.empty((4, 3), np.float32)
    (y,) = session.run_async({"x": xs[0]}, out=[out]).result()
    assert y is out
    with pytest.raises(hcc.InvalidArgument):  # checked before it starts
        session.run_async({"x": xs[0].astype(np.float64)})


def test_profile_trace_and_memory(session, tmp_path):
    x = np.ones((4, 3), np.float32)
    session.run({"x": x})
    session.run({"x": x})
    records = session.profile()
    assert records and all(r.device == "cpu" and r.duration_us >= 0 and
                           not r.transfer and r.modelled_us is None
                           for r in records)
    assert {r.run for r in records} == {0, 1}
    assert all(r.run == 1 for r in session.profile(run=1))
    path = tmp_path / "trace.json"
    session.write_trace(str(path))
    events = [e for e in json.load(open(path))["traceEvents"] if e["ph"] == "X"]
    assert len(events) == len(records)
    stats = session.memory_stats()
    assert all(isinstance(v, int) and v >= 0 for v in stats)
    assert stats.live_peak_bytes <= stats.intermediate_bytes


def test_devices():
    devices = hcc.devices()
    assert devices and devices[0].driver == "cpu" and devices[0].index == 0
    assert all(d.name for d in devices)


def test_two_sessions_in_two_threads(models):
    failures = []

    def work(seed):
        try:
            rng = np.random.default_rng(seed)
            with hcc.Session(models["add_relu_b4"], threads=1) as s:
                for _ in range(200):
                    x = rng.standard_normal((4, 3)).astype(np.float32)
                    np.testing.assert_array_equal(s.run({"x": x})[0],
                                                  reference(x))
        except Exception as e:  # reported below
            failures.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures, failures


def test_one_session_shared_by_threads(session):
    failures = []

    def work(v):
        try:
            x = np.full((4, 3), v, np.float32)
            for _ in range(100):
                np.testing.assert_array_equal(session.run({"x": x})[0],
                                              reference(x))
        except Exception as e:
            failures.append(e)

    threads = [threading.Thread(target=work, args=(v,)) for v in (-1.0, 2.0)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures, failures
