# Project-wide warning flags, applied through edgec_set_warnings(target).
function(edgec_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-unused-parameter)
  if(EDGEC_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
