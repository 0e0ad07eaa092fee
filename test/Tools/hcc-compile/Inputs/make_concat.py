"""make_concat.py OUT.onnxtxt N: N Relu branches of one input joined by one
N-input Concat, in ONNX text."""
import sys

out, n = sys.argv[1], int(sys.argv[2])
lines = ['<\n ir_version: 8,\n opset_import: ["" : 17]\n>',
         'g (float[4] X) => (float[%d] Y)\n{' % (4 * n)]
for i in range(n):
    lines.append(" r%d = Relu(X)" % i)
lines.append(" Y = Concat<axis=0>(%s)" % ", ".join("r%d" % i for i in range(n)))
lines.append("}")
open(out, "w").write("\n".join(lines) + "\n")
