#!/usr/bin/env python3
"""Writes the malformed-model regression corpus of the ONNX importer.

usage: gen_malformed.py OUTDIR

OUTDIR gets one small model per case, `<name>.onnx`, the data files, symbolic
and hard links the external-data cases refer to, and `cases.txt` with one
line per case: `<name>\\t<substring of the expected error message>`.
It also gets `valid_if_nested_32.onnx`, the deepest If nesting accepted.
check_malformed.py runs hcc-translate on them. Models are generated at test
time; none is checked in. OUTDIR must not exist or be an earlier output of
this script (it is cleared first).

Needs Debian's python3-onnx (onnx 1.12), so run it with /usr/bin/python3.
"""
import os
import random
import shutil
import struct
import sys

import onnx
from google.protobuf.message import DecodeError
from onnx import TensorProto, helper

OPSET = 17
IR_VERSION = 8
FLOAT_4 = struct.pack("<4f", 1.0, 2.0, 3.0, 4.0)


def tensor_info(name, elem=TensorProto.FLOAT, shape=(2, 3)):
    return helper.make_tensor_value_info(name, elem, list(shape))


def make_model(nodes, inputs, outputs, initializers=(), opset=OPSET,
               extra_opsets=()):
    graph = helper.make_graph(list(nodes), "g", list(inputs), list(outputs),
                              initializer=list(initializers))
    opsets = [helper.make_opsetid("", opset)] + list(extra_opsets)
    return helper.make_model(graph, opset_imports=opsets,
                             ir_version=IR_VERSION, producer_name="malformed")


def relu_model(**kwargs):
    """X -> Relu -> Y, the base the graph-level cases edit."""
    return make_model([helper.make_node("Relu", ["X"], ["Y"])],
                      [tensor_info("X")], [tensor_info("Y")], **kwargs)


def unary(op, x_shape=(2, 3), outputs=("Y",), **attrs):
    """One `op` node on a float input X of shape `x_shape`."""
    node = helper.make_node(op, ["X"], list(outputs), **attrs)
    return make_model([node], [tensor_info("X", shape=x_shape)],
                      [helper.make_tensor_value_info(o, TensorProto.FLOAT,
                                                     None)
                       for o in outputs])


def raw_initializer(name, dtype, dims, raw):
    """A TensorProto with raw_data; dims are not checked (on purpose)."""
    t = TensorProto()
    t.name = name
    t.data_type = dtype
    t.dims.extend(dims)
    t.raw_data = raw
    return t


def initializer_model(tensor):
    """Y = X + W for initializer W (W's type is whatever `tensor` claims)."""
    node = helper.make_node("Add", ["X", tensor.name], ["Y"])
    return make_model([node], [tensor_info("X", shape=(4,))],
                      [tensor_info("Y", shape=(4,))], initializers=[tensor])


def external_model(location, offset=None, length=None, dtype=TensorProto.FLOAT,
                   dims=(4,), extra=()):
    """An initializer W whose data lives in external file `location`."""
    t = TensorProto()
    t.name = "W"
    t.data_type = dtype
    t.dims.extend(dims)
    t.data_location = TensorProto.EXTERNAL
    entries = [("location", location)]
    if offset is not None:
        entries.append(("offset", str(offset)))
    if length is not None:
        entries.append(("length", str(length)))
    for key, value in entries + list(extra):
        e = t.external_data.add()
        e.key = key
        e.value = value
    return initializer_model(t)


def nested_if_model(depth):
    """`depth` If nodes, each nested in the previous one's then_branch."""
    def branch(level):
        if level == depth:
            nodes = [helper.make_node("Identity", ["X"], ["y%d" % level])]
        else:
            else_graph = helper.make_graph(
                [helper.make_node("Identity", ["X"], ["e%d" % level])],
                "else%d" % level, [], [tensor_info("e%d" % level)])
            nodes = [helper.make_node("If", ["C"], ["y%d" % level],
                                      then_branch=branch(level + 1),
                                      else_branch=else_graph)]
        return helper.make_graph(nodes, "then%d" % level, [],
                                 [tensor_info("y%d" % level)])

    top = branch(0)
    graph = helper.make_graph(
        top.node, "g",
        [tensor_info("X"), helper.make_tensor_value_info("C", TensorProto.BOOL,
                                                         [])],
        [tensor_info("y0")])
    return helper.make_model(graph,
                             opset_imports=[helper.make_opsetid("", OPSET)],
                             ir_version=IR_VERSION)


def unparsable(data):
    try:
        onnx.ModelProto().ParseFromString(data)
    except DecodeError:
        return True
    return False


class Corpus:
    def __init__(self, outdir):
        self.outdir = outdir
        self.cases = []

    def path(self, name):
        return os.path.join(self.outdir, name)

    def write_bytes(self, name, data, expected):
        with open(self.path(name + ".onnx"), "wb") as f:
            f.write(data)
        self.cases.append((name, expected))

    def add(self, name, model, expected):
        self.write_bytes(name, model.SerializeToString(), expected)

    def data_file(self, name, data=FLOAT_4):
        with open(self.path(name), "wb") as f:
            f.write(data)

    def finish(self):
        with open(self.path("cases.txt"), "w") as f:
            for name, expected in self.cases:
                assert "\t" not in expected and "\n" not in expected
                f.write("%s\t%s\n" % (name, expected))


def protobuf_cases(c):
    good = relu_model().SerializeToString()
    truncated = good[:len(good) // 2]
    assert unparsable(truncated)
    c.write_bytes("truncated", truncated, "protobuf parsing failed")

    # Seeded, and checked to be neither parsable nor mistaken for ONNX text.
    rng = random.Random(1234)
    while True:
        noise = bytes(rng.randrange(256) for _ in range(200))
        if noise.lstrip()[:1] not in (b"<", b"{", b"a") and unparsable(noise):
            break
    c.write_bytes("random_bytes", noise, "protobuf parsing failed")
    c.write_bytes("empty_file", b"", "model file is empty")

    # ONNX text syntax (recognized by its leading '<').
    text = ('<\n  ir_version: 8,\n  opset_import: ["" : 17]\n>\n'
            'g (float[2] X) => (float[2] Y)\n{\n  Y = Relu(X)\n}\n')
    c.write_bytes("text_syntax_error",
                  text.replace("Relu(X)", "Relu(X").encode(),
                  "cannot parse ONNX text")
    c.write_bytes("text_trailing_garbage", (text + "}}\n").encode(),
                  "cannot parse ONNX text")
    # ONNX's parser quotes the rest of the input: the message is cut short.
    c.write_bytes("text_error_before_a_megabyte",
                  text.replace("Relu(X)",
                               "Relu(X, " + "z" * (1 << 20) + " @").encode(),
                  "more characters)")
    # 20,000 nested If in text: refused before ONNX's recursive parser.
    deep = "{ Y = Identity(X) }"
    for level in range(20000):
        deep = ("{ Y = If(C) <then_branch = t%d () => (float[2] Y) %s, "
                "else_branch = e%d () => (float[2] Y) { Y = Identity(X) }> }"
                % (level, deep, level))
    c.write_bytes("text_if_nested_20000",
                  ('<\n  ir_version: 8,\n  opset_import: ["" : 17]\n>\n'
                   'g (float[2] X, bool C) => (float[2] Y)\n' + deep).encode(),
                  "brackets deep, more than the limit of")

    # Protobuf's recursion limit stops this before the importer sees it.
    c.add("if_nested_200", nested_if_model(200), "too deeply nested")


def model_cases(c):
    c.add("opset_0", relu_model(opset=0), "opset 0 is not supported")
    c.add("opset_99", relu_model(opset=99), "opset 99 is not supported")
    newer = relu_model()
    newer.ir_version = 999
    c.add("ir_version_999", newer,
          "model IR version 999 is newer than hcc reads (up to 13)")
    m = relu_model()
    del m.opset_import[:]
    c.add("missing_opset_import", m, "opset_import is missing")


def graph_cases(c):
    x, y = tensor_info("X"), tensor_info("Y")
    c.add("cycle", make_model([helper.make_node("Relu", ["B"], ["A"]),
                               helper.make_node("Relu", ["A"], ["B"])],
                              [x], [tensor_info("B")]),
          "input 'B' is produced by a later node (the graph has a cycle")
    c.add("undefined_input",
          make_model([helper.make_node("Relu", ["nope"], ["Y"])], [x], [y]),
          "input 'nope' is not defined")
    c.add("duplicate_output",
          make_model([helper.make_node("Relu", ["X"], ["Y"]),
                      helper.make_node("Abs", ["X"], ["Y"])], [x], [y]),
          "output 'Y' is already defined in this graph")
    c.add("unknown_op",
          make_model([helper.make_node("FooBar", ["X"], ["Y"])], [x], [y]),
          "unknown operator 'FooBar' in the default ONNX domain")
    c.add("unknown_domain",
          make_model([helper.make_node("Relu", ["X"], ["Y"],
                                       domain="com.example")], [x], [y],
                     extra_opsets=[helper.make_opsetid("com.example", 1)]),
          "operators of domain 'com.example' are not supported")
    c.add("output_not_produced",
          make_model([helper.make_node("Relu", ["X"], ["Y"])], [x],
                     [tensor_info("Z")]),
          "graph output 'Z' is not produced by any node or input")
    c.add("empty_graph", make_model([], [x], [y]),
          "graph output 'Y' is not produced by any node or input")
    m = relu_model()
    m.graph.input[0].ClearField("type")
    c.add("input_without_type", m, "graph input 'X' has no type")
    for depth in (33, 40):
        c.add("if_nested_%d" % depth, nested_if_model(depth),
              "subgraphs are nested more than 32 deep")
    # Not a case: the deepest nesting accepted, to show the limit is exact.
    with open(c.path("valid_if_nested_32.onnx"), "wb") as f:
        f.write(nested_if_model(32).SerializeToString())


def tensor_cases(c):
    f = TensorProto.FLOAT
    c.add("negative_dim",
          initializer_model(raw_initializer("W", f, [-1], FLOAT_4[:4])),
          "initializer 'W' has negative dimension -1")
    c.add("dims_overflow",
          initializer_model(raw_initializer("W", f, [2**31, 2**31, 2**31],
                                            FLOAT_4[:4])),
          "initializer 'W' has too many elements (dimension product overflows)")
    c.add("raw_data_short",
          initializer_model(raw_initializer("W", f, [4], FLOAT_4[:8])),
          "initializer 'W' has 8 bytes of raw_data but its shape needs 16")
    c.add("raw_data_long",
          initializer_model(raw_initializer("W", f, [4], FLOAT_4 + b"\0" * 4)),
          "initializer 'W' has 20 bytes of raw_data but its shape needs 16")
    strings = raw_initializer("S", TensorProto.STRING, [2], b"ab")
    c.add("string_raw_data",
          make_model([helper.make_node("Identity", ["S"], ["Y"])], [],
                     [helper.make_tensor_value_info("Y", TensorProto.STRING,
                                                    [2])],
                     initializers=[strings]),
          "initializer 'S' is a string tensor with raw_data")


def op_cases(c):
    f, i64 = TensorProto.FLOAT, TensorProto.INT64
    # Inferred shapes get an element budget: 2^40 * 2^30 elements (and
    # 2^62 * 2^62, which overflows int64) are rejected, not typed.
    for name, dims in (("constantofshape_huge", [1 << 40, 1 << 30]),
                       ("constantofshape_overflow", [1 << 62, 1 << 62])):
        shape = helper.make_tensor("S", i64, [2], dims)
        c.add(name,
              make_model([helper.make_node("ConstantOfShape", ["S"], ["Y"])],
                         [], [helper.make_tensor_value_info("Y", f, None)],
                         initializers=[shape]),
              "elements, more than the limit")
    c.add("softmax_axis", unary("Softmax", axis=5),
          "axis 5 is out of range for rank 2")
    c.add("concat_axis",
          make_model([helper.make_node("Concat", ["X", "X"], ["Y"], axis=3)],
                     [tensor_info("X")],
                     [helper.make_tensor_value_info("Y", f, None)]),
          "axis 3 is out of range for rank 2")
    c.add("gather_axis",
          make_model([helper.make_node("Gather", ["X", "I"], ["Y"], axis=-3)],
                     [tensor_info("X"), tensor_info("I", i64, (2,))],
                     [helper.make_tensor_value_info("Y", f, None)]),
          "axis -3 is out of range for rank 2")
    # onnx 1.12's shape inference segfaults on this one.
    c.add("layernorm_axis",
          make_model([helper.make_node("LayerNormalization", ["X", "S"],
                                       ["Y", "M", "V"], axis=-4)],
                     [tensor_info("X", shape=(2, 3, 5)),
                      tensor_info("S", shape=(5,))],
                     [helper.make_tensor_value_info(o, f, None)
                      for o in ("Y", "M", "V")]),
          "axis -4 is out of range for rank 3")
    # A float8 value (a type onnx 1.12 has not heard of: FLOAT8E4M3FN is 17)
    # where the op takes none, and a type no ONNX release defines.
    c.add("relu_float8",
          make_model([helper.make_node("Relu", ["X"], ["Y"])],
                     [tensor_info("X", 17)], [tensor_info("Y", 17)]),
          "'graph.Relu' op operand #0 must be tensor of")
    c.add("input_dtype_999",
          make_model([helper.make_node("Relu", ["X"], ["Y"])],
                     [tensor_info("X", 999)], [tensor_info("Y", 999)]),
          "has element type number 999, not an ONNX data type")
    c.add("dtype_mismatch",
          make_model([helper.make_node("Add", ["A", "B"], ["Y"])],
                     [tensor_info("A", i64, (2,)), tensor_info("B", f, (2,))],
                     [helper.make_tensor_value_info("Y", f, None)]),
          "operands have different element types")
    c.add("broadcast_mismatch",
          make_model([helper.make_node("Add", ["A", "B"], ["Y"])],
                     [tensor_info("A", f, (3,)), tensor_info("B", f, (2,))],
                     [helper.make_tensor_value_info("Y", f, None)]),
          "operands are not broadcast-compatible")
    c.add("unknown_attribute", unary("Relu", foo=1),
          "unknown attribute 'foo'")
    c.add("attribute_wrong_type", unary("Softmax", axis=1.0),
          "attribute 'axis' has type FLOAT but INT is expected")
    c.add("bad_enum",
          unary("AveragePool", x_shape=(1, 1, 4, 4), auto_pad="FOO",
                kernel_shape=[2, 2]),
          "attribute 'auto_pad' is 'FOO', expected one of")
    c.add("required_attribute_missing",
          unary("AveragePool", x_shape=(1, 1, 4, 4)),
          "required attribute 'kernel_shape' is missing")
    c.add("required_input_missing",
          make_model([helper.make_node("Add", ["X", ""], ["Y"])],
                     [tensor_info("X")], [tensor_info("Y")]),
          "required input 'B' is missing")
    # A sequence where a tensor is taken (shape functions read tensors).
    seq = helper.make_tensor_sequence_value_info("S", f, (2, 3))
    c.add("layernorm_of_a_sequence",
          make_model([helper.make_node("LayerNormalization", ["S", "W"],
                                       ["Y"])],
                     [seq, tensor_info("W", shape=(3,))],
                     [helper.make_tensor_value_info("Y", f, None)]),
          "input 0 is a sequence, the operator takes tensors")
    c.add("relu_of_a_sequence",
          make_model([helper.make_node("Relu", ["S"], ["Y"])], [seq],
                     [helper.make_tensor_value_info("Y", f, None)]),
          "input 0 is a sequence, the operator takes tensors")
    c.add("gridsample_scalar_grid",
          make_model([helper.make_node("GridSample", ["X", "G"], ["Y"])],
                     [helper.make_tensor_value_info("X", f, None),
                      tensor_info("G", shape=())],
                     [helper.make_tensor_value_info("Y", f, None)]),
          "grid must have rank 3 or more, got 0")
    c.add("too_many_inputs",
          make_model([helper.make_node("Relu", ["X", "X"], ["Y"])],
                     [tensor_info("X")], [tensor_info("Y")]),
          "has 2 inputs but takes at most 1")


def external_data_cases(c):
    c.data_file("w.bin")
    os.mkdir(c.path("sub"))
    os.mkdir(c.path("realdir"))
    c.data_file(os.path.join("realdir", "w.bin"))
    os.symlink("w.bin", c.path("link.bin"))
    os.symlink("realdir", c.path("linkdir"))
    c.data_file("hard_a.bin")
    os.link(c.path("hard_a.bin"), c.path("hard_b.bin"))

    c.add("ext_dotdot", external_model("../w.bin"),
          "escapes the model's directory")
    c.add("ext_absolute", external_model(os.path.abspath(c.path("w.bin"))),
          "must be a relative path inside the model's directory")
    c.add("ext_sub_dotdot", external_model("sub/../../w.bin"),
          "escapes the model's directory")
    c.add("ext_symlink_file", external_model("link.bin"),
          "goes through a symbolic link")
    c.add("ext_symlink_dir", external_model("linkdir/w.bin"),
          "goes through a symbolic link")
    c.add("ext_hardlink", external_model("hard_b.bin"),
          "has several hard links")
    c.add("ext_past_eof", external_model("w.bin", offset=8, length=16),
          "lies outside 'w.bin' (16 bytes)")
    c.add("ext_offset_overflow",
          external_model("w.bin", offset=2**64 - 1, length=16),
          "lies outside 'w.bin'")
    c.add("ext_length_overflow", external_model("w.bin", length=2**64 - 1),
          "claims 18446744073709551615 bytes of external data")
    c.add("ext_missing_file", external_model("missing.bin"),
          "cannot open external data file 'missing.bin'")
    c.add("ext_2gib_plus_1",
          external_model("w.bin", length=2**31 + 1, dtype=TensorProto.UINT8,
                         dims=(2**31 + 1,)),
          "lies outside 'w.bin'")
    c.add("ext_duplicate_location",
          external_model("w.bin", extra=[("location", "w.bin")]),
          "repeats external_data key 'location'")
    c.add("ext_unknown_key", external_model("w.bin", extra=[("owner", "x")]),
          "unknown external_data key 'owner'")


def main(argv):
    if len(argv) != 2:
        sys.exit(__doc__)
    outdir = argv[1]
    if os.path.lexists(outdir):
        if not os.path.isfile(os.path.join(outdir, "cases.txt")):
            sys.exit("%s exists and is not an earlier corpus; not touching it"
                     % outdir)
        shutil.rmtree(outdir)
    os.makedirs(outdir)
    c = Corpus(outdir)
    c.finish()  # marks the directory as ours before anything else is written
    protobuf_cases(c)
    model_cases(c)
    graph_cases(c)
    tensor_cases(c)
    op_cases(c)
    external_data_cases(c)
    c.finish()
    print("wrote %d cases to %s" % (len(c.cases), outdir))


if __name__ == "__main__":
    main(sys.argv)
