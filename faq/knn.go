package faq

import (
	"math"
	"sync"
)

// neighbours is the second opinion next to the model: the cosine similarity
// of the question to each paraphrase (features weighted by idf over entries),
// the best paraphrase per entry, turned into probabilities. A question that
// is nearly a paraphrase is recognised here even when the model, which
// weighs every word against every class, spreads its belief.
type neighbours struct {
	docs  []neighbour
	post  [][]int32 // feature → docs
	idf   []float64
	temp  float64
	class int
	// scratch holds one dot product per paraphrase for a call of probs,
	// zeroed again before it is put back.
	scratch sync.Pool
}

type neighbour struct {
	entry int
	norm  float64
}

var (
	knnWeight = 0.3  // share of the neighbours' probabilities in the blend
	knnTemp   = 12.0 // cosine → logit scale
)

func newNeighbours(m *model, samples []sample) *neighbours {
	nb := &neighbours{post: make([][]int32, len(m.names)), idf: make([]float64, len(m.names)), temp: knnTemp, class: m.k}
	entries := make([]map[int]bool, len(m.names))
	for _, s := range samples {
		for _, f := range s.x {
			if entries[f] == nil {
				entries[f] = map[int]bool{}
			}
			entries[f][s.class] = true
		}
	}
	n := float64(m.k)
	for f := range nb.idf {
		nb.idf[f] = math.Log(1 + n/float64(1+len(entries[f])))
	}
	for _, s := range samples {
		d := int32(len(nb.docs))
		var sq float64
		for _, f := range s.x {
			nb.post[f] = append(nb.post[f], d)
			sq += nb.idf[f] * nb.idf[f]
		}
		nb.docs = append(nb.docs, neighbour{entry: s.class, norm: math.Sqrt(sq)})
	}
	nb.scratch.New = func() any {
		s := make([]float64, len(nb.docs))
		return &s
	}
	return nb
}

// probs writes the neighbours' probability per entry into out, and the
// cosine of the nearest paraphrase of each entry into cos (when not nil).
func (nb *neighbours) probs(x []int32, out, cos []float64) {
	dot := nb.scratch.Get().(*[]float64)
	defer nb.scratch.Put(dot)
	var touched []int32
	var sq float64
	for _, f := range x {
		w := nb.idf[f] * nb.idf[f]
		sq += w
		for _, d := range nb.post[f] {
			if (*dot)[d] == 0 {
				touched = append(touched, d)
			}
			(*dot)[d] += w
		}
	}
	for c := range out {
		out[c] = 0
	}
	if sq == 0 {
		for _, d := range touched {
			(*dot)[d] = 0
		}
		softmax(out)
		return
	}
	q := math.Sqrt(sq)
	for _, d := range touched {
		doc := nb.docs[d]
		if cos := (*dot)[d] / (q * doc.norm); cos > out[doc.entry] {
			out[doc.entry] = cos
		}
		(*dot)[d] = 0
	}
	if cos != nil {
		copy(cos, out)
	}
	for c := range out {
		out[c] *= nb.temp
	}
	softmax(out)
}
