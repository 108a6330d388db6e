/**
 * The text of docs/faq-quality.md around the measured tables. Each table sits between
 * `<!-- part:NAME -->` markers, so a run of some parts leaves the others as they were.
 */
type Part = 'full' | 'hint3' | 'fewshot' | 'speed';

export function qualityDoc(sections: Partial<Record<string, string>>, previous: string): string {
  const table = (part: Part) => {
    const text =
      sections[part] ??
      previous.match(new RegExp(`<!-- part:${part} -->\\n([\\s\\S]*?)\\n<!-- /part:${part} -->`))?.[1] ??
      '_Not run yet: `npm run bench:faq -- --part ' + part + '`._';
    return `<!-- part:${part} -->\n${text}\n<!-- /part:${part} -->`;
  };
  return `# FAQ engine quality

Made by \`npm run bench:faq\` (all parts) or \`npm run bench:faq -- --part full,hint3,fewshot,speed\`
(any of them), on a 2-core machine shared with other work, so build times and latencies are
indicative; the quality figures do not depend on the machine. How long each part takes is
under its table.

## 1. Full CLINC150 and xSID zh, beside node-nlp and MiniSearch

${table('full')}

- **CLINC150** (\`../shared/datasets/clinc150\`, CC BY 3.0): the 150 intents are 150 entries and
  their 100 \`train\` utterances each are the example questions. Thresholds are picked on
  \`val\` + \`oos_val\`; the table reports \`test\` (4,500 in-scope) + \`oos_test\` (1,000).
- **xSID Chinese** (\`../shared/datasets/xsid/zh.*.jsonl\`, CC BY-SA 4.0): the 12 known intents
  take their \`valid\` sentences as example questions; \`test\` is asked (306 in-scope, 194 out of
  scope). The 4 intents last in default \`sort()\` order (\`reminder/*\`, \`weather/find\`) are held
  out as out-of-scope, as the datasets README fixes. Thresholds are picked by 5-fold
  cross-validation inside \`valid\`. Note from the README: 32 distinct zh texts occur in both
  valid and test.
- **Figures.** *In-scope accuracy*: answered with the right intent, over all in-scope
  questions. *OOS recall*: out-of-scope questions not answered. *Wrong answers*: answered with a
  wrong intent, over all in-scope questions. *OOS precision*: share of hand-offs that were out of
  scope. *AUROC*: how well the confidence ranks in-scope above out-of-scope questions. *Top-1*:
  the best candidate is right, no threshold. *Right or offered*: answered right, or the right
  entry is among the choices offered. *OOS offered choices*: out-of-scope questions that got
  choices instead of a plain hand-off.
- **Threshold rule for the first table, the same for every system**: on validation, maximise
  in-scope accuracy + out-of-scope recall. The second table is the engine as shipped: its own
  threshold, calibrated on the knowledge base when the index is built, no validation data used.
- **Peers**: \`node-nlp\` (NLP.js NLU; its "None" cut-off bypassed, the top intent's score is the
  confidence) and \`minisearch\` (each example question a document, BM25 with \`fuzzy: 0.2,
  prefix: true\`; Chinese tokenized by \`Intl.Segmenter\` words).

## 2. HINT3: three real customer-service bots

${table('hint3')}

HINT3 (\`../shared/datasets/hint3\`; Arora, Jain, Chaturvedi, Modi, 2020, "HINT3: Raising the bar
for Intent Detection in the Wild", EMNLP Insights workshop; database under ODbL 1.0, contents
under DbCL 1.0). Training sentences are the entries' example questions; the test set (real user
queries, out of scope labelled \`NO_NODES_DETECTED\`) is asked once. switchboard runs at the
threshold it calibrates on the training sentences and its background questions; HINT3 has no
validation split and nothing was tuned on it. The other columns are, per set, the best of the
five systems in \`hint3/results/\` (BERT, Dialogflow, Rasa, LUIS, Haptik), each at the threshold
(0.1…0.9) that gave it the highest MCC *on the test set*: an optimistic figure for them. MCC is
multi-class, out-of-scope counting as one more class; accuracy is over all test queries.

## 3. Few-shot knowledge bases (what shops write)

${table('fewshot')}

Mean ± standard deviation over 5 fixed seeds (1–5). CLINC150: per seed, 15 or 50 of the 150
intents are sampled as entries with k example questions each from \`train\`; every \`test\`
question is asked, those of the unsampled intents being out of scope (the \`oos_test\` questions
are not used here). xSID zh has only 16 intents, so 15 or 50 cannot be sampled: its 12 known
intents get k example questions each from \`valid\` (one intent has a single sentence there), and
\`test\` is asked with the 4 held-out intents out of scope. The engine runs at its own calibrated
threshold. Design choices were made on the same protocols over \`val\` / the rest of \`valid\`
(\`bench/tune-few-shot.ts\`) and on the sample knowledge base cut to 2 questions per entry
(\`bench/sample-kb.ts\`), never on these test figures.

## 4. Speed

${table('speed')}

## Against the goals (figures from the runs above, 2026-12-01)

- **HINT3, MCC above the best of the five systems on every set: not met on any.** At its own
  calibrated threshold switchboard scores 0.599 / 0.459 (SOFMattress full / subset; best system
  0.638 / 0.555), 0.602 / 0.536 (Curekart; 0.603 / 0.604) and 0.377 / 0.297 (Powerplay11;
  0.425 / 0.364). Against the former fixed 0.5 (figures in issue 10) the calibrated threshold
  gains on SOFMattress (+0.039, +0.040) and Powerplay11 (+0.038, +0.008) and loses on Curekart
  (−0.027, −0.074), where it calibrates stricter (0.68 / 0.67): calibration holds wrong answers
  and answered out-of-scope questions down, and HINT3's test sets are mostly out of scope. The
  other systems' figures are at the threshold best on the test set, ours at one fixed before.
- **Few-shot, 15 entries × 2 questions (CLINC150): partly met.** Wrong 1.8 % (goal ≤ 5 %: met);
  out-of-scope answered 10.3 % (goal ≤ 10 %: just missed, ± 6.1 over seeds); right 50.1 %
  (goal ≥ 75 %: not met; it was 11.9 % at the old fixed threshold on validation) and right or
  offered as a choice 79.4 % (goal ≥ 90 %: not met). The ceiling is the ranking: with two
  phrasings per entry the best candidate is right 81 % of the time, so 75 % right at ≤ 5 % wrong
  would need nearly every right top candidate answered.
- **Full CLINC150, in-scope ≥ 90 % with OOS recall ≥ 85 %: see the first table**; the lexical
  model's AUROC (0.95) does not reach both at once at any threshold.
- **Speed: see the fourth table** (CPU time is this process's; the wall clock on this shared
  machine mostly measures waiting for a core). Run of 2026-12-03, on a loaded machine (other
  work on both cores: the wall clock 3–7 times the CPU time, and CPU times about twice those of
  the quiet run of 2026-12-02, 2.1 s and 34.8 s): 1,000 × 10 builds in 4.1 s of CPU with
  calibration (3.4 s without; goal < 5 s: met), match p99 1.0 ms of CPU (goal < 5 ms: met),
  156 MB peak RSS, top-1 right intent 90.4 %. 10,000 × 10: 63.3 s of CPU (goal < 60 s: missed
  on the loaded machine; the code before the change below took 71.1 s in the same conditions and
  34.8 s on the quiet machine) and 290 MB peak RSS (goal < 300 MB: met, narrowly), top-1 78.2 %.
  The build's memory and time were worked on twice with the models left bit-identical (same
  weights, thresholds and scores as before, checked at 1,000 × 10, and at 100 and 400 × 10 the
  first time; top-1 unchanged at both sizes). Second time, measured one process after the other
  on the same loaded machine (\`npx tsx bench/speed-child.ts ENTRIES 10 lean\`, before then
  after), before → after: 10,000 × 10 434 → 293 MB peak RSS (290 MB in the table's run) and
  71.1 → 69.5 s of CPU; 1,000 × 10 160 → 148 MB and 3.5–3.8 → 4.3–4.7 s of CPU (three runs each).
  Where the 10,000 × 10 peak went (\`process.memoryUsage()\` between phases): the documents are a
  few arrays rather than an object, a features object and two views each, and so are the
  training examples (an object, a vector and two views each: ~30 MB of heap together); every
  model's document vectors are laid out like the documents (\`kb-docs.ts\`), so their feature ids
  are the documents' own rather than a 47 MB copy, and only the values (47 MB) are the model's,
  the served model writing its own over the calibration model's; the features are counted in a
  first pass and written in a second into arrays of their final size (no chunks, no copy;
  computing them twice is most of the +0.5–0.9 s at 1,000 × 10, and lost in the noise at
  10,000); a feature's count is kept only where it is above 1 (4 % of them: −21 MB); the
  support's feature ids and the postings' entry numbers are 16-bit up to 65,536 features and
  entries (−18 MB; this vocabulary has 59,666 features, so a knowledge base with more keeps
  32-bit feature ids, 9 MB more at this size). What remains at the peak, while the calibration
  model trains: the feature ids and values (94 MB), the support and postings (53 MB), the
  candidate lists (7 MB), the JavaScript heap (~64 MB, half of it the young generation grown
  while the features were computed) and Node with tsx (~67 MB): the margin under 300 MB is thin
  (290 and 293 MB in two runs; 299 MB before the 16-bit feature ids). The first time (2026-12-02,
  same command): 1,000 × 10 2.9 → 2.4 s of CPU and 172 → 155 MB; 10,000 × 10 44.5 → 35–37 s of
  CPU and 616 → 430–460 MB (the peak moves by some tens of MB from run to run with when the
  garbage collector runs): growing the sparse support's arrays as they filled held twice their
  size (+110 MB, now counted first and written into arrays of their final size); the served
  model's documents' vectors and sparse support were new arrays while the calibration model's
  were still held (+90 and +70 MB, now written over the calibration model's); each training
  example's candidates were an array each (now one array). Of the CPU time (10,000 × 10, 35 s),
  the training epochs are about 60 %: examples whose probabilities are all settled are too few
  there to skip (tried: the same time, neighbouring entries being near twins), so the weight
  update was made branch-free instead, most of the 44.5 → 37 s. A hot reload of 1,000 × 10
  built in the worker while the main thread kept answering (p99 0.25 ms, slowest 48 ms on the
  quiet machine; 36 and 227 ms in the loaded run) instead of stalling for the whole build. Before the change below, on the same machine:
  1,000 × 10 took 257 s of CPU to build with calibration (126 s without), match p50 2.5 ms and
  p99 42 ms, 187 MB of dense weights, and 10,000 × 10 would have needed 5.6 GB of weights and
  about an hour; a hot reload stalled the service for the whole build. The profile
  (\`node --cpu-prof\`, 300 × 10) had 88 % of the time in the classifier's training loop: a
  softmax over every entry at every SGD step, its weights dense (features × entries), and
  calibration training the model again from scratch (three times below 3,000 documents).

## How the engine works (src/faq)

Text is folded (NFKC, lower case, punctuation and symbols to spaces) and rewritten by
\`faq/<locale>/synonyms.txt\`. Features: stemmed English words, \`Intl.Segmenter\` Chinese words,
word bigrams, character 3–5-grams inside Latin words, single characters and character pairs of
Chinese runs; TF-IDF weighted per feature kind. **Documents**: every example question, and — as
evidence for the same entry — every sentence of its answer and its topic tags. Feature strings
are interned once (\`term-vectors.ts\`); the documents are ranges of one array of feature ids
(\`kb-docs.ts\`), which every model's document vectors share. One multinomial logistic
regression over entries is trained on all documents of all locales. A candidate's score is its
probability rescaled so a flat distribution is 0, times min(1, similarity to the entry's closest
document / 0.2).

**Large knowledge bases** (over 256 entries, \`sparse-softmax.ts\`): an entry has weights only
for the features of its own documents, and an inverted index from feature to entries (skipping
features that over 5 % of the entries share, unless the question has nothing else) gives each
question its 16 closest entries; the softmax is computed over those, the other entries counting
with their bias. Training looks at each example's candidates only (found once), and leaves out
of the next epochs those whose probability stays negligible. Memory and time grow with what a
question touches, not with entries × features; the best candidates are selected without sorting
every entry. Up to 256 entries the classifier is dense and exact, as before.

**Calibration** (\`calibrate.ts\`), at every index build: the model is trained again with example
questions left out (3 folds, each leaving one question out of half of the entries; a large
knowledge base, over 3,000 documents, one fold leaving one question out of 300 entries, and when
it also has a sparse classifier the served model is that fold's model trained two more epochs
with the left-out questions back in, so calibration costs about 1/6 of a training instead of a
second one). The
left-out questions — with the other entries' examples as near misses — and the background
questions (\`src/faq/background/\`: CLINC150's \`oos_train\` split, CC BY 3.0, and Chinese
translations of part of it) are asked. Per locale, the answer threshold is the lowest confidence
at which at most 5 % of the left-out questions are answered wrong and at most 5 % of the
background questions are answered; choices are offered from the lowest confidence at which at
most 30 % of the background questions would get choices or an answer. \`FAQ_MIN_CONFIDENCE\`
overrides the answer threshold; \`faq check\` prints the operating point of each locale.

**Hot reload** (\`watch-faq.ts\`): the index is built in a worker thread (\`load-in-worker.ts\`,
\`build-worker.ts\`) and handed back as typed arrays (transferred, not copied); the previous index
answers until then, and a knowledge base with errors or a failed build leaves it in place.

**Choices**: not sure enough to answer but above the choices threshold, the result's
\`suggestions\` are the two closest entries answerable in the customer's language (greetings and
hand-off entries excluded), and a third when it is at least half as close as the first.

## What was measured while building it (validation only)

On the sample knowledge base cut to 2 questions per entry (the other 6–8 asked as paraphrases;
out of scope: CLINC150 \`oos_val\`, xSID zh \`valid\` held-out intents):

| change | en top-1 | zh top-1 | en AUROC | zh AUROC |
|---|---:|---:|---:|---:|
| questions only | 58.6 | 61.3 | 0.872 | 0.738 |
| + answer sentences and tags (training weight 1, similarity weight 1) | 68.0 | 65.7 | 0.893 | 0.861 |

Weights 0.25/0.5 and 1.5/1 were worse or gave more wrong answers. Calibration, against the old
fixed 0.5, on the validation protocols (mean of 5 seeds): CLINC150 15 entries × 2 questions right
11.9 → 52.1 %, wrong 0.0 → 2.4 %, out of scope answered 0.3 → 10.3 %; xSID zh 12 × 2 right
15.0 → 38.8 %; sample knowledge base (2 questions per entry) right 4–12 % → 46–49 %.
Allowing 10 % of the background an answer (instead of 5 %) gave 3–4 points more right and
3 points more out of scope answered; 5 % was kept because at 10 % the sample knowledge base
answered an email's "[Email without text; attachments: receipt.png]" note with the invoice entry.
Not tried for lack of time: BM25 over fields as a separate scorer, more synonyms, and
\`@node-rs/jieba\` against \`Intl.Segmenter\` for Chinese.
`;
}
