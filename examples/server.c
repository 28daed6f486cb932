/*
 * server.c: wireframe's example server. HTTP/1.x and WebSocket on one epoll loop, in C.
 *
 *   GET|HEAD /     -> 200 "hello world"
 *   POST /echo     -> 200 with the request body (Content-Length or chunked)
 *   GET /ws        -> WebSocket echo (text and binary), ping/pong, heartbeat, close handshake
 *   POST /upload   -> multipart/form-data streamed to a count and a hash per part; JSON summary
 *                     (examples/upload.h)
 *
 * It is meant to survive hostile clients: deadlines for a request's head, for the whole
 * request and for a WebSocket message, a connection cap, and a budget for the memory all
 * connections buffer (the "Limits" section below; docs/server.md has the table).
 *
 * One thread, one epoll loop, non-blocking sockets (Node.js's model). `--workers N` forks N
 * such processes, each with its own SO_REUSEPORT listener on the same port, and restarts a
 * worker that dies (Node's cluster). HTTP parsing is wireframe's callback parser
 * (wf_http_execute), the upgrade answer is wireframe's handshake helper, frames are decoded and
 * encoded by wireframe's WebSocket codec: this file only does I/O, buffering and routing.
 *
 * Run `server --help` for the options; docs/server.md records the decisions.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <wireframe.h>

#include "buf.h"
#include "upload.h"

/* ------------------------------------------------------------------------------------------ */
/* Configuration                                                                              */
/* ------------------------------------------------------------------------------------------ */

/** The command-line options, with their defaults in `g_cfg` below. Times are milliseconds. */
typedef struct config {
  const char *host;     /* --host: address to listen on */
  unsigned port;        /* --port: 0 picks an ephemeral port */
  unsigned workers;     /* --workers: 0 = this process serves; N = master + N workers */
  size_t max_body;      /* --max-body: largest request body (413 / 417 beyond) */
  size_t max_message;   /* --max-message: largest WebSocket message (close 1009 beyond) */
  uint32_t max_header;  /* --max-header: start line + headers (431 beyond) */
  int64_t idle_ms;      /* --idle-timeout: an HTTP connection silent this long is closed */
  int64_t heartbeat_ms; /* --heartbeat: WebSocket ping interval; 3 missed pongs close */
  int64_t shutdown_ms;  /* --shutdown-timeout: graceful shutdown gives up after this */
  bool no_deflate;      /* --no-deflate: decline permessage-deflate */
} config_t;

static config_t g_cfg = {
    .host = "127.0.0.1",
    .port = 8080,
    .workers = 0,
    .max_body = 1024 * 1024,
    .max_message = 1024 * 1024,
    .max_header = 16 * 1024,
    .idle_ms = 5000,
    .heartbeat_ms = 30000,
    .shutdown_ms = 5000,
};

/**
 * The limits that protect the process from slow, numerous or greedy clients (their options are
 * listed in `limits_usage`). Times are milliseconds; 0 turns a limit off.
 */
typedef struct limits {
  int64_t head_ms;        /* --head-timeout: start line + headers must arrive within this */
  int64_t request_ms;     /* --request-timeout: the whole request (head and body) likewise */
  int64_t message_ms;     /* --message-timeout: a WebSocket message, first to last frame */
  size_t max_conns;       /* --max-connections: beyond it, new connections get 503 */
  size_t max_buffered;    /* --max-buffered: bytes all connections' buffers may hold */
  uint32_t max_fragments; /* --max-fragments: frames in one WebSocket message (close 1009) */
  bool max_conns_set;     /* --max-connections was given (else derived from `nofile`) */
  uint64_t nofile;        /* the descriptor limit (RLIMIT_NOFILE) after raising it */
} limits_t;

static limits_t g_lim = {
    .head_ms = 60000,
    .request_ms = 300000,
    .message_ms = 300000,
    .max_buffered = 256 * 1024 * 1024,
    .max_fragments = 131072,
};

/* Connections accepted over --max-connections only to be answered 503: at most this many at a
 * time (each holds a descriptor until its answer is delivered); beyond it, accepting pauses. */
#define MAX_REFUSING 32
/* After an accept error such as EMFILE: retry after this long, or as soon as a connection
 * closes, whichever comes first. */
#define ACCEPT_RETRY_MS 1000
/* The accept error is logged at most once per this many milliseconds (with a count). */
#define ACCEPT_LOG_MS 10000

/* Bytes read per recv() (one buffer per process: the parser consumes every byte it is given). */
#define READ_SIZE (64 * 1024)
/* Stop reading from a peer while this much of our output to it is still unsent. */
#define HIGH_WATER (256 * 1024)
/* Buffers that grew beyond this are freed after use rather than kept for the next request. */
#define KEEP_BYTES (64 * 1024)
/* After the last response on a closing connection: how long to read and drop what the peer
 * still sends (so that closing with unread data does not reset the connection and destroy
 * the response in flight). */
#define LINGER_MS 2000
/* A WebSocket peer that leaves this many heartbeat pings unanswered is disconnected. */
#define MAX_MISSED_PONGS 3

/* ------------------------------------------------------------------------------------------ */
/* Logging and time                                                                           */
/* ------------------------------------------------------------------------------------------ */

/** Writes one line to stderr, prefixed with the process id. */
static void logf_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logf_(const char *fmt, ...) {
  char line[512];
  va_list ap;
  va_start(ap, fmt);
  int n = snprintf(line, sizeof line, "server[%d]: ", (int)getpid());
  vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
  va_end(ap);
  fprintf(stderr, "%s\n", line);
}

/** Milliseconds of CLOCK_MONOTONIC. */
static int64_t monotonic_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ------------------------------------------------------------------------------------------ */
/* Connections                                                                                */
/* ------------------------------------------------------------------------------------------ */

enum mode {
  MODE_HTTP,  /* reading requests */
  MODE_WS,    /* upgraded: reading WebSocket frames */
  MODE_DRAIN, /* our side is shut down; dropping what the peer sends until EOF or LINGER_MS */
};

enum route { ROUTE_NONE, ROUTE_HELLO, ROUTE_ECHO, ROUTE_WS, ROUTE_UPLOAD };

/** Where one header of the current request lies in `conn.head` (offsets, since it moves). */
typedef struct header_span {
  uint32_t name_off, name_len, value_off, value_len;
} header_span;

/** One client connection. Owned by the process's connection list; freed by conn_destroy. */
typedef struct conn {
  struct conn *prev, *next;
  int fd;
  uint8_t mode;          /* enum mode */
  bool closing;          /* no more input is processed: flush the output, then shut down */
  bool peer_eof;         /* the peer shut down its side */
  bool dead;             /* close now (I/O error, heartbeat failure, timeout) */
  uint32_t events;       /* epoll events currently registered */
  int64_t deadline;      /* monotonic ms: idle (HTTP) or linger (DRAIN) deadline; 0 = none */
  buf_t out;             /* bytes to send; out_sent of them are sent */
  size_t out_sent;

  /* HTTP */
  wf_http_parser parser;
  bool in_request;       /* between on_message_begin and on_message_complete */
  bool headers_done;     /* header callbacks after this are trailers: ignored */
  bool is_head;          /* the current request's method is HEAD (known once headers end) */
  bool in_field;         /* a header name is being received */
  bool expect_continue;  /* Expect: 100-continue */
  bool expect_other;     /* an Expect value we cannot meet */
  uint8_t host_count;    /* Host headers seen (saturating) */
  bool host_invalid;     /* a Host value is not `host[:port]` (RFC 9112 3.2) */
  bool http09;           /* the current request is HTTP/0.9: answer with the body alone */
  uint8_t route;         /* enum route */
  uint32_t url_len;      /* the URL is head.data[0..url_len] */
  uint64_t body_seen;    /* body bytes received for the current request */
  buf_t head;            /* URL and header bytes of the current request */
  header_span *hdrs;     /* headers of the current request */
  size_t nhdrs, hdrs_cap;
  buf_t body;            /* POST /echo body; after the upgrade, the WebSocket message */
  upload_t *upload;      /* POST /upload in progress (upload.h), or NULL */

  /* WebSocket */
  wf_ws_decoder ws;
  uint8_t frame_opcode;  /* opcode of the frame being received */
  uint8_t ctl_len;
  uint8_t ctl[125];      /* payload of the control frame being received */
  uint8_t missed_pongs;  /* heartbeat pings sent since the last pong */
  bool close_sent;

  /* Limits */
  int64_t req_start;     /* monotonic ms of the current request's first byte; 0 = none */
  int64_t req_deadline;  /* the head's, then the whole request's deadline; 0 = none */
  int64_t msg_deadline;  /* WebSocket: the deadline of the message in progress; 0 = none */
  size_t charged;        /* bytes of this connection's buffers counted in S.buffered */
  bool refusing;         /* accepted over --max-connections only to be answered 503 */
  bool over_budget;      /* a WebSocket message was refused for the buffer budget */

  /* permessage-deflate */
  wf_ws_deflate *deflate; /* when agreed */
  bool msg_compressed;    /* the message being received has RSV1 */
  wf_ws_err deflate_err;  /* why inflating failed (the close code comes from it) */
} conn_t;

/* Per-process state of the event loop. */
static struct {
  int epfd, listen_fd, sig_fd;
  conn_t *conns;             /* doubly linked list of every open connection */
  conn_t *graveyard;         /* closed during this loop turn; freed at its end */
  size_t nconns;
  size_t nrefusing;          /* connections among them being answered 503 (over the cap) */
  size_t buffered;           /* bytes held by connection buffers (the --max-buffered total) */
  bool accept_paused;        /* the listener is out of epoll until accept_resume or a close */
  unsigned accept_errors;    /* accept errors since the last one logged */
  int64_t accept_log_next;   /* monotonic ms before which accept errors are only counted */
  int64_t now;               /* monotonic ms, refreshed once per loop turn */
  time_t date_second;        /* second for which `date` was formatted */
  char date[40];             /* "Date: <IMF-fixdate>\r\n" */
  size_t date_len;
  bool shutting_down;
  int64_t shutdown_deadline;
  int64_t next_sweep, next_heartbeat, accept_resume;
  wf_http_settings http;
  wf_ws_callbacks wscb;
} S;

/* The receive buffer, shared by all connections of this process (data is parsed in place). */
static char g_rbuf[READ_SIZE];

/** Refreshes the cached Date header line when the second changed. */
static void update_date(void) {
  time_t t = time(NULL);
  if (t == S.date_second && S.date_len) return;
  S.date_second = t;
  static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  struct tm tm;
  gmtime_r(&t, &tm);
  int n = snprintf(S.date, sizeof S.date, "Date: %s, %02d %s %04d %02d:%02d:%02d GMT\r\n",
                   days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour,
                   tm.tm_min, tm.tm_sec);
  S.date_len = n > 0 ? (size_t)n : 0;
}

/** Bytes queued for the peer and not yet sent. */
static size_t out_pending(const conn_t *c) { return c->out.len - c->out_sent; }

/** Marks an allocation failure: the connection is closed at the next conn_update. */
static void oom(conn_t *c) {
  logf_("out of memory; closing a connection");
  c->dead = true;
}

/* ------------------------------------------------------------------------------------------ */
/* HTTP responses                                                                             */
/* ------------------------------------------------------------------------------------------ */

/** Queues the answer to an HTTP/0.9 request: the body alone (that version has no status line
 * and no headers), after which the connection closes. */
static void respond_http09(conn_t *c, const void *body, size_t body_len) {
  if (buf_append(&c->out, body, body_len)) oom(c);
  c->closing = true;
}

/**
 * Queues a complete response: status line, Content-Type (when `ctype`), Content-Length,
 * `extra` header lines (each ending in CRLF, or NULL), Date, Connection, then the body unless
 * `head_only` (a response to HEAD). `keep` chooses `Connection: keep-alive` or `close`; with
 * close the connection is shut down once the response is sent.
 */
static void respond(conn_t *c, unsigned status, const char *ctype, const char *extra,
                    const void *body, size_t body_len, bool head_only, bool keep) {
  if (c->http09) {
    respond_http09(c, body, body_len);
    return;
  }
  buf_t *o = &c->out;
  if (buf_reserve(o, 160 + S.date_len + (extra ? strlen(extra) : 0) + body_len)) {
    oom(c);
    return;
  }
  buf_puts(o, "HTTP/1.1 ");
  buf_putu(o, status);
  buf_append(o, " ", 1);
  buf_puts(o, wf_http_status_str(status));
  buf_append(o, "\r\n", 2);
  if (ctype) {
    buf_puts(o, "Content-Type: ");
    buf_puts(o, ctype);
    buf_append(o, "\r\n", 2);
  }
  buf_puts(o, "Content-Length: ");
  buf_putu(o, body_len);
  buf_append(o, "\r\n", 2);
  if (extra) buf_puts(o, extra);
  buf_append(o, S.date, S.date_len);
  buf_puts(o, keep ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n");
  if (!head_only) buf_append(o, body, body_len);
  if (!keep) c->closing = true;
}

/** Queues an error response with a one-line text body and `extra` header lines (or NULL),
 * and closes after it. */
static void respond_error_with(conn_t *c, unsigned status, const char *extra, const char *text) {
  char body[512];
  int n = snprintf(body, sizeof body, "%s\n", text);
  if (n >= (int)sizeof body) n = (int)sizeof body - 1;
  bool head = c->in_request && c->is_head;
  respond(c, status, "text/plain", extra, body, n > 0 ? (size_t)n : 0, head, false);
}

/** Queues an error response with a one-line text body, and closes after it. */
static void respond_error(conn_t *c, unsigned status, const char *text) {
  respond_error_with(c, status, NULL, text);
}

/** The fast path: `hello world` to GET or HEAD /. */
static void respond_hello(conn_t *c, bool head_only, bool keep) {
  static const char prefix[] =
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n";
  static const char ka[] = "Connection: keep-alive\r\n\r\n";
  static const char cl[] = "Connection: close\r\n\r\n";
  if (c->http09) {
    respond_http09(c, "hello world", 11);
    return;
  }
  buf_t *o = &c->out;
  if (buf_reserve(o, sizeof prefix + S.date_len + sizeof ka + 11)) {
    oom(c);
    return;
  }
  buf_append(o, prefix, sizeof prefix - 1);
  buf_append(o, S.date, S.date_len);
  if (keep)
    buf_append(o, ka, sizeof ka - 1);
  else
    buf_append(o, cl, sizeof cl - 1);
  if (!head_only) buf_append(o, "hello world", 11);
  if (!keep) c->closing = true;
}

/* ------------------------------------------------------------------------------------------ */
/* Limits: deadlines, the connection cap, the buffer budget                                   */
/* ------------------------------------------------------------------------------------------ */

/**
 * Raises the soft descriptor limit (RLIMIT_NOFILE) to the hard one, as Node does at start-up,
 * and, unless --max-connections was given, derives the connection cap from it: the limit less
 * a reserve of 64 + 1/16 of it (the listener, epoll, the signalfd, connections being answered
 * 503, anything else the process opens), or half the limit when that leaves less.
 */
static void limits_init(void) {
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    struct rlimit want = {rl.rlim_max, rl.rlim_max};
    if (setrlimit(RLIMIT_NOFILE, &want) == 0)
      rl = want;
    else
      logf_("raising the descriptor limit from %llu to %llu: %s",
            (unsigned long long)rl.rlim_cur, (unsigned long long)rl.rlim_max, strerror(errno));
  }
  g_lim.nofile = rl.rlim_cur == RLIM_INFINITY ? (uint64_t)1 << 20 : (uint64_t)rl.rlim_cur;
  if (!g_lim.max_conns_set) {
    uint64_t reserve = 64 + g_lim.nofile / 16;
    g_lim.max_conns = (size_t)(g_lim.nofile > 2 * reserve ? g_lim.nofile - reserve
                                                           : g_lim.nofile / 2);
  } else if (g_lim.max_conns && g_lim.max_conns + 16 > g_lim.nofile) {
    logf_("--max-connections %zu leaves no room under the descriptor limit %llu: "
          "accepting will pause when descriptors run out",
          g_lim.max_conns, (unsigned long long)g_lim.nofile);
  }
}

/** Prints the limits in force as one line of options (0 = off), after the listening line. */
static void limits_print(FILE *f) {
  fprintf(f,
          "limits: --max-connections %zu (descriptor limit %llu) --head-timeout %g "
          "--request-timeout %g --idle-timeout %g --message-timeout %g --heartbeat %g "
          "--max-header %u --max-body %zu --max-message %zu --max-fragments %u "
          "--max-buffered %zu\n",
          g_lim.max_conns, (unsigned long long)g_lim.nofile, (double)g_lim.head_ms / 1000,
          (double)g_lim.request_ms / 1000, (double)g_cfg.idle_ms / 1000,
          (double)g_lim.message_ms / 1000, (double)g_cfg.heartbeat_ms / 1000,
          (unsigned)g_cfg.max_header, g_cfg.max_body, g_cfg.max_message, g_lim.max_fragments,
          g_lim.max_buffered);
}

/** Bytes of input that arrived on an HTTP connection: the first byte of a request (blank lines
 * before it included) starts its deadlines, the head's and the whole request's. */
static void request_started(conn_t *c) {
  if (c->req_start) return;
  c->req_start = S.now;
  int64_t t = g_lim.head_ms;
  if (!t || (g_lim.request_ms && g_lim.request_ms < t)) t = g_lim.request_ms;
  c->req_deadline = t ? S.now + t : 0;
}

/** The head is complete: from now on only the whole request's deadline applies. */
static void request_head_done(conn_t *c) {
  c->req_deadline = g_lim.request_ms ? c->req_start + g_lim.request_ms : 0;
}

/** The request is complete: no deadline until the next request's first byte. */
static void request_done(conn_t *c) { c->req_start = c->req_deadline = 0; }

/** Answers a request that ran past its deadline: 408, saying which one, then close. */
static void request_timed_out(conn_t *c) {
  bool whole = c->in_request && c->headers_done;
  char text[96];
  snprintf(text, sizeof text, "the request%s was not complete within %g s",
           whole ? "" : " head", (double)(whole ? g_lim.request_ms : g_lim.head_ms) / 1000);
  respond_error(c, 408, text);
  request_done(c);
}

/** Brings S.buffered up to date with the memory this connection's buffers hold. */
static void budget_sync(conn_t *c) {
  size_t held = c->head.cap + c->body.cap + c->out.cap + c->hdrs_cap * sizeof *c->hdrs;
  S.buffered = S.buffered - c->charged + held;
  c->charged = held;
}

/** True when `c->body` may grow by `n` bytes (a request body or a WebSocket message) without
 * the process's buffers exceeding --max-buffered. */
static bool budget_allows(conn_t *c, uint64_t n) {
  if (!g_lim.max_buffered) return true;
  budget_sync(c);
  size_t cap = n > SIZE_MAX / 4 ? 0 : buf_cap_after(&c->body, (size_t)n);
  if (cap == 0) return n == 0;
  return S.buffered - c->body.cap + cap <= g_lim.max_buffered;
}

/** Refuses the current request for the buffer budget: 503 with Retry-After, then close. */
static void refuse_for_budget(conn_t *c) {
  buf_free(&c->body);
  respond_error_with(c, 503, "Retry-After: 1\r\n",
                     "the server's buffer budget is used up; try again later");
}

/** Takes the listener out of epoll until `retry_at` (monotonic ms; 0: no timer) or until a
 * connection closes, whichever comes first. */
static void accept_pause(int64_t retry_at) {
  if (!S.accept_paused) {
    struct epoll_event e = {.events = 0, .data.ptr = &S.listen_fd};
    epoll_ctl(S.epfd, EPOLL_CTL_MOD, S.listen_fd, &e);
    S.accept_paused = true;
  }
  S.accept_resume = retry_at;
}

/** Puts a paused listener back into epoll. */
static void accept_unpause(void) {
  if (!S.accept_paused) return;
  S.accept_paused = false;
  S.accept_resume = 0;
  if (S.listen_fd < 0) return; /* closed by the shutdown */
  struct epoll_event e = {.events = EPOLLIN, .data.ptr = &S.listen_fd};
  epoll_ctl(S.epfd, EPOLL_CTL_MOD, S.listen_fd, &e);
}

/** Logs a failed accept, at most once per ACCEPT_LOG_MS, with how many happened since. */
static void accept_error_log(int err) {
  S.accept_errors++;
  if (S.now < S.accept_log_next) return;
  logf_("accept: %s (%u time(s) since the last report); accepting pauses until a connection "
        "closes or %d ms pass",
        strerror(err), S.accept_errors, ACCEPT_RETRY_MS);
  S.accept_errors = 0;
  S.accept_log_next = S.now + ACCEPT_LOG_MS;
}

/* ------------------------------------------------------------------------------------------ */
/* HTTP parser callbacks                                                                      */
/* ------------------------------------------------------------------------------------------ */

#define CONN(p) ((conn_t *)(p)->data)

/** True when `n` bytes at `s` equal the lowercase ASCII string `lower`, ignoring case. */
static bool eq_nocase(const char *s, size_t n, const char *lower) {
  size_t m = strlen(lower);
  if (n != m) return false;
  for (size_t i = 0; i < n; i++) {
    char ch = s[i];
    if (ch >= 'A' && ch <= 'Z') ch = (char)(ch - 'A' + 'a');
    if (ch != lower[i]) return false;
  }
  return true;
}

/* Bit sets of bytes, one bit per byte value (bit `ch & 63` of word `ch >> 6`). */
typedef uint64_t byteset[4];
/* The characters of a reg-name other than pct-encoded ones (RFC 3986 3.2.2): unreserved
 * (ALPHA DIGIT - . _ ~) and sub-delims (! $ & ' ( ) * + , ; =). */
static const byteset REG_NAME_CHARS = {0x2bff7fd200000000u, 0x47fffffe87fffffeu, 0, 0};
/* Hexadecimal digits. */
static const byteset HEX_CHARS = {0x03ff000000000000u, 0x0000007e0000007eu, 0, 0};

/** True when byte `ch` is in `set`. */
static bool in_set(const byteset set, unsigned char ch) { return (set[ch >> 6] >> (ch & 63)) & 1; }

/** True for the characters of a reg-name other than pct-encoded ones. */
static bool reg_name_char(unsigned char ch) { return in_set(REG_NAME_CHARS, ch); }

/** True when `ch` is a hexadecimal digit. */
static bool hex_char(unsigned char ch) { return in_set(HEX_CHARS, ch); }

/**
 * True when `v[0..n]` is a valid Host value (RFC 9112 3.2, RFC 3986 3.2.2): empty, or uri-host
 * [":" port], where uri-host is an IP-literal in brackets (an IPv6 address, or IPvFuture
 * `v<hex>.<chars>`) or a reg-name (which covers IPv4 addresses) and port is digits.
 */
static bool host_valid(const char *v, size_t n) {
  size_t i = 0;
  if (n > 0 && v[0] == '[') {
    const char *end = memchr(v, ']', n);
    if (!end) return false;
    size_t len = (size_t)(end - v) - 1;
    const char *lit = v + 1;
    if (len > 0 && (lit[0] == 'v' || lit[0] == 'V')) { /* IPvFuture */
      size_t j = 1;
      while (j < len && hex_char((unsigned char)lit[j])) j++;
      if (j == 1 || j >= len - 1 || lit[j] != '.') return false;
      for (j++; j < len; j++)
        if (!reg_name_char((unsigned char)lit[j]) && lit[j] != ':') return false;
    } else {
      char addr[64];
      struct in6_addr a6;
      if (len == 0 || len >= sizeof addr) return false;
      memcpy(addr, lit, len);
      addr[len] = 0;
      if (inet_pton(AF_INET6, addr, &a6) != 1) return false;
    }
    i = len + 2;
  } else {
    while (i < n) {
      unsigned char ch = (unsigned char)v[i];
      if (reg_name_char(ch)) {
        i++;
      } else if (ch == '%' && i + 2 < n && hex_char((unsigned char)v[i + 1]) &&
                 hex_char((unsigned char)v[i + 2])) {
        i += 3;
      } else if (ch == ':') {
        break;
      } else {
        return false;
      }
    }
  }
  if (i == n) return true;
  if (v[i] != ':') return false;
  for (i++; i < n; i++)
    if (v[i] < '0' || v[i] > '9') return false;
  return true;
}

/** The route of a request target: origin-form paths, or the path of an absolute-form URL. */
static uint8_t route_of(const char *url, size_t n) {
  const char *path = url;
  size_t plen = n;
  if (n > 0 && url[0] == '/') {
    for (size_t i = 0; i < n; i++)
      if (url[i] == '?' || url[i] == '#') {
        plen = i;
        break;
      }
  } else {
    wf_http_url u;
    if (wf_http_parse_url(url, n, 0, &u) != 0 || !(u.field_set & (1u << WF_UF_HOST)))
      return ROUTE_NONE;
    if (u.field_set & (1u << WF_UF_PATH)) {
      path = url + u.fields[WF_UF_PATH].offset;
      plen = u.fields[WF_UF_PATH].length;
    } else {
      path = "/";
      plen = 1;
    }
  }
  if (plen == 1 && path[0] == '/') return ROUTE_HELLO;
  if (plen == 5 && memcmp(path, "/echo", 5) == 0) return ROUTE_ECHO;
  if (plen == 3 && memcmp(path, "/ws", 3) == 0) return ROUTE_WS;
  if (plen == 7 && memcmp(path, "/upload", 7) == 0) return ROUTE_UPLOAD;
  return ROUTE_NONE;
}

/* A request starts: forget the previous one's state (buffers keep their memory). */
static int on_message_begin(wf_http_parser *p) {
  conn_t *c = CONN(p);
  c->in_request = true;
  c->headers_done = false;
  c->is_head = false;
  c->in_field = false;
  c->expect_continue = c->expect_other = false;
  c->host_count = 0;
  c->host_invalid = false;
  c->http09 = false;
  request_started(c);
  c->route = ROUTE_NONE;
  c->url_len = 0;
  c->body_seen = 0;
  c->nhdrs = 0;
  c->head.len = 0;
  c->body.len = 0;
  return 0;
}

/* A piece of the request target: appended to `head`. */
static int on_url(wf_http_parser *p, const char *at, size_t n) {
  conn_t *c = CONN(p);
  if (buf_append(&c->head, at, n)) return -1;
  c->url_len += (uint32_t)n;
  return 0;
}

/* A piece of a header name: the first piece opens a new header_span. */
static int on_header_field(wf_http_parser *p, const char *at, size_t n) {
  conn_t *c = CONN(p);
  if (c->headers_done) return 0; /* a trailer */
  if (!c->in_field) {
    if (c->nhdrs == c->hdrs_cap) {
      size_t cap = c->hdrs_cap ? c->hdrs_cap * 2 : 16;
      header_span *h = realloc(c->hdrs, cap * sizeof *h);
      if (!h) return -1;
      c->hdrs = h;
      c->hdrs_cap = cap;
    }
    c->hdrs[c->nhdrs++] = (header_span){(uint32_t)c->head.len, 0, 0, 0};
    c->in_field = true;
  }
  if (buf_append(&c->head, at, n)) return -1;
  c->hdrs[c->nhdrs - 1].name_len += (uint32_t)n;
  return 0;
}

/* The name is complete: its value starts here (it may be empty: no on_header_value). */
static int on_header_field_complete(wf_http_parser *p) {
  conn_t *c = CONN(p);
  if (c->headers_done) return 0;
  c->in_field = false;
  c->hdrs[c->nhdrs - 1].value_off = (uint32_t)c->head.len;
  return 0;
}

/* A piece of a header value. */
static int on_header_value(wf_http_parser *p, const char *at, size_t n) {
  conn_t *c = CONN(p);
  if (c->headers_done) return 0;
  if (buf_append(&c->head, at, n)) return -1;
  c->hdrs[c->nhdrs - 1].value_len += (uint32_t)n;
  return 0;
}

/* Looks at the headers this server acts on: Host (count and syntax) and Expect. */
static int on_header_value_complete(wf_http_parser *p) {
  conn_t *c = CONN(p);
  if (c->headers_done) return 0;
  const header_span *h = &c->hdrs[c->nhdrs - 1];
  const char *name = c->head.data + h->name_off;
  if (eq_nocase(name, h->name_len, "host")) {
    if (c->host_count < 255) c->host_count++;
    const char *v = c->head.data + h->value_off;
    size_t n = h->value_len;
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t')) n--; /* trailing OWS is delivered */
    if (!host_valid(v, n)) c->host_invalid = true;
  } else if (eq_nocase(name, h->name_len, "expect")) {
    const char *v = c->head.data + h->value_off;
    size_t n = h->value_len;
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t')) n--;
    if (eq_nocase(v, n, "100-continue"))
      c->expect_continue = true;
    else
      c->expect_other = true;
  }
  return 0;
}

/* POST /upload: starts the multipart parser from the request's Content-Type. Returns true when
 * the request was answered with an error (415, 400) and parsing must stop. */
static bool upload_start(conn_t *c) {
  const char *ct = NULL;
  size_t ct_len = 0;
  for (size_t i = 0; i < c->nhdrs; i++) {
    const header_span *h = &c->hdrs[i];
    if (eq_nocase(c->head.data + h->name_off, h->name_len, "content-type")) {
      ct = c->head.data + h->value_off;
      ct_len = h->value_len;
    }
  }
  c->upload = upload_begin(ct, ct_len, g_cfg.max_body);
  if (!c->upload) {
    oom(c);
    return true;
  }
  if (c->upload->status) {
    respond_error(c, c->upload->status, c->upload->reason);
    return true;
  }
  return false;
}

/* POST /upload is complete: the JSON summary, or the error that ended it. */
static void upload_respond(conn_t *c, bool keep) {
  wf_http_parser *p = &c->parser;
  if (p->method != WF_HTTP_METHOD_POST || !c->upload) {
    bool head = p->method == WF_HTTP_METHOD_HEAD;
    respond(c, 405, "text/plain", "Allow: POST\r\n", "Method Not Allowed\n", 19, head, keep);
    return;
  }
  buf_t json = {0};
  int rc = upload_finish(c->upload, &json);
  if (rc < 0)
    oom(c);
  else if (rc > 0)
    respond_error(c, (unsigned)rc, c->upload->reason);
  else
    respond(c, 200, "application/json", NULL, json.data, json.len, false, keep);
  free(json.data);
}

/* The head is complete: route, Host and Expect rules, the body limit for a declared length,
 * and 100 Continue. Returning WF_HPE_PAUSED stops parsing after an error answer. */
static int on_headers_complete(wf_http_parser *p) {
  conn_t *c = CONN(p);
  c->headers_done = true;
  c->is_head = p->method == WF_HTTP_METHOD_HEAD;
  c->route = route_of(c->head.data, c->url_len);
  c->http09 = p->http_major == 0;
  request_head_done(c);
  bool http11 = p->http_major == 1 && p->http_minor >= 1;
  /* RFC 9112 3.2: a server MUST answer 400 to an HTTP/1.1 request without exactly one Host
   * header, to any request with more than one, and to one with an invalid Host value. */
  if (c->host_count > 1 || (http11 && c->host_count == 0)) {
    respond_error(c, 400, "a request needs exactly one Host header");
    return WF_HPE_PAUSED;
  }
  if (c->host_invalid) {
    respond_error(c, 400, "the Host header is not a valid host[:port]");
    return WF_HPE_PAUSED;
  }
  if (c->http09 && c->route == ROUTE_WS) {
    respond_error(c, 400, "a WebSocket handshake needs HTTP/1.1");
    return WF_HPE_PAUSED;
  }
  /* An HTTP/1.0 client cannot have meant Expect (RFC 9110 10.1.1: ignore it). */
  if (http11 && c->expect_other) {
    respond_error(c, 417, "the only expectation supported is 100-continue");
    return WF_HPE_PAUSED;
  }
  bool has_body = (p->flags & WF_F_CHUNKED) || p->content_length > 0;
  if ((p->flags & WF_F_CONTENT_LENGTH) && p->content_length > g_cfg.max_body) {
    char text[96];
    snprintf(text, sizeof text, "the body is larger than %zu bytes", g_cfg.max_body);
    respond_error(c, http11 && c->expect_continue ? 417 : 413, text);
    return WF_HPE_PAUSED;
  }
  /* A declared body the buffer budget cannot hold now is refused before it is read. */
  if (c->route == ROUTE_ECHO && (p->flags & WF_F_CONTENT_LENGTH) &&
      !budget_allows(c, p->content_length)) {
    refuse_for_budget(c);
    return WF_HPE_PAUSED;
  }
  if (c->route == ROUTE_UPLOAD && p->method == WF_HTTP_METHOD_POST && upload_start(c)) return WF_HPE_PAUSED;
  if (http11 && c->expect_continue && has_body) {
    if (buf_puts(&c->out, "HTTP/1.1 100 Continue\r\n\r\n")) return -1;
  }
  return 0;
}

/* A piece of the body (chunked framing removed): counted against --max-body, kept for /echo. */
static int on_body(wf_http_parser *p, const char *at, size_t n) {
  conn_t *c = CONN(p);
  c->body_seen += n;
  if (c->body_seen > g_cfg.max_body) { /* chunked: the size is known only as it arrives */
    char text[96];
    snprintf(text, sizeof text, "the body is larger than %zu bytes", g_cfg.max_body);
    respond_error(c, 413, text);
    return WF_HPE_PAUSED;
  }
  if (c->upload) { /* streamed through the multipart parser, never buffered */
    unsigned status = upload_feed(c->upload, at, n);
    if (status) {
      respond_error(c, status, c->upload->reason);
      return WF_HPE_PAUSED;
    }
    return 0;
  }
  if (c->route != ROUTE_ECHO) return 0;
  if (!budget_allows(c, n)) {
    refuse_for_budget(c);
    return WF_HPE_PAUSED;
  }
  return buf_append(&c->body, at, n) ? -1 : 0;
}

static void ws_open(conn_t *c);

/* Answers the upgrade request with wireframe's handshake helper: 101 (the connection becomes
 * a WebSocket), or its 400 / 426 refusal (then the connection closes). */
static void ws_handshake(conn_t *c) {
  wf_http_parser *p = &c->parser;
  wf_ws_header *hv = malloc((c->nhdrs ? c->nhdrs : 1) * sizeof *hv);
  if (!hv) {
    oom(c);
    return;
  }
  for (size_t i = 0; i < c->nhdrs; i++) {
    const header_span *h = &c->hdrs[i];
    hv[i] = (wf_ws_header){c->head.data + h->name_off, h->name_len, c->head.data + h->value_off,
                           h->value_len};
  }
  const char *method = wf_http_method_str(p->method);
  wf_ws_handshake hs;
  uint32_t flags = g_cfg.no_deflate ? 0 : WF_WS_HANDSHAKE_PERMESSAGE_DEFLATE;
  wf_ws_server_handshake(method, strlen(method), p->http_major, p->http_minor, hv, c->nhdrs, NULL,
                         0, flags, &hs);
  free(hv);
  if (hs.error != WF_WS_ERR_OK && hs.status != 400 && hs.status != 426) {
    respond_error(c, 500, wf_ws_err_description(hs.error));
    return;
  }
  size_t need = 0;
  size_t base = c->out.len;
  wf_ws_err e = wf_ws_server_write_response(&hs, NULL, 0, &need);
  (void)e; /* BUFFER_TOO_SMALL: `need` is the size */
  if (buf_reserve(&c->out, need + S.date_len)) {
    oom(c);
    return;
  }
  size_t written = 0;
  e = wf_ws_server_write_response(&hs, (uint8_t *)c->out.data + base, need, &written);
  if (e != WF_WS_ERR_OK || written < 4 || memcmp(c->out.data + base + written - 4, "\r\n\r\n", 4)) {
    respond_error(c, 500, "handshake response could not be written");
    return;
  }
  /* Add Date (RFC 9110 6.6.1: required in 4xx, allowed in 1xx) before the final CRLF. */
  c->out.len = base + written - 2;
  buf_append(&c->out, S.date, S.date_len);
  buf_append(&c->out, "\r\n", 2);
  if (hs.error == WF_WS_ERR_OK) {
    ws_open(c);
    if (hs.deflate) {
      /* Both directions from the agreed parameters; the inflated size has --max-message. */
      wf_ws_deflate_options o;
      wf_ws_deflate_options_init(&o);
      o.max_message_size = g_cfg.max_message;
      if (wf_ws_deflate_new(&hs.deflate_params, WF_WS_ROLE_SERVER, &o, &c->deflate) != 0)
        oom(c);
      wf_ws_decoder_set_flags(&c->ws, WF_WS_ALLOW_RSV1);
    }
  } else
    c->closing = true; /* the refusal says Connection: close */
}

/* The request is complete: queue its answer. Pauses the parser when the connection closes
 * after it or becomes a WebSocket. */
static int on_message_complete(wf_http_parser *p) {
  conn_t *c = CONN(p);
  c->in_request = false;
  request_done(c);
  bool keep = wf_http_should_keep_alive(p) && !S.shutting_down;
  /* CONNECT asks for a tunnel, which this server does not offer: answer, then close. */
  if (p->method == WF_HTTP_METHOD_CONNECT) keep = false;
  bool head = p->method == WF_HTTP_METHOD_HEAD;
  switch (c->route) {
    case ROUTE_HELLO:
      if (p->method == WF_HTTP_METHOD_GET || head)
        respond_hello(c, head, keep);
      else
        respond(c, 405, "text/plain", "Allow: GET, HEAD\r\n", "Method Not Allowed\n", 19, false,
                keep);
      break;
    case ROUTE_ECHO:
      if (p->method == WF_HTTP_METHOD_POST)
        respond(c, 200, "application/octet-stream", NULL, c->body.data, c->body.len, false, keep);
      else
        respond(c, 405, "text/plain", "Allow: POST\r\n", "Method Not Allowed\n", 19, head, keep);
      break;
    case ROUTE_WS:
      ws_handshake(c);
      break;
    case ROUTE_UPLOAD:
      upload_respond(c, keep);
      break;
    default:
      respond(c, 404, "text/plain", NULL, "Not Found\n", 10, head, keep);
      break;
  }
  upload_free(c->upload);
  c->upload = NULL;
  buf_reset(&c->body, KEEP_BYTES);
  buf_reset(&c->head, KEEP_BYTES);
  /* Stop parsing: the rest of the input is WebSocket frames, or is not read at all. */
  if (c->closing || c->mode != MODE_HTTP) return WF_HPE_PAUSED;
  return 0;
}

/** Answers a request the parser rejected: 431 for a header overflow, else 400 with the
 * parser's reason. The connection closes after the answer. */
static void http_error(conn_t *c) {
  wf_hpe e = wf_http_errno(&c->parser);
  char text[256];
  snprintf(text, sizeof text, "%s: %s", wf_http_errno_name(e), wf_http_error_reason(&c->parser));
  unsigned status = 400;
  if (e == WF_HPE_HEADER_OVERFLOW)
    status = 431;
  else if (e == WF_HPE_PAUSED_H2_UPGRADE)
    status = 505;
  else if (e == WF_HPE_INTERNAL || e == WF_HPE_USER || e == WF_HPE_INVALID_ARGUMENT ||
           (e >= WF_HPE_CB_MESSAGE_BEGIN && e <= WF_HPE_CB_CHUNK_COMPLETE))
    status = 500; /* our own callback failed (out of memory) */
  respond_error(c, status, text);
}

static void ws_feed(conn_t *c, char *data, size_t len);

/** Parses `len` bytes of HTTP; after an upgrade, hands the rest to the WebSocket decoder. */
static void http_feed(conn_t *c, char *data, size_t len) {
  while (len > 0 && !c->closing && !c->dead) {
    size_t n = wf_http_execute(&c->parser, &S.http, data, len);
    wf_hpe e = wf_http_errno(&c->parser);
    if (e == WF_HPE_OK) return;
    data += n;
    len -= n;
    if (e == WF_HPE_PAUSED || e == WF_HPE_PAUSED_UPGRADE) {
      if (c->closing || c->dead) return;
      if (c->mode == MODE_WS) {
        ws_feed(c, data, len);
        return;
      }
      /* An Upgrade this server declined (not /ws): go on with HTTP (RFC 9110 7.8). */
      if (e == WF_HPE_PAUSED_UPGRADE)
        wf_http_resume_after_upgrade(&c->parser);
      else
        wf_http_resume(&c->parser);
      continue;
    }
    http_error(c);
    return;
  }
}

/* ------------------------------------------------------------------------------------------ */
/* WebSocket                                                                                  */
/* ------------------------------------------------------------------------------------------ */

/** Queues a frame (unmasked: the server's side), a data message compressed when
 * permessage-deflate was agreed. Returns 0, or -1 (out of memory). */
static int ws_send(conn_t *c, uint8_t opcode, const void *payload, size_t len) {
  if (c->deflate && opcode < WF_WS_OPCODE_CLOSE) {
    size_t bound = wf_ws_deflate_frame_bound(len), written = 0;
    if (buf_reserve(&c->out, bound) ||
        wf_ws_deflate_encode_message(c->deflate, opcode, payload, len, NULL,
                                     (uint8_t *)c->out.data + c->out.len, bound, &written) != 0)
      return -1;
    c->out.len += written;
    return 0;
  }
  size_t need = wf_ws_frame_size(len, false);
  if (need == 0 || buf_reserve(&c->out, need)) return -1;
  size_t written = 0;
  wf_ws_err e = wf_ws_encode_frame((uint8_t *)c->out.data + c->out.len, need, WF_WS_FRAME_FIN,
                                   opcode, NULL, payload, len, &written);
  if (e != WF_WS_ERR_OK) return -1;
  c->out.len += written;
  return 0;
}

/** Starts the closing handshake with `code` (0: no code) and `reason`; nothing more is read. */
static void ws_close(conn_t *c, uint16_t code, const char *reason) {
  if (c->close_sent) return;
  size_t rlen = reason ? strlen(reason) : 0;
  if (rlen > 123) rlen = 123; /* the reasons used here are ASCII */
  uint8_t frame[WF_WS_MAX_HEADER_SIZE + 125];
  size_t written = 0;
  if (wf_ws_encode_close(frame, sizeof frame, code, (const uint8_t *)reason, rlen, NULL,
                         &written) != WF_WS_ERR_OK ||
      buf_append(&c->out, frame, written)) {
    c->dead = true;
    return;
  }
  c->close_sent = true;
  c->closing = true;
  c->msg_deadline = 0;
  /* A peer that does not read the close frame is dropped after the idle timeout. */
  c->deadline = S.now + g_cfg.idle_ms;
}

/* A frame starts: remember its opcode to know where its payload goes. The first frame of a
 * message starts the message's deadline. */
static int on_frame_header(wf_ws_decoder *d, const wf_ws_frame_header *h) {
  conn_t *c = d->data;
  c->frame_opcode = h->opcode;
  c->ctl_len = 0;
  if (h->opcode == WF_WS_OPCODE_TEXT || h->opcode == WF_WS_OPCODE_BINARY) {
    if (g_lim.message_ms) c->msg_deadline = S.now + g_lim.message_ms;
    c->msg_compressed = h->rsv1; /* only allowed (and only set) when deflate was agreed */
    if (h->rsv1) wf_ws_deflate_begin_message(c->deflate, h->opcode == WF_WS_OPCODE_TEXT);
  }
  return 0;
}

/* Inflated bytes of a compressed message go where plain payload goes. */
static int on_inflated(void *user, const uint8_t *data, size_t len) {
  conn_t *c = user;
  if (!budget_allows(c, len)) {
    c->over_budget = true;
    return -1;
  }
  return buf_append(&c->body, data, len) ? -1 : 0;
}

/* Shared by every connection of this process: inflating is done one piece at a time. */
static uint8_t g_inflate_buf[16 * 1024];

/* Inflates a piece (data != NULL) or ends the message (data == NULL); remembers the error. */
static int ws_inflate(conn_t *c, const uint8_t *data, size_t len) {
  wf_ws_err e = data ? wf_ws_deflate_decompress_cb(c->deflate, data, len, g_inflate_buf,
                                                   sizeof g_inflate_buf, on_inflated, c)
                     : wf_ws_deflate_finish_cb(c->deflate, g_inflate_buf, sizeof g_inflate_buf,
                                               on_inflated, c);
  if (e == WF_WS_ERR_OK) return 0;
  c->deflate_err = e;
  return -1;
}

/* A piece of payload, already unmasked: control frames into `ctl`, data into `body`. */
static int on_payload(wf_ws_decoder *d, const uint8_t *data, size_t len) {
  conn_t *c = d->data;
  if (c->frame_opcode >= WF_WS_OPCODE_CLOSE) { /* control: at most 125 bytes (checked) */
    memcpy(c->ctl + c->ctl_len, data, len);
    c->ctl_len = (uint8_t)(c->ctl_len + len);
    return 0;
  }
  /* The decoder has checked the message against --max-message before any payload (for a
   * compressed message the inflater checks the inflated size as it goes). Both paths grow the
   * message's buffer only within the buffer budget. */
  if (c->msg_compressed) return ws_inflate(c, data, len);
  if (!budget_allows(c, len)) {
    c->over_budget = true;
    return -1;
  }
  return buf_append(&c->body, data, len) ? -1 : 0;
}

/* A frame is complete and valid: answer pings, note pongs, echo the close, echo a finished
 * message. */
static int on_frame_complete(wf_ws_decoder *d, const wf_ws_frame_end *end) {
  conn_t *c = d->data;
  switch (end->opcode) {
    case WF_WS_OPCODE_PING:
      if (!c->close_sent && ws_send(c, WF_WS_OPCODE_PONG, c->ctl, c->ctl_len)) return -1;
      return 0;
    case WF_WS_OPCODE_PONG:
      c->missed_pongs = 0;
      return 0;
    case WF_WS_OPCODE_CLOSE:
      /* Echo the code (1005 means the close frame had none), then close the TCP connection. */
      ws_close(c, end->close_code == 1005 ? 0 : end->close_code, NULL);
      c->closing = true;
      return WF_WS_ERR_PAUSED;
    default:
      break;
  }
  if (end->message_end) {
    if (c->msg_compressed && ws_inflate(c, NULL, 0)) return -1;
    if (ws_send(c, end->message_opcode, c->body.data, c->body.len)) return -1;
    buf_reset(&c->body, KEEP_BYTES);
    c->msg_deadline = 0;
  }
  return 0;
}

/** Switches a connection to WebSocket after the 101 response was queued. */
static void ws_open(conn_t *c) {
  c->mode = MODE_WS;
  c->deadline = 0; /* the heartbeat watches WebSocket peers, not the idle timeout */
  c->missed_pongs = 0;
  c->close_sent = false;
  c->body.len = 0;
  wf_ws_decoder_init(&c->ws, WF_WS_ROLE_SERVER);
  c->ws.data = c;
  wf_ws_decoder_set_limits(&c->ws, 0, g_cfg.max_message, g_lim.max_fragments);
}

/** Decodes `len` bytes of frames; a bad frame closes with the decoder's close code. */
static void ws_feed(conn_t *c, char *data, size_t len) {
  if (c->closing || c->dead || len == 0) return;
  wf_ws_decode(&c->ws, &S.wscb, (uint8_t *)data, len);
  wf_ws_err e = wf_ws_decoder_error(&c->ws);
  if (e == WF_WS_ERR_OK || e == WF_WS_ERR_PAUSED) return; /* paused: a close frame came */
  if (c->over_budget) {
    buf_free(&c->body);
    ws_close(c, WF_WS_CLOSE_CODE_TRY_AGAIN_LATER,
             "the server's buffer budget is used up; try again later");
    return;
  }
  if (c->deflate_err) /* inflating failed: 1007 corrupt data / bad UTF-8, 1009 too big */
    ws_close(c, wf_ws_err_close_code(c->deflate_err), wf_ws_err_description(c->deflate_err));
  else
    ws_close(c, wf_ws_decoder_close_code(&c->ws), wf_ws_decoder_error_reason(&c->ws));
}

/* ------------------------------------------------------------------------------------------ */
/* Connection I/O                                                                             */
/* ------------------------------------------------------------------------------------------ */

/** Closes a connection and releases its buffers. The struct itself is freed at the end of the
 * loop turn (free_graveyard), because later events of the same epoll batch may point to it;
 * they are skipped, as its fd is -1. */
static void conn_destroy(conn_t *c) {
  close(c->fd);
  c->fd = -1;
  if (c->prev)
    c->prev->next = c->next;
  else
    S.conns = c->next;
  if (c->next) c->next->prev = c->prev;
  S.nconns--;
  if (c->refusing) S.nrefusing--;
  S.buffered -= c->charged;
  c->charged = 0;
  accept_unpause(); /* a descriptor and a connection slot are free */
  buf_free(&c->out);
  buf_free(&c->head);
  buf_free(&c->body);
  wf_ws_deflate_free(c->deflate);
  c->deflate = NULL;
  upload_free(c->upload);
  free(c->hdrs);
  c->hdrs = NULL;
  c->prev = NULL;
  c->next = S.graveyard;
  S.graveyard = c;
}

/** Frees the connections closed during this loop turn. */
static void free_graveyard(void) {
  while (S.graveyard) {
    conn_t *c = S.graveyard;
    S.graveyard = c->next;
    free(c);
  }
}

/** Sends queued output until done or EAGAIN. */
static void conn_flush(conn_t *c) {
  while (out_pending(c) > 0) {
    ssize_t n = send(c->fd, c->out.data + c->out_sent, out_pending(c), MSG_NOSIGNAL);
    if (n > 0) {
      c->out_sent += (size_t)n;
      if (c->mode == MODE_HTTP) c->deadline = S.now + g_cfg.idle_ms;
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) c->dead = true;
      return;
    }
  }
  c->out_sent = 0;
  buf_reset(&c->out, KEEP_BYTES);
}

/**
 * Brings a connection up to date after anything happened to it: sends what is queued, moves a
 * closing connection on (shut down our side, then drain; or close), and registers the epoll
 * events it now needs. The connection may be freed: never use it after this call.
 */
static void conn_update(conn_t *c) {
  if (!c->dead && out_pending(c)) conn_flush(c);
  if (!c->dead && c->closing && c->mode != MODE_DRAIN && !out_pending(c)) {
    if (c->peer_eof) {
      c->dead = true;
    } else {
      shutdown(c->fd, SHUT_WR);
      c->mode = MODE_DRAIN;
      c->deadline = S.now + LINGER_MS;
    }
  }
  if (c->dead) {
    conn_destroy(c);
    return;
  }
  budget_sync(c);
  uint32_t ev = 0;
  if (c->mode == MODE_DRAIN || (!c->closing && !c->peer_eof && out_pending(c) < HIGH_WATER))
    ev |= EPOLLIN;
  if (out_pending(c)) ev |= EPOLLOUT;
  if (ev != c->events) {
    struct epoll_event e = {.events = ev, .data.ptr = c};
    epoll_ctl(S.epfd, EPOLL_CTL_MOD, c->fd, &e);
    c->events = ev;
  }
}

/** Reads what the peer sent and feeds it to the parser or the decoder. */
static void conn_readable(conn_t *c) {
  for (int rounds = 0; rounds < 8; rounds++) {
    ssize_t n = recv(c->fd, g_rbuf, sizeof g_rbuf, 0);
    if (n > 0) {
      if (c->mode == MODE_DRAIN || c->closing) { /* dropped */
        if ((size_t)n < sizeof g_rbuf) return;
        continue;
      }
      if (c->mode == MODE_HTTP) {
        c->deadline = S.now + g_cfg.idle_ms;
        request_started(c);
        http_feed(c, g_rbuf, (size_t)n);
      } else {
        ws_feed(c, g_rbuf, (size_t)n);
      }
      if (c->dead || (size_t)n < sizeof g_rbuf || out_pending(c) >= HIGH_WATER) return;
    } else if (n == 0) {
      /* The peer is done sending. Queued responses still go out, then the connection closes
       * (a WebSocket peer that vanished without a close frame is simply dropped). */
      c->peer_eof = true;
      if (c->mode != MODE_HTTP) c->dead = true;
      c->closing = true;
      return;
    } else {
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) c->dead = true;
      return;
    }
  }
}

/** Accepts every pending connection. Over --max-connections a connection is still accepted,
 * answered 503 and closed, up to MAX_REFUSING at a time; beyond that, and when accept fails
 * (out of descriptors), accepting pauses (see accept_pause): waiting clients stay in the
 * kernel's backlog and the loop never spins on a listener it cannot serve. */
static void accept_all(void) {
  while (!S.accept_paused) {
    bool over = g_lim.max_conns && S.nconns - S.nrefusing >= g_lim.max_conns;
    if (over && S.nrefusing >= MAX_REFUSING) {
      accept_pause(0);
      return;
    }
    int fd = accept4(S.listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return;
      accept_error_log(errno); /* EMFILE, ENFILE, ENOBUFS, ENOMEM, ... */
      accept_pause(S.now + ACCEPT_RETRY_MS);
      return;
    }
    conn_t *c = calloc(1, sizeof *c);
    if (!c) {
      close(fd);
      continue;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    c->fd = fd;
    c->mode = MODE_HTTP;
    c->deadline = S.now + g_cfg.idle_ms;
    wf_http_parser_init(&c->parser, WF_HTTP_TYPE_REQUEST);
    wf_http_set_max_header_size(&c->parser, g_cfg.max_header);
    c->parser.data = c;
    c->events = EPOLLIN;
    struct epoll_event e = {.events = EPOLLIN, .data.ptr = c};
    if (epoll_ctl(S.epfd, EPOLL_CTL_ADD, fd, &e) < 0) {
      close(fd);
      free(c);
      continue;
    }
    c->next = S.conns;
    if (S.conns) S.conns->prev = c;
    S.conns = c;
    S.nconns++;
    if (over) {
      c->refusing = true;
      S.nrefusing++;
      respond_error_with(c, 503, "Retry-After: 1\r\n", "too many connections; try again later");
      conn_update(c);
    }
  }
}

/* ------------------------------------------------------------------------------------------ */
/* Timers and shutdown                                                                        */
/* ------------------------------------------------------------------------------------------ */

/** How often deadlines are checked: a tenth of the shortest timeout, within 10 ms .. 1 s. */
static int64_t sweep_interval(void) {
  int64_t t = g_cfg.idle_ms < g_cfg.heartbeat_ms ? g_cfg.idle_ms : g_cfg.heartbeat_ms;
  const int64_t deadlines[] = {g_lim.head_ms, g_lim.request_ms, g_lim.message_ms};
  for (size_t i = 0; i < sizeof deadlines / sizeof deadlines[0]; i++)
    if (deadlines[i] && deadlines[i] < t) t = deadlines[i];
  t /= 10;
  return t < 10 ? 10 : t > 1000 ? 1000 : t;
}

/** Acts on deadlines that passed: a request's head or whole-request deadline (408), a
 * WebSocket message's (close 1008), an idle HTTP connection (with a 408 when a request was cut
 * short), or a connection that lingered long enough. */
static void sweep(void) {
  for (conn_t *c = S.conns, *next; c; c = next) {
    next = c->next;
    if (c->mode == MODE_HTTP && !c->closing && c->req_deadline && c->req_deadline <= S.now) {
      request_timed_out(c);
      c->deadline = S.now + g_cfg.idle_ms; /* for sending it */
      conn_update(c);
      continue;
    }
    if (c->mode == MODE_WS && !c->closing && c->msg_deadline && c->msg_deadline <= S.now) {
      char reason[96];
      snprintf(reason, sizeof reason, "message not complete within %g s",
               (double)g_lim.message_ms / 1000);
      ws_close(c, WF_WS_CLOSE_CODE_POLICY_VIOLATION, reason);
      conn_update(c);
      continue;
    }
    if (!c->deadline || c->deadline > S.now) continue;
    if (c->mode == MODE_HTTP && c->in_request && !c->closing && !out_pending(c)) {
      respond_error(c, 408, "no complete request within the idle timeout");
      c->deadline = S.now + g_cfg.idle_ms; /* for sending it */
    } else {
      c->dead = true;
    }
    conn_update(c);
  }
}

/** Pings every WebSocket peer; one that left MAX_MISSED_PONGS pings unanswered is dropped. */
static void heartbeat(void) {
  for (conn_t *c = S.conns, *next; c; c = next) {
    next = c->next;
    if (c->mode != MODE_WS || c->closing) continue;
    if (c->missed_pongs >= MAX_MISSED_PONGS) {
      c->dead = true;
    } else {
      c->missed_pongs++;
      if (ws_send(c, WF_WS_OPCODE_PING, NULL, 0)) c->dead = true;
    }
    conn_update(c);
  }
}

/** Starts the graceful shutdown: stop accepting, close idle connections, let requests in
 * progress finish with `Connection: close`, send WebSocket peers a 1001 close. */
static void begin_shutdown(void) {
  S.shutting_down = true;
  S.shutdown_deadline = S.now + g_cfg.shutdown_ms;
  if (S.listen_fd >= 0) {
    close(S.listen_fd);
    S.listen_fd = -1;
  }
  for (conn_t *c = S.conns, *next; c; c = next) {
    next = c->next;
    if (c->mode == MODE_HTTP && !c->in_request)
      c->closing = true; /* after what is queued has been sent */
    else if (c->mode == MODE_WS)
      ws_close(c, WF_WS_CLOSE_CODE_GOING_AWAY, "server shutting down");
    conn_update(c);
  }
}

/* ------------------------------------------------------------------------------------------ */
/* The event loop (one per process)                                                           */
/* ------------------------------------------------------------------------------------------ */

/** Serves on `listen_fd` until SIGINT or SIGTERM, then shuts down gracefully. Returns the
 * process exit status. `ready_fd`, when not -1, receives one byte once the loop runs. */
static int serve(int listen_fd, int ready_fd) {
  S.listen_fd = listen_fd;
  S.epfd = epoll_create1(EPOLL_CLOEXEC);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigprocmask(SIG_BLOCK, &set, NULL);
  S.sig_fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
  if (S.epfd < 0 || S.sig_fd < 0) {
    logf_("epoll/signalfd: %s", strerror(errno));
    return 1;
  }
  struct epoll_event e = {.events = EPOLLIN, .data.ptr = &S.listen_fd};
  epoll_ctl(S.epfd, EPOLL_CTL_ADD, listen_fd, &e);
  e.data.ptr = &S.sig_fd;
  epoll_ctl(S.epfd, EPOLL_CTL_ADD, S.sig_fd, &e);

  wf_http_settings_init(&S.http);
  S.http.on_message_begin = on_message_begin;
  S.http.on_url = on_url;
  S.http.on_header_field = on_header_field;
  S.http.on_header_field_complete = on_header_field_complete;
  S.http.on_header_value = on_header_value;
  S.http.on_header_value_complete = on_header_value_complete;
  S.http.on_headers_complete = on_headers_complete;
  S.http.on_body = on_body;
  S.http.on_message_complete = on_message_complete;
  S.wscb = (wf_ws_callbacks){on_frame_header, on_payload, on_frame_complete};

  S.now = monotonic_ms();
  S.next_sweep = S.now + sweep_interval();
  S.next_heartbeat = S.now + g_cfg.heartbeat_ms;
  if (ready_fd >= 0) {
    ssize_t w = write(ready_fd, "r", 1);
    (void)w;
    close(ready_fd);
  }

  struct epoll_event events[256];
  while (!S.shutting_down || S.conns) {
    int64_t wake = S.next_sweep < S.next_heartbeat ? S.next_sweep : S.next_heartbeat;
    if (S.accept_resume && S.accept_resume < wake) wake = S.accept_resume;
    if (S.shutting_down && S.shutdown_deadline < wake) wake = S.shutdown_deadline;
    int64_t timeout = wake - monotonic_ms();
    int n = epoll_wait(S.epfd, events, 256, timeout < 0 ? 0 : (int)timeout);
    if (n < 0 && errno != EINTR) {
      logf_("epoll_wait: %s", strerror(errno));
      break;
    }
    S.now = monotonic_ms();
    update_date();
    for (int i = 0; i < n; i++) {
      void *ptr = events[i].data.ptr;
      if (ptr == &S.listen_fd) {
        if (S.listen_fd >= 0) accept_all();
      } else if (ptr == &S.sig_fd) {
        struct signalfd_siginfo si;
        while (read(S.sig_fd, &si, sizeof si) == (ssize_t)sizeof si) {
          if (S.shutting_down) { /* a second signal: stop now */
            S.shutdown_deadline = S.now;
          } else {
            begin_shutdown();
          }
        }
      } else {
        conn_t *c = ptr;
        if (c->fd < 0) continue; /* closed earlier in this batch */
        uint32_t ev = events[i].events;
        if (ev & (EPOLLIN | EPOLLHUP | EPOLLERR)) conn_readable(c);
        conn_update(c);
      }
    }
    if (S.accept_resume && S.now >= S.accept_resume) accept_unpause();
    if (S.now >= S.next_heartbeat) {
      heartbeat();
      S.next_heartbeat = S.now + g_cfg.heartbeat_ms;
    }
    if (S.now >= S.next_sweep) {
      sweep();
      S.next_sweep = S.now + sweep_interval();
    }
    if (S.shutting_down && S.now >= S.shutdown_deadline) {
      if (S.conns) logf_("shutdown timeout: closing %zu connection(s)", S.nconns);
      while (S.conns) conn_destroy(S.conns);
    }
    free_graveyard();
  }
  while (S.conns) conn_destroy(S.conns);
  free_graveyard();
  if (S.listen_fd >= 0) close(S.listen_fd);
  close(S.sig_fd);
  close(S.epfd);
  return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Listening sockets                                                                          */
/* ------------------------------------------------------------------------------------------ */

/**
 * Creates a socket bound to host:port, with SO_REUSEPORT when `reuseport`; listens when
 * `do_listen`. Returns the descriptor (non-blocking) or -1 after logging why.
 */
static int open_socket(const char *host, unsigned port, bool reuseport, bool do_listen) {
  char portstr[8];
  snprintf(portstr, sizeof portstr, "%u", port);
  struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                           .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
  struct addrinfo *res = NULL;
  int rc = getaddrinfo(host, portstr, &hints, &res);
  if (rc != 0) {
    logf_("%s: %s", host, gai_strerror(rc));
    return -1;
  }
  int fd = socket(res->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int one = 1;
  if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
      (reuseport && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) < 0) ||
      bind(fd, res->ai_addr, res->ai_addrlen) < 0 || (do_listen && listen(fd, 4096) < 0)) {
    logf_("listen on %s:%u: %s", host, port, strerror(errno));
    if (fd >= 0) close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  return fd;
}

/** The port a socket is bound to. */
static unsigned bound_port(int fd) {
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0) return 0;
  if (ss.ss_family == AF_INET6) return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
  return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

/** Prints the first line (machine-readable: `listening on HOST:PORT`) and how to try it. */
static void announce(unsigned port) {
  bool v6 = strchr(g_cfg.host, ':') != NULL;
  char hp[300];
  snprintf(hp, sizeof hp, v6 ? "[%s]:%u" : "%s:%u", g_cfg.host, port);
  printf("listening on %s\n", hp);
  limits_print(stdout);
  printf("  try: curl -i http://%s/   curl --data-binary hello http://%s/echo\n", hp, hp);
  printf("  WebSocket: python3 -m websockets ws://%s/ws   (package `websockets`; "
         "build/venv/bin/python after `make venv`)\n",
         hp);
  fflush(stdout);
}

/* ------------------------------------------------------------------------------------------ */
/* Workers (--workers N): a master process forks N event loops sharing the port               */
/* ------------------------------------------------------------------------------------------ */

#define MAX_WORKERS 256

static struct {
  pid_t pid;         /* 0 while not running */
  int64_t started;   /* monotonic ms */
  int64_t respawn;   /* monotonic ms at which to start it again; 0 = not scheduled */
} g_workers[MAX_WORKERS];

/** Forks a worker: it opens its own SO_REUSEPORT listener on `port` and serves. Returns the
 * child's pid, or -1. In the child, never returns. */
static pid_t spawn_worker(unsigned port, int placeholder, int ready_fd) {
  pid_t master = getpid();
  pid_t pid = fork();
  if (pid != 0) return pid;
  /* Child. */
  close(placeholder);
  prctl(PR_SET_PDEATHSIG, SIGTERM); /* never outlive the master */
  if (getppid() != master) exit(1);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGCHLD);
  sigprocmask(SIG_UNBLOCK, &set, NULL);
  int fd = open_socket(g_cfg.host, port, true, true);
  if (fd < 0) exit(1);
  exit(serve(fd, ready_fd));
}

/**
 * The master: keeps `port` reserved with a bound (not listening) SO_REUSEPORT socket, forks
 * the workers, prints the listening line once all of them listen, restarts any that dies, and
 * on SIGINT/SIGTERM passes SIGTERM on and waits for them. Returns the exit status: 0 when every
 * worker ended with status 0 after the signal.
 */
static int run_master(void) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGCHLD);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigprocmask(SIG_BLOCK, &set, NULL);

  int placeholder = open_socket(g_cfg.host, g_cfg.port, true, false);
  if (placeholder < 0) return 1;
  unsigned port = bound_port(placeholder);

  int pipefd[2];
  if (pipe2(pipefd, O_CLOEXEC) < 0) return 1;
  for (unsigned i = 0; i < g_cfg.workers; i++) {
    g_workers[i].pid = spawn_worker(port, placeholder, pipefd[1]);
    g_workers[i].started = monotonic_ms();
    if (g_workers[i].pid < 0) {
      logf_("fork: %s", strerror(errno));
      g_workers[i].pid = 0;
    }
  }
  close(pipefd[1]);
  unsigned ready = 0;
  struct pollfd pfd = {.fd = pipefd[0], .events = POLLIN};
  while (ready < g_cfg.workers && poll(&pfd, 1, 30000) > 0) {
    char b[64];
    ssize_t n = read(pipefd[0], b, sizeof b);
    if (n <= 0) break;
    ready += (unsigned)n;
  }
  close(pipefd[0]);
  if (ready < g_cfg.workers) {
    logf_("only %u of %u workers started", ready, g_cfg.workers);
    for (unsigned i = 0; i < g_cfg.workers; i++)
      if (g_workers[i].pid > 0) kill(g_workers[i].pid, SIGKILL);
    while (wait(NULL) > 0) {
    }
    close(placeholder);
    return 1;
  }
  announce(port);
  logf_("master: %u workers on port %u", g_cfg.workers, port);

  bool stopping = false, failed = false;
  int64_t stop_deadline = 0;
  for (;;) {
    unsigned running = 0;
    for (unsigned i = 0; i < g_cfg.workers; i++) running += g_workers[i].pid > 0;
    if (stopping && running == 0) break;
    int64_t now = monotonic_ms(), wake = now + 1000;
    for (unsigned i = 0; i < g_cfg.workers; i++)
      if (g_workers[i].respawn && g_workers[i].respawn < wake) wake = g_workers[i].respawn;
    if (stopping && stop_deadline < wake) wake = stop_deadline;
    int64_t wait_ms = wake > now ? wake - now : 0;
    struct timespec ts = {.tv_sec = wait_ms / 1000, .tv_nsec = (wait_ms % 1000) * 1000000};
    int sig = sigtimedwait(&set, NULL, &ts);
    now = monotonic_ms();
    if ((sig == SIGINT || sig == SIGTERM) && !stopping) {
      stopping = true;
      stop_deadline = now + g_cfg.shutdown_ms + 2000;
      for (unsigned i = 0; i < g_cfg.workers; i++)
        if (g_workers[i].pid > 0) kill(g_workers[i].pid, SIGTERM);
    }
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
      for (unsigned i = 0; i < g_cfg.workers; i++) {
        if (g_workers[i].pid != pid) continue;
        g_workers[i].pid = 0;
        bool clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
        if (stopping) {
          if (!clean) failed = true;
        } else {
          if (WIFSIGNALED(status))
            logf_("worker %d killed by signal %d; restarting it", (int)pid, WTERMSIG(status));
          else
            logf_("worker %d exited with status %d; restarting it", (int)pid,
                  WIFEXITED(status) ? WEXITSTATUS(status) : -1);
          /* A worker that dies right after starting is restarted after a second, not in a
           * tight loop. */
          g_workers[i].respawn = now - g_workers[i].started < 1000 ? now + 1000 : now;
        }
      }
    }
    if (stopping && now >= stop_deadline) {
      for (unsigned i = 0; i < g_cfg.workers; i++)
        if (g_workers[i].pid > 0) kill(g_workers[i].pid, SIGKILL);
      failed = true;
      stop_deadline = now + 1000;
    }
    for (unsigned i = 0; !stopping && i < g_cfg.workers; i++) {
      if (!g_workers[i].respawn || g_workers[i].respawn > now) continue;
      g_workers[i].respawn = 0;
      g_workers[i].started = now;
      pid_t np = spawn_worker(port, placeholder, -1);
      if (np < 0) {
        g_workers[i].respawn = now + 1000;
      } else {
        g_workers[i].pid = np;
        logf_("worker %d started", (int)np);
      }
    }
  }
  close(placeholder);
  logf_("master: all workers stopped");
  return failed ? 1 : 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Options                                                                                    */
/* ------------------------------------------------------------------------------------------ */

/** The options of the limits (`limits_t`); 0 turns each of them off. */
static void limits_usage(FILE *f) {
  fprintf(f,
          "limits (per process; 0 turns one off):\n"
          "  --head-timeout SECONDS     start line and headers must arrive within (60): 408\n"
          "  --request-timeout SECONDS  the whole request, body included, likewise (300): 408\n"
          "  --message-timeout SECONDS  a WebSocket message, first frame to last (300):\n"
          "                             close 1008\n"
          "  --max-connections N        connections served at once (default: the descriptor\n"
          "                             limit, raised to its hard limit, less 64 + 1/16);\n"
          "                             beyond it new connections get 503 and are closed\n"
          "  --max-buffered BYTES       memory all connections' buffers may hold (268435456):\n"
          "                             503 to a request body, close 1013 to a message\n"
          "  --max-fragments N          frames in one WebSocket message (131072): close 1009\n");
}

static void usage(FILE *f) {
  fprintf(f,
          "usage: server [options]\n"
          "  --host ADDR             address to listen on (default 127.0.0.1)\n"
          "  --port N                port (default 8080; 0 = any free port)\n"
          "  --workers N             fork N worker processes sharing the port with\n"
          "                          SO_REUSEPORT, restarting any that dies (default: none,\n"
          "                          this process serves)\n"
          "  --max-body BYTES        largest request body (default 1048576): 413, or 417 to\n"
          "                          Expect: 100-continue\n"
          "  --max-header BYTES      largest start line + headers (default 16384): 431\n"
          "  --max-message BYTES     largest WebSocket message (default 1048576): close 1009\n"
          "  --idle-timeout SECONDS  close an HTTP connection idle this long (default 5)\n"
          "  --heartbeat SECONDS     WebSocket ping interval (default 30); a peer missing 3\n"
          "                          pongs in a row is disconnected\n"
          "  --shutdown-timeout SECONDS  how long SIGINT/SIGTERM waits for connections (5)\n"
          "  --no-deflate            decline permessage-deflate (accepted by default; the\n"
          "                          inflated size of a message has --max-message)\n");
  limits_usage(f);
  fprintf(f, "The first line printed is `listening on HOST:PORT`, the second the limits in force.\n");
}

/** Parses a whole number within [lo, hi]; exits with a message otherwise. */
static unsigned long long parse_uint(const char *opt, const char *s, unsigned long long lo,
                                     unsigned long long hi) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno || end == s || *end || s[0] == '-' || v < lo || v > hi) {
    fprintf(stderr, "server: %s wants a whole number in %llu..%llu, not '%s'\n", opt, lo, hi, s);
    exit(2);
  }
  return v;
}

/** Parses seconds (decimals allowed, > 0, at most a day) into milliseconds; exits otherwise. */
static int64_t parse_seconds(const char *opt, const char *s) {
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (errno || end == s || *end || !(v >= 0.001 && v <= 86400)) {
    fprintf(stderr, "server: %s wants seconds between 0.001 and 86400, not '%s'\n", opt, s);
    exit(2);
  }
  return (int64_t)llround(v * 1000);
}

/** Parses a limit's seconds: 0 (off), or as parse_seconds. */
static int64_t parse_seconds_or_off(const char *opt, const char *s) {
  return strcmp(s, "0") == 0 ? 0 : parse_seconds(opt, s);
}

/** Handles one of the limits' options (`ch` from the option table); false if it is not one. */
static bool limits_option(int ch, const char *arg) {
  switch (ch) {
    case 'T' + 256: g_lim.head_ms = parse_seconds_or_off("--head-timeout", arg); return true;
    case 'R' + 256: g_lim.request_ms = parse_seconds_or_off("--request-timeout", arg); return true;
    case 'M' + 256: g_lim.message_ms = parse_seconds_or_off("--message-timeout", arg); return true;
    case 'C' + 256:
      g_lim.max_conns = (size_t)parse_uint("--max-connections", arg, 0, 1ull << 30);
      g_lim.max_conns_set = true;
      return true;
    case 'B' + 256:
      g_lim.max_buffered = (size_t)parse_uint("--max-buffered", arg, 0, 1ull << 44);
      return true;
    case 'F' + 256:
      g_lim.max_fragments = (uint32_t)parse_uint("--max-fragments", arg, 0, UINT32_MAX);
      return true;
    default: return false;
  }
}

int main(int argc, char **argv) {
  static const struct option opts[] = {
      {"host", required_argument, NULL, 'h'},
      {"port", required_argument, NULL, 'p'},
      {"workers", required_argument, NULL, 'w'},
      {"max-body", required_argument, NULL, 'b'},
      {"max-header", required_argument, NULL, 'H'},
      {"max-message", required_argument, NULL, 'm'},
      {"idle-timeout", required_argument, NULL, 'i'},
      {"heartbeat", required_argument, NULL, 'P'},
      {"shutdown-timeout", required_argument, NULL, 's'},
      {"head-timeout", required_argument, NULL, 'T' + 256},
      {"request-timeout", required_argument, NULL, 'R' + 256},
      {"message-timeout", required_argument, NULL, 'M' + 256},
      {"max-connections", required_argument, NULL, 'C' + 256},
      {"max-buffered", required_argument, NULL, 'B' + 256},
      {"max-fragments", required_argument, NULL, 'F' + 256},
      {"no-deflate", no_argument, NULL, 'D'},
      {"help", no_argument, NULL, '?' + 256},
      {NULL, 0, NULL, 0},
  };
  int ch;
  while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    switch (ch) {
      case 'h': g_cfg.host = optarg; break;
      case 'p': g_cfg.port = (unsigned)parse_uint("--port", optarg, 0, 65535); break;
      case 'w': g_cfg.workers = (unsigned)parse_uint("--workers", optarg, 0, MAX_WORKERS); break;
      case 'b': g_cfg.max_body = (size_t)parse_uint("--max-body", optarg, 0, 1ull << 40); break;
      case 'H':
        g_cfg.max_header = (uint32_t)parse_uint("--max-header", optarg, 64, 1u << 30);
        break;
      case 'm':
        g_cfg.max_message = (size_t)parse_uint("--max-message", optarg, 1, 1ull << 40);
        break;
      case 'i': g_cfg.idle_ms = parse_seconds("--idle-timeout", optarg); break;
      case 'P': g_cfg.heartbeat_ms = parse_seconds("--heartbeat", optarg); break;
      case 's': g_cfg.shutdown_ms = parse_seconds("--shutdown-timeout", optarg); break;
      case 'D': g_cfg.no_deflate = true; break;
      case '?' + 256: usage(stdout); return 0;
      default:
        if (limits_option(ch, optarg)) break;
        usage(stderr);
        return 2;
    }
  }
  if (optind < argc) {
    usage(stderr);
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  limits_init();
  if (g_cfg.workers > 0) return run_master();

  int fd = open_socket(g_cfg.host, g_cfg.port, false, true);
  if (fd < 0) return 1;
  /* Block the signals before announcing, so a SIGTERM right after the line is not lost. */
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigprocmask(SIG_BLOCK, &set, NULL);
  announce(bound_port(fd));
  return serve(fd, -1);
}
