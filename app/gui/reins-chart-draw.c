/* reins-chart-draw.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How the chart is drawn (ReinsChart's snapshot): bars of confidence with the threshold,
 * the cumulative cost against the budget, the strip of the harness's marks, the brush,
 * the replay cursor and the zoom label, in the style's colours. A column that holds more
 * than one step draws their minimum and maximum.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "reins-chart-private.h"
#include "reins-format.h"

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

void
reins_chart_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  ReinsChart *self = REINS_CHART (widget);
  float width = gtk_widget_get_width (widget);
  float height = gtk_widget_get_height (widget);
  float chart_height = height - MARK_BAND - GAP;
  GdkRGBA fg, accent, warning, error, success, grid, bar, low, cost_color;
  double max_cost;
  gboolean budget_shown;
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

  /* The cost keeps the scale of the whole run, so a zoomed line reads alike. */
  max_cost = reins_chart_get_cost_scale (self, &budget_shown);

  columns = MIN (self->view_count, (guint) MAX (1.0f, width));
  column_width = width / columns;

  for (guint c = 0; c < columns; c++)
    {
      guint first = self->view_first + (guint) ((guint64) c * self->view_count / columns);
      guint last = self->view_first + (guint) ((guint64) (c + 1) * self->view_count / columns);
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

  /* The budget, if it is on the scale: a faint line at the top of the cost scale (or under
   * it, once the cost went over). */
  if (budget_shown)
    {
      float y = chart_height * (1 - self->budget / max_cost);
      GdkRGBA line = fg;

      line.alpha = 0.35f;
      for (float x = 0; x < width; x += 4)
        append_rect (snapshot, &line, x, y - 0.5f, MIN (2, width - x), 1);
    }

  /* A brush being dragged: the steps it will select. */
  if (self->brushing)
    {
      GdkRGBA shade = accent;
      float from = CLAMP (MIN (self->brush_start, self->brush_end), 0, width);
      float to = CLAMP (MAX (self->brush_start, self->brush_end), 0, width);

      shade.alpha = 0.25f;
      append_rect (snapshot, &shade, from, 0, to - from, chart_height);
      append_rect (snapshot, &accent, from, 0, 1, chart_height);
      append_rect (snapshot, &accent, to - 1, 0, 1, chart_height);
    }

  /* The replay cursor. */
  if (self->cursor > self->view_first && self->cursor <= self->view_first + self->view_count)
    {
      float x = (self->cursor - self->view_first - 0.5f) * width / self->view_count;
      append_rect (snapshot, &fg, x - 1, 0, 2, height);
    }

  /* Zoomed: which steps these are, in a corner. */
  if (reins_chart_get_zoomed (self))
    {
      /* Translators: over a zoomed chart: the first and last step shown, and how many the
       * run has */
      g_autofree char *text = g_strdup_printf (_("Steps %u–%u of %u · 0 shows all"),
                                               self->view_first + 1,
                                               self->view_first + self->view_count,
                                               self->n_points);
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
      PangoAttrList *attrs = pango_attr_list_new ();
      int text_width, text_height;
      GdkRGBA back;

      pango_attr_list_insert (attrs, pango_attr_scale_new (0.8));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
      pango_layout_get_pixel_size (layout, &text_width, &text_height);
      lookup_color (widget, "view_bg_color", &back, "#ffffff");
      back.alpha = 0.85f;
      append_rect (snapshot, &back, width - text_width - 8, 0, text_width + 8, text_height + 2);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (width - text_width - 4, 1));
      gtk_snapshot_append_layout (snapshot, layout, &fg);
      gtk_snapshot_restore (snapshot);
    }
}
