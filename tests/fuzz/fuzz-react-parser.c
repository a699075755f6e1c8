/* fuzz-react-parser.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The ReAct parser on any reply: either an action whose span lies inside the reply, or an
 * error; all text valid UTF-8.
 */

#include "config.h"

#include <string.h>

#include "fuzz-target.h"
#include "reins-react-parser.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* Replies reach the parser as UTF-8 without NULs; the bytes are made so, not thrown away. */
  g_autofree char *reply = g_utf8_make_valid ((const char *) data, strnlen ((const char *) data, size));
  g_autoptr(GError) error = NULL;
  ReinsReactParse parse;

  if (reins_react_parse (reply, &parse, &error))
    {
      g_autofree char *formatted = NULL;
      g_autofree char *arguments = NULL;

      fuzz_check (error == NULL);
      fuzz_check (parse.action != NULL);
      fuzz_check (parse.action_start <= parse.action_end);
      fuzz_check (parse.action_end <= strlen (reply));
      fuzz_check (parse.thought == NULL || g_utf8_validate (parse.thought, -1, NULL));
      arguments = reins_action_dup_arguments_json (parse.action);
      fuzz_check (arguments == NULL || g_utf8_validate (arguments, -1, NULL));
      formatted = reins_react_format (parse.thought, parse.action);
      fuzz_check (g_utf8_validate (formatted, -1, NULL));
    }
  else
    {
      fuzz_check (error != NULL);
      fuzz_check (parse.action == NULL);
    }

  reins_react_parse_clear (&parse);
  return 0;
}
