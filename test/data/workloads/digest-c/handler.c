/* digest-c (a test fixture): POST answers the FNV-1a (32-bit) digest of the request body; every
 * other method echoes what it was sent. Proves that both C adapters hand the handler the real
 * method, path, query and body. */
#include <stdint.h>
#include <string.h>

#include "handler.h"

static uint32_t fnv1a(const char *data, size_t len) {
  uint32_t hash = 2166136261u;
  for (size_t i = 0; i < len; i++) {
    hash ^= (uint8_t)data[i];
    hash *= 16777619u;
  }
  return hash;
}

void cb_handle(const struct cb_request *request, struct cb_response *response, char *body_buf) {
  size_t at = 0;
  response->status = 200;
  response->content_type = "text/plain";
  if (strcmp(request->method, "POST") == 0) {
    at = cb_put(body_buf, at, "fnv1a ");
    at = cb_put_hex32(body_buf, at, fnv1a(request->body, request->body_len));
  } else {
    at = cb_put(body_buf, at, request->method);
    at = cb_put(body_buf, at, " ");
    at = cb_put(body_buf, at, request->path);
    at = cb_put(body_buf, at, " ");
    at = cb_put(body_buf, at, request->query);
  }
  at = cb_put(body_buf, at, " ");
  at = cb_put_uint(body_buf, at, request->body_len);
  response->body_len = cb_put(body_buf, at, " bytes\n");
}
