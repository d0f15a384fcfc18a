/* Test-only: /trap traps, /loop never returns, anything else answers "ok". */
#include <string.h>
#include "handler.h"

void cb_handle(const struct cb_request *request, struct cb_response *response, char *body_buf) {
  if (strcmp(request->path, "/trap") == 0) __builtin_trap();
  if (strcmp(request->path, "/loop") == 0) { volatile unsigned long n = 0; for (;;) n++; }
  memcpy(body_buf, "ok\n", 3);
  response->status = 200;
  response->content_type = "text/plain";
  response->body_len = 3;
}
