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

#define REQUEST_MAX 65536

static const char *reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
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

/* Reads one request into buf; returns its total length (head + body), 0 on close, -1 on error. */
static ssize_t read_request(int fd, char *buf, size_t *head_len, size_t *body_len) {
  size_t have = 0;
  for (;;) {
    char *end = have ? memmem(buf, have, "\r\n\r\n", 4) : NULL;
    if (end) {
      *head_len = (size_t)(end - buf) + 4;
      *body_len = 0;
      for (char *line = strstr(buf, "\r\n"); line && line < end; line = strstr(line + 2, "\r\n")) {
        if (strncasecmp(line + 2, "content-length:", 15) == 0) *body_len = strtoul(line + 17, NULL, 10);
      }
      if (*head_len + *body_len >= REQUEST_MAX) return -1;
      if (have >= *head_len + *body_len) return (ssize_t)(*head_len + *body_len);
    }
    if (have >= REQUEST_MAX - 1) return -1;
    ssize_t n = read(fd, buf + have, REQUEST_MAX - 1 - have);
    if (n == 0) return 0;
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    have += (size_t)n;
    buf[have] = '\0';
  }
}

static void serve(int fd) {
  char *buf = malloc(REQUEST_MAX);
  char body[CB_BODY_MAX];
  char head[512];
  size_t head_len, body_len;
  if (!buf) return;
  for (;;) {
    ssize_t total = read_request(fd, buf, &head_len, &body_len);
    if (total <= 0) break;
    /* Request line: METHOD SP TARGET SP VERSION */
    char *method = buf;
    char *target = strchr(method, ' ');
    if (!target) break;
    *target++ = '\0';
    char *version = strchr(target, ' ');
    if (!version) break;
    *version++ = '\0';
    char *query = strchr(target, '?');
    if (query) *query++ = '\0';
    int keep_alive = strncmp(version, "HTTP/1.1", 8) == 0 && !strcasestr(version, "connection: close");

    struct cb_request request = {method, target, query ? query : "", buf + head_len, body_len};
    struct cb_response response = {200, "text/plain", body, 0};
    cb_handle(&request, &response, body);

    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 %d %s\r\ncontent-type: %s\r\ncontent-length: %zu\r\nconnection: %s\r\n\r\n",
                     response.status, reason(response.status), response.content_type, response.body_len,
                     keep_alive ? "keep-alive" : "close");
    if (write_all(fd, head, (size_t)n) < 0 || write_all(fd, response.body, response.body_len) < 0) break;
    if (!keep_alive) break;
  }
  free(buf);
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
