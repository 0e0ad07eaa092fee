"""bad_npy.py DIR: .npy files whose headers numpy itself refuses (an
unknown key, a key twice, a float dimension, an unclosed dict), each of
4 float32 zeros, named after what is wrong."""
import os
import struct
import sys


def write(name, header):
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    with open(os.path.join(sys.argv[1], name), "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)))
        f.write(header.encode() + b"\0" * 16)


write("extra_key.npy",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), 'x': 1, }")
write("twice.npy",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), "
      "'shape': (4,), }")
write("float_dim.npy",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (4.0,), }")
write("unclosed.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (4,)")
write("plain.npy", "{'shape':(4,),'fortran_order':False,'descr':'<f4'}")
