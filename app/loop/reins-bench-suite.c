/* reins-bench-suite.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The task suites of a bench: the built-in knowledge-base chains, or a user's JSON Lines
 * file, and how an answer is matched against the expected one (docs/bench.md).
 */

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "reins-bench-suite.h"
#include "reins-domain.h"
#include "reins-kb.h"

void
reins_bench_task_free (ReinsBenchTask *task)
{
  if (task == NULL)
    return;
  g_free (task->id);
  g_free (task->task);
  g_free (task->expected);
  g_strfreev (task->tools);
  g_free (task);
}

/**
 * reins_bench_suite_chains:
 *
 * The built-in suite: knowledge-base chains of @length lookups with seeds 1 … @n_tasks, the
 * tasks of `bench-thesis`.
 *
 * Returns: (transfer full) (element-type ReinsBenchTask): the tasks
 */
GPtrArray *
reins_bench_suite_chains (guint n_tasks,
                          guint length)
{
  GPtrArray *tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) reins_bench_task_free);

  g_return_val_if_fail (length >= 1 && length <= REINS_KB_MAX_LENGTH, tasks);

  for (guint i = 0; i < n_tasks; i++)
    {
      ReinsBenchTask *task = g_new0 (ReinsBenchTask, 1);

      task->chain_seed = i + 1;
      task->chain_length = length;
      task->id = g_strdup_printf ("chain-%u-%u", task->chain_seed, length);
      task->task = reins_kb_task (task->chain_seed, length);
      task->expected = reins_kb_value (task->chain_seed, length);
      task->match = REINS_BENCH_MATCH_EXACT;
      task->tools = g_new0 (char *, 2);
      task->tools[0] = g_strdup ("kb_lookup");
      task->min_steps = length + 1;
      g_ptr_array_add (tasks, task);
    }
  return tasks;
}

static const char * const match_names[] = { "exact", "contains", "regex", "numeric" };

const char *
reins_bench_match_to_string (ReinsBenchMatch match)
{
  g_return_val_if_fail (match <= REINS_BENCH_MATCH_NUMERIC, "exact");
  return match_names[match];
}

/* The first number in @text: digits with optional thousands commas, a fraction and an
 * exponent ("1,000" = "1000" = "1e3"). */
static gboolean
find_number (const char *text,
             double     *value)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      g_autoptr(GString) digits = NULL;
      const char *q = p;
      char *end = NULL;

      if (!g_ascii_isdigit (*p) && !((*p == '-' || *p == '.') && g_ascii_isdigit (p[1])))
        continue;
      digits = g_string_new (NULL);
      if (*q == '-')
        g_string_append_c (digits, *q++);
      while (g_ascii_isdigit (*q) || (*q == ',' && g_ascii_isdigit (q[1]) &&
                                      g_ascii_isdigit (q[2]) && g_ascii_isdigit (q[3])))
        {
          if (*q != ',')
            g_string_append_c (digits, *q);
          q++;
        }
      g_string_append (digits, q);
      *value = g_ascii_strtod (digits->str, &end);
      if (end != digits->str && isfinite (*value))
        return TRUE;
    }
  return FALSE;
}

static gboolean
numbers_equal (double a,
               double b)
{
  return fabs (a - b) <= 1e-9 * MAX (1.0, MAX (fabs (a), fabs (b)));
}

gboolean
reins_bench_task_matches (const ReinsBenchTask *task,
                          const char           *answer)
{
  g_return_val_if_fail (task != NULL, FALSE);

  if (answer == NULL)
    return FALSE;

  switch (task->match)
    {
    case REINS_BENCH_MATCH_EXACT:
      {
        g_autofree char *a = g_strstrip (g_strdup (answer));
        g_autofree char *e = g_strstrip (g_strdup (task->expected));

        return g_str_equal (a, e);
      }

    case REINS_BENCH_MATCH_CONTAINS:
      {
        g_autofree char *a = g_utf8_casefold (answer, -1);
        g_autofree char *e = g_utf8_casefold (task->expected, -1);

        return strstr (a, e) != NULL;
      }

    case REINS_BENCH_MATCH_REGEX:
      return g_regex_match_simple (task->expected, answer, 0, 0);

    case REINS_BENCH_MATCH_NUMERIC:
      {
        double a, e;

        return find_number (task->expected, &e) && find_number (answer, &a) &&
               numbers_equal (a, e);
      }

    default:
      g_assert_not_reached ();
    }
}

static gboolean G_GNUC_PRINTF (4, 5)
suite_error (GError     **error,
             const char  *name,
             guint        line,
             const char  *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE, _("%s, line %u: %s"), name, line, message);
  return FALSE;
}

static gboolean
parse_task_line (JsonNode        *node,
                 const char      *name,
                 guint            line,
                 ReinsBenchTask  *task,
                 GError         **error)
{
  JsonObject *object;
  JsonNode *member;
  const char *match = "exact";

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return suite_error (error, name, line, _("a task is a JSON object"));
  object = json_node_get_object (node);

  member = json_object_get_member (object, "task");
  if (member == NULL || json_node_get_value_type (member) != G_TYPE_STRING ||
      *json_node_get_string (member) == '\0')
    return suite_error (error, name, line, _("“task” must be a string that is not empty"));
  task->task = json_node_dup_string (member);

  member = json_object_get_member (object, "expected");
  if (member != NULL && JSON_NODE_HOLDS_VALUE (member) &&
      json_node_get_value_type (member) == G_TYPE_STRING)
    task->expected = json_node_dup_string (member);
  else if (member != NULL && JSON_NODE_HOLDS_VALUE (member) &&
           (json_node_get_value_type (member) == G_TYPE_INT64 ||
            json_node_get_value_type (member) == G_TYPE_DOUBLE))
    task->expected = g_strdup_printf ("%.17g", json_node_get_double (member));
  else
    return suite_error (error, name, line, _("“expected” must be a string or a number"));

  member = json_object_get_member (object, "match");
  if (member != NULL)
    {
      guint i;

      if (json_node_get_value_type (member) != G_TYPE_STRING)
        return suite_error (error, name, line,
                            _("“match” must be exact, contains, regex or numeric"));
      match = json_node_get_string (member);
      for (i = 0; i < G_N_ELEMENTS (match_names); i++)
        if (g_str_equal (match, match_names[i]))
          break;
      if (i == G_N_ELEMENTS (match_names))
        return suite_error (error, name, line,
                            _("“match” must be exact, contains, regex or numeric, not “%s”"),
                            match);
      task->match = (ReinsBenchMatch) i;
    }

  if (task->match == REINS_BENCH_MATCH_REGEX)
    {
      g_autoptr(GError) regex_error = NULL;
      g_autoptr(GRegex) regex = g_regex_new (task->expected, 0, 0, &regex_error);

      if (regex == NULL)
        return suite_error (error, name, line, _("“expected” is not a regular expression: %s"),
                            regex_error->message);
    }
  else if (task->match == REINS_BENCH_MATCH_NUMERIC)
    {
      double value;

      if (!find_number (task->expected, &value))
        return suite_error (error, name, line, _("“expected” holds no number to compare"));
    }

  member = json_object_get_member (object, "tools");
  if (member != NULL)
    {
      JsonArray *array;
      GStrvBuilder *builder;

      if (!JSON_NODE_HOLDS_ARRAY (member))
        return suite_error (error, name, line, _("“tools” must be a list of tool names"));
      array = json_node_get_array (member);
      builder = g_strv_builder_new ();
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (json_node_get_value_type (element) != G_TYPE_STRING)
            {
              g_strv_builder_unref (builder);
              return suite_error (error, name, line, _("“tools” must be a list of tool names"));
            }
          g_strv_builder_add (builder, json_node_get_string (element));
        }
      task->tools = g_strv_builder_end (builder);
      g_strv_builder_unref (builder);
    }

  member = json_object_get_member (object, "min_steps");
  if (member != NULL)
    {
      if (json_node_get_value_type (member) != G_TYPE_INT64 || json_node_get_int (member) < 1 ||
          json_node_get_int (member) > G_MAXINT)
        return suite_error (error, name, line, _("“min_steps” must be a whole number ≥ 1"));
      task->min_steps = (guint) json_node_get_int (member);
    }

  member = json_object_get_member (object, "id");
  if (member != NULL && JSON_NODE_HOLDS_VALUE (member) &&
      json_node_get_value_type (member) == G_TYPE_STRING)
    task->id = json_node_dup_string (member);
  else if (member != NULL && JSON_NODE_HOLDS_VALUE (member) &&
           json_node_get_value_type (member) == G_TYPE_INT64)
    task->id = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (member));
  else if (member != NULL)
    return suite_error (error, name, line, _("“id” must be a string or a whole number"));
  else
    task->id = g_strdup_printf ("%u", line);

  return TRUE;
}

/**
 * reins_bench_suite_parse:
 * @text: JSON Lines, one task a line; blank lines and lines starting with `#` are skipped
 * @name: what error messages call the suite (its file name)
 *
 * Returns: (transfer full) (element-type ReinsBenchTask): the tasks, or %NULL with a usage
 *   error naming the first bad line
 */
GPtrArray *
reins_bench_suite_parse (const char  *text,
                         const char  *name,
                         GError     **error)
{
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) reins_bench_task_free);
  g_auto(GStrv) lines = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_return_val_if_fail (text != NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE, _("%s is not UTF-8 text"), name);
      return NULL;
    }

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(ReinsBenchTask) task = g_new0 (ReinsBenchTask, 1);
      g_autoptr(GError) parse_error = NULL;
      char *line = g_strstrip (lines[i]);

      if (*line == '\0' || *line == '#')
        continue;
      if (!json_parser_load_from_data (parser, line, -1, &parse_error))
        {
          suite_error (error, name, i + 1, _("not JSON: %s"), parse_error->message);
          return NULL;
        }
      if (!parse_task_line (json_parser_get_root (parser), name, i + 1, task, error))
        return NULL;
      g_ptr_array_add (tasks, g_steal_pointer (&task));
    }

  if (tasks->len == 0)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE, _("%s holds no task"), name);
      return NULL;
    }
  return g_steal_pointer (&tasks);
}

GPtrArray *
reins_bench_suite_load (const char  *path,
                        GError     **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) read_error = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &text, NULL, &read_error))
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE, _("Cannot read the suite: %s"),
                   read_error->message);
      return NULL;
    }
  return reins_bench_suite_parse (text, path, error);
}
