#include "matmul_f32.h"

#include "activation_f32.h"

/* Multiply-accumulate: one fused instruction where the FPU has one
 * (Cortex-M4F/M7 VFMA), else a multiply and an add. */
#if (defined(__GNUC__) || defined(__clang__)) && defined(__ARM_FEATURE_FMA)
#define EC_MAC(acc, a, b) __builtin_fmaf((a), (b), (acc))
#else
#define EC_MAC(acc, a, b) ((acc) + (a) * (b))
#endif

/* Hosts with 128-bit SIMD: a block of 4 columns as one GCC vector (same
 * per-lane arithmetic as the scalar code). */
#if (defined(__GNUC__) || defined(__clang__)) && (defined(__SSE2__) || defined(__ARM_NEON))
#define EC_F32_VEC 1
typedef float ec_v4f __attribute__((vector_size(16)));
EC_INLINE ec_v4f ec_splat(float v) {
  ec_v4f r = {v, v, v, v};
  return r;
}
#else
#define EC_F32_VEC 0
#endif

/* 4 rows of A (row stride sm, k stride sk) x one 4-column block of packed
 * B ([k][4]); acc[4 * row + column]. */
#if EC_F32_VEC
static void mm_4x4(const float *a, int32_t sm, int32_t sk, int32_t k,
                   const float *b, float *acc) {
  ec_v4f a0 = {0.0f, 0.0f, 0.0f, 0.0f}, a1 = a0, a2 = a0, a3 = a0;
  const float *EC_RESTRICT r0 = a;
  const float *EC_RESTRICT r1 = a + sm;
  const float *EC_RESTRICT r2 = a + 2 * sm;
  const float *EC_RESTRICT r3 = a + 3 * sm;
  const float *EC_RESTRICT bp = b;
  int32_t kk;
  for (kk = 0; kk < k; ++kk) {
    ec_v4f bv;
    __builtin_memcpy(&bv, bp, sizeof bv);
    a0 += ec_splat(*r0) * bv;
    a1 += ec_splat(*r1) * bv;
    a2 += ec_splat(*r2) * bv;
    a3 += ec_splat(*r3) * bv;
    r0 += sk; r1 += sk; r2 += sk; r3 += sk;
    bp += 4;
  }
  __builtin_memcpy(acc, &a0, sizeof a0);
  __builtin_memcpy(acc + 4, &a1, sizeof a1);
  __builtin_memcpy(acc + 8, &a2, sizeof a2);
  __builtin_memcpy(acc + 12, &a3, sizeof a3);
}

/* One row of A x two 4-column blocks of packed B (b and b + bs). */
static void mm_1x8(const float *a, int32_t sk, int32_t k, const float *b,
                   int32_t bs, float *acc) {
  ec_v4f a0 = {0.0f, 0.0f, 0.0f, 0.0f}, a1 = a0;
  const float *EC_RESTRICT r0 = a;
  const float *EC_RESTRICT bp = b;
  const float *EC_RESTRICT bq = b + bs;
  int32_t kk;
  for (kk = 0; kk < k; ++kk) {
    ec_v4f b0, b1, v = ec_splat(*r0);
    __builtin_memcpy(&b0, bp, sizeof b0);
    __builtin_memcpy(&b1, bq, sizeof b1);
    a0 += v * b0;
    a1 += v * b1;
    r0 += sk;
    bp += 4;
    bq += 4;
  }
  __builtin_memcpy(acc, &a0, sizeof a0);
  __builtin_memcpy(acc + 4, &a1, sizeof a1);
}
#else
static void mm_4x4(const float *a, int32_t sm, int32_t sk, int32_t k,
                   const float *b, float *acc) {
  float a00 = 0.0f, a01 = 0.0f, a02 = 0.0f, a03 = 0.0f;
  float a10 = 0.0f, a11 = 0.0f, a12 = 0.0f, a13 = 0.0f;
  float a20 = 0.0f, a21 = 0.0f, a22 = 0.0f, a23 = 0.0f;
  float a30 = 0.0f, a31 = 0.0f, a32 = 0.0f, a33 = 0.0f;
  const float *EC_RESTRICT r0 = a;
  const float *EC_RESTRICT r1 = a + sm;
  const float *EC_RESTRICT r2 = a + 2 * sm;
  const float *EC_RESTRICT r3 = a + 3 * sm;
  const float *EC_RESTRICT bp = b;
  int32_t kk;
  for (kk = 0; kk < k; ++kk) {
    const float b0 = bp[0], b1 = bp[1], b2 = bp[2], b3 = bp[3];
    float v = *r0;
    a00 = EC_MAC(a00, v, b0); a01 = EC_MAC(a01, v, b1);
    a02 = EC_MAC(a02, v, b2); a03 = EC_MAC(a03, v, b3);
    v = *r1;
    a10 = EC_MAC(a10, v, b0); a11 = EC_MAC(a11, v, b1);
    a12 = EC_MAC(a12, v, b2); a13 = EC_MAC(a13, v, b3);
    v = *r2;
    a20 = EC_MAC(a20, v, b0); a21 = EC_MAC(a21, v, b1);
    a22 = EC_MAC(a22, v, b2); a23 = EC_MAC(a23, v, b3);
    v = *r3;
    a30 = EC_MAC(a30, v, b0); a31 = EC_MAC(a31, v, b1);
    a32 = EC_MAC(a32, v, b2); a33 = EC_MAC(a33, v, b3);
    r0 += sk; r1 += sk; r2 += sk; r3 += sk;
    bp += 4;
  }
  acc[0] = a00; acc[1] = a01; acc[2] = a02; acc[3] = a03;
  acc[4] = a10; acc[5] = a11; acc[6] = a12; acc[7] = a13;
  acc[8] = a20; acc[9] = a21; acc[10] = a22; acc[11] = a23;
  acc[12] = a30; acc[13] = a31; acc[14] = a32; acc[15] = a33;
}

/* One row of A x two 4-column blocks of packed B (b and b + bs). */
static void mm_1x8(const float *a, int32_t sk, int32_t k, const float *b,
                   int32_t bs, float *acc) {
  float a0 = 0.0f, a1 = 0.0f, a2 = 0.0f, a3 = 0.0f;
  float a4 = 0.0f, a5 = 0.0f, a6 = 0.0f, a7 = 0.0f;
  const float *EC_RESTRICT r0 = a;
  const float *EC_RESTRICT bp = b;
  const float *EC_RESTRICT bq = b + bs;
  int32_t kk;
  for (kk = 0; kk < k; ++kk) {
    const float v = *r0;
    a0 = EC_MAC(a0, v, bp[0]); a1 = EC_MAC(a1, v, bp[1]);
    a2 = EC_MAC(a2, v, bp[2]); a3 = EC_MAC(a3, v, bp[3]);
    a4 = EC_MAC(a4, v, bq[0]); a5 = EC_MAC(a5, v, bq[1]);
    a6 = EC_MAC(a6, v, bq[2]); a7 = EC_MAC(a7, v, bq[3]);
    r0 += sk;
    bp += 4;
    bq += 4;
  }
  acc[0] = a0; acc[1] = a1; acc[2] = a2; acc[3] = a3;
  acc[4] = a4; acc[5] = a5; acc[6] = a6; acc[7] = a7;
}
#endif

/* One row of A x one 4-column block of packed B. */
static void mm_1x4(const float *a, int32_t sk, int32_t k, const float *b, float *acc) {
  float a0 = 0.0f, a1 = 0.0f, a2 = 0.0f, a3 = 0.0f;
  const float *EC_RESTRICT r0 = a;
  const float *EC_RESTRICT bp = b;
  int32_t kk;
  for (kk = 0; kk < k; ++kk) {
    const float v = *r0;
    a0 = EC_MAC(a0, v, bp[0]); a1 = EC_MAC(a1, v, bp[1]);
    a2 = EC_MAC(a2, v, bp[2]); a3 = EC_MAC(a3, v, bp[3]);
    r0 += sk;
    bp += 4;
  }
  acc[0] = a0; acc[1] = a1; acc[2] = a2; acc[3] = a3;
}

/* acc (rows of width aw) -> out rows i0.., columns j0 .. j0 + nv. */
static void mm_store(const ec_matmul_f32_params *p, const float *acc, int32_t aw,
                     int32_t rows, int32_t nv, int32_t i0, int32_t j0,
                     const float *c, float *ob) {
  int32_t i, j;
  for (i = 0; i < rows; ++i)
    for (j = 0; j < nv; ++j) {
      float v = acc[aw * i + j] * p->alpha;
      if (c) v += p->beta * c[(i0 + i) * p->c_sm + (j0 + j) * p->c_sn];
      ob[(i0 + i) * p->n + j0 + j] = ec_activate_f32(v, &p->act);
    }
}

static void matmul_packed(const ec_matmul_f32_params *p, const float *a,
                          const float *b, const float *c, float *ob) {
  const int32_t m = p->m, n = p->n, k = p->k, nb = (n + 3) / 4;
  int32_t i, jb;
  float acc[16];
  for (i = 0; i + 4 <= m; i += 4)
    for (jb = 0; jb < nb; ++jb) {
      const int32_t nv = n - jb * 4 < 4 ? n - jb * 4 : 4;
      mm_4x4(a + i * p->a_sm, p->a_sm, p->a_sk, k, b + jb * 4 * k, acc);
      mm_store(p, acc, 4, 4, nv, i, jb * 4, c, ob);
    }
  for (; i < m; ++i) {
    const float *ar = a + i * p->a_sm;
    for (jb = 0; jb + 2 <= nb; jb += 2) {
      const int32_t nv = n - jb * 4 < 8 ? n - jb * 4 : 8;
      mm_1x8(ar, p->a_sk, k, b + jb * 4 * k, 4 * k, acc);
      mm_store(p, acc, 8, 1, nv, i, jb * 4, c, ob);
    }
    if (jb < nb) {
      mm_1x4(ar, p->a_sk, k, b + jb * 4 * k, acc);
      mm_store(p, acc, 4, 1, n - jb * 4, i, jb * 4, c, ob);
    }
  }
}

static void matmul_strided(const ec_matmul_f32_params *p, const float *ab,
                           const float *bb, const float *c, float *ob) {
  int32_t i, j, kk;
  for (i = 0; i < p->m; ++i) {
    const float *ar = ab + i * p->a_sm;
    for (j = 0; j < p->n; ++j) {
      const float *bc = bb + j * p->b_sn;
      float acc = 0.0f;
      if (p->a_sk == 1 && p->b_sk == 1)
        for (kk = 0; kk < p->k; ++kk) acc = EC_MAC(acc, ar[kk], bc[kk]);
      else
        for (kk = 0; kk < p->k; ++kk) acc = EC_MAC(acc, ar[kk * p->a_sk], bc[kk * p->b_sk]);
      acc *= p->alpha;
      if (c) acc += p->beta * c[i * p->c_sm + j * p->c_sn];
      ob[i * p->n + j] = ec_activate_f32(acc, &p->act);
    }
  }
}

void ec_matmul_f32(const ec_matmul_f32_params *p, const float *a, const float *b,
                   const float *c, float *out) {
  int32_t batches = 1, bi, d;
  for (d = 0; d < p->batch_rank; ++d) batches *= p->batch[d];
  for (bi = 0; bi < batches; ++bi) {
    const float *ab = a, *bb = b;
    float *ob = out + bi * p->m * p->n;
    int32_t rest = bi;
    for (d = p->batch_rank - 1; d >= 0; --d) {
      int32_t idx = rest % p->batch[d];
      rest /= p->batch[d];
      ab += idx * p->a_sb[d];
      bb += idx * p->b_sb[d];
    }
    if (p->b_packed)
      matmul_packed(p, ab, b, c, ob);
    else
      matmul_strided(p, ab, bb, c, ob);
  }
}
