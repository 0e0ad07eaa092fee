//===- tensor_file_fuzzer.cpp - fuzzes hcc-run's .npy and .pb readers -----===//
//
// The first byte picks the format (even: .npy, odd: .pb), the rest is the
// file. A file the reader accepts must survive a round trip through the
// writer: encoded again, it decodes to the same tensor.
//
//===----------------------------------------------------------------------===//

#include "hcc/runtime.h"
#include "tensor_files.h"

#include <cstdint>
#include <cstdlib>
#include <string>

using hcc::tools::HostTensor;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0)
    return 0;
  bool npy = (data[0] & 1) == 0;
  std::string path = npy ? "input.npy" : "input.pb";
  std::string bytes(reinterpret_cast<const char *>(data) + 1, size - 1);
  HostTensor tensor;
  std::string error;
  if (!hcc::tools::decodeTensor(path, bytes, tensor, &error)) {
    if (error.empty())
      std::abort(); // a rejection must say why
    return 0;
  }
  size_t elementSize = hcc_dtype_size(static_cast<hcc_dtype_t>(tensor.dtype));
  if (elementSize == 0 || tensor.data.size() % elementSize)
    std::abort(); // an accepted tensor has a known type and whole elements
  for (size_t i = 0; i < tensor.data.size() / elementSize && i < 64; ++i)
    (void)hcc::tools::elementAsDouble(tensor, i);
  std::string encoded;
  if (!hcc::tools::encodeTensor(tensor, npy, encoded, &error))
    return 0; // a type the format cannot hold
  HostTensor again;
  if (!hcc::tools::decodeTensor(path, encoded, again, &error) ||
      again.dtype != tensor.dtype || again.dims != tensor.dims ||
      again.data != tensor.data)
    std::abort(); // what the writer writes, the reader must read back
  return 0;
}
