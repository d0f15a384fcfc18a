/* Test-only: exits with code 3 before the server listens (a constructor runs before main). */
#include <stdio.h>
#include <stdlib.h>
#include "handler.h"

__attribute__((constructor)) static void fail_at_start(void) {
  fprintf(stderr, "exit-c: cannot start (on purpose)\n");
  exit(3);
}

void cb_handle(const struct cb_request *request, struct cb_response *response, char *body_buf) {
  (void)request;
  (void)body_buf;
  response->status = 500;
  response->body_len = 0;
}
