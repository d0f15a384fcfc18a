/* wasi:http/proxy@0.2.12 bindings for C workloads, written by hand against the component model's
 * canonical ABI (wit-bindgen is not available here). Only the few functions a handler needs:
 * read the request target, build a response with a content-type header, write the body, finish.
 * The core signatures match what `jco embed --dummy` generates for the same world. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "handler.h"

#define IMPORT(module, name) __attribute__((import_module(module), import_name(name)))
#define HTTP_TYPES "wasi:http/types@0.2.12"
#define IO_STREAMS "wasi:io/streams@0.2.12"

typedef int32_t handle_t;

IMPORT(HTTP_TYPES, "[method]incoming-request.path-with-query")
void incoming_request_path_with_query(handle_t self, void *ret); /* option<string> */
IMPORT(HTTP_TYPES, "[resource-drop]incoming-request")
void incoming_request_drop(handle_t self);
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
IMPORT(IO_STREAMS, "[method]output-stream.blocking-write-and-flush")
void output_stream_blocking_write_and_flush(handle_t self, const uint8_t *data, size_t len, void *ret);
IMPORT(IO_STREAMS, "[resource-drop]output-stream")
void output_stream_drop(handle_t self);

/* Return areas: the largest result here (result<_, error-code>) needs 8-byte alignment. */
static _Alignas(8) uint8_t ret_area[64];

/* The host allocates strings it returns to us (path-with-query) through this export. */
__attribute__((export_name("cabi_realloc")))
void *cabi_realloc(void *old, size_t old_size, size_t align, size_t new_size) {
  (void)old_size;
  (void)align; /* malloc's 16-byte alignment covers every type here */
  if (new_size == 0) return (void *)align;
  return realloc(old, new_size);
}

/* The request body is not read: the C workloads answer from the request target alone. */
__attribute__((export_name("wasi:http/incoming-handler@0.2.12#handle")))
void wasi_http_handle(handle_t request, handle_t response_out) {
  static char target[2048];
  static char body_buf[CB_BODY_MAX];

  incoming_request_path_with_query(request, ret_area);
  size_t target_len = 0;
  if (ret_area[0]) {
    char *ptr = *(char **)(ret_area + 4);
    size_t len = *(size_t *)(ret_area + 8);
    target_len = len < sizeof target - 1 ? len : sizeof target - 1;
    memcpy(target, ptr, target_len);
    free(ptr);
  }
  target[target_len] = '\0';
  incoming_request_drop(request);

  char *query = strchr(target, '?');
  if (query) *query++ = '\0';
  struct cb_request req = {"GET", target_len ? target : "/", query ? query : "", "", 0};
  struct cb_response res = {200, "text/plain", body_buf, 0};
  cb_handle(&req, &res, body_buf);

  handle_t headers = fields_new();
  fields_append(headers, "content-type", 12, (const uint8_t *)res.content_type, strlen(res.content_type), ret_area);
  handle_t response = outgoing_response_new(headers);
  outgoing_response_set_status_code(response, res.status);
  outgoing_response_body(response, ret_area);
  handle_t body = *(handle_t *)(ret_area + 4);
  response_outparam_set(response_out, 0, response, 0, 0, 0, 0, 0, 0);

  outgoing_body_write(body, ret_area);
  handle_t stream = *(handle_t *)(ret_area + 4);
  /* blocking-write-and-flush takes at most 4096 bytes per call. */
  for (size_t offset = 0; offset < res.body_len; offset += 4096) {
    size_t chunk = res.body_len - offset < 4096 ? res.body_len - offset : 4096;
    output_stream_blocking_write_and_flush(stream, (const uint8_t *)res.body + offset, chunk, ret_area);
  }
  output_stream_drop(stream);
  outgoing_body_finish(body, 0, 0, ret_area);
}
