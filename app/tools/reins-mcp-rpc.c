/* reins-mcp-rpc.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ReinsMcpClient's JSON-RPC requests: sending one, waiting for its answer (timeout,
 * cancellation, death, protocol breaches), and again after an expired session or an
 * authorization.
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

/* Called with the mutex held. */
char *
reins_mcp_client_diagnosis_locked (ReinsMcpClient *self)
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

void
reins_mcp_client_mark_dead_locked (ReinsMcpClient *self,
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

/* Called with the mutex held: a clear breach of JSON-RPC while a request waits. The
 * waiting requests give the server a moment for the right answer (a noisy server may
 * still send it), then fail saying what happened, instead of waiting out their timeout. */
void
reins_mcp_client_raise_violation_locked (ReinsMcpClient *self,
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

void
reins_mcp_client_raise_violation (ReinsMcpClient *self,
                 char           *what)
{
  g_mutex_lock (&self->mutex);
  reins_mcp_client_raise_violation_locked (self, what);
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

void
reins_mcp_client_send_notification (ReinsMcpClient *self,
                   const char     *method,
                   JsonObject     *params)
{
  g_autoptr(JsonNode) message = make_message (-1, method, params, NULL);

  reins_mcp_client_send_message (self, message, NULL);
}

static void
send_cancelled (ReinsMcpClient *self,
                gint64          id,
                const char     *reason)
{
  g_autoptr(JsonObject) params = json_object_new ();

  json_object_set_int_member (params, "requestId", id);
  json_object_set_string_member (params, "reason", reason);
  reins_mcp_client_send_notification (self, "notifications/cancelled", params);
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
                                                    : reins_mcp_client_describe_death_locked (self);
      g_autofree char *why = reins_mcp_client_diagnosis_locked (self);

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
  if (!reins_mcp_client_send_message (self, message, &local))
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
          g_autofree char *death = reins_mcp_client_describe_death_locked (self);
          g_autofree char *why = reins_mcp_client_diagnosis_locked (self);

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
          reins_mcp_client_answer (self, e->id, result, 0, NULL);
          reins_mcp_client_elicitation_free (e);
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
    reins_mcp_client_decline_elicitations_locked (self);

  if (response == NULL)
    {
      g_autofree char *why = reins_mcp_client_diagnosis_locked (self);
      g_autofree char *death = self->dead ? reins_mcp_client_describe_death_locked (self) : NULL;

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

          text = reins_json_string_or (e, "message", NULL);
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
JsonNode *
reins_mcp_client_request_once (ReinsMcpClient  *self,
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
  return reins_mcp_client_request_full (self, method, params, timeout_s, NULL, NULL,
                                        cancellable, error);
}

JsonNode *
reins_mcp_client_request_full (ReinsMcpClient  *self,
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
      reins_mcp_client_add_client_description (self, meta);
      json_object_set_object_member (sent, "_meta", meta);
      params = sent;
    }

  result = reins_mcp_client_request_once (self, method, params, timeout_s, elicit, elicit_data,
                                          cancellable,
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
  if (!reins_mcp_client_initialize (self, cancellable, error))
    return NULL;
  return reins_mcp_client_request_once (self, method, params, timeout_s, elicit, elicit_data,
                                        cancellable,
                                        &expired, &refused, error);
}
