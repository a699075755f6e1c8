/* reins-store-search.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Full-text search over tasks, thoughts, observations and answers: SQLite FTS5, and what
 * the PostgreSQL backend needs to search the same words the same way (tsvector).
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "reins-search-hit.h"
#include "reins-store-private.h"

/**
 * reins_store_search_body:
 *
 * Returns: (transfer full): what a search row holds: a task and its answer, or a thought
 *   and its observation, on two lines
 */
char *
reins_store_search_body (const char *first,
                         const char *second)
{
  return g_strconcat (first != NULL ? first : "", "\n", second != NULL ? second : "", NULL);
}

/* A search row's rowid, body, run id and step as the parameters 1 to 4. */
static void
bind_row (sqlite3_stmt *stmt,
          gint64        rowid,
          const char   *body,
          const char   *run_id,
          guint         step)
{
  sqlite3_bind_int64 (stmt, 1, rowid);
  reins_store_bind_text (stmt, 2, body);
  sqlite3_bind_text (stmt, 3, run_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, step);
}

static gboolean
replace_row (ReinsStore  *self,
             gint64       rowid,
             const char  *run_id,
             guint        step,
             const char  *first,
             const char  *second,
             GError     **error)
{
  g_autofree char *body = reins_store_search_body (first, second);
  int rc;

  /* A run's row is written again at each of its steps' commits, mostly as it was: an
   * unchanged row is left alone, which spares the index a delete and an insert (each a
   * new segment, merged later) per step. */
  {
    g_autoptr(ReinsStoreStmt) stmt =
      reins_store_prepare (self, "SELECT body IS ?2 AND run_id IS ?3 AND step IS ?4 "
                                 "FROM search_text WHERE rowid = ?1", error);

    if (stmt == NULL)
      return FALSE;
    bind_row (stmt, rowid, body, run_id, step);
    rc = sqlite3_step (stmt);
    if (rc == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0)
      return TRUE;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
      return reins_store_set_error (self, rc, error);
  }

  {
    g_autoptr(ReinsStoreStmt) stmt =
      reins_store_prepare (self, "DELETE FROM search_text WHERE rowid = ?", error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, rowid);
    if (!reins_store_step_done (self, stmt, error))
      return FALSE;
  }

  {
    g_autoptr(ReinsStoreStmt) stmt =
      reins_store_prepare (self,
                           "INSERT INTO search_text (rowid, body, run_id, step) "
                           "VALUES (?, ?, ?, ?)",
                           error);

    if (stmt == NULL)
      return FALSE;
    bind_row (stmt, rowid, body, run_id, step);
    return reins_store_step_done (self, stmt, error);
  }
}

/* Inside the caller's transaction, so the index never disagrees with the rows. */
gboolean
reins_store_index_run (ReinsStore  *self,
                       gint64       run_num,
                       ReinsRun    *run,
                       GError     **error)
{
  return replace_row (self, -run_num, reins_run_get_id (run), 0, reins_run_get_task (run),
                      reins_run_get_final_answer (run), error);
}

gboolean
reins_store_index_step (ReinsStore  *self,
                        gint64       step_num,
                        const char  *run_id,
                        ReinsStep   *step,
                        GError     **error)
{
  return replace_row (self, step_num, run_id,
                      reins_step_get_index (step), reins_step_get_thought (step),
                      reins_step_get_observation (step), error);
}

/* What a person typed, cut at white space; whether it ends in some (the last word is then
 * whole, not the start of one). */
static GStrv
split_query (const char *query,
             gboolean   *ends_in_space)
{
  g_autofree char *valid = reins_utf8_make_valid (query, -1);

  *ends_in_space = *valid != '\0' && g_ascii_isspace (valid[strlen (valid) - 1]);
  return g_strsplit_set (g_strstrip (valid), " \t\n\r", -1);
}

static gboolean
has_word_character (const char *token)
{
  for (const char *p = token; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_isalnum (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

/**
 * reins_store_quote_query:
 *
 * Turns what a person typed into an FTS5 query that cannot be a syntax error: every word
 * becomes a quoted string (so `"`, `*`, `AND`, `(`, `-`, `:` are just text), all must
 * match, and the last one may be the start of a word, as one types.
 *
 * Returns: (transfer full) (nullable): the query, or %NULL when there is no word to find
 */
char *
reins_store_quote_query (const char *query)
{
  g_auto(GStrv) tokens = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean ends_in_space;
  guint n_words = 0;

  if (query == NULL)
    return NULL;

  tokens = split_query (query, &ends_in_space);

  for (guint i = 0; tokens[i] != NULL; i++)
    {
      /* A token without a letter or digit would be an empty phrase to the tokenizer. */
      if (!has_word_character (tokens[i]))
        continue;
      if (n_words++ > 0)
        g_string_append_c (out, ' ');
      g_string_append_c (out, '"');
      for (const char *p = tokens[i]; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
      if (tokens[i + 1] == NULL && !ends_in_space)
        g_string_append_c (out, '*');
    }

  if (n_words == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The SQLite backend's search: FTS5, best first by bm25. */
GPtrArray *
reins_store_sqlite_search (ReinsStore  *self,
                           const char  *query,
                           guint        limit,
                           GError     **error)
{
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(ReinsStoreStmt) stmt = NULL;
  g_autofree char *match = NULL;
  int rc;

  match = reins_store_quote_query (query);
  if (match == NULL)
    return g_steal_pointer (&hits);

  stmt = reins_store_prepare (self,
                              "SELECT s.run_id, s.step, r.task, "
                              "  snippet (search_text, 0, '', '', '…', 16) "
                              "FROM search_text s JOIN runs r ON r.id = s.run_id "
                              "WHERE search_text MATCH ?1 AND r.deleted = 0 "
                              "ORDER BY bm25 (search_text) LIMIT ?2",
                              error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *run_id = reins_store_column_text (stmt, 0);
      g_autofree char *task = reins_store_column_text (stmt, 2);
      g_autofree char *snippet = reins_store_column_text (stmt, 3);

      g_ptr_array_add (hits,
                       reins_search_hit_new (run_id,
                                             (guint) CLAMP (sqlite3_column_int64 (stmt, 1),
                                                            0, G_MAXUINT),
                                             task, g_strstrip (snippet)));
    }
  if (rc != SQLITE_DONE)
    {
      reins_store_set_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&hits);
}

/* PostgreSQL: the same words as FTS5's unicode61 tokenizer with remove_diacritics finds.
 * Both sides of a match go through here, so PostgreSQL's own parser (which keeps "a.txt",
 * "foo-bar" or an e-mail address as one token) never sees anything but plain words. */

/* Appends the words of @text (runs of letters and digits, lower case, without diacritics)
 * to @out separated by spaces; returns how many. */
static guint
append_words (GString    *out,
              const char *text,
              GPtrArray  *words)
{
  g_autofree char *valid = reins_utf8_make_valid (text, -1);
  g_autofree char *decomposed = g_utf8_normalize (valid, -1, G_NORMALIZE_NFD);
  g_autoptr(GString) word = g_string_new (NULL);
  guint n = 0;

  for (const char *p = decomposed; ; p = g_utf8_next_char (p))
    {
      gunichar c = *p != '\0' ? g_utf8_get_char (p) : 0;

      if (c != 0 && g_unichar_ismark (c))
        continue;
      if (c != 0 && g_unichar_isalnum (c))
        {
          g_string_append_unichar (word, g_unichar_tolower (c));
          continue;
        }
      if (word->len > 0)
        {
          if (out != NULL)
            {
              if (out->len > 0)
                g_string_append_c (out, ' ');
              g_string_append_len (out, word->str, word->len);
            }
          if (words != NULL)
            g_ptr_array_add (words, g_strndup (word->str, word->len));
          g_string_truncate (word, 0);
          n++;
        }
      if (c == 0)
        break;
    }
  return n;
}

/* A tsvector holds at most 1 MB: the index keeps the words of a text's first 256 KB. */
#define MAX_INDEXED_BYTES (256 * 1024)

/**
 * reins_store_search_words:
 *
 * Returns: (transfer full): the words of @text as the PostgreSQL index holds them (those
 *   of its first MAX_INDEXED_BYTES)
 */
char *
reins_store_search_words (const char *text)
{
  GString *out = g_string_new (NULL);

  if (text != NULL)
    {
      g_autofree char *head = NULL;

      if (strlen (text) > MAX_INDEXED_BYTES)
        {
          const char *end = g_utf8_find_prev_char (text, text + MAX_INDEXED_BYTES);

          head = g_strndup (text, end != NULL ? (gsize) (end - text) : 0);
        }
      append_words (out, head != NULL ? head : text, NULL);
    }
  return g_string_free (out, FALSE);
}

/**
 * reins_store_tsquery:
 *
 * What a person typed as a to_tsquery('simple', …) text that cannot be a syntax error:
 * every typed word must match (a word holding punctuation, like "a.txt", as a phrase), and
 * the last one may be the start of a word, as one types — the semantics of
 * reins_store_quote_query(). Only letters and digits reach the query.
 *
 * Returns: (transfer full) (nullable): the query, or %NULL when there is no word to find
 */
char *
reins_store_tsquery (const char *query)
{
  g_auto(GStrv) tokens = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean ends_in_space;
  guint n_tokens = 0;

  if (query == NULL)
    return NULL;

  tokens = split_query (query, &ends_in_space);

  for (guint i = 0; tokens[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
      gboolean last = tokens[i + 1] == NULL;

      if (append_words (NULL, tokens[i], words) == 0)
        continue;
      if (n_tokens++ > 0)
        g_string_append (out, " & ");
      g_string_append_c (out, '(');
      for (guint j = 0; j < words->len; j++)
        {
          if (j > 0)
            g_string_append (out, " <-> ");
          /* Letters and digits only: quoting cannot be broken out of. */
          g_string_append_printf (out, "'%s'", (const char *) g_ptr_array_index (words, j));
          if (last && j + 1 == words->len && !ends_in_space)
            g_string_append (out, ":*");
        }
      g_string_append_c (out, ')');
    }

  if (n_tokens == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}
