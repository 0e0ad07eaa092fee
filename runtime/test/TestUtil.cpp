//===- TestUtil.cpp - Kernels compiled at test time, bundles -------------===//

#include "TestUtil.h"
#include "hcc/runtime/bundle_writer.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <unistd.h>

namespace hcc {
namespace test {

std::string tempDir() {
  static std::string dir = [] {
    const char *base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base ? base : "/tmp") + "/hcc-rt-XXXXXX";
    if (!::mkdtemp(&tmpl[0]))
      std::abort();
    return tmpl;
  }();
  return dir;
}

std::vector<uint8_t> compileSharedObject(const std::string &source) {
  static int counter = 0;
  std::string base = tempDir() + "/k" + std::to_string(counter++);
  {
    std::ofstream out(base + ".c");
    out << source;
  }
  std::string cmd = std::string(HCC_TEST_CC) + " -O2 -shared -fPIC -o " + base +
                    ".so " + base + ".c";
  if (std::system(cmd.c_str()) != 0) {
    std::fprintf(stderr, "failed: %s\n", cmd.c_str());
    return {};
  }
  std::ifstream in(base + ".so", std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

static const char *kKernelSource = R"C(
#include <stdint.h>
/* The MLIR async runtime API, as generated code calls it. */
typedef struct Token Token;
typedef struct Group Group;
extern Token *mlirAsyncRuntimeCreateToken(void);
extern Group *mlirAsyncRuntimeCreateGroup(int64_t);
extern int64_t mlirAsyncRuntimeAddTokenToGroup(Token *, Group *);
extern void mlirAsyncRuntimeEmplaceToken(Token *);
extern void mlirAsyncRuntimeAwaitAllInGroup(Group *);
extern void mlirAsyncRuntimeDropRef(void *, int64_t);
extern void mlirAsyncRuntimeExecute(void *, void (*)(void *));

void add_f32(void *const *args) {
  const float *a = args[0], *b = args[1];
  float *o = args[2];
  for (int i = 0; i < 4; ++i) o[i] = a[i] + b[i];
}
void relu_f32(void *const *args) {
  const float *a = args[0];
  float *o = args[1];
  for (int i = 0; i < 4; ++i) o[i] = a[i] > 0 ? a[i] : 0;
}
struct Block { const float *in; float *out; int i; Token *done; };
static void scaleBlock(void *p) {
  struct Block *b = p;
  b->out[b->i] = 2 * b->in[b->i];
  mlirAsyncRuntimeEmplaceToken(b->done);
}
/* Like async-parallel-for: one task per element, then a blocking await. */
void par_scale(void *const *args) {
  struct Block blocks[4];
  Group *g = mlirAsyncRuntimeCreateGroup(4);
  for (int i = 0; i < 4; ++i) {
    blocks[i].in = args[0]; blocks[i].out = args[1]; blocks[i].i = i;
    blocks[i].done = mlirAsyncRuntimeCreateToken();
    mlirAsyncRuntimeAddTokenToGroup(blocks[i].done, g);
    mlirAsyncRuntimeExecute(&blocks[i], scaleBlock);
  }
  mlirAsyncRuntimeAwaitAllInGroup(g);
  for (int i = 0; i < 4; ++i) mlirAsyncRuntimeDropRef(blocks[i].done, 1);
  mlirAsyncRuntimeDropRef(g, 1);
}
)C";

const std::vector<uint8_t> &testKernels() {
  static std::vector<uint8_t> so = compileSharedObject(kKernelSource);
  return so;
}

nlohmann::json addReluManifest() {
  using nlohmann::json;
  auto f32 = [](int id, const char *kind) {
    return json{{"id", id}, {"dtype", 1}, {"shape", {4}}, {"kind", kind}};
  };
  json w = f32(1, "weight");
  w["weight_offset"] = 0;
  json x = f32(0, "input");
  x["dim_names"] = {"N"};
  return json{{"format_version", 1},
              {"producer", "hcc-test"},
              {"model_name", "add_relu"},
              {"symbolic_dims", {{"N", 4}}},
              {"devices", {{{"id", 0}, {"kind", "cpu"}}}},
              {"buffers", {x, w, f32(2, "intermediate"), f32(3, "output")}},
              {"inputs", {{{"name", "x"}, {"buffer", 0}}}},
              {"outputs", {{{"name", "y"}, {"buffer", 3}}}},
              {"kernels",
               {{{"id", 0},
                 {"name", "add"},
                 {"device", 0},
                 {"code", "cpu"},
                 {"symbol", "add_f32"},
                 {"args", {0, 1, 2}},
                 {"num_inputs", 2},
                 {"deps", json::array()}},
                {{"id", 1},
                 {"name", "relu"},
                 {"device", 0},
                 {"code", "cpu"},
                 {"symbol", "relu_f32"},
                 {"args", {2, 3}},
                 {"num_inputs", 1},
                 {"deps", {0}}}}}};
}

std::vector<uint8_t> addReluBundle() {
  bundle::Writer w;
  w.addManifest(addReluManifest().dump());
  w.addCode("cpu", testKernels());
  const float weights[4] = {1, -2, 3, -4};
  w.addWeight(weights, sizeof(weights));
  return w.serialize();
}

} // namespace test
} // namespace hcc
