/* reins-completion-chart.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A bar a day, oldest on the left: the runs that completed at the bottom in green, the ones
 * that failed or were stopped above them in red. Hovering a bar says its day's figures; the
 * whole chart's figures are its accessible description, a sentence a day with runs.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-completion-chart.h"

#define BAR_GAP 4.0f
#define MIN_HEIGHT 88
#define MIN_BAR_WIDTH 6

struct _ReinsCompletionChart
{
  GtkWidget      parent_instance;

  GArray        *days;  /* ReinsStoreDay, oldest first */
  guint          most;  /* the most runs in a day */
  char          *description;
};

G_DEFINE_FINAL_TYPE (ReinsCompletionChart, reins_completion_chart, GTK_TYPE_WIDGET)

static void
lookup_color (GtkWidget  *widget,
              const char *name,
              GdkRGBA    *color,
              const char *fallback)
{
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), name, color))
    gdk_rgba_parse (color, fallback);
}

static char *
day_name (const ReinsStoreDay *day)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (day->start_us / G_USEC_PER_SEC);

  /* Translators: a day in the overview's completion chart, see g_date_time_format() */
  return time != NULL ? g_date_time_format (time, _("%b %-d")) : g_strdup ("?");
}

/* Returns: (transfer full): @day's date as the chart names it ("Nov 16"), "" past the last */
char *
reins_completion_chart_get_day_name (ReinsCompletionChart *self,
                                     guint                 day)
{
  g_return_val_if_fail (REINS_IS_COMPLETION_CHART (self), NULL);

  if (day >= self->days->len)
    return g_strdup ("");
  return day_name (&g_array_index (self->days, ReinsStoreDay, day));
}

/**
 * reins_completion_chart_describe_day:
 * @day: the day, 0 the oldest
 *
 * Returns: (transfer full) (nullable): what the chart says of @day, e.g. "Nov 28: 3
 * completed, 1 failed or stopped", or %NULL past the last day
 */
char *
reins_completion_chart_describe_day (ReinsCompletionChart *self,
                                     guint                 day)
{
  const ReinsStoreDay *figures;
  g_autofree char *name = NULL;
  g_autofree char *completed = NULL;
  g_autofree char *not_completed = NULL;

  g_return_val_if_fail (REINS_IS_COMPLETION_CHART (self), NULL);

  if (day >= self->days->len)
    return NULL;
  figures = &g_array_index (self->days, ReinsStoreDay, day);
  name = day_name (figures);
  completed = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u completed", "%u completed",
                                            figures->completed),
                               figures->completed);
  not_completed = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u failed or stopped",
                                                "%u failed or stopped",
                                                figures->not_completed),
                                   figures->not_completed);
  /* Translators: a day of the completion chart: "Nov 28: 3 completed, 1 failed or stopped" */
  return g_strdup_printf (_("%s: %s, %s"), name, completed, not_completed);
}

static void
reins_completion_chart_update_description (ReinsCompletionChart *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < self->days->len; i++)
    {
      const ReinsStoreDay *day = &g_array_index (self->days, ReinsStoreDay, i);
      g_autofree char *sentence = NULL;

      if (day->completed + day->not_completed == 0)
        continue;
      sentence = reins_completion_chart_describe_day (self, i);
      if (text->len > 0)
        g_string_append (text, "; ");
      g_string_append (text, sentence);
    }
  if (text->len == 0)
    g_string_append (text, _("No run ended in these days."));
  else
    g_string_append (text, ".");
  g_free (self->description);
  self->description = g_string_free (g_steal_pointer (&text), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->description,
                                  -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), NULL);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
}

/**
 * reins_completion_chart_set_days:
 * @days: (array length=n_days): the days, oldest first
 *
 * Shows @days, and says them in the chart's accessible description.
 */
void
reins_completion_chart_set_days (ReinsCompletionChart *self,
                                 const ReinsStoreDay  *days,
                                 guint                 n_days)
{
  g_return_if_fail (REINS_IS_COMPLETION_CHART (self));
  g_return_if_fail (days != NULL || n_days == 0);

  g_array_set_size (self->days, 0);
  if (n_days > 0)
    g_array_append_vals (self->days, days, n_days);
  self->most = 0;
  for (guint i = 0; i < n_days; i++)
    self->most = MAX (self->most, days[i].completed + days[i].not_completed);
  reins_completion_chart_update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The chart's figures as text, the accessible description. */
const char *
reins_completion_chart_get_description (ReinsCompletionChart *self)
{
  g_return_val_if_fail (REINS_IS_COMPLETION_CHART (self), NULL);

  return self->description;
}

/* The day whose bar is at @x, or -1. */
int
reins_completion_chart_day_at (ReinsCompletionChart *self,
                               double                x)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int day;

  g_return_val_if_fail (REINS_IS_COMPLETION_CHART (self), -1);

  if (self->days->len == 0 || width <= 0 || x < 0 || x >= width)
    return -1;
  day = (int) (x * self->days->len / width);
  return CLAMP (day, 0, (int) self->days->len - 1);
}

static gboolean
reins_completion_chart_query_tooltip (GtkWidget  *widget,
                                      int         x,
                                      int         y,
                                      gboolean    keyboard,
                                      GtkTooltip *tooltip)
{
  ReinsCompletionChart *self = REINS_COMPLETION_CHART (widget);
  g_autofree char *text = NULL;
  int day = keyboard ? (int) self->days->len - 1 : reins_completion_chart_day_at (self, x);

  if (day < 0 || (text = reins_completion_chart_describe_day (self, day)) == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
reins_completion_chart_snapshot (GtkWidget   *widget,
                                 GtkSnapshot *snapshot)
{
  ReinsCompletionChart *self = REINS_COMPLETION_CHART (widget);
  float width = gtk_widget_get_width (widget);
  float height = gtk_widget_get_height (widget);
  float slot;
  GdkRGBA success, error, base;

  if (self->days->len == 0 || width <= 0 || height <= 0)
    return;
  lookup_color (widget, "success_color", &success, "#1b8553");
  lookup_color (widget, "error_color", &error, "#c01c28");
  lookup_color (widget, "window_fg_color", &base, "#000000");
  base.alpha = 0.15f;

  slot = width / self->days->len;
  for (guint i = 0; i < self->days->len; i++)
    {
      const ReinsStoreDay *day = &g_array_index (self->days, ReinsStoreDay, i);
      float x = i * slot + BAR_GAP / 2;
      float bar = MAX (slot - BAR_GAP, 1);
      float done = self->most > 0 ? (height - 1) * day->completed / self->most : 0;
      float not_done = self->most > 0 ? (height - 1) * day->not_completed / self->most : 0;

      /* The base line marks every day, those without runs too. */
      gtk_snapshot_append_color (snapshot, &base, &GRAPHENE_RECT_INIT (x, height - 1, bar, 1));
      if (done > 0)
        gtk_snapshot_append_color (snapshot, &success,
                                   &GRAPHENE_RECT_INIT (x, height - 1 - done, bar, done));
      if (not_done > 0)
        gtk_snapshot_append_color (snapshot, &error,
                                   &GRAPHENE_RECT_INIT (x, height - 1 - done - not_done, bar,
                                                        not_done));
    }
}

static void
reins_completion_chart_measure (GtkWidget      *widget,
                                GtkOrientation  orientation,
                                int             for_size,
                                int            *minimum,
                                int            *natural,
                                int            *minimum_baseline,
                                int            *natural_baseline)
{
  ReinsCompletionChart *self = REINS_COMPLETION_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = MAX (self->days->len, 1) * MIN_BAR_WIDTH;
      *natural = *minimum * 4;
    }
  else
    *minimum = *natural = MIN_HEIGHT;
}

static void
reins_completion_chart_finalize (GObject *object)
{
  ReinsCompletionChart *self = (ReinsCompletionChart *)object;

  g_clear_pointer (&self->days, g_array_unref);
  g_clear_pointer (&self->description, g_free);

  G_OBJECT_CLASS (reins_completion_chart_parent_class)->finalize (object);
}

static void
reins_completion_chart_class_init (ReinsCompletionChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = reins_completion_chart_finalize;
  widget_class->snapshot = reins_completion_chart_snapshot;
  widget_class->measure = reins_completion_chart_measure;
  widget_class->query_tooltip = reins_completion_chart_query_tooltip;
  gtk_widget_class_set_css_name (widget_class, "completionchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
reins_completion_chart_init (ReinsCompletionChart *self)
{
  self->days = g_array_new (FALSE, TRUE, sizeof (ReinsStoreDay));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Runs completed and failed or stopped, a bar a day"),
                                  -1);
  reins_completion_chart_update_description (self);
}

GtkWidget *
reins_completion_chart_new (void)
{
  return g_object_new (REINS_TYPE_COMPLETION_CHART, NULL);
}
