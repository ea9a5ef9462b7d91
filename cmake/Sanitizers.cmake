# ASan + UBSan for the whole build when EDGEC_SANITIZE is on.
if(EDGEC_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
