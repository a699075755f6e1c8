/* reins-mcp-transport.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Private to the MCP client: the Streamable HTTP transport (reins-mcp-http.c). The stdio
 * transport lives in reins-mcp-client.c; both hand every message of the server to the same
 * JSON-RPC matching (ReinsMcpTransportSink), so requests, answers, the server's own
 * requests and notifications work alike over both.
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Called on a thread of the transport. */
typedef struct
{
  /* One JSON-RPC message of the server (a response, a request or a notification). */
  void (*receive) (gpointer    client,
                   JsonNode   *message);
  /* The request @request_id will get no answer: @why says why. @session_expired when the
   * server no longer knows the session (HTTP 404): initialize again. */
  void (*fail)    (gpointer    client,
                   gint64      request_id,
                   const char *why,
                   gboolean    session_expired);
  /* The request @request_id was refused for want of authorization (HTTP 401, or 403
   * insufficient_scope): @challenge is the WWW-Authenticate header, @used the Authorization
   * header the request carried (both nullable). */
  void (*unauthorized) (gpointer    client,
                        gint64      request_id,
                        guint       status,
                        const char *challenge,
                        const char *used);
} ReinsMcpTransportSink;

typedef struct _ReinsMcpHttp ReinsMcpHttp;

gboolean      reins_mcp_http_is_url               (const char                  *text);
ReinsMcpHttp *reins_mcp_http_new                  (const char                  *url,
                                                   const ReinsMcpTransportSink *sink,
                                                   gpointer                     client);
void          reins_mcp_http_send                 (ReinsMcpHttp                *self,
                                                   JsonNode                    *message,
                                                   gint64                       request_id);
void          reins_mcp_http_cancel               (ReinsMcpHttp                *self,
                                                   gint64                       request_id);
void          reins_mcp_http_set_protocol_version (ReinsMcpHttp                *self,
                                                   const char                  *version);
void          reins_mcp_http_set_authorization    (ReinsMcpHttp                *self,
                                                   const char                  *header);
void          reins_mcp_http_forget_session       (ReinsMcpHttp                *self);
char         *reins_mcp_http_dup_session_id       (ReinsMcpHttp                *self);
void          reins_mcp_http_open_stream          (ReinsMcpHttp                *self,
                                                   guint                        timeout_ms);
gboolean      reins_mcp_http_open_legacy          (ReinsMcpHttp                *self,
                                                   guint                        timeout_ms);
void          reins_mcp_http_flush                (ReinsMcpHttp                *self,
                                                   guint                        timeout_ms);
void          reins_mcp_http_close                (ReinsMcpHttp                *self);
void          reins_mcp_http_free                 (ReinsMcpHttp                *self);

G_END_DECLS
