/* The infer workload in C (infer and infer-py are its twins, answer for answer): a fixed two-layer
 * int8 MLP (784 inputs, 128 hidden, 10 classes) over a batch of 16 28x28 images, in integer
 * arithmetic so that every language, runtime and architecture gives the same bytes.
 * - Weights and biases come from xorshift32 seeded 0x12345678, in this order: W1 (128 rows of 784),
 *   b1 (128), W2 (10 rows of 128), b2 (10). A weight is (x >> 24) - 128, a bias (x >> 16 & 0xffff) - 32768.
 * - The images come from xorshift32 seeded (seed ^ 0x9e3779b9), seed from ?seed=N (1 to 9 digits,
 *   default 1): 16 x 784 pixels, each x >> 24 (0..255).
 * - hidden = clamp(b1 + W1 . pixels, 0, 255 << 12) >> 12; score = b2 + W2 . hidden.
 * - The answer: one line per image, the class (first highest score) then the 10 scores. */
#include <stdint.h>

#include "handler.h"

#define INPUTS 784
#define HIDDEN 128
#define CLASSES 10
#define BATCH 16

static int8_t w1[HIDDEN][INPUTS], w2[CLASSES][HIDDEN];
static int32_t b1[HIDDEN], b2[CLASSES];
static int ready;

static uint32_t next(uint32_t *x) {
  *x ^= *x << 13;
  *x ^= *x >> 17;
  *x ^= *x << 5;
  return *x;
}

static void load_model(void) {
  uint32_t x = 0x12345678;
  for (int j = 0; j < HIDDEN; j++)
    for (int i = 0; i < INPUTS; i++) w1[j][i] = (int8_t)((int)(next(&x) >> 24) - 128);
  for (int j = 0; j < HIDDEN; j++) b1[j] = (int32_t)((next(&x) >> 16) & 0xffff) - 32768;
  for (int k = 0; k < CLASSES; k++)
    for (int j = 0; j < HIDDEN; j++) w2[k][j] = (int8_t)((int)(next(&x) >> 24) - 128);
  for (int k = 0; k < CLASSES; k++) b2[k] = (int32_t)((next(&x) >> 16) & 0xffff) - 32768;
  ready = 1;
}

static uint32_t query_seed(const char *query) {
  for (const char *p = query; *p;) {
    if (p[0] == 's' && p[1] == 'e' && p[2] == 'e' && p[3] == 'd' && p[4] == '=') {
      uint32_t seed = 0;
      int digits = 0;
      for (const char *d = p + 5; *d >= '0' && *d <= '9'; d++) seed = seed * 10 + (uint32_t)(*d - '0'), digits++;
      if (digits >= 1 && digits <= 9 && (p[5 + digits] == '\0' || p[5 + digits] == '&')) return seed;
      return 1;
    }
    while (*p && *p != '&') p++;
    if (*p) p++;
  }
  return 1;
}

static size_t put_int(char *buf, size_t at, int32_t value) {
  if (value < 0) {
    at = cb_put(buf, at, "-");
    return cb_put_uint(buf, at, (unsigned long)(-(int64_t)value));
  }
  return cb_put_uint(buf, at, (unsigned long)value);
}

void cb_handle(const struct cb_request *request, struct cb_response *response, char *body_buf) {
  if (!ready) load_model();
  uint32_t x = query_seed(request->query) ^ 0x9e3779b9;
  static uint8_t pixels[INPUTS];
  uint8_t hidden[HIDDEN];
  size_t at = 0;
  for (int image = 0; image < BATCH; image++) {
    for (int i = 0; i < INPUTS; i++) pixels[i] = (uint8_t)(next(&x) >> 24);
    for (int j = 0; j < HIDDEN; j++) {
      int32_t acc = b1[j];
      for (int i = 0; i < INPUTS; i++) acc += (int32_t)w1[j][i] * pixels[i];
      hidden[j] = (uint8_t)(acc < 0 ? 0 : acc >= (255 << 12) ? 255 : acc >> 12);
    }
    int32_t scores[CLASSES];
    int best = 0;
    for (int k = 0; k < CLASSES; k++) {
      int32_t acc = b2[k];
      for (int j = 0; j < HIDDEN; j++) acc += (int32_t)w2[k][j] * hidden[j];
      scores[k] = acc;
      if (acc > scores[best]) best = k;
    }
    at = cb_put_uint(body_buf, at, (unsigned long)best);
    for (int k = 0; k < CLASSES; k++) at = put_int(body_buf, cb_put(body_buf, at, " "), scores[k]);
    at = cb_put(body_buf, at, "\n");
  }
  response->status = 200;
  response->content_type = "text/plain";
  response->body = body_buf;
  response->body_len = at;
}
