/* reins-provider.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The ReinsProvider interface, its configuration and the factory that picks a provider.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "reins-provider.h"
#include "reins-provider-info.h"

G_DEFINE_INTERFACE (ReinsProvider, reins_provider, G_TYPE_OBJECT)

static gboolean
reins_provider_real_supports_embeddings (ReinsProvider *self)
{
  return FALSE;
}

static GPtrArray *
reins_provider_real_embed (ReinsProvider      *self,
                           const char * const *texts,
                           GCancellable       *cancellable,
                           GError            **error)
{
  g_set_error (error, REINS_ERROR, REINS_ERROR_PROVIDER,
               _("The provider “%s” has no embeddings endpoint"),
               reins_provider_get_name (self));
  return NULL;
}

static GStrv
reins_provider_real_list_models (ReinsProvider  *self,
                                 GCancellable   *cancellable,
                                 GError        **error)
{
  g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
               _("The provider “%s” has no connection to test."),
               reins_provider_get_name (self));
  return NULL;
}

static void
reins_provider_default_init (ReinsProviderInterface *iface)
{
  iface->supports_embeddings = reins_provider_real_supports_embeddings;
  iface->embed = reins_provider_real_embed;
  iface->list_models = reins_provider_real_list_models;
}

ReinsProviderConfig *
reins_provider_config_new (const char *name)
{
  ReinsProviderConfig *config = g_new0 (ReinsProviderConfig, 1);

  config->name = g_strdup (name);
  config->max_retries = G_MAXUINT;
  return config;
}

ReinsProviderConfig *
reins_provider_config_copy (const ReinsProviderConfig *config)
{
  ReinsProviderConfig *copy;

  g_return_val_if_fail (config != NULL, NULL);

  copy = g_memdup2 (config, sizeof *config);
  copy->name = g_strdup (config->name);
  copy->base_url = g_strdup (config->base_url);
  copy->model = g_strdup (config->model);
  copy->api_key = g_strdup (config->api_key);
  copy->script_path = g_strdup (config->script_path);
  copy->embedding_model = g_strdup (config->embedding_model);
  return copy;
}

void
reins_provider_config_free (ReinsProviderConfig *config)
{
  if (config == NULL)
    return;

  g_free (config->name);
  g_free (config->base_url);
  g_free (config->model);
  if (config->api_key != NULL)
    {
      /* Do not leave the key lying around in freed memory. */
      memset (config->api_key, 0, strlen (config->api_key));
      g_free (config->api_key);
    }
  g_free (config->script_path);
  g_free (config->embedding_model);
  g_free (config);
}

const char * const *
reins_provider_get_names (void)
{
  static const char *names[16];
  static gsize filled = 0;

  if (g_once_init_enter (&filled))
    {
      const ReinsProviderInfo * const *infos = reins_provider_info_get_all ();

      g_assert (g_strv_length ((char **) infos) < G_N_ELEMENTS (names));
      for (guint i = 0; infos[i] != NULL; i++)
        names[i] = reins_provider_info_get_id (infos[i]);
      g_once_init_leave (&filled, 1);
    }
  return names;
}

/**
 * reins_provider_new_for_config:
 * @config: which provider and how to reach it; a NULL name means `sim`
 *
 * Returns: (transfer full): a new provider, or %NULL with @error set (an unknown name or a
 *   configuration the provider refuses, such as a malformed script)
 */
ReinsProvider *
reins_provider_new_for_config (const ReinsProviderConfig  *config,
                               GError                    **error)
{
  const ReinsProviderInfo *info;
  const char *name;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  name = config->name != NULL && config->name[0] != '\0' ? config->name : "sim";
  info = reins_provider_info_lookup (name);
  if (info == NULL)
    {
      g_autofree char *known = g_strjoinv (", ", (char **) reins_provider_get_names ());

      g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
                   _("Unknown provider “%s” (known: %s)"), name, known);
      return NULL;
    }
  return reins_provider_info_new_provider (info, config, error);
}

const char *
reins_provider_get_name (ReinsProvider *self)
{
  g_return_val_if_fail (REINS_IS_PROVIDER (self), NULL);

  return REINS_PROVIDER_GET_IFACE (self)->get_name (self);
}

/**
 * reins_provider_chat:
 * @token_func: (nullable): called on this thread with each streamed text delta
 *
 * Sends @request and waits for the whole answer. Runs on the caller's (worker) thread.
 *
 * Returns: (transfer full): the answer, or %NULL with @error set (REINS_ERROR_PROVIDER_*,
 *   or G_IO_ERROR_CANCELLED / REINS_ERROR_CANCELLED when @cancellable was triggered)
 */
ReinsChatResponse *
reins_provider_chat (ReinsProvider     *self,
                     ReinsChatRequest  *request,
                     ReinsTokenFunc     token_func,
                     gpointer           token_data,
                     GCancellable      *cancellable,
                     GError           **error)
{
  ReinsChatResponse *response;
  gint64 start;

  g_return_val_if_fail (REINS_IS_PROVIDER (self), NULL);
  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  start = g_get_monotonic_time ();
  response = REINS_PROVIDER_GET_IFACE (self)->chat (self, request, token_func, token_data,
                                                   cancellable, error);
  g_return_val_if_fail (response != NULL || error == NULL || *error != NULL, NULL);
  if (response == NULL)
    return NULL;

  if (response->text == NULL)
    response->text = g_strdup ("");
  if (response->latency_ms == 0)
    response->latency_ms = (g_get_monotonic_time () - start) / 1000;
  return response;
}

gboolean
reins_provider_supports_embeddings (ReinsProvider *self)
{
  g_return_val_if_fail (REINS_IS_PROVIDER (self), FALSE);

  return REINS_PROVIDER_GET_IFACE (self)->supports_embeddings (self);
}

GPtrArray *
reins_provider_embed (ReinsProvider      *self,
                      const char * const *texts,
                      GCancellable       *cancellable,
                      GError            **error)
{
  g_return_val_if_fail (REINS_IS_PROVIDER (self), NULL);
  g_return_val_if_fail (texts != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  return REINS_PROVIDER_GET_IFACE (self)->embed (self, texts, cancellable, error);
}

GStrv
reins_provider_list_models (ReinsProvider  *self,
                            GCancellable   *cancellable,
                            GError        **error)
{
  g_return_val_if_fail (REINS_IS_PROVIDER (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  return REINS_PROVIDER_GET_IFACE (self)->list_models (self, cancellable, error);
}

ReinsError
reins_provider_error_from_string (const char *name)
{
  static const struct {
    const char *name;
    ReinsError  code;
  } codes[] = {
    { "auth", REINS_ERROR_PROVIDER_AUTH },
    { "rate_limited", REINS_ERROR_PROVIDER_RATE_LIMITED },
    { "unreachable", REINS_ERROR_PROVIDER_UNREACHABLE },
    { "protocol", REINS_ERROR_PROVIDER_PROTOCOL },
    { "timeout", REINS_ERROR_PROVIDER_TIMEOUT },
    { "cancelled", REINS_ERROR_CANCELLED },
    { "provider", REINS_ERROR_PROVIDER },
  };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    if (g_strcmp0 (name, codes[i].name) == 0)
      return codes[i].code;
  return REINS_ERROR_PROVIDER;
}

/**
 * reins_provider_describe_error:
 * @error: what reins_provider_chat() failed with
 *
 * Why a run ended on its model, in words that tell apart a server that could not be
 * reached from one that refused the key, kept failing, or answered something unreadable.
 *
 * Returns: (transfer full): the sentence, then @error's message
 */
char *
reins_provider_describe_error (const GError *error)
{
  const char *what = _("The model could not be reached");

  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == REINS_ERROR)
    switch (error->code)
      {
      case REINS_ERROR_PROVIDER_AUTH:
        what = _("The model server refused the API key");
        break;

      case REINS_ERROR_PROVIDER_RATE_LIMITED:
        what = _("The model server kept rate-limiting the requests, even after retries");
        break;

      case REINS_ERROR_PROVIDER:
        what = _("The model server answered with an error");
        break;

      case REINS_ERROR_PROVIDER_PROTOCOL:
        what = _("The model server was reached, but its reply could not be used");
        break;

      case REINS_ERROR_PROVIDER_TIMEOUT:
        what = _("The model did not answer in time");
        break;

      case REINS_ERROR_USAGE:
        what = _("The model cannot be used as configured");
        break;

      default:
        break;
      }

  /* Translators: the first %s says what went wrong with the model, the second the details */
  return g_strdup_printf (_("%s: %s"), what, error->message);
}
