# edgec_add_model(<lib> MODEL <file> [TARGET mcu|skeleton] [CPU <cpu>] [NAME <c name>]
#                 [QUANTIZE (CALIB <dir> | CALIB_RANDOM <n>) [ACTIVATIONS int8|int16]]
#                 [INPUT_SHAPE <name=d0,d1,...>...] [OPTIONS <name=value>...])
#
# Runs `edgec compile` at build time into ${CMAKE_CURRENT_BINARY_DIR}/edgec/<lib>/
# and makes <lib> a static library of the generated <NAME>.c, with that
# directory as a PUBLIC include directory (#include "<NAME>.h"). The
# compile report JSON is <lib>_REPORT (set in the caller's scope) and the
# target property EDGEC_REPORT; the package directory is EDGEC_PACKAGE_DIR.
#
# The compile re-runs when the model, a file of the calibration directory,
# the edgec executable or the arguments change (the arguments are kept in
# a stamp file that is rewritten only when they differ, so Makefiles notice
# too). Each model has its own output directory: models build in parallel.
#
# The kernels: which runtime files a package holds depends on the model
# (and, with QUANTIZE, on the calibration), so it is not known when CMake
# configures. <lib> therefore compiles only <NAME>.c and links
# edgec::runtime, one static library of every kernel of the installed
# runtime (the bytes edgec embeds and copies into packages), built once per
# project: the linker takes only the kernels a model calls, and models
# share them (two packages' copies of a kernel would define its symbols
# twice). docs/cmake.md.
include_guard(GLOBAL)

function(_edgec_runtime_library)
  if(TARGET edgec_runtime)
    return()
  endif()
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS "${EDGEC_RUNTIME_DIR}/kernels/*.c")
  add_library(edgec_runtime STATIC ${sources})
  target_include_directories(edgec_runtime PUBLIC "${EDGEC_RUNTIME_DIR}/include"
                                                  "${EDGEC_RUNTIME_DIR}")
  set_target_properties(edgec_runtime PROPERTIES C_STANDARD 99 C_STANDARD_REQUIRED ON
                                                 C_EXTENSIONS OFF)
  if(NOT WIN32)
    target_link_libraries(edgec_runtime PUBLIC m) # float kernels call math.h
  endif()
  # The kernels always build optimized, as packages do (EC_OPT): the DSP
  # kernels' inline assembly has no registers to run in at -O0. A build
  # type's own optimization flags (Release, MinSizeRel, ...) are kept.
  edgec_board_value(opt EC_OPT)
  target_compile_options(edgec_runtime PRIVATE
    "$<$<AND:$<C_COMPILER_ID:GNU,Clang>,$<OR:$<CONFIG:Debug>,$<STREQUAL:$<CONFIG>,>>>:${opt}>")
  add_library(edgec::runtime ALIAS edgec_runtime)
endfunction()

function(edgec_add_model lib)
  cmake_parse_arguments(PARSE_ARGV 1 arg "QUANTIZE"
    "MODEL;TARGET;CPU;NAME;CALIB;CALIB_RANDOM;ACTIVATIONS" "INPUT_SHAPE;OPTIONS")
  set(usage "edgec_add_model(${lib} MODEL <file> ...)")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "${usage}: unexpected arguments '${arg_UNPARSED_ARGUMENTS}'")
  endif()
  if(NOT arg_MODEL)
    message(FATAL_ERROR "${usage}: MODEL is required")
  endif()
  if(NOT arg_TARGET)
    set(arg_TARGET mcu)
  endif()
  if(NOT arg_TARGET MATCHES "^(mcu|skeleton)$")
    message(FATAL_ERROR "${usage}: TARGET must be a C package target (mcu, skeleton), "
                        "not '${arg_TARGET}'")
  endif()
  set(name "${arg_NAME}")
  if(NOT name)
    set(name "${lib}")
  endif()
  if(NOT name MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
    message(FATAL_ERROR "${usage}: NAME '${name}' is not a C identifier (set NAME)")
  endif()
  if(arg_QUANTIZE AND (DEFINED arg_CALIB AND DEFINED arg_CALIB_RANDOM OR
                       NOT DEFINED arg_CALIB AND NOT DEFINED arg_CALIB_RANDOM))
    message(FATAL_ERROR "${usage}: QUANTIZE needs one of CALIB <dir> or CALIB_RANDOM <n>")
  endif()
  if(NOT arg_QUANTIZE AND (DEFINED arg_CALIB OR DEFINED arg_CALIB_RANDOM OR DEFINED arg_ACTIVATIONS))
    message(FATAL_ERROR "${usage}: CALIB, CALIB_RANDOM and ACTIVATIONS need QUANTIZE")
  endif()

  get_filename_component(model "${arg_MODEL}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT EXISTS "${model}")
    message(FATAL_ERROR "${usage}: model '${model}' not found")
  endif()
  set(base "${CMAKE_CURRENT_BINARY_DIR}/edgec")
  set(dir "${base}/${lib}")
  set(report "${base}/${lib}.report.json")
  set(stamp "${base}/${lib}.arguments")

  set(args compile "${model}" --target "${arg_TARGET}" --name "${name}" -o "${dir}"
      --report "${report}" -q)
  if(arg_CPU)
    list(APPEND args --cpu "${arg_CPU}")
  endif()
  set(calib_files)
  if(arg_QUANTIZE)
    list(APPEND args --quantize)
    if(DEFINED arg_CALIB)
      get_filename_component(calib "${arg_CALIB}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
      if(NOT IS_DIRECTORY "${calib}")
        message(FATAL_ERROR "${usage}: CALIB '${calib}' is not a directory")
      endif()
      # A file added to or removed from the folder re-runs CMake; its list
      # is in the stamp, so the compile re-runs then too.
      file(GLOB_RECURSE calib_files CONFIGURE_DEPENDS "${calib}/*")
      list(SORT calib_files)
      list(APPEND args --calib "${calib}")
    else()
      list(APPEND args --calib-random "${arg_CALIB_RANDOM}")
    endif()
    if(DEFINED arg_ACTIVATIONS)
      list(APPEND args --activations "${arg_ACTIVATIONS}")
    endif()
  endif()
  foreach(s IN LISTS arg_INPUT_SHAPE)
    list(APPEND args --input-shape "${s}")
  endforeach()
  foreach(o IN LISTS arg_OPTIONS)
    list(APPEND args --option "${o}")
  endforeach()

  get_target_property(edgec_exe edgec::edgec LOCATION)
  string(REPLACE ";" "\n" stamp_text "${edgec_exe};${args};calibration files:;${calib_files}")
  file(WRITE "${stamp}.new" "${stamp_text}\n")
  file(COPY_FILE "${stamp}.new" "${stamp}" ONLY_IF_DIFFERENT)
  file(REMOVE "${stamp}.new")

  string(STRIP "${arg_TARGET} ${arg_CPU}" what)
  add_custom_command(
    OUTPUT "${dir}/${name}.c" "${dir}/${name}.h" "${report}"
    COMMAND "${CMAKE_COMMAND}" -E rm -rf "${dir}"
    COMMAND edgec::edgec ${args}
    DEPENDS "${model}" ${calib_files} "${edgec_exe}" "${stamp}"
    COMMENT "edgec: compiling model ${lib} (${what}) from ${arg_MODEL}"
    VERBATIM)

  _edgec_runtime_library()
  add_library(${lib} STATIC "${dir}/${name}.c" "${dir}/${name}.h")
  target_include_directories(${lib} PUBLIC "${dir}")
  target_link_libraries(${lib} PUBLIC edgec::runtime)
  set_target_properties(${lib} PROPERTIES C_STANDARD 99 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF
                        EDGEC_REPORT "${report}" EDGEC_PACKAGE_DIR "${dir}")
  set(${lib}_REPORT "${report}" PARENT_SCOPE)
endfunction()
