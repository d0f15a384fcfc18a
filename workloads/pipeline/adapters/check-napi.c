/* The check stage as a Node addon (N-API), for the linked floor: the same C, called in-process
 * from JS. run(line) -> { ok: true, value } or { ok: false, error }. */
#include <node_api.h>
#include <stdlib.h>

#include "check.h"

static napi_value run(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  size_t len = 0;
  if (argc < 1 || napi_get_value_string_utf8(env, argv[0], NULL, 0, &len) != napi_ok) {
    napi_throw_type_error(env, NULL, "run(line): line must be a string");
    return NULL;
  }
  char *line = malloc(len + 1);
  if (!line) abort();
  napi_get_value_string_utf8(env, argv[0], line, len + 1, &len);
  char out[CHECK_OUT_MAX];
  size_t out_len = 0;
  int refused = check_order(line, len, out, &out_len);
  free(line);
  napi_value result, ok, text;
  napi_create_object(env, &result);
  napi_get_boolean(env, !refused, &ok);
  napi_create_string_utf8(env, out, out_len, &text);
  napi_set_named_property(env, result, "ok", ok);
  napi_set_named_property(env, result, refused ? "error" : "value", text);
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "run", NAPI_AUTO_LENGTH, run, NULL, &fn);
  napi_set_named_property(env, exports, "run", fn);
  return exports;
}
