/* reins-chart.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A run at a glance: confidence per step against the threshold, cost against the budget,
 * and where the harness stepped in.
 *
 * Drawn with GtkSnapshot in three bands: bars of confidence with the threshold as a dashed
 * line, the cumulative cost as a line scaled to the budget (or the cost, if it went over),
 * and a strip of marks for the harness's verdicts. A run with more steps than the chart has
 * pixel columns is decimated: each column draws the minimum and maximum of its steps, so a
 * single low-confidence step or intervention is never averaged away. Colours come from the
 * style (libadwaita's named colours), so the chart follows light and dark.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "reins-chart.h"
#include "reins-format.h"

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
};

G_DEFINE_FINAL_TYPE (ReinsChart, reins_chart, GTK_TYPE_WIDGET)

enum {
  STEP_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
lookup_color (GtkWidget  *widget,
              const char *name,
              GdkRGBA    *color,
              const char *fallback)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);

  if (!gtk_style_context_lookup_color (context, name, color))
    gdk_rgba_parse (color, fallback);
}

static void
append_rect (GtkSnapshot   *snapshot,
             const GdkRGBA *color,
             float          x,
             float          y,
             float          width,
             float          height)
{
  if (width <= 0 || height <= 0)
    return;
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x, y, width, height));
}

static guint8
max_kind (guint8 a,
          guint8 b)
{
  return MAX (a, b);
}

static void
reins_chart_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  ReinsChart *self = REINS_CHART (widget);
  float width = gtk_widget_get_width (widget);
  float height = gtk_widget_get_height (widget);
  float chart_height = height - MARK_BAND - GAP;
  GdkRGBA fg, accent, warning, error, success, grid, bar, low, cost_color;
  double max_cost;
  guint columns;
  float column_width;
  float last_cost_y = -1;

  if (self->n_points == 0 || width <= 0 || chart_height <= 0)
    return;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  lookup_color (widget, "accent_color", &accent, "#1c71d8");
  lookup_color (widget, "warning_color", &warning, "#9c6e03");
  lookup_color (widget, "error_color", &error, "#c01c28");
  lookup_color (widget, "success_color", &success, "#1b8553");
  grid = fg;
  grid.alpha = 0.12f;
  bar = accent;
  bar.alpha = 0.55f;
  low = warning;
  low.alpha = 0.85f;
  cost_color = fg;
  cost_color.alpha = 0.8f;

  /* Background grid: the 0 and 1 of confidence. */
  append_rect (snapshot, &grid, 0, chart_height - 1, width, 1);
  append_rect (snapshot, &grid, 0, 0, width, 1);

  max_cost = self->budget;
  for (guint i = 0; i < self->n_points; i++)
    max_cost = MAX (max_cost, self->points[i].cost_total);
  if (max_cost <= 0)
    max_cost = 1;

  columns = MIN (self->n_points, (guint) MAX (1.0f, width));
  column_width = width / columns;

  for (guint c = 0; c < columns; c++)
    {
      guint first = (guint) ((guint64) c * self->n_points / columns);
      guint last = (guint) ((guint64) (c + 1) * self->n_points / columns);
      float min_conf = 2, max_conf = -1;
      float min_cost = G_MAXFLOAT, max_cost_c = 0;
      guint8 worst = 0, marked = 0;
      float x = c * column_width;
      float bar_width = column_width > 3 ? column_width - 1 : column_width;

      if (last <= first)
        last = first + 1;
      for (guint i = first; i < last && i < self->n_points; i++)
        {
          const ReinsChartPoint *p = &self->points[i];

          if (p->confidence >= 0)
            {
              min_conf = MIN (min_conf, p->confidence);
              max_conf = MAX (max_conf, p->confidence);
            }
          min_cost = MIN (min_cost, p->cost_total);
          max_cost_c = MAX (max_cost_c, p->cost_total);
          worst = max_kind (worst, p->worst);
          marked = max_kind (marked, p->marked);
        }

      /* The bar reaches the best step of the column; a step below the threshold colours it. */
      if (max_conf >= 0)
        {
          float top = chart_height * (1 - max_conf);
          float bottom_of_min = chart_height * (1 - min_conf);

          append_rect (snapshot, min_conf < self->threshold ? &low : &bar,
                       x, top, bar_width, chart_height - top);
          if (min_conf < max_conf)
            {
              GdkRGBA tick = min_conf < self->threshold ? warning : accent;
              append_rect (snapshot, &tick, x, bottom_of_min - 1, bar_width, 2);
            }
        }

      /* Cost: a line through the columns; a column of many steps spans its min and max. */
      {
        float y_min = chart_height * (1 - max_cost_c / max_cost);
        float y_max = chart_height * (1 - min_cost / max_cost);
        float x_mid = x + column_width / 2;

        if (last_cost_y >= 0)
          {
            float from = MIN (last_cost_y, y_min), to = MAX (last_cost_y, y_max);
            append_rect (snapshot, &cost_color, x_mid - column_width / 2 - 1, from, 2,
                         MAX (2, to - from));
          }
        append_rect (snapshot, &cost_color, x_mid - column_width / 2, y_min - 1,
                     column_width, MAX (2, y_max - y_min + 1));
        last_cost_y = (y_min + y_max) / 2;
      }

      /* Interventions: a mark per column, coloured by how severe. */
      if (worst > REINS_VERDICT_ALLOW)
        append_rect (snapshot,
                     worst >= REINS_VERDICT_TERMINATE ? &error :
                     worst >= REINS_VERDICT_ASK ? &warning : &accent,
                     x, chart_height + GAP, MAX (2, bar_width), MARK_BAND / 2);
      /* What a what-if would do: dotted, under the stored marks, so the two read apart. */
      if (marked > REINS_VERDICT_ALLOW)
        {
          GdkRGBA m = marked >= REINS_VERDICT_TERMINATE ? error :
                      marked >= REINS_VERDICT_ASK ? warning : accent;
          float w = MAX (2, bar_width);

          for (float dx = 0; dx < w; dx += 4)
            append_rect (snapshot, &m, x + dx, chart_height + GAP + MARK_BAND / 2 + 1,
                         MIN (2, w - dx), MARK_BAND / 2 - 1);
        }
    }

  /* The threshold, dashed. */
  {
    float y = chart_height * (1 - self->threshold);
    GdkRGBA line = error;

    line.alpha = 0.8f;
    for (float x = 0; x < width; x += 8)
      append_rect (snapshot, &line, x, y - 0.5f, MIN (5, width - x), 1.5f);
  }

  /* The budget, if the cost stays under it: a faint line at the top of the cost scale. */
  if (self->budget > 0)
    {
      float y = chart_height * (1 - self->budget / max_cost);
      GdkRGBA line = fg;

      line.alpha = 0.35f;
      for (float x = 0; x < width; x += 4)
        append_rect (snapshot, &line, x, y - 0.5f, MIN (2, width - x), 1);
    }

  /* The replay cursor. */
  if (self->cursor > 0 && self->cursor <= self->n_points)
    {
      float x = (self->cursor - 0.5f) * width / self->n_points;
      append_rect (snapshot, &fg, x - 1, 0, 2, height);
    }
}

static void
reins_chart_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 120;
      *natural = 600;
    }
  else
    {
      *minimum = 60;
      *natural = 96;
    }
}

/* The step (from 1) under @x, or 0. */
guint
reins_chart_step_at (ReinsChart *self,
                     double      x)
{
  int width;
  guint step;

  g_return_val_if_fail (REINS_IS_CHART (self), 0);

  width = gtk_widget_get_width (GTK_WIDGET (self));
  if (self->n_points == 0 || width <= 0 || x < 0 || x >= width)
    return 0;
  step = (guint) (x * self->n_points / width) + 1;
  return MIN (step, self->n_points);
}

static void
pressed_cb (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            ReinsChart      *self)
{
  guint step = reins_chart_step_at (self, x);

  if (step > 0)
    g_signal_emit (self, signals[STEP_ACTIVATED], 0, step);
}

static gboolean
query_tooltip_cb (ReinsChart *self,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip)
{
  guint step = reins_chart_step_at (self, x);
  const ReinsChartPoint *p;
  g_autofree char *cost = NULL;
  g_autofree char *confidence = NULL;
  g_autofree char *text = NULL;

  if (step == 0)
    return FALSE;

  p = &self->points[step - 1];
  cost = reins_format_cost (p->cost_total);
  confidence = p->confidence >= 0 ? g_strdup_printf ("%.0f %%", p->confidence * 100)
                                  : g_strdup (_("none"));
  /* Translators: a tooltip over the run chart: step number, confidence, cost so far */
  text = g_strdup_printf (_("Step %u · confidence %s · %s so far"), step, confidence, cost);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
style_changed_cb (ReinsChart *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
reins_chart_finalize (GObject *object)
{
  ReinsChart *self = (ReinsChart *)object;

  g_clear_pointer (&self->points, g_free);

  G_OBJECT_CLASS (reins_chart_parent_class)->finalize (object);
}

static void
reins_chart_class_init (ReinsChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = reins_chart_finalize;
  widget_class->snapshot = reins_chart_snapshot;
  widget_class->measure = reins_chart_measure;

  /**
   * ReinsChart::step-activated:
   * @step: the step clicked, from 1
   */
  signals[STEP_ACTIVATED] =
    g_signal_new ("step-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_css_name (widget_class, "reins-chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
reins_chart_init (ReinsChart *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  self->threshold = 0.7;
  self->budget = 1.0;

  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (style_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Confidence and cost per step"),
                                  -1);
}

GtkWidget *
reins_chart_new (void)
{
  return g_object_new (REINS_TYPE_CHART, NULL);
}

void
reins_chart_set_points (ReinsChart            *self,
                        const ReinsChartPoint *points,
                        guint                  n_points)
{
  g_return_if_fail (REINS_IS_CHART (self));
  g_return_if_fail (points != NULL || n_points == 0);

  g_clear_pointer (&self->points, g_free);
  self->points = n_points > 0 ? g_memdup2 (points, sizeof *points * n_points) : NULL;
  self->n_points = n_points;
  self->cursor = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
reins_chart_get_n_points (ReinsChart *self)
{
  g_return_val_if_fail (REINS_IS_CHART (self), 0);

  return self->n_points;
}

const ReinsChartPoint *
reins_chart_get_points (ReinsChart *self)
{
  g_return_val_if_fail (REINS_IS_CHART (self), NULL);

  return self->points;
}

void
reins_chart_set_threshold (ReinsChart *self,
                           double      threshold)
{
  g_return_if_fail (REINS_IS_CHART (self));

  self->threshold = CLAMP (threshold, 0, 1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

double
reins_chart_get_threshold (ReinsChart *self)
{
  g_return_val_if_fail (REINS_IS_CHART (self), 0);

  return self->threshold;
}

void
reins_chart_set_budget (ReinsChart *self,
                        double      budget_usd)
{
  g_return_if_fail (REINS_IS_CHART (self));

  self->budget = MAX (budget_usd, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Where a replay is: a line at @step, or none for 0. */
void
reins_chart_set_cursor (ReinsChart *self,
                        guint       step)
{
  g_return_if_fail (REINS_IS_CHART (self));

  if (self->cursor == step)
    return;
  self->cursor = step;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
reins_chart_get_cursor (ReinsChart *self)
{
  g_return_val_if_fail (REINS_IS_CHART (self), 0);

  return self->cursor;
}

/* What a what-if gives each step (a ReinsVerdictKind per step; NULL clears them). */
void
reins_chart_set_marks (ReinsChart   *self,
                       const guint8 *kinds,
                       guint         n_kinds)
{
  g_return_if_fail (REINS_IS_CHART (self));

  for (guint i = 0; i < self->n_points; i++)
    self->points[i].marked = kinds != NULL && i < n_kinds ? kinds[i] : 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Fills @point from a stored step. */
void
reins_chart_point_from_step (ReinsChartPoint *point,
                             ReinsStep       *step)
{
  g_return_if_fail (point != NULL);
  g_return_if_fail (REINS_IS_STEP (step));

  point->confidence = reins_step_has_confidence (step) ? reins_step_get_confidence (step) : -1;
  point->cost_total = reins_step_get_cost_total_usd (step);
  point->worst = reins_step_get_worst_verdict (step);
  point->marked = 0;
}
