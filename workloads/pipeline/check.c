/* The pipeline's check stage (C): validates one canonical order line and appends its total and a
 * checksum. Pure: no I/O and no libc beyond memory functions, so the same source is compiled into
 * the Wasm stage (check-component.c), the native HTTP service (check-service.c) and the Node
 * addon of the linked floor (check-napi.c).
 *
 * A sku of exactly "TRAP" makes the stage trap (abort): the test of what one failing stage does
 * to the others in each deployment. */
#include "check.h"
#include "put.h"

#include <stdint.h>
#include <string.h>

static int refuse(const char *why, char *out, size_t *out_len) {
  *out_len = cb_put_within(out, 0, CHECK_OUT_MAX, why);
  return 1;
}

/* Reads `<name>=<value>` at *at (ending at ';' or the end); 0 when the name differs. */
static int field(const char *in, size_t len, size_t *at, const char *name, const char **value, size_t *value_len) {
  size_t n = strlen(name);
  if (*at + n + 1 > len || memcmp(in + *at, name, n) != 0 || in[*at + n] != '=') return 0;
  size_t start = *at + n + 1, end = start;
  while (end < len && in[end] != ';') end++;
  *value = in + start;
  *value_len = end - start;
  *at = end < len ? end + 1 : end;
  return 1;
}

static int number(const char *text, size_t len, unsigned long max, unsigned long *value) {
  if (len == 0 || len > 9) return 0;
  unsigned long v = 0;
  for (size_t i = 0; i < len; i++) {
    if (text[i] < '0' || text[i] > '9') return 0;
    v = v * 10 + (unsigned long)(text[i] - '0');
  }
  *value = v;
  return v >= 1 && v <= max;
}

int check_order(const char *in, size_t len, char *out, size_t *out_len) {
  const char *sku, *qty_text, *price_text;
  size_t sku_len, qty_len, price_len, at = 0;
  if (!field(in, len, &at, "sku", &sku, &sku_len) || !field(in, len, &at, "qty", &qty_text, &qty_len) ||
      !field(in, len, &at, "price", &price_text, &price_len) || at != len)
    return refuse("malformed order line", out, out_len);
  if (sku_len == 4 && memcmp(sku, "TRAP", 4) == 0) __builtin_trap();
  if (sku_len < 1 || sku_len > 32) return refuse("sku must be 1-32 characters", out, out_len);
  for (size_t i = 0; i < sku_len; i++) {
    char c = sku[i];
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) return refuse("sku may hold only A-Z, 0-9 and -", out, out_len);
  }
  unsigned long qty, price;
  if (!number(qty_text, qty_len, 1000, &qty)) return refuse("qty must be 1-1000", out, out_len);
  if (!number(price_text, price_len, 1000000, &price)) return refuse("price must be 1-1000000 cents", out, out_len);

  uint32_t sum = 2166136261u; /* FNV-1a, 32 bits, over the line as received */
  for (size_t i = 0; i < len; i++) sum = (sum ^ (uint8_t)in[i]) * 16777619u;
  if (len + 64 > CHECK_OUT_MAX) return refuse("order line too long", out, out_len);
  memcpy(out, in, len);
  size_t o = cb_put_within(out, len, CHECK_OUT_MAX, ";total=");
  o = cb_put_uint_within(out, o, CHECK_OUT_MAX, qty * price);
  o = cb_put_within(out, o, CHECK_OUT_MAX, ";sum=");
  *out_len = cb_put_hex32_within(out, o, CHECK_OUT_MAX, sum);
  return 0;
}
