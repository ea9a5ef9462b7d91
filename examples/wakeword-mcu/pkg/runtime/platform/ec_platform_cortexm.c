/*
 * ec_platform_cortexm.c - Cortex-M implementation of ec_platform.h for
 * QEMU's mps2/mps3 machines (see cortexm/MACHINE.ld and docs/platform.md).
 *
 * Counter: SysTick on the processor clock, reload EC_SYSTICK_RELOAD, with a
 * wrap interrupt extending it to 64 bits. Under -icount shift=0 virtual time
 * advances 1 ns per executed instruction, so ticks * (1e9 / clock) =
 * instructions. The wrap interrupt itself executes a few instructions once
 * every 2^24 ticks (about 671 M instructions at 25 MHz).
 */
#include "ec_cortexm.h"
#include "ec_platform.h"

#include <stdio.h>
#include <stdlib.h>

static volatile uint32_t ec_systick_wraps;
static int ec_counter_started;

void ec_platform_systick_isr(void);
void ec_platform_systick_isr(void) { ec_systick_wraps++; }

void ec_platform_init(void) {
#if defined(__ARM_FP) || defined(__ARM_FEATURE_MVE)
  EC_SCB_CPACR |= EC_CPACR_CP10_CP11;
  __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
  if (!ec_counter_started) {
    EC_SYST_CSR = 0;
    EC_SYST_RVR = EC_SYSTICK_RELOAD;
    EC_SYST_CVR = 0; /* any write clears; reloads on the next tick */
    ec_systick_wraps = 0;
    EC_SYST_CSR =
        EC_SYST_CSR_CLKSOURCE | EC_SYST_CSR_TICKINT | EC_SYST_CSR_ENABLE;
    ec_counter_started = 1;
  }
}

/* SysTick counts RELOAD, ..., 1, 0, RELOAD, ...; the exception (and so the
 * wrap count) happens on the 1 -> 0 transition (QEMU and silicon alike), so
 * a period starts at v == 0: ticks = wraps * (RELOAD + 1) + (v ? RELOAD + 1 - v
 * : 0). ec_platform_init's write leaves v == 0 until the first tick. */
uint64_t ec_platform_counter(void) {
  uint32_t w1, w2, v, pend, u;
  uint64_t ticks;
  do {
    w1 = ec_systick_wraps;
    v = EC_SYST_CVR;
    pend = EC_SCB_ICSR & EC_SCB_ICSR_PENDSTSET;
    w2 = ec_systick_wraps;
  } while (w1 != w2);
  u = v == 0u ? 0u : EC_SYSTICK_RELOAD + 1u - v;
  /* A wrap whose interrupt has not run yet (interrupts masked by the
   * caller): count it when v was read after the 1 -> 0 transition. */
  if (pend != 0u && u < (EC_SYSTICK_RELOAD + 1u) / 2u)
    w1++;
  ticks = (uint64_t)w1 * ((uint64_t)EC_SYSTICK_RELOAD + 1u) + u;
  return ticks * EC_TICK_NUM / EC_TICK_DEN;
}

const char *ec_platform_counter_unit(void) { return "instructions"; }

uint32_t ec_platform_counter_resolution(void) {
  return (EC_TICK_NUM + EC_TICK_DEN - 1u) / EC_TICK_DEN;
}

const char *ec_platform_name(void) { return EC_MACHINE_NAME "/" EC_CPU_NAME; }

void ec_platform_exit(int code) {
  fflush(NULL);
  exit(code); /* newlib cleanup, then _exit -> SYS_EXIT_EXTENDED */
}

size_t ec_platform_stack_size(void) {
  return (size_t)((uintptr_t)__ec_stack_top - (uintptr_t)__ec_stack_limit);
}

size_t ec_platform_stack_peak(void) {
  const volatile uint32_t *p = __ec_stack_limit;
  while ((uintptr_t)p < (uintptr_t)__ec_stack_top && *p == EC_STACK_PAINT)
    p++;
  return (size_t)((uintptr_t)__ec_stack_top - (uintptr_t)p);
}
