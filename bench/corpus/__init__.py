"""A large synthetic corpus for the benchmarks: `python -m bench.corpus --help`.

Wire stories are written once and copied with small edits by two to four outlets (a word
changed, a number given differently, a sentence dropped or added, paragraphs cut elsewhere,
a new headline), beside unrelated stories; sentences are assembled from pools of phrases, so
the text reads like news and outlets share passages the way wire copy does. Each article gets
a real file (title, dateline, paragraphs, a caption, page furniture naming its outlet), one
revision holding those bytes and the blocks the file splits into, and annotations made by
generated readers. Everything is deterministic for a given seed.

- `words`: the pools of names, places, phrases, notes and tags.
- `stories`: writing and laying out the files (plain Python; `synthetic_files`).
- `publish`: outlets, readers, and articles with their revisions and blocks (Django).
- `annotate`: annotations, claims, tags and replies (Django; `annotate_articles`).
- `generate`: the whole corpus in one call (`corpus_generate`); `__main__`: its command line.
"""
