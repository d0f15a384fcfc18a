#define _GNU_SOURCE
/* coldbench's native prober: asks a tenant on 127.0.0.1 for its first response again and again
 * until it answers, timed with CLOCK_MONOTONIC, so that the prober's own floor is tens of
 * microseconds rather than the ~1 ms of a Node HTTP client sharing the harness's event loop.
 * The harness (src/measure/native-prober.ts) keeps one running and sends it one probe at a time:
 *
 *   in:  "probe PORT TIMEOUT_MS REQUEST_LEN STATUS BODY_LEN\n", then the request's bytes (prebuilt
 *        by the harness, with "connection: close"), then the expected body's bytes
 *   out: "ok NANOSECONDS ATTEMPTS\n"
 *        "wrong STATUS NANOSECONDS LEN\n" + the first LEN bytes of the body it got
 *        "timeout ATTEMPTS LAST_ERROR\n"
 *
 * Connection refused or reset: try again at once. Other errors: wait 5 ms. A non-2xx answer: try
 * again. `serve PORT` is the null server the floor is measured against: 200 "ok\n" at once.
 * It exits when its input closes or its parent goes away. Extra arguments (the run marker) are
 * ignored. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define REQUEST_MAX (1 << 20)
#define RESPONSE_MAX (8 << 20)

static int64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static int read_exact(FILE *in, char *buffer, size_t len) {
  return fread(buffer, 1, len, in) == len ? 0 : -1;
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

static struct sockaddr_in loopback(int port) {
  struct sockaddr_in address;
  memset(&address, 0, sizeof address);
  address.sin_family = AF_INET;
  address.sin_port = htons((uint16_t)port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

/* A response as far as the prober needs it: status and decoded body. */
struct answer {
  int status;
  char *body;
  size_t body_len;
};

/* Decodes a chunked body in place; returns its length, or -1 if it is incomplete or malformed. */
static long dechunk(char *data, size_t len) {
  size_t in = 0, out = 0;
  for (;;) {
    char *end;
    unsigned long size = strtoul(data + in, &end, 16);
    char *line_end = memmem(data + in, len - in, "\r\n", 2);
    if (!line_end || end == data + in) return -1;
    in = (size_t)(line_end - data) + 2;
    if (size == 0) return (long)out;
    if (in + size + 2 > len) return -1;
    memmove(data + out, data + in, size);
    out += size;
    in += size + 2;
  }
}

/* Parses what was read; 1 when the response is complete, 0 when more is needed, -1 when malformed. */
static int parse(char *data, size_t len, int closed, struct answer *answer) {
  char *head_end = memmem(data, len, "\r\n\r\n", 4);
  if (!head_end) return closed ? -1 : 0;
  if (len < 12 || strncmp(data, "HTTP/1.", 7) != 0) return -1;
  answer->status = atoi(data + 9);
  size_t head_len = (size_t)(head_end - data) + 4;
  long content_length = -1;
  int chunked = 0;
  for (char *line = memmem(data, head_len, "\r\n", 2) + 2; line < head_end;) {
    char *line_end = memmem(line, (size_t)(head_end + 2 - line), "\r\n", 2);
    if (strncasecmp(line, "content-length:", 15) == 0) content_length = atol(line + 15);
    if (strncasecmp(line, "transfer-encoding:", 18) == 0 && memmem(line, (size_t)(line_end - line), "chunked", 7)) chunked = 1;
    line = line_end + 2;
  }
  answer->body = data + head_len;
  size_t have = len - head_len;
  if (chunked) {
    if (!memmem(answer->body, have, "0\r\n\r\n", 5) && !closed) return 0;
    long decoded = dechunk(answer->body, have);
    if (decoded < 0) return closed ? -1 : 0;
    answer->body_len = (size_t)decoded;
    return 1;
  }
  if (content_length >= 0) {
    if (have < (size_t)content_length) return closed ? -1 : 0;
    answer->body_len = (size_t)content_length;
    return 1;
  }
  answer->body_len = have;
  return closed ? 1 : 0;
}

/* One attempt: 0 with an answer, or an errno (ETIMEDOUT when the deadline passed). */
static int attempt(int port, const char *request, size_t request_len, int64_t deadline, char *buffer, struct answer *answer) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return errno;
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  struct sockaddr_in address = loopback(port);
  int error = 0;
  if (connect(fd, (struct sockaddr *)&address, sizeof address) != 0 || write_all(fd, request, request_len) != 0) {
    error = errno;
    close(fd);
    return error;
  }
  size_t len = 0;
  for (;;) {
    int64_t left_ms = (deadline - now_ns()) / 1000000;
    if (left_ms <= 0) {
      error = ETIMEDOUT;
      break;
    }
    struct pollfd waiting = {.fd = fd, .events = POLLIN};
    int ready = poll(&waiting, 1, (int)(left_ms > 1000 ? 1000 : left_ms));
    if (ready < 0 && errno != EINTR) {
      error = errno;
      break;
    }
    if (ready <= 0) continue;
    ssize_t n = read(fd, buffer + len, RESPONSE_MAX - len);
    if (n < 0) {
      if (errno == EINTR) continue;
      error = errno;
      break;
    }
    len += (size_t)n;
    int parsed = parse(buffer, len, n == 0 || len == RESPONSE_MAX, answer);
    if (parsed == 1) break;
    if (parsed < 0) {
      error = EPROTO;
      break;
    }
  }
  close(fd);
  return error;
}

static int probe_loop(FILE *in) {
  char line[256];
  char *request = malloc(REQUEST_MAX), *expected = malloc(REQUEST_MAX), *buffer = malloc(RESPONSE_MAX);
  pid_t parent = getppid();
  if (!request || !expected || !buffer) return 1;
  while (fgets(line, sizeof line, in)) {
    int port, timeout_ms, status;
    size_t request_len, body_len;
    if (sscanf(line, "probe %d %d %zu %d %zu", &port, &timeout_ms, &request_len, &status, &body_len) != 5 || request_len > REQUEST_MAX ||
        body_len > REQUEST_MAX || read_exact(in, request, request_len) != 0 || read_exact(in, expected, body_len) != 0) {
      fprintf(stderr, "coldbench-prober: malformed command\n");
      return 2;
    }
    int64_t started = now_ns();
    int64_t deadline = started + (int64_t)timeout_ms * 1000000;
    long attempts = 0;
    int last = 0;
    struct answer answer;
    for (;;) {
      if (now_ns() >= deadline) {
        printf("timeout %ld %s\n", attempts, last ? strerrorname_np(last) : "status");
        break;
      }
      if (getppid() != parent) return 0;
      attempts++;
      memset(&answer, 0, sizeof answer);
      int error = attempt(port, request, request_len, deadline, buffer, &answer);
      if (error == 0 && answer.status >= 200 && answer.status < 300) {
        int64_t elapsed = now_ns() - started;
        if (answer.status == status && answer.body_len == body_len && memcmp(answer.body, expected, body_len) == 0) {
          printf("ok %lld %ld\n", (long long)elapsed, attempts);
        } else {
          size_t shown = answer.body_len < 80 ? answer.body_len : 80;
          printf("wrong %d %lld %zu\n", answer.status, (long long)elapsed, shown);
          fwrite(answer.body, 1, shown, stdout);
        }
        break;
      }
      last = error;
      if (error && error != ECONNREFUSED && error != ECONNRESET && error != EPIPE && error != ECONNABORTED && error != ETIMEDOUT) usleep(5000);
    }
    fflush(stdout);
  }
  return 0;
}

static int serve(int port) {
  static const char response[] = "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 3\r\nconnection: close\r\n\r\nok\n";
  int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in address = loopback(port);
  if (bind(listener, (struct sockaddr *)&address, sizeof address) != 0 || listen(listener, 128) != 0) {
    fprintf(stderr, "coldbench-prober: cannot listen on 127.0.0.1:%d: %s\n", port, strerror(errno));
    return 1;
  }
  printf("coldbench-null-server ready %d\n", port);
  fflush(stdout);
  pid_t parent = getppid();
  char head[65536];
  for (;;) {
    struct pollfd waiting = {.fd = listener, .events = POLLIN};
    if (poll(&waiting, 1, 1000) == 0) {
      if (getppid() != parent) return 0;
      continue;
    }
    int fd = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0) continue;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    size_t len = 0;
    ssize_t n;
    while (len < sizeof head && (n = read(fd, head + len, sizeof head - len)) > 0) {
      len += (size_t)n;
      if (memmem(head, len, "\r\n\r\n", 4)) break;
    }
    write_all(fd, response, sizeof response - 1);
    close(fd);
  }
}

int main(int argc, char **argv) {
  signal(SIGPIPE, SIG_IGN);
  if (argc >= 3 && strcmp(argv[1], "serve") == 0) return serve(atoi(argv[2]));
  if (argc >= 2 && strcmp(argv[1], "probe") == 0) return probe_loop(stdin);
  fprintf(stderr, "usage: coldbench-prober probe | serve PORT\n");
  return 2;
}
