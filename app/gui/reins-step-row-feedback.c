/* reins-step-row-feedback.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A step row's feedback: the Feedback button and its popover (a thumb up or down and a
 * comment, handed to the window with step.rate), and the person's stored rating and a fork's
 * difference shown under the observation (reins_step_row_set_marks()). The object itself is
 * in reins-step-row.c; the struct is in reins-step-row-private.h.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-step-row-private.h"

/* What the feedback button says: the stored thumb, if any. */
const char *
reins_step_row_feedback_label (const ReinsStepFeedback *feedback)
{
  if (feedback == NULL || feedback->rating == 0)
    return _("Feedback");
  return feedback->rating > 0 ? _("Good Step") : _("Bad Step");
}

/* step.rate (i): the window stores the thumb and the comment (win.rate-step). */
void
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
                              self->feedback_entry != NULL
                              ? gtk_editable_get_text (GTK_EDITABLE (self->feedback_entry)) : "");
  if (self->feedback_popover != NULL)
    gtk_popover_popdown (self->feedback_popover);
  gtk_menu_button_set_label (self->feedback_button, rating > 0 ? _("Good Step")
                                                    : rating < 0 ? _("Bad Step")
                                                    : _("Feedback"));
}

static GtkWidget *
rate_button_new (const char *label,
                 int         rating)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "step.rate");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button),
                                          g_variant_new_int32 (rating));
  return button;
}

/* The feedback popover (a comment, Good Step, Bad Step) is built when the person first opens
 * it: a popover with an entry is a third of what a step row weighs, and the timeline keeps
 * about 200 rows. */
void
reins_step_row_create_feedback (GtkMenuButton *button,
                                gpointer       user_data)
{
  ReinsStepRow *self = REINS_STEP_ROW (user_data);
  GtkWidget *box;
  GtkWidget *buttons;
  const char *comment;

  if (self->feedback_popover != NULL)
    return;

  self->feedback_entry = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (self->feedback_entry, _("Why? (optional)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->feedback_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Comment on the step"),
                                  -1);
  comment = self->feedback != NULL && self->feedback->comment != NULL ? self->feedback->comment
                                                                         : "";
  gtk_editable_set_text (GTK_EDITABLE (self->feedback_entry), comment);

  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_set_homogeneous (GTK_BOX (buttons), TRUE);
  gtk_box_append (GTK_BOX (buttons), rate_button_new (_("Good Step"), 1));
  gtk_box_append (GTK_BOX (buttons), rate_button_new (_("Bad Step"), -1));

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->feedback_entry));
  gtk_box_append (GTK_BOX (box), buttons);

  self->feedback_popover = GTK_POPOVER (gtk_popover_new ());
  gtk_popover_set_child (self->feedback_popover, box);
  gtk_menu_button_set_popover (button, GTK_WIDGET (self->feedback_popover));
}

/**
 * reins_step_row_set_marks:
 * @feedback: (nullable): the person's stored rating of the step (borrowed: kept by the
 *   caller until the next call)
 * @difference: (nullable): in a fork, how the step differs from its parent's (borrowed too)
 *
 * Shows the stored rating (its comment in the feedback popover too) and the difference.
 */
void
reins_step_row_set_marks (ReinsStepRow              *self,
                          const ReinsStepFeedback   *feedback,
                          const ReinsStepDifference *difference)
{
  const char *comment = feedback != NULL && feedback->comment != NULL ? feedback->comment : "";
  const char *label = reins_step_row_feedback_label (feedback);

  g_return_if_fail (REINS_IS_STEP_ROW (self));

  /* Borrowed, as from the item bound: the popover reads the comment when it is built. */
  self->feedback = feedback;
  self->difference = difference;
  reins_step_marks_set (self->marks, feedback, difference);
  /* Not while the person writes in the popover; nothing rebuilt that is already so (rows
   * are bound by the hundred in a long run) */
  if (self->feedback_popover != NULL && gtk_widget_get_visible (GTK_WIDGET (self->feedback_popover)))
    return;
  if (self->feedback_entry != NULL &&
      g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->feedback_entry)), comment) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->feedback_entry), comment);
  if (!self->live && g_strcmp0 (gtk_menu_button_get_label (self->feedback_button), label) != 0)
    gtk_menu_button_set_label (self->feedback_button, label);
}
