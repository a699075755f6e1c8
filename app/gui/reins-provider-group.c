/* reins-provider-group.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One provider with a server in the preferences: its endpoint and model (the keys
 * "<provider>-base-url" and "<provider>-model", bound with g_settings_bind), its API key (to
 * the keyring through app/secrets, never to GSettings) and "Test Connection". Saving a key
 * and testing run on worker threads; their outcome is the group's `test-status` and
 * `key-status`, shown under the connection row.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-connection-test.h"
#include "reins-key-cache.h"
#include "reins-provider-group.h"
#include "reins-provider-info.h"
#include "reins-secrets.h"

struct _ReinsProviderGroup
{
  AdwPreferencesGroup  parent_instance;

  /* Template widgets */
  AdwEntryRow         *url_row;
  AdwEntryRow         *model_row;
  AdwEntryRow         *key_row;
  AdwActionRow        *test_row;

  /* Owned */
  GSettings           *settings;
  GCancellable        *cancellable;
  char                *provider;
  char                *test_status;
  char                *key_status;
};

G_DEFINE_FINAL_TYPE (ReinsProviderGroup, reins_provider_group, ADW_TYPE_PREFERENCES_GROUP)

enum {
  PROP_0,
  PROP_PROVIDER,
  PROP_SETTINGS,
  PROP_TEST_STATUS,
  PROP_KEY_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Sets the test or key status (NULL: cleared) and shows it under the connection row. */
static void
set_status (ReinsProviderGroup  *self,
            guint                prop_id,
            const char          *status)
{
  char **field = prop_id == PROP_TEST_STATUS ? &self->test_status : &self->key_status;

  if (g_strcmp0 (*field, status) == 0)
    return;
  g_free (*field);
  *field = g_strdup (status);
  if (status != NULL)
    adw_action_row_set_subtitle (self->test_row, status);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
tested_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(ReinsProviderGroup) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = reins_connection_test_finish (result, &error);
  g_autofree char *status = NULL;

  if (names == NULL)
    status = g_strdup (error->message);
  else if (names[0] == NULL)
    status = g_strdup (_("Connected, but the server lists no models."));
  else
    {
      guint n = g_strv_length (names);
      g_autoptr(GString) list = g_string_new (NULL);

      for (guint i = 0; i < n && i < 6; i++)
        g_string_append_printf (list, "%s%s", i > 0 ? ", " : "", names[i]);
      if (n > 6)
        g_string_append (list, ", …");
      /* Translators: the result of "Test connection": how many models, then some names */
      status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Connected: %u model — %s",
                                             "Connected: %u models — %s", n), n, list->str);
    }
  set_status (self, PROP_TEST_STATUS, status);
}

static void
test_with_key (ReinsProviderGroup *self,
               const char         *key)
{
  g_autofree char *url_key = g_strconcat (self->provider, "-base-url", NULL);
  g_autofree char *base_url = g_settings_get_string (self->settings, url_key);

  reins_connection_test_async (self->provider, base_url, key, self->cancellable, tested_cb,
                               g_object_ref (self));
}

static void
test_key_found_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(ReinsProviderGroup) self = user_data;
  g_autofree char *key = reins_secrets_get_api_key_finish (result, NULL);

  test_with_key (self, key);
}

/**
 * reins_provider_group_test_connection:
 *
 * Asks the provider for its models, with the key being typed, else the keyring's or the
 * environment's; the answer becomes `test-status`.
 */
void
reins_provider_group_test_connection (ReinsProviderGroup *self)
{
  const char *typed;

  g_return_if_fail (REINS_IS_PROVIDER_GROUP (self));

  set_status (self, PROP_TEST_STATUS, NULL);
  adw_action_row_set_subtitle (self->test_row, _("Testing…"));

  typed = gtk_editable_get_text (GTK_EDITABLE (self->key_row));
  if (typed[0] != '\0')
    test_with_key (self, typed);
  else if (gtk_widget_get_visible (GTK_WIDGET (self->key_row)))
    reins_secrets_get_api_key_async (self->provider, self->cancellable, test_key_found_cb,
                                     g_object_ref (self));
  else
    test_with_key (self, NULL);
}

const char *
reins_provider_group_get_test_status (ReinsProviderGroup *self)
{
  g_return_val_if_fail (REINS_IS_PROVIDER_GROUP (self), NULL);

  return self->test_status;
}

typedef struct
{
  ReinsProviderGroup *self;
  gboolean            removed;
} Saving;

static void
key_saved_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Saving *saving = user_data;
  g_autoptr(ReinsProviderGroup) self = saving->self;
  g_autoptr(GError) error = NULL;

  if (reins_secrets_store_key_finish (result, &error))
    {
      /* Runs started from now on use it. */
      reins_key_cache_refresh ();
      set_status (self, PROP_KEY_STATUS, saving->removed
                                          ? _("The key is removed from the keyring.")
                                          : _("The key is saved in the keyring."));
    }
  else
    set_status (self, PROP_KEY_STATUS, error->message);
  g_free (saving);
}

/* Saves @key (or removes the key, if empty) in the keyring, off the main thread. */
void
reins_provider_group_save_key (ReinsProviderGroup *self,
                               const char         *key)
{
  Saving *saving;

  g_return_if_fail (REINS_IS_PROVIDER_GROUP (self));

  saving = g_new0 (Saving, 1);
  saving->self = g_object_ref (self);
  saving->removed = key == NULL || key[0] == '\0';
  set_status (self, PROP_KEY_STATUS, NULL);
  reins_secrets_store_key_async (self->provider, key, self->cancellable, key_saved_cb, saving);
}

const char *
reins_provider_group_get_key_status (ReinsProviderGroup *self)
{
  g_return_val_if_fail (REINS_IS_PROVIDER_GROUP (self), NULL);

  return self->key_status;
}

static void
key_apply_cb (ReinsProviderGroup *self)
{
  g_autofree char *key = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->key_row)));

  reins_provider_group_save_key (self, key);
  /* The key does not stay on screen once it is in the keyring. */
  gtk_editable_set_text (GTK_EDITABLE (self->key_row), "");
}

const char *
reins_provider_group_get_provider (ReinsProviderGroup *self)
{
  g_return_val_if_fail (REINS_IS_PROVIDER_GROUP (self), NULL);

  return self->provider;
}

static void
reins_provider_group_constructed (GObject *object)
{
  ReinsProviderGroup *self = (ReinsProviderGroup *)object;
  const ReinsProviderInfo *info = reins_provider_info_lookup (self->provider);
  g_autofree char *url_key = g_strconcat (self->provider, "-base-url", NULL);
  g_autofree char *model_key = g_strconcat (self->provider, "-model", NULL);
  g_autofree char *url_title = NULL;

  G_OBJECT_CLASS (reins_provider_group_parent_class)->constructed (object);

  g_return_if_fail (info != NULL && reins_provider_info_has_endpoint (info));
  g_return_if_fail (self->settings != NULL);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self),
                                   reins_provider_info_get_display_name (info));
  /* Translators: the base URL of a provider, with its default in brackets */
  url_title = g_strdup_printf (_("Base URL (default %s)"),
                               reins_provider_info_get_default_base_url (info));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->url_row), url_title);
  g_settings_bind (self->settings, url_key, self->url_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, model_key, self->model_row, "text", G_SETTINGS_BIND_DEFAULT);

  if (reins_provider_info_get_key_env (info) != NULL)
    {
      g_autofree char *key_title = NULL;

      /* Translators: the placeholder is an environment variable, e.g. OPENAI_API_KEY */
      key_title = g_strdup_printf (_("API Key (kept in the keyring; else $%s)"),
                                   reins_provider_info_get_key_env (info));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->key_row), key_title);
      gtk_widget_set_visible (GTK_WIDGET (self->key_row), TRUE);
    }
}

static void
reins_provider_group_dispose (GObject *object)
{
  ReinsProviderGroup *self = (ReinsProviderGroup *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (reins_provider_group_parent_class)->dispose (object);
}

static void
reins_provider_group_finalize (GObject *object)
{
  ReinsProviderGroup *self = (ReinsProviderGroup *)object;

  g_clear_object (&self->cancellable);
  g_free (self->provider);
  g_free (self->test_status);
  g_free (self->key_status);

  G_OBJECT_CLASS (reins_provider_group_parent_class)->finalize (object);
}

static void
reins_provider_group_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  ReinsProviderGroup *self = REINS_PROVIDER_GROUP (object);

  switch (prop_id)
    {
    case PROP_PROVIDER:
      g_value_set_string (value, self->provider);
      break;

    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_TEST_STATUS:
      g_value_set_string (value, self->test_status);
      break;

    case PROP_KEY_STATUS:
      g_value_set_string (value, self->key_status);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reins_provider_group_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  ReinsProviderGroup *self = REINS_PROVIDER_GROUP (object);

  switch (prop_id)
    {
    case PROP_PROVIDER:
      self->provider = g_value_dup_string (value);
      break;

    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reins_provider_group_class_init (ReinsProviderGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = reins_provider_group_constructed;
  object_class->dispose = reins_provider_group_dispose;
  object_class->finalize = reins_provider_group_finalize;
  object_class->get_property = reins_provider_group_get_property;
  object_class->set_property = reins_provider_group_set_property;

  properties[PROP_PROVIDER] =
    g_param_spec_string ("provider", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TEST_STATUS] =
    g_param_spec_string ("test-status", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_KEY_STATUS] =
    g_param_spec_string ("key-status", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/reins-provider-group.ui");
  gtk_widget_class_bind_template_child (widget_class, ReinsProviderGroup, url_row);
  gtk_widget_class_bind_template_child (widget_class, ReinsProviderGroup, model_row);
  gtk_widget_class_bind_template_child (widget_class, ReinsProviderGroup, key_row);
  gtk_widget_class_bind_template_child (widget_class, ReinsProviderGroup, test_row);
  gtk_widget_class_bind_template_callback (widget_class, key_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, reins_provider_group_test_connection);
}

static void
reins_provider_group_init (ReinsProviderGroup *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* @provider: the id of a provider whose descriptor has an endpoint */
GtkWidget *
reins_provider_group_new (const char *provider,
                          GSettings  *settings)
{
  g_return_val_if_fail (provider != NULL, NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (REINS_TYPE_PROVIDER_GROUP,
                       "provider", provider,
                       "settings", settings,
                       NULL);
}
