/*
 * ec_binary_s8_dsp against ec_binary_s8: Add and Sub of same-shaped
 * tensors through the rescaling tables (random input zero points,
 * multipliers and shifts as the lowering computes them with ec_mbqm), the
 * SMMULR form where the tables and the output shift allow it (fast_out,
 * as the lowering decides it) and the general form otherwise; random
 * output zero points and clamps; half of the cases with the tables built
 * by the kernel in scratch (p.tab_a NULL), as the lowering calls it.
 */
#include "harness.h"

#include "kernels/cortexm/binary_s8_dsp.h"

#include <stdio.h>

enum { kCount = 300 };

/* The 256-entry table MBQM((v - zp) << left, m, s), negated for Sub;
 * returns the largest magnitude. */
static int64_t table(int32_t *tab, int32_t zp, int32_t left, int32_t m, int32_t s, int neg) {
  int64_t top = 0;
  int32_t v;
  for (v = -128; v < 128; ++v) {
    const int32_t u = ec_mbqm((int32_t)((uint32_t)(v - zp) << left), m, s);
    const int64_t a = u < 0 ? -(int64_t)u : u;
    if (a > top) top = a;
    tab[v + 128] = neg ? (int32_t)(0u - (uint32_t)u) : u;
  }
  return top;
}

void cases_binary_s8_dsp(ec_rng *r, int32_t n, ec_tally *t) {
  static int32_t ta[256], tb[256], scratch[512];
  static int8_t a[kCount], b[kCount];
  static int8_t out_ref[kCount + 2 * EC_GUARD], out_opt[kCount + 2 * EC_GUARD];
  int32_t i;
  for (i = 0; i < n; ++i) {
    ec_binary_s8_params p = {0};
    const int32_t count = rng_range(r, 1, kCount);
    const int32_t left = rng_chance(r, 3, 4) ? 20 : rng_range(r, 0, 22);
    const int sub = rng_chance(r, 1, 2);
    int32_t ms[4], k;
    int64_t top;
    char what[EC_WHAT];
    p.op = sub ? EC_BIN_S8_SUB : EC_BIN_S8_ADD;
    p.count = count;
    p.a_zp = rng_range(r, -128, 127);
    p.b_zp = rng_range(r, -128, 127);
    p.out_zp = rng_range(r, -128, 127);
    p.left_shift = left;
    p.mo = rng_range(r, 1 << 30, INT32_MAX);
    p.so = rng_chance(r, 1, 6) ? rng_range(r, -3, 0) : -rng_range(r, 1, 31);
    for (k = 0; k < 4; ++k) /* drawn in order: argument order is unspecified */
      ms[k] = k & 1 ? -rng_range(r, 0, 12) : rng_range(r, 1 << 30, INT32_MAX);
    top = table(ta, p.a_zp, left, ms[0], ms[1], 0);
    top += table(tb, p.b_zp, left, ms[2], ms[3], sub);
    p.tab_a = ta;
    p.tab_b = tb;
    p.fast_out = top < ((int64_t)1 << 30) && p.so <= -1 && p.so >= -31 && p.mo >= 0;
    t->fast += p.fast_out;
    if (rng_chance(r, 1, 2)) {
      p.act_min = -128, p.act_max = 127;
    } else {
      p.act_min = rng_range(r, -128, 127);
      p.act_max = rng_range(r, p.act_min, 127);
    }
    rng_fill_s8(r, a, (size_t)count, -128, 127);
    rng_fill_s8(r, b, (size_t)count, -128, 127);
    case_begin(out_ref, out_opt, (size_t)count);
    ec_binary_s8(&p, a, b, out_ref + EC_GUARD);
    {
      const int built = rng_chance(r, 1, 2);
      ec_binary_s8_params q = p;
      p.m1 = ms[0], p.s1 = ms[1], p.m2 = ms[2], p.s2 = ms[3];
      q = p;
      if (built) q.tab_a = q.tab_b = 0;
      for (k = 0; k < 512; ++k) scratch[k] = (int32_t)rng_u32(r); /* stale arena contents */
      ec_binary_s8_dsp(&q, a, b, out_opt + EC_GUARD, built ? scratch : 0);
    }
    snprintf(what, sizeof what,
             "%s count %ld zp %ld,%ld,%ld left %ld mo %ld so %ld fast_out %ld clamp [%ld, %ld]",
             sub ? "Sub" : "Add", (long)count, (long)p.a_zp, (long)p.b_zp, (long)p.out_zp,
             (long)left, (long)p.mo, (long)p.so, (long)p.fast_out, (long)p.act_min,
             (long)p.act_max);
    case_check(t, out_ref, out_opt, (size_t)count, what);
  }
}
