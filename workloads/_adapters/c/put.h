/* Tiny formatting helpers that need no stdio (in Wasm, stdio pulls in WASI preview 1 file
 * functions and a larger module). Each writes into buf from offset `at`, never past `max`, and
 * returns the new end offset. handler.h bounds them by CB_BODY_MAX; the pipeline's C stage by its
 * own output size. */
#ifndef COLDBENCH_PUT_H
#define COLDBENCH_PUT_H

#include <stddef.h>

static inline size_t cb_put_within(char *buf, size_t at, size_t max, const char *text) {
  while (*text && at < max) buf[at++] = *text++;
  return at;
}

static inline size_t cb_put_uint_within(char *buf, size_t at, size_t max, unsigned long value) {
  char digits[24];
  int n = 0;
  do {
    digits[n++] = (char)('0' + value % 10);
    value /= 10;
  } while (value);
  while (n && at < max) buf[at++] = digits[--n];
  return at;
}

static inline size_t cb_put_hex32_within(char *buf, size_t at, size_t max, unsigned int value) {
  for (int shift = 28; shift >= 0 && at < max; shift -= 4) buf[at++] = "0123456789abcdef"[(value >> shift) & 15];
  return at;
}

#endif
