/* test-pricing.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pricing table: matching, overrides, costs from known token counts, bad files.
 */

#include "config.h"

#include <glib/gstdio.h>

#include "reins-error.h"
#include "reins-pricing.h"

static ReinsPricing *
shipped_table (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "pricing.json", NULL);
  g_autoptr(GError) error = NULL;
  ReinsPricing *pricing = reins_pricing_new_from_file (path, &error);

  g_assert_no_error (error);
  return pricing;
}

static void
test_shipped (void)
{
  g_autoptr(ReinsPricing) pricing = shipped_table ();
  double in, out;

  g_assert_true (reins_pricing_lookup (pricing, "openai", "gpt-4o-mini-2024-07-18", &in, &out));
  g_assert_cmpfloat (in, ==, 0.15);
  g_assert_cmpfloat (out, ==, 0.60);
  /* The longer pattern wins over "gpt-4o*", whatever the order of the file. */
  g_assert_true (reins_pricing_lookup (pricing, "openai", "gpt-4o", &in, &out));
  g_assert_cmpfloat (in, ==, 2.50);
  g_assert_true (reins_pricing_lookup (pricing, "anthropic", "claude-sonnet-4-5", &in, &out));
  g_assert_cmpfloat (out, ==, 15.0);

  /* Anything through ollama is local, even with a paid model's name. */
  g_assert_true (reins_pricing_lookup (pricing, "ollama", "gpt-4o", &in, &out));
  g_assert_cmpfloat (in + out, ==, 0);

  /* The simulator has a small, fictional, nonzero price. */
  g_assert_true (reins_pricing_lookup (pricing, "sim", "sim", &in, &out));
  g_assert_cmpfloat (in, >, 0);
  g_assert_cmpfloat_with_epsilon (reins_pricing_cost (pricing, "sim", NULL, 2000000, 1000000),
                                  2 * 0.15 + 0.60, 1e-12);

  /* 812 in + 57 out on gpt-4o: 812 * 2.5e-6 + 57 * 10e-6. */
  g_assert_cmpfloat_with_epsilon (reins_pricing_cost (pricing, "openai", "gpt-4o", 812, 57),
                                  0.00260, 1e-9);

  /* Unknown: free, and said so. */
  g_assert_false (reins_pricing_lookup (pricing, "openai", "mystery-model", &in, &out));
  g_assert_cmpfloat (reins_pricing_cost (pricing, "openai", "mystery-model", 1000, 1000), ==, 0);
}

static void
test_override (void)
{
  g_autoptr(ReinsPricing) pricing = shipped_table ();
  double in, out;

  reins_pricing_set_override (pricing, 1.0, 2.0);
  g_assert_true (reins_pricing_lookup (pricing, "openai", "mystery-model", &in, &out));
  g_assert_cmpfloat_with_epsilon (reins_pricing_cost (pricing, "openai", "gpt-4o", 1000000, 500000),
                                  2.0, 1e-12);

  /* Only the input price overridden: the output price stays the table's. */
  reins_pricing_set_override (pricing, 0.0, -1);
  g_assert_cmpfloat_with_epsilon (reins_pricing_cost (pricing, "openai", "gpt-4o", 1000000, 1000000),
                                  10.0, 1e-12);
}

static void
test_default_path (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "pricing.json", NULL);
  g_autoptr(ReinsPricing) fallback = NULL;
  g_autoptr(ReinsPricing) shipped = NULL;
  g_autofree char *where = NULL;
  double in, out;

  g_setenv ("REINS_PRICING_FILE", "/nonexistent/pricing.json", TRUE);
  fallback = reins_pricing_new_default ();
  g_assert_true (reins_pricing_lookup (fallback, "sim", "sim", &in, &out));
  g_assert_cmpfloat (in, ==, 0.15);
  g_assert_false (reins_pricing_lookup (fallback, "openai", "gpt-4o", &in, &out));

  g_setenv ("REINS_PRICING_FILE", path, TRUE);
  where = reins_pricing_get_default_path ();
  g_assert_cmpstr (where, ==, path);
  shipped = reins_pricing_new_default ();
  g_assert_true (reins_pricing_lookup (shipped, "openai", "gpt-4o", &in, &out));
  g_unsetenv ("REINS_PRICING_FILE");
}

static void
test_malformed (void)
{
  const char *bad[] = {
    "",
    "{",
    "[]",
    "{\"models\": {}}",
    "{\"models\": [1]}",
    "{\"models\": [{\"input\": 1, \"output\": 1}]}",
    "{\"models\": [{\"model\": \"x\", \"input\": \"1\", \"output\": 1}]}",
    "{\"models\": [{\"model\": \"x\", \"input\": 1}]}",
    "{\"models\": [{\"model\": \"x\", \"input\": -1, \"output\": 1}]}",
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("reins-pricing-XXXXXX", &error);

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *path = g_build_filename (dir, "p.json", NULL);
      g_autoptr(ReinsPricing) pricing = NULL;

      g_file_set_contents (path, bad[i], -1, &error);
      g_assert_no_error (error);
      pricing = reins_pricing_new_from_file (path, &error);
      g_assert_null (pricing);
      g_assert_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA);
      g_clear_error (&error);
      g_unlink (path);
    }
  g_rmdir (dir);

  g_assert_null (reins_pricing_new_from_file ("/nonexistent/p.json", &error));
  g_assert_error (error, REINS_ERROR, REINS_ERROR_NOT_FOUND);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reins/model/pricing/shipped", test_shipped);
  g_test_add_func ("/reins/model/pricing/override", test_override);
  g_test_add_func ("/reins/model/pricing/default-path", test_default_path);
  g_test_add_func ("/reins/model/pricing/malformed", test_malformed);

  return g_test_run ();
}
