/* reins-pricing.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What model tokens cost: the table shipped as data/pricing.json (USD per million input
 * and output tokens), with per-run overrides.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _ReinsPricing ReinsPricing;

ReinsPricing *reins_pricing_new_from_file  (const char    *path,
                                            GError       **error);
ReinsPricing *reins_pricing_new_default    (void);
char         *reins_pricing_get_default_path (void);
ReinsPricing *reins_pricing_ref            (ReinsPricing  *self);
void          reins_pricing_unref          (ReinsPricing  *self);
void          reins_pricing_set_override   (ReinsPricing  *self,
                                            double         input_per_mtok,
                                            double         output_per_mtok);
gboolean      reins_pricing_lookup         (ReinsPricing  *self,
                                            const char    *provider,
                                            const char    *model,
                                            double        *input_per_mtok,
                                            double        *output_per_mtok);
double        reins_pricing_cost           (ReinsPricing  *self,
                                            const char    *provider,
                                            const char    *model,
                                            guint64        input_tokens,
                                            guint64        output_tokens);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReinsPricing, reins_pricing_unref)

G_END_DECLS
