#include "matmul_f32.h"

#include "activation_f32.h"

void ec_matmul_f32(const ec_matmul_f32_params *p, const float *a, const float *b,
                   const float *c, float *out) {
  int32_t batches = 1, bi, d, i, j, kk;
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
    for (i = 0; i < p->m; ++i) {
      const float *ar = ab + i * p->a_sm;
      for (j = 0; j < p->n; ++j) {
        const float *bc = bb + j * p->b_sn;
        float acc = 0.0f;
        if (p->a_sk == 1 && p->b_sk == 1)
          for (kk = 0; kk < p->k; ++kk) acc += ar[kk] * bc[kk];
        else
          for (kk = 0; kk < p->k; ++kk) acc += ar[kk * p->a_sk] * bc[kk * p->b_sk];
        acc *= p->alpha;
        if (c) acc += p->beta * c[i * p->c_sm + j * p->c_sn];
        ob[i * p->n + j] = ec_activate_f32(acc, &p->act);
      }
    }
  }
}
