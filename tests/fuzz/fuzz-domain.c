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

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(JsonNode) node = reins_json_from_string (text, NULL);
  g_autoptr(GError) error = NULL;

  if (node == NULL)
    return 0;

  {
    g_autoptr(GPtrArray) steps = NULL;
    g_autoptr(ReinsRun) run = reins_run_new_from_json (node, &steps, &error);

    fuzz_check ((run != NULL) == (error == NULL));
    if (run != NULL)
      {
        g_autoptr(JsonNode) written = reins_run_to_json (run, steps);
        check_written (written);
      }
    g_clear_error (&error);
  }
  {
    g_autoptr(ReinsStep) step = reins_step_new_from_json (node, &error);

    fuzz_check ((step != NULL) == (error == NULL));
    if (step != NULL)
      {
        g_autoptr(JsonNode) written = reins_step_to_json (step);
        check_written (written);
      }
    g_clear_error (&error);
  }
  {
    g_autoptr(ReinsAction) action = reins_action_new_from_json (node, &error);

    fuzz_check ((action != NULL) == (error == NULL));
    if (action != NULL)
      {
        g_autoptr(JsonNode) written = reins_action_to_json (action);
        check_written (written);
      }
    g_clear_error (&error);
  }
  {
    g_autoptr(ReinsVerdict) verdict = reins_verdict_new_from_json (node, &error);

    fuzz_check ((verdict != NULL) == (error == NULL));
    if (verdict != NULL)
      {
        g_autoptr(JsonNode) written = reins_verdict_to_json (verdict);
        check_written (written);
      }
    g_clear_error (&error);
  }
  {
    g_autoptr(ReinsApprovalRecord) record = reins_approval_record_new_from_json (node, &error);

    fuzz_check ((record != NULL) == (error == NULL));
    if (record != NULL)
      {
        g_autoptr(JsonNode) written = reins_approval_record_to_json (record);
        check_written (written);
      }
    g_clear_error (&error);
  }
  return 0;
}
