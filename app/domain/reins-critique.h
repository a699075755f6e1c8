/* reins-critique.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ReinsCritique: what the critic said about one step — the call (its raw reply or why it
 * failed, model, tokens, cost) and the judgement read from the reply. A plain boxed record:
 * the loop fills the call, the critic guard the judgement, the store keeps both, so a replay
 * can judge again from the stored reply without calling a model.
 */

#pragma once

#include <json-glib/json-glib.h>

#include "reins-domain-types.h"

G_BEGIN_DECLS

typedef enum
{
  REINS_CRITIC_VERDICT_UNAVAILABLE,   /* no usable reply: the deterministic checks decide */
  REINS_CRITIC_VERDICT_SUPPORTED,     /* the evidence supports the answer and the task is done */
  REINS_CRITIC_VERDICT_NOT_SUPPORTED, /* the answer (or the step) is not borne out */
  REINS_CRITIC_VERDICT_NOT_DONE,      /* supported so far, but the task is not finished */
} ReinsCriticVerdict;

typedef struct
{
  ReinsVerdictPhase   phase;
  /* The call. */
  char               *reply;          /* the raw reply; NULL when the call failed */
  char               *error;          /* why the critic is unavailable, or NULL */
  char               *model;
  guint64             input_tokens;
  guint64             output_tokens;
  double              cost_usd;
  /* The judgement. */
  ReinsCriticVerdict  verdict;
  gboolean            supported;
  gboolean            done;
  guint               evidence_step;  /* 0: none named */
  char               *reason;
} ReinsCritique;

#define REINS_TYPE_CRITIQUE (reins_critique_get_type ())

GType               reins_critique_get_type          (void) G_GNUC_CONST;
ReinsCritique      *reins_critique_new               (ReinsVerdictPhase    phase);
ReinsCritique      *reins_critique_copy              (const ReinsCritique *self);
void                reins_critique_free              (ReinsCritique       *self);
void                reins_critique_clear_judgement   (ReinsCritique       *self);
char               *reins_critique_describe          (const ReinsCritique *self);
JsonNode           *reins_critique_to_json           (const ReinsCritique *self);
ReinsCritique      *reins_critique_new_from_json     (JsonNode            *node,
                                                      GError             **error);
const char         *reins_critic_verdict_to_string   (ReinsCriticVerdict   verdict);
gboolean            reins_critic_verdict_from_string (const char          *str,
                                                      ReinsCriticVerdict  *verdict);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReinsCritique, reins_critique_free)

G_END_DECLS
