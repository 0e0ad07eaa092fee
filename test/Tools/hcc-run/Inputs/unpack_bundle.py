"""unpack_bundle.py BUNDLE OUTDIR: writes a bundle's sections as files for
hcc-pack to pack again (after a test edits one): manifest.json, one
code.<target> per code section, weights.bin (docs/Bundle.md)."""
import os
import struct
import sys

data = open(sys.argv[1], "rb").read()
out = sys.argv[2]
os.makedirs(out, exist_ok=True)
assert data[:8] == b"HCCBNDL\0", "not a bundle"
count = struct.unpack_from("<I", data, 12)[0]
for i in range(count):
    kind, _, offset, size = struct.unpack_from("<IIQQ", data, 64 + 64 * i)
    name = data[64 + 64 * i + 32:64 + 64 * i + 64].rstrip(b"\0").decode()
    path = {1: "manifest.json", 2: "code." + name, 3: "weights.bin"}[kind]
    with open(os.path.join(out, path), "wb") as f:
        f.write(data[offset:offset + size])
