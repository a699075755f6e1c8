/* reins-action.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the model asked to do: a tool name and its JSON arguments. Immutable.
 */

#pragma once

#include <json-glib/json-glib.h>

#include "reins-domain-types.h"

G_BEGIN_DECLS

#define REINS_TYPE_ACTION (reins_action_get_type ())

G_DECLARE_FINAL_TYPE (ReinsAction, reins_action, REINS, ACTION, GObject)

ReinsAction *reins_action_new                (const char   *name,
                                              JsonObject   *arguments);
ReinsAction *reins_action_new_with_id        (const char   *name,
                                              JsonObject   *arguments,
                                              const char   *call_id);
ReinsAction *reins_action_new_from_json      (JsonNode     *node,
                                              GError      **error);
ReinsAction *reins_action_new_from_string    (const char   *json,
                                              GError      **error);
const char  *reins_action_get_name           (ReinsAction  *self);
JsonObject  *reins_action_get_arguments      (ReinsAction  *self);
const char  *reins_action_get_call_id        (ReinsAction  *self);
const char  *reins_action_get_string_argument(ReinsAction  *self,
                                              const char   *member);
char        *reins_action_dup_arguments_json (ReinsAction  *self);
JsonNode    *reins_action_to_json            (ReinsAction  *self);
char        *reins_action_to_string          (ReinsAction  *self);
gboolean     reins_action_equal              (ReinsAction  *a,
                                              ReinsAction  *b);
gboolean     reins_json_text_has_nul         (const char   *json);
guint        reins_json_text_mask_nul        (char         *json,
                                              gsize         length);
gboolean     reins_action_check_text         (const char   *json,
                                              GError      **error);

G_END_DECLS
