/* reins-step-row.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One step of a run in the timeline: thought, action, observation, confidence, cost and the
 * harness verdicts on it.
 *
 * Rows are recycled by the list view, so everything is set from the step on each bind, and
 * every label gets a bounded excerpt: an observation may be megabytes long, and laying that
 * out would freeze the window. The full text opens on demand in a ReinsTextWindow.
 *
 * What the row shows besides its step (the run's threshold, whether the step is below it,
 * whether a loop verdict named it, whether it is under way, waits for a person or is still
 * being read) are properties of the row, bound to the same properties of the list's item
 * (reins_step_row_bind()); a change of one redraws only the part of the row it touches.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "reins-decision-row.h"
#include "reins-format.h"
#include "reins-step-marks.h"
#include "reins-step-row-private.h"
#include "reins-text-window.h"

struct _ReinsStepRow
{
  GtkWidget  parent_instance;

  ReinsStep *step;
  char      *observation_text;
  gboolean   truncated;
  guint      n_verdicts;
  double     threshold;
  gboolean   below_threshold;
  gboolean   in_loop;
  gboolean   live;
  gboolean   waiting;
  gboolean   loading;
  gboolean   expanded;
  GString   *reasons;
  /* Borrowed from the item bound (its slots hold them), NULL when unbound */
  const ReinsStepFeedback   *feedback;
  const ReinsStepDifference *difference;

  GtkLabel  *index_label;
  GtkBox    *verdict_box;
  GtkLabel  *confidence_label;
  GtkLabel  *thought_label;
  GtkWidget *action_box;
  GtkLabel  *action_label;
  GtkWidget *observation_box;
  GtkLabel  *observation_title;
  GtkLabel  *observation_label;
  GtkWidget *show_all_button;
  GtkLabel  *usage_label;
  GtkWidget *live_spinner;
  GtkLevelBar *confidence_bar;
  GtkLabel  *reasons_label;
  GtkLabel  *critic_label;
  GtkToggleButton *expand_button;
  GtkWidget       *exchange_button;
  GtkMenuButton   *feedback_button;
  GtkPopover      *feedback_popover;
  GtkEntry        *feedback_entry;
  GtkBox    *decision_box;
  ReinsStepMarks  *marks;

  GPtrArray *bindings;   /* (element-type GBinding) to the item bound, held, or empty */
};

/* Lines of an action or observation shown before "More". */
#define COLLAPSED_LINES 6

G_DEFINE_FINAL_TYPE (ReinsStepRow, reins_step_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STEP,
  PROP_THRESHOLD,
  PROP_BELOW_THRESHOLD,
  PROP_LOOP_STEP,
  PROP_LIVE,
  PROP_WAITING,
  PROP_LOADING,
  PROP_FEEDBACK,
  PROP_DIFFERENCE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
reins_step_row_clear_verdicts (ReinsStepRow *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->verdict_box))))
    gtk_box_remove (self->verdict_box, child);
  self->n_verdicts = 0;
}

static void
reins_step_row_add_verdict (ReinsStepRow *self,
                            ReinsVerdict *verdict)
{
  ReinsVerdictKind kind = reins_verdict_get_kind (verdict);
  const char *guard = reins_verdict_get_guard (verdict);
  const char *reason = reins_verdict_get_reason (verdict);
  g_autofree char *text = NULL;
  g_autofree char *tooltip = NULL;
  GtkWidget *badge;

  /* The badge says what the guard saw in words ("Possible Loop · corrected"); the tooltip
   * adds the identifiers of CONTRACTS.md ("loop · correct"), to match reins-cli output and
   * the settings. */
  text = g_strdup_printf ("%s · %s", reins_format_guard_name (guard),
                          reins_format_verdict_kind (kind));
  {
    g_autofree char *excerpt = reins_format_excerpt (reason, 1000, NULL);

    tooltip = g_strdup_printf ("%s · %s: %s", guard, reins_verdict_kind_to_string (kind),
                               excerpt);
  }

  badge = gtk_label_new (text);
  gtk_widget_add_css_class (badge, "verdict-badge");
  gtk_widget_add_css_class (badge, "caption-heading");
  gtk_widget_add_css_class (badge, reins_format_verdict_style (kind));
  if (tooltip[0] != '\0')
    gtk_widget_set_tooltip_text (badge, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (badge),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, tooltip,
                                  -1);
  gtk_box_append (self->verdict_box, badge);
  self->n_verdicts++;

  if (self->reasons->len > 0)
    g_string_append_c (self->reasons, '\n');
  g_string_append_printf (self->reasons, "%s — %s", text, tooltip);
}

/* Pango's word wrapping is quadratic in the length of an unbreakable run (4,000 characters
 * take a second), so prose with such a run is wrapped at any character instead. */
static gboolean
has_long_word (const char *text)
{
  guint run = 0;

  for (const char *p = text; *p; p++)
    {
      if (g_ascii_isspace (*p) || *p == '-' || *p == '/')
        run = 0;
      else if (++run > 80)
        return TRUE;
    }
  return FALSE;
}

static void
reins_step_row_set_label (GtkLabel   *label,
                          const char *text,
                          gboolean    prose)
{
  g_autofree char *excerpt = reins_format_excerpt (text, REINS_FORMAT_EXCERPT_CHARS, NULL);

  if (prose)
    gtk_label_set_wrap_mode (label, has_long_word (excerpt) ? PANGO_WRAP_CHAR
                                                            : PANGO_WRAP_WORD_CHAR);
  gtk_label_set_label (label, excerpt);
  gtk_widget_set_visible (GTK_WIDGET (label), excerpt[0] != '\0');
}

static gboolean
is_long (const char *text)
{
  guint lines = 1;

  for (const char *p = text; *p; p++)
    if (*p == '\n' && ++lines > COLLAPSED_LINES)
      return TRUE;
  return strlen (text) > 80 * COLLAPSED_LINES;
}

/* A step is one or two Tab stops: Feedback, and More where there is more (or Request &
 * Reply where there is not). The texts stay selectable with the mouse (and copied from their
 * menu); they, Show All and Request & Reply join the Tab chain once the step is expanded, so
 * the keyboard can select and copy them there. */
static void
reins_step_row_apply_focus (ReinsStepRow *self)
{
  gboolean expandable = gtk_widget_get_visible (GTK_WIDGET (self->expand_button));
  /* A step with no button to stop at (one under way) keeps its texts in the chain. */
  gboolean texts = self->expanded ||
                   (!expandable && !gtk_widget_get_visible (self->exchange_button) &&
                    !gtk_widget_get_visible (GTK_WIDGET (self->feedback_button)));

  for (GtkLabel * const *l = (GtkLabel * const []) { self->thought_label, self->action_label,
                                                     self->observation_label,
                                                     self->critic_label, self->reasons_label,
                                                     NULL };
       *l; l++)
    {
      /* (A selectable label takes Tab while it can-focus, even when not focusable.) */
      if (gtk_widget_get_focusable (GTK_WIDGET (*l)) == texts)
        continue;
      gtk_widget_set_can_focus (GTK_WIDGET (*l), texts);
      gtk_widget_set_focusable (GTK_WIDGET (*l), texts);
    }
  gtk_widget_set_focusable (self->show_all_button, self->expanded);
  gtk_widget_set_focusable (self->exchange_button, self->expanded || !expandable);
}

static void
reins_step_row_apply_expanded (ReinsStepRow *self)
{
  int lines = self->expanded ? -1 : COLLAPSED_LINES;
  PangoEllipsizeMode ellipsize = self->expanded ? PANGO_ELLIPSIZE_NONE : PANGO_ELLIPSIZE_END;

  gtk_label_set_lines (self->action_label, lines);
  gtk_label_set_ellipsize (self->action_label, ellipsize);
  gtk_label_set_lines (self->observation_label, lines);
  gtk_label_set_ellipsize (self->observation_label, ellipsize);
  gtk_widget_set_visible (GTK_WIDGET (self->reasons_label),
                          self->expanded && self->reasons->len > 0);
  gtk_button_set_label (GTK_BUTTON (self->expand_button),
                        self->expanded ? _("_Less") : _("_More"));
  reins_step_row_apply_focus (self);
}

static void
reins_step_row_expand_toggled_cb (ReinsStepRow    *self,
                                  GtkToggleButton *button)
{
  self->expanded = gtk_toggle_button_get_active (button);
  reins_step_row_apply_expanded (self);
}

/* The audit trail: one band per decision a person (or an option on their behalf) made on
 * this step, below the action it was about. */
static void
reins_step_row_update_decisions (ReinsStepRow *self)
{
  GPtrArray *approvals = self->step != NULL ? reins_step_get_approvals (self->step) : NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->decision_box))))
    gtk_box_remove (self->decision_box, child);
  for (guint i = 0; approvals != NULL && i < approvals->len; i++)
    gtk_box_append (self->decision_box,
                    reins_decision_row_new (g_ptr_array_index (approvals, i)));
  gtk_widget_set_visible (GTK_WIDGET (self->decision_box),
                          approvals != NULL && approvals->len > 0);
}

/* The marks of the step under way and of a step a loop verdict named. */
static void
reins_step_row_apply_marks (ReinsStepRow *self)
{
  gboolean live = self->step != NULL && self->live;

  if (live)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "live");
      gtk_spinner_start (GTK_SPINNER (self->live_spinner));
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), "live");
      gtk_spinner_stop (GTK_SPINNER (self->live_spinner));
    }
  gtk_widget_set_visible (self->live_spinner, live);
  if (self->step != NULL && self->in_loop)
    gtk_widget_add_css_class (GTK_WIDGET (self), "in-loop");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "in-loop");
  /* A step under way is not stored yet. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "step.show-exchange", !live);
  gtk_widget_set_visible (self->exchange_button, !live);
  gtk_widget_set_visible (GTK_WIDGET (self->feedback_button), !live);
  reins_step_row_apply_focus (self);
}

/* The confidence figure and meter, coloured against the run's threshold. */
static void
reins_step_row_apply_confidence (ReinsStepRow *self)
{
  if (self->step != NULL && reins_step_has_confidence (self->step) && !self->loading)
    {
      g_autofree char *confidence = NULL;
      g_autofree char *figure = reins_format_confidence (reins_step_get_confidence (self->step),
                                                         self->threshold);
      const char *source = reins_format_confidence_source (
        reins_step_get_confidence_source (self->step));

      /* Translators: a step's confidence (0 to 1) and where it comes from */
      confidence = g_strdup_printf (_("Confidence %s · %s"), figure, source);
      gtk_label_set_label (self->confidence_label, confidence);
      gtk_widget_set_visible (GTK_WIDGET (self->confidence_label), TRUE);
      gtk_level_bar_set_value (self->confidence_bar,
                               CLAMP (reins_step_get_confidence (self->step), 0.0, 1.0));
      /* Below the threshold the step needed a person. */
      if (self->below_threshold)
        {
          gtk_widget_add_css_class (GTK_WIDGET (self->confidence_bar), "below");
          gtk_widget_add_css_class (GTK_WIDGET (self->confidence_label), "confidence-low");
        }
      else
        {
          gtk_widget_remove_css_class (GTK_WIDGET (self->confidence_bar), "below");
          gtk_widget_remove_css_class (GTK_WIDGET (self->confidence_label), "confidence-low");
        }
      /* A default value was never measured: no meter that would read as a measurement. */
      gtk_widget_set_visible (GTK_WIDGET (self->confidence_bar),
                              reins_step_get_confidence_source (self->step) !=
                                REINS_CONFIDENCE_SOURCE_DEFAULT);
    }
  else
    {
      /* A placeholder of a long run's step not read yet has no figure that is data. */
      gtk_widget_set_visible (GTK_WIDGET (self->confidence_label), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->confidence_bar), FALSE);
    }
}

/* Tokens, cost and time; or what the step waits for. */
static void
reins_step_row_apply_usage (ReinsStepRow *self)
{
  g_autofree char *usage = NULL;
  g_autofree char *tokens = NULL;
  g_autofree char *cost = NULL;

  if (self->step == NULL)
    return;
  /* A placeholder of a long run's step not read yet: its zeros are not data. */
  if (self->loading)
    {
      gtk_label_set_label (self->usage_label, _("Loading…"));
      return;
    }
  if (self->waiting)
    {
      gtk_label_set_label (self->usage_label, _("Waiting for you…"));
      return;
    }
  if (self->live)
    {
      gtk_label_set_label (self->usage_label, _("Thinking…"));
      return;
    }

  tokens = reins_format_tokens (reins_step_get_input_tokens (self->step),
                                reins_step_get_output_tokens (self->step));
  cost = reins_format_cost (reins_step_get_cost_usd (self->step));
  if (reins_step_get_duration_ms (self->step) > 0)
    {
      g_autofree char *duration = reins_format_duration (reins_step_get_duration_ms (self->step));
      usage = g_strdup_printf ("%s · %s · %s", tokens, cost, duration);
    }
  else
    usage = g_strdup_printf ("%s · %s", tokens, cost);
  gtk_label_set_label (self->usage_label, usage);
}

/* What the feedback button says: the stored thumb, if any. */
static const char *
feedback_label (const ReinsStepFeedback *feedback)
{
  if (feedback == NULL || feedback->rating == 0)
    return _("Feedback");
  return feedback->rating > 0 ? _("Good Step") : _("Bad Step");
}

static void
reins_step_row_update (ReinsStepRow *self)
{
  g_autofree char *index = NULL;
  ReinsAction *action;
  const char *observation;
  GPtrArray *verdicts;

  reins_step_row_clear_verdicts (self);
  reins_step_row_update_decisions (self);
  g_clear_pointer (&self->observation_text, g_free);
  self->truncated = FALSE;
  g_string_truncate (self->reasons, 0);
  reins_step_row_apply_marks (self);

  if (self->step == NULL)
    return;

  /* Translators: the number of a step in a run */
  index = g_strdup_printf (_("Step %u"), reins_step_get_index (self->step));
  gtk_label_set_label (self->index_label, index);

  verdicts = reins_step_get_verdicts (self->step);
  for (guint i = 0; verdicts != NULL && i < verdicts->len; i++)
    {
      ReinsVerdict *verdict = g_ptr_array_index (verdicts, i);

      /* "allow" is what every guard says about a good step: only the rest is news. */
      if (reins_verdict_get_kind (verdict) != REINS_VERDICT_ALLOW)
        reins_step_row_add_verdict (self, verdict);
    }

  reins_step_row_apply_confidence (self);

  reins_step_row_set_label (self->thought_label, reins_step_get_thought (self->step), TRUE);

  action = reins_step_get_action (self->step);
  if (action != NULL)
    {
      g_autofree char *arguments = reins_action_dup_arguments_json (action);
      g_autofree char *text = g_strdup_printf ("%s %s", reins_action_get_name (action),
                                               arguments ? arguments : "{}");

      reins_step_row_set_label (self->action_label, text, FALSE);
    }
  gtk_widget_set_visible (self->action_box, action != NULL);

  observation = reins_step_get_observation (self->step);
  if (observation != NULL)
    {
      gboolean tool_error = reins_step_get_tool_error (self->step);

      self->observation_text = reins_format_excerpt (observation, REINS_FORMAT_EXCERPT_CHARS,
                                                     &self->truncated);
      /* Tool output usually ends with a newline; a label would show it as a blank line. */
      if (!self->truncated)
        g_strchomp (self->observation_text);
      gtk_label_set_label (self->observation_label, self->observation_text);
      gtk_label_set_label (self->observation_title,
                           tool_error ? _("Observation — Tool Error") : _("Observation"));
      if (tool_error)
        gtk_widget_add_css_class (GTK_WIDGET (self->observation_label), "error");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self->observation_label), "error");
    }
  gtk_widget_set_visible (self->observation_box,
                          self->observation_text != NULL && self->observation_text[0] != '\0');
  gtk_widget_set_visible (self->show_all_button, self->truncated);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "step.show-observation", self->truncated);

  reins_step_row_apply_usage (self);

  gtk_label_set_label (self->reasons_label, self->reasons->str);

  /* What the critic said of a finish: one line, always shown, since it decides whether the
   * answer was accepted. */
  if (reins_step_get_critique (self->step) != NULL)
    {
      g_autofree char *critic = reins_critique_describe (reins_step_get_critique (self->step));

      gtk_label_set_label (self->critic_label, critic);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->critic_label),
                          reins_step_get_critique (self->step) != NULL);

  /* A new step starts collapsed; "More" only where there is more to show. */
  self->expanded = FALSE;
  g_signal_handlers_block_by_func (self->expand_button, reins_step_row_expand_toggled_cb, self);
  gtk_toggle_button_set_active (self->expand_button, FALSE);
  g_signal_handlers_unblock_by_func (self->expand_button, reins_step_row_expand_toggled_cb, self);
  gtk_widget_set_visible (GTK_WIDGET (self->expand_button),
                          self->reasons->len > 0 ||
                          is_long (gtk_label_get_label (self->action_label)) ||
                          (self->observation_text != NULL && is_long (self->observation_text)));
  reins_step_row_apply_expanded (self);
  /* The marks may have come before the step (they are bound first) */
  gtk_menu_button_set_label (self->feedback_button, feedback_label (self->feedback));
}

static void
reins_step_row_show_observation (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *param)
{
  ReinsStepRow *self = REINS_STEP_ROW (widget);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *title = NULL;
  const char *observation;
  GtkRoot *root;
  GtkWidget *window;

  if (self->step == NULL || !(observation = reins_step_get_observation (self->step)))
    return;

  /* No copy of a long text: the bytes keep the (immutable) step alive instead. */
  bytes = g_bytes_new_with_free_func (observation, strlen (observation),
                                      g_object_unref, g_object_ref (self->step));
  /* Translators: the title of the window with a step's full observation */
  title = g_strdup_printf (_("Observation of Step %u"), reins_step_get_index (self->step));
  root = gtk_widget_get_root (widget);
  window = reins_text_window_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, title, bytes);
  gtk_window_present (GTK_WINDOW (window));
}

/* The window reads the step's model call from the store (win.show-exchange). */
static void
reins_step_row_show_exchange (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *param)
{
  ReinsStepRow *self = REINS_STEP_ROW (widget);

  if (self->step == NULL || reins_step_get_run_id (self->step) == NULL)
    return;
  gtk_widget_activate_action (widget, "win.show-exchange", "(su)",
                              reins_step_get_run_id (self->step),
                              reins_step_get_index (self->step));
}

/* step.rate (i): the window stores the thumb and the comment (win.rate-step). */
static void
reins_step_row_rate (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  ReinsStepRow *self = REINS_STEP_ROW (widget);
  int rating = g_variant_get_int32 (param);

  if (self->step == NULL || reins_step_get_run_id (self->step) == NULL)
    return;
  gtk_widget_activate_action (widget, "win.rate-step", "(suis)",
                              reins_step_get_run_id (self->step),
                              reins_step_get_index (self->step), rating,
                              gtk_editable_get_text (GTK_EDITABLE (self->feedback_entry)));
  gtk_popover_popdown (self->feedback_popover);
  gtk_menu_button_set_label (self->feedback_button, rating > 0 ? _("Good Step")
                                                    : rating < 0 ? _("Bad Step")
                                                    : _("Feedback"));
}

/**
 * reins_step_row_set_marks:
 * @feedback: (nullable): the person's stored rating of the step
 * @difference: (nullable): in a fork, how the step differs from its parent's
 *
 * Shows the stored rating (its comment in the feedback popover too) and the difference.
 */
void
reins_step_row_set_marks (ReinsStepRow              *self,
                          const ReinsStepFeedback   *feedback,
                          const ReinsStepDifference *difference)
{
  const char *comment = feedback != NULL && feedback->comment != NULL ? feedback->comment : "";
  const char *label = feedback_label (feedback);

  g_return_if_fail (REINS_IS_STEP_ROW (self));

  reins_step_marks_set (self->marks, feedback, difference);
  /* Not while the person writes in the popover; nothing rebuilt that is already so (rows
   * are bound by the hundred in a long run) */
  if (gtk_widget_get_visible (GTK_WIDGET (self->feedback_popover)))
    return;
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->feedback_entry)), comment) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->feedback_entry), comment);
  if (!self->live && g_strcmp0 (gtk_menu_button_get_label (self->feedback_button), label) != 0)
    gtk_menu_button_set_label (self->feedback_button, label);
}

static void
reins_step_row_drop_bindings (ReinsStepRow *self)
{
  for (guint i = 0; i < self->bindings->len; i++)
    g_binding_unbind (g_ptr_array_index (self->bindings, i));
  g_ptr_array_set_size (self->bindings, 0);
}

static void
reins_step_row_dispose (GObject *object)
{
  ReinsStepRow *self = (ReinsStepRow *)object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), REINS_TYPE_STEP_ROW);
  /* Children the template does not name are ours to unparent too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  reins_step_row_drop_bindings (self);
  g_clear_object (&self->step);
  g_clear_pointer (&self->observation_text, g_free);

  G_OBJECT_CLASS (reins_step_row_parent_class)->dispose (object);
}

static void
reins_step_row_finalize (GObject *object)
{
  ReinsStepRow *self = (ReinsStepRow *)object;

  g_string_free (self->reasons, TRUE);
  g_ptr_array_unref (self->bindings);

  G_OBJECT_CLASS (reins_step_row_parent_class)->finalize (object);
}

static void reins_step_row_set_flag (ReinsStepRow *self,
                                     guint         prop_id,
                                     gboolean      value);

static void
reins_step_row_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  ReinsStepRow *self = REINS_STEP_ROW (object);

  switch (prop_id)
    {
    case PROP_STEP:
      g_value_set_object (value, self->step);
      break;

    case PROP_THRESHOLD:
      g_value_set_double (value, self->threshold);
      break;

    case PROP_BELOW_THRESHOLD:
      g_value_set_boolean (value, self->below_threshold);
      break;

    case PROP_LOOP_STEP:
      g_value_set_boolean (value, self->in_loop);
      break;

    case PROP_LIVE:
      g_value_set_boolean (value, self->live);
      break;

    case PROP_WAITING:
      g_value_set_boolean (value, self->waiting);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;

    case PROP_FEEDBACK:
      g_value_set_pointer (value, (gpointer) self->feedback);
      break;

    case PROP_DIFFERENCE:
      g_value_set_pointer (value, (gpointer) self->difference);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reins_step_row_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  ReinsStepRow *self = REINS_STEP_ROW (object);

  switch (prop_id)
    {
    case PROP_STEP:
      reins_step_row_set_step (self, g_value_get_object (value));
      break;

    case PROP_THRESHOLD:
      reins_step_row_set_threshold (self, g_value_get_double (value));
      break;

    case PROP_LOADING:
      reins_step_row_set_loading (self, g_value_get_boolean (value));
      break;

    case PROP_FEEDBACK:
      self->feedback = g_value_get_pointer (value);
      reins_step_row_set_marks (self, self->feedback, self->difference);
      break;

    case PROP_DIFFERENCE:
      self->difference = g_value_get_pointer (value);
      reins_step_row_set_marks (self, self->feedback, self->difference);
      break;

    case PROP_BELOW_THRESHOLD:
    case PROP_LOOP_STEP:
    case PROP_LIVE:
    case PROP_WAITING:
      reins_step_row_set_flag (self, prop_id, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Focus given to the row (the list does so when Tab enters it) goes to its first stop. */
static gboolean
reins_step_row_grab_focus (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_grab_focus (child))
      return TRUE;
  return FALSE;
}

static void
reins_step_row_class_init (ReinsStepRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = reins_step_row_dispose;
  object_class->finalize = reins_step_row_finalize;
  object_class->get_property = reins_step_row_get_property;
  object_class->set_property = reins_step_row_set_property;
  widget_class->grab_focus = reins_step_row_grab_focus;
  g_type_ensure (REINS_TYPE_STEP_MARKS);

  properties[PROP_STEP] =
    g_param_spec_object ("step", NULL, NULL,
                         REINS_TYPE_STEP,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* The run's confidence threshold: the figure shows as many digits as tell it apart. */
  properties[PROP_THRESHOLD] =
    g_param_spec_double ("threshold", NULL, NULL,
                         0.0, 1.0, 0.7,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* The step's confidence is below the threshold: the meter and figure say so. */
  properties[PROP_BELOW_THRESHOLD] =
    g_param_spec_boolean ("below-threshold", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* A loop verdict named the step: the row is tinted. */
  properties[PROP_LOOP_STEP] =
    g_param_spec_boolean ("loop-step", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* The step is under way (not stored yet): a spinner, and "Thinking…". */
  properties[PROP_LIVE] =
    g_param_spec_boolean ("live", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* A person's answer on the step is awaited, not the model. */
  properties[PROP_WAITING] =
    g_param_spec_boolean ("waiting", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* The step is a placeholder still being read from the store. */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* (type ReinsStepFeedback) (nullable): the person's stored rating of the step; borrowed
   * from the item, which keeps it while it is bound. */
  properties[PROP_FEEDBACK] =
    g_param_spec_pointer ("feedback", NULL, NULL,
                          (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  /* (type ReinsStepDifference) (nullable): in a fork, how the step differs from the
   * parent's; borrowed like feedback. */
  properties[PROP_DIFFERENCE] =
    g_param_spec_pointer ("difference", NULL, NULL,
                          (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/reins-step-row.ui");
  gtk_widget_class_bind_template_child (widget_class, ReinsStepRow, index_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsStepRow, verdict_box);
  gtk_widget_class_bind_template_child (widget_class, ReinsStepRow, critic_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsStepRow, confidence_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsStepRow, thought_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsStepRow, action_box);
  gtk_widget_class_bind_template_child (widget_class, ReinsStepRow, action_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsStepRow, observation_box);
  gtk_widget_class_bind_template_child (widget_class, ReinsStepRow, observation_title);
  gtk_widget_class_bind_template_child (widget_class, ReinsStepRow, observation_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsStepRow, show_all_button);
  gtk_widget_class_bind_template_child (widget_class, ReinsStepRow, usage_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsStepRow, live_spinner);
  gtk_widget_class_bind_template_child (widget_class, ReinsStepRow, confidence_bar);
  gtk_widget_class_bind_template_child (widget_class, ReinsStepRow, reasons_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsStepRow, expand_button);
  gtk_widget_class_bind_template_child (widget_class, ReinsStepRow, exchange_button);
  gtk_widget_class_bind_template_child (widget_class, ReinsStepRow, feedback_button);
  gtk_widget_class_bind_template_child (widget_class, ReinsStepRow, feedback_popover);
  gtk_widget_class_bind_template_child (widget_class, ReinsStepRow, feedback_entry);
  gtk_widget_class_bind_template_child (widget_class, ReinsStepRow, marks);
  gtk_widget_class_bind_template_child (widget_class, ReinsStepRow, decision_box);
  gtk_widget_class_bind_template_callback_full (widget_class, "expand_toggled_cb",
                                                G_CALLBACK (reins_step_row_expand_toggled_cb));

  gtk_widget_class_install_action (widget_class, "step.show-observation", NULL,
                                   reins_step_row_show_observation);
  gtk_widget_class_install_action (widget_class, "step.show-exchange", NULL,
                                   reins_step_row_show_exchange);
  gtk_widget_class_install_action (widget_class, "step.rate", "i", reins_step_row_rate);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
reins_step_row_init (ReinsStepRow *self)
{
  self->reasons = g_string_new (NULL);
  self->bindings = g_ptr_array_new_with_free_func (g_object_unref);
  self->threshold = 0.7;
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Blocks take the name of the first offset at or above the value; the colour comes from
   * the threshold instead (style.css). */
  gtk_level_bar_remove_offset_value (self->confidence_bar, GTK_LEVEL_BAR_OFFSET_LOW);
  gtk_level_bar_remove_offset_value (self->confidence_bar, GTK_LEVEL_BAR_OFFSET_HIGH);
  gtk_level_bar_remove_offset_value (self->confidence_bar, GTK_LEVEL_BAR_OFFSET_FULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "step.show-observation", FALSE);

  /* Actions and observations are data wrapped at any character: a hyphen added at a break
   * would read as part of the data. */
  {
    PangoAttrList *attrs = pango_attr_list_new ();

    pango_attr_list_insert (attrs, pango_attr_insert_hyphens_new (FALSE));
    gtk_label_set_attributes (self->action_label, attrs);
    gtk_label_set_attributes (self->observation_label, attrs);
    pango_attr_list_unref (attrs);
  }
}

GtkWidget *
reins_step_row_new (void)
{
  return g_object_new (REINS_TYPE_STEP_ROW, NULL);
}

ReinsStep *
reins_step_row_get_step (ReinsStepRow *self)
{
  g_return_val_if_fail (REINS_IS_STEP_ROW (self), NULL);

  return self->step;
}

void
reins_step_row_set_step (ReinsStepRow *self,
                         ReinsStep    *step)
{
  g_return_if_fail (REINS_IS_STEP_ROW (self));
  g_return_if_fail (!step || REINS_IS_STEP (step));

  if (g_set_object (&self->step, step))
    {
      /* A recycled row does not carry a comment to another step */
      gtk_editable_set_text (GTK_EDITABLE (self->feedback_entry), "");
      reins_step_row_update (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP]);
    }
}

void
reins_step_row_set_threshold (ReinsStepRow *self,
                              double        threshold)
{
  g_return_if_fail (REINS_IS_STEP_ROW (self));

  if (self->threshold == threshold)
    return;
  self->threshold = threshold;
  if (self->step != NULL)
    reins_step_row_apply_confidence (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THRESHOLD]);
}

/* One of the row's marks (below-threshold, loop-step, live, waiting): only the part of the
 * row it touches is set again. */
static void
reins_step_row_set_flag (ReinsStepRow *self,
                         guint         prop_id,
                         gboolean      value)
{
  gboolean *flag;

  switch (prop_id)
    {
    case PROP_BELOW_THRESHOLD:
      flag = &self->below_threshold;
      break;

    case PROP_LOOP_STEP:
      flag = &self->in_loop;
      break;

    case PROP_LIVE:
      flag = &self->live;
      break;

    case PROP_WAITING:
      flag = &self->waiting;
      break;

    default:
      g_return_if_reached ();
    }
  if (*flag == !!value)
    return;
  *flag = !!value;

  if (self->step != NULL)
    {
      if (prop_id == PROP_BELOW_THRESHOLD)
        reins_step_row_apply_confidence (self);
      else
        reins_step_row_apply_marks (self);
      if (prop_id == PROP_LIVE || prop_id == PROP_WAITING)
        reins_step_row_apply_usage (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/* Whether the row shows a placeholder for a step still being read from the store. */
void
reins_step_row_set_loading (ReinsStepRow *self,
                            gboolean      loading)
{
  g_return_if_fail (REINS_IS_STEP_ROW (self));

  if (self->loading == !!loading)
    return;
  self->loading = !!loading;
  if (self->step != NULL)
    {
      reins_step_row_apply_confidence (self);
      reins_step_row_apply_usage (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/**
 * reins_step_row_bind:
 * @item: an item with the row's properties (a ReinsStepSlot): "step", "threshold",
 *   "below-threshold", "loop-step", "live", "waiting", "loading", "feedback" and
 *   "difference"
 *
 * Shows @item's step and follows its properties until reins_step_row_unbind().
 */
void
reins_step_row_bind (ReinsStepRow *self,
                     gpointer      item)
{
  /* The marks first, the step last: the row is built once, with them. */
  static const char * const names[] = {
    "threshold", "below-threshold", "loop-step", "live", "waiting", "loading", "feedback",
    "difference", "step",
  };

  g_return_if_fail (REINS_IS_STEP_ROW (self));
  g_return_if_fail (G_IS_OBJECT (item));

  reins_step_row_unbind (self);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_ptr_array_add (self->bindings,
                     g_object_ref (g_object_bind_property (item, names[i], self, names[i],
                                                           G_BINDING_SYNC_CREATE)));
}

/* Lets go of the item bound, and of its step (a recycled row holds none). */
void
reins_step_row_unbind (ReinsStepRow *self)
{
  g_return_if_fail (REINS_IS_STEP_ROW (self));

  reins_step_row_drop_bindings (self);
  /* The item's records may go with it: none is read until the next bind sets them again. */
  self->feedback = NULL;
  self->difference = NULL;
  reins_step_row_set_step (self, NULL);
}

gboolean
_reins_step_row_get_in_loop (ReinsStepRow *self)
{
  g_return_val_if_fail (REINS_IS_STEP_ROW (self), FALSE);

  return self->in_loop;
}

const char *
_reins_step_row_get_observation_text (ReinsStepRow *self)
{
  g_return_val_if_fail (REINS_IS_STEP_ROW (self), NULL);

  return self->observation_text;
}

gboolean
_reins_step_row_get_truncated (ReinsStepRow *self)
{
  g_return_val_if_fail (REINS_IS_STEP_ROW (self), FALSE);

  return self->truncated;
}

/* The critic's line, or NULL when it is hidden. */
const char *
_reins_step_row_get_critic_text (ReinsStepRow *self)
{
  g_return_val_if_fail (REINS_IS_STEP_ROW (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->critic_label)))
    return NULL;
  return gtk_label_get_label (self->critic_label);
}

guint
_reins_step_row_get_n_verdicts (ReinsStepRow *self)
{
  g_return_val_if_fail (REINS_IS_STEP_ROW (self), 0);

  return self->n_verdicts;
}

/* The decision bands shown, in order. */
GtkWidget *
_reins_step_row_get_decision_box (ReinsStepRow *self)
{
  g_return_val_if_fail (REINS_IS_STEP_ROW (self), NULL);

  return GTK_WIDGET (self->decision_box);
}

const char *
_reins_step_row_get_usage_text (ReinsStepRow *self)
{
  g_return_val_if_fail (REINS_IS_STEP_ROW (self), NULL);

  return gtk_label_get_label (self->usage_label);
}

gboolean
_reins_step_row_get_meter_shown (ReinsStepRow *self)
{
  g_return_val_if_fail (REINS_IS_STEP_ROW (self), FALSE);

  return gtk_widget_get_visible (GTK_WIDGET (self->confidence_bar));
}
