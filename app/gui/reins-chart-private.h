/* reins-chart-private.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What reins-chart.c (the widget and its input) and reins-chart-draw.c (its drawing) share:
 * the instance struct and the bands' sizes.
 */

#pragma once

#include "reins-chart.h"

G_BEGIN_DECLS

#define MARK_BAND     10.0
#define GAP           4.0

struct _ReinsChart
{
  GtkWidget        parent_instance;

  ReinsChartPoint *points;
  guint            n_points;
  double           threshold;
  double           budget;
  guint            cursor;
  /* The steps shown: view_first (from 0) and view_count of them; all when not zoomed. */
  guint            view_first;
  guint            view_count;
  double           pinch_scale;
  /* A drag in progress: where it started and where the pointer is, in pixels. */
  gboolean         brushing;
  double           brush_start;
  double           brush_end;
};

void reins_chart_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot);

G_END_DECLS
