/* fuzz-import.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Traces from outside read into runs (app/import/): whatever the document, a run comes back
 * exactly when there is no error, its steps are numbered in order and belong to it, and a
 * run that is completed has its answer.
 */

#include "config.h"

#include "fuzz-target.h"
#include "reins-import.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(ReinsRun) run = NULL;
  g_autoptr(GPtrArray) steps = NULL;

  node = reins_import_parse ((const char *) data, size, "fuzz.json", 1, &error);
  fuzz_check ((node != NULL) == (error == NULL));
  if (node == NULL)
    return 0;

  run = reins_import_document (node, "fuzz.json", 1, &steps, &error);
  fuzz_check ((run != NULL) == (error == NULL));
  if (run == NULL)
    return 0;
  fuzz_check (steps != NULL);
  fuzz_check (reins_run_get_step_count (run) == steps->len);
  for (guint i = 0; i < steps->len; i++)
    {
      ReinsStep *step = g_ptr_array_index (steps, i);

      fuzz_check (reins_step_get_index (step) == i + 1);
      fuzz_check (g_strcmp0 (reins_step_get_run_id (step), reins_run_get_id (run)) == 0);
    }
  if (reins_run_get_status (run) == REINS_RUN_STATUS_COMPLETED)
    fuzz_check (reins_run_get_final_answer (run) != NULL);
  return 0;
}
