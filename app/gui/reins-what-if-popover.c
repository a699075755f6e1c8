/* reins-what-if-popover.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What-if: the harness settings to judge a stored run again with, and what they change.
 *
 * The popover only collects the settings and lists the result; the inspector runs the
 * what-if and marks the chart. "judge" asks for a run with reins_what_if_popover_get_overrides(),
 * "step-activated" names a changed step the person picked.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-harness.h"
#include "reins-what-if.h"
#include "reins-run-settings.h"
#include "reins-what-if-popover.h"

/* The list names at most this many changed steps; the chart marks them all. */
#define MAX_ROWS 200

struct _ReinsWhatIfPopover
{
  GtkPopover      parent_instance;

  GtkSpinButton  *threshold_spin;
  GtkSpinButton  *loop_spin;
  GtkCheckButton *ask_reads_check;
  GtkFlowBox     *guards_box;
  GtkWidget      *spinner;
  GtkListBox     *result_list;
};

G_DEFINE_FINAL_TYPE (ReinsWhatIfPopover, reins_what_if_popover, GTK_TYPE_POPOVER)

enum {
  JUDGE,
  STEP_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
judge_clicked_cb (ReinsWhatIfPopover *self,
                  GtkButton          *button)
{
  g_signal_emit (self, signals[JUDGE], 0);
}

static void
row_activated_cb (ReinsWhatIfPopover *self,
                  GtkListBoxRow      *row,
                  GtkListBox         *list)
{
  g_signal_emit (self, signals[STEP_ACTIVATED], 0,
                 GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "step")));
}

static void
reins_what_if_popover_class_init (ReinsWhatIfPopoverClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  /**
   * ReinsWhatIfPopover::judge:
   *
   * The person asked to judge the run again under reins_what_if_popover_get_overrides().
   */
  signals[JUDGE] =
    g_signal_new ("judge", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * ReinsWhatIfPopover::step-activated:
   * @step: a changed step picked in the list, from 1
   */
  signals[STEP_ACTIVATED] =
    g_signal_new ("step-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/reins-what-if-popover.ui");
  gtk_widget_class_bind_template_child (widget_class, ReinsWhatIfPopover, threshold_spin);
  gtk_widget_class_bind_template_child (widget_class, ReinsWhatIfPopover, loop_spin);
  gtk_widget_class_bind_template_child (widget_class, ReinsWhatIfPopover, ask_reads_check);
  gtk_widget_class_bind_template_child (widget_class, ReinsWhatIfPopover, guards_box);
  gtk_widget_class_bind_template_child (widget_class, ReinsWhatIfPopover, spinner);
  gtk_widget_class_bind_template_child (widget_class, ReinsWhatIfPopover, result_list);
  gtk_widget_class_bind_template_callback (widget_class, judge_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
}

static void
reins_what_if_popover_init (ReinsWhatIfPopover *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* One switch per guard the harness has, named by it. */
  for (guint i = 0; reins_harness_guard_names[i] != NULL; i++)
    {
      GtkWidget *check = gtk_check_button_new_with_label (reins_harness_guard_names[i]);

      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
      gtk_widget_set_name (check, reins_harness_guard_names[i]);
      gtk_flow_box_append (self->guards_box, check);
    }
}

GtkWidget *
reins_what_if_popover_new (void)
{
  return g_object_new (REINS_TYPE_WHAT_IF_POPOVER, NULL);
}

/* Starts from the settings the run was judged with. */
void
reins_what_if_popover_set_settings (ReinsWhatIfPopover *self,
                                    JsonObject         *settings)
{
  g_autoptr(ReinsRunSettings) run_settings = NULL;

  g_return_if_fail (REINS_IS_WHAT_IF_POPOVER (self));

  if (settings == NULL)
    return;
  run_settings = reins_run_settings_new_from_json (settings);
  gtk_spin_button_set_value (self->threshold_spin,
                             reins_run_settings_get_confidence_threshold (run_settings));
  gtk_spin_button_set_value (self->loop_spin,
                             reins_run_settings_get_loop_threshold (run_settings));
  gtk_check_button_set_active (self->ask_reads_check,
                               g_strcmp0 (json_object_get_string_member_with_default (
                                            settings, "confidence_asks", "risky"),
                                          "always") == 0);
}

/* Returns: (transfer full): the harness settings chosen, as a run's settings name them */
JsonObject *
reins_what_if_popover_get_overrides (ReinsWhatIfPopover *self)
{
  JsonObject *overrides;
  JsonArray *disabled;

  g_return_val_if_fail (REINS_IS_WHAT_IF_POPOVER (self), NULL);

  overrides = json_object_new ();
  disabled = json_array_new ();
  json_object_set_double_member (overrides, "confidence_threshold",
                                 gtk_spin_button_get_value (self->threshold_spin));
  json_object_set_double_member (overrides, "loop_threshold",
                                 gtk_spin_button_get_value (self->loop_spin));
  json_object_set_string_member (overrides, "confidence_asks",
                                 gtk_check_button_get_active (self->ask_reads_check)
                                   ? "always" : "risky");
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->guards_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *check = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child));

      if (!gtk_check_button_get_active (GTK_CHECK_BUTTON (check)))
        json_array_add_string_element (disabled, gtk_widget_get_name (check));
    }
  json_object_set_array_member (overrides, "disabled_guards", disabled);
  return overrides;
}

void
reins_what_if_popover_set_running (ReinsWhatIfPopover *self,
                                   gboolean            running)
{
  g_return_if_fail (REINS_IS_WHAT_IF_POPOVER (self));

  gtk_widget_set_visible (self->spinner, running);
}

/**
 * reins_what_if_popover_set_steps:
 * @steps: (nullable) (element-type ReinsWhatIfStep): a what-if's steps; %NULL clears the list
 *
 * Lists each step whose verdict would change, with the guard's reason.
 */
void
reins_what_if_popover_set_steps (ReinsWhatIfPopover *self,
                                 GArray             *steps)
{
  GtkWidget *row;
  guint n_rows = 0;

  g_return_if_fail (REINS_IS_WHAT_IF_POPOVER (self));

  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->result_list))))
    gtk_list_box_remove (self->result_list, row);

  for (guint i = 0; steps != NULL && i < steps->len && n_rows < MAX_ROWS; i++)
    {
      ReinsWhatIfStep *step = &g_array_index (steps, ReinsWhatIfStep, i);
      g_autofree char *text = NULL;
      GtkWidget *label;

      if (!step->changed)
        continue;
      text = reins_what_if_describe (step);
      label = gtk_label_new (text);
      row = gtk_list_box_row_new ();
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_set_margin_start (label, 6);
      gtk_widget_set_margin_end (label, 6);
      gtk_widget_set_margin_top (label, 4);
      gtk_widget_set_margin_bottom (label, 4);
      if (step->reason != NULL)
        gtk_widget_set_tooltip_text (label, step->reason);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      g_object_set_data (G_OBJECT (row), "step", GUINT_TO_POINTER (step->step));
      gtk_list_box_append (self->result_list, row);
      n_rows++;
    }
}
