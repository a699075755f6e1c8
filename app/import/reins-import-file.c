/* reins-import-file.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading a trace file or a folder of them: JSON Lines read line by line (conversations,
 * a message a line, OTLP/JSON a batch a line, streamed chunks and recorded server-sent
 * events), or one JSON document read whole. Each conversation is stored as it is read; what
 * was stored before a malformed line stays.
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "reins-error.h"
#include "reins-import-private.h"

typedef struct
{
  ReinsStore       *store;
  const char       *file;
  ReinsImportStats *stats;
  ReinsImportFunc   func;
  gpointer          user_data;
} ImportJob;

static gboolean
store_document (ImportJob  *job,
                JsonNode   *node,
                guint       line,
                GError    **error)
{
  g_autoptr(GPtrArray) digests = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) builders = NULL;
  g_autoptr(GError) local_error = NULL;

  builders = reins_import_read_document (node, digests, &local_error);
  if (builders == NULL)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA, _("%s:%u: %s"), job->file,
                   line, local_error->message);
      return FALSE;
    }

  for (guint i = 0; i < builders->len; i++)
    {
      g_autoptr(GPtrArray) steps = NULL;
      g_autoptr(ReinsRun) run = reins_import_builder_finish (g_ptr_array_index (builders, i),
                                                             job->file, line,
                                                             g_ptr_array_index (digests, i),
                                                             &steps);
      g_autoptr(ReinsRun) stored = reins_store_get_run (job->store, reins_run_get_id (run),
                                                        &local_error);
      JsonNode *notes = json_object_get_member (reins_run_get_settings (run), "import_notes");

      if (stored == NULL && !g_error_matches (local_error, REINS_ERROR, REINS_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_clear_error (&local_error);

      if (stored != NULL)
        {
          job->stats->duplicates++;
          if (job->func != NULL)
            job->func (stored, TRUE, job->user_data);
          continue;
        }

      if (!reins_store_commit_steps (job->store, run, steps, error))
        return FALSE;
      job->stats->imported++;
      if (notes != NULL && JSON_NODE_HOLDS_ARRAY (notes))
        job->stats->notes += json_array_get_length (json_node_get_array (notes));
      if (job->func != NULL)
        job->func (run, FALSE, job->user_data);
    }
  return TRUE;
}

static gboolean
is_blank (const char *line)
{
  for (const char *p = line; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

/* A line of a recorded server-sent event stream: `data: {…}` is read as its JSON; `event:`,
 * comments and `data: [DONE]` say nothing. Returns the offset of the JSON, or -1. */
static gssize
sse_payload (const char *line)
{
  const char *p = line;

  if (g_str_has_prefix (line, "event:") || g_str_has_prefix (line, "id:") ||
      g_str_has_prefix (line, "retry:") || line[0] == ':')
    return -1;
  if (!g_str_has_prefix (line, "data:"))
    return 0;
  p += strlen ("data:");
  while (*p == ' ')
    p++;
  if (g_str_has_prefix (p, "[DONE]"))
    return -1;
  return p - line;
}

/* Whether a JSON Lines object is one message of a conversation written a message a line. */
static gboolean
is_message_line (JsonObject *object)
{
  return reins_import_string_member (object, "role") != NULL &&
         !json_object_has_member (object, "messages") &&
         !json_object_has_member (object, "request");
}

/* The messages gathered line by line, stored as one conversation. */
static gboolean
flush_messages (ImportJob   *job,
                JsonArray  **messages,
                guint        line,
                GError     **error)
{
  g_autoptr(JsonNode) node = NULL;

  if (*messages == NULL)
    return TRUE;
  node = json_node_init_array (json_node_alloc (), *messages);
  g_clear_pointer (messages, json_array_unref);
  return store_document (job, node, line, error);
}

/* OTLP/JSON a batch a line (as a collector's file exporter writes it): the spans of one
 * trace may come in several batches, so the batches are read together. */
static gboolean
flush_otlp (ImportJob   *job,
            JsonArray  **batches,
            guint        line,
            GError     **error)
{
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (*batches == NULL)
    return TRUE;
  root = json_object_new ();
  json_object_set_array_member (root, "resourceSpans", g_steal_pointer (batches));
  node = json_node_init_object (json_node_alloc (), root);
  return store_document (job, node, line, error);
}

static void
gather_otlp (JsonArray  **batches,
             guint       *first_line,
             guint        line,
             JsonObject  *object)
{
  JsonNode *resources = json_object_get_member (object, "resourceSpans");

  if (*batches == NULL)
    {
      *batches = json_array_new ();
      *first_line = line;
    }
  for (guint i = 0; resources != NULL && JSON_NODE_HOLDS_ARRAY (resources) &&
       i < json_array_get_length (json_node_get_array (resources)); i++)
    json_array_add_element (*batches,
                            json_node_ref (json_array_get_element (json_node_get_array (resources), i)));
}

/* The reply a run of stream chunks carried, stored as a conversation of its own. */
static gboolean
flush_stream (ImportJob          *job,
              ReinsImportStream **stream,
              guint               line,
              GError            **error)
{
  g_autoptr(JsonArray) messages = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (*stream == NULL)
    return TRUE;
  messages = json_array_new ();
  json_array_add_element (messages, reins_import_stream_finish (*stream));
  g_clear_pointer (stream, reins_import_stream_free);
  node = json_node_init_array (json_node_alloc (), messages);
  return store_document (job, node, line, error);
}

static gboolean
import_whole (ImportJob     *job,
              GFile         *file,
              GError       **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GFileInfo) info = NULL;
  gsize length = 0;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL,
                            error);
  if (info == NULL)
    return FALSE;
  if (g_file_info_get_size (info) > REINS_IMPORT_MAX_DOCUMENT)
    {
      reins_import_set_position_error (error, job->file, 1, 1,
                          _("the file is one JSON document too large to read whole; "
                            "write it as JSON Lines, one conversation per line"));
      return FALSE;
    }
  if (!g_file_load_contents (file, NULL, &contents, &length, NULL, error))
    return FALSE;
  node = reins_import_parse (contents, length, job->file, 1, error);
  if (node == NULL)
    return FALSE;
  return store_document (job, node, 1, error);
}

static const char * const trace_suffixes[] = {
  ".json", ".jsonl", ".ndjson", ".sse", NULL
};

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* A folder: its trace files (by suffix, hidden ones left out) in order of name, and its
 * folders, each in turn. */
static gboolean
import_folder (ReinsStore        *store,
               const char        *path,
               guint              depth,
               ReinsImportStats  *stats,
               ReinsImportFunc    func,
               gpointer           user_data,
               GError           **error)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    return FALSE;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *child = g_build_filename (path, g_ptr_array_index (names, i), NULL);
      gboolean is_trace = FALSE;

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        {
          if (depth < 8 && !import_folder (store, child, depth + 1, stats, func, user_data, error))
            return FALSE;
          continue;
        }
      for (guint s = 0; trace_suffixes[s] != NULL; s++)
        is_trace |= g_str_has_suffix (child, trace_suffixes[s]);
      if (is_trace && g_file_test (child, G_FILE_TEST_IS_REGULAR) &&
          !reins_import_file (store, child, stats, func, user_data, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * reins_import_file:
 * @path: a trace file, or a folder of them (`.json`, `.jsonl`, `.ndjson`, `.sse` files,
 *   in order of name, and its folders)
 * @stats: counts, added to
 * @func: (nullable) (scope call): told of each conversation read
 *
 * Reads @path and stores each conversation in it as a run, unless the store has it already.
 * On an error the conversations before it stay stored.
 */
gboolean
reins_import_file (ReinsStore        *store,
                   const char        *path,
                   ReinsImportStats  *stats,
                   ReinsImportFunc    func,
                   gpointer           user_data,
                   GError           **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) input = NULL;
  g_autoptr(GDataInputStream) data = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(ReinsImportStream) stream = NULL;
  g_autoptr(JsonArray) loose = NULL;
  g_autoptr(JsonArray) batches = NULL;
  ImportJob job = { store, path, stats, func, user_data };
  guint line_number = 0, stream_line = 0, loose_line = 0, batches_line = 0;

  g_return_val_if_fail (REINS_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (stats != NULL, FALSE);

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    return import_folder (store, path, 0, stats, func, user_data, error);

  file = g_file_new_for_commandline_arg (path);
  input = g_file_read (file, NULL, error);
  if (input == NULL)
    return FALSE;
  data = g_data_input_stream_new (G_INPUT_STREAM (input));
  g_buffered_input_stream_set_buffer_size (G_BUFFERED_INPUT_STREAM (data), 64 * 1024);

  /* JSON Lines when the first line that is not blank is a whole JSON object; one JSON
   * document otherwise (an array, or an object spread over lines). Lines that are chunks of
   * a streamed reply are gathered into that reply. */
  for (gboolean first = TRUE;; first = FALSE)
    {
      gsize length = 0;
      gssize offset = 0;
      g_autofree char *line = NULL;
      g_autoptr(JsonNode) node = NULL;

      do
        {
          g_clear_pointer (&line, g_free);
          line = g_data_input_stream_read_line (data, &length, NULL, &local_error);
          if (line != NULL)
            {
              line_number++;
              offset = sse_payload (line);
            }
        }
      while (line != NULL && (offset < 0 || is_blank (line + offset)));

      if (line == NULL)
        {
          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          if (first)
            {
              g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                           _("%s: the file holds no conversation"), path);
              return FALSE;
            }
          return flush_stream (&job, &stream, stream_line, error) &&
                 flush_messages (&job, &loose, loose_line, error) &&
                 flush_otlp (&job, &batches, batches_line, error);
        }
      if (length > REINS_IMPORT_MAX_DOCUMENT)
        {
          reins_import_set_position_error (error, path, line_number, 1, _("the line is too long"));
          return FALSE;
        }

      node = reins_import_parse (line + offset, length - offset, path, line_number, &local_error);
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        {
          if (first && offset == 0)
            {
              g_clear_error (&local_error);
              g_clear_object (&data);
              g_clear_object (&input);
              return import_whole (&job, file, error);
            }
          if (local_error == NULL)
            reins_import_set_position_error (&local_error, path, line_number, 1,
                                _("a line of JSON Lines must be an object"));
          /* The reply streamed before the bad line stays, as everything before it does. */
          if (!flush_stream (&job, &stream, stream_line, NULL) ||
              !flush_messages (&job, &loose, loose_line, NULL) ||
              !flush_otlp (&job, &batches, batches_line, NULL))
            g_debug ("What came before line %u could not be stored.", line_number);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (json_object_has_member (json_node_get_object (node), "resourceSpans"))
        {
          if (!flush_stream (&job, &stream, stream_line, error) ||
              !flush_messages (&job, &loose, loose_line, error))
            return FALSE;
          gather_otlp (&batches, &batches_line, line_number, json_node_get_object (node));
          continue;
        }
      if (!flush_otlp (&job, &batches, batches_line, error))
        return FALSE;
      if (reins_import_stream_is_chunk (json_node_get_object (node)))
        {
          if (!flush_messages (&job, &loose, loose_line, error))
            return FALSE;
          if (stream != NULL && !reins_import_stream_add (stream, json_node_get_object (node)))
            {
              if (!flush_stream (&job, &stream, stream_line, error))
                return FALSE;
            }
          if (stream == NULL)
            {
              stream = reins_import_stream_new ();
              stream_line = line_number;
              reins_import_stream_add (stream, json_node_get_object (node));
            }
          continue;
        }
      if (!flush_stream (&job, &stream, stream_line, error))
        return FALSE;
      /* A message a line: the lines up to the next conversation are one. */
      if (is_message_line (json_node_get_object (node)))
        {
          if (loose == NULL)
            {
              loose = json_array_new ();
              loose_line = line_number;
            }
          json_array_add_element (loose, g_steal_pointer (&node));
          continue;
        }
      if (!flush_messages (&job, &loose, loose_line, error))
        return FALSE;
      if (!store_document (&job, node, line_number, error))
        return FALSE;
    }
}
