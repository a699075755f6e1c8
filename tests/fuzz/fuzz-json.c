/* fuzz-json.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The bounded JSON reader every outside text goes through, and the writer: a document
 * read is valid UTF-8 throughout, and what is written reads back as the same document.
 */

#include "config.h"

#include "fuzz-target.h"
#include "reins-json-util.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  g_autofree char *pretty = NULL;
  g_autoptr(JsonNode) back = NULL;
  g_autoptr(JsonNode) back_pretty = NULL;

  /* Small limits too, so that the depth check itself is exercised near its edge. */
  node = reins_json_parse_bounded ((const char *) data, size, size > 0 ? 1 + data[0] % 8 : 1,
                                   NULL);
  g_clear_pointer (&node, json_node_unref);

  node = reins_json_parse_bounded ((const char *) data, size, REINS_JSON_MAX_DEPTH, &error);
  fuzz_check ((node != NULL) == (error == NULL));
  if (node == NULL)
    return 0;

  text = reins_json_to_string (node, FALSE);
  pretty = reins_json_to_string (node, TRUE);
  fuzz_check (g_utf8_validate (text, -1, NULL));
  fuzz_check (g_utf8_validate (pretty, -1, NULL));
  back = reins_json_from_string (text, &error);
  fuzz_check (back != NULL);
  back_pretty = reins_json_from_string (pretty, &error);
  fuzz_check (back_pretty != NULL);
  fuzz_check (json_node_equal (back, back_pretty));
  return 0;
}
