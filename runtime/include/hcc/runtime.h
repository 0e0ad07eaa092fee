/* hcc runtime: the C ABI for loading and running compiled hcc bundles.
 *
 * Conventions (see docs/Runtime.md):
 *  - Every fallible function returns hcc_status_t; HCC_OK is 0. On failure a
 *    human-readable message naming the offending input is available from
 *    hcc_runtime_last_error() on the calling thread.
 *  - Objects are opaque and owned by whoever created them: every *_create /
 *    *_load_* has a matching *_release that accepts NULL.
 *  - No C++ exception ever crosses this boundary.
 */
#ifndef HCC_RUNTIME_H
#define HCC_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#define HCC_API __declspec(dllexport)
#else
#define HCC_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- status and errors ------------------------------------------------ */

typedef enum hcc_status_t {
  HCC_OK = 0,
  HCC_ERROR_INVALID_ARGUMENT = 1,
  HCC_ERROR_INVALID_BUNDLE = 2,
  HCC_ERROR_VERSION_MISMATCH = 3,
  HCC_ERROR_IO = 4,
  HCC_ERROR_OUT_OF_MEMORY = 5,
  HCC_ERROR_SHAPE_MISMATCH = 6,
  HCC_ERROR_DTYPE_MISMATCH = 7,
  HCC_ERROR_UNSUPPORTED = 8,
  HCC_ERROR_INTERNAL = 9,
  /* A device failed an allocation, launch, copy or wait; the session stays
   * usable (the next run may succeed). */
  HCC_ERROR_DEVICE = 10,
  /* A device is gone (driver reset, unplugged): every later run on the
   * session fails with this; create a new session. */
  HCC_ERROR_DEVICE_LOST = 11,
} hcc_status_t;

/* Static name of a status ("HCC_ERROR_IO"); never NULL. */
HCC_API const char *hcc_status_string(hcc_status_t status);

/* Message of the last failing call made on this thread ("" if none). The
 * pointer stays valid until the next hcc_* call on this thread. */
HCC_API const char *hcc_runtime_last_error(void);

/* "0.1.0" */
HCC_API const char *hcc_runtime_version(void);

/* The only bundle format version this runtime reads. */
HCC_API uint32_t hcc_runtime_bundle_format_version(void);

/* ---- element types (ONNX TensorProto.DataType numbers) ---------------- */

typedef enum hcc_dtype_t {
  HCC_DTYPE_FLOAT32 = 1,
  HCC_DTYPE_UINT8 = 2,
  HCC_DTYPE_INT8 = 3,
  HCC_DTYPE_UINT16 = 4,
  HCC_DTYPE_INT16 = 5,
  HCC_DTYPE_INT32 = 6,
  HCC_DTYPE_INT64 = 7,
  HCC_DTYPE_BOOL = 9, /* one byte, 0 or 1 */
  HCC_DTYPE_FLOAT16 = 10,
  HCC_DTYPE_FLOAT64 = 11,
  HCC_DTYPE_UINT32 = 12,
  HCC_DTYPE_UINT64 = 13,
  HCC_DTYPE_BFLOAT16 = 16,
  /* The narrow types take one byte per element in memory (not packed as in
   * ONNX files): the 8-bit floats hold their code; INT4 and INT2 hold the
   * value sign-extended, UINT4 and UINT2 zero-extended; FLOAT4E2M1 holds its
   * code in the low four bits. */
  HCC_DTYPE_FLOAT8E4M3FN = 17,
  HCC_DTYPE_FLOAT8E4M3FNUZ = 18,
  HCC_DTYPE_FLOAT8E5M2 = 19,
  HCC_DTYPE_FLOAT8E5M2FNUZ = 20,
  HCC_DTYPE_UINT4 = 21,
  HCC_DTYPE_INT4 = 22,
  HCC_DTYPE_FLOAT4E2M1 = 23,
  HCC_DTYPE_FLOAT8E8M0 = 24,
  HCC_DTYPE_UINT2 = 25,
  HCC_DTYPE_INT2 = 26,
} hcc_dtype_t;

/* Bytes per element, 0 for an unknown code. */
HCC_API size_t hcc_dtype_size(hcc_dtype_t dtype);
/* "float32", "int64", ...; "unknown" for an unknown code. */
HCC_API const char *hcc_dtype_name(hcc_dtype_t dtype);

/* ---- allocator hook ---------------------------------------------------- */

/* Used for the session's intermediate arena and for tensors the runtime
 * creates. alloc returns NULL on failure; alignment is a power of two. */
typedef struct hcc_allocator_t {
  void *ctx;
  void *(*alloc)(void *ctx, size_t size, size_t alignment);
  void (*free)(void *ctx, void *ptr);
} hcc_allocator_t;

/* ---- devices ------------------------------------------------------------ */

/* One device this machine has, from one of the runtime's drivers ("cpu",
 * "opencl", ...). Drivers load vendor libraries at run time: a machine
 * without them simply has no devices of that kind. */
typedef struct hcc_device_info_t {
  const char *driver; /* "cpu", "opencl" */
  const char *name;   /* e.g. "pthread-AMD EPYC 7B13" */
  const char *vendor;
  const char *version; /* driver / platform version text */
  uint32_t compute_units;
  uint64_t memory_bytes;
} hcc_device_info_t;

/* Number of devices present (the host cpu is always index 0). Enumerated
 * once per process. */
HCC_API hcc_status_t hcc_device_count(size_t *out);
/* Describes device `index`; the strings stay valid for the process. */
HCC_API hcc_status_t hcc_device_info(size_t index, hcc_device_info_t *out);

/* ---- models ------------------------------------------------------------- */

typedef struct hcc_model hcc_model_t;

/* Loads and fully validates a .hccb bundle (file is mmapped read-only). */
HCC_API hcc_status_t hcc_model_load_file(const char *path, hcc_model_t **out);
/* Same from memory; the bytes are copied, the caller keeps ownership. */
HCC_API hcc_status_t hcc_model_load_memory(const void *data, size_t size,
                                           hcc_model_t **out);
/* Drops the caller's reference; sessions keep their own. */
HCC_API void hcc_model_release(hcc_model_t *model);

HCC_API const char *hcc_model_name(const hcc_model_t *model);
/* The bundle's manifest (UTF-8 JSON, docs/Bundle.md: devices, buffers,
 * kernels with their devices, arguments and dependencies), validated; the
 * bytes stay valid while the model is alive and are not NUL-terminated. */
HCC_API hcc_status_t hcc_model_manifest(const hcc_model_t *model,
                                        const char **json, size_t *size);
HCC_API size_t hcc_model_input_count(const hcc_model_t *model);
HCC_API size_t hcc_model_output_count(const hcc_model_t *model);

/* Describes one graph input or output. All pointers stay valid while the
 * model is alive. dim_names[i] is "" for an unnamed dimension. */
typedef struct hcc_value_info_t {
  const char *name;
  hcc_dtype_t dtype;
  size_t rank;
  const int64_t *dims;
  const char *const *dim_names;
} hcc_value_info_t;

HCC_API hcc_status_t hcc_model_input_info(const hcc_model_t *model,
                                          size_t index, hcc_value_info_t *out);
HCC_API hcc_status_t hcc_model_output_info(const hcc_model_t *model,
                                           size_t index, hcc_value_info_t *out);

/* ---- tensors ------------------------------------------------------------ */

typedef struct hcc_tensor hcc_tensor_t;

/* The highest rank a tensor may have; a larger rank is rejected
 * (HCC_ERROR_INVALID_ARGUMENT) before dims is read. */
#define HCC_MAX_TENSOR_RANK 64

/* Allocates a zero-filled, 64-byte aligned tensor. allocator may be NULL
 * (malloc-based default). rank may be 0 (scalar); dims may contain 0. */
HCC_API hcc_status_t hcc_tensor_create(hcc_dtype_t dtype, const int64_t *dims,
                                       size_t rank,
                                       const hcc_allocator_t *allocator,
                                       hcc_tensor_t **out);
/* Wraps caller memory without taking ownership; size_bytes must equal
 * product(dims) * hcc_dtype_size(dtype). */
HCC_API hcc_status_t hcc_tensor_wrap(hcc_dtype_t dtype, const int64_t *dims,
                                     size_t rank, void *data, size_t size_bytes,
                                     hcc_tensor_t **out);
/* Releases a tensor (a device tensor frees its device memory). */
HCC_API void hcc_tensor_release(hcc_tensor_t *tensor);

HCC_API void *hcc_tensor_data(const hcc_tensor_t *tensor);
HCC_API size_t hcc_tensor_size_bytes(const hcc_tensor_t *tensor);
HCC_API hcc_dtype_t hcc_tensor_dtype(const hcc_tensor_t *tensor);
HCC_API size_t hcc_tensor_rank(const hcc_tensor_t *tensor);
HCC_API const int64_t *hcc_tensor_dims(const hcc_tensor_t *tensor);

/* ---- sessions ----------------------------------------------------------- */

typedef struct hcc_session_options hcc_session_options_t;
typedef struct hcc_session hcc_session_t;

HCC_API hcc_status_t hcc_session_options_create(hcc_session_options_t **out);
HCC_API void hcc_session_options_release(hcc_session_options_t *options);
/* Threads the session's kernels run on; 0 (default) = hardware threads.
 * One of them is the caller's: the session starts threads - 1 workers, and
 * hcc_session_run runs kernels on the calling thread too (for
 * hcc_session_run_async, a worker of a process-wide pool does). */
HCC_API hcc_status_t
hcc_session_options_set_threads(hcc_session_options_t *options, int threads);
/* Record every kernel and write a Chrome trace to path when the session is
 * released. The HCC_TRACE environment variable does the same for every
 * session that sets no path. hcc_session_create fails (HCC_ERROR_IO) when
 * the path cannot be written: not a regular file or a new path in a
 * writable directory. */
HCC_API hcc_status_t hcc_session_options_set_trace_path(
    hcc_session_options_t *options, const char *path);
/* The allocator is copied; its ctx must outlive the session. */
HCC_API hcc_status_t hcc_session_options_set_allocator(
    hcc_session_options_t *options, const hcc_allocator_t *allocator);

/* Runs the model's kernels of device kind `driver` ("opencl") on the first
 * such device whose name contains `name_contains` (default: the driver's
 * first device). Session creation fails, listing the devices present, when
 * none matches. */
HCC_API hcc_status_t
hcc_session_options_set_device(hcc_session_options_t *options,
                               const char *driver, const char *name_contains);

/* options may be NULL. The session keeps the model alive. A session does
 * not survive fork(): in the child its runs fail (HCC_ERROR_UNSUPPORTED)
 * and hcc_session_release leaks it; create sessions in the child. */
HCC_API hcc_status_t hcc_session_create(hcc_model_t *model,
                                        const hcc_session_options_t *options,
                                        hcc_session_t **out);
/* Waits for an in-flight run (and for calls of hcc_session_run or
 * hcc_session_run_async on other threads that have entered the runtime),
 * writes the trace if one was requested. Calling the session after this
 * returns is undefined. */
HCC_API void hcc_session_release(hcc_session_t *session);

/* Device tensors: memory of one of the session's devices other than the
 * host (e.g. "opencl"). Passed as an input whose first use is on that
 * device, or as an output the model computes there, it saves the copy
 * through host memory; any other use is rejected at hcc_session_run.
 * hcc_tensor_data() is NULL for them: move bytes with hcc_tensor_write and
 * hcc_tensor_read. A device tensor keeps its device alive and may outlive
 * the session; its contents after a failed run are unspecified. */
HCC_API hcc_status_t hcc_session_create_device_tensor(
    hcc_session_t *session, const char *device_kind, hcc_dtype_t dtype,
    const int64_t *dims, size_t rank, hcc_tensor_t **out);
/* Copies size_bytes (the tensor's whole size) from host memory into any
 * tensor / out of it, blocking until done. */
HCC_API hcc_status_t hcc_tensor_write(hcc_tensor_t *tensor, const void *src,
                                      size_t size_bytes);
HCC_API hcc_status_t hcc_tensor_read(const hcc_tensor_t *tensor, void *dst,
                                     size_t size_bytes);
/* "cpu" for host memory, else the device kind that holds the tensor. */
HCC_API const char *hcc_tensor_device(const hcc_tensor_t *tensor);

/* Runs the model synchronously. inputs are in graph-input order and are
 * checked against the model (count, dtype, shape). Inputs and outputs are
 * host memory; the runtime copies to and from devices as the bundle's
 * transfers say. A run that fails on a device (launch, copy, device lost)
 * returns the error naming the kernel and device and leaves every output
 * zero-filled, never half-written. For each output slot:
 * NULL -> the runtime creates the tensor (caller releases it); non-NULL ->
 * must match the output's dtype and shape and is written in place; its
 * memory must not overlap an input's or another output's
 * (HCC_ERROR_INVALID_ARGUMENT). Runs on one session are serialized; use
 * several sessions for concurrency. */
HCC_API hcc_status_t hcc_session_run(hcc_session_t *session,
                                     hcc_tensor_t *const *inputs, size_t n_in,
                                     hcc_tensor_t **outputs, size_t n_out);

/* Asynchronous run: validates and fills NULL output slots before returning,
 * then computes in the background. Inputs and outputs must stay alive until
 * hcc_fence_wait returns. A session runs one run at a time: while an
 * earlier run is in flight this call waits for it to finish first. */
typedef struct hcc_fence hcc_fence_t;
HCC_API hcc_status_t hcc_session_run_async(hcc_session_t *session,
                                           hcc_tensor_t *const *inputs,
                                           size_t n_in, hcc_tensor_t **outputs,
                                           size_t n_out, hcc_fence_t **fence);
/* Blocks until the run finished; returns the run's status. */
HCC_API hcc_status_t hcc_fence_wait(hcc_fence_t *fence);
/* 1 if finished, 0 otherwise. */
HCC_API int hcc_fence_is_done(const hcc_fence_t *fence);
/* Waits for the run if it is still in flight, then frees the fence. */
HCC_API void hcc_fence_release(hcc_fence_t *fence);

/* ---- introspection ------------------------------------------------------ */

typedef struct hcc_memory_stats_t {
  uint64_t arena_bytes;        /* planned arena for all intermediates */
  uint64_t live_peak_bytes;    /* largest set of simultaneously live ones */
  uint64_t intermediate_bytes; /* sum of all intermediates (no reuse) */
  uint64_t weights_bytes;      /* mapped weights blob */
} hcc_memory_stats_t;

HCC_API hcc_status_t hcc_session_memory_stats(const hcc_session_t *session,
                                              hcc_memory_stats_t *out);

/* One kernel (or transfer) a run executed, as the trace records it. */
typedef struct hcc_kernel_event_t {
  const char *name;    /* the kernel's (or transfer's) name */
  const char *device;  /* device kind that ran it ("cpu", "opencl") */
  size_t device_index; /* the bundle's device slot (0: the host) */
  int is_transfer;     /* 1 for a copy between devices */
  uint64_t run;        /* the session's run it belongs to, from 0 */
  int64_t start_ns;    /* since the session was created */
  int64_t duration_ns;
  int thread;         /* worker of the device's queue; -1: the device's */
  double modelled_ns; /* a model's time for it (the fpga driver); -1: none */
} hcc_kernel_event_t;

/* Copies the kernel events from index `first` on (oldest first; at most 1M
 * are kept) into events[0 .. capacity) and sets *count to how many it
 * wrote; with capacity 0 (events may be NULL), sets *count to how many
 * there are from `first` on. The strings stay valid while the session
 * lives. */
HCC_API hcc_status_t hcc_session_kernel_events(const hcc_session_t *session,
                                               size_t first,
                                               hcc_kernel_event_t *events,
                                               size_t capacity, size_t *count);

/* Writes every kernel executed so far as Chrome trace JSON (atomically).
 * Works whether or not tracing was requested: per-kernel timing is always
 * recorded (up to 1M events). */
HCC_API hcc_status_t hcc_session_write_trace(hcc_session_t *session,
                                             const char *path);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* HCC_RUNTIME_H */
