/* reins-mcp-client-private.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the files of ReinsMcpClient share: its instance struct, and the functions one
 * file gives the others (reins-mcp-client.c: life and handshake; reins-mcp-calls.c: tools;
 * reins-mcp-rpc.c: requests; reins-mcp-incoming.c: what the server sends;
 * reins-mcp-stdio.c: the stdio transport).
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "reins-mcp-client.h"
#include "reins-mcp-oauth.h"
#include "reins-mcp-transport.h"

G_BEGIN_DECLS

#define STDERR_TAIL       8192
#define MAX_LINE          (16 * 1024 * 1024)
#define MAX_PAGES         100
#define WRITE_TIMEOUT_MS  5000
#define SHUTDOWN_GRACE_MS 2000
/* Clear protocol violations while a request waits (see
 * reins_mcp_client_raise_violation_locked()). */
#define VIOLATION_GRACE_MS   1000
#define MAX_GARBAGE_WAITING  50
#define MAX_REQUESTS_WAITING 1000
/* Answers to the server's own requests not yet read by it. */
#define MAX_OUTBOX        (1024 * 1024)
/* Each tool is described in every request: a server offering thousands would cost more
 * than the task. */
#define DEFAULT_MAX_TOOLS 128
/* Rounds of input a stateless server may ask for in one call. */
#define MAX_INPUT_ROUNDS  10

/* An `elicitation/create` of the server, answered by a request waiting for its own answer
 * (on the worker that made it, which can ask the person). */
typedef struct
{
  JsonNode   *id;
  JsonObject *params;
} Elicitation;

/* Where a call's notifications/progress go. */
typedef struct
{
  char                  *tool;
  ReinsToolProgressFunc  func;
  gpointer               data;
} Progress;

typedef struct
{
  gint64    id;
  JsonNode *response;  /* the whole message once it came */
  char     *failure;   /* or why it will not come (HTTP) */
  gboolean  expired;   /* the HTTP session expired: initialize again */
  guint     auth_status;  /* 401 or 403: refused for want of authorization */
  char     *challenge;    /* its WWW-Authenticate */
  char     *used;         /* the Authorization the request carried */
} Pending;

struct _ReinsMcpClient
{
  GObject      parent_instance;

  char        *name;
  char       **argv;             /* stdio, or */
  char        *url;              /* Streamable HTTP */
  ReinsMcpHttp *http;
  ReinsMcpOAuth *oauth;          /* HTTP only */
  ReinsRisk    risk;
  gboolean     trust_annotations; /* the tools' readOnlyHint / destructiveHint set their risk */
  GMutex       root_mutex;       /* guards root_uri and roots_declared */
  char        *root_uri;         /* (nullable) offered by roots/list */
  gboolean     roots_declared;   /* the roots capability was declared: changes are told */
  gboolean     stateless;        /* 2026-07-28: no initialize, _meta on every request */
  guint        start_timeout_s;

  /* Guarded by mutex; cond is broadcast on every answer, death and cancellation. */
  GMutex       mutex;
  GCond        cond;
  GHashTable  *pending;          /* id → Pending* (not owned) */
  gint64       next_id;
  gboolean     started;
  gboolean     ready;            /* initialized and tools listed */
  gboolean     dead;
  gboolean     reaped;
  int          wait_status;
  char        *death_reason;
  GString     *stderr_tail;
  char        *stderr_snapshot;
  guint        garbage_lines;
  char        *first_garbage;
  GPtrArray   *tool_descriptions; /* JsonObject* */
  guint        max_tools;
  char       **allowed_tools;    /* (nullable) the only tools to use, by the server's names */
  char        *protocol_version;
  GThread     *relist_thread;
  gboolean     relist_again;
  guint        violation_serial; /* counts protocol violations seen while requests waited */
  char        *violation;        /* the last one, for the error */
  guint        garbage_waiting;  /* lines that are not JSON-RPC since the last answer */
  guint        requests_waiting; /* requests of the server since the last answer */
  GQueue       elicitations;     /* Elicitation*: the server's questions to the person */
  GMutex       progress_mutex;   /* guards progress, and is held while one is reported */
  GHashTable  *progress;         /* progressToken (string) → Progress* of a call that runs */
  guint        next_progress;
  guint        elicit_waiters;   /* requests waiting that can put them to the person */

  GMutex       write_mutex;      /* guards stdin_fd, outbox and written */
  int          stdin_fd;
  GByteArray  *outbox;           /* bytes for stdin not written yet, in order */
  guint64      written;          /* bytes written to stdin so far */

  GMainContext *main_context;    /* where ::tools-changed is emitted */
  GSubprocess *process;          /* stdio: owns the pipes whose fds follow */
  GPid         pid;
  int          stdout_fd;
  int          stderr_fd;
  int          wake_fds[2];
  GThread     *reader;
};

extern const ReinsMcpTransportSink reins_mcp_client_http_sink;

/* reins-mcp-client.c */
gpointer reins_mcp_client_relist_thread_func (gpointer data);
void reins_mcp_client_add_client_description (ReinsMcpClient *self,
                                              JsonObject     *object);
gboolean reins_mcp_client_initialize (ReinsMcpClient  *self,
                                      GCancellable    *cancellable,
                                      GError         **error);

/* reins-mcp-calls.c */
gboolean reins_mcp_client_list_tools (ReinsMcpClient  *self,
                                      guint            timeout_s,
                                      GCancellable    *cancellable,
                                      GError         **error);

/* reins-mcp-stdio.c */
char *reins_mcp_client_describe_death_locked (ReinsMcpClient *self);
gboolean reins_mcp_client_flush_outbox_locked (ReinsMcpClient *self);
gboolean reins_mcp_client_send_message (ReinsMcpClient  *self,
                                        JsonNode        *message,
                                        GError         **error);
gboolean reins_mcp_client_stdio_spawn (ReinsMcpClient  *self,
                                       GError         **error);
void reins_mcp_client_stdio_end (ReinsMcpClient *self);
void reins_mcp_client_stdio_join (ReinsMcpClient *self);

/* reins-mcp-rpc.c */
char *reins_mcp_client_diagnosis_locked (ReinsMcpClient *self);
void reins_mcp_client_mark_dead_locked (ReinsMcpClient *self,
                                        const char     *reason);
void reins_mcp_client_raise_violation_locked (ReinsMcpClient *self,
                                              char           *what);
void reins_mcp_client_raise_violation (ReinsMcpClient *self,
                                       char           *what);
void reins_mcp_client_send_notification (ReinsMcpClient *self,
                                         const char     *method,
                                         JsonObject     *params);
JsonNode *reins_mcp_client_request_once (ReinsMcpClient  *self,
                                         const char      *method,
                                         JsonObject      *params,
                                         guint            timeout_s,
                                         ReinsElicitFunc  elicit,
                                         gpointer         elicit_data,
                                         GCancellable    *cancellable,
                                         gboolean        *expired,
                                         gboolean        *refused,
                                         GError         **error);
JsonNode *reins_mcp_client_request_full (ReinsMcpClient  *self,
                                         const char      *method,
                                         JsonObject      *params,
                                         guint            timeout_s,
                                         ReinsElicitFunc  elicit,
                                         gpointer         elicit_data,
                                         GCancellable    *cancellable,
                                         GError         **error);

/* reins-mcp-incoming.c */
void reins_mcp_client_elicitation_free (gpointer data);
void reins_mcp_client_progress_free (gpointer data);
void reins_mcp_client_answer (ReinsMcpClient *self,
                              JsonNode       *id,
                              JsonObject     *result,
                              int             code,
                              const char     *text);
JsonObject *reins_mcp_client_roots_result (ReinsMcpClient *self);
gboolean reins_mcp_client_offers_roots (ReinsMcpClient *self);
gboolean reins_mcp_client_check_elicitation (JsonObject  *params,
                                             GError     **error);
void reins_mcp_client_note_garbage (ReinsMcpClient *self,
                                    const char     *line,
                                    gsize           length);
void reins_mcp_client_handle_line (ReinsMcpClient *self,
                                   const char     *line,
                                   gsize           length);
void reins_mcp_client_decline_elicitations_locked (ReinsMcpClient *self);

G_END_DECLS
