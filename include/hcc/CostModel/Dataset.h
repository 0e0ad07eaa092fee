//===- Dataset.h - hcc-profile's measurements, versioned ---------*- C++
//-*-===//
//
// A dataset is JSON Lines: a header line naming the schema and its version,
// then one line per measurement. A kernel row holds the kernel's features,
// the device configuration it ran on (target, threads), its median time
// over repeated runs with outliers rejected, and where it was measured
// (machine, device, driver, date). A transfer row holds a copy's bytes, its
// endpoints and its median time. Datasets from several machines (a GPU
// session's, this machine's) concatenate: `hcc-costmodel train` reads any
// number of them.
//
//===----------------------------------------------------------------------===//

#ifndef HCC_COSTMODEL_DATASET_H
#define HCC_COSTMODEL_DATASET_H

#include "hcc/CostModel/Features.h"

#include "llvm/Support/JSON.h"

#include <string>
#include <vector>

namespace hcc {
namespace cost {

constexpr const char *kDatasetSchema = "hcc-profile-dataset";
constexpr int kDatasetVersion = 2;

/// Where a measurement was taken.
struct Provenance {
  std::string machine; // host name and CPU model
  std::string device;  // the device's name as its driver reports it
  std::string driver;  // driver / platform version text
  std::string date;    // ISO 8601, UTC
};

struct Row {
  enum Kind { Kernel, Transfer } kind = Kernel;
  std::string model;  // the model (or sampled-shape case) it comes from
  std::string kernel; // kernel symbol; "" for transfers
  std::string target; // the target whose code ran (its registered name)
  KernelFeatures features;
  /// Transfers: endpoints (device kinds) and bytes.
  std::string from, to;
  double bytes = 0;
  double seconds = 0; // median of the kept runs
  double spread = 0;  // median absolute deviation / median
  int runs = 0;       // runs kept after outlier rejection
  Provenance provenance;

  /// "cpu/t2": the configuration the row was measured under.
  std::string config() const;
};

struct Dataset {
  std::vector<Row> rows;
  /// SHA-256 of the files read, in order (hex); a model trained on the
  /// dataset records it.
  std::string hash;
};

/// Appends the rows of `path` to `data`. A file with another schema or
/// version, a malformed line or an absurd value is an error naming the file
/// and line; nothing is appended then.
bool readDataset(const std::string &path, Dataset &data, std::string &error);

/// Writes `rows` (header first) atomically: the file is complete or absent.
bool writeDataset(const std::string &path, const std::vector<Row> &rows,
                  std::string &error);

/// A kernel's features as a JSON object (op, family and the numeric
/// fields, by the names datasets use) and back; parsing checks every field
/// is a number in [0, 1e18] and says which is not.
llvm::json::Object featuresToJson(const KernelFeatures &f);
bool featuresFromJson(const llvm::json::Object &o, KernelFeatures &f,
                      std::string &error);

/// Hex SHA-256 of a byte string.
std::string sha256Hex(const std::string &bytes);

} // namespace cost
} // namespace hcc

#endif // HCC_COSTMODEL_DATASET_H
