/*
 * ec_platform.h - the platform layer used by edgec's generated test harness.
 *
 * One API, two implementations:
 *   ec_platform_host.c     hosted C99 + POSIX clock_gettime (gcc, clang)
 *   ec_platform_cortexm.c  bare-metal Cortex-M under QEMU (newlib + semihosting),
 *                          together with startup_cortexm.c and cortexm/<machine>.ld
 *
 * The counter: on the host, nanoseconds of CLOCK_MONOTONIC; on Cortex-M run
 * under `qemu-system-arm -icount shift=0`, executed instructions (SysTick
 * ticks converted with the machine's exact instructions-per-tick factor).
 * See docs/platform.md.
 */
#ifndef EC_PLATFORM_H
#define EC_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define EC_PLATFORM_NORETURN __attribute__((noreturn))
#else
#define EC_PLATFORM_NORETURN
#endif

/* Exit status used when a Cortex-M fault handler fires (hard fault, bus
 * fault, stack-limit overflow, unexpected interrupt...). */
#define EC_PLATFORM_FAULT_EXIT_CODE 134

/* Call first in main(). Cortex-M: enables the FPU/MVE (CPACR CP10/CP11) when
 * the build has one and starts the counter. Host: nothing. Idempotent. */
void ec_platform_init(void);

/* Monotonic counter; see ec_platform_counter_unit(). Take differences. */
uint64_t ec_platform_counter(void);

/* "ns" (host) or "instructions" (Cortex-M under QEMU -icount shift=0). */
const char *ec_platform_counter_unit(void);

/* A single difference of two counter values is within +/- this many units of
 * the true value (Cortex-M: one timer tick, e.g. 40 instructions on
 * mps2-an386; host: 1). */
uint32_t ec_platform_counter_resolution(void);

/* e.g. "host", "mps2-an386/cortex-m4". */
const char *ec_platform_name(void);

/* Flushes stdio and terminates with `code` (Cortex-M: semihosting
 * SYS_EXIT_EXTENDED, so qemu-system-arm exits with that status). */
EC_PLATFORM_NORETURN void ec_platform_exit(int code);

/* Peak stack use in bytes since reset (Cortex-M: the stack is painted at
 * reset and scanned here), or 0 where unknown (host). */
size_t ec_platform_stack_peak(void);

/* Size of the stack region in bytes (Cortex-M: from the linker script), or 0
 * where unknown (host). */
size_t ec_platform_stack_size(void);

#ifdef __cplusplus
}
#endif

#endif /* EC_PLATFORM_H */
