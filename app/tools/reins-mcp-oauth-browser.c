/* reins-mcp-oauth-browser.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The authorization-code flow of MCP OAuth through the person's browser: PKCE (random
 * verifier and state, S256 challenge), the loopback redirect listener (a SoupServer on a
 * main context of the calling thread), and exchanging the code for a token.
 */

#include "config.h"

#include <string.h>
#include <sys/random.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "reins-error.h"
#include "reins-mcp-oauth-private.h"

/* Random text for PKCE and state: base64url without padding. */
static char
*base64url (const guint8 *data,
            gsize         length)
{
  char *text = g_base64_encode (data, length);
  char *end;

  g_strdelimit (text, "+", '-');
  g_strdelimit (text, "/", '_');
  end = strchr (text, '=');
  if (end != NULL)
    *end = '\0';
  return text;
}

static char *
random_text (void)
{
  guint8 bytes[32];
  gsize got = 0;

  while (got < sizeof bytes)
    {
      gssize n = getrandom (bytes + got, sizeof bytes - got, 0);

      if (n > 0)
        got += n;
    }
  return base64url (bytes, sizeof bytes);
}

static char *
s256 (const char *verifier)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize length = sizeof digest;

  g_checksum_update (sum, (const guchar *) verifier, strlen (verifier));
  g_checksum_get_digest (sum, digest, &length);
  return base64url (digest, length);
}

/* The loopback redirect: a SoupServer on a main context of this thread. */
typedef struct
{
  const char *state;
  char       *code;
  char       *failure;
  gboolean    done;
  gboolean    responded;
  guint       open;      /* connections of the listener not closed yet */
} Wait;

static void
finished_cb (SoupServerMessage *msg,
             gpointer           data)
{
  ((Wait *) data)->responded = TRUE;
}

static void
callback_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           data)
{
  Wait *wait = data;
  const char *state = query != NULL ? g_hash_table_lookup (query, "state") : NULL;
  const char *code = query != NULL ? g_hash_table_lookup (query, "code") : NULL;
  const char *err = query != NULL ? g_hash_table_lookup (query, "error") : NULL;
  const char *page;

  /* One answer per connection: the listener closes right after, and a kept-alive
   * connection would leave a message waiting for a request that never comes. */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                "close");
  if (wait->done)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_GONE, NULL);
      return;
    }
  if (g_strcmp0 (state, wait->state) != 0)
    {
      /* Not the answer to our request: forged, or from an older attempt. */
      wait->failure = g_strdup (_("the browser came back with the wrong state; the "
                                  "authorization was not used"));
      page = "Reins: this authorization was not asked for, and was not used.";
      soup_server_message_set_status (msg, SOUP_STATUS_BAD_REQUEST, NULL);
    }
  else if (err != NULL || code == NULL || *code == '\0')
    {
      g_autofree char *s = reins_mcp_oauth_shown (err != NULL ? err : "no code");
      const char *description = g_hash_table_lookup (query, "error_description");
      g_autofree char *d = description != NULL ? reins_mcp_oauth_shown (description) : NULL;

      wait->failure = g_strdup_printf (_("the authorization was refused: %s%s%s"), s,
                                       d != NULL ? ": " : "", d != NULL ? d : "");
      page = "Reins: the authorization was refused. You can close this window.";
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
    }
  else
    {
      wait->code = g_strdup (code);
      page = "Reins is authorized. You can close this window.";
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
    }
  soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_STATIC,
                                    page, strlen (page));
  g_signal_connect (msg, "finished", G_CALLBACK (finished_cb), wait);
  wait->done = TRUE;
}

static void
disconnected_cb (SoupServerMessage *msg,
                 gpointer           data)
{
  ((Wait *) data)->open--;
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           data)
{
  ((Wait *) data)->open++;
  g_signal_connect (msg, "disconnected", G_CALLBACK (disconnected_cb), data);
}

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
cancelled_source_cb (GCancellable *cancellable,
                     gpointer      data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source,
             gpointer           data)
{
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (connection, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (connection, NULL);
  g_autoptr(GError) error = NULL;

  if (!soup_server_accept_iostream (data, G_IO_STREAM (connection), local, remote, &error))
    g_debug ("MCP OAuth: a connection to the listener failed: %s", error->message);
  return TRUE;
}

/* Listens on 127.0.0.1 (at @port if it is free and not 0) for the redirect, and hands each
 * connection to @server: libsoup 3.2's own listener leaks a socket per connection. */
static GSocketService *
listen_loopback (SoupServer  *server,
                 guint       *port,
                 GError     **error)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GError) local = NULL;

  for (guint attempt = *port != 0 ? 0 : 1; attempt < 2; attempt++)
    {
      g_autoptr(GSocketAddress) address =
        g_inet_socket_address_new (loopback, attempt == 0 ? *port : 0);
      g_autoptr(GSocketAddress) effective = NULL;

      g_clear_error (&local);
      if (g_socket_listener_add_address (G_SOCKET_LISTENER (service), address,
                                         G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                         &effective, &local))
        {
          *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
          g_signal_connect (service, "incoming", G_CALLBACK (incoming_cb), server);
          g_socket_service_start (service);
          return g_steal_pointer (&service);
        }
    }
  g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
               _("no loopback port could be opened for the browser: %s"), local->message);
  return NULL;
}

static void
add_param (GString    *url,
           const char *name,
           const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  g_string_append_c (url, strchr (url->str, '?') != NULL ? '&' : '?');
  g_string_append (url, name);
  g_string_append_c (url, '=');
  g_string_append (url, escaped);
}

/* Authorization code with PKCE through the browser, and the token for it. */
gboolean
reins_mcp_oauth_browser_flow (ReinsMcpOAuth  *self,
                              JsonObject     *metadata,
                              GCancellable   *cancellable,
                              GError        **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GSocketService) service = NULL;
  g_autoptr(GSource) tick = NULL;
  g_autoptr(GSource) cancel_source = NULL;
  g_autoptr(GString) url = NULL;
  g_autoptr(GHashTable) form = NULL;
  g_autofree char *verifier = random_text ();
  g_autofree char *challenge = s256 (verifier);
  g_autofree char *state = random_text ();
  g_autofree char *redirect_uri = NULL;
  Wait wait = { state, NULL, NULL, FALSE, FALSE };
  ReinsMcpOAuthHooks h;
  gpointer data;
  guint port = self->configured ? 0 : self->redirect_port;
  gint64 end;
  gboolean ok = FALSE;

  h = reins_mcp_oauth_get_hooks (&data);
  if (h.open_url == NULL)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                   _("it needs an authorization in the browser, and nobody is here to give "
                     "it"));
      return FALSE;
    }

  g_main_context_push_thread_default (context);
  server = soup_server_new ("server-header", "Reins", NULL);
  service = listen_loopback (server, &port, error);
  if (service == NULL)
    goto out;
  redirect_uri = g_strdup_printf ("http://127.0.0.1:%u" CALLBACK_PATH, port);
  soup_server_add_handler (server, CALLBACK_PATH, callback_cb, &wait, NULL);
  g_signal_connect (server, "request-started", G_CALLBACK (request_started_cb), &wait);

  if (self->client_id == NULL || (!self->configured && port != self->redirect_port))
    {
      const char *endpoint = reins_mcp_oauth_string_member (metadata, "registration_endpoint");

      if (endpoint == NULL)
        {
          g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                       _("its authorization server does not register clients: configure "
                         "the client id it gave you"));
          goto out;
        }
      if (!reins_mcp_oauth_register_client (self, endpoint, redirect_uri, cancellable, error))
        goto out;
      self->redirect_port = port;
    }

  url = g_string_new (reins_mcp_oauth_string_member (metadata, "authorization_endpoint"));
  add_param (url, "response_type", "code");
  add_param (url, "client_id", self->client_id);
  add_param (url, "redirect_uri", redirect_uri);
  add_param (url, "code_challenge", challenge);
  add_param (url, "code_challenge_method", "S256");
  add_param (url, "state", state);
  add_param (url, "resource", self->resource);
  if (self->scope != NULL && *self->scope != '\0')
    add_param (url, "scope", self->scope);

  if (!h.open_url (self->server, url->str, data, error))
    goto out;

  /* Wait for the browser: the redirect, the cancellable or the time limit. */
  tick = g_timeout_source_new (250);
  g_source_set_callback (tick, wake_cb, NULL, NULL);
  g_source_attach (tick, context);
  if (cancellable != NULL)
    {
      cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (cancel_source, G_SOURCE_FUNC (cancelled_source_cb), NULL, NULL);
      g_source_attach (cancel_source, context);
    }
  end = g_get_monotonic_time () + (gint64) self->browser_timeout_s * G_USEC_PER_SEC;
  while (!wait.done && !g_cancellable_is_cancelled (cancellable) &&
         g_get_monotonic_time () < end)
    g_main_context_iteration (context, TRUE);
  /* Let the browser have its page. */
  end = g_get_monotonic_time () + G_USEC_PER_SEC;
  while (wait.done && !wait.responded && g_get_monotonic_time () < end)
    g_main_context_iteration (context, TRUE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out;
  if (!wait.done)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                   _("nobody authorized it in the browser within %u s"),
                   self->browser_timeout_s);
      goto out;
    }
  if (wait.failure != NULL)
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_MCP, wait.failure);
      goto out;
    }

  form = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (form, "grant_type", "authorization_code");
  g_hash_table_insert (form, "code", wait.code);
  g_hash_table_insert (form, "redirect_uri", redirect_uri);
  g_hash_table_insert (form, "client_id", self->client_id);
  g_hash_table_insert (form, "code_verifier", verifier);
  g_hash_table_insert (form, "resource", self->resource);
  ok = reins_mcp_oauth_token_request (self, form, cancellable, error);

out:
  if (cancel_source != NULL)
    g_source_destroy (cancel_source);
  if (service != NULL)
    {
      g_socket_service_stop (service);
      g_socket_listener_close (G_SOCKET_LISTENER (service));
      g_clear_object (&service);
    }
  if (server != NULL)
    {
      gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC;

      soup_server_disconnect (server);
      /* Its connections close on this context: let them, or their sockets stay behind. */
      if (tick == NULL)
        {
          tick = g_timeout_source_new (50);
          g_source_set_callback (tick, wake_cb, NULL, NULL);
          g_source_attach (tick, context);
        }
      while (wait.open > 0 && g_get_monotonic_time () < until)
        g_main_context_iteration (context, TRUE);
      g_debug ("MCP OAuth: %u connection(s) of the listener left open", wait.open);
    }
  if (tick != NULL)
    g_source_destroy (tick);
  g_clear_object (&server);
  /* What the server left on the context (its connections) goes with it. */
  while (g_main_context_pending (context))
    g_main_context_iteration (context, FALSE);
  g_main_context_pop_thread_default (context);
  g_free (wait.code);
  g_free (wait.failure);
  return ok;
}
