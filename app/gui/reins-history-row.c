/* reins-history-row.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One run in the history sidebar: status icon, task, when it started, what it cost.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-context-menu.h"
#include "reins-format.h"
#include "reins-history.h"
#include "reins-history-row.h"

struct _ReinsHistoryRow
{
  GtkWidget  parent_instance;

  ReinsRun  *run;
  ReinsHistory *history;   /* weak: the history the row is in, while it is rooted */

  GtkImage  *status_image;
  GtkLabel  *fork_label;
  GtkLabel  *task_label;
  GtkLabel  *time_label;
  GtkImage  *note_image;
  GtkLabel  *cost_label;
  GtkBox    *tags_box;

  int        shown_status;   /* the status the icon shows, or -1 */
  char      *described;      /* what the row last told assistive technologies */
};

G_DEFINE_FINAL_TYPE (ReinsHistoryRow, reins_history_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_RUN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void reins_history_row_update (ReinsHistoryRow *self);

/* GTK 4.8 asks the display server where the pointer is whenever a tooltip is set, changed
 * or not, and a live run's row hears of every step: only a change is set. */
static void
set_tooltip (GtkWidget  *widget,
             const char *text)
{
  if (g_strcmp0 (gtk_widget_get_tooltip_text (widget), text) != 0)
    gtk_widget_set_tooltip_text (widget, text);
}

/* What the history knows of the run besides the run itself: its place under a parent,
 * a person's tags and note. */
static void
reins_history_row_update_annotations (ReinsHistoryRow *self)
{
  const char * const *labels = NULL;
  const char *note = NULL;
  const char *name = NULL;
  guint depth = 0;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->tags_box))))
    gtk_box_remove (self->tags_box, child);

  if (self->run != NULL && self->history != NULL)
    {
      labels = reins_history_get_labels (self->history, reins_run_get_id (self->run));
      note = reins_history_get_note (self->history, reins_run_get_id (self->run));
      name = reins_history_get_name (self->history, reins_run_get_id (self->run));
      depth = reins_history_get_depth (self->history, self->run);
    }

  for (guint i = 0; labels != NULL && labels[i] != NULL; i++)
    {
      GtkWidget *tag = gtk_button_new_with_label (labels[i]);
      /* Translators: the tooltip of a tag on a history row */
      g_autofree char *tooltip = g_strdup_printf (_("Show the Runs Tagged “%s”"), labels[i]);

      gtk_widget_add_css_class (tag, "run-tag");
      gtk_widget_add_css_class (tag, "flat");
      gtk_widget_set_tooltip_text (tag, tooltip);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (tag), "history.search-tag");
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (tag),
                                              g_variant_new_string (labels[i]));
      gtk_box_append (self->tags_box, tag);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->tags_box), labels != NULL && labels[0] != NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->note_image), note != NULL);
  set_tooltip (GTK_WIDGET (self->note_image), note);

  /* A person's name for the run stands for it; the task is then the tooltip. A task may
   * be a long paste: the row shows one line of it. */
  if (self->run != NULL)
    {
      g_autofree char *task = reins_format_excerpt (reins_run_get_task (self->run), 200, NULL);

      g_strdelimit (task, "\n\r\t", ' ');
      gtk_label_set_label (self->task_label, name != NULL ? name : task);
      set_tooltip (GTK_WIDGET (self->task_label), name != NULL ? task : NULL);
    }

  /* A fork sits under its parent, indented, and says from which step it went its own way. */
  gtk_widget_set_margin_start (GTK_WIDGET (self), 16 * MIN (depth, 4));
  if (self->run != NULL && reins_run_get_parent_run_id (self->run) != NULL)
    {
      /* Translators: over a forked run in the history */
      g_autofree char *text = g_strdup_printf (_("↳ Fork from step %u"),
                                               reins_run_get_fork_step (self->run));
      /* Translators: the tooltip of a fork's mark; the placeholder is the parent run's id */
      g_autofree char *tooltip = g_strdup_printf (_("Forked from run %s"),
                                                  reins_run_get_parent_run_id (self->run));

      gtk_label_set_label (self->fork_label, text);
      set_tooltip (GTK_WIDGET (self->fork_label), tooltip);
      gtk_widget_set_visible (GTK_WIDGET (self->fork_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->fork_label), FALSE);
}

static void
history_run_annotated_cb (ReinsHistoryRow *self,
                          const char      *run_id,
                          ReinsHistory    *history)
{
  if (self->run != NULL &&
      (run_id == NULL || g_strcmp0 (run_id, reins_run_get_id (self->run)) == 0))
    reins_history_row_update (self);
}

/* What changes as the run goes on: its status, length and cost. Called for every step of a
 * live run, so it touches only what changed. */
static void
reins_history_row_update_progress (ReinsHistoryRow *self)
{
  g_autofree char *when = NULL;
  g_autofree char *cost = NULL;
  ReinsRunStatus status;

  if (self->run == NULL)
    return;

  status = reins_run_get_status (self->run);
  if ((int) status != self->shown_status)
    {
      self->shown_status = (int) status;
      gtk_image_set_from_icon_name (self->status_image, reins_format_status_icon (status));
      for (const char * const *c = (const char * const []) { "success", "warning", "error",
                                                             "accent", NULL }; *c; c++)
        gtk_widget_remove_css_class (GTK_WIDGET (self->status_image), *c);
      gtk_widget_add_css_class (GTK_WIDGET (self->status_image),
                                reins_format_status_style (status));
      set_tooltip (GTK_WIDGET (self->status_image), reins_format_status_label (status));
    }

  /* Rows of the same task told apart: how it ended, how long it went, when. */
  {
    g_autofree char *relative = reins_format_relative_time (reins_run_get_created_at (self->run),
                                                            g_get_real_time ());
    guint n_steps = reins_run_get_step_count (self->run);
    g_autofree char *steps = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u step",
                                                           "%u steps", n_steps),
                                              n_steps);

    /* Translators: a history row: status, number of steps, when, e.g.
     * "Completed · 7 steps · 5 minutes ago" */
    when = g_strdup_printf (_("%s · %s · %s"), reins_format_status_label (status), steps,
                            relative);
  }
  gtk_label_set_label (self->time_label, when);

  cost = reins_format_cost (reins_run_get_cost_usd (self->run));
  gtk_label_set_label (self->cost_label, cost);

  /* Each update is a message on the accessibility bus: only a change is told. */
  {
    g_autofree char *described = g_strconcat (gtk_label_get_label (self->task_label), "\n",
                                              when, NULL);

    if (g_strcmp0 (described, self->described) != 0)
      {
        gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        gtk_label_get_label (self->task_label),
                                        GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, when,
                                        -1);
        g_free (self->described);
        self->described = g_steal_pointer (&described);
      }
  }
}

static void
reins_history_row_update (ReinsHistoryRow *self)
{
  reins_history_row_update_annotations (self);

  if (self->run == NULL)
    {
      self->shown_status = -1;
      g_clear_pointer (&self->described, g_free);
      gtk_image_clear (self->status_image);
      gtk_label_set_label (self->task_label, "");
      gtk_label_set_label (self->time_label, "");
      gtk_label_set_label (self->cost_label, "");
      return;
    }
  reins_history_row_update_progress (self);
}

static void
run_notify_cb (ReinsHistoryRow *self,
               GParamSpec      *pspec,
               ReinsRun        *run)
{
  reins_history_row_update_progress (self);
}

static void
reins_history_row_root (GtkWidget *widget)
{
  ReinsHistoryRow *self = REINS_HISTORY_ROW (widget);
  GtkWidget *history;

  GTK_WIDGET_CLASS (reins_history_row_parent_class)->root (widget);

  history = gtk_widget_get_ancestor (widget, REINS_TYPE_HISTORY);
  if (history != NULL)
    {
      g_set_weak_pointer (&self->history, REINS_HISTORY (history));
      g_signal_connect_object (history, "run-annotated",
                               G_CALLBACK (history_run_annotated_cb), self, G_CONNECT_SWAPPED);
    }
  reins_history_row_update_annotations (self);
}

static void
reins_history_row_unroot (GtkWidget *widget)
{
  ReinsHistoryRow *self = REINS_HISTORY_ROW (widget);

  if (self->history != NULL)
    g_signal_handlers_disconnect_by_func (self->history, history_run_annotated_cb, self);
  g_clear_weak_pointer (&self->history);

  GTK_WIDGET_CLASS (reins_history_row_parent_class)->unroot (widget);
}

static void
reins_history_row_dispose (GObject *object)
{
  ReinsHistoryRow *self = (ReinsHistoryRow *)object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), REINS_TYPE_HISTORY_ROW);
  /* Children the template does not name are ours to unparent too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  if (self->run != NULL)
    g_signal_handlers_disconnect_by_func (self->run, run_notify_cb, self);
  g_clear_object (&self->run);
  g_clear_pointer (&self->described, g_free);
  if (self->history != NULL)
    g_signal_handlers_disconnect_by_func (self->history, history_run_annotated_cb, self);
  g_clear_weak_pointer (&self->history);

  G_OBJECT_CLASS (reins_history_row_parent_class)->dispose (object);
}

static void
reins_history_row_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  ReinsHistoryRow *self = REINS_HISTORY_ROW (object);

  switch (prop_id)
    {
    case PROP_RUN:
      g_value_set_object (value, self->run);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reins_history_row_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  ReinsHistoryRow *self = REINS_HISTORY_ROW (object);

  switch (prop_id)
    {
    case PROP_RUN:
      reins_history_row_set_run (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reins_history_row_class_init (ReinsHistoryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = reins_history_row_dispose;
  object_class->get_property = reins_history_row_get_property;
  object_class->set_property = reins_history_row_set_property;
  widget_class->root = reins_history_row_root;
  widget_class->unroot = reins_history_row_unroot;

  properties[PROP_RUN] =
    g_param_spec_object ("run", NULL, NULL,
                         REINS_TYPE_RUN,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/reins-history-row.ui");
  gtk_widget_class_bind_template_child (widget_class, ReinsHistoryRow, status_image);
  gtk_widget_class_bind_template_child (widget_class, ReinsHistoryRow, fork_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsHistoryRow, task_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsHistoryRow, note_image);
  gtk_widget_class_bind_template_child (widget_class, ReinsHistoryRow, tags_box);
  gtk_widget_class_bind_template_child (widget_class, ReinsHistoryRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsHistoryRow, cost_label);
}

/* The row's menu (right click, long press): what can be done with this run. */
static void
reins_history_row_popup (ReinsHistoryRow *self,
                         double           x,
                         double           y)
{
  g_autoptr(GMenu) menu = NULL;
  g_autoptr(GMenuItem) item = NULL;
  const char *run_id;

  if (self->run == NULL || (run_id = reins_run_get_id (self->run)) == NULL)
    return;

  menu = g_menu_new ();
  item = g_menu_item_new (_("_Tags and Note…"), NULL);
  g_menu_item_set_action_and_target_value (item, "win.annotate", g_variant_new_string (run_id));
  g_menu_append_item (menu, item);
  g_clear_object (&item);
  /* The lineage: a fork leads to the run it was forked from. */
  if (reins_run_get_parent_run_id (self->run) != NULL)
    {
      item = g_menu_item_new (_("Open the _Parent Run"), NULL);
      g_menu_item_set_action_and_target_value (
        item, "win.select-run", g_variant_new_string (reins_run_get_parent_run_id (self->run)));
      g_menu_append_item (menu, item);
      g_clear_object (&item);
    }
  item = g_menu_item_new (_("_Delete Run"), NULL);
  g_menu_item_set_action_and_target_value (item, "history.delete-run",
                                           g_variant_new_string (run_id));
  g_menu_append_item (menu, item);

  reins_context_menu_popup (GTK_WIDGET (self), G_MENU_MODEL (menu), x, y);
}

static void
secondary_pressed_cb (GtkGestureClick *gesture,
                      int              n_press,
                      double           x,
                      double           y,
                      ReinsHistoryRow *self)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  reins_history_row_popup (self, x, y);
}

static void
long_pressed_cb (GtkGestureLongPress *gesture,
                 double               x,
                 double               y,
                 ReinsHistoryRow     *self)
{
  reins_history_row_popup (self, x, y);
}

static void
reins_history_row_init (ReinsHistoryRow *self)
{
  GtkGesture *click;
  GtkGesture *press;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->shown_status = -1;

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (secondary_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  press = gtk_gesture_long_press_new ();
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (press), TRUE);
  g_signal_connect (press, "pressed", G_CALLBACK (long_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (press));
}

GtkWidget *
reins_history_row_new (void)
{
  return g_object_new (REINS_TYPE_HISTORY_ROW, NULL);
}

ReinsRun *
reins_history_row_get_run (ReinsHistoryRow *self)
{
  g_return_val_if_fail (REINS_IS_HISTORY_ROW (self), NULL);

  return self->run;
}

void
reins_history_row_set_run (ReinsHistoryRow *self,
                           ReinsRun        *run)
{
  g_return_if_fail (REINS_IS_HISTORY_ROW (self));
  g_return_if_fail (!run || REINS_IS_RUN (run));

  if (self->run == run)
    return;

  if (self->run != NULL)
    g_signal_handlers_disconnect_by_func (self->run, run_notify_cb, self);
  if (g_set_object (&self->run, run))
    {
      /* A run that goes on changes its status and cost in place (reins_history_update_run). */
      if (run != NULL)
        g_signal_connect_object (run, "notify", G_CALLBACK (run_notify_cb), self,
                                 G_CONNECT_SWAPPED);
      reins_history_row_update (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUN]);
    }
}
