/** The text of docs/faq-quality.md around the measured table. */
export function qualityDoc(table: string, note: string, date: string): string {
  return `# FAQ engine quality

Made by \`npm run bench:faq\` (${date}) on a 2-core machine shared with other work, so build
times and latencies are indicative; the quality figures do not depend on the machine.

${table}

${note}

## What is measured

- **CLINC150** (\`../shared/datasets/clinc150\`, CC BY 3.0): the 150 intents are 150 entries and
  their 100 \`train\` utterances each are the example questions. Thresholds are picked on
  \`val\` + \`oos_val\`; the table reports \`test\` (4,500 in-scope) + \`oos_test\` (1,000).
- **xSID Chinese** (\`../shared/datasets/xsid/zh.*.jsonl\`, CC BY-SA 4.0): the 12 known intents
  take their \`valid\` sentences as example questions; \`test\` is asked (306 in-scope, 194 out of
  scope). The 4 intents last in default \`sort()\` order (\`reminder/*\`, \`weather/find\`) are held
  out as out-of-scope, as the datasets README fixes. Since validation sentences are the
  examples, thresholds are picked by 5-fold cross-validation inside \`valid\` (each fold
  builds from 4/5 of the known sentences and asks the rest plus 1/5 of the held-out ones).
  Note from the README: 32 distinct zh texts occur in both valid and test.
- **Figures.** *In-scope accuracy*: answered with the right intent, over all in-scope
  questions. *OOS recall*: out-of-scope questions not answered. *Wrong answers*: answered with a
  wrong intent, over all in-scope questions (what the customer sees as a wrong answer).
  *OOS precision*: share of hand-offs that were out of scope. *AUROC*: how well the confidence
  ranks in-scope above out-of-scope questions (threshold-free). *Top-1*: the best candidate is
  right, no threshold. *Build*: index build from the examples. *p50/p99*: per-question latency.
- **Threshold rule, the same for every system**: on validation, maximise in-scope accuracy +
  out-of-scope recall (each a share, so the small out-of-scope set weighs as much as the large
  in-scope one). The row "shipped default" is switchboard at \`FAQ_MIN_CONFIDENCE\`'s default,
  picked by the same rule on both validation sets together.
- **Peers**, run by the same script on the same splits: \`node-nlp\` (NLP.js NLU; its own
  "None" cut-off bypassed, the top intent's score is the confidence) and \`minisearch\` (each
  example question a document, BM25 with \`fuzzy: 0.2, prefix: true\`, the best hit's entry and
  score; Chinese tokenized by \`Intl.Segmenter\` words, since its default tokenizer splits on
  spaces only).

## How the engine works (src/faq)

Text is folded (NFKC, lower case, punctuation and symbols to spaces, full-width to ASCII) and
rewritten by \`faq/<locale>/synonyms.txt\`. Features: stemmed English words, \`Intl.Segmenter\`
Chinese words, word bigrams, character 3–5-grams inside Latin words, single characters and character pairs of
Chinese runs; TF-IDF weighted per feature kind, unit length. One multinomial logistic regression
over all entries is trained on every example question of every locale (12 SGD passes; 15,000
CLINC150 questions build in seconds). Confidence is the top probability rescaled so that a flat
distribution is 0 whatever the number of entries, times min(1, similarity to the entry's
closest example / 0.2), so a tiny knowledge base is not sure of everything. The answer is given
only at or above \`FAQ_MIN_CONFIDENCE\` and only when the entry exists in the language the
question is written in. Settings were searched with \`bench/tune.ts\` on validation splits only.

## Against the targets (figures from the run above, 2026-11-23)

Targets: CLINC150 test in-scope accuracy ≥ 93 % with out-of-scope recall ≥ 80 %; xSID Chinese
in-scope ≥ 90 % with out-of-scope recall ≥ 80 %; ahead of both peers on every figure.

- **Out-of-scope recall target met, in-scope target not met**: CLINC150 87.2 / 86.6 %, xSID zh
  83.3 / 82.5 % (at each dataset's validation threshold; the shipped default gives about the same).
- **Against the peers**: ahead of both on in-scope accuracy (by 12–37 points), AUROC (0.95 vs
  0.72–0.76 on CLINC150, 0.93 vs 0.80–0.85 on xSID zh) and top-1, and on every figure on
  CLINC150 except speed. Not ahead everywhere on xSID zh: MiniSearch turns away more
  out-of-scope questions (86.1 vs 82.5 %) because it answers far fewer questions at all (64.1 %
  right vs 83.3 %), and node-nlp gives fewer wrong answers (1.6 vs 2.3 % of in-scope questions)
  for the same reason (66.3 % right). Speed: MiniSearch builds faster (an inverted index, no
  training: 0.1 s vs 12–13 s for 15,000 CLINC150 questions on this shared machine, about 7 s
  on an idle one; node-nlp takes 77 s), and node-nlp answers faster on CLINC150 (p50 0.10 vs
  0.32 ms); on xSID zh ours is fastest.

What limits it: the engine is lexical. Without any threshold its best candidate is right 92 %
of the time on CLINC150 and 91 % on xSID zh, so with a threshold that also turns away most
out-of-scope questions, in-scope accuracy lands in the 80s. xSID zh has only ~15 examples per
intent, and its held-out reminder intents read almost like the alarm intents. Searches over
feature kinds and weights, n-gram ranges, training length and confidence formulas on
validation moved validation figures by a point or two at most (\`bench/tune.ts\`).

What would move it: a sentence-embedding scorer that knows paraphrases (the published BERT
figure is 96 % unthresholded), allowed only if its weights ship inside an npm package and cover
Chinese and English alike, which we did not find; more example questions per entry (the engine
learns from all of them); synonyms for the knowledge base's own vocabulary; and a threshold
tuned on the operator's own questions (\`FAQ_MIN_CONFIDENCE\`).
`;
}
