"""make_fanout.py OUT N: X feeds N parallel branches (Neg, Abs, Relu, Neg, ...)
whose results an Add tree sums into Y, a wide fan-out of 2N nodes."""
import sys

out, n = sys.argv[1], int(sys.argv[2])
ops = ["Neg", "Abs", "Relu"]
lines = ['<\n ir_version: 8,\n opset_import: ["" : 17]\n>',
         "g (float[16] X) => (float[16] Y)\n{"]
level = []
for i in range(n):
    lines.append(" b%d = %s(X)" % (i, ops[i % len(ops)]))
    level.append("b%d" % i)
k = 0
while len(level) > 1:
    nxt = []
    for j in range(0, len(level) - 1, 2):
        lines.append(" a%d = Add(%s, %s)" % (k, level[j], level[j + 1]))
        nxt.append("a%d" % k)
        k += 1
    if len(level) % 2:
        nxt.append(level[-1])
    level = nxt
lines.append(" Y = Identity(%s)" % level[0])
lines.append("}")
with open(out, "w") as f:
    f.write("\n".join(lines) + "\n")
