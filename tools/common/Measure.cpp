//===- Measure.cpp - kernel and transfer times through the runtime --------===//

#include "Measure.h"

#include "hcc/runtime.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <memory>
#include <random>

namespace hcc {
namespace profile {

double robustMedian(std::vector<double> samples, double &spread, int &kept) {
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
  };
  spread = 0;
  kept = 0;
  if (samples.empty())
    return 0;
  double med = median(samples);
  std::vector<double> dev;
  for (double s : samples)
    dev.push_back(std::fabs(s - med));
  double mad = median(dev);
  std::vector<double> inliers;
  for (double s : samples)
    if (std::fabs(s - med) <= 3 * 1.4826 * mad + 1e-12)
      inliers.push_back(s);
  kept = static_cast<int>(inliers.size());
  double result = median(inliers);
  spread = result > 0 ? mad / result : 0;
  return result;
}

namespace {

struct Releaser {
  void operator()(hcc_model_t *m) const { hcc_model_release(m); }
  void operator()(hcc_session_t *s) const { hcc_session_release(s); }
  void operator()(hcc_session_options_t *o) const {
    hcc_session_options_release(o);
  }
  void operator()(hcc_tensor_t *t) const { hcc_tensor_release(t); }
};
template <typename T> using Owned = std::unique_ptr<T, Releaser>;

std::string lastError(const char *what) {
  return std::string(what) + ": " + hcc_runtime_last_error();
}

/// Random inputs of the model's types (integers small, so index inputs of
/// sampled shapes stay in range).
bool makeInputs(hcc_model_t *model, std::vector<Owned<hcc_tensor_t>> &inputs,
                std::string &error) {
  std::mt19937 rng(7);
  std::normal_distribution<float> normal(0.f, 1.f);
  for (size_t i = 0; i < hcc_model_input_count(model); ++i) {
    hcc_value_info_t info;
    hcc_tensor_t *t = nullptr;
    if (hcc_model_input_info(model, i, &info) != HCC_OK ||
        hcc_tensor_create(info.dtype, info.dims, info.rank, nullptr, &t) !=
            HCC_OK) {
      error = lastError("creating an input");
      return false;
    }
    inputs.emplace_back(t);
    size_t bytes = hcc_tensor_size_bytes(t);
    char *data = static_cast<char *>(hcc_tensor_data(t));
    if (info.dtype == HCC_DTYPE_FLOAT32)
      for (size_t k = 0; k < bytes / 4; ++k) {
        float v = normal(rng);
        std::memcpy(data + 4 * k, &v, 4);
      }
    // Other types stay zero: valid indices, lengths and flags.
  }
  return true;
}

} // namespace

bool readTrace(const std::string &path, int warmup, Measurement &out,
               std::string &error) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer) {
    error = "cannot read the trace '" + path + "'";
    return false;
  }
  llvm::Expected<llvm::json::Value> doc =
      llvm::json::parse((*buffer)->getBuffer());
  if (!doc) {
    error =
        "the runtime's trace is not JSON: " + llvm::toString(doc.takeError());
    return false;
  }
  const llvm::json::Object *root = doc->getAsObject();
  const llvm::json::Array *events =
      root ? root->getArray("traceEvents") : nullptr;
  if (!events) {
    error = "the runtime's trace has no traceEvents";
    return false;
  }
  std::map<int64_t, std::string> kindOf; // pid -> device kind
  for (const llvm::json::Value &e : *events) {
    const llvm::json::Object *o = e.getAsObject();
    if (!o || o->getString("ph") != llvm::StringRef("M"))
      continue;
    const llvm::json::Object *args = o->getObject("args");
    auto name = args ? args->getString("name") : std::nullopt;
    if (name)
      kindOf[o->getInteger("pid").value_or(-1)] = name->split(':').first.str();
  }
  std::map<std::tuple<std::string, std::string, double>, size_t> transferIndex;
  for (const llvm::json::Value &e : *events) {
    const llvm::json::Object *o = e.getAsObject();
    if (!o || o->getString("ph") != llvm::StringRef("X"))
      continue;
    const llvm::json::Object *args = o->getObject("args");
    int64_t run = args ? args->getInteger("run").value_or(-1) : -1;
    double us = o->getNumber("dur").value_or(-1);
    if (!args || run < warmup || us < 0)
      continue;
    double seconds = std::max(us, 0.001) * 1e-6;
    if (o->getString("cat") == llvm::StringRef("kernel")) {
      // The event's name is the kernel's name in the placed IR.
      auto name = o->getString("name");
      if (!name)
        continue;
      out.kernels[name->str()].push_back(seconds);
      if (auto modelled = args->getNumber("modelled_us")) {
        out.modelled[name->str()].push_back(std::max(*modelled, 0.0) * 1e-6);
        if (auto note = args->getString("modelled"))
          out.modelNotes[name->str()] = note->str();
      }
      continue;
    }
    std::string to = kindOf[o->getInteger("pid").value_or(-1)];
    std::string from = kindOf[args->getInteger("from_device").value_or(-1)];
    double bytes = args->getNumber("bytes").value_or(0);
    auto key = std::make_tuple(from, to, bytes);
    auto [it, fresh] = transferIndex.insert({key, out.transfers.size()});
    if (fresh)
      out.transfers.push_back({from, to, bytes, {}});
    out.transfers[it->second].seconds.push_back(seconds);
  }
  return true;
}

namespace {

/// Copies of 256 B .. 64 MiB to and from device memory of `kind`, timed
/// around hcc_tensor_write / hcc_tensor_read (blocking).
bool sweepTransfers(hcc_session_t *session, const std::string &host,
                    const std::string &kind, int repeat, Measurement &out,
                    std::string &error) {
  for (int64_t bytes = 256; bytes <= (64 << 20); bytes *= 4) {
    int64_t dims[] = {bytes / 4};
    hcc_tensor_t *raw = nullptr;
    if (hcc_session_create_device_tensor(session, kind.c_str(),
                                         HCC_DTYPE_FLOAT32, dims, 1,
                                         &raw) != HCC_OK) {
      error = lastError("creating a device tensor");
      return false;
    }
    Owned<hcc_tensor_t> tensor(raw);
    std::vector<char> buffer(bytes, 1);
    TransferSample up{host, kind, static_cast<double>(bytes), {}};
    TransferSample down{kind, host, static_cast<double>(bytes), {}};
    for (int i = 0; i < repeat + 1; ++i) {
      auto t0 = std::chrono::steady_clock::now();
      if (hcc_tensor_write(tensor.get(), buffer.data(), bytes) != HCC_OK) {
        error = lastError("writing a device tensor");
        return false;
      }
      auto t1 = std::chrono::steady_clock::now();
      if (hcc_tensor_read(tensor.get(), buffer.data(), bytes) != HCC_OK) {
        error = lastError("reading a device tensor");
        return false;
      }
      auto t2 = std::chrono::steady_clock::now();
      if (i == 0)
        continue; // first touch of the buffer
      up.seconds.push_back(std::chrono::duration<double>(t1 - t0).count());
      down.seconds.push_back(std::chrono::duration<double>(t2 - t1).count());
    }
    out.transfers.push_back(std::move(up));
    out.transfers.push_back(std::move(down));
  }
  return true;
}

} // namespace

bool measureBundle(const std::string &bundle, const RunConfig &config,
                   Measurement &out, std::string &error) {
  hcc_model_t *rawModel = nullptr;
  if (hcc_model_load_file(bundle.c_str(), &rawModel) != HCC_OK) {
    error = lastError("loading the bundle");
    return false;
  }
  Owned<hcc_model_t> model(rawModel);
  hcc_session_options_t *rawOptions = nullptr;
  hcc_session_options_create(&rawOptions);
  Owned<hcc_session_options_t> options(rawOptions);
  if (config.threads > 0)
    hcc_session_options_set_threads(options.get(), config.threads);
  hcc_session_t *rawSession = nullptr;
  if (hcc_session_create(model.get(), options.get(), &rawSession) != HCC_OK) {
    error = lastError("creating a session");
    return false;
  }
  Owned<hcc_session_t> session(rawSession);
  std::vector<Owned<hcc_tensor_t>> inputs;
  if (!makeInputs(model.get(), inputs, error))
    return false;
  std::vector<hcc_tensor_t *> in;
  for (auto &t : inputs)
    in.push_back(t.get());
  size_t nOut = hcc_model_output_count(model.get());
  auto start = std::chrono::steady_clock::now();
  int runs = 0;
  for (; runs < config.warmup + config.repeat; ++runs) {
    std::vector<hcc_tensor_t *> outputs(nOut, nullptr);
    hcc_status_t status = hcc_session_run(session.get(), in.data(), in.size(),
                                          outputs.data(), nOut);
    for (hcc_tensor_t *t : outputs)
      hcc_tensor_release(t);
    if (status != HCC_OK) {
      error = lastError("running");
      return false;
    }
    double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    // Enough runs: at least three measured ones, then the time budget.
    if (runs >= config.warmup + 2 && elapsed > config.maxSeconds)
      break;
  }
  out.runs = runs + 1 - config.warmup;
  llvm::SmallString<128> trace;
  if (llvm::sys::fs::createTemporaryFile("hcc-profile-trace", "json", trace)) {
    error = "cannot create a temporary file";
    return false;
  }
  bool ok = hcc_session_write_trace(session.get(), trace.c_str()) == HCC_OK;
  if (!ok)
    error = lastError("writing the trace");
  ok = ok && readTrace(std::string(trace), config.warmup, out, error);
  llvm::sys::fs::remove(trace);
  if (ok && config.transfers && !config.device.empty())
    ok = sweepTransfers(session.get(), config.host, config.device,
                        config.repeat, out, error);
  return ok;
}

} // namespace profile
} // namespace hcc
