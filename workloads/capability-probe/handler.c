/* The capability probe: GET /probe?port=N&file=PATH&dir=PATH tries what a tenant should not be able
 * to do unless granted, and answers one JSON object of outcomes ("reached", "refused" with the
 * error, or "not-available" when the runtime offers no such call):
 *   env-vars         how many environment variables it sees, and their names (never their values)
 *   env-sentinel     whether COLDBENCH_RUN, which the harness puts in every process it starts, is visible
 *   read-etc-passwd, read-etc-shadow    reading the tenant's view of /etc
 *   read-harness-file                   reading FILE, which the harness wrote on the host
 *   write-tmp, write-root               creating (then removing) a file in /tmp and in /
 *   write-harness-dir                   creating DIR/from-tenant, a directory the harness made on the host
 *   connect-harness                     a TCP connection to 127.0.0.1:PORT, where the harness listens
 * It uses plain libc (getenv, fopen, socket): in Wasm those go through WASI preview 1, so this is
 * also what a C program sees that was written without Wasm in mind. Any other path: a fixed line. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifndef __wasi__
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#endif

#include "handler.h"

extern char **environ;

/* The value of `key` in a query string like "port=1&file=/x", copied into out ("" when absent). */
static void query_value(const char *query, const char *key, char *out, size_t room) {
  size_t key_len = strlen(key);
  out[0] = '\0';
  for (const char *at = query; at && *at; at = strchr(at, '&') ? strchr(at, '&') + 1 : NULL) {
    if (strncmp(at, key, key_len) == 0 && at[key_len] == '=') {
      const char *value = at + key_len + 1;
      size_t n = strcspn(value, "&");
      if (n >= room) n = room - 1;
      memcpy(out, value, n);
      out[n] = '\0';
      return;
    }
  }
}

/* Appends `text` as a JSON string (quotes and backslashes escaped, control characters dropped). */
static size_t put_json_string(char *buf, size_t at, const char *text) {
  at = cb_put(buf, at, "\"");
  for (; *text && at + 2 < CB_BODY_MAX; text++) {
    if (*text == '"' || *text == '\\') buf[at++] = '\\';
    if ((unsigned char)*text >= 0x20) buf[at++] = *text;
  }
  return cb_put(buf, at, "\"");
}

static size_t put_outcome(char *buf, size_t at, const char *probe, int reached, const char *why) {
  at = cb_put(buf, at, at > 1 ? ",\"" : "\"");
  at = cb_put(buf, at, probe);
  at = cb_put(buf, at, "\":{\"outcome\":");
  if (reached) return cb_put(buf, at, "\"reached\"}");
  at = cb_put(buf, at, "\"refused\",\"error\":");
  return cb_put(buf, put_json_string(buf, at, why), "}");
}

static size_t probe_read(char *buf, size_t at, const char *probe, const char *path) {
  if (!*path) return put_outcome(buf, at, probe, 0, strerror(EINVAL));
  errno = 0;
  FILE *file = fopen(path, "r");
  if (!file) return put_outcome(buf, at, probe, 0, strerror(errno));
  char chunk[64];
  size_t got = fread(chunk, 1, sizeof chunk, file);
  int error = ferror(file) ? errno : 0;
  fclose(file);
  return put_outcome(buf, at, probe, got > 0 || !error, strerror(error));
}

static size_t probe_write(char *buf, size_t at, const char *probe, const char *path, int keep) {
  if (!*path) return put_outcome(buf, at, probe, 0, strerror(EINVAL));
  errno = 0;
  FILE *file = fopen(path, "w");
  if (!file) return put_outcome(buf, at, probe, 0, strerror(errno));
  int wrote = fputs("written by the coldbench capability probe\n", file) >= 0;
  int error = errno;
  if (fclose(file) != 0) wrote = 0;
  if (!keep) remove(path);
  return put_outcome(buf, at, probe, wrote, strerror(error));
}

static size_t probe_connect(char *buf, size_t at, const char *port_text) {
#ifdef __wasi__
  (void)port_text;
  /* The wasi:http/proxy world has no sockets: there is no call to try. */
  return cb_put(buf, at, ",\"connect-harness\":{\"outcome\":\"not-available\",\"error\":\"no sockets in this world\"}");
#else
  int port = atoi(port_text);
  if (port <= 0 || port > 65535) return put_outcome(buf, at, "connect-harness", 0, strerror(EINVAL));
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return put_outcome(buf, at, "connect-harness", 0, strerror(errno));
  struct sockaddr_in address = {0};
  address.sin_family = AF_INET;
  address.sin_port = htons((unsigned short)port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int connected = connect(fd, (struct sockaddr *)&address, sizeof address) == 0;
  int error = errno;
  close(fd);
  return put_outcome(buf, at, "connect-harness", connected, strerror(error));
#endif
}

void cb_handle(const struct cb_request *request, struct cb_response *response, char *body_buf) {
  response->status = 200;
  if (strcmp(request->path, "/probe") != 0) {
    static const char line[] = "capability probe: ask /probe\n";
    memcpy(body_buf, line, sizeof line - 1);
    response->content_type = "text/plain";
    response->body_len = sizeof line - 1;
    return;
  }
  char port[16], file[512], dir[512], path[600];
  query_value(request->query, "port", port, sizeof port);
  query_value(request->query, "file", file, sizeof file);
  query_value(request->query, "dir", dir, sizeof dir);

  const char *sentinel = getenv("COLDBENCH_RUN"); /* getenv first: it also sets up environ in Wasm */
  unsigned long count = 0;
  for (char **entry = environ; entry && *entry; entry++) count++;

  size_t at = cb_put(body_buf, 0, "{\"env-vars\":{\"count\":");
  at = cb_put_uint(body_buf, at, count);
  at = cb_put(body_buf, at, ",\"names\":\"");
  for (char **entry = environ; entry && *entry && at < 1500; entry++) {
    size_t n = strcspn(*entry, "=");
    char name[64];
    if (n >= sizeof name) n = sizeof name - 1;
    memcpy(name, *entry, n);
    name[n] = '\0';
    for (char *c = name; *c; c++) if (*c == '"' || *c == '\\' || (unsigned char)*c < 0x20) *c = '?';
    at = cb_put(body_buf, at, entry == environ ? "" : " ");
    at = cb_put(body_buf, at, name);
  }
  at = cb_put(body_buf, at, "\"}");
  at = put_outcome(body_buf, at, "env-sentinel", sentinel != NULL, "not set");
  at = probe_read(body_buf, at, "read-etc-passwd", "/etc/passwd");
  at = probe_read(body_buf, at, "read-etc-shadow", "/etc/shadow");
  at = probe_read(body_buf, at, "read-harness-file", file);
  at = probe_write(body_buf, at, "write-tmp", "/tmp/coldbench-capability-probe", 0);
  at = probe_write(body_buf, at, "write-root", "/coldbench-capability-probe", 0);
  if (*dir) snprintf(path, sizeof path, "%s/from-tenant", dir);
  else path[0] = '\0';
  at = probe_write(body_buf, at, "write-harness-dir", path, 1);
  at = probe_connect(body_buf, at, port);
  at = cb_put(body_buf, at, "}\n");
  response->content_type = "application/json";
  response->body_len = at;
}
