/* reins-chart.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A run at a glance: confidence per step against the threshold, cost against the budget,
 * and where the harness stepped in.
 */

#pragma once

#include <gtk/gtk.h>

#include "reins-domain.h"

G_BEGIN_DECLS

/* One step as the chart needs it: a few bytes, so a run of 100,000 steps is cheap. */
typedef struct
{
  float   confidence;   /* 0..1, or < 0 when the step has none */
  float   cost_total;   /* USD spent up to and including this step */
  guint8  worst;        /* ReinsVerdictKind of the most severe stored verdict */
  guint8  marked;       /* 0, or the ReinsVerdictKind a what-if gives this step */
} ReinsChartPoint;

#define REINS_TYPE_CHART (reins_chart_get_type ())

G_DECLARE_FINAL_TYPE (ReinsChart, reins_chart, REINS, CHART, GtkWidget)

GtkWidget *reins_chart_new           (void);
void       reins_chart_set_points    (ReinsChart            *self,
                                      const ReinsChartPoint *points,
                                      guint                  n_points);
guint      reins_chart_get_n_points  (ReinsChart            *self);
const ReinsChartPoint *reins_chart_get_points (ReinsChart   *self);
void       reins_chart_set_threshold (ReinsChart            *self,
                                      double                 threshold);
double     reins_chart_get_threshold (ReinsChart            *self);
void       reins_chart_set_budget    (ReinsChart            *self,
                                      double                 budget_usd);
double     reins_chart_get_cost_scale (ReinsChart           *self,
                                       gboolean             *budget_shown);
void       reins_chart_set_cursor    (ReinsChart            *self,
                                      guint                  step);
guint      reins_chart_get_cursor    (ReinsChart            *self);
void       reins_chart_set_marks     (ReinsChart            *self,
                                      const guint8          *kinds,
                                      guint                  n_kinds);
guint      reins_chart_step_at       (ReinsChart            *self,
                                      double                 x);
void       reins_chart_zoom          (ReinsChart            *self,
                                      double                 factor,
                                      double                 x);
void       reins_chart_pan           (ReinsChart            *self,
                                      int                    steps);
void       reins_chart_reset_zoom    (ReinsChart            *self);
void       reins_chart_select_range  (ReinsChart            *self,
                                      guint                  first,
                                      guint                  last);
gboolean   reins_chart_brush         (ReinsChart            *self,
                                      double                 from_x,
                                      double                 to_x);
gboolean   reins_chart_get_zoomed    (ReinsChart            *self);
void       reins_chart_get_view      (ReinsChart            *self,
                                      guint                 *first,
                                      guint                 *count);
void       reins_chart_point_from_step (ReinsChartPoint     *point,
                                        ReinsStep           *step);

G_END_DECLS
