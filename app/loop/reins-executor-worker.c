/* reins-executor-worker.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The worker thread of an executor: it sets the run up (reins-run-setup.c), runs step after
 * step (reins-executor-step.c) between the person's pauses, and reports through events.
 * The store holds what an event reports before the event is queued.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-executor-private.h"
#include "reins-run-settings.h"
#include "reins-sandbox.h"

/* The run's status on the worker's copy; the store is written by the caller. */
static void
apply_status (Worker         *w,
              ReinsRunStatus  status,
              const char     *reason)
{
  reins_run_set_status (w->run, status);
  if (reason != NULL)
    reins_run_set_reason (w->run, reason);
  if (reins_run_status_is_final (status))
    reins_run_set_finished_at (w->run, g_get_real_time ());
}

static void
announce_status (Worker *w)
{
  ReinsEvent *event = reins_event_new (EVENT_STATUS_CHANGED);

  event->value = (int) reins_run_get_status (w->run);
  event->object = G_OBJECT (reins_run_copy (w->run));
  _reins_executor_push_event (w->executor, event);
}

void
reins_worker_set_status (Worker         *w,
            ReinsRunStatus  status,
            const char     *reason)
{
  g_autoptr(GError) error = NULL;

  apply_status (w, status, reason);

  if (w->store != NULL && !reins_store_update_run (w->store, w->run, &error))
    {
      g_warning ("Could not store the status of run %s: %s", reins_run_get_id (w->run),
                 error->message);
      if (w->error == NULL)
        w->error = g_steal_pointer (&error);
    }

  announce_status (w);
}

/* Commits the step (write-ahead) and only then lets the main context hear of it. */
gboolean
reins_worker_commit_step (Worker    *w,
             ReinsStep *step,
             gboolean   announce)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

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
  /* What a commit takes, for tests/bench-store-load (G_MESSAGES_DEBUG=Reins-Loop). */
  if (!g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN))
    g_debug ("Step %u stored in %" G_GINT64_FORMAT " µs", reins_step_get_index (step),
             g_get_monotonic_time () - start);

  if (announce)
    {
      ReinsEvent *event = reins_event_new (EVENT_STEP_FINISHED);

      event->object = G_OBJECT (reins_step_copy (step));
      _reins_executor_push_event (w->executor, event);
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
          reins_worker_set_status (w, REINS_RUN_STATUS_PAUSED, _("Paused by you."));
          g_mutex_lock (&self->mutex);
          continue;
        }
      g_cond_wait (&self->cond, &self->mutex);
    }
  g_mutex_unlock (&self->mutex);

  if (g_cancellable_is_cancelled (w->cancellable))
    return FALSE;

  if (was_paused)
    reins_worker_set_status (w, REINS_RUN_STATUS_RUNNING, NULL);
  return TRUE;
}

void
reins_worker_end_run (Worker         *w,
         ReinsRunStatus  status,
         const char     *reason)
{
  reins_worker_set_status (w, status, reason);
}

ReinsStepOutcome
reins_worker_end_cancelled (Worker    *w,
               ReinsStep *step,
               gboolean   commit)
{
  g_autofree char *reason = g_strdup_printf (_("Stopped by you at step %u."),
                                             reins_step_get_index (step));

  if (commit)
    return reins_worker_end_with_step (w, step, REINS_RUN_STATUS_CANCELLED, reason, NULL);
  reins_worker_end_run (w, REINS_RUN_STATUS_CANCELLED, reason);
  return REINS_STEP_END;
}

/* Ends the run with @step: the step and the run's end (@status, @reason, @final_answer)
 * are committed in one transaction. Stored one after the other, a process killed between
 * the two left a live run whose last step had ended it, and its resume went on past that
 * step (a `finish` taken for a tool that returned nothing, a terminated run run on). If the
 * store fails, the run fails. */
ReinsStepOutcome
reins_worker_end_with_step (Worker         *w,
                            ReinsStep      *step,
                            ReinsRunStatus  status,
                            const char     *reason,
                            const char     *final_answer)
{
  g_autofree char *previous_answer = g_strdup (reins_run_get_final_answer (w->run));

  if (final_answer != NULL)
    reins_run_set_final_answer (w->run, final_answer);
  apply_status (w, status, reason);

  if (!reins_worker_commit_step (w, step, TRUE))
    {
      reins_run_set_final_answer (w->run, previous_answer);
      reins_worker_end_run (w, REINS_RUN_STATUS_FAILED, w->error->message);
      return REINS_STEP_END;
    }
  announce_status (w);
  return REINS_STEP_END;
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
  g_clear_pointer (&w->prompt_tally, reins_prompt_tally_free);
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
      if (!reins_worker_commit_step (w, copy, TRUE))
        {
          g_propagate_error (error, g_error_copy (w->error));
          return FALSE;
        }
      g_ptr_array_add (w->steps, g_steal_pointer (&copy));
    }

  return TRUE;
}

/* The run's record: a new run (or fork) is inserted, a resumed one read with its steps;
 * @pending is the last stored step if its question was open. FALSE: the run cannot go on. */
static gboolean
worker_open_run (Worker     *w,
                 ReinsStep **pending)
{
  ReinsRunSetup *setup = w->executor->setup;
  g_autoptr(GError) error = NULL;

  w->store = reins_store_open (setup->db_path, &error);
  if (w->store == NULL)
    {
      reins_run_set_status (w->run, REINS_RUN_STATUS_FAILED);
      reins_run_set_reason (w->run, error->message);
      w->error = g_steal_pointer (&error);
      return FALSE;
    }

  if (setup->kind == REINS_RUN_SETUP_RESUME)
    {
      g_autoptr(ReinsRun) stored = NULL;
      g_autoptr(GPtrArray) steps = NULL;

      stored = reins_run_setup_load_resume (setup, w->store, &steps, &error);
      if (stored == NULL)
        {
          w->error = g_steal_pointer (&error);
          return FALSE;
        }
      g_set_object (&w->run, stored);
      for (guint i = 0; i < steps->len; i++)
        {
          ReinsStep *step = g_ptr_array_index (steps, i);

          /* A reference of its own: @steps goes at the end of this block. */
          if (i + 1 == steps->len && reins_worker_open_question (step) != NULL)
            *pending = g_object_ref (step);
          else
            g_ptr_array_add (w->steps, g_object_ref (step));
        }
      return TRUE;
    }

  if (!reins_store_insert_run (w->store, w->run, &error))
    {
      reins_run_set_status (w->run, REINS_RUN_STATUS_FAILED);
      reins_run_set_reason (w->run, error->message);
      w->error = g_steal_pointer (&error);
      return FALSE;
    }
  if (setup->fork_step > 1 && !copy_parent_steps (w, setup->fork_step, &error))
    {
      w->error = g_error_copy (error);
      reins_worker_end_run (w, REINS_RUN_STATUS_FAILED, error->message);
      return FALSE;
    }
  return TRUE;
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

/* The tool context, provider, tools, harness and compressor of the run's settings. FALSE:
 * the run failed. */
static gboolean
worker_equip (Worker *w)
{
  JsonObject *settings = reins_run_get_settings (w->run);
  g_autoptr(GError) error = NULL;

  w->native = g_strcmp0 (reins_settings_get_string (settings, "mode", REINS_RUN_SETTINGS_DEFAULT_MODE), "react") != 0;
  w->tool_context.workspace = g_strdup (reins_settings_get_string (settings, "workspace", "."));
  /* Opened once for the run: replacing the folder later cannot move the sandbox. If it
   * cannot be opened now, each tool call tries and says why. */
  w->tool_context.sandbox = reins_sandbox_new (w->tool_context.workspace, NULL);
  w->tool_context.ask_human = reins_worker_ask_human;
  w->tool_context.ask_human_data = w;
  w->tool_context.elicit = reins_worker_elicit;
  w->tool_context.elicit_data = w;
  w->tool_context.progress = tool_progress_cb;
  w->tool_context.progress_data = w;
  w->tool_context.timeout_s = (guint) CLAMP (reins_settings_get_int (settings, "tool_timeout_s",
                                                                      REINS_RUN_SETTINGS_DEFAULT_TOOL_TIMEOUT_S),
                                             1, 3600);

  w->provider = reins_run_setup_make_provider (w->executor->setup, settings, &error);
  if (w->provider != NULL)
    w->tools = reins_run_setup_make_tools (settings, w->tool_context.workspace, w->cancellable,
                                          &error);
  if (w->provider == NULL || w->tools == NULL)
    {
      w->error = g_error_copy (error);
      reins_worker_end_run (w, REINS_RUN_STATUS_FAILED, error->message);
      return FALSE;
    }

  w->tool_descriptions = reins_tool_registry_describe (w->tools);
  w->harness = reins_run_setup_make_harness (settings);
  w->compressor = reins_compressor_new (w->store, w->provider, w->run, w->steps,
                                        w->cancellable);
  w->prompt_tally = reins_prompt_tally_new ();
  return TRUE;
}

/* Step after step, between the person's pauses, until one ends the run. */
static void
worker_loop (Worker    *w,
             ReinsStep *pending)
{
  ReinsExecutor *self = w->executor;
  g_autoptr(ReinsStep) reopen = pending;

  reins_worker_set_status (w, REINS_RUN_STATUS_RUNNING, NULL);

  for (;;)
    {
      ReinsStepOutcome outcome;

      if (reopen == NULL && !checkpoint (w))
        {
          g_autofree char *reason = g_strdup_printf (_("Stopped by you after step %u."),
                                                     w->steps->len);
          reins_worker_end_run (w, REINS_RUN_STATUS_CANCELLED, reason);
          return;
        }

      outcome = reins_worker_run_step (w, reopen);
      g_clear_object (&reopen);
      w->current = NULL;
      if (outcome == REINS_STEP_END)
        return;

      g_mutex_lock (&self->mutex);
      if (self->step_once)
        {
          self->step_once = FALSE;
          self->paused = TRUE;
        }
      g_mutex_unlock (&self->mutex);
    }
}

gpointer
reins_worker_main (gpointer data)
{
  Worker *w = data;
  ReinsExecutor *self = w->executor;
  ReinsStep *pending = NULL;
  ReinsEvent *event;

  if (worker_open_run (w, &pending) && worker_equip (w))
    worker_loop (w, g_steal_pointer (&pending));
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
  _reins_executor_push_event (self, event);

  worker_free (w);
  return NULL;
}
