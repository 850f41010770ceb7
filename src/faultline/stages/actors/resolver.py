"""Resolve spaCy entities and noun chunks into :class:`~faultline.records.ActorMention`.

The resolver works in three passes over one parsed document:

1. **Units.**  Noun chunks and the entities no chunk covers, with a
   possessive chunk ("Belgrade's", "The European Union's") folded into the
   chunk it modifies, and a bare person name folded into an immediately
   preceding title chunk ("… chief diplomat Josep Borrell").
2. **Atoms.**  Inside each unit, the longest KB phrases: named actors
   (people, organisations, armed groups), titles, generic agent nouns,
   country names, capitals, nationality adjectives and demonyms.
3. **Composition.**  A person's dated role as of the article date wins; else
   an organisation; else a title or agent with the nearest country indicator
   (adjective, country, capital, possessive, "of X"); else a demonym group;
   else a country or capital standing for its government when it is a
   subject or object of a verb.  Then surnames and subject pronouns are
   resolved to earlier mentions.

Every mention satisfies ``text[start:end] == mention.text``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ...records import ActorMention
from .dates import parse_iso
from .kb import ActorKB, Entry, fold

__all__ = ["Resolver"]

_GOV_PREPS = frozenset({"against", "with", "by", "on", "between"})
# dependency labels of leading tokens that are not part of a mention ("the", "some 500")
_SKIP_LEADING = frozenset({"det", "predet", "case", "punct", "cc", "nummod", "quantmod", "advmod", "preconj"})
_PRONOUNS = {"he": "person", "she": "person", "it": "thing", "they": "plural"}


@dataclass
class _Atom:
    kind: str  # entry | title | agent | country | adj | capital | demonym | person
    start: int  # token index
    end: int
    value: Any = None


@dataclass
class _Unit:
    start: int
    end: int
    root: Any
    atoms: list[_Atom] = field(default_factory=list)
    owners: list["_Unit"] = field(default_factory=list)  # possessives folded in ("Russia's" in "Russia's refusal")


class Resolver:
    """Stateless per call: ``resolve(doc, published=...)``."""

    def __init__(self, kb: ActorKB, *, pronouns: bool = True, surname_coref: bool = True) -> None:
        self.kb = kb
        self.pronouns = pronouns
        self.surname_coref = surname_coref
        self.rules = kb.rules
        # every key any KB table knows: a token window outside it cannot classify (checked first, cheaply)
        self._known = kb.known_keys

    # -- pass 1: units ---------------------------------------------------------
    def _units(self, doc) -> list[_Unit]:
        units: list[_Unit] = []
        covered = [False] * len(doc)
        for chunk in doc.noun_chunks:
            units.append(_Unit(chunk.start, chunk.end, chunk.root))
            for i in range(chunk.start, chunk.end):
                covered[i] = True
        for ent in doc.ents:
            if ent.label_ in ("PERSON", "ORG", "NORP", "GPE") and not any(covered[ent.start:ent.end]):
                units.append(_Unit(ent.start, ent.end, ent.root))
        units.sort(key=lambda u: u.start)
        # fold possessives into the unit they modify
        owner: dict[int, _Unit] = {}
        for u in units:
            for i in range(u.start, u.end):
                owner.setdefault(i, u)
        absorbed: set[int] = set()
        for u in units:
            if u.root.dep_ == "poss":
                host = owner.get(u.root.head.i)
                host = host if host is not u else None
                if host is not None and host.start >= u.end - 1:
                    host.start = min(host.start, u.start)
                    host.owners.append(u)
                    absorbed.add(id(u))
        out = [u for u in units if id(u) not in absorbed]
        # merge a title unit with a directly following bare person name
        merged: list[_Unit] = []
        for u in out:
            prev = merged[-1] if merged else None
            if (prev is not None and prev.end == u.start and u.root.ent_type_ == "PERSON"
                    and all(t.ent_type_ == "PERSON" for t in doc[u.start:u.end])
                    and prev.root.ent_type_ != "PERSON"):
                prev.end = u.end
                prev.root = u.root
                continue
            merged.append(u)
        return merged

    # -- pass 2: atoms -----------------------------------------------------------
    def _atoms(self, doc, norms: list[str], unit: _Unit) -> list[_Atom]:
        kb = self.kb
        atoms: list[_Atom] = []
        i = unit.start
        while i < unit.end:
            best: _Atom | None = None
            for n in range(min(kb.max_len, unit.end - i), 0, -1):
                key = tuple(norms[i:i + n])
                if key not in self._known:
                    continue
                found = self._classify(doc, key, i, i + n)
                if found is not None:
                    best = found
                    break
            if best is None:
                # lemma fallback for plural agents/titles ("policemen" -> "policeman")
                lem = fold(self._tokens[i].lemma_)
                if lem != norms[i]:
                    key = (lem,)
                    if key in kb.agents:
                        best = _Atom("agent", i, i + 1, kb.agents[key])
                    elif key in kb.titles:
                        best = _Atom("title", i, i + 1, kb.titles[key])
            if best is None:
                i += 1
                continue
            atoms.append(best)
            i = best.end
        # unknown person names (not in the KB)
        known = set()
        for a in atoms:
            known.update(range(a.start, a.end))
        j = unit.start
        while j < unit.end:
            t = self._tokens[j]
            if t.ent_type_ == "PERSON" and j not in known:
                k = j
                while k < unit.end and self._tokens[k].ent_type_ == "PERSON" and k not in known:
                    k += 1
                atoms.append(_Atom("person", j, k, None))
                j = k
            else:
                j += 1
        atoms.sort(key=lambda a: a.start)
        return atoms

    def _classify(self, doc, key: tuple[str, ...], s: int, e: int) -> _Atom | None:
        kb = self.kb
        cap = self._tokens[s].text[:1].isupper()
        if cap and key in kb.names and any(kb.entries[i].source == "curated" for i in kb.names[key]) \
                and not self._inside_person(doc, s, e):
            return _Atom("entry", s, e, key)  # our own curation first ("Brussels" is the EU)
        if cap:  # then countries, capitals, nationalities before Phoenix's long tail of names
            if key in kb.country_names:
                return _Atom("country", s, e, kb.country_names[key])
            if key in kb.demonyms:
                return _Atom("demonym", s, e, kb.demonyms[key])
            if key in kb.capitals:
                return _Atom("capital", s, e, kb.capitals[key])
            if key in kb.adjectives:
                return _Atom("adj", s, e, kb.adjectives[key])
        if key in kb.names and not self._inside_person(doc, s, e):
            span = doc[s:e]
            ents = {t.ent_type_ for t in span}
            # a KB name must look like a name: capitalised, or inside an entity
            if any(t.text[:1].isupper() for t in span) or ents - {""}:
                return _Atom("entry", s, e, key)
        if key in kb.titles:
            return _Atom("title", s, e, kb.titles[key])
        if key in kb.agents:
            # a capitalised agent noun inside a named organisation ("European Community") is part of a name
            first = self._tokens[s]
            if first.text[:1].isupper() and first.ent_type_ in ("ORG", "FAC", "WORK_OF_ART", "LAW", "EVENT") \
                    and not self._entity_has_country(doc, s):
                return None
            return _Atom("agent", s, e, kb.agents[key])
        if not self._tokens[s].text[:1].isupper():
            return None
        if key in kb.demonyms:
            return _Atom("demonym", s, e, kb.demonyms[key])
        if key in kb.country_names:
            return _Atom("country", s, e, kb.country_names[key])
        if key in kb.capitals:
            return _Atom("capital", s, e, kb.capitals[key])
        if key in kb.adjectives:
            return _Atom("adj", s, e, kb.adjectives[key])
        return None

    def _entity_has_country(self, doc, i: int) -> bool:
        """Does the entity around token ``i`` name a country ("US Congress", "Latvian Constitutional Court")?"""
        s = i
        while s > 0 and self._tokens[s].ent_iob_ == "I":
            s -= 1
        e = i + 1
        while e < len(doc) and self._tokens[e].ent_iob_ == "I":
            e += 1
        kb = self.kb
        for t in doc[max(0, s - 1):e]:  # "US" may be its own GPE just before the ORG
            key = (fold(t.text),)
            if key in kb.country_names or key in kb.adjectives or key in kb.capitals:
                return True
        return False

    def _inside_person(self, doc, s: int, e: int) -> bool:
        """Is doc[s:e] a strict part of a PERSON entity ("Hassan" in "Omar Hassan al-Bashir")?"""
        first, last = self._tokens[s], self._tokens[e - 1]
        if first.ent_type_ != "PERSON" and last.ent_type_ != "PERSON":
            return False
        before = first.ent_iob_ == "I"
        after = e < len(doc) and self._tokens[e].ent_iob_ == "I" and self._tokens[e].ent_type_ == "PERSON"
        return before or after

    # -- pass 3: composition ---------------------------------------------------------
    def resolve(self, doc, *, published: str | None = None, text: str | None = None) -> tuple[ActorMention, ...]:
        """Actor mentions of ``doc`` as of ``published``; ``text`` is ``doc.text`` when the caller has it."""
        on = parse_iso(published)
        self._text = text if text is not None else doc.text  # Doc.text rebuilds the string on every access
        self._tokens = list(doc)  # so does iterating a Doc (one Token object per step)
        self._subjects: set[int] = set()
        norms = [fold(t.text) for t in self._tokens]
        mentions: list[ActorMention] = []
        doc_countries: list[str] = []
        surnames: dict[str, ActorMention] = {}
        self._extra: list[ActorMention] = []
        unresolved_people: dict[int, _Unit] = {}  # token index -> unit of a person name we could not place
        for unit in self._units(doc):
            atoms = self._atoms(doc, norms, unit)
            m = self._compose(doc, unit, atoms, on, doc_countries, surnames)
            if m is not None and unit.root.dep_ == "appos" and m.kind != "pronoun":
                host = unresolved_people.pop(unit.root.head.i, None)
                if host is not None:  # "Kenzo Oshima, the UN relief coordinator," -> Oshima is that official
                    hm = self._appos_person(doc, host, m)
                    mentions.append(hm)
                    self._remember(doc, _Atom("person", host.start, host.end), hm, surnames)
            if m is None:
                if unit.root.ent_type_ == "PERSON":
                    for i in range(unit.start, unit.end):
                        unresolved_people[i] = unit
                # the head is no actor ("Russia's refusal"): the owner may be one
                owners = list(unit.owners)
                for i in range(unit.start, unit.end):
                    t = self._tokens[i]
                    if t.dep_ == "poss" and t.head.i == unit.root.i and not any(o.start <= i < o.end for o in owners):
                        owners.append(_Unit(max(unit.start, t.left_edge.i), i + 1, t))
                for owner in owners:
                    om = self._compose(doc, owner, [a for a in atoms if owner.start <= a.start and a.end <= owner.end],
                                       on, doc_countries, surnames)
                    if om is not None:
                        mentions.append(om)
                continue
            if unit.root.dep_ in ("nsubj", "nsubjpass"):
                self._subjects.add(m.start)
            mentions.append(m)
            if m.country and m.country != "IGO" and m.country not in doc_countries:
                doc_countries.append(m.country)
        mentions.extend(self._extra)
        if self.pronouns:
            mentions.extend(self._pronouns(doc, mentions))
        mentions.sort(key=lambda m: m.start)
        return tuple(mentions)

    def _indicator(self, doc, unit: _Unit, atoms: list[_Atom]) -> tuple[str | None, _Atom | None]:
        """Country pointed to inside the unit: the indicator nearest to the head wins."""
        inds = [a for a in atoms if a.kind in ("country", "capital", "adj")]
        led = self.rules.get("led_suffixes", ())
        inds = [a for a in inds if not (a.end + 1 < len(doc) and self._tokens[a.end].text == "-"
                                         and fold(self._tokens[a.end + 1].text) in led)]
        if inds:
            a = max(inds, key=lambda a: a.end)
            return a.value, a
        # "the Prime Minister of Kosovo", "police in Kosovo"
        for child in unit.root.children:
            if child.dep_ == "prep" and child.lower_ in ("of", "in", "from"):
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        key = (fold(pobj.text),)
                        iso = self.kb.country_names.get(key) or self.kb.capitals.get(key)
                        if iso:
                            return iso, None
        return None, None

    def _span(self, doc, unit: _Unit, atoms: list[_Atom]) -> tuple[int, int]:
        toks, skip = self._tokens, self.rules.get("skip_words", ())
        s = unit.start
        while s < unit.end - 1 and (toks[s].dep_ in _SKIP_LEADING or toks[s].lower_ in skip or toks[s].like_num):
            s += 1
        e = unit.end
        while e > s + 1 and toks[e - 1].dep_ == "punct" or (e > s + 1 and toks[e - 1].text in ("'s", "’s")):
            e -= 1
        return toks[s].idx, toks[e - 1].idx + len(toks[e - 1].text)

    def _mention(self, doc, unit, atoms, **kw) -> ActorMention:
        s, e = self._span(doc, unit, atoms)
        return ActorMention(text=self._text[s:e], start=s, end=e, **kw)

    def _compose(self, doc, unit: _Unit, atoms: list[_Atom], on: date | None,
                 doc_countries: list[str], surnames: dict[str, ActorMention]) -> ActorMention | None:
        kb = self.kb
        if not atoms:
            return None
        entries = [(a, kb.best_entry(a.value, on, prefer_country=doc_countries)) for a in atoms if a.kind == "entry"]
        people = [(a, e) for a, e in entries if e is not None and e.kind == "person"]
        orgs = [(a, e) for a, e in entries if e is not None and e.kind != "person"]
        titles = [a for a in atoms if a.kind == "title"]
        agents = [a for a in atoms if a.kind == "agent"]
        unknown_people = [a for a in atoms if a.kind == "person"]
        demonyms = [a for a in atoms if a.kind == "demonym"]
        iso, ind_atom = self._indicator(doc, unit, atoms)
        # The unit is about what its head word names: a title or agent counts only when it holds the
        # head ("Belgrade's army") or stands before a person's name ("Prime Minister Edi Rama");
        # "jihadist discourse" or "leadership style" are not actors.
        r = unit.root.i

        def holds(a: _Atom) -> bool:
            # holds the head, or is a noun modifier of it ("Israeli army bulldozers", "SDF offensive")
            if a.start <= r < a.end:
                return True
            last = self._tokens[a.end - 1]
            return (last.dep_ in ("compound", "nmod", "poss") and last.pos_ in ("NOUN", "PROPN")
                    and not (a.end < len(doc) and self._tokens[a.end].text == "-"))

        named = [a for a in atoms if a.kind in ("person", "entry") and holds(a)]
        head_atoms = [a for a in titles + agents if holds(a)]
        if named and not any(a.start <= r < a.end for a in named) and \
                any(a.start <= r < a.end for a in head_atoms):
            named = []  # "NATO peacekeepers": the name only modifies an agent head
        if named:
            titles = [a for a in titles if a.end <= named[-1].start]
            agents = [a for a in agents if a.end <= named[-1].start]
        elif head_atoms:
            titles = [a for a in titles if a.end <= head_atoms[-1].end]
            agents = [a for a in agents if a.end <= head_atoms[-1].end]
        else:
            titles, agents = [], []
        # an organisation or person must hold the head, or be the owner/modifier of a title/agent head
        if not (named or (titles or agents)):
            people = [(a, e) for a, e in people if holds(a)]
            orgs = [(a, e) for a, e in orgs if holds(a)]
            unknown_people = [a for a in unknown_people if holds(a)]
        head = titles[-1] if titles else None
        head_agent = agents[-1] if agents else None
        if head_agent is not None and len(agents) > 1 and fold(self._tokens[r].text) in self.rules.get("generic_heads", ()):
            head_agent = agents[-2]  # "police units" are police

        # a one-word KB name ("Hassan") that contradicts the unit's own country ("of Morocco") is not trusted
        if iso:
            def _trusted(a: _Atom, e: Entry) -> bool:
                if a.end - a.start > 1:
                    return True
                role, _ = e.role_on(on)
                return (role.country if role else e.country) in (iso, "IGO", None)
            people = [(a, e) for a, e in people if _trusted(a, e)]
            orgs = [(a, e) for a, e in orgs if _trusted(a, e) or e.kind != "person" and self._tokens[a.start].ent_type_ != "PERSON"]
            if not people and not orgs:
                unknown_people = unknown_people or [a for a, e in entries if e is not None and self._tokens[a.start].ent_type_ == "PERSON"]
                unknown_people = [_Atom("person", a.start, a.end) for a in unknown_people]

        # "NATO member country Albania": a country that is the head word is the actor
        if ind_atom is not None and ind_atom.kind == "country" and ind_atom.start <= r < ind_atom.end \
                and not people and not unknown_people:
            orgs = [(a, e) for a, e in orgs if a.start <= r < a.end]
            titles = agents = []
            head = head_agent = None

        # 1. a known person, with the role held on the article date
        if people:
            a, e = people[-1]
            role, current = e.role_on(on)
            name = e.name
            if role is not None and current:
                country, sector = role.country, role.sector
                if role.org:
                    name = f"{role.org} ({e.name})"
                m = self._mention(doc, unit, atoms, name=name, country=country, sector=sector,
                                  wikidata=e.wikidata, kind="person", how="kb-role", role=role.title)
            else:
                # the role ended before the article: keep who, not what they were
                country = iso or (role.country if role else e.country)
                sector = (head[1] if head else None) if False else None
                if head is not None:
                    sector = head.value[0]
                elif head_agent is not None:
                    sector = head_agent.value
                elif role is not None:
                    sector = "ELI"
                m = self._mention(doc, unit, atoms, name=name, country=country, sector=sector or e.sector,
                                  wikidata=e.wikidata, kind="person",
                                  how="kb-former" if role is not None else "kb",
                                  role=(head.value[1] if head else (f"former {role.title}" if role and role.title else None)))
            self._remember(doc, a, m, surnames)
            return m

        # 2. surname of someone named earlier
        if unknown_people and self.surname_coref:
            last = unknown_people[-1]
            key = fold(self._tokens[last.end - 1].text)
            prior = surnames.get(key)
            if prior is not None and last.end - last.start == 1 and not (orgs or iso):
                return self._mention(doc, unit, atoms, name=prior.name, country=prior.country,
                                     sector=prior.sector, wikidata=prior.wikidata, kind="person",
                                     how="coref-surname", role=prior.role)
            # a bare surname ("President Mugabe") of exactly one KB person in office on the date
            if prior is None and last.end - last.start == 1 and not orgs:
                e = self._by_surname(key, on, iso)
                if e is not None:
                    role, _ = e.role_on(on)
                    name = f"{role.org} ({e.name})" if role and role.org else e.name
                    return self._mention(doc, unit, atoms, name=name, country=role.country if role else e.country,
                                         sector=(role.sector if role else e.sector) or (head.value[0] if head else None),
                                         wikidata=e.wikidata, kind="person", how="kb-surname",
                                         role=role.title if role else None)

        # 3. an organisation / armed group (maybe with an official of it)
        if orgs:
            a, e = orgs[-1]
            sector = e.sector
            if head is not None:
                # an SDF spokesman speaks for a rebel group, a NATO one for an IGO
                if e.country == "IGO" or sector in (None, "GOV", "UNK") or head.value[0] != "GOV":
                    sector = head.value[0] or sector
            elif head_agent is not None and head_agent.value != "UNK":
                sector = head_agent.value
            name = e.name
            kind = "organisation"
            if unknown_people:
                p = unknown_people[-1]
                name = f"{e.name} ({doc[p.start:p.end].text})"
                kind = "person"
            m = self._mention(doc, unit, atoms, name=name, country=e.country, sector=sector,
                              wikidata=e.wikidata if kind == "organisation" else None,
                              kind=kind, how="kb-org" if kind == "organisation" else "org-official",
                              role=head.value[1] if head else None)
            if unknown_people:
                self._remember(doc, unknown_people[-1], m, surnames)
            return m

        # 4. a title or generic agent, with a country indicator if there is one
        if head is not None or head_agent is not None:
            if head is not None and (head_agent is None or head.end >= head_agent.end):
                sector, role = head.value
                kind = "person"
            else:
                sector, role = head_agent.value, None
                kind = "agent"
            name = None
            if head is not None and role is None:
                kind = "organisation"
            if unknown_people:
                p = unknown_people[-1]
                pe = p.end - 1 if self._tokens[p.end - 1].text in ("'s", "’s") and p.end - p.start > 1 else p.end
                name = doc[p.start:pe].text
                kind = "person"
            elif iso:
                cname = kb.country_name(iso) or iso
                name = f"{role or self._label(sector)} of {cname}"
            ethnicity = None
            if demonyms and not iso:
                iso, ethnicity = demonyms[-1].value
            if sector == "UNK" and not iso and not unknown_people:
                return None  # "the group": nothing to resolve
            extra = self._conjoined(doc, atoms, ind_atom, sector, role, kind)
            if extra:
                self._extra.extend(extra)
            m = self._mention(doc, unit, atoms, name=name, country=iso, sector=sector, kind=kind,
                              how="title" if head is not None and sector == head.value[0] and (head_agent is None or head.end >= head_agent.end) else "agent",
                              role=role, ethnicity=ethnicity)
            if unknown_people:
                self._remember(doc, unknown_people[-1], m, surnames)
            return m

        # 5. an ethnic / national group: "ethnic Serbs in Kosovo"
        if demonyms:
            d = demonyms[-1]
            if d.end != unit.root.i + 1:
                return None
            own_iso, ethnicity = d.value
            country = own_iso
            loc = self._located_in(doc, unit.root)
            ethnic_mod = any(t.lower_ == "ethnic" for t in doc[unit.start:d.start])
            if loc:
                country = loc
            elif iso and (ind_atom is None or ind_atom.start < d.start):
                country = iso  # "Bosnian Serbs", "Kosovo Albanians"
            elif ethnic_mod or own_iso is None:
                # "ethnic Albanians" live somewhere else: the sentence's other country, if one is named
                other = self._sentence_country(doc, unit, exclude=own_iso)
                country = other or own_iso
            return self._mention(doc, unit, atoms, name=f"{ethnicity} ({kb.country_name(country) or country})",
                                 country=country, sector="CVL", ethnicity=ethnicity, kind="group", how="ethnic")

        # 6. a country or capital standing for its government
        if ind_atom is not None and ind_atom.kind in ("country", "capital") and ind_atom.end == unit.root.i + 1:
            root = unit.root
            if self._acts(root):
                kind = "state" if ind_atom.kind == "country" else "capital"
                return self._mention(doc, unit, atoms, name=f"Government of {kb.country_name(iso) or iso}",
                                     country=iso, sector="GOV", kind=kind, how=kind)
        return None

    def _acts(self, tok) -> bool:
        """Is ``tok`` (a country or capital) an actor here: subject/object of a political verb?"""
        while tok.dep_ == "conj":
            tok = tok.head
        dep = tok.dep_
        head = tok.head
        inert = self.rules.get("inert_verbs", ())
        if dep == "dative":  # "Finland will give Tanzania a grant"
            return head.pos_ == "VERB"
        if dep in ("nsubj", "nsubjpass"):
            if head.pos_ not in ("VERB", "AUX"):
                return False
            if head.lemma_.lower() not in inert:
                return True
            # "France is ready to send troops": a copula whose predicate takes an action
            return any(c.dep_ == "acomp" and any(g.dep_ == "xcomp" for g in c.children) for c in head.children)
        if dep == "dobj":
            return head.pos_ == "VERB" and head.lemma_.lower() not in inert
        if dep == "pobj":
            prep = head.lower_
            if prep not in self.rules.get("actor_preps", _GOV_PREPS):
                return False
            verb = head.head
            if prep in ("to", "toward", "towards", "on", "upon") and verb.lemma_.lower() in self.rules.get("motion_verbs", ()):
                return False
            return True
        if dep == "appos":
            return self._acts(head)
        if dep == "poss":  # "Russia's refusal", not "Syria's Idlib"
            return head.pos_ == "NOUN"
        return False

    def _located_in(self, doc, root) -> str | None:
        for child in root.children:
            if child.dep_ == "prep" and child.lower_ in ("in", "from", "of"):
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        key = (fold(pobj.text),)
                        iso = self.kb.country_names.get(key) or self.kb.capitals.get(key)
                        if iso:
                            return iso
        return None

    def _label(self, sector: str | None) -> str | None:
        """A readable name for a sector ("MIL" -> "Military"), from the KB rules."""
        return self.rules.get("sector_labels", {}).get(sector, sector)

    def _appos_person(self, doc, host: _Unit, m: ActorMention) -> ActorMention:
        toks = [t for t in doc[host.start:host.end] if t.ent_type_ == "PERSON"]
        s0, e0 = toks[0].idx, toks[-1].idx + len(toks[-1].text)
        person = self._text[s0:e0]
        if m.country == "IGO" and m.name and "(" not in m.name:
            name = f"{m.name} ({person})"
        else:
            name = person
        return ActorMention(text=person, start=s0, end=e0, name=name, country=m.country, sector=m.sector,
                            kind="person", how="apposition", role=m.role)

    def _conjoined(self, doc, atoms: list[_Atom], ind_atom: _Atom | None, sector, role, kind) -> list[ActorMention]:
        """"Hungarian and Romanian ministers": one mention for each earlier conjoined indicator."""
        if ind_atom is None:
            return []
        out = []
        inds = [a for a in atoms if a.kind in ("adj", "country") and a.end <= ind_atom.start]
        nxt = ind_atom
        for a in reversed(inds):
            between = [t.lower_ for t in doc[a.end:nxt.start]]
            if not between or not set(between) <= {"and", ",", "or", "&"}:
                break
            s0, e0 = self._tokens[a.start].idx, self._tokens[a.end - 1].idx + len(self._tokens[a.end - 1].text)
            cname = self.kb.country_name(a.value) or a.value
            out.append(ActorMention(text=self._text[s0:e0], start=s0, end=e0, country=a.value, sector=sector,
                                    name=f"{role or self._label(sector)} of {cname}",
                                    kind=kind, how="conjoined", role=role))
            nxt = a
        return out

    def _by_surname(self, key: str, on: date | None, iso: str | None) -> Entry | None:
        """The single person with surname ``key`` holding a role on ``on`` (in ``iso`` when given)."""
        hits = []
        for i in self.kb.surnames.get(key, ()):
            e = self.kb.entries[i]
            role, current = e.role_on(on)
            if role is None or not current or (role.start is None and role.end is None):
                continue
            if iso and role.country != iso:
                continue
            if e not in hits:
                hits.append(e)
        return hits[0] if len(hits) == 1 else None

    def _sentence_country(self, doc, unit: _Unit, *, exclude: str | None) -> str | None:
        sent = self._tokens[unit.start].sent
        kb = self.kb
        for tok in sent:
            if unit.start <= tok.i < unit.end or not tok.text[:1].isupper():
                continue
            key = (fold(tok.text),)
            iso = kb.country_names.get(key) or kb.capitals.get(key)
            if iso and iso != exclude:
                return iso
        return None

    def _remember(self, doc, atom: _Atom, m: ActorMention, surnames: dict[str, ActorMention]) -> None:
        if self.surname_coref and atom.end - atom.start >= 2:
            surnames[fold(self._tokens[atom.end - 1].text)] = m

    # -- pronouns ------------------------------------------------------------------
    def _pronouns(self, doc, mentions: list[ActorMention]) -> list[ActorMention]:
        out: list[ActorMention] = []
        ordered = sorted(mentions, key=lambda m: m.start)
        subject_starts = self._subjects
        window = self.rules.get("pronoun_window_chars", 600)
        for tok in self._tokens:
            want = _PRONOUNS.get(tok.lower_)
            if want is None or tok.dep_ not in ("nsubj", "nsubjpass"):
                continue
            if want == "thing" and tok.head.lemma_.lower() in self.rules.get("inert_verbs", ()):
                continue  # "It is yet another standoff": no antecedent
            prior = [m for m in ordered if m.end <= tok.idx and tok.idx - m.end <= window]
            hit = None
            subjects = [m for m in prior if m.start in subject_starts]
            for m in [*reversed(subjects), *reversed(prior)]:
                if want == "person" and m.kind == "person":
                    hit = m
                elif want == "thing" and m.kind in ("organisation", "state", "capital"):
                    hit = m
                elif want == "plural" and m.kind in ("agent", "group", "organisation", "state"):
                    hit = m
                if hit is not None:
                    break
            if hit is None:
                continue
            out.append(ActorMention(text=tok.text, start=tok.idx, end=tok.idx + len(tok.text), name=hit.name,
                                    country=hit.country, sector=hit.sector, wikidata=hit.wikidata,
                                    ethnicity=hit.ethnicity, kind="pronoun", how="coref-pronoun",
                                    role=hit.role))
        return out
