/* reins-provider-info.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The built-in providers, described once: their name, how a person sees them, where they
 * are reached by default, which model they use when none is named, where their key comes
 * from, and how each is made. Everything else (the factory, reins-cli, the New Run dialog,
 * the preferences, the key cache, "Test connection") reads this table.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-provider-info.h"
#include "reins-provider-anthropic.h"
#include "reins-provider-ollama.h"
#include "reins-provider-openai.h"
#include "reins-provider-scripted.h"
#include "reins-provider-sim.h"

struct _ReinsProviderInfo
{
  const char *id;
  const char *display_name;     /* N_() */
  const char *default_base_url; /* NULL: nothing to reach */
  const char *default_model;
  const char *key_env;          /* NULL: takes no key */
  gboolean    needs_key;        /* the connection test refuses to try without one */
  gboolean    needs_script;
  ReinsProvider *(*new_func) (const ReinsProviderConfig *config,
                              GError                   **error);
};

/* The offline simulator first: it works with no key and no network. */
static const ReinsProviderInfo sim_info = {
  "sim", N_("Simulator (offline)"), NULL, "sim-1", NULL, FALSE, FALSE, reins_provider_sim_new,
};
static const ReinsProviderInfo openai_info = {
  "openai", N_("OpenAI"), "https://api.openai.com/v1", "gpt-4o-mini", "OPENAI_API_KEY", TRUE,
  FALSE, reins_provider_openai_new,
};
static const ReinsProviderInfo anthropic_info = {
  "anthropic", N_("Anthropic"), "https://api.anthropic.com", "claude-3-5-haiku-latest",
  "ANTHROPIC_API_KEY", TRUE, FALSE, reins_provider_anthropic_new,
};
static const ReinsProviderInfo ollama_info = {
  "ollama", N_("Ollama"), "http://localhost:11434", "llama3.2", NULL, FALSE, FALSE,
  reins_provider_ollama_new,
};
static const ReinsProviderInfo scripted_info = {
  "scripted", N_("Scripted (a file of replies)"), NULL, "scripted", NULL, FALSE, TRUE,
  reins_provider_scripted_new,
};

static const ReinsProviderInfo * const all_infos[] = {
  &sim_info, &openai_info, &anthropic_info, &ollama_info, &scripted_info, NULL
};

/**
 * reins_provider_info_get_all:
 *
 * Returns: (transfer none): every built-in provider, NULL-terminated, the simulator first
 */
const ReinsProviderInfo * const *
reins_provider_info_get_all (void)
{
  return all_infos;
}

/* Returns: (nullable): the provider called @id, or NULL when there is none */
const ReinsProviderInfo *
reins_provider_info_lookup (const char *id)
{
  for (guint i = 0; id != NULL && all_infos[i] != NULL; i++)
    if (g_str_equal (all_infos[i]->id, id))
      return all_infos[i];
  return NULL;
}

const char *
reins_provider_info_get_id (const ReinsProviderInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);

  return info->id;
}

/* Returns: the translated name a person sees */
const char *
reins_provider_info_get_display_name (const ReinsProviderInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);

  return g_dgettext (GETTEXT_PACKAGE, info->display_name);
}

/* Returns: (nullable): the endpoint used when none is given; NULL for a provider that
 *   reaches nothing (sim, scripted) */
const char *
reins_provider_info_get_default_base_url (const ReinsProviderInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);

  return info->default_base_url;
}

/* Returns: the model a new run uses when none is named */
const char *
reins_provider_info_get_default_model (const ReinsProviderInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);

  return info->default_model;
}

/* Returns: (nullable): the environment variable the key is read from when no keyring has
 *   one, or NULL for a provider that takes no key */
const char *
reins_provider_info_get_key_env (const ReinsProviderInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);

  return info->key_env;
}

gboolean
reins_provider_info_needs_key (const ReinsProviderInfo *info)
{
  g_return_val_if_fail (info != NULL, FALSE);

  return info->needs_key;
}

/* Whether the provider talks to a server (and so has a base URL and models to list). */
gboolean
reins_provider_info_has_endpoint (const ReinsProviderInfo *info)
{
  g_return_val_if_fail (info != NULL, FALSE);

  return info->default_base_url != NULL;
}

/* Whether the provider replays a script file (and so cannot be a default provider). */
gboolean
reins_provider_info_needs_script (const ReinsProviderInfo *info)
{
  g_return_val_if_fail (info != NULL, FALSE);

  return info->needs_script;
}

/* Returns: (transfer full): a new provider of this kind, or NULL with @error set */
ReinsProvider *
reins_provider_info_new_provider (const ReinsProviderInfo    *info,
                                  const ReinsProviderConfig  *config,
                                  GError                    **error)
{
  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (config != NULL, NULL);

  return info->new_func (config, error);
}

/**
 * reins_provider_info_list_models:
 * @base_url: (nullable): the endpoint, or NULL / "" for the provider's default
 * @api_key: (nullable): the key, sent only in its header and never shown in a message
 *
 * Asks the provider's server which models it has: a quick check (15 s, no retries) that the
 * endpoint and the key work. Blocks: call it off the main thread.
 *
 * Returns: (transfer full): the model names, sorted, or NULL with @error set
 */
GStrv
reins_provider_info_list_models (const ReinsProviderInfo  *info,
                                 const char               *base_url,
                                 const char               *api_key,
                                 GCancellable             *cancellable,
                                 GError                  **error)
{
  g_autoptr(ReinsProviderConfig) config = NULL;
  g_autoptr(ReinsProvider) provider = NULL;

  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!reins_provider_info_has_endpoint (info))
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
                   _("The provider “%s” has no connection to test."), info->id);
      return NULL;
    }
  config = reins_provider_config_new (info->id);
  config->base_url = g_strdup (base_url != NULL && base_url[0] != '\0' ? base_url : NULL);
  config->api_key = g_strdup (api_key);
  config->timeout_s = 15;
  config->max_retries = 0;
  provider = reins_provider_info_new_provider (info, config, error);
  if (provider == NULL)
    return NULL;
  return reins_provider_list_models (provider, cancellable, error);
}

const char *
reins_provider_key_env (const char *id)
{
  const ReinsProviderInfo *info = reins_provider_info_lookup (id);

  return info != NULL ? info->key_env : NULL;
}
