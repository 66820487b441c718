package faq

import (
	"math"
	"math/rand/v2"
)

// model is a multinomial logistic regression over the tokens of a text:
// unigrams (characters, stemmed words, synonym concepts), Chinese character
// bigrams and pairs of adjacent unigrams ("#cancel+#order" is not
// "#cancel+#schedule"). It is trained in Load on the knowledge base's
// paraphrases, so what it knows is exactly what kb/*.yaml says; its weights
// are the explanation `supportbot ask --explain` prints.
type model struct {
	feat  map[string]int32 // token → feature
	names []string         // feature → token
	k     int              // classes: one per entry
	w     []float32        // feature f, class c at f*k+c
	bias  []float32
}

// Training. A few passes of AdaGrad reach a fit that more passes do not
// improve on the tuning rows; a class whose gradient is negligible is not
// updated, which keeps Load fast.
var (
	featPairs    = true
	featConcepts = true

	trainEpochs         = 6
	trainRate   float32 = 0.6
	trainL2     float32 = 3e-4
)

const (
	trainSkip = 2e-3 // |p − y| below this: no update for that class
	trainSeed = 17
)

type sample struct {
	x     []int32
	class int
}

// features maps tokens to feature ids, adding new ones when grow is set.
// Unknown tokens are skipped; known reports how many of t's unigrams the
// model has seen.
func (m *model) features(t tokens, grow bool) (x []int32, known int) {
	seen := map[int32]bool{}
	add := func(s string) bool {
		f, ok := m.feat[s]
		if !ok {
			if !grow {
				return false
			}
			f = int32(len(m.names))
			m.feat[s] = f
			m.names = append(m.names, s)
		}
		if !seen[f] {
			seen[f] = true
			x = append(x, f)
		}
		return true
	}
	for _, s := range t.uni {
		if add(s) {
			known++
		}
	}
	for _, s := range t.bi {
		add(s)
	}
	if featPairs {
		for i := 1; i < len(t.uni); i++ {
			add(t.uni[i-1] + "+" + t.uni[i])
		}
	}
	if featConcepts {
		// Concepts anywhere in the text, in either order: "#close" with
		// "#miaccount" is the Mi account, however far apart they are.
		for i, a := range t.uni {
			if a[0] != '#' {
				continue
			}
			for _, b := range t.uni[i+1:] {
				if b[0] == '#' && b != a {
					if b < a {
						add(b + "&" + a)
					} else {
						add(a + "&" + b)
					}
				}
			}
		}
	}
	return x, known
}

// value is the weight of each present feature: presence, scaled so that a
// long text does not shout louder than a short one.
func value(n int) float32 {
	if n == 0 {
		return 0
	}
	return float32(math.Pow(float64(n), -valuePow))
}

var valuePow = 0.5

func (m *model) logits(x []int32, out []float64) {
	v := value(len(x))
	for c := range out {
		out[c] = float64(m.bias[c])
	}
	for _, f := range x {
		row := m.w[int(f)*m.k : int(f)*m.k+m.k]
		for c, w := range row {
			out[c] += float64(w * v)
		}
	}
}

// probs turns logits into probabilities in place.
func softmax(z []float64) {
	max := math.Inf(-1)
	for _, v := range z {
		max = math.Max(max, v)
	}
	var sum float64
	for i, v := range z {
		z[i] = math.Exp(v - max)
		sum += z[i]
	}
	for i := range z {
		z[i] /= sum
	}
}

func train(m *model, samples []sample) {
	nf := len(m.names)
	m.w = make([]float32, nf*m.k)
	m.bias = make([]float32, m.k)
	gw := make([]float32, nf*m.k)
	gb := make([]float32, m.k)
	order := make([]int, len(samples))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(trainSeed, trainSeed))
	p := make([]float64, m.k)
	for epoch := 0; epoch < trainEpochs; epoch++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			s := samples[i]
			m.logits(s.x, p)
			softmax(p)
			v := value(len(s.x))
			for c := 0; c < m.k; c++ {
				g := p[c]
				if c == s.class {
					g--
				}
				if math.Abs(g) < trainSkip {
					continue
				}
				gb[c] += float32(g * g)
				m.bias[c] -= trainRate * float32(g) / float32(math.Sqrt(float64(gb[c])+1e-8))
				for _, f := range s.x {
					j := int(f)*m.k + c
					d := float32(g)*v + trainL2*m.w[j]
					gw[j] += d * d
					m.w[j] -= trainRate * d / float32(math.Sqrt(float64(gw[j])+1e-8))
				}
			}
		}
	}
}
