/* reins-tool-shell.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The built-in tool `shell`: runs `/bin/sh -c COMMAND` in the workspace, in a process group
 * of its own so that the whole group is killed on timeout or cancel; output capped.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "reins-builtin-tool.h"
#include "reins-sandbox.h"

#define OUTPUT_CAP  (64 * 1024)
#define GRACE_MS    1000

/* Runs in the child between fork and exec: async-signal-safe calls only. */
static void
child_setup (gpointer data)
{
  setpgid (0, 0);
  /* Into the workspace by its fd, not its path: the path may name another folder by now. */
  if (fchdir (GPOINTER_TO_INT (data)) != 0)
    _exit (126);
}

/* The model chooses the command, so it must not be able to print the keys Reins itself holds
 * (OPENAI_API_KEY …): variables whose name says they are secret are left out. */
static gboolean
is_secret_variable (const char *entry)
{
  static const char * const words[] = {
    "API_KEY", "APIKEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL", "PRIVATE_KEY",
    "ACCESS_KEY",
  };
  const char *equals = strchr (entry, '=');
  g_autofree char *name = g_ascii_strup (entry, equals != NULL ? equals - entry : -1);

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (strstr (name, words[i]) != NULL)
      return TRUE;
  return FALSE;
}

static char **
make_environment (void)
{
  g_auto(GStrv) environ_ = g_get_environ ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; environ_[i] != NULL; i++)
    if (!is_secret_variable (environ_[i]))
      g_strv_builder_add (builder, environ_[i]);
  return g_strv_builder_end (builder);
}

static gboolean
wait_leader (GPid     pid,
             int     *status,
             guint    block_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) block_ms * 1000;

  for (;;)
    {
      pid_t r = waitpid (pid, status, WNOHANG);

      if (r == pid || (r < 0 && errno == ECHILD))
        return TRUE;
      if (g_get_monotonic_time () >= end)
        return FALSE;
      g_usleep (10 * 1000);
    }
}

/* SIGTERM to the group, a grace period for the leader, then SIGKILL to whatever is left of
 * the group (children that ignore SIGTERM or were still starting). */
static void
kill_group (GPid      pid,
            gboolean *reaped,
            int      *status)
{
  kill (-pid, SIGTERM);
  if (!*reaped)
    *reaped = wait_leader (pid, status, GRACE_MS);
  kill (-pid, SIGKILL);
  if (!*reaped)
    {
      while (waitpid (pid, status, 0) < 0 && errno == EINTR)
        ;
      *reaped = TRUE;
    }
}

static ReinsToolResult *
shell_invoke (ReinsToolContext *context,
              JsonObject       *arguments,
              GCancellable     *cancellable)
{
  const char *command = json_object_get_string_member_with_default (arguments, "command", NULL);
  const char *argv[] = { "/bin/sh", "-c", command, NULL };
  g_autoptr(ReinsSandbox) sandbox = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) output = g_byte_array_sized_new (8192);  /* never a NULL data pointer */
  g_autoptr(GString) text = NULL;
  g_autofree char *valid = NULL;
  g_auto(GStrv) envp = make_environment ();
  guint timeout_s = reins_tool_context_get_timeout (context);
  gint64 deadline;
  gsize dropped = 0;
  gboolean reaped = FALSE, eof = FALSE, timed_out = FALSE, cancelled = FALSE;
  GPollFD cancel_fd = { -1, 0, 0 };
  gboolean have_cancel_fd;
  ReinsToolResult *result;
  int pipe_fds[2];
  int devnull;
  int status = 0;
  GPid pid;

  if (command == NULL || *command == '\0')
    return reins_tool_result_new_error ("%s", _("“command” is required"));

  sandbox = reins_tool_context_open_sandbox (context, &error);
  if (sandbox == NULL)
    return reins_tool_result_new_error ("%s", error->message);

  if (!g_unix_open_pipe (pipe_fds, FD_CLOEXEC, &error))
    return reins_tool_result_new_error ("%s", error->message);
  devnull = open ("/dev/null", O_RDONLY | O_CLOEXEC);

  /* stdout and stderr share one pipe so the output keeps its order. */
  if (!g_spawn_async_with_pipes_and_fds (NULL, argv, (const char * const *) envp,
                                         G_SPAWN_DO_NOT_REAP_CHILD, child_setup,
                                         GINT_TO_POINTER (reins_sandbox_get_root_fd (sandbox)),
                                         devnull, pipe_fds[1], pipe_fds[1], NULL, NULL, 0,
                                         &pid, NULL, NULL, NULL, &error))
    {
      close (pipe_fds[0]);
      close (pipe_fds[1]);
      if (devnull >= 0)
        close (devnull);
      return reins_tool_result_new_error (_("Cannot run the command: %s"), error->message);
    }
  close (pipe_fds[1]);
  if (devnull >= 0)
    close (devnull);
  /* Also from the parent, so a kill right after spawning cannot miss the group. */
  setpgid (pid, pid);
  g_unix_set_fd_nonblocking (pipe_fds[0], TRUE, NULL);

  have_cancel_fd = g_cancellable_make_pollfd (cancellable, &cancel_fd);
  deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;

  while (!(reaped && eof))
    {
      struct pollfd fds[2] = { { pipe_fds[0], POLLIN, 0 }, { cancel_fd.fd, POLLIN, 0 } };
      gint64 now = g_get_monotonic_time ();

      if (!reaped)
        {
          pid_t r = waitpid (pid, &status, WNOHANG);
          if (r == pid)
            {
              reaped = TRUE;
              /* Background children that keep the output open do not outlive the command. */
              kill (-pid, SIGKILL);
            }
        }
      if (g_cancellable_is_cancelled (cancellable))
        {
          cancelled = TRUE;
          break;
        }
      if (now >= deadline)
        {
          timed_out = !reaped;
          break;
        }

      if (!eof && poll (fds, have_cancel_fd ? 2 : 1,
                        (int) MIN (50, (deadline - now) / 1000 + 1)) > 0 &&
          (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0)
        {
          guint8 buf[8192];
          ssize_t n = read (pipe_fds[0], buf, sizeof buf);

          if (n > 0)
            {
              gsize keep = output->len < OUTPUT_CAP ? MIN ((gsize) n, OUTPUT_CAP - output->len)
                                                    : 0;
              g_byte_array_append (output, buf, keep);
              dropped += n - keep;
            }
          else if (n == 0 || (errno != EAGAIN && errno != EINTR))
            eof = TRUE;
        }
      else if (eof)
        g_usleep (10 * 1000);
    }

  if (have_cancel_fd)
    g_cancellable_release_fd (cancellable);
  close (pipe_fds[0]);
  if (cancelled || timed_out || !reaped)
    kill_group (pid, &reaped, &status);
  g_spawn_close_pid (pid);

  for (guint i = 0; i < output->len; i++)
    if (output->data[i] == '\0')
      output->data[i] = '?';
  valid = g_utf8_make_valid ((const char *) output->data, output->len);
  text = g_string_new (valid);
  if (dropped > 0)
    g_string_append_printf (text, _("\n[… output truncated: %zu more bytes not shown]"), dropped);
  if (text->len > 0 && text->str[text->len - 1] != '\n')
    g_string_append_c (text, '\n');

  if (cancelled)
    {
      g_string_append (text, _("[cancelled: the command and its child processes were killed]"));
      result = reins_tool_result_new (text->str, TRUE);
    }
  else if (timed_out)
    {
      g_string_append_printf (text, _("[timed out after %u s: the command and its child "
                                      "processes were killed]"), timeout_s);
      result = reins_tool_result_new (text->str, TRUE);
    }
  else if (WIFEXITED (status))
    {
      int code = WEXITSTATUS (status);

      if (code != 0)
        g_string_append_printf (text, _("[exit status %d]"), code);
      else if (text->len == 0)
        g_string_append (text, _("(no output)"));
      result = reins_tool_result_new (text->str, code != 0);
      result->exit_status = code;
    }
  else
    {
      int sig = WIFSIGNALED (status) ? WTERMSIG (status) : 0;

      g_string_append_printf (text, _("[killed by signal %d]"), sig);
      result = reins_tool_result_new (text->str, TRUE);
      result->exit_status = 128 + sig;
    }
  if (cancelled || timed_out)
    result->exit_status = -1;
  result->truncated = dropped > 0;
  return result;
}

ReinsTool *
reins_tool_shell_new (void)
{
  return reins_builtin_tool_new ("shell",
                                 "Run a shell command (/bin/sh -c) in the workspace. Output "
                                 "(stdout and stderr) is capped; the command is killed after "
                                 "the time limit.",
                                 "{\"type\":\"object\","
                                 "\"properties\":{\"command\":{\"type\":\"string\","
                                 "\"minLength\":1,\"description\":\"The command line\"}},"
                                 "\"required\":[\"command\"],\"additionalProperties\":false}",
                                 REINS_RISK_EXEC,
                                 shell_invoke);
}
