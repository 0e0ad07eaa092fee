# hcc_add_fuzzer(NAME SOURCES...): a libFuzzer target in <build>/fuzz.
# Everything it links is already built with -fsanitize=fuzzer-no-link and
# ASan+UBSan (HCC_ENABLE_FUZZING in the top-level CMakeLists.txt).
function(hcc_add_fuzzer name)
  add_executable(${name} ${ARGN})
  target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  set_target_properties(${name} PROPERTIES
    CXX_STANDARD 17 CXX_STANDARD_REQUIRED ON
    RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/fuzz)
  set_property(GLOBAL APPEND PROPERTY HCC_FUZZERS ${name})
endfunction()
