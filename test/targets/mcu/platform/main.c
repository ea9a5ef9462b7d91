/*
 * Sample program for the edgec platform layer (runtime/platform).
 *
 *   prog IN OUT          read IN, write OUT = transform(IN) + checksums
 *                        (integer and float work), print a summary
 *   prog --calib         counter calibration with a loop of known length
 *   prog --wrap N        counter across SysTick wraps (N loop iterations)
 *   prog --exit N        return N from main (exit() path)
 *   prog --pexit N       ec_platform_exit(N)
 *   prog --fault         execute an undefined instruction (fault handler)
 *   prog --stack         report stack peak after a deep-ish call
 */
#include "ec_platform.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__arm__)
/* Exactly 2*n executed instructions (n >= 1): SUBS + BNE per iteration. */
static void spin(uint32_t n) {
  __asm__ volatile("1:\n\t"
                   "subs %0, %0, #1\n\t"
                   "bne 1b"
                   : "+l"(n)
                   :
                   : "cc");
}

/* Waits for the next SysTick tick edge (a 3-instruction poll of SYST_CVR),
 * so that spin(p) after it sets the phase of the next measurement against
 * the tick to 2p (+0..2) instructions. */
static void sync_tick(void) {
  const volatile uint32_t *cvr = (const volatile uint32_t *)0xE000E018u;
  uint32_t v = *cvr;
  while (*cvr == v) {
  }
}
#else
static void spin(uint32_t n) {
  volatile uint32_t v = n;
  while (v != 0)
    v = v - 1;
}
static void sync_tick(void) {}
#endif

/* Counter difference around spin(n); same code path for every n. */
static __attribute__((noinline)) uint64_t measure(uint32_t n) {
  uint64_t c0, c1;
  c0 = ec_platform_counter();
  spin(n);
  c1 = ec_platform_counter();
  return c1 - c0;
}

/* volatile: keeps the compiler from cloning measure() per constant */
static volatile uint32_t cal_n[2] = {1000u, 100000u};
#define CAL_PHASES 100u
#define CAL_N0 1000u
#define CAL_N1 100000u

static int do_calib(void) {
  int64_t sum0 = 0, sum1 = 0, k_milli, avg_milli, err_milli, worst = 0;
  int64_t d1s[CAL_PHASES];
  uint32_t p;
  int ok;
  for (p = 0; p < CAL_PHASES; p++) {
    int64_t d0, d1;
    sync_tick();
    spin(p + 1); /* phase of the first read against the tick: 2p + c */
    d0 = (int64_t)measure(cal_n[0]);
    sync_tick();
    spin(p + 1);
    d1 = (int64_t)measure(cal_n[1]);
    sum0 += d0;
    sum1 += d1;
    d1s[p] = d1;
  }
  /* loop length from the phase-averaged difference (exact up to dithering) */
  avg_milli = (sum1 - sum0) * 1000 / (int64_t)CAL_PHASES;
  err_milli = avg_milli - (int64_t)2 * (CAL_N1 - CAL_N0) * 1000;
  /* fixed overhead of measure() between its two timer reads */
  k_milli = sum0 * 1000 / (int64_t)CAL_PHASES - (int64_t)2 * CAL_N0 * 1000;
  for (p = 0; p < CAL_PHASES; p++) {
    int64_t e = d1s[p] * 1000 - k_milli - (int64_t)2 * CAL_N1 * 1000;
    if (e < 0)
      e = -e;
    if (e > worst)
      worst = e;
  }
  ok = err_milli <= 5000 && err_milli >= -5000 && worst <= 50000;
  printf("CALIB platform=%s unit=%s resolution=%lu known=%lu "
         "avg_err_milli=%ld overhead_milli=%ld worst_single_err_milli=%ld "
         "%s\n",
         ec_platform_name(), ec_platform_counter_unit(),
         (unsigned long)ec_platform_counter_resolution(),
         (unsigned long)(2u * CAL_N1), (long)err_milli, (long)k_milli,
         (long)worst, ok ? "PASS" : "FAIL");
  return ok ? 0 : 1;
}

static int do_wrap(uint32_t n) {
  uint64_t prev = ec_platform_counter(), c0, c1, d, want = 2ull * n, wraps;
  uint64_t res = ec_platform_counter_resolution(), slack;
  uint32_t i;
  int mono = 1, ok;
  for (i = 0; i < 20000u; i++) { /* monotonic over many reads */
    uint64_t c = ec_platform_counter();
    if (c < prev)
      mono = 0;
    prev = c;
  }
  c0 = ec_platform_counter();
  spin(n);
  c1 = ec_platform_counter();
  d = c1 - c0;
#if defined(EC_SYSTICK_RELOAD)
  wraps = want / ((res - 1u) * ((uint64_t)EC_SYSTICK_RELOAD + 1u)) + 1u;
#else
  wraps = want / ((res - 1u) * 0x1000000ull) + 1u;
#endif
  /* read overhead (< 100) + one tick + <= 16 instructions per wrap IRQ */
  slack = 100u + res + 16u * wraps;
  ok = mono && d + res >= want && d <= want + slack;
  printf("WRAP n=%lu measured=%llu known=%llu max_wraps=%llu slack=%llu "
         "monotonic=%d %s\n",
         (unsigned long)n, (unsigned long long)d, (unsigned long long)want,
         (unsigned long long)wraps, (unsigned long long)slack, mono,
         ok ? "PASS" : "FAIL");
  return ok ? 0 : 1;
}

static uint32_t fnv1a(const uint8_t *p, size_t n) {
  uint32_t h = 2166136261u;
  size_t i;
  for (i = 0; i < n; i++) {
    h ^= p[i];
    h *= 16777619u;
  }
  return h;
}

static void put_le32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}

#ifndef SAMPLE_BUF
#define SAMPLE_BUF 65536
#endif

static int do_files(const char *in_path, const char *out_path) {
  static uint8_t buf[SAMPLE_BUF];
  static uint8_t out[SAMPLE_BUF + 12];
  FILE *f;
  size_t n, i;
  uint32_t h;
  float acc = 0.0f;
  int32_t facc;
  uint64_t c0, c1;

  f = fopen(in_path, "rb");
  if (f == NULL) {
    fprintf(stderr, "cannot open %s\n", in_path);
    return 2;
  }
  n = fread(buf, 1, sizeof buf, f);
  fclose(f);

  c0 = ec_platform_counter();
  h = fnv1a(buf, n);
  for (i = 0; i < n; i++) {
    float x = (float)buf[i] * 0.25f - 3.5f;
    acc = acc * 0.5f + x * x; /* exact-rounding single precision ops */
    out[i] = (uint8_t)(buf[i] * 7u + 3u);
  }
  facc = (int32_t)(acc * 1024.0f);
  c1 = ec_platform_counter();
  put_le32(out + n, h);
  put_le32(out + n + 4, (uint32_t)facc);
  put_le32(out + n + 8, (uint32_t)n);

  f = fopen(out_path, "wb");
  if (f == NULL) {
    fprintf(stderr, "cannot create %s\n", out_path);
    return 3;
  }
  if (fwrite(out, 1, n + 12, f) != n + 12) {
    fclose(f);
    return 4;
  }
  if (fclose(f) != 0)
    return 5;
  printf("FILES platform=%s bytes=%lu fnv=%08lx facc=%ld work=%llu %s\n",
         ec_platform_name(), (unsigned long)n, (unsigned long)h, (long)facc,
         (unsigned long long)(c1 - c0), ec_platform_counter_unit());
  return 0;
}

static __attribute__((noinline)) uint32_t stack_user(uint32_t depth) {
  volatile uint8_t pad[512];
  size_t i;
  for (i = 0; i < sizeof pad; i++)
    pad[i] = (uint8_t)(i + depth);
  if (depth == 0)
    return pad[7];
  return stack_user(depth - 1) + pad[depth % sizeof pad];
}

int main(int argc, char **argv) {
  ec_platform_init();
  if (argc >= 2 && strcmp(argv[1], "--calib") == 0)
    return do_calib();
  if (argc >= 3 && strcmp(argv[1], "--wrap") == 0)
    return do_wrap((uint32_t)strtoul(argv[2], NULL, 10));
  if (argc >= 3 && strcmp(argv[1], "--exit") == 0)
    return atoi(argv[2]);
  if (argc >= 3 && strcmp(argv[1], "--pexit") == 0) {
    printf("pexit %s\n", argv[2]);
    ec_platform_exit(atoi(argv[2]));
  }
  if (argc >= 2 && strcmp(argv[1], "--fault") == 0) {
#if defined(__arm__)
    __asm__ volatile("udf #0");
#endif
    return 0;
  }
  if (argc >= 2 && strcmp(argv[1], "--stack") == 0) {
    uint32_t v = stack_user(8);
    printf("STACK peak=%lu size=%lu v=%lu\n",
           (unsigned long)ec_platform_stack_peak(),
           (unsigned long)ec_platform_stack_size(), (unsigned long)v);
    return 0;
  }
  if (argc == 3)
    return do_files(argv[1], argv[2]);
  fprintf(stderr, "usage: %s IN OUT | --calib | --wrap N | --exit N | "
                  "--pexit N | --fault | --stack\n",
          argc > 0 ? argv[0] : "prog");
  return 64;
}
