//===- c_api_fuzzer.cpp - fuzzes sequences of C API calls -----------------===//
//
// The input is a program: each byte picks a call of the C ABI, the next
// bytes its arguments (dtypes, ranks and dimensions at the limits, NULL
// pointers, indices out of range, sizes that disagree). Objects live in a
// few slots; a released slot is cleared, so the program never passes a
// dangling pointer (that is the caller's bug, not the runtime's). Models
// come from the bundles named in HCC_FUZZ_BUNDLES (colon-separated).
// Every failed call must leave a message.
//
//===----------------------------------------------------------------------===//

#include "RunModel.h"

#include "hcc/runtime.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

using hcc::fuzz::requireMessage;

namespace {
std::vector<std::string> seedBundles;
std::string scratchDir;

class Program {
public:
  Program(const uint8_t *data, size_t size) : p(data), end(data + size) {}
  bool done() const { return p == end; }
  uint8_t byte() { return p == end ? 0 : *p++; }
  uint64_t u64() {
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i)
      v = v << 8 | byte();
    return v;
  }
  /// Mostly small numbers, sometimes anything.
  int64_t dim() {
    uint8_t b = byte();
    if (b < 200)
      return b % 9;
    if (b < 240)
      return static_cast<int8_t>(byte());
    return static_cast<int64_t>(u64());
  }

private:
  const uint8_t *p, *end;
};

constexpr size_t kSlots = 4;
constexpr uint64_t kMaxBytes = uint64_t(16) << 20;

struct Tensor {
  hcc_tensor_t *handle = nullptr;
  std::vector<uint8_t> storage; // for wrapped tensors
};

struct State {
  Tensor tensors[kSlots];
  hcc_model_t *models[2] = {};
  hcc_session_options_t *options[2] = {};
  hcc_session_t *sessions[2] = {};

  ~State() {
    for (hcc_session_t *s : sessions)
      hcc_session_release(s);
    for (hcc_session_options_t *o : options)
      hcc_session_options_release(o);
    for (hcc_model_t *m : models)
      hcc_model_release(m);
    for (Tensor &t : tensors)
      hcc_tensor_release(t.handle);
  }
};

/// Bytes of a tensor of these dims, or UINT64_MAX when the dims are
/// invalid (negative, overflowing): the runtime must refuse those itself.
uint64_t tensorBytes(hcc_dtype_t dtype, const std::vector<int64_t> &dims) {
  uint64_t n = hcc_dtype_size(dtype);
  for (int64_t d : dims) {
    if (d < 0 || (d && n > UINT64_MAX / uint64_t(d)))
      return UINT64_MAX;
    n *= uint64_t(d);
  }
  return n;
}

void *failingAlloc(void *, size_t, size_t) { return nullptr; }
void noFree(void *, void *) {}
const hcc_allocator_t kFailingAllocator = {nullptr, failingAlloc, noFree};

const char *pickString(Program &prog) {
  static const char *const strings[] = {
      nullptr, "",        "cpu",         "opencl",   "cuda",
      "fpga",  "pthread", "nonexistent", "\xff\xfe", "cpu\ncpu"};
  return strings[prog.byte() % (sizeof(strings) / sizeof(strings[0]))];
}

void createTensor(Program &prog, State &st, bool wrap) {
  Tensor &slot = st.tensors[prog.byte() % kSlots];
  auto dtype = static_cast<hcc_dtype_t>(prog.byte() % 32);
  size_t rank = prog.byte() % 72; // past HCC_MAX_TENSOR_RANK too
  std::vector<int64_t> dims(rank);
  for (int64_t &d : dims)
    d = prog.dim();
  uint64_t bytes = tensorBytes(dtype, dims);
  if (bytes != UINT64_MAX && bytes > kMaxBytes)
    return; // valid but too large to allocate in a fuzzer
  const int64_t *dimsArg =
      rank && prog.byte() % 16 == 0 ? nullptr : dims.data();
  hcc_tensor_t *t = nullptr;
  hcc_status_t status;
  if (wrap) {
    uint64_t claimed = bytes == UINT64_MAX ? prog.byte() : bytes;
    if (prog.byte() % 4 == 0)
      claimed = prog.byte(); // disagrees with the dims
    std::vector<uint8_t> storage(claimed);
    void *data = claimed && prog.byte() % 16 ? storage.data() : nullptr;
    status = hcc_tensor_wrap(dtype, dimsArg, rank, data, claimed,
                             prog.byte() % 32 ? &t : nullptr);
    requireMessage(status);
    if (status == HCC_OK) {
      hcc_tensor_release(slot.handle);
      slot.handle = t;
      slot.storage = std::move(storage);
    }
    return;
  }
  const hcc_allocator_t *allocator =
      prog.byte() % 8 == 0 ? &kFailingAllocator : nullptr;
  status = hcc_tensor_create(dtype, dimsArg, rank, allocator,
                             prog.byte() % 32 ? &t : nullptr);
  requireMessage(status);
  if (status == HCC_OK) {
    hcc_tensor_release(slot.handle);
    slot.handle = t;
    slot.storage.clear();
  }
}

void touchTensor(Program &prog, State &st) {
  hcc_tensor_t *t =
      prog.byte() % 8 ? st.tensors[prog.byte() % kSlots].handle : nullptr;
  (void)hcc_tensor_data(t);
  (void)hcc_tensor_dtype(t);
  (void)hcc_tensor_device(t);
  size_t size = hcc_tensor_size_bytes(t), rank = hcc_tensor_rank(t);
  const int64_t *dims = hcc_tensor_dims(t);
  volatile uint64_t sink = 0; // reads every dimension (ASan checks them)
  for (size_t i = 0; dims && i < rank; ++i)
    sink = sink + static_cast<uint64_t>(dims[i]);
  size_t n = prog.byte() % 3 == 0 ? prog.byte() : size;
  std::vector<uint8_t> buffer(n + 1);
  void *ptr = prog.byte() % 16 ? buffer.data() : nullptr;
  hcc_status_t status = prog.byte() % 2 ? hcc_tensor_read(t, ptr, n)
                                        : hcc_tensor_write(t, ptr, n);
  requireMessage(status);
}

void loadModel(Program &prog, State &st) {
  hcc_model_t *&slot = st.models[prog.byte() % 2];
  hcc_model_t *m = nullptr;
  hcc_status_t status;
  if (seedBundles.empty() || prog.byte() % 16 == 0) {
    status = hcc_model_load_memory(nullptr, prog.byte(), &m);
  } else {
    const std::string &b = seedBundles[prog.byte() % seedBundles.size()];
    size_t size = prog.byte() % 8 ? b.size() : b.size() * prog.byte() / 256;
    status =
        hcc_model_load_memory(b.data(), size, prog.byte() % 32 ? &m : nullptr);
  }
  requireMessage(status);
  if (status == HCC_OK) {
    hcc_model_release(slot);
    slot = m;
  }
}

void queryModel(Program &prog, State &st) {
  hcc_model_t *m = prog.byte() % 8 ? st.models[prog.byte() % 2] : nullptr;
  (void)hcc_model_name(m);
  size_t nIn = hcc_model_input_count(m), nOut = hcc_model_output_count(m);
  hcc_value_info_t info;
  size_t index = prog.byte() % 4 == 0 ? size_t(prog.u64()) : prog.byte() % 4;
  hcc_value_info_t *out = prog.byte() % 16 ? &info : nullptr;
  hcc_status_t status = prog.byte() % 2 ? hcc_model_input_info(m, index, out)
                                        : hcc_model_output_info(m, index, out);
  requireMessage(status);
  if (status == HCC_OK && (index >= nIn + nOut || !info.name))
    std::abort(); // success for an index past the end
}

void setOptions(Program &prog, State &st) {
  hcc_session_options_t *&slot = st.options[prog.byte() % 2];
  hcc_status_t status = HCC_OK;
  switch (prog.byte() % 6) {
  case 0:
    if (!slot)
      status = hcc_session_options_create(&slot);
    break;
  case 1:
    hcc_session_options_release(slot);
    slot = nullptr;
    break;
  case 2:
    status = hcc_session_options_set_threads(
        slot, static_cast<int>(prog.byte() < 200 ? prog.byte() % 5
                                                 : int32_t(prog.u64())));
    break;
  case 3: {
    const char *driver = pickString(prog);
    status = hcc_session_options_set_device(slot, driver, pickString(prog));
    break;
  }
  case 4:
    status = hcc_session_options_set_allocator(
        slot, prog.byte() % 2 ? &kFailingAllocator : nullptr);
    break;
  default: {
    std::string path = prog.byte() % 2 ? scratchDir + "/trace.json"
                                       : "/nonexistent-dir/trace.json";
    status = hcc_session_options_set_trace_path(
        slot, prog.byte() % 8 ? path.c_str() : nullptr);
    break;
  }
  }
  requireMessage(status);
}

void createSession(Program &prog, State &st) {
  hcc_session_t *&slot = st.sessions[prog.byte() % 2];
  hcc_model_t *m = st.models[prog.byte() % 2];
  hcc_session_options_t *o = st.options[prog.byte() % 2];
  hcc_session_t *s = nullptr;
  hcc_status_t status =
      hcc_session_create(m, o, prog.byte() % 32 ? &s : nullptr);
  requireMessage(status);
  if (status == HCC_OK) {
    hcc_session_release(slot);
    slot = s;
  }
}

void runSession(Program &prog, State &st, bool async) {
  hcc_session_t *s = st.sessions[prog.byte() % 2];
  std::vector<hcc_tensor_t *> inputs(prog.byte() % 5);
  for (hcc_tensor_t *&t : inputs)
    t = st.tensors[prog.byte() % kSlots].handle;
  // Output slots: NULL (the runtime creates the tensor) or a caller tensor
  // distinct from the inputs and the other outputs.
  std::vector<hcc_tensor_t *> outputs(prog.byte() % 5);
  std::vector<bool> created(outputs.size());
  for (size_t i = 0; i < outputs.size(); ++i) {
    hcc_tensor_t *t = st.tensors[prog.byte() % kSlots].handle;
    bool used = false;
    for (hcc_tensor_t *other : inputs)
      used |= other == t;
    for (size_t j = 0; j < i; ++j)
      used |= outputs[j] == t;
    outputs[i] = used || prog.byte() % 2 ? nullptr : t;
    created[i] = outputs[i] == nullptr;
  }
  hcc_tensor_t *const *in = prog.byte() % 16 ? inputs.data() : nullptr;
  hcc_tensor_t **out = prog.byte() % 16 ? outputs.data() : nullptr;
  hcc_status_t status;
  if (async) {
    hcc_fence_t *fence = nullptr;
    status = hcc_session_run_async(s, in, inputs.size(), out, outputs.size(),
                                   prog.byte() % 16 ? &fence : nullptr);
    requireMessage(status);
    if (fence) {
      (void)hcc_fence_is_done(fence);
      if (prog.byte() % 2)
        requireMessage(hcc_fence_wait(fence));
      hcc_fence_release(fence); // waits for the run
    }
  } else {
    status = hcc_session_run(s, in, inputs.size(), out, outputs.size());
    requireMessage(status);
  }
  for (size_t i = 0; i < outputs.size(); ++i)
    if (created[i])
      hcc_tensor_release(outputs[i]);
}

void sessionMisc(Program &prog, State &st) {
  hcc_session_t *s = st.sessions[prog.byte() % 2];
  switch (prog.byte() % 4) {
  case 0: {
    hcc_memory_stats_t stats;
    requireMessage(
        hcc_session_memory_stats(s, prog.byte() % 8 ? &stats : nullptr));
    break;
  }
  case 1: {
    std::string path = prog.byte() % 2 ? scratchDir + "/written.json"
                                       : scratchDir + "/no-such-dir/t.json";
    requireMessage(
        hcc_session_write_trace(s, prog.byte() % 8 ? path.c_str() : nullptr));
    break;
  }
  case 2: {
    Tensor &slot = st.tensors[prog.byte() % kSlots];
    auto dtype = static_cast<hcc_dtype_t>(prog.byte() % 32);
    std::vector<int64_t> dims(prog.byte() % 5);
    for (int64_t &d : dims)
      d = prog.dim();
    uint64_t bytes = tensorBytes(dtype, dims);
    if (bytes != UINT64_MAX && bytes > kMaxBytes)
      return;
    hcc_tensor_t *t = nullptr;
    hcc_status_t status = hcc_session_create_device_tensor(
        s, pickString(prog), dtype, dims.data(), dims.size(), &t);
    requireMessage(status);
    if (status == HCC_OK) {
      hcc_tensor_release(slot.handle);
      slot.handle = t;
      slot.storage.clear();
    }
    break;
  }
  default:
    if (st.models[0] && prog.byte() % 4 == 0)
      hcc::fuzz::runModelOnce(st.models[0]);
    break;
  }
}

void globals(Program &prog) {
  size_t count = 0;
  requireMessage(hcc_device_count(prog.byte() % 8 ? &count : nullptr));
  hcc_device_info_t info;
  size_t index = prog.byte() % 4 ? prog.byte() % 4 : size_t(prog.u64());
  requireMessage(hcc_device_info(index, prog.byte() % 8 ? &info : nullptr));
  (void)hcc_status_string(static_cast<hcc_status_t>(int8_t(prog.byte())));
  (void)hcc_dtype_size(static_cast<hcc_dtype_t>(int8_t(prog.byte())));
  (void)hcc_dtype_name(static_cast<hcc_dtype_t>(int8_t(prog.byte())));
  (void)hcc_runtime_version();
  (void)hcc_runtime_bundle_format_version();
}
} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  if (const char *list = std::getenv("HCC_FUZZ_BUNDLES")) {
    std::stringstream paths(list);
    std::string path;
    while (std::getline(paths, path, ':')) {
      std::ifstream in(path, std::ios::binary);
      std::string bytes((std::istreambuf_iterator<char>(in)),
                        std::istreambuf_iterator<char>());
      if (!bytes.empty())
        seedBundles.push_back(std::move(bytes));
    }
  }
  const char *tmp = std::getenv("TMPDIR");
  std::string dir =
      std::string(tmp && *tmp ? tmp : "/tmp") + "/hcc-fuzz-c-api-XXXXXX";
  if (char *made = mkdtemp(dir.data()))
    scratchDir = made;
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  Program prog(data, size);
  State st;
  for (int steps = 0; !prog.done() && steps < 64; ++steps) {
    switch (prog.byte() % 12) {
    case 0:
      createTensor(prog, st, /*wrap=*/false);
      break;
    case 1:
      createTensor(prog, st, /*wrap=*/true);
      break;
    case 2: {
      Tensor &t = st.tensors[prog.byte() % kSlots];
      hcc_tensor_release(t.handle);
      t = Tensor();
      break;
    }
    case 3:
      touchTensor(prog, st);
      break;
    case 4:
      loadModel(prog, st);
      break;
    case 5:
      queryModel(prog, st);
      break;
    case 6:
      setOptions(prog, st);
      break;
    case 7:
      createSession(prog, st);
      break;
    case 8:
    case 9:
      runSession(prog, st, /*async=*/prog.byte() % 2);
      break;
    case 10:
      sessionMisc(prog, st);
      break;
    default: {
      hcc_session_t *&s = st.sessions[prog.byte() % 2];
      hcc_session_release(s);
      s = nullptr;
      if (prog.byte() % 2) {
        hcc_model_t *&m = st.models[prog.byte() % 2];
        hcc_model_release(m); // sessions keep their model alive
        m = nullptr;
      }
      globals(prog);
      break;
    }
    }
  }
  return 0;
}
