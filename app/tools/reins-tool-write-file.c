/* reins-tool-write-file.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The built-in tool `write_file`: creates or replaces a text file of the workspace.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reins-builtin-tool.h"
#include "reins-sandbox.h"

#define MAX_CONTENT (1024 * 1024)

static ReinsToolResult *
write_file_invoke (ReinsToolContext *context,
                   JsonObject       *arguments,
                   GCancellable     *cancellable)
{
  const char *path = json_object_get_string_member_with_default (arguments, "path", NULL);
  const char *content = json_object_get_string_member_with_default (arguments, "content", NULL);
  g_autoptr(ReinsSandbox) sandbox = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *leaf = NULL;
  g_autofree char *tmp_name = NULL;
  g_autofree char *shown = NULL;
  gsize length, written = 0;
  int dir, fd;

  if (path == NULL || content == NULL)
    return reins_tool_result_new_error ("%s", _("“path” and “content” are required"));

  length = strlen (content);
  if (length > MAX_CONTENT)
    return reins_tool_result_new_error (g_dngettext (GETTEXT_PACKAGE,
                                                     "The content is larger than %d byte",
                                                     "The content is larger than %d bytes",
                                                     MAX_CONTENT),
                                        MAX_CONTENT);

  sandbox = reins_tool_context_open_sandbox (context, &error);
  if (sandbox == NULL)
    return reins_tool_result_new_error ("%s", error->message);

  dir = reins_sandbox_open_parent (sandbox, path, -1, TRUE, &leaf, &error);
  if (dir < 0)
    return reins_tool_result_new_error ("%s", error->message);

  /* Written beside the target and renamed over it, so a reader never sees half a file and a
   * link planted at the target's name is replaced, not written through. */
  tmp_name = g_strdup_printf (".reins-write-%08x.tmp", g_random_int ());
  fd = openat (dir, tmp_name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      int errsv = errno;
      close (dir);
      shown = reins_sandbox_escape (path, -1);
      return reins_tool_result_new_error (_("Cannot write “%s”: %s"), shown, g_strerror (errsv));
    }

  while (written < length)
    {
      ssize_t n = write (fd, content + written, length - written);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int errsv = errno;
          close (fd);
          unlinkat (dir, tmp_name, 0);
          close (dir);
          shown = reins_sandbox_escape (path, -1);
          return reins_tool_result_new_error (_("Cannot write “%s”: %s"), shown,
                                              g_strerror (errsv));
        }
      written += n;
    }

  if (close (fd) != 0 || renameat (dir, tmp_name, dir, leaf) != 0)
    {
      int errsv = errno;
      unlinkat (dir, tmp_name, 0);
      close (dir);
      shown = reins_sandbox_escape (path, -1);
      return reins_tool_result_new_error (_("Cannot write “%s”: %s"), shown, g_strerror (errsv));
    }
  close (dir);

  shown = reins_sandbox_escape (path, -1);
  {
    g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Wrote %zu byte to %s",
                                                          "Wrote %zu bytes to %s", length),
                                             length, shown);
    return reins_tool_result_new (text, FALSE);
  }
}

ReinsTool *
reins_tool_write_file_new (void)
{
  return reins_builtin_tool_new ("write_file",
                                 "Create or replace a text file of the workspace (missing "
                                 "folders are created).",
                                 "{\"type\":\"object\","
                                 "\"properties\":{"
                                 "\"path\":{\"type\":\"string\",\"minLength\":1,"
                                 "\"description\":\"Path relative to the workspace\"},"
                                 "\"content\":{\"type\":\"string\","
                                 "\"description\":\"The whole new content\"}},"
                                 "\"required\":[\"path\",\"content\"],"
                                 "\"additionalProperties\":false}",
                                 REINS_RISK_WRITE,
                                 write_file_invoke);
}
