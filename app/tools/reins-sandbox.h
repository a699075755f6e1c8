/* reins-sandbox.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The workspace sandbox: resolves paths inside a root directory, component by component
 * from a directory file descriptor, so that no `..`, absolute path or symbolic link leads
 * out of it.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* How much read_file shows of a file. */
#define REINS_SANDBOX_READ_CAP (256 * 1024)

typedef struct _ReinsSandbox ReinsSandbox;

ReinsSandbox *reins_sandbox_new          (const char    *root,
                                          GError       **error);
ReinsSandbox *reins_sandbox_dup          (ReinsSandbox  *self,
                                          GError       **error);
void          reins_sandbox_free         (ReinsSandbox  *self);
const char   *reins_sandbox_get_root     (ReinsSandbox  *self);
int           reins_sandbox_get_root_fd  (ReinsSandbox  *self);

gboolean      reins_sandbox_check_path   (const char    *path,
                                          gssize         length,
                                          GError       **error);
int           reins_sandbox_open_dir     (ReinsSandbox  *self,
                                          const char    *path,
                                          gssize         length,
                                          GError       **error);
int           reins_sandbox_open_file    (ReinsSandbox  *self,
                                          const char    *path,
                                          gssize         length,
                                          GError       **error);
int           reins_sandbox_open_parent  (ReinsSandbox  *self,
                                          const char    *path,
                                          gssize         length,
                                          gboolean       create_dirs,
                                          char         **leaf,
                                          GError       **error);
char         *reins_sandbox_read_text    (ReinsSandbox  *self,
                                          const char    *path,
                                          gssize         length,
                                          gsize          cap,
                                          gboolean      *truncated,
                                          GError       **error);
char         *reins_sandbox_read_fd_text (int            fd,
                                          gsize          cap,
                                          gboolean      *truncated,
                                          GError       **error);

gboolean      reins_sandbox_is_plain_text(const char    *text,
                                          gssize         length);
char         *reins_sandbox_escape       (const char    *text,
                                          gssize         length);
char         *reins_sandbox_escape_text  (const char    *text,
                                          gssize         length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReinsSandbox, reins_sandbox_free)

G_END_DECLS
