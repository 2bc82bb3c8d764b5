package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v3"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/eval"
	"github.com/trawlnews/trawl/extract"
	"github.com/trawlnews/trawl/extract/commodity"
	"github.com/trawlnews/trawl/ingest"
)

func evalCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "eval",
		Usage:     "score extraction against gold JSONL files (precision, recall, F1 per type)",
		ArgsUsage: "GOLD.jsonl...",
		Description: "Runs extraction on the text of each gold record (with its publication date),\n" +
			"groups people across the file, and prints strict and lenient span scores per type,\n" +
			"DATE and PERCENT value accuracy, person grouping (pairwise, B-cubed) and\n" +
			"document-level commodity scores, as defined in FORMAT.md.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "markdown", Usage: "also write all reports as Markdown to `FILE` (e.g. docs/accuracy.md)"},
			&cli.BoolFlag{Name: "errors", Usage: "after each report, list every error (not a sample), one a line: type, kind, document, text, values, context"},
		},
		Action: func(ctx context.Context, c *cli.Command) error {
			if c.NArg() == 0 {
				return usagef("eval: give at least one gold JSONL file")
			}
			x := extract.New(extract.Options{})
			labels := map[string][]string{}
			for _, ce := range commodity.Catalogue() {
				labels[ce.ID] = ce.Reuters
			}
			var reports []*eval.Report
			for _, path := range c.Args().Slice() {
				gold, err := eval.ReadGold(path)
				if err != nil {
					return err
				}
				pred := make([]trawl.Article, len(gold))
				for i, g := range gold {
					pred[i] = trawl.Article{ID: g.ID, Title: g.Title, Text: g.Text, Published: g.Published}
				}
				if err := ingest.Extract(ctx, pred, ingest.ExtractOptions{Extractor: x}); err != nil {
					return err
				}
				name := filepath.Base(path)
				opts := eval.Options{CommodityLabels: labels, AllErrors: c.Bool("errors")}
				scored := []*eval.Report{eval.Score(name, gold, pred, opts)}
				if rule, a, b, ok := eval.Split(gold); ok {
					for _, part := range []eval.Part{a, b} {
						g := make([]eval.Gold, len(part.Records))
						p := make([]trawl.Article, len(part.Records))
						for k, i := range part.Records {
							g[k], p[k] = gold[i], pred[i]
						}
						scored = append(scored, eval.Score(fmt.Sprintf("%s, %s: %s", name, rule, part.Name), g, p, opts))
					}
				}
				for _, r := range scored {
					if err := r.WriteText(e.stdout); err != nil {
						return err
					}
					if opts.AllErrors {
						if err := r.WriteErrors(e.stdout); err != nil {
							return err
						}
					}
					fmt.Fprintln(e.stdout)
				}
				if len(scored) == 3 {
					// docs/accuracy.md is what rule writers read: its error
					// examples come from a split file's first part only, so
					// that the second part's errors stay unread (stdout and
					// --errors still show them).
					whole, held := *scored[0], *scored[2]
					whole.Errors, held.Errors = nil, nil
					scored = []*eval.Report{&whole, scored[1], &held}
				}
				reports = append(reports, scored...)
			}
			if out := c.String("markdown"); out != "" {
				var buf bytes.Buffer
				fmt.Fprintf(&buf, "# trawl accuracy\n\nWritten by `make eval` (`trawl eval --markdown docs/accuracy.md ../shared/eval/dev/*.jsonl ../shared/eval/train/conll2003-train.jsonl`); "+
					"do not edit by hand. Gold files and scoring rules: ../shared/eval/FORMAT.md and README.md.\n\n"+
					"Each file is also scored in two parts split by a fixed rule (eval.Split: MEANTIME by topic, ECB+ by odd and even topic, "+
					"TempEval-3 by corpus, CoNLL-2003 dev and Reuters by first and second half, the CoNLL-2003 training file into the 85%% the "+
					"name tagger is trained on and the 15%% it never sees). The rules of the extractors were written while looking at every "+
					"dev file, both parts included, so only the training file's last 15%% is truly unseen; the gap between two parts shows "+
					"how much a score depends on the documents it was tuned on. The latest round of DATE rules was tuned on TempEval-3's TimeBank part "+
					"alone; its AQUAINT part was scored but its error lists were not read. The error examples at the end come only from the first "+
					"part of each split file, so that the second part's errors are not read by whoever writes the rules.\n\n")
				fmt.Fprint(&buf, "The name tagger's features and training settings (passes, number of averaged perceptrons, word clusters) are chosen by "+
					"5-fold cross-validation inside the 85% it is trained on (`go test ./extract/tagger -run TestTrain -args -train -tune -folds=5`); "+
					"its word clusters (`make clusters`) are learned from unlabelled text that leaves out the last 15% too.\n\n")
				fmt.Fprint(&buf, "The commodity centrality model behind the Reuters labels (extract/commodity, `make fit-commodity`) is fitted on the "+
					"first half of reuters-commodities.jsonl; its features, penalties and threshold are chosen by 5-fold cross-validation inside "+
					"that half (out of fold there: P .677 R .963), so the first-half row below is scored on the documents it was fitted on and "+
					"the second half, scored once after every choice was made, is the held-out estimate.\n\n")
				fmt.Fprint(&buf, "Learned DATE choices (`make cv-dates`): where the DATE rules choose by a fixed rule and TimeML annotators by "+
					"context, multinomial logistic models over general features (the expression's first and last words, the words before and "+
					"after it, the tense of its clause, \"said\" or a quarter in its sentence, whether the article reports quarterly figures, the "+
					"granularity of the last date named, the rules' own choice) were cross-validated by document (5 folds) on TempEval-3's "+
					"TimeBank part alone, against the rules' choices there, which are in-sample (the rules were written on that part). Right "+
					"out of fold at the best of five L2 penalties (the rules): a relative week, month or quarter valued as that period or as its "+
					"year only (\"last week\" 1989-W43 or 1989-WXX) 71 of 94 (71); a year back (\"a year ago\", \"last year\") as the year, the "+
					"year-ago quarter or the day 77 of 97 (81); a month or weekday named alone as the last or the next one 111 of 117 (109); "+
					"\"the\", \"earlier\", \"late\", \"its\" and the like inside or outside the extent 240 of 251 (240); a keep-or-drop decision "+
					"over the 900 mentions (13 overlap no gold mention) drops none. With the penalty chosen inside each training fold the three "+
					"value choices get 69, 77 and 107 (the rules 71, 81, 109), so the extractor uses no model and the AQUAINT scores below are "+
					"the rules'. "+
					"The limit is the gold: a choice by the expression's words alone, fitted on the same part, gets at most 75, 77 and 102 of "+
					"those right, because the same words are valued both ways from one document to the next.\n\n")
				fmt.Fprint(&buf, "Issue 12's commodity target, precision ≥ .75 at recall ≥ .95, is not reached. Out of fold in the first half "+
					"(`make fit-commodity` logs the curve with -v) the centrality model gives P .677 at R .963 (its threshold rule: at most "+
					".005 below the recall with no threshold, .967, which is what the sense-checked mentions ground), .686 at .959, .696 at "+
					".956, .703 at .951, .715 at .948 and .728 at .944; .75 comes only at R .926. A label-level model was measured the same way "+
					"and not adopted (`go test ./extract/commodity -run TestLabelModelCV -v -args -label-cv`; L2 3e-4 of 3e-4 and 1e-3): each Reuters code an article's mentions ground is "+
					"decided from the whole article by a logistic model over hashed features (2^18 weights) of the words of the title and body "+
					"and the mention features of the commodities that give it, each feature weighing once for every label and once for its "+
					"own. Alone it gives P .649 at R .962, .667 at .959, .684 at .954, .702 at .948 and .728 at .940; mixed with the "+
					"centrality model (log-odds weighted .3/.7) .667 at .963, .690 at .959, .700 at .956 and .709 at .950, at most .006 above "+
					"the centrality model alone and below it at the threshold rule's recall. An article gate (TestLabelGateCV, -label-steps "+
					"400: the same hashed features fitted to whether any label an article's mentions ground is right, its log-odds added "+
					"to each label's centrality) gains at most .01 (P .687 at R .962, .695 at .958, .700 at .955). All of them reach .75 "+
					"only near R .93. On news "+
					"nobody tuned on, expect about the second half's figures below: recall near .95, since a label can only come from a "+
					"commodity the text names or implies, and precision near .66. Many wrong labels go to articles Reuters gave no commodity "+
					"label at all (252 of 581 out-of-fold false labels in one label-model run at R .949), and crude oil and natural gas are "+
					"the labels most often wrong there (93 and 44).\n\n")
				fmt.Fprint(&buf, "Person recall on ECB+ was raised in a round that read only the odd topics' errors (the even topics scored once, "+
					"at the end): a title-case headline's capitalised common word now separates two names, or a name from the organisation after "+
					"it (\"Mary Rich Leaves Anna Berg\", \"Mary Rich Checks Into Anna Berg Clinic\"); the tagger's vote on a full name counts "+
					"the occurrences of its surname alone when it calls most of them a person's; a word the tagger calls a person's name "+
					"in every occurrence is a person next to a verb of saying; and a surname between \"the\" and administration, presidency or campaign is a person. Strict (lenient) "+
					"recall went from .893 (.928) to .926 (.961) on the odd topics and from .953 (.970) to .955 (.975) on the even ones; "+
					"CoNLL-2003 dev PERSON F1 from .949 to .955; the held-out 15%, MEANTIME and the seeds did not change. A case augmentation "+
					"of the tagger's training (`-augment`: headlines written again in title case) was not chosen: 5-fold cross-validation "+
					"inside the 85% gave PER/ORG/LOC F1 .943/.850/.920 without it and .945/.844/.918 with half the documents copied.\n\n")
				if err := eval.WriteMarkdown(&buf, reports); err != nil {
					return err
				}
				if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
					return fmt.Errorf("eval: write %s: %w", out, err)
				}
				fmt.Fprintf(e.stderr, "wrote %s\n", out)
			}
			return nil
		},
	}
}
