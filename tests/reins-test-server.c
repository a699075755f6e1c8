/* reins-test-server.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The loopback test server (see the header).
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "reins-test-server.h"

typedef struct
{
  GBytes             *data;
  guint               delay_ms;
  ReinsTestPieceFunc  func;       /* or, polled until it gives the piece */
  gpointer            func_data;
} Piece;

struct _ReinsTestReply
{
  guint      status;
  GPtrArray *headers;  /* name, value, … */
  GArray    *pieces;   /* (element-type Piece) */
  gboolean   abort;
  SoupServerMessage *request;  /* (unowned) while the handler runs */
};

struct _ReinsTestServer
{
  ReinsTestHandler  handler;
  gpointer          user_data;

  GThread          *thread;
  GMainContext     *context;
  GMainLoop        *loop;
  SoupServer       *server;   /* server thread only */
  GSocketService   *service;  /* server thread only */
  GPtrArray        *writers;  /* server thread only: replies being written */
  char             *url;

  GMutex            mutex;
  GCond             cond;
  gboolean          ready;
  guint             count;
  char             *last_body;
  char             *last_path;
  GHashTable       *last_headers;
};

/* One reply being written, piece by piece. */
typedef struct
{
  ReinsTestServer   *server;
  SoupServerMessage *msg;
  ReinsTestReply    *reply;
  guint              next;
  gboolean           finished;
  GSource           *source;
} Writer;

static void
piece_clear (gpointer data)
{
  Piece *piece = data;

  g_clear_pointer (&piece->data, g_bytes_unref);
}

static ReinsTestReply *
reply_new (void)
{
  ReinsTestReply *reply = g_new0 (ReinsTestReply, 1);

  reply->status = 200;
  reply->headers = g_ptr_array_new_with_free_func (g_free);
  reply->pieces = g_array_new (FALSE, TRUE, sizeof (Piece));
  g_array_set_clear_func (reply->pieces, piece_clear);
  return reply;
}

static void
reply_free (ReinsTestReply *reply)
{
  g_ptr_array_unref (reply->headers);
  g_array_unref (reply->pieces);
  g_free (reply);
}

void
reins_test_reply_set_status (ReinsTestReply *reply,
                             guint           status)
{
  reply->status = status;
}

void
reins_test_reply_add_header (ReinsTestReply *reply,
                             const char     *name,
                             const char     *value)
{
  g_ptr_array_add (reply->headers, g_strdup (name));
  g_ptr_array_add (reply->headers, g_strdup (value));
}

void
reins_test_reply_add (ReinsTestReply *reply,
                      guint           delay_ms,
                      const char     *data,
                      gssize          length)
{
  Piece piece = { g_bytes_new (data, length < 0 ? strlen (data) : (gsize) length), delay_ms };

  g_array_append_val (reply->pieces, piece);
}

/* The method of the request being answered (GET, POST, DELETE …); in the handler only. */
const char *
reins_test_reply_get_method (ReinsTestReply *reply)
{
  return soup_server_message_get_method (reply->request);
}

/* The query of the request being answered (undecoded), or NULL; in the handler only. */
const char *
reins_test_reply_get_query (ReinsTestReply *reply)
{
  return g_uri_get_query (soup_server_message_get_uri (reply->request));
}

/* A header of the request being answered, or NULL; in the handler only. */
const char *
reins_test_reply_get_header (ReinsTestReply *reply,
                             const char     *name)
{
  return soup_message_headers_get_one (soup_server_message_get_request_headers (reply->request),
                                       name);
}

/* A piece made when it can be: @func is called on the server thread every 10 ms until it
 * returns the piece (a server that waits for another request of the client). */
void
reins_test_reply_add_func (ReinsTestReply     *reply,
                           ReinsTestPieceFunc  func,
                           gpointer            user_data)
{
  Piece piece = { NULL, 0, func, user_data };

  g_array_append_val (reply->pieces, piece);
}

void
reins_test_reply_abort (ReinsTestReply *reply)
{
  reply->abort = TRUE;
}

static void
writer_free (gpointer data)
{
  Writer *writer = data;

  g_ptr_array_remove_fast (writer->server->writers, writer);
  if (writer->source != NULL)
    g_source_destroy (writer->source);
  g_signal_handlers_disconnect_by_data (writer->msg, writer);
  g_object_unref (writer->msg);
  reply_free (writer->reply);
  g_free (writer);
}

static void
msg_finished_cb (SoupServerMessage *msg,
                 Writer            *writer)
{
  writer->finished = TRUE;
}

static void schedule_next (Writer *writer);

static gboolean
write_piece_cb (gpointer data)
{
  Writer *writer = data;
  SoupMessageBody *body = soup_server_message_get_response_body (writer->msg);

  writer->source = NULL;

  if (writer->finished)
    {
      writer_free (writer);
      return G_SOURCE_REMOVE;
    }

  if (writer->next < writer->reply->pieces->len)
    {
      Piece *piece = &g_array_index (writer->reply->pieces, Piece, writer->next);

      if (piece->func != NULL && piece->data == NULL)
        {
          char *text = piece->func (piece->func_data);

          if (text == NULL)
            {
              writer->source = g_timeout_source_new (10);
              g_source_set_callback (writer->source, write_piece_cb, writer, NULL);
              g_source_attach (writer->source, writer->server->context);
              g_source_unref (writer->source);
              return G_SOURCE_REMOVE;
            }
          piece->data = g_bytes_new_take (text, strlen (text));
        }
      writer->next++;
      soup_message_body_append_bytes (body, piece->data);
      soup_server_message_unpause (writer->msg);
      schedule_next (writer);
      return G_SOURCE_REMOVE;
    }

  if (writer->reply->abort)
    {
      GIOStream *io = soup_server_message_steal_connection (writer->msg);

      g_io_stream_close (io, NULL, NULL);
      g_object_unref (io);
    }
  else
    {
      soup_message_body_complete (body);
      soup_server_message_unpause (writer->msg);
    }
  writer_free (writer);
  return G_SOURCE_REMOVE;
}

static void
schedule_next (Writer *writer)
{
  guint delay = writer->next < writer->reply->pieces->len
                  ? g_array_index (writer->reply->pieces, Piece, writer->next).delay_ms
                  : writer->reply->abort ? 100 : 0;

  writer->source = g_timeout_source_new (delay);
  g_source_set_callback (writer->source, write_piece_cb, writer, NULL);
  g_source_attach (writer->source, writer->server->context);
  g_source_unref (writer->source);
}

static void
record_header (const char *name,
               const char *value,
               gpointer    data)
{
  g_hash_table_insert (data, g_ascii_strdown (name, -1), g_strdup (value));
}

static void
server_cb (SoupServer        *soup_server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  ReinsTestServer *self = user_data;
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (request_body);
  g_autofree char *body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  ReinsTestReply *reply = reply_new ();
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  Writer *writer;
  guint index;

  g_mutex_lock (&self->mutex);
  index = self->count++;
  g_free (self->last_body);
  self->last_body = g_strdup (body);
  g_free (self->last_path);
  self->last_path = g_strdup (path);
  g_hash_table_remove_all (self->last_headers);
  soup_message_headers_foreach (soup_server_message_get_request_headers (msg), record_header,
                                self->last_headers);
  g_mutex_unlock (&self->mutex);

  reply->request = msg;
  self->handler (path, body, index, reply, self->user_data);
  reply->request = NULL;

  soup_server_message_set_status (msg, reply->status, NULL);
  for (guint i = 0; i + 1 < reply->headers->len; i += 2)
    soup_message_headers_append (headers, g_ptr_array_index (reply->headers, i),
                                 g_ptr_array_index (reply->headers, i + 1));
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);

  writer = g_new0 (Writer, 1);
  writer->server = self;
  writer->msg = g_object_ref (msg);
  writer->reply = reply;
  g_ptr_array_add (self->writers, writer);
  g_signal_connect (msg, "finished", G_CALLBACK (msg_finished_cb), writer);
  soup_server_message_pause (msg);
  schedule_next (writer);
}

static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source,
             gpointer           user_data)
{
  ReinsTestServer *self = user_data;
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (connection, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (connection, NULL);
  g_autoptr(GError) error = NULL;

  if (!soup_server_accept_iostream (self->server, G_IO_STREAM (connection), local, remote,
                                    &error))
    g_warning ("Cannot serve a connection: %s", error->message);
  return TRUE;
}

static gpointer
server_thread (gpointer data)
{
  ReinsTestServer *self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) effective = NULL;

  g_main_context_push_thread_default (self->context);

  self->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (self->server, NULL, server_cb, self, NULL);

  /* We accept connections ourselves and hand them to the server: libsoup 3.2's own
   * listener leaks a socket per connection, which LeakSanitizer would report. */
  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, 0);
  self->service = g_socket_service_new ();
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), address,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                      &effective, &error))
    g_error ("Cannot listen on 127.0.0.1: %s", error->message);
  g_signal_connect (self->service, "incoming", G_CALLBACK (incoming_cb), self);
  g_socket_service_start (self->service);

  g_mutex_lock (&self->mutex);
  self->url = g_strdup_printf ("http://127.0.0.1:%u",
                               g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective)));
  self->ready = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);

  g_main_loop_run (self->loop);

  /* Drop replies still being written (a stalled one the client gave up on). */
  while (self->writers->len > 0)
    writer_free (g_ptr_array_index (self->writers, 0));

  g_socket_service_stop (self->service);
  g_socket_listener_close (G_SOCKET_LISTENER (self->service));
  g_clear_object (&self->service);
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

ReinsTestServer *
reins_test_server_new (ReinsTestHandler handler,
                       gpointer         user_data)
{
  ReinsTestServer *self = g_new0 (ReinsTestServer, 1);

  self->handler = handler;
  self->user_data = user_data;
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->writers = g_ptr_array_new ();
  self->last_headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);

  self->thread = g_thread_new ("test-server", server_thread, self);
  g_mutex_lock (&self->mutex);
  while (!self->ready)
    g_cond_wait (&self->cond, &self->mutex);
  g_mutex_unlock (&self->mutex);
  return self;
}

const char *
reins_test_server_get_url (ReinsTestServer *self)
{
  return self->url;
}

guint
reins_test_server_get_count (ReinsTestServer *self)
{
  guint count;

  g_mutex_lock (&self->mutex);
  count = self->count;
  g_mutex_unlock (&self->mutex);
  return count;
}

char *
reins_test_server_dup_body (ReinsTestServer *self)
{
  char *body;

  g_mutex_lock (&self->mutex);
  body = g_strdup (self->last_body);
  g_mutex_unlock (&self->mutex);
  return body;
}

char *
reins_test_server_dup_path (ReinsTestServer *self)
{
  char *path;

  g_mutex_lock (&self->mutex);
  path = g_strdup (self->last_path);
  g_mutex_unlock (&self->mutex);
  return path;
}

char *
reins_test_server_dup_header (ReinsTestServer *self,
                              const char      *name)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);
  char *value;

  g_mutex_lock (&self->mutex);
  value = g_strdup (g_hash_table_lookup (self->last_headers, lower));
  g_mutex_unlock (&self->mutex);
  return value;
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

void
reins_test_server_free (ReinsTestServer *self)
{
  if (self == NULL)
    return;

  g_main_context_invoke (self->context, quit_cb, self->loop);
  g_thread_join (self->thread);
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_ptr_array_unref (self->writers);
  g_hash_table_unref (self->last_headers);
  g_free (self->last_body);
  g_free (self->last_path);
  g_free (self->url);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_free (self);
}

/* Provider faults. */

guint reins_test_fault_depth = 100000;

static void
add_sse_event (ReinsTestReply *reply,
               JsonNode       *event)
{
  g_autofree char *json = json_to_string (event, FALSE);
  g_autofree char *line = g_strdup_printf ("data: %s\n\n", json);

  reins_test_reply_add (reply, 0, line, -1);
}

/* One stream chunk holding tool-call fragments: (index, id, name, arguments) per call. */
static JsonNode *
tool_chunk (guint               n_calls,
            const char * const *calls,
            const char         *finish_reason)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "choices");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "index");
  json_builder_add_int_value (b, 0);
  json_builder_set_member_name (b, "delta");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "tool_calls");
  json_builder_begin_array (b);
  for (guint i = 0; i < n_calls; i++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "index");
      json_builder_add_int_value (b, i);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, calls[i * 3]);
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, "function");
      json_builder_set_member_name (b, "function");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, calls[i * 3 + 1]);
      json_builder_set_member_name (b, "arguments");
      json_builder_add_string_value (b, calls[i * 3 + 2]);
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "finish_reason");
  if (finish_reason != NULL)
    json_builder_add_string_value (b, finish_reason);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
add_tool_calls (ReinsTestReply     *reply,
                guint               n_calls,
                const char * const *calls,
                const char         *finish_reason)
{
  g_autoptr(JsonNode) chunk = tool_chunk (n_calls, calls, finish_reason);

  reins_test_reply_add_header (reply, "Content-Type", "text/event-stream");
  add_sse_event (reply, chunk);
  reins_test_reply_add (reply, 0, "data: [DONE]\n\n", -1);
}

void
reins_test_reply_tool_call (ReinsTestReply *reply,
                            const char     *name,
                            const char     *arguments)
{
  const char *call[] = { "call_1", name, arguments };

  add_tool_calls (reply, 1, call, "tool_calls");
}

void
reins_test_fault_reply (ReinsTestReply *reply,
                        ReinsTestFault  fault)
{
  switch (fault)
    {
    case REINS_TEST_FAULT_DRIP:
      reins_test_reply_add_header (reply, "Content-Type", "text/event-stream");
      for (guint i = 0; i < 3000; i++)
        reins_test_reply_add (reply, i == 0 ? 0 : 100, ": keep-alive\n\n", -1);
      break;

    case REINS_TEST_FAULT_SILENT:
      /* The first piece is what releases the headers; it comes after ten minutes. */
      reins_test_reply_add (reply, 600000, "", 0);
      break;

    case REINS_TEST_FAULT_DEEP:
      {
        g_autoptr(GString) data = g_string_new ("data: {\"choices\":[{\"index\":0,\"delta\":"
                                                "{\"content\":\"x\"},\"deep\":");

        for (guint i = 0; i < reins_test_fault_depth; i++)
          g_string_append_c (data, '[');
        for (guint i = 0; i < reins_test_fault_depth; i++)
          g_string_append_c (data, ']');
        g_string_append (data, "}]}\n\n");
        reins_test_reply_add_header (reply, "Content-Type", "text/event-stream");
        reins_test_reply_add (reply, 0, data->str, data->len);
        reins_test_reply_add (reply, 0, "data: [DONE]\n\n", -1);
      }
      break;

    case REINS_TEST_FAULT_TRUNCATED_ARGS:
      {
        const char *call[] = { "call_t", "finish", "{\"answer\": \"The capital of Fr" };

        add_tool_calls (reply, 1, call, "length");
      }
      break;

    case REINS_TEST_FAULT_SEVERAL_CALLS:
      {
        const char *calls[] = {
          "call_1", "calculator", "{\"expression\": \"1 + 1\"}",
          "call_2", "calculator", "{\"expression\": \"2 + 2\"}",
          "call_3", "finish", "{\"answer\": \"guessed\"}",
        };

        add_tool_calls (reply, 3, calls, "tool_calls");
      }
      break;

    case REINS_TEST_FAULT_INVALID_ESCAPE:
      reins_test_reply_add_header (reply, "Content-Type", "text/event-stream");
      reins_test_reply_add (reply, 0, "data: {\"choices\":[{\"index\":0,\"delta\":"
                                      "{\"content\":\"caf\\201\"},\"finish_reason\":\"stop\"}]}"
                                      "\n\ndata: [DONE]\n\n", -1);
      break;

    case REINS_TEST_FAULT_NUL_PATH:
      reins_test_reply_tool_call (reply, "read_file",
                                  "{\"path\": \"a.txt\\u0000/../../etc/passwd\"}");
      break;

    default:
      g_assert_not_reached ();
    }
}
