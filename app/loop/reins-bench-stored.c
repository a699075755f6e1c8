/* reins-bench-stored.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A bench read back from the store: its runs, tagged with the bench in their settings,
 * give its tasks, set-ups and outcomes again.
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "reins-bench-private.h"
#include "reins-kb.h"

/* ---------------------------------------------------------------------------------------
 * A bench read back from the store
 */

static gboolean
setup_from_name (const char *name,
                 Setup      *setup)
{
  memset (setup, 0, sizeof *setup);
  if (g_strcmp0 (name, "linear") == 0)
    setup->kind = SETUP_LINEAR;
  else if (g_strcmp0 (name, "loop") == 0)
    setup->kind = SETUP_LOOP;
  else if (g_strcmp0 (name, "harness") == 0)
    setup->kind = SETUP_HARNESS;
  else if (name != NULL && g_str_has_prefix (name, "harness-no-") &&
           name[strlen ("harness-no-")] != '\0')
    {
      setup->kind = SETUP_HARNESS;
      setup->guard_off = g_strdup (name + strlen ("harness-no-"));
    }
  else
    return FALSE;
  setup->name = g_strdup (name);
  return TRUE;
}

/* The order of `--setups=linear,loop,harness,ablations`. */
static guint
setup_rank (const Setup *setup)
{
  if (setup->guard_off == NULL)
    return setup->kind;
  for (guint g = 0; reins_harness_guard_names[g] != NULL; g++)
    if (g_str_equal (reins_harness_guard_names[g], setup->guard_off))
      return 3 + g;
  return G_MAXUINT;
}

static gint
setup_compare (gconstpointer a,
               gconstpointer b)
{
  guint ra = setup_rank (a), rb = setup_rank (b);

  if (ra != rb)
    return ra < rb ? -1 : 1;
  return g_strcmp0 (((const Setup *) a)->name, ((const Setup *) b)->name);
}

static JsonObject *
bench_tag (ReinsRun *run)
{
  JsonObject *settings = reins_run_get_settings (run);
  JsonNode *node = settings != NULL ? json_object_get_member (settings, "bench") : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* Every run of the store, newest first, that @keep accepts. */
static GPtrArray *
stored_runs (ReinsStore  *store,
             gboolean   (*keep) (ReinsRun *run, gpointer data),
             gpointer     data,
             GError     **error)
{
  GPtrArray *kept = g_ptr_array_new_with_free_func (g_object_unref);
  const guint page = 500;

  for (guint offset = 0;; offset += page)
    {
      g_autoptr(GPtrArray) runs = reins_store_list_runs (store, -1, offset, page, error);

      if (runs == NULL)
        {
          g_ptr_array_unref (kept);
          return NULL;
        }
      for (guint i = 0; i < runs->len; i++)
        if (keep (g_ptr_array_index (runs, i), data))
          g_ptr_array_add (kept, g_object_ref (g_ptr_array_index (runs, i)));
      if (runs->len < page)
        return kept;
    }
}

static gboolean
is_bench_run (ReinsRun *run,
              gpointer  data)
{
  JsonObject *tag = bench_tag (run);

  return tag != NULL && (data == NULL ||
                         g_strcmp0 (json_object_get_string_member_with_default (tag, "id", NULL),
                                    data) == 0);
}

/**
 * reins_bench_list_stored:
 *
 * Returns: (transfer full) (element-type utf8): the ids of the benches with runs in @store,
 *   the newest first, or %NULL with @error set
 */
GPtrArray *
reins_bench_list_stored (ReinsStore  *store,
                         GError     **error)
{
  g_autoptr(GPtrArray) runs = NULL;
  GPtrArray *ids;

  g_return_val_if_fail (REINS_IS_STORE (store), NULL);

  runs = stored_runs (store, is_bench_run, NULL, error);
  if (runs == NULL)
    return NULL;
  ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < runs->len; i++)
    {
      const char *id = json_object_get_string_member_with_default (
        bench_tag (g_ptr_array_index (runs, i)), "id", NULL);

      if (id != NULL && !g_ptr_array_find_with_equal_func (ids, id, g_str_equal, NULL))
        g_ptr_array_add (ids, g_strdup (id));
    }
  return ids;
}

/* The task of a stored run, from its text and its tag. */
static ReinsBenchTask *
task_from_run (ReinsRun   *run,
               JsonObject *tag,
               guint       index)
{
  ReinsBenchTask *task = g_new0 (ReinsBenchTask, 1);
  const char *match = json_object_get_string_member_with_default (tag, "match", "exact");
  guint seed, length;

  task->task = g_strdup (reins_run_get_task (run));
  task->expected = g_strdup (json_object_get_string_member_with_default (tag, "expected", ""));
  task->id = g_strdup_printf ("%u", index);
  for (guint m = 0; m <= REINS_BENCH_MATCH_NUMERIC; m++)
    if (g_str_equal (match, reins_bench_match_to_string (m)))
      task->match = (ReinsBenchMatch) m;
  if (g_strcmp0 (json_object_get_string_member_with_default (tag, "suite", NULL), "chains") == 0 &&
      reins_kb_parse_task (task->task, &seed, &length))
    {
      task->chain_seed = seed;
      task->chain_length = length;
      task->min_steps = length + 1;
    }
  return task;
}

/**
 * reins_bench_new_from_store:
 * @bench_id: a bench's id, as its runs' settings carry it
 *
 * The bench @bench_id as its stored runs tell it, its figures computed again from the
 * steps: what the window shows of a bench run from the command line. A run that did not
 * end, or that the bench cancelled, is left out.
 *
 * Returns: (transfer full): a bench that has ended, or %NULL with @error set
 */
ReinsBench *
reins_bench_new_from_store (ReinsStore  *store,
                            const char  *bench_id,
                            GError     **error)
{
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) reins_bench_task_free);
  g_autoptr(JsonObject) settings = NULL;
  g_autoptr(ReinsProviderConfig) config = NULL;
  ReinsBench *self;
  ReinsRun *first;
  guint n_tasks = 0, repeat = 1;

  g_return_val_if_fail (REINS_IS_STORE (store), NULL);
  g_return_val_if_fail (bench_id != NULL, NULL);

  runs = stored_runs (store, is_bench_run, (gpointer) bench_id, error);
  if (runs == NULL)
    return NULL;
  if (runs->len == 0)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_NOT_FOUND, _("There is no bench %s in the store"),
                   bench_id);
      return NULL;
    }

  first = g_ptr_array_index (runs, runs->len - 1);
  settings = reins_json_object_deep_copy (reins_run_get_settings (first));
  json_object_remove_member (settings, "bench");
  config = reins_provider_config_new (reins_run_get_provider (first) != NULL
                                        ? reins_run_get_provider (first) : "sim");
  config->sim_accuracy = reins_settings_get_double (settings, "sim_accuracy", 0.88);

  for (guint i = 0; i < runs->len; i++)
    {
      JsonObject *tag = bench_tag (g_ptr_array_index (runs, i));

      n_tasks = MAX (n_tasks, (guint) json_object_get_int_member_with_default (tag, "task", 0) + 1);
      repeat = MAX (repeat, (guint) json_object_get_int_member_with_default (tag, "repeat", 0) + 1);
    }
  g_ptr_array_set_size (tasks, n_tasks);
  for (guint i = 0; i < runs->len; i++)
    {
      ReinsRun *run = g_ptr_array_index (runs, i);
      JsonObject *tag = bench_tag (run);
      guint t = (guint) json_object_get_int_member_with_default (tag, "task", 0);

      if (g_ptr_array_index (tasks, t) == NULL)
        g_ptr_array_index (tasks, t) = task_from_run (run, tag, t);
    }
  for (guint t = 0; t < n_tasks; t++)
    if (g_ptr_array_index (tasks, t) == NULL)
      g_ptr_array_index (tasks, t) = g_new0 (ReinsBenchTask, 1);  /* no run ended */

  self = reins_bench_new (tasks, settings, config, reins_store_get_path (store));
  g_free (self->id);
  self->id = g_strdup (bench_id);
  self->repeat = repeat;
  reins_bench_person_from_string (json_object_get_string_member_with_default (
                                    bench_tag (first), "person", NULL), &self->person);
  self->store = g_object_ref (store);

  g_array_set_size (self->setups, 0);
  for (guint i = 0; i < runs->len; i++)
    {
      const char *name = json_object_get_string_member_with_default (
        bench_tag (g_ptr_array_index (runs, i)), "setup", NULL);
      Setup setup;
      gboolean known = FALSE;

      for (guint s = 0; s < self->setups->len && !known; s++)
        known = g_str_equal (g_array_index (self->setups, Setup, s).name, name);
      if (!known && setup_from_name (name, &setup))
        g_array_append_val (self->setups, setup);
    }
  g_array_sort (self->setups, setup_compare);

  self->n_jobs = reins_bench_get_n_total (self);
  self->job = g_new0 (Job, self->n_jobs);
  for (guint i = 0; i < runs->len; i++)
    {
      ReinsRun *run = g_ptr_array_index (runs, i);
      JsonObject *tag = bench_tag (run);
      const char *name = json_object_get_string_member_with_default (tag, "setup", NULL);
      guint t = (guint) json_object_get_int_member_with_default (tag, "task", 0);
      guint r = (guint) json_object_get_int_member_with_default (tag, "repeat", 0);
      Job *job = NULL;

      for (guint s = 0; s < self->setups->len; s++)
        if (g_str_equal (g_array_index (self->setups, Setup, s).name, name))
          job = &self->job[(s * self->repeat + r) * self->tasks->len + t];
      if (job == NULL || job->done || !reins_run_status_is_final (reins_run_get_status (run)) ||
          reins_run_get_status (run) == REINS_RUN_STATUS_CANCELLED)
        continue;

      job->bench = self;
      job->setup = (guint) ((job - self->job) / (self->repeat * self->tasks->len));
      job->task = t;
      job->repeat = r;
      _reins_bench_record_outcome (self, job, run);
      job->questions = job->stored_questions;
      job->failed = reins_run_get_status (run) == REINS_RUN_STATUS_FAILED;
      job->done = TRUE;
      self->n_done++;
    }
  return self;
}
