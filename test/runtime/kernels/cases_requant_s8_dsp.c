/*
 * requant_s8_dsp.h: ec_requant_fast, ec_requant4_fast (any output stride),
 * ec_requant4_fast1 and ec_requant_s8_apply_dsp on the encoded shifts
 * against ec_requant_s8_apply (kernels/reference/fc_s8.h) on the plain
 * ones, within the contract of `fast`: |acc| < 2^30, a right shift of 1 to
 * 31 bits, a multiplier >= 0; full int8 clamps (the SSAT form) and narrower
 * ones.
 */
#include "harness.h"

#include "kernels/cortexm/requant_s8_dsp.h"

#include <stdio.h>

static int32_t accumulator(ec_rng *r) {
  const int32_t lim = (1 << 30) - 1;
  switch (rng_range(r, 0, 3)) {
  case 0: return rng_range(r, -lim, lim);
  case 1: return rng_range(r, -70000, 70000);
  case 2: return rng_chance(r, 1, 2) ? lim - rng_range(r, 0, 3) : -lim + rng_range(r, 0, 3);
  default: return rng_range(r, -300, 300);
  }
}

void cases_requant_s8_dsp(ec_rng *r, int32_t n, ec_tally *t) {
  enum { kCh = 8, kMaxOcs = 5, kBytes = 4 * kMaxOcs + kCh };
  int32_t i;
  for (i = 0; i < n; ++i) {
    int32_t mult[kCh], acc[kCh], c;
    int8_t shift[kCh], enc[kCh];
    int8_t out_ref[kBytes + 2 * EC_GUARD], out_opt[kBytes + 2 * EC_GUARD];
    const int32_t ocs = rng_range(r, 1, kMaxOcs), zp = rng_range(r, -128, 127);
    const int full = rng_chance(r, 1, 2);
    const int32_t lo = full ? -128 : rng_range(r, -128, 127);
    const int32_t hi = full ? 127 : rng_range(r, lo, 127);
    ec_gemm_s8_params p = {0};
    ec_requant_s8 q_ref, q_opt;
    char what[EC_WHAT];
    for (c = 0; c < kCh; ++c) {
      mult[c] = rng_chance(r, 1, 8) ? rng_range(r, 0, 1 << 30) : rng_range(r, 1 << 30, INT32_MAX);
      shift[c] = (int8_t)-rng_range(r, 1, rng_chance(r, 1, 4) ? 31 : 12);
      enc[c] = (int8_t)-shift[c];
      acc[c] = accumulator(r);
    }
    p.out_zp = zp;
    p.act_min = lo;
    p.act_max = hi;
    p.mult = mult;
    p.shift = shift;
    q_ref = ec_requant_s8_init(&p);
    p.fast = 1;
    ++t->fast;
    p.shift = enc;
    q_opt = ec_requant_s8_init(&p);
    case_begin(out_ref, out_opt, kBytes);
    /* channels 0..3: ec_requant4_fast at stride ocs */
    for (c = 0; c < 4; ++c) out_ref[EC_GUARD + c * ocs] = ec_requant_s8_apply(&q_ref, acc[c], c);
    ec_requant4_fast(&q_opt, acc[0], acc[1], acc[2], acc[3], 0, out_opt + EC_GUARD, ocs);
    /* channels 4..7: ec_requant4_fast1, then one by one */
    for (c = 4; c < 8; ++c)
      out_ref[EC_GUARD + 4 * kMaxOcs + (c - 4)] = ec_requant_s8_apply(&q_ref, acc[c], c);
    ec_requant4_fast1(&q_opt, acc[4], acc[5], acc[6], acc[7], 4, out_opt + EC_GUARD + 4 * kMaxOcs);
    for (c = 0; c < 4; ++c) {
      out_ref[EC_GUARD + 4 * kMaxOcs + 4 + c] = ec_requant_s8_apply(&q_ref, acc[2 * c], 2 * c);
      out_opt[EC_GUARD + 4 * kMaxOcs + 4 + c] =
          c & 1 ? ec_requant_fast(&q_opt, acc[2 * c], 2 * c)
                : ec_requant_s8_apply_dsp(&q_opt, acc[2 * c], 2 * c);
    }
    snprintf(what, sizeof what, "zp %ld clamp [%ld, %ld] stride %ld acc0 %ld m0 %ld shift0 %ld",
             (long)zp, (long)lo, (long)hi, (long)ocs, (long)acc[0], (long)mult[0],
             (long)shift[0]);
    case_check(t, out_ref, out_opt, kBytes, what);
  }
}
