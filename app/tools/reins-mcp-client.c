/* reins-mcp-client.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ReinsMcpClient: one Model Context Protocol server run as a subprocess (GSubprocess) and
 * spoken to over stdio (newline-delimited JSON-RPC 2.0, PROTOCOLS.md).
 *
 * Threads: requests are made synchronously from any thread (the run's worker). One reader
 * thread per server polls its stdout and stderr: it hands responses to the waiting request
 * through a mutex and a condition, answers the server's own requests (ping), keeps the tail
 * of stderr for diagnosis, and on `notifications/tools/list_changed` starts a short thread
 * that lists the tools again; ::tools-changed is then emitted on the client's main context. A request waits
 * until its answer, its timeout, its cancellable or the death of the server, whichever comes
 * first, so a server that dies, stalls or writes garbage never hangs the run.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "reins-builtin-tool.h"
#include "reins-error.h"
#include "reins-mcp-client.h"
#include "reins-json-util.h"
#include "reins-mcp-content.h"
#include "reins-mcp-message.h"
#include "reins-mcp-elicit.h"
#include "reins-mcp-oauth.h"
#include "reins-mcp-tool.h"
#include "reins-mcp-transport.h"
#include "reins-sandbox.h"

#define STDERR_TAIL       8192
#define MAX_LINE          (16 * 1024 * 1024)
#define MAX_PAGES         100
#define WRITE_TIMEOUT_MS  5000
#define SHUTDOWN_GRACE_MS 2000
/* Clear protocol violations while a request waits (see raise_violation_locked()). */
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

static const char * const accepted_versions[] = {
  "2025-06-18", "2025-03-26", "2024-11-05", "2025-11-25",
};

/* An `elicitation/create` of the server, answered by a request waiting for its own answer
 * (on the worker that made it, which can ask the person). */
typedef struct
{
  JsonNode   *id;
  JsonObject *params;
} Elicitation;

static void
elicitation_free (gpointer data)
{
  Elicitation *e = data;

  json_node_unref (e->id);
  json_object_unref (e->params);
  g_free (e);
}

/* Where a call's notifications/progress go. */
typedef struct
{
  char                  *tool;
  ReinsToolProgressFunc  func;
  gpointer               data;
} Progress;

static void
progress_free (gpointer data)
{
  Progress *p = data;

  g_free (p->tool);
  g_free (p);
}

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
  char        *root_uri;         /* (nullable) offered by roots/list */
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

G_DEFINE_FINAL_TYPE (ReinsMcpClient, reins_mcp_client, G_TYPE_OBJECT)

enum
{
  TOOLS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
reins_mcp_client_dispose (GObject *object)
{
  reins_mcp_client_stop (REINS_MCP_CLIENT (object));

  G_OBJECT_CLASS (reins_mcp_client_parent_class)->dispose (object);
}

static void
reins_mcp_client_finalize (GObject *object)
{
  ReinsMcpClient *self = REINS_MCP_CLIENT (object);

  g_free (self->name);
  g_strfreev (self->argv);
  g_free (self->url);
  g_free (self->root_uri);
  g_clear_pointer (&self->http, reins_mcp_http_free);
  g_clear_pointer (&self->oauth, reins_mcp_oauth_free);
  g_hash_table_unref (self->pending);
  g_clear_object (&self->process);
  g_main_context_unref (self->main_context);
  g_free (self->death_reason);
  g_string_free (self->stderr_tail, TRUE);
  g_free (self->stderr_snapshot);
  g_free (self->first_garbage);
  g_free (self->violation);
  g_strfreev (self->allowed_tools);
  g_byte_array_unref (self->outbox);
  g_ptr_array_unref (self->tool_descriptions);
  g_free (self->protocol_version);
  g_queue_clear_full (&self->elicitations, elicitation_free);
  g_mutex_clear (&self->mutex);
  g_mutex_clear (&self->write_mutex);
  g_mutex_clear (&self->progress_mutex);
  g_hash_table_unref (self->progress);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (reins_mcp_client_parent_class)->finalize (object);
}

static void
reins_mcp_client_class_init (ReinsMcpClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = reins_mcp_client_dispose;
  object_class->finalize = reins_mcp_client_finalize;

  /**
   * ReinsMcpClient::tools-changed:
   *
   * The server's tool list was listed again after it said it changed. Emitted on the
   * thread-default main context of the thread that made the client (the default one for a
   * run's worker), never after the client was stopped.
   */
  signals[TOOLS_CHANGED] = g_signal_new ("tools-changed", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 0);
}

static void
reins_mcp_client_init (ReinsMcpClient *self)
{
  g_mutex_init (&self->mutex);
  g_mutex_init (&self->write_mutex);
  g_mutex_init (&self->progress_mutex);
  self->progress = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, progress_free);
  g_cond_init (&self->cond);
  self->pending = g_hash_table_new (g_int64_hash, g_int64_equal);
  self->main_context = g_main_context_ref_thread_default ();
  self->next_id = 1;
  self->outbox = g_byte_array_new ();
  self->max_tools = DEFAULT_MAX_TOOLS;
  self->stderr_tail = g_string_new (NULL);
  self->tool_descriptions = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->risk = REINS_RISK_EXEC;
  self->start_timeout_s = 60;
  self->stdin_fd = self->stdout_fd = self->stderr_fd = -1;
  self->wake_fds[0] = self->wake_fds[1] = -1;
  self->pid = 0;
}

static gboolean
check_name (const char  *name,
            GError     **error)
{
  if (name == NULL || *name == '\0' || strlen (name) > 32)
    goto bad;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-')
      goto bad;
  if (strstr (name, "__") != NULL)
    goto bad;
  return TRUE;

bad:
  g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
               _("“%s” cannot name an MCP server: use up to 32 letters, digits, “-” or “_”"),
               name != NULL ? name : "");
  return FALSE;
}

/**
 * reins_mcp_client_new:
 * @name: the server's name, the prefix of its tools (`NAME__TOOL`)
 * @command_line: the command, split like a shell would (no expansion)
 */
ReinsMcpClient *
reins_mcp_client_new (const char  *name,
                      const char  *command_line,
                      GError     **error)
{
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (command_line != NULL, NULL);

  if (reins_mcp_http_is_url (command_line))
    return reins_mcp_client_new_url (name, command_line, error);
  if (!g_shell_parse_argv (command_line, NULL, &argv, &local))
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
                   _("The command of MCP server “%s” cannot be parsed: %s"),
                   name != NULL ? name : "", local->message);
      return NULL;
    }
  return reins_mcp_client_new_argv (name, (const char * const *) argv, error);
}

ReinsMcpClient *
reins_mcp_client_new_argv (const char          *name,
                           const char * const  *argv,
                           GError             **error)
{
  ReinsMcpClient *self;

  if (!check_name (name, error))
    return NULL;
  if (argv == NULL || argv[0] == NULL || *argv[0] == '\0')
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
                   _("MCP server “%s” has no command"), name);
      return NULL;
    }

  self = g_object_new (REINS_TYPE_MCP_CLIENT, NULL);
  self->name = g_strdup (name);
  self->argv = g_strdupv ((char **) argv);
  return self;
}

/**
 * reins_mcp_client_new_url:
 * @url: the server's Streamable HTTP endpoint, http:// or https://
 *
 * A server spoken to over Streamable HTTP rather than run as a subprocess.
 */
ReinsMcpClient *
reins_mcp_client_new_url (const char  *name,
                          const char  *url,
                          GError     **error)
{
  ReinsMcpClient *self;
  g_autoptr(GUri) uri = NULL;

  if (!check_name (name, error))
    return NULL;
  if (reins_mcp_http_is_url (url))
    uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
                   _("The URL of MCP server “%s” is not an http or https URL: %s"),
                   name, url != NULL ? url : "");
      return NULL;
    }

  self = g_object_new (REINS_TYPE_MCP_CLIENT, NULL);
  self->name = g_strdup (name);
  self->url = g_strdup (url);
  self->oauth = reins_mcp_oauth_new (name, url);
  return self;
}

/**
 * reins_mcp_client_set_oauth_client:
 * @client_id: (nullable): the id an authorization server gave Reins, or NULL to register
 *   dynamically
 *
 * For a server over HTTP whose authorization server does not register clients itself.
 */
void
reins_mcp_client_set_oauth_client (ReinsMcpClient *self,
                                   const char     *client_id,
                                   const char     *client_secret)
{
  g_return_if_fail (REINS_IS_MCP_CLIENT (self));
  if (self->oauth != NULL)
    reins_mcp_oauth_set_client (self->oauth, client_id, client_secret);
}

const char *
reins_mcp_client_get_name (ReinsMcpClient *self)
{
  g_return_val_if_fail (REINS_IS_MCP_CLIENT (self), NULL);
  return self->name;
}

void
reins_mcp_client_set_risk (ReinsMcpClient *self,
                           ReinsRisk       risk)
{
  g_return_if_fail (REINS_IS_MCP_CLIENT (self));
  self->risk = risk;
}

/**
 * reins_mcp_client_set_trust_annotations:
 *
 * Whether the server is trusted to describe its tools: a tool with `readOnlyHint` then has
 * risk read (network if it also says `openWorldHint`), one with `destructiveHint: false`
 * risk write; the others keep the server's risk. Annotations are only hints, and an
 * untrusted server could use them to escape the policy guard, so this is off by default.
 */
void
reins_mcp_client_set_trust_annotations (ReinsMcpClient *self,
                                        gboolean        trust)
{
  g_return_if_fail (REINS_IS_MCP_CLIENT (self));
  self->trust_annotations = trust;
}

/**
 * reins_mcp_client_set_root:
 * @folder: (nullable): the run's workspace
 *
 * The folder the server is told it may work in, as its one root (`roots/list`). Set before
 * reins_mcp_client_start(): the capability is declared in `initialize`.
 */
void
reins_mcp_client_set_root (ReinsMcpClient *self,
                           const char     *folder)
{
  g_autofree char *absolute = NULL;

  g_return_if_fail (REINS_IS_MCP_CLIENT (self));
  g_clear_pointer (&self->root_uri, g_free);
  if (folder == NULL || *folder == '\0')
    return;
  absolute = g_canonicalize_filename (folder, NULL);
  self->root_uri = g_filename_to_uri (absolute, NULL, NULL);
}

static gboolean
hint (JsonObject *annotations,
      const char *name,
      gboolean    fallback)
{
  JsonNode *node = annotations != NULL ? json_object_get_member (annotations, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fallback;
  return json_node_get_boolean (node);
}

static ReinsRisk
tool_risk (ReinsMcpClient *self,
           JsonObject     *description)
{
  JsonNode *node = json_object_get_member (description, "annotations");
  JsonObject *annotations = node != NULL && JSON_NODE_HOLDS_OBJECT (node)
                              ? json_node_get_object (node) : NULL;
  ReinsRisk risk = self->risk;

  if (!self->trust_annotations || annotations == NULL)
    return risk;
  /* Never above what the person gave the server. */
  if (hint (annotations, "readOnlyHint", FALSE))
    risk = hint (annotations, "openWorldHint", FALSE) ? REINS_RISK_NETWORK : REINS_RISK_READ;
  else if (!hint (annotations, "destructiveHint", TRUE))
    risk = REINS_RISK_WRITE;
  return MIN (risk, self->risk);
}

void
reins_mcp_client_set_start_timeout (ReinsMcpClient *self,
                                    guint           seconds)
{
  g_return_if_fail (REINS_IS_MCP_CLIENT (self));
  self->start_timeout_s = seconds > 0 ? seconds : 60;
}

/**
 * reins_mcp_client_set_tool_filter:
 * @max_tools: the most tools to use; 0 means 128
 * @allowed: (nullable): use only these tools (the server's names), in the server's order
 *
 * Which of the server's tools reins_mcp_client_get_tools() gives: the first @max_tools of
 * those @allowed. reins_mcp_client_dup_tool_warning() says what was left out.
 */
void
reins_mcp_client_set_tool_filter (ReinsMcpClient     *self,
                                  guint               max_tools,
                                  const char * const *allowed)
{
  g_return_if_fail (REINS_IS_MCP_CLIENT (self));

  g_mutex_lock (&self->mutex);
  self->max_tools = max_tools > 0 ? max_tools : DEFAULT_MAX_TOOLS;
  g_strfreev (self->allowed_tools);
  self->allowed_tools = g_strdupv ((char **) allowed);
  g_mutex_unlock (&self->mutex);
}

/* Called with the mutex held: the descriptions to use, after the filter; @offered and
 * @unknown (nullable) count what the server offers and which allowed names it lacks. */
static GPtrArray *
filtered_tools_locked (ReinsMcpClient *self,
                       guint          *offered,
                       GString        *unknown)
{
  GPtrArray *used = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  *offered = 0;
  for (guint i = 0; i < self->tool_descriptions->len; i++)
    {
      JsonObject *t = g_ptr_array_index (self->tool_descriptions, i);
      const char *name = json_object_get_string_member_with_default (t, "name", "");

      if (self->allowed_tools != NULL &&
          !g_strv_contains ((const char * const *) self->allowed_tools, name))
        continue;
      (*offered)++;
      if (used->len < self->max_tools)
        g_ptr_array_add (used, json_object_ref (t));
    }

  for (guint i = 0; unknown != NULL && self->allowed_tools != NULL &&
                    self->allowed_tools[i] != NULL; i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < self->tool_descriptions->len && !found; j++)
        found = g_strcmp0 (json_object_get_string_member_with_default (
                             g_ptr_array_index (self->tool_descriptions, j), "name", ""),
                           self->allowed_tools[i]) == 0;
      if (!found)
        g_string_append_printf (unknown, "%s“%s”", unknown->len > 0 ? ", " : "",
                                self->allowed_tools[i]);
    }
  return used;
}

/**
 * reins_mcp_client_dup_tool_warning:
 *
 * Returns: (transfer full) (nullable): what the tool filter left out, for a person, or
 *   %NULL when every tool asked for is used
 */
char *
reins_mcp_client_dup_tool_warning (ReinsMcpClient *self)
{
  g_autoptr(GPtrArray) used = NULL;
  g_autoptr(GString) unknown = g_string_new (NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  guint offered;

  g_return_val_if_fail (REINS_IS_MCP_CLIENT (self), NULL);

  g_mutex_lock (&self->mutex);
  used = filtered_tools_locked (self, &offered, unknown);
  if (offered > used->len)
    g_string_append_printf (text, _("it offers %u tools; only the first %u are used "
                                    "(mcp_max_tools); choose others with "
                                    "--mcp-tools=%s=TOOL,TOOL…"),
                            offered, used->len, self->name);
  if (unknown->len > 0)
    g_string_append_printf (text, _("%sit has no tool %s"), text->len > 0 ? "; " : "",
                            unknown->str);
  g_mutex_unlock (&self->mutex);

  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

const char *
reins_mcp_client_get_protocol_version (ReinsMcpClient *self)
{
  g_return_val_if_fail (REINS_IS_MCP_CLIENT (self), NULL);
  return self->protocol_version;
}

/**
 * reins_mcp_client_get_stderr_tail:
 *
 * Returns: the last few KiB the server wrote on stderr; valid until the next call.
 */
const char *
reins_mcp_client_get_stderr_tail (ReinsMcpClient *self)
{
  g_return_val_if_fail (REINS_IS_MCP_CLIENT (self), NULL);

  g_mutex_lock (&self->mutex);
  g_free (self->stderr_snapshot);
  self->stderr_snapshot = reins_sandbox_escape_text (self->stderr_tail->str,
                                                     self->stderr_tail->len);
  g_mutex_unlock (&self->mutex);
  return self->stderr_snapshot;
}

gboolean
reins_mcp_client_is_running (ReinsMcpClient *self)
{
  gboolean running;

  g_return_val_if_fail (REINS_IS_MCP_CLIENT (self), FALSE);

  g_mutex_lock (&self->mutex);
  running = self->started && !self->dead;
  g_mutex_unlock (&self->mutex);
  return running;
}

/* Called with the mutex held: why the server cannot answer, for an error message. */
static char *
describe_death_locked (ReinsMcpClient *self)
{
  g_autoptr(GString) s = g_string_new (NULL);

  if (self->death_reason != NULL)
    g_string_append (s, self->death_reason);
  else
    g_string_append (s, _("the server stopped"));

  if (self->reaped)
    {
      if (WIFEXITED (self->wait_status))
        g_string_append_printf (s, _(" (exit status %d)"), WEXITSTATUS (self->wait_status));
      else if (WIFSIGNALED (self->wait_status))
        g_string_append_printf (s, _(" (killed by signal %d)"), WTERMSIG (self->wait_status));
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* Called with the mutex held. */
static char *
diagnosis_locked (ReinsMcpClient *self)
{
  g_autoptr(GString) s = g_string_new (NULL);

  if (self->garbage_lines > 0)
    g_string_append_printf (s, _("; it wrote %u line(s) that are not JSON-RPC, the first: %s"),
                            self->garbage_lines, self->first_garbage);
  if (self->stderr_tail->len > 0)
    {
      g_autofree char *tail = NULL;
      const char *start = self->stderr_tail->str;

      /* The last few lines are what explains a failure. */
      if (self->stderr_tail->len > 600)
        start += self->stderr_tail->len - 600;
      /* One line for an error message: the server's lines are joined with spaces. */
      tail = reins_sandbox_escape_text (start, -1);
      g_strdelimit (tail, "\n\t", ' ');
      g_strstrip (tail);
      g_string_append_printf (s, _("; its stderr ends with: %s"), tail);
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
mark_dead_locked (ReinsMcpClient *self,
                  const char     *reason)
{
  if (!self->dead)
    {
      self->dead = TRUE;
      g_free (self->death_reason);
      self->death_reason = g_strdup (reason);
    }
  g_cond_broadcast (&self->cond);
}

/* Writes what the pipe takes now, without blocking; called with write_mutex held.
 * Returns: FALSE when the server's input is closed or broken */
static gboolean
flush_outbox_locked (ReinsMcpClient *self)
{
  while (self->outbox->len > 0)
    {
      ssize_t n;

      if (self->stdin_fd < 0)
        return FALSE;
      n = write (self->stdin_fd, self->outbox->data, self->outbox->len);
      if (n > 0)
        {
          g_byte_array_remove_range (self->outbox, 0, n);
          self->written += n;
        }
      else if (n < 0 && errno == EINTR)
        continue;
      else if (n < 0 && errno == EAGAIN)
        return TRUE;
      else
        return FALSE;
    }
  return TRUE;
}

/* Writes one message and its newline, after whatever is queued before it; bounded in time
 * so a server that stops reading cannot block the caller forever. */
static gboolean
send_message (ReinsMcpClient  *self,
              JsonNode        *message,
              GError         **error)
{
  g_autofree char *text = NULL;
  gint64 deadline = g_get_monotonic_time () + WRITE_TIMEOUT_MS * 1000;
  guint64 target;
  gboolean ok = TRUE;

  if (self->http != NULL)
    {
      JsonObject *object = json_node_get_object (message);
      JsonNode *id = json_object_get_member (object, "id");
      gint64 request_id = -1;

      /* Our own requests have integer ids; answers to the server's keep the server's. */
      if (json_object_has_member (object, "method") && id != NULL &&
          JSON_NODE_HOLDS_VALUE (id) && json_node_get_value_type (id) == G_TYPE_INT64)
        request_id = json_node_get_int (id);
      reins_mcp_http_send (self->http, message, request_id);
      return TRUE;
    }

  text = json_to_string (message, FALSE);
  g_mutex_lock (&self->write_mutex);
  g_byte_array_append (self->outbox, (const guint8 *) text, strlen (text));
  g_byte_array_append (self->outbox, (const guint8 *) "\n", 1);
  target = self->written + self->outbox->len;
  for (;;)
    {
      struct pollfd pfd = { self->stdin_fd, POLLOUT, 0 };
      gint64 now;

      if (!flush_outbox_locked (self))
        {
          ok = FALSE;
          break;
        }
      if (self->written >= target)
        break;
      now = g_get_monotonic_time ();
      if (now >= deadline)
        {
          ok = FALSE;
          break;
        }
      /* Not holding the lock while waiting: the reader may queue answers meanwhile. */
      g_mutex_unlock (&self->write_mutex);
      poll (&pfd, 1, (int) MIN ((deadline - now) / 1000 + 1, 100));
      g_mutex_lock (&self->write_mutex);
    }
  g_mutex_unlock (&self->write_mutex);

  if (!ok)
    {
      g_autofree char *why = NULL;

      g_mutex_lock (&self->mutex);
      why = diagnosis_locked (self);
      g_mutex_unlock (&self->mutex);
      g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                   _("MCP server “%s” does not accept input%s"), self->name, why);
    }
  return ok;
}

/* Called with the mutex held: a clear breach of JSON-RPC while a request waits. The
 * waiting requests give the server a moment for the right answer (a noisy server may
 * still send it), then fail saying what happened, instead of waiting out their timeout. */
static void
raise_violation_locked (ReinsMcpClient *self,
                        char           *what)
{
  if (g_hash_table_size (self->pending) == 0)
    {
      g_free (what);
      return;
    }
  g_free (self->violation);
  self->violation = what;
  self->violation_serial++;
  g_cond_broadcast (&self->cond);
}

static void
raise_violation (ReinsMcpClient *self,
                 char           *what)
{
  g_mutex_lock (&self->mutex);
  raise_violation_locked (self, what);
  g_mutex_unlock (&self->mutex);
}

static JsonNode *
make_message (gint64      id,
              const char *method,
              JsonObject *params,
              JsonNode   *result)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "jsonrpc");
  json_builder_add_string_value (b, "2.0");
  if (id >= 0)
    {
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, id);
    }
  if (method != NULL)
    {
      json_builder_set_member_name (b, "method");
      json_builder_add_string_value (b, method);
    }
  if (params != NULL)
    {
      JsonNode *node = json_node_new (JSON_NODE_OBJECT);

      json_node_set_object (node, params);
      json_builder_set_member_name (b, "params");
      json_builder_add_value (b, node);
    }
  if (result != NULL)
    {
      json_builder_set_member_name (b, "result");
      json_builder_add_value (b, json_node_copy (result));
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
send_notification (ReinsMcpClient *self,
                   const char     *method,
                   JsonObject     *params)
{
  g_autoptr(JsonNode) message = make_message (-1, method, params, NULL);

  send_message (self, message, NULL);
}

static void
send_cancelled (ReinsMcpClient *self,
                gint64          id,
                const char     *reason)
{
  g_autoptr(JsonObject) params = json_object_new ();

  json_object_set_int_member (params, "requestId", id);
  json_object_set_string_member (params, "reason", reason);
  send_notification (self, "notifications/cancelled", params);
}

/* Queues a message for the reader thread to write when the server reads: the reader never
 * blocks on a server that floods requests without reading the answers. */
static void
queue_message (ReinsMcpClient *self,
               JsonNode       *message)
{
  g_autofree char *text = NULL;
  gboolean full;

  if (self->http != NULL)
    {
      send_message (self, message, NULL);
      return;
    }
  text = json_to_string (message, FALSE);
  g_mutex_lock (&self->write_mutex);
  full = self->outbox->len > MAX_OUTBOX;
  if (!full)
    {
      g_byte_array_append (self->outbox, (const guint8 *) text, strlen (text));
      g_byte_array_append (self->outbox, (const guint8 *) "\n", 1);
    }
  if (!flush_outbox_locked (self))
    g_byte_array_set_size (self->outbox, 0);  /* nobody reads them any more */
  g_mutex_unlock (&self->write_mutex);

  if (full)
    raise_violation (self, g_strdup (_("it sends requests of its own without reading the "
                                       "answers (over 1 MiB unread)")));
}

/* Answers a request the server sent us: with @result, or else the error @code. */
static void
answer (ReinsMcpClient *self,
        JsonNode       *id,
        JsonObject     *result,
        int             code,
        const char     *text)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) message = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "jsonrpc");
  json_builder_add_string_value (b, "2.0");
  json_builder_set_member_name (b, "id");
  json_builder_add_value (b, json_node_copy (id));
  if (result != NULL)
    {
      JsonNode *node = json_node_new (JSON_NODE_OBJECT);

      json_node_set_object (node, result);
      json_builder_set_member_name (b, "result");
      json_builder_add_value (b, node);
    }
  else
    {
      json_builder_set_member_name (b, "error");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "code");
      json_builder_add_int_value (b, code);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, text);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  message = json_builder_get_root (b);
  queue_message (self, message);
}

static JsonObject *
roots_result (ReinsMcpClient *self)
{
  JsonObject *result = json_object_new ();
  JsonArray *roots = json_array_new ();
  JsonObject *root = json_object_new ();

  json_object_set_string_member (root, "uri", self->root_uri);
  json_object_set_string_member (root, "name", "workspace");
  json_array_add_object_element (roots, root);
  json_object_set_array_member (result, "roots", roots);
  return result;
}

/* Whether an elicitation/create is a form Reins can put to the person. */
static gboolean
check_elicitation (JsonObject  *params,
                   GError     **error)
{
  JsonNode *schema = params != NULL ? json_object_get_member (params, "requestedSchema") : NULL;

  if (params == NULL ||
      json_object_get_string_member_with_default (params, "message", NULL) == NULL ||
      schema == NULL || !JSON_NODE_HOLDS_OBJECT (schema))
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_MCP,
                           "message and requestedSchema are required");
      return FALSE;
    }
  return reins_mcp_elicit_check_schema (json_node_get_object (schema), error);
}

/* Answers a request the server sent us: ping, elicitation, or “method not found”. */
static void
answer_server_request (ReinsMcpClient *self,
                       JsonNode       *id,
                       const char     *method,
                       JsonObject     *params)
{
  if (g_strcmp0 (method, "ping") == 0)
    {
      g_autoptr(JsonObject) empty = json_object_new ();

      answer (self, id, empty, 0, NULL);
    }
  else if (g_strcmp0 (method, "roots/list") == 0 && self->root_uri != NULL)
    {
      g_autoptr(JsonObject) result = roots_result (self);

      answer (self, id, result, 0, NULL);
    }
  else if (g_strcmp0 (method, "elicitation/create") == 0)
    {
      g_autoptr(GError) error = NULL;
      gboolean queued = FALSE;

      if (!check_elicitation (params, &error))
        {
          g_autofree char *text = g_strdup_printf ("Invalid params: %s", error->message);

          answer (self, id, NULL, -32602, text);
          return;
        }

      /* A call waiting on a worker puts it to the person; else nobody can answer. */
      g_mutex_lock (&self->mutex);
      if (self->elicit_waiters > 0)
        {
          Elicitation *e = g_new0 (Elicitation, 1);

          e->id = json_node_copy (id);
          e->params = json_object_ref (params);
          g_queue_push_tail (&self->elicitations, e);
          g_cond_broadcast (&self->cond);
          queued = TRUE;
        }
      g_mutex_unlock (&self->mutex);
      if (!queued)
        {
          g_autoptr(JsonObject) decline = reins_mcp_elicit_result (params, REINS_DECISION_REJECT,
                                                                   NULL);

          answer (self, id, decline, 0, NULL);
        }
    }
  else
    answer (self, id, NULL, -32601, "Method not found");
}

static gpointer relist_thread_func (gpointer data);

static gboolean
number_member (JsonObject *object,
               const char *name,
               double     *value)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      (json_node_get_value_type (node) != G_TYPE_INT64 &&
       json_node_get_value_type (node) != G_TYPE_DOUBLE))
    return FALSE;
  *value = json_node_get_value_type (node) == G_TYPE_INT64 ? (double) json_node_get_int (node)
                                                            : json_node_get_double (node);
  return TRUE;
}

/* notifications/progress {progressToken, progress, total?, message?} of a call that runs:
 * to whoever made it. Anything else (a token no call gave, no number) is ignored. */
static void
report_progress (ReinsMcpClient *self,
                 JsonNode       *params)
{
  JsonObject *object;
  JsonNode *token;
  g_autofree char *key = NULL;
  g_autofree char *message = NULL;
  double progress, total = -1;
  Progress *p;

  if (params == NULL || !JSON_NODE_HOLDS_OBJECT (params))
    return;
  object = json_node_get_object (params);
  token = json_object_get_member (object, "progressToken");
  if (token == NULL || !JSON_NODE_HOLDS_VALUE (token) ||
      json_node_get_value_type (token) != G_TYPE_STRING ||
      !number_member (object, "progress", &progress))
    return;
  if (!number_member (object, "total", &total) || total <= 0)
    total = -1;
  if (json_object_get_string_member_with_default (object, "message", NULL) != NULL)
    message = reins_sandbox_escape_text (json_object_get_string_member (object, "message"),
                                         MIN (strlen (json_object_get_string_member (object,
                                                                                     "message")),
                                              200));
  key = g_strdup (json_node_get_string (token));
  g_mutex_lock (&self->progress_mutex);
  p = g_hash_table_lookup (self->progress, key);
  if (p != NULL)
    p->func (p->tool, progress, total, message, p->data);
  g_mutex_unlock (&self->progress_mutex);
}

static void
note_garbage (ReinsMcpClient *self,
              const char     *line,
              gsize           length)
{
  g_mutex_lock (&self->mutex);
  if (self->garbage_lines++ == 0)
    {
      g_autofree char *shown = reins_sandbox_escape (line, MIN (length, 120));

      self->first_garbage = g_strdup_printf ("“%s%s”", shown, length > 120 ? "…" : "");
    }
  if (g_hash_table_size (self->pending) > 0 && ++self->garbage_waiting == MAX_GARBAGE_WAITING)
    raise_violation_locked (self, g_strdup_printf (_("it wrote %u lines that are not JSON-RPC "
                                                     "in place of an answer"),
                                                   MAX_GARBAGE_WAITING));
  g_mutex_unlock (&self->mutex);
}

static gboolean
is_jsonrpc (JsonNode *root)
{
  return root != NULL && JSON_NODE_HOLDS_OBJECT (root) &&
         g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (root),
                                                                "jsonrpc", NULL), "2.0") == 0;
}

static void handle_message (ReinsMcpClient *self,
                            JsonNode       *root,
                            const char     *line,
                            gsize           length);

static void
handle_line (ReinsMcpClient *self,
             const char     *line,
             gsize           length)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (reins_mcp_line_is_blank (line, length))
    return;

  object = reins_mcp_message_parse (line, length, NULL);
  if (object == NULL)
    {
      note_garbage (self, line, length);
      return;
    }
  root = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (root, g_steal_pointer (&object));
  handle_message (self, root, line, length);
}

/* A message from the HTTP transport, parsed already. */
static void
http_receive (gpointer  client,
              JsonNode *root)
{
  ReinsMcpClient *self = client;
  g_autofree char *text = json_to_string (root, FALSE);

  if (!is_jsonrpc (root))
    note_garbage (self, text, strlen (text));
  else
    handle_message (self, root, text, strlen (text));
}

static void
http_fail (gpointer    client,
           gint64      request_id,
           const char *why,
           gboolean    session_expired)
{
  ReinsMcpClient *self = client;
  Pending *pending;

  g_mutex_lock (&self->mutex);
  pending = g_hash_table_lookup (self->pending, &request_id);
  if (pending != NULL && pending->response == NULL && pending->failure == NULL)
    {
      pending->failure = g_strdup (why);
      pending->expired = session_expired;
      g_cond_broadcast (&self->cond);
    }
  g_mutex_unlock (&self->mutex);
}

static void
http_unauthorized (gpointer    client,
                   gint64      request_id,
                   guint       status,
                   const char *challenge,
                   const char *used)
{
  ReinsMcpClient *self = client;
  Pending *pending;

  g_mutex_lock (&self->mutex);
  pending = g_hash_table_lookup (self->pending, &request_id);
  if (pending != NULL && pending->response == NULL && pending->failure == NULL)
    {
      pending->failure = g_strdup_printf (_("it answered HTTP %u"), status);
      pending->auth_status = status;
      pending->challenge = g_strdup (challenge);
      pending->used = g_strdup (used);
      g_cond_broadcast (&self->cond);
    }
  g_mutex_unlock (&self->mutex);
}

static const ReinsMcpTransportSink http_sink = { http_receive, http_fail, http_unauthorized };

static void
handle_message (ReinsMcpClient *self,
                JsonNode       *root,
                const char     *line,
                gsize           length)
{
  JsonObject *object = json_node_get_object (root);
  JsonNode *id;
  const char *method;

  id = json_object_get_member (object, "id");
  method = json_object_get_string_member_with_default (object, "method", NULL);

  if (method != NULL)
    {
      if (id != NULL && !JSON_NODE_HOLDS_NULL (id))
        {
          JsonNode *params = json_object_get_member (object, "params");

          g_mutex_lock (&self->mutex);
          if (g_hash_table_size (self->pending) > 0 &&
              ++self->requests_waiting == MAX_REQUESTS_WAITING)
            raise_violation_locked (self, g_strdup_printf (_("it sent %u requests of its own "
                                                             "instead of an answer"),
                                                           MAX_REQUESTS_WAITING));
          g_mutex_unlock (&self->mutex);
          answer_server_request (self, id, method,
                                 params != NULL && JSON_NODE_HOLDS_OBJECT (params)
                                   ? json_node_get_object (params) : NULL);
        }
      else if (strcmp (method, "notifications/tools/list_changed") == 0)
        {
          g_mutex_lock (&self->mutex);
          /* Before start() has listed the tools there is nothing to refresh (and the
           * server-everything reference server says this even before it is initialized). */
          if (self->ready && !self->dead)
            {
              if (self->relist_thread == NULL)
                self->relist_thread = g_thread_new ("mcp-relist", relist_thread_func,
                                                    g_object_ref (self));
              else
                self->relist_again = TRUE;
            }
          g_mutex_unlock (&self->mutex);
        }
      else if (strcmp (method, "notifications/progress") == 0)
        report_progress (self, json_object_get_member (object, "params"));
      /* Other notifications (logging …) are not needed by a tool client. */
      return;
    }

  if (id != NULL && JSON_NODE_HOLDS_VALUE (id) && json_node_get_value_type (id) == G_TYPE_INT64 &&
      (json_object_has_member (object, "result") || json_object_has_member (object, "error")))
    {
      gint64 key = json_node_get_int (id);
      g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, key);
      Pending *pending;

      g_mutex_lock (&self->mutex);
      pending = g_hash_table_lookup (self->pending, &key);
      if (pending != NULL && pending->response == NULL)
        {
          /* A copy that shares nothing: the waiting thread owns it whole (json-glib's
           * reference counts are not atomic). */
          pending->response = reins_json_node_deep_copy (root);
          self->garbage_waiting = self->requests_waiting = 0;
          g_cond_broadcast (&self->cond);
        }
      else if (key < 1 || key >= self->next_id)
        raise_violation_locked (self, g_strdup_printf (_("it answered with id %s, which no "
                                                         "request had"), id_text));
      /* An answer to a request given up on (timeout, cancel) is dropped. */
      g_mutex_unlock (&self->mutex);
      return;
    }

  if (id != NULL && (json_object_has_member (object, "result") ||
                     json_object_has_member (object, "error")))
    {
      g_autofree char *id_text = json_to_string (id, FALSE);
      JsonNode *e = json_object_get_member (object, "error");
      JsonNode *m = e != NULL && JSON_NODE_HOLDS_OBJECT (e)
                      ? json_object_get_member (json_node_get_object (e), "message") : NULL;
      const char *text = m != NULL && JSON_NODE_HOLDS_VALUE (m) &&
                         json_node_get_value_type (m) == G_TYPE_STRING
                           ? json_node_get_string (m) : "";
      g_autofree char *shown = reins_sandbox_escape (text, MIN (strlen (text), 200));

      g_mutex_lock (&self->mutex);
      if (JSON_NODE_HOLDS_NULL (id) && e != NULL && JSON_NODE_HOLDS_OBJECT (e))
        /* JSON-RPC's answer to a request it could not read. */
        raise_violation_locked (self, g_strdup_printf (_("it could not read a request: %s"),
                                                       shown));
      else
        raise_violation_locked (self, g_strdup_printf (_("it answered with id %s, which no "
                                                         "request had"), id_text));
      g_mutex_unlock (&self->mutex);
      return;
    }

  note_garbage (self, line, length);
}

static void
append_stderr (ReinsMcpClient *self,
               const char     *data,
               gsize           length)
{
  g_mutex_lock (&self->mutex);
  g_string_append_len (self->stderr_tail, data, length);
  if (self->stderr_tail->len > STDERR_TAIL)
    g_string_erase (self->stderr_tail, 0, self->stderr_tail->len - STDERR_TAIL);
  g_mutex_unlock (&self->mutex);
}

static gboolean wait_exit (ReinsMcpClient *self, guint ms);

static gpointer
reader_thread_func (gpointer data)
{
  ReinsMcpClient *self = data;
  g_autoptr(GByteArray) line = g_byte_array_sized_new (4096);
  gboolean out_open = TRUE, err_open = TRUE, discarding = FALSE;
  gint64 drain_until = 0;
  const char *reason = NULL;

  while (out_open || err_open)
    {
      int timeout = -1;
      struct pollfd fds[4] = {
        { out_open ? self->stdout_fd : -1, POLLIN, 0 },
        { err_open ? self->stderr_fd : -1, POLLIN, 0 },
        { self->wake_fds[0], POLLIN, 0 },
        { -1, POLLOUT, 0 },
      };
      char buf[16384];

      /* Queued answers go out as the server reads them. */
      g_mutex_lock (&self->write_mutex);
      if (self->outbox->len > 0)
        fds[3].fd = self->stdin_fd;
      g_mutex_unlock (&self->write_mutex);

      if (!out_open)
        {
          gint64 now = g_get_monotonic_time ();

          if (now >= drain_until)
            break;
          timeout = (int) ((drain_until - now) / 1000) + 1;
        }
      if (poll (fds, 4, timeout) < 0)
        {
          if (errno == EINTR)
            continue;
          reason = _("reading from the server failed");
          break;
        }
      if (fds[2].revents != 0)
        break;  /* stop() */

      if (fds[3].revents != 0)
        {
          g_mutex_lock (&self->write_mutex);
          if (!flush_outbox_locked (self))
            g_byte_array_set_size (self->outbox, 0);
          g_mutex_unlock (&self->write_mutex);
        }

      if (fds[1].revents != 0)
        {
          ssize_t n = read (self->stderr_fd, buf, sizeof buf);

          if (n > 0)
            append_stderr (self, buf, n);
          else if (n == 0 || (errno != EINTR && errno != EAGAIN))
            err_open = FALSE;
        }

      if (fds[0].revents != 0)
        {
          ssize_t n = read (self->stdout_fd, buf, sizeof buf);

          if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
          if (n <= 0)
            {
              out_open = FALSE;
              reason = _("the server closed its output");
              /* What it said on stderr explains why; read it for a short while more, but
               * do not keep the waiting requests for a stderr that stays open. */
              drain_until = g_get_monotonic_time () + 300 * 1000;
              continue;
            }
          for (const char *p = buf, *end = buf + n; p < end;)
            {
              const char *nl = memchr (p, '\n', end - p);
              gsize chunk = (nl != NULL ? nl : end) - p;

              if (!discarding && line->len + chunk > MAX_LINE)
                {
                  /* A line this long is not a message we can use: drop it to its end. */
                  note_garbage (self, (const char *) line->data, line->len);
                  g_byte_array_set_size (line, 0);
                  discarding = TRUE;
                }
              if (!discarding)
                g_byte_array_append (line, (const guint8 *) p, chunk);
              if (nl == NULL)
                break;
              if (!discarding)
                handle_line (self, (const char *) line->data, line->len);
              g_byte_array_set_size (line, 0);
              discarding = FALSE;
              p = nl + 1;
            }
        }
    }

  /* Give a dying server a moment so the error can say how it ended. */
  wait_exit (self, 100);
  g_mutex_lock (&self->mutex);
  mark_dead_locked (self, reason != NULL ? reason : _("the server was stopped"));
  g_mutex_unlock (&self->mutex);
  return NULL;
}

static void
cancelled_cb (GCancellable *cancellable,
              gpointer      data)
{
  ReinsMcpClient *self = data;

  g_mutex_lock (&self->mutex);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
}

/* Called with the mutex held, when no waiting call can ask the person any more: the
 * questions left are cancelled. */
static void
decline_elicitations_locked (ReinsMcpClient *self)
{
  GQueue left = G_QUEUE_INIT;

  while (!g_queue_is_empty (&self->elicitations))
    g_queue_push_tail (&left, g_queue_pop_head (&self->elicitations));
  g_mutex_unlock (&self->mutex);
  while (!g_queue_is_empty (&left))
    {
      Elicitation *e = g_queue_pop_head (&left);
      g_autoptr(JsonObject) result = reins_mcp_elicit_result (e->params, REINS_DECISION_NONE,
                                                              NULL);

      answer (self, e->id, result, 0, NULL);
      elicitation_free (e);
    }
  g_mutex_lock (&self->mutex);
}

/* Pending.auth_status and the rest, when the server asked for authorization. */
typedef struct
{
  guint  status;
  char  *challenge;
  char  *used;
} AuthDemand;

static JsonNode *
request_attempt (ReinsMcpClient  *self,
                 const char      *method,
                 JsonObject      *params,
                 guint            timeout_s,
                 ReinsElicitFunc  elicit,
                 gpointer         elicit_data,
                 GCancellable    *cancellable,
                 gboolean        *expired,
                 gboolean        *refused,
                 AuthDemand      *demand,
                 GError         **error)
{
  g_autoptr(JsonNode) message = NULL;
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(GError) local = NULL;
  Pending pending = { 0 };
  gulong handler = 0;
  gint64 deadline, grace_end = 0;
  gboolean timed_out = FALSE, cancelled = FALSE, violated = FALSE;
  guint violations;
  g_autofree char *violation = NULL;
  g_autofree char *failure = NULL;
  JsonObject *object;

  g_mutex_lock (&self->mutex);
  if (self->dead || (self->reader == NULL && self->http == NULL))
    {
      g_autofree char *death = self->reader == NULL && self->http == NULL
                                 ? g_strdup (_("it is not running"))
                                                    : describe_death_locked (self);
      g_autofree char *why = diagnosis_locked (self);

      g_mutex_unlock (&self->mutex);
      g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                   _("MCP server “%s” cannot answer: %s%s"), self->name, death, why);
      return NULL;
    }
  pending.id = self->next_id++;
  /* The counts of a breach start again with the first request waiting. */
  if (g_hash_table_size (self->pending) == 0)
    self->garbage_waiting = self->requests_waiting = 0;
  g_hash_table_insert (self->pending, &pending.id, &pending);
  violations = self->violation_serial;
  g_mutex_unlock (&self->mutex);

  message = make_message (pending.id, method, params, NULL);
  if (!send_message (self, message, &local))
    {
      gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC;

      /* Most often the server has just died: give the reader a moment to see it, so that
       * the error says how it ended rather than only that it stopped reading. */
      g_mutex_lock (&self->mutex);
      g_hash_table_remove (self->pending, &pending.id);
      while (!self->dead && g_cond_wait_until (&self->cond, &self->mutex, end))
        ;
      if (self->dead)
        {
          g_autofree char *death = describe_death_locked (self);
          g_autofree char *why = diagnosis_locked (self);

          g_mutex_unlock (&self->mutex);
          g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                       _("MCP server “%s” failed during “%s”: %s%s"),
                       self->name, method, death, why);
          return NULL;
        }
      g_mutex_unlock (&self->mutex);
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }

  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), self, NULL);

  deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;
  g_mutex_lock (&self->mutex);
  if (elicit != NULL)
    self->elicit_waiters++;
  while (pending.response == NULL && pending.failure == NULL && !self->dead)
    {
      gint64 now = g_get_monotonic_time ();

      if (g_cancellable_is_cancelled (cancellable))
        {
          cancelled = TRUE;
          break;
        }
      if (elicit != NULL && !g_queue_is_empty (&self->elicitations))
        {
          Elicitation *e = g_queue_pop_head (&self->elicitations);
          g_autoptr(JsonObject) result = NULL;

          /* The person's time does not count against the server's. */
          g_mutex_unlock (&self->mutex);
          result = elicit (self->name, e->params, elicit_data, cancellable);
          if (result == NULL)
            result = reins_mcp_elicit_result (e->params, REINS_DECISION_NONE, NULL);
          answer (self, e->id, result, 0, NULL);
          elicitation_free (e);
          g_mutex_lock (&self->mutex);
          deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;
          continue;
        }
      if (self->violation_serial != violations && grace_end == 0)
        grace_end = now + VIOLATION_GRACE_MS * G_TIME_SPAN_MILLISECOND;
      if (grace_end != 0 && now >= grace_end)
        {
          violated = TRUE;
          violation = g_strdup (self->violation);
          break;
        }
      if (now >= deadline)
        {
          timed_out = TRUE;
          break;
        }
      g_cond_wait_until (&self->cond, &self->mutex,
                         grace_end != 0 ? MIN (grace_end, deadline) : deadline);
    }
  g_hash_table_remove (self->pending, &pending.id);
  response = g_steal_pointer (&pending.response);
  failure = g_steal_pointer (&pending.failure);
  *expired = pending.expired;
  demand->status = pending.auth_status;
  demand->challenge = g_steal_pointer (&pending.challenge);
  demand->used = g_steal_pointer (&pending.used);
  /* The server answered, with an error: not dead, not silent. */
  *refused = failure != NULL && !pending.expired;
  if (elicit != NULL && --self->elicit_waiters == 0)
    decline_elicitations_locked (self);

  if (response == NULL)
    {
      g_autofree char *why = diagnosis_locked (self);
      g_autofree char *death = self->dead ? describe_death_locked (self) : NULL;

      g_mutex_unlock (&self->mutex);
      if (handler != 0)
        g_cancellable_disconnect (cancellable, handler);
      if (self->http != NULL && failure == NULL)
        reins_mcp_http_cancel (self->http, pending.id);

      if (failure != NULL)
        g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                     _("MCP server “%s” failed during “%s”: %s"), self->name, method, failure);
      else if (cancelled)
        {
          send_cancelled (self, pending.id, "The user cancelled the request");
          g_set_error (error, REINS_ERROR, REINS_ERROR_CANCELLED,
                       _("The call to MCP server “%s” was cancelled"), self->name);
        }
      else if (violated)
        {
          /* No notifications/cancelled: a server in breach may not be reading either. */
          g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                       _("MCP server “%s” broke the protocol during “%s”: %s%s"),
                       self->name, method, violation, why);
        }
      else if (timed_out)
        {
          send_cancelled (self, pending.id, "Timed out");
          g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                       _("MCP server “%s” did not answer “%s” within %u s%s"),
                       self->name, method, timeout_s, why);
        }
      else
        g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                     _("MCP server “%s” failed during “%s”: %s%s"),
                     self->name, method, death, why);
      return NULL;
    }
  g_mutex_unlock (&self->mutex);
  if (handler != 0)
    g_cancellable_disconnect (cancellable, handler);

  object = json_node_get_object (response);
  if (json_object_has_member (object, "error"))
    {
      *refused = TRUE;
      JsonNode *err = json_object_get_member (object, "error");
      const char *text = NULL;
      gint64 code = 0;

      if (JSON_NODE_HOLDS_OBJECT (err))
        {
          JsonObject *e = json_node_get_object (err);
          JsonNode *c = json_object_get_member (e, "code");

          text = json_object_get_string_member_with_default (e, "message", NULL);
          if (c != NULL && JSON_NODE_HOLDS_VALUE (c) && json_node_get_value_type (c) == G_TYPE_INT64)
            code = json_node_get_int (c);
        }
      {
        g_autofree char *shown = reins_sandbox_escape (text != NULL ? text : "", -1);
        /* A macro such as G_GINT64_FORMAT cannot stand in a translatable string. */
        g_autofree char *code_text = g_strdup_printf ("%" G_GINT64_FORMAT, code);

        g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                     _("MCP server “%s” answered “%s” with error %s: %s"),
                     self->name, method, code_text, shown);
      }
      return NULL;
    }

  {
    JsonNode *result = json_object_get_member (object, "result");

    if (result == NULL || !JSON_NODE_HOLDS_OBJECT (result))
      {
        g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                     _("MCP server “%s” answered “%s” without a result object"),
                     self->name, method);
        return NULL;
      }
    return json_node_copy (result);
  }
}

/* Most authorizations one request may need: a token, then a step up to more scopes. */
#define MAX_AUTHORIZATIONS 3

/* A request, and over HTTP the authorization it may need first: a server that refuses it
 * for want of a token (401) or of a scope (403 insufficient_scope) gets one through OAuth
 * (reins-mcp-oauth.c), outside the request's deadline, and the request is sent again. */
static JsonNode *
request_once (ReinsMcpClient  *self,
              const char      *method,
              JsonObject      *params,
              guint            timeout_s,
              ReinsElicitFunc  elicit,
              gpointer         elicit_data,
              GCancellable    *cancellable,
              gboolean        *expired,
              gboolean        *refused,
              GError         **error)
{
  for (guint round = 0;; round++)
    {
      AuthDemand demand = { 0 };
      g_autoptr(GError) local = NULL;
      g_autoptr(GError) auth_error = NULL;
      JsonNode *result;
      gboolean again;

      if (self->oauth != NULL)
        {
          g_autofree char *header = reins_mcp_oauth_dup_authorization (self->oauth, cancellable);

          reins_mcp_http_set_authorization (self->http, header);
        }
      result = request_attempt (self, method, params, timeout_s, elicit, elicit_data,
                                cancellable, expired, refused, &demand, &local);
      if (result != NULL || demand.status == 0 || self->oauth == NULL ||
          round >= MAX_AUTHORIZATIONS)
        {
          g_free (demand.challenge);
          g_free (demand.used);
          /* Refused for want of a token is no sign of another revision or transport. */
          if (demand.status != 0)
            *refused = FALSE;
          if (local != NULL)
            g_propagate_error (error, g_steal_pointer (&local));
          return result;
        }
      g_debug ("MCP server %s: HTTP %u, authorizing", self->name, demand.status);
      again = reins_mcp_oauth_authorize (self->oauth, demand.status, demand.challenge,
                                         demand.used, cancellable, &auth_error);
      g_free (demand.challenge);
      g_free (demand.used);
      if (!again)
        {
          *refused = *expired = FALSE;
          g_set_error (error, REINS_ERROR,
                       g_error_matches (auth_error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                         ? REINS_ERROR_CANCELLED : REINS_ERROR_MCP,
                       _("MCP server “%s” failed during “%s”: %s"), self->name, method,
                       auth_error->message);
          return NULL;
        }
    }
}

static gboolean initialize (ReinsMcpClient *self, GCancellable *cancellable, GError **error);
static JsonNode *request_full (ReinsMcpClient *self, const char *method, JsonObject *params,
                               guint timeout_s, ReinsElicitFunc elicit, gpointer elicit_data,
                               GCancellable *cancellable, GError **error);
static void add_client_description (ReinsMcpClient *self, JsonObject *object);
static gboolean discover (ReinsMcpClient *self, GCancellable *cancellable);

/**
 * reins_mcp_client_request:
 * @timeout_s: how long to wait for the answer; 0 means 30 s
 *
 * Sends a request and waits for its answer. On timeout or cancellation the server is told
 * with `notifications/cancelled`. Over HTTP, a session the server forgot (404) is started
 * again with initialize, and the request sent once more.
 *
 * Returns: (transfer full): the `result` member of the answer.
 */
JsonNode *
reins_mcp_client_request (ReinsMcpClient  *self,
                          const char      *method,
                          JsonObject      *params,
                          guint            timeout_s,
                          GCancellable    *cancellable,
                          GError         **error)
{
  return request_full (self, method, params, timeout_s, NULL, NULL, cancellable, error);
}

static JsonNode *
request_full (ReinsMcpClient  *self,
              const char      *method,
              JsonObject      *params,
              guint            timeout_s,
              ReinsElicitFunc  elicit,
              gpointer         elicit_data,
              GCancellable    *cancellable,
              GError         **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(JsonObject) sent = NULL;
  gboolean expired = FALSE, refused = FALSE;
  JsonNode *result;

  g_return_val_if_fail (REINS_IS_MCP_CLIENT (self), NULL);
  g_return_val_if_fail (method != NULL, NULL);

  if (timeout_s == 0)
    timeout_s = 30;

  if (self->stateless)
    {
      /* Each request says who asks, in which version, able to do what. */
      JsonObject *meta = json_object_new ();

      sent = json_object_new ();
      if (params != NULL)
        {
          g_autoptr(GList) names = json_object_get_members (params);

          for (GList *l = names; l != NULL; l = l->next)
            if (strcmp (l->data, "_meta") != 0)
              json_object_set_member (sent, l->data,
                                      json_node_copy (json_object_get_member (params, l->data)));
          /* The caller's own _meta (a progressToken) stays. */
          if (json_object_get_member (params, "_meta") != NULL &&
              JSON_NODE_HOLDS_OBJECT (json_object_get_member (params, "_meta")))
            {
              JsonObject *own = json_object_get_object_member (params, "_meta");
              g_autoptr(GList) keys = json_object_get_members (own);

              for (GList *l = keys; l != NULL; l = l->next)
                json_object_set_member (meta, l->data,
                                        json_node_copy (json_object_get_member (own, l->data)));
            }
        }
      json_object_set_string_member (meta, "protocolVersion", REINS_MCP_STATELESS_VERSION);
      add_client_description (self, meta);
      json_object_set_object_member (sent, "_meta", meta);
      params = sent;
    }

  result = request_once (self, method, params, timeout_s, elicit, elicit_data, cancellable,
                         &expired, &refused, &local);
  if (result != NULL || !expired || self->http == NULL || strcmp (method, "initialize") == 0)
    {
      if (local != NULL)
        g_propagate_error (error, g_steal_pointer (&local));
      return result;
    }

  g_debug ("MCP server %s: the session expired, initializing again", self->name);
  g_clear_error (&local);
  reins_mcp_http_forget_session (self->http);
  if (!initialize (self, cancellable, error))
    return NULL;
  return request_once (self, method, params, timeout_s, elicit, elicit_data, cancellable,
                       &expired, &refused, error);
}

static gboolean
list_tools (ReinsMcpClient  *self,
            guint            timeout_s,
            GCancellable    *cancellable,
            GError         **error)
{
  g_autoptr(GPtrArray) tools = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GHashTable) seen_cursors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *cursor = NULL;

  for (guint page = 0;; page++)
    {
      g_autoptr(JsonObject) params = json_object_new ();
      g_autoptr(JsonNode) result = NULL;
      JsonObject *object;
      JsonNode *list;
      const char *next;

      if (page >= MAX_PAGES)
        {
          g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                       _("MCP server “%s” lists its tools in more than %d pages"),
                       self->name, MAX_PAGES);
          return FALSE;
        }
      if (cursor != NULL)
        json_object_set_string_member (params, "cursor", cursor);

      result = reins_mcp_client_request (self, "tools/list", params, timeout_s, cancellable,
                                         error);
      if (result == NULL)
        return FALSE;

      object = json_node_get_object (result);
      list = json_object_get_member (object, "tools");
      if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
        {
          g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                       _("MCP server “%s” answered “tools/list” without a “tools” array"),
                       self->name);
          return FALSE;
        }
      for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
        {
          JsonNode *tool = json_array_get_element (json_node_get_array (list), i);
          JsonObject *t;

          /* A malformed entry is skipped rather than losing every tool. */
          if (!JSON_NODE_HOLDS_OBJECT (tool))
            continue;
          t = json_node_get_object (tool);
          if (json_object_get_string_member_with_default (t, "name", NULL) == NULL)
            continue;
          g_ptr_array_add (tools, json_object_ref (t));
        }

      next = json_object_get_string_member_with_default (object, "nextCursor", NULL);
      if (next == NULL || *next == '\0')
        break;
      if (g_hash_table_contains (seen_cursors, next))
        {
          g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                       _("MCP server “%s” repeats the cursor of its tool list"), self->name);
          return FALSE;
        }
      g_hash_table_add (seen_cursors, g_strdup (next));
      g_free (cursor);
      cursor = g_strdup (next);
    }

  g_mutex_lock (&self->mutex);
  g_ptr_array_set_size (self->tool_descriptions, 0);
  g_ptr_array_extend_and_steal (self->tool_descriptions, g_steal_pointer (&tools));
  g_mutex_unlock (&self->mutex);
  return TRUE;
}

static void
free_weak_ref (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

static gboolean
emit_tools_changed (gpointer data)
{
  g_autoptr(ReinsMcpClient) self = g_weak_ref_get (data);
  gboolean dead;

  if (self == NULL)
    return G_SOURCE_REMOVE;
  g_mutex_lock (&self->mutex);
  dead = self->dead;
  g_mutex_unlock (&self->mutex);
  if (!dead)
    g_signal_emit (self, signals[TOOLS_CHANGED], 0);
  return G_SOURCE_REMOVE;
}

static gpointer
relist_thread_func (gpointer data)
{
  ReinsMcpClient *self = data;
  gboolean again;

  do
    {
      g_autoptr(GError) error = NULL;

      if (list_tools (self, 30, NULL, &error))
        {
          /* Not g_main_context_invoke(): it would call here, on this thread, whenever
           * nobody holds the main context. */
          g_autoptr(GSource) source = g_idle_source_new ();

          GWeakRef *ref = g_new0 (GWeakRef, 1);

          /* Weak: a main context nobody runs must not keep the client alive. */
          g_weak_ref_init (ref, self);
          g_source_set_callback (source, emit_tools_changed, ref, free_weak_ref);
          g_source_attach (source, self->main_context);
        }
      else
        g_debug ("MCP server %s: listing the tools again failed: %s", self->name, error->message);

      g_mutex_lock (&self->mutex);
      again = self->relist_again && !self->dead;
      self->relist_again = FALSE;
      g_mutex_unlock (&self->mutex);
    }
  while (again);

  /* Forget this thread unless stop() is about to join it; then drop the reference, which may
   * be the last one (stop() from dispose must then not join this very thread). */
  g_mutex_lock (&self->mutex);
  if (self->relist_thread == g_thread_self ())
    g_clear_pointer (&self->relist_thread, g_thread_unref);
  g_mutex_unlock (&self->mutex);
  g_object_unref (self);
  return NULL;
}

gboolean
reins_mcp_client_refresh_tools (ReinsMcpClient  *self,
                                GCancellable    *cancellable,
                                GError         **error)
{
  g_return_val_if_fail (REINS_IS_MCP_CLIENT (self), FALSE);
  return list_tools (self, 30, cancellable, error);
}

/* Runs in the child between fork and exec: async-signal-safe calls only. */
static void
child_setup (gpointer data)
{
  /* A group of its own, so that stop() reaches the children of launchers such as npx. */
  setpgid (0, 0);
}

static void
ignore_sigpipe (void)
{
  struct sigaction old;

  /* Writing to a server that died must be an error, not the end of Reins. Only the default
   * action is replaced; a handler someone installed is left alone. */
  if (sigaction (SIGPIPE, NULL, &old) == 0 && old.sa_handler == SIG_DFL)
    signal (SIGPIPE, SIG_IGN);
}

/* The client's capabilities and clientInfo, in initialize (and in every request's _meta in
 * the stateless revision). */
static void
add_client_description (ReinsMcpClient *self,
                        JsonObject     *object)
{
  JsonObject *capabilities = json_object_new ();
  JsonObject *client_info = json_object_new ();

  /* Form mode (an empty object means form mode in 2025-11-25 too). */
  json_object_set_object_member (capabilities, "elicitation", json_object_new ());
  if (self->root_uri != NULL)
    {
      JsonObject *roots = json_object_new ();

      /* The workspace is fixed for the run: it never changes. */
      json_object_set_boolean_member (roots, "listChanged", FALSE);
      json_object_set_object_member (capabilities, "roots", roots);
    }
  json_object_set_object_member (object, "capabilities", capabilities);
  json_object_set_string_member (client_info, "name", "reins");
  json_object_set_string_member (client_info, "version", PACKAGE_VERSION);
  json_object_set_object_member (object, "clientInfo", client_info);
}

/* The stateless revision (2026-07-28): no initialize; server/discover says the server speaks
 * it, and every request carries _meta. */
static gboolean
discover (ReinsMcpClient *self,
          GCancellable   *cancellable)
{
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(GError) error = NULL;

  self->stateless = TRUE;
  if (self->http != NULL)
    reins_mcp_http_set_protocol_version (self->http, REINS_MCP_STATELESS_VERSION);
  result = request_full (self, "server/discover", params, self->start_timeout_s, NULL, NULL,
                         cancellable, &error);
  if (result == NULL)
    {
      g_debug ("MCP server %s: server/discover failed too: %s", self->name, error->message);
      self->stateless = FALSE;
      if (self->http != NULL)
        reins_mcp_http_set_protocol_version (self->http, NULL);
      return FALSE;
    }
  g_free (self->protocol_version);
  self->protocol_version = g_strdup (REINS_MCP_STATELESS_VERSION);
  return TRUE;
}

static gboolean
initialize (ReinsMcpClient  *self,
            GCancellable    *cancellable,
            GError         **error)
{
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(GError) local = NULL;
  const char *version;
  gboolean accepted = FALSE, expired = FALSE, refused = FALSE;

  json_object_set_string_member (params, "protocolVersion", REINS_MCP_PROTOCOL_VERSION);
  add_client_description (self, params);

  result = request_once (self, "initialize", params, self->start_timeout_s, NULL, NULL,
                         cancellable, &expired, &refused, &local);
  if (result == NULL && refused)
    {
      /* The server answered, but not to initialize: a server of the stateless revision? */
      if (discover (self, cancellable))
        return TRUE;
      /* Or one of the legacy HTTP+SSE transport (2024-11-05)? */
      if (self->http != NULL &&
          reins_mcp_http_open_legacy (self->http, self->start_timeout_s * 1000))
        {
          g_clear_error (&local);
          result = request_once (self, "initialize", params, self->start_timeout_s, NULL, NULL,
                                 cancellable, &expired, &refused, &local);
        }
    }
  if (result == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }

  version = json_object_get_string_member_with_default (json_node_get_object (result),
                                                        "protocolVersion", NULL);
  for (guint i = 0; version != NULL && i < G_N_ELEMENTS (accepted_versions); i++)
    if (strcmp (version, accepted_versions[i]) == 0)
      accepted = TRUE;
  if (!accepted)
    {
      g_autofree char *shown = reins_sandbox_escape (version != NULL ? version : "(none)", -1);
      g_autofree char *list = g_strjoinv (", ", (char **) accepted_versions);

      g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                   _("MCP server “%s” speaks protocol version %s, which Reins does not "
                     "support (it speaks %s)"), self->name, shown, list);
      return FALSE;
    }

  g_free (self->protocol_version);
  self->protocol_version = g_strdup (version);
  if (self->http != NULL)
    reins_mcp_http_set_protocol_version (self->http, version);
  send_notification (self, "notifications/initialized", NULL);
  if (self->http != NULL)
    reins_mcp_http_flush (self->http, self->start_timeout_s * 1000);
  return TRUE;
}

static gboolean stdio_spawn (ReinsMcpClient *self, GError **error);

/**
 * reins_mcp_client_start:
 *
 * Starts the server, negotiates the protocol and lists its tools. On failure the server is
 * stopped again and @error says why, with the end of its stderr.
 */
gboolean
reins_mcp_client_start (ReinsMcpClient  *self,
                        GCancellable    *cancellable,
                        GError         **error)
{
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (REINS_IS_MCP_CLIENT (self), FALSE);
  g_return_val_if_fail (!self->started, FALSE);

  self->started = TRUE;

  if (self->url != NULL)
    {
      self->http = reins_mcp_http_new (self->url, &http_sink, self);
      if (!initialize (self, cancellable, &local) ||
          !list_tools (self, self->start_timeout_s, cancellable, &local))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          reins_mcp_client_stop (self);
          return FALSE;
        }
      /* The stateless revision has no stream of server-started messages. */
      if (!self->stateless)
        reins_mcp_http_open_stream (self->http, self->start_timeout_s * 1000);
      g_mutex_lock (&self->mutex);
      self->ready = TRUE;
      g_mutex_unlock (&self->mutex);
      return TRUE;
    }

  if (!stdio_spawn (self, error))
    return FALSE;
  if (!initialize (self, cancellable, &local) ||
      !list_tools (self, self->start_timeout_s, cancellable, &local))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      reins_mcp_client_stop (self);
      return FALSE;
    }

  g_mutex_lock (&self->mutex);
  self->ready = TRUE;
  g_mutex_unlock (&self->mutex);
  return TRUE;
}

static void
close_fd (int *fd)
{
  if (*fd >= 0)
    close (*fd);
  *fd = -1;
}

typedef struct
{
  gboolean done;
  gboolean timed_out;
} ExitWait;

static void
exited_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  ((ExitWait *) data)->done = TRUE;
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
}

static gboolean
exit_timeout_cb (gpointer data)
{
  ((ExitWait *) data)->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Waits up to @ms for the server to exit (GSubprocess reaps it), on a main context of this
 * thread: the caller may be any thread. Returns whether it exited; its status is kept. */
static gboolean
wait_exit (ReinsMcpClient *self,
           guint           ms)
{
  g_autoptr(GMainContext) context = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(GSource) timeout = NULL;
  ExitWait wait = { FALSE, FALSE };
  gboolean exited;

  g_mutex_lock (&self->mutex);
  exited = self->reaped;
  g_mutex_unlock (&self->mutex);
  if (exited || self->process == NULL)
    return exited;

  context = g_main_context_new ();
  cancellable = g_cancellable_new ();
  g_main_context_push_thread_default (context);
  g_subprocess_wait_async (self->process, cancellable, exited_cb, &wait);
  timeout = g_timeout_source_new (ms);
  g_source_set_callback (timeout, exit_timeout_cb, &wait, NULL);
  g_source_attach (timeout, context);
  while (!wait.done && !wait.timed_out)
    g_main_context_iteration (context, TRUE);
  if (!wait.done)
    {
      g_cancellable_cancel (cancellable);
      while (!wait.done)
        g_main_context_iteration (context, TRUE);
    }
  g_source_destroy (timeout);
  g_main_context_pop_thread_default (context);

  /* A cancelled wait says nothing of the process: ask it. */
  g_mutex_lock (&self->mutex);
  if (!self->reaped && !wait.timed_out)
    {
      self->reaped = TRUE;
      self->wait_status = g_subprocess_get_status (self->process);
    }
  exited = self->reaped;
  g_mutex_unlock (&self->mutex);
  return exited;
}

/* Starts the server with its stdin, stdout and stderr on pipes, in a process group of its
 * own, and the thread that reads it. */
static gboolean
stdio_spawn (ReinsMcpClient  *self,
             GError         **error)
{
  g_autoptr(GError) local = NULL;

  ignore_sigpipe ();
  if (g_unix_open_pipe (self->wake_fds, FD_CLOEXEC, &local))
    {
      g_autoptr(GSubprocessLauncher) launcher =
        g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                   G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                   G_SUBPROCESS_FLAGS_STDERR_PIPE);

      g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
      self->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) self->argv,
                                                    &local);
    }
  if (self->process == NULL)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                   _("MCP server “%s” cannot be started: %s"), self->name, local->message);
      self->dead = TRUE;
      return FALSE;
    }
  /* No identifier: it exited already (the reader will say how). */
  if (g_subprocess_get_identifier (self->process) != NULL)
    self->pid = (GPid) g_ascii_strtoll (g_subprocess_get_identifier (self->process), NULL, 10);
  /* The pipes stay the process's (closed with it); the reader polls their fds. */
  self->stdin_fd =
    g_unix_output_stream_get_fd (G_UNIX_OUTPUT_STREAM (g_subprocess_get_stdin_pipe (self->process)));
  self->stdout_fd =
    g_unix_input_stream_get_fd (G_UNIX_INPUT_STREAM (g_subprocess_get_stdout_pipe (self->process)));
  self->stderr_fd =
    g_unix_input_stream_get_fd (G_UNIX_INPUT_STREAM (g_subprocess_get_stderr_pipe (self->process)));
  if (self->pid > 0)
    setpgid (self->pid, self->pid);
  g_unix_set_fd_nonblocking (self->stdin_fd, TRUE, NULL);
  g_unix_set_fd_nonblocking (self->stdout_fd, TRUE, NULL);
  g_unix_set_fd_nonblocking (self->stderr_fd, TRUE, NULL);

  self->reader = g_thread_new ("mcp-reader", reader_thread_func, self);
  return TRUE;
}

/* Closes the server's stdin, waits, then SIGTERM, then SIGKILL to its process group. */
static void
stdio_end (ReinsMcpClient *self)
{
  g_mutex_lock (&self->write_mutex);
  if (self->stdin_fd >= 0)
    {
      g_output_stream_close (g_subprocess_get_stdin_pipe (self->process), NULL, NULL);
      self->stdin_fd = -1;
    }
  g_mutex_unlock (&self->write_mutex);

  if (self->pid > 0)
    {
      if (!wait_exit (self, SHUTDOWN_GRACE_MS))
        {
          kill (-self->pid, SIGTERM);
          if (!wait_exit (self, SHUTDOWN_GRACE_MS))
            {
              kill (-self->pid, SIGKILL);
              wait_exit (self, G_MAXINT / 1000);
            }
        }
      /* Whatever the server left behind in its group goes with it. */
      kill (-self->pid, SIGKILL);
      self->pid = 0;
    }
}

/* Once the server is dead: the reader stops, and the pipes close. */
static void
stdio_join (ReinsMcpClient *self)
{
  if (self->reader != NULL)
    {
      if (write (self->wake_fds[1], "x", 1) < 0)
        g_debug ("waking the MCP reader failed");
      g_thread_join (g_steal_pointer (&self->reader));
    }
  /* The process's pipes close with it. */
  self->stdout_fd = self->stderr_fd = -1;
  if (self->process != NULL)
    {
      g_input_stream_close (g_subprocess_get_stdout_pipe (self->process), NULL, NULL);
      g_input_stream_close (g_subprocess_get_stderr_pipe (self->process), NULL, NULL);
    }
  close_fd (&self->wake_fds[0]);
  close_fd (&self->wake_fds[1]);
  self->stdout_fd = self->stderr_fd = self->wake_fds[0] = self->wake_fds[1] = -1;
}

/**
 * reins_mcp_client_stop:
 *
 * Orderly shutdown: closes the server's stdin, waits, then SIGTERM, then SIGKILL to its
 * process group. Safe to call more than once.
 */
void
reins_mcp_client_stop (ReinsMcpClient *self)
{
  GThread *relist;

  g_return_if_fail (REINS_IS_MCP_CLIENT (self));

  /* Stops every HTTP request (their waiters see the death below) and ends the session. */
  if (self->http != NULL)
    reins_mcp_http_close (self->http);

  stdio_end (self);

  g_mutex_lock (&self->mutex);
  mark_dead_locked (self, _("the server was stopped"));
  relist = g_steal_pointer (&self->relist_thread);
  g_mutex_unlock (&self->mutex);

  stdio_join (self);
  if (relist != NULL)
    g_thread_join (relist);
}

/**
 * reins_mcp_client_get_tools:
 *
 * Returns: (transfer full) (element-type ReinsTool): a ReinsMcpTool per tool of the server
 *   that the filter keeps (reins_mcp_client_set_tool_filter()), named `NAME__TOOL`.
 */
GPtrArray *
reins_mcp_client_get_tools (ReinsMcpClient *self)
{
  g_autoptr(GPtrArray) descriptions = NULL;
  GPtrArray *tools;

  g_return_val_if_fail (REINS_IS_MCP_CLIENT (self), NULL);

  guint offered;

  g_mutex_lock (&self->mutex);
  descriptions = filtered_tools_locked (self, &offered, NULL);
  g_mutex_unlock (&self->mutex);

  tools = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < descriptions->len; i++)
    g_ptr_array_add (tools, reins_mcp_tool_new (self, g_ptr_array_index (descriptions, i),
                                                tool_risk (self,
                                                           g_ptr_array_index (descriptions, i))));
  return tools;
}

/**
 * reins_mcp_client_call_tool:
 * @tool_name: the server's name for the tool (without the `NAME__` prefix)
 *
 * Calls a tool and turns its content blocks into observation text: text as it is, images,
 * audio and binary resources as a one-line placeholder, structuredContent as JSON when
 * there is no text. `isError` makes an error result; so does any failure of the server.
 */
ReinsToolResult *
reins_mcp_client_call_tool (ReinsMcpClient *self,
                            const char     *tool_name,
                            JsonObject     *arguments,
                            guint           timeout_s,
                            GCancellable   *cancellable)
{
  return reins_mcp_client_call_tool_full (self, tool_name, arguments, timeout_s, NULL, NULL,
                                          cancellable);
}

/* Answers the inputRequests of an `input_required` result: each `{method, params}` answered
 * as if the server had sent it as a request. */
static JsonObject *
fulfil_input_requests (ReinsMcpClient   *self,
                       JsonObject       *requests,
                       ReinsElicitFunc   elicit,
                       gpointer          elicit_data,
                       GCancellable     *cancellable,
                       GError          **error)
{
  g_autoptr(JsonObject) responses = json_object_new ();
  g_autoptr(GList) keys = json_object_get_members (requests);

  for (GList *l = keys; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (requests, l->data);
      JsonObject *request = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *method = request != NULL
                             ? json_object_get_string_member_with_default (request, "method", "")
                             : "";
      JsonNode *p = request != NULL ? json_object_get_member (request, "params") : NULL;
      JsonObject *params = p != NULL && JSON_NODE_HOLDS_OBJECT (p) ? json_node_get_object (p)
                                                                   : NULL;
      g_autoptr(JsonObject) answer = NULL;

      if (strcmp (method, "elicitation/create") == 0 && check_elicitation (params, NULL))
        {
          answer = elicit != NULL ? elicit (self->name, params, elicit_data, cancellable) : NULL;
          if (answer == NULL)
            answer = reins_mcp_elicit_result (params, elicit != NULL ? REINS_DECISION_NONE
                                                                     : REINS_DECISION_REJECT,
                                              NULL);
        }
      else if (strcmp (method, "roots/list") == 0 && self->root_uri != NULL)
        answer = roots_result (self);
      else
        {
          g_autofree char *shown = reins_sandbox_escape (method, MIN (strlen (method), 80));

          g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                       _("MCP server “%s” asked for input Reins cannot give: “%s”"),
                       self->name, shown);
          return NULL;
        }
      json_object_set_object_member (responses, l->data, g_steal_pointer (&answer));
    }
  return g_steal_pointer (&responses);
}

/**
 * reins_mcp_client_call_tool_full:
 * @elicit: (nullable): puts the server's `elicitation/create` to the person while the call
 *   runs, on the calling thread; without it the server gets a decline
 *
 * Like reins_mcp_client_call_tool(); the time the person takes does not count against
 * @timeout_s.
 */
ReinsToolResult *
reins_mcp_client_call_tool_full (ReinsMcpClient  *self,
                                 const char      *tool_name,
                                 JsonObject      *arguments,
                                 guint            timeout_s,
                                 ReinsElicitFunc  elicit,
                                 gpointer         elicit_data,
                                 GCancellable    *cancellable)
{
  ReinsToolContext context = { 0 };

  context.timeout_s = timeout_s;
  context.elicit = elicit;
  context.elicit_data = elicit_data;
  return reins_mcp_client_call_tool_in_context (self, tool_name, arguments, &context,
                                                cancellable);
}

static ReinsToolResult *call_tool (ReinsMcpClient *self, JsonObject *params, guint timeout_s,
                                   ReinsElicitFunc elicit, gpointer elicit_data,
                                   GCancellable *cancellable);

/**
 * reins_mcp_client_call_tool_in_context:
 * @context: (nullable): the timeout, who answers the server's questions, and where its
 *   progress goes (a `progressToken` is sent only when there is somewhere)
 */
ReinsToolResult *
reins_mcp_client_call_tool_in_context (ReinsMcpClient         *self,
                                       const char             *tool_name,
                                       JsonObject             *arguments,
                                       const ReinsToolContext *context,
                                       GCancellable           *cancellable)
{
  g_autoptr(JsonObject) params = json_object_new ();
  g_autofree char *token = NULL;
  ReinsToolResult *result;

  g_return_val_if_fail (REINS_IS_MCP_CLIENT (self), NULL);

  json_object_set_string_member (params, "name", tool_name);
  json_object_set_object_member (params, "arguments",
                                 arguments != NULL ? json_object_ref (arguments)
                                                   : json_object_new ());
  if (context != NULL && context->progress != NULL)
    {
      JsonObject *meta = json_object_new ();
      Progress *p = g_new0 (Progress, 1);

      p->tool = reins_mcp_tool_make_name (self->name, tool_name);
      p->func = context->progress;
      p->data = context->progress_data;
      g_mutex_lock (&self->progress_mutex);
      token = g_strdup_printf ("reins-%s-%u", self->name, ++self->next_progress);
      g_hash_table_insert (self->progress, g_strdup (token), p);
      g_mutex_unlock (&self->progress_mutex);
      json_object_set_string_member (meta, "progressToken", token);
      json_object_set_object_member (params, "_meta", meta);
    }

  result = call_tool (self, params, reins_tool_context_get_timeout ((ReinsToolContext *) context),
                      context != NULL ? context->elicit : NULL,
                      context != NULL ? context->elicit_data : NULL, cancellable);

  if (token != NULL)
    {
      /* Once this returns, no report of the call is running or will be. */
      g_mutex_lock (&self->progress_mutex);
      g_hash_table_remove (self->progress, token);
      g_mutex_unlock (&self->progress_mutex);
    }
  return result;
}

static ReinsToolResult *
call_tool (ReinsMcpClient  *self,
           JsonObject      *params,
           guint            timeout_s,
           ReinsElicitFunc  elicit,
           gpointer         elicit_data,
           GCancellable    *cancellable)
{
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(GError) error = NULL;

  for (guint round = 0;; round++)
    {
      JsonObject *object;
      JsonNode *requests;

      g_clear_pointer (&result, json_node_unref);
      result = request_full (self, "tools/call", params, timeout_s != 0 ? timeout_s : 30, elicit,
                             elicit_data, cancellable, &error);
      if (result == NULL)
        return reins_tool_result_new_error ("%s", error->message);
      object = json_node_get_object (result);
      if (g_strcmp0 (json_object_get_string_member_with_default (object, "resultType", NULL),
                     "input_required") != 0)
        break;

      /* The stateless revision asks by returning the questions; the call is made again with
       * the answers (multi round-trip). */
      requests = json_object_get_member (object, "inputRequests");
      if (round >= MAX_INPUT_ROUNDS || requests == NULL || !JSON_NODE_HOLDS_OBJECT (requests))
        return reins_tool_result_new_error (_("MCP server “%s” asked for input without saying "
                                              "what, or more than %d times"),
                                            self->name, MAX_INPUT_ROUNDS);
      {
        g_autoptr(JsonObject) responses = fulfil_input_requests (self,
                                                                 json_node_get_object (requests),
                                                                 elicit, elicit_data,
                                                                 cancellable, &error);
        JsonNode *state = json_object_get_member (object, "requestState");

        if (responses == NULL)
          return reins_tool_result_new_error ("%s", error->message);
        json_object_set_object_member (params, "inputResponses", g_steal_pointer (&responses));
        if (state != NULL)
          json_object_set_member (params, "requestState", json_node_copy (state));
        else
          json_object_remove_member (params, "requestState");
      }
    }

  return reins_mcp_content_to_result (json_node_get_object (result));
}
