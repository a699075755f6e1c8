/* reins-react-parser.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "reins-react-parser.h"

/* Finds @label at the start of a line (case-insensitive), returning where its value starts. */
static const char *
find_label (const char *text,
            const char *label)
{
  gsize len = strlen (label);

  for (const char *p = text; p != NULL && *p != '\0'; )
    {
      const char *line = p;

      while (*line == ' ' || *line == '\t' || *line == '*' || *line == '#')
        line++;
      if (g_ascii_strncasecmp (line, label, len) == 0)
        {
          line += len;
          while (*line == ' ' || *line == '\t' || *line == '*')
            line++;
          return line;
        }

      p = strchr (p, '\n');
      if (p != NULL)
        p++;
    }

  return NULL;
}

/* The end of the JSON object starting at @start ('{'), respecting strings and escapes;
 * NULL if it never closes. */
static const char *
match_object (const char *start)
{
  int depth = 0;
  gboolean in_string = FALSE;

  for (const char *p = start; *p != '\0'; p++)
    {
      if (in_string)
        {
          if (*p == '\\' && p[1] != '\0')
            p++;
          else if (*p == '"')
            in_string = FALSE;
          continue;
        }

      if (*p == '"')
        in_string = TRUE;
      else if (*p == '{')
        depth++;
      else if (*p == '}' && --depth == 0)
        return p + 1;
    }

  return NULL;
}

static char *
strip_dup (const char *start,
           const char *end)
{
  g_autofree char *text = g_strndup (start, end - start);

  return g_strdup (g_strstrip (text));
}

/* Skips white space and an opening code fence (``` or ```json). */
static const char *
skip_fence (const char *p)
{
  while (g_ascii_isspace (*p))
    p++;
  if (g_str_has_prefix (p, "```"))
    {
      p += 3;
      while (g_ascii_isalpha (*p))
        p++;
      while (g_ascii_isspace (*p))
        p++;
    }
  return p;
}

static gboolean
is_blank (const char *text)
{
  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

void
reins_react_parse_clear (ReinsReactParse *result)
{
  g_clear_pointer (&result->thought, g_free);
  g_clear_object (&result->action);
  result->action_start = result->action_end = 0;
}

/**
 * reins_react_parse:
 *
 * On failure @result holds the thought (if one was read) and the error says what is wrong
 * in words the model can act on.
 */
gboolean
reins_react_parse (const char      *reply,
                   ReinsReactParse *result,
                   GError         **error)
{
  const char *thought_at, *action_at, *final_at, *input_at, *json_start, *json_end;
  const char *thought_end;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *json = NULL;

  g_return_val_if_fail (result != NULL, FALSE);

  memset (result, 0, sizeof *result);

  if (reply == NULL || is_blank (reply))
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                           _("The reply was empty. Answer with “Thought: …” and "
                             "“Action: {\"name\": …, \"arguments\": {…}}”."));
      return FALSE;
    }

  thought_at = find_label (reply, "Thought:");
  action_at = find_label (reply, "Action:");
  final_at = find_label (reply, "Final Answer:");

  /* The thought runs to whichever label comes next. */
  thought_end = reply + strlen (reply);
  if (action_at != NULL)
    thought_end = MIN (thought_end, action_at);
  if (final_at != NULL)
    thought_end = MIN (thought_end, final_at);
  if (thought_at != NULL && thought_at < thought_end)
    {
      const char *end = thought_end;

      /* Back off the label of the next line. */
      while (end > thought_at && end[-1] != '\n')
        end--;
      result->thought = strip_dup (thought_at, end > thought_at ? end : thought_end);
    }

  if (final_at != NULL && (action_at == NULL || final_at < action_at))
    {
      g_autofree char *answer = strip_dup (final_at, reply + strlen (reply));
      g_autoptr(JsonObject) args = json_object_new ();

      if (*answer == '\0')
        {
          g_set_error_literal (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                               _("“Final Answer:” was empty. Give the answer after it."));
          return FALSE;
        }

      json_object_set_string_member (args, "answer", answer);
      result->action = reins_action_new ("finish", args);
      result->action_start = final_at - reply;
      result->action_end = strlen (reply);
      return TRUE;
    }

  if (action_at == NULL)
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                           _("The reply has no “Action:” line. Answer with “Thought: …” and "
                             "“Action: {\"name\": …, \"arguments\": {…}}”, or "
                             "“Final Answer: …” when you are done."));
      return FALSE;
    }

  json_start = skip_fence (action_at);

  /* `Action: tool` then `Action Input: {…}`, as some models write. */
  if (*json_start != '{' && (input_at = find_label (action_at, "Action Input:")) != NULL)
    {
      const char *name_end = strchr (action_at, '\n');
      g_autofree char *name = strip_dup (action_at, name_end ? name_end : action_at + strlen (action_at));
      const char *input_start = skip_fence (input_at);
      const char *input_end = *input_start == '{' ? match_object (input_start) : NULL;
      g_autoptr(JsonNode) args = NULL;

      if (input_end == NULL)
        {
          g_set_error_literal (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                               _("“Action Input:” is not a JSON object."));
          return FALSE;
        }
      json = g_strndup (input_start, input_end - input_start);
      if (reins_action_check_text (json, &local_error))
        args = reins_json_from_string (json, &local_error);
      if (args == NULL || !JSON_NODE_HOLDS_OBJECT (args) || *name == '\0')
        {
          g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                       _("The action could not be read: %s"),
                       local_error ? local_error->message : _("no tool name"));
          return FALSE;
        }
      result->action = reins_action_new (name, json_node_get_object (args));
      result->action_start = input_start - reply;
      result->action_end = input_end - reply;
      return TRUE;
    }

  if (*json_start != '{')
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                           _("“Action:” must be followed by a JSON object such as "
                             "{\"name\": \"read_file\", \"arguments\": {\"path\": \"a.txt\"}}."));
      return FALSE;
    }

  json_end = match_object (json_start);
  if (json_end == NULL)
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                           _("The action’s JSON never closes; check the braces and quotes."));
      return FALSE;
    }

  json = g_strndup (json_start, json_end - json_start);
  result->action = reins_action_new_from_string (json, &local_error);
  if (result->action == NULL)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                   _("The action could not be read: %s"), local_error->message);
      return FALSE;
    }

  result->action_start = json_start - reply;
  result->action_end = json_end - reply;
  return TRUE;
}

/* The canonical text of a step, for prompts rebuilt from stored steps. */
char *
reins_react_format (const char  *thought,
                    ReinsAction *action)
{
  GString *text = g_string_new (NULL);

  if (thought != NULL && *thought != '\0')
    g_string_append_printf (text, "Thought: %s\n", thought);
  if (action != NULL)
    {
      g_autofree char *json = reins_action_to_string (action);
      g_string_append_printf (text, "Action: %s", json);
    }

  return g_string_free (text, FALSE);
}
