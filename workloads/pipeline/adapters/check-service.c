/* The check stage as an HTTP service: a C handler (see _adapters/c/handler.h) linked with the C
 * HTTP front. POST /check with an order line: 200 and the checked line, or 422 and why not. */
#include <string.h>

#include "check.h"
#include "handler.h"

void cb_handle(const struct cb_request *request, struct cb_response *response, char *body_buf) {
  response->content_type = "text/plain";
  if (strcmp(request->path, "/check") != 0 || strcmp(request->method, "POST") != 0) {
    static char missing[] = "not found\n";
    response->status = 404;
    response->body = missing;
    response->body_len = sizeof missing - 1;
    return;
  }
  size_t len = 0; /* CHECK_OUT_MAX fits in CB_BODY_MAX */
  response->status = check_order(request->body, request->body_len, body_buf, &len) ? 422 : 200;
  response->body = body_buf;
  response->body_len = len;
}
