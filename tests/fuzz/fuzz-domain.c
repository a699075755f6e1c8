/* fuzz-domain.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The domain readers (run, step, action, verdict, approval from their JSON, CONTRACTS §2) on
 * any text: a record or an error; a record written back is valid UTF-8 JSON that reads
 * back.
 */

#include "config.h"

#include <string.h>

#include "fuzz-target.h"
#include "reins-domain.h"

static void
check_written (JsonNode *node)
{
  g_autofree char *text = reins_json_to_string (node, FALSE);
  g_autofree char *pretty = reins_json_to_string (node, TRUE);
  g_autoptr(JsonNode) back = NULL;

  fuzz_check (g_utf8_validate (text, -1, NULL));
  fuzz_check (g_utf8_validate (pretty, -1, NULL));
  back = reins_json_from_string (text, NULL);
  fuzz_check (back != NULL);
}

/* The readers of single records: the JSON in, the record out, and back. */
typedef struct
{
  gpointer  (*from_json) (JsonNode *node, GError **error);
  JsonNode *(*to_json)   (gpointer record);
} Reader;

static const Reader readers[] = {
  { (gpointer) reins_step_new_from_json, (gpointer) reins_step_to_json },
  { (gpointer) reins_action_new_from_json, (gpointer) reins_action_to_json },
  { (gpointer) reins_verdict_new_from_json, (gpointer) reins_verdict_to_json },
  { (gpointer) reins_approval_record_new_from_json, (gpointer) reins_approval_record_to_json },
};

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(JsonNode) node = reins_json_from_string (text, NULL);

  if (node == NULL)
    return 0;

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) steps = NULL;
    g_autoptr(ReinsRun) run = reins_run_new_from_json (node, &steps, &error);

    fuzz_check ((run != NULL) == (error == NULL));
    if (run != NULL)
      {
        g_autoptr(JsonNode) written = reins_run_to_json (run, steps);
        check_written (written);
      }
  }

  for (guint i = 0; i < G_N_ELEMENTS (readers); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GObject) record = readers[i].from_json (node, &error);

      fuzz_check ((record != NULL) == (error == NULL));
      if (record != NULL)
        {
          g_autoptr(JsonNode) written = readers[i].to_json (record);
          check_written (written);
        }
    }
  return 0;
}
