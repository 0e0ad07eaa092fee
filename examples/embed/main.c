/* Embeds the hcc runtime: loads a bundle, binds inputs, runs, prints the
 * outputs. Float inputs are filled with 0, 1, 2, ... (other types with 0).
 * usage: hcc-embed MODEL.hccb */
#include <hcc/runtime.h>

#include <stdio.h>
#include <stdlib.h>

static int fail(const char *what) {
  fprintf(stderr, "hcc-embed: %s: %s\n", what, hcc_runtime_last_error());
  return 1;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: hcc-embed MODEL.hccb\n");
    return 1;
  }
  hcc_model_t *model = NULL;
  if (hcc_model_load_file(argv[1], &model) != HCC_OK)
    return fail("load");
  size_t n_in = hcc_model_input_count(model);
  size_t n_out = hcc_model_output_count(model);
  hcc_tensor_t **inputs = calloc(n_in + 1, sizeof(*inputs));
  hcc_tensor_t **outputs = calloc(n_out + 1, sizeof(*outputs));
  int rc = 0;
  for (size_t i = 0; i < n_in && rc == 0; ++i) {
    hcc_value_info_t info;
    hcc_model_input_info(model, i, &info);
    if (hcc_tensor_create(info.dtype, info.dims, info.rank, NULL, &inputs[i]) !=
        HCC_OK) {
      rc = fail(info.name);
      break;
    }
    if (info.dtype == HCC_DTYPE_FLOAT32) {
      float *x = hcc_tensor_data(inputs[i]);
      size_t n = hcc_tensor_size_bytes(inputs[i]) / sizeof(float);
      for (size_t k = 0; k < n; ++k)
        x[k] = (float)k;
    }
  }
  hcc_session_t *session = NULL;
  if (rc == 0 && hcc_session_create(model, NULL, &session) != HCC_OK)
    rc = fail("session");
  if (rc == 0 &&
      hcc_session_run(session, inputs, n_in, outputs, n_out) != HCC_OK)
    rc = fail("run");
  for (size_t i = 0; i < n_out && rc == 0; ++i) {
    hcc_value_info_t info;
    hcc_model_output_info(model, i, &info);
    printf("%s: %s[", info.name, hcc_dtype_name(info.dtype));
    for (size_t d = 0; d < info.rank; ++d)
      printf("%s%lld", d ? "," : "", (long long)info.dims[d]);
    printf("] =");
    if (info.dtype == HCC_DTYPE_FLOAT32) {
      const float *y = hcc_tensor_data(outputs[i]);
      size_t n = hcc_tensor_size_bytes(outputs[i]) / sizeof(float);
      for (size_t k = 0; k < n && k < 16; ++k)
        printf(" %g", y[k]);
    }
    printf("\n");
  }
  for (size_t i = 0; i < n_in; ++i)
    hcc_tensor_release(inputs[i]);
  for (size_t i = 0; i < n_out; ++i)
    hcc_tensor_release(outputs[i]);
  free(inputs);
  free(outputs);
  hcc_session_release(session);
  hcc_model_release(model);
  return rc;
}
