/* test-cli.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * reins-cli list, show and export, run as a program (REINS_CLI) against stores seeded
 * through the store API: outputs, and exit codes 0, 2 and 4 with one clear error line.
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "reins-domain.h"
#include "reins-export.h"
#include "reins-store.h"
#include "reins-test-util.h"

typedef struct
{
  char *dir;
  char *db;
  char *db_option;
  char *ids[3];
} Fixture;

typedef struct
{
  int   status;
  char *out;
  char *err;
} Result;

static void
result_clear (Result *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

/* Runs reins-cli with @args (NULL-terminated), the default store pointed into the test's
 * folder so nothing outside it is touched. */
static void
run_cli (Fixture            *f,
         Result             *r,
         const char * const *args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *cli = g_getenv ("REINS_CLI");

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", f->dir, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &r->out, &r->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  r->status = g_subprocess_get_exit_status (process);
}

/* A failure is one line on stderr, starting "reins-cli: ". */
static void
assert_one_error_line (Result     *r,
                       const char *contains)
{
  g_assert_true (g_str_has_prefix (r->err, "reins-cli: "));
  g_assert_true (g_str_has_suffix (r->err, "\n"));
  g_assert_true (strchr (r->err, '\n') == r->err + strlen (r->err) - 1);
  if (contains != NULL && strstr (r->err, contains) == NULL)
    g_error ("stderr “%s” does not say “%s”", r->err, contains);
}

static ReinsStep *
make_step (ReinsRun   *run,
           guint       index,
           const char *thought)
{
  ReinsStep *step = reins_step_new (reins_run_get_id (run), index);
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(ReinsAction) action = NULL;
  g_autoptr(ReinsVerdict) verdict = reins_verdict_new ("drift", REINS_VERDICT_CORRECT,
                                                       "The goal was restated.");

  json_object_set_string_member (args, "key", "chain-7-3/0");
  action = reins_action_new ("kb_lookup", args);
  reins_step_set_thought (step, thought);
  reins_step_set_action (step, action);
  reins_step_set_observation (step, "{\"next\": \"chain-7-3/1-ab12\"}");
  reins_step_set_confidence (step, 0.9, REINS_CONFIDENCE_SOURCE_LOGPROBS);
  reins_step_set_tokens (step, 100, 10);
  reins_step_set_cost (step, 0.001, 0.001 * index);
  reins_step_set_started_at (step, 1767225600000000 + index);
  reins_step_add_verdict (step, verdict);
  return step;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = NULL;
  const char *ids[] = {
    "aaaaaaaa-1111-4000-8000-000000000001",
    "aaaaaaaa-2222-4000-8000-000000000002",
    "c0ffee00-3333-4000-8000-000000000003",
  };

  f->dir = g_dir_make_tmp ("reins-cli-XXXXXX", &error);
  g_assert_no_error (error);
  f->db = g_build_filename (f->dir, "runs.db", NULL);
  f->db_option = g_strconcat ("--db=", f->db, NULL);

  if (data == NULL)
    return;

  /* A seeded store: three runs, the last one newest, with steps. */
  store = reins_store_open (f->db, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *task = g_strdup_printf ("Follow chain %u to its end", i);
      g_autoptr(ReinsRun) run = reins_run_new (task);

      reins_run_set_id (run, ids[i]);
      reins_run_set_provider (run, "sim");
      reins_run_set_created_at (run, 1767225600000000 + i * G_USEC_PER_SEC);
      for (guint s = 1; s <= i + 1; s++)
        {
          g_autoptr(ReinsStep) step = make_step (run, s, "Look up the next key.");

          reins_run_set_step_count (run, s);
          reins_run_set_cost_usd (run, reins_step_get_cost_total_usd (step));
          if (s == i + 1)
            {
              reins_run_set_status (run, REINS_RUN_STATUS_COMPLETED);
              reins_run_set_final_answer (run, "The value is 42.");
            }
          g_assert_true (reins_store_commit_step (store, run, step, &error));
          g_assert_no_error (error);
        }
      f->ids[i] = g_strdup (ids[i]);
    }
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db);
  g_free (f->db_option);
  for (guint i = 0; i < G_N_ELEMENTS (f->ids); i++)
    g_free (f->ids[i]);
}

static void
test_version_help (Fixture       *f,
                   gconstpointer  data)
{
  {
    g_auto(Result) r = { 0 };

    run_cli (f, &r, (const char *[]) { "--version", NULL });
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==, "reins-cli " PACKAGE_VERSION "\n");
  }
  {
    g_auto(Result) r = { 0 };

    run_cli (f, &r, (const char *[]) { "--help", NULL });
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "list"));
    g_assert_nonnull (strstr (r.out, "show"));
    g_assert_nonnull (strstr (r.out, "export"));
  }
  {
    g_auto(Result) r = { 0 };

    run_cli (f, &r, (const char *[]) { "export", "--help", NULL });
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "reins-cli export"));
    g_assert_nonnull (strstr (r.out, "--format"));
    g_assert_nonnull (strstr (r.out, "--db"));
  }
  {
    g_auto(Result) r = { 0 };

    run_cli (f, &r, (const char *[]) { "help", "list", NULL });
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "--json"));
  }
}

static void
test_usage_errors (Fixture       *f,
                   gconstpointer  data)
{
  const char *const cases[][5] = {
    { "frobnicate", NULL },
    { "--frobnicate", NULL },
    { "list", "--bogus", NULL },
    { "list", "extra-argument", NULL },
    { "show", NULL },
    { "export", "--format=json", NULL },
  };

  {
    g_auto(Result) r = { 0 };

    run_cli (f, &r, (const char *[]) { NULL });
    g_assert_cmpint (r.status, ==, 2);
  }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Result) r = { 0 };

      run_cli (f, &r, cases[i]);
      if (r.status != 2)
        g_error ("case %u (%s): exit %d, expected 2", i, cases[i][0], r.status);
      assert_one_error_line (&r, NULL);
      g_assert_cmpstr (r.out, ==, "");
    }
}

static void
test_empty_store (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (f->dir, "none.db", NULL);
  g_autofree char *missing_option = g_strconcat ("--db=", missing, NULL);

  /* No file at all: nothing listed, and nothing created. */
  {
    g_auto(Result) r = { 0 };

    run_cli (f, &r, (const char *[]) { "list", missing_option, NULL });
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==, "");
    g_assert_cmpstr (r.err, ==, "No runs yet.\n");
    g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  }

  /* Reading one run from no store at all: a usage error that names the store, for show and
   * export alike (reins_cli_read_run), and still nothing created. */
  for (guint i = 0; i < 2; i++)
    {
      g_auto(Result) r = { 0 };

      if (i == 0)
        run_cli (f, &r, (const char *[]) { "show", "c0ffee00-3333", missing_option, NULL });
      else
        run_cli (f, &r, (const char *[]) { "export", "c0ffee00-3333", "--format=json",
                                           missing_option, NULL });
      g_assert_cmpint (r.status, ==, 2);
      assert_one_error_line (&r, "does not exist yet");
      g_assert_nonnull (strstr (r.err, missing));
      g_assert_cmpstr (r.out, ==, "");
      g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
    }

  /* An empty store file */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(ReinsStore) store = reins_store_open (f->db, &error);

    g_assert_no_error (error);
  }
  {
    g_auto(Result) r = { 0 };

    run_cli (f, &r, (const char *[]) { "list", "--json", f->db_option, NULL });
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==, "");
    g_assert_cmpstr (r.err, ==, "");
  }
  {
    g_auto(Result) r = { 0 };

    run_cli (f, &r, (const char *[]) { "show", "c0ffee00-3333", f->db_option, NULL });
    g_assert_cmpint (r.status, ==, 2);
    assert_one_error_line (&r, "c0ffee00-3333");
  }
}

static void
test_list (Fixture       *f,
           gconstpointer  data)
{
  g_auto(Result) r = { 0 };
  g_auto(Result) human = { 0 };
  g_auto(GStrv) lines = NULL;

  run_cli (f, &r, (const char *[]) { "list", "--json", f->db_option, NULL });
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_true (g_str_has_suffix (r.out, "\n"));
  lines = g_strsplit (r.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_assert_cmpstr (lines[3], ==, "");

  /* One run object per line, newest first */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = reins_json_from_string (lines[i], &error);
      g_autoptr(ReinsRun) run = NULL;

      g_assert_no_error (error);
      run = reins_run_new_from_json (node, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (reins_run_get_id (run), ==, f->ids[2 - i]);
      g_assert_cmpuint (reins_run_get_step_count (run), ==, 3 - i);
      g_assert_cmpint (reins_run_get_status (run), ==, REINS_RUN_STATUS_COMPLETED);
    }

  run_cli (f, &human, (const char *[]) { "list", f->db_option, NULL });
  g_assert_cmpint (human.status, ==, 0);
  g_assert_nonnull (strstr (human.out, "STATUS"));
  g_assert_nonnull (strstr (human.out, "c0ffee00  completed"));
  g_assert_nonnull (strstr (human.out, "Follow chain 2 to its end"));
  /* Newest first in the table too */
  g_assert_true (strstr (human.out, "chain 2") < strstr (human.out, "chain 0"));
}

static void
test_show (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = reins_store_open (f->db, &error);
  g_autoptr(ReinsRun) stored = NULL;
  g_autoptr(GPtrArray) stored_steps = NULL;
  g_autoptr(JsonNode) expected = NULL;
  g_autofree char *expected_text = NULL;

  g_assert_no_error (error);
  stored = reins_store_get_run (store, f->ids[2], &error);
  stored_steps = reins_store_get_steps (store, f->ids[2], 1, 0, &error);
  g_assert_no_error (error);
  expected = reins_export_run_node (stored, stored_steps);
  /* A run nobody tagged: "tags" is empty and "note" null */
  reins_export_add_labels (expected, (const char *[]) { NULL }, NULL);
  /* Nor named it, nor judged a step: "name" null, "feedback" empty */
  {
    g_autoptr(GPtrArray) none = g_ptr_array_new ();

    reins_export_add_feedback (expected, NULL, none);
  }
  expected_text = reins_json_to_string (expected, FALSE);

  {
    g_auto(Result) r = { 0 };
    g_autoptr(JsonNode) node = NULL;
    g_autoptr(GPtrArray) steps = NULL;
    g_autoptr(ReinsRun) run = NULL;

    /* A unique prefix is enough. */
    run_cli (f, &r, (const char *[]) { "show", "c0ffee", "--json", f->db_option, NULL });
    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (g_str_has_suffix (r.out, "\n"));
    g_assert_cmpuint (strlen (r.out), ==, strlen (expected_text) + 1);
    g_assert_true (strncmp (r.out, expected_text, strlen (expected_text)) == 0);
    node = reins_json_from_string (r.out, &error);
    g_assert_no_error (error);
    run = reins_run_new_from_json (node, &steps, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (steps->len, ==, 3);
    g_assert_cmpstr (reins_step_get_thought (g_ptr_array_index (steps, 2)), ==,
                     "Look up the next key.");
  }

  {
    g_auto(Result) r = { 0 };

    run_cli (f, &r, (const char *[]) { "show", f->ids[0], f->db_option, NULL });
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "Follow chain 0 to its end"));
    g_assert_nonnull (strstr (r.out, "Step 1"));
    g_assert_nonnull (strstr (r.out, "Look up the next key."));
    g_assert_nonnull (strstr (r.out, "kb_lookup"));
    g_assert_nonnull (strstr (r.out, "drift: correct"));
    g_assert_nonnull (strstr (r.out, "The value is 42."));
  }

  /* Unknown, too short and ambiguous ids are usage errors. */
  {
    g_auto(Result) r = { 0 };

    run_cli (f, &r, (const char *[]) { "show", "ffffffff-0000", f->db_option, NULL });
    g_assert_cmpint (r.status, ==, 2);
    assert_one_error_line (&r, "ffffffff-0000");
  }
  {
    g_auto(Result) r = { 0 };

    run_cli (f, &r, (const char *[]) { "show", "c0ff", f->db_option, NULL });
    g_assert_cmpint (r.status, ==, 2);
    assert_one_error_line (&r, "6");
  }
  {
    g_auto(Result) r = { 0 };

    run_cli (f, &r, (const char *[]) { "show", "aaaaaaaa", f->db_option, NULL });
    g_assert_cmpint (r.status, ==, 2);
    assert_one_error_line (&r, "ambiguous");
    g_assert_nonnull (strstr (r.err, f->ids[0]));
    g_assert_nonnull (strstr (r.err, f->ids[1]));
  }
}

static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_build_filename (f->dir, "out.json", NULL);
  g_autofree char *output_option = g_strconcat ("--output=", file, NULL);

  {
    g_auto(Result) r = { 0 };
    g_autofree char *text = NULL;
    g_autoptr(JsonNode) node = NULL;
    g_autoptr(GPtrArray) steps = NULL;
    g_autoptr(ReinsRun) run = NULL;

    run_cli (f, &r, (const char *[]) { "export", f->ids[1], "--format=json", output_option,
                                       f->db_option, NULL });
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==, "");
    g_file_get_contents (file, &text, NULL, &error);
    g_assert_no_error (error);
    node = reins_json_from_string (text, &error);
    g_assert_no_error (error);
    run = reins_run_new_from_json (node, &steps, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (reins_run_get_id (run), ==, f->ids[1]);
    g_assert_cmpuint (steps->len, ==, 2);
  }

  {
    g_auto(Result) r = { 0 };

    run_cli (f, &r, (const char *[]) { "export", "c0ffee00", "--format", "markdown",
                                       f->db_option, NULL });
    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (g_str_has_prefix (r.out, "# Run: Follow chain 2 to its end\n"));
    g_assert_nonnull (strstr (r.out, "## Steps"));
    g_assert_nonnull (strstr (r.out, "### Step 3"));
  }

  {
    g_auto(Result) r = { 0 };

    run_cli (f, &r, (const char *[]) { "export", "c0ffee00", "--format=xml", f->db_option, NULL });
    g_assert_cmpint (r.status, ==, 2);
    assert_one_error_line (&r, "xml");
  }
  {
    g_auto(Result) r = { 0 };

    run_cli (f, &r, (const char *[]) { "export", "c0ffee00", f->db_option, NULL });
    g_assert_cmpint (r.status, ==, 2);
    assert_one_error_line (&r, "--format");
  }
  {
    g_auto(Result) r = { 0 };

    run_cli (f, &r, (const char *[]) { "export", "nope-nope-nope", "--format=json",
                                       f->db_option, NULL });
    g_assert_cmpint (r.status, ==, 2);
    assert_one_error_line (&r, "nope-nope-nope");
  }
}

/* What a person wrote on a run is in `show`, `show --json` and both exports. */
static void
test_labels (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = reins_store_open (f->db, &error);

  g_assert_no_error (error);
  g_assert_true (reins_store_add_label (store, f->ids[0], "wrong_answer", &error));
  g_assert_true (reins_store_add_label (store, f->ids[0], "audit", &error));
  g_assert_true (reins_store_set_note (store, f->ids[0], "Check the last lookup.\nAsked Ada.",
                                       &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  {
    g_auto(Result) r = { 0 };

    run_cli (f, &r, (const char *[]) { "show", f->ids[0], f->db_option, NULL });
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "Tags          audit, wrong_answer\n"));
    g_assert_nonnull (strstr (r.out, "Note          Check the last lookup.\n"
                                     "              Asked Ada.\n"));
  }
  {
    /* Another run has neither */
    g_auto(Result) r = { 0 };

    run_cli (f, &r, (const char *[]) { "show", f->ids[1], f->db_option, NULL });
    g_assert_cmpint (r.status, ==, 0);
    g_assert_null (strstr (r.out, "Tags "));
    g_assert_null (strstr (r.out, "Note "));
  }
  {
    g_auto(Result) r = { 0 };
    g_autoptr(JsonNode) node = NULL;
    JsonObject *object;
    JsonArray *tags;

    run_cli (f, &r, (const char *[]) { "show", f->ids[0], "--json", f->db_option, NULL });
    g_assert_cmpint (r.status, ==, 0);
    node = reins_json_from_string (r.out, &error);
    g_assert_no_error (error);
    object = json_node_get_object (node);
    tags = json_object_get_array_member (object, "tags");
    g_assert_cmpuint (json_array_get_length (tags), ==, 2);
    g_assert_cmpstr (json_array_get_string_element (tags, 0), ==, "audit");
    g_assert_cmpstr (json_object_get_string_member (object, "note"), ==,
                     "Check the last lookup.\nAsked Ada.");
  }
  {
    g_auto(Result) r = { 0 };
    g_autoptr(JsonNode) node = NULL;
    JsonObject *object;

    run_cli (f, &r, (const char *[]) { "export", f->ids[0], "--format=json", f->db_option,
                                       NULL });
    g_assert_cmpint (r.status, ==, 0);
    node = reins_json_from_string (r.out, &error);
    g_assert_no_error (error);
    object = json_node_get_object (node);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "tags")),
                      ==, 2);
    g_assert_cmpstr (json_object_get_string_member (object, "note"), ==,
                     "Check the last lookup.\nAsked Ada.");
  }
  {
    g_auto(Result) r = { 0 };

    run_cli (f, &r, (const char *[]) { "export", f->ids[0], "--format=markdown", f->db_option,
                                       NULL });
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "| Tags | audit, wrong\\_answer |\n"));
    g_assert_nonnull (strstr (r.out, "## Note\n\n```text\nCheck the last lookup.\nAsked Ada.\n```\n"));
  }
  {
    /* OTLP spans have no place for them and stay as they were */
    g_auto(Result) r = { 0 };

    run_cli (f, &r, (const char *[]) { "export", f->ids[0], "--format=otlp", f->db_option,
                                       NULL });
    g_assert_cmpint (r.status, ==, 0);
    g_assert_null (strstr (r.out, "wrong_answer"));
  }
}

/* A person's name for a run and thumbs on its steps: `show`, `show --json`, both exports. */
static void
test_name_feedback (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = reins_store_open (f->db, &error);

  g_assert_no_error (error);
  g_assert_true (reins_store_set_name (store, f->ids[1], "Ada lookup", &error));
  g_assert_true (reins_store_set_feedback (store, f->ids[1], 1, 1, NULL, &error));
  g_assert_true (reins_store_set_feedback (store, f->ids[1], 2, -1, "Wrong *key*\nagain",
                                           &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  {
    g_auto(Result) r = { 0 };

    run_cli (f, &r, (const char *[]) { "show", f->ids[1], f->db_option, NULL });
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "Name          Ada lookup\n"));
    g_assert_nonnull (strstr (r.out, "Feedback      step 1: thumbs up\n"
                                     "              step 2: thumbs down — Wrong *key* again\n"));
  }
  {
    /* Another run has neither */
    g_auto(Result) r = { 0 };

    run_cli (f, &r, (const char *[]) { "show", f->ids[0], f->db_option, NULL });
    g_assert_cmpint (r.status, ==, 0);
    g_assert_null (strstr (r.out, "Name "));
    g_assert_null (strstr (r.out, "Feedback "));
  }
  for (guint i = 0; i < 2; i++)
    {
      g_auto(Result) r = { 0 };
      g_autoptr(JsonNode) node = NULL;
      JsonObject *object;
      JsonArray *feedback;
      JsonObject *item;

      if (i == 0)
        run_cli (f, &r, (const char *[]) { "show", f->ids[1], "--json", f->db_option, NULL });
      else
        run_cli (f, &r, (const char *[]) { "export", f->ids[1], "--format=json", f->db_option,
                                           NULL });
      g_assert_cmpint (r.status, ==, 0);
      node = reins_json_from_string (r.out, &error);
      g_assert_no_error (error);
      object = json_node_get_object (node);
      g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "Ada lookup");
      feedback = json_object_get_array_member (object, "feedback");
      g_assert_cmpuint (json_array_get_length (feedback), ==, 2);
      item = json_array_get_object_element (feedback, 0);
      g_assert_cmpint (json_object_get_int_member (item, "step"), ==, 1);
      g_assert_cmpstr (json_object_get_string_member (item, "rating"), ==, "up");
      g_assert_true (json_object_get_null_member (item, "comment"));
      item = json_array_get_object_element (feedback, 1);
      g_assert_cmpstr (json_object_get_string_member (item, "rating"), ==, "down");
      g_assert_cmpstr (json_object_get_string_member (item, "comment"), ==, "Wrong *key*\nagain");
    }
  {
    g_auto(Result) r = { 0 };

    run_cli (f, &r, (const char *[]) { "export", f->ids[1], "--format=markdown", f->db_option,
                                       NULL });
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "| Name | Ada lookup |\n"));
    g_assert_nonnull (strstr (r.out, "## Feedback\n\n- Step 1: thumbs up\n"
                                     "- Step 2: thumbs down — Wrong \\*key\\*"));
  }
  {
    g_auto(Result) r = { 0 };

    run_cli (f, &r, (const char *[]) { "export", f->ids[0], "--format=markdown", f->db_option,
                                       NULL });
    g_assert_cmpint (r.status, ==, 0);
    g_assert_null (strstr (r.out, "| Name |"));
    g_assert_null (strstr (r.out, "## Feedback"));
  }
}

static void
test_store_errors (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_len = 0, after_len = 0;
  const char *commands[][4] = {
    { "list", NULL },
    { "list", "--json", NULL },
    { "show", "c0ffee00", NULL },
    { "export", "c0ffee00", "--format=json", NULL },
  };

  /* Garbage */
  g_file_set_contents (f->db, "this is not a database, just text\n", -1, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(Result) r = { 0 };
      const char *args[6] = { 0 };
      guint n = 0;

      for (; commands[i][n] != NULL; n++)
        args[n] = commands[i][n];
      args[n] = f->db_option;
      run_cli (f, &r, args);
      if (r.status != 4)
        g_error ("%s on a damaged store: exit %d, expected 4", commands[i][0], r.status);
      assert_one_error_line (&r, f->db);
      g_assert_cmpstr (r.out, ==, "");
    }

  /* A store of a newer Reins, left as it was */
  g_remove (f->db);
  {
    g_autoptr(ReinsStore) store = reins_store_open (f->db, &error);

    g_assert_no_error (error);
  }
  {
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open (f->db, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 42", NULL, NULL, NULL),
                     ==, SQLITE_OK);
    sqlite3_close (db);
  }
  g_file_get_contents (f->db, &before, &before_len, &error);
  g_assert_no_error (error);
  {
    g_auto(Result) r = { 0 };

    run_cli (f, &r, (const char *[]) { "list", f->db_option, NULL });
    g_assert_cmpint (r.status, ==, 4);
    assert_one_error_line (&r, "newer");
  }
  g_file_get_contents (f->db, &after, &after_len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after_len, ==, before_len);
  g_assert_true (memcmp (after, before, before_len) == 0);
}

/* --store=URL (a path, sqlite:PATH, or a postgresql:// URI) and REINS_STORE name the same
 * store --db does. */
static void
test_store_option (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *store_option = g_strconcat ("--store=", f->db, NULL);
  g_autofree char *sqlite_option = g_strconcat ("--store=sqlite:", f->db, NULL);
  g_auto(Result) expected = { 0 };
  const char *options[] = { store_option, sqlite_option, NULL };

  run_cli (f, &expected, (const char *[]) { "list", f->db_option, NULL });
  g_assert_cmpint (expected.status, ==, 0);
  g_assert_nonnull (strstr (expected.out, "c0ffee00"));

  for (guint i = 0; options[i] != NULL; i++)
    {
      g_auto(Result) r = { 0 };

      run_cli (f, &r, (const char *[]) { "list", options[i], NULL });
      g_assert_cmpint (r.status, ==, 0);
      g_assert_cmpstr (r.out, ==, expected.out);
    }

  {
    g_auto(Result) r = { 0 };

    g_setenv ("REINS_STORE", f->db, TRUE);
    run_cli (f, &r, (const char *[]) { "list", NULL });
    g_unsetenv ("REINS_STORE");
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==, expected.out);
  }

  /* Without them, the default store (empty here) */
  {
    g_auto(Result) r = { 0 };

    run_cli (f, &r, (const char *[]) { "list", NULL });
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==, "");
  }

  /* A server that is not there: a store error on one line, without the password. */
  {
    g_auto(Result) r = { 0 };

    run_cli (f, &r, (const char *[]) { "show", "c0ffee00",
                                       "--store=postgresql://reins:Sekr1t@/runs"
                                       "?host=/nonexistent-reins-dir", NULL });
    g_assert_cmpint (r.status, ==, 4);
    assert_one_error_line (&r, "postgresql://reins:***@/runs");
    g_assert_null (strstr (r.err, "Sekr1t"));
  }
}

/* store copy: progress on stderr, totals on stdout, nothing more the second time; a source
 * file that is not there is a usage error and is not created. */
static void
test_store_copy (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *target = g_build_filename (f->dir, "copy.db", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "missing.db", NULL);
  g_auto(Result) listed = { 0 };

  {
    g_auto(Result) r = { 0 };

    run_cli (f, &r, (const char *[]) { "store", "copy", f->db, target, NULL });
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==, "3 copied, 0 already there.\n");
    g_assert_nonnull (strstr (r.err, "[1/3] "));
    g_assert_nonnull (strstr (r.err, "[3/3] "));
    g_assert_nonnull (strstr (r.err, " copied ("));
  }
  {
    g_auto(Result) r = { 0 };

    run_cli (f, &r, (const char *[]) { "store", "copy", "-q", f->db, target, NULL });
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==, "0 copied, 3 already there.\n");
    g_assert_cmpstr (r.err, ==, "");
  }
  {
    g_autofree char *target_option = g_strconcat ("--db=", target, NULL);
    g_auto(Result) r = { 0 };

    run_cli (f, &listed, (const char *[]) { "list", f->db_option, NULL });
    run_cli (f, &r, (const char *[]) { "list", target_option, NULL });
    g_assert_cmpstr (r.out, ==, listed.out);
  }
  {
    g_auto(Result) r = { 0 };

    run_cli (f, &r, (const char *[]) { "store", "copy", missing, target, NULL });
    g_assert_cmpint (r.status, ==, 2);
    assert_one_error_line (&r, "does not exist");
    g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  }
  {
    g_auto(Result) r = { 0 };

    run_cli (f, &r, (const char *[]) { "store", "move", f->db, target, NULL });
    g_assert_cmpint (r.status, ==, 2);
    assert_one_error_line (&r, "move");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* The store is named by each test, never by the environment of whoever runs them. */
  g_unsetenv ("REINS_STORE");

#define ADD(path, seeded, func) \
  g_test_add ("/reins/cli/cli/" path, Fixture, seeded ? "seeded" : NULL, fixture_set_up, func, \
              fixture_tear_down)

  ADD ("version-help", FALSE, test_version_help);
  ADD ("usage-errors", FALSE, test_usage_errors);
  ADD ("empty-store", FALSE, test_empty_store);
  ADD ("list", TRUE, test_list);
  ADD ("show", TRUE, test_show);
  ADD ("export", TRUE, test_export);
  ADD ("labels", TRUE, test_labels);
  ADD ("name-feedback", TRUE, test_name_feedback);
  ADD ("store-errors", FALSE, test_store_errors);
  ADD ("store-option", TRUE, test_store_option);
  ADD ("store-copy", TRUE, test_store_copy);

#undef ADD

  return g_test_run ();
}
