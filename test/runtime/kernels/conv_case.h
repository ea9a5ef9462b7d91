/*
 * Random convolution geometry for the cases: 1-D and 2-D, 1x1 / 3x3 / wide
 * windows, strides, dilations, padding on either side, batches, NCHW or
 * channels-last strides, and the ec_conv_s8_params fields it gives.
 */
#ifndef EDGEC_TEST_CONV_CASE_H
#define EDGEC_TEST_CONV_CASE_H

#include "harness.h"
#include "requant_case.h"

#include "kernels/reference/conv_s8.h"

typedef struct {
  int32_t batch, in_h, in_w, in_c, out_c, out_h, out_w;
  int32_t k_h, k_w, stride_h, stride_w, dil_h, dil_w, pad_t, pad_l;
  int nhwc;
} ec_conv_case;

enum { EC_CONV_MAX_IN_H = 9, EC_CONV_MAX_IN_W = 10, EC_CONV_MAX_DIL = 2 };
/* The longest output side for an input side `in` and windows of up to k
 * taps (padding of up to a whole window on both sides, stride 1). */
#define EC_CONV_MAX_OUT(in, k) ((in) + ((k) - 1) * EC_CONV_MAX_DIL + 2)

/* A geometry with in_c / out_c up to max_c / max_m, windows up to max_k
 * taps a side, at least one output pixel, batch up to 2. */
void conv_case(ec_rng *r, int32_t max_c, int32_t max_m, int32_t max_k, int nhwc,
               ec_conv_case *g);

/* The geometry and stride fields of p (g.cols = out_c, g.depth = k_h k_w
 * in_c / groups); the caller sets weights, biases and requantization. */
void conv_params(const ec_conv_case *g, int32_t groups, ec_conv_s8_params *p);

/* One random layer of geometry g with `groups` groups: weights w [out_c]
 * [k_h][k_w][in_c / groups] (the whole int8 range or small), the input in
 * (read from a random byte offset), its zero point, requantization q,
 * biases raw and folded (layer_biases), and ref: the ec_conv_s8 call on
 * them. fast: `fast` is set for the optimized kernel (in 3 of 4 layers that
 * allow it). */
typedef struct {
  ec_conv_s8_params ref;
  ec_requant_case q;
  int32_t in_zp, in_off;
  int fast;
} ec_conv_layer;

void conv_layer(ec_rng *r, const ec_conv_case *g, int32_t groups, int8_t *w, int8_t *in,
                int32_t *raw, int32_t *folded, ec_conv_layer *l);

/* Writes the geometry into what (n bytes); returns its length. */
size_t conv_describe(const ec_conv_case *g, char *what, size_t n);

size_t conv_in_elems(const ec_conv_case *g);
size_t conv_out_elems(const ec_conv_case *g);

#endif
