/* reins-new-run-dialog.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * New Run: the task, the model, the limits, the tools and the workspace of a run.
 * This file holds the dialog, its provider, workspace and project; the tool and MCP server
 * rows are in reins-new-run-dialog-tools.c, the run the choices make in
 * reins-new-run-dialog-build.c.
 *
 * The choices become a run's settings through reins_run_options_apply, exactly as
 * `reins-cli run` makes them, so a run started here and one started on the command line
 * with the same choices are the same run. The dialog does not start anything itself: it
 * emits `start`, and the window asks it to build the run.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-kb.h"
#include "reins-new-run-dialog-private.h"
#include "reins-provider-info.h"
#include "reins-run-options.h"


G_DEFINE_FINAL_TYPE (ReinsNewRunDialog, reins_new_run_dialog, ADW_TYPE_WINDOW)

enum {
  START,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
reins_new_run_dialog_set_workspace (ReinsNewRunDialog *self,
                                    const char        *path)
{
  g_free (self->workspace);
  self->workspace = g_strdup (path);
  adw_action_row_set_subtitle (self->workspace_row, path);
}

const char *
reins_new_run_dialog_get_provider (ReinsNewRunDialog *self)
{
  GtkStringObject *item;

  g_return_val_if_fail (REINS_IS_NEW_RUN_DIALOG (self), NULL);

  item = adw_combo_row_get_selected_item (self->provider_row);
  return item != NULL ? gtk_string_object_get_string (item) : "sim";
}

/* The preference "<provider>-<what>" (e.g. openai-model), or NULL when it is not set. */
static char *
setting_for (ReinsNewRunDialog *self,
             const char        *provider,
             const char        *what)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autofree char *key = g_strdup_printf ("%s-%s", provider, what);
  g_autofree char *value = NULL;

  if (self->settings == NULL)
    return NULL;
  g_object_get (self->settings, "settings-schema", &schema, NULL);
  if (schema == NULL || !g_settings_schema_has_key (schema, key))
    return NULL;
  value = g_settings_get_string (self->settings, key);
  if (value == NULL || *g_strstrip (value) == '\0')
    return NULL;
  return g_steal_pointer (&value);
}

static void
provider_changed_cb (ReinsNewRunDialog *self)
{
  const char *provider = reins_new_run_dialog_get_provider (self);
  const ReinsProviderInfo *info = reins_provider_info_lookup (provider);

  g_autofree char *model = setting_for (self, provider, "model");
  g_autofree char *base_url = setting_for (self, provider, "base-url");

  /* The provider's model and endpoint from the preferences, else its defaults. */
  gtk_editable_set_text (GTK_EDITABLE (self->model_row),
                         model != NULL ? model : reins_run_options_default_model (provider));
  gtk_editable_set_text (GTK_EDITABLE (self->base_url_row), base_url != NULL ? base_url : "");
  gtk_widget_set_visible (self->demo_group, g_str_equal (provider, "sim"));
  gtk_widget_set_visible (GTK_WIDGET (self->script_row),
                          info != NULL && reins_provider_info_needs_script (info));
  gtk_widget_set_visible (GTK_WIDGET (self->base_url_row),
                          info != NULL && reins_provider_info_has_endpoint (info));
}

static void
chooser_response_cb (ReinsNewRunDialog *self,
                     int                response,
                     GtkNativeDialog   *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        reins_new_run_dialog_set_workspace (self, path);
    }
  g_clear_object (&self->chooser);
}

static void
reins_new_run_dialog_choose_workspace (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *param)
{
  ReinsNewRunDialog *self = REINS_NEW_RUN_DIALOG (widget);
  g_autoptr(GFile) current = NULL;

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Workspace Folder"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                               _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  current = g_file_new_for_path (self->workspace);
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), current, NULL);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
reins_new_run_dialog_start (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *param)
{
  g_signal_emit (widget, signals[START], 0);
}

static void
reins_new_run_dialog_demo (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *param)
{
  reins_new_run_dialog_use_demo (REINS_NEW_RUN_DIALOG (widget), g_variant_get_int32 (param));
}

static void
reins_new_run_dialog_dispose (GObject *object)
{
  ReinsNewRunDialog *self = (ReinsNewRunDialog *)object;

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->tool_switches, g_ptr_array_unref);
  g_clear_pointer (&self->mcp_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (reins_new_run_dialog_parent_class)->dispose (object);
}

static void
reins_new_run_dialog_finalize (GObject *object)
{
  ReinsNewRunDialog *self = (ReinsNewRunDialog *)object;

  g_free (self->workspace);

  G_OBJECT_CLASS (reins_new_run_dialog_parent_class)->finalize (object);
}

static void
reins_new_run_dialog_class_init (ReinsNewRunDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = reins_new_run_dialog_dispose;
  object_class->finalize = reins_new_run_dialog_finalize;

  /**
   * ReinsNewRunDialog::start:
   *
   * The person asked to start the run; reins_new_run_dialog_build() makes it.
   */
  signals[START] =
    g_signal_new ("start", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/reins-new-run-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ReinsNewRunDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ReinsNewRunDialog, task_view);
  gtk_widget_class_bind_template_child (widget_class, ReinsNewRunDialog, demo_group);
  gtk_widget_class_bind_template_child (widget_class, ReinsNewRunDialog, mistakes_switch);
  gtk_widget_class_bind_template_child (widget_class, ReinsNewRunDialog, provider_row);
  gtk_widget_class_bind_template_child (widget_class, ReinsNewRunDialog, model_row);
  gtk_widget_class_bind_template_child (widget_class, ReinsNewRunDialog, base_url_row);
  gtk_widget_class_bind_template_child (widget_class, ReinsNewRunDialog, script_row);
  gtk_widget_class_bind_template_child (widget_class, ReinsNewRunDialog, mode_row);
  gtk_widget_class_bind_template_child (widget_class, ReinsNewRunDialog, max_steps_spin);
  gtk_widget_class_bind_template_child (widget_class, ReinsNewRunDialog, budget_spin);
  gtk_widget_class_bind_template_child (widget_class, ReinsNewRunDialog, threshold_spin);
  gtk_widget_class_bind_template_child (widget_class, ReinsNewRunDialog, tools_group);
  gtk_widget_class_bind_template_child (widget_class, ReinsNewRunDialog, mcp_group);
  gtk_widget_class_bind_template_child (widget_class, ReinsNewRunDialog, mcp_row);
  gtk_widget_class_bind_template_child (widget_class, ReinsNewRunDialog, workspace_row);
  gtk_widget_class_bind_template_child (widget_class, ReinsNewRunDialog, project_row);
  gtk_widget_class_bind_template_callback (widget_class, provider_changed_cb);
  reins_new_run_dialog_tools_class_init (widget_class);

  gtk_widget_class_install_action (widget_class, "new-run.start", NULL,
                                   reins_new_run_dialog_start);
  gtk_widget_class_install_action (widget_class, "new-run.demo", "i", reins_new_run_dialog_demo);
  gtk_widget_class_install_action (widget_class, "new-run.choose-workspace", NULL,
                                   reins_new_run_dialog_choose_workspace);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
reins_new_run_dialog_init (ReinsNewRunDialog *self)
{
  g_autoptr(GtkStringList) providers = NULL;
  g_autofree char *default_provider = NULL;
  guint selected = 0;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->tool_switches = g_ptr_array_new ();
  self->mcp_rows = g_ptr_array_new ();
  self->sim_accuracy = -1;
  self->settings = g_settings_new (APPLICATION_ID);

  /* In the descriptors' order: the offline simulator first. */
  providers = gtk_string_list_new (reins_provider_get_names ());
  default_provider = g_settings_get_string (self->settings, "default-provider");
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (providers)); i++)
    if (g_str_equal (gtk_string_list_get_string (providers, i), default_provider))
      selected = i;
  adw_combo_row_set_model (self->provider_row, G_LIST_MODEL (providers));
  adw_combo_row_set_selected (self->provider_row, selected);
  provider_changed_cb (self);

  {
    g_autofree char *mode = g_settings_get_string (self->settings, "default-mode");
    adw_combo_row_set_selected (self->mode_row, g_str_equal (mode, "react") ? 1 : 0);
  }
  gtk_spin_button_set_value (self->max_steps_spin, g_settings_get_uint (self->settings, "max-steps"));
  gtk_spin_button_set_value (self->budget_spin, g_settings_get_double (self->settings, "budget-usd"));
  gtk_spin_button_set_value (self->threshold_spin,
                             g_settings_get_double (self->settings, "confidence-threshold"));

  reins_new_run_dialog_add_tools (self);
  reins_new_run_dialog_set_workspace (self, g_get_home_dir ());
  self->demo_seed = g_random_int_range (1, 1000);
  /* Ctrl+Enter starts the run from anywhere in the dialog, the task field included: caught
   * before the text view would take it for a new line. */
  {
    GtkEventController *shortcuts = gtk_shortcut_controller_new ();

    gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                          gtk_shortcut_new (gtk_shortcut_trigger_parse_string (
                                                              "<Control>Return|<Control>KP_Enter"),
                                                            gtk_named_action_new ("new-run.start")));
    gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
  }
  /* Ctrl+N, then type the task: the task field has the focus, not Cancel. */
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->task_view));
}

GtkWidget *
reins_new_run_dialog_new (GtkWindow *parent)
{
  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);

  return g_object_new (REINS_TYPE_NEW_RUN_DIALOG,
                       "transient-for", parent,
                       NULL);
}

/* Fills the task with a knowledge-base chain of @length for the simulator. */
void
reins_new_run_dialog_use_demo (ReinsNewRunDialog *self,
                               guint              length)
{
  g_autofree char *task = NULL;

  g_return_if_fail (REINS_IS_NEW_RUN_DIALOG (self));
  g_return_if_fail (length >= 1 && length <= REINS_KB_MAX_LENGTH);

  task = reins_kb_task (self->demo_seed, length);
  _reins_new_run_dialog_set_provider (self, "sim");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->task_view), task, -1);
  /* A chain needs its lookups, a little room to recover, and the lookup tool. */
  if (gtk_spin_button_get_value (self->max_steps_spin) < 2 * length + 4)
    gtk_spin_button_set_value (self->max_steps_spin, 2 * length + 4);
  _reins_new_run_dialog_set_tool (self, "kb_lookup", TRUE);
}

void
reins_new_run_dialog_show_error (ReinsNewRunDialog *self,
                                 const char        *message)
{
  AdwToast *toast;

  g_return_if_fail (REINS_IS_NEW_RUN_DIALOG (self));

  toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
_reins_new_run_dialog_set_task (ReinsNewRunDialog *self,
                                const char        *task)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->task_view), task, -1);
}

void
_reins_new_run_dialog_set_provider (ReinsNewRunDialog *self,
                                    const char        *provider)
{
  GListModel *providers = adw_combo_row_get_model (self->provider_row);

  for (guint i = 0; i < g_list_model_get_n_items (providers); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (providers), i), provider))
      adw_combo_row_set_selected (self->provider_row, i);
}

void
_reins_new_run_dialog_set_script (ReinsNewRunDialog *self,
                                  const char        *path)
{
  gtk_editable_set_text (GTK_EDITABLE (self->script_row), path);
}

void
_reins_new_run_dialog_set_workspace (ReinsNewRunDialog *self,
                                     const char        *path)
{
  reins_new_run_dialog_set_workspace (self, path);
}

void
_reins_new_run_dialog_set_sim_accuracy (ReinsNewRunDialog *self,
                                        double             accuracy)
{
  self->sim_accuracy = accuracy;
}

/**
 * reins_new_run_dialog_set_projects:
 * @projects: (nullable): the projects of the store the person may start runs in, or %NULL
 *   for a store without projects (SQLite), which hides the choice
 * @current: (nullable): the project picked at first (the connection's), or %NULL for none
 *
 * A run on a PostgreSQL store belongs to a project: its members see it and answer its
 * questions. The first choice is no project, whose runs every role on the store sees.
 */
void
reins_new_run_dialog_set_projects (ReinsNewRunDialog  *self,
                                   const char * const *projects,
                                   const char         *current)
{
  g_autoptr(GtkStringList) names = NULL;
  guint selected = 0;

  g_return_if_fail (REINS_IS_NEW_RUN_DIALOG (self));

  gtk_widget_set_visible (GTK_WIDGET (self->project_row), projects != NULL);
  if (projects == NULL)
    {
      adw_combo_row_set_model (self->project_row, NULL);
      return;
    }
  /* Translators: the project of a new run: none, whose runs everyone on the store sees */
  names = gtk_string_list_new ((const char * const[]) { _("No project"), NULL });
  for (guint i = 0; projects[i] != NULL; i++)
    {
      gtk_string_list_append (names, projects[i]);
      if (g_strcmp0 (projects[i], current) == 0)
        selected = i + 1;
    }
  adw_combo_row_set_model (self->project_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->project_row, selected);
}

/**
 * reins_new_run_dialog_get_project:
 * @has_projects: (out) (optional): whether the store has projects (the choice is shown)
 *
 * Returns: (nullable): the project picked, %NULL for none
 */
const char *
reins_new_run_dialog_get_project (ReinsNewRunDialog *self,
                                  gboolean          *has_projects)
{
  GtkStringObject *item;

  g_return_val_if_fail (REINS_IS_NEW_RUN_DIALOG (self), NULL);

  if (has_projects != NULL)
    *has_projects = gtk_widget_get_visible (GTK_WIDGET (self->project_row));
  if (!gtk_widget_get_visible (GTK_WIDGET (self->project_row)) ||
      adw_combo_row_get_selected (self->project_row) == 0 ||
      adw_combo_row_get_selected (self->project_row) == GTK_INVALID_LIST_POSITION)
    return NULL;
  item = adw_combo_row_get_selected_item (self->project_row);
  return item != NULL ? gtk_string_object_get_string (item) : NULL;
}

/* Picks @project (%NULL for none) as a person would; FALSE when it is not offered. */
gboolean
_reins_new_run_dialog_set_project (ReinsNewRunDialog *self,
                                   const char        *project)
{
  GListModel *names = adw_combo_row_get_model (self->project_row);

  if (names == NULL)
    return FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (names); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (names, i);

      if ((project == NULL && i == 0) ||
          (i > 0 && g_strcmp0 (gtk_string_object_get_string (item), project) == 0))
        {
          adw_combo_row_set_selected (self->project_row, i);
          return TRUE;
        }
    }
  return FALSE;
}

/* The projects offered, "A,B" (without "No project"); NULL when the choice is hidden. */
char *
_reins_new_run_dialog_dup_projects (ReinsNewRunDialog *self)
{
  GListModel *names = adw_combo_row_get_model (self->project_row);
  g_autoptr(GString) text = g_string_new (NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->project_row)) || names == NULL)
    return NULL;
  for (guint i = 1; i < g_list_model_get_n_items (names); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (names, i);

      g_string_append_printf (text, "%s%s", i > 1 ? "," : "",
                              gtk_string_object_get_string (item));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

void
_reins_new_run_dialog_set_mistakes (ReinsNewRunDialog *self,
                                    gboolean           mistakes)
{
  gtk_switch_set_active (self->mistakes_switch, mistakes);
}

void
_reins_new_run_dialog_set_max_steps (ReinsNewRunDialog *self,
                                     guint              max_steps)
{
  gtk_spin_button_set_value (self->max_steps_spin, max_steps);
}

void
_reins_new_run_dialog_set_seed (ReinsNewRunDialog *self,
                                guint              seed)
{
  self->demo_seed = seed;
}
