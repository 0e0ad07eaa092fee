//===- hcc-costmodel.cpp - train and evaluate the learned cost model ------===//
//
//   hcc-costmodel train data.jsonl [more.jsonl ...] -o cost-model.json
//   hcc-costmodel eval  data.jsonl [more.jsonl ...] [--folds=5]
//
// train: one XGBoost booster per target on the datasets' kernel rows, one
// transfer fit per link; the model records the datasets' SHA-256.
// eval: held-out by model (never by row): boosters trained without a fold's
// models predict that fold; prints per target the pairwise ranking
// accuracy, Spearman and median relative error, and over kernels measured
// under several configurations the top-1 / top-5 of the best one.
//
//===----------------------------------------------------------------------===//

#include "hcc/CostModel/CostModel.h"
#include "hcc/Support/Files.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

using namespace hcc;
namespace cl = llvm::cl;

static cl::OptionCategory category("hcc-costmodel options");
static cl::opt<std::string> command(cl::Positional, cl::Required,
                                    cl::desc("<train|eval|show>"),
                                    cl::cat(category));
static cl::list<std::string> inputs(cl::Positional, cl::OneOrMore,
                                    cl::desc("<dataset.jsonl ...> (show: "
                                             "<cost-model.json>)"),
                                    cl::cat(category));
static cl::opt<std::string> outputPath("o", cl::desc("train: model to write"),
                                       cl::value_desc("cost-model.json"),
                                       cl::cat(category));
static cl::opt<unsigned> folds("folds",
                               cl::desc("eval: groups of models held out"),
                               cl::init(5), cl::cat(category));
static cl::opt<unsigned> rounds("rounds", cl::desc("Boosting rounds"),
                                cl::init(300), cl::cat(category));
static cl::opt<unsigned> depth("max-depth", cl::desc("Tree depth"), cl::init(4),
                               cl::cat(category));
static cl::opt<unsigned> threads("train-threads",
                                 cl::desc("XGBoost threads (0: all)"),
                                 cl::init(0), cl::cat(category));
static cl::opt<std::string> predictionsPath(
    "predictions",
    cl::desc("eval: write each kernel row's held-out prediction (CSV)"),
    cl::value_desc("file.csv"), cl::cat(category));
static cl::opt<std::string>
    reference("reference",
              cl::desc("The host target other targets are learned relative "
                       "to (default: the target measured under thread "
                       "counts; none: each target alone)"),
              cl::init(""), cl::cat(category));
static cl::opt<std::string>
    onlyTarget("target", cl::desc("eval: only this target's rows"),
               cl::cat(category));

static int fail(const std::string &message) {
  llvm::errs() << "hcc-costmodel: error: " << message << "\n";
  return 1;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "hcc-costmodel: train and evaluate the learned cost model on "
      "hcc-profile datasets.\n\n"
      "  hcc-costmodel train data/profiles/*.jsonl -o cost-model.json\n"
      "  hcc-costmodel eval data/profiles/*.jsonl --folds=5\n"
      "  hcc-costmodel show cost-model.json\n");
  std::string error;
  if (command == "show") {
    cost::CostModel model;
    if (!model.load(inputs.front(), error))
      return fail(error);
    llvm::outs() << "cost model " << inputs.front() << "\n  dataset sha256 "
                 << model.datasetHash << "\n";
    for (const std::string &t : model.targets())
      llvm::outs() << "  target " << t << ": " << model.rowsPerTarget[t]
                   << " training rows\n";
    return 0;
  }
  if (command != "train" && command != "eval")
    return fail("unknown command '" + command + "' (train, eval or show)");
  if (rounds < 1 || rounds > 5000 || depth < 1 || depth > 16)
    return fail("--rounds must be in 1..5000 and --max-depth in 1..16");
  cost::Dataset data;
  for (const std::string &path : inputs)
    if (!cost::readDataset(path, data, error))
      return fail(error);
  if (!onlyTarget.empty())
    llvm::erase_if(data.rows, [](const cost::Row &r) {
      return r.kind == cost::Row::Kernel && r.target != onlyTarget;
    });
  cost::TrainOptions opts;
  opts.rounds = rounds;
  opts.maxDepth = depth;
  opts.threads = threads;
  opts.reference = reference;

  if (command == "train") {
    if (outputPath.empty())
      return fail("train needs -o <cost-model.json>");
    if (llvm::Error e = hcc::checkOutputFile(outputPath))
      return fail(llvm::toString(std::move(e)));
    cost::CostModel model;
    if (!model.train(data, opts, error) || !model.save(outputPath, error))
      return fail(error);
    llvm::outs() << "trained on " << data.rows.size() << " rows (sha256 "
                 << data.hash.substr(0, 16) << "...):";
    for (const auto &[t, n] : model.rowsPerTarget)
      llvm::outs() << " " << t << " " << n;
    llvm::outs() << " -> " << outputPath << "\n";
    return 0;
  }

  std::vector<double> predicted;
  if (!cost::crossValidate(data, opts, folds, predicted, error))
    return fail(error);
  cost::Metrics m = cost::evaluate(data, predicted);
  if (!predictionsPath.empty()) {
    std::error_code ec;
    llvm::raw_fd_ostream os(predictionsPath, ec);
    if (ec)
      return fail("cannot write '" + predictionsPath + "': " + ec.message());
    os << "model,kernel,config,op,measured_s,predicted_s,spread\n";
    for (size_t i = 0; i < data.rows.size(); ++i) {
      const cost::Row &r = data.rows[i];
      if (r.kind == cost::Row::Kernel)
        os << r.model << "," << r.kernel << "," << r.config() << ","
           << r.features.opType << "," << r.seconds << "," << predicted[i]
           << "," << r.spread << "\n";
    }
  }
  llvm::outs() << llvm::formatv(
      "held-out evaluation, {0} folds split by model (never by row)\n", folds);
  llvm::outs() << llvm::formatv("{0,-10} {1,6} {2,7} {3,9} {4,9} {5,11}\n",
                                "target", "rows", "models", "pairwise",
                                "spearman", "median-err");
  for (const auto &[target, t] : m.targets)
    llvm::outs() << llvm::formatv(
        "{0,-10} {1,6} {2,7} {3,9:F3} {4,9:F3} {5,10:F1}%\n", target, t.rows,
        t.models, t.pairwise, t.spearman, 100 * t.medianRelError);
  llvm::outs() << llvm::formatv(
      "best configuration of {0} kernels measured under several: top-1 "
      "{1:F3}, top-1 within 5% {2:F3}, top-5 {3:F3}, geomean slowdown of "
      "the pick {4:F3}x\n",
      m.kernels, m.top1, m.top1Within5, m.top5, m.regret);
  return 0;
}
