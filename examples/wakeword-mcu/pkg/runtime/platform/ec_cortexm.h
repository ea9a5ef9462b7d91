/* ec_cortexm.h - internal to the Cortex-M platform layer: architectural
 * register addresses (ARMv6-M/ARMv7-M/ARMv8-M System Control Space),
 * semihosting, machine constants. Not part of the public API. */
#ifndef EC_CORTEXM_H
#define EC_CORTEXM_H

#include <stdint.h>

#define EC_REG32(addr) (*(volatile uint32_t *)(uintptr_t)(addr))

/* System Control Space */
#define EC_SYST_CSR EC_REG32(0xE000E010u)  /* SysTick control and status */
#define EC_SYST_RVR EC_REG32(0xE000E014u)  /* SysTick reload value */
#define EC_SYST_CVR EC_REG32(0xE000E018u)  /* SysTick current value */
#define EC_SCB_ICSR EC_REG32(0xE000ED04u)  /* interrupt control and state */
#define EC_SCB_CCR EC_REG32(0xE000ED14u)   /* configuration and control */
#define EC_SCB_SHCSR EC_REG32(0xE000ED24u) /* system handler control/state */
#define EC_SCB_CFSR EC_REG32(0xE000ED28u)  /* configurable fault status (v7-M+) */
#define EC_SCB_HFSR EC_REG32(0xE000ED2Cu)  /* hard fault status (v7-M+) */
#define EC_SCB_MMFAR EC_REG32(0xE000ED34u) /* memmanage fault address */
#define EC_SCB_BFAR EC_REG32(0xE000ED38u)  /* bus fault address */
#define EC_SCB_CPACR EC_REG32(0xE000ED88u) /* coprocessor access control */

#define EC_SYST_CSR_ENABLE (1u << 0)
#define EC_SYST_CSR_TICKINT (1u << 1)
#define EC_SYST_CSR_CLKSOURCE (1u << 2) /* 1 = processor clock */
#define EC_SCB_ICSR_PENDSTSET (1u << 26)
#define EC_CPACR_CP10_CP11 (0xFu << 20)

/* SysTick reload: 24-bit down counter. Tests may lower it to exercise the
 * 64-bit extension across many wraps. */
#ifndef EC_SYSTICK_RELOAD
#define EC_SYSTICK_RELOAD 0x00FFFFFFu
#endif

/* Under -icount shift=0 one executed instruction = 1 ns of virtual time, so
 * instructions per SysTick tick = 1e9 / (SysTick processor clock in Hz),
 * expressed as EC_TICK_NUM / EC_TICK_DEN. Clocks from QEMU 7.2's board
 * models (hw/arm/mps2.c SYSCLK 25 MHz; hw/arm/mps2-tz.c sysclk_frq). */
#if defined(EC_MACH_MPS2_AN385)
#define EC_MACHINE_NAME "mps2-an385"
#define EC_TICK_NUM 40u /* 25 MHz */
#define EC_TICK_DEN 1u
#elif defined(EC_MACH_MPS2_AN386)
#define EC_MACHINE_NAME "mps2-an386"
#define EC_TICK_NUM 40u /* 25 MHz */
#define EC_TICK_DEN 1u
#elif defined(EC_MACH_MPS2_AN500)
#define EC_MACHINE_NAME "mps2-an500"
#define EC_TICK_NUM 40u /* 25 MHz */
#define EC_TICK_DEN 1u
#elif defined(EC_MACH_MPS2_AN505)
#define EC_MACHINE_NAME "mps2-an505"
#define EC_TICK_NUM 50u /* 20 MHz */
#define EC_TICK_DEN 1u
#elif defined(EC_MACH_MPS3_AN547)
#define EC_MACHINE_NAME "mps3-an547"
#define EC_TICK_NUM 125u /* 32 MHz: 31.25 instructions per tick */
#define EC_TICK_DEN 4u
#elif defined(EC_MACH_MICROBIT)
#define EC_MACHINE_NAME "microbit"
#define EC_TICK_NUM 125u /* 16 MHz: 62.5 instructions per tick */
#define EC_TICK_DEN 2u
#else
#error "define one EC_MACH_* (see runtime/platform/edgec_board.mk)"
#endif

#if defined(EC_CPU_CORTEX_M0)
#define EC_CPU_NAME "cortex-m0"
#elif defined(EC_CPU_CORTEX_M3)
#define EC_CPU_NAME "cortex-m3"
#elif defined(EC_CPU_CORTEX_M4)
#define EC_CPU_NAME "cortex-m4"
#elif defined(EC_CPU_CORTEX_M7)
#define EC_CPU_NAME "cortex-m7"
#elif defined(EC_CPU_CORTEX_M33)
#define EC_CPU_NAME "cortex-m33"
#elif defined(EC_CPU_CORTEX_M55)
#define EC_CPU_NAME "cortex-m55"
#else
#define EC_CPU_NAME "cortex-m"
#endif

/* Semihosting (ARM "Semihosting for AArch32 and AArch64", M-profile: BKPT
 * 0xAB, operation in r0, parameter in r1, result in r0). */
#define EC_SH_SYS_WRITE0 0x04u
#define EC_SH_SYS_GET_CMDLINE 0x15u
#define EC_SH_SYS_EXIT 0x18u
#define EC_SH_SYS_EXIT_EXTENDED 0x20u
#define EC_SH_ADP_STOPPED_APPLICATION_EXIT 0x20026u

static inline uint32_t ec_semihost(uint32_t op, const void *arg) {
  register uint32_t r0 __asm__("r0") = op;
  register const void *r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

/* Terminates QEMU with `code` (SYS_EXIT_EXTENDED; QEMU >= 4 honours the
 * subcode for AArch32). Falls back to plain SYS_EXIT (status 0 or 1). */
void ec_cortexm_semihost_exit(int code) __attribute__((noreturn));

/* Linker-script symbols (cortexm/ec_cortexm_sections.ld). */
extern uint32_t __ec_stack_limit[]; /* lowest stack address */
extern uint32_t __ec_stack_top[];   /* initial SP */

#define EC_STACK_PAINT 0xA5A5A5A5u

#endif /* EC_CORTEXM_H */
