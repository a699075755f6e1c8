/* reins-guard.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ReinsGuard: one deterministic check of the harness. A guard looks at a step at up to three
 * points and may return a verdict; returning NULL means "allow, nothing to say".
 */

#pragma once

#include <json-glib/json-glib.h>

#include "reins-domain.h"

G_BEGIN_DECLS

/* What a guard may look at. The loop fills it for the step being judged; a replay fills it
 * from the store. Guards must not keep pointers into it. */
typedef struct _ReinsGuardContext ReinsGuardContext;

struct _ReinsGuardContext
{
  ReinsRun   *run;
  GPtrArray  *history;                 /* (element-type ReinsStep): the steps before this one */
  JsonObject *settings;                /* the run's settings */

  /* About the current step's action, before it runs. */
  gboolean    action_known;            /* the tool exists */
  ReinsRisk   action_risk;
  const char *action_error;            /* why the arguments are invalid, or NULL */

  /* Before the model call: what the call will probably cost. */
  guint64     projected_input_tokens;
  double      projected_cost_usd;

  gboolean    replay;                  /* re-evaluating a stored run: no model, no tools */

  /* Optional: the provider's embeddings, used when the settings say "embeddings":
   * "provider". Returns (element-type GArray of float) one vector per text, or NULL. */
  GPtrArray  *(*embed) (const char * const *texts,
                        gpointer            user_data);
  gpointer    embed_data;

  /* Optional: the critic's model call, for the `critic` guard. The loop builds the prompt
   * and calls the critic's provider (adding the call's cost to the step and the run); a
   * replay returns the reply stored on the step and calls nothing. Returns the call — its
   * reply, or why there is none — for the guard to judge; NULL means no critic at all. */
  ReinsCritique *(*critic) (ReinsGuardContext *context,
                            ReinsStep         *step,
                            ReinsVerdictPhase  phase,
                            gpointer           user_data);
  gpointer    critic_data;
};

#define REINS_TYPE_GUARD (reins_guard_get_type ())

G_DECLARE_INTERFACE (ReinsGuard, reins_guard, REINS, GUARD, GObject)

struct _ReinsGuardInterface
{
  GTypeInterface parent_iface;

  const char   *(*get_name)          (ReinsGuard          *self);
  ReinsVerdict *(*before_model)      (ReinsGuard          *self,
                                      ReinsGuardContext   *context,
                                      ReinsStep           *step);
  ReinsVerdict *(*before_action)     (ReinsGuard          *self,
                                      ReinsGuardContext   *context,
                                      ReinsStep           *step);
  ReinsVerdict *(*after_observation) (ReinsGuard          *self,
                                      ReinsGuardContext   *context,
                                      ReinsStep           *step);
  void          (*approval_resolved) (ReinsGuard          *self,
                                      ReinsGuardContext   *context,
                                      ReinsStep           *step,
                                      ReinsApprovalRecord *record);
};

const char   *reins_guard_get_name          (ReinsGuard          *self);
ReinsVerdict *reins_guard_evaluate          (ReinsGuard          *self,
                                             ReinsVerdictPhase    phase,
                                             ReinsGuardContext   *context,
                                             ReinsStep           *step);
void          reins_guard_approval_resolved (ReinsGuard          *self,
                                             ReinsGuardContext   *context,
                                             ReinsStep           *step,
                                             ReinsApprovalRecord *record);

/* Settings helpers shared by the guards. */
double        reins_settings_get_double     (JsonObject          *settings,
                                             const char          *member,
                                             double               fallback);
gint64        reins_settings_get_int        (JsonObject          *settings,
                                             const char          *member,
                                             gint64               fallback);
gboolean      reins_settings_get_bool       (JsonObject          *settings,
                                             const char          *member,
                                             gboolean             fallback);
const char   *reins_settings_get_string     (JsonObject          *settings,
                                             const char          *member,
                                             const char          *fallback);
gboolean      reins_settings_list_contains  (JsonObject          *settings,
                                             const char          *member,
                                             const char          *value);

/* History helpers: a guard's escalation state is derived from the stored steps, never kept
 * in the guard, so a resumed run and a replay judge exactly as the live run did. */
guint         reins_guard_history_count     (GPtrArray           *history,
                                             const char          *guard,
                                             ReinsVerdictKind     min_kind);
gint          reins_guard_history_last      (GPtrArray           *history,
                                             const char          *guard,
                                             ReinsVerdictKind     min_kind);
gboolean      reins_guard_step_has_verdict  (ReinsStep           *step,
                                             const char          *guard,
                                             ReinsVerdictKind     min_kind);
gboolean      reins_step_action_ran         (ReinsStep           *step);
gboolean      reins_text_looks_like_error   (const char          *text);
gboolean      reins_text_admits_failure     (const char          *text);
char         *reins_guard_format_steps      (const guint         *steps,
                                             guint                n_steps);

G_END_DECLS
