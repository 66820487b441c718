package telegramtest_test

import (
	"encoding/json"
	"strconv"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"supportbot/bot/telegramtest"
)

func TestSendMediaGroup(t *testing.T) {
	srv := telegramtest.Start(t)
	bot := srv.Bot(t)
	first := tgbotapi.NewInputMediaPhoto(tgbotapi.FileID("AgACp1"))
	first.Caption, first.ParseMode = "<b>2</b> receipts", tgbotapi.ModeHTML
	msgs, err := bot.SendMediaGroup(tgbotapi.NewMediaGroup(ann.ID, []interface{}{
		first,
		tgbotapi.NewInputMediaPhoto(tgbotapi.FileBytes{Name: "b.png", Bytes: []byte("png")}), // attach://file-1
	}))
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 2 || msgs[0].MediaGroupID == "" || msgs[0].MediaGroupID != msgs[1].MediaGroupID ||
		msgs[0].Caption != "2 receipts" || len(msgs[0].CaptionEntities) != 1 || msgs[1].MessageID != msgs[0].MessageID+1 {
		t.Fatalf("album = %+v", msgs)
	}
	sent := srv.SentTo(ann.ID)
	if len(sent) != 2 || sent[0].Method != "sendMediaGroup" || sent[0].FileID != "AgACp1" || sent[0].MediaGroupID != msgs[0].MediaGroupID ||
		sent[1].FileID == "" || sent[1].FileID == "attach://file-1" {
		t.Errorf("stored = %+v", sent)
	}

	// Into a forum topic, by hand as tgbotapi has no message_thread_id.
	const group = -100555
	thread := srv.CreateTopic(group, "#T1")
	media := func(items ...map[string]string) tgbotapi.Params {
		p := tgbotapi.Params{"chat_id": strconv.Itoa(group), "message_thread_id": strconv.FormatInt(thread, 10)}
		p.AddInterface("media", items)
		return p
	}
	photo := func(id string) map[string]string { return map[string]string{"type": "photo", "media": id} }
	resp, err := bot.MakeRequest("sendMediaGroup", media(photo("a"), photo("b"), map[string]string{"type": "video", "media": "c"}))
	if err != nil {
		t.Fatal(err)
	}
	var inTopic []tgbotapi.Message
	json.Unmarshal(resp.Result, &inTopic)
	if len(inTopic) != 3 || inTopic[2].Video == nil {
		t.Fatalf("topic album = %+v", inTopic)
	}
	for _, m := range srv.Messages(group)[1:] {
		if m.ThreadID != thread || m.MediaGroupID != inTopic[0].MediaGroupID {
			t.Errorf("topic album message = %+v", m)
		}
	}

	many := make([]map[string]string, 11)
	for i := range many {
		many[i] = photo("p" + strconv.Itoa(i))
	}
	for _, tc := range []struct {
		name string
		p    tgbotapi.Params
		desc string
	}{
		{"one item", media(photo("a")), "Bad Request: media group must include 2-10 items"},
		{"eleven", media(many...), "Bad Request: too many messages to send as an album"},
		{"documents and photos", media(photo("a"), map[string]string{"type": "document", "media": "d"}),
			"Bad Request: can't use the media of the specified type in the album"},
		{"animation", media(photo("a"), map[string]string{"type": "animation", "media": "g"}),
			`Bad Request: can't parse InputMedia: type "animation" can't be used in sendMediaGroup`},
		{"missing upload", media(photo("a"), photo("attach://nothing")), "Bad Request: can't parse InputMedia: media not found"},
		{"bad caption", media(photo("a"), map[string]string{"type": "photo", "media": "b", "caption": "<x>", "parse_mode": "HTML"}),
			`Bad Request: can't parse InputMedia: Can't parse entities: Unsupported start tag "x" at byte offset 0`},
		{"no media", tgbotapi.Params{"chat_id": "42"}, `Bad Request: parameter "media" is required`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := bot.MakeRequest("sendMediaGroup", tc.p)
			wantAPIError(t, err, 400, tc.desc)
		})
	}
	srv.DeleteTopic(group, thread)
	_, err = bot.MakeRequest("sendMediaGroup", media(photo("a"), photo("b")))
	wantAPIError(t, err, 400, "Bad Request: message thread not found")
}

func TestCopyMessages(t *testing.T) {
	srv := telegramtest.Start(t)
	bot := srv.Bot(t)
	ids, err := srv.SendAlbum(ann.ID, 0, ann, telegramtest.Media{FileID: "p1", Caption: "both"}, telegramtest.Media{FileID: "p2"})
	if err != nil {
		t.Fatal(err)
	}
	text := srv.SendText(ann, "and a note")
	var src []int64
	for _, u := range append(ids, text) {
		m, _ := srv.MessageOf(u)
		src = append(src, m.MessageID)
	}
	p := tgbotapi.Params{"chat_id": "-100777", "from_chat_id": strconv.FormatInt(ann.ID, 10)}
	p.AddInterface("message_ids", append(src, 99)) // 99 does not exist: skipped
	resp, err := bot.MakeRequest("copyMessages", p)
	if err != nil {
		t.Fatal(err)
	}
	var got []tgbotapi.MessageID
	if err := json.Unmarshal(resp.Result, &got); err != nil || len(got) != 3 {
		t.Fatalf("copyMessages = %s %v", resp.Result, err)
	}
	copies := srv.Messages(-100777)
	if len(copies) != 3 || copies[0].MediaGroupID == "" || copies[0].MediaGroupID != copies[1].MediaGroupID ||
		copies[2].MediaGroupID != "" || copies[0].Text != "both" || copies[1].FileID != "p2" || copies[2].Text != "and a note" {
		t.Errorf("copies = %+v", copies)
	}
	if s := srv.SentTo(-100777); s[0].Method != "copyMessages" || s[0].CopyOfMessage != src[0] || s[0].CopyFromChat != ann.ID {
		t.Errorf("sent = %+v", s[0])
	}
	for _, tc := range []struct {
		ids  string
		desc string
	}{
		{"[]", "Bad Request: message identifiers are not specified"},
		{"[99]", "Bad Request: messages can't be forwarded"},
		{"[2,1]", "Bad Request: message identifiers must be in strictly increasing order"},
		{"{}", "Bad Request: expected an Array of message identifiers"},
	} {
		p["message_ids"] = tc.ids
		_, err := bot.MakeRequest("copyMessages", p)
		wantAPIError(t, err, 400, tc.desc)
	}
}
