/* ec_platform_host.c - hosted implementation of ec_platform.h (POSIX). */
#if !defined(_POSIX_C_SOURCE) || _POSIX_C_SOURCE < 199309L
#undef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 199309L
#endif

#include "ec_platform.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

void ec_platform_init(void) {}

uint64_t ec_platform_counter(void) {
  struct timespec ts;
  if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
    return 0;
  return (uint64_t)ts.tv_sec * UINT64_C(1000000000) + (uint64_t)ts.tv_nsec;
}

const char *ec_platform_counter_unit(void) { return "ns"; }

uint32_t ec_platform_counter_resolution(void) { return 1; }

const char *ec_platform_name(void) { return "host"; }

void ec_platform_exit(int code) {
  fflush(NULL);
  exit(code);
}

size_t ec_platform_stack_peak(void) { return 0; }

size_t ec_platform_stack_size(void) { return 0; }
