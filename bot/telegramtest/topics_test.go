package telegramtest_test

import (
	"encoding/json"
	"slices"
	"strconv"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"supportbot/bot/telegramtest"
)

func TestTopicIconsAndNames(t *testing.T) {
	srv := telegramtest.Start(t)
	bot := srv.Bot(t)
	const group = -1001234567890
	resp, err := bot.MakeRequest("getForumTopicIconStickers", nil)
	if err != nil {
		t.Fatal(err)
	}
	var stickers []struct {
		Type          string `json:"type"`
		Emoji         string `json:"emoji"`
		CustomEmojiID string `json:"custom_emoji_id"`
		FileID        string `json:"file_id"`
	}
	if err := json.Unmarshal(resp.Result, &stickers); err != nil || len(stickers) < 5 {
		t.Fatalf("stickers = %s %v", resp.Result, err)
	}
	if s := stickers[0]; s.Type != "custom_emoji" || s.CustomEmojiID == "" || s.Emoji == "" || s.FileID == "" {
		t.Errorf("sticker = %+v", s)
	}
	waiting, claimed := stickers[0].CustomEmojiID, stickers[1].CustomEmojiID

	resp, err = bot.MakeRequest("createForumTopic", tgbotapi.Params{"chat_id": strconv.Itoa(group), "name": "⏳ #T1 Ann", "icon_custom_emoji_id": waiting})
	if err != nil {
		t.Fatal(err)
	}
	var topic struct {
		ThreadID int64  `json:"message_thread_id"`
		Icon     string `json:"icon_custom_emoji_id"`
	}
	json.Unmarshal(resp.Result, &topic)
	tid := strconv.FormatInt(topic.ThreadID, 10)
	edit := func(p tgbotapi.Params) error {
		p["chat_id"], p["message_thread_id"] = strconv.Itoa(group), tid
		_, err := bot.MakeRequest("editForumTopic", p)
		return err
	}
	for _, tc := range []struct {
		name       string
		p          tgbotapi.Params
		desc       string
		wName      string
		wIcon      string
		wHistoryOf int
	}{
		{"name and icon", tgbotapi.Params{"name": "👤 #T1 Ann · Wang", "icon_custom_emoji_id": claimed}, "", "👤 #T1 Ann · Wang", claimed, 2},
		{"icon only", tgbotapi.Params{"icon_custom_emoji_id": waiting}, "", "👤 #T1 Ann · Wang", waiting, 3},
		{"name only keeps the icon", tgbotapi.Params{"name": "#T1 Ann"}, "", "#T1 Ann", waiting, 4},
		{"empty icon removes it", tgbotapi.Params{"icon_custom_emoji_id": ""}, "", "#T1 Ann", "", 5},
		{"nothing changes", tgbotapi.Params{"name": "#T1 Ann"}, "Bad Request: TOPIC_NOT_MODIFIED", "#T1 Ann", "", 5},
		{"unknown icon", tgbotapi.Params{"icon_custom_emoji_id": "12345"}, "Bad Request: DOCUMENT_INVALID", "#T1 Ann", "", 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := edit(tc.p)
			if tc.desc != "" {
				wantAPIError(t, err, 400, tc.desc)
			} else if err != nil {
				t.Fatal(err)
			}
			got, _ := srv.Topic(group, topic.ThreadID)
			if got.Name != tc.wName || got.IconCustomEmojiID != tc.wIcon || len(got.History) != tc.wHistoryOf {
				t.Errorf("topic = %q icon %q history %d, want %q %q %d", got.Name, got.IconCustomEmojiID, len(got.History), tc.wName, tc.wIcon, tc.wHistoryOf)
			}
		})
	}
	got, _ := srv.Topic(group, topic.ThreadID)
	if h := got.History; h[0].Action != "create" || h[0].IconCustomEmojiID != waiting || h[1].Action != "edit" || h[1].Name != "👤 #T1 Ann · Wang" {
		t.Errorf("history = %+v", h)
	}
	_, err = bot.MakeRequest("createForumTopic", tgbotapi.Params{"chat_id": strconv.Itoa(group), "name": "x", "icon_custom_emoji_id": "1"})
	wantAPIError(t, err, 400, "Bad Request: DOCUMENT_INVALID")
	ids := []string{}
	for _, i := range telegramtest.TopicIcons() {
		ids = append(ids, i.CustomEmojiID)
	}
	if !slices.Contains(ids, waiting) {
		t.Errorf("TopicIcons %v lacks %s", ids, waiting)
	}
}

func TestTopicClosedAndDeleted(t *testing.T) {
	srv := telegramtest.Start(t)
	bot := srv.Bot(t)
	const group = -100999
	thread := srv.CreateTopic(group, "#T2 Bob")
	tid := strconv.FormatInt(thread, 10)
	send := func() error {
		_, err := bot.MakeRequest("sendMessage", tgbotapi.Params{"chat_id": strconv.Itoa(group), "message_thread_id": tid, "text": "hi"})
		return err
	}
	manage := func(method string) error {
		_, err := bot.MakeRequest(method, tgbotapi.Params{"chat_id": strconv.Itoa(group), "message_thread_id": tid})
		return err
	}
	if err := send(); err != nil {
		t.Fatal(err)
	}
	if err := manage("closeForumTopic"); err != nil {
		t.Fatal(err)
	}
	wantAPIError(t, send(), 400, "Bad Request: TOPIC_CLOSED")
	wantAPIError(t, manage("closeForumTopic"), 400, "Bad Request: TOPIC_NOT_MODIFIED")
	if tp, _ := srv.Topic(group, thread); !tp.Closed || tp.History[len(tp.History)-1].Action != "close" {
		t.Errorf("closed topic = %+v", tp)
	}
	if err := manage("reopenForumTopic"); err != nil {
		t.Fatal(err)
	}
	if err := send(); err != nil {
		t.Fatalf("send after reopen: %v", err)
	}
	if !srv.DeleteTopic(group, thread) || srv.DeleteTopic(group, thread) {
		t.Fatal("DeleteTopic should delete once")
	}
	wantAPIError(t, send(), 400, "Bad Request: message thread not found")
	wantAPIError(t, manage("reopenForumTopic"), 400, "Bad Request: TOPIC_ID_INVALID")
	if msgs := srv.Messages(group); len(msgs) != 0 {
		t.Errorf("messages of a deleted topic remain: %+v", msgs)
	}
	if s := srv.SentTo(group); len(s) != 2 || !s[0].Deleted {
		t.Errorf("sent = %+v", s)
	}
	tp, _ := srv.Topic(group, thread)
	if !tp.Deleted || len(srv.Topics()) != 1 {
		t.Errorf("deleted topic = %+v", tp)
	}
}

func TestReactions(t *testing.T) {
	srv := telegramtest.Start(t)
	bot := srv.Bot(t)
	upd := srv.SendGroupText(-100777, 0, ann, "/claim")
	m, _ := srv.MessageOf(upd)
	react := func(msgID int64, reaction string) error {
		p := tgbotapi.Params{"chat_id": "-100777", "message_id": strconv.FormatInt(msgID, 10)}
		if reaction != "" {
			p["reaction"] = reaction
		}
		_, err := bot.MakeRequest("setMessageReaction", p)
		return err
	}
	for _, tc := range []struct {
		name, reaction, desc string
		want                 []string
	}{
		{"thumbs up", `[{"type":"emoji","emoji":"👍"}]`, "", []string{"👍"}},
		{"replaced", `[{"type":"emoji","emoji":"✍"}]`, "", []string{"✍"}},
		{"with ZWJ", `[{"type":"emoji","emoji":"❤‍🔥"}]`, "", []string{"❤‍🔥"}},
		{"not a reaction", `[{"type":"emoji","emoji":"🙂"}]`, "Bad Request: REACTION_INVALID", []string{"❤‍🔥"}},
		{"variation selector", `[{"type":"emoji","emoji":"❤️"}]`, "Bad Request: REACTION_INVALID", []string{"❤‍🔥"}},
		{"two", `[{"type":"emoji","emoji":"👍"},{"type":"emoji","emoji":"👀"}]`, "Bad Request: REACTIONS_TOO_MANY", []string{"❤‍🔥"}},
		{"custom emoji", `[{"type":"custom_emoji","custom_emoji_id":"5368324170671202286"}]`, "Bad Request: REACTION_INVALID", []string{"❤‍🔥"}},
		{"unknown type", `[{"type":"sticker"}]`, "Bad Request: can't parse ReactionType: invalid reaction type specified", []string{"❤‍🔥"}},
		{"not an array", `{"type":"emoji"}`, "Bad Request: expected an Array of ReactionType", []string{"❤‍🔥"}},
		{"removed", `[]`, "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := react(m.MessageID, tc.reaction)
			if tc.desc != "" {
				wantAPIError(t, err, 400, tc.desc)
			} else if err != nil {
				t.Fatal(err)
			}
			if got := srv.Reactions(-100777, m.MessageID); !slices.Equal(got, tc.want) {
				t.Errorf("reactions = %q, want %q", got, tc.want)
			}
		})
	}
	wantAPIError(t, react(999, `[{"type":"emoji","emoji":"👍"}]`), 400, "Bad Request: message to react not found")
	for _, e := range []string{"👍", "👌", "✍", "👀", "❤", "🔥", "🎉", "🙏", "👏", "😢"} {
		if !slices.Contains(telegramtest.StandardReactions(), e) {
			t.Errorf("%s is a standard reaction", e)
		}
	}
	react(m.MessageID, `[{"type":"emoji","emoji":"👌"}]`)
	if got, _ := srv.Message(-100777, m.MessageID); !slices.Equal(got.Reactions, []string{"👌"}) {
		t.Errorf("message reactions = %q", got.Reactions)
	}
}
