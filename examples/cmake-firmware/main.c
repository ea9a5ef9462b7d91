/*
 * Firmware example: runs two models compiled by edgec_add_model() and
 * checks each output against a reference (`edgec run`'s output):
 *
 *   firmware VWW_IN.npy VWW_WANT.npy TINY_IN.npy TINY_WANT.npy
 *
 * The files are float32 .npy arrays, read with stdio (on a Cortex-M board
 * under QEMU through semihosting). An output matches when
 * |got - want| <= 1e-5 + 1e-4 |want| (edgec validate's default tolerance).
 * Exit status 0 when both match.
 */
#include "tiny.h"
#include "vww.h"
#include "ec_platform.h"

#include <stdio.h>
#include <string.h>

/* One arena per model: the caller owns all memory. */
static uint8_t vww_arena[vww_ARENA_SIZE] EC_ALIGNED(vww_ARENA_ALIGN);
static uint8_t tiny_arena[tiny_ARENA_SIZE] EC_ALIGNED(tiny_ARENA_ALIGN);
static float vww_in[vww_INPUT0_ELEMENTS], vww_out[vww_OUTPUT0_ELEMENTS], vww_want[vww_OUTPUT0_ELEMENTS];
static float tiny_in[tiny_INPUT0_ELEMENTS], tiny_out[tiny_OUTPUT0_ELEMENTS], tiny_want[tiny_OUTPUT0_ELEMENTS];

/* Reads a little-endian float32 .npy file (format 1.x or 2.x) of exactly n values. */
static int read_npy(const char *path, float *data, size_t n) {
  unsigned char head[12];
  char header[512];
  size_t len, skip;
  int extra;
  FILE *f = fopen(path, "rb");
  if (!f) { printf("error: cannot open %s\n", path); return 1; }
  if (fread(head, 1, 10, f) != 10 || memcmp(head, "\x93NUMPY", 6) != 0) goto bad;
  if (head[6] == 1) {
    len = (size_t)head[8] | (size_t)head[9] << 8;
  } else {
    if (fread(head + 10, 1, 2, f) != 2) goto bad;
    len = (size_t)head[8] | (size_t)head[9] << 8 | (size_t)head[10] << 16 | (size_t)head[11] << 24;
  }
  if (len >= sizeof header || fread(header, 1, len, f) != len) goto bad;
  header[len] = 0;
  if (!strstr(header, "'<f4'") || !strstr(header, "'fortran_order': False")) goto bad;
  skip = fread(data, sizeof(float), n, f);
  extra = fgetc(f);
  fclose(f);
  if (skip != n || extra != EOF) {
    printf("error: %s must hold %lu float32 values\n", path, (unsigned long)n);
    return 1;
  }
  return 0;
bad:
  fclose(f);
  printf("error: %s is not a float32 C-order .npy file\n", path);
  return 1;
}

static int check(const char *model, const float *got, const float *want, size_t n) {
  size_t i, bad = 0;
  double worst = 0;
  for (i = 0; i < n; ++i) {
    double d = (double)got[i] - (double)want[i];
    double w = want[i] < 0 ? -(double)want[i] : (double)want[i];
    if (d < 0) d = -d;
    if (d > worst) worst = d;
    if (!(d <= 1e-5 + 1e-4 * w)) ++bad;
  }
  printf("%s: %lu outputs, max abs error %.3g, first %.6f: %s\n", model, (unsigned long)n, worst,
         (double)got[0], bad ? "MISMATCH" : "ok");
  return bad != 0;
}

int main(int argc, char **argv) {
  int status, fail = 0;
  ec_platform_init();
  if (argc != 5) {
    printf("usage: firmware VWW_IN.npy VWW_WANT.npy TINY_IN.npy TINY_WANT.npy\n");
    ec_platform_exit(2);
  }
  if (read_npy(argv[1], vww_in, vww_INPUT0_ELEMENTS) || read_npy(argv[2], vww_want, vww_OUTPUT0_ELEMENTS) ||
      read_npy(argv[3], tiny_in, tiny_INPUT0_ELEMENTS) || read_npy(argv[4], tiny_want, tiny_OUTPUT0_ELEMENTS))
    ec_platform_exit(3);
  status = vww_run(vww_in, vww_out, vww_arena);
  if (status != EC_OK) { printf("vww_run returned %d\n", status); ec_platform_exit(4); }
  status = tiny_run(tiny_in, tiny_out, tiny_arena);
  if (status != EC_OK) { printf("tiny_run returned %d\n", status); ec_platform_exit(4); }
  fail |= check("vww", vww_out, vww_want, vww_OUTPUT0_ELEMENTS);
  fail |= check("tiny", tiny_out, tiny_want, tiny_OUTPUT0_ELEMENTS);
  printf("firmware on %s: %s\n", ec_platform_name(), fail ? "FAIL" : "ok");
  ec_platform_exit(fail);
  return fail;
}
