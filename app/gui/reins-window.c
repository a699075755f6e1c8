/* reins-window.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main window: the history of runs beside the run that is picked.
 *
 * The window only assembles: it opens the store, hands it to the history and the run view,
 * and chooses what fills it — the runs, the empty state, or why the store cannot be opened.
 *
 * It also owns the runs started here (one ReinsExecutor each, keyed by run id): it starts
 * them from the New Run dialog, routes the run actions (pause, resume, step, stop) to the
 * run shown, and puts the harness's questions to the person — a dialog when the window is
 * in front, a notification when it is not. That part is reins-window-runs.c; the actions
 * are in reins-window-actions.c and reins-window-views.c.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "reins-history.h"
#include "reins-import-files.h"
#include "reins-key-cache.h"
#include "reins-overview.h"
#include "reins-run-inspector.h"
#include "reins-run-view.h"
#include "reins-remote-questions.h"
#include "reins-store.h"
#include "reins-window-private.h"

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
  ReinsExecutor *executor;

  /* The window replaces a live run's row itself; the run view keeps showing it. */
  if (self->updating_history)
    return;

  /* Nothing selected because a search found nothing (or a filter hides the run): the run
   * being read stays in view, with its "Waiting for you" bar if it waits. */
  if (run == NULL && reins_history_get_n_runs (history) > 0 &&
      reins_run_view_get_run (self->run_view) != NULL &&
      reins_history_get_model (history) != NULL &&
      g_list_model_get_n_items (reins_history_get_model (history)) == 0)
    return;

  executor = run != NULL ? reins_run_manager_lookup (reins_window_get_run_manager (self),
                                                     reins_run_get_id (run))
                          : NULL;
  if (executor != NULL)
    reins_run_view_set_executor (self->run_view, executor);
  else
    {
      reins_run_view_set_run (self->run_view, run);
      /* A search result opens at the step the hit is in. */
      reins_run_view_show_step (self->run_view, reins_history_get_selected_step (history));
      /* A run elsewhere waiting for a person, picked in a window in front: its question
       * opens, as a question of a run of this window does. */
      if (run != NULL && self->remote_questions != NULL &&
          reins_run_get_status (run) == REINS_RUN_STATUS_AWAITING_APPROVAL &&
          gtk_window_is_active (GTK_WINDOW (self)))
        reins_remote_questions_picked (REINS_REMOTE_QUESTIONS (self->remote_questions),
                                       reins_run_get_id (run));
    }
  gtk_stack_set_visible_child_name (self->content_stack, run != NULL ? "run" : "none");
  /* On a narrow window, picking a run in the history opens it. */
  if (run != NULL)
    adw_leaflet_set_visible_child (self->leaflet, self->content_pane);
  _reins_window_update_actions (self);
}

/* The run picked in the history is shown, as when the person picks it. */
void
_reins_window_show_selected_run (ReinsWindow *self)
{
  history_selected_run_cb (self, NULL, self->history);
}

/* Below this height the chart folds away, so the timeline keeps most of the window. */
#define COMPACT_HEIGHT 600

static void
reins_window_update_compact (ReinsWindow *self)
{
  int width = 0, height = 0;

  /* (GTK 4.8 wants both out arguments.) */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  reins_run_inspector_set_compact (reins_run_view_get_inspector (self->run_view),
                                   height > 0 && height < COMPACT_HEIGHT);
}

static void
leaflet_folded_cb (ReinsWindow *self)
{
  /* Folded, the run is what a person came for; the back button leads to the history. */
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet, self->content_pane);
}

static void
history_n_runs_cb (ReinsWindow  *self,
                   GParamSpec   *pspec,
                   ReinsHistory *history)
{
  if (self->store == NULL)
    return;

  /* The first run (started, or imported) shows at once: a crossfade would redraw the
   * whole window each frame while the run streams in. */
  if (reins_history_get_n_runs (history) > 0)
    gtk_stack_set_visible_child_full (self->stack, "runs", GTK_STACK_TRANSITION_TYPE_NONE);
  else
    gtk_stack_set_visible_child_name (self->stack, "empty");
}

static void
reins_window_open_store (ReinsWindow *self)
{
  g_autoptr(GError) error = NULL;

  self->store = reins_store_open (self->store_path, &error);
  if (self->store == NULL)
    {
      g_autofree char *text = NULL;
      /* A database URI may hold a password: it is never shown. */
      g_autofree char *shown = reins_store_describe_location (self->store_path);

      /* The store's messages usually name the file already; say it once. */
      if (strstr (error->message, shown) != NULL)
        text = g_strdup (error->message);
      else
        /* Translators: the first placeholder is why a file cannot be used, the second its path */
        text = g_strdup_printf (_("%s\n\nFile: %s"), error->message, shown);
      adw_status_page_set_description (self->error_page, text);
      gtk_stack_set_visible_child_name (self->stack, "error");
      g_debug ("Cannot open %s: %s", shown, error->message);
      return;
    }

  reins_run_view_set_store (self->run_view, self->store);
  reins_history_set_store (self->history, self->store);
  reins_overview_set_store (self->overview, self->store);
  history_n_runs_cb (self, NULL, self->history);

  /* Questions of runs elsewhere (--approve=remote), under the header bar. */
  self->remote_questions = reins_remote_questions_new (self->store,
                                                       reins_window_get_run_manager (self));
  gtk_box_insert_child_after (GTK_BOX (self->content_pane), self->remote_questions,
                              gtk_widget_get_first_child (self->content_pane));
}

static void
reins_window_constructed (GObject *object)
{
  ReinsWindow *self = (ReinsWindow *)object;

  G_OBJECT_CLASS (reins_window_parent_class)->constructed (object);

  if (self->store_path == NULL)
    self->store_path = reins_store_default_location ();

  /* The window's size, state and layout follow the settings, both ways. */
  self->settings = g_settings_new (APPLICATION_ID);
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
  /* The history's width when it is beside the run (the leaflet folds below it + the run's). */
  g_settings_bind (self->settings, "sidebar-width", self->sidebar_pane, "width-request",
                   G_SETTINGS_BIND_GET);
  g_signal_connect (self, "notify::default-height", G_CALLBACK (reins_window_update_compact),
                    NULL);
  reins_window_update_compact (self);

  reins_window_open_store (self);
  _reins_window_update_actions (self);
  reins_key_cache_refresh ();
}

/* Closing stops the runs this window started: the run manager asks first. */
static gboolean
reins_window_close_request (GtkWindow *window)
{
  ReinsWindow *self = REINS_WINDOW (window);

  if (!reins_run_manager_may_close (reins_window_get_run_manager (self), window))
    return TRUE;
  return GTK_WINDOW_CLASS (reins_window_parent_class)->close_request (window);
}

/* A dialog may outlive the window (a reference held elsewhere, a signal still being
 * emitted): its weak pointer must not point into a freed window then. */
static void
destroy_dialog (GtkWidget **dialog_pointer)
{
  GtkWidget *dialog = *dialog_pointer;

  if (dialog == NULL)
    return;
  g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) dialog_pointer);
  *dialog_pointer = NULL;
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
reins_window_dispose (GObject *object)
{
  ReinsWindow *self = (ReinsWindow *)object;

  /* Runs still going when the window goes are stopped (stored as cancelled). */
  if (self->run_manager != NULL)
    {
      reins_run_manager_stop (self->run_manager, G_OBJECT (self));
      g_signal_handlers_disconnect_by_data (self->run_manager, self);
      g_clear_object (&self->run_manager);
    }
  destroy_dialog (&self->approval_dialog);
  destroy_dialog (&self->new_run_dialog);

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
  GTK_WINDOW_CLASS (klass)->close_request = reins_window_close_request;
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
  gtk_widget_class_bind_template_child (widget_class, ReinsWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, ReinsWindow, sidebar_pane);
  gtk_widget_class_bind_template_child (widget_class, ReinsWindow, content_pane);
  gtk_widget_class_bind_template_callback (widget_class, leaflet_folded_cb);
  gtk_widget_class_bind_template_child (widget_class, ReinsWindow, history);
  gtk_widget_class_bind_template_child (widget_class, ReinsWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, ReinsWindow, overview);
  gtk_widget_class_bind_template_child (widget_class, ReinsWindow, run_view);
  gtk_widget_class_bind_template_child (widget_class, ReinsWindow, error_page);
  gtk_widget_class_bind_template_callback (widget_class, history_selected_run_cb);
  gtk_widget_class_bind_template_callback (widget_class, history_n_runs_cb);

  _reins_window_class_add_view_actions (widget_class);
  _reins_window_class_add_actions (widget_class);
  /* The run's own shortcuts are in reins_window_add_run_shortcuts(). */

  g_type_ensure (REINS_TYPE_HISTORY);
  g_type_ensure (REINS_TYPE_RUN_VIEW);
  g_type_ensure (REINS_TYPE_OVERVIEW);
}

/* The live run's shortcuts act wherever the focus is: a binding of the window only sees
 * the keys the focused widget let through, and a list, a label or a search field takes
 * Ctrl+→ and Shift+Ctrl+A for itself. These are caught on the way in instead; while no run
 * is live their actions are disabled, and the key goes on to the focused widget. */
static const struct
{
  guint            keyval;
  GdkModifierType  modifiers;
  const char      *action;
} run_shortcuts[] = {
  { GDK_KEY_p, GDK_CONTROL_MASK, "win.toggle-pause" },
  { GDK_KEY_Right, GDK_CONTROL_MASK, "win.step" },
  { GDK_KEY_period, GDK_CONTROL_MASK, "win.ask-stop" },
  { GDK_KEY_a, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.show-approval" },
};

static void
reins_window_add_run_shortcuts (ReinsWindow *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_event_controller_set_name (controller, "run-shortcuts");
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (controller), GTK_SHORTCUT_SCOPE_LOCAL);
  for (guint i = 0; i < G_N_ELEMENTS (run_shortcuts); i++)
    gtk_shortcut_controller_add_shortcut (
      GTK_SHORTCUT_CONTROLLER (controller),
      gtk_shortcut_new (gtk_keyval_trigger_new (run_shortcuts[i].keyval,
                                                run_shortcuts[i].modifiers),
                        gtk_named_action_new (run_shortcuts[i].action)));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

static void
reins_window_init (ReinsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  reins_window_add_run_shortcuts (self);
  /* Trace files dropped anywhere on the window are imported (reins-import-files.c). */
  reins_import_files_add_drop_target (GTK_WIDGET (self), self->history);
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

/* The bar of the questions of runs elsewhere, or %NULL without a store. */
GtkWidget *
_reins_window_get_remote_questions (ReinsWindow *self)
{
  return self->remote_questions;
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

/* On a narrow window, brings the run's side (or the overview) into view. */
void
_reins_window_show_content (ReinsWindow *self)
{
  adw_leaflet_set_visible_child (self->leaflet, self->content_pane);
}

const char *
_reins_window_get_error_text (ReinsWindow *self)
{
  return adw_status_page_get_description (self->error_page);
}

GtkWidget *
_reins_window_get_approval_dialog (ReinsWindow *self)
{
  return self->approval_dialog;
}

GtkWidget *
_reins_window_get_new_run_dialog (ReinsWindow *self)
{
  return self->new_run_dialog;
}

guint
_reins_window_get_n_live_runs (ReinsWindow *self)
{
  return self->run_manager != NULL
           ? reins_run_manager_count (self->run_manager, G_OBJECT (self), FALSE)
           : 0;
}
