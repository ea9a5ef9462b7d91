/*
 * The bit-exactness harness of the optimized kernels (runtime/kernels/
 * cortexm/): seeded random cases, each run through an optimized kernel and
 * through its portable reference (runtime/kernels/reference/), outputs
 * compared byte for byte including guard bytes around them. C99; runs on
 * the host (plain-C emulation of the DSP instructions) and under QEMU
 * (the instructions themselves). See optimized_kernels_test.sh.
 */
#ifndef EDGEC_TEST_HARNESS_H
#define EDGEC_TEST_HARNESS_H

#include <stddef.h>
#include <stdint.h>

/* splitmix64: the same cases on every platform for the same seed. */
typedef struct {
  uint64_t s;
} ec_rng;

uint32_t rng_u32(ec_rng *r);
/* uniform in [lo, hi] (hi - lo < 2^32) */
int32_t rng_range(ec_rng *r, int32_t lo, int32_t hi);
/* 1 with probability num / den */
int rng_chance(ec_rng *r, int32_t num, int32_t den);
void rng_fill_s8(ec_rng *r, int8_t *p, size_t n, int32_t lo, int32_t hi);

/* What a group of cases checked. */
typedef struct {
  const char *name; /* "ec_gemm_s8_dsp" */
  int32_t cases, mismatches;
  int32_t fast; /* cases with `fast` (fast_out) set: the SMMULR requantization */
  uint32_t hash; /* FNV-1a of every compared output: the same on every platform */
} ec_tally;

/* Starts a case: out_ref and out_opt (n bytes plus EC_GUARD bytes on each
 * side) are filled with the same pattern; returns the offset of byte 0. */
#define EC_GUARD 16
/* room for a case's description */
enum { EC_WHAT = 512 };
void case_begin(int8_t *out_ref, int8_t *out_opt, size_t n);
/* Compares the n + 2 EC_GUARD bytes; prints the case (what) on a mismatch
 * (the first few per group). Returns 1 when they are identical. */
int case_check(ec_tally *t, const int8_t *out_ref, const int8_t *out_opt, size_t n,
               const char *what);

/* One group per file in runtime/kernels/cortexm/ (harness_main.c lists
 * them): runs n random cases, filling the tally. */
void cases_dsp_q(ec_rng *r, int32_t n, ec_tally *t);
void cases_requant_s8_dsp(ec_rng *r, int32_t n, ec_tally *t);
void cases_fc_s8_dsp(ec_rng *r, int32_t n, ec_tally *t);
void cases_fc_s8_dsp_w4(ec_rng *r, int32_t n, ec_tally *t);
void cases_conv_s8_dsp(ec_rng *r, int32_t n, ec_tally *t);
void cases_dwconv_s8_dsp(ec_rng *r, int32_t n, ec_tally *t);
void cases_binary_s8_dsp(ec_rng *r, int32_t n, ec_tally *t);

#endif
