/*
 * dsp_q.h: every primitive against the plain integer arithmetic it stands
 * for (on the host that checks the C emulation, under QEMU the DSP
 * instructions), on random and edge operands.
 */
#include "harness.h"

#include "kernels/cortexm/dsp_q.h"
#include "kernels/reference/fixedpoint_q.h"

#include <stdio.h>
#include <string.h>

/* The signed value of byte k of x. */
static int32_t byte_at(uint32_t x, int k) {
  return (int32_t)(((x >> (8 * k)) & 0xffu) ^ 0x80u) - 0x80;
}
/* The signed value of halfword k of x. */
static int32_t half_at(uint32_t x, int k) {
  return (int32_t)(((x >> (16 * k)) & 0xffffu) ^ 0x8000u) - 0x8000;
}
static uint32_t halves(int32_t lo, int32_t hi) {
  return ((uint32_t)lo & 0xffffu) | (((uint32_t)hi & 0xffffu) << 16);
}
/* v modulo 2^32 as the int32 with those bits */
static int32_t wrap32(int64_t v) {
  const uint32_t u = (uint32_t)((uint64_t)v & 0xffffffffu);
  return u <= 0x7fffffffu ? (int32_t)u : -(int32_t)(~u) - 1;
}
/* floor(v / 2^n) */
static int64_t floor_shift(int64_t v, int n) { return v >= 0 ? v >> n : -((-v - 1) >> n) - 1; }

static uint32_t operand(ec_rng *r) {
  static const uint32_t edges[] = {0u,          1u,          0x7fu,       0x80u,
                                   0xffu,       0x7fffu,     0x8000u,     0xffffu,
                                   0x7fffffffu, 0x80000000u, 0xffffffffu, 0x80808080u,
                                   0x7f7f7f7fu, 0x00ff00ffu, 0xff00ff00u, 0x40000000u};
  return rng_chance(r, 1, 4) ? edges[rng_u32(r) % 16u] : rng_u32(r);
}

/* Compares one result word; the "output" of a case is the words it computed. */
typedef struct {
  int32_t ref[12], opt[12];
  int n;
} words;

static void put(words *w, int32_t ref, int32_t opt) {
  w->ref[w->n] = ref;
  w->opt[w->n] = opt;
  ++w->n;
}

void cases_dsp_q(ec_rng *r, int32_t n, ec_tally *t) {
  int32_t i;
  for (i = 0; i < n; ++i) {
    int8_t out_ref[12 * 4 + 2 * EC_GUARD], out_opt[12 * 4 + 2 * EC_GUARD];
    const uint32_t a = operand(r), b = operand(r), c = operand(r);
    const int32_t acc = (int32_t)c;
    const int32_t e = rng_range(r, 1, 31);
    const int32_t v = a == 0x80000000u ? 0 : (int32_t)a;
    int8_t bytes[4];
    char what[EC_WHAT];
    words w;
    w.n = 0;
    put(&w, (int32_t)halves(byte_at(a, 0), byte_at(a, 2)), (int32_t)ec_sxtb16(a));
    put(&w, (int32_t)halves(byte_at(a, 1), byte_at(a, 3)), (int32_t)ec_sxtb16_ror8(a));
    put(&w, wrap32((int64_t)acc + half_at(a, 0) * half_at(b, 0) + half_at(a, 1) * half_at(b, 1)),
        ec_smlad(a, b, acc));
    put(&w, (int32_t)halves(half_at(a, 0) - half_at(b, 0), half_at(a, 1) - half_at(b, 1)),
        (int32_t)ec_ssub16(a, b));
    put(&w, wrap32((int64_t)acc + half_at(a, 0) * half_at(b, 0)), ec_smlabb(a, b, acc));
    put(&w, wrap32((int64_t)acc + half_at(a, 1) * half_at(b, 1)), ec_smlatt(a, b, acc));
    put(&w, wrap32((int64_t)acc + half_at(a, 0) * half_at(b, 1)), ec_smlabt(a, b, acc));
    put(&w, (int32_t)floor_shift((int64_t)(int32_t)a * (int64_t)(int32_t)b + ((int64_t)1 << 31), 32),
        ec_smmulr((int32_t)a, (int32_t)b));
    /* the rounding of ec_rdbp (ties away from zero), INT32_MIN excluded */
    put(&w, ec_rdbp(v, e), ec_rshr_away(v, e));
    memcpy(bytes, &a, 4);
    put(&w, (int32_t)((uint32_t)(uint8_t)bytes[0] | (uint32_t)(uint8_t)bytes[1] << 8 |
                      (uint32_t)(uint8_t)bytes[2] << 16 | (uint32_t)(uint8_t)bytes[3] << 24),
        (int32_t)ec_ld32(bytes));
    case_begin(out_ref, out_opt, sizeof w.ref);
    memcpy(out_ref + EC_GUARD, w.ref, (size_t)w.n * 4);
    memcpy(out_opt + EC_GUARD, w.opt, (size_t)w.n * 4);
    snprintf(what, sizeof what, "a=%08lx b=%08lx acc=%08lx e=%ld (word k: primitive k of this file)",
             (unsigned long)a, (unsigned long)b, (unsigned long)c, (long)e);
    case_check(t, out_ref, out_opt, sizeof w.ref, what);
  }
}
