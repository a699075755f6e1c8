/* reins-what-if.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What-if: a stored run judged again under other harness settings, off the main thread.
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* One step as the replay judged it. */
typedef struct
{
  guint    step;
  guint8   stored_kind;     /* ReinsVerdictKind of the most severe stored verdict */
  guint8   replayed_kind;   /* the same under the other settings */
  gboolean changed;
  char    *guard;           /* (nullable) the guard of the replayed verdict */
  char    *reason;          /* (nullable) its reason */
} ReinsWhatIfStep;

void       reins_what_if_async        (const char           *db_path,
                                       const char           *run_id,
                                       JsonObject           *overrides,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
GArray    *reins_what_if_finish       (GAsyncResult         *result,
                                       GError              **error);
char      *reins_what_if_describe     (const ReinsWhatIfStep *step);
char      *reins_what_if_summary      (GArray               *steps);

G_END_DECLS
