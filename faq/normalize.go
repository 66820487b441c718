package faq

import (
	"strings"
	"sync"
	"unicode"

	"github.com/longbridgeapp/opencc"
)

// normalizer puts a customer's text into the one form the knowledge base is
// written in: simplified Chinese (traditional characters go through OpenCC's
// t2s tables, phrases first), half-width letters and digits, lower case, and
// the common slips of pinyin input fixed. The index and the queries go
// through the same normalizer.
type normalizer struct {
	t2s   *opencc.OpenCC
	fixes *strings.Replacer
	trad  sync.Map // rune → bool: whether OpenCC changes the character alone
}

// zhFixes are homophone and near-miss slips of pinyin input (同音错字) and
// variant characters, written as wrong → right. Only phrases whose wrong form
// means nothing else in a support chat are listed.
var zhFixes = []string{
	"帐", "账", // 帳 becomes 帐 in t2s; the mainland form of the account words is 账
	"登陆", "登录",
	"还宽", "还款", "换款", "还款", "环款", "还款", "扣宽", "扣款",
	"提钱还", "提前还", "提前换", "提前还", "提钱结清", "提前结清",
	"取销", "取消", "注消", "注销", "销护", "销户", "消户", "销户",
	"人公", "人工", "客福", "客服", "可服", "客服",
	"分其", "分期", "逾其", "逾期", "愈期", "逾期",
	"手续废", "手续费", "手序费", "手续费", "滞那金", "滞纳金", "滞纳今", "滞纳金",
	"预越", "预约", "予约", "预约", "操做", "操作", "绑顶", "绑定",
	"征性", "征信", "正信", "征信", "冻洁", "冻结",
	"机器人听不董", "机器人听不懂",
	// pinyin initials typed for the words ("tqhk会影响征信吗": an FAQ probe
	// got the overdue answer); not zx, which is 注销 and 征信 alike
	"tqhk", "提前还款", "tqjq", "提前结清", "zdhk", "自动还款", "yyhk", "预约还款",
	// not a slip: 注销 said of a booking is its cancellation ("注销预约还款":
	// a facts audit got the account's closure)
	"注销预约", "取消预约", "注销掉预约", "取消预约", "注销这个预约", "取消这个预约", "注销我的预约", "取消我的预约",
	// not a slip: a percentage is a rate (synonyms: #rate), which the
	// tokenizer would otherwise drop with the punctuation
	"%", " 百分之 ",
}

func newNormalizer() (*normalizer, error) {
	cc, err := opencc.New("t2s")
	if err != nil {
		return nil, err
	}
	return &normalizer{t2s: cc, fixes: strings.NewReplacer(zhFixes...)}, nil
}

// normalize returns the text in the knowledge base's form. It never fails: a
// conversion error leaves the text as it was.
func (n *normalizer) normalize(text string) string {
	text = strings.Map(fold, text)
	if n.traditional(text) {
		if s, err := n.t2s.Convert(text); err == nil {
			text = s
		}
	}
	return n.fixes.Replace(text)
}

// traditional reports whether text has a character that OpenCC converts on
// its own: most texts are simplified already, and the conversion is the
// slowest step of reading one.
func (n *normalizer) traditional(text string) bool {
	for _, r := range text {
		if !isHan(r) {
			continue
		}
		v, ok := n.trad.Load(r)
		if !ok {
			s, err := n.t2s.Convert(string(r))
			v = err == nil && s != string(r)
			n.trad.Store(r, v)
		}
		if v.(bool) {
			return true
		}
	}
	return false
}

// enFixes are English misspellings seen in support chats that are too far
// from their word (or too short) for the edit-distance repair in Index.words.
var enFixes = map[string]string{
	"cancle": "cancel", "cancell": "cancel", "cancl": "cancel", "shedule": "schedule", "sheduled": "scheduled",
	"schedual": "schedule", "schedualed": "scheduled", "paymnet": "payment", "paymet": "payment", "pymt": "payment",
	"pmt": "payment", "humen": "human", "humna": "human", "acount": "account", "acct": "account",
	"instalmnet": "installment", "installmnet": "installment", "repaymnet": "repayment", "ur": "your", "u": "you",
	"pls": "please", "plz": "please", "thx": "thanks", "rn": "now", "asap": "now", "bc": "because", "cuz": "because",
	"tmr": "tomorrow", "tmrw": "tomorrow", "msg": "message", "msgs": "messages", "amt": "amount", "bal": "balance",
}

// hasHan reports whether s has a Chinese character.
func hasHan(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }
