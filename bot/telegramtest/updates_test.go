package telegramtest_test

import (
	"encoding/json"
	"slices"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"supportbot/bot/telegramtest"
)

// poll confirms everything before and returns the pending updates; allowed
// nil leaves the allowed_updates setting as it is.
func poll(t *testing.T, bot *tgbotapi.BotAPI, offset int, allowed ...string) []tgbotapi.Update {
	t.Helper()
	ups, err := bot.GetUpdates(tgbotapi.UpdateConfig{Offset: offset, AllowedUpdates: allowed})
	if err != nil {
		t.Fatalf("getUpdates: %v", err)
	}
	return ups
}

func TestBlockAndAllowedUpdates(t *testing.T) {
	for _, tc := range []struct {
		name      string
		allowed   []string
		delivered bool
	}{
		{"default includes my_chat_member", nil, true},
		{"empty list means the default", []string{}, true},
		{"asked for", []string{"message", "my_chat_member"}, true},
		{"not asked for", []string{"message", "callback_query"}, false},
		{"unknown kinds only mean the default", []string{"nonsense"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := telegramtest.Start(t)
			bot := srv.Bot(t)
			if tc.allowed != nil {
				p := tgbotapi.Params{}
				p.AddInterface("allowed_updates", tc.allowed)
				if _, err := bot.MakeRequest("getUpdates", p); err != nil {
					t.Fatal(err)
				}
			}
			srv.SendText(ann, "/start")
			id := srv.Block(ann.ID)
			if got := id != 0; got != tc.delivered {
				t.Fatalf("Block queued an update: %v, want %v (allowed %v)", got, tc.delivered, srv.AllowedUpdates())
			}
			ups := poll(t, bot, 0)
			if !tc.delivered {
				if len(ups) != 1 || ups[0].Message == nil {
					t.Fatalf("updates = %+v, want only the message", ups)
				}
				return
			}
			if len(ups) != 2 || ups[1].MyChatMember == nil {
				t.Fatalf("updates = %+v, want message and my_chat_member", ups)
			}
			cm := ups[1].MyChatMember
			if cm.Chat.ID != ann.ID || cm.Chat.Type != "private" || cm.From.ID != ann.ID || cm.Date == 0 ||
				cm.OldChatMember.Status != "member" || cm.NewChatMember.Status != "kicked" || cm.NewChatMember.User.ID != bot.Self.ID {
				t.Errorf("my_chat_member = %+v old %+v new %+v", cm, cm.OldChatMember, cm.NewChatMember)
			}
		})
	}
}

func TestBlockedUser(t *testing.T) {
	srv := telegramtest.Start(t)
	bot := srv.Bot(t)
	sent, err := bot.Send(tgbotapi.NewMessage(ann.ID, "hi"))
	if err != nil {
		t.Fatal(err)
	}
	if srv.Block(ann.ID) == 0 || srv.Block(ann.ID) != 0 {
		t.Fatal("Block should queue one update, and none when already blocked")
	}
	for _, c := range []tgbotapi.Chattable{
		tgbotapi.NewMessage(ann.ID, "are you there?"),
		tgbotapi.NewPhoto(ann.ID, tgbotapi.FileID("AgAC")),
		tgbotapi.NewEditMessageText(ann.ID, sent.MessageID, "edited"),
		tgbotapi.NewChatAction(ann.ID, tgbotapi.ChatTyping),
	} {
		_, err := bot.Request(c)
		wantAPIError(t, err, 403, "Forbidden: bot was blocked by the user")
	}
	up := srv.Unblock(ann.ID)
	ups := poll(t, bot, 0)
	if last := ups[len(ups)-1]; int64(last.UpdateID) != up || last.MyChatMember.OldChatMember.Status != "kicked" || last.MyChatMember.NewChatMember.Status != "member" {
		t.Errorf("unblock update = %+v", last.MyChatMember)
	}
	if _, err := bot.Send(tgbotapi.NewMessage(ann.ID, "welcome back")); err != nil {
		t.Errorf("send after unblock: %v", err)
	}
}

func TestAllowedUpdatesKinds(t *testing.T) {
	srv := telegramtest.Start(t, telegramtest.WithAllowedUpdates("message"))
	bot := srv.Bot(t)
	kb := tgbotapi.NewMessage(ann.ID, "pick")
	kb.ReplyMarkup = keyboard("a")
	m, err := bot.Send(kb)
	if err != nil {
		t.Fatal(err)
	}
	upd := srv.SendText(ann, "typo")
	msg, ok := srv.MessageOf(upd)
	if !ok {
		t.Fatal("MessageOf: no message")
	}
	for name, id := range map[string]int64{
		"callback_query": srv.PressButton(ann, srv.SentTo(ann.ID)[0], "a"),
		"edited_message": mustID(srv.EditText(ann, ann.ID, msg.MessageID, "fixed")),
		"reaction":       mustID(srv.React(ann, ann.ID, int64(m.MessageID), "👍")),
	} {
		if id != 0 {
			t.Errorf("%s was queued although allowed_updates is [message]", name)
		}
	}
	if ids := srv.UnansweredCallbacks(); len(ids) != 0 {
		t.Errorf("a callback the bot never got counts as unanswered: %v", ids)
	}
	if got := srv.AllowedUpdates(); !slices.Equal(got, []string{"message"}) {
		t.Errorf("AllowedUpdates = %v", got)
	}
	// The setting only affects updates that happen after it.
	poll(t, bot, 0, "message", "edited_message", "message_reaction")
	if srv.React(ann, ann.ID, int64(m.MessageID), "🔥"); len(srv.Pending()) != 2 {
		t.Errorf("pending = %d, want the old message and the reaction", len(srv.Pending()))
	}
	var raw struct {
		R struct {
			Old []map[string]string `json:"old_reaction"`
			New []map[string]string `json:"new_reaction"`
		} `json:"message_reaction"`
	}
	json.Unmarshal(srv.Pending()[1].JSON, &raw)
	if len(raw.R.Old) != 1 || raw.R.Old[0]["emoji"] != "👍" || raw.R.New[0]["emoji"] != "🔥" {
		t.Errorf("message_reaction = %+v", raw.R)
	}
}

func mustID(id int64, err error) int64 {
	if err != nil {
		panic(err)
	}
	return id
}

func TestDefaultExcludesReactions(t *testing.T) {
	srv := telegramtest.Start(t)
	bot := srv.Bot(t)
	m, _ := bot.Send(tgbotapi.NewMessage(ann.ID, "rate us"))
	if id, err := srv.React(ann, ann.ID, int64(m.MessageID), "👍"); err != nil || id != 0 {
		t.Errorf("React = %d %v: message_reaction must be asked for explicitly", id, err)
	}
}

func TestUserEditsMessage(t *testing.T) {
	srv := telegramtest.Start(t)
	bot := srv.Bot(t)
	upd := srv.SendGroupText(-100777, 5, ann, "100 元")
	m, ok := srv.MessageOf(upd)
	if !ok || m.Text != "100 元" || m.ThreadID != 5 || m.From != ann.ID {
		t.Fatalf("MessageOf = %+v %v", m, ok)
	}
	id, err := srv.EditText(ann, -100777, m.MessageID, "12.35 元")
	if err != nil {
		t.Fatal(err)
	}
	ups := poll(t, bot, int(upd)+1)
	if len(ups) != 1 || int64(ups[0].UpdateID) != id || ups[0].EditedMessage == nil {
		t.Fatalf("updates = %+v", ups)
	}
	em := ups[0].EditedMessage
	if em.MessageID != int(m.MessageID) || em.Text != "12.35 元" || em.EditDate == 0 || em.From.ID != ann.ID {
		t.Errorf("edited_message = %+v", em)
	}
	if v := srv.Versions(-100777, m.MessageID); len(v) != 2 || v[0].Text != "100 元" || v[1].By != "user" {
		t.Errorf("versions = %+v", v)
	}
	if _, err := srv.EditText(telegramtest.User{ID: 7}, -100777, m.MessageID, "hijack"); err == nil {
		t.Error("another user edited Ann's message")
	}
	if _, err := srv.EditText(ann, -100777, 999, "x"); err == nil {
		t.Error("edited a missing message")
	}
}

func TestUserSendsAlbum(t *testing.T) {
	srv := telegramtest.Start(t)
	bot := srv.Bot(t)
	ids, err := srv.SendAlbum(ann.ID, 0, ann,
		telegramtest.Media{FileID: "p1", Caption: "receipts"}, telegramtest.Media{FileID: "p2"}, telegramtest.Media{Type: "video", FileID: "v3"})
	if err != nil || len(ids) != 3 {
		t.Fatalf("SendAlbum = %v %v", ids, err)
	}
	ups := poll(t, bot, 0)
	if len(ups) != 3 {
		t.Fatalf("got %d updates, want one per item", len(ups))
	}
	group := ups[0].Message.MediaGroupID
	for i, u := range ups {
		if u.Message.MediaGroupID != group || group == "" || int64(u.UpdateID) != ids[i] {
			t.Errorf("update %d: media_group_id %q, want %q", i, u.Message.MediaGroupID, group)
		}
	}
	if ups[0].Message.Caption != "receipts" || ups[1].Message.Photo[1].FileID != "p2" || ups[2].Message.Video == nil {
		t.Errorf("album items = %+v / %+v / %+v", ups[0].Message, ups[1].Message, ups[2].Message)
	}
	for _, bad := range [][]telegramtest.Media{
		{{FileID: "only"}},
		{{FileID: "p"}, {Type: "document", FileID: "d"}},
		{{Type: "sticker", FileID: "s"}, {FileID: "p"}},
	} {
		if _, err := srv.SendAlbum(ann.ID, 0, ann, bad...); err == nil {
			t.Errorf("SendAlbum(%+v) accepted", bad)
		}
	}
}
