/* reins-bench.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs a suite of tasks through the real executor, N at a time from the main context, under
 * each set-up, and sums what came of the runs per set-up. Every run is stored like any
 * other and tagged with the bench in its settings, so it opens in the window.
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "reins-bench-private.h"
#include "reins-executor.h"
#include "reins-harness.h"
#include "reins-kb.h"
#include "reins-run-settings.h"
#include "reins-store.h"

G_DEFINE_FINAL_TYPE (ReinsBench, reins_bench, G_TYPE_OBJECT)

enum {
  PROGRESS,
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---------------------------------------------------------------------------------------
 * The person
 */

static const char * const person_names[] = { "approve", "reject", "judge" };

const char *
reins_bench_person_to_string (ReinsBenchPerson person)
{
  g_return_val_if_fail (person <= REINS_BENCH_PERSON_JUDGE, "judge");
  return person_names[person];
}

gboolean
reins_bench_person_from_string (const char       *text,
                                ReinsBenchPerson *person)
{
  for (guint i = 0; i < G_N_ELEMENTS (person_names); i++)
    if (g_strcmp0 (text, person_names[i]) == 0)
      {
        *person = (ReinsBenchPerson) i;
        return TRUE;
      }
  return FALSE;
}

void
reins_bench_result_free (ReinsBenchResult *result)
{
  if (result == NULL)
    return;
  g_free (result->name);
  g_free (result);
}

/* ---------------------------------------------------------------------------------------
 * The object
 */

static void
setup_clear (Setup *setup)
{
  g_clear_pointer (&setup->name, g_free);
  g_clear_pointer (&setup->guard_off, g_free);
}

static void
reins_bench_dispose (GObject *object)
{
  ReinsBench *self = REINS_BENCH (object);

  for (guint i = 0; i < self->n_jobs; i++)
    if (self->job[i].executor != NULL)
      {
        g_signal_handlers_disconnect_by_data (self->job[i].executor, &self->job[i]);
        reins_executor_cancel (self->job[i].executor);
        g_clear_object (&self->job[i].executor);
      }
  g_clear_object (&self->store);

  G_OBJECT_CLASS (reins_bench_parent_class)->dispose (object);
}

static void
reins_bench_finalize (GObject *object)
{
  ReinsBench *self = REINS_BENCH (object);

  g_free (self->id);
  g_clear_pointer (&self->tasks, g_ptr_array_unref);
  g_clear_pointer (&self->settings, json_object_unref);
  g_clear_pointer (&self->provider, reins_provider_config_free);
  g_free (self->db_path);
  g_clear_pointer (&self->setups, g_array_unref);
  g_free (self->job);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (reins_bench_parent_class)->finalize (object);
}

static void
reins_bench_class_init (ReinsBenchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = reins_bench_dispose;
  object_class->finalize = reins_bench_finalize;

  /**
   * ReinsBench::progress:
   * @done: runs finished
   * @total: runs in the bench
   *
   * On the main context, after each run.
   */
  signals[PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);

  /**
   * ReinsBench::finished:
   *
   * Every run has ended, or the bench was cancelled or stopped by an error.
   */
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
reins_bench_init (ReinsBench *self)
{
  self->id = g_uuid_string_random ();
  self->setups = g_array_new (FALSE, TRUE, sizeof (Setup));
  g_array_set_clear_func (self->setups, (GDestroyNotify) setup_clear);
  self->person = REINS_BENCH_PERSON_JUDGE;
  self->repeat = 1;
  self->jobs = 1;
  self->max_steps = -1;
}

/**
 * reins_bench_new:
 * @tasks: (element-type ReinsBenchTask): the suite; the bench keeps a reference
 * @settings: the settings of every run (run options, guard options), which each set-up
 *   changes for its runs
 * @provider: the provider of every run; a `sim` provider's seed is varied per task and repeat
 * @db_path: (nullable): the store, or %NULL for the default
 *
 * A bench with the set-ups linear, loop and harness and the judging person.
 */
ReinsBench *
reins_bench_new (GPtrArray                 *tasks,
                 JsonObject                *settings,
                 const ReinsProviderConfig *provider,
                 const char                *db_path)
{
  ReinsBench *self;

  g_return_val_if_fail (tasks != NULL && tasks->len > 0, NULL);
  g_return_val_if_fail (settings != NULL, NULL);
  g_return_val_if_fail (provider != NULL, NULL);

  self = g_object_new (REINS_TYPE_BENCH, NULL);
  self->tasks = g_ptr_array_ref (tasks);
  self->settings = reins_json_object_deep_copy (settings);
  self->provider = reins_provider_config_copy (provider);
  self->db_path = db_path != NULL ? g_strdup (db_path) : reins_store_default_location ();
  reins_bench_set_setups (self, "linear,loop,harness", NULL);
  return self;
}

const char *
reins_bench_get_id (ReinsBench *self)
{
  g_return_val_if_fail (REINS_IS_BENCH (self), NULL);
  return self->id;
}

static void
add_setup (ReinsBench *self,
           const char *name,
           SetupKind   kind,
           const char *guard_off)
{
  Setup setup = { g_strdup (name), kind, g_strdup (guard_off) };

  for (guint i = 0; i < self->setups->len; i++)
    if (g_str_equal (g_array_index (self->setups, Setup, i).name, name))
      {
        setup_clear (&setup);
        return;
      }
  g_array_append_val (self->setups, setup);
}

/**
 * reins_bench_set_setups:
 * @list: comma-separated: `linear`, `loop`, `harness`, `ablations` (the harness with each
 *   guard but max_steps off in turn, one set-up per guard)
 */
gboolean
reins_bench_set_setups (ReinsBench  *self,
                        const char  *list,
                        GError     **error)
{
  g_auto(GStrv) names = NULL;
  g_autoptr(GArray) previous = NULL;

  g_return_val_if_fail (REINS_IS_BENCH (self), FALSE);
  g_return_val_if_fail (!self->running && self->job == NULL, FALSE);
  g_return_val_if_fail (list != NULL, FALSE);

  previous = g_steal_pointer (&self->setups);
  self->setups = g_array_new (FALSE, TRUE, sizeof (Setup));
  g_array_set_clear_func (self->setups, (GDestroyNotify) setup_clear);

  names = g_strsplit (list, ",", -1);
  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *name = g_strstrip (names[i]);

      if (*name == '\0')
        continue;
      if (g_str_equal (name, "linear"))
        add_setup (self, name, SETUP_LINEAR, NULL);
      else if (g_str_equal (name, "loop"))
        add_setup (self, name, SETUP_LOOP, NULL);
      else if (g_str_equal (name, "harness"))
        add_setup (self, name, SETUP_HARNESS, NULL);
      else if (g_str_equal (name, "ablations"))
        {
          for (guint g = 0; reins_harness_guard_names[g] != NULL; g++)
            {
              const char *guard = reins_harness_guard_names[g];
              g_autofree char *setup_name = NULL;

              /* Without max_steps a run need not end; a guard already off has no ablation. */
              if (g_str_equal (guard, "max_steps") ||
                  reins_settings_list_contains (self->settings, "disabled_guards", guard))
                continue;
              setup_name = g_strdup_printf ("harness-no-%s", guard);
              add_setup (self, setup_name, SETUP_HARNESS, guard);
            }
        }
      else
        {
          g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
                       _("There is no set-up “%s” (linear, loop, harness, ablations)"), name);
          g_clear_pointer (&self->setups, g_array_unref);
          self->setups = g_steal_pointer (&previous);
          return FALSE;
        }
    }

  if (self->setups->len == 0)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE, _("No set-up given"));
      g_clear_pointer (&self->setups, g_array_unref);
      self->setups = g_steal_pointer (&previous);
      return FALSE;
    }
  return TRUE;
}

void
reins_bench_set_person (ReinsBench       *self,
                        ReinsBenchPerson  person)
{
  g_return_if_fail (REINS_IS_BENCH (self));
  self->person = person;
}

void
reins_bench_set_repeat (ReinsBench *self,
                        guint       repeat)
{
  g_return_if_fail (REINS_IS_BENCH (self));
  g_return_if_fail (repeat >= 1);
  g_return_if_fail (self->job == NULL);  /* not once started: the runs are laid out */
  self->repeat = repeat;
}

void
reins_bench_set_jobs (ReinsBench *self,
                      guint       jobs)
{
  g_return_if_fail (REINS_IS_BENCH (self));
  g_return_if_fail (jobs >= 1);
  self->jobs = jobs;
}

/* @max_steps: the step limit of the loop set-ups; -1: three times a chain's fewest steps
 * (at least the runs' own limit), or the runs' own limit for a user's suite. */
void
reins_bench_set_max_steps (ReinsBench *self,
                           int         max_steps)
{
  g_return_if_fail (REINS_IS_BENCH (self));
  self->max_steps = max_steps;
}

gboolean
reins_bench_is_running (ReinsBench *self)
{
  g_return_val_if_fail (REINS_IS_BENCH (self), FALSE);
  return self->running;
}

guint
reins_bench_get_n_done (ReinsBench *self)
{
  g_return_val_if_fail (REINS_IS_BENCH (self), 0);
  return self->n_done;
}

guint
reins_bench_get_n_total (ReinsBench *self)
{
  g_return_val_if_fail (REINS_IS_BENCH (self), 0);
  return self->setups->len * self->tasks->len * self->repeat;
}

const GError *
reins_bench_get_error (ReinsBench *self)
{
  g_return_val_if_fail (REINS_IS_BENCH (self), NULL);
  return self->error;
}

/* ---------------------------------------------------------------------------------------
 * Runs
 */

gboolean
_reins_bench_is_sim (ReinsBench *self)
{
  return g_strcmp0 (self->provider->name, "sim") == 0;
}

static guint
loop_max_steps (ReinsBench     *self,
                ReinsBenchTask *task)
{
  guint run_default = (guint) reins_settings_get_int (self->settings, "max_steps",
                                                      REINS_RUN_SETTINGS_DEFAULT_MAX_STEPS);

  if (self->max_steps > 0)
    return (guint) self->max_steps;
  if (task->chain_length > 0)
    return MAX (run_default, CHAIN_STEP_FACTOR * task->min_steps);
  return run_default;
}

static JsonArray *
strv_to_array (const char * const *strv,
               const char         *skip)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    if (g_strcmp0 (strv[i], skip) != 0)
      json_array_add_string_element (array, strv[i]);
  return array;
}

static guint64
job_seed (ReinsBench *self,
          Job        *job)
{
  ReinsBenchTask *task = g_ptr_array_index (self->tasks, job->task);
  guint64 base = task->chain_length > 0 ? task->chain_seed : job->task + 1;

  return self->provider->seed + base + (guint64) job->repeat * REPEAT_SEED_STRIDE;
}

/* The settings of one run: the bench's, changed by the set-up, and the bench tag. */
static JsonObject *
job_settings (ReinsBench *self,
              Job        *job)
{
  Setup *setup = &g_array_index (self->setups, Setup, job->setup);
  ReinsBenchTask *task = g_ptr_array_index (self->tasks, job->task);
  JsonObject *settings = reins_json_object_deep_copy (self->settings);
  JsonObject *tag = json_object_new ();
  guint max_steps = loop_max_steps (self, task);

  if (task->tools != NULL)
    json_object_set_array_member (settings, "tools",
                                  strv_to_array ((const char * const *) task->tools, NULL));

  switch (setup->kind)
    {
    case SETUP_LINEAR:
    case SETUP_LOOP:
      /* No harness: every guard off but the step limit, and no restated task. */
      json_object_set_array_member (settings, "disabled_guards",
                                    strv_to_array (reins_harness_guard_names, "max_steps"));
      json_object_set_int_member (settings, "goal_every", 0);
      if (setup->kind == SETUP_LINEAR && task->min_steps > 0)
        max_steps = task->min_steps;
      break;

    case SETUP_HARNESS:
      if (setup->guard_off != NULL)
        {
          JsonNode *node = json_object_get_member (settings, "disabled_guards");
          JsonArray *off;

          if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
            json_object_set_array_member (settings, "disabled_guards", json_array_new ());
          off = json_object_get_array_member (settings, "disabled_guards");
          json_array_add_string_element (off, setup->guard_off);
        }
      break;

    default:
      g_assert_not_reached ();
    }

  json_object_set_int_member (settings, "max_steps", max_steps);
  if (_reins_bench_is_sim (self))
    json_object_set_int_member (settings, "seed", (gint64) job_seed (self, job));

  json_object_set_string_member (tag, "id", self->id);
  json_object_set_string_member (tag, "setup", setup->name);
  json_object_set_int_member (tag, "task", job->task);
  json_object_set_int_member (tag, "repeat", job->repeat);
  /* Enough to tell the outcome again from the store alone (reins_bench_new_from_store). */
  json_object_set_string_member (tag, "suite", task->chain_length > 0 ? "chains" : "file");
  json_object_set_string_member (tag, "expected", task->expected);
  json_object_set_string_member (tag, "match", reins_bench_match_to_string (task->match));
  json_object_set_string_member (tag, "person", reins_bench_person_to_string (self->person));
  json_object_set_object_member (settings, "bench", tag);
  return settings;
}

static void start_jobs (ReinsBench *self);

/**
 * reins_bench_person_decide:
 * @record: what the person is asked about
 * @step: (nullable): the step as stored when the question was put, with its verdicts
 *
 * What the simulated @person answers: approve, or reject. The judging person rejects when a
 * guard other than policy or confidence asks, or when such a guard found something wrong
 * with the step (a verdict of correct or worse) in the phase of the question: after the
 * observation when the step has one, before the action otherwise.
 */
ReinsDecision
reins_bench_person_decide (ReinsBenchPerson     person,
                           ReinsApprovalRecord *record,
                           ReinsStep           *step)
{
  const char *guard;
  ReinsVerdictPhase phase;
  GPtrArray *verdicts;

  g_return_val_if_fail (REINS_IS_APPROVAL_RECORD (record), REINS_DECISION_REJECT);

  if (person == REINS_BENCH_PERSON_APPROVE)
    return REINS_DECISION_APPROVE;
  if (person == REINS_BENCH_PERSON_REJECT)
    return REINS_DECISION_REJECT;

  guard = reins_approval_record_get_guard (record);
  if (g_strcmp0 (guard, "policy") != 0 && g_strcmp0 (guard, "confidence") != 0)
    return REINS_DECISION_REJECT;
  if (step == NULL)
    return REINS_DECISION_APPROVE;

  phase = reins_step_get_observation (step) != NULL ? REINS_VERDICT_PHASE_AFTER_OBSERVATION
                                                    : REINS_VERDICT_PHASE_BEFORE_ACTION;
  verdicts = reins_step_get_verdicts (step);
  for (guint i = 0; i < verdicts->len; i++)
    {
      ReinsVerdict *v = g_ptr_array_index (verdicts, i);
      const char *name = reins_verdict_get_guard (v);

      if (reins_verdict_get_phase (v) == phase &&
          reins_verdict_get_kind (v) >= REINS_VERDICT_CORRECT &&
          !g_str_equal (name, "policy") && !g_str_equal (name, "confidence"))
        return REINS_DECISION_REJECT;
    }
  return REINS_DECISION_APPROVE;
}

static void
approval_requested_cb (ReinsExecutor *executor,
                       ReinsApproval *approval,
                       Job           *job)
{
  ReinsBench *self = job->bench;
  ReinsApprovalRecord *record = reins_approval_get_record (approval);
  g_autoptr(ReinsStep) step = NULL;

  job->questions++;

  /* A simulated person knows nothing the agent could ask for. */
  if (reins_approval_is_question (approval))
    {
      reins_approval_reject (approval, NULL);
      return;
    }

  /* The step was stored before the question was put. */
  if (self->person == REINS_BENCH_PERSON_JUDGE)
    step = reins_store_get_step (self->store, reins_approval_get_run_id (approval),
                                 reins_approval_record_get_step (record), NULL);

  if (reins_bench_person_decide (self->person, record, step) == REINS_DECISION_APPROVE)
    reins_approval_approve (approval, FALSE);
  else if (self->person == REINS_BENCH_PERSON_REJECT)
    reins_approval_reject (approval, _("Rejected: this person rejects everything it is "
                                       "asked about (--person=reject)."));
  else
    reins_approval_reject (approval, reins_approval_record_get_reason (record));
}

/* Whether a run's steps were each right for its knowledge-base chain: the next lookup, or
 * the finish with the value once the chain's end was read. Counts them into @job and says
 * whether every step was right. */
static gboolean
judge_chain_steps (Job            *job,
                   ReinsBenchTask *task,
                   GPtrArray      *steps)
{
  guint position = 0;  /* the index of the key to look up next; = length: the value is read */
  g_autofree char *value = reins_kb_value (task->chain_seed, task->chain_length);
  gboolean all_right = TRUE;

  for (guint i = 0; i < steps->len; i++)
    {
      ReinsStep *step = g_ptr_array_index (steps, i);
      ReinsAction *action = reins_step_get_action (step);
      const char *name = action != NULL ? reins_action_get_name (action) : NULL;
      gboolean right = FALSE;

      if (g_strcmp0 (name, "kb_lookup") == 0 && position < task->chain_length)
        {
          g_autofree char *key = reins_kb_key (task->chain_seed, task->chain_length, position);
          g_autofree char *result = position + 1 < task->chain_length
                                      ? reins_kb_key (task->chain_seed, task->chain_length,
                                                      position + 1)
                                      : g_strdup (value);
          const char *observation = reins_step_get_observation (step);

          right = g_strcmp0 (reins_action_get_string_argument (action, "key"), key) == 0;
          /* The chain moves on only when the lookup ran (not when a person rejected it). */
          if (right && !reins_step_get_tool_error (step) && observation != NULL &&
              strstr (observation, result) != NULL)
            position++;
        }
      else if (g_strcmp0 (name, "finish") == 0 && position == task->chain_length)
        {
          g_autofree char *answer = g_strdup (reins_action_get_string_argument (action, "answer"));

          right = answer != NULL && g_str_equal (g_strstrip (answer), value);
        }

      job->steps_judged++;
      if (right)
        job->steps_right++;
      else
        all_right = FALSE;
    }
  return all_right;
}

/* For a task of a user's suite, where a step's rightness is unknown: whether no step failed
 * (a tool error, no valid action) or was wasted (the same action again). */
static gboolean
no_failed_or_wasted_step (GPtrArray *steps)
{
  for (guint i = 0; i < steps->len; i++)
    {
      ReinsStep *step = g_ptr_array_index (steps, i);
      ReinsAction *action = reins_step_get_action (step);

      if (action == NULL || reins_step_get_tool_error (step))
        return FALSE;
      for (guint j = 0; j < i; j++)
        {
          ReinsAction *earlier = reins_step_get_action (g_ptr_array_index (steps, j));

          if (earlier != NULL && reins_action_equal (earlier, action))
            return FALSE;
        }
    }
  return TRUE;
}

void
_reins_bench_record_outcome (ReinsBench *self,
                Job        *job,
                ReinsRun   *run)
{
  Setup *setup = &g_array_index (self->setups, Setup, job->setup);
  ReinsBenchTask *task = g_ptr_array_index (self->tasks, job->task);
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(GError) error = NULL;
  gboolean clean;

  steps = reins_store_get_steps (self->store, reins_run_get_id (run), 1, G_MAXUINT, &error);
  if (steps == NULL)
    {
      g_warning ("Bench %s: cannot read the steps of run %s: %s", self->id,
                 reins_run_get_id (run), error->message);
      steps = g_ptr_array_new_with_free_func (g_object_unref);
    }

  job->stored_questions = 0;
  for (guint i = 0; i < steps->len; i++)
    job->stored_questions += reins_step_get_approvals (g_ptr_array_index (steps, i))->len;
  job->steps = reins_run_get_step_count (run);
  job->input_tokens = reins_run_get_input_tokens (run);
  job->output_tokens = reins_run_get_output_tokens (run);
  job->cost_usd = reins_run_get_cost_usd (run);

  if (task->chain_length > 0)
    clean = judge_chain_steps (job, task, steps);
  else
    clean = no_failed_or_wasted_step (steps);

  if (reins_run_get_status (run) != REINS_RUN_STATUS_COMPLETED)
    job->outcome = OUTCOME_NONE;
  else if (reins_bench_task_matches (task, reins_run_get_final_answer (run)) &&
           (setup->kind != SETUP_LINEAR || clean))
    job->outcome = OUTCOME_RIGHT;
  else
    job->outcome = OUTCOME_WRONG;
}

static void
finish_bench (ReinsBench *self)
{
  self->running = FALSE;
  g_signal_emit (self, signals[FINISHED], 0);
}

static void
executor_finished_cb (ReinsExecutor *executor,
                      ReinsRun      *run,
                      Job           *job)
{
  ReinsBench *self = job->bench;
  const GError *executor_error = reins_executor_get_error (executor);
  g_autoptr(GError) error = executor_error != NULL ? g_error_copy (executor_error) : NULL;

  /* The run as stored, as the window and reins_bench_new_from_store() read it. */
  g_autoptr(ReinsRun) stored = reins_store_get_run (self->store, reins_run_get_id (run), NULL);

  g_object_ref (self);

  if (stored != NULL)
    run = stored;
  _reins_bench_record_outcome (self, job, run);
  job->failed = reins_run_get_status (run) == REINS_RUN_STATUS_FAILED;
  /* A run the bench itself cancelled says nothing about the set-up: it is left out. */
  job->done = !(self->cancelled && reins_run_get_status (run) == REINS_RUN_STATUS_CANCELLED);
  self->n_done++;
  self->n_running--;

  g_signal_handlers_disconnect_by_data (executor, job);
  g_clear_object (&job->executor);

  g_signal_emit (self, signals[PROGRESS], 0, self->n_done, reins_bench_get_n_total (self));

  /* A provider that no run could reach stops the bench: every other run would fail too. */
  if (reins_error_is_provider (error) && self->n_reached == 0 && self->error == NULL)
    {
      self->error = g_steal_pointer (&error);
      reins_bench_cancel (self);
    }
  else if (!reins_error_is_provider (error))
    {
      self->n_reached++;
    }

  if (self->running)
    {
      start_jobs (self);
      if (self->n_running == 0)
        finish_bench (self);
    }

  g_object_unref (self);
}

static void
start_job (ReinsBench *self,
           Job        *job)
{
  ReinsBenchTask *task = g_ptr_array_index (self->tasks, job->task);
  g_autoptr(ReinsRun) run = reins_run_new (task->task);
  g_autoptr(JsonObject) settings = job_settings (self, job);
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_copy (self->provider);

  if (_reins_bench_is_sim (self))
    config->seed = job_seed (self, job);

  reins_run_set_settings (run, settings);
  reins_run_set_provider (run, self->provider->name);
  reins_run_set_model (run, reins_settings_get_string (settings, "model", NULL));

  job->executor = reins_executor_new (run, config, self->db_path);
  g_signal_connect (job->executor, "approval-requested", G_CALLBACK (approval_requested_cb), job);
  g_signal_connect (job->executor, "finished", G_CALLBACK (executor_finished_cb), job);
  self->n_running++;
  reins_executor_start (job->executor);
}

static void
start_jobs (ReinsBench *self)
{
  while (!self->cancelled && self->n_running < self->jobs && self->next_job < self->n_jobs)
    start_job (self, &self->job[self->next_job++]);
}

/**
 * reins_bench_start:
 *
 * Starts the runs, at most the bench's jobs at a time, driven from the thread-default main
 * context; ::progress follows each run, ::finished the last. Call once.
 */
void
reins_bench_start (ReinsBench *self)
{
  g_autoptr(GError) error = NULL;
  guint n = 0;

  g_return_if_fail (REINS_IS_BENCH (self));
  g_return_if_fail (self->job == NULL);

  self->running = TRUE;
  self->n_jobs = reins_bench_get_n_total (self);
  self->job = g_new0 (Job, self->n_jobs);
  for (guint s = 0; s < self->setups->len; s++)
    for (guint r = 0; r < self->repeat; r++)
      for (guint t = 0; t < self->tasks->len; t++)
        {
          Job *job = &self->job[n++];

          job->bench = self;
          job->setup = s;
          job->task = t;
          job->repeat = r;
        }

  self->store = reins_store_open (self->db_path, &error);
  if (self->store == NULL)
    {
      self->error = g_steal_pointer (&error);
      self->cancelled = TRUE;
      finish_bench (self);
      return;
    }

  start_jobs (self);
}

/* Cancels the running runs and starts no more; ::finished follows when they have ended. */
void
reins_bench_cancel (ReinsBench *self)
{
  g_return_if_fail (REINS_IS_BENCH (self));

  if (self->cancelled)
    return;
  self->cancelled = TRUE;
  for (guint i = 0; i < self->n_jobs; i++)
    if (self->job[i].executor != NULL)
      reins_executor_cancel (self->job[i].executor);
  if (self->running && self->n_running == 0)
    finish_bench (self);
}
