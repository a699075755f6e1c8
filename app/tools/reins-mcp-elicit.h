/* reins-mcp-elicit.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * MCP elicitation in form mode (`elicitation/create` with a `requestedSchema`): the schema
 * checked, the content built from its defaults or from what a person typed, and the answer
 * `{action, content}` made from a stored human decision.
 */

#pragma once

#include <json-glib/json-glib.h>

#include "reins-domain-types.h"

G_BEGIN_DECLS

typedef enum
{
  REINS_ELICIT_STRING,
  REINS_ELICIT_NUMBER,
  REINS_ELICIT_INTEGER,
  REINS_ELICIT_BOOLEAN,
  REINS_ELICIT_ENUM,
} ReinsElicitType;

gboolean     reins_mcp_elicit_check_schema      (JsonObject     *schema,
                                                 GError        **error);
ReinsElicitType reins_mcp_elicit_property_type  (JsonObject     *property);
char       **reins_mcp_elicit_enum_values       (JsonObject     *property);
gboolean     reins_mcp_elicit_is_required       (JsonObject     *schema,
                                                 const char     *name);
JsonObject  *reins_mcp_elicit_defaults          (JsonObject     *schema,
                                                 char          **missing);
JsonNode    *reins_mcp_elicit_parse_value       (JsonObject     *property,
                                                 const char     *text,
                                                 GError        **error);
char        *reins_mcp_elicit_accept_text       (JsonObject     *content);
JsonObject  *reins_mcp_elicit_result            (JsonObject     *request,
                                                 ReinsDecision   decision,
                                                 const char     *feedback);

G_END_DECLS
