/*
 * A bare-metal firmware image that runs the openWakeWord speech embedding
 * CNN compiled by edgec (package in pkg/, `embedding.h`) on one shipped
 * 76x32 mel window and prints the first values of the 96-dim embedding.
 * Output goes through semihosting (QEMU prints it); the platform layer
 * (runtime/platform) provides startup code and the instruction counter.
 */
#include "embedding.h"
#include "ec_platform.h"

#include <stdio.h>

#include "input_data.h" /* input_data.f[]: the mel window, generated from input.f32 */

/* The caller owns all memory: one arena, aligned as the header says. */
static uint8_t arena[embedding_ARENA_SIZE] EC_ALIGNED(embedding_ARENA_ALIGN);
static float embedding[embedding_OUTPUT0_ELEMENTS];

int main(void) {
  uint64_t t0, t1;
  int status, i;
  ec_platform_init();
  t0 = ec_platform_counter();
  status = embedding_run(input_data.f, embedding, arena);
  t1 = ec_platform_counter();
  printf("wakeword-embedding on %s: status %d, %lu %s, arena %u bytes\n",
         ec_platform_name(), status, (unsigned long)(t1 - t0), ec_platform_counter_unit(),
         (unsigned)embedding_ARENA_SIZE);
  printf("embedding[0..7]:");
  for (i = 0; i < 8; ++i) printf(" %.4f", (double)embedding[i]);
  printf("\n");
  return status;
}
