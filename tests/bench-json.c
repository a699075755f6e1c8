/* bench-json.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints what the bounds on outside JSON cost (issue 17): reading a large reply with
 * reins_json_parse_bounded() against json-glib alone, refusing deep documents, and the size
 * and time of pretty output of a deep tree. Built, not run as a test:
 * `_build/tests/bench-json [MEGABYTES]`.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "reins-domain.h"

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1e6;
}

/* A reply-like document: many steps with text, numbers and nested arguments. */
static GString *
make_document (gsize bytes)
{
  GString *text = g_string_new ("{\"steps\": [");

  for (guint i = 0; text->len < bytes; i++)
    g_string_append_printf (text, "%s{\"index\": %u, \"thought\": \"Step %u: look up the next "
                            "key, then read \\\"notes.txt\\\" \\u00e9\", \"action\": {\"name\": "
                            "\"kb_lookup\", \"arguments\": {\"key\": \"chain-1-100/%u\", "
                            "\"options\": [1, 2.5, true, null, {\"deep\": [[[%u]]]}]}}, "
                            "\"confidence\": 0.%u}", i > 0 ? ", " : "", i, i, i, i, i % 10);
  g_string_append (text, "]}");
  return text;
}

int
main (int   argc,
      char *argv[])
{
  guint megabytes = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : 20;
  g_autoptr(GString) document = make_document ((gsize) MAX (megabytes, 1) * 1024 * 1024);
  double plain = G_MAXDOUBLE, bounded = G_MAXDOUBLE, scan = G_MAXDOUBLE;

  /* Best of three, so a busy machine distorts less. */
  for (guint round = 0; round < 3; round++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(JsonNode) node = NULL;
      gint64 start = g_get_monotonic_time ();

      json_parser_load_from_data (parser, document->str, document->len, NULL);
      plain = MIN (plain, seconds_since (start));

      start = g_get_monotonic_time ();
      node = reins_json_parse_bounded (document->str, document->len, REINS_JSON_MAX_DEPTH, NULL);
      bounded = MIN (bounded, seconds_since (start));
      g_assert (node != NULL);

      start = g_get_monotonic_time ();
      g_assert (reins_json_check_bounds (document->str, document->len, REINS_JSON_MAX_DEPTH,
                                         NULL));
      scan = MIN (scan, seconds_since (start));
    }
  printf ("read %.1f MB: json-glib %.3f s, bounded %.3f s (%+.1f %%), of which the bounds scan "
          "%.3f s (%.0f MB/s)\n", document->len / 1048576.0, plain, bounded,
          100.0 * (bounded - plain) / plain, scan, document->len / 1048576.0 / scan);

  {
    g_autoptr(GString) deep = g_string_new (NULL);
    g_autoptr(GError) error = NULL;
    gint64 start;

    for (guint i = 0; i < 1000000; i++)
      g_string_append_c (deep, '[');
    start = g_get_monotonic_time ();
    g_assert (reins_json_parse_bounded (deep->str, deep->len, REINS_JSON_MAX_DEPTH, &error) == NULL);
    printf ("refuse 1,000,000 levels (1 MB): %.6f s\n", seconds_since (start));
  }

  {
    guint depth = 10000;
    JsonNode *node = json_node_new (JSON_NODE_NULL);
    g_autoptr(GPtrArray) arrays = g_ptr_array_new ();
    g_autofree char *pretty = NULL;
    gint64 start;

    for (guint i = 0; i < depth; i++)
      {
        JsonArray *array = json_array_new ();
        JsonNode *parent = json_node_new (JSON_NODE_ARRAY);

        json_array_add_element (array, node);
        json_node_take_array (parent, array);
        g_ptr_array_add (arrays, array);
        node = parent;
      }

    start = g_get_monotonic_time ();
    pretty = reins_json_to_string (node, TRUE);
    printf ("pretty output of %u levels: %.2f MB in %.3f s (indented in full: %.0f MB)\n",
            depth, strlen (pretty) / 1048576.0, seconds_since (start),
            /* two lines per level, 2 spaces per level of indentation on each */
            2.0 * depth * (depth + 1) / 1048576.0);

    /* json-glib frees recursively: take the tree apart from the bottom. */
    for (guint i = 0; i < arrays->len; i++)
      json_array_remove_element (g_ptr_array_index (arrays, i), 0);
    json_node_unref (node);
  }

  return 0;
}
