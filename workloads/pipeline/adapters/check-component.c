/* The check stage as a component: exports coldbench:pipeline/check (see ../wit/pipeline.wit),
 * written against the canonical ABI: `run(string) -> result<string, string>` takes the string as
 * (pointer, length) in our memory (allocated by the caller through cabi_realloc, ours to free) and
 * returns a pointer to (tag: u8, then at offset 4 the string's pointer and length). */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"

__attribute__((export_name("cabi_realloc")))
void *cabi_realloc(void *old, size_t old_size, size_t align, size_t new_size) {
  (void)old_size;
  if (new_size == 0) return (void *)align; /* an empty string: never dereferenced, never freed */
  void *p = realloc(old, new_size);
  if (!p) __builtin_trap();
  return p;
}

static _Alignas(4) uint8_t ret_area[12];
static char out[CHECK_OUT_MAX];

__attribute__((export_name("coldbench:pipeline/check#run")))
uint8_t *check_run(char *order, size_t len) {
  size_t out_len = 0;
  int refused = check_order(order, len, out, &out_len);
  if (len) free(order);
  ret_area[0] = (uint8_t)refused; /* 0 ok, 1 err */
  *(char **)(ret_area + 4) = out;
  *(size_t *)(ret_area + 8) = out_len;
  return ret_area;
}

/* Called after the caller copied the answer out: `out` is static, nothing to free. */
__attribute__((export_name("cabi_post_coldbench:pipeline/check#run")))
void check_run_post(uint8_t *ret) {
  (void)ret;
}
