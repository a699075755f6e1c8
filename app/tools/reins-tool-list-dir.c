/* reins-tool-list-dir.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The built-in tool `list_dir`: the entries of a workspace directory.
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

#define MAX_ENTRIES 1000

static ReinsToolResult *
list_dir_invoke (ReinsToolContext *context,
                 JsonObject       *arguments,
                 GCancellable     *cancellable)
{
  const char *path = json_object_get_string_member_with_default (arguments, "path", ".");
  g_autoptr(ReinsSandbox) sandbox = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) out = g_string_new (NULL);
  ReinsToolResult *result;
  struct dirent *entry;
  gboolean truncated = FALSE;
  DIR *dir;
  int fd;

  sandbox = reins_tool_context_open_sandbox (context, &error);
  if (sandbox == NULL)
    return reins_tool_result_new_error ("%s", error->message);

  fd = reins_sandbox_open_dir (sandbox, path, -1, &error);
  if (fd < 0)
    return reins_tool_result_new_error ("%s", error->message);

  dir = fdopendir (fd);
  if (dir == NULL)
    {
      close (fd);
      return reins_tool_result_new_error (_("Cannot list “%s”"), path);
    }

  while ((entry = readdir (dir)) != NULL)
    {
      struct stat st;
      const char *suffix = "";

      if (strcmp (entry->d_name, ".") == 0 || strcmp (entry->d_name, "..") == 0)
        continue;
      if (entries->len >= MAX_ENTRIES)
        {
          truncated = TRUE;
          break;
        }
      if (fstatat (dirfd (dir), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
        {
          if (S_ISDIR (st.st_mode))
            suffix = "/";
          else if (S_ISLNK (st.st_mode))
            suffix = "@";
        }
      g_ptr_array_add (entries, g_strconcat (entry->d_name, suffix, NULL));
    }
  closedir (dir);

  g_ptr_array_sort (entries, compare_names);
  for (guint i = 0; i < entries->len; i++)
    {
      /* A name with invisible characters is shown escaped, never as it is. */
      g_autofree char *shown = reins_sandbox_escape (g_ptr_array_index (entries, i), -1);

      g_string_append_printf (out, "%s\n", shown);
    }
  if (entries->len == 0)
    g_string_append (out, _("(empty directory)\n"));
  if (truncated)
    g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE,
                                              "[… truncated: only the first %d entry is shown]\n",
                                              "[… truncated: only the first %d entries are "
                                              "shown]\n", MAX_ENTRIES),
                            MAX_ENTRIES);

  result = reins_tool_result_new (out->str, FALSE);
  result->truncated = truncated;
  return result;
}

ReinsTool *
reins_tool_list_dir_new (void)
{
  return reins_builtin_tool_new ("list_dir",
                                 "List a directory of the workspace, one entry per line; "
                                 "directories end with “/”, symbolic links with “@”.",
                                 "{\"type\":\"object\","
                                 "\"properties\":{\"path\":{\"type\":\"string\",\"minLength\":1,"
                                 "\"description\":\"Path relative to the workspace; "
                                 "\\\".\\\" is its root\"}},"
                                 "\"required\":[\"path\"],\"additionalProperties\":false}",
                                 REINS_RISK_READ,
                                 list_dir_invoke);
}
