/* test-provider-info.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The provider descriptors: one per built-in provider, agreeing with the factory, and the
 * model list of a provider that reaches nothing refused as a usage error.
 */

#include "config.h"

#include <string.h>

#include "reins-error.h"
#include "reins-provider-info.h"
#include "reins-run-options.h"

static void
test_table (void)
{
  const ReinsProviderInfo * const *infos = reins_provider_info_get_all ();
  const char * const *names = reins_provider_get_names ();
  const ReinsProviderInfo *openai = reins_provider_info_lookup ("openai");
  const ReinsProviderInfo *ollama = reins_provider_info_lookup ("ollama");
  const ReinsProviderInfo *scripted = reins_provider_info_lookup ("scripted");

  /* The factory's names are the descriptors', the simulator first. */
  g_assert_cmpuint (g_strv_length ((char **) infos), ==, g_strv_length ((char **) names));
  g_assert_cmpstr (names[0], ==, "sim");
  for (guint i = 0; infos[i] != NULL; i++)
    {
      const ReinsProviderInfo *info = infos[i];
      const char *id = reins_provider_info_get_id (info);
      g_autoptr(ReinsProviderConfig) config = reins_provider_config_new (id);
      g_autoptr(ReinsProvider) provider = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_cmpstr (reins_provider_info_get_id (info), ==, names[i]);
      g_assert_true (reins_provider_info_lookup (names[i]) == info);
      g_assert_cmpstr (reins_provider_info_get_display_name (info), !=, "");
      g_assert_nonnull (reins_provider_info_get_default_model (info));
      g_assert_cmpstr (reins_run_options_default_model (names[i]), ==,
                       reins_provider_info_get_default_model (info));
      /* A key is needed only where there is a variable to read it from. */
      g_assert_true (!reins_provider_info_needs_key (info) ||
                     reins_provider_info_get_key_env (info) != NULL);

      if (reins_provider_info_needs_script (info))
        continue;
      provider = reins_provider_new_for_config (config, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (reins_provider_get_name (provider), ==, names[i]);
    }

  g_assert_cmpstr (reins_provider_info_get_default_base_url (openai), ==,
                   "https://api.openai.com/v1");
  g_assert_cmpstr (reins_provider_key_env ("openai"), ==, "OPENAI_API_KEY");
  g_assert_cmpstr (reins_provider_key_env ("anthropic"), ==, "ANTHROPIC_API_KEY");
  g_assert_true (reins_provider_info_needs_key (openai));
  g_assert_true (reins_provider_info_has_endpoint (ollama));
  g_assert_false (reins_provider_info_needs_key (ollama));
  g_assert_null (reins_provider_key_env ("ollama"));
  g_assert_true (reins_provider_info_needs_script (scripted));
  g_assert_false (reins_provider_info_has_endpoint (scripted));
  g_assert_false (reins_provider_info_has_endpoint (reins_provider_info_lookup ("sim")));

  /* Unknown names are nobody's. */
  g_assert_null (reins_provider_info_lookup ("gpt"));
  g_assert_null (reins_provider_info_lookup (NULL));
  g_assert_null (reins_provider_key_env ("gpt"));
  g_assert_cmpstr (reins_run_options_default_model ("gpt"), ==, "gpt");
}

static void
test_unknown_provider (void)
{
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("gpt");
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsProvider) provider = reins_provider_new_for_config (config, &error);

  g_assert_null (provider);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);
  /* The message lists what is known, from the descriptors. */
  g_assert_nonnull (strstr (error->message, "sim, openai, anthropic, ollama, scripted"));
}

static void
test_list_models_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("sim");
  g_autoptr(ReinsProvider) sim = reins_provider_new_for_config (config, NULL);

  /* Nothing to reach: a usage error, from the descriptor and from the provider. */
  names = reins_provider_info_list_models (reins_provider_info_lookup ("sim"), NULL, NULL, NULL,
                                           &error);
  g_assert_null (names);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);
  g_clear_error (&error);
  names = reins_provider_list_models (sim, NULL, &error);
  g_assert_null (names);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);
  g_clear_error (&error);

  /* A base URL that is not http(s) is refused before anything is sent. */
  names = reins_provider_info_list_models (reins_provider_info_lookup ("ollama"), "ftp://x", NULL,
                                           NULL, &error);
  g_assert_null (names);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reins/model/provider-info/table", test_table);
  g_test_add_func ("/reins/model/provider-info/unknown", test_unknown_provider);
  g_test_add_func ("/reins/model/provider-info/list-models-refused", test_list_models_refused);

  return g_test_run ();
}
