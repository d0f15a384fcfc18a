#define _GNU_SOURCE
/* The native HTTP front for C workloads: a small blocking HTTP/1.1 server with one thread per
 * connection (so keep-alive clients under load are served side by side), calling the workload's
 * cb_handle. Listens on HOST:PORT (defaults 127.0.0.1:8080). Pipelined requests are not supported. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "handler.h"

#define HEAD_MAX 65536 /* request line + headers */

static const char *reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 411: return "Length Required";
    case 413: return "Payload Too Large";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    default: return status < 400 ? "OK" : "Error";
  }
}

static int write_all(int fd, const char *data, size_t len) {
  while (len > 0) {
    ssize_t n = write(fd, data, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    data += n;
    len -= (size_t)n;
  }
  return 0;
}

/* One connection's input: bytes read but not yet consumed, so that a request that arrives with
 * the next one's first bytes loses nothing. */
struct input {
  int fd;
  char *buf;
  size_t cap;  /* allocated, one more than the most it holds (room for a NUL) */
  size_t have; /* bytes in buf */
};

/* Reads more, growing the buffer to hold at least `want` bytes. Returns bytes read, 0 on close, -1 on error. */
static ssize_t fill(struct input *in, size_t want) {
  if (want + 1 > in->cap) {
    size_t cap = in->cap;
    while (cap < want + 1) cap *= 2;
    char *bigger = realloc(in->buf, cap);
    if (!bigger) return -1;
    in->buf = bigger;
    in->cap = cap;
  }
  for (;;) {
    ssize_t n = read(in->fd, in->buf + in->have, in->cap - 1 - in->have);
    if (n < 0 && errno == EINTR) continue;
    if (n > 0) in->have += (size_t)n;
    return n;
  }
}

static void consume(struct input *in, size_t len) {
  memmove(in->buf, in->buf + len, in->have - len);
  in->have -= len;
}

/* Reads and drops `len` bytes of a body that is not handed to the handler. Returns 0, or -1 when
 * the connection ended first. */
static int discard(struct input *in, size_t len) {
  size_t now = len < in->have ? len : in->have;
  consume(in, now);
  len -= now;
  char sink[16384];
  while (len > 0) {
    ssize_t n = read(in->fd, sink, len < sizeof sink ? len : sizeof sink);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return -1;
    len -= (size_t)n;
  }
  return 0;
}

/* The value of header `name` in the NUL-terminated header block `headers`, up to the end of its
 * line (not terminated: its length goes to *len), or NULL. */
static const char *header_value(const char *headers, const char *name, size_t *len) {
  size_t name_len = strlen(name);
  for (const char *line = headers; line && *line; line = strstr(line, "\r\n") ? strstr(line, "\r\n") + 2 : NULL) {
    if (strncasecmp(line, name, name_len) != 0 || line[name_len] != ':') continue;
    const char *value = line + name_len + 1;
    while (*value == ' ' || *value == '\t') value++;
    const char *end = strstr(value, "\r\n");
    *len = end ? (size_t)(end - value) : strlen(value);
    return value;
  }
  return NULL;
}

static int send_answer(int fd, const struct cb_response *response, int keep_alive) {
  char head[512];
  int n = snprintf(head, sizeof head,
                   "HTTP/1.1 %d %s\r\ncontent-type: %s\r\ncontent-length: %zu\r\nconnection: %s\r\n\r\n",
                   response->status, reason(response->status), response->content_type, response->body_len,
                   keep_alive ? "keep-alive" : "close");
  if (n < 0 || (size_t)n >= sizeof head) return -1;
  if (write_all(fd, head, (size_t)n) < 0 || write_all(fd, response->body, response->body_len) < 0) return -1;
  return 0;
}

static void send_error(int fd, int status, const char *text) {
  struct cb_response response = {status, "text/plain", (char *)text, strlen(text)};
  send_answer(fd, &response, 0);
}

static void serve(int fd) {
  struct input in = {fd, malloc(16384), 16384, 0};
  char body[CB_BODY_MAX];
  if (!in.buf) return;
  for (;;) {
    /* The head: request line and headers, up to the blank line. */
    char *end;
    while (!(end = in.have ? memmem(in.buf, in.have, "\r\n\r\n", 4) : NULL)) {
      if (in.have >= HEAD_MAX) {
        send_error(fd, 431, "request header too large\n");
        goto done;
      }
      if (fill(&in, in.have + 4096) <= 0) goto done;
    }
    size_t head_len = (size_t)(end - in.buf) + 4;
    if (head_len > HEAD_MAX) {
      send_error(fd, 431, "request header too large\n");
      break;
    }
    end[2] = '\0'; /* the header block is now a string; each line still ends with \r\n */

    /* Request line: METHOD SP TARGET SP VERSION */
    char *line_end = strstr(in.buf, "\r\n");
    *line_end = '\0';
    char *headers = line_end + 2;
    char *method = in.buf;
    char *target = strchr(method, ' ');
    char *version = target ? strchr(target + 1, ' ') : NULL;
    if (!version) {
      send_error(fd, 400, "bad request line\n");
      break;
    }
    *target++ = '\0';
    *version++ = '\0';
    char *query = strchr(target, '?');
    if (query) *query++ = '\0';

    size_t len;
    const char *connection = header_value(headers, "connection", &len);
    int keep_alive = strcmp(version, "HTTP/1.1") == 0 && !(connection && len == 5 && strncasecmp(connection, "close", 5) == 0);
    size_t body_len = 0;
    const char *length = header_value(headers, "content-length", &len);
    if (length) {
      char *after;
      errno = 0;
      unsigned long long declared = strtoull(length, &after, 10);
      if (len == 0 || after != length + len || errno || *length < '0' || *length > '9') {
        send_error(fd, 400, "bad content-length\n");
        break;
      }
      body_len = declared > SIZE_MAX - HEAD_MAX ? SIZE_MAX - HEAD_MAX : (size_t)declared;
    }
    if (header_value(headers, "transfer-encoding", &len)) {
      send_error(fd, 411, "chunked request bodies are not supported: send content-length\n");
      break;
    }

    const char *expect = header_value(headers, "expect", &len);
    int expects_continue = expect && len == 12 && strncasecmp(expect, "100-continue", 12) == 0;

    struct cb_response response = {200, "text/plain", body, 0};
    if (body_len > CB_REQUEST_BODY_MAX) {
      /* The same answer as the Wasm adapter's. A client that waits for "100 Continue" has not sent
       * the body: answer and close. Otherwise the body is read and dropped, so that the connection
       * stays usable (closing with unread data would reset it before the client reads the answer). */
      cb_answer_too_large(&response);
      if (expects_continue) {
        send_answer(fd, &response, 0);
        break;
      }
      consume(&in, head_len);
      if (discard(&in, body_len) < 0) break;
      if (send_answer(fd, &response, keep_alive) < 0 || !keep_alive) break;
      continue;
    }
    if (expects_continue && body_len > in.have - head_len) {
      static const char go_on[] = "HTTP/1.1 100 Continue\r\n\r\n";
      if (write_all(fd, go_on, sizeof go_on - 1) < 0) break;
    }
    /* fill may move the buffer: the fields are found again at the same offsets. */
    size_t target_at = (size_t)(target - in.buf), query_at = query ? (size_t)(query - in.buf) : 0;
    while (in.have < head_len + body_len) {
      if (fill(&in, head_len + body_len) <= 0) goto done;
    }
    method = in.buf;
    target = in.buf + target_at;
    query = query ? in.buf + query_at : NULL;
    char saved = in.buf[head_len + body_len];
    in.buf[head_len + body_len] = '\0'; /* NUL after the body, as the contract promises */

    struct cb_request request = {method, target, query ? query : "", in.buf + head_len, body_len};
    cb_handle(&request, &response, body);
    in.buf[head_len + body_len] = saved;
    if (send_answer(fd, &response, keep_alive) < 0 || !keep_alive) break;
    consume(&in, head_len + body_len);
  }
done:
  free(in.buf);
}

static void *connection_thread(void *arg) {
  int fd = (int)(intptr_t)arg;
  serve(fd);
  close(fd);
  return NULL;
}

static void on_signal(int signal) {
  (void)signal;
  _exit(0);
}

int main(void) {
  const char *host = getenv("HOST") ? getenv("HOST") : "127.0.0.1";
  int port = getenv("PORT") ? atoi(getenv("PORT")) : 8080;
  signal(SIGTERM, on_signal);
  signal(SIGINT, on_signal);
  signal(SIGPIPE, SIG_IGN);

  int listener = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  if (inet_pton(AF_INET, host, &address.sin_addr) != 1) {
    fprintf(stderr, "bad HOST %s\n", host);
    return 2;
  }
  if (bind(listener, (struct sockaddr *)&address, sizeof address) < 0 || listen(listener, 512) < 0) {
    perror("listen");
    return 1;
  }
  for (;;) {
    int fd = accept(listener, NULL, NULL);
    if (fd < 0) continue;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    pthread_t thread;
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attributes, 256 * 1024);
    if (pthread_create(&thread, &attributes, connection_thread, (void *)(intptr_t)fd) != 0) close(fd);
    pthread_attr_destroy(&attributes);
  }
}
