package tagger

// weightRow is the weights of one feature, or a sum of features, for
// every label.
type weightRow = [numLabels]int32

// denseWeights holds the weights of the features whose values are few (the
// bias, the labels before a token, gazetteer bits, document contexts, the
// position in a run, the history, cluster prefixes of up to 10 bits) in
// arrays indexed by value, copied from the model's table when it is
// loaded: Model.scoreToken adds them without a lookup in the table, which
// is larger than the processor's caches. A feature the model does not hold
// has a row of zeros, so the sums are the table's.
type denseWeights struct {
	// labels is the sum of the bias and the three features of the labels
	// before a token: [capsLine][p1][p2].
	labels         [2][numLabels][numLabels]weightRow
	gaz            [1 << 6][2]weightRow // [gazetteer bits][upper]
	docCtx         [14][2]weightRow     // [context bit][caps]
	lowerElsewhere [2]weightRow         // [sentence start]
	runPos         [6][4]weightRow      // [min(run length, 5)][position]
	history        [Misc + 1][2]weightRow
	cluster4       [1 << 5]weightRow // clusterPrefix(c, 4) < 1<<5
	cluster6       [1 << 7]weightRow
	cluster10      [1 << 11]weightRow
	prev1Cluster   [1 << 7]weightRow
	next1Cluster   [1 << 7]weightRow
}

// buildDense fills m.dense from m.table.
func (m *Model) buildDense() {
	d := new(denseWeights)
	get := func(f uint64) weightRow {
		var r weightRow
		if w := m.row(f); w != nil {
			for l := range numLabels {
				r[l] = int32(w[l])
			}
		}
		return r
	}
	add := func(dst *weightRow, f uint64) {
		r := get(f)
		for l := range numLabels {
			dst[l] += r[l]
		}
	}
	for caps := range uint64(2) {
		for p1 := range uint64(numLabels) {
			for p2 := range uint64(numLabels) {
				r := &d.labels[caps][p1][p2]
				add(r, mix(uint64(fBias), 0))
				add(r, mix(uint64(fTag1), p1))
				add(r, mix(mix(uint64(fTag12), p1), p2))
				add(r, mix(mix(uint64(fCapsLineTag1), caps), p1))
			}
		}
	}
	for g := range uint64(len(d.gaz)) {
		for u := range uint64(2) {
			d.gaz[g][u] = get(mix(mix(uint64(fGaz), g), u))
		}
	}
	for b := range uint64(len(d.docCtx)) {
		for c := range uint64(2) {
			d.docCtx[b][c] = get(mix(mix(uint64(fDocCtx), b), c))
		}
	}
	for s := range uint64(2) {
		d.lowerElsewhere[s] = get(mix(uint64(fLowerElsewhere), s))
	}
	for n := range uint64(len(d.runPos)) {
		for at := range uint64(4) {
			d.runPos[n][at] = get(mix(mix(uint64(fRunPos), n), at))
		}
	}
	for t := range uint64(len(d.history)) {
		for o := range uint64(2) {
			d.history[t][o] = get(mix(mix(uint64(fHistory), t), o))
		}
	}
	for v := range uint64(len(d.cluster4)) {
		d.cluster4[v] = get(mix(uint64(fCluster4), v))
	}
	for v := range uint64(len(d.cluster6)) {
		d.cluster6[v] = get(mix(uint64(fCluster6), v))
		d.prev1Cluster[v] = get(mix(uint64(fPrev1Cluster), v))
		d.next1Cluster[v] = get(mix(uint64(fNext1Cluster), v))
	}
	for v := range uint64(len(d.cluster10)) {
		d.cluster10[v] = get(mix(uint64(fCluster10), v))
	}
	m.dense = d
}

// addRow adds r to sc.
func addRow(sc *weightRow, r *weightRow) {
	sc[0] += r[0]
	sc[1] += r[1]
	sc[2] += r[2]
	sc[3] += r[3]
	sc[4] += r[4]
	sc[5] += r[5]
	sc[6] += r[6]
	sc[7] += r[7]
	sc[8] += r[8]
}

// scoreToken sets sc to the scores of token i of q after labels p1 and p2:
// the sum of the weights of the features q.features gives the token (the
// definition, which training uses; TestScoreToken compares the two on
// every token of the bench corpus), with the features of few values added
// from m.dense and the others looked up in m.table. fs is a buffer; the
// second result is what scores returns.
func (m *Model) scoreToken(q *sequence, sc *weightRow, fs []uint64, i int, p1, p2 label) ([]uint64, uint64) {
	d := m.dense
	in := &q.info[i]
	w := q.words[i]
	n := len(q.info)
	capsLine := q.capsLine[w.line]
	*sc = d.labels[b2u(capsLine)][p1][p2]

	ctx, ctxShape := q.wordAt, q.shapeAt
	ws := q.text[w.start:w.end]
	sentStart := i == 0 || q.info[i-1].stop
	pos := q.linePos(i)
	prevShape, nextShape := ctxShape(i-1), ctxShape(i+1)
	fs = append(fs[:0],
		in.word,
		mix(uint64(fPrev1Word), ctx(i-1)),
		mix(uint64(fPrev2Word), ctx(i-2)),
		mix(uint64(fNext1Word), ctx(i+1)),
		mix(uint64(fNext2Word), ctx(i+2)),
		in.shape,
		mix(uint64(fPrev1Shape), prevShape),
		mix(uint64(fNext1Shape), nextShape),
		mix(mix(mix(uint64(fShapes3), prevShape), in.shape), nextShape),
		mix(mix(uint64(fWordNextWord), in.word), ctx(i+1)),
		mix(mix(uint64(fSentStart), b2u(sentStart)), in.shape),
		mix(mix(uint64(fCapsLine), b2u(capsLine)), in.shape),
		mix(mix(uint64(fLinePos), pos), in.shape),
		mix(mix(uint64(fTableRow), b2u(q.table[w.line])), in.shape),
		mix(uint64(fPrev2Shape), ctxShape(i-2)),
		mix(uint64(fNext2Shape), ctxShape(i+2)),
		mix(mix(uint64(fTag1Word), uint64(p1)), in.word),
		mix(mix(uint64(fPrev1Tag1), uint64(p1)), ctx(i-1)),
	)
	addRow(sc, &d.gaz[q.gazOf(i)][b2u(in.upper)])
	if i > 0 {
		fs = append(fs, mix(mix(uint64(fPrev1Gaz), uint64(q.gazOf(i-1))), q.info[i-1].shape))
	}
	if i+1 < n {
		fs = append(fs, mix(mix(uint64(fNext1Gaz), uint64(q.gazOf(i+1))), q.info[i+1].shape))
	}
	c := q.docCtx.get(in.word)
	if c != 0 {
		caps := b2u(in.caps)
		for b := range len(d.docCtx) {
			if c&(1<<b) != 0 && 1<<b != ctxLowerElsewhere {
				addRow(sc, &d.docCtx[b][caps])
			}
		}
	}
	if !capsLine {
		fs = append(fs, hashCased(fCased, ws))
	}
	if in.upper && c&ctxLowerElsewhere != 0 {
		addRow(sc, &d.lowerElsewhere[b2u(sentStart)])
	}
	if len(ws) >= 2 {
		fs = append(fs, hashLower(fSuffix2, ws[len(ws)-2:]))
	}
	if len(ws) >= 4 {
		fs = append(fs, hashLower(fPrefix3, ws[:3]), hashLower(fSuffix3, ws[len(ws)-3:]))
	}
	if len(ws) >= 5 {
		fs = append(fs, hashLower(fSuffix4, ws[len(ws)-4:]), hashLower(fPrefix4, ws[:4]))
	}
	if in.upper {
		lo, hi := int(in.runLo), int(in.runHi)
		rn := hi - lo
		at := 0 // alone
		switch {
		case rn == 1:
		case i == lo:
			at = 1
		case i == hi-1:
			at = 2
		default:
			at = 3
		}
		addRow(sc, &d.runPos[min(rn, 5)][at])
		fs = append(fs,
			mix(uint64(fRunBefore), ctx(lo-1)),
			mix(uint64(fRunAfter), ctx(hi)),
		)
		if rn > 1 {
			fs = append(fs,
				mix(uint64(fRunFirst), q.info[lo].word),
				mix(uint64(fRunLast), q.info[hi-1].word),
			)
		}
		if t, only, ok := q.historyOf(i); ok {
			addRow(sc, &d.history[t][b2u(only)])
		}
	}
	if c := q.clusterOf(i); c != clusterNone {
		addRow(sc, &d.cluster4[clusterPrefix(c, 4)])
		addRow(sc, &d.cluster6[clusterPrefix(c, 6)])
		addRow(sc, &d.cluster10[clusterPrefix(c, 10)])
		fs = append(fs, mix(uint64(fCluster20), uint64(clusterPrefix(c, 20))))
	}
	if i > 0 {
		if c := q.clusterOf(i - 1); c != clusterNone {
			addRow(sc, &d.prev1Cluster[clusterPrefix(c, 6)])
		}
	}
	if i+1 < n {
		if c := q.clusterOf(i + 1); c != clusterNone {
			addRow(sc, &d.next1Cluster[clusterPrefix(c, 6)])
		}
	}
	return fs, m.addScores(sc, fs)
}
