/* reins-step-row-content.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a step row shows of its step: the texts (thought, action, observation, the critic's
 * line, the verdict badges and their reasons), bounded excerpts of each; the usage line, the
 * confidence figure and meter, the marks of a step under way or in a loop, the decision
 * bands; expanding ("More"), Show All and Request & Reply, and which parts are Tab stops.
 * The object itself is in reins-step-row.c; the struct is in reins-step-row-private.h.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "reins-decision-row.h"
#include "reins-format.h"
#include "reins-step-row-private.h"
#include "reins-text-window.h"

/* Lines of an action or observation shown before "More". */
#define COLLAPSED_LINES 6

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

static void
set_texts_focusable (GtkWidget *widget,
                     gboolean   focusable)
{
  if (GTK_IS_LABEL (widget) && gtk_label_get_selectable (GTK_LABEL (widget)) &&
      gtk_widget_get_focusable (widget) != focusable)
    {
      /* (A selectable label takes Tab while it can-focus, even when not focusable.) */
      gtk_widget_set_can_focus (widget, focusable);
      gtk_widget_set_focusable (widget, focusable);
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    set_texts_focusable (c, focusable);
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
  /* The decisions' texts (reason, feedback, the action before and after an edit) too. */
  set_texts_focusable (GTK_WIDGET (self->decision_box), texts);
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

void
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
void
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
void
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
void
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

static void
reins_step_row_set_index (ReinsStepRow *self)
{
  /* Translators: the number of a step in a run */
  g_autofree char *index = g_strdup_printf (_("Step %u"), reins_step_get_index (self->step));

  gtk_label_set_label (self->index_label, index);
}

/* A compact row (reins_step_row_set_compact()) shows its step's number; the rest is set when
 * it is made full. */
void
reins_step_row_update_compact (ReinsStepRow *self)
{
  self->stale = TRUE;
  if (self->step != NULL)
    reins_step_row_set_index (self);
}

void
reins_step_row_update (ReinsStepRow *self)
{
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

  reins_step_row_set_index (self);

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
  gtk_menu_button_set_label (self->feedback_button, reins_step_row_feedback_label (self->feedback));
}

void
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
void
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
