/* reins-bench-results.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A bench's results: summed per set-up, as JSON and as a table.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-bench-private.h"

/* ---------------------------------------------------------------------------------------
 * Results
 */

/**
 * reins_bench_dup_results:
 *
 * Sums the finished runs per set-up, in the order of the runs, so a bench run with more
 * jobs at a time gives the same figures.
 *
 * Returns: (transfer full) (element-type ReinsBenchResult): one result per set-up
 */
GPtrArray *
reins_bench_dup_results (ReinsBench *self)
{
  GPtrArray *results = g_ptr_array_new_with_free_func ((GDestroyNotify) reins_bench_result_free);

  g_return_val_if_fail (REINS_IS_BENCH (self), results);

  for (guint s = 0; s < self->setups->len; s++)
    {
      ReinsBenchResult *result = g_new0 (ReinsBenchResult, 1);

      result->name = g_strdup (g_array_index (self->setups, Setup, s).name);
      g_ptr_array_add (results, result);
    }

  for (guint i = 0; i < self->n_jobs; i++)
    {
      Job *job = &self->job[i];
      ReinsBenchResult *result = g_ptr_array_index (results, job->setup);

      if (!job->done)
        continue;
      result->runs++;
      if (job->outcome == OUTCOME_RIGHT)
        result->right++;
      else if (job->outcome == OUTCOME_WRONG)
        result->wrong++;
      else
        result->none++;
      if (job->failed)
        result->failed++;
      result->questions += job->questions;
      result->steps += job->steps;
      result->steps_judged += job->steps_judged;
      result->steps_right += job->steps_right;
      result->input_tokens += job->input_tokens;
      result->output_tokens += job->output_tokens;
      result->cost_usd += job->cost_usd;
    }
  return results;
}

static const char *
suite_name (ReinsBench *self)
{
  ReinsBenchTask *first = g_ptr_array_index (self->tasks, 0);

  return first->chain_length > 0 ? "chains" : "file";
}

/**
 * reins_bench_to_json:
 *
 * Returns: (transfer full): `{"bench_id", "settings": {…}, "setups": [{…}, …]}`
 *   (docs/bench.md)
 */
JsonNode *
reins_bench_to_json (ReinsBench *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) results = NULL;
  ReinsBenchTask *first;

  g_return_val_if_fail (REINS_IS_BENCH (self), NULL);

  results = reins_bench_dup_results (self);
  first = g_ptr_array_index (self->tasks, 0);

  {
    const ReinsJsonFigure suite[] = {
      REINS_JSON_STRING ("suite", suite_name (self)),
      REINS_JSON_INT ("tasks", self->tasks->len),
    };
    const ReinsJsonFigure how[] = {
      REINS_JSON_INT ("repeat", self->repeat),
      REINS_JSON_INT ("jobs", self->jobs),
      REINS_JSON_STRING ("person", reins_bench_person_to_string (self->person)),
      REINS_JSON_STRING ("provider", self->provider->name),
      REINS_JSON_STRING ("model", reins_settings_get_string (self->settings, "model",
                                                             self->provider->name)),
    };
    const ReinsJsonFigure sim[] = {
      REINS_JSON_DOUBLE ("sim_accuracy", self->provider->sim_accuracy > 0
                                           ? self->provider->sim_accuracy : 0.88),
      REINS_JSON_INT ("seed", self->provider->seed),
    };

    json_builder_begin_object (builder);
    reins_json_add_string_or_null (builder, "bench_id", self->id);
    json_builder_set_member_name (builder, "complete");
    json_builder_add_boolean_value (builder, self->n_jobs > 0 && self->n_done == self->n_jobs);

    json_builder_set_member_name (builder, "settings");
    json_builder_begin_object (builder);
    reins_json_add_figures (builder, suite, G_N_ELEMENTS (suite));
    json_builder_set_member_name (builder, "length");
    if (first->chain_length > 0)
      json_builder_add_int_value (builder, first->chain_length);
    else
      json_builder_add_null_value (builder);
    reins_json_add_figures (builder, how, G_N_ELEMENTS (how));
    if (_reins_bench_is_sim (self))
      reins_json_add_figures (builder, sim, G_N_ELEMENTS (sim));
  }
  json_builder_set_member_name (builder, "run_settings");
  {
    JsonNode *node = json_node_new (JSON_NODE_OBJECT);

    json_node_take_object (node, reins_json_object_deep_copy (self->settings));
    json_builder_add_value (builder, node);
  }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "setups");
  json_builder_begin_array (builder);
  for (guint i = 0; i < results->len; i++)
    {
      ReinsBenchResult *r = g_ptr_array_index (results, i);
      Setup *setup = &g_array_index (self->setups, Setup, i);
      const ReinsJsonFigure figures[] = {
        REINS_JSON_STRING ("name", r->name),
        REINS_JSON_STRING ("guard_off", setup->guard_off),
        REINS_JSON_INT ("runs", r->runs),
      };
      const ReinsJsonFigure counts[] = {
        REINS_JSON_INT ("steps_judged", r->steps_judged),
        REINS_JSON_INT ("steps_right", r->steps_right),
        REINS_JSON_INT ("right", r->right),
        REINS_JSON_INT ("wrong", r->wrong),
        REINS_JSON_INT ("none", r->none),
        REINS_JSON_INT ("failed", r->failed),
        REINS_JSON_DOUBLE ("right_rate", reins_ratio (r->right, r->runs)),
        REINS_JSON_INT ("questions", r->questions),
        REINS_JSON_DOUBLE ("questions_per_task", reins_ratio (r->questions, r->runs)),
        REINS_JSON_INT ("steps", r->steps),
        REINS_JSON_DOUBLE ("steps_per_task", reins_ratio (r->steps, r->runs)),
        REINS_JSON_INT ("input_tokens", r->input_tokens),
        REINS_JSON_INT ("output_tokens", r->output_tokens),
        REINS_JSON_DOUBLE ("tokens_per_task",
                           reins_ratio ((double) (r->input_tokens + r->output_tokens), r->runs)),
        REINS_JSON_DOUBLE ("cost_usd", r->cost_usd),
        REINS_JSON_DOUBLE ("cost_per_task_usd", reins_ratio (r->cost_usd, r->runs)),
      };

      json_builder_begin_object (builder);
      reins_json_add_figures (builder, figures, G_N_ELEMENTS (figures));
      json_builder_set_member_name (builder, "step_accuracy");
      if (r->steps_judged > 0)
        json_builder_add_double_value (builder, (double) r->steps_right / r->steps_judged);
      else
        json_builder_add_null_value (builder);
      reins_json_add_figures (builder, counts, G_N_ELEMENTS (counts));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Pads @text with spaces to @width characters (not bytes: "—" and "%" line up). */
static void
append_cell (GString    *out,
             const char *text,
             guint       width,
             gboolean    right_align)
{
  glong len = g_utf8_strlen (text, -1);
  guint pad = len < (glong) width ? width - (guint) len : 0;

  if (right_align)
    for (guint i = 0; i < pad; i++)
      g_string_append_c (out, ' ');
  g_string_append (out, text);
  if (!right_align)
    for (guint i = 0; i < pad; i++)
      g_string_append_c (out, ' ');
}

static char *
percent (guint part,
         guint whole)
{
  return g_strdup_printf ("%.0f %%", whole > 0 ? 100.0 * part / whole : 0.0);
}

static const char * const column_titles[REINS_BENCH_N_COLUMNS] = {
  N_("set-up"), N_("step accuracy"), N_("right"), N_("wrong"), N_("no answer"),
  N_("questions/task"), N_("steps/task"), N_("tokens/task"), N_("cost (USD)"),
};

/* The title of a column of the results table, translated. */
const char *
reins_bench_column_title (guint column)
{
  g_return_val_if_fail (column < REINS_BENCH_N_COLUMNS, "");
  return _(column_titles[column]);
}

/**
 * reins_bench_result_format:
 *
 * Returns: (transfer full): the cells of @result's line of the results table, as the table
 *   and the window show them (REINS_BENCH_N_COLUMNS strings)
 */
GStrv
reins_bench_result_format (const ReinsBenchResult *r)
{
  char **row = g_new0 (char *, REINS_BENCH_N_COLUMNS + 1);

  g_return_val_if_fail (r != NULL, row);

  row[0] = g_strdup (r->name);
  row[1] = r->steps_judged > 0
             ? g_strdup_printf ("%.1f %%", 100.0 * r->steps_right / r->steps_judged)
             : g_strdup ("—");
  row[2] = percent (r->right, r->runs);
  row[3] = percent (r->wrong, r->runs);
  row[4] = percent (r->none, r->runs);
  row[5] = g_strdup_printf ("%.2f", reins_ratio (r->questions, r->runs));
  row[6] = g_strdup_printf ("%.1f", reins_ratio (r->steps, r->runs));
  row[7] = g_strdup_printf ("%.0f", reins_ratio ((double) (r->input_tokens + r->output_tokens),
                                             r->runs));
  row[8] = g_strdup_printf ("%.4f", r->cost_usd);
  return row;
}

/**
 * reins_bench_describe:
 *
 * Returns: (transfer full): one line that says what the bench runs
 */
char *
reins_bench_describe (ReinsBench *self)
{
  ReinsBenchTask *first;

  g_return_val_if_fail (REINS_IS_BENCH (self), NULL);

  first = g_ptr_array_index (self->tasks, 0);
  if (first->chain_length > 0)
    return g_strdup_printf (_("%u tasks × %u: knowledge-base chains of %u lookups; "
                              "provider %s; person: %s"),
                            self->tasks->len, self->repeat, first->chain_length,
                            self->provider->name, reins_bench_person_to_string (self->person));
  return g_strdup_printf (_("%u tasks × %u from a suite file; provider %s; person: %s"),
                          self->tasks->len, self->repeat, self->provider->name,
                          reins_bench_person_to_string (self->person));
}

/**
 * reins_bench_format_table:
 *
 * Returns: (transfer full): what the bench runs, then its results as an aligned text table,
 *   one line per set-up
 */
char *
reins_bench_format_table (ReinsBench *self)
{
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  guint widths[REINS_BENCH_N_COLUMNS] = { 0 };
  g_autofree char *description = NULL;
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (REINS_IS_BENCH (self), NULL);

  results = reins_bench_dup_results (self);
  description = reins_bench_describe (self);
  g_string_append_printf (out, "%s\n\n", description);

  {
    char **row = g_new0 (char *, REINS_BENCH_N_COLUMNS + 1);

    for (guint c = 0; c < REINS_BENCH_N_COLUMNS; c++)
      row[c] = g_strdup (reins_bench_column_title (c));
    g_ptr_array_add (rows, row);
  }
  for (guint i = 0; i < results->len; i++)
    g_ptr_array_add (rows, reins_bench_result_format (g_ptr_array_index (results, i)));

  for (guint i = 0; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);

      for (guint c = 0; c < REINS_BENCH_N_COLUMNS; c++)
        widths[c] = MAX (widths[c], (guint) g_utf8_strlen (row[c], -1));
    }

  for (guint i = 0; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);

      for (guint c = 0; c < REINS_BENCH_N_COLUMNS; c++)
        {
          if (c > 0)
            g_string_append (out, "  ");
          append_cell (out, row[c], widths[c], c > 0);
        }
      g_string_append_c (out, '\n');
    }

  return g_string_free (out, FALSE);
}
