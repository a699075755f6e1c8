/* reins-bench-page.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Starts a bench on the simulator and shows it as it runs: the table of `reins-cli bench`
 * (the same cells) and a bar per set-up of right, wrong and no answers.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-bench-page.h"
#include "reins-run-options.h"
#include "reins-store.h"

/* One line of the table: the cells as reins_bench_result_format() gives them. */
#define REINS_TYPE_BENCH_ROW (reins_bench_row_get_type ())
G_DECLARE_FINAL_TYPE (ReinsBenchRow, reins_bench_row, REINS, BENCH_ROW, GObject)

struct _ReinsBenchRow
{
  GObject  parent_instance;
  GStrv    cells;
};

G_DEFINE_FINAL_TYPE (ReinsBenchRow, reins_bench_row, G_TYPE_OBJECT)

static void
reins_bench_row_finalize (GObject *object)
{
  g_strfreev (REINS_BENCH_ROW (object)->cells);
  G_OBJECT_CLASS (reins_bench_row_parent_class)->finalize (object);
}

static void
reins_bench_row_class_init (ReinsBenchRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = reins_bench_row_finalize;
}

static void
reins_bench_row_init (ReinsBenchRow *self)
{
}

struct _ReinsBenchPage
{
  AdwBin               parent_instance;

  char                *store_path;
  ReinsBench          *bench;
  GListStore          *rows;
  GPtrArray           *results;    /* ReinsBenchResult, for the chart */

  GtkSpinButton       *tasks_spin;
  GtkSpinButton       *length_spin;
  GtkSpinButton       *accuracy_spin;
  AdwComboRow         *person_row;
  GtkSwitch           *ablations_switch;
  GtkButton           *start_button;
  AdwPreferencesGroup *results_group;
  GtkProgressBar      *progress_bar;
  GtkColumnView       *column_view;
  GtkDrawingArea      *chart;
  GtkDropDown         *stored_dropdown;
  GtkStringList       *stored_list;
  GPtrArray           *stored_ids;  /* of the dropdown's items */
  gboolean             listing;
};

G_DEFINE_FINAL_TYPE (ReinsBenchPage, reins_bench_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_BENCH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---------------------------------------------------------------------------------------
 * The table and the chart
 */

static void
cell_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  column)
{
  GtkWidget *label = gtk_label_new (NULL);

  /* The set-up's name on the left, the figures on the right. */
  gtk_label_set_xalign (GTK_LABEL (label), GPOINTER_TO_UINT (column) == 0 ? 0.0 : 1.0);
  if (GPOINTER_TO_UINT (column) > 0)
    gtk_widget_add_css_class (label, "numeric");
  gtk_widget_set_margin_start (label, 6);
  gtk_widget_set_margin_end (label, 6);
  gtk_list_item_set_child (item, label);
}

static void
cell_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  column)
{
  ReinsBenchRow *row = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)),
                      row->cells[GPOINTER_TO_UINT (column)]);
}

static void
add_columns (ReinsBenchPage *self)
{
  for (guint c = 0; c < REINS_BENCH_N_COLUMNS; c++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_signal_connect (factory, "setup", G_CALLBACK (cell_setup_cb), GUINT_TO_POINTER (c));
      g_signal_connect (factory, "bind", G_CALLBACK (cell_bind_cb), GUINT_TO_POINTER (c));
      column = gtk_column_view_column_new (reins_bench_column_title (c), factory);
      gtk_column_view_column_set_expand (column, c == 0);
      gtk_column_view_append_column (self->column_view, column);
    }
}

/* The theme's colours of right, wrong and no answer. */
static void
set_source (GtkWidget *widget,
            cairo_t   *cr,
            guint      kind)
{
  static const char * const names[3] = { "success_color", "error_color", "insensitive_fg_color" };
  static const char * const fallbacks[3] = { "#26a269", "#c01c28", "#929292" };
  GdkRGBA color;

  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), names[kind], &color))
    gdk_rgba_parse (&color, fallbacks[kind]);
  gdk_cairo_set_source_rgba (cr, &color);
}

/* A bar per set-up: right, wrong and no answer side by side, in shares of its runs. */
static void
chart_draw_cb (GtkDrawingArea *area,
               cairo_t        *cr,
               int             width,
               int             height,
               gpointer        data)
{
  ReinsBenchPage *self = data;
  const char *legend[3] = { _("right"), _("wrong"), _("no answer") };
  const double row_height = 24, label_width = MIN (200, width / 3);
  GdkRGBA fg;
  double x = label_width;

  if (self->results == NULL || self->results->len == 0)
    return;

  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &fg);

  for (guint k = 0; k < 3; k++)
    {
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (area), legend[k]);
      int text_width;

      set_source (GTK_WIDGET (area), cr, k);
      cairo_rectangle (cr, x, 6, 12, 12);
      cairo_fill (cr);
      pango_layout_get_pixel_size (layout, &text_width, NULL);
      gdk_cairo_set_source_rgba (cr, &fg);
      cairo_move_to (cr, x + 16, 2);
      pango_cairo_show_layout (cr, layout);
      x += 16 + text_width + 18;
    }

  for (guint i = 0; i < self->results->len; i++)
    {
      ReinsBenchResult *r = g_ptr_array_index (self->results, i);
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (area), r->name);
      double y = (i + 1) * row_height + 4;
      guint counts[3] = { r->right, r->wrong, r->none };
      double bar_x = label_width;

      pango_layout_set_width (layout, (int) (label_width - 8) * PANGO_SCALE);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      gdk_cairo_set_source_rgba (cr, &fg);
      cairo_move_to (cr, 0, y);
      pango_cairo_show_layout (cr, layout);

      for (guint k = 0; k < 3 && r->runs > 0; k++)
        {
          double w = (width - label_width) * counts[k] / r->runs;

          set_source (GTK_WIDGET (area), cr, k);
          cairo_rectangle (cr, bar_x, y + 2, w, row_height - 8);
          cairo_fill (cr);
          bar_x += w;
        }
    }
}

static void
refresh (ReinsBenchPage *self)
{
  g_autofree char *description = NULL;
  guint done, total;

  g_clear_pointer (&self->results, g_ptr_array_unref);
  g_list_store_remove_all (self->rows);

  if (self->bench == NULL)
    {
      adw_preferences_group_set_description (self->results_group, _("No bench yet."));
      gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
      gtk_widget_queue_draw (GTK_WIDGET (self->chart));
      return;
    }

  self->results = reins_bench_dup_results (self->bench);
  for (guint i = 0; i < self->results->len; i++)
    {
      g_autoptr(ReinsBenchRow) row = g_object_new (REINS_TYPE_BENCH_ROW, NULL);

      row->cells = reins_bench_result_format (g_ptr_array_index (self->results, i));
      g_list_store_append (self->rows, row);
    }

  description = reins_bench_describe (self->bench);
  adw_preferences_group_set_description (self->results_group, description);

  done = reins_bench_get_n_done (self->bench);
  total = reins_bench_get_n_total (self->bench);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), reins_bench_is_running (self->bench));
  gtk_progress_bar_set_fraction (self->progress_bar, total > 0 ? (double) done / total : 0);
  {
    g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u run",
                                                          "%u of %u runs", total),
                                             done, total);

    gtk_progress_bar_set_text (self->progress_bar, text);
  }

  gtk_drawing_area_set_content_height (self->chart, (int) (self->results->len + 1) * 24 + 8);
  gtk_widget_queue_draw (GTK_WIDGET (self->chart));
}

static void
update_actions (ReinsBenchPage *self)
{
  gboolean running = self->bench != NULL && reins_bench_is_running (self->bench);

  gtk_button_set_label (self->start_button, running ? _("_Stop") : _("_Start"));
  gtk_widget_remove_css_class (GTK_WIDGET (self->start_button),
                               running ? "suggested-action" : "destructive-action");
  gtk_widget_add_css_class (GTK_WIDGET (self->start_button),
                            running ? "destructive-action" : "suggested-action");
}

/* ---------------------------------------------------------------------------------------
 * The benches of the store
 */

/* Lists the benches of the store in the dropdown, the newest first, none selected. */
static void
list_stored (ReinsBenchPage *self)
{
  g_autoptr(ReinsStore) store = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->stored_list));
  guint shown;

  if (reins_store_is_remote (self->store_path) ||
      g_file_test (self->store_path, G_FILE_TEST_EXISTS))
    store = reins_store_open (self->store_path, NULL);
  if (store != NULL)
    ids = reins_bench_list_stored (store, NULL);
  if (ids == NULL)
    ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < ids->len; i++)
    {
      g_autofree char *label = g_strdup_printf (_("Bench %.8s"), (char *) g_ptr_array_index (ids, i));

      g_strv_builder_add (labels, label);
    }
  strv = g_strv_builder_end (labels);

  /* The bench shown, if it is one of them, is the one picked. */
  if (self->bench == NULL ||
      !g_ptr_array_find_with_equal_func (ids, reins_bench_get_id (self->bench), g_str_equal,
                                         &shown))
    shown = GTK_INVALID_LIST_POSITION;

  self->listing = TRUE;
  gtk_string_list_splice (self->stored_list, 0, n, (const char * const *) strv);
  gtk_drop_down_set_selected (self->stored_dropdown, shown);
  self->listing = FALSE;
  g_clear_pointer (&self->stored_ids, g_ptr_array_unref);
  self->stored_ids = g_steal_pointer (&ids);
  gtk_widget_set_visible (GTK_WIDGET (self->stored_dropdown), self->stored_ids->len > 0);
}

/* Shows the bench picked in the dropdown, as its stored runs tell it. */
static void
stored_selected_cb (ReinsBenchPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->stored_dropdown);
  g_autoptr(ReinsStore) store = NULL;
  g_autoptr(ReinsBench) bench = NULL;
  g_autoptr(GError) error = NULL;

  if (self->listing || self->stored_ids == NULL || selected >= self->stored_ids->len)
    return;
  if (self->bench != NULL && reins_bench_is_running (self->bench))
    return;

  store = reins_store_open (self->store_path, &error);
  if (store != NULL)
    bench = reins_bench_new_from_store (store, g_ptr_array_index (self->stored_ids, selected),
                                        &error);
  if (bench == NULL)
    {
      adw_preferences_group_set_description (self->results_group, error->message);
      return;
    }
  reins_bench_page_set_bench (self, bench);
}

static void
bench_progress_cb (ReinsBenchPage *self,
                   guint           done,
                   guint           total,
                   ReinsBench     *bench)
{
  refresh (self);
}

static void
bench_finished_cb (ReinsBenchPage *self,
                   ReinsBench     *bench)
{
  const GError *error = reins_bench_get_error (bench);

  refresh (self);
  update_actions (self);
  list_stored (self);
  if (error != NULL)
    adw_preferences_group_set_description (self->results_group, error->message);
}

/* ---------------------------------------------------------------------------------------
 * The object
 */

/**
 * reins_bench_page_set_bench:
 * @bench: (nullable): a bench, started or not; the page shows it and follows its progress
 */
void
reins_bench_page_set_bench (ReinsBenchPage *self,
                            ReinsBench     *bench)
{
  g_return_if_fail (REINS_IS_BENCH_PAGE (self));
  g_return_if_fail (bench == NULL || REINS_IS_BENCH (bench));

  if (self->bench == bench)
    return;

  if (self->bench != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->bench, self);
      reins_bench_cancel (self->bench);
    }
  g_set_object (&self->bench, bench);
  if (bench != NULL)
    {
      g_signal_connect_object (bench, "progress", G_CALLBACK (bench_progress_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (bench, "finished", G_CALLBACK (bench_finished_cb), self,
                               G_CONNECT_SWAPPED);
    }

  refresh (self);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BENCH]);
}

ReinsBench *
reins_bench_page_get_bench (ReinsBenchPage *self)
{
  g_return_val_if_fail (REINS_IS_BENCH_PAGE (self), NULL);
  return self->bench;
}

/**
 * reins_bench_page_start:
 *
 * Starts a bench as the page's controls describe it, or stops the one that runs.
 */
void
reins_bench_page_start (ReinsBenchPage *self)
{
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(JsonObject) settings = json_object_new ();
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("sim");
  g_autoptr(ReinsBench) bench = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *workspace = NULL;
  ReinsRunOptions options;

  g_return_if_fail (REINS_IS_BENCH_PAGE (self));

  if (self->bench != NULL && reins_bench_is_running (self->bench))
    {
      reins_bench_cancel (self->bench);
      return;
    }

  tasks = reins_bench_suite_chains ((guint) gtk_spin_button_get_value_as_int (self->tasks_spin),
                                    (guint) gtk_spin_button_get_value_as_int (self->length_spin));
  config->sim_accuracy = gtk_spin_button_get_value (self->accuracy_spin);

  /* The chains only use kb_lookup; the workspace is the user's home, and no file is read. */
  workspace = g_strdup (g_get_home_dir ());
  reins_run_options_init (&options);
  options.provider = "sim";
  options.sim_accuracy = config->sim_accuracy;
  options.workspace = workspace;
  if (!reins_run_options_apply (&options, settings, TRUE, &error))
    {
      adw_preferences_group_set_description (self->results_group, error->message);
      return;
    }

  bench = reins_bench_new (tasks, settings, config, self->store_path);
  if (gtk_switch_get_active (self->ablations_switch))
    reins_bench_set_setups (bench, "linear,loop,harness,ablations", NULL);
  reins_bench_set_person (bench, (ReinsBenchPerson) adw_combo_row_get_selected (self->person_row));
  reins_bench_set_jobs (bench, 2);

  reins_bench_page_set_bench (self, bench);
  reins_bench_start (bench);
  refresh (self);
  update_actions (self);
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  reins_bench_page_start (REINS_BENCH_PAGE (widget));
}

static void
reins_bench_page_dispose (GObject *object)
{
  ReinsBenchPage *self = REINS_BENCH_PAGE (object);

  if (self->bench != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->bench, self);
      reins_bench_cancel (self->bench);
      g_clear_object (&self->bench);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), REINS_TYPE_BENCH_PAGE);

  G_OBJECT_CLASS (reins_bench_page_parent_class)->dispose (object);
}

static void
reins_bench_page_finalize (GObject *object)
{
  ReinsBenchPage *self = REINS_BENCH_PAGE (object);

  g_free (self->store_path);
  g_clear_object (&self->rows);
  g_clear_pointer (&self->results, g_ptr_array_unref);
  g_clear_pointer (&self->stored_ids, g_ptr_array_unref);

  G_OBJECT_CLASS (reins_bench_page_parent_class)->finalize (object);
}

static void
reins_bench_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ReinsBenchPage *self = REINS_BENCH_PAGE (object);

  switch (prop_id)
    {
    case PROP_BENCH:
      g_value_set_object (value, self->bench);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reins_bench_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  ReinsBenchPage *self = REINS_BENCH_PAGE (object);

  switch (prop_id)
    {
    case PROP_BENCH:
      reins_bench_page_set_bench (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reins_bench_page_class_init (ReinsBenchPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = reins_bench_page_dispose;
  object_class->finalize = reins_bench_page_finalize;
  object_class->get_property = reins_bench_page_get_property;
  object_class->set_property = reins_bench_page_set_property;

  properties[PROP_BENCH] =
    g_param_spec_object ("bench", NULL, NULL, REINS_TYPE_BENCH,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/reins-bench-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ReinsBenchPage, tasks_spin);
  gtk_widget_class_bind_template_child (widget_class, ReinsBenchPage, length_spin);
  gtk_widget_class_bind_template_child (widget_class, ReinsBenchPage, accuracy_spin);
  gtk_widget_class_bind_template_child (widget_class, ReinsBenchPage, person_row);
  gtk_widget_class_bind_template_child (widget_class, ReinsBenchPage, ablations_switch);
  gtk_widget_class_bind_template_child (widget_class, ReinsBenchPage, start_button);
  gtk_widget_class_bind_template_child (widget_class, ReinsBenchPage, results_group);
  gtk_widget_class_bind_template_child (widget_class, ReinsBenchPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, ReinsBenchPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, ReinsBenchPage, chart);
  gtk_widget_class_bind_template_child (widget_class, ReinsBenchPage, stored_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ReinsBenchPage, stored_list);
  gtk_widget_class_bind_template_callback (widget_class, stored_selected_cb);

  gtk_widget_class_install_action (widget_class, "bench.start", NULL, start_action);
}

static void
reins_bench_page_init (ReinsBenchPage *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows = g_list_store_new (REINS_TYPE_BENCH_ROW);
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->rows)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
  add_columns (self);
  gtk_drawing_area_set_draw_func (self->chart, chart_draw_cb, self, NULL);
}

/**
 * reins_bench_page_new:
 * @store_path: (nullable): the run store the bench's runs go to, or %NULL for the default
 */
GtkWidget *
reins_bench_page_new (const char *store_path)
{
  ReinsBenchPage *self = g_object_new (REINS_TYPE_BENCH_PAGE, NULL);

  self->store_path = store_path != NULL ? g_strdup (store_path) : reins_store_default_location ();
  list_stored (self);
  return GTK_WIDGET (self);
}

/**
 * reins_bench_page_present_window:
 * @parent: (nullable): the window it belongs to
 *
 * Opens a window with a bench page.
 *
 * Returns: (transfer none): the window, owned by GTK's list of toplevels
 */
GtkWindow *
reins_bench_page_present_window (GtkWindow  *parent,
                                 const char *store_path)
{
  GtkWidget *window = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *page = reins_bench_page_new (store_path);

  gtk_window_set_title (GTK_WINDOW (window), _("Bench"));
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 760);
  gtk_window_set_transient_for (GTK_WINDOW (window), parent);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (box), page);
  adw_window_set_content (ADW_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
  return GTK_WINDOW (window);
}
