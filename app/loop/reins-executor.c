/* reins-executor.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The worker thread owns everything the loop touches — its own store connection, provider
 * (and so SoupSession), tools and harness — and talks to the main context only through an
 * ordered event queue drained by one idle source, with token deltas coalesced.
 */

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "reins-compressor.h"
#include "reins-confidence.h"
#include "reins-event-queue.h"
#include "reins-executor.h"
#include "reins-harness.h"
#include "reins-mcp-elicit.h"
#include "reins-prompt.h"
#include "reins-provider-inject.h"
#include "reins-react-parser.h"
#include "reins-run-cost.h"
#include "reins-run-restore.h"
#include "reins-sandbox.h"
#include "reins-store.h"
#include "reins-tool-registry.h"

/* The worker's events (ReinsEvent.type): index is a step's, value a status, object a step,
 * an approval (record) or a copy of the run. */
typedef enum
{
  EVENT_STEP_STARTED,
  EVENT_TOKEN,
  EVENT_STEP_FINISHED,
  EVENT_APPROVAL_REQUESTED,
  EVENT_APPROVAL_RESOLVED,
  EVENT_STATUS_CHANGED,
  EVENT_FINISHED,
  EVENT_TOOL_PROGRESS,
} EventType;

struct _ReinsExecutor
{
  GObject              parent_instance;

  GMainContext        *main_context;
  ReinsRun            *run;            /* the main thread's view, updated from events */
  ReinsProviderConfig *provider_config;
  ReinsProviderConfig *critic_config;   /* (nullable) the critic's own provider */
  char                *db_path;
  GThread             *thread;
  GCancellable        *cancellable;
  GError              *error;

  GMutex               mutex;          /* guards everything below */
  GCond                cond;
  ReinsEventQueue     *events;
  ReinsApproval       *pending_approval;
  guint                paused : 1;
  guint                step_once : 1;
  guint                cancel_requested : 1;
  guint                resume : 1;
  guint                fork_step;       /* > 0: copy the parent's steps 1 … fork_step-1 first */
  guint                started : 1;
  guint                running : 1;
};

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

static void dispatch_events (GQueue   *events,
                             gpointer  data);

/* Everything the worker owns. */
typedef struct
{
  ReinsExecutor     *executor;
  GCancellable      *cancellable;
  ReinsStore        *store;
  ReinsProvider     *provider;
  ReinsProvider     *critic_provider;   /* made at the first critic call */
  char              *critic_unavailable; /* why it could not be made */
  char              *critic_model;
  ReinsToolRegistry *tools;
  ReinsHarness      *harness;
  ReinsRun          *run;
  GPtrArray         *steps;
  JsonArray         *tool_descriptions;
  ReinsToolContext   tool_context;
  ReinsStep         *current;
  GError            *error;
  ReinsCompressor   *compressor;
  gboolean           native;
  gboolean           stop_requested;
  gboolean           fork_action_used;  /* the person's action of a fork took its first step */
  guint              end_now_step;      /* a person chose "End Now" here: the next step is the last */
  char              *unrun_calls;       /* for the observation: calls of the reply not run */
} Worker;

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

  G_OBJECT_CLASS (reins_executor_parent_class)->dispose (object);
}

static void
reins_executor_finalize (GObject *object)
{
  ReinsExecutor *self = (ReinsExecutor *)object;

  g_clear_object (&self->run);
  g_clear_pointer (&self->provider_config, reins_provider_config_free);
  g_clear_pointer (&self->critic_config, reins_provider_config_free);
  g_clear_pointer (&self->db_path, g_free);
  g_clear_object (&self->cancellable);
  g_clear_error (&self->error);
  g_clear_pointer (&self->main_context, g_main_context_unref);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (reins_executor_parent_class)->finalize (object);
}

static void
reins_executor_class_init (ReinsExecutorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = reins_executor_dispose;
  object_class->finalize = reins_executor_finalize;

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

  signals[STATUS_CHANGED] =
    g_signal_new ("status-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);

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
  ReinsExecutor *self;

  g_return_val_if_fail (REINS_IS_RUN (run), NULL);
  g_return_val_if_fail (provider != NULL, NULL);

  self = g_object_new (REINS_TYPE_EXECUTOR, NULL);
  self->run = reins_run_copy (run);
  self->provider_config = reins_provider_config_copy (provider);
  self->db_path = g_strdup (db_path);
  return self;
}

/**
 * reins_executor_new_resume:
 * @overrides: (nullable): settings the person gave explicitly for the rest of the run
 *   (members replace members; recorded in settings "overrides")
 * @provider: how to reach the run's provider: the key, a script, timeouts. The provider,
 *   endpoint, model, seed and accuracy are the run's own (docs/run.md), not @provider's.
 *
 * Continues a stored run that is `interrupted` or `paused`, from its stored steps.
 */
ReinsExecutor *
reins_executor_new_resume (const char                *run_id,
                           JsonObject                *overrides,
                           const ReinsProviderConfig *provider,
                           const char                *db_path,
                           GError                   **error)
{
  g_autoptr(ReinsStore) store = NULL;
  g_autoptr(ReinsRun) run = NULL;
  g_autoptr(ReinsProviderConfig) config = NULL;
  ReinsExecutor *self;
  ReinsRunStatus status;

  g_return_val_if_fail (run_id != NULL, NULL);
  g_return_val_if_fail (provider != NULL, NULL);

  store = reins_store_open (db_path, error);
  if (store == NULL)
    return NULL;
  run = reins_store_get_run (store, run_id, error);
  if (run == NULL)
    return NULL;

  status = reins_run_get_status (run);
  if (status != REINS_RUN_STATUS_INTERRUPTED && status != REINS_RUN_STATUS_PAUSED)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
                   _("Run %s is %s; only an interrupted or paused run can be resumed."),
                   run_id, reins_run_status_to_string (status));
      return NULL;
    }

  reins_run_restore_settings (run, overrides, "resume", reins_run_get_step_count (run) + 1);
  config = reins_run_restore_provider (run, provider);
  self = reins_executor_new (run, config, db_path);
  self->resume = TRUE;
  return self;
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
 * A new run that continues @parent_run_id from one of its steps.
 */
ReinsExecutor *
reins_executor_new_fork (const char                *parent_run_id,
                         guint                      from_step,
                         JsonObject                *settings,
                         const ReinsProviderConfig *provider,
                         const char                *db_path,
                         GError                   **error)
{
  g_autoptr(ReinsStore) store = NULL;
  g_autoptr(ReinsRun) parent = NULL;
  g_autoptr(ReinsRun) run = NULL;
  g_autoptr(ReinsProviderConfig) config = NULL;
  ReinsExecutor *self;

  g_return_val_if_fail (parent_run_id != NULL, NULL);
  g_return_val_if_fail (provider != NULL, NULL);

  store = reins_store_open (db_path, error);
  if (store == NULL)
    return NULL;
  parent = reins_store_get_run (store, parent_run_id, error);
  if (parent == NULL)
    return NULL;

  if (from_step < 1 || from_step > reins_run_get_step_count (parent) + 1)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
                   _("Run %s has %u steps; a fork can start from step 1 to %u."),
                   parent_run_id, reins_run_get_step_count (parent),
                   reins_run_get_step_count (parent) + 1);
      return NULL;
    }

  run = reins_run_new (reins_run_get_task (parent));
  reins_run_set_provider (run, reins_run_get_provider (parent));
  reins_run_set_model (run, reins_run_get_model (parent));
  reins_run_set_settings (run, reins_run_get_settings (parent));
  reins_run_restore_settings (run, settings, "fork", from_step);
  reins_run_set_parent (run, parent_run_id, from_step);

  config = reins_run_restore_provider (run, provider);
  self = reins_executor_new (run, config, db_path);
  self->fork_step = from_step;
  return self;
}

/* ---------------------------------------------------------------------------------------
 * Events: the worker queues, the main context dispatches in order.
 */

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
          g_signal_emit (self, signals[STEP_STARTED], 0, event->index);
          break;

        case EVENT_TOKEN:
          g_signal_emit (self, signals[TOKEN], 0, event->index, event->text->str);
          break;

        case EVENT_STEP_FINISHED:
          {
            ReinsStep *step = REINS_STEP (event->object);

            reins_run_set_step_count (self->run, MAX (reins_run_get_step_count (self->run),
                                                      reins_step_get_index (step)));
            reins_run_set_cost_usd (self->run, reins_step_get_cost_total_usd (step));
            g_signal_emit (self, signals[STEP_FINISHED], 0, step);
          }
          break;

        case EVENT_APPROVAL_REQUESTED:
          g_signal_emit (self, signals[APPROVAL_REQUESTED], 0, event->object);
          break;

        case EVENT_APPROVAL_RESOLVED:
          g_signal_emit (self, signals[APPROVAL_RESOLVED], 0, event->object);
          break;

        case EVENT_STATUS_CHANGED:
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
          g_signal_emit (self, signals[STATUS_CHANGED], 0, event->value);
          break;

        case EVENT_TOOL_PROGRESS:
          g_signal_emit (self, signals[TOOL_PROGRESS], 0, event->index, event->text->str);
          break;

        case EVENT_FINISHED:
          g_clear_object (&self->run);
          self->run = g_object_ref (REINS_RUN (event->object));
          self->running = FALSE;
          finished = TRUE;
          g_signal_emit (self, signals[FINISHED], 0, event->object);
          break;

        default:
          g_assert_not_reached ();
        }

      reins_event_free (event);
    }

  if (finished && self->thread != NULL)
    {
      g_thread_join (self->thread);
      self->thread = NULL;
      /* The worker's reference. */
      g_object_unref (self);
    }

  g_object_unref (self);
}

static void
push_event (ReinsExecutor *self,
            ReinsEvent    *event)
{
  reins_event_queue_push (self->events, event);
}

/* ---------------------------------------------------------------------------------------
 * Worker
 */

static void
token_cb (const char *delta,
          gpointer    user_data)
{
  Worker *w = user_data;

  if (delta == NULL || *delta == '\0' || w->current == NULL)
    return;

  reins_event_queue_push_text (w->executor->events, EVENT_TOKEN,
                               reins_step_get_index (w->current), delta);
}

/* An MCP server's notifications/progress, on a thread of its client: one event each (not
 * coalesced like tokens). */
static void
tool_progress_cb (const char *tool,
                  double      progress,
                  double      total,
                  const char *message,
                  gpointer    user_data)
{
  Worker *w = user_data;
  ReinsEvent *event;
  g_autofree char *amount = total > 0 ? g_strdup_printf ("%g/%g", progress, total)
                                      : g_strdup_printf ("%g", progress);

  if (w->current == NULL)
    return;
  event = reins_event_new (EVENT_TOOL_PROGRESS);
  event->index = reins_step_get_index (w->current);
  event->text = g_string_new (NULL);
  g_string_printf (event->text, "%s: %s%s%s", tool, amount, message != NULL ? " " : "",
                   message != NULL ? message : "");
  reins_event_queue_push (w->executor->events, event);
}

static void
set_status (Worker         *w,
            ReinsRunStatus  status,
            const char     *reason)
{
  g_autoptr(GError) error = NULL;
  ReinsEvent *event;

  reins_run_set_status (w->run, status);
  if (reason != NULL)
    reins_run_set_reason (w->run, reason);
  if (reins_run_status_is_final (status))
    reins_run_set_finished_at (w->run, g_get_real_time ());

  if (w->store != NULL && !reins_store_update_run (w->store, w->run, &error))
    {
      g_warning ("Could not store the status of run %s: %s", reins_run_get_id (w->run),
                 error->message);
      if (w->error == NULL)
        w->error = g_steal_pointer (&error);
    }

  event = reins_event_new (EVENT_STATUS_CHANGED);
  event->value = (int) status;
  event->object = G_OBJECT (reins_run_copy (w->run));
  push_event (w->executor, event);
}

/* The provider's embeddings for the guards ("embeddings": "provider"); NULL on failure,
 * and the guards fall back to the built-in embedder. */
static GPtrArray *
embed_cb (const char * const *texts,
          gpointer            user_data)
{
  Worker *w = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *vectors = reins_provider_embed (w->provider, texts, w->cancellable, &error);

  if (vectors == NULL)
    g_debug ("Provider embeddings failed, the built-in embedder is used: %s",
             error != NULL ? error->message : "no vectors");
  return vectors;
}

/* The critic's provider: the one set for it, else the run's with the settings'
 * "critic_provider", "critic_model", "critic_base_url" and "sim_critic_accuracy" over it.
 * Its own short deadline ("critic_timeout_s") and one retry keep a slow critic from
 * holding up the run. */
static ReinsProvider *
critic_provider (Worker  *w,
                 GError **error)
{
  JsonObject *settings = reins_run_get_settings (w->run);
  g_autoptr(ReinsProviderConfig) config = NULL;
  const char *name = reins_settings_get_string (settings, "critic_provider", NULL);
  const char *model = reins_settings_get_string (settings, "critic_model", NULL);
  const char *base_url = reins_settings_get_string (settings, "critic_base_url", NULL);

  if (w->critic_provider != NULL)
    return w->critic_provider;
  if (w->critic_unavailable != NULL)
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_PROVIDER, w->critic_unavailable);
      return NULL;
    }

  if (w->executor->critic_config != NULL)
    config = reins_provider_config_copy (w->executor->critic_config);
  else
    {
      config = reins_provider_config_copy (w->executor->provider_config);
      if (name != NULL && g_strcmp0 (name, config->name) != 0)
        {
          /* Another provider: none of the run's endpoint, model or key applies. */
          g_free (config->name);
          config->name = g_strdup (name);
          g_clear_pointer (&config->base_url, g_free);
          g_clear_pointer (&config->model, g_free);
          g_clear_pointer (&config->api_key, g_free);
        }
      else if (config->model == NULL)
        config->model = g_strdup (reins_run_get_model (w->run));
    }
  if (model != NULL)
    {
      g_free (config->model);
      config->model = g_strdup (model);
    }
  if (base_url != NULL)
    {
      g_free (config->base_url);
      config->base_url = g_strdup (base_url);
    }
  config->sim_critic_accuracy = reins_settings_get_double (settings, "sim_critic_accuracy",
                                                           config->sim_critic_accuracy);
  config->timeout_s = (guint) CLAMP (reins_settings_get_int (settings, "critic_timeout_s", 30),
                                     1, 600);
  config->max_retries = 1;
  config->stream_delay_ms = 0;

  w->critic_model = g_strdup (config->model);
  w->critic_provider = reins_provider_new_for_config (config, error);
  if (w->critic_provider == NULL)
    w->critic_unavailable = g_strdup ((*error)->message);
  return w->critic_provider;
}

/* The critic guard's call (reins-guard-critic.c): the prompt, the critic's provider, and
 * the call's tokens and cost on the step and the run, like the step's own call. */
static ReinsCritique *
critic_cb (ReinsGuardContext *context,
           ReinsStep         *step,
           ReinsVerdictPhase  phase,
           gpointer           user_data)
{
  Worker *w = user_data;
  g_autoptr(ReinsChatRequest) request = NULL;
  g_autoptr(ReinsChatResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  ReinsCritique *critique = reins_critique_new (phase);
  ReinsProvider *provider = critic_provider (w, &error);

  if (provider == NULL)
    {
      critique->error = g_strdup_printf (_("its provider cannot be used: %s"), error->message);
      return critique;
    }

  request = reins_prompt_critic (w->run, w->steps, step, phase);
  request->model = g_strdup (w->critic_model);
  response = reins_provider_chat (provider, request, NULL, NULL, w->cancellable, &error);
  if (response == NULL)
    {
      critique->error = g_strdup (error->message);
      return critique;
    }

  critique->reply = g_strdup (response->text);
  critique->model = g_strdup (request->model != NULL ? request->model
                                                     : reins_provider_get_name (provider));
  critique->input_tokens = response->input_tokens;
  critique->output_tokens = response->output_tokens;
  /* Counted against the budget like any call of the run. */
  critique->cost_usd = reins_run_cost_add_call (w->run, step, response->input_tokens,
                                                response->output_tokens);
  return critique;
}

static ReinsGuardContext
guard_context (Worker *w)
{
  ReinsGuardContext context = { 0 };

  context.critic = critic_cb;
  context.critic_data = w;

  if (w->provider != NULL && reins_provider_supports_embeddings (w->provider))
    {
      context.embed = embed_cb;
      context.embed_data = w;
    }
  context.run = w->run;
  context.history = w->steps;
  context.settings = reins_run_get_settings (w->run);
  context.action_known = FALSE;
  context.action_risk = REINS_RISK_READ;
  return context;
}

/* Commits the step (write-ahead) and only then lets the main context hear of it. */
static gboolean
commit_step (Worker    *w,
             ReinsStep *step,
             gboolean   announce)
{
  g_autoptr(GError) error = NULL;

  reins_run_set_step_count (w->run, MAX (reins_run_get_step_count (w->run),
                                         reins_step_get_index (step)));

  if (!reins_store_commit_step (w->store, w->run, step, &error))
    {
      g_clear_error (&w->error);
      w->error = g_error_new (REINS_ERROR, REINS_ERROR_STORE,
                              _("Could not store step %u: %s"), reins_step_get_index (step),
                              error->message);
      return FALSE;
    }

  if (announce)
    {
      ReinsEvent *event = reins_event_new (EVENT_STEP_FINISHED);

      event->object = G_OBJECT (reins_step_copy (step));
      push_event (w->executor, event);
    }

  return TRUE;
}


/* Waits between steps while paused; FALSE when the run was cancelled. */
static gboolean
checkpoint (Worker *w)
{
  ReinsExecutor *self = w->executor;
  gboolean was_paused = FALSE;

  g_mutex_lock (&self->mutex);
  while (self->paused && !self->cancel_requested)
    {
      if (!was_paused)
        {
          was_paused = TRUE;
          g_mutex_unlock (&self->mutex);
          set_status (w, REINS_RUN_STATUS_PAUSED, _("Paused by you."));
          g_mutex_lock (&self->mutex);
          continue;
        }
      g_cond_wait (&self->cond, &self->mutex);
    }
  g_mutex_unlock (&self->mutex);

  if (g_cancellable_is_cancelled (w->cancellable))
    return FALSE;

  if (was_paused)
    set_status (w, REINS_RUN_STATUS_RUNNING, NULL);
  return TRUE;
}

typedef enum
{
  STEP_CONTINUE,
  STEP_END,
} StepOutcome;

static void
end_run (Worker         *w,
         ReinsRunStatus  status,
         const char     *reason)
{
  set_status (w, status, reason);
}

static StepOutcome
end_cancelled (Worker    *w,
               ReinsStep *step,
               gboolean   commit)
{
  g_autofree char *reason = g_strdup_printf (_("Stopped by you at step %u."),
                                             reins_step_get_index (step));

  if (commit)
    commit_step (w, step, TRUE);
  end_run (w, REINS_RUN_STATUS_CANCELLED, reason);
  return STEP_END;
}

static void
add_always_allow (Worker     *w,
                  const char *tool)
{
  JsonObject *settings = reins_run_get_settings (w->run);
  JsonArray *list;

  if (reins_settings_list_contains (settings, "always_allow", tool))
    return;

  if (!json_object_has_member (settings, "always_allow") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (settings, "always_allow")))
    json_object_set_array_member (settings, "always_allow", json_array_new ());

  list = json_object_get_array_member (settings, "always_allow");
  json_array_add_string_element (list, tool);
}

/* Puts the question to a person and waits. The step is committed first, so what the
 * window shows while it waits is in the store. */
static ReinsDecision
ask_person (Worker               *w,
            ReinsStep            *step,
            ReinsApprovalRecord  *record,
            gboolean              is_question,
            ReinsApproval       **out_approval)
{
  ReinsExecutor *self = w->executor;
  g_autoptr(ReinsApproval) approval = NULL;
  ReinsDecision decision;
  ReinsEvent *event;

  if (reins_approval_record_get_decision (record) == REINS_DECISION_NONE &&
      !g_ptr_array_find (reins_step_get_approvals (step), record, NULL))
    reins_step_add_approval (step, record);

  set_status (w, REINS_RUN_STATUS_AWAITING_APPROVAL, reins_approval_record_get_reason (record));
  commit_step (w, step, FALSE);

  approval = reins_approval_new (reins_run_get_id (w->run), record, is_question);

  g_mutex_lock (&self->mutex);
  g_set_object (&self->pending_approval, approval);
  g_mutex_unlock (&self->mutex);

  event = reins_event_new (EVENT_APPROVAL_REQUESTED);
  event->object = G_OBJECT (g_object_ref (approval));
  push_event (self, event);

  decision = reins_approval_wait (approval, w->cancellable);

  g_mutex_lock (&self->mutex);
  g_clear_object (&self->pending_approval);
  g_mutex_unlock (&self->mutex);

  if (decision == REINS_DECISION_NONE)
    return REINS_DECISION_NONE;

  event = reins_event_new (EVENT_APPROVAL_RESOLVED);
  {
    /* A copy: the record's actions hold JSON, whose reference counts are not atomic, and
     * the worker goes on using the record. */
    g_autoptr(JsonNode) node = reins_approval_record_to_json (record);

    event->object = G_OBJECT (reins_approval_record_new_from_json (node, NULL));
    if (event->object == NULL)
      event->object = G_OBJECT (g_object_ref (record));
  }
  push_event (self, event);

  if (decision != REINS_DECISION_STOP)
    set_status (w, REINS_RUN_STATUS_RUNNING, NULL);

  if (out_approval != NULL)
    *out_approval = g_steal_pointer (&approval);

  return decision;
}

static char *
ask_human_cb (const char   *question,
              gpointer      user_data,
              GCancellable *cancellable)
{
  Worker *w = user_data;
  g_autoptr(ReinsApprovalRecord) record = NULL;
  ReinsDecision decision;

  if (w->current == NULL)
    return NULL;

  record = reins_approval_record_new (reins_step_get_index (w->current), "ask_human", question,
                                      reins_step_get_action (w->current), NAN);
  decision = ask_person (w, w->current, record, TRUE, NULL);

  if (decision == REINS_DECISION_STOP)
    w->stop_requested = TRUE;
  if (decision != REINS_DECISION_APPROVE)
    return NULL;

  return g_strdup (reins_approval_record_get_feedback (record));
}

/* An MCP server asks the person during a tool call (`elicitation/create`): a question on the
 * step, stored as an approval record with guard "elicitation". Its action holds the request
 * (`elicitation/create` with the server's params and name); the answer is its feedback, the
 * result as JSON. */
static JsonObject *
elicit_cb (const char   *server,
           JsonObject   *request,
           gpointer      user_data,
           GCancellable *cancellable)
{
  Worker *w = user_data;
  g_autoptr(ReinsApprovalRecord) record = NULL;
  g_autoptr(ReinsAction) action = NULL;
  g_autoptr(JsonObject) arguments = NULL;
  g_autoptr(JsonNode) copy = NULL;
  g_autofree char *reason = NULL;
  ReinsDecision decision;

  if (w->current == NULL)
    return NULL;

  {
    JsonNode *node = json_node_new (JSON_NODE_OBJECT);

    json_node_set_object (node, request);
    copy = json_node_copy (node);
    json_node_unref (node);
  }
  arguments = json_object_ref (json_node_get_object (copy));
  json_object_set_string_member (arguments, "server", server);
  action = reins_action_new ("elicitation/create", arguments);
  reason = g_strdup_printf (_("MCP server “%s” asks: %s"), server,
                            json_object_get_string_member_with_default (request, "message", ""));
  record = reins_approval_record_new (reins_step_get_index (w->current), "elicitation", reason,
                                      action, NAN);
  decision = ask_person (w, w->current, record, TRUE, NULL);

  if (decision == REINS_DECISION_STOP)
    w->stop_requested = TRUE;
  if (decision == REINS_DECISION_NONE)
    return NULL;
  return reins_mcp_elicit_result (request, decision, reins_approval_record_get_feedback (record));
}

static ReinsChatRequest *
build_request (Worker    *w,
               ReinsStep *step)
{
  JsonObject *settings = reins_run_get_settings (w->run);
  ReinsPromptInput input = { 0 };
  const char *summary = NULL;
  ReinsChatRequest *request;
  guint upto;

  upto = reins_prompt_summary_upto (reins_step_get_index (step),
                                    reins_compressor_uses_model (w->compressor) ? 5 : 1);
  if (upto > 0)
    summary = reins_compressor_summary_upto (w->compressor, step, upto);

  input.run = w->run;
  input.steps = w->steps;
  input.tools = w->tool_descriptions;
  input.native = w->native;
  input.goal_every = (guint) CLAMP (reins_settings_get_int (settings, "goal_every", 3), 0, G_MAXUINT);
  input.summary = summary;
  input.summary_upto = upto;

  request = reins_prompt_build (&input);
  request->model = g_strdup (reins_run_get_model (w->run));
  request->want_logprobs = TRUE;
  request->stream = reins_settings_get_bool (settings, "stream", TRUE);
  request->temperature = reins_settings_get_double (settings, "temperature", -1.0);
  return request;
}

static char *
unrun_calls_message (GPtrArray *calls)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, _("[Harness] Your reply called %u tools at once; only the "
                                  "first ran. These did not run:"), calls->len);
  for (guint i = 1; i < calls->len; i++)
    {
      g_autofree char *call = reins_action_to_string (g_ptr_array_index (calls, i));

      g_string_append_printf (text, "\n- %s", call);
    }
  g_string_append (text, _("\nCall one tool per reply."));
  return g_string_free (text, FALSE);
}

/* Reads the model's reply into the step: thought and action, or an error text. */
static char *
parse_reply (Worker            *w,
             ReinsStep         *step,
             ReinsChatResponse *response,
             char             **action_text)
{
  const char *text = response->text != NULL ? response->text : "";

  *action_text = NULL;
  g_clear_pointer (&w->unrun_calls, g_free);

  if (w->native && response->tool_calls != NULL && response->tool_calls->len > 0)
    {
      ReinsAction *action = g_ptr_array_index (response->tool_calls, 0);
      g_autofree char *thought = g_strstrip (g_strdup (text));

      reins_step_set_thought (step, *thought != '\0' ? thought : NULL);
      reins_step_set_action (step, action);
      *action_text = reins_action_dup_arguments_json (action);
      /* One step runs one call (the request asks for no parallel calls); the others are
       * named in the observation, never dropped without a word. */
      if (response->tool_calls->len > 1)
        w->unrun_calls = unrun_calls_message (response->tool_calls);
      return NULL;
    }
  else
    {
      ReinsReactParse parse;
      g_autoptr(GError) error = NULL;

      /* In native mode a text-only reply may still be a well-formed ReAct step or a
       * "Final Answer:"; anything else is asked again, never guessed. */
      if (reins_react_parse (text, &parse, &error))
        {
          reins_step_set_thought (step, parse.thought);
          reins_step_set_action (step, parse.action);
          *action_text = g_strndup (text + parse.action_start,
                                    parse.action_end - parse.action_start);
          reins_react_parse_clear (&parse);
          return NULL;
        }

      reins_step_set_thought (step, parse.thought != NULL ? parse.thought : text);
      reins_react_parse_clear (&parse);

      if (w->native)
        return g_strdup (_("Your reply called no tool. Call one tool, or `finish` with your "
                           "answer."));
      return g_strdup (error->message);
    }
}

static void
describe_action (Worker            *w,
                 ReinsAction       *action,
                 ReinsGuardContext *context,
                 char             **validation_error)
{
  ReinsTool *tool = reins_tool_registry_lookup (w->tools, reins_action_get_name (action));
  g_autoptr(GError) error = NULL;

  context->action_known = tool != NULL;
  context->action_risk = tool != NULL ? reins_tool_get_risk (tool) : REINS_RISK_READ;
  g_clear_pointer (validation_error, g_free);
  if (tool != NULL && !reins_tool_registry_validate (w->tools, action, &error))
    *validation_error = g_strdup (error->message);
  context->action_error = *validation_error;
}

static char *
unknown_tool_message (Worker      *w,
                      ReinsAction *action)
{
  g_autoptr(GPtrArray) tools = reins_tool_registry_list (w->tools);
  GString *names = g_string_new (NULL);
  g_autofree char *list = NULL;

  for (guint i = 0; i < tools->len; i++)
    {
      if (i > 0)
        g_string_append (names, ", ");
      g_string_append (names, reins_tool_get_name (g_ptr_array_index (tools, i)));
    }
  list = g_string_free (names, FALSE);

  return g_strdup_printf (_("There is no tool “%s”. The tools are: %s."),
                          reins_action_get_name (action), list);
}

/* The state of the step being worked, passed between its phases. */
typedef struct
{
  ReinsStep         *step;
  ReinsGuardContext  context;
  char              *validation_error;
  char              *final_answer;
  gboolean           skip_action;
  gint64             t0;
} StepState;

static void
step_state_clear (StepState *s)
{
  g_clear_object (&s->step);
  g_clear_pointer (&s->validation_error, g_free);
  g_clear_pointer (&s->final_answer, g_free);
}

static void
set_duration (StepState *s)
{
  reins_step_set_duration_ms (s->step, (g_get_monotonic_time () - s->t0) / 1000);
}

/* A person decides about the action; on return the step says what happens next. */
static StepOutcome
step_ask (Worker              *w,
          StepState           *s,
          ReinsApprovalRecord *record)
{
  g_autoptr(ReinsApproval) approval = NULL;
  ReinsAction *action;
  ReinsDecision decision;

  set_duration (s);
  decision = ask_person (w, s->step, record, FALSE, &approval);

  switch (decision)
    {
    case REINS_DECISION_NONE:
    case REINS_DECISION_STOP:
      return end_cancelled (w, s->step, TRUE);

    case REINS_DECISION_APPROVE:
      break;

    case REINS_DECISION_EDIT:
      reins_step_set_action (s->step, reins_approval_record_get_final_action (record));
      describe_action (w, reins_step_get_action (s->step), &s->context, &s->validation_error);
      break;

    case REINS_DECISION_REJECT:
      {
        const char *feedback = reins_approval_record_get_feedback (record);
        g_autofree char *observation = NULL;

        if (feedback != NULL)
          observation = g_strdup_printf (_("[Harness: person] The person rejected this action "
                                           "and said: %s"), feedback);
        else
          observation = g_strdup (_("[Harness: person] The person rejected this action. "
                                    "Do something else."));
        reins_step_set_observation (s->step, observation);
        s->skip_action = TRUE;
        if (approval != NULL &&
            reins_approval_get_choice (approval) == REINS_APPROVAL_CHOICE_END_NOW)
          w->end_now_step = reins_step_get_index (s->step);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  action = reins_step_get_action (s->step);
  reins_harness_approval_resolved (w->harness, &s->context, s->step, record);
  if (approval != NULL && reins_approval_get_always_allow (approval) && action != NULL)
    add_always_allow (w, reins_action_get_name (action));

  return STEP_CONTINUE;
}

/* From the prompt to the harness's judgement of the action. */
static StepOutcome
step_begin (Worker    *w,
            StepState *s,
            guint      index)
{
  g_autoptr(ReinsChatRequest) request = NULL;
  g_autoptr(ReinsChatResponse) response = NULL;
  g_autoptr(ReinsVerdict) verdict = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *action_text = NULL;
  g_autofree char *parse_error = NULL;
  ReinsAction *action;
  ReinsEvent *event;

  s->step = reins_step_new (reins_run_get_id (w->run), index);
  reins_step_set_started_at (s->step, g_get_real_time ());
  w->current = s->step;

  event = reins_event_new (EVENT_STEP_STARTED);
  event->index = index;
  push_event (w->executor, event);

  /* Before the model: the call's cost can be projected from the prompt. */
  request = build_request (w, s->step);
  s->context.projected_input_tokens = reins_prompt_count_chars (request) / 4;
  s->context.projected_cost_usd = reins_run_cost_of (reins_run_get_settings (w->run),
                                                     s->context.projected_input_tokens, 0);

  verdict = reins_harness_evaluate (w->harness, REINS_VERDICT_PHASE_BEFORE_MODEL, &s->context,
                                    s->step);
  if (verdict != NULL && reins_verdict_get_kind (verdict) >= REINS_VERDICT_ASK)
    {
      /* No model call was made: stop before spending. */
      reins_step_set_cost (s->step, 0, reins_run_get_cost_usd (w->run));
      set_duration (s);
      if (commit_step (w, s->step, TRUE))
        end_run (w, REINS_RUN_STATUS_TERMINATED, reins_verdict_get_reason (verdict));
      else
        end_run (w, REINS_RUN_STATUS_FAILED, w->error->message);
      return STEP_END;
    }
  g_clear_object (&verdict);

  {
    GPtrArray *verdicts = reins_step_get_verdicts (s->step);

    for (guint i = 0; i < verdicts->len; i++)
      {
        ReinsVerdict *v = g_ptr_array_index (verdicts, i);

        if (reins_verdict_get_kind (v) == REINS_VERDICT_CORRECT)
          {
            g_autofree char *message = reins_prompt_harness_message (v);

            reins_chat_request_add (request,
                                    reins_chat_message_new (REINS_CHAT_ROLE_USER, message));
          }
      }
  }

  /* A fork whose first step a person wrote ("fork_action" in its settings): that step takes
   * the person's action instead of asking the model, and the harness judges it as any. */
  if (!w->fork_action_used && w->executor->fork_step == index &&
      reins_run_get_parent_run_id (w->run) != NULL)
    {
      JsonNode *node = json_object_get_member (reins_run_get_settings (w->run), "fork_action");
      g_autoptr(ReinsAction) edited = NULL;

      w->fork_action_used = TRUE;
      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node) &&
          (edited = reins_action_new_from_json (node, NULL)) != NULL)
        {
          reins_step_set_thought (s->step, _("A person set this action when forking the run."));
          reins_step_set_action (s->step, edited);
          goto judge_action;
        }
    }

  /* The model. */
  response = reins_provider_chat (w->provider, request, token_cb, w, w->cancellable, &error);
  if (response == NULL)
    {
      if (g_cancellable_is_cancelled (w->cancellable) ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return end_cancelled (w, s->step, reins_step_get_verdicts (s->step)->len > 0);

      g_clear_error (&w->error);
      w->error = g_error_copy (error);
      {
        g_autofree char *reason = reins_provider_describe_error (error);
        if (reins_step_get_verdicts (s->step)->len > 0)
          commit_step (w, s->step, TRUE);
        end_run (w, REINS_RUN_STATUS_FAILED, reason);
      }
      return STEP_END;
    }

  {
    g_autoptr(GError) store_error = NULL;

    if (!reins_store_add_exchange (w->store, reins_run_get_id (w->run), index,
                                   response->raw_request, response->raw_response,
                                   response->latency_ms, &store_error))
      g_warning ("Could not store the model exchange of step %u: %s", index,
                 store_error->message);
  }

  /* Added to what a summary call before it may have cost this step. */
  reins_run_cost_add_call (w->run, s->step, response->input_tokens, response->output_tokens);

  reins_step_set_reply (s->step, response->text);
  parse_error = parse_reply (w, s->step, response, &action_text);

  {
    ReinsConfidenceSource source = REINS_CONFIDENCE_SOURCE_DEFAULT;
    double confidence = reins_confidence_compute (response, action_text, &source);

    reins_step_set_confidence (s->step, confidence, source);
  }

judge_action:
  action = reins_step_get_action (s->step);
  if (action == NULL)
    {
      reins_step_set_observation (s->step, parse_error);
      reins_step_set_tool_error (s->step, TRUE);
      return STEP_CONTINUE;
    }

  describe_action (w, action, &s->context, &s->validation_error);

  /* Before the action. */
  verdict = reins_harness_evaluate (w->harness, REINS_VERDICT_PHASE_BEFORE_ACTION, &s->context,
                                    s->step);
  /* A stop while a guard waited on a model (the critic) ends the run here: the action it
   * judged is not taken, and a finish is not accepted. */
  if (g_cancellable_is_cancelled (w->cancellable) || w->stop_requested)
    {
      set_duration (s);
      return end_cancelled (w, s->step, TRUE);
    }
  if (verdict == NULL)
    return STEP_CONTINUE;

  switch (reins_verdict_get_kind (verdict))
    {
    case REINS_VERDICT_TERMINATE:
      set_duration (s);
      if (commit_step (w, s->step, TRUE))
        end_run (w, REINS_RUN_STATUS_TERMINATED, reins_verdict_get_reason (verdict));
      else
        end_run (w, REINS_RUN_STATUS_FAILED, w->error->message);
      return STEP_END;

    case REINS_VERDICT_ASK:
      {
        g_autoptr(ReinsApprovalRecord) record =
          reins_approval_record_new (index, reins_verdict_get_guard (verdict),
                                     reins_verdict_get_reason (verdict), action,
                                     reins_step_has_confidence (s->step)
                                       ? reins_step_get_confidence (s->step) : NAN);
        return step_ask (w, s, record);
      }

    case REINS_VERDICT_CORRECT:
      {
        GPtrArray *verdicts = reins_step_get_verdicts (s->step);
        GString *observation = g_string_new (NULL);

        /* The action does not run; the model reads why instead of its result. */
        for (guint i = 0; i < verdicts->len; i++)
          {
            ReinsVerdict *v = g_ptr_array_index (verdicts, i);

            if (reins_verdict_get_phase (v) == REINS_VERDICT_PHASE_BEFORE_ACTION &&
                reins_verdict_get_kind (v) == REINS_VERDICT_CORRECT)
              {
                g_autofree char *message = reins_prompt_harness_message (v);

                if (observation->len > 0)
                  g_string_append_c (observation, '\n');
                g_string_append (observation, message);
              }
          }
        reins_step_set_observation (s->step, observation->str);
        g_string_free (observation, TRUE);
        s->skip_action = TRUE;
      }
      return STEP_CONTINUE;

    case REINS_VERDICT_ALLOW:
    default:
      return STEP_CONTINUE;
    }
}

static void
append_unrun_calls (Worker    *w,
                    ReinsStep *step)
{
  const char *observation = reins_step_get_observation (step);
  g_autofree char *text = NULL;

  text = observation != NULL && observation[0] != '\0'
           ? g_strdup_printf ("%s\n\n%s", observation, w->unrun_calls)
           : g_strdup (w->unrun_calls);
  reins_step_set_observation (step, text);
  g_clear_pointer (&w->unrun_calls, g_free);
}

/* Runs the action (unless the harness or a person said not to), judges the observation,
 * commits the step and decides whether the run goes on. */
static StepOutcome
step_finish (Worker    *w,
             StepState *s)
{
  g_autoptr(ReinsVerdict) verdict = NULL;
  ReinsAction *action = reins_step_get_action (s->step);

  if (action != NULL && !s->skip_action)
    {
      if (!s->context.action_known)
        {
          g_autofree char *message = unknown_tool_message (w, action);

          reins_step_set_observation (s->step, message);
          reins_step_set_tool_error (s->step, TRUE);
        }
      else if (s->validation_error != NULL)
        {
          /* The registry's message names the tool and the member already. */
          g_autofree char *message = g_strdup_printf (_("%s. Call the tool again with arguments "
                                                        "that match its schema."),
                                                      s->validation_error);
          reins_step_set_observation (s->step, message);
          reins_step_set_tool_error (s->step, TRUE);
        }
      else if (g_str_equal (reins_action_get_name (action), "finish"))
        {
          s->final_answer = g_strdup (reins_action_get_string_argument (action, "answer"));
          if (s->final_answer == NULL)
            {
              reins_step_set_observation (s->step, _("`finish` needs {\"answer\": \"…\"}."));
              reins_step_set_tool_error (s->step, TRUE);
            }
        }
      else
        {
          g_autoptr(ReinsToolResult) result = NULL;
          g_autofree char *text = NULL;

          result = reins_tool_registry_invoke (w->tools, &w->tool_context, action,
                                               w->cancellable);
          if (g_cancellable_is_cancelled (w->cancellable) || w->stop_requested)
            {
              reins_step_set_observation (s->step, _("The run was stopped while the tool ran."));
              reins_step_set_tool_error (s->step, TRUE);
              set_duration (s);
              return end_cancelled (w, s->step, TRUE);
            }

          text = reins_utf8_make_valid (result->text != NULL ? result->text : "", -1);
          reins_step_set_observation (s->step, text);
          reins_step_set_tool_error (s->step, result->is_error);
        }
    }

  if (w->unrun_calls != NULL)
    append_unrun_calls (w, s->step);

  verdict = reins_harness_evaluate (w->harness, REINS_VERDICT_PHASE_AFTER_OBSERVATION,
                                    &s->context, s->step);
  set_duration (s);

  if (verdict != NULL && reins_verdict_get_kind (verdict) == REINS_VERDICT_ASK)
    {
      g_autoptr(ReinsApprovalRecord) record = NULL;
      ReinsDecision decision;

      record = reins_approval_record_new (reins_step_get_index (s->step),
                                          reins_verdict_get_guard (verdict),
                                          reins_verdict_get_reason (verdict), action,
                                          reins_step_has_confidence (s->step)
                                            ? reins_step_get_confidence (s->step) : NAN);
      decision = ask_person (w, s->step, record, FALSE, NULL);
      if (decision == REINS_DECISION_NONE || decision == REINS_DECISION_STOP)
        return end_cancelled (w, s->step, TRUE);
      reins_harness_approval_resolved (w->harness, &s->context, s->step, record);
    }

  if (!commit_step (w, s->step, TRUE))
    {
      end_run (w, REINS_RUN_STATUS_FAILED, w->error->message);
      return STEP_END;
    }
  g_ptr_array_add (w->steps, g_object_ref (s->step));
  w->current = NULL;

  if (verdict != NULL && reins_verdict_get_kind (verdict) == REINS_VERDICT_TERMINATE)
    {
      end_run (w, REINS_RUN_STATUS_TERMINATED, reins_verdict_get_reason (verdict));
      return STEP_END;
    }

  if (s->final_answer != NULL)
    {
      reins_run_set_final_answer (w->run, s->final_answer);
      end_run (w, REINS_RUN_STATUS_COMPLETED, _("The agent finished with an answer."));
      return STEP_END;
    }

  /* "End Now": the model had one step to give what it has; it did not. */
  if (w->end_now_step != 0 && reins_step_get_index (s->step) > w->end_now_step)
    {
      g_autofree char *reason =
        g_strdup_printf (_("Ended by you at step %u; the agent gave no final answer in the step "
                           "after, so the run ends with the results in its steps."),
                         w->end_now_step);
      end_run (w, REINS_RUN_STATUS_TERMINATED, reason);
      return STEP_END;
    }

  return STEP_CONTINUE;
}

/* The question of a stored step that no one answered (the process died while it was
 * open), or NULL. */
static ReinsApprovalRecord *
open_question (ReinsStep *step)
{
  GPtrArray *approvals = reins_step_get_approvals (step);
  ReinsApprovalRecord *last;

  if (approvals->len == 0 || reins_step_get_action (step) == NULL)
    return NULL;
  last = g_ptr_array_index (approvals, approvals->len - 1);
  return reins_approval_record_get_decision (last) == REINS_DECISION_NONE ? last : NULL;
}

/* Whether the guard that put @record asked after the action's observation: then the tool
 * has run, and only the harness's judgement of its result is asked again. */
static gboolean
asked_after_observation (ReinsStep           *step,
                         ReinsApprovalRecord *record)
{
  GPtrArray *verdicts = reins_step_get_verdicts (step);

  for (guint i = verdicts->len; i > 0; i--)
    {
      ReinsVerdict *v = g_ptr_array_index (verdicts, i - 1);

      if (reins_verdict_get_kind (v) == REINS_VERDICT_ASK &&
          g_strcmp0 (reins_verdict_get_guard (v), reins_approval_record_get_guard (record)) == 0)
        return reins_verdict_get_phase (v) == REINS_VERDICT_PHASE_AFTER_OBSERVATION;
    }
  return FALSE;
}

/* Removes the verdicts of @phase: they are judged again, as the first process would have. */
static void
drop_verdicts (ReinsStep         *step,
               ReinsVerdictPhase  phase)
{
  GPtrArray *verdicts = reins_step_get_verdicts (step);

  for (guint i = verdicts->len; i > 0; i--)
    if (reins_verdict_get_phase (g_ptr_array_index (verdicts, i - 1)) == phase)
      g_ptr_array_remove_index (verdicts, i - 1);
}

/* Takes up a stored step whose question was open: the same question is put again, at the
 * point of the step where it was put. */
static StepOutcome
step_reopen (Worker    *w,
             StepState *s,
             ReinsStep *pending)
{
  g_autoptr(ReinsApprovalRecord) record = g_object_ref (open_question (pending));
  ReinsAction *action = reins_step_get_action (pending);

  s->step = g_object_ref (pending);
  s->t0 -= reins_step_get_duration_ms (pending) * 1000;
  w->current = s->step;
  describe_action (w, action, &s->context, &s->validation_error);

  if (g_strcmp0 (reins_approval_record_get_guard (record), "ask_human") == 0 ||
      g_strcmp0 (reins_approval_record_get_guard (record), "elicitation") == 0)
    {
      /* The agent's or the MCP server's question is part of its tool running: the tool
       * runs again and asks. */
      g_ptr_array_remove (reins_step_get_approvals (s->step), record);
      return STEP_CONTINUE;
    }

  if (asked_after_observation (s->step, record))
    {
      /* The observation is kept; the harness judges it again and asks again. */
      g_ptr_array_remove (reins_step_get_approvals (s->step), record);
      drop_verdicts (s->step, REINS_VERDICT_PHASE_AFTER_OBSERVATION);
      s->skip_action = TRUE;
      if (g_str_equal (reins_action_get_name (action), "finish") &&
          !reins_step_get_tool_error (s->step))
        s->final_answer = g_strdup (reins_action_get_string_argument (action, "answer"));
      return STEP_CONTINUE;
    }

  return step_ask (w, s, record);
}

/* One whole step; @pending is a stored step whose question was open when the process died,
 * which is asked again rather than calling the model anew. */
static StepOutcome
run_step (Worker    *w,
          ReinsStep *pending)
{
  StepState s = { 0 };
  StepOutcome outcome;

  s.context = guard_context (w);
  s.t0 = g_get_monotonic_time ();

  if (pending != NULL)
    outcome = step_reopen (w, &s, pending);
  else
    outcome = step_begin (w, &s, w->steps->len + 1);

  if (outcome == STEP_CONTINUE)
    outcome = step_finish (w, &s);

  w->current = NULL;
  step_state_clear (&s);
  return outcome;
}

/* The provider, with the run's total request deadline ("provider_timeout", seconds). */
static ReinsProvider *
new_provider (ReinsExecutor  *self,
              JsonObject     *settings,
              GError        **error)
{
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_copy (self->provider_config);
  gint64 timeout = reins_settings_get_int (settings, "provider_timeout", 0);

  if (timeout > 0)
    config->request_timeout_s = (guint) MIN (timeout, 24 * 3600);
  return reins_provider_new_for_config (config, error);
}

static void
set_mcp_status (JsonObject *settings,
                const char *spec,
                const char *status)
{
  g_autofree char *name = g_strndup (spec, strcspn (spec, "=:"));
  JsonNode *node = json_object_get_member (settings, "mcp_status");

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    json_object_set_object_member (settings, "mcp_status", json_object_new ());
  json_object_set_string_member (json_object_get_object_member (settings, "mcp_status"),
                                 name, status);
}

/* The tools chosen for the MCP server of @spec ("mcp_tools": {NAME: [TOOL, …]}), or NULL. */
static char **
mcp_allowed_tools (JsonObject *settings,
                   const char *spec)
{
  g_autofree char *name = g_strndup (spec, strcspn (spec, "=:"));
  JsonNode *choice = json_object_get_member (settings, "mcp_tools");
  JsonNode *list;
  g_autoptr(GStrvBuilder) builder = NULL;

  if (choice == NULL || !JSON_NODE_HOLDS_OBJECT (choice))
    return NULL;
  list = json_object_get_member (json_node_get_object (choice), name);
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    return NULL;
  builder = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
    {
      JsonNode *el = json_array_get_element (json_node_get_array (list), i);

      if (JSON_NODE_HOLDS_VALUE (el) && json_node_get_value_type (el) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (el));
    }
  return g_strv_builder_end (builder);
}

static ReinsToolRegistry *
build_tools (Worker   *w,
             GError  **error)
{
  JsonObject *settings = reins_run_get_settings (w->run);
  JsonNode *tools = json_object_get_member (settings, "tools");
  g_autoptr(GString) list = g_string_new (NULL);
  ReinsToolRegistry *registry;

  if (tools != NULL && JSON_NODE_HOLDS_ARRAY (tools))
    {
      JsonArray *array = json_node_get_array (tools);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          if (list->len > 0)
            g_string_append_c (list, ',');
          g_string_append (list, json_array_get_string_element (array, i));
        }
    }
  else
    {
      g_string_append (list, REINS_DEFAULT_TOOLS);
    }

  registry = reins_tool_registry_new_builtin (list->str, error);
  if (registry == NULL)
    return NULL;
  reins_tool_registry_set_mcp_root (registry, w->tool_context.workspace);

  {
    JsonNode *mcp = json_object_get_member (settings, "mcp");

    if (mcp != NULL && JSON_NODE_HOLDS_ARRAY (mcp))
      {
        JsonArray *array = json_node_get_array (mcp);

        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            const char *spec = json_array_get_string_element (array, i);
            g_auto(GStrv) allowed = mcp_allowed_tools (settings, spec);
            g_autoptr(GError) local_error = NULL;
            g_autofree char *warning = NULL;
            gint64 max_tools = reins_settings_get_int (settings, "mcp_max_tools", 128);

            /* A dead or silent MCP server costs its tools, never the run. What happened
             * is kept in the run's settings ("mcp_status"), for the window to show. */
            if (!reins_tool_registry_add_mcp_server_full (registry, spec,
                                                          (guint) CLAMP (max_tools, 1, 100000),
                                                          (const char * const *) allowed,
                                                          &warning, w->cancellable,
                                                          &local_error))
              {
                g_message ("MCP server “%s” is not available; the run goes on without its "
                           "tools: %s", spec, local_error->message);
                set_mcp_status (settings, spec, local_error->message);
              }
            else if (warning != NULL)
              {
                g_autofree char *status = g_strdup_printf ("running; %s", warning);

                g_message ("MCP server “%s”: %s", spec, warning);
                set_mcp_status (settings, spec, status);
              }
            else
              {
                set_mcp_status (settings, spec, "running");
              }
          }
      }
  }

  return registry;
}

static void
worker_free (Worker *w)
{
  g_clear_object (&w->store);
  g_clear_pointer (&w->compressor, reins_compressor_free);
  g_clear_object (&w->provider);
  g_clear_object (&w->critic_provider);
  g_clear_pointer (&w->critic_unavailable, g_free);
  g_clear_pointer (&w->critic_model, g_free);
  if (w->tools != NULL)
    reins_tool_registry_stop_mcp_servers (w->tools);
  g_clear_object (&w->tools);
  g_clear_object (&w->harness);
  g_clear_object (&w->run);
  g_clear_pointer (&w->steps, g_ptr_array_unref);
  g_clear_pointer (&w->tool_descriptions, json_array_unref);
  g_clear_pointer (&w->unrun_calls, g_free);
  g_clear_pointer (&w->tool_context.workspace, g_free);
  g_clear_pointer (&w->tool_context.sandbox, reins_sandbox_free);
  g_clear_object (&w->cancellable);
  g_clear_error (&w->error);
  g_free (w);
}

/* A fork keeps the parent's first steps as they were: their observations are copied, their
 * tools are not run again. */
static gboolean
copy_parent_steps (Worker  *w,
                   guint    fork_step,
                   GError **error)
{
  g_autoptr(GPtrArray) kept = NULL;
  guint64 in = 0, out = 0;

  kept = reins_store_get_steps (w->store, reins_run_get_parent_run_id (w->run), 1, fork_step - 1,
                                error);
  if (kept == NULL)
    return FALSE;

  for (guint i = 0; i < kept->len; i++)
    {
      g_autoptr(ReinsStep) copy = reins_step_copy (g_ptr_array_index (kept, i));

      reins_step_set_run_id (copy, reins_run_get_id (w->run));
      in += reins_step_get_input_tokens (copy);
      out += reins_step_get_output_tokens (copy);
      reins_run_set_tokens (w->run, in, out);
      reins_run_set_cost_usd (w->run, reins_step_get_cost_total_usd (copy));
      if (!commit_step (w, copy, TRUE))
        {
          g_propagate_error (error, g_error_copy (w->error));
          return FALSE;
        }
      g_ptr_array_add (w->steps, g_steal_pointer (&copy));
    }

  return TRUE;
}

static gpointer
worker_main (gpointer data)
{
  Worker *w = data;
  ReinsExecutor *self = w->executor;
  g_autoptr(GError) error = NULL;
  ReinsStep *pending = NULL;
  JsonObject *settings;
  ReinsEvent *event;

  w->store = reins_store_open (self->db_path, &error);
  if (w->store == NULL)
    {
      reins_run_set_status (w->run, REINS_RUN_STATUS_FAILED);
      reins_run_set_reason (w->run, error->message);
      w->error = g_steal_pointer (&error);
      goto out;
    }

  if (self->resume)
    {
      g_autoptr(ReinsRun) stored = reins_store_get_run (w->store, reins_run_get_id (w->run), &error);
      g_autoptr(GPtrArray) steps = NULL;

      if (stored != NULL)
        steps = reins_store_get_steps (w->store, reins_run_get_id (w->run), 1, 0, &error);
      if (steps == NULL)
        {
          w->error = g_steal_pointer (&error);
          goto out;
        }

      /* As the constructor restored them, with the person's overrides. */
      reins_run_set_settings (stored, reins_run_get_settings (w->run));
      reins_run_set_provider (stored, reins_run_get_provider (w->run));
      reins_run_set_model (stored, reins_run_get_model (w->run));
      g_set_object (&w->run, stored);
      for (guint i = 0; i < steps->len; i++)
        {
          ReinsStep *step = g_ptr_array_index (steps, i);

          /* A reference of its own: @steps goes at the end of this block. */
          if (i + 1 == steps->len && open_question (step) != NULL)
            pending = g_object_ref (step);
          else
            g_ptr_array_add (w->steps, g_object_ref (step));
        }
      reins_run_set_finished_at (w->run, 0);
    }
  else if (!reins_store_insert_run (w->store, w->run, &error))
    {
      reins_run_set_status (w->run, REINS_RUN_STATUS_FAILED);
      reins_run_set_reason (w->run, error->message);
      w->error = g_steal_pointer (&error);
      goto out;
    }
  else if (self->fork_step > 1 && !copy_parent_steps (w, self->fork_step, &error))
    {
      w->error = g_error_copy (error);
      end_run (w, REINS_RUN_STATUS_FAILED, error->message);
      goto out;
    }

  settings = reins_run_get_settings (w->run);
  w->native = g_strcmp0 (reins_settings_get_string (settings, "mode", "tools"), "react") != 0;
  w->tool_context.workspace = g_strdup (reins_settings_get_string (settings, "workspace", "."));
  /* Opened once for the run: replacing the folder later cannot move the sandbox. If it
   * cannot be opened now, each tool call tries and says why. */
  w->tool_context.sandbox = reins_sandbox_new (w->tool_context.workspace, NULL);
  w->tool_context.ask_human = ask_human_cb;
  w->tool_context.ask_human_data = w;
  w->tool_context.elicit = elicit_cb;
  w->tool_context.elicit_data = w;
  w->tool_context.progress = tool_progress_cb;
  w->tool_context.progress_data = w;
  w->tool_context.timeout_s = (guint) CLAMP (reins_settings_get_int (settings, "tool_timeout_s", 30),
                                             1, 3600);

  w->provider = new_provider (self, settings, &error);
  if (w->provider != NULL)
    w->provider = reins_provider_inject_wrap_for_settings (w->provider, settings, &error);
  if (w->provider == NULL)
    {
      w->error = g_error_copy (error);
      end_run (w, REINS_RUN_STATUS_FAILED, error->message);
      goto out;
    }

  w->tools = build_tools (w, &error);
  if (w->tools == NULL)
    {
      w->error = g_error_copy (error);
      end_run (w, REINS_RUN_STATUS_FAILED, error->message);
      goto out;
    }
  w->tool_descriptions = reins_tool_registry_describe (w->tools);
  w->harness = reins_harness_new_for_settings (settings);
  w->compressor = reins_compressor_new (w->store, w->provider, w->run, w->steps,
                                        w->cancellable);

  set_status (w, REINS_RUN_STATUS_RUNNING, NULL);

  for (;;)
    {
      StepOutcome outcome;

      if (pending == NULL && !checkpoint (w))
        {
          g_autofree char *reason = g_strdup_printf (_("Stopped by you after step %u."),
                                                     w->steps->len);
          end_run (w, REINS_RUN_STATUS_CANCELLED, reason);
          break;
        }

      outcome = run_step (w, pending);
      g_clear_object (&pending);
      w->current = NULL;
      if (outcome == STEP_END)
        break;

      g_mutex_lock (&self->mutex);
      if (self->step_once)
        {
          self->step_once = FALSE;
          self->paused = TRUE;
        }
      g_mutex_unlock (&self->mutex);
    }

out:
  g_clear_object (&pending);
  if (w->error != NULL)
    {
      g_mutex_lock (&self->mutex);
      g_clear_error (&self->error);
      self->error = g_error_copy (w->error);
      g_mutex_unlock (&self->mutex);
    }

  event = reins_event_new (EVENT_FINISHED);
  event->object = G_OBJECT (reins_run_copy (w->run));
  push_event (self, event);

  worker_free (w);
  return NULL;
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

  g_clear_pointer (&self->critic_config, reins_provider_config_free);
  if (critic != NULL)
    self->critic_config = reins_provider_config_copy (critic);
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

  w = g_new0 (Worker, 1);
  w->executor = self;
  w->cancellable = g_object_ref (self->cancellable);
  w->run = reins_run_copy (self->run);
  w->steps = g_ptr_array_new_with_free_func (g_object_unref);

  /* Released by the FINISHED event, on the main context. */
  g_object_ref (self);
  self->thread = g_thread_new ("reins-executor", worker_main, w);
}

void
reins_executor_pause (ReinsExecutor *self)
{
  g_return_if_fail (REINS_IS_EXECUTOR (self));

  g_mutex_lock (&self->mutex);
  self->paused = TRUE;
  self->step_once = FALSE;
  g_mutex_unlock (&self->mutex);
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

/**
 * reins_executor_get_pending_approval:
 *
 * Returns: (transfer none) (nullable): the question the worker is waiting on, if any
 */
ReinsApproval *
reins_executor_get_pending_approval (ReinsExecutor *self)
{
  ReinsApproval *approval;

  g_return_val_if_fail (REINS_IS_EXECUTOR (self), NULL);

  g_mutex_lock (&self->mutex);
  approval = self->pending_approval;
  g_mutex_unlock (&self->mutex);

  return approval;
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
