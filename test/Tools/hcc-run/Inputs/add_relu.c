/* y = relu(x + w) on float32[4], split in two kernels (CPU kernel ABI). */
void add_f32(void *const *args) {
  const float *a = args[0], *b = args[1];
  float *o = args[2];
  for (int i = 0; i < 4; ++i)
    o[i] = a[i] + b[i];
}
void relu_f32(void *const *args) {
  const float *a = args[0];
  float *o = args[1];
  for (int i = 0; i < 4; ++i)
    o[i] = a[i] > 0 ? a[i] : 0;
}
