"""hcc.placement: a bundle's kernel DAG with the device of each kernel, for
display (its manifest, docs/Bundle.md, read through the runtime)."""

import json
import shutil
import subprocess

from . import _hcc
from ._errors import HccError
from ._session import bundle_source

# Bytes per element of the manifest's dtype codes (ONNX's numbers; the
# narrow types take a byte each).
_DTYPE_BYTES = {1: 4, 2: 1, 3: 1, 4: 2, 5: 2, 6: 4, 7: 8, 9: 1, 10: 2, 11: 8,
                12: 4, 13: 8, 16: 2}

# Fill colours of the targets' kernels in the SVG.
_COLOURS = {"cpu": "#cfe2f3", "opencl": "#d9ead3", "cuda": "#fff2cc",
            "fpga": "#f4cccc"}


def placement(bundle):
    """The kernel DAG of a bundle (a path or its bytes), as a dict:
    {"model": name, "devices": [{"index", "kind", "target"}],
     "kernels": [{"index", "name", "device", "target", "transfer", "bytes",
                  "deps": [kernel indices]}]}. A transfer's "bytes" is what
    it copies; "deps" are the kernels it waits for (data flow)."""
    manifest = json.loads(_hcc.manifest(bundle_source(bundle)))
    devices = [{"index": i, "kind": d.get("kind", ""),
                "target": d.get("target", "")}
               for i, d in enumerate(manifest.get("devices", []))]
    buffers = manifest.get("buffers", [])

    def root(b):  # a view's data is its root buffer's
        view = buffers[b].get("view_of") if b < len(buffers) else None
        return view["buffer"] if isinstance(view, dict) else b

    def size(b):
        n = _DTYPE_BYTES.get(buffers[b].get("dtype"), 1)
        for d in buffers[b].get("shape", []):
            n *= d
        return n

    kernels = []
    # The data flow: the kernel that last wrote each (root) buffer.
    writer = {}
    for i, k in enumerate(manifest.get("kernels", [])):
        args = k.get("args", [])
        transfer = k.get("kind") == "transfer"
        inputs = args[:1] if transfer else args[:k.get("num_inputs", 0)]
        outputs = args[1:] if transfer else args[k.get("num_inputs", 0):]
        deps = set(k.get("deps", []))
        deps.update(writer[root(b)] for b in inputs if root(b) in writer)
        device = k.get("device", 0)
        entry = {"index": i, "name": k.get("name") or k.get("symbol", ""),
                 "device": device,
                 "target": devices[device]["target"] if device < len(devices)
                 else "", "transfer": transfer, "deps": sorted(deps)}
        if transfer and inputs and inputs[0] < len(buffers):
            entry["bytes"] = size(inputs[0])
        kernels.append(entry)
        for b in outputs:
            writer[root(b)] = i
    return {"model": manifest.get("model_name", ""),
            "devices": devices, "kernels": kernels}


def _dot(dag):
    lines = ["digraph placement {", "  rankdir=TB;",
             '  node [shape=box, style="rounded,filled", fontname="sans"];']
    for k in dag["kernels"]:
        target = k["target"] or "?"
        if k["transfer"]:
            label = "%s\\n%d bytes" % (k["name"] or "transfer", k.get("bytes", 0))
            lines.append('  k%d [label="%s", shape=cds, fillcolor="#eeeeee"];'
                         % (k["index"], label.replace('"', "'")))
        else:
            label = "%s\\n%s" % (k["name"], target)
            lines.append('  k%d [label="%s", fillcolor="%s"];'
                         % (k["index"], label.replace('"', "'"),
                            _COLOURS.get(target.split(":")[0], "#ffffff")))
        for d in k["deps"]:
            lines.append("  k%d -> k%d;" % (d, k["index"]))
    lines.append("}")
    return "\n".join(lines) + "\n"


def placement_svg(bundle, path=None):
    """Draws the kernel DAG (kernels coloured by target, transfers with
    their bytes) with Graphviz's `dot` (Debian's graphviz). Returns the
    SVG text, also written to `path` if given. Raises HccError when dot is
    not installed."""
    dot = shutil.which("dot")
    if dot is None:
        raise HccError("placement_svg needs Graphviz's 'dot' (apt-get install "
                       "graphviz); placement() gives the DAG without it")
    done = subprocess.run([dot, "-Tsvg"], input=_dot(placement(bundle)).encode(),
                          capture_output=True, timeout=120)
    if done.returncode != 0:
        raise HccError("dot failed: " + done.stderr.decode("utf-8", "replace"))
    svg = done.stdout.decode("utf-8")
    if path is not None:
        with open(path, "w") as f:
            f.write(svg)
    return svg
