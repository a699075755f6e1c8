/* reins-application.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reins application: its actions, its options, its windows and the runs going in it
 * (a ReinsRunManager, shared by the windows).
 *
 * Options arrive through command-line so that `reins --db=OTHER.db` given to a second
 * instance opens a window on that store in the first one.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-otlp-live.h"
#include "reins-application.h"
#include "reins-mcp-client.h"
#include "reins-mcp-oauth.h"
#include "reins-secrets.h"
#include "reins-preferences-window.h"
#include "reins-store.h"
#include "reins-window.h"

struct _ReinsApplication
{
  AdwApplication   parent_instance;

  ReinsRunManager *run_manager;   /* the runs going in this process */
  GSettings       *settings;      /* followed for the MCP servers' OAuth clients */
};

G_DEFINE_FINAL_TYPE (ReinsApplication, reins_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Open the run store at PATH instead of the default one"), N_("PATH") },
  { "store", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Open the run store at URL (a file or postgresql://…) instead of the default one"),
    N_("URL") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
  { NULL }
};

static void
reins_application_open_window (ReinsApplication *self,
                               const char       *store_path)
{
  g_autofree char *default_path = NULL;
  GList *windows;

  /* --db or --store, else $REINS_STORE, else the preference, else the local file */
  if (store_path == NULL && g_getenv ("REINS_STORE") == NULL)
    {
      g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
      g_autofree char *uri = g_settings_get_string (settings, "store-uri");

      if (*uri != '\0')
        store_path = default_path = g_steal_pointer (&uri);
    }
  if (store_path == NULL)
    store_path = default_path = reins_store_default_location ();

  /* One window per store: asking again for a store that is shown raises its window. */
  windows = gtk_application_get_windows (GTK_APPLICATION (self));
  for (const GList *l = windows; l != NULL; l = l->next)
    {
      if (REINS_IS_WINDOW (l->data) &&
          g_strcmp0 (reins_window_get_store_path (l->data), store_path) == 0)
        {
          gtk_window_present (GTK_WINDOW (l->data));
          return;
        }
    }

  gtk_window_present (GTK_WINDOW (reins_window_new (GTK_APPLICATION (self), store_path)));
}

static void
reins_application_activate (GApplication *app)
{
  reins_application_open_window (REINS_APPLICATION (app), NULL);
}

static int
reins_application_handle_local_options (GApplication *app,
                                        GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("reins %s\n", PACKAGE_VERSION);
      return 0;
    }

  return G_APPLICATION_CLASS (reins_application_parent_class)->handle_local_options (app, options);
}

static int
reins_application_command_line (GApplication            *app,
                                GApplicationCommandLine *command_line)
{
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  g_autofree char *db = NULL;
  g_autofree char *path = NULL;

  if (g_variant_dict_lookup (options, "store", "^ay", &db) && reins_store_is_remote (db))
    path = g_steal_pointer (&db);
  else if (db != NULL || g_variant_dict_lookup (options, "db", "^ay", &db))
    {
      /* A relative path means relative to where the command was typed, not to us. */
      g_autofree char *plain = reins_store_describe_location (db);
      g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (command_line,
                                                                              plain);
      path = g_file_get_path (file);
    }

  reins_application_open_window (REINS_APPLICATION (app), path);
  return 0;
}

static gboolean
show_uri_cb (gpointer data)
{
  GtkApplication *app = GTK_APPLICATION (g_application_get_default ());
  GtkWindow *window = app != NULL ? gtk_application_get_active_window (app) : NULL;

  gtk_show_uri (window, data, GDK_CURRENT_TIME);
  return G_SOURCE_REMOVE;
}

/* An MCP server over HTTP needs the person's authorization: the browser opens on its page
 * (this is called on the run's worker thread). */
static gboolean
open_authorization_url (const char  *server,
                        const char  *url,
                        gpointer     user_data,
                        GError     **error)
{
  g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, show_uri_cb, g_strdup (url), g_free);
  return TRUE;
}

/* The preferences' OAuth client ids reach the MCP servers made from now on. */
static void
mcp_client_ids_changed_cb (GSettings  *settings,
                           const char *key,
                           gpointer    user_data)
{
  g_autoptr(GVariant) ids = g_settings_get_value (settings, "mcp-client-ids");

  reins_mcp_client_replace_default_oauth_clients (ids);
}

static void
reins_application_startup (GApplication *app)
{
  ReinsApplication *self = REINS_APPLICATION (app);
  static const ReinsMcpOAuthHooks mcp_oauth = { open_authorization_url,
                                                reins_secrets_lookup_mcp_state,
                                                reins_secrets_store_mcp_state };

  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *shortcuts_accels[] = { "<Control>question", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (reins_application_parent_class)->startup (app);
  reins_mcp_oauth_set_hooks (&mcp_oauth, NULL);
  self->settings = g_settings_new (APPLICATION_ID);
  g_signal_connect (self->settings, "changed::mcp-client-ids",
                    G_CALLBACK (mcp_client_ids_changed_cb), NULL);
  mcp_client_ids_changed_cb (self->settings, "mcp-client-ids", NULL);

  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.shortcuts",
                                         shortcuts_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences",
                                         preferences_accels);

  /* The window follows the system's light or dark style. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_DEFAULT);
}

static void
reins_application_shutdown (GApplication *app)
{
  /* The last spans of the live OpenTelemetry export, if any, with a deadline. */
  reins_otlp_live_shutdown (2000);

  G_APPLICATION_CLASS (reins_application_parent_class)->shutdown (app);
}

static void
reins_application_quit_action (GSimpleAction *action,
                               GVariant      *parameter,
                               gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (app));

  /* Each window closes as if its close button were pressed, so one with runs still going
   * asks first; the application ends when the last window has gone. */
  for (const GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
}

static void
reins_application_about_action (GSimpleAction *action,
                                GVariant      *parameter,
                                gpointer       user_data)
{
  static const char *developers[] = { "The Reins authors", NULL };
  GtkApplication *app = GTK_APPLICATION (user_data);
  GtkWindow *window = gtk_application_get_active_window (app);
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", window,
                        "modal", TRUE,
                        "application-name", _("Reins"),
                        "application-icon", APPLICATION_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("The Reins authors"),
                        "developers", developers,
                        "copyright", "© 2026 The Reins authors",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "website", "https://github.com/reins/reins",
                        "issue-url", "https://github.com/reins/reins/issues",
                        /* Translators: put your names here, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
reins_application_shortcuts_action (GSimpleAction *action,
                                    GVariant      *parameter,
                                    gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  g_autoptr(GtkBuilder) builder = NULL;
  GtkWindow *shortcuts;

  builder = gtk_builder_new_from_resource (RESOURCE_PREFIX "/ui/reins-shortcuts-window.ui");
  shortcuts = GTK_WINDOW (gtk_builder_get_object (builder, "shortcuts_window"));
  gtk_window_set_transient_for (shortcuts, gtk_application_get_active_window (app));
  gtk_window_present (shortcuts);
}

static void
reins_application_preferences_action (GSimpleAction *action,
                                      GVariant      *parameter,
                                      gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GtkWidget *preferences;

  preferences = reins_preferences_window_new (gtk_application_get_active_window (app));
  gtk_window_present (GTK_WINDOW (preferences));
}

/* From a notification's Approve button: the run's pending action is approved. */
static void
reins_application_approve_run_action (GSimpleAction *action,
                                      GVariant      *parameter,
                                      gpointer       user_data)
{
  ReinsApplication *self = REINS_APPLICATION (user_data);

  reins_run_manager_approve (self->run_manager, g_variant_get_string (parameter, NULL));
}

/* From a notification: the window that runs the run shows it and its question. */
static void
reins_application_open_run_action (GSimpleAction *action,
                                   GVariant      *parameter,
                                   gpointer       user_data)
{
  ReinsApplication *self = REINS_APPLICATION (user_data);
  const char *run_id = g_variant_get_string (parameter, NULL);
  GObject *owner = reins_run_manager_get_owner (self->run_manager, run_id);

  if (REINS_IS_WINDOW (owner))
    reins_window_open_run (REINS_WINDOW (owner), run_id);
}

/* From a notification of a question of a run elsewhere (--approve=remote): the first
 * window whose store holds it approves it (where it can be approved as it is) or opens it. */
static void
answer_remote (ReinsApplication *self,
               const char       *run_id,
               gboolean          approve)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (REINS_IS_WINDOW (l->data) &&
        reins_window_answer_remote (REINS_WINDOW (l->data), run_id, approve))
      return;
}

static void
reins_application_approve_remote_action (GSimpleAction *action,
                                         GVariant      *parameter,
                                         gpointer       user_data)
{
  answer_remote (REINS_APPLICATION (user_data), g_variant_get_string (parameter, NULL), TRUE);
}

static void
reins_application_review_remote_action (GSimpleAction *action,
                                        GVariant      *parameter,
                                        gpointer       user_data)
{
  answer_remote (REINS_APPLICATION (user_data), g_variant_get_string (parameter, NULL), FALSE);
}

static const GActionEntry app_actions[] = {
  { "preferences", reins_application_preferences_action },
  { "approve-run", reins_application_approve_run_action, "s" },
  { "open-run", reins_application_open_run_action, "s" },
  { "approve-remote", reins_application_approve_remote_action, "s" },
  { "review-remote", reins_application_review_remote_action, "s" },
  { "quit", reins_application_quit_action },
  { "about", reins_application_about_action },
  { "shortcuts", reins_application_shortcuts_action },
};

static void
reins_application_dispose (GObject *object)
{
  ReinsApplication *self = (ReinsApplication *)object;

  g_clear_object (&self->run_manager);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (reins_application_parent_class)->dispose (object);
}

static void
reins_application_class_init (ReinsApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = reins_application_dispose;

  app_class->activate = reins_application_activate;
  app_class->startup = reins_application_startup;
  app_class->shutdown = reins_application_shutdown;
  app_class->command_line = reins_application_command_line;
  app_class->handle_local_options = reins_application_handle_local_options;
}

static void
reins_application_init (ReinsApplication *self)
{
  self->run_manager = reins_run_manager_new (G_APPLICATION (self));
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
}

/**
 * reins_application_get_run_manager:
 *
 * Returns: (transfer none): the runs going in this process, which the windows show
 */
ReinsRunManager *
reins_application_get_run_manager (ReinsApplication *self)
{
  g_return_val_if_fail (REINS_IS_APPLICATION (self), NULL);

  return self->run_manager;
}

ReinsApplication *
reins_application_new (void)
{
  return g_object_new (REINS_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "resource-base-path", RESOURCE_PREFIX,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       NULL);
}
