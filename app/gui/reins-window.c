/* reins-window.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main window: the history of runs beside the run that is picked.
 *
 * The window only assembles: it opens the store, hands it to the history and the run view,
 * and chooses what fills it — the runs, the empty state, or why the store cannot be opened.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "reins-export-file.h"
#include "reins-fork.h"
#include "reins-history.h"
#include "reins-run-view.h"
#include "reins-store.h"
#include "reins-window-private.h"

struct _ReinsWindow
{
  AdwApplicationWindow  parent_instance;

  char                 *store_path;
  ReinsStore           *store;
  GSettings            *settings;

  GtkStack             *stack;
  GtkPaned             *paned;
  ReinsHistory         *history;
  GtkStack             *content_stack;
  ReinsRunView         *run_view;
  AdwStatusPage        *error_page;
};

G_DEFINE_FINAL_TYPE (ReinsWindow, reins_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
history_selected_run_cb (ReinsWindow  *self,
                         GParamSpec   *pspec,
                         ReinsHistory *history)
{
  ReinsRun *run = reins_history_get_selected_run (history);

  reins_run_view_set_run (self->run_view, run);
  /* A search result opens at the step the hit is in. */
  reins_run_view_show_step (self->run_view, reins_history_get_selected_step (history));
  gtk_stack_set_visible_child_name (self->content_stack, run != NULL ? "run" : "none");
}

static void
history_n_runs_cb (ReinsWindow  *self,
                   GParamSpec   *pspec,
                   ReinsHistory *history)
{
  if (self->store == NULL)
    return;

  gtk_stack_set_visible_child_name (self->stack,
                                    reins_history_get_n_runs (history) > 0 ? "runs" : "empty");
}

static void
reins_window_open_store (ReinsWindow *self)
{
  g_autoptr(GError) error = NULL;

  self->store = reins_store_open (self->store_path, &error);
  if (self->store == NULL)
    {
      g_autofree char *text = NULL;

      /* The store's messages usually name the file already; say it once. */
      if (strstr (error->message, self->store_path) != NULL)
        text = g_strdup (error->message);
      else
        /* Translators: the first placeholder is why a file cannot be used, the second its path */
        text = g_strdup_printf (_("%s\n\nFile: %s"), error->message, self->store_path);
      adw_status_page_set_description (self->error_page, text);
      gtk_stack_set_visible_child_name (self->stack, "error");
      g_debug ("Cannot open %s: %s", self->store_path, error->message);
      return;
    }

  reins_run_view_set_store (self->run_view, self->store);
  reins_history_set_store (self->history, self->store);
  history_n_runs_cb (self, NULL, self->history);
}

static void
reins_window_search (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  ReinsWindow *self = REINS_WINDOW (widget);

  if (self->store != NULL)
    reins_history_focus_search (self->history);
}

static void
reins_window_reload (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  ReinsWindow *self = REINS_WINDOW (widget);

  if (self->store != NULL)
    reins_history_reload (self->history);
}

/* --- export and fork (issue 8) --- */

static void
reins_window_export (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  ReinsWindow *self = REINS_WINDOW (widget);
  ReinsRun *run = reins_run_view_get_run (self->run_view);

  if (self->store != NULL && run != NULL)
    reins_export_run_with_dialog (GTK_WINDOW (self), self->store, run);
}

static void
fork_started_cb (ReinsExecutor *executor,
                 gpointer       user_data)
{
  ReinsWindow *self = user_data;

  reins_fork_follow (self->history, executor);
}

static void
reins_window_fork (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  ReinsWindow *self = REINS_WINDOW (widget);
  ReinsRun *run = reins_run_view_get_run (self->run_view);
  guint step;

  if (self->store == NULL || run == NULL)
    return;
  step = param != NULL ? g_variant_get_uint32 (param)
                       : reins_run_inspector_get_current_step (
                           reins_run_view_get_inspector (self->run_view));
  reins_fork_dialog_present (GTK_WINDOW (self), self->store, run, step, fork_started_cb, self);
}

static void
reins_window_constructed (GObject *object)
{
  ReinsWindow *self = (ReinsWindow *)object;

  G_OBJECT_CLASS (reins_window_parent_class)->constructed (object);

  if (self->store_path == NULL)
    self->store_path = reins_store_default_path ();

  /* The window's size, state and layout follow the settings, both ways. */
  self->settings = g_settings_new (APPLICATION_ID);
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "sidebar-width", self->paned, "position",
                   G_SETTINGS_BIND_DEFAULT);

  reins_window_open_store (self);
}

static void
reins_window_dispose (GObject *object)
{
  ReinsWindow *self = (ReinsWindow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), REINS_TYPE_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (reins_window_parent_class)->dispose (object);
}

static void
reins_window_finalize (GObject *object)
{
  ReinsWindow *self = (ReinsWindow *)object;

  g_clear_pointer (&self->store_path, g_free);

  G_OBJECT_CLASS (reins_window_parent_class)->finalize (object);
}

static void
reins_window_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  ReinsWindow *self = REINS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE_PATH:
      g_value_set_string (value, self->store_path);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reins_window_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  ReinsWindow *self = REINS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE_PATH:
      self->store_path = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reins_window_class_init (ReinsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = reins_window_constructed;
  object_class->dispose = reins_window_dispose;
  object_class->finalize = reins_window_finalize;
  object_class->get_property = reins_window_get_property;
  object_class->set_property = reins_window_set_property;

  properties[PROP_STORE_PATH] =
    g_param_spec_string ("store-path", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/reins-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ReinsWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, ReinsWindow, paned);
  gtk_widget_class_bind_template_child (widget_class, ReinsWindow, history);
  gtk_widget_class_bind_template_child (widget_class, ReinsWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, ReinsWindow, run_view);
  gtk_widget_class_bind_template_child (widget_class, ReinsWindow, error_page);
  gtk_widget_class_bind_template_callback (widget_class, history_selected_run_cb);
  gtk_widget_class_bind_template_callback (widget_class, history_n_runs_cb);

  gtk_widget_class_install_action (widget_class, "win.search", NULL, reins_window_search);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search", NULL);
  gtk_widget_class_install_action (widget_class, "win.reload", NULL, reins_window_reload);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "win.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, reins_window_export);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "win.export", NULL);
  gtk_widget_class_install_action (widget_class, "win.fork", NULL, reins_window_fork);
  gtk_widget_class_install_action (widget_class, "win.fork-from", "u", reins_window_fork);

  g_type_ensure (REINS_TYPE_HISTORY);
  g_type_ensure (REINS_TYPE_RUN_VIEW);
}

static void
reins_window_init (ReinsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

ReinsWindow *
reins_window_new (GtkApplication *application,
                  const char     *store_path)
{
  g_return_val_if_fail (!application || GTK_IS_APPLICATION (application), NULL);

  return g_object_new (REINS_TYPE_WINDOW,
                       "application", application,
                       "store-path", store_path,
                       NULL);
}

/* The file of the run store this window shows. */
const char *
reins_window_get_store_path (ReinsWindow *self)
{
  g_return_val_if_fail (REINS_IS_WINDOW (self), NULL);

  return self->store_path;
}

ReinsHistory *
_reins_window_get_history (ReinsWindow *self)
{
  return self->history;
}

ReinsRunView *
_reins_window_get_run_view (ReinsWindow *self)
{
  return self->run_view;
}

/* "runs", "empty" or "error". */
const char *
_reins_window_get_page (ReinsWindow *self)
{
  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
_reins_window_get_error_text (ReinsWindow *self)
{
  return adw_status_page_get_description (self->error_page);
}
