//===- hcc-run.cpp - Runs a compiled bundle on tensor files --------------===//
//
// Uses the public runtime API only. Every error is one line naming the file
// or input, exit status 1; outputs appear all together or not at all.
//
//===----------------------------------------------------------------------===//

#include "hcc/runtime.h"
#include "placement_report.h"
#include "support/atomic_file.h"
#include "tensor_files.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

using hcc::tools::HostTensor;

namespace {

const char *kUsage =
    R"(usage: hcc-run MODEL.hccb IN_0 IN_1 ... -o OUTDIR [options]

Runs a compiled hcc bundle. Inputs are given in graph-input order, each an
ONNX TensorProto (.pb) or a NumPy array (.npy). Outputs are written to
OUTDIR/output_K.pb (or output_K.npy when the inputs were .npy).

options:
  -o, --output DIR   directory for the outputs (created if missing)
  --expect DIR       compare with DIR/output_K.pb (or .npy); exit 1 on mismatch
  --rtol R           relative tolerance (default 1e-3)
  --atol A           absolute tolerance (default 1e-7)
                     an element matches when |a - e| <= atol + rtol * |e|;
                     NaN matches NaN; integer and bool outputs must be exact
  --threads N        worker threads (default: one per hardware thread)
  --device KIND=NAME run KIND's kernels (e.g. opencl) on the first device
                     whose name contains NAME
  --placement-report P.json
                     after the run, run K more times (--report-runs K,
                     default 5) and print each kernel's time predicted by
                     automatic placement (hcc-compile --dump-placement=P.json)
                     beside its time measured in the runtime's trace
  --list-devices     print the devices this machine has and exit
  -h, --help         show this help
)";

int die(const std::string &message) {
  std::fprintf(stderr, "hcc-run: %s\n", message.c_str());
  return 1;
}

bool parseDouble(const char *s, double &out) {
  char *end = nullptr;
  errno = 0;
  out = std::strtod(s, &end);
  return end != s && *end == '\0' && errno == 0 && out >= 0;
}

struct Options {
  std::string model;
  std::vector<std::string> inputs;
  std::string outDir, expectDir;
  double rtol = 1e-3, atol = 1e-7;
  int threads = 0;
  std::vector<std::pair<std::string, std::string>> devices; // kind, name
  std::string placementReport;
  int reportRuns = 5;
};

int listDevices() {
  size_t n = 0;
  if (hcc_device_count(&n) != HCC_OK)
    return die(hcc_runtime_last_error());
  for (size_t i = 0; i < n; ++i) {
    hcc_device_info_t d;
    if (hcc_device_info(i, &d) != HCC_OK)
      return die(hcc_runtime_last_error());
    std::printf("%zu: %s: %s (%s, %u compute units, %.1f GiB)\n", i, d.driver,
                d.name, *d.vendor ? d.vendor : "-", d.compute_units,
                d.memory_bytes / double(1ull << 30));
  }
  return 0;
}

/// Returns -1 to continue, otherwise the exit status.
int parseArgs(int argc, char **argv, Options &o) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const char *flag) -> const char * {
      if (i + 1 >= argc) {
        die(std::string(flag) + " needs a value");
        return nullptr;
      }
      return argv[++i];
    };
    if (a == "-h" || a == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (a == "--list-devices") {
      return listDevices();
    } else if (a == "--device") {
      const char *v = value("--device");
      const char *eq = v ? std::strchr(v, '=') : nullptr;
      if (!v || !eq || eq == v)
        return die("--device needs KIND=NAME, e.g. opencl=pthread");
      o.devices.push_back({std::string(v, eq), std::string(eq + 1)});
    } else if (a == "-o" || a == "--output") {
      const char *v = value("-o");
      if (!v)
        return 1;
      o.outDir = v;
    } else if (a == "--expect") {
      const char *v = value("--expect");
      if (!v)
        return 1;
      o.expectDir = v;
    } else if (a == "--rtol" || a == "--atol") {
      const char *v = value(a.c_str());
      double d;
      if (!v || !parseDouble(v, d))
        return die(a + " needs a non-negative number");
      (a == "--rtol" ? o.rtol : o.atol) = d;
    } else if (a == "--threads") {
      const char *v = value("--threads");
      char *end = nullptr;
      long n = v ? std::strtol(v, &end, 10) : -1;
      if (!v || !*v || *end || n < 0 || n > 4096)
        return die("--threads needs a number in [0, 4096]");
      o.threads = static_cast<int>(n);
    } else if (a == "--placement-report") {
      const char *v = value("--placement-report");
      if (!v)
        return 1;
      o.placementReport = v;
    } else if (a == "--report-runs") {
      const char *v = value("--report-runs");
      char *end = nullptr;
      long n = v ? std::strtol(v, &end, 10) : -1;
      if (!v || *end || n < 1 || n > 10000)
        return die("--report-runs needs a number in [1, 10000]");
      o.reportRuns = static_cast<int>(n);
    } else if (a.size() > 1 && a[0] == '-') {
      return die("unknown option '" + a + "' (see --help)");
    } else if (o.model.empty()) {
      o.model = a;
    } else {
      o.inputs.push_back(a);
    }
  }
  if (o.model.empty())
    return die("no model given (see --help)");
  if (o.outDir.empty() && o.expectDir.empty())
    return die("give -o OUTDIR and/or --expect DIR (see --help)");
  // Before the run: a wrong --expect must not leave fresh outputs behind.
  struct stat sb;
  if (!o.expectDir.empty() &&
      (::stat(o.expectDir.c_str(), &sb) != 0 || !S_ISDIR(sb.st_mode)))
    return die("--expect '" + o.expectDir + "' is not a directory");
  return -1;
}

HostTensor fromRuntime(const hcc_tensor_t *t, const char *name) {
  HostTensor h;
  h.name = name;
  h.dtype = hcc_tensor_dtype(t);
  h.dims.assign(hcc_tensor_dims(t), hcc_tensor_dims(t) + hcc_tensor_rank(t));
  const uint8_t *p = static_cast<const uint8_t *>(hcc_tensor_data(t));
  h.data.assign(p, p + hcc_tensor_size_bytes(t));
  return h;
}

std::string typeString(int dtype, const std::vector<int64_t> &dims) {
  std::string s = hcc_dtype_name(static_cast<hcc_dtype_t>(dtype));
  s += "[";
  for (size_t i = 0; i < dims.size(); ++i)
    s += (i ? "," : "") + std::to_string(dims[i]);
  return s + "]";
}

/// numpy has no bfloat16, so ONNX's test data stores bfloat16 tensors as
/// uint16 with the same bits: read such a file as the bfloat16 it holds.
void relabelBFloat16(HostTensor &t, int expected) {
  if (expected == HCC_DTYPE_BFLOAT16 && t.dtype == HCC_DTYPE_UINT16)
    t.dtype = HCC_DTYPE_BFLOAT16;
}

/// Prints the error summary; returns true when the output matches.
bool compare(size_t k, const HostTensor &got, HostTensor want,
             const std::string &wantPath, const Options &o) {
  relabelBFloat16(want, got.dtype);
  if (got.dtype != want.dtype || got.dims != want.dims) {
    std::printf("output %zu '%s': MISMATCH: got %s, '%s' holds %s\n", k,
                got.name.c_str(), typeString(got.dtype, got.dims).c_str(),
                wantPath.c_str(), typeString(want.dtype, want.dims).c_str());
    return false;
  }
  size_t elem = hcc_dtype_size(static_cast<hcc_dtype_t>(got.dtype));
  size_t n = elem ? got.data.size() / elem : 0;
  bool exact = !hcc::tools::isFloatType(got.dtype);
  double maxAbs = 0, maxRel = 0;
  size_t bad = 0, nanOrInf = 0; // of the bad: a NaN or infinity on one side
  for (size_t i = 0; i < n; ++i) {
    double a = hcc::tools::elementAsDouble(got, i);
    double e = hcc::tools::elementAsDouble(want, i);
    bool ok;
    if (exact) {
      ok = std::memcmp(&got.data[i * elem], &want.data[i * elem], elem) == 0;
    } else if (std::isnan(a) || std::isnan(e)) {
      ok = std::isnan(a) && std::isnan(e);
    } else if (std::isinf(a) || std::isinf(e)) {
      ok = a == e;
    } else {
      ok = std::fabs(a - e) <= o.atol + o.rtol * std::fabs(e);
    }
    if (!std::isnan(a) && !std::isnan(e) && !std::isinf(a) && !std::isinf(e)) {
      double abs = std::fabs(a - e);
      maxAbs = std::max(maxAbs, abs);
      if (e != 0)
        maxRel = std::max(maxRel, abs / std::fabs(e));
    }
    bad += ok ? 0 : 1;
    if (!ok && !exact && (!std::isfinite(a) || !std::isfinite(e)))
      ++nanOrInf;
  }
  std::printf("output %zu '%s': max abs err %.3g, max rel err %.3g: %s", k,
              got.name.c_str(), maxAbs, maxRel, bad ? "MISMATCH" : "ok");
  if (bad)
    std::printf(" (%zu of %zu elements)", bad, n);
  // The errors above are over finite pairs: say where NaN or infinity
  // differ, which they cannot measure.
  if (nanOrInf)
    std::printf("; %zu where one side is NaN or infinite and the other "
                "is not the same",
                nanOrInf);
  std::printf("\n");
  return bad == 0;
}

bool isNpy(const std::string &p) {
  return p.size() >= 4 && p.compare(p.size() - 4, 4, ".npy") == 0;
}

} // namespace

/// The device kinds the model's kernels (transfers included) run on; empty
/// if its manifest cannot be read (the session then says what is wrong).
static std::set<std::string> kernelDeviceKinds(const hcc_model_t *model) {
  const char *text = nullptr;
  size_t size = 0;
  std::set<std::string> kinds;
  if (hcc_model_manifest(model, &text, &size) != HCC_OK)
    return kinds;
  nlohmann::json manifest =
      nlohmann::json::parse(text, text + size, nullptr, false);
  if (!manifest.is_object() || !manifest.contains("devices") ||
      !manifest.contains("kernels") || !manifest["devices"].is_array() ||
      !manifest["kernels"].is_array())
    return kinds;
  const nlohmann::json &devices = manifest["devices"];
  auto kindOf = [&](const nlohmann::json &id) {
    if (!id.is_number_unsigned() || id.get<size_t>() >= devices.size())
      return;
    const nlohmann::json &device = devices[id.get<size_t>()];
    if (device.is_object() && device.contains("kind") &&
        device["kind"].is_string())
      kinds.insert(device["kind"].get<std::string>());
  };
  for (const nlohmann::json &k : manifest["kernels"]) {
    if (!k.is_object())
      continue;
    for (const char *field : {"device", "from_device"})
      if (k.contains(field))
        kindOf(k[field]);
  }
  return kinds;
}

int main(int argc, char **argv) {
  Options o;
  int rc = parseArgs(argc, argv, o);
  if (rc >= 0)
    return rc;

  hcc::tools::PlacementPlan plan;
  std::string planError;
  if (!o.placementReport.empty() &&
      !hcc::tools::readPlacementPlan(o.placementReport, plan, planError))
    return die("--placement-report: " + planError);

  hcc_model_t *model = nullptr;
  if (hcc_model_load_file(o.model.c_str(), &model) != HCC_OK)
    return die(hcc_runtime_last_error());
  std::unique_ptr<hcc_model_t, void (*)(hcc_model_t *)> modelGuard(
      model, hcc_model_release);

  size_t nIn = hcc_model_input_count(model),
         nOut = hcc_model_output_count(model);
  if (o.inputs.size() != nIn)
    return die("'" + o.model + "' takes " + std::to_string(nIn) +
               " inputs, got " + std::to_string(o.inputs.size()) +
               " input files");

  // Read and check every input before running anything.
  std::vector<HostTensor> inputs(nIn);
  std::vector<hcc_tensor_t *> tensors(nIn, nullptr);
  struct Release {
    std::vector<hcc_tensor_t *> &v;
    ~Release() {
      for (hcc_tensor_t *t : v)
        hcc_tensor_release(t);
    }
  } releaseInputs{tensors};
  for (size_t i = 0; i < nIn; ++i) {
    std::string error;
    if (!hcc::tools::readTensorFile(o.inputs[i], inputs[i], &error))
      return die(error);
    hcc_value_info_t info;
    hcc_model_input_info(model, i, &info);
    std::vector<int64_t> dims(info.dims, info.dims + info.rank);
    relabelBFloat16(inputs[i], info.dtype);
    if (inputs[i].dtype != info.dtype || inputs[i].dims != dims)
      return die("'" + o.inputs[i] + "': input '" + info.name + "': expected " +
                 typeString(info.dtype, dims) + ", got " +
                 typeString(inputs[i].dtype, inputs[i].dims));
    if (hcc_tensor_wrap(static_cast<hcc_dtype_t>(inputs[i].dtype),
                        inputs[i].dims.data(), inputs[i].dims.size(),
                        inputs[i].data.data(), inputs[i].data.size(),
                        &tensors[i]) != HCC_OK)
      return die("'" + o.inputs[i] + "': " + hcc_runtime_last_error());
  }

  std::set<std::string> kinds = kernelDeviceKinds(model);
  for (const auto &[kind, name] : o.devices)
    if (!kinds.count(kind))
      std::fprintf(stderr,
                   "hcc-run: warning: --device %s=%s has no effect: the "
                   "bundle runs no kernels on a '%s' device\n",
                   kind.c_str(), name.c_str(), kind.c_str());

  hcc_session_options_t *opts = nullptr;
  hcc_session_options_create(&opts);
  hcc_session_options_set_threads(opts, o.threads);
  for (const auto &[kind, name] : o.devices)
    if (hcc_session_options_set_device(opts, kind.c_str(), name.c_str()) !=
        HCC_OK) {
      hcc_session_options_release(opts);
      return die(hcc_runtime_last_error());
    }
  hcc_session_t *session = nullptr;
  hcc_status_t st = hcc_session_create(model, opts, &session);
  hcc_session_options_release(opts);
  if (st != HCC_OK)
    return die(hcc_runtime_last_error());
  std::unique_ptr<hcc_session_t, void (*)(hcc_session_t *)> sessionGuard(
      session, hcc_session_release);

  std::vector<hcc_tensor_t *> outputs(nOut, nullptr);
  Release releaseOutputs{outputs};
  if (hcc_session_run(session, tensors.data(), nIn, outputs.data(), nOut) !=
      HCC_OK)
    return die(hcc_runtime_last_error());

  if (!o.placementReport.empty()) {
    std::string error;
    if (!hcc::tools::placementReport(session, tensors.data(), nIn, nOut, plan,
                                     o.reportRuns, error))
      return die("--placement-report: " + error);
  }

  bool npy = nIn > 0;
  for (const std::string &p : o.inputs)
    npy = npy && isNpy(p);
  const char *ext = npy ? ".npy" : ".pb";
  std::vector<HostTensor> results;
  for (size_t k = 0; k < nOut; ++k) {
    hcc_value_info_t info;
    hcc_model_output_info(model, k, &info);
    results.push_back(fromRuntime(outputs[k], info.name));
  }

  if (!o.outDir.empty()) {
    if (::mkdir(o.outDir.c_str(), 0777) != 0 && errno != EEXIST)
      return die("cannot create output directory '" + o.outDir +
                 "': " + std::strerror(errno));
    // Stage every output first, then rename them all: a failure leaves no
    // partial set behind.
    std::vector<std::unique_ptr<hcc::support::AtomicFile>> files;
    for (size_t k = 0; k < nOut; ++k) {
      std::string path = o.outDir + "/output_" + std::to_string(k) + ext;
      std::string bytes, error;
      files.push_back(std::make_unique<hcc::support::AtomicFile>(path));
      if (!hcc::tools::encodeTensor(results[k], npy, bytes, &error) ||
          !files.back()->open(&error) ||
          !files.back()->write(bytes.data(), bytes.size(), &error))
        return die(error);
    }
    // Destinations were checked when staged; should a rename still fail,
    // the outputs already renamed go too (no partial set of new results).
    for (size_t k = 0; k < files.size(); ++k) {
      std::string error;
      if (!files[k]->commit(&error)) {
        for (size_t done = 0; done < k; ++done)
          ::unlink(
              (o.outDir + "/output_" + std::to_string(done) + ext).c_str());
        return die(error);
      }
    }
  }

  if (!o.expectDir.empty()) {
    bool allOk = true;
    for (size_t k = 0; k < nOut; ++k) {
      std::string base = o.expectDir + "/output_" + std::to_string(k);
      // The format of the inputs first, then the other one.
      std::string path = base + ext, other = base + (npy ? ".pb" : ".npy");
      struct stat sb;
      if (::stat(path.c_str(), &sb) != 0 && ::stat(other.c_str(), &sb) == 0)
        path = other;
      HostTensor want;
      std::string error;
      if (!hcc::tools::readTensorFile(path, want, &error))
        return die(error);
      allOk = compare(k, results[k], want, path, o) && allOk;
    }
    if (!allOk) {
      std::fflush(stdout);
      std::fprintf(stderr, "hcc-run: outputs differ from '%s'\n",
                   o.expectDir.c_str());
      return 1;
    }
  }
  return 0;
}
