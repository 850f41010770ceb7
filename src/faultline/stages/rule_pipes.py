"""spaCy's two rule-based pipes, with the same outputs from faster loops.

In ``en_core_web_sm`` the ``attribute_ruler`` and the ``lemmatizer`` are rules, not
models, yet they cost a tenth (Guardian articles) to a quarter (AG News items) of
the stock parse (docs/scale.md, run 9):

* the ``attribute_ruler`` runs a :class:`spacy.matcher.Matcher` of 179 patterns
  over every token, although 171 of them test one token's tag, lower-case form,
  dependency or whitespace flag;
* the ``lemmatizer`` builds a ``Token`` and a ``MorphAnalysis`` per word, caches
  only the words that reach its suffix rules, and on each new word scans its
  word index, a Python list (57,528 nouns).

:func:`speed_up` upgrades the two pipes of a loaded pipeline in place.  The
ruler finds its one-token matches through a dictionary keyed on a value each
requires (the token's tag or lower-case form) and leaves every other pattern to a
``Matcher`` of its own; the match list it hands to spaCy's own
``set_annotations`` is the one the full ``Matcher`` returns, in the same order.
The lemmatizer caches every word by its (form, part of speech, morphology) key,
on which spaCy's English rules depend and nothing else, and on a miss runs
spaCy's own ``rule_lemmatize`` against a copy of the lookups whose word index is
sets.  The tests and ``benchmarks/throughput.py`` compare the annotations token
by token with the stock pipes.
"""
from __future__ import annotations

import threading
from typing import Any, NamedTuple

from spacy import attrs as A
from spacy.errors import Errors
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler, Lemmatizer

__all__ = ["ANNOTATION_COLUMNS", "CachedLemmatizer", "IndexedAttributeRuler", "same_annotations", "speed_up"]

#: token attributes a one-token condition may test here (as ``Doc.to_array`` gives them); a
#: pattern with any other key goes to the fallback ``Matcher``
_ATTRS = ("TAG", "LOWER", "ORTH", "NORM", "DEP", "POS", "IS_SPACE", "IS_PUNCT", "IS_DIGIT")
_STRING_ATTRS = ("TAG", "LOWER", "ORTH", "NORM", "DEP", "POS")


class _NotIn:
    """The values a ``NOT_IN`` condition accepts."""

    __slots__ = ("refused",)

    def __init__(self, refused: frozenset) -> None:
        self.refused = refused

    def __contains__(self, value: int) -> bool:
        return value not in self.refused


class _Regex:
    """The values a ``REGEX`` condition accepts: the Matcher's ``re.search`` on the attribute's
    string, remembered per value (the memo is emptied when it grows large)."""

    __slots__ = ("regex", "strings", "memo")

    def __init__(self, regex: str, strings: Any) -> None:
        import re

        self.regex, self.strings, self.memo = re.compile(regex), strings, {}

    def __contains__(self, value: int) -> bool:
        hit = self.memo.get(value)
        if hit is None:
            if len(self.memo) > 10_000:
                self.memo.clear()
            hit = self.memo[value] = self.regex.search(self.strings[value]) is not None
        return hit


def _accepted(name: str, value: Any, strings: Any) -> Any:
    """What a condition on attribute ``name`` accepts, as a container of ``Doc.to_array`` values;
    None for a condition left to the ``Matcher`` (other operators, non-string values)."""
    if isinstance(value, dict):
        if len(value) != 1:
            return None
        (op, arg), = value.items()
        if op == "REGEX" and name in _STRING_ATTRS and isinstance(arg, str):
            return _Regex(arg, strings)
        if op not in ("IN", "NOT_IN") or not isinstance(arg, (list, tuple)):
            return None
        values = _accepted(name, list(arg), strings)
        return values if values is None or op == "IN" else _NotIn(values)
    out = set()
    for v in value if isinstance(value, list) else [value]:
        if isinstance(v, bool) and name not in _STRING_ATTRS:
            out.add(int(v))
        elif isinstance(v, str) and name in _STRING_ATTRS:
            out.add(strings[v])
        else:
            return None
    return frozenset(out)


def _conditions(token: dict[str, Any], strings: Any) -> tuple[tuple[str, Any], ...] | None:
    """One token's pattern as (attribute, accepted values) conditions; None if the ``Matcher``
    must judge it (an ``OP``, an extension attribute, another operator)."""
    conditions = []
    for key, value in token.items():
        accepted = _accepted(key, value, strings) if key in _ATTRS else None
        if accepted is None:
            return None
        conditions.append((key, accepted))
    return tuple(conditions) or None


class _Index(NamedTuple):
    """The ruler's compiled patterns (see :meth:`IndexedAttributeRuler._build`)."""

    ids: list  # token attribute ids, in the column order of a row of values
    anchor_cols: list  # the columns a one-token rule is looked up by
    anchored: dict  # (column, value) -> rules that require that value there
    unanchored: list  # rules with no required value: tested on every new row
    always: Any  # Matcher of the other patterns, run on every doc (or None)
    gated: Any  # Matcher of the other patterns, run only where a gate rule matched (or None)


class IndexedAttributeRuler(AttributeRuler):
    """An :class:`~spacy.pipeline.AttributeRuler` whose one-token patterns are looked up,
    not matched; its matches, and so its annotations, are the stock ruler's."""

    _index: _Index | None = None
    #: token rows remembered before the memo is emptied (6,000 AG News items and the 249 Guardian
    #: articles give 75,000 distinct rows; a long stream must not keep them all)
    max_memo = 10_000

    def add(self, patterns, attrs, index=0):
        super().add(patterns, attrs, index)
        self._index = None

    def remove(self, key):
        super().remove(key)
        self._index = None

    def clear(self):
        super().clear()
        self._index = None

    def _build(self) -> _Index:
        """Compile the patterns: one-token rules indexed by a value they require, the other
        patterns into a ``Matcher`` with the first-token conditions that gate it."""
        strings = self.vocab.strings
        rest = Matcher(self.vocab, validate=False)
        rules: list[tuple[int, int, tuple]] = []
        gates: list[tuple] | None = []  # None: the other patterns must run on every doc
        for attr_id in range(len(self.attrs)):
            key = str(attr_id)
            match_id = strings.add(key)
            others = []
            for pattern in self.matcher.get(key)[1]:
                first = _conditions(pattern[0], strings) if pattern else None
                if len(pattern) == 1 and first is not None:
                    rules.append((attr_id, match_id, first))
                    continue
                others.append(pattern)
                gates = None if first is None or gates is None else gates + [first]
            if others:
                rest.add(match_id, others)
        # a gate is a rule whose match lets the other patterns run (attribute id -1)
        rules += [(-1, 0, conds) for conds in gates or ()]
        names = list(dict.fromkeys(n for _, _, conds in rules for n, _ in conds))
        col = {n: i for i, n in enumerate(names)}
        anchored: dict[tuple[int, int], list] = {}
        unanchored = []
        for attr_id, match_id, conds in rules:
            rule = (attr_id, match_id, tuple((col[n], acc) for n, acc in conds))
            # a value the rule requires, from the most selective attribute that has one
            anchor = min((c for c in conds if isinstance(c[1], frozenset)), default=None,
                         key=lambda c: (_ATTRS.index(c[0]), len(c[1])))
            if anchor is None:
                unanchored.append(rule)
            else:
                for value in anchor[1]:
                    anchored.setdefault((col[anchor[0]], value), []).append(rule)
        anchor_cols = sorted({c for c, _ in anchored})
        always = rest if len(rest) and gates is None else None
        gated = rest if len(rest) and gates is not None else None
        return _Index([getattr(A, n) for n in names], anchor_cols, anchored, unanchored, always, gated)

    def _judge(self, row: tuple) -> tuple[tuple[int, int], ...]:
        """The (attribute id, match id) of the one-token rules that a token with the values
        ``row`` matches; (-1, 0) for a gate."""
        index = self._index
        hits = []
        for c in index.anchor_cols:
            for attr_id, match_id, conditions in index.anchored.get((c, row[c]), ()):
                if all(row[k] in accepted for k, accepted in conditions):
                    hits.append((attr_id, match_id))
        for attr_id, match_id, conditions in index.unanchored:
            if all(row[k] in accepted for k, accepted in conditions):
                hits.append((attr_id, match_id))
        return tuple(hits)

    def match(self, doc):
        """The stock ruler's ``match``: (attribute id, match id, start, end), sorted."""
        if self._index is None:
            self._index = self._build()
            self._memo = {}
        ids = self._index.ids
        memo = self._memo  # a token's matches depend on its row of values only
        if len(memo) > self.max_memo:
            memo.clear()
        found = set()
        open_gate = False
        rows = doc.to_array(ids).reshape(len(doc), len(ids)).tolist() if ids and len(doc) else []
        for i, row in enumerate(map(tuple, rows)):
            hits = memo.get(row)
            if hits is None:
                hits = memo[row] = self._judge(row)
            for attr_id, match_id in hits:
                if attr_id < 0:
                    open_gate = True
                else:
                    found.add((attr_id, match_id, i, i + 1))
        matcher = self._index.always or (self._index.gated if open_gate else None)
        if matcher is not None:
            strings = self.vocab.strings
            for match_id, start, end in matcher(doc, allow_missing=True, as_spans=False):
                found.add((int(strings[match_id]), match_id, start, end))
        return sorted(found)


class CachedLemmatizer:
    """Mixed into a rule-mode :class:`~spacy.pipeline.Lemmatizer` class (see :func:`speed_up`):
    every word is cached by (form, POS, morphology), on which the rules depend, so the lemmas are
    the stock pipe's."""

    #: entries kept before the cache is emptied (a stream of new names must not grow it forever)
    max_cache = 20_000
    #: ``rule_lemmatize`` swaps the pipe's lookups for the call, so two threads sharing one pipe
    #: take turns (a miss only: cached words never get here)
    _swap_lock = threading.Lock()

    def __call__(self, doc):
        if self.mode != "rule" or not len(doc):
            return super().__call__(doc)
        if not self._validated:
            self._validate_tables(Errors.E1004)
        try:
            return self._lemmatize_all(doc)
        except Exception as e:
            return self.get_error_handler()(self.name, self, [doc], e)

    def rule_lemmatize(self, token):
        """spaCy's own rules, run against a copy of the lookups whose ``lemma_index`` word lists
        are sets: the rules only test membership, which in a list of 57,528 nouns is a scan."""
        with self._swap_lock:
            stock = self.lookups
            fast = self.__dict__.get("_set_lookups")
            if fast is None or fast[0] is not stock:
                fast = self._set_lookups = (stock, _with_index_sets(stock))
            self.lookups = fast[1]
            try:
                return super().rule_lemmatize(token)
            finally:
                self.lookups = stock

    def _lemmatize_all(self, doc):
        cache = self.cache  # spaCy's own cache, keyed the same way: one dict, not two
        if len(cache) > self.max_cache:
            cache.clear()
        strings = doc.vocab.strings
        table = doc.to_array([A.ORTH, A.POS, A.MORPH, A.LEMMA])
        changed = False
        for i, (orth, pos, morph, lemma) in enumerate(table.tolist()):
            if lemma and not self.overwrite:
                continue
            forms = cache.get((orth, pos, morph))
            if forms is None:
                forms = cache[(orth, pos, morph)] = self.rule_lemmatize(doc[i])
            table[i, 3] = strings.add(forms[0])
            changed = True
        if changed:
            doc.from_array([A.LEMMA], table[:, 3:4])
        return doc


def _with_index_sets(lookups: Any) -> Any:
    """A copy of ``lookups`` (a :class:`spacy.lookups.Lookups`) in which each part of speech's
    ``lemma_index`` list is a frozenset."""
    from spacy.lookups import Lookups

    out = Lookups()
    for name in lookups.tables:
        table = lookups.get_table(name)
        sets = name == "lemma_index"
        out.add_table(name, {key: frozenset(value) if sets else value for key, value in table.items()})
    return out


_CACHED: dict[type, type] = {}


def speed_up(nlp: Any) -> list[str]:
    """Upgrade ``nlp``'s stock ``attribute_ruler`` and rule-mode lemmatizers in place; return the
    names of the pipes upgraded.  A pipe of any other class (custom, or upgraded already) is left
    as it is, so a second call changes nothing."""
    done = []
    for name, pipe in nlp.components:
        base = type(pipe)
        if base is AttributeRuler:
            pipe.__class__ = IndexedAttributeRuler
        elif issubclass(base, Lemmatizer) and not issubclass(base, CachedLemmatizer) \
                and getattr(pipe, "mode", None) == "rule":
            if base not in _CACHED:  # e.g. spaCy's EnglishLemmatizer, with its own base-form test
                _CACHED[base] = type(f"Cached{base.__name__}", (CachedLemmatizer, base), {})
            pipe.__class__ = _CACHED[base]
            pipe.lemmatize = pipe.rule_lemmatize  # spaCy bound the stock method at construction
        else:
            continue
        done.append(name)
    return done


#: what a parsed token carries that these pipes set or that follows from them, compared by
#: :func:`same_annotations` (string attributes as their hashes, which are of the strings themselves)
ANNOTATION_COLUMNS = (A.ORTH, A.TAG, A.POS, A.MORPH, A.LEMMA, A.HEAD, A.DEP, A.ENT_IOB, A.ENT_TYPE)


def same_annotations(a: Any, b: Any) -> bool:
    """Do two parses of one text agree on every token's form, tag, POS, morphology, lemma, head,
    dependency and entity?  (How the tests and the benchmark check :func:`speed_up`.)"""
    if len(a) != len(b):
        return False
    cols = list(ANNOTATION_COLUMNS)
    return bool((a.to_array(cols) == b.to_array(cols)).all())
