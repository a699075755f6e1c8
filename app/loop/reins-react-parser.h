/* reins-react-parser.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads a text ReAct reply (CONTRACTS §4): `Thought: …` then `Action: {json}`, tolerating
 * code fences, trailing prose, `Action Input:` and `Final Answer: …` (a `finish`). A reply
 * it cannot read is an error — never a guess.
 */

#pragma once

#include "reins-domain.h"

G_BEGIN_DECLS

typedef struct
{
  char        *thought;        /* may be NULL */
  ReinsAction *action;         /* NULL on error */
  gsize        action_start;   /* byte span of the action's JSON in the reply, for confidence */
  gsize        action_end;
} ReinsReactParse;

gboolean reins_react_parse       (const char      *reply,
                                  ReinsReactParse *result,
                                  GError         **error);
void     reins_react_parse_clear (ReinsReactParse *result);
char    *reins_react_format      (const char      *thought,
                                  ReinsAction     *action);

G_END_DECLS
