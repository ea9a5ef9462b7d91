# Project-wide warning flags, applied through edgec_set_warnings(target).
function(edgec_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-unused-parameter)
  # GCC 12 reports false positives through std::variant/std::optional.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(${target} PRIVATE -Wno-maybe-uninitialized)
  endif()
  if(EDGEC_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
