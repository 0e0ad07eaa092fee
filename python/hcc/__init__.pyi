# Type stubs of the hcc package (docs/Python.md).
import concurrent.futures
import os
from typing import (Any, Dict, List, Mapping, NamedTuple, Optional, Sequence,
                    Tuple, Union)

import numpy as np

_Path = Union[str, os.PathLike]
_Array = Any  # a numpy array, or a tensor with __dlpack__ (torch)

__version__: str

class HccError(RuntimeError):
    status: str
    def __init__(self, message: str, status: str = ...) -> None: ...

class CompileError(HccError):
    diagnostics: List[str]

class InvalidArgument(HccError, ValueError): ...
class BundleError(HccError): ...
class IOFailure(HccError, OSError): ...
class DeviceError(HccError): ...
class CompileWarning(UserWarning): ...

def compile(
    model: Union[_Path, bytes, Any],
    *,
    targets: Optional[Sequence[str]] = ...,
    output: Optional[_Path] = ...,
    dims: Optional[Mapping[str, int]] = ...,
    placement: Union[None, str, os.PathLike, Dict[str, Any]] = ...,
    placement_strategy: Optional[str] = ...,
    tuning_log: Optional[_Path] = ...,
    cost_model: Optional[_Path] = ...,
    objective: str = ...,
    target_config: Optional[Mapping[str, Mapping[str, Union[int, str]]]] = ...,
    dump_placement: Optional[Sequence[_Path]] = ...,
    opt_level: int = ...,
    precision: str = ...,
    parallel: bool = ...,
    emit: str = ...,
) -> Union[str, bytes]: ...

class ValueInfo(NamedTuple):
    name: str
    dtype: np.dtype
    type: str
    shape: Tuple[int, ...]
    symbolic_shape: Tuple[Union[int, str], ...]

class KernelRecord(NamedTuple):
    name: str
    device: str
    device_index: int
    transfer: bool
    run: int
    start_us: float
    duration_us: float
    thread: int
    modelled_us: Optional[float]

class MemoryStats(NamedTuple):
    arena_bytes: int
    live_peak_bytes: int
    intermediate_bytes: int
    weights_bytes: int

class Device(NamedTuple):
    index: int
    driver: str
    name: str
    vendor: str
    version: str
    compute_units: int
    memory_bytes: int

def devices() -> List[Device]: ...

_Feeds = Union[Mapping[str, _Array], Sequence[_Array]]

class Session:
    inputs: List[ValueInfo]
    outputs: List[ValueInfo]
    def __init__(
        self,
        bundle: Union[_Path, bytes],
        threads: int = ...,
        devices: Union[None, Sequence[Union[str, Tuple[str, str]]],
                       Mapping[str, Optional[str]]] = ...,
        trace: Optional[_Path] = ...,
    ) -> None: ...
    @property
    def name(self) -> str: ...
    @property
    def closed(self) -> bool: ...
    def get_inputs(self) -> List[ValueInfo]: ...
    def get_outputs(self) -> List[ValueInfo]: ...
    def run(self, inputs: Union[_Feeds, Sequence[str], None],
            output_names: Union[Sequence[str], _Feeds, None] = ..., *,
            out: Optional[Sequence[Optional[np.ndarray]]] = ...
            ) -> List[np.ndarray]: ...
    def run_async(self, inputs: _Feeds,
                  output_names: Optional[Sequence[str]] = ..., *,
                  out: Optional[Sequence[Optional[np.ndarray]]] = ...
                  ) -> "concurrent.futures.Future[List[np.ndarray]]": ...
    def input_addresses(self, inputs: Sequence[np.ndarray]) -> List[int]: ...
    def profile(self, run: Optional[int] = ...) -> List[KernelRecord]: ...
    def write_trace(self, path: _Path) -> None: ...
    def memory_stats(self) -> MemoryStats: ...
    def close(self) -> None: ...
    def __enter__(self) -> "Session": ...
    def __exit__(self, *exc: Any) -> None: ...

def placement(bundle: Union[_Path, bytes]) -> Dict[str, Any]: ...
def placement_svg(bundle: Union[_Path, bytes],
                  path: Optional[_Path] = ...) -> str: ...
