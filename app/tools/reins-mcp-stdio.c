/* reins-mcp-stdio.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ReinsMcpClient over stdio: the server run with GSubprocess in a process group of its
 * own, its stdin written without blocking (answers queued as it reads), its stdout and
 * stderr read by one thread, and the orderly end (stdin closed, SIGTERM, SIGKILL).
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "reins-builtin-tool.h"
#include "reins-error.h"
#include "reins-mcp-client.h"
#include "reins-json-util.h"
#include "reins-mcp-content.h"
#include "reins-mcp-message.h"
#include "reins-mcp-elicit.h"
#include "reins-mcp-oauth.h"
#include "reins-mcp-tool.h"
#include "reins-mcp-transport.h"
#include "reins-sandbox.h"
#include "reins-mcp-client-private.h"

/* Called with the mutex held: why the server cannot answer, for an error message. */
char *
reins_mcp_client_describe_death_locked (ReinsMcpClient *self)
{
  g_autoptr(GString) s = g_string_new (NULL);

  if (self->death_reason != NULL)
    g_string_append (s, self->death_reason);
  else
    g_string_append (s, _("the server stopped"));

  if (self->reaped)
    {
      if (WIFEXITED (self->wait_status))
        g_string_append_printf (s, _(" (exit status %d)"), WEXITSTATUS (self->wait_status));
      else if (WIFSIGNALED (self->wait_status))
        g_string_append_printf (s, _(" (killed by signal %d)"), WTERMSIG (self->wait_status));
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* Writes what the pipe takes now, without blocking; called with write_mutex held.
 * Returns: FALSE when the server's input is closed or broken */
gboolean
reins_mcp_client_flush_outbox_locked (ReinsMcpClient *self)
{
  while (self->outbox->len > 0)
    {
      ssize_t n;

      if (self->stdin_fd < 0)
        return FALSE;
      n = write (self->stdin_fd, self->outbox->data, self->outbox->len);
      if (n > 0)
        {
          g_byte_array_remove_range (self->outbox, 0, n);
          self->written += n;
        }
      else if (n < 0 && errno == EINTR)
        continue;
      else if (n < 0 && errno == EAGAIN)
        return TRUE;
      else
        return FALSE;
    }
  return TRUE;
}

/* Writes one message and its newline, after whatever is queued before it; bounded in time
 * so a server that stops reading cannot block the caller forever. */
gboolean
reins_mcp_client_send_message (ReinsMcpClient  *self,
              JsonNode        *message,
              GError         **error)
{
  g_autofree char *text = NULL;
  gint64 deadline = g_get_monotonic_time () + WRITE_TIMEOUT_MS * 1000;
  guint64 target;
  gboolean ok = TRUE;

  if (self->http != NULL)
    {
      JsonObject *object = json_node_get_object (message);
      JsonNode *id = json_object_get_member (object, "id");
      gint64 request_id = -1;

      /* Our own requests have integer ids; answers to the server's keep the server's. */
      if (json_object_has_member (object, "method") && id != NULL &&
          JSON_NODE_HOLDS_VALUE (id) && json_node_get_value_type (id) == G_TYPE_INT64)
        request_id = json_node_get_int (id);
      reins_mcp_http_send (self->http, message, request_id);
      return TRUE;
    }

  text = json_to_string (message, FALSE);
  g_mutex_lock (&self->write_mutex);
  g_byte_array_append (self->outbox, (const guint8 *) text, strlen (text));
  g_byte_array_append (self->outbox, (const guint8 *) "\n", 1);
  target = self->written + self->outbox->len;
  for (;;)
    {
      struct pollfd pfd = { self->stdin_fd, POLLOUT, 0 };
      gint64 now;

      if (!reins_mcp_client_flush_outbox_locked (self))
        {
          ok = FALSE;
          break;
        }
      if (self->written >= target)
        break;
      now = g_get_monotonic_time ();
      if (now >= deadline)
        {
          ok = FALSE;
          break;
        }
      /* Not holding the lock while waiting: the reader may queue answers meanwhile. */
      g_mutex_unlock (&self->write_mutex);
      poll (&pfd, 1, (int) MIN ((deadline - now) / 1000 + 1, 100));
      g_mutex_lock (&self->write_mutex);
    }
  g_mutex_unlock (&self->write_mutex);

  if (!ok)
    {
      g_autofree char *why = NULL;

      g_mutex_lock (&self->mutex);
      why = reins_mcp_client_diagnosis_locked (self);
      g_mutex_unlock (&self->mutex);
      g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                   _("MCP server “%s” does not accept input%s"), self->name, why);
    }
  return ok;
}

static void
append_stderr (ReinsMcpClient *self,
               const char     *data,
               gsize           length)
{
  g_mutex_lock (&self->mutex);
  g_string_append_len (self->stderr_tail, data, length);
  if (self->stderr_tail->len > STDERR_TAIL)
    g_string_erase (self->stderr_tail, 0, self->stderr_tail->len - STDERR_TAIL);
  g_mutex_unlock (&self->mutex);
}

static gboolean wait_exit (ReinsMcpClient *self, guint ms);

static gpointer
reader_thread_func (gpointer data)
{
  ReinsMcpClient *self = data;
  g_autoptr(GByteArray) line = g_byte_array_sized_new (4096);
  gboolean out_open = TRUE, err_open = TRUE, discarding = FALSE;
  gint64 drain_until = 0;
  const char *reason = NULL;

  while (out_open || err_open)
    {
      int timeout = -1;
      struct pollfd fds[4] = {
        { out_open ? self->stdout_fd : -1, POLLIN, 0 },
        { err_open ? self->stderr_fd : -1, POLLIN, 0 },
        { self->wake_fds[0], POLLIN, 0 },
        { -1, POLLOUT, 0 },
      };
      char buf[16384];

      /* Queued answers go out as the server reads them. */
      g_mutex_lock (&self->write_mutex);
      if (self->outbox->len > 0)
        fds[3].fd = self->stdin_fd;
      g_mutex_unlock (&self->write_mutex);

      if (!out_open)
        {
          gint64 now = g_get_monotonic_time ();

          if (now >= drain_until)
            break;
          timeout = (int) ((drain_until - now) / 1000) + 1;
        }
      if (poll (fds, 4, timeout) < 0)
        {
          if (errno == EINTR)
            continue;
          reason = _("reading from the server failed");
          break;
        }
      if (fds[2].revents != 0)
        break;  /* stop() */

      if (fds[3].revents != 0)
        {
          g_mutex_lock (&self->write_mutex);
          if (!reins_mcp_client_flush_outbox_locked (self))
            g_byte_array_set_size (self->outbox, 0);
          g_mutex_unlock (&self->write_mutex);
        }

      if (fds[1].revents != 0)
        {
          ssize_t n = read (self->stderr_fd, buf, sizeof buf);

          if (n > 0)
            append_stderr (self, buf, n);
          else if (n == 0 || (errno != EINTR && errno != EAGAIN))
            err_open = FALSE;
        }

      if (fds[0].revents != 0)
        {
          ssize_t n = read (self->stdout_fd, buf, sizeof buf);

          if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
          if (n <= 0)
            {
              out_open = FALSE;
              reason = _("the server closed its output");
              /* What it said on stderr explains why; read it for a short while more, but
               * do not keep the waiting requests for a stderr that stays open. */
              drain_until = g_get_monotonic_time () + 300 * 1000;
              continue;
            }
          for (const char *p = buf, *end = buf + n; p < end;)
            {
              const char *nl = memchr (p, '\n', end - p);
              gsize chunk = (nl != NULL ? nl : end) - p;

              if (!discarding && line->len + chunk > MAX_LINE)
                {
                  /* A line this long is not a message we can use: drop it to its end. */
                  reins_mcp_client_note_garbage (self, (const char *) line->data, line->len);
                  g_byte_array_set_size (line, 0);
                  discarding = TRUE;
                }
              if (!discarding)
                g_byte_array_append (line, (const guint8 *) p, chunk);
              if (nl == NULL)
                break;
              if (!discarding)
                reins_mcp_client_handle_line (self, (const char *) line->data, line->len);
              g_byte_array_set_size (line, 0);
              discarding = FALSE;
              p = nl + 1;
            }
        }
    }

  /* Give a dying server a moment so the error can say how it ended. */
  wait_exit (self, 100);
  g_mutex_lock (&self->mutex);
  reins_mcp_client_mark_dead_locked (self, reason != NULL ? reason : _("the server was stopped"));
  g_mutex_unlock (&self->mutex);
  return NULL;
}

/* Runs in the child between fork and exec: async-signal-safe calls only. */
static void
child_setup (gpointer data)
{
  /* A group of its own, so that stop() reaches the children of launchers such as npx. */
  setpgid (0, 0);
}

static void
ignore_sigpipe (void)
{
  struct sigaction old;

  /* Writing to a server that died must be an error, not the end of Reins. Only the default
   * action is replaced; a handler someone installed is left alone. */
  if (sigaction (SIGPIPE, NULL, &old) == 0 && old.sa_handler == SIG_DFL)
    signal (SIGPIPE, SIG_IGN);
}

static void
close_fd (int *fd)
{
  if (*fd >= 0)
    close (*fd);
  *fd = -1;
}

typedef struct
{
  gboolean done;
  gboolean timed_out;
} ExitWait;

static void
exited_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  ((ExitWait *) data)->done = TRUE;
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
}

static gboolean
exit_timeout_cb (gpointer data)
{
  ((ExitWait *) data)->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Waits up to @ms for the server to exit (GSubprocess reaps it), on a main context of this
 * thread: the caller may be any thread. Returns whether it exited; its status is kept. */
static gboolean
wait_exit (ReinsMcpClient *self,
           guint           ms)
{
  g_autoptr(GMainContext) context = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(GSource) timeout = NULL;
  ExitWait wait = { FALSE, FALSE };
  gboolean exited;

  g_mutex_lock (&self->mutex);
  exited = self->reaped;
  g_mutex_unlock (&self->mutex);
  if (exited || self->process == NULL)
    return exited;

  context = g_main_context_new ();
  cancellable = g_cancellable_new ();
  g_main_context_push_thread_default (context);
  g_subprocess_wait_async (self->process, cancellable, exited_cb, &wait);
  timeout = g_timeout_source_new (ms);
  g_source_set_callback (timeout, exit_timeout_cb, &wait, NULL);
  g_source_attach (timeout, context);
  while (!wait.done && !wait.timed_out)
    g_main_context_iteration (context, TRUE);
  if (!wait.done)
    {
      g_cancellable_cancel (cancellable);
      while (!wait.done)
        g_main_context_iteration (context, TRUE);
    }
  g_source_destroy (timeout);
  g_main_context_pop_thread_default (context);

  /* A cancelled wait says nothing of the process: ask it. */
  g_mutex_lock (&self->mutex);
  if (!self->reaped && !wait.timed_out)
    {
      self->reaped = TRUE;
      self->wait_status = g_subprocess_get_status (self->process);
    }
  exited = self->reaped;
  g_mutex_unlock (&self->mutex);
  return exited;
}

/* Starts the server with its stdin, stdout and stderr on pipes, in a process group of its
 * own, and the thread that reads it. */
gboolean
reins_mcp_client_stdio_spawn (ReinsMcpClient  *self,
             GError         **error)
{
  g_autoptr(GError) local = NULL;

  ignore_sigpipe ();
  if (g_unix_open_pipe (self->wake_fds, FD_CLOEXEC, &local))
    {
      g_autoptr(GSubprocessLauncher) launcher =
        g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                   G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                   G_SUBPROCESS_FLAGS_STDERR_PIPE);

      g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
      self->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) self->argv,
                                                    &local);
    }
  if (self->process == NULL)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                   _("MCP server “%s” cannot be started: %s"), self->name, local->message);
      self->dead = TRUE;
      return FALSE;
    }
  /* No identifier: it exited already (the reader will say how). */
  if (g_subprocess_get_identifier (self->process) != NULL)
    self->pid = (GPid) g_ascii_strtoll (g_subprocess_get_identifier (self->process), NULL, 10);
  /* The pipes stay the process's (closed with it); the reader polls their fds. */
  self->stdin_fd = g_unix_output_stream_get_fd (
    G_UNIX_OUTPUT_STREAM (g_subprocess_get_stdin_pipe (self->process)));
  self->stdout_fd =
    g_unix_input_stream_get_fd (G_UNIX_INPUT_STREAM (g_subprocess_get_stdout_pipe (self->process)));
  self->stderr_fd =
    g_unix_input_stream_get_fd (G_UNIX_INPUT_STREAM (g_subprocess_get_stderr_pipe (self->process)));
  if (self->pid > 0)
    setpgid (self->pid, self->pid);
  g_unix_set_fd_nonblocking (self->stdin_fd, TRUE, NULL);
  g_unix_set_fd_nonblocking (self->stdout_fd, TRUE, NULL);
  g_unix_set_fd_nonblocking (self->stderr_fd, TRUE, NULL);

  self->reader = g_thread_new ("mcp-reader", reader_thread_func, self);
  return TRUE;
}

/* Closes the server's stdin, waits, then SIGTERM, then SIGKILL to its process group. */
void
reins_mcp_client_stdio_end (ReinsMcpClient *self)
{
  g_mutex_lock (&self->write_mutex);
  if (self->stdin_fd >= 0)
    {
      g_output_stream_close (g_subprocess_get_stdin_pipe (self->process), NULL, NULL);
      self->stdin_fd = -1;
    }
  g_mutex_unlock (&self->write_mutex);

  if (self->pid > 0)
    {
      if (!wait_exit (self, SHUTDOWN_GRACE_MS))
        {
          kill (-self->pid, SIGTERM);
          if (!wait_exit (self, SHUTDOWN_GRACE_MS))
            {
              kill (-self->pid, SIGKILL);
              wait_exit (self, G_MAXINT / 1000);
            }
        }
      /* Whatever the server left behind in its group goes with it. */
      kill (-self->pid, SIGKILL);
      self->pid = 0;
    }
}

/* Once the server is dead: the reader stops, and the pipes close. */
void
reins_mcp_client_stdio_join (ReinsMcpClient *self)
{
  if (self->reader != NULL)
    {
      if (write (self->wake_fds[1], "x", 1) < 0)
        g_debug ("waking the MCP reader failed");
      g_thread_join (g_steal_pointer (&self->reader));
    }
  /* The process's pipes close with it. */
  self->stdout_fd = self->stderr_fd = -1;
  if (self->process != NULL)
    {
      g_input_stream_close (g_subprocess_get_stdout_pipe (self->process), NULL, NULL);
      g_input_stream_close (g_subprocess_get_stderr_pipe (self->process), NULL, NULL);
    }
  close_fd (&self->wake_fds[0]);
  close_fd (&self->wake_fds[1]);
  self->stdout_fd = self->stderr_fd = self->wake_fds[0] = self->wake_fds[1] = -1;
}
