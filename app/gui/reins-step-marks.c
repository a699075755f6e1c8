/* reins-step-marks.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A line under a step: "Rated: good step" (its comment the tooltip) with a button that
 * removes the rating (step.rate 0, the row's action), and in a fork "Differs from parent:
 * action", the parent's action and observation the tooltip. Hidden when there is neither.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-step-marks.h"

struct _ReinsStepMarks
{
  GtkWidget  parent_instance;

  GtkWidget *box;
  GtkLabel  *rating_label;
  GtkWidget *remove_button;
  GtkLabel  *difference_label;
};

G_DEFINE_FINAL_TYPE (ReinsStepMarks, reins_step_marks, GTK_TYPE_WIDGET)

static void
show_rating (ReinsStepMarks          *self,
             const ReinsStepFeedback *feedback)
{
  g_autofree char *tooltip = NULL;
  gboolean shown = feedback != NULL && feedback->rating != 0;

  gtk_widget_remove_css_class (GTK_WIDGET (self->rating_label), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->rating_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->rating_label), shown);
  gtk_widget_set_visible (self->remove_button, shown);
  if (!shown)
    {
      gtk_label_set_label (self->rating_label, "");
      return;
    }
  gtk_label_set_label (self->rating_label, feedback->rating > 0 ? _("Rated: good step")
                                                                : _("Rated: bad step"));
  gtk_widget_add_css_class (GTK_WIDGET (self->rating_label),
                            feedback->rating > 0 ? "success" : "error");
  if (feedback->comment != NULL && feedback->comment[0] != '\0')
    /* Translators: the tooltip of a step's rating: the person's comment */
    tooltip = g_strdup_printf (_("Your comment: %s"), feedback->comment);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->rating_label),
                               tooltip != NULL ? tooltip : _("No comment"));
}

static void
show_difference (ReinsStepMarks            *self,
                 const ReinsStepDifference *difference)
{
  g_autoptr(GString) tooltip = g_string_new (NULL);
  const char *text;

  gtk_widget_set_visible (GTK_WIDGET (self->difference_label), difference != NULL);
  if (difference == NULL)
    {
      gtk_label_set_label (self->difference_label, "");
      return;
    }
  if (difference->no_parent_step)
    text = _("Differs from parent: the parent has no such step");
  else if (difference->action && difference->observation)
    text = _("Differs from parent: action and observation");
  else if (difference->action)
    text = _("Differs from parent: action");
  else
    text = _("Differs from parent: observation");
  gtk_label_set_label (self->difference_label, text);

  if (difference->action && !difference->no_parent_step)
    /* Translators: the tooltip of a fork's step that took another action */
    g_string_append_printf (tooltip, _("The parent’s action: %s"),
                            difference->parent_action != NULL ? difference->parent_action
                                                              : _("none"));
  if (difference->observation && !difference->no_parent_step)
    {
      if (tooltip->len > 0)
        g_string_append (tooltip, "\n");
      /* Translators: the tooltip of a fork's step that saw another observation */
      g_string_append_printf (tooltip, _("The parent’s observation: %s"),
                              difference->parent_observation != NULL
                              ? difference->parent_observation : _("none"));
    }
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->difference_label),
                               tooltip->len > 0 ? tooltip->str : NULL);
}

/**
 * reins_step_marks_set:
 * @feedback: (nullable): the person's stored rating of the step
 * @difference: (nullable): in a fork, how the step differs from the parent's
 *
 * Shows what is given; the line hides when neither is.
 */
void
reins_step_marks_set (ReinsStepMarks            *self,
                      const ReinsStepFeedback   *feedback,
                      const ReinsStepDifference *difference)
{
  g_return_if_fail (REINS_IS_STEP_MARKS (self));

  /* Most rows of most runs have neither: nothing to redo */
  if ((feedback == NULL || feedback->rating == 0) && difference == NULL &&
      !gtk_widget_get_visible (GTK_WIDGET (self)))
    return;
  show_rating (self, feedback);
  show_difference (self, difference);
  gtk_widget_set_visible (GTK_WIDGET (self),
                          (feedback != NULL && feedback->rating != 0) || difference != NULL);
}

/* The rating shown, or %NULL */
const char *
reins_step_marks_get_rating_text (ReinsStepMarks *self)
{
  g_return_val_if_fail (REINS_IS_STEP_MARKS (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->rating_label))
         ? gtk_label_get_label (self->rating_label) : NULL;
}

/* The difference from the parent shown, or %NULL */
const char *
reins_step_marks_get_difference_text (ReinsStepMarks *self)
{
  g_return_val_if_fail (REINS_IS_STEP_MARKS (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->difference_label))
         ? gtk_label_get_label (self->difference_label) : NULL;
}

static void
reins_step_marks_dispose (GObject *object)
{
  ReinsStepMarks *self = (ReinsStepMarks *)object;

  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (reins_step_marks_parent_class)->dispose (object);
}

static void
reins_step_marks_class_init (ReinsStepMarksClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = reins_step_marks_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "stepmarks");
}

static GtkLabel *
caption_label_new (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_set_visible (label, FALSE);
  return GTK_LABEL (label);
}

static void
reins_step_marks_init (ReinsStepMarks *self)
{
  self->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  self->rating_label = caption_label_new ();
  /* A few words: on one line */
  gtk_label_set_wrap (self->rating_label, FALSE);
  self->remove_button = gtk_button_new_with_label (_("Remove Rating"));
  self->difference_label = caption_label_new ();

  gtk_widget_add_css_class (self->remove_button, "flat");
  gtk_widget_add_css_class (self->remove_button, "caption");
  gtk_widget_set_visible (self->remove_button, FALSE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->remove_button), "step.rate");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->remove_button), "i", 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->difference_label), "warning");
  gtk_widget_set_hexpand (GTK_WIDGET (self->difference_label), TRUE);
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->rating_label));
  gtk_box_append (GTK_BOX (self->box), self->remove_button);
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->difference_label));
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

GtkWidget *
reins_step_marks_new (void)
{
  return g_object_new (REINS_TYPE_STEP_MARKS, NULL);
}
