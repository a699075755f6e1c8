/* reins-test-rows.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the timeline tests share about step rows: how many are compact (bound while the
 * timeline caught up with rows faster than a frame affords), in all or in sight.
 */

#pragma once

#include <gtk/gtk.h>

#include "reins-step-row.h"

G_BEGIN_DECLS

/* The compact step rows under @widget: all of them, or with @in_sight those a person can see
 * in their scrolled window. */
static inline guint
reins_test_count_compact_rows (GtkWidget *widget,
                               gboolean   in_sight)
{
  guint n = 0;

  if (REINS_IS_STEP_ROW (widget) && reins_step_row_get_compact (REINS_STEP_ROW (widget)))
    {
      GtkWidget *scroller = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
      graphene_rect_t bounds;

      return !in_sight ||
             (scroller != NULL && gtk_widget_compute_bounds (widget, scroller, &bounds) &&
              bounds.origin.y + bounds.size.height > 0 &&
              bounds.origin.y < gtk_widget_get_height (scroller));
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    n += reins_test_count_compact_rows (c, in_sight);
  return n;
}

/* A condition: no compact row under the widget @data is in sight. */
static inline gboolean
reins_test_no_compact_row_in_sight (gpointer data)
{
  return reins_test_count_compact_rows (data, TRUE) == 0;
}

G_END_DECLS
