/* The json-c workload: a small routed JSON API in C, for latency at the resolution a fast server
 * answers in. GET /health, GET /users/<id>, POST /orders (a flat JSON object with "qty" and
 * "priceCents"); anything else is a JSON 404. Parsing is deliberately minimal: it finds the two
 * numeric fields by name, which is all the route needs. */
#include <stdlib.h>
#include <string.h>

#include "handler.h"

static void json(struct cb_response *response, int status, char *body_buf, size_t len) {
  response->status = status;
  response->content_type = "application/json";
  response->body = body_buf;
  response->body_len = len;
}

/* The unsigned integer after "name": in a flat JSON object; -1 when absent or not a number. */
static long field(const char *body, const char *name) {
  const char *at = strstr(body, name);
  if (!at) return -1;
  at += strlen(name);
  while (*at == ' ') at++;
  if (*at != ':') return -1;
  at++;
  while (*at == ' ') at++;
  if (*at < '0' || *at > '9') return -1;
  return strtol(at, NULL, 10);
}

void cb_handle(const struct cb_request *request, struct cb_response *response, char *body_buf) {
  const char *path = request->path;
  int get = strcmp(request->method, "GET") == 0;
  if (get && strcmp(path, "/health") == 0) {
    json(response, 200, body_buf, cb_put(body_buf, 0, "{\"status\":\"ok\"}\n"));
    return;
  }
  if (get && strncmp(path, "/users/", 7) == 0 && path[7] >= '0' && path[7] <= '9') {
    unsigned long id = strtoul(path + 7, NULL, 10);
    size_t at = cb_put(body_buf, 0, "{\"id\":");
    at = cb_put_uint(body_buf, at, id);
    at = cb_put(body_buf, at, ",\"name\":\"user-");
    at = cb_put_uint(body_buf, at, id);
    at = cb_put(body_buf, at, id % 2 ? "\",\"tier\":\"basic\"}\n" : "\",\"tier\":\"gold\"}\n");
    json(response, 200, body_buf, at);
    return;
  }
  if (strcmp(request->method, "POST") == 0 && strcmp(path, "/orders") == 0) {
    long qty = field(request->body, "\"qty\"");
    long price = field(request->body, "\"priceCents\"");
    if (qty < 0 || price < 0) {
      json(response, 400, body_buf, cb_put(body_buf, 0, "{\"error\":\"qty and priceCents must be whole numbers\"}\n"));
      return;
    }
    size_t at = cb_put(body_buf, 0, "{\"qty\":");
    at = cb_put_uint(body_buf, at, (unsigned long)qty);
    at = cb_put(body_buf, at, ",\"totalCents\":");
    at = cb_put_uint(body_buf, at, (unsigned long)(qty * price));
    json(response, 200, body_buf, cb_put(body_buf, at, "}\n"));
    return;
  }
  json(response, 404, body_buf, cb_put(body_buf, 0, "{\"error\":\"not found\"}\n"));
}
