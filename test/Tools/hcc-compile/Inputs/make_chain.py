"""make_chain.py OUT.onnxtxt N: a model of N elementwise ops in a chain
(Neg and Relu alternating) in ONNX text."""
import sys

out, n = sys.argv[1], int(sys.argv[2])
lines = ['<\n ir_version: 8,\n opset_import: ["" : 17]\n>',
         'g (float[16] X) => (float[16] Y)\n{']
prev = "X"
for i in range(n):
    name = "Y" if i == n - 1 else "c%d" % i
    lines.append(" %s = %s(%s)" % (name, "Relu" if i % 2 else "Neg", prev))
    prev = name
lines.append("}")
open(out, "w").write("\n".join(lines) + "\n")
