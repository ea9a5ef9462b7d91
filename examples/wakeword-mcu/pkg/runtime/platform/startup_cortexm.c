/*
 * startup_cortexm.c - vector table, reset and fault handlers, newlib glue
 * (_sbrk, _exit, argv from semihosting) for edgec's Cortex-M platform layer.
 *
 * Link with -nostartfiles (no crt0): this file is the entry point. The
 * memory layout comes from cortexm/<machine>.ld (ec_cortexm_sections.ld).
 * Written for edgec from the architecture's documented vector table layout
 * and System Control Space addresses.
 */
#include "ec_cortexm.h"
#include "ec_platform.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/* Linker-script symbols */
extern uint32_t __ec_data_start[], __ec_data_end[], __ec_data_load[];
extern uint32_t __ec_bss_start[], __ec_bss_end[];
extern char __ec_heap_start[], __ec_heap_end[];
typedef void (*ec_init_fn)(void);
extern ec_init_fn __ec_init_array_start[], __ec_init_array_end[];

extern int main(int argc, char **argv);
extern void initialise_monitor_handles(void); /* newlib librdimon */
void ec_platform_systick_isr(void);           /* ec_platform_cortexm.c */

void ec_reset_handler(void) __attribute__((noreturn));
void ec_fault_entry(void) __attribute__((naked));
void ec_fault_report(const uint32_t *frame, uint32_t exc_return)
    __attribute__((noreturn, used));

/* ---- vector table ------------------------------------------------------ */

typedef union {
  void (*fn)(void);
  const void *sp;
} ec_vector;

#define EC_NUM_IRQ_VECTORS 32 /* external interrupts are never enabled */
#define EC_VEC1 {.fn = ec_fault_entry}
#define EC_VEC8 EC_VEC1, EC_VEC1, EC_VEC1, EC_VEC1, EC_VEC1, EC_VEC1, EC_VEC1, EC_VEC1

__attribute__((section(".ec_vectors"), used))
const ec_vector ec_vector_table[16 + EC_NUM_IRQ_VECTORS] = {
    [0] = {.sp = __ec_stack_top},
    [1] = {.fn = ec_reset_handler},
    [2] = {.fn = ec_fault_entry},  /* NMI */
    [3] = {.fn = ec_fault_entry},  /* HardFault */
    [4] = {.fn = ec_fault_entry},  /* MemManage */
    [5] = {.fn = ec_fault_entry},  /* BusFault */
    [6] = {.fn = ec_fault_entry},  /* UsageFault */
    [7] = {.fn = ec_fault_entry},  /* SecureFault (ARMv8-M) */
    [11] = {.fn = ec_fault_entry}, /* SVCall */
    [12] = {.fn = ec_fault_entry}, /* DebugMonitor */
    [14] = {.fn = ec_fault_entry}, /* PendSV */
    [15] = {.fn = ec_platform_systick_isr},
    EC_VEC8, EC_VEC8, EC_VEC8, EC_VEC8, /* IRQ 0..31 */
};

/* ---- semihosting exit -------------------------------------------------- */

void ec_cortexm_semihost_exit(int code) {
  uint32_t block[2];
  block[0] = EC_SH_ADP_STOPPED_APPLICATION_EXIT;
  block[1] = (uint32_t)code;
  (void)ec_semihost(EC_SH_SYS_EXIT_EXTENDED, block);
  /* Only reached where SYS_EXIT_EXTENDED is unsupported: 0 or 1. */
  (void)ec_semihost(EC_SH_SYS_EXIT,
                    (const void *)(uintptr_t)(code == 0 ? 0x20026u : 0x20023u));
  for (;;) {
  }
}

/* newlib's exit() flushes stdio, runs atexit handlers, then calls _exit.
 * Defining it here keeps librdimon's _exit (which needs a feature probe
 * through ":semihosting-features") out of the link. */
void _exit(int code) __attribute__((noreturn));
void _exit(int code) { ec_cortexm_semihost_exit(code); }

/* crti.o/crtn.o are not linked (-nostartfiles); newlib's
 * __libc_init_array/__libc_fini_array still call these. */
void _init(void);
void _fini(void);
void _init(void) {}
void _fini(void) {}

/* ---- heap for newlib malloc (stdio buffers) ------------------------------ */

void *_sbrk(ptrdiff_t incr);
void *_sbrk(ptrdiff_t incr) {
  static char *brk;
  char *prev;
  if (brk == NULL)
    brk = __ec_heap_start;
  if ((incr >= 0 && (size_t)(__ec_heap_end - brk) < (size_t)incr) ||
      (incr < 0 && (size_t)(brk - __ec_heap_start) < (size_t)-incr)) {
    errno = ENOMEM;
    return (void *)-1;
  }
  prev = brk;
  brk += incr;
  return prev;
}

/* ---- argv from the semihosting command line ------------------------------ */

#define EC_CMDLINE_MAX 2048
#define EC_ARGV_MAX 64

static char ec_cmdline[EC_CMDLINE_MAX];
static char *ec_argv[EC_ARGV_MAX + 1];

static int ec_build_argv(void) {
  struct {
    char *buf;
    uint32_t len;
  } block;
  int argc = 0;
  char *p;
  block.buf = ec_cmdline;
  block.len = EC_CMDLINE_MAX - 1;
  if (ec_semihost(EC_SH_SYS_GET_CMDLINE, &block) != 0 ||
      block.len >= EC_CMDLINE_MAX)
    block.len = 0;
  ec_cmdline[block.len] = '\0';
  p = ec_cmdline;
  while (*p != '\0' && argc < EC_ARGV_MAX) {
    while (*p == ' ' || *p == '\t')
      *p++ = '\0';
    if (*p == '\0')
      break;
    ec_argv[argc++] = p;
    while (*p != '\0' && *p != ' ' && *p != '\t')
      p++;
  }
  if (argc == 0) {
    static char prog[] = "prog";
    ec_argv[argc++] = prog;
  }
  ec_argv[argc] = NULL;
  return argc;
}

/* ---- reset --------------------------------------------------------------- */

static void ec_enable_fpu(void) {
#if defined(__ARM_FP) || defined(__ARM_FEATURE_MVE)
  EC_SCB_CPACR |= EC_CPACR_CP10_CP11;
  __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
}

void ec_reset_handler(void) {
  uint32_t *src, *dst;
  uintptr_t sp;
  ec_init_fn *fn;
  int argc;

  /* Before anything the compiler might turn into FP/MVE code. */
  ec_enable_fpu();
#if defined(__ARM_ARCH_8M_MAIN__) || defined(__ARM_ARCH_8_1M_MAIN__)
  /* Stack overflow -> UsageFault (STKOF) -> fault report, never silent. */
  __asm__ volatile("msr msplim, %0" ::"r"(__ec_stack_limit));
#endif
#if !defined(__ARM_ARCH_6M__) && !defined(__ARM_ARCH_8M_BASE__)
  /* MemManage, BusFault, UsageFault (+ SecureFault on v8-M) report as
   * themselves instead of escalating to HardFault. */
  EC_SCB_SHCSR |= (7u << 16)
#if defined(__ARM_ARCH_8M_MAIN__) || defined(__ARM_ARCH_8_1M_MAIN__)
                  | (1u << 19)
#endif
      ;
#endif

  /* .data: load address -> run address (QEMU's -kernel loads the ELF's
   * load segments as they are; skipped when both are the same). */
  if ((uintptr_t)__ec_data_load != (uintptr_t)__ec_data_start)
    for (src = __ec_data_load, dst = __ec_data_start; dst < __ec_data_end;)
      *dst++ = *src++;
  for (dst = __ec_bss_start; dst < __ec_bss_end;)
    *dst++ = 0;

  /* Paint the unused stack for ec_platform_stack_peak(). */
  __asm__ volatile("mov %0, sp" : "=r"(sp));
  for (dst = __ec_stack_limit; (uintptr_t)dst < sp - 64u;)
    *(volatile uint32_t *)dst++ = EC_STACK_PAINT;

  initialise_monitor_handles();
  argc = ec_build_argv();
  for (fn = __ec_init_array_start; fn < __ec_init_array_end; fn++)
    (*fn)();
  exit(main(argc, ec_argv));
}

/* ---- faults -------------------------------------------------------------- */

/* Finds the stacked exception frame (MSP or PSP per EXC_RETURN bit 2) and
 * hands it to ec_fault_report. ARMv6-M compatible. */
void ec_fault_entry(void) {
  __asm__ volatile("movs r0, #4\n\t"
                   "mov r1, lr\n\t"
                   "tst r0, r1\n\t"
                   "beq 1f\n\t"
                   "mrs r0, psp\n\t"
                   "b 2f\n"
                   "1:\n\t"
                   "mrs r0, msp\n"
                   "2:\n\t"
                   "bl ec_fault_report\n\t");
}

static char *ec_put_str(char *p, const char *s) {
  while (*s != '\0')
    *p++ = *s++;
  return p;
}

static char *ec_put_hex(char *p, uint32_t v) {
  int i;
  *p++ = '0';
  *p++ = 'x';
  for (i = 28; i >= 0; i -= 4)
    *p++ = "0123456789abcdef"[(v >> i) & 0xFu];
  return p;
}

static char *ec_put_field(char *p, const char *name, uint32_t v) {
  p = ec_put_str(p, name);
  return ec_put_hex(p, v);
}

void ec_fault_report(const uint32_t *frame, uint32_t exc_return) {
  static const char *const names[16] = {
      "?",        "Reset",    "NMI",         "HardFault",
      "MemManage", "BusFault", "UsageFault", "SecureFault",
      "?",        "?",        "?",           "SVCall",
      "DebugMon", "?",        "PendSV",      "SysTick"};
  static char msg[320];
  uint32_t ipsr;
  char *p = msg;
  __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
  ipsr &= 0x1FFu;
  p = ec_put_str(p, "\nedgec platform: fatal exception ");
  p = ec_put_str(p, ipsr < 16 ? names[ipsr] : "IRQ");
  p = ec_put_field(p, " (", ipsr);
  p = ec_put_str(p, ")");
  /* The frame is only trusted when it lies in the stack region. */
  if ((uintptr_t)frame >= (uintptr_t)__ec_stack_limit &&
      (uintptr_t)frame + 32u <= (uintptr_t)__ec_stack_top) {
    p = ec_put_field(p, " pc=", frame[6]);
    p = ec_put_field(p, " lr=", frame[5]);
    p = ec_put_field(p, " xpsr=", frame[7]);
  } else {
    p = ec_put_field(p, " sp=", (uint32_t)(uintptr_t)frame);
  }
  p = ec_put_field(p, " exc_return=", exc_return);
#if !defined(__ARM_ARCH_6M__) && !defined(__ARM_ARCH_8M_BASE__)
  p = ec_put_field(p, " cfsr=", EC_SCB_CFSR);
  p = ec_put_field(p, " hfsr=", EC_SCB_HFSR);
  p = ec_put_field(p, " bfar=", EC_SCB_BFAR);
  p = ec_put_field(p, " mmfar=", EC_SCB_MMFAR);
#endif
  p = ec_put_str(p, "\n");
  *p = '\0';
  (void)ec_semihost(EC_SH_SYS_WRITE0, msg);
  ec_cortexm_semihost_exit(EC_PLATFORM_FAULT_EXIT_CODE);
}
