package telegramtest_test

import (
	"encoding/json"
	"slices"
	"strconv"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"supportbot/bot/telegramtest"
)

const errNotModified = "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"

func keyboard(data ...string) tgbotapi.InlineKeyboardMarkup {
	var row []tgbotapi.InlineKeyboardButton
	for _, d := range data {
		row = append(row, tgbotapi.NewInlineKeyboardButtonData(d, d))
	}
	return tgbotapi.NewInlineKeyboardMarkup(row)
}

func htmlEdit(chat int64, id int, text string) tgbotapi.EditMessageTextConfig {
	e := tgbotapi.NewEditMessageText(chat, id, text)
	e.ParseMode = tgbotapi.ModeHTML
	return e
}

func TestEditInPlace(t *testing.T) {
	srv := telegramtest.Start(t)
	bot := srv.Bot(t)
	msg := tgbotapi.NewMessage(42, "Pay <b>¥1,249.63</b>?")
	msg.ParseMode, msg.ReplyMarkup = tgbotapi.ModeHTML, keyboard("yes", "no")
	sent, err := bot.Send(msg)
	if err != nil {
		t.Fatal(err)
	}
	id := sent.MessageID
	if live := srv.LiveKeyboards(42); len(live) != 1 || live[0].MessageID != int64(id) {
		t.Fatalf("live keyboards = %+v, want message %d", live, id)
	}

	// The same content, even written differently, is not modified.
	same := htmlEdit(42, id, "Pay <strong>¥1,249.63</strong>?")
	same.ReplyMarkup = ptr(keyboard("yes", "no"))
	_, err = bot.Send(same)
	wantAPIError(t, err, 400, errNotModified)

	// Only the formatting changes: that is a modification.
	restyled := htmlEdit(42, id, "Pay <i>¥1,249.63</i>?")
	restyled.ReplyMarkup = ptr(keyboard("yes", "no"))
	if _, err := bot.Send(restyled); err != nil {
		t.Fatalf("restyle: %v", err)
	}

	// The step's outcome, without reply_markup: the keyboard goes.
	got, err := bot.Send(htmlEdit(42, id, "✅ Paid <b>¥1,249.63</b>"))
	if err != nil {
		t.Fatal(err)
	}
	if got.Text != "✅ Paid ¥1,249.63" || got.ReplyMarkup != nil || got.EditDate == 0 || len(got.Entities) != 1 {
		t.Errorf("returned message = %q markup %v edit_date %d entities %+v", got.Text, got.ReplyMarkup, got.EditDate, got.Entities)
	}
	if live := srv.LiveKeyboards(42); len(live) != 0 {
		t.Errorf("live keyboards after the step = %+v, want none", live)
	}
	m, ok := srv.Message(42, int64(id))
	if !ok || m.Text != "✅ Paid ¥1,249.63" || !slices.Equal(m.Styled("bold"), []string{"¥1,249.63"}) || m.InlineKeyboard != nil || m.Edits != 2 {
		t.Errorf("message = %+v", m)
	}
	edits := srv.EditsOf(42, int64(id))
	if len(edits) != 2 || edits[0].Text != "Pay ¥1,249.63?" || edits[0].InlineKeyboard == nil ||
		edits[1].InlineKeyboard != nil || edits[1].By != "editMessageText" || edits[1].Date.IsZero() {
		t.Errorf("edits = %+v", edits)
	}
	if v := srv.Versions(42, int64(id)); len(v) != 3 || v[0].By != "sendMessage" || len(v[0].InlineKeyboard[0]) != 2 {
		t.Errorf("versions = %+v", v)
	}
	if s := srv.SentTo(42)[0]; s.Edits != 2 || s.Plain != "✅ Paid ¥1,249.63" || s.Text != "✅ Paid <b>¥1,249.63</b>" {
		t.Errorf("sent message = %+v", s)
	}

	// Removing a keyboard that is not there changes nothing.
	_, err = bot.Request(tgbotapi.EditMessageReplyMarkupConfig{BaseEdit: tgbotapi.BaseEdit{ChatID: 42, MessageID: id}})
	wantAPIError(t, err, 400, errNotModified)
}

func ptr[T any](v T) *T { return &v }

func TestEditRefusals(t *testing.T) {
	srv := telegramtest.Start(t)
	bot := srv.Bot(t)
	sent, err := bot.Send(tgbotapi.NewMessage(42, "Share your phone"))
	if err != nil {
		t.Fatal(err)
	}
	srv.SendText(ann, "hello")
	photo, err := bot.Send(tgbotapi.NewPhoto(42, tgbotapi.FileID("AgAC")))
	if err != nil {
		t.Fatal(err)
	}

	// tgbotapi's edit configs only take inline keyboards; send a reply keyboard by hand.
	replyKB := tgbotapi.NewOneTimeReplyKeyboard(tgbotapi.NewKeyboardButtonRow(tgbotapi.NewKeyboardButtonContact("Send phone")))
	params := tgbotapi.Params{"chat_id": "42", "message_id": strconv.Itoa(sent.MessageID), "text": "Share it"}
	params.AddInterface("reply_markup", replyKB)
	_, err = bot.MakeRequest("editMessageText", params)
	wantAPIError(t, err, 400, "Bad Request: inline keyboard expected")

	for _, tc := range []struct {
		name string
		c    tgbotapi.Chattable
		desc string
	}{
		{"other chat", tgbotapi.NewEditMessageText(43, sent.MessageID, "x"), "Bad Request: message to edit not found"},
		{"no such message", tgbotapi.NewEditMessageText(42, 999, "x"), "Bad Request: message to edit not found"},
		{"user's message", tgbotapi.NewEditMessageText(42, sent.MessageID+1, "x"), "Bad Request: message can't be edited"},
		{"text of a photo", tgbotapi.NewEditMessageText(42, photo.MessageID, "x"), "Bad Request: there is no text in the message to edit"},
		{"caption of a text", tgbotapi.NewEditMessageCaption(42, sent.MessageID, "x"), "Bad Request: there is no caption in the message to edit"},
		{"bad HTML", htmlEdit(42, sent.MessageID, "a & b"), `Bad Request: can't parse entities: Character '&' at byte offset 2 must be escaped as "&amp;"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := bot.Request(tc.c)
			wantAPIError(t, err, 400, tc.desc)
		})
	}
	if got := srv.SentTo(42)[0]; got.Plain != "Share your phone" || got.Edits != 0 {
		t.Errorf("refused edits changed the message: %+v", got)
	}

	c := tgbotapi.NewEditMessageCaption(42, photo.MessageID, "<b>receipt</b>")
	c.ParseMode = tgbotapi.ModeHTML
	if _, err := bot.Send(c); err != nil {
		t.Fatal(err)
	}
	if m, _ := srv.Message(42, int64(photo.MessageID)); m.Text != "receipt" || !m.Caption || m.MediaType != "photo" || len(m.Styled("bold")) != 1 {
		t.Errorf("captioned photo = %+v", m)
	}

	srv.Block(42)
	_, err = bot.Send(tgbotapi.NewEditMessageText(42, sent.MessageID, "x"))
	wantAPIError(t, err, 403, "Forbidden: bot was blocked by the user")
}

func TestEditInForumTopic(t *testing.T) {
	srv := telegramtest.Start(t)
	bot := srv.Bot(t)
	const group = -1001234567890
	thread := srv.CreateTopic(group, "#T1 Ann")
	p := tgbotapi.Params{"chat_id": strconv.Itoa(group), "message_thread_id": strconv.FormatInt(thread, 10), "text": "Ann: 100 元"}
	p.AddInterface("reply_markup", keyboard("claim"))
	resp, err := bot.MakeRequest("sendMessage", p)
	if err != nil {
		t.Fatal(err)
	}
	var m tgbotapi.Message
	if err := json.Unmarshal(resp.Result, &m); err != nil {
		t.Fatal(err)
	}
	e := tgbotapi.NewEditMessageTextAndMarkup(group, m.MessageID, "Ann: 12.35 元 ✏️ edited", keyboard("claim"))
	if _, err := bot.Send(e); err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages(group)
	if len(msgs) != 2 || msgs[0].Service != "forum_topic_created" || msgs[1].Text != "Ann: 12.35 元 ✏️ edited" ||
		msgs[1].ThreadID != thread || len(msgs[1].Buttons()) != 1 || !msgs[1].FromBot {
		t.Errorf("topic messages = %+v", msgs)
	}
	if _, err := bot.MakeRequest("closeForumTopic", tgbotapi.Params{"chat_id": strconv.Itoa(group), "message_thread_id": strconv.FormatInt(thread, 10)}); err != nil {
		t.Fatal(err)
	}
	// A closed topic refuses new messages, not edits of old ones.
	if _, err := bot.Send(tgbotapi.NewEditMessageText(group, m.MessageID, "closed")); err != nil {
		t.Errorf("edit in a closed topic: %v", err)
	}
}
