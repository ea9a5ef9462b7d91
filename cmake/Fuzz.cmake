# libFuzzer builds (EDGEC_FUZZ, clang only): every library is compiled with
# coverage instrumentation for the fuzzer plus ASan and UBSan, and
# test/fuzz/ adds one harness executable per file (scripts/fuzz.sh builds
# and runs them; docs/testing.md, "Fuzzing").
option(EDGEC_FUZZ "Build the libFuzzer harnesses of test/fuzz (clang only)" OFF)
if(EDGEC_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "EDGEC_FUZZ needs clang (libFuzzer): configure with "
                        "-DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang")
  endif()
  if(EDGEC_SANITIZE)
    message(FATAL_ERROR "EDGEC_FUZZ already builds with ASan and UBSan; leave EDGEC_SANITIZE off")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
