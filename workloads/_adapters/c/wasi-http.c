/* wasi:http/proxy@0.2.12 bindings for C workloads, written by hand against the component model's
 * canonical ABI (wit-bindgen is not available here). Only the few functions a handler needs: read
 * the request (method, target, body), build a response with content-type and content-length
 * headers, write the body, finish. The core signatures match what `jco embed --dummy` generates
 * for the same world (test/workloads-handler-contract.test.ts checks every import).
 *
 * Canonical ABI reminders: a function whose results do not fit in one core value takes a pointer
 * to a return area as its last parameter; a `result`/`option`/`variant` stores its discriminant
 * (one byte here) at offset 0 and its payload at the payload's alignment (4 for handles, strings
 * and lists, whose (pointer, length) pairs take 8 bytes). Lists and strings the host returns are
 * allocated in our memory through cabi_realloc, and are ours to free. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "handler.h"

#define IMPORT(module, name) __attribute__((import_module(module), import_name(name)))
#define HTTP_TYPES "wasi:http/types@0.2.12"
#define IO_STREAMS "wasi:io/streams@0.2.12"
#define IO_ERROR "wasi:io/error@0.2.12"

typedef int32_t handle_t;

IMPORT(HTTP_TYPES, "[method]incoming-request.method")
void incoming_request_method(handle_t self, void *ret); /* method: a variant, other(string) */
IMPORT(HTTP_TYPES, "[method]incoming-request.path-with-query")
void incoming_request_path_with_query(handle_t self, void *ret); /* option<string> */
IMPORT(HTTP_TYPES, "[method]incoming-request.consume")
void incoming_request_consume(handle_t self, void *ret); /* result<own<incoming-body>> */
IMPORT(HTTP_TYPES, "[resource-drop]incoming-request")
void incoming_request_drop(handle_t self);
IMPORT(HTTP_TYPES, "[method]incoming-body.stream")
void incoming_body_stream(handle_t self, void *ret); /* result<own<input-stream>> */
IMPORT(HTTP_TYPES, "[static]incoming-body.finish")
handle_t incoming_body_finish(handle_t body); /* own<future-trailers> */
IMPORT(HTTP_TYPES, "[resource-drop]future-trailers")
void future_trailers_drop(handle_t self);
IMPORT(HTTP_TYPES, "[constructor]fields")
handle_t fields_new(void);
IMPORT(HTTP_TYPES, "[method]fields.append")
void fields_append(handle_t self, const char *name, size_t name_len, const uint8_t *value, size_t value_len, void *ret);
IMPORT(HTTP_TYPES, "[constructor]outgoing-response")
handle_t outgoing_response_new(handle_t headers);
IMPORT(HTTP_TYPES, "[method]outgoing-response.set-status-code")
int32_t outgoing_response_set_status_code(handle_t self, int32_t status);
IMPORT(HTTP_TYPES, "[method]outgoing-response.body")
void outgoing_response_body(handle_t self, void *ret); /* result<outgoing-body> */
IMPORT(HTTP_TYPES, "[method]outgoing-body.write")
void outgoing_body_write(handle_t self, void *ret); /* result<output-stream> */
IMPORT(HTTP_TYPES, "[static]outgoing-body.finish")
void outgoing_body_finish(handle_t body, int32_t has_trailers, handle_t trailers, void *ret);
/* result<outgoing-response, error-code>, flattened: discriminant, then the joined payload slots. */
IMPORT(HTTP_TYPES, "[static]response-outparam.set")
void response_outparam_set(handle_t param, int32_t is_err, int32_t p0, int32_t p1, int64_t p2, int32_t p3,
                           int32_t p4, int32_t p5, int32_t p6);
IMPORT(IO_STREAMS, "[method]input-stream.blocking-read")
void input_stream_blocking_read(handle_t self, int64_t len, void *ret); /* result<list<u8>, stream-error> */
IMPORT(IO_STREAMS, "[resource-drop]input-stream")
void input_stream_drop(handle_t self);
IMPORT(IO_STREAMS, "[method]output-stream.blocking-write-and-flush")
void output_stream_blocking_write_and_flush(handle_t self, const uint8_t *data, size_t len, void *ret);
IMPORT(IO_STREAMS, "[resource-drop]output-stream")
void output_stream_drop(handle_t self);
IMPORT(IO_ERROR, "[resource-drop]error")
void io_error_drop(handle_t self);

/* Return areas: the largest result here (result<_, error-code>) needs 8-byte alignment. */
static _Alignas(8) uint8_t ret_area[64];

#define RET_TAG (ret_area[0])
#define RET_I32(offset) (*(int32_t *)(ret_area + (offset)))
#define RET_PTR(offset) (*(uint8_t **)(ret_area + (offset)))
#define RET_LEN(offset) (*(size_t *)(ret_area + (offset)))

/* The host allocates the strings and lists it returns to us through this export. */
__attribute__((export_name("cabi_realloc")))
void *cabi_realloc(void *old, size_t old_size, size_t align, size_t new_size) {
  (void)old_size;
  if (new_size == 0) return (void *)align; /* never dereferenced, never freed (see release) */
  return realloc(old, new_size); /* malloc's 16-byte alignment covers every type here */
}

/* Frees what the host allocated for a string or list of `len` bytes (nothing when empty). */
static void release(void *ptr, size_t len) {
  if (len) free(ptr);
}

/* A NUL-terminated copy of a string the host returned, which is released. */
static char *take_string(uint8_t *ptr, size_t len) {
  char *copy = malloc(len + 1);
  if (copy) {
    memcpy(copy, ptr, len);
    copy[len] = '\0';
  }
  release(ptr, len);
  return copy;
}

static const char *const METHODS[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"};

/* The method as text: a constant for the nine named cases, a malloc'd copy for other(string). */
static const char *request_method(handle_t request, char **owned) {
  incoming_request_method(request, ret_area);
  uint8_t tag = RET_TAG;
  if (tag < sizeof METHODS / sizeof METHODS[0]) return METHODS[tag];
  *owned = take_string(RET_PTR(4), RET_LEN(8));
  return *owned ? *owned : "";
}

/* Reads the whole body into a malloc'd, NUL-terminated buffer. Returns 0, or -1 when it is larger
 * than CB_REQUEST_BODY_MAX (reading stops there). A request without a body reads as empty. */
static int read_body(handle_t request, char **body, size_t *body_len) {
  size_t len = 0, cap = 0;
  char *data = NULL;
  int too_large = 0;
  incoming_request_consume(request, ret_area);
  if (RET_TAG == 0) {
    handle_t incoming = RET_I32(4);
    incoming_body_stream(incoming, ret_area);
    if (RET_TAG == 0) {
      handle_t stream = RET_I32(4);
      for (;;) {
        input_stream_blocking_read(stream, 65536, ret_area);
        if (RET_TAG != 0) {
          /* stream-error: last-operation-failed(error) or closed (the end of the body). */
          if (ret_area[4] == 0) io_error_drop(RET_I32(8));
          break;
        }
        uint8_t *chunk = RET_PTR(4);
        size_t chunk_len = RET_LEN(8);
        if (chunk_len > CB_REQUEST_BODY_MAX - len) {
          release(chunk, chunk_len);
          too_large = 1;
          break;
        }
        if (len + chunk_len + 1 > cap) {
          size_t grown = cap ? cap * 2 : 4096;
          while (grown < len + chunk_len + 1) grown *= 2;
          char *bigger = realloc(data, grown);
          if (!bigger) {
            release(chunk, chunk_len);
            too_large = 1;
            break;
          }
          data = bigger;
          cap = grown;
        }
        memcpy(data + len, chunk, chunk_len);
        len += chunk_len;
        release(chunk, chunk_len);
      }
      input_stream_drop(stream); /* a child of the body: dropped before the body is finished */
    }
    future_trailers_drop(incoming_body_finish(incoming));
  }
  if (too_large) {
    free(data);
    return -1;
  }
  if (!data) data = malloc(1);
  if (data) data[len] = '\0';
  *body = data;
  *body_len = data ? len : 0;
  return 0;
}

static void append_header(handle_t headers, const char *name, const char *value, size_t value_len) {
  fields_append(headers, name, strlen(name), (const uint8_t *)value, value_len, ret_area);
}

__attribute__((export_name("wasi:http/incoming-handler@0.2.12#handle")))
void wasi_http_handle(handle_t request, handle_t response_out) {
  static char body_buf[CB_BODY_MAX];

  char *method_owned = NULL;
  const char *method = request_method(request, &method_owned);

  char *target = NULL;
  incoming_request_path_with_query(request, ret_area);
  if (RET_TAG) target = take_string(RET_PTR(4), RET_LEN(8));
  char *query = target ? strchr(target, '?') : NULL;
  if (query) *query++ = '\0';

  char *body = NULL;
  size_t body_len = 0;
  int too_large = read_body(request, &body, &body_len) != 0;
  incoming_request_drop(request);

  struct cb_response res = {200, "text/plain", body_buf, 0};
  if (too_large) {
    cb_answer_too_large(&res);
  } else {
    struct cb_request req = {method, target && *target ? target : "/", query ? query : "", body ? body : "", body_len};
    cb_handle(&req, &res, body_buf);
  }
  free(body);
  free(target);
  free(method_owned);

  char length[24];
  size_t length_len = cb_put_uint(length, 0, res.body_len);
  handle_t headers = fields_new();
  append_header(headers, "content-type", res.content_type, strlen(res.content_type));
  append_header(headers, "content-length", length, length_len);
  handle_t response = outgoing_response_new(headers);
  outgoing_response_set_status_code(response, res.status);
  outgoing_response_body(response, ret_area);
  handle_t out_body = RET_I32(4);
  response_outparam_set(response_out, 0, response, 0, 0, 0, 0, 0, 0);

  outgoing_body_write(out_body, ret_area);
  handle_t stream = RET_I32(4);
  /* blocking-write-and-flush takes at most 4096 bytes per call. */
  for (size_t offset = 0; offset < res.body_len; offset += 4096) {
    size_t chunk = res.body_len - offset < 4096 ? res.body_len - offset : 4096;
    output_stream_blocking_write_and_flush(stream, (const uint8_t *)res.body + offset, chunk, ret_area);
  }
  output_stream_drop(stream);
  outgoing_body_finish(out_body, 0, 0, ret_area);
}
