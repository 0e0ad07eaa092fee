/* Binary layout of an hcc bundle (.hccb), shared by the writer and the
 * runtime's reader. Documented in docs/Bundle.md. All fields little-endian. */
#ifndef HCC_RUNTIME_BUNDLE_FORMAT_H
#define HCC_RUNTIME_BUNDLE_FORMAT_H

#include <stdint.h>

#define HCC_BUNDLE_MAGIC "HCCBNDL" /* plus its NUL: 8 bytes */
#define HCC_BUNDLE_MAGIC_SIZE 8
#define HCC_BUNDLE_FORMAT_VERSION 1u
#define HCC_BUNDLE_HEADER_SIZE 64u
#define HCC_BUNDLE_SECTION_ENTRY_SIZE 64u
#define HCC_BUNDLE_SECTION_NAME_SIZE 32u
/* WEIGHTS start on a page so the blob can be mapped straight into memory. */
#define HCC_BUNDLE_WEIGHTS_ALIGNMENT 4096u
/* Every weight inside the blob starts on a cache line. */
#define HCC_BUNDLE_WEIGHT_ALIGNMENT 64u

/* Header field offsets; bytes 28..63 are reserved and must be zero. */
#define HCC_BUNDLE_OFF_VERSION 8u
#define HCC_BUNDLE_OFF_SECTION_COUNT 12u
#define HCC_BUNDLE_OFF_FILE_SIZE 16u
#define HCC_BUNDLE_OFF_HEADER_CRC 24u

/* Section entry field offsets (relative to the entry). */
#define HCC_BUNDLE_SEC_OFF_KIND 0u
#define HCC_BUNDLE_SEC_OFF_FLAGS 4u
#define HCC_BUNDLE_SEC_OFF_OFFSET 8u
#define HCC_BUNDLE_SEC_OFF_SIZE 16u
#define HCC_BUNDLE_SEC_OFF_CRC 24u
#define HCC_BUNDLE_SEC_OFF_RESERVED 28u
#define HCC_BUNDLE_SEC_OFF_NAME 32u

typedef enum hcc_bundle_section_kind_t {
  HCC_BUNDLE_SECTION_MANIFEST = 1, /* UTF-8 JSON */
  HCC_BUNDLE_SECTION_CODE = 2,     /* name = target, e.g. "cpu" (ELF .so) */
  HCC_BUNDLE_SECTION_WEIGHTS = 3,  /* one blob of 64-byte aligned weights */
} hcc_bundle_section_kind_t;

#endif /* HCC_RUNTIME_BUNDLE_FORMAT_H */
