/* The hello-c workload: hello's twin in C, the same fixed greeting. */
#include <string.h>

#include "handler.h"

void cb_handle(const struct cb_request *request, struct cb_response *response, char *body_buf) {
  (void)request;
  static const char greeting[] = "hello from coldbench\n";
  memcpy(body_buf, greeting, sizeof greeting - 1);
  response->status = 200;
  response->content_type = "text/plain; charset=utf-8";
  response->body_len = sizeof greeting - 1;
}
