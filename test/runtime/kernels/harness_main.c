/*
 *   kernels_bitexact [-n CASES] [-s SEED]
 *
 * Runs CASES seeded random cases (default 2000) of every optimized kernel
 * against its reference and prints, per group, the files of
 * runtime/kernels/cortexm/ it covers ("covered FILE CASES"), its mismatch
 * count and a hash of its outputs. Exit 0 when every output matched.
 */
#include "harness.h"

#include "ec_platform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint32_t rng_u32(ec_rng *r) {
  uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return (uint32_t)((z ^ (z >> 31)) >> 32);
}

int32_t rng_range(ec_rng *r, int32_t lo, int32_t hi) {
  const uint32_t span = (uint32_t)((int64_t)hi - (int64_t)lo) + 1u;
  const uint32_t v = span ? rng_u32(r) % span : rng_u32(r);
  return (int32_t)((int64_t)lo + (int64_t)v);
}

int rng_chance(ec_rng *r, int32_t num, int32_t den) { return rng_range(r, 0, den - 1) < num; }

void rng_fill_s8(ec_rng *r, int8_t *p, size_t n, int32_t lo, int32_t hi) {
  size_t i;
  for (i = 0; i < n; ++i) p[i] = (int8_t)rng_range(r, lo, hi);
}

void case_begin(int8_t *out_ref, int8_t *out_opt, size_t n) {
  size_t i;
  for (i = 0; i < n + 2 * EC_GUARD; ++i) out_ref[i] = out_opt[i] = (int8_t)(0xA5 ^ (i * 7));
}

enum { kMaxReports = 5 };

int case_check(ec_tally *t, const int8_t *out_ref, const int8_t *out_opt, size_t n,
               const char *what) {
  size_t i;
  ++t->cases;
  for (i = 0; i < n + 2 * EC_GUARD; ++i) {
    t->hash = (t->hash ^ (uint8_t)out_opt[i]) * 16777619u;
    if (out_ref[i] != out_opt[i]) break;
  }
  if (i == n + 2 * EC_GUARD) return 1;
  if (t->mismatches++ < kMaxReports) {
    const long at = (long)i - EC_GUARD;
    printf("MISMATCH %s case %ld: %s\n  byte %ld%s: reference %d, optimized %d\n", t->name,
           (long)t->cases - 1, what, at, at < 0 || at >= (long)n ? " (guard)" : "",
           out_ref[i], out_opt[i]);
  }
  for (++i; i < n + 2 * EC_GUARD; ++i) t->hash = (t->hash ^ (uint8_t)out_opt[i]) * 16777619u;
  return 0;
}

typedef struct {
  const char *name;
  void (*run)(ec_rng *r, int32_t n, ec_tally *t);
  const char *files[6]; /* runtime/kernels/cortexm/ files the group covers */
} ec_group;

static const ec_group kGroups[] = {
    {"dsp_q", cases_dsp_q, {"dsp_q.h", 0, 0}},
    {"ec_requant_s8_apply_dsp", cases_requant_s8_dsp, {"requant_s8_dsp.h", 0, 0}},
    {"ec_gemm_s8_dsp", cases_fc_s8_dsp,
     {"fc_s8_dsp.c", "fc_s8_dsp.h", "gemm_s8_dsp_paired.c", "gemm_s8_dsp_paired.h", "gemm_s8_wx.c", "gemm_s8_wx.h"}},
    {"ec_fc_s8_dsp_w4", cases_fc_s8_dsp_w4, {"fc_s8_dsp_w4.c", "fc_s8_dsp_w4.h", 0}},
    {"ec_conv_s8_dsp", cases_conv_s8_dsp, {"conv_s8_dsp.c", "conv_s8_dsp.h", 0}},
    {"ec_dwconv_s8_dsp", cases_dwconv_s8_dsp, {"dwconv_s8_dsp.c", "dwconv_s8_dsp.h", 0}},
    {"ec_binary_s8_dsp", cases_binary_s8_dsp, {"binary_s8_dsp.c", "binary_s8_dsp.h", 0}},
};

int main(int argc, char **argv) {
  int32_t n = 2000;
  uint64_t seed = 1;
  int i, failed = 0;
  size_t g;
  ec_platform_init();
  for (i = 1; i < argc; ++i) {
    if (!strcmp(argv[i], "-n") && i + 1 < argc) n = (int32_t)atol(argv[++i]);
    else if (!strcmp(argv[i], "-s") && i + 1 < argc) seed = (uint64_t)strtoull(argv[++i], 0, 10);
    else {
      printf("usage: %s [-n CASES] [-s SEED]\n", argv[0]);
      ec_platform_exit(2);
    }
  }
  printf("platform %s, %ld cases per group, seed %llu\n", ec_platform_name(), (long)n,
         (unsigned long long)seed);
  for (g = 0; g < sizeof kGroups / sizeof kGroups[0]; ++g) {
    ec_rng r;
    ec_tally t;
    size_t f;
    r.s = seed * 1000003u + g;
    t.name = kGroups[g].name;
    t.cases = t.mismatches = t.fast = 0;
    t.hash = 2166136261u;
    kGroups[g].run(&r, n, &t);
    printf("group %s: %ld cases (%ld with fast), %ld mismatches, hash %08lx\n", t.name,
           (long)t.cases, (long)t.fast, (long)t.mismatches, (unsigned long)t.hash);
    for (f = 0; f < 6 && kGroups[g].files[f]; ++f)
      if (t.mismatches == 0)
        printf("covered kernels/cortexm/%s %ld\n", kGroups[g].files[f], (long)t.cases);
    failed |= t.mismatches != 0 || t.cases == 0;
  }
  printf(failed ? "FAILED\n" : "all optimized kernels bit-exact\n");
  ec_platform_exit(failed);
  return failed;
}
