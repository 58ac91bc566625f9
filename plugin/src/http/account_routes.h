// The account routes (CONTRACT §3): register, confirm (GET link and POST), confirm/resend,
// password/forgot, password/reset, password/change.
#pragma once

#include "account/mail_request.h"
#include "http/exchange.h"
#include "http/plugin_state.h"

#include <functional>
#include <string_view>

namespace latchkey::http {

int32_t register_account_routes(PluginState& state);

// A "mail me a link" route (confirm/resend, password/forgot, magic-link): {email} → 202
// {"status":"accepted"} whatever the address, 429 when asked too often, 400 for a bad body.
using MailRequest = std::function<account::MailRequestResult(std::string_view email, std::string_view client_address)>;
void answer_mail_request(Exchange& exchange, const MailRequest& request);

}  // namespace latchkey::http
