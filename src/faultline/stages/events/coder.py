"""Rule-based PLOVER event coder over a spaCy dependency parse.

For every sentence the coder

1. finds triggers: verbs whose lemma and object/subject words match a lexicon
   pattern (or the verb's default code), and nominal triggers ("protests
   erupted", "an airstrike killed") — see :meth:`EventCoder._verb_trigger`
   and :meth:`EventCoder._noun_triggers`;
2. reads the roles from the parse (:meth:`EventCoder._subjects`,
   :meth:`EventCoder._recipients`), maps each role's noun phrase to the
   actors stage's mentions (``context.actor_at``) and keeps the head-most
   mention of every conjunct;
3. decides the modality from the chain of governors (:func:`modality_of`);
4. folds an event governed by a verbal event ("threatened to shell") into
   that event, turns future cooperative commitments into AGREE and future
   force into THREATEN (ontology.md), and drops what it is unsure of.

Everything the coder knows about words comes from the lexicon data
(:mod:`.lexicon`); nothing here is keyed to a particular text.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Protocol, Sequence

from ...records import ActorMention, ActorRef, Event, Location, stable_id
from .lexicon import CodeInfo, Lexicon, Pattern

__all__ = ["EventCoder", "Trigger", "modality_of"]

_WORDS = re.compile(r"\w+")
SUBJ_DEPS = {"nsubj", "nsubjpass", "csubj", "csubjpass"}
RIGHT_SKIP = {"nsubj", "nsubjpass", "csubj", "csubjpass", "conj", "cc", "punct", "advcl", "parataxis",
              "mark", "aux", "auxpass", "neg", "relcl", "expl", "ccomp", "agent", "appos", "npadvmod"}
VERBAL_TYPES = {"AGREE", "REQUEST", "REJECT", "THREATEN", "ACCUSE", "SUPPORT", "CONSULT"}
FOLDING_TYPES = {"AGREE", "REQUEST", "REJECT", "THREATEN"}
COOP_MATERIAL = {"AID", "COOPERATE", "CONCEDE", "SUPPORT"}
FORCE_MATERIAL = {"ASSAULT", "COERCE", "SANCTION"}
# which prepositions may introduce a recipient, by PLOVER type
TYPE_PREPS = {
    "CONSULT": {"with", "to", "by"},
    "REQUEST": {"on", "upon", "to", "for", "from"},
    "ACCUSE": {"against", "at", "on", "over", "to"},
    "REJECT": {"from", "to"},
    "THREATEN": {"against", "on", "with", "to"},
    "PROTEST": {"against", "outside", "at", "on"},
    "ASSAULT": {"against", "on", "at", "in", "upon", "into"},
    "COERCE": {"against", "on", "from", "in"},
    "SANCTION": {"against", "on", "from", "with"},
    "MOBILIZE": {"against", "toward", "towards"},
    "AID": {"to", "for"},
    "COOPERATE": {"with", "to"},
    "SUPPORT": {"to", "for", "with"},
    "AGREE": {"with", "to"},
    "CONCEDE": {"to"},
    "RETREAT": {"to", "from"},
}
# the THREATEN/REQUEST/REJECT mode an inner (folded) event suggests
THREAT_MODE = {"ASSAULT": "violence", "COERCE": "restrict", "SANCTION": "relations", "MOBILIZE": "violence"}
ASK_MODE = {"AID": "assist", "COOPERATE": "assist", "SUPPORT": "assist", "RETREAT": "yield", "CONCEDE": "yield",
            "CONSULT": "meet", "AGREE": "meet"}
PRONOUN_TAGS = {"PRP", "PRP$", "WP", "WDT", "EX", "DT"}
_WORD = re.compile(r"[a-z][a-z'\-]*")


class ContextLike(Protocol):
    published: str | None

    def actor_at(self, start: int, end: int) -> tuple[ActorMention, ...]: ...

    def date_for(self, start: int, end: int) -> str | None: ...

    def location_for(self, start: int, end: int) -> Location | None: ...


@dataclass(slots=True)
class Trigger:
    token: Any  # the spaCy token that carries the event (a verb, or the noun)
    verb: Any  # the verb whose clause states the event (== token for verbal triggers)
    info: CodeInfo
    type: str
    mode: str
    weight: int  # how specific the matched pattern was (0 = the verb's default code)
    kind: str  # "verb" | "noun"
    curated: bool = False
    text: str = ""
    recipients: tuple = ()  # role heads fixed by the trigger rule itself (deontic speech)
    matched: frozenset = frozenset()  # words of the pattern that matched (the act's own nouns)
    intent: bool = False  # an intent adjective ("willing to")


@dataclass(slots=True)
class Draft:
    trig: Trigger
    actor: list[ActorRef] = field(default_factory=list)
    recipient: list[ActorRef] = field(default_factory=list)
    actor_resolved: bool = False
    recipient_resolved: bool = False
    passive_no_agent: bool = False
    modality: str = "asserted"
    source: ActorRef | None = None
    why: list[str] = field(default_factory=list)
    start: int = 0
    end: int = 0
    folded: bool = False
    future_kind: str = ""


def _low(tok) -> str:
    return tok.lower_


def _bag(tokens: Iterable[Any]) -> set[str]:
    out: set[str] = set()
    for t in tokens:
        out.add(t.lower_)
        out.add(t.lemma_.lower())
    return out


def _slot_hit(slot: tuple[frozenset[str], tuple[str, ...]], bag: set[str], phrase: str) -> bool:
    """A pattern slot is filled when one of its single words is in ``bag`` or one of its
    multi-word alternatives (padded with spaces) occurs in ``phrase`` (a slot as split by
    :meth:`EventCoder._compiled`)."""
    words, phrases = slot
    return not words.isdisjoint(bag) or any(p in phrase for p in phrases)


def _conjuncts(tok) -> list[Any]:
    out = [tok]
    for c in tok.children:
        if c.dep_ == "conj":
            out.extend(_conjuncts(c))
    return out


def _misparsed_main_verb(verb) -> bool:
    """The small model's misparse of "Hundreds of Serbs protested on Tuesday": the subject noun
    becomes the sentence ROOT and the real main verb a participle ``acl`` hanging off it.  With no
    other verb in charge of the sentence, the participle is the main clause, in the active voice."""
    head = verb.head
    return (verb.dep_ == "acl" and verb.tag_ in ("VBD", "VBN") and head.dep_ == "ROOT"
            and head.pos_ in ("NOUN", "PROPN") and verb.i > head.i
            and not any(c.dep_ in ("agent", "auxpass") for c in verb.children))


def _is_passive(verb) -> bool:
    if _misparsed_main_verb(verb):
        return False
    return any(c.dep_ in ("nsubjpass", "auxpass", "csubjpass") for c in verb.children) or (
        verb.tag_ == "VBN" and verb.dep_ in ("acl",) )


class EventCoder:
    """Codes PLOVER events from spaCy sentences plus an actors-stage context."""

    def __init__(self, lexicon: Lexicon, *, min_confidence: float = 0.0) -> None:
        self.lex = lexicon
        self.min_confidence = min_confidence
        c = lexicon.cue
        self.hyp_aux, self.fut_aux = c("modality.hypothetical_aux"), c("modality.future_aux")
        self.cond_marks, self.hyp_nouns = c("modality.conditional_marks"), c("modality.hypothetical_nouns")
        self.hyp_gov, self.neg_gov = c("modality.hypothetical_governors"), c("modality.negating_governors")
        self.neg_words, self.fut_gov = c("modality.negation_words"), c("modality.future_governors")
        self.fut_marks, self.rep_adv = c("modality.future_marks"), c("modality.reported_adverbs")
        self.speech, self.hedge_speech = c("modality.speech_verbs"), c("modality.hedging_speech")
        self.perception = c("modality.perception_verbs")
        self.rel_pron, self.reflexives = c("roles.relative_pronouns"), c("roles.reflexives")
        self.np_cut = c("roles.np_cut")
        self.obj_control, self.subj_control = c("roles.object_control"), c("roles.subject_control")
        self.vague = c("roles.vague_heads")
        self.intent_adj = c("modality.intent_adjectives")
        self.human = c("roles.human_nouns")
        self.documents, self.instruments = c("roles.document_nouns"), c("roles.instrument_nouns")
        self.intent_gov = c("modality.intent_governors")
        self.deontic_speech, self.deontic_aux = c("modality.deontic_speech"), c("modality.deontic_aux")
        self.protest_verbs, self.state_sectors = c("roles.protest_verbs"), c("roles.state_sectors")
        self.occurrence, self.support = c("nouns.occurrence_verbs"), c("nouns.support_verbs")
        self.trace: dict[str, dict[str, float]] | None = None  # set to {} to collect features by event id
        self.weights = dict(lexicon.calibration) or {
            k.split(".", 1)[1]: float(v) for k, v in lexicon.cues.items() if k.startswith("confidence.")}
        self.noun_max = max((len(w.split()) for w in lexicon.nouns), default=1)
        ctx, first = {}, {}
        for key, words in lexicon.cues.items():
            if key.startswith("contexts.") and words:
                alts = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
                ctx[key.split(".", 1)[1]] = re.compile(rf"\b(?:{alts})\b")
                # a cue that starts with a word character can only match where that first word is a
                # whole word of the paragraph: a set test skips most regex scans (None: always scan)
                heads = [_WORDS.match(w.lower()) for w in words]
                first[key.split(".", 1)[1]] = (frozenset(h.group() for h in heads) if all(heads) else None)
        self.context_res = ctx
        self._pattern_cache: dict[int, tuple] = {}
        self._context_first = first

    # ------------------------------------------------------------------ public
    def code_doc(self, doc, context: ContextLike, *, doc_id: str, text: str | None = None) -> tuple[Event, ...]:
        """Every event in a parsed ``doc`` (offsets into ``text``, which ``doc`` parsed)."""
        text = doc.text if text is None else text
        paragraphs = self._paragraph_contexts(text)
        events: list[Event] = []
        seen: set[str] = set()
        for sent in doc.sents:
            for ev in self.code_sentence(sent, context, doc_id=doc_id, text=text, paragraphs=paragraphs):
                if ev.id not in seen:
                    seen.add(ev.id)
                    events.append(ev)
        return tuple(events)

    def code_sentence(self, sent, context: ContextLike, *, doc_id: str, text: str,
                      paragraphs: Sequence[tuple[int, int, frozenset[str]]] = ()) -> list[Event]:
        if len(sent) < 3 or len(sent) > 150:
            return []
        triggers = self._triggers(sent)
        if not triggers:
            return []
        drafts = [self._draft(t, context, sent) for t in triggers]
        self._fold(drafts)
        events = []
        for d in drafts:
            events.extend(self._finish(d, context, doc_id=doc_id, text=text, paragraphs=paragraphs,
                                       n_triggers=len(drafts)))
        return events

    # ---------------------------------------------------------------- triggers
    def _triggers(self, sent) -> list[Trigger]:
        out: list[Trigger] = []
        used_nouns: set[int] = set()
        toks = list(sent)  # the four passes below share one Token object per word
        for tok in toks:
            if tok.pos_ == "VERB" or (tok.pos_ == "AUX" and tok.dep_ not in ("aux", "auxpass")) \
                    or (tok.tag_ in ("VBG", "VBN", "VB", "VBD", "VBZ", "VBP") and tok.pos_ != "AUX"):
                trig = self._verb_trigger(tok)
                if trig is not None:
                    out.append(trig)
                    # nouns inside the verb's matched object are part of this event
                    for c in tok.children:
                        if c.dep_ in ("dobj", "nsubjpass", "attr", "oprd"):
                            used_nouns.add(c.i)
        out.extend(self._noun_triggers(toks, used_nouns, {t.token.i for t in out}))
        out.extend(self._intent_triggers(toks, {t.token.i for t in out}))
        out.extend(self._deontic_triggers(toks, {t.token.i for t in out}))
        return out

    def _deontic_triggers(self, sent_tokens, taken: set[int]) -> list[Trigger]:
        """"X said (that) Y must/should <act>": X asks Y to act (REQUEST)."""
        out = []
        info = self.lex.info("100")
        if info is None:
            return out
        for tok in sent_tokens:
            if tok.i in taken or tok.lemma_.lower() not in self.deontic_speech:
                continue
            for c in tok.children:
                if c.dep_ != "ccomp":
                    continue
                modal = [a for a in c.children if a.dep_ == "aux" and a.lower_ in self.deontic_aux]
                subj = [a for a in c.children if a.dep_ in ("nsubj", "nsubjpass")]
                if not modal or not subj or subj[0].lower_ in ("we", "i", "it", "there", "this", "that"):
                    continue
                if any(a.dep_ == "neg" for a in c.children):
                    continue
                out.append(Trigger(token=tok, verb=tok, info=info, type="REQUEST", mode="", weight=1, kind="verb",
                                   curated=True, text=tok.text, recipients=tuple(subj)))
                break
        return out

    def _intent_triggers(self, sent_tokens, taken: set[int]) -> list[Trigger]:
        """"X is willing/ready/prepared/committed to <act>": an expressed intent (AGREE)."""
        out = []
        info = self.lex.info("030")
        if info is None:
            return out
        for tok in sent_tokens:
            if tok.i in taken or tok.lemma_.lower() not in self.intent_adj and tok.lower_ not in self.intent_adj:
                continue
            if tok.dep_ not in ("acomp", "ROOT", "xcomp", "ccomp", "conj", "advcl", "amod") or tok.dep_ == "amod":
                continue
            inner = [c for c in tok.children if c.dep_ in ("xcomp", "advcl") and c.pos_ in ("VERB", "AUX")]
            inner += [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "to"
                      for g in c.children if g.dep_ == "pcomp"]
            if not inner:
                continue
            out.append(Trigger(token=tok, verb=tok, info=info, type="AGREE", mode="", weight=1, kind="verb",
                               curated=True, text=tok.text, intent=True))
        return out

    def _bags(self, verb) -> tuple[set[str], str, set[str], str]:
        left_toks: list[Any] = []
        right_toks: list[Any] = []
        passive = _is_passive(verb)
        for c in verb.children:
            if c.lower_ == "according":
                continue  # attribution, not part of what was done
            if c.dep_ in ("nsubj", "csubj"):
                left_toks.extend(_walk(c))
            elif c.dep_ == "agent":
                left_toks.extend(_walk(c))
            elif c.dep_ in ("nsubjpass", "csubjpass"):
                right_toks.extend(_walk(c))
            elif c.dep_ == "advcl" and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children):
                right_toks.extend(t for t in c.subtree if t.i <= c.i)
            elif c.dep_ in RIGHT_SKIP:
                continue
            elif c.i > verb.i or c.dep_ in ("dobj", "prt", "dative"):
                right_toks.extend(_walk(c))
        if not left_toks:
            for s in self._subject_heads(verb, passive=passive, depth=0):
                left_toks.extend(self._np_tokens(s))
        if verb.dep_ == "acl" and verb.tag_ == "VBN":
            right_toks.extend(self._np_tokens(verb.head))
        lphrase = " " + " ".join(t.lower_ for t in left_toks) + " "
        rphrase = " " + " ".join(t.lower_ for t in sorted(right_toks, key=lambda t: t.i)) + " "
        return _bag(left_toks), lphrase, _bag(right_toks), rphrase

    def _verb_entry(self, verb):
        """The lexicon entry of ``verb`` (tolerating the model's lemma slips: "staging" → "stag")."""
        lemma = verb.lemma_.lower()
        entry = self.lex.verbs.get(lemma)
        if entry is not None:
            return entry
        low = verb.lower_
        for suffix, add in (("ing", "e"), ("ing", ""), ("ed", "e"), ("ed", ""), ("d", ""), ("es", ""), ("s", "")):
            if low.endswith(suffix) and len(low) > len(suffix) + 2:
                entry = self.lex.verbs.get(low[: -len(suffix)] + add)
                if entry is not None:
                    return entry
        return None

    def _compiled(self, patterns: Sequence[Pattern]) -> list[tuple[Pattern, tuple, tuple]]:
        """``patterns`` heaviest first (stable), each slot split into its single words (a set test)
        and its multi-word alternatives (padded for a substring test); built once per entry."""
        hit = self._pattern_cache.get(id(patterns))
        if hit is None:
            def split(slot: frozenset[str]) -> tuple[frozenset[str], tuple[str, ...]]:
                return (frozenset(a for a in slot if " " not in a), tuple(f" {a} " for a in slot if " " in a))

            ordered = sorted(patterns, key=lambda p: -p.weight)
            hit = (patterns, [(p, tuple(map(split, p.after)), tuple(map(split, p.before))) for p in ordered])
            self._pattern_cache[id(patterns)] = hit  # the entry is kept, so its id stays unique
        return hit[1]

    def _verb_trigger(self, verb) -> Trigger | None:
        entry = self._verb_entry(verb)
        if entry is None:
            return None
        if verb.dep_ == "amod" or (verb.dep_ == "compound"):
            return None
        default, patterns, vmode, vtype = entry
        left, lphrase, right, rphrase = self._bags(verb)
        # the heaviest pattern that matches (the first of equals): patterns are tried heaviest first
        best: Pattern | None = None
        for p, after, before in self._compiled(patterns):
            if all(_slot_hit(s, right, rphrase) for s in after) and all(_slot_hit(s, left, lphrase) for s in before):
                best = p
                break
        code, weight, mode_override, type_override, curated = default, 0, vmode, vtype, False
        if best is not None:
            code, weight, curated = best.code, best.weight, best.curated
            mode_override, type_override = best.mode, best.type
        if not code:
            return None
        info = self.lex.info(code)
        if info is None:
            return None
        if weight == 0 and info.quad in (2, 4) and any(
                c.dep_ == "ccomp" and any(g.dep_ == "mark" for g in c.children) for c in verb.children):
            return None  # "demonstrate that ...", "show that ...": a claim, not an act
        ptype = type_override or info.type
        mode = mode_override if mode_override is not None else info.mode
        if mode and mode not in self.lex.types[ptype]["modes"]:
            mode = ""
        text = verb.text
        prt = [c for c in verb.children if c.dep_ == "prt"]
        if prt:
            text = f"{verb.text} {prt[0].text}"
        matched = frozenset(w for slot in best.after for w in slot) if best is not None else frozenset()
        return Trigger(token=verb, verb=verb, info=info, type=ptype, mode=mode, weight=weight, kind="verb",
                       curated=curated, text=text, matched=matched)

    def _noun_phrase_key(self, tok) -> tuple[str, str] | None:
        """The longest lexicon noun phrase ending at ``tok`` (by surface, then lemma)."""
        nouns = self.lex.nouns
        for n in range(min(self.noun_max, tok.i - tok.sent.start + 1), 0, -1):
            span = tok.doc[tok.i - n + 1: tok.i + 1]
            key = " ".join(t.lower_ for t in span)
            if key in nouns:
                return key, span.text
            key2 = " ".join([t.lower_ for t in span[:-1]] + [tok.lemma_.lower()])
            if key2 in nouns:
                return key2, span.text
        return None

    def _noun_triggers(self, sent_tokens, used: set[int], verb_triggers: set[int]) -> list[Trigger]:
        out = []
        for tok in sent_tokens:
            if tok.pos_ not in ("NOUN", "PROPN") or tok.i in used or tok.dep_ == "compound":
                continue
            # the syntactic licence first (cheap), the lexicon phrase look-up only when it holds:
            # the subject of an occurrence verb ("clashes erupted") or the object of a support verb
            head = tok.head
            ok = False
            if tok.dep_ in ("nsubj", "nsubjpass") and head.lemma_.lower() in self.occurrence \
                    and head.i not in verb_triggers:
                ok = True
            elif tok.dep_ in ("dobj",) and head.lemma_.lower() in self.support and head.i not in verb_triggers:
                ok = True
            if not ok:
                continue
            hit = self._noun_phrase_key(tok)
            if hit is None:
                continue
            key, surface = hit
            code, mode = self.lex.nouns[key]
            info = self.lex.info(code)
            if info is None:
                continue
            ptype = info.type
            mode = mode if mode is not None else info.mode
            if mode and mode not in self.lex.types[ptype]["modes"]:
                mode = ""
            out.append(Trigger(token=tok, verb=head, info=info, type=ptype, mode=mode, weight=1, kind="noun",
                               curated=True, text=surface))
        return out

    # ------------------------------------------------------------------- roles
    def _subject_heads(self, verb, *, passive: bool, depth: int) -> list[Any]:
        """The token(s) heading the agent of ``verb`` (empty when the text names none)."""
        if depth > 6:
            return []
        subs = [c for c in verb.children if c.dep_ in ("nsubj", "csubj")]
        if subs:
            if subs[0].lower_ in self.rel_pron and verb.dep_ == "relcl":
                return [verb.head]
            return subs
        for c in verb.children:
            if c.dep_ == "agent":
                objs = [g for g in c.children if g.dep_ == "pobj"]
                return objs[:1]
        if passive and any(c.dep_ in ("nsubjpass", "csubjpass") for c in verb.children):
            return []  # a passive without an agent: never invent one
        dep = verb.dep_
        head = verb.head
        if head.i == verb.i:
            return []
        if dep == "conj":
            return self._subject_heads(head, passive=_is_passive(head), depth=depth + 1)
        if dep in ("acomp", "attr", "oprd") and verb.pos_ in ("ADJ", "VERB"):
            return self._subject_heads(head, passive=False, depth=depth + 1)
        if dep in ("xcomp", "advcl") and any(g.dep_ == "aux" and g.lower_ == "to" for g in verb.children) \
                or dep == "xcomp":
            pas = [c for c in head.children if c.dep_ == "nsubjpass"]
            if pas:
                return pas[:1]  # "X were forced to leave", "X could be seen flying"
            objs = [c for c in head.children if c.dep_ in ("dobj",)]
            hl = head.lemma_.lower()
            if objs and (hl in self.obj_control or (dep == "xcomp" and hl not in self.subj_control)):
                return [objs[0]]
            return self._subject_heads(head, passive=False, depth=depth + 1)
        if _misparsed_main_verb(verb):
            return [head]
        if dep in ("acl", "relcl") and verb.tag_ == "VBG":
            if head.pos_ == "NOUN" and head.lemma_.lower() in self.documents and head.dep_ in ("dobj", "pobj"):
                return self._subject_heads(head.head, passive=False, depth=depth + 1)  # "issued a statement demanding"
            return [head]
        if dep == "relcl":
            return [head]
        if dep in ("advcl", "pcomp") and verb.tag_ in ("VBG", "VBN", "VB"):
            if dep == "pcomp" and head.dep_ == "prep" and head.head.pos_ in ("NOUN", "PROPN"):
                return []
            target = head.head if dep == "pcomp" else head
            return self._subject_heads(target, passive=_is_passive(target), depth=depth + 1)
        if dep == "ccomp" and verb.tag_ == "VBG":
            return []
        return []

    def _np_tokens(self, head) -> list[Any]:
        keep = [head]
        stack = [c for c in head.children if c.dep_ not in self.np_cut]
        while stack:
            t = stack.pop()
            keep.append(t)
            stack.extend(c for c in t.children if c.dep_ not in ("relcl", "acl", "advcl", "parataxis", "conj", "cc", "appos")
                         or t.dep_ == "compound")
        return sorted(keep, key=lambda t: t.i)

    def _refs(self, head, context: ContextLike) -> tuple[list[ActorRef], bool]:
        """ActorRefs for the noun phrase headed by ``head`` and its conjuncts."""
        refs: list[ActorRef] = []
        resolved = False
        seen = set()
        for conj in _conjuncts(head):
            toks = self._np_tokens(conj)
            start, end = toks[0].idx, toks[-1].idx + len(toks[-1])
            if not any(c.dep_ == "conj" for c in conj.children) and conj.dep_ != "conj":
                pass
            sent = conj.sent
            idx = {t.i for t in toks}
            doc = conj.doc
            cands = []
            for m in context.actor_at(sent.start_char, sent.end_char):
                if m.end <= start or m.start >= end:
                    continue
                span = doc.char_span(m.start, m.end, alignment_mode="expand")
                if span is None:
                    continue
                inside = [t for t in span if t.i in idx]
                if not inside:
                    continue
                cands.append((min(_depth(t, conj) for t in inside), m))
            if not cands and conj.lower_ in self.rel_pron and conj.head.dep_ == "relcl":
                continue
            if not cands:
                # a country named only as a place ("recalled its ambassador from Israel") stands for its state
                for p in getattr(context, "places", ()):
                    if p.country and p.feature == "country" and start <= p.start and p.end <= end \
                            and doc.char_span(p.start, p.end, alignment_mode="expand") is not None \
                            and doc.char_span(p.start, p.end, alignment_mode="expand").root.i == conj.i:
                        key = (p.name, p.country, None, p.text)
                        if key not in seen:
                            seen.add(key)
                            refs.append(ActorRef(text=p.text, name=p.name, country=p.country))
                            resolved = True
                        break
                else:
                    p = None
                if p is not None and refs and refs[-1].country == p.country:
                    continue
            if cands:
                with_country = [c for c in cands if c[1].country]
                pool = with_country or cands
                best_d = min(d for d, _ in pool)
                chosen = [m for d, m in pool if d == best_d]
                # coordinated modifiers ("French and Egyptian warships"): the countries of the
                # modifiers nested inside a chosen mention are actors too
                for outer_m in list(chosen):
                    if " and " not in f" {outer_m.text.lower()} ":
                        continue
                    for _, m in with_country:
                        if m is not outer_m and outer_m.start <= m.start and m.end <= outer_m.end \
                                and all(m.country != c.country for c in chosen):
                            chosen.append(m)
                for m in chosen:
                    key = (m.name, m.country, m.sector, m.text)
                    if key not in seen:
                        seen.add(key)
                        refs.append(m.ref())
                        resolved = resolved or bool(m.country)
                continue
            if conj.tag_ in PRONOUN_TAGS or conj.lower_ in self.reflexives or conj.pos_ == "PRON" \
                    or conj.lemma_.lower() in self.vague or conj.pos_ not in ("NOUN", "PROPN", "NUM"):
                continue
            head_tok = conj
            if conj.pos_ == "NUM" or conj.lemma_.lower() in ("hundred", "thousand", "dozen", "million", "group", "number"):
                objs = [g for c in conj.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
                head_tok = objs[0] if objs else conj
            if conj.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"):
                continue
            named_mod = any(c.ent_type_ in ("PERSON", "NORP", "ORG", "GPE") for c in head_tok.children
                            if c.dep_ in ("compound", "amod", "poss", "nmod"))
            if not (head_tok.ent_type_ in ("PERSON", "NORP", "ORG", "GPE") or head_tok.lemma_.lower() in self.human
                    or head_tok.lower_ in self.human or named_mod):
                continue  # not an agent: an unresolved role must at least name people or a body
            phrase = conj.doc[toks[0].i: toks[-1].i + 1].text
            if len(phrase) > 80:
                phrase = conj.text
            key = (None, None, None, phrase)
            if key not in seen:
                seen.add(key)
                refs.append(ActorRef(text=phrase))
        return refs, resolved

    def _recipient_heads(self, trig: Trigger, passive: bool) -> list[Any]:
        verb = trig.verb
        heads: list[Any] = list(trig.recipients)
        preps = TYPE_PREPS.get(trig.type, set())
        if trig.recipients:
            return heads
        if trig.type == "REQUEST" and trig.kind == "verb":
            for c in verb.children:
                if c.dep_ == "ccomp":
                    heads.extend(g for g in c.children if g.dep_ == "nsubj")
        if trig.kind == "noun":
            noun = trig.token
            for c in noun.children:
                if c.dep_ == "prep" and c.lower_ in preps | {"on", "against"}:
                    heads.extend(g for g in c.children if g.dep_ == "pobj")
            if noun.dep_ in ("nsubj",) and trig.type in ("ASSAULT", "COERCE"):
                heads.extend(c for c in verb.children if c.dep_ == "dobj")
            return heads
        if trig.type != "MOBILIZE":
            for c in verb.children:
                if c.dep_ == ("nsubjpass" if passive else "dobj") or c.dep_ == "dative":
                    if c.pos_ in ("NOUN", "PROPN", "PRON"):
                        heads.append(c)
        for c in verb.children:
            if c.dep_ == "prep" and c.lower_ in preps:
                heads.extend(g for g in c.children if g.dep_ == "pobj")
            if c.dep_ in ("dobj",) and trig.type not in ("MOBILIZE",):
                for g in c.children:  # "staged protests against X", "airstrikes on X"
                    if g.dep_ == "prep" and g.lower_ in preps:
                        heads.extend(x for x in g.children if x.dep_ == "pobj")
        return heads

    # ---------------------------------------------------------------- drafting
    def _draft(self, trig: Trigger, context: ContextLike, sent) -> Draft:
        d = Draft(trig=trig)
        verb = trig.verb
        passive = trig.kind == "verb" and _is_passive(verb)
        if trig.kind == "noun":
            subj: list[Any] = []
            noun = trig.token
            for c in noun.children:
                if c.dep_ in ("poss", "amod", "compound") and c.i < noun.i and c.pos_ in ("PROPN", "ADJ", "NOUN"):
                    subj.append(c)
                if c.dep_ == "prep" and c.lower_ == "by":
                    subj.extend(g for g in c.children if g.dep_ == "pobj")
            if noun.dep_ == "dobj":
                subj.extend(self._subject_heads(verb, passive=_is_passive(verb), depth=0))
        else:
            if trig.intent:
                passive = False
                subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")] or \
                    self._subject_heads(verb, passive=False, depth=0)
            else:
                subj = self._subject_heads(verb, passive=passive, depth=0)
            if passive and not subj:
                d.passive_no_agent = True
                if trig.type == "MOBILIZE":  # the mobilised forces are the actor (ontology)
                    subj = [c for c in verb.children if c.dep_ == "nsubjpass"]
                    if verb.dep_ == "acl" and not subj:
                        subj = [verb.head]
        if trig.kind == "verb" and subj and all(
                x.lemma_.lower() in self.instruments or x.lower_ in self.lex.nouns or
                x.lemma_.lower() in self.lex.nouns for x in subj):
            d.passive_no_agent = True  # "an explosive device killed ...", "airstrikes have killed ...": no actor named
            d.why.append(f"instrument subject '{subj[0].text}'")
            subj = []
        actor_refs: list[ActorRef] = []
        for s in subj:
            refs, res = self._refs(s, context)
            actor_refs.extend(r for r in refs if r not in actor_refs)
            d.actor_resolved = d.actor_resolved or res
        if trig.kind == "verb" and trig.token.lemma_.lower() in self.protest_verbs and actor_refs:
            statey = all((r.sector or "") in self.state_sectors for r in actor_refs) or any(
                c.dep_ == "ccomp" for c in trig.token.children) or trig.token.dep_ == "parataxis"
            want = "111" if statey else "141"
            if trig.info.code != want and trig.type in ("PROTEST", "ACCUSE") and self.lex.info(want):
                trig.info = self.lex.info(want)
                trig.type = trig.info.type
                trig.mode = "disapprove" if statey else "demo"
                d.why.append("a state's protest is a complaint (ACCUSE)" if statey else "people protesting (PROTEST)")
        if not d.actor_resolved and subj and all(x.pos_ == "PRON" for x in subj):
            speaker = self._speaker(verb)
            if speaker is not None:
                refs, res = self._refs(speaker, context)
                if refs:
                    actor_refs, d.actor_resolved = refs, res
                    d.why.append(f"pronoun subject read as the speaker '{speaker.text}'")
        d.actor = actor_refs
        rec_refs: list[ActorRef] = []
        for h in self._recipient_heads(trig, passive):
            refs, res = self._refs(h, context)
            if not res and h.dep_ in ("dobj", "nsubjpass") and (h.lower_ in trig.matched or h.lemma_.lower() in trig.matched):
                continue  # "imposed sanctions", "declared a state of emergency": the act's own noun
            for r in refs:
                if r not in rec_refs and (r.country or res is False):
                    rec_refs.append(r)
            d.recipient_resolved = d.recipient_resolved or res
        if trig.type == "CONSULT" and trig.mode == "visit" and not d.recipient_resolved:
            rec_refs = self._visit_place(verb, context) or rec_refs
            d.recipient_resolved = any(r.country for r in rec_refs)
        # an actor never receives its own event (reflexive coding noise)
        d.recipient = [r for r in rec_refs if not any(_same(r, a) for a in d.actor)]
        d.modality, d.source, why, d.future_kind = self._modality(trig, context)
        d.why.extend(why)
        d.start, d.end = self._quote_span(trig, subj)
        return d

    def _announced(self, verb) -> bool:
        """Is ``verb`` the content of an announcement or decision ("announced it would ...")?"""
        cur = verb
        for _ in range(4):
            if cur.head.i == cur.i or cur.dep_ not in ("ccomp", "xcomp", "conj"):
                return False
            if cur.head.lemma_.lower() in ("announce", "decide", "declare", "order", "rule", "vote"):
                return True
            cur = cur.head
        return False

    def _speaker(self, verb):
        """The subject of the speech verb whose complement holds ``verb`` ("X said he would ...")."""
        cur = verb
        for _ in range(4):
            if cur.head.i == cur.i:
                return None
            if cur.dep_ == "ccomp" and cur.head.lemma_.lower() in self.speech:
                subj = [c for c in cur.head.children if c.dep_ == "nsubj"]
                return subj[0] if subj and subj[0].pos_ != "PRON" else None
            if cur.dep_ not in ("xcomp", "conj", "ccomp", "acomp"):
                return None
            cur = cur.head
        return None

    def _visit_place(self, verb, context) -> list[ActorRef]:
        places = getattr(context, "places", ())
        for c in verb.children:
            if c.dep_ in ("dobj",) or (c.dep_ == "prep" and c.lower_ in ("to", "in")):
                toks = list(c.subtree)
                s, e = toks[0].idx, toks[-1].idx + len(toks[-1])
                for p in places:
                    if p.start >= s and p.end <= e and p.country:
                        return [ActorRef(text=p.text, name=p.name, country=p.country, sector="GOV")]
        return []

    # ---------------------------------------------------------------- modality
    def _modality(self, trig: Trigger, context: ContextLike) -> tuple[str, ActorRef | None, list[str], str]:
        flags: dict[str, str] = {}
        source: ActorRef | None = None
        future_kind = ""
        node = trig.verb
        edge = "self"
        child = None
        level = 0
        chain_ok = True  # only xcomp/conj links so far: the clause's tense still applies
        while True:
            if level > 0 and edge not in ("xcomp", "conj", "advcl-to"):
                chain_ok = False
            low = node.lemma_.lower()
            kids = list(node.children)
            aux = [c for c in kids if c.dep_ in ("aux", "auxpass")]
            aux_l = {c.lower_ for c in aux} | {c.lemma_.lower() for c in aux}
            if level == 0 or edge in ("xcomp", "conj", "acomp", "advcl-to"):
                if any(c.dep_ == "neg" or c.lower_ in self.neg_words and c.dep_ in ("advmod", "det") for c in kids):
                    flags.setdefault("negated", f"negated ({node.text})")
            if level > 0 and edge in ("xcomp", "ccomp", "pcomp", "acomp", "prep", "pobj", "advcl-to") and low in self.neg_gov:
                flags.setdefault("negated", f"governed by '{node.text}'")
            modal = aux_l & self.hyp_aux
            if modal and low not in self.perception:
                if "would" in modal and self._in_speech(node):
                    flags.setdefault("future", "'would' in reported speech")
                    future_kind = future_kind or "intent"
                else:
                    flags.setdefault("hypothetical", f"modal '{sorted(modal)[0]}'")
            if aux_l & self.fut_aux:
                flags.setdefault("future", "'will'")
                future_kind = future_kind or "intent"
            if chain_ok and node.tag_ in ("VBZ", "VBP") and any(
                    c.dep_ == "mark" and c.lower_ in self.fut_marks for c in kids):
                flags.setdefault("future", f"present tense after '{[c for c in kids if c.dep_ == 'mark'][0].text}'")
                future_kind = future_kind or "scheduled"
            for c in kids:
                if c.dep_ == "mark" and c.lower_ in self.cond_marks:
                    flags.setdefault("hypothetical", f"condition '{c.text}'")
                if c.dep_ == "prep" and c.lower_ in ("in", "under"):
                    if any(g.lemma_.lower() in ("case", "event") for g in c.children if g.dep_ == "pobj"):
                        flags.setdefault("hypothetical", "'in case of'")
                if c.dep_ == "advmod" and c.lower_ in self.rep_adv:
                    flags.setdefault("reported", f"hedged '{c.text}'")
                if c.dep_ == "prep" and c.lower_ == "according":
                    flags.setdefault("reported", "'according to'")
                    objs = [x for g in c.children for x in g.children if x.dep_ == "pobj"]
                    if objs and source is None:
                        refs, _ = self._refs(objs[0], context)
                        source = refs[0] if refs else None
            if level > 0:
                # "announced that it has called off / had withdrawn": a report of a past act, not an intent
                past_report = edge == "ccomp" and child is not None and (
                    child.tag_ == "VBD" or any(c.dep_ == "aux" and c.lemma_.lower() == "have" for c in child.children))
                if edge in ("xcomp", "ccomp", "acomp", "pcomp", "advcl-to", "prep") and not past_report and (
                        low in self.fut_gov or low in self.intent_adj):
                    flags.setdefault("future", f"governed by '{node.text}'")
                    future_kind = future_kind or ("intent" if low in self.intent_gov else "scheduled")
                if low == "be" and edge == "xcomp":
                    flags.setdefault("future", "'is to'")
                    future_kind = future_kind or "scheduled"
                if edge in ("xcomp", "ccomp", "acomp", "pcomp", "acl", "advcl", "advcl-to") and low in self.hyp_gov and low not in self.fut_gov:
                    flags.setdefault("hypothetical", f"governed by '{node.text}'")
                if edge in ("acl", "pcomp", "relcl", "prep", "pobj") and low in self.hyp_nouns and node.pos_ == "NOUN":
                    flags.setdefault("hypothetical", f"'{node.text}' of an event")
                if edge in ("ccomp", "parataxis") and low in self.speech:
                    if low in self.hedge_speech:
                        flags.setdefault("reported", f"claimed ('{node.text}')")
                    if source is None:
                        subj = [c for c in kids if c.dep_ in ("nsubj",)]
                        if subj:
                            refs, _ = self._refs(subj[0], context)
                            source = refs[0] if refs else None
            if node.dep_ in ("relcl", "appos") or node.head.i == node.i:
                break
            edge = node.dep_
            if edge == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in node.children):
                edge = "advcl-to"
            child = node
            node = node.head
            level += 1
            if level > 12:
                break
        for m in ("negated", "hypothetical", "future", "reported"):
            if m in flags:
                return m, source, [flags[m]], future_kind if m == "future" else ""
        return "asserted", source, [], ""

    def _in_speech(self, node) -> bool:
        cur = node
        for _ in range(4):
            if cur.head.i == cur.i:
                return False
            if cur.dep_ in ("ccomp",) and cur.head.lemma_.lower() in self.speech | self.fut_gov:
                return True
            cur = cur.head
        return False

    # ------------------------------------------------------------------ quote
    def _quote_span(self, trig: Trigger, subj: Sequence[Any]) -> tuple[int, int]:
        verb = trig.verb
        toks = [verb]
        stack = [c for c in verb.children if not (c.dep_ in ("conj", "cc") or (c.dep_ == "punct" and c.i > verb.i and c.is_sent_end))]
        stack = [c for c in stack if not (c.dep_ in ("ccomp", "advcl", "parataxis") and c.i < verb.i and trig.kind == "verb" and c.i < min((s.i for s in subj), default=verb.i))]
        while stack:
            t = stack.pop()
            toks.append(t)
            stack.extend(t.children)
        for s in subj:
            toks.extend(self._np_tokens(s))
        toks.append(trig.token)
        toks.sort(key=lambda t: t.i)
        while len(toks) > 1 and (toks[-1].is_punct or toks[-1].is_space or toks[-1].dep_ == "cc"):
            toks.pop()
        while len(toks) > 1 and (toks[0].is_punct or toks[0].is_space or toks[0].dep_ in ("cc",)):
            toks.pop(0)
        return toks[0].idx, toks[-1].idx + len(toks[-1])

    # ----------------------------------------------------------------- folding
    def _fold(self, drafts: list[Draft]) -> None:
        """Fold events governed by a verbal event into it; keep one event per clause."""
        by_verb = {d.trig.token.i: d for d in drafts if d.trig.kind == "verb"}
        for d in drafts:
            if d.trig.kind == "noun" and d.trig.verb.i not in by_verb:
                by_verb[d.trig.verb.i] = d
        for d in drafts:
            node, edge = d.trig.verb, None
            if d.trig.kind == "noun" and by_verb.get(d.trig.verb.i) not in (None, d):
                d.folded = True  # the verb already codes this clause
                continue
            for _ in range(6):
                if node.head.i == node.i or node.dep_ not in ("xcomp", "ccomp", "conj", "advcl", "pcomp", "prep", "pobj", "dobj", "acl"):
                    break
                if node.dep_ in ("conj",) and node.i == d.trig.verb.i:
                    break
                edge = node.dep_
                node = node.head
                outer = by_verb.get(node.i)
                if outer is None or outer is d:
                    continue
                # "vowed/swore to fight" parsed as a purpose clause is still the pledge's complement
                pledge_to = edge == "advcl" and outer.trig.token.lemma_.lower() in self.intent_gov and any(
                    c.dep_ == "aux" and c.lower_ == "to" for c in d.trig.verb.children)
                if outer.trig.type in FOLDING_TYPES and (
                        edge in ("xcomp", "ccomp", "pcomp", "pobj", "dobj", "prep", "acl") or pledge_to):
                    d.folded = True
                    ot = outer.trig
                    if ot.type == "AGREE" and ot.intent and d.trig.type in ("ASSAULT", "MOBILIZE") \
                            and _acts_preparing(ot.token) and self.lex.info("150"):
                        # "the army prepared to resume shelling": a military move short of force
                        # (MOBILIZE), not a verbal threat as "is prepared to" would be
                        ot.type, ot.info, ot.mode = "MOBILIZE", self.lex.info("150"), ""
                        outer.why.append("preparing to use force is MOBILIZE")
                    elif ot.type == "AGREE" and (d.trig.type in FORCE_MATERIAL or d.trig.type in ("MOBILIZE", "PROTEST")):
                        ot.type, ot.info = "THREATEN", self.lex.info("130") or ot.info
                    if not ot.mode:
                        if ot.type == "THREATEN":
                            m = THREAT_MODE.get(d.trig.type, "")
                            if d.trig.type == "COERCE" and d.trig.mode == "arrest":
                                m = "arrest"
                            ot.mode = m
                        elif ot.type in ("REQUEST", "REJECT"):
                            ot.mode = ASK_MODE.get(d.trig.type, "change")
                        if ot.mode and ot.mode not in self.lex.types[ot.type]["modes"]:
                            ot.mode = ""
                    if not outer.recipient and d.recipient and ot.type != "REJECT":
                        outer.recipient = d.recipient
                    break
                if outer.trig.type == "ACCUSE" and d.trig.type in ("ACCUSE", "PROTEST") and edge in ("advcl", "xcomp") \
                        and d.trig.kind == "verb":
                    d.folded = True  # "summoned the ambassador to protest": one complaint
                    break
                if outer.trig.type == "PROTEST" and d.trig.type in ("REQUEST", "ACCUSE", "PROTEST", "REJECT") \
                        and edge in ("advcl", "xcomp", "acl", "pcomp") and d.trig.kind == "verb":
                    d.folded = True  # "demonstrated, calling for ...": the demand is the protest's
                    break
                if outer.trig.type == d.trig.type and edge in ("xcomp", "advcl", "pcomp") and d.trig.type in ("MOBILIZE", "CONSULT"):
                    d.folded = True  # a MOBILIZE that serves another MOBILIZE
                    break

    # ---------------------------------------------------------------- finishing
    def _paragraph_contexts(self, text: str) -> list[tuple[int, int, frozenset[str]]]:
        out = []
        pos = 0
        for block in re.split(r"(\n\s*\n|\n)", text):
            if not block.strip() or block.startswith("\n"):
                pos += len(block)
                continue
            low = block.lower()
            present = set(_WORDS.findall(low))
            found = frozenset(name for name, rx in self.context_res.items()
                              if (self._context_first[name] is None or not present.isdisjoint(self._context_first[name]))
                              and rx.search(low))
            out.append((pos, pos + len(block), found))
            pos += len(block)
        return out

    def _finish(self, d: Draft, context: ContextLike, *, doc_id: str, text: str,
                paragraphs: Sequence[tuple[int, int, frozenset[str]]], n_triggers: int) -> list[Event]:
        """The event(s) of a draft: a future act announced as an intent also yields the commitment."""
        if d.folded:
            return []
        out = []
        trig = d.trig
        base = [f"{trig.kind} trigger '{trig.text}' → CAMEO {trig.info.code}"] + d.why
        # ontology: a promise about the future is AGREE; announced withdrawal is CONCEDE;
        # announced force is THREATEN.  The commitment is asserted; the act stays future.
        # ontology: a single country's exercise is MOBILIZE, a joint one COOPERATE
        if trig.type == "MOBILIZE" and len({a.country for a in d.actor if a.country}) >= 2 and \
                _EXERCISE.search(text[d.start:d.end].lower()) and self.lex.info("062"):
            trig.info, trig.type, trig.mode = self.lex.info("062"), "COOPERATE", ""
            base.append("a joint exercise is COOPERATE")
        commitment = ""
        cmode = ""
        if d.modality == "future" and d.future_kind == "intent":
            announced = self._announced(trig.verb)
            ultimatum = any(c.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ == "unless" for g in c.children)
                            for c in trig.verb.children)
            if ultimatum:
                commitment, cmode = "THREATEN", THREAT_MODE.get(trig.type, "")
            elif trig.type in COOP_MATERIAL or trig.type in ("CONSULT", "RETREAT"):
                commitment = "CONCEDE" if trig.type == "RETREAT" and announced else "AGREE"
            elif trig.type == "SANCTION" and announced:
                commitment, cmode = trig.type, trig.mode  # an announced decision is the act
            elif trig.type in FORCE_MATERIAL or trig.type in ("MOBILIZE", "PROTEST"):
                commitment, cmode = "THREATEN", THREAT_MODE.get(trig.type, "")
        elif d.modality == "negated" and (trig.type in COOP_MATERIAL or trig.type in ("CONSULT", "RETREAT", "AGREE")):
            refusing = any(c.dep_ == "aux" and c.lower_ in ("will", "would", "wo", "shall") for c in trig.verb.children) \
                or (trig.verb.dep_ == "xcomp" and trig.verb.head.lemma_.lower() in ("fail", "decline"))
            if refusing:
                commitment, cmode = "REJECT", ASK_MODE.get(trig.type, "change")
        if commitment:
            why = base + [f"{d.modality} {trig.type} stated as a commitment: {commitment}"]
            ev = self._event(d, context, doc_id=doc_id, text=text, paragraphs=paragraphs, n_triggers=n_triggers,
                             ptype=commitment, mode=cmode, modality="asserted", why=why)
            if ev is not None:
                out.append(ev)
            if commitment == trig.type:
                return out
        ev = self._event(d, context, doc_id=doc_id, text=text, paragraphs=paragraphs, n_triggers=n_triggers,
                         ptype=trig.type, mode=trig.mode, modality=d.modality, why=base)
        if ev is not None:
            out.append(ev)
        return out

    def _event(self, d: Draft, context: ContextLike, *, doc_id: str, text: str,
               paragraphs: Sequence[tuple[int, int, frozenset[str]]], n_triggers: int,
               ptype: str, mode: str, modality: str, why: list[str]) -> Event | None:
        trig = d.trig
        # restraint: who did it must be in the text, unless the event needs no actor
        has_actor = bool(d.actor)
        if not has_actor and not d.recipient:
            if not (d.passive_no_agent and trig.kind == "verb"):
                return None
        if not has_actor and not d.passive_no_agent and trig.kind == "verb":
            return None
        if d.passive_no_agent and not has_actor and not d.recipient and ptype != "MOBILIZE":
            return None  # "the campaign was launched": nobody named on either side
        if ptype in ("COOPERATE", "AID", "SANCTION") and not d.recipient:
            if not ((trig.weight > 0 or d.actor_resolved) and has_actor):
                return None
        if trig.kind == "noun" and not (d.actor_resolved or d.recipient_resolved or
                                        (d.actor and trig.token.dep_ == "dobj")):
            return None
        quote = text[d.start:d.end]
        if not quote.strip():
            return None
        info = trig.info
        tinfo = self.lex.types[ptype]
        cameo = info.code
        quad = int(tinfo["quad"])
        score = float(self.lex.mode_scores.get(f"{ptype}-{mode}", tinfo["score"]))
        contexts = list(info.contexts) if ptype == info.type else []
        for s, e, found in paragraphs:
            if s <= d.start < e:
                contexts.extend(c for c in sorted(found) if c not in contexts)
                break
        feats = self.features(d, n_triggers, ptype)
        conf = self._confidence(feats)
        if conf < self.min_confidence:
            return None
        ev = Event(
            id=stable_id(doc_id, str(d.start), str(d.end), ptype, trig.text),
            type=ptype, quote=quote, start=d.start, end=d.end, mode=mode or None,
            contexts=tuple(contexts), cameo=cameo, quad_class=quad, goldstein=info.goldstein,
            plover_score=score, actor=tuple(d.actor), recipient=tuple(d.recipient),
            location=context.location_for(d.start, d.end), date=context.date_for(d.start, d.end),
            modality=modality, confidence=conf, trigger=trig.text, source_of_claim=d.source,
            why="; ".join(why),
        )
        if self.trace is not None:
            self.trace[ev.id] = feats
        return ev

    def features(self, d: Draft, n_triggers: int, ptype: str) -> dict[str, float]:
        """The evidence behind an event, as the confidence model sees it."""
        return {
            "pattern": float(min(d.trig.weight, 3)),
            "curated": float(d.trig.curated),
            "noun": float(d.trig.kind == "noun"),
            "actor_resolved": float(d.actor_resolved),
            "recipient_resolved": float(d.recipient_resolved),
            "no_actor": float(not d.actor),
            "crowded": float(max(0, n_triggers - 2)),
            "verbal_type": float(ptype in VERBAL_TYPES),
            "long_sentence": float(len(d.trig.token.sent) > 35),
            "asserted": float(d.modality == "asserted"),
        }

    def _confidence(self, feats: dict[str, float]) -> float:
        """sigmoid(bias + w·features); weights from calibration.json, else cues.toml [confidence]."""
        x = self.weights.get("bias", 0.0) + sum(self.weights.get(k, 0.0) * v for k, v in feats.items())
        return round(1.0 / (1.0 + math.exp(-x)), 3)


_EXERCISE = re.compile(r"exercise|drill|war games|manoeuv|maneuv")
_BAG_CUT = frozenset({"relcl", "acl", "advcl", "ccomp", "appos", "parataxis", "conj"})


def _walk(tok, cut: frozenset[str] = _BAG_CUT) -> list[Any]:
    """``tok``'s subtree without embedded clauses (what a pattern may look at)."""
    out = [tok]
    stack = [c for c in tok.children if c.dep_ not in cut or c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN")]
    while stack:
        t = stack.pop()
        out.append(t)
        stack.extend(c for c in t.children if c.dep_ not in cut or c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN"))
    return out


def _acts_preparing(tok) -> bool:
    """A finite act of preparing ("prepared to attack", "is preparing to"), not the state "is prepared to"."""
    if tok.lemma_.lower() != "prepare" or tok.pos_ != "VERB" or tok.dep_ == "acomp":
        return False
    kids = list(tok.children)
    if any(c.dep_ == "auxpass" for c in kids):
        return False
    if tok.tag_ == "VBN":
        return any(c.dep_ == "aux" and c.lemma_.lower() == "have" for c in kids)
    return tok.tag_ in ("VBD", "VBZ", "VBP", "VBG")


def _depth(tok, top) -> int:
    """Steps from ``tok`` up to ``top``; a conjunct link inside the phrase is free, so
    coordinated modifiers ("French and Egyptian warships") sit at the same depth."""
    d = steps = 0
    cur = tok
    while cur.i != top.i and cur.head.i != cur.i and steps < 20:
        d += cur.dep_ != "conj"
        cur = cur.head
        steps += 1
    return d if cur.i == top.i else 50 + d


def _same(a: ActorRef, b: ActorRef) -> bool:
    if a.text == b.text:
        return True
    return bool(a.name) and a.name == b.name


def modality_of(coder: EventCoder, trig: Trigger, context: ContextLike) -> str:
    """The modality the coder assigns to ``trig`` (exposed for tests)."""
    return coder._modality(trig, context)[0]
