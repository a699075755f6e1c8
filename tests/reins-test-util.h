/* reins-test-util.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Helpers the test programs share.
 */

#pragma once

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <time.h>

G_BEGIN_DECLS

/* Parses a file from tests/fixtures/ or fails the test. */
static inline JsonNode *
reins_test_load_fixture (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", name, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* Every member of @expected is in @actual with an equal value; @actual may add members. */
static inline void
reins_test_assert_json_subset (JsonNode   *expected,
                               JsonNode   *actual,
                               const char *where)
{
  if (JSON_NODE_HOLDS_OBJECT (expected))
    {
      g_autoptr(GList) members = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (actual))
        g_error ("%s: expected an object", where);

      members = json_object_get_members (json_node_get_object (expected));
      for (const GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *e = json_object_get_member (json_node_get_object (expected), l->data);
          JsonNode *a = json_object_get_member (json_node_get_object (actual), l->data);
          g_autofree char *sub = g_strdup_printf ("%s.%s", where, (char *) l->data);

          if (a == NULL)
            g_error ("%s: missing", sub);
          reins_test_assert_json_subset (e, a, sub);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (expected))
    {
      JsonArray *ea, *aa;

      if (!JSON_NODE_HOLDS_ARRAY (actual))
        g_error ("%s: expected an array", where);
      ea = json_node_get_array (expected);
      aa = json_node_get_array (actual);
      if (json_array_get_length (ea) != json_array_get_length (aa))
        g_error ("%s: %u elements, expected %u", where,
                 json_array_get_length (aa), json_array_get_length (ea));
      for (guint i = 0; i < json_array_get_length (ea); i++)
        {
          g_autofree char *sub = g_strdup_printf ("%s[%u]", where, i);
          reins_test_assert_json_subset (json_array_get_element (ea, i),
                                         json_array_get_element (aa, i), sub);
        }
    }
  else if (JSON_NODE_HOLDS_NULL (expected))
    {
      if (!JSON_NODE_HOLDS_NULL (actual))
        g_error ("%s: expected null", where);
    }
  else
    {
      GType et = json_node_get_value_type (expected);

      if (JSON_NODE_HOLDS_NULL (actual) || !JSON_NODE_HOLDS_VALUE (actual))
        g_error ("%s: expected a value", where);
      if (et == G_TYPE_DOUBLE || et == G_TYPE_INT64)
        {
          double e = json_node_get_double (expected);
          double a = json_node_get_value_type (actual) == G_TYPE_INT64
                       ? (double) json_node_get_int (actual) : json_node_get_double (actual);
          if (et == G_TYPE_INT64)
            e = (double) json_node_get_int (expected);
          if (ABS (e - a) > 1e-9)
            g_error ("%s: %g, expected %g", where, a, e);
        }
      else if (!json_node_equal (expected, actual))
        g_error ("%s: values differ", where);
    }
}

/* Iterates the default main context until @cond holds; a hang fails the test after a minute
 * instead of stalling CI. */
static inline void
reins_test_wait_until (gboolean   (*cond) (gpointer data),
                       gpointer     data,
                       const char  *what)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!cond (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %s", what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* Removes a temporary directory and everything in it, without following links. */
static inline void
reins_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        reins_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* The calling thread's own processor time, in µs: on a loaded machine the wall-clock gaps of
 * a main loop include waiting for a processor, this does not. */
static inline gint64
reins_test_thread_cpu_time (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

G_END_DECLS
