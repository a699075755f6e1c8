/* reins-store-labels.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a person writes on a run: tags, to find runs again, and a note.
 */

#include "config.h"

#include <glib/gi18n.h>

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
  Query query = { run_id, };

  g_return_val_if_fail (REINS_IS_STORE (self), NULL);
  g_return_val_if_fail (run_id != NULL, NULL);

  if (!reins_store_query (self, "SELECT note FROM runs WHERE id = $1", bind_texts, read_note,
                          &query, error))
    return NULL;
  if (!query.found)
    reins_store_set_not_found (error, run_id);
  return query.text;
}
