/*
 * Table lookup of an elementwise integer function (the compiler evaluates
 * the interpreter's integer kernel on every input value): int8 -> int8
 * (256 entries, indexed by x + 128) and int16 -> int16 (65536 entries,
 * indexed by x + 32768).
 */
#ifndef EDGEC_LUT_S8_H
#define EDGEC_LUT_S8_H

#include "edgec_rt.h"

void ec_lut_s8(const int8_t *table, const int8_t *in, int8_t *out, size_t n);
void ec_lut_s16(const int16_t *table, const int16_t *in, int16_t *out, size_t n);

#endif
