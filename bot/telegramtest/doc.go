// Package telegramtest is an in-process fake of the Telegram Bot API, the test
// bed for the support bot.
//
// A Server listens on 127.0.0.1 and speaks the Bot API wire protocol closely
// enough for the real tgbotapi v5 client: the {"ok":…} envelope, form, multipart
// and JSON request bodies, getUpdates long polling with real offset semantics,
// webhooks with a secret token, allowed_updates, forum topics (names, icons,
// closing), edits with Telegram's "not modified" rule, albums, reactions,
// scoped commands, Telegram's validation errors and formatting parsers (HTML
// strictly as documented, MarkdownV2 as tdlib parses it), optional flood
// limits, and injectable faults (429 with retry_after, 502 with an HTML body,
// dropped connections, latency).
//
// Tests (and the load-test command) act as users through SendText, PressButton,
// ShareContact, SendGroupText, SendAlbum, EditText, Block and friends, and
// inspect what the bot did through Sent, SentTo, WaitSent, Messages (what a
// chat shows now: text, entities, keyboards), EditsOf, LiveKeyboards,
// CallbackAnswers, Topics, Calls and so on. The core type needs no
// *testing.T; Start, Bot and WaitFor are thin testing.TB helpers.
//
//	srv := telegramtest.Start(t)
//	bot := srv.Bot(t) // *tgbotapi.BotAPI talking to srv
//	srv.SendText(telegramtest.User{ID: 42, FirstName: "Ann"}, "/start")
//	msgs := srv.WaitFor(t, 42, 1, 5*time.Second)
package telegramtest
