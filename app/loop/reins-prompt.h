/* reins-prompt.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Builds the conversation for the next model call from the run's stored steps: the system
 * prompt, the task, a bounded summary of older steps, the last few steps verbatim, the
 * harness's corrections where they were made, and the goal restated every few steps.
 * Everything is derived from stored data, so a resume or a replay builds the same prompt.
 */

#pragma once

#include "reins-chat.h"
#include "reins-domain.h"

G_BEGIN_DECLS

#define REINS_PROMPT_KEEP_VERBATIM 5
#define REINS_PROMPT_MAX_OBSERVATION 4000

typedef struct
{
  ReinsRun   *run;
  GPtrArray  *steps;          /* (element-type ReinsStep): every step before this one */
  JsonArray  *tools;          /* provider-neutral tool descriptions */
  gboolean    native;         /* native tool calling, else text ReAct */
  guint       goal_every;     /* restate the task after every N steps; 0: never */
  const char *summary;        /* (nullable) folded steps 1 … summary_upto */
  guint       summary_upto;
  GPtrArray  *extra;          /* (nullable) (element-type utf8) harness words for this call */
} ReinsPromptInput;

typedef struct _ReinsPromptTally ReinsPromptTally;

ReinsChatRequest *reins_prompt_build            (const ReinsPromptInput *input);
guint             reins_prompt_summary_upto     (guint                   next_step,
                                                 guint                   chunk);
char             *reins_prompt_step_line        (ReinsStep              *step);
char             *reins_prompt_summarize        (GPtrArray              *steps,
                                                 guint                   upto);
ReinsPromptTally *reins_prompt_tally_new        (void);
void              reins_prompt_tally_free       (ReinsPromptTally       *self);
char             *reins_prompt_summarize_with   (GPtrArray              *steps,
                                                 guint                   upto,
                                                 ReinsPromptTally       *tally);
ReinsChatRequest *reins_prompt_summary_update   (ReinsRun               *run,
                                                 GPtrArray              *steps,
                                                 const char             *summary,
                                                 guint                   summarized,
                                                 guint                   upto);
char             *reins_prompt_harness_message  (ReinsVerdict           *verdict);
gsize             reins_prompt_count_chars      (ReinsChatRequest       *request);
gsize             reins_prompt_count_chars_with (ReinsChatRequest       *request,
                                                 ReinsPromptTally       *tally);
ReinsChatRequest *reins_prompt_critic           (ReinsRun               *run,
                                                 GPtrArray              *steps,
                                                 ReinsStep              *step,
                                                 ReinsVerdictPhase       phase);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReinsPromptTally, reins_prompt_tally_free)

G_END_DECLS
