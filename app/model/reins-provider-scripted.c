/* reins-provider-scripted.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The `scripted` provider: replays the responses of a JSON file, one per chat call, for
 * tests, demos and bug reports. The format is in docs/providers.md.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "reins-provider-scripted.h"

struct _ReinsProviderScripted
{
  GObject    parent_instance;

  char      *path;
  GPtrArray *responses;       /* (element-type JsonObject), validated at creation */
  GPtrArray *critic_responses; /* the same, for critic calls (their own sequence) */
  gboolean   repeat_last;
  guint      stream_delay_ms;

  GMutex     mutex;
  guint      next;            /* guarded by @mutex */
  guint      next_critic;     /* guarded by @mutex */
};

static void reins_provider_scripted_iface_init (ReinsProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ReinsProviderScripted, reins_provider_scripted, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (REINS_TYPE_PROVIDER,
                                                      reins_provider_scripted_iface_init))

static gboolean
script_error (GError     **error,
              const char  *path,
              guint        index,
              const char  *what)
{
  g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
               _("Malformed script “%s”: response %u: %s"), path, index + 1, what);
  return FALSE;
}

static gboolean
node_is (JsonNode *node,
         GType     type)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

static gboolean
node_is_number (JsonNode *node)
{
  return node_is (node, G_TYPE_INT64) || node_is (node, G_TYPE_DOUBLE);
}

static gboolean
node_is_absent (JsonNode *node)
{
  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

/* Checks one response object so that a bad script fails when it is loaded, not mid-run. */
static gboolean
validate_response (JsonNode    *node,
                   const char  *path,
                   guint        index,
                   GError     **error)
{
  JsonObject *o;
  JsonNode *m;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return script_error (error, path, index, _("not an object"));
  o = json_node_get_object (node);

  m = json_object_get_member (o, "text");
  if (!node_is_absent (m) && !node_is (m, G_TYPE_STRING))
    return script_error (error, path, index, _("“text” is not a string"));

  m = json_object_get_member (o, "tool_calls");
  if (!node_is_absent (m))
    {
      JsonArray *calls;

      if (!JSON_NODE_HOLDS_ARRAY (m))
        return script_error (error, path, index, _("“tool_calls” is not an array"));
      calls = json_node_get_array (m);
      for (guint i = 0; i < json_array_get_length (calls); i++)
        {
          JsonNode *call = json_array_get_element (calls, i);
          JsonNode *args;
          const char *name;

          if (!JSON_NODE_HOLDS_OBJECT (call))
            return script_error (error, path, index, _("a tool call is not an object"));
          name = json_object_get_string_member_with_default (json_node_get_object (call),
                                                             "name", NULL);
          if (name == NULL || *name == '\0')
            return script_error (error, path, index, _("a tool call has no “name”"));
          m = json_object_get_member (json_node_get_object (call), "id");
          if (!node_is_absent (m) && !node_is (m, G_TYPE_STRING))
            return script_error (error, path, index, _("a tool call “id” is not a string"));
          args = json_object_get_member (json_node_get_object (call), "arguments");
          if (!node_is_absent (args) && !JSON_NODE_HOLDS_OBJECT (args))
            return script_error (error, path, index,
                                 _("tool call “arguments” must be an object"));
        }
    }

  m = json_object_get_member (o, "logprobs");
  if (!node_is_absent (m))
    {
      JsonArray *lps;

      if (!JSON_NODE_HOLDS_ARRAY (m))
        return script_error (error, path, index, _("“logprobs” is not an array"));
      lps = json_node_get_array (m);
      for (guint i = 0; i < json_array_get_length (lps); i++)
        {
          JsonNode *lp = json_array_get_element (lps, i);
          JsonNode *v;

          if (!JSON_NODE_HOLDS_OBJECT (lp))
            return script_error (error, path, index, _("a log-probability is not an object"));
          v = json_object_get_member (json_node_get_object (lp), "token");
          if (!node_is (v, G_TYPE_STRING))
            return script_error (error, path, index, _("a log-probability has no “token”"));
          v = json_object_get_member (json_node_get_object (lp), "logprob");
          if (!node_is_absent (v) && !node_is_number (v))
            return script_error (error, path, index, _("a “logprob” is not a number"));
        }
    }

  m = json_object_get_member (o, "usage");
  if (!node_is_absent (m))
    {
      JsonObject *usage;

      if (!JSON_NODE_HOLDS_OBJECT (m))
        return script_error (error, path, index, _("“usage” is not an object"));
      usage = json_node_get_object (m);
      for (guint i = 0; i < 2; i++)
        {
          const char *member = i == 0 ? "input_tokens" : "output_tokens";
          JsonNode *v = json_object_get_member (usage, member);

          if (!node_is_absent (v) && (!node_is (v, G_TYPE_INT64) || json_node_get_int (v) < 0))
            return script_error (error, path, index, _("token counts must be whole numbers"));
        }
    }

  m = json_object_get_member (o, "finish_reason");
  if (!node_is_absent (m) && !node_is (m, G_TYPE_STRING))
    return script_error (error, path, index, _("“finish_reason” is not a string"));

  m = json_object_get_member (o, "delay_ms");
  if (!node_is_absent (m) && (!node_is (m, G_TYPE_INT64) || json_node_get_int (m) < 0 ||
                              json_node_get_int (m) > 600000))
    return script_error (error, path, index, _("“delay_ms” must be 0 … 600000"));

  m = json_object_get_member (o, "error");
  if (!node_is_absent (m))
    {
      if (!JSON_NODE_HOLDS_OBJECT (m) ||
          !node_is (json_object_get_member (json_node_get_object (m), "message"), G_TYPE_STRING))
        return script_error (error, path, index, _("“error” needs a “message”"));
    }

  return TRUE;
}

/* Waits @ms milliseconds, or less if @cancellable is triggered. */
static gboolean
sleep_cancellable (guint          ms,
                   GCancellable  *cancellable,
                   GError       **error)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      g_usleep (MIN (10 * G_TIME_SPAN_MILLISECOND, end - g_get_monotonic_time () + 1));
    }
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

static ReinsChatResponse *
build_response (JsonObject  *o,
                guint        index,
                GError     **error)
{
  g_autoptr(ReinsChatResponse) response = reins_chat_response_new ();
  JsonNode *m;
  gsize text_offset = 0, call_offset = 0;

  m = json_object_get_member (o, "error");
  if (!node_is_absent (m))
    {
      JsonObject *e = json_node_get_object (m);
      const char *code = json_object_get_string_member_with_default (e, "code", "provider");

      g_set_error_literal (error, REINS_ERROR, reins_provider_error_from_string (code),
                           json_object_get_string_member (e, "message"));
      return NULL;
    }

  g_free (response->text);
  response->text = g_strdup (json_object_get_string_member_with_default (o, "text", ""));

  m = json_object_get_member (o, "tool_calls");
  if (!node_is_absent (m))
    {
      JsonArray *calls = json_node_get_array (m);

      for (guint i = 0; i < json_array_get_length (calls); i++)
        {
          JsonObject *call = json_array_get_object_element (calls, i);
          JsonNode *args = json_object_get_member (call, "arguments");
          const char *id = json_object_get_string_member_with_default (call, "id", NULL);
          g_autofree char *made_id = id == NULL ? g_strdup_printf ("call_%u_%u", index + 1, i) : NULL;

          g_ptr_array_add (response->tool_calls,
                           reins_action_new_with_id (json_object_get_string_member (call, "name"),
                                                     node_is_absent (args)
                                                       ? NULL : json_node_get_object (args),
                                                     id != NULL ? id : made_id));
        }
    }

  m = json_object_get_member (o, "logprobs");
  if (!node_is_absent (m))
    {
      JsonArray *lps = json_node_get_array (m);

      for (guint i = 0; i < json_array_get_length (lps); i++)
        {
          JsonObject *lp = json_array_get_object_element (lps, i);
          JsonNode *v = json_object_get_member (lp, "logprob");
          const char *token = json_object_get_string_member (lp, "token");
          gboolean in_call = json_object_get_boolean_member_with_default (lp, "in_tool_call",
                                                                          FALSE);
          gsize *offset = in_call ? &call_offset : &text_offset;
          gint64 given = json_object_get_int_member_with_default (lp, "offset", -1);

          if (given >= 0)
            *offset = given;
          /* A null log-probability is kept as NaN: the confidence code must cope with it. */
          reins_chat_response_add_logprob (response, token,
                                           node_is_absent (v) ? NAN : json_node_get_double (v),
                                           *offset, in_call);
          *offset += strlen (token);
        }
    }

  m = json_object_get_member (o, "usage");
  if (!node_is_absent (m))
    {
      JsonObject *usage = json_node_get_object (m);

      response->input_tokens = json_object_get_int_member_with_default (usage, "input_tokens", 0);
      response->output_tokens = json_object_get_int_member_with_default (usage, "output_tokens", 0);
      response->usage_reported = TRUE;
    }
  else
    {
      response->output_tokens = MAX (1, strlen (response->text) / 4);
    }

  response->finish_reason =
    g_strdup (json_object_get_string_member_with_default (o, "finish_reason",
                                                          response->tool_calls->len > 0
                                                            ? "tool_calls" : "stop"));
  {
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), o);
    response->raw_response = json_to_string (node, FALSE);
  }

  return g_steal_pointer (&response);
}

static ReinsChatResponse *
reins_provider_scripted_chat (ReinsProvider     *provider,
                              ReinsChatRequest  *request,
                              ReinsTokenFunc     token_func,
                              gpointer           token_data,
                              GCancellable      *cancellable,
                              GError           **error)
{
  ReinsProviderScripted *self = REINS_PROVIDER_SCRIPTED (provider);
  g_autoptr(ReinsChatResponse) response = NULL;
  g_autoptr(JsonNode) raw_request = NULL;
  JsonObject *o;
  guint index;

  /* A critic call takes the next of "critic_responses", so adding a critic to a run does
   * not shift the replies of its steps. */
  if (request->purpose == REINS_CHAT_PURPOSE_CRITIC)
    {
      g_mutex_lock (&self->mutex);
      index = self->next_critic++;
      g_mutex_unlock (&self->mutex);

      if (index >= self->critic_responses->len)
        {
          g_set_error (error, REINS_ERROR, REINS_ERROR_PROVIDER,
                       _("The script “%s” has %u critic responses; there is none for critic "
                         "call %u"), self->path, self->critic_responses->len, index + 1);
          return NULL;
        }
      o = g_ptr_array_index (self->critic_responses, index);
      goto respond;
    }

  g_mutex_lock (&self->mutex);
  index = self->next++;
  g_mutex_unlock (&self->mutex);

  if (index >= self->responses->len)
    {
      if (!self->repeat_last || self->responses->len == 0)
        {
          g_set_error (error, REINS_ERROR, REINS_ERROR_PROVIDER,
                       _("The script “%s” has %u responses; there is none for call %u"),
                       self->path, self->responses->len, index + 1);
          return NULL;
        }
      index = self->responses->len - 1;
    }
  o = g_ptr_array_index (self->responses, index);

respond:
  if (!sleep_cancellable (json_object_get_int_member_with_default (o, "delay_ms", 0),
                          cancellable, error))
    return NULL;

  response = build_response (o, index, error);
  if (response == NULL)
    return NULL;

  raw_request = reins_chat_request_to_json (request);
  response->raw_request = json_to_string (raw_request, FALSE);
  if (!response->usage_reported)
    {
      gsize chars = 0;

      for (guint i = 0; i < request->messages->len; i++)
        chars += strlen (((ReinsChatMessage *) g_ptr_array_index (request->messages, i))->content);
      response->input_tokens = MAX (1, chars / 4);
    }

  if (token_func != NULL && request->stream)
    {
      for (const char *p = response->text; *p != '\0';)
        {
          const char *end = p;
          g_autofree char *chunk = NULL;

          for (guint n = 0; n < 8 && *end != '\0'; n++)
            end = g_utf8_next_char (end);
          if (self->stream_delay_ms > 0 &&
              !sleep_cancellable (self->stream_delay_ms, cancellable, error))
            return NULL;
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return NULL;
          chunk = g_strndup (p, end - p);
          token_func (chunk, token_data);
          p = end;
        }
    }

  return g_steal_pointer (&response);
}

static const char *
reins_provider_scripted_get_name (ReinsProvider *provider)
{
  return "scripted";
}

static void
reins_provider_scripted_finalize (GObject *object)
{
  ReinsProviderScripted *self = (ReinsProviderScripted *)object;

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->responses, g_ptr_array_unref);
  g_clear_pointer (&self->critic_responses, g_ptr_array_unref);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (reins_provider_scripted_parent_class)->finalize (object);
}

static void
reins_provider_scripted_class_init (ReinsProviderScriptedClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = reins_provider_scripted_finalize;
}

static void
reins_provider_scripted_iface_init (ReinsProviderInterface *iface)
{
  iface->get_name = reins_provider_scripted_get_name;
  iface->chat = reins_provider_scripted_chat;
}

static void
reins_provider_scripted_init (ReinsProviderScripted *self)
{
  g_mutex_init (&self->mutex);
  self->responses = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->critic_responses = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
}

/* A script is a regular file of at most 16 MB, read whole. Anything else — a FIFO, a device
 * (--script=/dev/zero), a directory — is refused before a read could block the worker for
 * ever or never end. */
#define SCRIPT_MAX_BYTES (16 * 1024 * 1024)

static char *
read_script (const char  *path,
             gsize       *length,
             GError     **error)
{
  g_autoptr(GString) text = NULL;
  struct stat st;
  int fd;

  /* Non-blocking: opening a FIFO for reading otherwise waits for a writer. */
  fd = g_open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, REINS_ERROR, saved == ENOENT ? REINS_ERROR_NOT_FOUND
                                                       : REINS_ERROR_INVALID_DATA,
                   _("Cannot read the script “%s”: %s"), path, g_strerror (saved));
      return NULL;
    }

  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_close (fd, NULL);
      g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
                   _("The script “%s” is not a regular file"), path);
      return NULL;
    }
  if (st.st_size > SCRIPT_MAX_BYTES)
    {
      g_close (fd, NULL);
      g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
                   _("The script “%s” is larger than %d MB"), path,
                   SCRIPT_MAX_BYTES / (1024 * 1024));
      return NULL;
    }

  text = g_string_sized_new ((gsize) st.st_size + 1);
  for (;;)
    {
      char buffer[65536];
      gssize n = read (fd, buffer, sizeof buffer);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          g_close (fd, NULL);
          g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                       _("Cannot read the script “%s”: %s"), path, g_strerror (saved));
          return NULL;
        }
      if (n == 0)
        break;
      if (text->len + (gsize) n > SCRIPT_MAX_BYTES)
        {
          g_close (fd, NULL);
          g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
                       _("The script “%s” is larger than %d MB"), path,
                       SCRIPT_MAX_BYTES / (1024 * 1024));
          return NULL;
        }
      g_string_append_len (text, buffer, n);
    }
  g_close (fd, NULL);

  *length = text->len;
  return g_string_free (g_steal_pointer (&text), FALSE);
}

ReinsProvider *
reins_provider_scripted_new (const ReinsProviderConfig  *config,
                             GError                    **error)
{
  g_autoptr(ReinsProviderScripted) self = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  gsize length = 0;
  JsonNode *m;
  JsonObject *o;

  g_return_val_if_fail (config != NULL, NULL);

  if (config->script_path == NULL || config->script_path[0] == '\0')
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_USAGE,
                           _("The scripted provider needs a script file (--script=FILE)"));
      return NULL;
    }

  /* The script is what the person named on the command line: whatever is wrong with it is a
   * usage error (reins-cli exits 2), not a failed run. */
  text = read_script (config->script_path, &length, &local_error);
  if (text != NULL)
    root = reins_json_parse_bounded (text, length, REINS_JSON_MAX_DEPTH, &local_error);
  if (root == NULL)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
                   _("Cannot read the script “%s”: %s"), config->script_path,
                   local_error->message);
      return NULL;
    }

  self = g_object_new (REINS_TYPE_PROVIDER_SCRIPTED, NULL);
  self->path = g_strdup (config->script_path);
  self->stream_delay_ms = config->stream_delay_ms;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
                   _("Malformed script “%s”: expected an object with “responses”"),
                   config->script_path);
      return NULL;
    }
  o = json_node_get_object (root);

  m = json_object_get_member (o, "repeat_last");
  if (!node_is_absent (m) && !node_is (m, G_TYPE_BOOLEAN))
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
                   _("Malformed script “%s”: “repeat_last” is not a boolean"),
                   config->script_path);
      return NULL;
    }
  self->repeat_last = node_is_absent (m) ? FALSE : json_node_get_boolean (m);

  m = json_object_get_member (o, "responses");
  if (m == NULL || !JSON_NODE_HOLDS_ARRAY (m))
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
                   _("Malformed script “%s”: expected an array “responses”"),
                   config->script_path);
      return NULL;
    }

  for (guint i = 0; i < json_array_get_length (json_node_get_array (m)); i++)
    {
      JsonNode *r = json_array_get_element (json_node_get_array (m), i);

      if (!validate_response (r, config->script_path, i, error))
        return NULL;
      g_ptr_array_add (self->responses, json_object_ref (json_node_get_object (r)));
    }

  m = json_object_get_member (o, "critic_responses");
  if (!node_is_absent (m))
    {
      if (!JSON_NODE_HOLDS_ARRAY (m))
        {
          g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                       _("Malformed script “%s”: “critic_responses” is not an array"),
                       config->script_path);
          return NULL;
        }
      for (guint i = 0; i < json_array_get_length (json_node_get_array (m)); i++)
        {
          JsonNode *r = json_array_get_element (json_node_get_array (m), i);
          g_autoptr(GError) local = NULL;

          if (!validate_response (r, config->script_path, i, &local))
            {
              g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA, "%s (%s)",
                           local->message, _("in “critic_responses”"));
              return NULL;
            }
          g_ptr_array_add (self->critic_responses, json_object_ref (json_node_get_object (r)));
        }
    }

  return REINS_PROVIDER (g_steal_pointer (&self));
}
