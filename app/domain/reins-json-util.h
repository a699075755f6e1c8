/* reins-json-util.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Small helpers to read and write the JSON of CONTRACTS.md strictly but forgivingly:
 * a missing or null member gives the default, a member of the wrong type is an error.
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The deepest nesting of JSON accepted from outside: far more than any real document needs,
 * far less than what overflows a thread's stack in json-glib's recursive parser. */
#define REINS_JSON_MAX_DEPTH 512

char       *reins_json_to_string        (JsonNode    *node,
                                         gboolean     pretty);
JsonNode   *reins_json_from_string      (const char  *text,
                                         GError     **error);
gboolean    reins_json_check_bounds     (const char  *text,
                                         gssize       length,
                                         guint        max_depth,
                                         GError     **error);
JsonNode   *reins_json_parse_bounded    (const char  *text,
                                         gssize       length,
                                         guint        max_depth,
                                         GError     **error);
const char *reins_json_string_or        (JsonObject  *object,
                                         const char  *member,
                                         const char  *fallback);
gboolean    reins_json_get_string       (JsonObject  *object,
                                         const char  *member,
                                         char       **value,
                                         GError     **error);
gboolean    reins_json_double_is_int64  (double       number);
gboolean    reins_json_get_int          (JsonObject  *object,
                                         const char  *member,
                                         gint64      *value,
                                         GError     **error);
gboolean    reins_json_get_double       (JsonObject  *object,
                                         const char  *member,
                                         double      *value,
                                         gboolean    *present,
                                         GError     **error);
gboolean    reins_json_get_bool         (JsonObject  *object,
                                         const char  *member,
                                         gboolean    *value,
                                         GError     **error);
void        reins_json_add_string_or_null (JsonBuilder *builder,
                                           const char  *member,
                                           const char  *value);
/* A named figure of a report (bench results, judge report): one printer writes them all as
 * members of the object being built, in the order given. */
typedef struct
{
  const char *name;
  GType       type;     /* G_TYPE_INT64, G_TYPE_DOUBLE or G_TYPE_STRING (NULL: null) */
  gint64      integer;
  double      number;
  const char *text;
} ReinsJsonFigure;

#define REINS_JSON_INT(name, value)    { (name), G_TYPE_INT64, (gint64) (value), 0, NULL }
#define REINS_JSON_DOUBLE(name, value) { (name), G_TYPE_DOUBLE, 0, (value), NULL }
#define REINS_JSON_STRING(name, value) { (name), G_TYPE_STRING, 0, 0, (value) }

void        reins_json_add_figures      (JsonBuilder           *builder,
                                         const ReinsJsonFigure *figures,
                                         gsize                  n_figures);
/* @part / @whole, or 0 when @whole is 0 */
double      reins_ratio                 (double       part,
                                         double       whole);
/* Copies sharing nothing: JSON-GLib counts references without atomics, so an object
 * reachable from two threads must not be shared, even read-only. */
JsonNode   *reins_json_node_deep_copy   (JsonNode    *node);
JsonObject *reins_json_object_deep_copy (JsonObject  *object);
char       *reins_time_to_iso8601       (gint64       unix_usec);
gint64      reins_time_from_iso8601     (const char  *text);
char       *reins_utf8_make_valid       (const char  *text,
                                         gssize       length);

G_END_DECLS
