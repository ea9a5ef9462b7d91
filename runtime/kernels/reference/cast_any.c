#include "cast_any.h"

static int64_t read_i(int32_t t, const void *in, int32_t i) {
  switch (t) {
  case EC_CAST_I8: return ((const int8_t *)in)[i];
  case EC_CAST_U8: return ((const uint8_t *)in)[i];
  case EC_CAST_BOOL: return ((const uint8_t *)in)[i] != 0;
  case EC_CAST_I16: return ((const int16_t *)in)[i];
  case EC_CAST_U16: return ((const uint16_t *)in)[i];
  case EC_CAST_I32: return ((const int32_t *)in)[i];
  case EC_CAST_U32: return ((const uint32_t *)in)[i];
  default: return ((const int64_t *)in)[i];
  }
}

static void write_i(int32_t t, void *out, int32_t i, int64_t v) {
  switch (t) {
  case EC_CAST_I8: ((int8_t *)out)[i] = (int8_t)v; break;
  case EC_CAST_U8: ((uint8_t *)out)[i] = (uint8_t)v; break;
  case EC_CAST_BOOL: ((uint8_t *)out)[i] = (uint8_t)(v != 0); break;
  case EC_CAST_I16: ((int16_t *)out)[i] = (int16_t)v; break;
  case EC_CAST_U16: ((uint16_t *)out)[i] = (uint16_t)v; break;
  case EC_CAST_I32: ((int32_t *)out)[i] = (int32_t)v; break;
  case EC_CAST_U32: ((uint32_t *)out)[i] = (uint32_t)v; break;
  default: ((int64_t *)out)[i] = v; break;
  }
}

void ec_cast(const ec_cast_params *p, const void *in, void *out) {
  int32_t i;
  for (i = 0; i < p->count; ++i) {
    if (p->from == EC_CAST_F32) {
      const float v = ((const float *)in)[i];
      if (p->to == EC_CAST_BOOL) ((uint8_t *)out)[i] = (uint8_t)(v != 0.0f);
      else write_i(p->to, out, i, (int64_t)v);
    } else {
      const int64_t v = read_i(p->from, in, i);
      if (p->to == EC_CAST_F32)
        ((float *)out)[i] = (float)v;
      else write_i(p->to, out, i, v);
    }
  }
}
