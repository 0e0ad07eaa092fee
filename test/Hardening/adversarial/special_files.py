"""Class 3: special files where the tools expect regular ones: FIFOs (a
read would block forever), /dev/zero (never ends), directories, device
nodes and symbolic links as outputs (a rename would replace them)."""
import os


from common import Case, relu_bundle


def cases(tools, work):
    fifo = os.path.join(work, "fifo")
    os.mkfifo(fifo)
    directory = os.path.join(work, "a-directory.onnx")
    os.mkdir(directory)
    empty = os.path.join(work, "empty.onnx")
    open(empty, "w").close()
    model, bundle, x = relu_bundle(tools, work)
    target = os.path.join(work, "link-target.hccb")
    open(target, "w").write("keep me")

    def link(out):
        os.symlink(target, os.path.join(out, "link.hccb"))

    def unchanged(out):
        return "" if open(target).read() == "keep me" else \
            "the symbolic link's target was overwritten"

    compile_, run, translate, bench = (tools["hcc-compile"], tools["hcc-run"],
                                       tools["hcc-translate"],
                                       tools["hcc-bench"])
    out = []

    def add(name, argv, expect="", **kw):
        out.append(Case(3, "special/" + name, argv, expect, **kw))

    for what, path in (("fifo", fifo), ("dev-zero", "/dev/zero"),
                       ("directory", directory), ("empty", empty),
                       ("missing", os.path.join(work, "missing.onnx")),
                       ("dev-null", "/dev/null")):
        add("compile-model-" + what, [compile_, path, "-o", "{out}/m.hccb"])
        add("translate-model-" + what,
            [translate, "--import-onnx", path, "-o", "{out}/m.mlir"])
        add("run-bundle-" + what, [run, path, x, "-o", "{out}/o"])
        add("run-input-" + what, [run, bundle, path.replace(".onnx", ".npy")
                                  if what != "fifo" else fifo, "-o", "{out}/o"])
        add("bench-bundle-" + what, [bench, path, "--iterations", "1"])
        _other_tools(add, tools, what, path)
    add("compile-output-dev-full", [compile_, model, "-o", "/dev/full"],
        "/dev/full")
    add("compile-output-fifo", [compile_, model, "-o", fifo], "fifo")
    add("compile-output-symlink",
        [compile_, model, "-o", "{out}/link.hccb"], "link",
        prepare=link, keep={"link.hccb"}, check=unchanged)
    add("compile-output-directory", [compile_, model, "-o", directory])
    add("compile-output-missing-dir",
        [compile_, model, "-o", "{out}/no/such/dir/m.hccb"])
    fifo_json = os.path.join(work, "fifo.json")
    os.mkfifo(fifo_json)
    add("compile-dump-placement-fifo",
        [compile_, model, "--dump-placement=" + fifo_json,
         "-o", "{out}/m.hccb"], "fifo")
    for flag in ("--tuning-log", "--placement", "--cost-model"):
        # The cost model is read for automatic placement only.
        auto = ["--placement=auto"] if flag == "--cost-model" else []
        add("compile%s-fifo" % flag, [compile_, model, flag + "=" + fifo] +
            auto + ["-o", "{out}/m.hccb"])
        add("compile%s-dev-zero" % flag,
            [compile_, model, flag + "=/dev/zero"] + auto +
            ["-o", "{out}/m.hccb"])
    add("run-output-dir-is-a-file",
        [run, bundle, x, "-o", "{out}/file"],
        prepare=lambda o: open(os.path.join(o, "file"), "w").close(),
        keep={"file"})
    add("run-output-dev-null", [run, bundle, x, "-o", "/dev/null"])
    add("run-trace-fifo", [run, bundle, x, "-o", "{out}/o"],
        env={"HCC_TRACE": fifo})
    _other_outputs(add, tools, model, link, unchanged)
    # External data in a FIFO, in /dev/zero and in a directory.
    for what, location in (("fifo", "fifo"), ("dev-zero", "/dev/zero"),
                           ("directory", "a-directory.onnx")):
        path = os.path.join(work, "external-%s.onnx" % what)
        _external_model(path, location)
        add("compile-external-data-" + what,
            [compile_, path, "-o", "{out}/m.hccb"])
    return out


def _other_tools(add, tools, what, path):
    """hcc-opt, hcc-tune, hcc-profile, hcc-costmodel and hcc-sim given
    `path` where they read a file whole."""
    if what == "empty" or what == "dev-null":
        return  # an empty file is a valid .mlir; others judge it themselves
    if "hcc-opt" in tools:
        add("opt-input-" + what, [tools["hcc-opt"], path])
    if "hcc-tune" in tools:
        add("tune-model-" + what,
            [tools["hcc-tune"], path, "-o", "{out}/t.jsonl"])
    if "hcc-profile" in tools:
        add("profile-model-" + what,
            [tools["hcc-profile"], path, "-o", "{out}/p.jsonl"])
    if "hcc-costmodel" in tools:
        add("costmodel-dataset-" + what,
            [tools["hcc-costmodel"], "train", path, "-o", "{out}/cm.json"])
    if "hcc-sim" in tools:
        add("sim-plan-" + what,
            [tools["hcc-sim"], path, "--machine", path])


def _other_outputs(add, tools, model, link, unchanged):
    """Outputs of hcc-costmodel and hcc-profile onto /dev/full and a
    symbolic link: refused before any work, the link's target kept."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.dirname(os.path.abspath(__file__)))))
    data = os.path.join(root, "data", "profiles",
                        "xeon-2vcpu-pocl-20261201-models-sampled.jsonl")
    if "hcc-costmodel" in tools and os.path.exists(data):
        costmodel = tools["hcc-costmodel"]
        add("costmodel-output-dev-full",
            [costmodel, "train", data, "-o", "/dev/full"], "/dev/full")
        add("costmodel-output-symlink",
            [costmodel, "train", data, "-o", "{out}/link.hccb"], "link",
            prepare=link, keep={"link.hccb"}, check=unchanged)
    if "hcc-profile" in tools:
        profile = tools["hcc-profile"]
        add("profile-output-dev-full",
            [profile, model, "--configs=cpu/t1", "-o", "/dev/full"],
            "/dev/full")
        add("profile-output-symlink",
            [profile, model, "--configs=cpu/t1", "-o", "{out}/link.hccb"],
            "link", prepare=link, keep={"link.hccb"}, check=unchanged)


def _external_model(path, location):
    """A model in protobuf form whose one initializer lives in `location`."""
    from onnx import TensorProto, helper
    from common import f32, save_model
    t = TensorProto()
    t.name, t.data_type = "w", TensorProto.FLOAT
    t.dims.extend([4])
    t.data_location = TensorProto.EXTERNAL
    entry = t.external_data.add()
    entry.key, entry.value = "location", location
    save_model(path, [helper.make_node("Add", ["x", "w"], ["y"])],
               [f32("x", [4])], [f32("y", [4])], [t])
