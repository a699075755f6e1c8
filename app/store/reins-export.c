/* reins-export.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Exports of a run: JSON (complete, for programs) and Markdown (readable, for people).
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "reins-export.h"

/* Keys are never meant to be in a run's settings; if one slipped in, it does not leave. */
gboolean
reins_export_is_secret_key (const char *key)
{
  static const char *const words[] = {
    "api_key", "apikey", "api-key", "secret", "password", "passwd", "credential",
    "authorization", "access_token", "auth_token", "bearer",
  };
  g_autofree char *lower = NULL;

  if (key == NULL)
    return FALSE;
  lower = g_ascii_strdown (key, -1);
  /* "token" alone or as a suffix is a credential; "max_tokens" is not. */
  if (g_str_equal (lower, "token") || g_str_has_suffix (lower, "_token") ||
      g_str_has_suffix (lower, "-token"))
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (strstr (lower, words[i]) != NULL)
      return TRUE;
  return FALSE;
}

static JsonNode *
strip_secrets (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(JsonObject) copy = json_object_new ();
      JsonNode *result = json_node_new (JSON_NODE_OBJECT);
      g_autoptr(GList) members = json_object_get_members (object);

      for (const GList *l = members; l != NULL; l = l->next)
        if (!reins_export_is_secret_key (l->data))
          json_object_set_member (copy, l->data,
                                  strip_secrets (json_object_get_member (object, l->data)));
      json_node_set_object (result, copy);
      return result;
    }

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(JsonArray) copy = json_array_sized_new (json_array_get_length (array));
      JsonNode *result = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < json_array_get_length (array); i++)
        json_array_add_element (copy, strip_secrets (json_array_get_element (array, i)));
      json_node_set_array (result, copy);
      return result;
    }

  return json_node_copy (node);
}

/**
 * reins_export_run_node:
 * @steps: (element-type ReinsStep) (nullable): the run's steps, added as "steps"
 *
 * reins_run_to_json() without setting keys that look like secrets: what leaves the store
 * (an export, `list --json`, `show --json`) is built from this.
 *
 * Returns: (transfer full): the run object
 */
JsonNode *
reins_export_run_node (ReinsRun  *run,
                       GPtrArray *steps)
{
  JsonNode *root;
  JsonObject *object;
  JsonNode *settings;

  g_return_val_if_fail (REINS_IS_RUN (run), NULL);

  root = reins_run_to_json (run, steps);
  object = json_node_get_object (root);
  settings = json_object_get_member (object, "settings");
  if (settings != NULL)
    json_object_set_member (object, "settings", strip_secrets (settings));
  return root;
}

/**
 * reins_export_json:
 * @steps: (element-type ReinsStep) (nullable): the run's steps
 *
 * The run object of `show --json` with its "steps", pretty-printed; setting keys that look
 * like secrets are dropped.
 *
 * Returns: (transfer full): the JSON text, ending with a newline
 */
char *
reins_export_json (ReinsRun  *run,
                   GPtrArray *steps)
{
  return reins_export_json_labelled (run, steps, NULL, NULL);
}

/**
 * reins_export_add_labels:
 * @run_node: a run object from reins_export_run_node()
 * @tags: (nullable): the run's tags; %NULL adds nothing
 * @note: (nullable): the run's note
 *
 * Adds the person's "tags" (an array of strings, maybe empty) and "note" (a string, or
 * null without one) to the run object. Both are new members: nothing else changes.
 */
void
reins_export_add_labels (JsonNode           *run_node,
                         const char * const *tags,
                         const char         *note)
{
  JsonObject *object;
  JsonArray *array;

  g_return_if_fail (run_node != NULL && JSON_NODE_HOLDS_OBJECT (run_node));

  if (tags == NULL)
    return;

  object = json_node_get_object (run_node);
  array = json_array_new ();
  for (guint i = 0; tags[i] != NULL; i++)
    json_array_add_string_element (array, tags[i]);
  json_object_set_array_member (object, "tags", array);
  if (note != NULL)
    json_object_set_string_member (object, "note", note);
  else
    json_object_set_null_member (object, "note");
}

/**
 * reins_export_json_labelled:
 * @steps: (element-type ReinsStep) (nullable): the run's steps
 * @tags: (nullable): the run's tags, added as "tags" with "note"; %NULL adds neither
 * @note: (nullable): the run's note
 *
 * reins_export_json() with the person's tags and note.
 *
 * Returns: (transfer full): the JSON text, ending with a newline
 */
char *
reins_export_json_labelled (ReinsRun           *run,
                            GPtrArray          *steps,
                            const char * const *tags,
                            const char         *note)
{
  return reins_export_json_full (run, steps, tags, note, NULL, NULL);
}

/**
 * reins_export_add_feedback:
 * @run_node: a run object from reins_export_run_node()
 * @name: (nullable): the run's name
 * @feedback: (nullable) (element-type ReinsStepFeedback): the feedback on the run's steps;
 *   %NULL adds nothing
 *
 * Adds the person's "name" (a string, or null without one) and "feedback" (an array of
 * objects with "step", "rating" ("up" or "down") and "comment" (a string or null)) to the
 * run object. Both are new members: nothing else changes.
 */
void
reins_export_add_feedback (JsonNode   *run_node,
                           const char *name,
                           GPtrArray  *feedback)
{
  JsonObject *object;
  JsonArray *array;

  g_return_if_fail (run_node != NULL && JSON_NODE_HOLDS_OBJECT (run_node));

  if (feedback == NULL)
    return;

  object = json_node_get_object (run_node);
  if (name != NULL)
    json_object_set_string_member (object, "name", name);
  else
    json_object_set_null_member (object, "name");
  array = json_array_new ();
  for (guint i = 0; i < feedback->len; i++)
    {
      ReinsStepFeedback *item = g_ptr_array_index (feedback, i);
      JsonObject *entry = json_object_new ();

      json_object_set_int_member (entry, "step", item->step);
      json_object_set_string_member (entry, "rating", item->rating > 0 ? "up" : "down");
      if (item->comment != NULL)
        json_object_set_string_member (entry, "comment", item->comment);
      else
        json_object_set_null_member (entry, "comment");
      json_array_add_object_element (array, entry);
    }
  json_object_set_array_member (object, "feedback", array);
}

/**
 * reins_export_json_full:
 * @name: (nullable): the run's name, added as "name" with "feedback"
 * @feedback: (nullable) (element-type ReinsStepFeedback): %NULL adds neither
 *
 * reins_export_json_labelled() with the person's name for the run and feedback on steps.
 *
 * Returns: (transfer full): the JSON text, ending with a newline
 */
char *
reins_export_json_full (ReinsRun           *run,
                        GPtrArray          *steps,
                        const char * const *tags,
                        const char         *note,
                        const char         *name,
                        GPtrArray          *feedback)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) empty = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (REINS_IS_RUN (run), NULL);

  if (steps == NULL)
    steps = empty = g_ptr_array_new ();
  root = reins_export_run_node (run, steps);
  reins_export_add_labels (root, tags, note);
  reins_export_add_feedback (root, name, feedback);
  text = reins_json_to_string (root, TRUE);
  return g_strconcat (text, "\n", NULL);
}

/**
 * reins_export_read_labels:
 * @tags: (out) (transfer full): the run's tags, sorted; empty without any
 * @note: (out) (transfer full) (nullable): the run's note, %NULL without one
 *
 * Reads what the exports add with reins_export_add_labels() from @store.
 *
 * Returns: whether both were read; on an error neither is set
 */
gboolean
reins_export_read_labels (ReinsStore  *store,
                          const char  *run_id,
                          GStrv       *tags,
                          char       **note,
                          GError     **error)
{
  g_auto(GStrv) read_tags = NULL;
  g_autofree char *read_note = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (REINS_IS_STORE (store), FALSE);
  g_return_val_if_fail (run_id != NULL, FALSE);
  g_return_val_if_fail (tags != NULL && note != NULL, FALSE);

  read_tags = reins_store_get_labels (store, run_id, error);
  if (read_tags == NULL)
    return FALSE;
  read_note = reins_store_get_note (store, run_id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  *tags = g_steal_pointer (&read_tags);
  *note = g_steal_pointer (&read_note);
  return TRUE;
}

/**
 * reins_export_read_feedback:
 * @name: (out) (transfer full) (nullable): the run's name, %NULL without one
 * @feedback: (out) (transfer container): the feedback on its steps, in step order
 *
 * Reads what the exports add with reins_export_add_feedback() from @store.
 *
 * Returns: whether both were read; on an error neither is set
 */
gboolean
reins_export_read_feedback (ReinsStore  *store,
                            const char  *run_id,
                            char       **name,
                            GPtrArray  **feedback,
                            GError     **error)
{
  g_autofree char *read_name = NULL;
  g_autoptr(GPtrArray) read_feedback = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (REINS_IS_STORE (store), FALSE);
  g_return_val_if_fail (run_id != NULL, FALSE);
  g_return_val_if_fail (name != NULL && feedback != NULL, FALSE);

  read_name = reins_store_get_name (store, run_id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  read_feedback = reins_store_get_feedback (store, run_id, error);
  if (read_feedback == NULL)
    return FALSE;

  *name = g_steal_pointer (&read_name);
  *feedback = g_steal_pointer (&read_feedback);
  return TRUE;
}

/* Markdown */

/* Inline text: every character Markdown could read as markup is escaped, and line breaks
 * become spaces so a reason cannot start a heading, a list or a table row. */
static void
append_inline (GString    *out,
               const char *text)
{
  const char *p = text;

  if (text == NULL)
    return;

  /* What only means something at the start of a line: "- item", "+ item", "1. item" */
  if (*p == '-' || *p == '+')
    g_string_append_c (out, '\\');
  else if (g_ascii_isdigit (*p))
    {
      while (g_ascii_isdigit (*p))
        g_string_append_c (out, *p++);
      if (*p == '.' || *p == ')')
        g_string_append_c (out, '\\');
    }

  for (; *p != '\0'; p++)
    {
      if (*p == '\n' || *p == '\r' || *p == '\t')
        g_string_append_c (out, ' ');
      else if (strchr ("\\`*_{}[]<>#|~", *p) != NULL)
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
        }
      else
        g_string_append_c (out, *p);
    }
}

/* A fence longer than any run of backticks in @text, so the text cannot close it. */
static void
append_fenced (GString    *out,
               const char *info,
               const char *text)
{
  guint longest = 0, run = 0;
  g_autofree char *fence = NULL;

  for (const char *p = text; *p != '\0'; p++)
    {
      run = *p == '`' ? run + 1 : 0;
      longest = MAX (longest, run);
    }
  fence = g_strnfill (MAX (3, longest + 1), '`');

  g_string_append_printf (out, "%s%s\n%s", fence, info != NULL ? info : "", text);
  if (*text == '\0' || text[strlen (text) - 1] != '\n')
    g_string_append_c (out, '\n');
  g_string_append_printf (out, "%s\n\n", fence);
}

static void
append_field (GString    *out,
              const char *label,
              const char *value)
{
  g_string_append_printf (out, "| %s | ", label);
  if (value != NULL)
    {
      g_autoptr(GString) escaped = g_string_new (NULL);

      append_inline (escaped, value);
      g_string_append (out, escaped->str);
    }
  else
    g_string_append (out, "—");
  g_string_append (out, " |\n");
}

static char *
format_usd (double usd)
{
  return g_strdup_printf ("$%.4f", usd);
}

static const char *
confidence_source_text (ReinsConfidenceSource source)
{
  switch (source)
    {
    case REINS_CONFIDENCE_SOURCE_LOGPROBS:
      return _("from log-probabilities");
    case REINS_CONFIDENCE_SOURCE_SELF_REPORTED:
      return _("reported by the model");
    case REINS_CONFIDENCE_SOURCE_DEFAULT:
    default:
      return _("default value: no log-probabilities");
    }
}

static void
append_action (GString     *out,
               ReinsAction *action)
{
  g_autoptr(JsonNode) node = reins_action_to_json (action);
  g_autofree char *json = reins_json_to_string (node, TRUE);

  append_fenced (out, "json", json);
}

static void
append_observation (GString    *out,
                    const char *observation)
{
  glong length = g_utf8_strlen (observation, -1);

  if (length <= REINS_EXPORT_OBSERVATION_LIMIT)
    {
      append_fenced (out, "text", observation);
      return;
    }

  {
    const char *cut = g_utf8_offset_to_pointer (observation, REINS_EXPORT_OBSERVATION_LIMIT);
    g_autofree char *head = g_strndup (observation, cut - observation);
    glong rest = length - REINS_EXPORT_OBSERVATION_LIMIT;

    append_fenced (out, "text", head);
    g_string_append_printf (out,
                            ngettext ("[… %ld more character; the JSON export has all of it]",
                                      "[… %ld more characters; the JSON export has all of it]",
                                      rest),
                            rest);
    g_string_append (out, "\n\n");
  }
}

/* One decision of the audit trail: who decided what and when, what they were asked and
 * why, and for an edit the action before and after. */
static void
append_decision (GString             *out,
                 ReinsApprovalRecord *record)
{
  g_autofree char *summary = reins_approval_record_dup_summary (record);
  ReinsDecision decision = reins_approval_record_get_decision (record);
  gint64 requested = reins_approval_record_get_requested_at (record);
  gint64 resolved = reins_approval_record_get_resolved_at (record);

  g_string_append (out, "- **");
  append_inline (out, summary);
  g_string_append (out, "**");
  if (decision != REINS_DECISION_NONE && resolved > 0)
    {
      g_autofree char *when = reins_time_to_iso8601 (resolved);

      g_string_append_printf (out, " %s %s", _("at"), when);
      if (requested > 0 && resolved >= requested && !reins_approval_record_is_automatic (record))
        g_string_append_printf (out, " (%s %" G_GINT64_FORMAT " s)", _("after"),
                                (resolved - requested) / G_USEC_PER_SEC);
    }
  g_string_append_printf (out, " — %s ", _("asked by"));
  append_inline (out, reins_approval_record_get_guard (record));
  g_string_append (out, ": ");
  append_inline (out, reins_approval_record_get_reason (record));
  if (!isnan (reins_approval_record_get_confidence (record)))
    g_string_append_printf (out, " (%s %.2f)", _("confidence"),
                            reins_approval_record_get_confidence (record));
  g_string_append (out, "\n");

  if (decision == REINS_DECISION_EDIT)
    {
      if (reins_approval_record_get_action (record) != NULL)
        {
          g_string_append_printf (out, "\n  %s\n\n", _("Before the edit:"));
          append_action (out, reins_approval_record_get_action (record));
        }
      if (reins_approval_record_get_final_action (record) != NULL)
        {
          g_string_append_printf (out, "\n  %s\n\n", _("After the edit:"));
          append_action (out, reins_approval_record_get_final_action (record));
        }
    }
}

static void
append_step (GString   *out,
             ReinsStep *step)
{
  ReinsAction *action = reins_step_get_action (step);
  GPtrArray *verdicts = reins_step_get_verdicts (step);
  GPtrArray *approvals = reins_step_get_approvals (step);
  g_autofree char *cost = format_usd (reins_step_get_cost_usd (step));
  g_autofree char *total = format_usd (reins_step_get_cost_total_usd (step));
  gboolean any_verdict = FALSE;

  g_string_append_printf (out, "### %s %u", _("Step"), reins_step_get_index (step));
  if (action != NULL)
    {
      g_string_append (out, " — ");
      append_inline (out, reins_action_get_name (action));
    }
  g_string_append (out, "\n\n");

  g_string_append_printf (out, "**%s**\n\n", _("Thought"));
  if (reins_step_get_thought (step) != NULL && *reins_step_get_thought (step) != '\0')
    append_fenced (out, "text", reins_step_get_thought (step));
  else
    g_string_append_printf (out, "%s\n\n", _("(none)"));

  g_string_append_printf (out, "**%s**\n\n", _("Action"));
  if (action != NULL)
    append_action (out, action);
  else
    g_string_append_printf (out, "%s\n\n", _("(none)"));

  g_string_append_printf (out, "**%s**", _("Observation"));
  if (reins_step_get_tool_error (step))
    g_string_append_printf (out, " (%s)", _("the tool failed"));
  g_string_append (out, "\n\n");
  if (reins_step_get_observation (step) != NULL)
    append_observation (out, reins_step_get_observation (step));
  else
    g_string_append_printf (out, "%s\n\n", _("(none)"));

  g_string_append_printf (out, "- %s: ", _("Confidence"));
  if (reins_step_has_confidence (step))
    g_string_append_printf (out, "%.2f (%s)\n", reins_step_get_confidence (step),
                            confidence_source_text (reins_step_get_confidence_source (step)));
  else
    g_string_append_printf (out, "%s\n", _("none"));
  g_string_append_printf (out, "- %s: %" G_GUINT64_FORMAT " in, %" G_GUINT64_FORMAT " out\n",
                          _("Tokens"), reins_step_get_input_tokens (step),
                          reins_step_get_output_tokens (step));
  g_string_append_printf (out, "- %s: %s (%s %s)\n", _("Cost"), cost, _("run total"), total);
  g_string_append_printf (out, "- %s: %" G_GINT64_FORMAT " ms\n\n", _("Duration"),
                          reins_step_get_duration_ms (step));

  for (guint i = 0; i < verdicts->len; i++)
    {
      ReinsVerdict *verdict = g_ptr_array_index (verdicts, i);

      if (reins_verdict_get_kind (verdict) == REINS_VERDICT_ALLOW)
        continue;
      if (!any_verdict)
        g_string_append_printf (out, "**%s**\n\n", _("Harness interventions"));
      any_verdict = TRUE;
      g_string_append (out, "- ");
      append_inline (out, reins_verdict_get_guard (verdict));
      g_string_append_printf (out, " — %s: ",
                              reins_verdict_kind_to_string (reins_verdict_get_kind (verdict)));
      append_inline (out, reins_verdict_get_reason (verdict));
      g_string_append_c (out, '\n');
    }
  if (any_verdict)
    g_string_append_c (out, '\n');

  if (approvals->len > 0)
    g_string_append_printf (out, "**%s**\n\n", _("Decisions"));
  for (guint i = 0; i < approvals->len; i++)
    append_decision (out, g_ptr_array_index (approvals, i));
  if (approvals->len > 0)
    g_string_append_c (out, '\n');
}

/**
 * reins_export_markdown:
 * @steps: (element-type ReinsStep) (nullable): the run's steps
 *
 * A report for people: the run's task, outcome, totals and lineage, then each step.
 * Free text goes into fenced blocks whose fence is longer than any backtick run in it.
 *
 * Returns: (transfer full): the Markdown text
 */
char *
reins_export_markdown (ReinsRun  *run,
                       GPtrArray *steps)
{
  return reins_export_markdown_labelled (run, steps, NULL, NULL);
}

/**
 * reins_export_markdown_labelled:
 * @steps: (element-type ReinsStep) (nullable): the run's steps
 * @tags: (nullable): the run's tags, a "Tags" field; %NULL leaves out tags and note
 * @note: (nullable): the run's note, a "Note" section after the task
 *
 * reins_export_markdown() with the person's tags and note.
 *
 * Returns: (transfer full): the Markdown text
 */
char *
reins_export_markdown_labelled (ReinsRun           *run,
                                GPtrArray          *steps,
                                const char * const *tags,
                                const char         *note)
{
  return reins_export_markdown_full (run, steps, tags, note, NULL, NULL);
}

/**
 * reins_export_markdown_full:
 * @name: (nullable): the run's name, a "Name" field
 * @feedback: (nullable) (element-type ReinsStepFeedback): the feedback on steps, a
 *   "Feedback" section after the note; %NULL leaves out name and feedback
 *
 * reins_export_markdown_labelled() with the person's name for the run and feedback on steps.
 *
 * Returns: (transfer full): the Markdown text
 */
char *
reins_export_markdown_full (ReinsRun           *run,
                            GPtrArray          *steps,
                            const char * const *tags,
                            const char         *note,
                            const char         *name,
                            GPtrArray          *feedback)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *created = NULL;
  g_autofree char *finished = NULL;
  g_autofree char *cost = NULL;
  g_autofree char *tokens = NULL;
  g_autofree char *count = NULL;
  g_autofree char *title = NULL;
  const char *newline;

  g_return_val_if_fail (REINS_IS_RUN (run), NULL);

  created = reins_time_to_iso8601 (reins_run_get_created_at (run));
  finished = reins_time_to_iso8601 (reins_run_get_finished_at (run));
  cost = format_usd (reins_run_get_cost_usd (run));
  tokens = g_strdup_printf ("%" G_GUINT64_FORMAT " in, %" G_GUINT64_FORMAT " out",
                            reins_run_get_input_tokens (run), reins_run_get_output_tokens (run));
  count = g_strdup_printf ("%u", reins_run_get_step_count (run));

  /* The title is the task's first line, cut short; the whole task follows. */
  newline = strchr (reins_run_get_task (run), '\n');
  title = newline != NULL ? g_strndup (reins_run_get_task (run), newline - reins_run_get_task (run))
                          : g_strdup (reins_run_get_task (run));
  if (g_utf8_strlen (title, -1) > 80)
    {
      char *cut = g_utf8_substring (title, 0, 79);

      g_free (title);
      title = g_strconcat (cut, "…", NULL);
      g_free (cut);
    }

  g_string_append_printf (out, "# %s: ", _("Run"));
  append_inline (out, title);
  g_string_append (out, "\n\n");

  g_string_append_printf (out, "| %s | |\n| --- | --- |\n", _("Field"));
  if (feedback != NULL && name != NULL)
    append_field (out, _("Name"), name);
  append_field (out, _("Run id"), reins_run_get_id (run));
  append_field (out, _("Status"), reins_run_status_to_string (reins_run_get_status (run)));
  append_field (out, _("Provider"), reins_run_get_provider (run));
  append_field (out, _("Model"), reins_run_get_model (run));
  append_field (out, _("Created"), created);
  append_field (out, _("Finished"), finished);
  append_field (out, _("Steps"), count);
  append_field (out, _("Tokens"), tokens);
  append_field (out, _("Cost"), cost);
  if (reins_run_get_parent_run_id (run) != NULL)
    {
      g_autofree char *lineage = g_strdup_printf (_("forked from %s at step %u"),
                                                  reins_run_get_parent_run_id (run),
                                                  reins_run_get_fork_step (run));
      append_field (out, _("Lineage"), lineage);
    }
  else
    append_field (out, _("Lineage"), _("an original run, not a fork"));
  if (tags != NULL)
    {
      g_autofree char *joined = g_strjoinv (", ", (char **) tags);

      append_field (out, _("Tags"), tags[0] != NULL ? joined : _("(none)"));
    }
  g_string_append_c (out, '\n');

  g_string_append_printf (out, "## %s\n\n", _("Task"));
  append_fenced (out, "text", reins_run_get_task (run));

  if (tags != NULL && note != NULL)
    {
      g_string_append_printf (out, "## %s\n\n", _("Note"));
      append_fenced (out, "text", note);
    }

  if (feedback != NULL && feedback->len > 0)
    {
      g_string_append_printf (out, "## %s\n\n", _("Feedback"));
      for (guint i = 0; i < feedback->len; i++)
        {
          ReinsStepFeedback *item = g_ptr_array_index (feedback, i);

          g_string_append (out, "- ");
          g_string_append_printf (out, item->rating > 0 ? _("Step %u: thumbs up")
                                                        : _("Step %u: thumbs down"),
                                  item->step);
          if (item->comment != NULL)
            {
              g_string_append (out, " — ");
              append_inline (out, item->comment);
            }
          g_string_append_c (out, '\n');
        }
      g_string_append_c (out, '\n');
    }

  g_string_append_printf (out, "## %s\n\n", _("Final answer"));
  if (reins_run_get_final_answer (run) != NULL)
    append_fenced (out, "text", reins_run_get_final_answer (run));
  else
    g_string_append_printf (out, "%s\n\n", _("(none)"));

  g_string_append_printf (out, "## %s\n\n", _("Reason"));
  if (reins_run_get_reason (run) != NULL)
    {
      append_inline (out, reins_run_get_reason (run));
      g_string_append (out, "\n\n");
    }
  else
    g_string_append_printf (out, "%s\n\n", _("(none)"));

  g_string_append_printf (out, "## %s\n\n", _("Steps"));
  if (steps == NULL || steps->len == 0)
    g_string_append_printf (out, "%s\n\n", _("(no steps)"));
  for (guint i = 0; steps != NULL && i < steps->len; i++)
    append_step (out, g_ptr_array_index (steps, i));

  /* One trailing newline */
  while (out->len > 1 && out->str[out->len - 1] == '\n' && out->str[out->len - 2] == '\n')
    g_string_truncate (out, out->len - 1);

  return g_string_free (g_steal_pointer (&out), FALSE);
}
