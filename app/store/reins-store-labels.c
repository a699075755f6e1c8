/* reins-store-labels.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a person writes on a run: tags, to find runs again, and a note.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "reins-store-private.h"

/* Two text parameters, $1 and $2 (%NULL: SQL NULL, or not used). */
typedef struct
{
  const char *first;
  const char *second;
  gboolean    found;
  GStrvBuilder *strings;
  char       *text;
} Query;

static void
bind_texts (ReinsStoreParams *params,
            gpointer          data)
{
  Query *query = data;

  params->text (params, 1, query->first);
  if (query->second != NULL)
    params->text (params, 2, query->second);
}

static void
read_found (const ReinsStoreRow *row,
            gpointer             data)
{
  ((Query *) data)->found = TRUE;
}

/* Fails with REINS_ERROR_NOT_FOUND unless @run_id names a run (deleted or not). */
static gboolean
check_run (ReinsStore  *self,
           const char  *run_id,
           GError     **error)
{
  Query query = { run_id, };

  if (!reins_store_query (self, "SELECT 1 FROM runs WHERE id = $1", bind_texts, read_found,
                          &query, error))
    return FALSE;
  return query.found || reins_store_set_not_found (error, run_id);
}

/* A tag is one word a person can type in a search as `tag:WORD`: no spaces, not empty,
 * not too long. Returns it stripped, or %NULL with REINS_ERROR_USAGE. */
static char *
normalize_label (const char  *label,
                 GError     **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (label));

  if (stripped[0] == '\0')
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_USAGE, _("A tag cannot be empty"));
      return NULL;
    }
  if (!g_utf8_validate (stripped, -1, NULL))
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_USAGE,
                           _("A tag must be valid UTF-8 text"));
      return NULL;
    }
  for (const char *p = stripped; *p; p = g_utf8_next_char (p))
    if (g_unichar_isspace (g_utf8_get_char (p)) || *p == ',')
      {
        g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
                     _("A tag is one word without spaces or commas: “%s”"), stripped);
        return NULL;
      }
  if (g_utf8_strlen (stripped, -1) > REINS_STORE_LABEL_MAX_CHARS)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
                   g_dngettext (GETTEXT_PACKAGE, "A tag has at most %d character",
                                "A tag has at most %d characters", REINS_STORE_LABEL_MAX_CHARS),
                   REINS_STORE_LABEL_MAX_CHARS);
      return NULL;
    }

  return g_steal_pointer (&stripped);
}

/* Runs @sql, which takes the run id and the tag. */
static gboolean
write_label (ReinsStore  *self,
             const char  *sql,
             const char  *run_id,
             const char  *word,
             GError     **error)
{
  Query query = { run_id, word, };

  return reins_store_query (self, sql, bind_texts, NULL, &query, error);
}

/**
 * reins_store_add_label:
 * @label: one word; surrounding spaces are dropped
 *
 * Tags a run. Adding a tag it already has is not an error.
 *
 * Returns: whether the run has the tag now
 */
gboolean
reins_store_add_label (ReinsStore  *self,
                       const char  *run_id,
                       const char  *label,
                       GError     **error)
{
  g_autofree char *word = NULL;

  g_return_val_if_fail (REINS_IS_STORE (self), FALSE);
  g_return_val_if_fail (run_id != NULL, FALSE);
  g_return_val_if_fail (label != NULL, FALSE);

  if ((word = normalize_label (label, error)) == NULL || !check_run (self, run_id, error))
    return FALSE;

  return write_label (self, "INSERT INTO run_labels (run_id, label) VALUES ($1, $2) "
                      "ON CONFLICT DO NOTHING",
                      run_id, word, error);
}

/* Removing a tag the run does not have is not an error. */
gboolean
reins_store_remove_label (ReinsStore  *self,
                          const char  *run_id,
                          const char  *label,
                          GError     **error)
{
  g_autofree char *word = NULL;

  g_return_val_if_fail (REINS_IS_STORE (self), FALSE);
  g_return_val_if_fail (run_id != NULL, FALSE);
  g_return_val_if_fail (label != NULL, FALSE);

  word = g_strstrip (g_strdup (label));
  return write_label (self, "DELETE FROM run_labels WHERE run_id = $1 AND label = $2",
                      run_id, word, error);
}

static void
read_string (const ReinsStoreRow *row,
             gpointer             data)
{
  Query *query = data;
  g_autofree char *text = row->text (row, 0);

  if (text != NULL)
    g_strv_builder_add (query->strings, text);
}

/* The first column of @sql's rows, with @arg bound to its one parameter. */
static GStrv
query_strings (ReinsStore  *self,
               const char  *sql,
               const char  *arg,
               GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  Query query = { arg, NULL, FALSE, builder, };

  if (!reins_store_query (self, sql, bind_texts, read_string, &query, error))
    return NULL;
  return g_strv_builder_end (builder);
}

/**
 * reins_store_get_labels:
 *
 * Returns: (transfer full): the run's tags in alphabetical order (empty for a run without
 *   any or an unknown run), or %NULL on a store error
 */
GStrv
reins_store_get_labels (ReinsStore  *self,
                        const char  *run_id,
                        GError     **error)
{
  g_return_val_if_fail (REINS_IS_STORE (self), NULL);
  g_return_val_if_fail (run_id != NULL, NULL);

  return query_strings (self, "SELECT label FROM run_labels WHERE run_id = $1 ORDER BY label",
                        run_id, error);
}

/**
 * reins_store_find_labelled:
 *
 * Returns: (transfer full): the ids of the runs (not deleted) tagged @label, newest first;
 *   tags are compared exactly. %NULL on a store error.
 */
GStrv
reins_store_find_labelled (ReinsStore  *self,
                           const char  *label,
                           GError     **error)
{
  g_autofree char *word = NULL;

  g_return_val_if_fail (REINS_IS_STORE (self), NULL);
  g_return_val_if_fail (label != NULL, NULL);

  word = g_strstrip (g_strdup (label));
  return query_strings (self,
                        "SELECT runs.id FROM run_labels JOIN runs ON runs.id = run_id "
                        "WHERE label = $1 AND deleted = 0 "
                        "ORDER BY created_at DESC, num DESC",
                        word, error);
}

/**
 * reins_store_set_note:
 * @note: (nullable): the note; %NULL or only spaces removes it
 */
gboolean
reins_store_set_note (ReinsStore  *self,
                      const char  *run_id,
                      const char  *note,
                      GError     **error)
{
  g_autofree char *stripped = NULL;
  Query query = { NULL, run_id, };

  g_return_val_if_fail (REINS_IS_STORE (self), FALSE);
  g_return_val_if_fail (run_id != NULL, FALSE);

  if (note != NULL && !g_utf8_validate (note, -1, NULL))
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_USAGE,
                           _("A note must be valid UTF-8 text"));
      return FALSE;
    }
  if (!check_run (self, run_id, error))
    return FALSE;

  stripped = g_strstrip (g_strdup (note ? note : ""));
  if (stripped[0] != '\0')
    query.first = stripped;
  return reins_store_query (self, "UPDATE runs SET note = $1 WHERE id = $2", bind_texts, NULL,
                            &query, error);
}

static void
read_note (const ReinsStoreRow *row,
           gpointer             data)
{
  Query *query = data;

  query->found = TRUE;
  g_free (query->text);
  query->text = row->text (row, 0);
}

/* One text column of a run (@sql selects it by id as $1): %NULL without @error when empty. */
static char *
get_run_text (ReinsStore  *self,
              const char  *run_id,
              const char  *sql,
              GError     **error)
{
  Query query = { run_id, };

  if (!reins_store_query (self, sql, bind_texts, read_note, &query, error))
    return NULL;
  if (!query.found)
    reins_store_set_not_found (error, run_id);
  return query.text;
}

/**
 * reins_store_get_note:
 *
 * Returns: (transfer full) (nullable): the run's note; %NULL without @error set when it has
 *   none
 */
char *
reins_store_get_note (ReinsStore  *self,
                      const char  *run_id,
                      GError     **error)
{
  g_return_val_if_fail (REINS_IS_STORE (self), NULL);
  g_return_val_if_fail (run_id != NULL, NULL);

  return get_run_text (self, run_id, "SELECT note FROM runs WHERE id = $1", error);
}

/* Names */

/**
 * reins_store_set_name:
 * @name: (nullable): the run's name, one line; %NULL or only spaces removes it, and the
 *   history shows the task again
 */
gboolean
reins_store_set_name (ReinsStore  *self,
                      const char  *run_id,
                      const char  *name,
                      GError     **error)
{
  g_autofree char *stripped = NULL;
  Query query = { NULL, run_id, };

  g_return_val_if_fail (REINS_IS_STORE (self), FALSE);
  g_return_val_if_fail (run_id != NULL, FALSE);

  if (name != NULL && !g_utf8_validate (name, -1, NULL))
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_USAGE,
                           _("A name must be valid UTF-8 text"));
      return FALSE;
    }
  stripped = g_strstrip (g_strdup (name ? name : ""));
  if (strpbrk (stripped, "\n\r") != NULL)
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_USAGE,
                           _("A name is one line"));
      return FALSE;
    }
  if (g_utf8_strlen (stripped, -1) > REINS_STORE_NAME_MAX_CHARS)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
                   g_dngettext (GETTEXT_PACKAGE, "A name has at most %d character",
                                "A name has at most %d characters", REINS_STORE_NAME_MAX_CHARS),
                   REINS_STORE_NAME_MAX_CHARS);
      return FALSE;
    }
  if (!check_run (self, run_id, error))
    return FALSE;

  if (stripped[0] != '\0')
    query.first = stripped;
  return reins_store_query (self, "UPDATE runs SET name = $1 WHERE id = $2", bind_texts, NULL,
                            &query, error);
}

/**
 * reins_store_get_name:
 *
 * Returns: (transfer full) (nullable): the run's name; %NULL without @error set when it has
 *   none
 */
char *
reins_store_get_name (ReinsStore  *self,
                      const char  *run_id,
                      GError     **error)
{
  g_return_val_if_fail (REINS_IS_STORE (self), NULL);
  g_return_val_if_fail (run_id != NULL, NULL);

  return get_run_text (self, run_id, "SELECT name FROM runs WHERE id = $1", error);
}

/**
 * reins_store_find_named:
 * @text: a part of a name, compared without regard to case (ASCII)
 *
 * Returns: (transfer full): the ids of the runs (not deleted) whose name contains @text,
 *   newest first; %NULL on a store error
 */
GStrv
reins_store_find_named (ReinsStore  *self,
                        const char  *text,
                        GError     **error)
{
  g_autofree char *stripped = NULL;
  g_autofree char *lower = NULL;

  g_return_val_if_fail (REINS_IS_STORE (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  /* The text is searched for as it is: no LIKE wildcards of its own */
  stripped = g_strstrip (g_strdup (text));
  lower = g_ascii_strdown (stripped, -1);
  return query_strings (self,
                        "SELECT id FROM runs WHERE deleted = 0 AND name IS NOT NULL "
                        "AND lower (name) LIKE '%' || replace (replace (replace ($1, '\\', "
                        "'\\\\'), '%', '\\%'), '_', '\\_') || '%' ESCAPE '\\' "
                        "ORDER BY created_at DESC, num DESC",
                        lower, error);
}

/* Feedback on steps */

void
reins_step_feedback_free (ReinsStepFeedback *feedback)
{
  if (feedback == NULL)
    return;
  g_free (feedback->comment);
  g_free (feedback);
}

typedef struct
{
  const char *run_id;
  gint64      step;
  gint64      rating;
  const char *comment;
  gboolean    found;
  GPtrArray  *list;
} FeedbackQuery;

static void
bind_feedback (ReinsStoreParams *params,
               gpointer          data)
{
  FeedbackQuery *query = data;

  params->text (params, 1, query->run_id);
  params->int64 (params, 2, query->step);
  if (query->rating != 0)
    {
      params->int64 (params, 3, query->rating);
      params->text (params, 4, query->comment);
    }
}

static void
read_feedback_found (const ReinsStoreRow *row,
                     gpointer             data)
{
  ((FeedbackQuery *) data)->found = TRUE;
}

/**
 * reins_store_set_feedback:
 * @step: the step's index, which must be stored
 * @rating: 1 (thumbs up), -1 (thumbs down) or 0 (removes the feedback)
 * @comment: (nullable): why; %NULL or only spaces: none
 *
 * A person's judgement of a step. Setting it again replaces it.
 */
gboolean
reins_store_set_feedback (ReinsStore  *self,
                          const char  *run_id,
                          guint        step,
                          int          rating,
                          const char  *comment,
                          GError     **error)
{
  g_autofree char *stripped = NULL;
  FeedbackQuery query = { run_id, step, 0, };

  g_return_val_if_fail (REINS_IS_STORE (self), FALSE);
  g_return_val_if_fail (run_id != NULL, FALSE);

  if (rating < -1 || rating > 1)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
                   _("Feedback is a thumb up (1) or down (-1), not %d"), rating);
      return FALSE;
    }
  if (comment != NULL && !g_utf8_validate (comment, -1, NULL))
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_USAGE,
                           _("A comment must be valid UTF-8 text"));
      return FALSE;
    }
  if (!check_run (self, run_id, error))
    return FALSE;
  if (!reins_store_query (self, "SELECT 1 FROM steps WHERE run_id = $1 AND idx = $2",
                          bind_feedback, read_feedback_found, &query, error))
    return FALSE;
  if (!query.found)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_NOT_FOUND,
                   _("Run %s has no step %u"), run_id, step);
      return FALSE;
    }

  if (rating == 0)
    return reins_store_query (self, "DELETE FROM step_feedback WHERE run_id = $1 AND step = $2",
                              bind_feedback, NULL, &query, error);

  stripped = g_strstrip (g_strdup (comment ? comment : ""));
  query.rating = rating;
  query.comment = stripped[0] != '\0' ? stripped : NULL;
  return reins_store_query (self,
                            "INSERT INTO step_feedback (run_id, step, rating, comment) "
                            "VALUES ($1, $2, $3, $4) ON CONFLICT (run_id, step) DO UPDATE "
                            "SET rating = excluded.rating, comment = excluded.comment",
                            bind_feedback, NULL, &query, error);
}

static void
bind_run_id (ReinsStoreParams *params,
             gpointer          data)
{
  params->text (params, 1, ((FeedbackQuery *) data)->run_id);
}

static void
read_feedback (const ReinsStoreRow *row,
               gpointer             data)
{
  FeedbackQuery *query = data;
  ReinsStepFeedback *feedback = g_new0 (ReinsStepFeedback, 1);

  feedback->step = (guint) row->int64 (row, 0);
  feedback->rating = row->int64 (row, 1) < 0 ? -1 : 1;
  feedback->comment = row->is_null (row, 2) ? NULL : row->text (row, 2);
  g_ptr_array_add (query->list, feedback);
}

/**
 * reins_store_get_feedback:
 *
 * Returns: (transfer container) (element-type ReinsStepFeedback): the feedback on the run's
 *   steps in step order (empty for none or an unknown run), or %NULL on a store error
 */
GPtrArray *
reins_store_get_feedback (ReinsStore  *self,
                          const char  *run_id,
                          GError     **error)
{
  g_autoptr(GPtrArray) list = NULL;
  FeedbackQuery query = { run_id, };

  g_return_val_if_fail (REINS_IS_STORE (self), NULL);
  g_return_val_if_fail (run_id != NULL, NULL);

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) reins_step_feedback_free);
  query.list = list;
  if (!reins_store_query (self,
                          "SELECT step, rating, comment FROM step_feedback WHERE run_id = $1 "
                          "ORDER BY step",
                          bind_run_id, read_feedback, &query, error))
    return NULL;
  return g_steal_pointer (&list);
}

/**
 * reins_store_find_feedback:
 * @rating: "up", "down" or "any"
 *
 * Returns: (transfer full): the ids of the runs (not deleted) with a step rated so, newest
 *   first; %NULL with REINS_ERROR_USAGE for another @rating, or on a store error
 */
GStrv
reins_store_find_feedback (ReinsStore  *self,
                           const char  *rating,
                           GError     **error)
{
  g_return_val_if_fail (REINS_IS_STORE (self), NULL);
  g_return_val_if_fail (rating != NULL, NULL);

  if (g_strcmp0 (rating, "up") != 0 && g_strcmp0 (rating, "down") != 0 &&
      g_strcmp0 (rating, "any") != 0)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
                   _("Search for feedback:up, feedback:down or feedback:any, not “%s”"), rating);
      return NULL;
    }

  return query_strings (self,
                        "SELECT id FROM runs WHERE deleted = 0 AND EXISTS (SELECT 1 "
                        "FROM step_feedback f WHERE f.run_id = runs.id AND ($1 = 'any' OR "
                        "f.rating = CASE $1 WHEN 'up' THEN 1 ELSE -1 END)) "
                        "ORDER BY created_at DESC, num DESC",
                        rating, error);
}
