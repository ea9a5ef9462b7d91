# The board support of edgec's runtime for CMake projects. The CPU flags,
# QEMU machines and defines are read from runtime/platform/edgec_board.mk,
# the one place that defines them (packages' Makefiles include it).
#
#   edgec_board_value(<out> <make variable>)   e.g. EC_FLAGS_cortex-m4 (NAME := or ?= VALUE)
#   edgec_target_platform(<executable> CPU <host|cortex-mN> [MACHINE <qemu machine>])
#
# EDGEC_RUNTIME_DIR must be set (edgecConfig.cmake, or the toolchain file).
include_guard(GLOBAL)

function(edgec_board_value out name)
  file(STRINGS "${EDGEC_RUNTIME_DIR}/platform/edgec_board.mk" lines
       REGEX "^${name}[ \t]*[:?]=")
  list(LENGTH lines n)
  if(NOT n EQUAL 1)
    set(${out} "" PARENT_SCOPE)
    return()
  endif()
  string(REGEX REPLACE "^${name}[ \t]*[:?]=[ \t]*" "" value "${lines}")
  string(STRIP "${value}" value)
  set(${out} "${value}" PARENT_SCOPE)
endfunction()

# Adds the platform layer the generated harness uses (ec_platform.h: the
# counter, exit, stack peak) to an executable: ec_platform_host.c on the
# host; for a Cortex-M CPU the startup code, the board's linker script and
# semihosting (newlib's rdimon), as `make CPU=...` links a package. The
# compiler flags of the CPU come from the toolchain file.
function(edgec_target_platform exe)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "CPU;MACHINE" "")
  if(arg_UNPARSED_ARGUMENTS OR NOT arg_CPU)
    message(FATAL_ERROR "edgec_target_platform(${exe} CPU <cpu> [MACHINE <machine>])")
  endif()
  set(dir "${EDGEC_RUNTIME_DIR}/platform")
  target_include_directories(${exe} PRIVATE "${dir}")
  if(arg_CPU STREQUAL "host")
    target_sources(${exe} PRIVATE "${dir}/ec_platform_host.c")
    return()
  endif()
  edgec_board_value(flags "EC_FLAGS_${arg_CPU}")
  edgec_board_value(cpu_define "EC_CDEF_${arg_CPU}")
  if(NOT flags OR NOT cpu_define)
    message(FATAL_ERROR "edgec_target_platform: unknown CPU '${arg_CPU}'")
  endif()
  set(machine "${arg_MACHINE}")
  if(NOT machine)
    edgec_board_value(machine "EC_MACHINE_${arg_CPU}")
  endif()
  edgec_board_value(machine_define "EC_MDEF_${machine}")
  if(NOT machine_define)
    message(FATAL_ERROR "edgec_target_platform: unknown machine '${machine}'")
  endif()
  set(script "${dir}/cortexm/${machine}.ld")
  target_sources(${exe} PRIVATE "${dir}/ec_platform_cortexm.c" "${dir}/startup_cortexm.c")
  target_compile_definitions(${exe} PRIVATE ${machine_define} ${cpu_define})
  target_compile_options(${exe} PRIVATE --specs=rdimon.specs)
  target_link_options(${exe} PRIVATE --specs=rdimon.specs -nostartfiles "-L${dir}/cortexm"
                      "-T${script}" -Wl,--gc-sections)
  set_property(TARGET ${exe} APPEND PROPERTY LINK_DEPENDS "${script}"
               "${dir}/cortexm/ec_cortexm_sections.ld")
  set_target_properties(${exe} PROPERTIES SUFFIX ".elf" EDGEC_QEMU_MACHINE "${machine}")
endfunction()
