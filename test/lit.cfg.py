# -*- Python -*-
import os
import shutil
import subprocess

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "HCC"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".onnxtxt", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.hcc_obj_root, "test")
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py",
                   "Inputs", "malformed"]

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%hcc_src_root", config.hcc_src_root))
config.substitutions.append(("%hcc_tools_dir", config.hcc_tools_dir))
# Debian's python3-onnx is built for /usr/bin/python3.
config.substitutions.append(("%python", "/usr/bin/python3"))

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()

tool_dirs = [config.hcc_tools_dir, config.llvm_tools_dir]
tools = ["hcc-opt", "hcc-translate"]
llvm_config.add_tool_substitutions(tools, tool_dirs)
# use_default_substitutions() adds `not` only for the internal shell.
llvm_config.add_tool_substitutions(["not", "count"], [config.llvm_tools_dir])

if os.path.isdir(config.onnx_node_tests):
    config.available_features.add("onnx-node-tests")
# ONNX 1.22 from PyPI (scripts/setup.sh puts it in .venv-onnx): the schema
# the graph dialect is generated from, the newest node tests, the reference
# evaluator and a matching ONNX Runtime. `onnx-wheel` when it is there.
import glob
onnx_python = os.path.join(config.hcc_src_root, ".venv-onnx", "bin", "python")
if os.path.exists(onnx_python) and subprocess.run(
        [onnx_python, "-c", "import onnx, onnxruntime\n"
         "assert onnx.__version__ == '1.22.0'"],
        capture_output=True).returncode == 0:
    config.available_features.add("onnx-wheel")
    config.substitutions.append(("%onnx_python", onnx_python))
    wheel_tests = glob.glob(os.path.join(
        config.hcc_src_root, ".venv-onnx", "lib", "python3*", "site-packages",
        "onnx", "backend", "test", "data", "node"))
    config.substitutions.append(
        ("%onnx_wheel_node_tests", wheel_tests[0] if wheel_tests else "missing"))
# Debian's python3-torch/torchvision export the real models of test/Models.
if subprocess.run(["/usr/bin/python3", "-c", "import torch, torchvision"],
                  capture_output=True).returncode == 0:
    config.available_features.add("torch")
if shutil.which("clang-format"):
    config.available_features.add("clang-format")
# clang-15 (pulled in by PoCL) checks the OpenCL C the OpenCL target emits.
if shutil.which("clang-15"):
    config.available_features.add("clang-cl")

# The runtime (runtime/): drivers live in bin/ next to the compiler's tools,
# gtest binaries in runtime/test; test scripts call hcc-pack by name.
config.substitutions.append(("%hcc_obj_root", config.hcc_obj_root))
config.substitutions.append(
    ("%hcc_runtime_tests", os.path.join(config.hcc_obj_root, "runtime", "test")))
llvm_config.add_tool_substitutions(["hcc-run", "hcc-bench", "hcc-pack"], tool_dirs)
llvm_config.with_environment("PATH", config.hcc_tools_dir, append_path=True)

# Devices this machine has (hcc-run --list-devices): `opencl` when an OpenCL
# device (e.g. PoCL) is present. Tests that need one say REQUIRES: opencl and
# are reported as unsupported (skipped) elsewhere.
hcc_run = os.path.join(config.hcc_tools_dir, "hcc-run")
if os.path.exists(hcc_run):
    listing = subprocess.run([hcc_run, "--list-devices"], capture_output=True,
                             text=True).stdout
    if any(": opencl: " in line for line in listing.splitlines()):
        config.available_features.add("opencl")
    # `cuda` when an NVIDIA GPU and its driver are present: the tests that
    # run CUDA bundles need it and are reported as unsupported elsewhere.
    if any(": cuda: " in line for line in listing.splitlines()):
        config.available_features.add("cuda")

# `ptxas` when the CUDA toolkit is present at compile time: the CUDA target
# then assembles its PTX into cubins (and checks it) for sm_80 and sm_90.
_cuda_root = os.environ.get("HCC_CUDA_PATH") or os.environ.get(
    "CUDA_PATH") or "/usr/local/cuda"
if os.access(os.path.join(_cuda_root, "bin", "ptxas"), os.X_OK):
    config.available_features.add("ptxas")
    config.substitutions.append(
        ("%ptxas", os.path.join(_cuda_root, "bin", "ptxas")))

# `fuzz` when the fuzz build (scripts/fuzz.sh build: clang-15, ASan+UBSan,
# libFuzzer) is present: the 60-second smoke runs of test/Fuzz and the
# adversarial corpus under the sanitized tools need it.
_fuzz_build = os.environ.get("HCC_FUZZ_BUILD_DIR") or os.path.join(
    config.hcc_src_root, "build-fuzz")
_fuzzers = ["onnx", "onnx-text", "compile", "bundle", "c-api", "tensor-file"]
if all(os.access(os.path.join(_fuzz_build, "fuzz", "hcc-fuzz-" + t), os.X_OK)
       for t in _fuzzers):
    config.available_features.add("fuzz")
config.substitutions.append(("%fuzz_build", _fuzz_build))
