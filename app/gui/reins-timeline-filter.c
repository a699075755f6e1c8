/* reins-timeline-filter.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The timeline's filter (reins-step-filter.h, the action timeline.filter, the menu above the
 * list): which steps are listed, how many of how many, and the empty state; and, since with
 * a filter a row's position is no longer its step number, finding a step's position, the
 * step at a position, and the listed step beside another.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "reins-step-filter.h"
#include "reins-timeline-private.h"

/* What the filter menu offers, in its order. */
static const char * const menu_filters[] = {
  REINS_STEP_FILTER_ALL, "decisions", "failures", "low-confidence", "guard:loop",
  "guard:tool_result", "guard:grounding", "guard:drift", "guard:policy", "guard:budget",
  "guard:rate", "guard:max_steps", "guard:nothing_found", "guard:confidence", NULL
};

/* Positions and steps */

/* Whether every step is listed, at the position of its number less one. */
gboolean
reins_timeline_is_unfiltered (ReinsTimeline *self)
{
  return g_strcmp0 (self->filter, REINS_STEP_FILTER_ALL) == 0;
}

/* The position of step @index in the list, or GTK_INVALID_LIST_POSITION. */
guint
reins_timeline_position_of (ReinsTimeline *self,
                            guint          index)
{
  guint n_items;

  if (self->filtered == NULL || index == 0)
    return GTK_INVALID_LIST_POSITION;
  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  if (reins_timeline_is_unfiltered (self))
    return index <= n_items ? index - 1 : GTK_INVALID_LIST_POSITION;

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(ReinsStep) step = g_list_model_get_item (G_LIST_MODEL (self->filtered), i);

      if (reins_step_get_index (step) == index)
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

/* The number of the step at @position of the list, or 0. */
guint
reins_timeline_index_at (ReinsTimeline *self,
                         guint          position)
{
  g_autoptr(ReinsStep) step = NULL;

  if (self->filtered == NULL || position == GTK_INVALID_LIST_POSITION)
    return 0;
  if (reins_timeline_is_unfiltered (self))
    return position + 1;
  step = g_list_model_get_item (G_LIST_MODEL (self->filtered), position);
  return step != NULL ? reins_step_get_index (step) : 0;
}

/* Filtering */

static gboolean
filter_step_cb (gpointer item,
                gpointer user_data)
{
  ReinsTimeline *self = user_data;

  return reins_step_filter_matches (self->filter, item, self->threshold);
}

/* How many steps the filter lets through, and an empty state when none. */
void
reins_timeline_update_filter_state (ReinsTimeline *self)
{
  guint shown, total;
  gboolean filtered = !reins_timeline_is_unfiltered (self);

  shown = self->filtered != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) : 0;
  total = self->steps != NULL ? g_list_model_get_n_items (self->steps) : 0;
  if (filtered)
    {
      /* Translators: how many steps a filter of the timeline lists, e.g. "3 of 120 steps" */
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u step",
                                                            "%u of %u steps", total),
                                               shown, total);
      gtk_label_set_label (self->filter_count_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->filter_count_label), filtered);
  gtk_widget_set_visible (self->no_match_page, filtered && shown == 0 && total > 0);
}

/* The keyboard back in the timeline: on the step marked (the list's focus follows it), or on
 * "Show All Steps" when nothing is listed. Without this, the menu's popover takes the focus
 * with it as it closes and GTK hands it to the window's first button. */
static void
focus_timeline (ReinsTimeline *self)
{
  if (gtk_widget_get_visible (self->no_match_page) &&
      gtk_widget_grab_focus (adw_status_page_get_child (ADW_STATUS_PAGE (self->no_match_page))))
    return;
  gtk_widget_grab_focus (GTK_WIDGET (self->step_list));
}

static void
filter_dropdown_selected_cb (ReinsTimeline *self,
                             GParamSpec    *pspec,
                             GtkDropDown   *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (selected < G_N_ELEMENTS (menu_filters) - 1 &&
      reins_timeline_set_filter (self, menu_filters[selected]))
    focus_timeline (self);
}

/* The filter of the list and the menu that picks it. */
void
reins_timeline_init_filter (ReinsTimeline *self)
{
  self->custom = gtk_custom_filter_new (filter_step_cb, self, NULL);
  {
    g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

    for (guint i = 0; menu_filters[i] != NULL; i++)
      {
        g_autofree char *name = reins_step_filter_describe (menu_filters[i]);

        gtk_string_list_append (names, name);
      }
    gtk_drop_down_set_model (self->filter_dropdown, G_LIST_MODEL (names));
  }
  g_signal_connect_object (self->filter_dropdown, "notify::selected",
                           G_CALLBACK (filter_dropdown_selected_cb), self, G_CONNECT_SWAPPED);
}

/**
 * reins_timeline_set_filter:
 * @filter: (nullable): a filter of reins-step-filter.h; %NULL lists every step
 *
 * Lists only the steps @filter lets through. A name that is not a filter is refused and
 * the list stays as it is.
 *
 * Returns: whether @filter was taken
 */
gboolean
reins_timeline_set_filter (ReinsTimeline *self,
                           const char    *filter)
{
  guint selected = GTK_INVALID_LIST_POSITION;

  g_return_val_if_fail (REINS_IS_TIMELINE (self), FALSE);

  if (filter == NULL)
    filter = REINS_STEP_FILTER_ALL;
  if (!reins_step_filter_is_valid (filter))
    {
      g_debug ("“%s” is not a filter of steps", filter);
      return FALSE;
    }
  if (g_strcmp0 (self->filter, filter) == 0)
    return TRUE;

  g_free (self->filter);
  self->filter = g_strdup (filter);
  for (guint i = 0; menu_filters[i] != NULL; i++)
    if (g_str_equal (menu_filters[i], filter))
      selected = i;
  g_signal_handlers_block_by_func (self->filter_dropdown, filter_dropdown_selected_cb, self);
  gtk_drop_down_set_selected (self->filter_dropdown, selected);
  g_signal_handlers_unblock_by_func (self->filter_dropdown, filter_dropdown_selected_cb, self);

  if (self->filtered != NULL)
    {
      if (reins_timeline_is_unfiltered (self))
        gtk_filter_list_model_set_filter (self->filtered, NULL);
      else if (gtk_filter_list_model_get_filter (self->filtered) == NULL)
        gtk_filter_list_model_set_filter (self->filtered, GTK_FILTER (self->custom));
      else
        gtk_filter_changed (GTK_FILTER (self->custom), GTK_FILTER_CHANGE_DIFFERENT);
    }
  reins_timeline_update_filter_state (self);
  /* The step marked before stays marked if it is listed */
  reins_timeline_show_step (self, self->shown_step);
  g_object_notify (G_OBJECT (self), "filter");
  return TRUE;
}

const char *
reins_timeline_get_filter (ReinsTimeline *self)
{
  g_return_val_if_fail (REINS_IS_TIMELINE (self), NULL);

  return self->filter;
}

/**
 * reins_timeline_step_beside:
 * @index: a step number, or 0 for none
 * @forward: the next step rather than the previous one
 *
 * The listed step after (or before) step @index: with a filter, the next one it lets
 * through. From 0, the first (or the last) listed step.
 *
 * Returns: its number, or 0 when there is none
 */
guint
reins_timeline_step_beside (ReinsTimeline *self,
                            guint          index,
                            gboolean       forward)
{
  guint n_items, position;

  g_return_val_if_fail (REINS_IS_TIMELINE (self), 0);

  n_items = self->filtered != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) : 0;
  if (n_items == 0)
    return 0;
  if (index == 0)
    return reins_timeline_index_at (self, forward ? 0 : n_items - 1);

  position = reins_timeline_position_of (self, index);
  if (position == GTK_INVALID_LIST_POSITION)
    {
      /* A step the filter hides: the nearest listed one on that side */
      for (guint i = 0; i < n_items; i++)
        {
          guint at = reins_timeline_index_at (self, forward ? i : n_items - 1 - i);

          if (forward ? at > index : at < index)
            return at;
        }
      return 0;
    }
  if (forward ? position + 1 >= n_items : position == 0)
    return 0;
  return reins_timeline_index_at (self, forward ? position + 1 : position - 1);
}

/* What the list shows: the steps the filter lets through. */
GListModel *
reins_timeline_get_shown_steps (ReinsTimeline *self)
{
  g_return_val_if_fail (REINS_IS_TIMELINE (self), NULL);

  return G_LIST_MODEL (self->filtered);
}
