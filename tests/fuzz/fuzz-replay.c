/* fuzz-replay.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs a fuzz target on every file of the folders (or files) named on the command line, as
 * a TAP test: the seed corpora, and any crash a fuzzer found, replay in every build.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "fuzz-target.h"

static void
collect (const char *path,
         GPtrArray  *files)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_ptr_array_add (files, g_strdup (path));
      return;
    }

  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (files, g_build_filename (path, name, NULL));
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);

  for (int i = 1; i < argc; i++)
    collect (argv[i], files);
  g_ptr_array_sort (files, compare_paths);

  if (files->len == 0)
    {
      printf ("1..0 # SKIP no corpus\n");
      return 0;
    }

  printf ("1..%u\n", files->len);
  for (guint i = 0; i < files->len; i++)
    {
      const char *path = g_ptr_array_index (files, i);
      g_autofree char *data = NULL;
      g_autoptr(GError) error = NULL;
      gsize size = 0;

      if (!g_file_get_contents (path, &data, &size, &error))
        {
          printf ("not ok %u %s # %s\n", i + 1, path, error->message);
          continue;
        }
      fflush (stdout);
      LLVMFuzzerTestOneInput ((const uint8_t *) data, size);
      printf ("ok %u %s\n", i + 1, path);
    }

  return 0;
}
