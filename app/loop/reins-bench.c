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

#include "reins-bench.h"
#include "reins-executor.h"
#include "reins-harness.h"
#include "reins-kb.h"
#include "reins-store.h"

/* Loop set-ups of a chain get this many times its fewest steps (at least the run default). */
#define CHAIN_STEP_FACTOR 3
/* Seeds of the repeats of one task lie this far apart. */
#define REPEAT_SEED_STRIDE 1000003

typedef enum
{
  SETUP_LINEAR,
  SETUP_LOOP,
  SETUP_HARNESS,
} SetupKind;

typedef struct
{
  char      *name;
  SetupKind  kind;
  char      *guard_off;  /* an ablation: the guard turned off */
} Setup;

typedef enum
{
  OUTCOME_RIGHT,
  OUTCOME_WRONG,
  OUTCOME_NONE,
} Outcome;

typedef struct
{
  ReinsBench    *bench;
  guint          setup;
  guint          task;
  guint          repeat;
  ReinsExecutor *executor;  /* while it runs */
  gboolean       done;
  Outcome        outcome;
  gboolean       failed;
  guint          questions;
  guint          stored_questions;  /* the approvals stored on the steps */
  guint          steps;
  guint          steps_judged;
  guint          steps_right;
  guint64        input_tokens;
  guint64        output_tokens;
  double         cost_usd;
} Job;

struct _ReinsBench
{
  GObject              parent_instance;

  char                *id;
  GPtrArray           *tasks;      /* ReinsBenchTask */
  JsonObject          *settings;   /* every run's, before the set-up's changes */
  ReinsProviderConfig *provider;
  char                *db_path;
  ReinsStore          *store;      /* to read the steps back */
  GArray              *setups;     /* Setup */
  ReinsBenchPerson     person;
  guint                repeat;
  guint                jobs;
  int                  max_steps;

  Job                 *job;
  guint                n_jobs;
  guint                next_job;
  guint                n_running;
  guint                n_done;
  guint                n_reached;  /* runs that got past the provider */
  GError              *error;
  gboolean             running;
  gboolean             cancelled;
};

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

static gboolean
is_sim (ReinsBench *self)
{
  return g_strcmp0 (self->provider->name, "sim") == 0;
}

static guint
loop_max_steps (ReinsBench     *self,
                ReinsBenchTask *task)
{
  guint run_default = (guint) reins_settings_get_int (self->settings, "max_steps", 20);

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
  if (is_sim (self))
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

static void
record_outcome (ReinsBench *self,
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
  record_outcome (self, job, run);
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

  if (is_sim (self))
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
      record_outcome (self, job, run);
      job->questions = job->stored_questions;
      job->failed = reins_run_get_status (run) == REINS_RUN_STATUS_FAILED;
      job->done = TRUE;
      self->n_done++;
    }
  return self;
}

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

static double
per_run (double value,
         guint  runs)
{
  return runs > 0 ? value / runs : 0;
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

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "bench_id");
  json_builder_add_string_value (builder, self->id);
  json_builder_set_member_name (builder, "complete");
  json_builder_add_boolean_value (builder, self->n_jobs > 0 && self->n_done == self->n_jobs);

  json_builder_set_member_name (builder, "settings");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "suite");
  json_builder_add_string_value (builder, suite_name (self));
  json_builder_set_member_name (builder, "tasks");
  json_builder_add_int_value (builder, self->tasks->len);
  json_builder_set_member_name (builder, "length");
  if (first->chain_length > 0)
    json_builder_add_int_value (builder, first->chain_length);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "repeat");
  json_builder_add_int_value (builder, self->repeat);
  json_builder_set_member_name (builder, "jobs");
  json_builder_add_int_value (builder, self->jobs);
  json_builder_set_member_name (builder, "person");
  json_builder_add_string_value (builder, reins_bench_person_to_string (self->person));
  json_builder_set_member_name (builder, "provider");
  json_builder_add_string_value (builder, self->provider->name);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, reins_settings_get_string (self->settings, "model",
                                                                     self->provider->name));
  if (is_sim (self))
    {
      json_builder_set_member_name (builder, "sim_accuracy");
      json_builder_add_double_value (builder, self->provider->sim_accuracy > 0
                                                ? self->provider->sim_accuracy : 0.88);
      json_builder_set_member_name (builder, "seed");
      json_builder_add_int_value (builder, (gint64) self->provider->seed);
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

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, r->name);
      json_builder_set_member_name (builder, "guard_off");
      if (setup->guard_off != NULL)
        json_builder_add_string_value (builder, setup->guard_off);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "runs");
      json_builder_add_int_value (builder, r->runs);
      json_builder_set_member_name (builder, "step_accuracy");
      if (r->steps_judged > 0)
        json_builder_add_double_value (builder, (double) r->steps_right / r->steps_judged);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "steps_judged");
      json_builder_add_int_value (builder, r->steps_judged);
      json_builder_set_member_name (builder, "steps_right");
      json_builder_add_int_value (builder, r->steps_right);
      json_builder_set_member_name (builder, "right");
      json_builder_add_int_value (builder, r->right);
      json_builder_set_member_name (builder, "wrong");
      json_builder_add_int_value (builder, r->wrong);
      json_builder_set_member_name (builder, "none");
      json_builder_add_int_value (builder, r->none);
      json_builder_set_member_name (builder, "failed");
      json_builder_add_int_value (builder, r->failed);
      json_builder_set_member_name (builder, "right_rate");
      json_builder_add_double_value (builder, per_run (r->right, r->runs));
      json_builder_set_member_name (builder, "questions");
      json_builder_add_int_value (builder, r->questions);
      json_builder_set_member_name (builder, "questions_per_task");
      json_builder_add_double_value (builder, per_run (r->questions, r->runs));
      json_builder_set_member_name (builder, "steps");
      json_builder_add_int_value (builder, r->steps);
      json_builder_set_member_name (builder, "steps_per_task");
      json_builder_add_double_value (builder, per_run (r->steps, r->runs));
      json_builder_set_member_name (builder, "input_tokens");
      json_builder_add_int_value (builder, (gint64) r->input_tokens);
      json_builder_set_member_name (builder, "output_tokens");
      json_builder_add_int_value (builder, (gint64) r->output_tokens);
      json_builder_set_member_name (builder, "tokens_per_task");
      json_builder_add_double_value (builder, per_run ((double) (r->input_tokens + r->output_tokens),
                                                       r->runs));
      json_builder_set_member_name (builder, "cost_usd");
      json_builder_add_double_value (builder, r->cost_usd);
      json_builder_set_member_name (builder, "cost_per_task_usd");
      json_builder_add_double_value (builder, per_run (r->cost_usd, r->runs));
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
  row[5] = g_strdup_printf ("%.2f", per_run (r->questions, r->runs));
  row[6] = g_strdup_printf ("%.1f", per_run (r->steps, r->runs));
  row[7] = g_strdup_printf ("%.0f", per_run ((double) (r->input_tokens + r->output_tokens),
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
