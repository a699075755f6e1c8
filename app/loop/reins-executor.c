/* reins-executor.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The executor's object: its controls, properties and signals. The worker thread
 * (reins-executor-worker.c) owns everything the loop touches — its own store connection,
 * provider (and so SoupSession), tools and harness — and talks to the main context only
 * through an ordered event queue drained here by one idle source, with token deltas
 * coalesced.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-executor-private.h"

G_DEFINE_FINAL_TYPE (ReinsExecutor, reins_executor, G_TYPE_OBJECT)

enum {
  STEP_STARTED,
  TOKEN,
  STEP_FINISHED,
  APPROVAL_REQUESTED,
  APPROVAL_RESOLVED,
  STATUS_CHANGED,
  FINISHED,
  TOOL_PROGRESS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_RUN,
  PROP_STATUS,
  PROP_RUNNING,
  PROP_PAUSED,
  PROP_PENDING_APPROVAL,
  PROP_STEP,
  PROP_COST,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void dispatch_events (GQueue   *events,
                             gpointer  data);

static void
reins_executor_dispose (GObject *object)
{
  ReinsExecutor *self = (ReinsExecutor *)object;

  /* The worker holds a reference until it is done, so this only runs after it. */
  if (self->thread != NULL)
    {
      g_thread_join (self->thread);
      self->thread = NULL;
    }

  g_mutex_lock (&self->mutex);
  g_clear_pointer (&self->events, reins_event_queue_free);
  g_clear_object (&self->pending_approval);
  g_mutex_unlock (&self->mutex);
  g_clear_object (&self->shown_approval);

  G_OBJECT_CLASS (reins_executor_parent_class)->dispose (object);
}

static void
reins_executor_finalize (GObject *object)
{
  ReinsExecutor *self = (ReinsExecutor *)object;

  g_clear_object (&self->run);
  g_clear_pointer (&self->setup, reins_run_setup_free);
  g_clear_object (&self->cancellable);
  g_clear_error (&self->error);
  g_clear_pointer (&self->main_context, g_main_context_unref);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (reins_executor_parent_class)->finalize (object);
}

static void
reins_executor_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  ReinsExecutor *self = REINS_EXECUTOR (object);

  switch (prop_id)
    {
    case PROP_RUN:
      g_value_set_object (value, self->run);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, reins_executor_get_status (self));
      break;

    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;

    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused_shown);
      break;

    case PROP_PENDING_APPROVAL:
      g_value_set_object (value, self->shown_approval);
      break;

    case PROP_STEP:
      g_value_set_uint (value, self->step);
      break;

    case PROP_COST:
      g_value_set_double (value, reins_executor_get_cost (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reins_executor_class_init (ReinsExecutorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = reins_executor_dispose;
  object_class->finalize = reins_executor_finalize;
  object_class->get_property = reins_executor_get_property;

  /* Every property is notified on the executor's main context, from the worker's events,
   * after the store holds what it reports; the window binds to them. */

  /**
   * ReinsExecutor:run:
   *
   * The run as the main context knows it; replaced by the stored run at its end.
   */
  properties[PROP_RUN] =
    g_param_spec_object ("run", NULL, NULL, REINS_TYPE_RUN,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, REINS_TYPE_RUN_STATUS, REINS_RUN_STATUS_RUNNING,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * ReinsExecutor:running:
   *
   * Whether the worker is started and has not finished.
   */
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * ReinsExecutor:paused:
   *
   * Whether a pause was asked for (the worker pauses at the next step's start), including
   * after the one step of reins_executor_step().
   */
  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * ReinsExecutor:pending-approval:
   *
   * The question the worker waits on, from `approval-requested` until it is resolved or the
   * run ends.
   */
  properties[PROP_PENDING_APPROVAL] =
    g_param_spec_object ("pending-approval", NULL, NULL, REINS_TYPE_APPROVAL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * ReinsExecutor:step:
   *
   * The number of the step under way, or of the last one finished; 0 before the first.
   */
  properties[PROP_STEP] =
    g_param_spec_uint ("step", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * ReinsExecutor:cost:
   *
   * What the run has cost so far, in US dollars.
   */
  properties[PROP_COST] =
    g_param_spec_double ("cost", NULL, NULL, 0, G_MAXDOUBLE, 0,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ReinsExecutor::step-started:
   * @index: the number of the step the worker begins
   */
  signals[STEP_STARTED] =
    g_signal_new ("step-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  /**
   * ReinsExecutor::token:
   * @index: the step
   * @text: streamed text, possibly several deltas joined
   */
  signals[TOKEN] =
    g_signal_new ("token", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);

  /**
   * ReinsExecutor::step-finished:
   * @step: (transfer none): a step already committed to the store; the receiver may keep it
   */
  signals[STEP_FINISHED] =
    g_signal_new ("step-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, REINS_TYPE_STEP);

  /**
   * ReinsExecutor::approval-requested:
   * @approval: resolve it (from the main thread) to let the worker go on
   */
  signals[APPROVAL_REQUESTED] =
    g_signal_new ("approval-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, REINS_TYPE_APPROVAL);

  signals[APPROVAL_RESOLVED] =
    g_signal_new ("approval-resolved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, REINS_TYPE_APPROVAL_RECORD);

  /**
   * ReinsExecutor::status-changed:
   * @status: the run's new #ReinsRunStatus
   */
  signals[STATUS_CHANGED] =
    g_signal_new ("status-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, REINS_TYPE_RUN_STATUS);

  /**
   * ReinsExecutor::finished:
   * @run: the run as stored at its end
   */
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, REINS_TYPE_RUN);

  /**
   * ReinsExecutor::tool-progress:
   * @index: the step whose tool runs
   * @text: how far it is, as its MCP server said (`fs__index: 3/10 scanning`)
   */
  signals[TOOL_PROGRESS] =
    g_signal_new ("tool-progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
}

static void
reins_executor_init (ReinsExecutor *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  self->cancellable = g_cancellable_new ();
  self->main_context = g_main_context_ref_thread_default ();
  self->events = reins_event_queue_new (self->main_context, "[reins] executor events",
                                        dispatch_events, self);
}

/**
 * reins_executor_new_for_setup:
 * @setup: (transfer full): what to run and how to reach its provider
 */
ReinsExecutor *
reins_executor_new_for_setup (ReinsRunSetup *setup)
{
  ReinsExecutor *self;

  g_return_val_if_fail (setup != NULL, NULL);

  self = g_object_new (REINS_TYPE_EXECUTOR, NULL);
  self->setup = setup;
  self->run = reins_run_copy (setup->run);
  return self;
}

/**
 * reins_executor_new:
 * @run: a new run; its settings say how to run it (mode, tools, workspace, limits, guards)
 * @provider: how to reach the model; the key in it is never stored
 * @db_path: (nullable): the store, or %NULL for the default
 */
ReinsExecutor *
reins_executor_new (ReinsRun                  *run,
                    const ReinsProviderConfig *provider,
                    const char                *db_path)
{
  g_return_val_if_fail (REINS_IS_RUN (run), NULL);
  g_return_val_if_fail (provider != NULL, NULL);

  return reins_executor_new_for_setup (reins_run_setup_new (run, provider, db_path));
}

/* Reads the run of @run_id for the command line, which has no main loop to keep going. */
static ReinsRun *
read_run (const char  *run_id,
          const char  *db_path,
          GError     **error)
{
  g_autoptr(ReinsStore) store = reins_store_open (db_path, error);

  return store != NULL ? reins_store_get_run (store, run_id, error) : NULL;
}

/**
 * reins_executor_new_resume:
 * @overrides: (nullable): settings the person gave explicitly for the rest of the run
 *   (members replace members; recorded in settings "overrides")
 * @provider: how to reach the run's provider: the key, a script, timeouts. The provider,
 *   endpoint, model, seed and accuracy are the run's own (docs/run.md), not @provider's.
 *
 * Continues a stored run that is `interrupted` or `paused`, from its stored steps. The run
 * is read here, on the calling thread; see reins_run_setup_new_resume() to read it elsewhere.
 */
ReinsExecutor *
reins_executor_new_resume (const char                *run_id,
                           JsonObject                *overrides,
                           const ReinsProviderConfig *provider,
                           const char                *db_path,
                           GError                   **error)
{
  g_autoptr(ReinsRun) stored = NULL;
  ReinsRunSetup *setup;

  g_return_val_if_fail (run_id != NULL, NULL);
  g_return_val_if_fail (provider != NULL, NULL);

  stored = read_run (run_id, db_path, error);
  if (stored == NULL)
    return NULL;
  setup = reins_run_setup_new_resume (stored, overrides, provider, db_path, error);
  return setup != NULL ? reins_executor_new_for_setup (setup) : NULL;
}

/**
 * reins_executor_new_fork:
 * @from_step: the first step to run live; steps 1 … @from_step-1 are kept as they are
 *   stored, and their tools are not run again
 * @settings: (nullable): settings to change from the parent's (members replace members;
 *   recorded in settings "overrides")
 * @provider: how to reach the provider: the key, a script, timeouts. The provider,
 *   endpoint, model, seed and accuracy are the parent's unless @settings change them.
 *
 * A new run that continues @parent_run_id from one of its steps. The parent is read here,
 * on the calling thread; a caller that holds it uses reins_run_setup_new_fork().
 */
ReinsExecutor *
reins_executor_new_fork (const char                *parent_run_id,
                         guint                      from_step,
                         JsonObject                *settings,
                         const ReinsProviderConfig *provider,
                         const char                *db_path,
                         GError                   **error)
{
  g_autoptr(ReinsRun) parent = NULL;
  ReinsRunSetup *setup;

  g_return_val_if_fail (parent_run_id != NULL, NULL);
  g_return_val_if_fail (provider != NULL, NULL);

  parent = read_run (parent_run_id, db_path, error);
  if (parent == NULL)
    return NULL;
  setup = reins_run_setup_new_fork (parent, from_step, settings, provider, db_path, error);
  return setup != NULL ? reins_executor_new_for_setup (setup) : NULL;
}

/* ---------------------------------------------------------------------------------------
 * Events: the worker queues, the main context dispatches in order.
 */

static void
set_shown_approval (ReinsExecutor *self,
                    ReinsApproval *approval)
{
  if (g_set_object (&self->shown_approval, approval))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING_APPROVAL]);
}

static void
set_step (ReinsExecutor *self,
          guint          step)
{
  if (self->step == step)
    return;
  self->step = step;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP]);
}

static void
set_paused_shown (ReinsExecutor *self,
                  gboolean       paused)
{
  if (self->paused_shown == !!paused)
    return;
  self->paused_shown = !!paused;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

/* The worker sets "paused" itself after the one step of reins_executor_step(). */
static void
update_paused (ReinsExecutor *self)
{
  set_paused_shown (self, reins_executor_is_paused (self));
}

static void
dispatch_events (GQueue   *events,
                 gpointer  data)
{
  ReinsExecutor *self = data;
  ReinsEvent *event;
  gboolean finished = FALSE;

  g_object_ref (self);

  while ((event = g_queue_pop_head (events)) != NULL)
    {
      switch (event->type)
        {
        case EVENT_STEP_STARTED:
          set_step (self, event->index);
          g_signal_emit (self, signals[STEP_STARTED], 0, event->index);
          break;

        case EVENT_TOKEN:
          g_signal_emit (self, signals[TOKEN], 0, event->index, event->text->str);
          break;

        case EVENT_STEP_FINISHED:
          {
            ReinsStep *step = REINS_STEP (event->object);
            double cost = reins_run_get_cost_usd (self->run);

            reins_run_set_step_count (self->run, MAX (reins_run_get_step_count (self->run),
                                                      reins_step_get_index (step)));
            reins_run_set_cost_usd (self->run, reins_step_get_cost_total_usd (step));
            /* Each step is announced once: the live run's totals follow its steps (a status
             * change brings the worker's own totals). */
            reins_run_set_tokens (self->run,
                                  reins_run_get_input_tokens (self->run) +
                                  reins_step_get_input_tokens (step),
                                  reins_run_get_output_tokens (self->run) +
                                  reins_step_get_output_tokens (step));
            set_step (self, MAX (self->step, reins_step_get_index (step)));
            if (cost != reins_run_get_cost_usd (self->run))
              g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COST]);
            g_signal_emit (self, signals[STEP_FINISHED], 0, step);
          }
          break;

        case EVENT_APPROVAL_REQUESTED:
          set_shown_approval (self, REINS_APPROVAL (event->object));
          g_signal_emit (self, signals[APPROVAL_REQUESTED], 0, event->object);
          break;

        case EVENT_APPROVAL_RESOLVED:
          set_shown_approval (self, NULL);
          g_signal_emit (self, signals[APPROVAL_RESOLVED], 0, event->object);
          break;

        case EVENT_STATUS_CHANGED:
          {
            double cost = reins_run_get_cost_usd (self->run);

            if (event->object != NULL)
              {
                ReinsRun *run = REINS_RUN (event->object);

                reins_run_set_reason (self->run, reins_run_get_reason (run));
                reins_run_set_tokens (self->run, reins_run_get_input_tokens (run),
                                      reins_run_get_output_tokens (run));
                reins_run_set_cost_usd (self->run, reins_run_get_cost_usd (run));
                reins_run_set_settings (self->run, reins_run_get_settings (run));
              }
            reins_run_set_status (self->run, (ReinsRunStatus) event->value);
            /* A question left open by a stop is not answered, but no longer waited on. */
            if (event->value != REINS_RUN_STATUS_AWAITING_APPROVAL)
              set_shown_approval (self, NULL);
            if (cost != reins_run_get_cost_usd (self->run))
              g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COST]);
            g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
            g_signal_emit (self, signals[STATUS_CHANGED], 0, (ReinsRunStatus) event->value);
          }
          break;

        case EVENT_TOOL_PROGRESS:
          g_signal_emit (self, signals[TOOL_PROGRESS], 0, event->index, event->text->str);
          break;

        case EVENT_FINISHED:
          {
            double cost = reins_run_get_cost_usd (self->run);
            ReinsRunStatus status = reins_run_get_status (self->run);

            g_clear_object (&self->run);
            self->run = g_object_ref (REINS_RUN (event->object));
            self->running = FALSE;
            finished = TRUE;
            set_shown_approval (self, NULL);
            g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUN]);
            if (status != reins_run_get_status (self->run))
              g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
            if (cost != reins_run_get_cost_usd (self->run))
              g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COST]);
            g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
            g_signal_emit (self, signals[FINISHED], 0, event->object);
          }
          break;

        default:
          g_assert_not_reached ();
        }

      reins_event_free (event);
    }

  update_paused (self);

  if (finished && self->thread != NULL)
    {
      g_thread_join (self->thread);
      self->thread = NULL;
      /* The worker's reference. */
      g_object_unref (self);
    }

  g_object_unref (self);
}

void
_reins_executor_push_event (ReinsExecutor *self,
            ReinsEvent    *event)
{
  reins_event_queue_push (self->events, event);
}

/**
 * reins_executor_set_critic_provider:
 * @critic: (nullable): the critic's provider (a cheaper model, say); %NULL: the run's own,
 *   with the run's settings "critic_provider", "critic_model", "critic_base_url" over it
 *
 * Call before reins_executor_start(). The key in it is never stored.
 */
void
reins_executor_set_critic_provider (ReinsExecutor             *self,
                                    const ReinsProviderConfig *critic)
{
  g_return_if_fail (REINS_IS_EXECUTOR (self));
  g_return_if_fail (!self->started);

  g_clear_pointer (&self->setup->critic, reins_provider_config_free);
  if (critic != NULL)
    self->setup->critic = reins_provider_config_copy (critic);
}

/**
 * reins_executor_start:
 *
 * Starts the worker. Call once, from the thread that owns the executor's main context.
 */
void
reins_executor_start (ReinsExecutor *self)
{
  Worker *w;

  g_return_if_fail (REINS_IS_EXECUTOR (self));
  g_return_if_fail (!self->started);

  self->started = TRUE;
  self->running = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  w = g_new0 (Worker, 1);
  w->executor = self;
  w->cancellable = g_object_ref (self->cancellable);
  w->run = reins_run_copy (self->run);
  w->steps = g_ptr_array_new_with_free_func (g_object_unref);

  /* Released by the FINISHED event, on the main context. */
  g_object_ref (self);
  self->thread = g_thread_new ("reins-executor", reins_worker_main, w);
}

void
reins_executor_pause (ReinsExecutor *self)
{
  g_return_if_fail (REINS_IS_EXECUTOR (self));

  g_mutex_lock (&self->mutex);
  self->paused = TRUE;
  self->step_once = FALSE;
  g_mutex_unlock (&self->mutex);

  set_paused_shown (self, TRUE);
}

void
reins_executor_resume (ReinsExecutor *self)
{
  g_return_if_fail (REINS_IS_EXECUTOR (self));

  g_mutex_lock (&self->mutex);
  self->paused = FALSE;
  self->step_once = FALSE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);

  set_paused_shown (self, FALSE);
}

/* Runs one more step, then pauses. */
void
reins_executor_step (ReinsExecutor *self)
{
  g_return_if_fail (REINS_IS_EXECUTOR (self));

  g_mutex_lock (&self->mutex);
  self->paused = FALSE;
  self->step_once = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);

  /* The worker pauses again after the step; the next events tell. */
  set_paused_shown (self, FALSE);
}

/* Aborts an in-flight model request or tool, releases a pending approval, and ends the run
 * as `cancelled`. */
void
reins_executor_cancel (ReinsExecutor *self)
{
  g_return_if_fail (REINS_IS_EXECUTOR (self));

  g_mutex_lock (&self->mutex);
  self->cancel_requested = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);

  g_cancellable_cancel (self->cancellable);
}

gboolean
reins_executor_is_running (ReinsExecutor *self)
{
  g_return_val_if_fail (REINS_IS_EXECUTOR (self), FALSE);
  return self->running;
}

gboolean
reins_executor_is_paused (ReinsExecutor *self)
{
  gboolean paused;

  g_return_val_if_fail (REINS_IS_EXECUTOR (self), FALSE);

  g_mutex_lock (&self->mutex);
  paused = self->paused;
  g_mutex_unlock (&self->mutex);

  return paused;
}

/**
 * reins_executor_get_run:
 *
 * Returns: (transfer none): the run as the main context knows it (status, totals, answer)
 */
ReinsRun *
reins_executor_get_run (ReinsExecutor *self)
{
  g_return_val_if_fail (REINS_IS_EXECUTOR (self), NULL);
  return self->run;
}

ReinsRunStatus
reins_executor_get_status (ReinsExecutor *self)
{
  g_return_val_if_fail (REINS_IS_EXECUTOR (self), REINS_RUN_STATUS_FAILED);
  return reins_run_get_status (self->run);
}

/* The number of the step under way, or of the last one finished; 0 before the first. */
guint
reins_executor_get_step (ReinsExecutor *self)
{
  g_return_val_if_fail (REINS_IS_EXECUTOR (self), 0);
  return self->step;
}

/* What the run has cost so far, in US dollars. */
double
reins_executor_get_cost (ReinsExecutor *self)
{
  g_return_val_if_fail (REINS_IS_EXECUTOR (self), 0.0);
  return reins_run_get_cost_usd (self->run);
}

/**
 * reins_executor_get_pending_approval:
 *
 * The question as the main context knows it: from `approval-requested` until
 * `approval-resolved` or the run goes on without an answer.
 *
 * Returns: (transfer full) (nullable): the question the worker is waiting on, if any
 */
ReinsApproval *
reins_executor_get_pending_approval (ReinsExecutor *self)
{
  g_return_val_if_fail (REINS_IS_EXECUTOR (self), NULL);

  return self->shown_approval != NULL ? g_object_ref (self->shown_approval) : NULL;
}

/**
 * reins_executor_get_error:
 *
 * Returns: (nullable): why the run failed (provider or store), once `finished` was emitted
 */
const GError *
reins_executor_get_error (ReinsExecutor *self)
{
  g_return_val_if_fail (REINS_IS_EXECUTOR (self), NULL);
  return self->error;
}
