/* reins-import-builder.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A run built from a trace: tool calls become steps paired with their results by call id,
 * a reply without a tool call is a step of its own, a person's later turn is a step whose
 * observation is what they said, and the last reply, when it ends the trace, is the answer
 * (a `finish` step). What does not map is kept in the run's settings as a note.
 */

#include "config.h"


#include <glib/gi18n.h>

#include "reins-import-private.h"
#include "reins-json-util.h"

/* A member that is a string, or %NULL: traces from outside are read forgivingly. */
const char *
reins_import_string_member (JsonObject *object,
                            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* A member that is an object, or %NULL (also when @object is %NULL). */
JsonObject *
reins_import_object_member (JsonObject *object,
                            const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* A member that is a number, or a string of one (64-bit integers often come as strings);
 * @fallback otherwise. */
gint64
reins_import_int_member (JsonObject *object,
                         const char *member,
                         gint64      fallback)
{
  JsonNode *node = json_object_get_member (object, member);
  const char *text;
  char *end = NULL;
  gint64 value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return json_node_get_int (node);
    case G_TYPE_DOUBLE:
      {
        double number = json_node_get_double (node);

        return reins_json_double_is_int64 (number) ? (gint64) number : fallback;
      }
    case G_TYPE_STRING:
      text = json_node_get_string (node);
      value = g_ascii_strtoll (text, &end, 10);
      return end != text && *end == '\0' ? value : fallback;
    default:
      return fallback;
    }
}

ReinsImportBuilder *
reins_import_builder_new (const char *format)
{
  ReinsImportBuilder *self = g_new0 (ReinsImportBuilder, 1);

  self->format = g_strdup (format);
  self->steps = g_ptr_array_new_with_free_func (g_object_unref);
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->labels = json_object_new ();
  self->notes = json_array_new ();
  self->tools = json_array_new ();
  self->run_id = g_strdup ("");
  return self;
}

void
reins_import_builder_free (ReinsImportBuilder *self)
{
  if (self == NULL)
    return;
  g_free (self->run_id);
  g_free (self->format);
  g_free (self->task);
  g_free (self->model);
  g_free (self->system);
  g_free (self->final_answer);
  g_ptr_array_unref (self->steps);
  g_hash_table_unref (self->pending);
  json_object_unref (self->labels);
  json_array_unref (self->notes);
  json_array_unref (self->tools);
  g_free (self);
}

ReinsStep *
reins_import_builder_add_step (ReinsImportBuilder *self)
{
  ReinsStep *step = reins_step_new (NULL, self->steps->len + 1);

  g_ptr_array_add (self->steps, step);
  return step;
}

void
reins_import_builder_note (ReinsImportBuilder *self,
                           const char         *format,
                           ...)
{
  va_list args;
  g_autofree char *text = NULL;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  json_array_add_string_element (self->notes, text);
}

/* System (or developer) messages, in order: a trace may have several. */
void
reins_import_builder_system (ReinsImportBuilder *self,
                             const char         *text)
{
  if (text == NULL || *text == '\0')
    return;
  if (self->system == NULL)
    self->system = g_strdup (text);
  else
    {
      char *both = g_strconcat (self->system, "\n\n", text, NULL);

      g_free (self->system);
      self->system = both;
    }
}

/* The id of the oldest call still waiting for its result, of tool @name when not %NULL. */
const char *
reins_import_builder_waiting_call (ReinsImportBuilder *self,
                                   const char         *name)
{
  for (guint i = 0; i < self->steps->len; i++)
    {
      ReinsAction *action = reins_step_get_action (g_ptr_array_index (self->steps, i));
      const char *id = action != NULL ? reins_action_get_call_id (action) : NULL;

      if (id == NULL || !g_hash_table_contains (self->pending, id) ||
          g_hash_table_lookup (self->pending, id) != g_ptr_array_index (self->steps, i))
        continue;
      if (name == NULL || g_str_equal (reins_action_get_name (action), name))
        return id;
    }
  return NULL;
}

/* The first thing a person says is the task; anything later is a step of its own. */
void
reins_import_builder_user_turn (ReinsImportBuilder *self,
                                const char         *text)
{
  ReinsStep *step;

  if (self->task == NULL)
    {
      self->task = g_strdup (text);
      return;
    }
  step = reins_import_builder_add_step (self);
  reins_step_set_observation (step, text);
}

ReinsStep *
reins_import_builder_tool_call (ReinsImportBuilder *self,
                                const char         *name,
                                JsonNode           *arguments,
                                const char         *call_id)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(ReinsAction) action = NULL;
  ReinsStep *step;

  if (arguments != NULL && JSON_NODE_HOLDS_OBJECT (arguments))
    object = reins_json_object_deep_copy (json_node_get_object (arguments));
  else
    {
      object = json_object_new ();
      if (arguments != NULL && !JSON_NODE_HOLDS_NULL (arguments))
        {
          g_autofree char *text = reins_json_to_string (arguments, FALSE);

          json_object_set_member (object, "input", reins_json_node_deep_copy (arguments));
          reins_import_builder_note (self, _("The arguments of a call of “%s” are not an "
                                             "object (%s); they are kept as “input”."),
                                     name, text);
        }
    }

  action = reins_action_new_with_id (name != NULL && *name != '\0' ? name : "unknown",
                                     object, call_id);
  step = reins_import_builder_add_step (self);
  reins_step_set_action (step, action);
  if (call_id != NULL && *call_id != '\0')
    {
      if (g_hash_table_contains (self->pending, call_id))
        reins_import_builder_note (self, _("The call id “%s” is used twice; its first call "
                                           "gets no result."), call_id);
      g_hash_table_replace (self->pending, g_strdup (call_id), step);
    }
  return step;
}

gboolean
reins_import_builder_tool_result (ReinsImportBuilder *self,
                                  const char         *call_id,
                                  const char         *text,
                                  gboolean            is_error)
{
  ReinsStep *step = call_id != NULL ? g_hash_table_lookup (self->pending, call_id) : NULL;

  if (step == NULL)
    {
      reins_import_builder_note (self, _("A tool result answers the call “%s”, which is not "
                                         "in the trace: %s"),
                                 call_id != NULL ? call_id : "", text != NULL ? text : "");
      return FALSE;
    }
  reins_step_set_observation (step, text != NULL ? text : "");
  reins_step_set_tool_error (step, is_error);
  g_hash_table_remove (self->pending, call_id);
  return TRUE;
}

static gboolean
is_scalar (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node);
}

/* Members of a conversation other than its messages: scalars (and the scalars of a
 * "metadata" object) are labels, anything else a note. */
void
reins_import_builder_metadata (ReinsImportBuilder *self,
                               JsonObject         *object,
                               const char * const *skip)
{
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &member, &node))
    {
      if (skip != NULL && g_strv_contains (skip, member))
        continue;
      if (JSON_NODE_HOLDS_NULL (node))
        continue;
      if (is_scalar (node))
        json_object_set_member (self->labels, member, json_node_copy (node));
      else if (JSON_NODE_HOLDS_OBJECT (node) &&
               (g_str_equal (member, "metadata") || g_str_equal (member, "labels")))
        reins_import_builder_metadata (self, json_node_get_object (node), NULL);
      else
        {
          g_autofree char *text = reins_json_to_string (node, FALSE);

          reins_import_builder_note (self, _("“%s” is not imported: %s"), member, text);
        }
    }
}

/* A run id that follows from the content: the same conversation gets the same id. */
static char *
id_from_hash (const char *sha256)
{
  char id[37];
  const char *h = sha256;

  g_snprintf (id, sizeof id, "%.8s-%.4s-8%.3s-%c%.3s-%.12s", h, h + 8, h + 13,
              "89ab"[g_ascii_xdigit_value (h[16]) & 3], h + 17, h + 20);
  return g_strdup (id);
}

/**
 * reins_import_builder_finish:
 * @sha256: the digest of the trace's content; the run id follows from it
 *
 * Returns: (transfer full): the run, with its steps in @steps
 */
ReinsRun *
reins_import_builder_finish (ReinsImportBuilder  *self,
                             const char          *file,
                             guint                line,
                             const char          *sha256,
                             GPtrArray          **steps)
{
  g_autoptr(ReinsRun) run = reins_run_new (self->task != NULL ? self->task : "");
  g_autoptr(JsonObject) settings = json_object_new ();
  JsonObject *source = json_object_new ();
  ReinsStep *last = self->steps->len > 0 ? g_ptr_array_index (self->steps, self->steps->len - 1)
                                         : NULL;
  g_autofree char *id = id_from_hash (sha256);
  guint64 input_tokens = 0, output_tokens = 0;
  GHashTableIter iter;
  gpointer call_id;

  if (self->task == NULL)
    reins_import_builder_note (self, _("The trace has no message from a person; the run has "
                                       "no task."));

  /* The last reply without a tool call ends the run with its answer. */
  if (last != NULL && reins_step_get_action (last) == NULL &&
      reins_step_get_observation (last) == NULL && reins_step_get_reply (last) != NULL)
    {
      g_autoptr(JsonObject) arguments = json_object_new ();
      g_autoptr(ReinsAction) finish = NULL;

      json_object_set_string_member (arguments, "answer", reins_step_get_reply (last));
      finish = reins_action_new ("finish", arguments);
      reins_step_set_action (last, finish);
      g_free (self->final_answer);
      self->final_answer = g_strdup (reins_step_get_reply (last));
    }

  if (self->final_answer == NULL && last != NULL && reins_step_get_action (last) != NULL &&
      g_str_equal (reins_action_get_name (reins_step_get_action (last)), "finish"))
    self->final_answer =
      g_strdup (reins_action_get_string_argument (reins_step_get_action (last), "answer"));

  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, &call_id, NULL))
    reins_import_builder_note (self, _("The call “%s” has no result in the trace."),
                               (char *) call_id);

  reins_run_set_id (run, id);
  reins_run_set_provider (run, "imported");
  reins_run_set_model (run, self->model != NULL ? self->model : "");
  if (self->started_at > 0)
    reins_run_set_created_at (run, self->started_at);
  reins_run_set_finished_at (run, reins_run_get_created_at (run));

  json_object_set_string_member (source, "format", self->format);
  json_object_set_string_member (source, "file", file != NULL ? file : "");
  json_object_set_int_member (source, "line", line);
  json_object_set_string_member (source, "sha256", sha256);
  json_object_set_object_member (settings, "source", source);
  json_object_set_object_member (settings, "labels", json_object_ref (self->labels));
  if (json_array_get_length (self->notes) > 0)
    json_object_set_array_member (settings, "import_notes", json_array_ref (self->notes));
  if (self->system != NULL)
    json_object_set_string_member (settings, "system_prompt", self->system);
  if (json_array_get_length (self->tools) > 0)
    json_object_set_array_member (settings, "imported_tools", json_array_ref (self->tools));
  /* The trace's tools are not Reins tools: a replay knows only `finish`. */
  json_object_set_array_member (settings, "tools", json_array_new ());
  reins_run_set_settings (run, settings);

  for (guint i = 0; i < self->steps->len; i++)
    {
      ReinsStep *step = g_ptr_array_index (self->steps, i);

      reins_step_set_run_id (step, id);
      input_tokens += reins_step_get_input_tokens (step);
      output_tokens += reins_step_get_output_tokens (step);
    }
  reins_run_set_tokens (run, input_tokens, output_tokens);
  reins_run_set_step_count (run, self->steps->len);

  if (self->final_answer != NULL)
    {
      reins_run_set_final_answer (run, self->final_answer);
      reins_run_set_status (run, REINS_RUN_STATUS_COMPLETED);
    }
  else
    {
      reins_run_set_status (run, REINS_RUN_STATUS_TERMINATED);
      reins_run_set_reason (run, _("The imported trace ends without a final answer."));
    }

  *steps = g_ptr_array_ref (self->steps);
  return g_steal_pointer (&run);
}
