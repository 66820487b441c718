package telegramtest_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"supportbot/bot/telegramtest"
)

var ann = telegramtest.User{ID: 42, FirstName: "Ann", LanguageCode: "en"}

func apiErr(t *testing.T, err error) *tgbotapi.Error {
	t.Helper()
	var e *tgbotapi.Error
	if !errors.As(err, &e) {
		t.Fatalf("want *tgbotapi.Error, got %T %v", err, err)
	}
	return e
}

func wantAPIError(t *testing.T, err error, code int, desc string) {
	t.Helper()
	if e := apiErr(t, err); e.Code != code || e.Message != desc {
		t.Fatalf("got %d %q, want %d %q", e.Code, e.Message, code, desc)
	}
}

func TestGetMe(t *testing.T) {
	srv := telegramtest.Start(t, telegramtest.WithBotUsername("support_bot"))
	bot := srv.Bot(t)
	if bot.Self.UserName != "support_bot" || !bot.Self.IsBot || bot.Self.ID != 123456 {
		t.Fatalf("Self = %+v", bot.Self)
	}
	if srv.Calls("getMe") != 1 {
		t.Fatalf("getMe calls = %d", srv.Calls("getMe"))
	}
}

func TestBadToken(t *testing.T) {
	srv := telegramtest.Start(t)
	_, err := tgbotapi.NewBotAPIWithClient("999:WRONG", srv.Endpoint(), http.DefaultClient)
	wantAPIError(t, err, 401, "Unauthorized")
}

func TestUnknownMethod(t *testing.T) {
	bot := telegramtest.Start(t).Bot(t)
	_, err := bot.MakeRequest("sendSmoke", nil)
	wantAPIError(t, err, 404, "Not Found: method not found")
}

func TestOffsetSemantics(t *testing.T) {
	srv := telegramtest.Start(t)
	bot := srv.Bot(t)
	id1 := srv.SendText(ann, "/start hello")
	id2 := srv.SendText(ann, "second")

	ups, err := bot.GetUpdates(tgbotapi.UpdateConfig{})
	if err != nil || len(ups) != 2 {
		t.Fatalf("first poll: %v %v", ups, err)
	}
	m := ups[0].Message
	if ups[0].UpdateID != int(id1) || m.Text != "/start hello" || !m.IsCommand() || m.Command() != "start" ||
		m.From.ID != 42 || m.From.LanguageCode != "en" || m.Chat.Type != "private" || m.Date == 0 {
		t.Fatalf("update 1 = %+v / %+v", ups[0], m)
	}
	// Not confirmed: redelivered.
	if ups, _ = bot.GetUpdates(tgbotapi.UpdateConfig{}); len(ups) != 2 {
		t.Fatalf("redelivery: got %d", len(ups))
	}
	// Confirm the first only, with a limit.
	ups, _ = bot.GetUpdates(tgbotapi.UpdateConfig{Offset: int(id1) + 1, Limit: 1})
	if len(ups) != 1 || ups[0].UpdateID != int(id2) || srv.Offset() != id1+1 {
		t.Fatalf("after confirm: %v offset %d", ups, srv.Offset())
	}
	// Going back never resurrects confirmed updates.
	if ups, _ = bot.GetUpdates(tgbotapi.UpdateConfig{Offset: int(id1)}); len(ups) != 1 || ups[0].UpdateID != int(id2) {
		t.Fatalf("confirmed update came back: %v", ups)
	}
	// A negative offset keeps only the last -offset updates.
	id3 := srv.SendText(ann, "third")
	if ups, _ = bot.GetUpdates(tgbotapi.UpdateConfig{Offset: -1}); len(ups) != 1 || ups[0].UpdateID != int(id3) {
		t.Fatalf("negative offset: %v", ups)
	}
	bot.GetUpdates(tgbotapi.UpdateConfig{Offset: int(id3) + 1})
	if p := srv.Pending(); len(p) != 0 {
		t.Fatalf("pending = %v", p)
	}
	if err := srv.WaitConfirmed(context.Background(), id2); err != nil {
		t.Fatal(err)
	}
}

func TestLongPoll(t *testing.T) {
	srv := telegramtest.Start(t)
	bot := srv.Bot(t)
	go func() {
		time.Sleep(150 * time.Millisecond)
		srv.SendText(ann, "wake up")
	}()
	start := time.Now()
	ups, err := bot.GetUpdates(tgbotapi.UpdateConfig{Timeout: 10})
	if err != nil || len(ups) != 1 || ups[0].Message.Text != "wake up" {
		t.Fatalf("%v %v", ups, err)
	}
	if d := time.Since(start); d < 100*time.Millisecond || d > 3*time.Second {
		t.Fatalf("long poll took %v", d)
	}
	// An empty long poll ends at its timeout.
	start = time.Now()
	if ups, err = bot.GetUpdates(tgbotapi.UpdateConfig{Offset: ups[0].UpdateID + 1, Timeout: 1}); err != nil || len(ups) != 0 {
		t.Fatalf("%v %v", ups, err)
	}
	if d := time.Since(start); d < 900*time.Millisecond {
		t.Fatalf("timeout ignored: %v", d)
	}
}

func TestCloseEndsLongPoll(t *testing.T) {
	srv := telegramtest.New()
	bot, err := srv.NewBotAPI()
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	go func() { _, err := bot.GetUpdates(tgbotapi.UpdateConfig{Timeout: 30}); done <- err }()
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	srv.Close()
	<-done
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("Close took %v", d)
	}
}

func TestSecondPollerGetsConflict(t *testing.T) {
	srv := telegramtest.Start(t)
	bot := srv.Bot(t)
	done := make(chan error)
	go func() { _, err := bot.GetUpdates(tgbotapi.UpdateConfig{Timeout: 10}); done <- err }()
	time.Sleep(100 * time.Millisecond)
	go bot.GetUpdates(tgbotapi.UpdateConfig{Timeout: 1})
	wantAPIError(t, <-done, 409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running")
}

func TestInlineKeyboardRoundTrip(t *testing.T) {
	srv := telegramtest.Start(t)
	bot := srv.Bot(t)
	msg := tgbotapi.NewMessage(42, "Choose:")
	msg.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData("Yes", "answer:yes"),
		tgbotapi.NewInlineKeyboardButtonURL("Docs", "https://example.com")))
	got, err := bot.Send(msg)
	if err != nil {
		t.Fatal(err)
	}
	if got.MessageID == 0 || got.Chat.ID != 42 || got.From.ID != bot.Self.ID || got.Text != "Choose:" ||
		got.ReplyMarkup == nil || *got.ReplyMarkup.InlineKeyboard[0][0].CallbackData != "answer:yes" {
		t.Fatalf("returned message = %+v", got)
	}
	sent := srv.WaitFor(t, 42, 1, time.Second)[0]
	if b := sent.Buttons(); len(b) != 2 || b[0] != (telegramtest.Button{Text: "Yes", Data: "answer:yes"}) || b[1].URL != "https://example.com" {
		t.Fatalf("buttons = %+v", b)
	}

	id, err := srv.ClickButton(ann, sent, "Yes")
	if err != nil {
		t.Fatal(err)
	}
	ups, _ := bot.GetUpdates(tgbotapi.UpdateConfig{})
	cq := ups[0].CallbackQuery
	if ups[0].UpdateID != int(id) || cq == nil || cq.Data != "answer:yes" || cq.From.ID != 42 ||
		cq.Message.MessageID != got.MessageID || cq.ChatInstance == "" {
		t.Fatalf("callback update = %+v", ups[0])
	}
	if _, err := bot.Request(tgbotapi.NewCallback(cq.ID, "Noted")); err != nil {
		t.Fatal(err)
	}
	if a := srv.CallbackAnswers(); len(a) != 1 || a[0].Text != "Noted" || len(srv.UnansweredCallbacks()) != 0 {
		t.Fatalf("answers = %+v", a)
	}
	_, err = bot.Request(tgbotapi.NewCallback(cq.ID, "again"))
	wantAPIError(t, err, 400, "Bad Request: query is too old and response timeout expired or query ID is invalid")

	// editMessageText without reply_markup drops the keyboard, as on Telegram.
	if _, err := bot.Send(tgbotapi.NewEditMessageText(42, got.MessageID, "Thanks")); err != nil {
		t.Fatal(err)
	}
	if s := srv.SentTo(42)[0]; s.Text != "Thanks" || s.Markup != nil || s.Edits != 1 {
		t.Fatalf("after edit: %+v", s)
	}
	kb := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("Undo", "undo")))
	if m, err := bot.Send(tgbotapi.NewEditMessageReplyMarkup(42, got.MessageID, kb)); err != nil || m.ReplyMarkup == nil {
		t.Fatalf("editMessageReplyMarkup: %v", err)
	}
	if b := srv.SentTo(42)[0].Buttons(); len(b) != 1 || b[0].Data != "undo" {
		t.Fatalf("after markup edit: %+v", b)
	}
	_, err = bot.Send(tgbotapi.NewEditMessageReplyMarkup(42, got.MessageID, kb))
	wantAPIError(t, err, 400, "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
	if _, err := bot.Request(tgbotapi.NewDeleteMessage(42, got.MessageID)); err != nil || !srv.SentTo(42)[0].Deleted {
		t.Fatalf("delete: %v", err)
	}
}

func TestReplyKeyboardAndContact(t *testing.T) {
	srv := telegramtest.Start(t)
	bot := srv.Bot(t)
	msg := tgbotapi.NewMessage(42, "Share your phone")
	msg.ReplyMarkup = tgbotapi.NewOneTimeReplyKeyboard(tgbotapi.NewKeyboardButtonRow(tgbotapi.NewKeyboardButtonContact("Send phone")))
	if _, err := bot.Send(msg); err != nil {
		t.Fatal(err)
	}
	if mk := srv.SentTo(42)[0].Markup; !mk.RequestContact || !mk.OneTime {
		t.Fatalf("markup = %+v", mk)
	}
	srv.ShareContact(ann, "79001234567", ann.ID)
	ups, _ := bot.GetUpdates(tgbotapi.UpdateConfig{})
	if c := ups[0].Message.Contact; c == nil || c.PhoneNumber != "79001234567" || c.UserID != 42 {
		t.Fatalf("contact = %+v", c)
	}
}

func TestValidation(t *testing.T) {
	srv := telegramtest.Start(t)
	bot := srv.Bot(t)
	send := func(chat int64, text string) error { _, err := bot.Send(tgbotapi.NewMessage(chat, text)); return err }

	wantAPIError(t, send(42, ""), 400, "Bad Request: message text is empty")
	if err := send(42, strings.Repeat("я", 4096)); err != nil {
		t.Fatalf("4096 chars rejected: %v", err)
	}
	wantAPIError(t, send(42, strings.Repeat("я", 4097)), 400, "Bad Request: message is too long")
	wantAPIError(t, send(42, strings.Repeat("😀", 2049)), 400, "Bad Request: message is too long") // 4098 UTF-16 units

	msg := tgbotapi.NewMessage(42, "x")
	msg.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData("long", strings.Repeat("ж", 33)))) // 66 bytes
	_, err := bot.Send(msg)
	wantAPIError(t, err, 400, "Bad Request: BUTTON_DATA_INVALID")

	srv.SetBlocked(7, true)
	wantAPIError(t, send(7, "hi"), 403, "Forbidden: bot was blocked by the user")
	srv.SetMissing(-100500, true)
	wantAPIError(t, send(-100500, "hi"), 400, "Bad Request: chat not found")

	html := tgbotapi.NewMessage(42, "Hello, <Bob>")
	html.ParseMode = tgbotapi.ModeHTML
	_, err = bot.Send(html)
	wantAPIError(t, err, 400, `Bad Request: can't parse entities: Unsupported start tag "bob" at byte offset 7`)
	html.Text = "<b>Hi</b> &lt;Bob&gt;"
	if m, err := bot.Send(html); err != nil || m.Text != "Hi <Bob>" {
		t.Fatalf("%q %v", m.Text, err)
	}
	md := tgbotapi.NewMessage(42, "Order 1.5 done")
	md.ParseMode = tgbotapi.ModeMarkdownV2
	_, err = bot.Send(md)
	wantAPIError(t, err, 400, `Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\'`)
	if len(srv.Sent()) != 2 {
		t.Fatalf("sent %d, want 2", len(srv.Sent()))
	}
}

func TestFaults(t *testing.T) {
	srv := telegramtest.Start(t)
	bot := srv.Bot(t)
	srv.InjectFaults("sendMessage", 1, telegramtest.RateLimit(7))
	_, err := bot.Send(tgbotapi.NewMessage(42, "hi"))
	if e := apiErr(t, err); e.Code != 429 || e.RetryAfter != 7 || e.Message != "Too Many Requests: retry after 7" {
		t.Fatalf("429: %+v", e)
	}

	srv.InjectFaults("", 1, telegramtest.BadGateway())
	_, err = bot.Send(tgbotapi.NewMessage(42, "hi"))
	var syn *json.SyntaxError
	if !errors.As(err, &syn) {
		t.Fatalf("502: want a JSON syntax error, got %T %v", err, err)
	}

	srv.InjectFaults("sendMessage", 1, telegramtest.Fault{Status: 502, Processed: true})
	if _, err = bot.Send(tgbotapi.NewMessage(42, "lost answer")); err == nil {
		t.Fatal("want error")
	}
	srv.InjectFaults("sendMessage", 1, telegramtest.ConnReset())
	if _, err = bot.Send(tgbotapi.NewMessage(42, "dropped")); err == nil {
		t.Fatal("want transport error")
	}
	srv.InjectFaults("", 1, telegramtest.ServerError())
	_, err = bot.Send(tgbotapi.NewMessage(42, "x"))
	wantAPIError(t, err, 500, "Internal Server Error")

	srv.InjectFaults("sendMessage", 1, telegramtest.Blocked())
	_, err = bot.Send(tgbotapi.NewMessage(42, "x"))
	wantAPIError(t, err, 403, "Forbidden: bot was blocked by the user")
	srv.InjectFaults("sendMessage", 1, telegramtest.ThreadNotFound())
	_, err = bot.Send(tgbotapi.NewMessage(42, "x"))
	wantAPIError(t, err, 400, "Bad Request: message thread not found")

	srv.InjectFaults("getMe", 1, telegramtest.Delay(200*time.Millisecond))
	start := time.Now()
	if _, err := bot.GetMe(); err != nil || time.Since(start) < 200*time.Millisecond {
		t.Fatalf("delay: %v after %v", err, time.Since(start))
	}
	if m, err := bot.Send(tgbotapi.NewMessage(42, "ok")); err != nil || m.Text != "ok" {
		t.Fatalf("after faults: %v", err)
	}
	// Only the Processed one was carried out besides the last.
	if s := srv.SentTo(42); len(s) != 2 || s[0].Text != "lost answer" {
		t.Fatalf("sent = %+v", s)
	}
	if srv.Calls("sendmessage") != 8 {
		t.Fatalf("calls = %d", srv.Calls("sendMessage"))
	}
}

func TestForumTopics(t *testing.T) {
	srv := telegramtest.Start(t)
	bot := srv.Bot(t)
	const group = -1001234567890
	resp, err := bot.MakeRequest("createForumTopic", tgbotapi.Params{"chat_id": strconv.Itoa(group), "name": "Ticket #1"})
	if err != nil {
		t.Fatal(err)
	}
	var topic struct {
		ThreadID  int64  `json:"message_thread_id"`
		Name      string `json:"name"`
		IconColor int    `json:"icon_color"`
	}
	if err := json.Unmarshal(resp.Result, &topic); err != nil || topic.ThreadID == 0 || topic.Name != "Ticket #1" || topic.IconColor == 0 {
		t.Fatalf("topic = %+v %v", topic, err)
	}
	tid := strconv.FormatInt(topic.ThreadID, 10)
	send := func(thread string) error {
		p := tgbotapi.Params{"chat_id": strconv.Itoa(group), "text": "hello", "message_thread_id": thread}
		p.AddInterface("reply_markup", tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
			tgbotapi.NewInlineKeyboardButtonData("Close", "close"))))
		_, err := bot.MakeRequest("sendMessage", p)
		return err
	}
	if err := send(tid); err != nil {
		t.Fatal(err)
	}
	if s := srv.SentTo(group); len(s) != 1 || s[0].ThreadID != topic.ThreadID || len(s[0].Buttons()) != 1 {
		t.Fatalf("sent = %+v", s)
	}
	wantAPIError(t, send("999"), 400, "Bad Request: message thread not found")
	if _, err := bot.MakeRequest("closeForumTopic", tgbotapi.Params{"chat_id": strconv.Itoa(group), "message_thread_id": tid}); err != nil {
		t.Fatal(err)
	}
	wantAPIError(t, send(tid), 400, "Bad Request: TOPIC_CLOSED")
	if tp := srv.Topics(); len(tp) != 1 || !tp[0].Closed {
		t.Fatalf("topics = %+v", tp)
	}
	bot.MakeRequest("deleteForumTopic", tgbotapi.Params{"chat_id": strconv.Itoa(group), "message_thread_id": tid})
	wantAPIError(t, send(tid), 400, "Bad Request: message thread not found")
	if s := srv.SentTo(group); !s[0].Deleted || !srv.Topics()[0].Deleted {
		t.Fatalf("delete topic: %+v", s)
	}

	// A human posting in a topic: message_thread_id and is_topic_message arrive.
	srv.SendGroupText(group, 77, ann, "customer question")
	ups, _ := bot.GetUpdates(tgbotapi.UpdateConfig{})
	var raw struct {
		Message struct {
			ThreadID int64 `json:"message_thread_id"`
			IsTopic  bool  `json:"is_topic_message"`
			Chat     struct {
				Type string `json:"type"`
			} `json:"chat"`
		} `json:"message"`
	}
	json.Unmarshal(srv.Pending()[0].JSON, &raw)
	if ups[0].Message.Chat.Type != "supergroup" || raw.Message.ThreadID != 77 || !raw.Message.IsTopic || ups[0].Message.ReplyToMessage == nil {
		t.Fatalf("group update = %+v / %+v", ups[0].Message, raw)
	}
}

func TestCopyAndFiles(t *testing.T) {
	srv := telegramtest.Start(t)
	bot := srv.Bot(t)
	srv.SendPhoto(ann, "AgACphoto", "receipt")
	ups, _ := bot.GetUpdates(tgbotapi.UpdateConfig{})
	photo := ups[0].Message.Photo
	if len(photo) != 2 || photo[len(photo)-1].FileID != "AgACphoto" || ups[0].Message.Caption != "receipt" {
		t.Fatalf("photo = %+v", ups[0].Message)
	}
	id, err := bot.CopyMessage(tgbotapi.NewCopyMessage(-100777, 42, ups[0].Message.MessageID))
	if err != nil || id.MessageID == 0 {
		t.Fatalf("copy: %v %v", id, err)
	}
	if s := srv.SentTo(-100777); len(s) != 1 || s[0].FileID != "AgACphoto" || s[0].CopyFromChat != 42 {
		t.Fatalf("copy = %+v", s)
	}
	if _, err := bot.Send(tgbotapi.NewDocument(42, tgbotapi.FileID("BQACdoc"))); err != nil {
		t.Fatal(err)
	}
	if _, err := bot.Send(tgbotapi.NewPhoto(42, tgbotapi.FileBytes{Name: "a.png", Bytes: []byte("png")})); err != nil {
		t.Fatal(err) // multipart upload
	}
	if s := srv.SentTo(42); len(s) != 2 || s[0].FileID != "BQACdoc" || !strings.HasPrefix(s[1].FileID, "upload-") {
		t.Fatalf("files = %+v", s)
	}
	if _, err := bot.Request(tgbotapi.NewChatAction(42, tgbotapi.ChatTyping)); err != nil {
		t.Fatal(err)
	}
}

func TestCommandsAndJSONBody(t *testing.T) {
	srv := telegramtest.Start(t)
	bot := srv.Bot(t)
	if _, err := bot.Request(tgbotapi.NewSetMyCommands(tgbotapi.BotCommand{Command: "start", Description: "Begin"})); err != nil {
		t.Fatal(err)
	}
	_, err := bot.Request(tgbotapi.NewSetMyCommands(tgbotapi.BotCommand{Command: "Start", Description: "Begin"}))
	wantAPIError(t, err, 400, "Bad Request: BOT_COMMAND_INVALID")
	if c := srv.Commands(); len(c) != 1 || c[0].Command != "start" {
		t.Fatalf("commands = %+v", c)
	}
	body := `{"chat_id":42,"text":"json body","reply_markup":{"remove_keyboard":true}}`
	resp, err := http.Post(srv.URL()+"/bot"+srv.Token()+"/sendMessage", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.HasPrefix(string(b), `{"ok":true,"result":{"message_id":1`) {
		t.Fatalf("json body: %s", b)
	}
	if s := srv.SentTo(42); s[0].Text != "json body" || !s[0].Markup.RemoveKeyboard {
		t.Fatalf("sent = %+v", s)
	}
}

func TestWebhook(t *testing.T) {
	srv := telegramtest.Start(t)
	bot := srv.Bot(t)
	got := make(chan tgbotapi.Update, 10)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Telegram-Bot-Api-Secret-Token") != "s3cret" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		var u tgbotapi.Update
		json.NewDecoder(r.Body).Decode(&u)
		got <- u
		// Answer in the webhook response, as Telegram allows.
		json.NewEncoder(w).Encode(map[string]any{"method": "sendMessage", "chat_id": u.Message.Chat.ID, "text": "pong"})
	}))
	defer hook.Close()

	if _, err := bot.MakeRequest("setWebhook", tgbotapi.Params{"url": hook.URL, "secret_token": "s3cret"}); err != nil {
		t.Fatal(err)
	}
	_, err := bot.GetUpdates(tgbotapi.UpdateConfig{})
	wantAPIError(t, err, 409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first")

	id := srv.SendText(ann, "ping")
	if err := srv.DeliverWebhook(context.Background()); err != nil {
		t.Fatal(err)
	}
	if u := <-got; u.UpdateID != int(id) || u.Message.Text != "ping" {
		t.Fatalf("delivered %+v", u)
	}
	if len(srv.Pending()) != 0 || srv.SentTo(42)[0].Text != "pong" {
		t.Fatal("not confirmed or reply not executed")
	}
	if code, err := srv.PostWebhook(context.Background(), "wrong", []byte(`{"update_id":1}`)); err != nil || code != 401 {
		t.Fatalf("wrong secret: %d %v", code, err)
	}
	info, err := bot.GetWebhookInfo()
	if err != nil || info.URL != hook.URL || srv.Webhook().SecretToken != "s3cret" {
		t.Fatalf("info = %+v %v", info, err)
	}
	if _, err := bot.Request(tgbotapi.DeleteWebhookConfig{}); err != nil {
		t.Fatal(err)
	}
	if _, err := bot.GetUpdates(tgbotapi.UpdateConfig{}); err != nil {
		t.Fatal(err)
	}
}

func TestRawUpdate(t *testing.T) {
	srv := telegramtest.Start(t)
	bot := srv.Bot(t)
	id := srv.PushRawUpdate([]byte(`{"update_id":5,"edited_channel_post":{"weird":true}}`))
	ups, err := bot.GetUpdates(tgbotapi.UpdateConfig{})
	if err != nil || len(ups) != 1 || ups[0].UpdateID != int(id) {
		t.Fatalf("%+v %v", ups, err)
	}
	srv.PushRawUpdate([]byte(`{not json`))
	if _, err := bot.GetUpdates(tgbotapi.UpdateConfig{Offset: int(id) + 1}); err == nil {
		t.Fatal("corrupt update should break decoding")
	}
}
