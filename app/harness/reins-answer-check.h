/* reins-answer-check.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Whether a final answer is supported by what the run saw. The answer is cut into content
 * units (words, numbers, dates, identifiers such as "chain-7-10/3-ab12"); stop-words and the
 * words people use to frame an answer ("the value is…") are left out. Each unit must be found
 * in a tool result; numbers match by value, dates by the day they name. Words of the task are
 * the question's own wording and need no support, except that a short answer is checked whole:
 * it must come from a tool result. A clause that says the agent could not find out asserts
 * nothing. Nothing here depends on the shape of one kind of answer.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  /* (element-type utf8): units found in no tool result and not in the task */
  GPtrArray *unsupported;
  /* (element-type utf8): a short answer's units found only in the task's wording */
  GPtrArray *task_only;
  /* (element-type utf8): when the answer only repeats intermediate results — values the run
   * followed to get further, or continuation links such as "next" — those values; else empty */
  GPtrArray *moved_past;
  /* the step that moved past the first of them (it used the value to go on), or 0 */
  guint      moved_past_step;
  /* how many content units were checked */
  guint      n_units;
} ReinsAnswerCheck;

/* One piece of evidence: what a step's tool returned (or a person answered), and the string
 * arguments of the action that produced it. */
typedef struct
{
  guint        step;
  const char  *observation;        /* nullable: the action did not run */
  const char **arguments;          /* (nullable): NULL-terminated string arguments */
} ReinsEvidence;

ReinsAnswerCheck *reins_answer_check          (const char          *answer,
                                               const char          *task,
                                               const ReinsEvidence *evidence,
                                               guint                n_evidence);
gboolean          reins_answer_check_is_clean (const ReinsAnswerCheck *check);
void              reins_answer_check_free     (ReinsAnswerCheck    *check);

/* Exposed for tests. */
gboolean          reins_answer_parse_number   (const char          *text,
                                               double              *value);
char             *reins_answer_normalize_date (const char          *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReinsAnswerCheck, reins_answer_check_free)

G_END_DECLS
