/* reins-mcp-incoming.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ReinsMcpClient, what the server sends: answers matched to the waiting requests, its own
 * requests (ping, roots, elicitation) answered, its notifications (tools changed,
 * progress), and lines that are not JSON-RPC, over stdio and HTTP alike.
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

void
reins_mcp_client_elicitation_free (gpointer data)
{
  Elicitation *e = data;

  json_node_unref (e->id);
  json_object_unref (e->params);
  g_free (e);
}

void
reins_mcp_client_progress_free (gpointer data)
{
  Progress *p = data;

  g_free (p->tool);
  g_free (p);
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
      reins_mcp_client_send_message (self, message, NULL);
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
  if (!reins_mcp_client_flush_outbox_locked (self))
    g_byte_array_set_size (self->outbox, 0);  /* nobody reads them any more */
  g_mutex_unlock (&self->write_mutex);

  if (full)
    reins_mcp_client_raise_violation (self,
                                      g_strdup (_("it sends requests of its own without "
                                                  "reading the answers (over 1 MiB "
                                                  "unread)")));
}

/* Answers a request the server sent us: with @result, or else the error @code. */
void
reins_mcp_client_answer (ReinsMcpClient *self,
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

/* Whether `roots/list` is answered: a root is set, or the capability was declared (its
 * root may since have been taken away: the list is then empty). */
gboolean
reins_mcp_client_offers_roots (ReinsMcpClient *self)
{
  gboolean offers;

  g_mutex_lock (&self->root_mutex);
  offers = self->root_uri != NULL || self->roots_declared;
  g_mutex_unlock (&self->root_mutex);
  return offers;
}

JsonObject *
reins_mcp_client_roots_result (ReinsMcpClient *self)
{
  JsonObject *result = json_object_new ();
  JsonArray *roots = json_array_new ();

  g_mutex_lock (&self->root_mutex);
  if (self->root_uri != NULL)
    {
      JsonObject *root = json_object_new ();

      json_object_set_string_member (root, "uri", self->root_uri);
      json_object_set_string_member (root, "name", "workspace");
      json_array_add_object_element (roots, root);
    }
  g_mutex_unlock (&self->root_mutex);
  json_object_set_array_member (result, "roots", roots);
  return result;
}

/* Whether an elicitation/create is a form Reins can put to the person. */
gboolean
reins_mcp_client_check_elicitation (JsonObject  *params,
                   GError     **error)
{
  JsonNode *schema = params != NULL ? json_object_get_member (params, "requestedSchema") : NULL;

  if (params == NULL ||
      reins_json_string_or (params, "message", NULL) == NULL ||
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

      reins_mcp_client_answer (self, id, empty, 0, NULL);
    }
  else if (g_strcmp0 (method, "roots/list") == 0 && reins_mcp_client_offers_roots (self))
    {
      g_autoptr(JsonObject) result = reins_mcp_client_roots_result (self);

      reins_mcp_client_answer (self, id, result, 0, NULL);
    }
  else if (g_strcmp0 (method, "elicitation/create") == 0)
    {
      g_autoptr(GError) error = NULL;
      gboolean queued = FALSE;

      if (!reins_mcp_client_check_elicitation (params, &error))
        {
          g_autofree char *text = g_strdup_printf ("Invalid params: %s", error->message);

          reins_mcp_client_answer (self, id, NULL, -32602, text);
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

          reins_mcp_client_answer (self, id, decline, 0, NULL);
        }
    }
  else
    reins_mcp_client_answer (self, id, NULL, -32601, "Method not found");
}

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
  if (reins_json_string_or (object, "message", NULL) != NULL)
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

void
reins_mcp_client_note_garbage (ReinsMcpClient *self,
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
    reins_mcp_client_raise_violation_locked (
      self, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "it wrote %u line that is not JSON-RPC "
                                          "in place of an answer",
                                          "it wrote %u lines that are not JSON-RPC "
                                          "in place of an answer", MAX_GARBAGE_WAITING),
                             MAX_GARBAGE_WAITING));
  g_mutex_unlock (&self->mutex);
}

static gboolean
is_jsonrpc (JsonNode *root)
{
  return root != NULL && JSON_NODE_HOLDS_OBJECT (root) &&
         g_strcmp0 (reins_json_string_or (json_node_get_object (root),
                                                                "jsonrpc", NULL), "2.0") == 0;
}

static void handle_message (ReinsMcpClient *self,
                            JsonNode       *root,
                            const char     *line,
                            gsize           length);

void
reins_mcp_client_handle_line (ReinsMcpClient *self,
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
      reins_mcp_client_note_garbage (self, line, length);
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
    reins_mcp_client_note_garbage (self, text, strlen (text));
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

const ReinsMcpTransportSink reins_mcp_client_http_sink = {
  http_receive, http_fail, http_unauthorized
};

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
  method = reins_json_string_or (object, "method", NULL);

  if (method != NULL)
    {
      if (id != NULL && !JSON_NODE_HOLDS_NULL (id))
        {
          JsonNode *params = json_object_get_member (object, "params");

          g_mutex_lock (&self->mutex);
          if (g_hash_table_size (self->pending) > 0 &&
              ++self->requests_waiting == MAX_REQUESTS_WAITING)
            reins_mcp_client_raise_violation_locked (
              self, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                  "it sent %u request of its own "
                                                  "instead of an answer",
                                                  "it sent %u requests of its own "
                                                  "instead of an answer", MAX_REQUESTS_WAITING),
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
                self->relist_thread = g_thread_new ("mcp-relist",
                                                    reins_mcp_client_relist_thread_func,
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
        reins_mcp_client_raise_violation_locked (
          self, g_strdup_printf (_("it answered with id %s, which no "
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
        reins_mcp_client_raise_violation_locked (
          self, g_strdup_printf (_("it could not read a request: %s"),
                                 shown));
      else
        reins_mcp_client_raise_violation_locked (
          self, g_strdup_printf (_("it answered with id %s, which no "
                                   "request had"), id_text));
      g_mutex_unlock (&self->mutex);
      return;
    }

  reins_mcp_client_note_garbage (self, line, length);
}

/* Called with the mutex held, when no waiting call can ask the person any more: the
 * questions left are cancelled. */
void
reins_mcp_client_decline_elicitations_locked (ReinsMcpClient *self)
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

      reins_mcp_client_answer (self, e->id, result, 0, NULL);
      reins_mcp_client_elicitation_free (e);
    }
  g_mutex_lock (&self->mutex);
}
