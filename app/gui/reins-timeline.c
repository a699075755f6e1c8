/* reins-timeline.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A run's steps, one row each, following the newest while the run goes on.
 *
 * Following is one state (ReinsTimelineFollow): the list moves its adjustment itself as rows
 * come and go, so only the person's own scrolling — the wheel or touchpad upwards, the
 * scrollbar — leaves FOLLOWING, and coming back to the end resumes it. What a row shows
 * besides its step (the threshold, the steps a loop verdict named, the step under way, the
 * step a person is asked about, a step not read yet) is state of the items, the slots
 * (reins-step-slots.h): the timeline hands it to them, and each row binds to its item's
 * properties.
 *
 * A filter (reins-step-filter.h, the action timeline.filter) lists only some steps: then a
 * row's position is no longer its step number, and the steps are looked up by their index
 * (reins-timeline-filter.c). The rows themselves — built ahead, kept for reuse, paced, bound
 * compact when they come faster than a frame affords — are in reins-timeline-rows.c.
 */

#include "config.h"

#include <adwaita.h>

#include "reins-step-filter.h"
#include "reins-step-row.h"
#include "reins-step-slots.h"
#include "reins-timeline-private.h"

/* How close to the end counts as at the end, in pixels. */
#define END_SLACK 24

enum {
  PROP_0,
  PROP_FILTER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (ReinsTimeline, reins_timeline, GTK_TYPE_WIDGET)

/* Following */

static void
reins_timeline_set_follow (ReinsTimeline       *self,
                           ReinsTimelineFollow  follow)
{
  self->follow = follow;
  if (self->slots != NULL)
    reins_step_slots_set_paced (self->slots, self->live && follow == REINS_TIMELINE_FOLLOWING);
  gtk_widget_set_visible (self->jump_button, self->live && follow != REINS_TIMELINE_FOLLOWING);
}

static gboolean
reins_timeline_at_end (ReinsTimeline *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scroller);

  return gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj) >=
         gtk_adjustment_get_upper (adj) - END_SLACK;
}

static void
reins_timeline_scroll_to_end (ReinsTimeline *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scroller);
  guint n_items = self->selection != NULL
                  ? g_list_model_get_n_items (G_LIST_MODEL (self->selection)) : 0;

  /* The list view places itself by an anchor item: move that, then to the very end. */
  if (n_items > 0)
    gtk_widget_activate_action (GTK_WIDGET (self->step_list), "list.scroll-to-item", "u",
                                n_items - 1);
  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj));
}

static void
vadjustment_value_changed_cb (ReinsTimeline *self,
                              GtkAdjustment *adj)
{
  if (self->follow == REINS_TIMELINE_BROWSING && reins_timeline_at_end (self))
    reins_timeline_set_follow (self, REINS_TIMELINE_FOLLOWING);
  /* Compact rows may come into sight. */
  reins_timeline_schedule (self);
}

static void
vadjustment_upper_cb (ReinsTimeline *self,
                      GParamSpec    *pspec,
                      GtkAdjustment *adj)
{
  if (self->follow == REINS_TIMELINE_FOLLOWING && self->live)
    reins_timeline_scroll_to_end (self);
  reins_timeline_schedule (self);
}

static gboolean
scroll_cb (ReinsTimeline            *self,
           double                    dx,
           double                    dy,
           GtkEventControllerScroll *controller)
{
  if (dy < 0 && self->follow == REINS_TIMELINE_FOLLOWING)
    reins_timeline_set_follow (self, REINS_TIMELINE_BROWSING);
  return FALSE;
}

static void
scrollbar_pressed_cb (ReinsTimeline *self)
{
  reins_timeline_set_follow (self, REINS_TIMELINE_DRAGGING);
}

static void
scrollbar_released_cb (ReinsTimeline *self)
{
  if (self->follow == REINS_TIMELINE_DRAGGING)
    reins_timeline_set_follow (self, reins_timeline_at_end (self) ? REINS_TIMELINE_FOLLOWING
                                                                  : REINS_TIMELINE_BROWSING);
}

static void
jump_to_latest_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  reins_timeline_follow (REINS_TIMELINE (widget));
}

static void
filtered_items_changed_cb (ReinsTimeline *self,
                           guint          position,
                           guint          removed,
                           guint          added,
                           GListModel    *model)
{
  reins_timeline_update_filter_state (self);
}

/* Steps the list does not have yet come a chunk per frame. */
static void
steps_changed_cb (ReinsTimeline *self,
                  guint          position,
                  guint          removed,
                  guint          added,
                  GListModel    *steps)
{
  if (self->slots != NULL && reins_step_slots_get_n_hidden (self->slots) > 0)
    reins_timeline_schedule (self);
}

/* A page read replaces placeholders with the stored steps, which drops the selection that
 * marks a step: it is put back. */
static void
shown_items_changed_cb (ReinsTimeline *self,
                        guint          position,
                        guint          removed,
                        guint          added,
                        GListModel    *model)
{
  guint shown = reins_timeline_position_of (self, self->shown_step);

  if (shown != GTK_INVALID_LIST_POSITION &&
      gtk_single_selection_get_selected (self->selection) != shown)
    gtk_single_selection_set_selected (self->selection, shown);
}

static void
reins_timeline_dispose (GObject *object)
{
  ReinsTimeline *self = REINS_TIMELINE (object);
  GtkWidget *child;

  reins_timeline_dispose_rows (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), REINS_TYPE_TIMELINE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->slots);
  g_clear_object (&self->filtered);
  g_clear_object (&self->custom);
  g_clear_object (&self->steps);

  G_OBJECT_CLASS (reins_timeline_parent_class)->dispose (object);
}

static void
reins_timeline_finalize (GObject *object)
{
  ReinsTimeline *self = REINS_TIMELINE (object);

  g_hash_table_unref (self->feedback);
  g_hash_table_unref (self->differences);
  g_free (self->filter);

  G_OBJECT_CLASS (reins_timeline_parent_class)->finalize (object);
}

static void
reins_timeline_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  ReinsTimeline *self = REINS_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_FILTER:
      g_value_set_string (value, self->filter);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reins_timeline_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  ReinsTimeline *self = REINS_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_FILTER:
      reins_timeline_set_filter (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reins_timeline_class_init (ReinsTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = reins_timeline_dispose;
  object_class->finalize = reins_timeline_finalize;
  object_class->get_property = reins_timeline_get_property;
  object_class->set_property = reins_timeline_set_property;

  /* Which steps are listed: a name of reins-step-filter.h; one it does not know is refused. */
  properties[PROP_FILTER] =
    g_param_spec_string ("filter", NULL, NULL, REINS_STEP_FILTER_ALL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/reins-timeline.ui");
  gtk_widget_class_bind_template_child (widget_class, ReinsTimeline, scroller);
  gtk_widget_class_bind_template_child (widget_class, ReinsTimeline, step_list);
  gtk_widget_class_bind_template_child (widget_class, ReinsTimeline, jump_button);
  gtk_widget_class_bind_template_child (widget_class, ReinsTimeline, filter_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ReinsTimeline, filter_count_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsTimeline, no_match_page);

  gtk_widget_class_install_property_action (widget_class, "timeline.filter", "filter");

  gtk_widget_class_install_action (widget_class, "timeline.jump-to-latest", NULL,
                                   jump_to_latest_cb);

  g_type_ensure (REINS_TYPE_STEP_ROW);
}

static void
reins_timeline_init (ReinsTimeline *self)
{
  GtkEventController *controller;
  GtkGesture *gesture;
  GtkAdjustment *adj;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->feedback = g_hash_table_new_full (NULL, NULL, NULL,
                                          (GDestroyNotify) reins_step_feedback_free);
  self->differences = g_hash_table_new_full (NULL, NULL, NULL,
                                             (GDestroyNotify) reins_step_difference_free);
  self->threshold = 0.7;
  self->follow = REINS_TIMELINE_FOLLOWING;
  self->filter = g_strdup (REINS_STEP_FILTER_ALL);
  reins_timeline_init_filter (self);

  reins_timeline_init_rows (self);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "scroll", G_CALLBACK (scroll_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->scroller), controller);
  gesture = gtk_gesture_click_new ();
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (gesture), GTK_PHASE_CAPTURE);
  g_signal_connect_object (gesture, "pressed", G_CALLBACK (scrollbar_pressed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (gesture, "released", G_CALLBACK (scrollbar_released_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (gesture, "stopped", G_CALLBACK (scrollbar_released_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (gtk_scrolled_window_get_vscrollbar (self->scroller),
                             GTK_EVENT_CONTROLLER (gesture));

  adj = gtk_scrolled_window_get_vadjustment (self->scroller);
  g_signal_connect_object (adj, "value-changed", G_CALLBACK (vadjustment_value_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (adj, "notify::upper", G_CALLBACK (vadjustment_upper_cb), self,
                           G_CONNECT_SWAPPED);
}

/* The steps to show (set once: the model itself changes as runs are shown). A new model
 * starts with no steps marked but for the threshold. */
void
reins_timeline_set_model (ReinsTimeline *self,
                          GListModel    *model)
{
  g_return_if_fail (REINS_IS_TIMELINE (self));
  g_return_if_fail (G_IS_LIST_MODEL (model));

  g_clear_object (&self->selection);
  g_clear_object (&self->slots);
  g_clear_object (&self->filtered);
  g_set_object (&self->steps, model);
  self->filtered = gtk_filter_list_model_new (g_object_ref (model),
                                              reins_timeline_is_unfiltered (self)
                                              ? NULL : g_object_ref (GTK_FILTER (self->custom)));
  g_signal_connect_object (self->filtered, "items-changed", G_CALLBACK (filtered_items_changed_cb),
                           self, G_CONNECT_SWAPPED);
  self->slots = reins_step_slots_new (G_LIST_MODEL (self->filtered));
  reins_timeline_reset_pace (self);
  reins_step_slots_set_threshold (self->slots, self->threshold);
  reins_step_slots_set_marks (self->slots, self->feedback, self->differences);
  /* After the slots took the change (they connected first): what they hold back comes a
   * chunk per frame. */
  g_signal_connect_object (self->filtered, "items-changed", G_CALLBACK (steps_changed_cb), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  steps_changed_cb (self, 0, 0, 0, G_LIST_MODEL (self->filtered));
  reins_timeline_update_filter_state (self);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->slots)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect_object (self->selection, "items-changed", G_CALLBACK (shown_items_changed_cb),
                           self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  gtk_list_view_set_model (self->step_list, GTK_SELECTION_MODEL (self->selection));
}

GtkListView *
reins_timeline_get_list_view (ReinsTimeline *self)
{
  g_return_val_if_fail (REINS_IS_TIMELINE (self), NULL);

  return self->step_list;
}

/* Whether steps are still arriving (a live run, a replay): only then does following move the
 * view, and "Jump to Latest" show when it does not. */
void
reins_timeline_set_live (ReinsTimeline *self,
                         gboolean       live)
{
  g_return_if_fail (REINS_IS_TIMELINE (self));

  self->live = !!live;
  reins_timeline_set_follow (self, self->follow);
}

ReinsTimelineFollow
reins_timeline_get_follow (ReinsTimeline *self)
{
  g_return_val_if_fail (REINS_IS_TIMELINE (self), REINS_TIMELINE_FOLLOWING);

  return self->follow;
}

/* Whether the timeline shows every step it has, each row in full: none is held back to come
 * in a later frame, and no row is left compact. */
gboolean
reins_timeline_get_settled (ReinsTimeline *self)
{
  gboolean more = FALSE;

  g_return_val_if_fail (REINS_IS_TIMELINE (self), TRUE);

  if (self->slots == NULL)
    return TRUE;
  reins_timeline_expand_rows (self, 0, &more);
  return reins_step_slots_get_n_hidden (self->slots) == 0 && !more;
}

/* Follows the newest step again, and goes there. */
void
reins_timeline_follow (ReinsTimeline *self)
{
  g_return_if_fail (REINS_IS_TIMELINE (self));

  reins_timeline_set_follow (self, REINS_TIMELINE_FOLLOWING);
  reins_timeline_scroll_to_end (self);
}

/* Steps arrived: the newest stays in view if the timeline follows. */
void
reins_timeline_keep_newest (ReinsTimeline *self)
{
  g_return_if_fail (REINS_IS_TIMELINE (self));

  if (self->follow == REINS_TIMELINE_FOLLOWING && self->live)
    reins_timeline_scroll_to_end (self);
}

/**
 * reins_timeline_show_step:
 * @index: a step number (from 1), or 0 to mark none
 *
 * Scrolls to a step and marks it; the timeline stops following.
 */
void
reins_timeline_show_step (ReinsTimeline *self,
                          guint          index)
{
  guint position;

  g_return_if_fail (REINS_IS_TIMELINE (self));

  self->shown_step = index;
  position = reins_timeline_position_of (self, index);
  /* A step the list does not have yet: it gets them all now. */
  if (self->slots != NULL && position != GTK_INVALID_LIST_POSITION &&
      position >= g_list_model_get_n_items (G_LIST_MODEL (self->slots)))
    reins_step_slots_reveal (self->slots, TRUE);
  if (position == GTK_INVALID_LIST_POSITION || self->selection == NULL ||
      position >= g_list_model_get_n_items (G_LIST_MODEL (self->selection)))
    {
      if (self->selection != NULL)
        gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
      return;
    }

  reins_timeline_set_follow (self, REINS_TIMELINE_BROWSING);
  gtk_single_selection_set_selected (self->selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self->step_list), "list.scroll-to-item", "u", position);
}

/* The step marked by reins_timeline_show_step(), or 0. */
guint
reins_timeline_get_shown_step (ReinsTimeline *self)
{
  guint selected;

  g_return_val_if_fail (REINS_IS_TIMELINE (self), 0);

  if (self->selection == NULL)
    return 0;
  selected = gtk_single_selection_get_selected (self->selection);
  return reins_timeline_index_at (self, selected);
}

void
reins_timeline_set_threshold (ReinsTimeline *self,
                              double         threshold)
{
  g_return_if_fail (REINS_IS_TIMELINE (self));

  if (self->threshold == threshold)
    return;
  self->threshold = threshold;
  if (self->slots != NULL)
    reins_step_slots_set_threshold (self->slots, threshold);
  if (g_strcmp0 (self->filter, "low-confidence") == 0)
    gtk_filter_changed (GTK_FILTER (self->custom), GTK_FILTER_CHANGE_DIFFERENT);
}

void
reins_timeline_clear_loop_steps (ReinsTimeline *self)
{
  g_return_if_fail (REINS_IS_TIMELINE (self));

  if (self->slots != NULL)
    reins_step_slots_clear_loop_steps (self->slots);
}

/**
 * reins_timeline_set_marks:
 * @feedback: (nullable) (element-type ReinsStepFeedback): the person's ratings of the steps
 * @diff: (nullable): for a fork, how its steps differ from the parent's
 *
 * What the rows show beyond their steps; replaces what was set before.
 */
void
reins_timeline_set_marks (ReinsTimeline       *self,
                          GPtrArray           *feedback,
                          const ReinsForkDiff *diff)
{
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (REINS_IS_TIMELINE (self));

  g_autoptr(GHashTable) old_feedback = NULL;
  g_autoptr(GHashTable) old_differences = NULL;

  g_return_if_fail (REINS_IS_TIMELINE (self));

  if (g_hash_table_size (self->feedback) == 0 && g_hash_table_size (self->differences) == 0 &&
      (feedback == NULL || feedback->len == 0) &&
      (diff == NULL || diff->by_step == NULL || g_hash_table_size (diff->by_step) == 0))
    return;
  /* New tables: the slots point into the old ones until they took the new. */
  old_feedback = g_steal_pointer (&self->feedback);
  old_differences = g_steal_pointer (&self->differences);
  self->feedback = g_hash_table_new_full (NULL, NULL, NULL,
                                          (GDestroyNotify) reins_step_feedback_free);
  self->differences = g_hash_table_new_full (NULL, NULL, NULL,
                                             (GDestroyNotify) reins_step_difference_free);
  for (guint i = 0; feedback != NULL && i < feedback->len; i++)
    {
      const ReinsStepFeedback *item = g_ptr_array_index (feedback, i);
      ReinsStepFeedback *copy = g_new0 (ReinsStepFeedback, 1);

      *copy = (ReinsStepFeedback) { item->step, item->rating, g_strdup (item->comment) };
      g_hash_table_replace (self->feedback, GUINT_TO_POINTER (item->step), copy);
    }
  if (diff != NULL && diff->by_step != NULL)
    {
      g_hash_table_iter_init (&iter, diff->by_step);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_replace (self->differences, key, reins_step_difference_copy (value));
    }
  if (self->slots != NULL)
    reins_step_slots_set_marks (self->slots, self->feedback, self->differences);
}

/* A rating stored for @step (0: removed): its row shows it at once. */
void
reins_timeline_set_step_feedback (ReinsTimeline *self,
                                  guint          step,
                                  int            rating,
                                  const char    *comment)
{
  gpointer old = NULL;

  g_return_if_fail (REINS_IS_TIMELINE (self));

  /* The old record lives until the slots let go of it. */
  g_hash_table_steal_extended (self->feedback, GUINT_TO_POINTER (step), NULL, &old);
  if (rating != 0)
    {
      ReinsStepFeedback *item = g_new0 (ReinsStepFeedback, 1);

      item->step = step;
      item->rating = rating;
      item->comment = g_strstrip (g_strdup (comment != NULL ? comment : ""));
      if (item->comment[0] == '\0')
        g_clear_pointer (&item->comment, g_free);
      g_hash_table_replace (self->feedback, GUINT_TO_POINTER (step), item);
    }
  if (self->slots != NULL)
    reins_step_slots_set_marks (self->slots, self->feedback, self->differences);
  g_clear_pointer (&old, reins_step_feedback_free);
}

/* Steps a loop verdict named: their rows are tinted. */
void
reins_timeline_add_loop_steps (ReinsTimeline *self,
                               const guint   *steps,
                               guint          n_steps)
{
  g_return_if_fail (REINS_IS_TIMELINE (self));

  if (self->slots != NULL)
    reins_step_slots_add_loop_steps (self->slots, steps, n_steps);
}

/* The item of the step under way: its row has a spinner. */
void
reins_timeline_set_live_step (ReinsTimeline *self,
                              ReinsStep     *step)
{
  g_return_if_fail (REINS_IS_TIMELINE (self));

  if (self->slots != NULL)
    reins_step_slots_set_live_step (self->slots, step);
}

/* The step a person's answer is awaited on, or 0. */
void
reins_timeline_set_waiting_step (ReinsTimeline *self,
                                 guint          index)
{
  g_return_if_fail (REINS_IS_TIMELINE (self));

  if (self->slots != NULL)
    reins_step_slots_set_waiting_step (self->slots, index);
}

/* The lazily read model the timeline shows, if it does: its items not read yet are
 * placeholders, shown as such. */
void
reins_timeline_set_lazy_model (ReinsTimeline  *self,
                               ReinsStepModel *model)
{
  g_return_if_fail (REINS_IS_TIMELINE (self));

  if (self->slots != NULL)
    reins_step_slots_set_lazy_model (self->slots, model);
}
