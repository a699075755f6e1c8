/* reins-sandbox.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The workspace sandbox: resolves paths inside a root directory, component by component
 * from a directory file descriptor, so that no `..`, absolute path or symbolic link leads
 * out of it.
 *
 * Rules (docs/tools.md repeats them for users):
 *  - a path is valid UTF-8, has no NUL, no control or invisible formatting characters
 *    (bidirectional overrides, zero-width characters …), components of at most NAME_MAX
 *    bytes and at most PATH_MAX bytes in all;
 *  - `..` may not go above the root;
 *  - an absolute path is accepted only when it names something inside the root (the root
 *    prefix is stripped), anything else absolute is refused;
 *  - a symbolic link is resolved here, by reading it, never by the kernel: one whose target
 *    stays inside the root is followed (at most 40 links per path), one that points out is
 *    refused;
 *  - every component is opened with O_NOFOLLOW relative to the previous directory's fd, so a
 *    link swapped in between the check and the open makes the open fail instead of escaping;
 *  - only directories and regular files are opened; fifos, sockets and devices are refused
 *    before any open, and files are opened O_NONBLOCK and checked again with fstat.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reins-error.h"
#include "reins-sandbox.h"

#define MAX_SYMLINKS 40

struct _ReinsSandbox
{
  char *root;        /* canonical absolute path */
  char *given_root;  /* as given, made absolute; may differ through symbolic links */
  int   root_fd;
};

ReinsSandbox *
reins_sandbox_new (const char  *root,
                   GError     **error)
{
  g_autoptr(ReinsSandbox) self = g_new0 (ReinsSandbox, 1);
  g_autofree char *absolute = NULL;
  char resolved[PATH_MAX];
  struct stat st;

  self->root_fd = -1;

  if (root == NULL || *root == '\0')
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_SANDBOX, _("No workspace is set"));
      return NULL;
    }

  absolute = g_canonicalize_filename (root, NULL);
  if (realpath (absolute, resolved) == NULL)
    {
      int errsv = errno;
      g_set_error (error, REINS_ERROR, REINS_ERROR_SANDBOX,
                   _("The workspace “%s” cannot be used: %s"), root, g_strerror (errsv));
      return NULL;
    }

  self->root_fd = open (resolved, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (self->root_fd < 0 || fstat (self->root_fd, &st) != 0 || !S_ISDIR (st.st_mode))
    {
      int errsv = errno;
      g_set_error (error, REINS_ERROR, REINS_ERROR_SANDBOX,
                   _("The workspace “%s” cannot be opened: %s"), root, g_strerror (errsv));
      return NULL;
    }

  self->root = g_strdup (resolved);
  self->given_root = g_steal_pointer (&absolute);
  return g_steal_pointer (&self);
}

/**
 * reins_sandbox_dup:
 *
 * A second sandbox on the same opened directory: whatever has since been renamed or put at
 * the root's path, the copy resolves inside the directory @self opened.
 *
 * Returns: (transfer full) (nullable): the copy, or %NULL with @error set (out of fds)
 */
ReinsSandbox *
reins_sandbox_dup (ReinsSandbox  *self,
                   GError       **error)
{
  ReinsSandbox *copy;
  int fd;

  g_return_val_if_fail (self != NULL, NULL);

  fd = fcntl (self->root_fd, F_DUPFD_CLOEXEC, 3);
  if (fd < 0)
    {
      int errsv = errno;
      g_set_error (error, REINS_ERROR, REINS_ERROR_SANDBOX,
                   _("The workspace “%s” cannot be opened: %s"), self->root,
                   g_strerror (errsv));
      return NULL;
    }
  copy = g_new0 (ReinsSandbox, 1);
  copy->root_fd = fd;
  copy->root = g_strdup (self->root);
  copy->given_root = g_strdup (self->given_root);
  return copy;
}

void
reins_sandbox_free (ReinsSandbox *self)
{
  if (self == NULL)
    return;
  if (self->root_fd >= 0)
    close (self->root_fd);
  g_free (self->root);
  g_free (self->given_root);
  g_free (self);
}

const char *
reins_sandbox_get_root (ReinsSandbox *self)
{
  return self->root;
}

int
reins_sandbox_get_root_fd (ReinsSandbox *self)
{
  return self->root_fd;
}

/* Characters a person cannot see or that reorder what they see. */
static gboolean
is_hidden_char (gunichar c)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_CONTROL:
    case G_UNICODE_FORMAT:          /* U+200B–U+200F, U+202A–U+202E, U+2060–U+2069, U+FEFF … */
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
    case G_UNICODE_UNASSIGNED:
    case G_UNICODE_PRIVATE_USE:
    case G_UNICODE_SURROGATE:
      return TRUE;
    default:
      return FALSE;
    }
}

/**
 * reins_sandbox_escape:
 *
 * @text made safe to show: bytes that are not UTF-8 become `\xNN`, invisible and control
 * characters `\u{XXXX}`, a backslash `\\`. Names that cannot be shown as they are never
 * reach a person or a model unescaped.
 */
static char *
escape (const char *text,
        gssize      length,
        gboolean    keep_lines)
{
  GString *out;
  const char *p, *end;

  if (text == NULL)
    return g_strdup ("");
  if (length < 0)
    length = strlen (text);

  out = g_string_sized_new (length);
  p = text;
  end = text + length;
  while (p < end)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_printf (out, "\\x%02X", (guint) (guchar) *p);
          p++;
          continue;
        }
      if (c == '\\' && !keep_lines)
        g_string_append (out, "\\\\");
      else if (keep_lines && (c == '\n' || c == '\t'))
        g_string_append_c (out, c);
      else if (is_hidden_char (c) || c == 0)
        g_string_append_printf (out, "\\u{%04X}", c);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
      p = g_utf8_next_char (p);
    }
  return g_string_free (out, FALSE);
}

char *
reins_sandbox_escape (const char *text,
                      gssize      length)
{
  return escape (text, length, FALSE);
}

/* Like reins_sandbox_escape() for text of several lines: newlines, tabs and backslashes stay
 * as they are. */
char *
reins_sandbox_escape_text (const char *text,
                           gssize      length)
{
  return escape (text, length, TRUE);
}

/* Whether @text is valid UTF-8 without hidden characters (newlines and tabs allowed). */
gboolean
reins_sandbox_is_plain_text (const char *text,
                             gssize      length)
{
  const char *end;

  if (length < 0)
    length = strlen (text);
  if (!g_utf8_validate (text, length, &end) || end != text + length)
    return FALSE;
  for (const char *p = text; p < text + length; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\n' || c == '\t' || c == '\r')
        continue;
      if (is_hidden_char (c) || c == 0)
        return FALSE;
    }
  return TRUE;
}

static void
set_refused (GError     **error,
             const char  *path,
             gssize       length,
             const char  *why)
{
  g_autofree char *shown = reins_sandbox_escape (path, length);

  g_set_error (error, REINS_ERROR, REINS_ERROR_SANDBOX,
               _("Refused “%s”: %s"), shown, why);
}

gboolean
reins_sandbox_check_path (const char  *path,
                          gssize       length,
                          GError     **error)
{
  const char *end;
  const char *component;

  if (path == NULL)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_SANDBOX, _("No path given"));
      return FALSE;
    }
  if (length < 0)
    length = strlen (path);
  if (length == 0)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_SANDBOX,
                   _("The path is empty; use “.” for the workspace itself"));
      return FALSE;
    }
  if (memchr (path, '\0', length) != NULL)
    {
      set_refused (error, path, length, _("the path contains a NUL byte"));
      return FALSE;
    }
  if (length >= PATH_MAX)
    {
      g_autofree char *why = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                           "the path is longer than %d byte",
                                                           "the path is longer than %d bytes",
                                                           PATH_MAX - 1),
                                              PATH_MAX - 1);
      set_refused (error, path, MIN (length, 80), why);
      return FALSE;
    }
  if (!g_utf8_validate (path, length, &end) || end != path + length)
    {
      set_refused (error, path, length, _("the path is not valid UTF-8"));
      return FALSE;
    }
  for (const char *p = path; p < path + length; p = g_utf8_next_char (p))
    {
      if (is_hidden_char (g_utf8_get_char (p)))
        {
          set_refused (error, path, length,
                       _("the path contains an invisible or control character"));
          return FALSE;
        }
      /* What stands in for a character that could not be read, such as a NUL. */
      if (g_utf8_get_char (p) == 0xFFFD)
        {
          set_refused (error, path, length,
                       _("the path contains U+FFFD, which stands for a character that could "
                         "not be read (such as a NUL byte)"));
          return FALSE;
        }
    }

  component = path;
  for (const char *p = path; p <= path + length; p++)
    {
      if (p == path + length || *p == '/')
        {
          if (p - component > NAME_MAX)
            {
              g_autofree char *why = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                   "a name is longer than %d "
                                                                   "byte",
                                                                   "a name is longer than %d "
                                                                   "bytes", NAME_MAX),
                                                      NAME_MAX);
              set_refused (error, path, MIN (length, 80), why);
              return FALSE;
            }
          component = p + 1;
        }
    }

  return TRUE;
}

/* Strips the root from an absolute path inside it; NULL when it is outside. */
static const char *
strip_root (const char *root,
            const char *path)
{
  gsize n = strlen (root);

  if (strncmp (path, root, n) != 0)
    return NULL;
  if (path[n] == '\0')
    return ".";
  if (path[n] == '/')
    return path + n + 1;
  if (n == 1 && root[0] == '/')  /* the root is `/` */
    return path + 1;
  return NULL;
}

static const char *
describe_type (mode_t mode)
{
  if (S_ISFIFO (mode))
    return _("it is a named pipe (fifo)");
  if (S_ISSOCK (mode))
    return _("it is a socket");
  if (S_ISCHR (mode) || S_ISBLK (mode))
    return _("it is a device file");
  if (S_ISDIR (mode))
    return _("it is a directory");
  if (S_ISLNK (mode))
    return _("it is a symbolic link");
  return _("it is not a regular file");
}

typedef enum
{
  WANT_DIR,
  WANT_FILE,
  WANT_PARENT,
} Want;

static void
close_stack (GArray *stack)
{
  /* stack[0] is the root fd, owned by the sandbox. */
  for (guint i = 1; i < stack->len; i++)
    close (g_array_index (stack, int, i));
  g_array_set_size (stack, 1);
}

static void
push_components (GQueue     *queue,
                 const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);

  for (int i = g_strv_length (parts) - 1; i >= 0; i--)
    g_queue_push_head (queue, g_strdup (parts[i]));
}

/* The heart of the sandbox. Returns an fd (closed by the caller) or -1 with @error set. */
static int
resolve (ReinsSandbox  *self,
         const char    *path,
         gssize         length,
         Want           want,
         gboolean       create_dirs,
         char         **leaf,
         GError       **error)
{
  g_autofree char *copy = NULL;
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (int));
  GQueue queue = G_QUEUE_INIT;
  const char *relative;
  guint links = 0;
  int result = -1;

  if (length < 0 && path != NULL)
    length = strlen (path);
  if (!reins_sandbox_check_path (path, length, error))
    return -1;

  copy = g_strndup (path, length);
  g_array_append_val (stack, self->root_fd);

  if (copy[0] == '/')
    {
      relative = strip_root (self->root, copy);
      if (relative == NULL)
        relative = strip_root (self->given_root, copy);
      if (relative == NULL)
        {
          set_refused (error, path, length,
                       _("absolute paths outside the workspace are not allowed"));
          return -1;
        }
    }
  else
    relative = copy;

  push_components (&queue, relative);

  while (!g_queue_is_empty (&queue))
    {
      g_autofree char *name = g_queue_pop_head (&queue);
      int dir = g_array_index (stack, int, stack->len - 1);
      gboolean last = g_queue_is_empty (&queue);
      struct stat st;

      if (*name == '\0' || strcmp (name, ".") == 0)
        continue;

      if (strcmp (name, "..") == 0)
        {
          if (stack->len == 1)
            {
              set_refused (error, path, length, _("it leads out of the workspace"));
              goto out;
            }
          close (g_array_index (stack, int, stack->len - 1));
          g_array_set_size (stack, stack->len - 1);
          continue;
        }

      if (fstatat (dir, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        {
          int errsv = errno;

          if (errsv == ENOENT && want == WANT_PARENT && last)
            {
              *leaf = g_steal_pointer (&name);
              result = dup (dir);
              goto out;
            }
          if (errsv == ENOENT && want == WANT_PARENT && create_dirs)
            {
              if (mkdirat (dir, name, 0755) != 0 ||
                  fstatat (dir, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
                {
                  errsv = errno;
                  g_autofree char *shown = reins_sandbox_escape (path, length);
                  g_set_error (error, REINS_ERROR, REINS_ERROR_TOOL,
                               _("Cannot create a folder for “%s”: %s"), shown,
                               g_strerror (errsv));
                  goto out;
                }
            }
          else
            {
              g_autofree char *shown = reins_sandbox_escape (path, length);

              g_set_error (error, REINS_ERROR,
                           errsv == ENOENT ? REINS_ERROR_NOT_FOUND : REINS_ERROR_TOOL,
                           _("Cannot open “%s”: %s"), shown, g_strerror (errsv));
              goto out;
            }
        }

      if (S_ISLNK (st.st_mode))
        {
          char target[PATH_MAX];
          ssize_t n;

          if (++links > MAX_SYMLINKS)
            {
              set_refused (error, path, length, _("too many symbolic links"));
              goto out;
            }
          n = readlinkat (dir, name, target, sizeof target - 1);
          if (n <= 0)
            {
              set_refused (error, path, length, _("a symbolic link cannot be read"));
              goto out;
            }
          target[n] = '\0';
          if (!reins_sandbox_check_path (target, n, NULL))
            {
              set_refused (error, path, length,
                           _("a symbolic link has a target that cannot be checked"));
              goto out;
            }
          if (target[0] == '/')
            {
              const char *inside = strip_root (self->root, target);

              if (inside == NULL)
                {
                  set_refused (error, path, length,
                               _("a symbolic link points out of the workspace"));
                  goto out;
                }
              close_stack (stack);
              push_components (&queue, inside);
            }
          else
            push_components (&queue, target);
          /* The link's target now stands in for it in the queue; a `..` escape through it
           * is caught like any other. */
          if (g_queue_get_length (&queue) > 4096)
            {
              set_refused (error, path, length, _("too many symbolic links"));
              goto out;
            }
          continue;
        }

      if (last)
        {
          int fd;
          struct stat st2;

          if (want == WANT_PARENT)
            {
              if (!S_ISREG (st.st_mode))
                {
                  set_refused (error, path, length, describe_type (st.st_mode));
                  goto out;
                }
              *leaf = g_steal_pointer (&name);
              result = dup (dir);
              goto out;
            }
          if (want == WANT_DIR && !S_ISDIR (st.st_mode))
            {
              set_refused (error, path, length, _("it is not a directory"));
              goto out;
            }
          if (want == WANT_FILE && !S_ISREG (st.st_mode))
            {
              set_refused (error, path, length, describe_type (st.st_mode));
              goto out;
            }
          fd = openat (dir, name,
                       O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY |
                       (want == WANT_DIR ? O_DIRECTORY : 0));
          if (fd < 0)
            {
              int errsv = errno;
              g_autofree char *shown = reins_sandbox_escape (path, length);

              g_set_error (error, REINS_ERROR, REINS_ERROR_SANDBOX,
                           _("Cannot open “%s”: %s"), shown, g_strerror (errsv));
              goto out;
            }
          /* Something may have been swapped in since fstatat. */
          if (fstat (fd, &st2) != 0 || st2.st_ino != st.st_ino || st2.st_dev != st.st_dev ||
              (st2.st_mode & S_IFMT) != (st.st_mode & S_IFMT))
            {
              close (fd);
              set_refused (error, path, length, _("it changed while it was opened"));
              goto out;
            }
          result = fd;
          goto out;
        }

      /* An intermediate component must be a directory. */
      if (!S_ISDIR (st.st_mode))
        {
          g_autofree char *shown = reins_sandbox_escape (path, length);

          g_set_error (error, REINS_ERROR, REINS_ERROR_NOT_FOUND,
                       _("Cannot open “%s”: %s"), shown, g_strerror (ENOTDIR));
          goto out;
        }
      else
        {
          int fd = openat (dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

          if (fd < 0)
            {
              int errsv = errno;
              g_autofree char *shown = reins_sandbox_escape (path, length);

              g_set_error (error, REINS_ERROR, REINS_ERROR_SANDBOX,
                           _("Cannot open “%s”: %s"), shown, g_strerror (errsv));
              goto out;
            }
          g_array_append_val (stack, fd);
        }
    }

  /* The path named a directory on the stack (the root, or after `..`). */
  if (want == WANT_DIR)
    result = dup (g_array_index (stack, int, stack->len - 1));
  else if (want == WANT_PARENT)
    set_refused (error, path, length, _("it is a directory"));
  else
    set_refused (error, path, length, _("it is a directory"));

out:
  g_queue_clear_full (&queue, g_free);
  close_stack (stack);
  if (result < 0 && error != NULL && *error == NULL)
    g_set_error (error, REINS_ERROR, REINS_ERROR_TOOL, "%s", g_strerror (errno));
  return result;
}

/* Returns an O_DIRECTORY fd for @path, which must be a directory inside the root. */
int
reins_sandbox_open_dir (ReinsSandbox  *self,
                        const char    *path,
                        gssize         length,
                        GError       **error)
{
  g_return_val_if_fail (self != NULL, -1);
  return resolve (self, path, length, WANT_DIR, FALSE, NULL, error);
}

/* Returns a read-only fd for @path, which must be a regular file inside the root. */
int
reins_sandbox_open_file (ReinsSandbox  *self,
                         const char    *path,
                         gssize         length,
                         GError       **error)
{
  g_return_val_if_fail (self != NULL, -1);
  return resolve (self, path, length, WANT_FILE, FALSE, NULL, error);
}

/* Returns the fd of the directory that holds (or will hold) @path and its last component
 * in @leaf; the leaf, if it exists, is a regular file. With @create_dirs, missing folders on
 * the way are created (inside the root). */
int
reins_sandbox_open_parent (ReinsSandbox  *self,
                           const char    *path,
                           gssize         length,
                           gboolean       create_dirs,
                           char         **leaf,
                           GError       **error)
{
  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (leaf != NULL, -1);
  *leaf = NULL;
  return resolve (self, path, length, WANT_PARENT, create_dirs, leaf, error);
}

/* Reads at most @cap bytes of text from @fd (closed by the caller). Binary content (a NUL
 * byte) is an error; the text is cut at a character boundary and made valid UTF-8. */
char *
reins_sandbox_read_fd_text (int        fd,
                            gsize      cap,
                            gboolean  *truncated,
                            GError   **error)
{
  g_autoptr(GByteArray) data = g_byte_array_sized_new (16384);  /* never a NULL data pointer */
  guint8 buf[16384];
  gboolean more = FALSE;
  const char *end;

  for (;;)
    {
      ssize_t n = read (fd, buf, sizeof buf);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int errsv = errno;
          g_set_error (error, REINS_ERROR, REINS_ERROR_TOOL,
                       _("Cannot read the file: %s"), g_strerror (errsv));
          return NULL;
        }
      if (n == 0)
        break;
      if (data->len + (gsize) n > cap)
        {
          g_byte_array_append (data, buf, cap - data->len);
          more = TRUE;
          break;
        }
      g_byte_array_append (data, buf, n);
    }

  if (memchr (data->data, '\0', data->len) != NULL)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_TOOL,
                   _("This is a binary file, not text"));
      return NULL;
    }

  /* Cut a character split by the cap rather than turning it into a replacement mark. */
  if (more && !g_utf8_validate ((const char *) data->data, data->len, &end))
    {
      gsize valid = end - (const char *) data->data;

      if (data->len - valid < 4)
        g_byte_array_set_size (data, valid);
    }

  if (truncated != NULL)
    *truncated = more;
  return g_utf8_make_valid ((const char *) data->data, data->len);
}

/* Reads a text file of the workspace; longer than @cap, it ends with a truncation marker. */
char *
reins_sandbox_read_text (ReinsSandbox  *self,
                         const char    *path,
                         gssize         length,
                         gsize          cap,
                         gboolean      *truncated,
                         GError       **error)
{
  int fd;
  char *text;
  gboolean more = FALSE;
  struct stat st;

  fd = reins_sandbox_open_file (self, path, length, error);
  if (fd < 0)
    return NULL;

  text = reins_sandbox_read_fd_text (fd, cap, &more, error);
  if (text != NULL && more)
    {
      char *marked;

      if (fstat (fd, &st) != 0)
        st.st_size = 0;
      marked = g_strdup_printf (_("%s\n[… truncated: showing the first %zu of %lld bytes]"),
                                text, cap, (long long) st.st_size);
      g_free (text);
      text = marked;
    }
  close (fd);

  if (truncated != NULL)
    *truncated = more;
  return text;
}
