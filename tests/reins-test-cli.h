/* reins-test-cli.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A fixture for tests that run reins-cli on a store of their own: a temporary folder, the
 * `--db=` option for its store, and the last command's output and exit status.
 */

#pragma once

#include <sys/wait.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "reins-json-util.h"
#include "reins-test-util.h"

G_BEGIN_DECLS

typedef struct
{
  char *dir;
  char *db_option;
  char *out;
  char *err;
  int   status;
} ReinsTestCli;

static inline void
reins_test_cli_set_up (ReinsTestCli *f,
                       const char   *prefix)
{
  g_autofree char *template = g_strdup_printf ("%s-XXXXXX", prefix);

  f->dir = g_dir_make_tmp (template, NULL);
  g_assert_nonnull (f->dir);
  f->db_option = g_strdup_printf ("--db=%s/runs.db", f->dir);
}

static inline void
reins_test_cli_tear_down (ReinsTestCli *f)
{
  reins_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db_option);
  g_free (f->out);
  g_free (f->err);
}

/* Runs `reins-cli COMMAND --db=… ARGS…` in the fixture's folder; keeps its output. */
static inline int
reins_test_cli_run (ReinsTestCli       *f,
                    const char         *command,
                    const char * const *args)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  g_strv_builder_add (builder, g_getenv ("REINS_CLI"));
  g_strv_builder_add (builder, command);
  g_strv_builder_add (builder, f->db_option);
  g_strv_builder_addv (builder, (const char **) args);
  argv = g_strv_builder_end (builder);

  g_clear_pointer (&f->out, g_free);
  g_clear_pointer (&f->err, g_free);
  g_spawn_sync (f->dir, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &f->out, &f->err,
                &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  f->status = WEXITSTATUS (wait_status);
  return f->status;
}

/* @text as a JSON object, or the test fails; @node keeps it. */
static inline JsonObject *
reins_test_parse_object (const char *text,
                         JsonNode  **node)
{
  g_autoptr(GError) error = NULL;

  *node = reins_json_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (*node));
  return json_node_get_object (*node);
}

/* The steps of two `show --json` objects agree in @members (NULL-terminated). */
static inline void
reins_test_assert_same_steps (JsonObject         *before,
                              JsonObject         *after,
                              const char * const *members)
{
  JsonArray *a = json_object_get_array_member (before, "steps");
  JsonArray *b = json_object_get_array_member (after, "steps");

  g_assert_cmpuint (json_array_get_length (a), ==, json_array_get_length (b));
  for (guint i = 0; i < json_array_get_length (a); i++)
    for (guint m = 0; members[m] != NULL; m++)
      {
        JsonNode *x = json_object_get_member (json_array_get_object_element (a, i), members[m]);
        JsonNode *y = json_object_get_member (json_array_get_object_element (b, i), members[m]);
        g_autofree char *xs = x != NULL ? reins_json_to_string (x, FALSE) : g_strdup ("");
        g_autofree char *ys = y != NULL ? reins_json_to_string (y, FALSE) : g_strdup ("");

        g_assert_cmpstr (xs, ==, ys);
      }
}

G_END_DECLS
