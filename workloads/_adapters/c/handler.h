/* The contract between a C workload handler and its adapters (the native HTTP server and the
 * wasi:http component bindings): the same handler source is compiled into both. */
#ifndef COLDBENCH_HANDLER_H
#define COLDBENCH_HANDLER_H

#include <stddef.h>

#include "put.h"

/* Every field is filled by both adapters from the real request. */
struct cb_request {
  const char *method; /* "GET", "POST", ... as sent (an unusual method too, e.g. "PURGE") */
  const char *path;   /* the request target before the first '?', as sent (not decoded) */
  const char *query;  /* after '?', "" when absent */
  const char *body;   /* body_len bytes (may contain NULs; NUL-terminated as a convenience) */
  size_t body_len;
};

/* The largest request body the adapters hand to cb_handle. A larger body is answered
 * 413 "request body too large\n" (text/plain) without calling cb_handle; the JS adapters
 * (node-server.js, wasi-http.js) apply the same limit the same way. */
#define CB_REQUEST_BODY_MAX (1024 * 1024)

struct cb_response {
  int status;
  const char *content_type;
  char *body;      /* written by the handler into body_buf, or pointed at a constant */
  size_t body_len;
};

/* Fills `response`. `body_buf` has room for CB_BODY_MAX bytes. */
#define CB_BODY_MAX 4096
void cb_handle(const struct cb_request *request, struct cb_response *response, char *body_buf);

/* For the adapters: the answer to a request body over CB_REQUEST_BODY_MAX. */
static inline void cb_answer_too_large(struct cb_response *response) {
  static char text[] = "request body too large\n";
  response->status = 413;
  response->content_type = "text/plain";
  response->body = text;
  response->body_len = sizeof text - 1;
}

/* Formatting helpers for handlers, bounded by CB_BODY_MAX (see put.h). */
static inline size_t cb_put(char *buf, size_t at, const char *text) {
  return cb_put_within(buf, at, CB_BODY_MAX, text);
}

static inline size_t cb_put_uint(char *buf, size_t at, unsigned long value) {
  return cb_put_uint_within(buf, at, CB_BODY_MAX, value);
}

static inline size_t cb_put_hex32(char *buf, size_t at, unsigned int value) {
  return cb_put_hex32_within(buf, at, CB_BODY_MAX, value);
}

#endif
