/* reins-json-schema.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A validator for the subset of JSON Schema that tool arguments use.
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Checks @instance against @schema. Supported keywords: type (a name or a list of names:
 * object, array, string, number, integer, boolean, null), properties, required,
 * additionalProperties (false or a schema), enum, const, items, minItems, maxItems,
 * minLength, maxLength (in characters), minimum, maximum, exclusiveMinimum,
 * exclusiveMaximum. Other keywords are ignored, so a richer schema (MCP servers send them)
 * is checked as far as this subset goes. The error names the offending member. */
gboolean reins_json_schema_validate (JsonObject  *schema,
                                     JsonNode    *instance,
                                     GError     **error);

G_END_DECLS
