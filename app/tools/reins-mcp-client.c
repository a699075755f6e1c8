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
 * that lists the tools again; ::tools-changed is then emitted on the client's main context.
 * A request waits until its answer, its timeout, its cancellable or the death of the
 * server, whichever comes first, so a server that dies, stalls or writes garbage never
 * hangs the run.
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
#include "reins-mcp-client-private.h"

static const char * const accepted_versions[] = {
  "2025-06-18", "2025-03-26", "2024-11-05", "2025-11-25",
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
  g_queue_clear_full (&self->elicitations, reins_mcp_client_elicitation_free);
  g_mutex_clear (&self->mutex);
  g_mutex_clear (&self->write_mutex);
  g_mutex_clear (&self->progress_mutex);
  g_mutex_clear (&self->root_mutex);
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
  g_mutex_init (&self->root_mutex);
  self->progress = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          reins_mcp_client_progress_free);
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

/* Client ids given for the whole process (reins_mcp_client_set_default_oauth_client()):
 * server name → id. */
static GMutex default_clients_mutex;
static GHashTable *default_clients;

/**
 * reins_mcp_client_set_default_oauth_client:
 * @name: the name of an MCP server
 * @client_id: (nullable): the id its authorization server gave Reins, or NULL to forget it
 *
 * A client registered by hand, for the servers named @name made after this (reins-cli's
 * `--mcp-client-id=NAME=ID`). It wins over the environment's; its secret, if it has one,
 * still comes from the environment (a secret on the command line would show in `ps`).
 */
void
reins_mcp_client_set_default_oauth_client (const char *name,
                                           const char *client_id)
{
  g_autofree char *id = g_strstrip (g_strdup (client_id != NULL ? client_id : ""));

  g_return_if_fail (name != NULL);

  g_mutex_lock (&default_clients_mutex);
  if (default_clients == NULL)
    default_clients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (*id != '\0')
    g_hash_table_replace (default_clients, g_strdup (name), g_steal_pointer (&id));
  else
    g_hash_table_remove (default_clients, name);
  g_mutex_unlock (&default_clients_mutex);
}

/**
 * reins_mcp_client_replace_default_oauth_clients:
 * @ids: (nullable): `a{ss}`, server name → client id (the preferences' "mcp-client-ids")
 *
 * Forgets every id reins_mcp_client_set_default_oauth_client() gave, and gives these.
 */
void
reins_mcp_client_replace_default_oauth_clients (GVariant *ids)
{
  GVariantIter iter;
  const char *name, *id;

  g_return_if_fail (ids == NULL || g_variant_is_of_type (ids, G_VARIANT_TYPE ("a{ss}")));

  g_mutex_lock (&default_clients_mutex);
  if (default_clients != NULL)
    g_hash_table_remove_all (default_clients);
  g_mutex_unlock (&default_clients_mutex);
  if (ids == NULL)
    return;
  g_variant_iter_init (&iter, ids);
  while (g_variant_iter_next (&iter, "{&s&s}", &name, &id))
    reins_mcp_client_set_default_oauth_client (name, id);
}

/* A client registered by hand with the server's authorization server, for one that does
 * not register clients itself: the process's default (above), else
 * REINS_MCP_OAUTH_CLIENT_ID_NAME (and, for a confidential client,
 * REINS_MCP_OAUTH_CLIENT_SECRET_NAME), NAME in capitals with “-” as “_”. */
static void
use_client_from_environment (ReinsMcpClient *self)
{
  g_autofree char *upper = g_ascii_strup (self->name, -1);
  g_autofree char *id_var = NULL;
  g_autofree char *secret_var = NULL;
  g_autofree char *given = NULL;
  const char *id, *secret;

  g_mutex_lock (&default_clients_mutex);
  if (default_clients != NULL)
    given = g_strdup (g_hash_table_lookup (default_clients, self->name));
  g_mutex_unlock (&default_clients_mutex);

  g_strdelimit (upper, "-", '_');
  id_var = g_strconcat ("REINS_MCP_OAUTH_CLIENT_ID_", upper, NULL);
  secret_var = g_strconcat ("REINS_MCP_OAUTH_CLIENT_SECRET_", upper, NULL);
  id = given != NULL ? given : g_getenv (id_var);
  secret = g_getenv (secret_var);
  if (id != NULL && *id != '\0')
    reins_mcp_oauth_set_client (self->oauth, id, secret != NULL && *secret != '\0' ? secret
                                                                                   : NULL);
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
  use_client_from_environment (self);
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
 * reins_mcp_client_start(), the roots capability is declared in `initialize` (with
 * `listChanged`); changed afterwards, a server that was told of roots gets
 * `notifications/roots/list_changed` and asks again. Setting the same folder again tells
 * nothing.
 */
void
reins_mcp_client_set_root (ReinsMcpClient *self,
                           const char     *folder)
{
  g_autofree char *uri = NULL;
  gboolean changed, tell, running;

  g_return_if_fail (REINS_IS_MCP_CLIENT (self));

  if (folder != NULL && *folder != '\0')
    {
      g_autofree char *absolute = g_canonicalize_filename (folder, NULL);

      uri = g_filename_to_uri (absolute, NULL, NULL);
    }

  g_mutex_lock (&self->mutex);
  /* The stateless revision has no channel for notifications: the next request's _meta
   * declares the roots anew. */
  running = self->ready && !self->dead && !self->stateless;
  g_mutex_unlock (&self->mutex);

  g_mutex_lock (&self->root_mutex);
  changed = g_strcmp0 (uri, self->root_uri) != 0;
  if (changed)
    {
      g_free (self->root_uri);
      self->root_uri = g_steal_pointer (&uri);
    }
  tell = changed && running && self->roots_declared;
  g_mutex_unlock (&self->root_mutex);

  if (tell)
    reins_mcp_client_send_notification (self, "notifications/roots/list_changed", NULL);
}

void
reins_mcp_client_set_start_timeout (ReinsMcpClient *self,
                                    guint           seconds)
{
  g_return_if_fail (REINS_IS_MCP_CLIENT (self));
  self->start_timeout_s = seconds > 0 ? seconds : 60;
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

gpointer
reins_mcp_client_relist_thread_func (gpointer data)
{
  ReinsMcpClient *self = data;
  gboolean again;

  do
    {
      g_autoptr(GError) error = NULL;

      if (reins_mcp_client_list_tools (self, 30, NULL, &error))
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
  return reins_mcp_client_list_tools (self, 30, cancellable, error);
}

/* The client's capabilities and clientInfo, in initialize (and in every request's _meta in
 * the stateless revision). */
void
reins_mcp_client_add_client_description (ReinsMcpClient *self,
                        JsonObject     *object)
{
  JsonObject *capabilities = json_object_new ();
  JsonObject *client_info = json_object_new ();

  /* Form mode (an empty object means form mode in 2025-11-25 too). */
  json_object_set_object_member (capabilities, "elicitation", json_object_new ());
  g_mutex_lock (&self->root_mutex);
  if (self->root_uri != NULL)
    {
      JsonObject *roots = json_object_new ();

      /* reins_mcp_client_set_root() tells of a new workspace. */
      json_object_set_boolean_member (roots, "listChanged", TRUE);
      json_object_set_object_member (capabilities, "roots", roots);
      self->roots_declared = TRUE;
    }
  g_mutex_unlock (&self->root_mutex);
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
  result = reins_mcp_client_request_full (self, "server/discover", params,
                                          self->start_timeout_s, NULL, NULL,
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

gboolean
reins_mcp_client_initialize (ReinsMcpClient  *self,
            GCancellable    *cancellable,
            GError         **error)
{
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(GError) local = NULL;
  const char *version;
  gboolean accepted = FALSE, expired = FALSE, refused = FALSE;

  json_object_set_string_member (params, "protocolVersion", REINS_MCP_PROTOCOL_VERSION);
  reins_mcp_client_add_client_description (self, params);

  result = reins_mcp_client_request_once (self, "initialize", params,
                                          self->start_timeout_s, NULL, NULL,
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
          result = reins_mcp_client_request_once (self, "initialize", params,
                                                  self->start_timeout_s, NULL, NULL,
                                                  cancellable, &expired, &refused, &local);
        }
    }
  if (result == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }

  version = reins_json_string_or (json_node_get_object (result),
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
  reins_mcp_client_send_notification (self, "notifications/initialized", NULL);
  if (self->http != NULL)
    reins_mcp_http_flush (self->http, self->start_timeout_s * 1000);
  return TRUE;
}

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
      self->http = reins_mcp_http_new (self->url, &reins_mcp_client_http_sink, self);
      if (!reins_mcp_client_initialize (self, cancellable, &local) ||
          !reins_mcp_client_list_tools (self, self->start_timeout_s, cancellable, &local))
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

  if (!reins_mcp_client_stdio_spawn (self, error))
    return FALSE;
  if (!reins_mcp_client_initialize (self, cancellable, &local) ||
      !reins_mcp_client_list_tools (self, self->start_timeout_s, cancellable, &local))
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

  reins_mcp_client_stdio_end (self);

  g_mutex_lock (&self->mutex);
  reins_mcp_client_mark_dead_locked (self, _("the server was stopped"));
  relist = g_steal_pointer (&self->relist_thread);
  g_mutex_unlock (&self->mutex);

  reins_mcp_client_stdio_join (self);
  if (relist != NULL)
    g_thread_join (relist);
}
