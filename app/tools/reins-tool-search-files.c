/* reins-tool-search-files.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The built-in tool `search_files`: lines of workspace files that match a pattern.
 */

#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reins-builtin-tool.h"
#include "reins-sandbox.h"

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

#define MAX_MATCHES    200
#define MAX_FILES      5000
#define MAX_DEPTH      32
#define MAX_FILE_BYTES (1024 * 1024)
#define MAX_LINE_CHARS 300

typedef struct
{
  GRegex       *regex;     /* NULL: literal search */
  const char   *literal;
  GString      *out;
  guint         matches;
  guint         files;
  gboolean      truncated;
  GCancellable *cancellable;
} Search;

static gboolean
line_matches (Search     *search,
              const char *line,
              gsize       length)
{
  if (search->regex != NULL)
    return g_regex_match_full (search->regex, line, length, 0, 0, NULL, NULL);
  return g_strstr_len (line, length, search->literal) != NULL;
}

static void
search_file (Search     *search,
             int         fd,
             const char *shown_path)
{
  g_autofree char *text = NULL;
  const char *line;
  guint number = 0;

  text = reins_sandbox_read_fd_text (fd, MAX_FILE_BYTES, NULL, NULL);
  if (text == NULL)
    return;  /* binary or unreadable: not a text file to search */

  line = text;
  while (*line != '\0' && !search->truncated)
    {
      const char *end = strchr (line, '\n');
      gsize length = end != NULL ? (gsize) (end - line) : strlen (line);

      number++;
      if (line_matches (search, line, length))
        {
          g_autofree char *shown = NULL;
          const char *cut = line;
          glong chars = 0;

          if (search->matches >= MAX_MATCHES)
            {
              search->truncated = TRUE;
              break;
            }
          while (cut < line + length && chars < MAX_LINE_CHARS)
            {
              cut = g_utf8_next_char (cut);
              chars++;
            }
          shown = reins_sandbox_escape (line, MIN (cut, line + length) - line);
          g_string_append_printf (search->out, "%s:%u:%s%s\n", shown_path, number, shown,
                                  cut < line + length ? "…" : "");
          search->matches++;
        }
      if (end == NULL)
        break;
      line = end + 1;
    }
}

static void
search_dir (Search     *search,
            int         fd,
            const char *prefix,
            guint       depth)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  struct dirent *entry;
  DIR *dir;

  dir = fdopendir (fd);
  if (dir == NULL)
    {
      close (fd);
      return;
    }
  while ((entry = readdir (dir)) != NULL)
    {
      /* Hidden entries (.git, .cache …) are skipped like most search tools do. */
      if (entry->d_name[0] == '.')
        continue;
      g_ptr_array_add (names, g_strdup (entry->d_name));
    }
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len && !search->truncated; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *escaped = reins_sandbox_escape (name, -1);
      g_autofree char *shown = prefix != NULL ? g_strconcat (prefix, "/", escaped, NULL)
                                              : g_strdup (escaped);
      struct stat st;
      int child;

      if (g_cancellable_is_cancelled (search->cancellable))
        break;
      /* Links are not followed at all while walking: they could lead out or loop. */
      if (fstatat (dirfd (dir), name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        continue;

      if (S_ISDIR (st.st_mode) && depth < MAX_DEPTH)
        {
          child = openat (dirfd (dir), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
          if (child >= 0)
            search_dir (search, child, shown, depth + 1);
        }
      else if (S_ISREG (st.st_mode))
        {
          if (++search->files > MAX_FILES)
            {
              search->truncated = TRUE;
              break;
            }
          child = openat (dirfd (dir), name,
                          O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
          if (child >= 0)
            {
              struct stat st2;

              if (fstat (child, &st2) == 0 && S_ISREG (st2.st_mode))
                search_file (search, child, shown);
              close (child);
            }
        }
    }
  closedir (dir);
}

static ReinsToolResult *
search_files_invoke (ReinsToolContext *context,
                     JsonObject       *arguments,
                     GCancellable     *cancellable)
{
  const char *pattern = json_object_get_string_member_with_default (arguments, "pattern", NULL);
  const char *path = json_object_get_string_member_with_default (arguments, "path", ".");
  g_autoptr(ReinsSandbox) sandbox = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *prefix = NULL;
  Search search = { 0 };
  ReinsToolResult *result;
  int fd;

  if (pattern == NULL || *pattern == '\0')
    return reins_tool_result_new_error ("%s", _("“pattern” is required"));

  sandbox = reins_tool_context_open_sandbox (context, &error);
  if (sandbox == NULL)
    return reins_tool_result_new_error ("%s", error->message);

  /* A pattern that is not a valid regular expression is searched for literally: models
   * often pass plain text such as “foo(”. */
  regex = g_regex_new (pattern, G_REGEX_OPTIMIZE, 0, NULL);
  search.regex = regex;
  search.literal = pattern;
  search.out = out;
  search.cancellable = cancellable;

  if (g_strcmp0 (path, ".") != 0 && g_strcmp0 (path, "./") != 0)
    prefix = reins_sandbox_escape (path, -1);

  fd = reins_sandbox_open_dir (sandbox, path, -1, NULL);
  if (fd >= 0)
    search_dir (&search, fd, prefix, 0);
  else
    {
      fd = reins_sandbox_open_file (sandbox, path, -1, &error);
      if (fd < 0)
        return reins_tool_result_new_error ("%s", error->message);
      search_file (&search, fd, prefix);
      close (fd);
    }

  if (g_cancellable_is_cancelled (cancellable))
    return reins_tool_result_new_error ("%s", _("The search was cancelled"));
  if (search.matches == 0)
    g_string_append (out, _("No matches.\n"));
  if (search.truncated)
    {
      guint n_files = MIN (search.files, (guint) MAX_FILES);
      /* Translators: part of "[… truncated: the search stopped after 200 matches in 12 files]" */
      g_autofree char *matches = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u match",
                                                               "%u matches", search.matches),
                                                  search.matches);
      /* Translators: part of "[… truncated: the search stopped after 200 matches in 12 files]" */
      g_autofree char *files = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u file",
                                                             "%u files", n_files),
                                                n_files);

      /* Translators: "200 matches", "12 files" */
      g_string_append_printf (out, _("[… truncated: the search stopped after %s in %s]\n"),
                              matches, files);
    }

  result = reins_tool_result_new (out->str, FALSE);
  result->truncated = search.truncated;
  return result;
}

ReinsTool *
reins_tool_search_files_new (void)
{
  return reins_builtin_tool_new ("search_files",
                                 "Search the text files of the workspace for a regular "
                                 "expression (or plain text); prints path:line:text.",
                                 "{\"type\":\"object\","
                                 "\"properties\":{"
                                 "\"pattern\":{\"type\":\"string\",\"minLength\":1,"
                                 "\"description\":\"Regular expression or text to find\"},"
                                 "\"path\":{\"type\":\"string\",\"minLength\":1,"
                                 "\"description\":\"Folder or file to search, relative to the "
                                 "workspace [.]\"}},"
                                 "\"required\":[\"pattern\"],\"additionalProperties\":false}",
                                 REINS_RISK_READ,
                                 search_files_invoke);
}
