//===- hcc-profile.cpp - measure kernels and transfers into a dataset -----===//
//
//   hcc-profile model.onnx ... [--node-tests=DIR] [--sampled=N]
//               [--configs=cpu/t1,cpu/t2,opencl] -o dataset.jsonl
//
// Compiles each model for each device configuration (every op on that
// target), runs the bundle through the runtime with repeated runs, reads
// each kernel's and transfer's time from the runtime's trace, rejects
// outliers, and writes one dataset row per kernel and configuration with
// the kernel's features (from hcc-compile --dump-placement) and where it
// was measured. Copies to and from each device are swept from 256 B to
// 64 MiB. The dataset (docs/CostModel.md) trains hcc-costmodel.
//
//===----------------------------------------------------------------------===//

#include "Measure.h"
#include "SampledModels.h"
#include "ToolSupport.h"

#include "hcc/CostModel/Dataset.h"
#include "hcc/Planner/PlanFile.h"
#include "hcc/Support/Files.h"
#include "hcc/runtime.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <ctime>
#include <fstream>
#include <set>
#include <thread>
#include <unistd.h>

using namespace hcc;
using namespace hcc::tools;
namespace cl = llvm::cl;

static cl::OptionCategory category("hcc-profile options");
static cl::list<std::string>
    modelPaths(cl::Positional, cl::desc("<model.onnx ...>"), cl::cat(category));
static cl::opt<std::string> outputPath("o", cl::desc("Dataset to write"),
                                       cl::value_desc("dataset.jsonl"),
                                       cl::Required, cl::cat(category));
static cl::list<std::string> configList(
    "configs",
    cl::desc("Device configurations: TARGET or TARGET/tTHREADS (default: "
             "cpu/t1, cpu/tN with N hardware threads, and every other "
             "device present: opencl, cuda)"),
    cl::CommaSeparated, cl::cat(category));
static cl::opt<std::string>
    nodeTests("node-tests",
              cl::desc("Also profile the ONNX node tests in DIR "
                       "(DIR/<test>/model.onnx)"),
              cl::value_desc("DIR"), cl::cat(category));
static cl::opt<unsigned> nodeTestLimit(
    "node-test-limit",
    cl::desc("At most this many node tests, spread over the list"),
    cl::init(200), cl::cat(category));
static cl::opt<unsigned>
    sampledCount("sampled",
                 cl::desc("Also profile N single-op models of sampled shapes"),
                 cl::init(0), cl::cat(category));
static cl::opt<unsigned> seed("seed", cl::desc("Seed of the sampled shapes"),
                              cl::init(1), cl::cat(category));
static cl::opt<unsigned> repeat("repeat", cl::desc("Measured runs per model"),
                                cl::init(10), cl::cat(category));
static cl::opt<unsigned> warmup("warmup", cl::desc("Unmeasured runs first"),
                                cl::init(2), cl::cat(category));
static cl::opt<double> maxSeconds(
    "max-seconds",
    cl::desc("Stop repeating a model after this many seconds of runs"),
    cl::init(10), cl::cat(category));
static cl::opt<bool> transfers("transfers",
                               cl::desc("Sweep copies to and from devices"),
                               cl::init(true), cl::cat(category));
static cl::opt<unsigned>
    compileTimeout("compile-timeout",
                   cl::desc("Seconds one compilation may take"), cl::init(600),
                   cl::cat(category));
static cl::opt<std::string>
    workDir("work-dir",
            cl::desc("Where bundles go (default: a temporary directory)"),
            cl::cat(category));
static cl::list<std::string> dims("dim",
                                  cl::desc("Passed to hcc-compile (N=1)"),
                                  cl::value_desc("NAME=VALUE"),
                                  cl::cat(category));

namespace {

struct Config {
  std::string target;
  int threads = 0; // host target only
  std::string name() const {
    return threads ? target + "/t" + std::to_string(threads) : target;
  }
};

struct Model {
  std::string name, path;
};

/// The first device of a driver: name and version text, or false.
bool deviceOf(const std::string &driver, cost::Provenance &p) {
  size_t n = 0;
  hcc_device_count(&n);
  for (size_t i = 0; i < n; ++i) {
    hcc_device_info_t d;
    if (hcc_device_info(i, &d) == HCC_OK && driver == d.driver) {
      p.device = d.name;
      p.driver = std::string(d.driver) + " " + d.version;
      return true;
    }
  }
  return false;
}

std::string presentDrivers() {
  size_t n = 0;
  hcc_device_count(&n);
  std::vector<std::string> names;
  for (size_t i = 0; i < n; ++i) {
    hcc_device_info_t d;
    if (hcc_device_info(i, &d) == HCC_OK &&
        !llvm::is_contained(names, std::string(d.driver)))
      names.push_back(d.driver);
  }
  return llvm::join(names, ", ");
}

bool parseConfigs(std::vector<Config> &configs, std::string &error) {
  unsigned hw = std::max(1u, std::thread::hardware_concurrency());
  std::string host = hostDriver();
  if (configList.empty()) {
    configs.push_back({host, 1});
    if (hw > 1)
      configs.push_back({host, static_cast<int>(hw)});
    // Every other driver present, except devices that only emulate the
    // hardware they stand for (their times are not that hardware's; the
    // runtime names them "(emulating ...)").
    size_t n = 0;
    hcc_device_count(&n);
    for (size_t i = 1; i < n; ++i) {
      hcc_device_info_t d;
      if (hcc_device_info(i, &d) != HCC_OK || d.driver == host ||
          llvm::StringRef(d.name).contains("(emulating"))
        continue;
      if (llvm::none_of(configs,
                        [&](const Config &c) { return c.target == d.driver; }))
        configs.push_back({d.driver, 0});
    }
    return true;
  }
  for (const std::string &text : configList) {
    auto [target, rest] = llvm::StringRef(text).split('/');
    Config c{target.str(), 0};
    if (!rest.empty() &&
        (!rest.consume_front("t") || rest.getAsInteger(10, c.threads) ||
         c.threads < 1 || c.threads > 1024)) {
      error = "--configs entry '" + text +
              "': expected TARGET or TARGET/tTHREADS (threads 1..1024)";
      return false;
    }
    if (c.target == host && !c.threads)
      c.threads = static_cast<int>(hw);
    cost::Provenance p;
    if (!deviceOf(c.target, p)) {
      error = "--configs entry '" + text + "': no '" + c.target +
              "' device on this machine (drivers present: " + presentDrivers() +
              ")";
      return false;
    }
    configs.push_back(c);
  }
  return true;
}

/// Kernel features by name from hcc-compile --dump-placement: target and
/// features of each kernel.
bool readFeatures(
    const std::string &path,
    std::map<std::string, std::pair<std::string, cost::KernelFeatures>> &out,
    std::string &error) {
  plan::PlanInput plan;
  if (!plan::readPlanFile(path, plan, error))
    return false;
  for (size_t i = 0; i < plan.features.size(); ++i)
    out[plan.graph.nodes[i].name] = {plan.targets[i], plan.features[i]};
  return true;
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "hcc-profile: measure kernels and transfers on this machine's devices "
      "through the hcc runtime, into a dataset for hcc-costmodel.\n\n"
      "  hcc-profile resnet18.onnx --sampled=100 -o data.jsonl\n"
      "  hcc-profile --node-tests=/usr/share/libonnx-testdata/data/node "
      "--configs=cpu/t1,opencl -o nodes.jsonl\n");
  auto fail = [](const std::string &message) {
    llvm::errs() << "hcc-profile: error: " << message << "\n";
    return 1;
  };
  std::vector<Config> configs;
  std::string error;
  if (!parseConfigs(configs, error))
    return fail(error);
  if (repeat < 1 || repeat > 10000)
    return fail("--repeat must be in 1..10000");
  if (!(maxSeconds > 0))
    return fail("--max-seconds must be positive");

  static int anchor;
  std::string self = llvm::sys::fs::getMainExecutable(argv[0], &anchor);
  llvm::SmallString<256> compiler(llvm::sys::path::parent_path(self));
  llvm::sys::path::append(compiler, "hcc-compile");
  if (!llvm::sys::fs::can_execute(compiler))
    return fail("hcc-compile is not next to hcc-profile ('" +
                std::string(compiler) + "')");

  // The output is checked before minutes of measuring, not after.
  if (llvm::Error e = hcc::checkOutputFile(outputPath))
    return fail(llvm::toString(std::move(e)));
  std::vector<Model> models;
  for (const std::string &p : modelPaths) {
    if (llvm::Error error = hcc::checkInputFile(p))
      return fail("cannot read model '" + p +
                  "': " + llvm::toString(std::move(error)));
    llvm::StringRef stem = llvm::sys::path::stem(p);
    models.push_back({stem.str(), p});
  }
  if (!nodeTests.empty()) {
    std::vector<std::string> found;
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(nodeTests, ec), end;
         it != end && !ec; it.increment(ec)) {
      llvm::SmallString<256> model(it->path());
      llvm::sys::path::append(model, "model.onnx");
      if (llvm::sys::fs::exists(model))
        found.push_back(it->path());
    }
    if (ec || found.empty())
      return fail("--node-tests '" + nodeTests +
                  "' holds no <test>/model.onnx");
    std::sort(found.begin(), found.end());
    size_t step = std::max<size_t>(
        1, found.size() / std::max(1u, nodeTestLimit.getValue()));
    for (size_t i = 0;
         i < found.size() && models.size() < modelPaths.size() + nodeTestLimit;
         i += step)
      models.push_back({"node/" + llvm::sys::path::filename(found[i]).str(),
                        found[i] + "/model.onnx"});
  }
  llvm::SmallString<256> work(workDir);
  if (work.empty()) {
    if (llvm::sys::fs::createUniqueDirectory("hcc-profile", work))
      return fail("cannot create a temporary directory");
  } else if (llvm::sys::fs::create_directories(work)) {
    return fail("cannot create --work-dir '" + workDir + "'");
  }
  if (sampledCount) {
    std::vector<profile::SampledModel> sampled;
    if (!profile::writeSampledModels(std::string(work), sampledCount, seed,
                                     sampled, error))
      return fail(error);
    for (const auto &s : sampled)
      models.push_back({s.name, s.path});
  }
  if (models.empty())
    return fail("no models: give model files, --node-tests or --sampled");

  std::string machine = machineName();
  std::vector<cost::Row> rows;
  std::set<std::string> swept;
  size_t done = 0, failures = 0;
  Progress progress(models.size() * configs.size());
  std::map<std::string, std::string> compiledFor; // target -> bundle base
  for (const Model &model : models) {
    compiledFor.clear();
    for (const Config &config : configs) {
      progress.show(done, model.name + " on " + config.name());
      ++done;
      // One bundle per target, measured under each of its configurations.
      std::string &base = compiledFor[config.target];
      if (base == "failed")
        continue;
      if (base.empty()) {
        base = (work + "/m" + std::to_string(done)).str();
        std::vector<std::string> args = {std::string(compiler),
                                         model.path,
                                         "--targets=" + config.target,
                                         "--placement-strategy=default",
                                         "--dump-placement=" + base + ".json",
                                         "-o",
                                         base + ".hccb"};
        for (const std::string &d : dims)
          args.push_back("--dim=" + d);
        std::vector<llvm::StringRef> argRefs(args.begin(), args.end());
        std::string log = base + ".log";
        std::optional<llvm::StringRef> redirects[] = {
            std::nullopt, llvm::StringRef(log), llvm::StringRef(log)};
        int rc = llvm::sys::ExecuteAndWait(compiler, argRefs, std::nullopt,
                                           redirects, compileTimeout);
        if (rc != 0) {
          ++failures;
          progress.finish();
          llvm::errs() << "hcc-profile: warning: " << model.name << " on "
                       << config.target << ": not compiled ("
                       << (rc == -2 ? "timed out" : lastLine(log)) << ")\n";
          base = "failed";
          continue;
        }
      }
      std::map<std::string, std::pair<std::string, cost::KernelFeatures>>
          features;
      if (!readFeatures(base + ".json", features, error)) {
        progress.finish();
        llvm::errs() << "hcc-profile: warning: " << error << "\n";
        ++failures;
        continue;
      }
      profile::RunConfig run;
      bool onHost = config.target == hostDriver();
      run.threads = onHost ? config.threads : 0;
      run.warmup = warmup;
      run.repeat = repeat;
      run.maxSeconds = maxSeconds;
      run.device = onHost ? "" : config.target;
      run.host = hostDriver();
      run.transfers =
          transfers && !run.device.empty() && swept.insert(run.device).second;
      profile::Measurement m;
      if (!profile::measureBundle(base + ".hccb", run, m, error)) {
        ++failures;
        progress.finish();
        llvm::errs() << "hcc-profile: warning: " << model.name << " on "
                     << config.name() << ": not measured (" << error << ")\n";
        continue;
      }
      cost::Provenance prov;
      deviceOf(config.target, prov);
      prov.machine = machine;
      prov.date = isoDate();
      for (const auto &[symbol, times] : m.kernels) {
        auto it = features.find(symbol);
        if (it == features.end() || it->second.first != config.target)
          continue; // host copies of a device model
        cost::Row row;
        row.model = model.name;
        row.kernel = symbol;
        row.target = config.target;
        row.features = it->second.second;
        row.features.threads = run.threads;
        row.seconds = profile::robustMedian(times, row.spread, row.runs);
        row.provenance = prov;
        if (row.seconds > 0)
          rows.push_back(std::move(row));
      }
      for (const profile::TransferSample &t : m.transfers) {
        cost::Row row;
        row.kind = cost::Row::Transfer;
        row.model = model.name;
        row.target = config.target;
        row.from = t.from;
        row.to = t.to;
        row.bytes = t.bytes;
        row.seconds = profile::robustMedian(t.seconds, row.spread, row.runs);
        row.provenance = prov;
        if (row.seconds > 0)
          rows.push_back(std::move(row));
      }
    }
    for (const auto &entry : compiledFor)
      llvm::sys::fs::remove(entry.second + ".hccb");
  }
  progress.show(done, "done");
  progress.finish();
  if (rows.empty())
    return fail("nothing was measured (" + std::to_string(failures) +
                " models x configurations not compiled or run); no dataset "
                "written");
  if (!cost::writeDataset(outputPath, rows, error))
    return fail(error);
  llvm::errs() << "hcc-profile: " << rows.size() << " rows from "
               << models.size() << " models x " << configs.size()
               << " configurations (" << failures << " not compiled or run) -> "
               << outputPath << "\n";
  return 0;
}
