/* reins-chart.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A run at a glance: confidence per step against the threshold, cost against the budget,
 * and where the harness stepped in. This file holds the widget, its data, and its input:
 * zoom, pan, the brush and clicks; the drawing is reins-chart-draw.c.
 *
 * Drawn with GtkSnapshot in three bands: bars of confidence with the threshold as a dashed
 * line, the cumulative cost as a line scaled to the budget (or the cost, if it went over;
 * or, for a run that spent under a quarter of its budget, to the run's own cost),
 * and a strip of marks for the harness's verdicts. A run with more steps than the chart has
 * pixel columns is decimated: each column draws the minimum and maximum of its steps, so a
 * single low-confidence step or intervention is never averaged away. Colours come from the
 * style (libadwaita's named colours), so the chart follows light and dark.
 *
 * A long run can be read closer: the chart shows a window of its steps, which scrolling
 * (or a pinch, or + and −) narrows or widens around the pointer, a sideways scroll (or ←
 * and → while zoomed) moves, and 0 resets to the whole run. A drag across the chart (a
 * brush) selects a range of steps: the chart zooms to it and the timeline goes to its first
 * step; so does the action chart.select-range (first, last).
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "reins-chart-private.h"
#include "reins-format.h"

/* The fewest steps a zoomed chart shows, and how much one notch of the wheel zooms. */
#define MIN_VIEW      5
#define ZOOM_STEP     1.25
/* How far, in pixels, the pointer moves before a press becomes a brush. */
#define BRUSH_MIN_PX  6.0

G_DEFINE_FINAL_TYPE (ReinsChart, reins_chart, GTK_TYPE_WIDGET)

enum {
  STEP_ACTIVATED,
  N_SIGNALS
};

enum {
  PROP_0,
  PROP_ZOOMED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static guint signals[N_SIGNALS];

/* A run spends less than a quarter of its budget: its cost line gets its own scale. */
#define BUDGET_SCALE_SHARE 0.25

/**
 * reins_chart_get_cost_scale:
 * @budget_shown: (out) (optional): whether the budget is on the scale (drawn as a line)
 *
 * The cost at the top of the cost band. At a realistic budget a run spends a small part
 * of it, and a line scaled to the budget would lie flat along the bottom: the line is then
 * scaled to the run's own cost, and the budget left off. A run that spends a quarter of
 * its budget or more is drawn against it (or against its cost, once over).
 */
double
reins_chart_get_cost_scale (ReinsChart *self,
                            gboolean   *budget_shown)
{
  double spent = 0, scale;
  gboolean shown;

  g_return_val_if_fail (REINS_IS_CHART (self), 1);

  for (guint i = 0; i < self->n_points; i++)
    spent = MAX (spent, self->points[i].cost_total);
  shown = self->budget > 0 && spent >= self->budget * BUDGET_SCALE_SHARE;
  scale = shown ? MAX (self->budget, spent) : spent;
  if (scale <= 0)
    scale = self->budget > 0 ? self->budget : 1;
  if (budget_shown != NULL)
    *budget_shown = shown;
  return scale;
}


/* Zoom and pan ------------------------------------------------------------------------- */

static void
reins_chart_set_view (ReinsChart *self,
                      gint64      first,
                      guint       count)
{
  gboolean was_zoomed = reins_chart_get_zoomed (self);

  count = CLAMP (count, MIN (MIN_VIEW, self->n_points), self->n_points);
  first = CLAMP (first, 0, (gint64) (self->n_points - count));
  if (self->view_first == (guint) first && self->view_count == count)
    return;

  self->view_first = first;
  self->view_count = count;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (was_zoomed != reins_chart_get_zoomed (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOMED]);
}

/**
 * reins_chart_zoom:
 * @factor: more than 1 shows fewer steps (closer), less than 1 more
 * @x: the point, in the chart's coordinates, that stays where it is
 */
void
reins_chart_zoom (ReinsChart *self,
                  double      factor,
                  double      x)
{
  int width;
  double at, anchor;
  guint count;

  g_return_if_fail (REINS_IS_CHART (self));
  g_return_if_fail (factor > 0);

  width = gtk_widget_get_width (GTK_WIDGET (self));
  if (self->n_points == 0)
    return;
  at = width > 0 ? CLAMP (x / width, 0, 1) : 0.5;
  anchor = self->view_first + at * self->view_count;
  count = (guint) CLAMP (round (self->view_count / factor), 1, self->n_points);
  /* A zoom that rounds to no change still moves by one step, so + always does something. */
  if (count == self->view_count && factor > 1 && count > MIN_VIEW)
    count--;
  else if (count == self->view_count && factor < 1)
    count++;
  reins_chart_set_view (self, (gint64) round (anchor - at * count), count);
}

/**
 * reins_chart_select_range:
 * @first: the first step of the range, from 1
 * @last: the last step of the range
 *
 * Zooms the chart to the steps @first to @last (at least a few steps, within the run) and
 * emits ReinsChart::step-activated for @first, so the timeline shows them.
 */
void
reins_chart_select_range (ReinsChart *self,
                          guint       first,
                          guint       last)
{
  guint count;

  g_return_if_fail (REINS_IS_CHART (self));

  if (self->n_points == 0)
    return;
  if (first > last)
    {
      guint swap = first;

      first = last;
      last = swap;
    }
  first = CLAMP (first, 1, self->n_points);
  last = CLAMP (last, first, self->n_points);
  count = last - first + 1;
  /* A range narrower than the fewest steps a zoom shows is centred in them. */
  if (count < MIN_VIEW)
    reins_chart_set_view (self, (gint64) first - 1 - (MIN_VIEW - count) / 2, MIN_VIEW);
  else
    reins_chart_set_view (self, first - 1, count);
  g_signal_emit (self, signals[STEP_ACTIVATED], 0, first);
}

/**
 * reins_chart_brush:
 * @from_x: where the drag started, in the chart's coordinates
 * @to_x: where it ended
 *
 * Selects the steps between two points of the chart, as a drag across it does. Returns
 * %FALSE, and changes nothing, for a drag too short to be a brush.
 */
gboolean
reins_chart_brush (ReinsChart *self,
                   double      from_x,
                   double      to_x)
{
  int width;
  double left, right;

  g_return_val_if_fail (REINS_IS_CHART (self), FALSE);

  width = gtk_widget_get_width (GTK_WIDGET (self));
  if (self->n_points == 0 || width <= 0 || fabs (to_x - from_x) < BRUSH_MIN_PX)
    return FALSE;
  left = CLAMP (MIN (from_x, to_x), 0, width - 1);
  right = CLAMP (MAX (from_x, to_x), 0, width - 1);
  reins_chart_select_range (self, reins_chart_step_at (self, left),
                            reins_chart_step_at (self, right));
  return TRUE;
}

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               ReinsChart     *self)
{
  self->brushing = FALSE;
  self->brush_start = x;
  self->brush_end = x;
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                ReinsChart     *self)
{
  self->brush_end = self->brush_start + dx;
  if (!self->brushing && fabs (dx) >= BRUSH_MIN_PX)
    self->brushing = TRUE;
  if (self->brushing)
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
drag_end_cb (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             ReinsChart     *self)
{
  gboolean was_brushing = self->brushing;

  self->brushing = FALSE;
  if (was_brushing)
    {
      reins_chart_brush (self, self->brush_start, self->brush_start + dx);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

/* Moves a zoomed chart by @steps (negative: towards the start). */
void
reins_chart_pan (ReinsChart *self,
                 int         steps)
{
  g_return_if_fail (REINS_IS_CHART (self));

  reins_chart_set_view (self, (gint64) self->view_first + steps, self->view_count);
}

void
reins_chart_reset_zoom (ReinsChart *self)
{
  g_return_if_fail (REINS_IS_CHART (self));

  reins_chart_set_view (self, 0, self->n_points);
}

gboolean
reins_chart_get_zoomed (ReinsChart *self)
{
  g_return_val_if_fail (REINS_IS_CHART (self), FALSE);

  return self->view_count < self->n_points;
}

/* The steps shown: the first (from 1) and how many. */
void
reins_chart_get_view (ReinsChart *self,
                      guint      *first,
                      guint      *count)
{
  g_return_if_fail (REINS_IS_CHART (self));

  if (first != NULL)
    *first = self->n_points > 0 ? self->view_first + 1 : 0;
  if (count != NULL)
    *count = self->view_count;
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           ReinsChart               *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  double x = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0, y;
  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (controller));
  int pan;

  if (self->n_points == 0)
    return FALSE;
  if (event != NULL && gdk_event_get_position (event, &x, &y))
    {
      graphene_point_t point;
      GtkNative *native = gtk_widget_get_native (GTK_WIDGET (self));

      if (native != NULL &&
          gtk_widget_compute_point (GTK_WIDGET (native), GTK_WIDGET (self),
                                    &GRAPHENE_POINT_INIT (x, y), &point))
        x = point.x;
    }

  /* Sideways (or Shift and the wheel) moves; up and down zoom around the pointer. */
  if (dx == 0 && (state & GDK_SHIFT_MASK))
    {
      dx = dy;
      dy = 0;
    }
  if (dx != 0)
    {
      pan = (int) round (dx * MAX (1.0, self->view_count / 10.0));
      if (pan == 0)
        pan = dx > 0 ? 1 : -1;
      reins_chart_pan (self, pan);
      return TRUE;
    }
  if (dy != 0)
    reins_chart_zoom (self, pow (ZOOM_STEP, -dy), x);
  return TRUE;
}

static void
pinch_begin_cb (GtkGesture       *gesture,
                GdkEventSequence *sequence,
                ReinsChart       *self)
{
  self->pinch_scale = 1.0;
}

static void
pinch_scale_changed_cb (GtkGestureZoom *gesture,
                        double          scale,
                        ReinsChart     *self)
{
  double x, y;

  if (scale <= 0 || self->pinch_scale <= 0)
    return;
  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    x = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
  reins_chart_zoom (self, scale / self->pinch_scale, x);
  self->pinch_scale = scale;
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  ReinsChart *self = REINS_CHART (widget);
  double middle = gtk_widget_get_width (widget) / 2.0;

  if (g_str_equal (action_name, "chart.zoom-in"))
    reins_chart_zoom (self, 2.0, middle);
  else if (g_str_equal (action_name, "chart.zoom-out"))
    reins_chart_zoom (self, 0.5, middle);
  else if (g_str_equal (action_name, "chart.zoom-reset"))
    reins_chart_reset_zoom (self);
  else if (g_str_equal (action_name, "chart.pan-left"))
    reins_chart_pan (self, -(int) MAX (1, self->view_count / 10));
  else if (g_str_equal (action_name, "chart.pan-right"))
    reins_chart_pan (self, (int) MAX (1, self->view_count / 10));
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
  step = self->view_first + (guint) (x * self->view_count / width) + 1;
  return MIN (step, self->view_first + self->view_count);
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
select_range_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  guint first, last;

  g_variant_get (parameter, "(uu)", &first, &last);
  reins_chart_select_range (REINS_CHART (widget), first, last);
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
reins_chart_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  ReinsChart *self = REINS_CHART (object);

  switch (prop_id)
    {
    case PROP_ZOOMED:
      g_value_set_boolean (value, reins_chart_get_zoomed (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reins_chart_class_init (ReinsChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = reins_chart_finalize;
  object_class->get_property = reins_chart_get_property;
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

  /* Whether the chart shows fewer steps than the run has. */
  properties[PROP_ZOOMED] =
    g_param_spec_boolean ("zoomed", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "chart.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "chart.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "chart.zoom-reset", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "chart.select-range", "(uu)",
                                   select_range_action);
  gtk_widget_class_install_action (widget_class, "chart.pan-left", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "chart.pan-right", NULL, zoom_action);
  for (guint i = 0; i < 3; i++)
    {
      static const guint in[] = { GDK_KEY_plus, GDK_KEY_equal, GDK_KEY_KP_Add };
      static const guint out[] = { GDK_KEY_minus, GDK_KEY_underscore, GDK_KEY_KP_Subtract };

      gtk_widget_class_add_binding_action (widget_class, in[i], 0, "chart.zoom-in", NULL);
      gtk_widget_class_add_binding_action (widget_class, in[i], GDK_SHIFT_MASK,
                                           "chart.zoom-in", NULL);
      gtk_widget_class_add_binding_action (widget_class, out[i], 0, "chart.zoom-out", NULL);
    }
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, 0, "chart.zoom-reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, 0, "chart.zoom-reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "chart.pan-left", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "chart.pan-right", NULL);

  gtk_widget_class_set_css_name (widget_class, "reins-chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
reins_chart_init (ReinsChart *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *scroll =
    gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES |
                                     GTK_EVENT_CONTROLLER_SCROLL_DISCRETE);
  GtkGesture *pinch = gtk_gesture_zoom_new ();
  GtkGesture *drag = gtk_gesture_drag_new ();

  self->threshold = 0.7;
  self->budget = 1.0;

  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  g_signal_connect (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);
  g_signal_connect (pinch, "begin", G_CALLBACK (pinch_begin_cb), self);
  g_signal_connect (pinch, "scale-changed", G_CALLBACK (pinch_scale_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (pinch));
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  /* Tab reaches the chart, and + − 0 ← → work on it. */
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (style_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Confidence and cost per step"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("Drag across steps to show them, scroll, pinch or press "
                                    "+ and − to zoom, ← and → to move, 0 to show the whole run"),
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

  {
    gboolean was_zoomed = reins_chart_get_zoomed (self);

    g_clear_pointer (&self->points, g_free);
    self->points = n_points > 0 ? g_memdup2 (points, sizeof *points * n_points) : NULL;
    self->n_points = n_points;
    self->cursor = 0;
    /* A run that grows stays whole in view unless it was zoomed; a zoom keeps its steps. */
    if (!was_zoomed)
      {
        self->view_first = 0;
        self->view_count = n_points;
      }
    else
      {
        self->view_count = CLAMP (self->view_count, MIN (MIN_VIEW, n_points), n_points);
        self->view_first = MIN (self->view_first, n_points - self->view_count);
      }
    gtk_widget_queue_draw (GTK_WIDGET (self));
    if (was_zoomed != reins_chart_get_zoomed (self))
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOMED]);
  }
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
