/* test-sandbox.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The workspace sandbox: escape attempts are refused without leaking content; paths inside
 * the workspace work.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "reins-sandbox.h"
#include "reins-tool-registry.h"

#define SECRET "TOPSECRET-4f1d9c"

typedef struct
{
  char              *base;     /* holds secret.txt and root/ */
  char              *root;
  ReinsToolRegistry *registry;
  ReinsToolContext   context;
} Fixture;

static void
write_file (const char *dir,
            const char *name,
            const char *content)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, content, -1, &error);
  g_assert_no_error (error);
}

static void
make_link (const char *root,
           const char *name,
           const char *target)
{
  g_autofree char *path = g_build_filename (root, name, NULL);

  g_assert_cmpint (symlink (target, path), ==, 0);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sub = NULL;
  g_autofree char *secret_abs = NULL;
  g_autofree char *hello_abs = NULL;
  g_autofree char *fifo = NULL;
  g_autofree char *sock = NULL;
  g_autofree char *evil = NULL;
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int fd;

  f->base = g_dir_make_tmp ("reins-sandbox-XXXXXX", &error);
  g_assert_no_error (error);
  f->root = g_build_filename (f->base, "root", NULL);
  sub = g_build_filename (f->root, "sub", NULL);
  g_assert_cmpint (g_mkdir_with_parents (sub, 0755), ==, 0);

  write_file (f->base, "secret.txt", SECRET "\n");
  write_file (f->root, "hello.txt", "hello world\n");
  write_file (sub, "inner.txt", "inner text\n");
  write_file (f->root, "empty.txt", "");

  secret_abs = g_build_filename (f->base, "secret.txt", NULL);
  hello_abs = g_build_filename (f->root, "hello.txt", NULL);

  make_link (f->root, "link-out", "../secret.txt");
  make_link (f->root, "abs-out", secret_abs);
  make_link (f->root, "chain1", "chain2");
  make_link (f->root, "chain2", "sub/chain3");
  make_link (sub, "chain3", "../../secret.txt");
  make_link (f->root, "dirlink", "..");
  make_link (sub, "up", "../..");
  make_link (f->root, "sublink", "sub");
  make_link (f->root, "loop1", "loop2");
  make_link (f->root, "loop2", "loop1");
  make_link (f->root, "zero", "/dev/zero");
  make_link (f->root, "etc", "/etc");
  make_link (f->root, "dangle", "../created-outside.txt");
  make_link (f->root, "inlink", "sub/inner.txt");
  make_link (f->root, "abs-in", hello_abs);
  make_link (sub, "back", "../hello.txt");

  fifo = g_build_filename (f->root, "fifo", NULL);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);

  sock = g_build_filename (f->root, "sock", NULL);
  g_assert_cmpint (strlen (sock), <, sizeof addr.sun_path);
  strcpy (addr.sun_path, sock);
  fd = socket (AF_UNIX, SOCK_STREAM, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  close (fd);

  /* A name with a right-to-left override on disk: shown escaped, never as it is. */
  evil = g_build_filename (f->root, "evil\u202Etxt.exe", NULL);
  g_assert_true (g_file_set_contents (evil, "evil\n", -1, NULL));

  f->registry = reins_tool_registry_new_builtin ("list_dir,read_file,search_files,write_file",
                                                 &error);
  g_assert_no_error (error);
  f->context.workspace = g_strdup (f->root);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          remove_tree (child);
        else
          g_unlink (child);
      }
  g_rmdir (path);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  remove_tree (f->base);
  g_free (f->base);
  g_free (f->root);
  g_free (f->context.workspace);
  g_clear_object (&f->registry);
}

static ReinsToolResult *
run_tool (Fixture    *f,
          const char *tool,
          const char *member,
          const char *value)
{
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(ReinsAction) action = NULL;

  json_object_set_string_member (args, member, value);
  action = reins_action_new (tool, args);
  return reins_tool_registry_invoke (f->registry, &f->context, action, NULL);
}

/* Paths that must never lead out; %s is the base directory. */
static const struct
{
  const char *path;
  const char *why;   /* a word the refusal must contain */
} escapes[] = {
  { "..", NULL },
  { "../secret.txt", "leads out" },
  { "../../../../../../../etc/passwd", "leads out" },
  { "sub/../../secret.txt", "leads out" },
  { "./../secret.txt", "leads out" },
  { "sub/./..//../secret.txt", "leads out" },
  { "/etc/passwd", "absolute" },
  { "//etc/passwd", "absolute" },
  { "@BASE@/secret.txt", "absolute" },
  { "@BASE@/root/../secret.txt", "leads out" },
  { "@BASE@/rootx/secret.txt", "absolute" },
  { "link-out", "leads out" },
  { "abs-out", "points out" },
  { "chain1", "leads out" },
  { "dirlink/secret.txt", "leads out" },
  { "dirlink/root/hello.txt", "leads out" },
  { "sub/up/secret.txt", "leads out" },
  { "sublink/../../secret.txt", "leads out" },
  { "sub/chain3", "leads out" },
  { "loop1", "too many symbolic links" },
  { "zero", "points out" },
  { "etc/passwd", "points out" },
  { "fifo", "fifo" },
  { "sock", "socket" },
  { "sub", "directory" },
  { "hello.txt\u202E", "invisible" },
  { "hel\u200Blo.txt", "invisible" },
  { "\uFEFFhello.txt", "invisible" },
  { "hello\u2066.txt", "invisible" },
  { "sub\n/../../secret.txt", "invisible" },
  { "\xff\xfe/../secret.txt", "UTF-8" },
  { "", "empty" },
};

static char *
expand (Fixture    *f,
        const char *path)
{
  g_autoptr(GString) s = g_string_new (path);

  g_string_replace (s, "@BASE@", f->base, 0);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
assert_refused (ReinsToolResult *result,
                const char      *path,
                const char      *why)
{
  if (!result->is_error)
    g_error ("“%s” was not refused: %s", path, result->text);
  g_assert_null (strstr (result->text, SECRET));
  g_assert_null (strstr (result->text, "root:x:0"));
  g_assert_null (strstr (result->text, "\u202E"));
  g_assert_null (strstr (result->text, "\u200B"));
  g_assert_true (g_utf8_validate (result->text, -1, NULL));
  if (why != NULL && strstr (result->text, why) == NULL)
    g_error ("refusal of “%s” does not say “%s”: %s", path, why, result->text);
}

static void
test_escapes_read (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_cmpuint (G_N_ELEMENTS (escapes), >=, 25);

  for (guint i = 0; i < G_N_ELEMENTS (escapes); i++)
    {
      g_autofree char *path = expand (f, escapes[i].path);
      g_autoptr(ReinsToolResult) read = run_tool (f, "read_file", "path", path);
      g_autoptr(ReinsToolResult) search = run_tool (f, "search_files", "pattern", "TOPSECRET");

      g_autofree char *shown = reins_sandbox_escape (escapes[i].path, -1);

      g_test_message ("read_file %s → %s", shown, read->text);
      assert_refused (read, path, escapes[i].why);
      /* The search walks the workspace without following links: nothing leaks through it. */
      g_assert_null (strstr (search->text, SECRET));
    }
}

static void
test_escapes_list (Fixture       *f,
                   gconstpointer  data)
{
  const char *dirs[] = { "..", "dirlink", "sub/up", "etc", "@BASE@", "sublink/..//..", "/",
                         "sub/../..", "fifo" };

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = expand (f, dirs[i]);
      g_autoptr(ReinsToolResult) list = run_tool (f, "list_dir", "path", path);

      g_test_message ("list_dir %s → %s", dirs[i], list->text);
      assert_refused (list, path, NULL);
      g_assert_null (strstr (list->text, "secret.txt"));
      g_assert_null (strstr (list->text, "passwd"));
    }
}

static void
test_escapes_write (Fixture       *f,
                    gconstpointer  data)
{
  const char *paths[] = { "../evil.txt", "link-out", "abs-out", "dangle", "chain1",
                          "dirlink/evil.txt", "sub/up/evil.txt", "/tmp/reins-evil.txt",
                          "fifo", "sock", "sub", "new\u202Efile.txt", "loop1" };
  g_autofree char *secret_path = g_build_filename (f->base, "secret.txt", NULL);
  g_autofree char *outside = g_build_filename (f->base, "created-outside.txt", NULL);
  g_autofree char *evil = g_build_filename (f->base, "evil.txt", NULL);
  g_autofree char *content = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(JsonObject) args = json_object_new ();
      g_autoptr(ReinsAction) action = NULL;
      g_autoptr(ReinsToolResult) result = NULL;

      json_object_set_string_member (args, "path", paths[i]);
      json_object_set_string_member (args, "content", "PWNED");
      action = reins_action_new ("write_file", args);
      result = reins_tool_registry_invoke (f->registry, &f->context, action, NULL);
      g_autofree char *shown = reins_sandbox_escape (paths[i], -1);

      g_test_message ("write_file %s → %s", shown, result->text);
      assert_refused (result, paths[i], NULL);
    }

  g_assert_true (g_file_get_contents (secret_path, &content, NULL, NULL));
  g_assert_cmpstr (content, ==, SECRET "\n");
  g_assert_false (g_file_test (outside, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (evil, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test ("/tmp/reins-evil.txt", G_FILE_TEST_EXISTS));
}

/* Cases a JSON string cannot carry: a NUL byte inside, and overlong paths. */
static void
test_raw_paths (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsSandbox) sandbox = reins_sandbox_new (f->root, &error);
  static const char nul_path[] = "hello.txt\0../../secret.txt";
  g_autoptr(GString) long_path = g_string_new (NULL);
  g_autofree char *long_name = g_strnfill (300, 'a');
  g_autoptr(ReinsToolResult) r1 = NULL;
  g_autoptr(ReinsToolResult) r2 = NULL;
  int fd;

  g_assert_no_error (error);

  fd = reins_sandbox_open_file (sandbox, nul_path, sizeof nul_path - 1, &error);
  g_assert_cmpint (fd, <, 0);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_SANDBOX);
  g_assert_nonnull (strstr (error->message, "NUL"));
  g_clear_error (&error);

  while (long_path->len < 5000)
    g_string_append (long_path, "sub/");
  g_string_append (long_path, "inner.txt");
  r1 = run_tool (f, "read_file", "path", long_path->str);
  assert_refused (r1, "long path", "longer than");

  r2 = run_tool (f, "read_file", "path", long_name);
  assert_refused (r2, "long name", "longer than");

  /* A device inside the root is refused before it is opened. */
  {
    g_autoptr(ReinsSandbox) dev = reins_sandbox_new ("/dev", &error);
    g_assert_no_error (error);
    fd = reins_sandbox_open_file (dev, "zero", -1, &error);
    g_assert_cmpint (fd, <, 0);
    g_assert_error (error, REINS_ERROR, REINS_ERROR_SANDBOX);
    g_assert_nonnull (strstr (error->message, "device"));
    g_clear_error (&error);
    fd = reins_sandbox_open_file (dev, "/dev/null", -1, &error);
    g_assert_cmpint (fd, <, 0);
    g_assert_nonnull (strstr (error->message, "device"));
    g_clear_error (&error);
  }

  /* A workspace that does not exist. */
  g_assert_null (reins_sandbox_new ("/nonexistent/reins", &error));
  g_assert_error (error, REINS_ERROR, REINS_ERROR_SANDBOX);
}

static void
test_allowed (Fixture       *f,
              gconstpointer  data)
{
  const struct
  {
    const char *path;
    const char *content;
  } reads[] = {
    { "hello.txt", "hello world\n" },
    { "empty.txt", "" },
    { "./hello.txt", "hello world\n" },
    { "sub/inner.txt", "inner text\n" },
    { "sub/../hello.txt", "hello world\n" },
    { "sub//inner.txt", "inner text\n" },
    { "inlink", "inner text\n" },
    { "abs-in", "hello world\n" },
    { "sublink/inner.txt", "inner text\n" },
    { "sub/back", "hello world\n" },
    { "@BASE@/root/hello.txt", "hello world\n" },
    { "@BASE@/root/sub/../sub/inner.txt", "inner text\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (reads); i++)
    {
      g_autofree char *path = expand (f, reads[i].path);
      g_autoptr(ReinsToolResult) r = run_tool (f, "read_file", "path", path);

      if (r->is_error)
        g_error ("“%s” was refused: %s", reads[i].path, r->text);
      g_assert_cmpstr (r->text, ==, reads[i].content);
      g_assert_false (r->truncated);
    }

  {
    g_autoptr(ReinsToolResult) list = run_tool (f, "list_dir", "path", ".");
    g_autoptr(ReinsToolResult) list_sub = run_tool (f, "list_dir", "path", "sublink");

    g_assert_false (list->is_error);
    g_assert_nonnull (strstr (list->text, "hello.txt\n"));
    g_assert_nonnull (strstr (list->text, "sub/\n"));
    g_assert_nonnull (strstr (list->text, "link-out@\n"));
    /* The override character is escaped. */
    g_assert_null (strstr (list->text, "\u202E"));
    g_assert_nonnull (strstr (list->text, "evil\\u{202E}txt.exe\n"));
    g_assert_false (list_sub->is_error);
    g_assert_nonnull (strstr (list_sub->text, "inner.txt\n"));
  }
}

static void
test_missing_and_wrong_type (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(ReinsToolResult) r1 = run_tool (f, "read_file", "path", "nope.txt");
  g_autoptr(ReinsToolResult) r2 = run_tool (f, "read_file", "path", "hello.txt/x");
  g_autoptr(ReinsToolResult) r3 = run_tool (f, "list_dir", "path", "hello.txt");

  g_assert_true (r1->is_error);
  g_assert_nonnull (strstr (r1->text, "nope.txt"));
  g_assert_true (r2->is_error);
  g_assert_true (r3->is_error);
  g_assert_nonnull (strstr (r3->text, "not a directory"));
}

static void
test_truncation_and_binary (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *big = g_strnfill (REINS_SANDBOX_READ_CAP + 5000, 'x');
  g_autofree char *bin = g_build_filename (f->root, "bin.dat", NULL);
  g_autoptr(ReinsToolResult) r = NULL;
  g_autoptr(ReinsToolResult) b = NULL;
  static const char binary[] = "ELF\0\1\2\3";

  write_file (f->root, "big.txt", big);
  r = run_tool (f, "read_file", "path", "big.txt");
  g_assert_false (r->is_error);
  g_assert_true (r->truncated);
  g_assert_nonnull (strstr (r->text, "[… truncated: showing the first 262144 of 267144 bytes]"));
  g_assert_cmpuint (strlen (r->text), <, REINS_SANDBOX_READ_CAP + 200);

  g_assert_true (g_file_set_contents (bin, binary, sizeof binary, NULL));
  b = run_tool (f, "read_file", "path", "bin.dat");
  g_assert_true (b->is_error);
  g_assert_nonnull (strstr (b->text, "binary"));
}

static void
test_write_inside (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(ReinsAction) action = NULL;
  g_autoptr(ReinsToolResult) w = NULL;
  g_autoptr(ReinsToolResult) r = NULL;
  g_autoptr(ReinsToolResult) r2 = NULL;

  json_object_set_string_member (args, "path", "new/dir/out.txt");
  json_object_set_string_member (args, "content", "written\n");
  action = reins_action_new ("write_file", args);
  w = reins_tool_registry_invoke (f->registry, &f->context, action, NULL);
  g_assert_false (w->is_error);
  g_assert_nonnull (strstr (w->text, "8 bytes"));
  r = run_tool (f, "read_file", "path", "new/dir/out.txt");
  g_assert_cmpstr (r->text, ==, "written\n");

  /* Through a link that stays inside, the file it points to is replaced by the new one. */
  {
    g_autoptr(JsonObject) a2 = json_object_new ();
    g_autoptr(ReinsAction) act2 = NULL;
    g_autoptr(ReinsToolResult) w2 = NULL;

    json_object_set_string_member (a2, "path", "hello.txt");
    json_object_set_string_member (a2, "content", "replaced\n");
    act2 = reins_action_new ("write_file", a2);
    w2 = reins_tool_registry_invoke (f->registry, &f->context, act2, NULL);
    g_assert_false (w2->is_error);
  }
  r2 = run_tool (f, "read_file", "path", "abs-in");
  g_assert_cmpstr (r2->text, ==, "replaced\n");
}

/* Puts a link to the base (which holds the secret) where the workspace was. */
static void
replace_root (Fixture *f)
{
  g_autofree char *old = g_build_filename (f->base, "root.old", NULL);

  g_assert_cmpint (g_rename (f->root, old), ==, 0);
  g_assert_cmpint (symlink (f->base, f->root), ==, 0);
}

/* The run's sandbox is opened once: replacing the workspace folder does not move it. */
static void
test_root_replaced (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsToolRegistry) shell = reins_tool_registry_new_builtin ("shell", &error);
  g_autoptr(ReinsToolResult) secret = NULL;
  g_autoptr(ReinsToolResult) hello = NULL;
  g_autoptr(ReinsToolResult) listing = NULL;
  g_autoptr(ReinsToolResult) written = NULL;
  g_autoptr(ReinsToolResult) cat = NULL;
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(JsonObject) write_args = json_object_new ();
  g_autoptr(ReinsAction) cat_action = NULL;
  g_autoptr(ReinsAction) write_action = NULL;
  g_autofree char *planted = g_build_filename (f->base, "planted.txt", NULL);
  g_autofree char *kept = g_build_filename (f->base, "root.old", "planted.txt", NULL);

  g_assert_no_error (error);
  f->context.sandbox = reins_sandbox_new (f->root, &error);
  g_assert_no_error (error);
  replace_root (f);

  secret = run_tool (f, "read_file", "path", "secret.txt");
  g_assert_true (secret->is_error);
  g_assert_null (strstr (secret->text, SECRET));
  hello = run_tool (f, "read_file", "path", "hello.txt");
  g_assert_false (hello->is_error);
  g_assert_cmpstr (hello->text, ==, "hello world\n");
  listing = run_tool (f, "list_dir", "path", ".");
  g_assert_nonnull (strstr (listing->text, "hello.txt"));
  g_assert_null (strstr (listing->text, "secret.txt"));

  json_object_set_string_member (write_args, "path", "planted.txt");
  json_object_set_string_member (write_args, "content", "x");
  write_action = reins_action_new ("write_file", write_args);
  written = reins_tool_registry_invoke (f->registry, &f->context, write_action, NULL);
  g_assert_false (written->is_error);
  g_assert_false (g_file_test (planted, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (kept, G_FILE_TEST_EXISTS));

  json_object_set_string_member (args, "command", "cat secret.txt hello.txt");
  cat_action = reins_action_new ("shell", args);
  cat = reins_tool_registry_invoke (shell, &f->context, cat_action, NULL);
  g_assert_null (strstr (cat->text, SECRET));
  g_assert_nonnull (strstr (cat->text, "hello world"));

  g_clear_pointer (&f->context.sandbox, reins_sandbox_free);
}

/* Without a sandbox opened for the run, each call resolves the path anew: the swap works,
 * which is what the test above guards against. */
static void
test_root_replaced_per_call (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(ReinsToolResult) secret = NULL;

  replace_root (f);
  secret = run_tool (f, "read_file", "path", "secret.txt");
  g_assert_false (secret->is_error);
  g_assert_nonnull (strstr (secret->text, SECRET));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/reins/tools/sandbox/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("escapes-read", test_escapes_read);
  ADD ("escapes-list", test_escapes_list);
  ADD ("escapes-write", test_escapes_write);
  ADD ("raw-paths", test_raw_paths);
  ADD ("allowed", test_allowed);
  ADD ("missing", test_missing_and_wrong_type);
  ADD ("truncation", test_truncation_and_binary);
  ADD ("write-inside", test_write_inside);
  ADD ("root-replaced", test_root_replaced);
  ADD ("root-replaced-per-call", test_root_replaced_per_call);
#undef ADD

  return g_test_run ();
}
