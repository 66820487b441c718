package telegramtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Media is one item of an album a test user sends with SendAlbum.
type Media struct {
	Type     string // photo (default), video, audio or document
	FileID   string
	Caption  string
	FileName string // documents
}

// albumKind groups media kinds as Telegram does: photos and videos mix,
// documents and audio only go with their own kind.
func albumKind(kind string) string {
	if kind == "video" {
		return "photo"
	}
	return kind
}

// nextGroupID returns a fresh media_group_id. s.mu must be held.
func (s *Server) nextGroupID() string {
	s.groupSeq++
	return strconv.FormatInt(13_000_000_000_000_000+s.groupSeq, 10)
}

// SendAlbum queues an album from u in chatID (u.ID for the private chat;
// threadID 0 = no topic): one message update per item, all with the same
// media_group_id, as Telegram delivers albums. It needs 2–10 items; photos and
// videos mix, documents and audio only with their own kind. It returns the
// update ids (0 for updates allowed_updates exclude).
func (s *Server) SendAlbum(chatID, threadID int64, u User, items ...Media) ([]int64, error) {
	if len(items) < 2 || len(items) > 10 {
		return nil, fmt.Errorf("telegramtest: an album has 2-10 items, got %d", len(items))
	}
	for i := range items {
		if items[i].Type == "" {
			items[i].Type = "photo"
		}
		switch k := items[i].Type; {
		case k != "photo" && k != "video" && k != "audio" && k != "document":
			return nil, fmt.Errorf("telegramtest: album item %d has type %q", i, k)
		case albumKind(k) != albumKind(items[0].Type):
			return nil, fmt.Errorf("telegramtest: album mixes %s and %s", items[0].Type, k)
		case items[i].FileID == "":
			return nil, fmt.Errorf("telegramtest: album item %d has no file id", i)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if threadID != 0 && s.topics[msgKey{chatID, threadID}] == nil {
		s.addTopic(chatID, threadID, fmt.Sprintf("Topic %d", threadID), defaultIconColor, "")
	}
	group := s.nextGroupID()
	var ids []int64
	for _, it := range items {
		ids = append(ids, s.userMessage(chatID, threadID, u, func(m *wMessage) {
			m.MediaGroupID, m.Caption = group, it.Caption
			setMedia(m, it.Type, it.FileID, it.FileName)
		}))
	}
	return ids, nil
}

// inputMedia is an InputMedia item of sendMediaGroup.
type inputMedia struct {
	Type            string          `json:"type"`
	Media           string          `json:"media"`
	Caption         string          `json:"caption"`
	ParseMode       string          `json:"parse_mode"`
	CaptionEntities json.RawMessage `json:"caption_entities"`
}

// sendMediaGroup sends an album: 2–10 InputMedia (file_id or attach://name of
// an uploaded part), one message each, sharing a media_group_id.
func (s *Server) sendMediaGroup(a *args) (any, *apiError) {
	raw := a.str("media")
	if raw == "" {
		return nil, bad(`parameter "media" is required`)
	}
	var items []json.RawMessage
	if !json.Valid([]byte(raw)) {
		return nil, bad("can't parse media JSON object")
	}
	if json.Unmarshal([]byte(raw), &items) != nil {
		return nil, bad("expected an Array of InputMedia")
	}
	type item struct {
		kind, fileID string
		caption      formatted
		rawCaption   string
	}
	var its []item
	for _, b := range items {
		var im inputMedia
		if json.Unmarshal(b, &im) != nil || bytes.TrimSpace(b)[0] != '{' {
			return nil, bad("can't parse InputMedia: expected an Object")
		}
		switch im.Type {
		case "photo", "video", "audio", "document":
		case "":
			return nil, bad(`can't parse InputMedia: Can't find field "type"`)
		case "animation":
			return nil, bad(`can't parse InputMedia: type "animation" can't be used in sendMediaGroup`)
		default:
			return nil, bad(fmt.Sprintf(`can't parse InputMedia: type "%s" is unsupported`, im.Type))
		}
		fileID := im.Media
		if name, ok := strings.CutPrefix(fileID, "attach://"); ok {
			fileID = a.str(name)
		}
		if fileID == "" {
			return nil, bad("can't parse InputMedia: media not found")
		}
		ents := ""
		if len(im.CaptionEntities) > 0 && string(im.CaptionEntities) != "null" {
			ents = string(im.CaptionEntities)
		}
		f, err := checkText(im.Caption, im.ParseMode, ents, 1024, true)
		if err != nil {
			if strings.HasPrefix(err.desc, "Bad Request: can't parse entities") {
				err = bad("can't parse InputMedia: C" + strings.TrimPrefix(err.desc, "Bad Request: c"))
			}
			return nil, err
		}
		its = append(its, item{im.Type, fileID, f, im.Caption})
	}
	switch {
	case len(its) > 10:
		return nil, bad("too many messages to send as an album")
	case len(its) < 2:
		return nil, bad("media group must include 2-10 items") // as documented; tdlib's text is unknown
	}
	for _, it := range its[1:] {
		if albumKind(it.kind) != albumKind(its[0].kind) {
			return nil, bad("can't use the media of the specified type in the album")
		}
	}
	chat, thread, err := s.target(a)
	if err != nil {
		return nil, err
	}
	reply, replyTo, err := s.replyTarget(a, chat)
	if err != nil {
		return nil, err
	}
	if err := s.throttle(chat, len(its)); err != nil {
		return nil, err
	}
	group := s.nextGroupID()
	var out []*wMessage
	for _, it := range its {
		r := s.botMessage(chat, thread, "sendMediaGroup", a.str("parse_mode"))
		if reply != nil {
			r.wire.ReplyTo = reply
		}
		r.wire.MediaGroupID, r.sent.MediaGroupID, r.sent.ReplyTo = group, group, replyTo
		setMedia(r.wire, it.kind, it.fileID, "")
		s.setContent(r, it.caption, true)
		r.sent.Text, r.sent.FileID = it.rawCaption, it.fileID
		r.record("sendMediaGroup", s.now())
		out = append(out, r.wire)
	}
	return out, nil
}

// copyMessages copies up to 100 messages (Bot API 7.0); missing ones are
// skipped and albums stay albums. It answers the new message ids.
func (s *Server) copyMessages(a *args) (any, *apiError) {
	from, err := s.chatID(a, "from_chat_id")
	if err != nil {
		return nil, err
	}
	raw := a.str("message_ids")
	if raw == "" {
		return nil, bad("message identifiers are not specified")
	}
	var ids []json.Number
	if !json.Valid([]byte(raw)) {
		return nil, bad("can't parse message_ids JSON object")
	}
	if json.Unmarshal([]byte(raw), &ids) != nil {
		return nil, bad("expected an Array of message identifiers")
	}
	switch {
	case len(ids) == 0:
		return nil, bad("message identifiers are not specified")
	case len(ids) > 100:
		return nil, bad("too many message identifiers specified")
	}
	var srcs []*msgRec
	last := int64(0)
	for _, n := range ids {
		id, err := strconv.ParseInt(string(n), 10, 32)
		switch {
		case err != nil:
			return nil, bad("can't parse message identifier as a Number")
		case id <= 0:
			return nil, bad("invalid message identifier specified")
		case id <= last:
			return nil, bad("message identifiers must be in strictly increasing order") // as documented
		}
		last = id
		if r := s.msgs[msgKey{from, id}]; r != nil && r.wire.TopicCreated == nil {
			srcs = append(srcs, r)
		}
	}
	chat, thread, aerr := s.target(a)
	if aerr != nil {
		return nil, aerr
	}
	if len(srcs) == 0 {
		return nil, bad("messages can't be forwarded")
	}
	if err := s.throttle(chat, len(srcs)); err != nil {
		return nil, err
	}
	groups := map[string]string{} // source media_group_id → the copies'
	var out []map[string]int64
	for _, src := range srcs {
		r := s.botMessage(chat, thread, "copyMessages", "")
		caption := formatted{src.wire.Caption, src.ents}
		if a.bool("remove_caption") || src.wire.Text != "" {
			caption = formatted{}
		}
		s.copyContent(r, src, caption)
		r.sent.Text = src.wire.Text + caption.text
		if g := src.wire.MediaGroupID; g != "" {
			if groups[g] == "" {
				groups[g] = s.nextGroupID()
			}
			r.wire.MediaGroupID, r.sent.MediaGroupID = groups[g], groups[g]
		}
		r.record("copyMessages", s.now())
		out = append(out, map[string]int64{"message_id": r.wire.MessageID})
	}
	return out, nil
}
