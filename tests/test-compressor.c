/* test-compressor.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ReinsCompressor: when the model writes the summary and when the steps are extracted, the
 * fallback when the model cannot, reuse of a stored summary, and the summary prompt.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "reins-compressor.h"
#include "reins-prompt.h"

typedef struct
{
  char          *dir;
  ReinsStore    *store;
  ReinsRun      *run;
  GPtrArray     *steps;
  ReinsProvider *provider;
} Fixture;

static void
fixture_setup (Fixture    *f,
               const char *provider,
               const char *script)
{
  g_autofree char *db = NULL;
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_new (provider);
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("reins-compressor-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (f->dir, "reins.db", NULL);
  f->store = reins_store_open (db, &error);
  g_assert_no_error (error);

  f->run = reins_run_new ("Find the value at the end of the chain");
  reins_run_set_model (f->run, "m");
  g_assert_true (reins_store_insert_run (f->store, f->run, &error));
  g_assert_no_error (error);

  f->steps = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 1; i <= 6; i++)
    {
      ReinsStep *step = reins_step_new (reins_run_get_id (f->run), i);
      g_autoptr(JsonObject) args = json_object_new ();
      g_autoptr(ReinsAction) action = NULL;
      g_autofree char *key = g_strdup_printf ("key-%u", i);

      json_object_set_string_member (args, "key", key);
      action = reins_action_new_with_id ("kb_lookup", args, NULL);
      reins_step_set_action (step, action);
      reins_step_set_observation (step, "value");
      g_ptr_array_add (f->steps, step);
    }

  if (script != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, "script.json", NULL);

      g_assert_true (g_file_set_contents (path, script, -1, NULL));
      config->script_path = g_strdup (path);
    }
  f->provider = reins_provider_new_for_config (config, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f)
{
  g_autofree char *db = g_build_filename (f->dir, "reins.db", NULL);
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db, "-shm", NULL);
  g_autofree char *script = g_build_filename (f->dir, "script.json", NULL);

  g_clear_object (&f->provider);
  g_clear_object (&f->store);
  g_clear_object (&f->run);
  g_clear_pointer (&f->steps, g_ptr_array_unref);
  g_remove (db);
  g_remove (wal);
  g_remove (shm);
  g_remove (script);
  g_rmdir (f->dir);
  g_free (f->dir);
}

static void
set_summarizer (Fixture    *f,
                const char *summarizer)
{
  json_object_set_string_member (reins_run_get_settings (f->run), "summarizer", summarizer);
}

static void
test_uses_model (void)
{
  Fixture f = { 0 };
  g_autoptr(ReinsCompressor) compressor = NULL;

  /* The simulated and scripted models never write summaries unless asked to. */
  fixture_setup (&f, "scripted", "{\"responses\": []}");
  compressor = reins_compressor_new (f.store, f.provider, f.run, f.steps, NULL);
  g_assert_false (reins_compressor_uses_model (compressor));
  set_summarizer (&f, "model");
  g_assert_true (reins_compressor_uses_model (compressor));
  set_summarizer (&f, "extractive");
  g_assert_false (reins_compressor_uses_model (compressor));
  g_clear_pointer (&compressor, reins_compressor_free);
  fixture_teardown (&f);
}

/* Extracted: the steps' own lines, stored, no tokens spent; asked again, the same text. */
static void
test_extractive (void)
{
  Fixture f = { 0 };
  g_autoptr(ReinsCompressor) compressor = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *stored = NULL;
  const char *summary;
  guint upto = 0;

  fixture_setup (&f, "scripted", "{\"responses\": []}");
  compressor = reins_compressor_new (f.store, f.provider, f.run, f.steps, NULL);
  expected = reins_prompt_summarize (f.steps, 5);

  summary = reins_compressor_summary_upto (compressor, g_ptr_array_index (f.steps, 5), 5);
  g_assert_cmpstr (summary, ==, expected);
  g_assert_cmpstr (reins_compressor_summary_upto (compressor, g_ptr_array_index (f.steps, 5), 5),
                   ==, expected);
  g_assert_cmpuint (reins_step_get_input_tokens (g_ptr_array_index (f.steps, 5)), ==, 0);

  stored = reins_store_get_compression (f.store, reins_run_get_id (f.run), 6, &upto, NULL);
  g_assert_cmpstr (stored, ==, expected);
  g_assert_cmpuint (upto, ==, 5);

  g_clear_pointer (&compressor, reins_compressor_free);
  fixture_teardown (&f);
}

/* Written by the model: its text (trimmed), its tokens on the step and the run. */
static void
test_model (void)
{
  Fixture f = { 0 };
  g_autoptr(ReinsCompressor) compressor = NULL;
  ReinsStep *step;

  fixture_setup (&f, "scripted", "{\"responses\": [{\"text\": \"  SUMMARY: five lookups.\\n\", "
                                 "\"usage\": {\"input_tokens\": 300, \"output_tokens\": 20}}]}");
  set_summarizer (&f, "model");
  compressor = reins_compressor_new (f.store, f.provider, f.run, f.steps, NULL);
  step = g_ptr_array_index (f.steps, 5);

  g_assert_cmpstr (reins_compressor_summary_upto (compressor, step, 5), ==,
                   "SUMMARY: five lookups.");
  g_assert_cmpuint (reins_step_get_input_tokens (step), ==, 300);
  g_assert_cmpuint (reins_step_get_output_tokens (step), ==, 20);
  g_assert_cmpuint (reins_run_get_input_tokens (f.run), ==, 300);

  /* Stored: another compressor (a resumed run) reads it and asks no model (the script is
   * used up, so asking would fall back to the extracted text). */
  g_clear_pointer (&compressor, reins_compressor_free);
  compressor = reins_compressor_new (f.store, f.provider, f.run, f.steps, NULL);
  g_assert_cmpstr (reins_compressor_summary_upto (compressor, step, 5), ==,
                   "SUMMARY: five lookups.");
  g_assert_cmpuint (reins_step_get_input_tokens (step), ==, 300);

  g_clear_pointer (&compressor, reins_compressor_free);
  fixture_teardown (&f);
}

/* A model that cannot answer: the extracted summary instead, and no further asking. */
static void
test_model_fails (void)
{
  Fixture f = { 0 };
  g_autoptr(ReinsCompressor) compressor = NULL;
  g_autofree char *expected5 = NULL;
  g_autofree char *expected6 = NULL;

  fixture_setup (&f, "scripted", "{\"responses\": []}");
  set_summarizer (&f, "model");
  compressor = reins_compressor_new (f.store, f.provider, f.run, f.steps, NULL);
  expected5 = reins_prompt_summarize (f.steps, 5);
  expected6 = reins_prompt_summarize (f.steps, 6);

  g_assert_cmpstr (reins_compressor_summary_upto (compressor, g_ptr_array_index (f.steps, 5), 5),
                   ==, expected5);
  g_assert_cmpstr (reins_compressor_summary_upto (compressor, g_ptr_array_index (f.steps, 5), 6),
                   ==, expected6);
  g_assert_cmpuint (reins_run_get_input_tokens (f.run), ==, 0);

  g_clear_pointer (&compressor, reins_compressor_free);
  fixture_teardown (&f);
}

static void
test_prompt (void)
{
  Fixture f = { 0 };
  g_autoptr(ReinsChatRequest) first = NULL;
  g_autoptr(ReinsChatRequest) later = NULL;
  ReinsChatMessage *user;

  fixture_setup (&f, "scripted", "{\"responses\": []}");

  first = reins_prompt_summary_update (f.run, f.steps, NULL, 0, 5);
  g_assert_cmpuint (first->messages->len, ==, 2);
  user = g_ptr_array_index (first->messages, 1);
  g_assert_nonnull (strstr (user->content, "Task: Find the value at the end of the chain"));
  g_assert_nonnull (strstr (user->content, "Summary so far (steps 1–0):\n(none)"));
  g_assert_nonnull (strstr (user->content, "key-1"));
  g_assert_nonnull (strstr (user->content, "key-5"));
  g_assert_null (strstr (user->content, "key-6"));
  g_assert_nonnull (strstr (user->content, "updated summary of steps 1–5 in"));

  /* Only the steps after the summary so far, and never past the last one. */
  later = reins_prompt_summary_update (f.run, f.steps, "OLD", 3, 9);
  user = g_ptr_array_index (later->messages, 1);
  g_assert_nonnull (strstr (user->content, "Summary so far (steps 1–3):\nOLD"));
  g_assert_null (strstr (user->content, "key-3"));
  g_assert_nonnull (strstr (user->content, "key-4"));
  g_assert_nonnull (strstr (user->content, "key-6"));

  fixture_teardown (&f);
}

static ReinsStep *
tally_step (guint i)
{
  ReinsStep *step = reins_step_new ("run", i);
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(ReinsAction) action = NULL;
  const char *tools[] = { "kb_lookup", "calculator", "read_file" };
  g_autofree char *key = g_strdup_printf ("key-%u", i);

  json_object_set_string_member (args, "key", key);
  if (i % 7 != 0)
    {
      action = reins_action_new_with_id (tools[i % G_N_ELEMENTS (tools)], args, NULL);
      reins_step_set_action (step, action);
    }
  reins_step_set_observation (step, i % 5 == 0 ? "Error: no such key" : "value");
  reins_step_set_tool_error (step, i % 5 == 0);
  return step;
}

/* The tally a long run's summaries share gives what a summary from scratch gives, as the
 * history grows, when the fold goes back (a new tally's worth), and for another history. */
static void
test_tally (void)
{
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) other = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(ReinsPromptTally) tally = reins_prompt_tally_new ();
  const guint back[] = { 30, 3, 45, 21, 22 };

  for (guint i = 1; i <= 60; i++)
    {
      g_autofree char *expected = NULL;
      g_autofree char *summary = NULL;

      g_ptr_array_add (steps, tally_step (i));
      if (i < 6)
        continue;
      expected = reins_prompt_summarize (steps, i - 5);
      summary = reins_prompt_summarize_with (steps, i - 5, tally);
      g_assert_cmpstr (summary, ==, expected);
    }

  {
    g_autofree char *summary = reins_prompt_summarize_with (steps, 55, tally);

    g_assert_true (g_str_has_prefix (summary, "Steps 1–35: (no action) ×5, calculator ×"));
    g_assert_nonnull (strstr (summary, " 7 errors.\nStep 36: "));
    g_assert_nonnull (strstr (summary, "\nStep 49: (no action)"));
    g_assert_null (strstr (summary, "Step 35:"));
  }

  for (guint i = 0; i < G_N_ELEMENTS (back); i++)
    {
      g_autofree char *expected = reins_prompt_summarize (steps, back[i]);
      g_autofree char *summary = reins_prompt_summarize_with (steps, back[i], tally);

      g_assert_cmpstr (summary, ==, expected);
    }

  /* Another history with other steps: nothing of the first is counted. */
  for (guint i = 1; i <= 30; i++)
    g_ptr_array_add (other, tally_step (i + 1));
  {
    g_autofree char *expected = reins_prompt_summarize (other, 30);
    g_autofree char *summary = reins_prompt_summarize_with (other, 30, tally);
    g_autofree char *first = reins_prompt_summarize (steps, 30);

    g_assert_cmpstr (summary, ==, expected);
    g_assert_cmpstr (summary, !=, first);
  }
}

static JsonArray *
count_tools (const char *name)
{
  JsonArray *tools = json_array_new ();
  JsonObject *tool = json_object_new ();

  json_object_set_string_member (tool, "name", name);
  json_object_set_string_member (tool, "description", "Looks a key up.");
  json_array_add_object_element (tools, tool);
  return tools;
}

/* A prompt measured with a tally that kept its tools' length measures as one measured from
 * scratch, before and after the tools changed. */
static void
test_count_chars (void)
{
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(ReinsPromptTally) tally = reins_prompt_tally_new ();
  g_autoptr(JsonArray) tools = count_tools ("kb_lookup");
  g_autoptr(JsonArray) other = count_tools ("a_much_longer_tool_name");
  g_autoptr(ReinsRun) run = reins_run_new ("Find the value at the end of the chain");
  gsize before = 0;

  for (guint i = 1; i <= 90; i++)
    {
      ReinsPromptInput input = { 0 };
      g_autoptr(ReinsChatRequest) request = NULL;
      gsize expected, counted;

      g_ptr_array_add (steps, tally_step (i));
      input.run = run;
      input.steps = steps;
      input.tools = i < 80 ? tools : other;
      input.native = TRUE;
      request = reins_prompt_build (&input);
      expected = reins_prompt_count_chars (request);
      counted = reins_prompt_count_chars_with (request, tally);
      g_assert_cmpuint (counted, ==, expected);
      g_assert_cmpuint (counted, >, before);
      before = counted;
    }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/compressor/uses-model", test_uses_model);
  g_test_add_func ("/compressor/extractive", test_extractive);
  g_test_add_func ("/compressor/model", test_model);
  g_test_add_func ("/compressor/model-fails", test_model_fails);
  g_test_add_func ("/compressor/prompt", test_prompt);
  g_test_add_func ("/compressor/tally", test_tally);
  g_test_add_func ("/compressor/count-chars", test_count_chars);

  return g_test_run ();
}
