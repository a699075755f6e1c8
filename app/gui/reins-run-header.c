/* reins-run-header.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A run's header: its name (the task under it) or its task, status and totals; while it runs, progress, controls and the bar
 * that says it waits for a person.
 *
 * The header follows its run's properties: a change queues one update for the next frame,
 * however many properties a batch of the executor's reports changed.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-format.h"
#include "reins-guard.h"
#include "reins-run-header.h"
#include "reins-run-settings.h"

struct _ReinsRunHeader
{
  GtkWidget      parent_instance;

  ReinsRun      *run;
  ReinsExecutor *executor;
  guint          waiting_step;
  guint          elapsed_id;
  guint          tick_id;
  char          *name;  /* the name a person gave the run, or NULL */

  GtkLabel      *task_label;
  GtkLabel      *subtitle_label;
  GtkLabel      *status_label;
  GtkLabel      *model_label;
  GtkLabel      *totals_label;
  GtkLabel      *outcome_label;
  GtkLabel      *note_label;
  GtkWidget     *live_box;
  GtkLabel      *progress_label;
  GtkLevelBar   *cost_bar;
  GtkLabel      *cost_label;
  GtkLabel      *elapsed_label;
  GtkWidget     *pause_button;
  GtkWidget     *resume_button;
  GtkRevealer   *approval_revealer;
  GtkLabel      *approval_label;
};

G_DEFINE_FINAL_TYPE (ReinsRunHeader, reins_run_header, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_RUN,
  PROP_WAITING_STEP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void reins_run_header_update_approval_bar (ReinsRunHeader *self);

static ReinsRunSettings *
run_settings (ReinsRun *run)
{
  return reins_run_settings_new_from_json (run != NULL ? reins_run_get_settings (run) : NULL);
}

static void
reins_run_header_update_elapsed (ReinsRunHeader *self)
{
  g_autofree char *elapsed = NULL;
  gint64 end;

  if (self->run == NULL)
    return;

  end = reins_run_get_finished_at (self->run) > 0 ? reins_run_get_finished_at (self->run)
                                                   : g_get_real_time ();
  elapsed = reins_format_duration (MAX (0, end - reins_run_get_created_at (self->run)) / 1000);
  gtk_label_set_label (self->elapsed_label, elapsed);
}

static gboolean
elapsed_tick_cb (gpointer user_data)
{
  reins_run_header_update_elapsed (user_data);
  return G_SOURCE_CONTINUE;
}

/* The live part of the header: progress against the limits, and the controls. */
static void
reins_run_header_update_live_header (ReinsRunHeader *self)
{
  g_autofree char *progress = NULL;
  g_autofree char *cost = NULL;
  g_autofree char *budget_text = NULL;
  g_autofree char *cost_text = NULL;
  g_autoptr(ReinsRunSettings) settings = NULL;
  ReinsRunStatus status;
  double budget;
  guint max_steps;
  gboolean live;

  /* Progress and controls are for a run that goes on; an ended run has its totals. */
  live = self->executor != NULL && self->run != NULL &&
         !reins_run_status_is_final (reins_run_get_status (self->run));
  gtk_widget_set_visible (self->live_box, live);
  if (!live)
    {
      g_clear_handle_id (&self->elapsed_id, g_source_remove);
      reins_run_header_update_approval_bar (self);
      gtk_revealer_set_reveal_child (self->approval_revealer, FALSE);
      return;
    }

  status = reins_run_get_status (self->run);
  settings = run_settings (self->run);
  max_steps = reins_run_settings_get_max_steps (settings);
  /* Translators: progress of a live run, e.g. "Step 3 of 20" */
  progress = g_strdup_printf (_("Step %u of %u"), reins_run_get_step_count (self->run), max_steps);
  gtk_label_set_label (self->progress_label, progress);

  budget = reins_run_settings_get_budget_usd (settings);
  cost = reins_format_cost (reins_run_get_cost_usd (self->run));
  budget_text = reins_format_cost (budget);
  /* Translators: the cost of a run so far against its budget, e.g. "$0.02 of $1.00" */
  cost_text = g_strdup_printf (_("%s of %s"), cost, budget_text);
  gtk_label_set_label (self->cost_label, cost_text);
  gtk_level_bar_set_max_value (self->cost_bar, budget > 0 ? budget : 1.0);
  /* Blocks take the name of the first offset at or above the value: amber from 80 %. */
  for (const char * const *o = (const char * const []) { GTK_LEVEL_BAR_OFFSET_LOW,
                                                         GTK_LEVEL_BAR_OFFSET_HIGH,
                                                         GTK_LEVEL_BAR_OFFSET_FULL,
                                                         "cost-normal", "cost-high", NULL };
       *o; o++)
    gtk_level_bar_remove_offset_value (self->cost_bar, *o);
  gtk_level_bar_add_offset_value (self->cost_bar, "cost-normal", 0.8 * (budget > 0 ? budget : 1.0));
  gtk_level_bar_add_offset_value (self->cost_bar, "cost-high", budget > 0 ? budget : 1.0);
  gtk_level_bar_set_value (self->cost_bar, MIN (reins_run_get_cost_usd (self->run),
                                                budget > 0 ? budget : 1.0));

  gtk_widget_set_visible (self->pause_button, status != REINS_RUN_STATUS_PAUSED);
  gtk_widget_set_visible (self->resume_button, status == REINS_RUN_STATUS_PAUSED);

  reins_run_header_update_elapsed (self);
  if (reins_run_status_is_final (status))
    g_clear_handle_id (&self->elapsed_id, g_source_remove);
  else if (self->elapsed_id == 0)
    self->elapsed_id = g_timeout_add_seconds_full (G_PRIORITY_LOW, 1, elapsed_tick_cb, self, NULL);

  reins_run_header_update_approval_bar (self);
}

static void
reins_run_header_update_header (ReinsRunHeader *self)
{
  g_autofree char *task = NULL;
  g_autofree char *model = NULL;
  g_autofree char *totals = NULL;
  g_autofree char *steps = NULL;
  g_autofree char *tokens = NULL;
  g_autofree char *cost = NULL;
  g_autofree char *outcome = NULL;
  const char *answer;
  const char *reason;
  ReinsRunStatus status;
  guint n_steps;

  if (self->run == NULL)
    return;

  status = reins_run_get_status (self->run);
  task = reins_format_excerpt (reins_run_get_task (self->run), 300, NULL);
  /* A named run heads with its name, the task under it */
  gtk_label_set_label (self->task_label, self->name != NULL ? self->name : task);
  gtk_label_set_label (self->subtitle_label, self->name != NULL ? task : "");
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label), self->name != NULL);

  gtk_label_set_label (self->status_label, reins_format_status_label (status));
  for (const char * const *c = (const char * const []) { "success", "warning", "error", "accent",
                                                         NULL }; *c; c++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), *c);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), reins_format_status_style (status));

  if (reins_run_get_model (self->run) != NULL && reins_run_get_model (self->run)[0] != '\0')
    /* Translators: a provider and a model name, e.g. "openai · gpt-4o-mini" */
    model = g_strdup_printf (_("%s · %s"),
                             reins_run_get_provider (self->run) ? reins_run_get_provider (self->run) : "",
                             reins_run_get_model (self->run));
  else
    model = g_strdup (reins_run_get_provider (self->run) ? reins_run_get_provider (self->run) : "");
  gtk_label_set_label (self->model_label, model);

  n_steps = reins_run_get_step_count (self->run);
  tokens = reins_format_tokens (reins_run_get_input_tokens (self->run),
                                reins_run_get_output_tokens (self->run));
  cost = reins_format_cost (reins_run_get_cost_usd (self->run));
  /* Translators: the number of steps of a run */
  steps = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u step", "%u steps", n_steps),
                           n_steps);
  totals = g_strdup_printf ("%s · %s · %s", steps, tokens, cost);
  gtk_label_set_label (self->totals_label, totals);

  answer = reins_run_get_final_answer (self->run);
  /* While a run goes on its reason is the latest status change's, shown elsewhere. */
  reason = reins_run_status_is_final (status) ? reins_run_get_reason (self->run) : NULL;
  if (answer != NULL && answer[0] != '\0')
    {
      g_autofree char *excerpt = reins_format_excerpt (answer, 500, NULL);
      /* Translators: the final answer of a run */
      outcome = g_strdup_printf (_("Answer: %s"), excerpt);
    }
  else if (reason != NULL && reason[0] != '\0')
    {
      g_autofree char *excerpt = reins_format_excerpt (reason, 500, NULL);
      /* Translators: why a run ended without an answer */
      outcome = g_strdup_printf (_("Ended: %s"), excerpt);
    }
  gtk_label_set_label (self->outcome_label, outcome ? outcome : "");
  gtk_widget_set_visible (GTK_WIDGET (self->outcome_label), outcome != NULL);

  reins_run_header_update_live_header (self);
}

/* The step a person's answer is awaited on (under way, or stored just before the question
 * was put), or 0. */
static guint
reins_run_header_find_waiting_step (ReinsRunHeader *self)
{
  g_autoptr(ReinsApproval) approval = self->executor != NULL
                                      ? reins_executor_get_pending_approval (self->executor)
                                      : NULL;

  if (approval == NULL || reins_approval_is_resolved (approval))
    return 0;
  return reins_approval_record_get_step (reins_approval_get_record (approval));
}

static void
reins_run_header_update_approval_bar (ReinsRunHeader *self)
{
  g_autoptr(ReinsApproval) approval = self->executor != NULL
                                      ? reins_executor_get_pending_approval (self->executor)
                                      : NULL;
  guint waiting = reins_run_header_find_waiting_step (self);

  if (waiting != self->waiting_step)
    {
      self->waiting_step = waiting;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WAITING_STEP]);
    }

  if (approval != NULL && !reins_approval_is_resolved (approval))
    {
      ReinsApprovalRecord *record = reins_approval_get_record (approval);
      g_autofree char *text = NULL;

      /* Translators: a bar over a live run; the first placeholder is a heading such as
       * "Low Confidence", the second a step number */
      text = g_strdup_printf (_("Waiting for you — %s at step %u"),
                              reins_format_guard_heading (reins_approval_is_question (approval)
                                                          ? "ask_human"
                                                          : reins_approval_record_get_guard (record)),
                              reins_approval_record_get_step (record));
      gtk_label_set_label (self->approval_label, text);
      gtk_revealer_set_reveal_child (self->approval_revealer, TRUE);
    }
  else
    gtk_revealer_set_reveal_child (self->approval_revealer, FALSE);
}

static gboolean
update_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  ReinsRunHeader *self = REINS_RUN_HEADER (widget);

  self->tick_id = 0;
  reins_run_header_update_header (self);
  return G_SOURCE_REMOVE;
}

/* Many properties change per batch of reports: one update for the next frame. An unmapped
 * header (another page shows) is brought up to date at once instead. */
static void
run_notify_cb (ReinsRunHeader *self,
               GParamSpec     *pspec,
               ReinsRun       *run)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    reins_run_header_update_header (self);
  else if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), update_tick_cb, NULL, NULL);
}

/* A status change or a question: the controls and the bar follow at once. */
static void
executor_changed_cb (ReinsRunHeader *self,
                     gpointer        arg,
                     ReinsExecutor  *executor)
{
  reins_run_header_update_header (self);
}

static void
reins_run_header_dispose (GObject *object)
{
  ReinsRunHeader *self = REINS_RUN_HEADER (object);
  GtkWidget *child;

  if (self->executor != NULL)
    g_signal_handlers_disconnect_by_func (self->executor, executor_changed_cb, self);
  g_clear_object (&self->executor);
  if (self->run != NULL)
    g_signal_handlers_disconnect_by_func (self->run, run_notify_cb, self);
  g_clear_object (&self->run);
  g_clear_handle_id (&self->elapsed_id, g_source_remove);
  g_clear_pointer (&self->name, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), REINS_TYPE_RUN_HEADER);
  /* The boxes the template does not name are ours to unparent too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (reins_run_header_parent_class)->dispose (object);
}

static void
reins_run_header_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ReinsRunHeader *self = REINS_RUN_HEADER (object);

  switch (prop_id)
    {
    case PROP_RUN:
      g_value_set_object (value, self->run);
      break;

    case PROP_WAITING_STEP:
      g_value_set_uint (value, self->waiting_step);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reins_run_header_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  ReinsRunHeader *self = REINS_RUN_HEADER (object);

  switch (prop_id)
    {
    case PROP_RUN:
      reins_run_header_set_run (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reins_run_header_class_init (ReinsRunHeaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = reins_run_header_dispose;
  object_class->get_property = reins_run_header_get_property;
  object_class->set_property = reins_run_header_set_property;

  properties[PROP_RUN] =
    g_param_spec_object ("run", NULL, NULL,
                         REINS_TYPE_RUN,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* The step a person's answer is awaited on, or 0. */
  properties[PROP_WAITING_STEP] =
    g_param_spec_uint ("waiting-step", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/reins-run-header.ui");
  gtk_widget_class_bind_template_child (widget_class, ReinsRunHeader, task_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunHeader, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunHeader, status_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunHeader, model_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunHeader, totals_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunHeader, outcome_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunHeader, note_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunHeader, live_box);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunHeader, progress_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunHeader, cost_bar);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunHeader, cost_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunHeader, elapsed_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunHeader, pause_button);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunHeader, resume_button);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunHeader, approval_revealer);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunHeader, approval_label);
}

static void
reins_run_header_init (ReinsRunHeader *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
reins_run_header_set_run (ReinsRunHeader *self,
                          ReinsRun       *run)
{
  g_return_if_fail (REINS_IS_RUN_HEADER (self));
  g_return_if_fail (!run || REINS_IS_RUN (run));

  if (self->run != NULL)
    g_signal_handlers_disconnect_by_func (self->run, run_notify_cb, self);
  if (g_set_object (&self->run, run))
    {
      /* Another run's note is not this one's: it comes with reins_run_header_set_note() */
      reins_run_header_set_note (self, NULL);
      g_clear_pointer (&self->name, g_free);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUN]);
    }
  if (run != NULL)
    g_signal_connect_object (run, "notify", G_CALLBACK (run_notify_cb), self,
                             G_CONNECT_SWAPPED);
  reins_run_header_update_header (self);
}

ReinsRun *
reins_run_header_get_run (ReinsRunHeader *self)
{
  g_return_val_if_fail (REINS_IS_RUN_HEADER (self), NULL);

  return self->run;
}

/* The executor of a live run: its status and questions, or %NULL for a stored run. */
void
reins_run_header_set_executor (ReinsRunHeader *self,
                               ReinsExecutor  *executor)
{
  g_return_if_fail (REINS_IS_RUN_HEADER (self));
  g_return_if_fail (!executor || REINS_IS_EXECUTOR (executor));

  if (self->executor == executor)
    return;
  if (self->executor != NULL)
    g_signal_handlers_disconnect_by_func (self->executor, executor_changed_cb, self);
  g_set_object (&self->executor, executor);
  if (executor != NULL)
    {
      g_signal_connect_object (executor, "status-changed", G_CALLBACK (executor_changed_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (executor, "approval-requested", G_CALLBACK (executor_changed_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (executor, "approval-resolved", G_CALLBACK (executor_changed_cb),
                               self, G_CONNECT_SWAPPED);
    }
  reins_run_header_update_header (self);
}

guint
reins_run_header_get_waiting_step (ReinsRunHeader *self)
{
  g_return_val_if_fail (REINS_IS_RUN_HEADER (self), 0);

  return self->waiting_step;
}

gboolean
reins_run_header_get_approval_bar_shown (ReinsRunHeader *self)
{
  g_return_val_if_fail (REINS_IS_RUN_HEADER (self), FALSE);

  return gtk_revealer_get_reveal_child (self->approval_revealer);
}

/**
 * reins_run_header_set_note:
 * @note: (nullable): the note a person wrote on the run, or %NULL for none
 *
 * Shows the note under the run's outcome, its first lines; the whole note is its tooltip.
 */
void
reins_run_header_set_note (ReinsRunHeader *self,
                           const char     *note)
{
  g_autofree char *excerpt = NULL;
  g_autofree char *text = NULL;
  gboolean shown;

  g_return_if_fail (REINS_IS_RUN_HEADER (self));

  shown = note != NULL && note[0] != '\0';
  if (shown)
    {
      excerpt = reins_format_excerpt (note, 500, NULL);
      /* Translators: the note a person wrote on a run, shown in its header */
      text = g_strdup_printf (_("Note: %s"), excerpt);
    }
  gtk_label_set_label (self->note_label, shown ? text : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->note_label), shown ? note : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->note_label), shown);
}

/* The note shown, as set with reins_run_header_set_note(), or %NULL. */
const char *
reins_run_header_get_note_text (ReinsRunHeader *self)
{
  g_return_val_if_fail (REINS_IS_RUN_HEADER (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->note_label))
         ? gtk_label_get_label (self->note_label) : NULL;
}

/**
 * reins_run_header_set_name:
 * @name: (nullable): the name a person gave the run, or %NULL (or "") for none
 *
 * A named run's header reads its name, with the task under it; an unnamed one its task.
 */
void
reins_run_header_set_name (ReinsRunHeader *self,
                           const char     *name)
{
  g_return_if_fail (REINS_IS_RUN_HEADER (self));

  if (name != NULL && name[0] == '\0')
    name = NULL;
  if (g_strcmp0 (name, self->name) == 0)
    return;
  g_free (self->name);
  self->name = g_strdup (name);
  reins_run_header_update_header (self);
}

/* The header's title (the name, or the task) and, for a named run, the task under it. */
const char *
reins_run_header_get_title_text (ReinsRunHeader  *self,
                                 const char     **subtitle)
{
  g_return_val_if_fail (REINS_IS_RUN_HEADER (self), NULL);

  if (subtitle != NULL)
    *subtitle = gtk_widget_get_visible (GTK_WIDGET (self->subtitle_label))
                ? gtk_label_get_label (self->subtitle_label) : NULL;
  return gtk_label_get_label (self->task_label);
}
