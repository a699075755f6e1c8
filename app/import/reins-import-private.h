/* reins-import-private.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the readers of app/import/ share: a run being built step by step from a trace.
 */

#pragma once

#include "reins-import.h"

G_BEGIN_DECLS

typedef struct
{
  char       *run_id;
  char       *format;
  char       *task;
  char       *model;
  char       *system;
  char       *final_answer;
  GPtrArray  *steps;     /* (element-type ReinsStep) */
  GHashTable *pending;   /* tool call id → ReinsStep (borrowed) waiting for its result */
  JsonObject *labels;
  JsonArray  *notes;
  JsonArray  *tools;     /* names of the tools the trace declares */
  gint64      started_at;
} ReinsImportBuilder;

const char         *reins_import_string_member     (JsonObject          *object,
                                                     const char          *member);
JsonObject         *reins_import_object_member     (JsonObject          *object,
                                                     const char          *member);
gint64              reins_import_int_member        (JsonObject          *object,
                                                     const char          *member,
                                                     gint64               fallback);

ReinsImportBuilder *reins_import_builder_new        (const char          *format);
void                reins_import_builder_free       (ReinsImportBuilder  *self);
ReinsStep          *reins_import_builder_add_step   (ReinsImportBuilder  *self);
void                reins_import_builder_note       (ReinsImportBuilder  *self,
                                                     const char          *format,
                                                     ...) G_GNUC_PRINTF (2, 3);
void                reins_import_builder_system     (ReinsImportBuilder  *self,
                                                     const char          *text);
const char         *reins_import_builder_waiting_call (ReinsImportBuilder *self,
                                                       const char         *name);
void                reins_import_builder_user_turn  (ReinsImportBuilder  *self,
                                                     const char          *text);
ReinsStep          *reins_import_builder_tool_call  (ReinsImportBuilder  *self,
                                                     const char          *name,
                                                     JsonNode            *arguments,
                                                     const char          *call_id);
gboolean            reins_import_builder_tool_result (ReinsImportBuilder *self,
                                                      const char         *call_id,
                                                      const char         *text,
                                                      gboolean            is_error);
void                reins_import_builder_metadata   (ReinsImportBuilder  *self,
                                                     JsonObject          *object,
                                                     const char * const  *skip);
ReinsRun           *reins_import_builder_finish     (ReinsImportBuilder  *self,
                                                     const char          *file,
                                                     guint                line,
                                                     const char          *sha256,
                                                     GPtrArray          **steps);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReinsImportBuilder, reins_import_builder_free)

/* reins-import.c */
char               *reins_import_digest           (JsonNode            *node);
void                reins_import_set_position_error (GError           **error,
                                                     const char        *file,
                                                     guint              line,
                                                     guint              column,
                                                     const char        *message);
GPtrArray          *reins_import_read_document    (JsonNode            *node,
                                                   GPtrArray           *digests,
                                                   GError             **error);

/* reins-import-chat.c */
gboolean            reins_import_chat_looks_anthropic (JsonArray          *messages);
char               *reins_import_chat_text        (ReinsImportBuilder  *builder,
                                                   JsonNode            *content,
                                                   const char          *role);
gboolean            reins_import_chat_read        (ReinsImportBuilder  *builder,
                                                   JsonArray           *messages,
                                                   gboolean             anthropic,
                                                   GError             **error);

JsonNode           *reins_import_call_arguments   (ReinsImportBuilder  *builder,
                                                   JsonNode            *node,
                                                   const char          *call_id);

/* reins-import-genai.c */
JsonArray          *reins_import_genai_messages   (JsonObject          *span,
                                                   JsonObject          *attributes,
                                                   gboolean             output);
JsonArray          *reins_import_genai_parse      (const char          *text,
                                                   const char          *role);
JsonObject         *reins_import_genai_find       (JsonArray           *messages,
                                                   const char          *role,
                                                   gboolean             last);
gboolean            reins_import_genai_is_message_event (const char    *name);

/* reins-import-stream.c */
typedef struct _ReinsImportStream ReinsImportStream;

gboolean            reins_import_stream_is_chunk  (JsonObject          *object);
ReinsImportStream  *reins_import_stream_new       (void);
void                reins_import_stream_free      (ReinsImportStream   *self);
gboolean            reins_import_stream_add       (ReinsImportStream   *self,
                                                   JsonObject          *chunk);
JsonNode           *reins_import_stream_finish    (ReinsImportStream   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReinsImportStream, reins_import_stream_free)

/* reins-import-otlp-values.c */
JsonObject         *reins_otlp_attributes         (JsonObject          *object);
JsonNode           *reins_otlp_attr_first         (JsonObject          *attributes,
                                                   const char * const  *keys);
const char         *reins_otlp_attr_first_string  (JsonObject          *attributes,
                                                   const char * const  *keys);
gint64              reins_otlp_attr_first_int     (JsonObject          *attributes,
                                                   const char * const  *keys);
gint64              reins_otlp_time_of            (JsonObject          *object,
                                                   const char          *member);

/* reins-otlp.c */
GPtrArray          *reins_otlp_read               (JsonObject          *root,
                                                   GError             **error);

G_END_DECLS
