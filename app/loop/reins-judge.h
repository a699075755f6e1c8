/* reins-judge.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Many stored runs judged again, as replay judges one, and what the guards would have done
 * summed up: steps and runs per guard and verdict, the questions a person would have been
 * asked, the runs that would have been stopped, and — for runs labelled with an outcome —
 * how well "flagged" separates failed runs from successful ones.
 */

#pragma once

#include "reins-domain.h"

G_BEGIN_DECLS

/* Sets the settings to judge one run under, over a copy of the run's own; runs on a worker
 * thread, once per run, and must not change anything shared. */
typedef gboolean (*ReinsJudgeSettingsFunc) (JsonObject  *settings,
                                            gpointer     user_data,
                                            GError     **error);

typedef struct
{
  const char             *store_path;
  const char * const     *run_ids;     /* (nullable) these runs only */
  const char             *label;       /* (nullable) KEY or KEY=VALUE: runs with that label */
  const char             *source;      /* (nullable) imported runs of this format or file */
  ReinsJudgeSettingsFunc  settings_func;
  gpointer                settings_data;
  guint                   n_threads;   /* 0: two */
} ReinsJudgeQuery;

typedef enum
{
  REINS_JUDGE_OUTCOME_UNKNOWN,
  REINS_JUDGE_OUTCOME_SUCCESS,
  REINS_JUDGE_OUTCOME_FAILURE,
} ReinsJudgeOutcome;

typedef struct _ReinsJudgeReport ReinsJudgeReport;

ReinsJudgeReport  *reins_judge_run_query        (const ReinsJudgeQuery  *query,
                                                 GError                **error);
void               reins_judge_report_free      (ReinsJudgeReport       *report);
JsonNode          *reins_judge_report_to_json   (ReinsJudgeReport       *report);
char              *reins_judge_report_to_text   (ReinsJudgeReport       *report);
ReinsJudgeOutcome  reins_judge_outcome_of       (JsonObject             *labels);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReinsJudgeReport, reins_judge_report_free)

G_END_DECLS
