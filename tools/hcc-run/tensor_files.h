//===- tensor_files.h - Tensors in .pb (ONNX TensorProto) and .npy -*- C++ -*-//
#ifndef HCC_TOOLS_HCC_RUN_TENSOR_FILES_H
#define HCC_TOOLS_HCC_RUN_TENSOR_FILES_H

#include <cstdint>
#include <string>
#include <vector>

namespace hcc {
namespace tools {

/// A dense row-major tensor in host memory; dtype is an ONNX DataType code.
struct HostTensor {
  std::string name;
  int dtype = 0;
  std::vector<int64_t> dims;
  std::vector<uint8_t> data;
};

/// Reads a .pb or .npy file (by extension). Errors name the file.
bool readTensorFile(const std::string &path, HostTensor &out,
                    std::string *error);
/// The same, for the contents `bytes` of a file named `path` (its suffix
/// says the format; messages name it).
bool decodeTensor(const std::string &path, const std::string &bytes,
                  HostTensor &out, std::string *error);

/// Serializes as an ONNX TensorProto (raw_data) or as .npy (version 1.0).
bool encodeTensor(const HostTensor &t, bool npy, std::string &bytes,
                  std::string *error);

/// Element `i` as a double (float16/bfloat16 decoded; integers converted).
double elementAsDouble(const HostTensor &t, size_t i);
bool isFloatType(int dtype);

} // namespace tools
} // namespace hcc

#endif // HCC_TOOLS_HCC_RUN_TENSOR_FILES_H
