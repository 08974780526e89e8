#!/usr/bin/env python3
"""Generate newstrace's compact WordNet synonym table (data/wordnet-synonyms.tsv).

The table lets newstrace recognise "spun" text, where an article spinner has
replaced words with dictionary synonyms ("city" -> "metropolis", "say" ->
"state").  It is derived from Princeton WordNet 3.0 as packaged by Debian
(package ``wordnet-base``) and is distributed under WordNet's licence
(see data/WORDNET-LICENSE).

How to run (standard library only, no nltk)::

    apt-get install wordnet-base
    python3 tools/wordnet_synonyms.py /usr/share/wordnet > data/wordnet-synonyms.tsv

The argument is the directory holding WordNet's database files
(index.noun, index.verb, index.adj, index.adv, data.noun, data.verb,
data.adj, data.adv).  The output is deterministic: lines sorted by headword,
synonyms sorted within a line.

Output format: one line per headword, ``headword<TAB>syn1 syn2 ...``
(synonyms separated by single spaces).  Every word is lowercase ASCII a-z.

Selection rules (aimed both at what a spinner would substitute and at being
safe for matching, i.e. few false matches):

1. Parts of speech: noun, verb, adjective (including satellites), adverb.
   All parts of speech of a headword are merged into one line.
2. Headwords come from the index.* files.  A headword is kept only if it is
   a single word of lowercase ASCII letters (no digits, hyphens, apostrophes,
   underscores / multi-word lemmas, periods, non-ASCII), at least 3 letters
   long, and not in STOP_WORDS below.
3. Only the most frequent senses are used: for each headword and part of
   speech, the first SENSES_PER_POS (= 2) synsets listed in index.<pos>.
   WordNet lists a lemma's senses in decreasing order of tagged frequency,
   so rare senses (which cause false matches) are left out.
4. A synonym of a headword is another lemma that is a co-member of one of
   those synsets.  No other relations are followed (no "similar to"
   adjective satellites, no hypernyms, no derivations).
5. A synonym is kept only if, as written in the data.* file, it is a single
   lowercase ASCII word (capitalised lemmas are proper nouns or acronyms and
   are dropped), at least 3 letters long, not a stop word, and not the
   headword itself.  Adjective position markers such as "(a)", "(p)",
   "(ip)" are stripped first.
6. Headwords left with no synonyms are omitted.

The relation is directional: "w<TAB>... s ..." means s shares one of w's two
most frequent senses, which does not imply the converse.  Consumers that want
a symmetric test should check both directions.  Words are lemmas (base
forms); inflected forms ("said", "backed") must be lemmatised by the consumer.
"""

import os
import re
import sys

SENSES_PER_POS = 2
MIN_LEN = 3
POS_FILES = ("noun", "verb", "adj", "adv")
WORD_RE = re.compile(r"^[a-z]+$")
ADJ_MARKER_RE = re.compile(r"\((?:a|p|ip)\)$")

# English function words (about 200: pronouns, determiners, prepositions,
# conjunctions, auxiliaries and common function adverbs).  Skipped both as
# headwords and as synonyms.
STOP_WORDS = frozenset("""
a about above across after again against all almost along already also
although always am among an and another any anybody anyone anything are
around as at be because been before being below beside besides between
both but by can cannot could did do does doing done down during each
either else enough ever every everyone everything few for from further
get gets got had has have having he her here hers herself him himself his
how however if in into is it its itself just least less like many may me
might mine more most much must my myself neither never no nobody none nor
not nothing now of off often on once one only onto or other others ought
our ours ourselves out over own per perhaps rather same several shall she
should since so some somebody someone something still such than that the
their theirs them themselves then there therefore these they this those
though through throughout thus to together too toward towards under
unless until up upon us very via was we well were what whatever when
whenever where wherever whether which while who whoever whom whose why
will with within without would yet you your yours yourself yourselves
""".split())


def read_data(path):
    """Map synset offset -> list of lemmas (as written) for one data.* file."""
    synsets = {}
    with open(path, encoding="ascii", errors="replace") as f:
        for line in f:
            if line.startswith(" "):  # licence header
                continue
            fields = line.split(" ")
            offset = fields[0]
            w_cnt = int(fields[3], 16)
            lemmas = []
            for i in range(w_cnt):
                word = ADJ_MARKER_RE.sub("", fields[4 + 2 * i])
                lemmas.append(word)
            synsets[offset] = lemmas
    return synsets


def read_index(path):
    """Yield (lemma, [synset offsets in frequency order]) for one index.* file."""
    with open(path, encoding="ascii", errors="replace") as f:
        for line in f:
            if line.startswith(" "):  # licence header
                continue
            fields = line.split()
            lemma = fields[0]
            synset_cnt = int(fields[2])
            offsets = fields[len(fields) - synset_cnt:]
            yield lemma, offsets


def acceptable(word):
    return (
        len(word) >= MIN_LEN
        and WORD_RE.match(word) is not None
        and word not in STOP_WORDS
    )


def build(wordnet_dir):
    table = {}
    for pos in POS_FILES:
        synsets = read_data(os.path.join(wordnet_dir, "data." + pos))
        for lemma, offsets in read_index(os.path.join(wordnet_dir, "index." + pos)):
            if not acceptable(lemma):
                continue
            for offset in offsets[:SENSES_PER_POS]:
                for syn in synsets[offset]:
                    if syn != lemma and acceptable(syn):
                        table.setdefault(lemma, set()).add(syn)
    return table


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: %s WORDNET_DIR > data/wordnet-synonyms.tsv\n" % argv[0])
        return 2
    table = build(argv[1])
    out = sys.stdout
    for word in sorted(table):
        out.write("%s\t%s\n" % (word, " ".join(sorted(table[word]))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
