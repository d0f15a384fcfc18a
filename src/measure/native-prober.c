#define _GNU_SOURCE
/* coldbench's native prober: asks a tenant on 127.0.0.1 for its first response again and again
 * until it answers, timed with CLOCK_MONOTONIC, so that the prober's own floor is tens of
 * microseconds rather than the ~1 ms of a Node HTTP client sharing the harness's event loop.
 * The harness (src/measure/native-prober.ts) keeps one running and sends it one probe at a time:
 *
 *   start: "wait MODE [NOTE]\n" (the way it waits for a port that refuses; see below)
 *   in:  "probe PORT TIMEOUT_MS REQUEST_LEN STATUS BODY_LEN\n", then the request's bytes (prebuilt
 *        by the harness, with "connection: close"), then the expected body's bytes
 *        optionally "... CONTROL_PORT CONTROL_LEN": first send that request (a Wasm host's deploy)
 *        on a kept-alive connection to CONTROL_PORT, then probe at once, without waiting for the
 *        deploy's answer (the host holds a request for a tenant it is adding); the time runs from
 *        the deploy. A failed attempt looks whether the deploy failed meanwhile.
 *   out: "ok NANOSECONDS ATTEMPTS ATTEMPT_AT CPU_NANOSECONDS\n" (ATTEMPT_AT: CLOCK_MONOTONIC just
 *        before the answered attempt's connect(); CPU: what this process used during the probe)
 *        with a deploy, "... DEPLOYED_NANOSECONDS STARTED_AT LEN\n" + the deploy's LEN answer bytes
 *        (DEPLOYED: when its answer was read; STARTED_AT: CLOCK_MONOTONIC as the deploy was sent)
 *        "control STATUS NANOSECONDS LEN ERROR\n" + LEN bytes: the deploy failed (status 0: no answer)
 *        "wrong STATUS NANOSECONDS LEN\n" + the first LEN bytes of the body it got
 *        "timeout ATTEMPTS LAST_ERROR\n"
 *
 * Waiting for a refused port (`probe [listen|backoff|spin]`, default listen):
 *  - listen: sleeps until a socket enters TCP_LISTEN on the probed port (the kernel's
 *    sock:inet_sock_set_state tracepoint, read through perf events filtered in the kernel to that
 *    state and port, set after the first refusal), then tries again: no CPU while the tenant starts, and a wake-up within microseconds of its listen().
 *    A 5 ms safety timer retries anyway. Falls back to backoff where the tracepoint cannot be opened
 *    (no root, no tracefs), and says why on its first line.
 *  - backoff: sleeps 10 us after a refusal, doubling to 1 ms (timer slack 1 us).
 *  - spin: tries again at once (the old behaviour: most of a core while the tenant starts).
 * A reset or other retryable error uses backoff in every mode; other errors wait 5 ms. A non-2xx
 * answer: try again. `serve PORT` is the null server the floor is measured against: 200 "ok\n" at
 * once. `listen-after PORT DELAY_US` is the calibration target: prints "armed", listens DELAY_US
 * after it started (by its own CLOCK_MONOTONIC), prints "listening BEFORE AFTER" (CLOCK_MONOTONIC
 * around bind() and listen()) and then serves as `serve` does. It exits when its input closes or its parent goes
 * away. Extra arguments (the run marker) are ignored. */
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
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define REQUEST_MAX (1 << 20)
#define RESPONSE_MAX (8 << 20)

static int64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static int64_t cpu_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static void sleep_ns(int64_t ns) {
  struct timespec t = {.tv_sec = ns / 1000000000, .tv_nsec = ns % 1000000000};
  while (nanosleep(&t, &t) != 0 && errno == EINTR) {
  }
}

/* One perf event per CPU on the sock:inet_sock_set_state tracepoint, filtered to TCP_LISTEN. */
#define CPUS_MAX 256
static struct {
  int n;
  struct pollfd fds[CPUS_MAX];
  struct perf_event_mmap_page *rings[CPUS_MAX];
} watch;

static const char *const TRACEFS[] = {"/sys/kernel/tracing", "/sys/kernel/debug/tracing"};

static long tracepoint_id(void) {
  for (int pass = 0; pass < 2; pass++) {
    for (size_t i = 0; i < sizeof TRACEFS / sizeof *TRACEFS; i++) {
      char path[128];
      snprintf(path, sizeof path, "%s/events/sock/inet_sock_set_state/id", TRACEFS[i]);
      FILE *f = fopen(path, "r");
      if (!f) continue;
      long id = -1;
      if (fscanf(f, "%ld", &id) != 1) id = -1;
      fclose(f);
      if (id >= 0) return id;
    }
    /* tracefs is compiled in but often not mounted: mounting it turns no tracing on. */
    if (pass == 0) mount("nodev", TRACEFS[0], "tracefs", 0, NULL);
  }
  return -1;
}

/* 0 when the listen watch is open; otherwise why not, in `why`. */
static int watch_open(char *why, size_t why_len) {
  long id = tracepoint_id();
  if (id < 0) {
    snprintf(why, why_len, "no sock:inet_sock_set_state tracepoint (tracefs not mounted?)");
    return -1;
  }
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  if (cpus > CPUS_MAX) cpus = CPUS_MAX;
  long page = sysconf(_SC_PAGESIZE);
  for (int cpu = 0; cpu < cpus; cpu++) {
    struct perf_event_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.type = PERF_TYPE_TRACEPOINT;
    attr.size = sizeof attr;
    attr.config = (uint64_t)id;
    attr.sample_period = 1;
    attr.sample_type = PERF_SAMPLE_TIME;
    attr.wakeup_events = 1;
    int fd = (int)syscall(SYS_perf_event_open, &attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
    if (fd < 0) {
      snprintf(why, why_len, "perf_event_open on CPU %d: %s", cpu, strerror(errno));
      return -1;
    }
    void *ring = mmap(NULL, (size_t)(2 * page), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (ioctl(fd, PERF_EVENT_IOC_SET_FILTER, "newstate == 10") != 0 || ring == MAP_FAILED) {
      snprintf(why, why_len, "perf event filter or ring on CPU %d: %s", cpu, strerror(errno));
      close(fd);
      return -1;
    }
    watch.fds[watch.n] = (struct pollfd){.fd = fd, .events = POLLIN};
    watch.rings[watch.n++] = ring;
  }
  return 0;
}

/* Narrows the watch to listens on `port` (other tenants starting on a busy machine must not wake
 * it); 0 when the kernel took the filter. */
static int watch_port(int port) {
  static int filtered = -1;
  if (port == filtered) return 0;
  char filter[64];
  snprintf(filter, sizeof filter, "newstate == 10 && sport == %d", port);
  for (int i = 0; i < watch.n; i++)
    if (ioctl(watch.fds[i].fd, PERF_EVENT_IOC_SET_FILTER, filter) != 0) return -1;
  filtered = port;
  return 0;
}

/* Forgets listens seen so far: afterwards, the watch wakes only for a later one. */
static void watch_drain(void) {
  struct timespec zero = {0, 0};
  ppoll(watch.fds, (nfds_t)watch.n, &zero, NULL);
  for (int i = 0; i < watch.n; i++) {
    uint64_t head = __atomic_load_n(&watch.rings[i]->data_head, __ATOMIC_ACQUIRE);
    __atomic_store_n(&watch.rings[i]->data_tail, head, __ATOMIC_RELEASE);
  }
}

/* Sleeps until a socket enters TCP_LISTEN (on the watched port) or `ns` pass; 1 if a listen woke it. */
static int watch_wait(int64_t ns) {
  struct timespec t = {.tv_sec = ns / 1000000000, .tv_nsec = ns % 1000000000};
  return ppoll(watch.fds, (nfds_t)watch.n, &t, NULL) > 0;
}

enum wait_mode { WAIT_LISTEN, WAIT_BACKOFF, WAIT_SPIN };

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

/* Reads one response on `fd`: 0 with an answer, or an errno (ETIMEDOUT when the deadline passed,
 * ECONNRESET when the peer closed before sending anything). */
static int read_answer(int fd, int64_t deadline, char *buffer, struct answer *answer) {
  size_t len = 0;
  for (;;) {
    int64_t left_ms = (deadline - now_ns()) / 1000000;
    if (left_ms <= 0) return ETIMEDOUT;
    struct pollfd waiting = {.fd = fd, .events = POLLIN};
    int ready = poll(&waiting, 1, (int)(left_ms > 1000 ? 1000 : left_ms));
    if (ready < 0 && errno != EINTR) return errno;
    if (ready <= 0) continue;
    ssize_t n = read(fd, buffer + len, RESPONSE_MAX - len);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (n == 0 && len == 0) return ECONNRESET;
    len += (size_t)n;
    int parsed = parse(buffer, len, n == 0 || len == RESPONSE_MAX, answer);
    if (parsed == 1) return 0;
    if (parsed < 0) return EPROTO;
  }
}

static int connect_to(int port, int *fd) {
  *fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (*fd < 0) return errno;
  int one = 1;
  setsockopt(*fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  struct sockaddr_in address = loopback(port);
  if (connect(*fd, (struct sockaddr *)&address, sizeof address) != 0) {
    int error = errno;
    close(*fd);
    *fd = -1;
    return error;
  }
  return 0;
}

/* One attempt: 0 with an answer, or an errno (ETIMEDOUT when the deadline passed). */
static int attempt(int port, const char *request, size_t request_len, int64_t deadline, char *buffer, struct answer *answer, int64_t *connect_at) {
  int fd;
  *connect_at = now_ns(); /* before connect(): the connection's set-up is in the floor, not in the detection error */
  int error = connect_to(port, &fd);
  if (error) return error;
  if (write_all(fd, request, request_len) != 0) error = errno;
  else error = read_answer(fd, deadline, buffer, answer);
  close(fd);
  return error;
}

/* The control connection to a Wasm host, kept alive between deploys: a deploy costs one write
 * and one read on loopback, no connection set-up. */
static int control_fd = -1, control_port = 0;

static void control_close(void) {
  close(control_fd);
  control_fd = -1;
}

/* Writes a deploy on the control connection (a new one when there is none, it is to another
 * host, or the host closed it). */
static int control_send(int port, const char *request, size_t len) {
  if (control_fd >= 0) {
    struct pollfd idle = {.fd = control_fd, .events = POLLIN};
    if (control_port != port || poll(&idle, 1, 0) != 0) control_close(); /* another host, or this one closed it */
  }
  if (control_fd < 0) {
    int error = connect_to(port, &control_fd);
    if (error) return error;
    control_port = port;
  }
  if (write_all(control_fd, request, len) == 0) return 0;
  int error = errno;
  control_close();
  return error;
}

/* Reads the deploy's answer: 0 with it, or an errno. After a connection closed before it
 * answered (the host dropped a kept-alive connection as the deploy went out), sends it once more
 * on a new one. */
static int control_answer(const char *request, size_t len, int64_t deadline, char *buffer, struct answer *answer) {
  for (int tries = 0; tries < 2; tries++) {
    int error = read_answer(control_fd, deadline, buffer, answer);
    if (error == 0) return 0;
    control_close();
    if ((error != ECONNRESET && error != EPIPE) || tries == 1) return error;
    error = control_send(control_port, request, len);
    if (error) return error;
  }
  return ECONNRESET;
}

/* Prints why a deploy failed: "control STATUS NANOSECONDS LEN ERROR\n" and the answer's bytes. */
static void print_control_failure(int error, const struct answer *deployed, int64_t ns) {
  printf("control %d %lld %zu %s\n", error ? 0 : deployed->status, (long long)ns, error ? 0 : deployed->body_len, error ? strerrorname_np(error) : "-");
  if (!error) fwrite(deployed->body, 1, deployed->body_len, stdout);
}

static int answered_2xx(const struct answer *a) { return a->status >= 200 && a->status < 300; }

static int probe_loop(FILE *in, enum wait_mode mode) {
  char line[256];
  char *request = malloc(REQUEST_MAX), *expected = malloc(REQUEST_MAX), *buffer = malloc(RESPONSE_MAX);
  char *control = malloc(REQUEST_MAX), *control_buffer = malloc(RESPONSE_MAX);
  pid_t parent = getppid();
  if (!request || !expected || !buffer || !control || !control_buffer) return 1;
  prctl(PR_SET_TIMERSLACK, 1000UL); /* sleeps of microseconds must not be stretched by the default 50 us */
  char why[200] = "";
  if (mode == WAIT_LISTEN && watch_open(why, sizeof why) != 0) mode = WAIT_BACKOFF;
  /* A sleeper that wakes for microseconds: a higher priority lets it run at once when a listen
   * wakes it, and costs the tenant nothing while it sleeps. Never for spin, which would starve it. */
  if (mode != WAIT_SPIN) setpriority(PRIO_PROCESS, 0, -10);
  printf("wait %s%s%s\n", mode == WAIT_LISTEN ? "listen" : mode == WAIT_BACKOFF ? "backoff" : "spin", why[0] ? " " : "", why);
  fflush(stdout);
  while (fgets(line, sizeof line, in)) {
    int port, timeout_ms, status, control_port = 0;
    size_t request_len, body_len, control_len = 0;
    int fields = sscanf(line, "probe %d %d %zu %d %zu %d %zu", &port, &timeout_ms, &request_len, &status, &body_len, &control_port, &control_len);
    if ((fields != 5 && fields != 7) || request_len > REQUEST_MAX || body_len > REQUEST_MAX || control_len > REQUEST_MAX ||
        read_exact(in, request, request_len) != 0 || read_exact(in, expected, body_len) != 0 || read_exact(in, control, control_len) != 0) {
      fprintf(stderr, "coldbench-prober: malformed command\n");
      return 2;
    }
    int64_t started = now_ns(), cpu_started = cpu_ns();
    int64_t deadline = started + (int64_t)timeout_ms * 1000000;
    /* The deploy, when the prober is asked to send it: timed from here, as the probe that follows,
     * which goes out at once. Its answer is read when the probe is answered, or as soon as it is
     * there after a failed attempt. */
    struct answer deployed = {0};
    int64_t deployed_ns = 0;
    int deploy_unread = control_len > 0;
    if (control_len > 0) {
      int error = control_send(control_port, control, control_len);
      if (error) {
        print_control_failure(error, &deployed, now_ns() - started);
        fflush(stdout);
        continue;
      }
    }
    int64_t backoff = 0, woke = 0;
    long attempts = 0;
    int last = 0;
    struct answer answer;
    for (;;) {
      int64_t at = now_ns();
      if (at >= deadline) {
        printf("timeout %ld %s\n", attempts, last ? strerrorname_np(last) : "status");
        break;
      }
      if (getppid() != parent) return 0;
      attempts++;
      if (mode == WAIT_LISTEN) watch_drain(); /* a listen from here on wakes the wait below */
      memset(&answer, 0, sizeof answer);
      int error = attempt(port, request, request_len, deadline, buffer, &answer, &at);
      if (error == 0 && answer.status >= 200 && answer.status < 300) {
        int64_t elapsed = now_ns() - started;
        if (answer.status == status && answer.body_len == body_len && memcmp(answer.body, expected, body_len) == 0) {
          if (deploy_unread) {
            int failed = control_answer(control, control_len, deadline, control_buffer, &deployed);
            deployed_ns = now_ns() - started;
            if (failed || !answered_2xx(&deployed)) {
              print_control_failure(failed, &deployed, deployed_ns);
              break;
            }
          }
          printf("ok %lld %ld %lld %lld", (long long)elapsed, attempts, (long long)at, (long long)(cpu_ns() - cpu_started));
          if (control_len > 0) {
            printf(" %lld %lld %zu\n", (long long)deployed_ns, (long long)started, deployed.body_len);
            fwrite(deployed.body, 1, deployed.body_len, stdout);
          } else {
            printf("\n");
          }
        } else {
          size_t shown = answer.body_len < 80 ? answer.body_len : 80;
          printf("wrong %d %lld %zu\n", answer.status, (long long)elapsed, shown);
          fwrite(answer.body, 1, shown, stdout);
        }
        break;
      }
      last = error;
      /* Not answered: has the deploy failed meanwhile? (Its answer is there before the host answers the probe.) */
      if (deploy_unread) {
        struct pollfd ready = {.fd = control_fd, .events = POLLIN};
        if (poll(&ready, 1, 0) > 0) {
          int failed = control_answer(control, control_len, deadline, control_buffer, &deployed);
          deployed_ns = now_ns() - started;
          deploy_unread = 0;
          if (failed || !answered_2xx(&deployed)) {
            print_control_failure(failed, &deployed, deployed_ns);
            break;
          }
        }
      }
      int retry_at_once = error == ECONNREFUSED || error == ECONNRESET || error == EPIPE || error == ECONNABORTED || error == ETIMEDOUT || error == 0;
      if (!retry_at_once) {
        usleep(5000);
        continue;
      }
      if (mode == WAIT_SPIN) continue;
      /* Refused, and no listen just seen: sleep until one. The socket is hashed a moment after the
       * tracepoint fires: a refusal within 50 us of a wake-up retries at once, within 1 ms backs off. */
      if (mode == WAIT_LISTEN && error == ECONNREFUSED && attempts == 1 && watch_port(port) == 0) continue; /* try again, now watched */
      if (mode == WAIT_LISTEN && woke && now_ns() - woke < 50000) continue; /* the listen is microseconds from done: retry at once */
      if (mode == WAIT_LISTEN && error == ECONNREFUSED && now_ns() - woke > 1000000) {
        int64_t left = deadline - now_ns();
        woke = watch_wait(left < 5000000 ? (left > 0 ? left : 0) : 5000000) ? now_ns() : 0;
        backoff = 0;
        continue;
      }
      backoff = backoff == 0 ? 10000 : (backoff * 2 > 1000000 ? 1000000 : backoff * 2);
      sleep_ns(backoff);
    }
    fflush(stdout);
  }
  return 0;
}

static int listen_on(int port) {
  int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in address = loopback(port);
  if (bind(listener, (struct sockaddr *)&address, sizeof address) != 0 || listen(listener, 128) != 0) {
    fprintf(stderr, "coldbench-prober: cannot listen on 127.0.0.1:%d: %s\n", port, strerror(errno));
    return -1;
  }
  return listener;
}

static int serve(int listener) {
  static const char response[] = "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 3\r\nconnection: close\r\n\r\nok\n";
  int one = 1;
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

/* The calibration target: listens a known delay after it started, by its own clock. */
static int listen_after(int port, int64_t delay_us) {
  int64_t started = now_ns();
  printf("coldbench-delayed-target armed %lld\n", (long long)started);
  fflush(stdout);
  int64_t at = started + delay_us * 1000;
  struct timespec until = {.tv_sec = at / 1000000000, .tv_nsec = at % 1000000000};
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL) == EINTR) {
  }
  int64_t before = now_ns();
  int listener = listen_on(port);
  int64_t after = now_ns();
  if (listener < 0) return 1;
  printf("listening %lld %lld\n", (long long)before, (long long)after);
  fflush(stdout);
  return serve(listener);
}

int main(int argc, char **argv) {
  signal(SIGPIPE, SIG_IGN);
  if (argc >= 3 && strcmp(argv[1], "serve") == 0) {
    int listener = listen_on(atoi(argv[2]));
    if (listener < 0) return 1;
    printf("coldbench-null-server ready %s\n", argv[2]);
    fflush(stdout);
    return serve(listener);
  }
  if (argc >= 4 && strcmp(argv[1], "listen-after") == 0) return listen_after(atoi(argv[2]), atoll(argv[3]));
  if (argc >= 2 && strcmp(argv[1], "probe") == 0) {
    const char *mode = argc >= 3 ? argv[2] : "listen";
    if (strcmp(mode, "listen") == 0) return probe_loop(stdin, WAIT_LISTEN);
    if (strcmp(mode, "backoff") == 0) return probe_loop(stdin, WAIT_BACKOFF);
    if (strcmp(mode, "spin") == 0) return probe_loop(stdin, WAIT_SPIN);
  }
  fprintf(stderr, "usage: coldbench-prober probe [listen|backoff|spin] | serve PORT | listen-after PORT DELAY_US\n");
  return 2;
}
