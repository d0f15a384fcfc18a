/* Test-only: /trap traps, /loop never returns, /grow grows its linear memory a page at a time
   until a grow fails (then traps), /print writes 64 KiB to stdout; anything else answers "ok". */
#include <string.h>
#include <unistd.h>
#include "handler.h"

static char noise[64 * 1024];

void cb_handle(const struct cb_request *request, struct cb_response *response, char *body_buf) {
  if (strcmp(request->path, "/trap") == 0) __builtin_trap();
  if (strcmp(request->path, "/loop") == 0) { volatile unsigned long n = 0; for (;;) n++; }
  if (strcmp(request->path, "/grow") == 0) {
    for (;;) {
      long page = __builtin_wasm_memory_grow(0, 1);
      if (page < 0) __builtin_trap();
      ((volatile char *)(page * 65536))[0] = 1; /* touch it: resident, not only reserved */
    }
  }
  if (strcmp(request->path, "/print") == 0) {
    memset(noise, '.', sizeof noise);
    noise[sizeof noise - 1] = '\n';
    for (size_t at = 0; at < sizeof noise;) {
      ssize_t n = write(1, noise + at, sizeof noise - at);
      if (n <= 0) break;
      at += (size_t)n;
    }
  }
  memcpy(body_buf, "ok\n", 3);
  response->status = 200;
  response->content_type = "text/plain";
  response->body_len = 3;
}
