"""Who a mention refers to: personal pronouns, nominal mentions ("the company", "the coach",
"the 34-year-old", "the statement") and people the article never names ("one driver").

One pass over the narrative (the text outside quotation marks), in document order:

* **Names** are mentions of their entity (``quotes.entities``).
* **Nominal mentions** resolve to the most recent compatible entity: an age to the person given
  that age ("Quill, 38,"), a role noun to the person given that role ("her coach, Teodor
  Brandvik"), an organisation noun to the organisation whose name holds it or, for a company
  noun, the latest company; a document ("the statement") to whoever issued the latest one; "a
  spokesperson for X" to X.
* **Unnamed people** ("an elderly woman", "one driver", "traders") become entities of their own,
  marked unnamed, whose name is the description as written.
* **Pronouns** resolve to the most salient compatible candidate among the mentions of the last
  few sentences (a simplified Lappin and Leass ranking: recency, grammatical role, main clause),
  with the article's own gender evidence: honorifics, gendered role nouns and pronouns bound to
  a name in unambiguous positions ("Ruiz said she …", "Ruiz … her budget"). A pronoun never
  resolves to a name inside a quotation, a place, or (he/she) an organisation. A pronoun that is
  the speaker of a quote never resolves to a person the quote itself names in the third person,
  nor to the asker of the question it answers. When no candidate agrees, it stays unresolved.

Gender is never guessed from a first name.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from spacy.attrs import IS_SPACE, LOWER, POS
from spacy.parts_of_speech import IDS as POS_IDS  # type: ignore[import-not-found]
from spacy.tokens import Doc, Token

from .entities import Entity, EntityIndex, noun_type
from .grammar import is_age_phrase, is_speech_verb
from .lexicon import (
    COLLECTIVE_NOUNS,
    COMPANY_NOUNS,
    DOCUMENT_NOUNS,
    FIRST_PERSON_PLURAL,
    FIRST_PERSON_SINGULAR,
    GENDERED_NOUNS,
    INDEFINITE_WORDS,
    ORG_DESIGNATORS,
    ORGANIZATION_NOUNS,
    PERSON_ROLE_NOUNS,
    PRONOUN_FORMS,
    PRONOUN_GENDER,
    SPOKESPERSON_NOUNS,
)

# -- salience (a simplified Lappin and Leass ranking) ------------------------------------------
#: Every mention in the sentence being read scores this much; earlier sentences decay.
RECENCY_WEIGHT = 100.0
#: By grammatical role: subjects are the topic, objects less, obliques and possessors least.
SUBJECT_WEIGHT = 80.0
OBJECT_WEIGHT = 50.0
OBLIQUE_WEIGHT = 40.0
#: A mention that heads its own noun phrase (not a possessor or a noun's modifier).
HEAD_NOUN_WEIGHT = 80.0
#: A mention outside an adverbial phrase ("in Beshet").
NON_ADVERBIAL_WEIGHT = 50.0
#: A mention inside a reported or subordinate clause is less salient than the main clause's.
EMBEDDED_PENALTY = 60.0
#: Salience halves with each sentence back.
SENTENCE_DECAY = 0.5
#: How many sentences back a pronoun looks.
PRONOUN_WINDOW_SENTENCES = 4
#: A candidate whose gender the article confirms beats one it says nothing about.
GENDER_AGREEMENT_BONUS = 60.0
#: The speaker of the quote before goes on speaking ("…,” she said. “…,” she added.).
LAST_SPEAKER_BONUS = 50.0
#: The person a question was put to answers it ("asked Dr. Kittelsen … “…,” he said").
ADDRESSEE_OF_QUESTION_BONUS = 250.0
#: "They" for one person (singular they) only when no group or body is as salient.
SINGULAR_THEY_PENALTY = 120.0
#: "Ruiz said she …", "Ruiz … cut her budget": the subject of the clause that governs the
#: pronoun's clause (or holds a possessive pronoun) is its likeliest antecedent.
GOVERNING_SUBJECT_BONUS = 100.0
#: How far up from a pronoun a phrase set before its clause is looked for.
CATAPHORA_DEPTH = 6
#: How far past a subject pronoun its own clause is searched for a name it cannot be.
OWN_CLAUSE_WINDOW = 60
#: Type evidence that a name's quotes speak as "I": a person, unless the article says more.
FIRST_PERSON_WEIGHT = 1
#: A pronoun that speaks no quote is resolved only when its best candidate leads the next by
#: this much, or the article confirms the candidate's gender.
CONFIDENCE_MARGIN = 60.0
#: A name the NER gives alone, never with a first name, title or role, may be a capitalised
#: common word ("Groundwater").
WEAK_PERSON_PENALTY = 150.0

_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
# Tokens after a quote that may still be its paragraph's closing punctuation.
_PARAGRAPH_TAIL = 3
_FRONTED_DEPS = frozenset({"prep", "advcl", "npadvmod"})
_OBJECT_DEPS = frozenset({"dobj", "dative", "attr", "oprd"})
_EMBEDDED_DEPS = frozenset({"ccomp", "advcl", "relcl", "acl", "xcomp", "pcomp", "csubj"})
_DEFINITE = frozenset({"the", "this", "that", "these", "those"})
_AGE_TEXT = re.compile(r"(\d{1,3})-year-old")
_QUESTION_END = re.compile(r"\?\W*$")


@dataclass(frozen=True)
class Utterance:
    """A quote (content offsets) with the tokens of its speaker and addressee mentions."""

    start: int
    end: int
    speaker: tuple[Token, ...] | None
    addressee: tuple[Token, ...] | None


@dataclass(frozen=True)
class _Mention:
    entity: Entity
    sentence: int
    weight: float
    token: int
    modifier: bool  # a name used as a noun's modifier ("the Brightwell Cozy name")


def _head_of(tokens: Sequence[Token]) -> Token:
    indices = {t.i for t in tokens}
    for t in tokens:
        if t.head.i not in indices or t.head.i == t.i:
            return t
    return tokens[-1]


_NOUN_OR_ADJ = frozenset({int(POS_IDS["NOUN"]), int(POS_IDS["ADJ"])})


class Coreference:
    """Referents of the pronouns, nominal mentions and unnamed people of one document."""

    def __init__(
        self,
        doc: Doc,
        index: EntityIndex,
        quoted: Sequence[bool],
        utterances: Sequence[Utterance] = (),
    ) -> None:
        self.doc = doc
        self.text = doc.text  # Doc.text joins every token at each access: read it once
        self._starts: list[int] = doc.to_array("IDX").tolist()  # no Token objects
        self.index = index
        self.quoted = quoted
        self.utterances = sorted(utterances, key=lambda u: u.start)
        # Sentences are counted in the narrative only: a long quote does not push the person
        # who speaks it out of reach of the pronoun after it.
        self._sentence: list[int] = [0] * len(doc)
        self._paragraph: list[int] = [0] * len(doc)
        n = 0
        for sent in doc.sents if doc.has_annotation("SENT_START") else [doc[:]]:
            narrative = any(not quoted[t.i] and t.is_alpha for t in sent)
            for t in sent:
                self._sentence[t.i] = n
            n += 1 if narrative else 0
        paragraph = 0
        for t in doc:
            self._paragraph[t.i] = paragraph
            if (t.is_space and "\n" in t.text) or "\n" in t.whitespace_:
                paragraph += 1
        self._referent: dict[int, Entity] = {}
        self._chunks: dict[str, list[list[Token]]] | None = None
        self._mentions: list[_Mention] = []
        # speaker head token -> the utterances it speaks (a split quote has two)
        self._speaker_of: dict[int, list[int]] = {}
        for n, u in enumerate(self.utterances):
            if u.speaker:
                self._speaker_of.setdefault(_head_of(u.speaker).i, []).append(n)
        self._utterance_entity: dict[int, Entity] = {}
        self._speaking = False
        # "Her coach, Teodor Brandvik, …": people introduced by their relation to a pronoun's
        # referent, by sentence and pronoun form; a later pronoun of that form is not them.
        self._relatives: dict[tuple[int, str], set[Entity]] = {}
        # (sentence, form) -> names a subject pronoun of that form in that sentence commands
        self._subject_commands: dict[tuple[int, str], set[Entity]] = {}
        self._gather_first_person_evidence()
        self._gather_bound_evidence()
        self._resolve_all()

    # -- public -------------------------------------------------------------------------------

    def referent(self, tokens: Sequence[Token]) -> Entity | None:
        """The entity a mention refers to, if the pass resolved it."""
        if not tokens:
            return None
        head = _head_of(tokens)
        for t in (head, *tokens):
            found = self._referent.get(t.i)
            if found is not None:
                return found
        return self.index.resolve_name(tokens)

    def resolved_tokens(self) -> dict[int, Entity]:
        return dict(self._referent)

    # -- evidence -----------------------------------------------------------------------------

    def _gather_first_person_evidence(self) -> None:
        """A name whose quotes speak as "I" (and never as "we") is a person's, whatever the NER
        calls it ("NÍ GHABHRÁIN: I knew what I was doing")."""
        singular: set[int] = set()
        for n, u in enumerate(self.utterances):
            if u.speaker is None:
                continue
            entity = self.index.resolve_name(u.speaker)
            if entity is None or id(entity) in singular:
                continue
            if self._speaks_as(n) == "I":
                entity.person_evidence += FIRST_PERSON_WEIGHT
                singular.add(id(entity))

    def _gather_bound_evidence(self) -> None:
        """Pronouns bound to the only person named before them in their sentence: "Ruiz said
        she …", "Ruiz, who …, cut her budget"."""
        doc = self.doc
        seen: list[Entity] = []
        sentence = -1
        for t in doc:
            if self._sentence[t.i] != sentence:
                sentence, seen = self._sentence[t.i], []
            if self.quoted[t.i]:
                continue
            entity = self._name_entity(t)
            if entity is not None and not entity.is_place:
                # a he or she bound to a name is itself evidence of a person, so anything not
                # known to be a body is a candidate here
                if entity not in seen and entity.org_evidence == 0:
                    seen.append(entity)
                continue
            form = PRONOUN_FORMS.get(t.lower_)
            if form not in PRONOUN_GENDER or len(seen) != 1:
                continue
            if self._in_apposition_to(t, seen[0]):
                continue
            seen[0].gender_evidence[PRONOUN_GENDER[form]] += 1

    def _in_apposition_to(self, pronoun: Token, entity: Entity) -> bool:
        """A pronoun inside the noun phrase of a name is not that name: "Levent Aksoy, her
        coach", "her coach, Teodor Brandvik", "Øvergaard, one of her students"."""
        root = _np_root(pronoun)
        if root.i == pronoun.i:
            return False
        for t in root.subtree:
            if t.i != pronoun.i and self.index.entity_at(t) is entity and _np_root(t).i == root.i:
                return True
        return False

    def _name_entity(self, t: Token) -> Entity | None:
        mention = self.index.mention_at(t)
        if mention is None or mention.head != t.i:
            return None
        return self.index.entity_at(t)

    # -- the pass -----------------------------------------------------------------------------

    def _resolve_all(self) -> None:
        doc = self.doc
        for candidate in self._candidates():
            t = doc[candidate]
            entity = self._name_entity(t)
            if entity is not None:
                self._add_mention(entity, t)
                self._note_speaker(t, entity)
                self._note_relative(t, entity)
                continue
            form = PRONOUN_FORMS.get(t.lower_)
            if form == "they" and not (t.i in self._speaker_of or _reports(t)):
                continue  # "their meeting" after "Putin and Xi": often more than one name
            if form is not None and t.pos_ == "PRON":
                found = self._reflexive(t, form) or self._resolve_pronoun(t, form)
                if found is not None:
                    self._referent[t.i] = found
                    self._add_mention(found, t)
                    if entity_is_person(found):
                        found.pronouns[form] += 1
                        gender = PRONOUN_GENDER.get(form)
                        if gender is not None:
                            found.gender_evidence[gender] += 1
                    self._note_speaker(t, found)
                continue
            if t.pos_ in ("NOUN", "ADJ") and (
                t.dep_ not in ("compound", "amod", "nummod") or is_age_phrase(t)
            ):
                nominal = self._resolve_nominal(t)
                if nominal is not None:
                    for i in self._np_tokens(t):
                        self._referent.setdefault(i, nominal)
                    self._add_mention(nominal, t)
                    self._note_speaker(t, nominal)

    def _candidates(self) -> list[int]:
        """The tokens :meth:`_resolve_all` may act on, in order: outside quotes and not
        space, part of a name, a pronoun's form, or a noun or adjective (a nominal's head).
        Read from arrays: the rest, most of the document, are never made ``Token`` objects."""
        strings = self.doc.vocab.strings
        forms = {strings[form] for form in PRONOUN_FORMS}
        named = self.index.mentioned_tokens()
        rows: list[list[int]] = self.doc.to_array([IS_SPACE, LOWER, POS]).tolist()
        return [
            i
            for i, (space, lower, pos) in enumerate(rows)
            if not space
            and not self.quoted[i]
            and (i in named or lower in forms or pos in _NOUN_OR_ADJ)
        ]

    def _note_relative(self, t: Token, entity: Entity) -> None:
        """ "Her coach, Teodor Brandvik" / "Teodor Brandvik, her coach": a name apposed to a
        noun that a pronoun possesses."""
        nouns = [c for c in t.children if c.dep_ == "appos"]
        if t.dep_ == "appos":
            nouns.append(t.head)
        for noun in nouns:
            for child in noun.children:
                form = PRONOUN_FORMS.get(child.lower_)
                if child.dep_ == "poss" and form is not None:
                    key = (self._sentence[t.i], form)
                    self._relatives.setdefault(key, set()).add(entity)

    def _note_speaker(self, t: Token, entity: Entity) -> None:
        for n in self._speaker_of.get(t.i, ()):
            self._utterance_entity[n] = entity

    def _add_mention(self, entity: Entity, t: Token) -> None:
        modifier = t.dep_ in ("compound", "amod", "nmod") and t.head.pos_ == "NOUN"
        self._mentions.append(_Mention(entity, self._sentence[t.i], self._weight(t), t.i, modifier))

    def _weight(self, t: Token) -> float:
        dep = t.dep_
        node = t
        if dep in ("appos", "compound", "flat") and t.head.i != t.i:
            node = t.head
            dep = node.dep_
        weight = RECENCY_WEIGHT
        if dep in _SUBJECT_DEPS:
            weight += SUBJECT_WEIGHT
        elif dep in _OBJECT_DEPS:
            weight += OBJECT_WEIGHT
        elif dep in ("pobj", "agent"):
            weight += OBLIQUE_WEIGHT
        if dep not in ("poss", "compound") and not (
            dep == "pobj" and node.head.head.pos_ in ("NOUN", "PROPN")
        ):
            weight += HEAD_NOUN_WEIGHT
        if not (dep == "pobj" and node.head.head.pos_ in ("VERB", "AUX")):
            weight += NON_ADVERBIAL_WEIGHT
        if _embedded(node):
            weight -= EMBEDDED_PENALTY
        return weight

    # -- pronouns -----------------------------------------------------------------------------

    def _resolve_pronoun(self, t: Token, form: str) -> Entity | None:
        sentence = self._sentence[t.i]
        scores: dict[int, float] = {}
        best_in_sentence: dict[tuple[int, int], float] = {}
        by_id: dict[int, Entity] = {}
        for m in reversed(self._mentions):
            if sentence - m.sentence > PRONOUN_WINDOW_SENTENCES:
                break
            key = (id(m.entity), m.sentence)
            if m.weight > best_in_sentence.get(key, 0.0):
                best_in_sentence[key] = m.weight
            by_id[id(m.entity)] = m.entity
        for (eid, sent), weight in best_in_sentence.items():
            scores[eid] = max(scores.get(eid, 0.0), weight * SENTENCE_DECAY ** (sentence - sent))
        excluded, bonus = self._discourse(t)
        excluded |= self._commanded(t, form)
        ahead = self._fronted_subject(t)
        if ahead is not None:
            named = self._entity_of(ahead)
            if named is not None and named not in excluded and self._agrees(named, form):
                return named
        self._speaking = t.i in self._speaker_of or _reports(t)
        speaks_as = self._grammatical_person(t)
        ranked: list[tuple[float, int, Entity]] = []
        gender = PRONOUN_GENDER.get(form)
        subject = _governing_subject(t) or self._same_form_subject(t, form)
        governing = self._entity_of(subject) if subject is not None else None
        if subject is not None and governing is None and PRONOUN_FORMS.get(subject.lower_) == form:
            return None  # "She spoke to X at her home": "her" is whoever "she" is, unknown here
        singular_person = form == "they"
        for eid, score in scores.items():
            entity = by_id[eid]
            if entity in excluded or entity.is_place:
                continue
            if entity in self._relatives.get((sentence, form), ()):
                continue
            if self._bound_elsewhere(t, entity):
                continue
            lone = singular_person and entity_is_person(entity) and not entity.plural
            if not lone and not self._agrees(entity, form):
                continue
            score += bonus.get(eid, 0.0)
            if governing is not None and entity is governing:
                score += GOVERNING_SUBJECT_BONUS
            if gender is not None and entity.gender == gender:
                score += GENDER_AGREEMENT_BONUS
            if lone and speaks_as != "I":
                score -= SINGULAR_THEY_PENALTY
            elif speaks_as == "I" and singular_person and not lone:
                score -= SINGULAR_THEY_PENALTY  # “I …,” they said: one person, not a group
            if gender is not None and _weak_person(entity):
                score -= WEAK_PERSON_PENALTY
            if score > 0:
                ranked.append((score, -len(ranked), entity))
        if not ranked:
            return None
        ranked.sort(key=lambda r: (r[0], r[1]), reverse=True)
        best_score, _, best = ranked[0]
        lone = singular_person and entity_is_person(best) and not best.plural
        if lone and not (self._speaking and self._agrees(best, form)):
            return None  # "they" for one person only when that person speaks
        speaks = t.i in self._speaker_of or self._speaking
        # A pronoun that decides no card only counts as evidence when it is clear.
        unclear = len(ranked) > 1 and best_score - ranked[1][0] < CONFIDENCE_MARGIN
        if not speaks and best.gender is None and unclear:
            return None
        return best

    def _fronted_subject(self, t: Token) -> Token | None:
        """The subject after a phrase set before its clause that holds the pronoun: "In a
        letter to his grandchildren, Mr. Abernathy-Vail wrote", "When she arrived, Ruiz said"
        (a pronoun looks ahead to the subject its fronted phrase introduces)."""
        node = t
        for _ in range(CATAPHORA_DEPTH):
            head = node.head
            if head.i == node.i:
                return None
            if head.pos_ in ("VERB", "AUX") and node.dep_ in _FRONTED_DEPS and node.i < head.i:
                subject = next((c for c in head.lefts if c.dep_ in ("nsubj", "nsubjpass")), None)
                if subject is not None and node.right_edge.i < subject.i:
                    return subject
                return None
            node = head
        return None

    def _same_form_subject(self, t: Token, form: str) -> Token | None:
        """An earlier subject pronoun of the same form in the sentence ("She spoke to … at her
        home"): the likeliest antecedent when the parse gives no governing subject."""
        sentence = self._sentence[t.i]
        for i in range(t.i - 1, -1, -1):
            prev = self.doc[i]
            if self._sentence[i] != sentence:
                break
            if (
                not self.quoted[i]
                and prev.dep_ in ("nsubj", "nsubjpass")
                and PRONOUN_FORMS.get(prev.lower_) == form
            ):
                return prev
        return None

    def _reflexive(self, t: Token, form: str) -> Entity | None:
        """ "Øvergaard is now a professor … himself": its own clause's subject."""
        if not t.lower_.endswith(("self", "selves")):
            return None
        verb = t.head
        while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
            verb = verb.head
        for child in verb.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                found = self._entity_of(child)
                if found is not None and self._agrees(found, form):
                    return found
        return None

    def _agrees(self, entity: Entity, form: str) -> bool:
        if form in PRONOUN_GENDER:
            if not entity_is_person(entity) or entity.plural or entity.is_place:
                return False
            gender = entity.gender
            return gender is None or gender == PRONOUN_GENDER[form]
        if form == "it":
            return entity.type == "organization" and not entity.plural
        # they: a group, a body, or one person who speaks ("“…,” they said"); elsewhere a
        # "they" or "their" after one person is more often that person and others.
        if entity.is_place:
            return False
        if entity_is_person(entity) and not entity.plural:
            return entity.gender is None and self._speaking
        return True

    def _bound_elsewhere(self, t: Token, entity: Entity) -> bool:
        """An object pronoun is not its own clause's subject ("Tarrant … shake his hand" is
        fine, "Hale blasted him" is not Hale); a possessor inside a noun apposed to a name is
        not that name."""
        if self._in_apposition_to(t, entity):
            return True
        if t.dep_ in ("dobj", "dative", "pobj") and not t.lower_.endswith("self"):
            verb = t.head if t.dep_ != "pobj" else t.head.head
            subject = _clause_subject(verb)
            if subject is not None and self._entity_of(subject) is entity:
                return True
        return False

    def _commanded(self, t: Token, form: str) -> set[Entity]:
        """Who a subject pronoun cannot be: a name later in its own clause ("He went looking
        for Van Hoeve", "she said Ruiz was wrong"), and so a name the same-form subject of the
        sentence before could not be either ("He went looking for Van Hoeve. “…,” he said": a
        run of subject pronouns keeps its referent). The clause of a projective parse is the
        run of tokens up to the verb's right edge; a bounded window keeps a long one linear."""
        if t.dep_ not in ("nsubj", "nsubjpass"):
            return set()
        sentence = self._sentence[t.i]
        names: set[Entity] = set()
        last = min(t.head.right_edge.i, t.i + OWN_CLAUSE_WINDOW)
        for i in range(t.i + 1, last + 1):
            if self._paragraph[i] != self._paragraph[t.i]:
                break  # a parse that runs on past a line break is no clause
            entity = None if self.quoted[i] else self._name_entity(self.doc[i])
            if entity is not None:
                names.add(entity)
        self._subject_commands.setdefault((sentence, form), set()).update(names)
        return names | self._subject_commands.get((sentence - 1, form), set())

    def _entity_of(self, t: Token) -> Entity | None:
        return self._referent.get(t.i) or self.index.entity_at(t)

    def _grammatical_person(self, t: Token) -> str | None:
        """How the quote a pronoun speaks refers to its speaker: "I" (one person: "“I'm not
        going to …,” they said") or "we" (a group or a body), from the quote's own words."""
        spoken = self._speaker_of.get(t.i)
        return self._speaks_as(spoken[0]) if spoken else None

    def _token_range(self, start: int, end: int) -> range:
        """Indices of the tokens starting inside ``[start, end)``."""
        starts = self._starts
        return range(bisect.bisect_left(starts, start), bisect.bisect_left(starts, end))

    def _speaks_as(self, n: int) -> str | None:
        utterance = self.utterances[n]
        words = {self.doc[i].lower_ for i in self._token_range(utterance.start, utterance.end)}
        singular = bool(words & FIRST_PERSON_SINGULAR)
        plural = bool(words & FIRST_PERSON_PLURAL)
        if singular != plural:
            return "I" if singular else "we"
        return None

    def _discourse(self, t: Token) -> tuple[set[Entity], dict[int, float]]:
        """For a pronoun that speaks a quote: who it cannot be, and who it likely is."""
        excluded: set[Entity] = set()
        bonus: dict[int, float] = {}
        spoken = self._speaker_of.get(t.i)
        if not spoken:
            return excluded, bonus
        n = spoken[0]
        utterance = self.utterances[n]
        # Names the quote itself uses in the third person are somebody else.
        for i in self._token_range(utterance.start, utterance.end):
            tok = self.doc[i]
            named = self._name_entity(tok)
            if named is not None and not _vocative(tok):
                excluded.add(named)
        previous = self._previous_utterance(n)
        if previous is not None:
            prev_entity = self._utterance_entity.get(previous)
            before = self.utterances[previous]
            question = bool(_QUESTION_END.search(self.text[before.start : before.end]))
            if question and prev_entity is not None:
                excluded.add(prev_entity)  # the answer is not the asker's
                addressee = self._addressee_entity(before)
                if addressee is not None:
                    bonus[id(addressee)] = ADDRESSEE_OF_QUESTION_BONUS
                else:
                    earlier = self._previous_utterance(previous)
                    if earlier is not None and earlier in self._utterance_entity:
                        last = self._utterance_entity[earlier]
                        bonus[id(last)] = bonus.get(id(last), 0.0) + LAST_SPEAKER_BONUS
            elif prev_entity is not None and self._same_paragraph(before, t):
                bonus[id(prev_entity)] = LAST_SPEAKER_BONUS
        return excluded, bonus

    def _same_paragraph(self, utterance: Utterance, t: Token) -> bool:
        """Whether the quote before is close enough to go on speaking: in the pronoun's
        paragraph, or ending the paragraph right before it."""
        tokens = self._token_range(utterance.start, utterance.end)
        if not tokens:
            return False
        last = tokens[-1]
        gap = self._paragraph[t.i] - self._paragraph[last]
        if gap == 0:
            return True
        rest = range(last + 1, len(self.doc))
        ends_paragraph = all(
            self._paragraph[i] != self._paragraph[last]
            or self.doc[i].is_punct
            or self.doc[i].is_space
            for i in rest[:_PARAGRAPH_TAIL]
        )
        # ... and only when the pronoun's own paragraph names nobody before it (a paragraph
        # that opens on someone new is about them: "Okafor-Lind walked over … “…,” she said")
        fresh = not any(self._paragraph[m.token] == self._paragraph[t.i] for m in self._mentions)
        return gap == 1 and ends_paragraph and fresh

    def _previous_utterance(self, n: int) -> int | None:
        for k in range(n - 1, -1, -1):
            if self.utterances[k].speaker is not None or k in self._utterance_entity:
                return k
        return None

    def _addressee_entity(self, utterance: Utterance) -> Entity | None:
        if utterance.addressee:
            found = self.referent(utterance.addressee)
            if found is not None:
                return found
        # A name at the end of the question is whom it is put to: "…, Mr. Pickett?"
        tokens = list(self._token_range(utterance.start, utterance.end))
        for i in reversed(tokens[-6:]):
            tok = self.doc[i]
            if _vocative(tok):
                named = self.index.entity_at(tok)
                if named is not None:
                    return named
        return None

    # -- nominal mentions and unnamed people --------------------------------------------------

    def _resolve_nominal(self, head: Token) -> Entity | None:
        lemma = head.lemma_.lower()
        lower = head.lower_
        age = self._age(head)
        determiners = {c.lower_ for c in head.children if c.dep_ in ("det", "nummod", "poss")}
        definite = bool(determiners & _DEFINITE) or any(c.dep_ == "poss" for c in head.children)
        indefinite = bool(determiners & INDEFINITE_WORDS) or any(
            c.dep_ == "nummod" for c in head.children
        )
        classed = (
            lemma in PERSON_ROLE_NOUNS
            or lower in PERSON_ROLE_NOUNS
            or lemma in ORGANIZATION_NOUNS
            or lemma in COMPANY_NOUNS
        )
        apposed = self._apposed_name(head) if classed or age is not None else None
        if apposed is not None:
            if age is not None:
                apposed.ages.add(age)  # "an 11-year-old, Amara Diallo-Brook,"
                apposed.person_evidence += 1
            return apposed  # "the chair of the judges, the broadcaster Perpetua Hallam"
        if age is not None:
            found = self._latest(lambda e: age in e.ages)
            return found or self._unnamed(head)
        if lemma in SPOKESPERSON_NOUNS or lower in SPOKESPERSON_NOUNS:
            spoken_for = self._spoken_for(head)
            if spoken_for is not None:
                spoken_for.roles.append(lemma)  # "the spokesperson" is X's again later
                return spoken_for
            if definite:
                return self._latest_role(lemma, lower) or self._unnamed(head)
            return self._unnamed(head)
        if lemma in DOCUMENT_NOUNS and definite and head.dep_ in ("nsubj", "nsubjpass"):
            return self._issuer(head)
        if lemma in ORGANIZATION_NOUNS or lemma in COMPANY_NOUNS:
            if _has_proper_modifier(head):
                return None
            if definite:
                return self._organization(head, lemma)
            if indefinite and self._speaks(head):
                return self._unnamed(head)  # "a group of shopkeepers called the vote …"
            return None
        if lemma in PERSON_ROLE_NOUNS or lower in PERSON_ROLE_NOUNS or (lower in COLLECTIVE_NOUNS):
            if _has_proper_modifier(head) and not definite:
                return None
            if definite and head.tag_ not in ("NNS", "NNPS"):
                found = self._latest_role(lemma, lower, _proper_modifiers(head))
                if found is not None:
                    return found
                gender = GENDERED_NOUNS.get(lemma)
                if gender is not None:
                    found = self._latest(
                        lambda e: (
                            entity_is_person(e) and e.gender in (None, gender) and not e.plural
                        ),
                        window=self._sentence[head.i] - PRONOUN_WINDOW_SENTENCES,
                    )
                    if found is not None:
                        return found
                same = self._latest(
                    lambda e: not e.named and e.roles[:1] == [lemma], include_unnamed=True
                )
                if same is not None:
                    return same
                if any(c.dep_ == "poss" for c in head.children):
                    return None  # "her coach", "Pask's campaign manager": apposition names them
                return self._unnamed(head)
            argument = head.dep_ in ("nsubj", "nsubjpass", "pobj", "dobj") or self._speaks(head)
            if (indefinite or head.tag_ in ("NNS", "NNPS")) and argument:
                return self._unnamed(head)
        return None

    def _apposed_name(self, head: Token) -> Entity | None:
        """A name in apposition to the noun phrase: "the chair of the judges, the broadcaster
        Perpetua Hallam,"."""
        root = _np_root(head)
        apposed = [
            child
            for child in root.subtree
            if child.dep_ == "appos" and _np_root(child.head).i == root.i
        ]
        # "The chair of the judges, the broadcaster Perpetua Hallam, called …": the parse may
        # give the verb two subjects, the second set off by a comma
        if root.dep_ in ("nsubj", "nsubjpass"):
            after = root.right_edge.i + 1
            for sibling in root.head.children:
                if (
                    sibling.dep_ == root.dep_
                    and sibling.i > root.i
                    and after < len(self.doc)
                    and self.doc[after].text == ","
                    and sibling.left_edge.i == after + 1
                ):
                    apposed.append(sibling)
        for child in apposed:
            for t in child.subtree:
                found = self._name_entity(t)
                if found is not None and not self.quoted[t.i]:
                    return found
        return None

    def _speaks(self, head: Token) -> bool:
        return head.i in self._speaker_of

    def _age(self, head: Token) -> str | None:
        """ "the 61-year-old": the number of an age noun phrase."""
        if head.lower_ != "old" and head.lemma_.lower() not in PERSON_ROLE_NOUNS:
            return None
        start = max(head.i - 5, 0)
        text = self.doc[start : head.i + 1].text
        match = _AGE_TEXT.search(text)
        if match is None:
            return None
        return match.group(1)

    def _np_tokens(self, head: Token) -> range:
        left = head.left_edge.i
        while left < head.i and (self.doc[left].is_punct or self.quoted[left]):
            left += 1
        if head.lower_ == "old":
            left = max(head.i - 4, 0)
            while left < head.i and not self.doc[left].like_num:
                left += 1
        return range(left, head.i + 1)

    def _latest(
        self,
        test: Callable[[Entity], bool],
        *,
        include_unnamed: bool = False,
        window: int | None = None,
    ) -> Entity | None:
        for m in reversed(self._mentions):
            if window is not None and m.sentence < window:
                break
            if not m.modifier and (m.entity.named or include_unnamed) and test(m.entity):
                return m.entity
        return None

    def _latest_role(self, lemma: str, lower: str, modifiers: Sequence[str] = ()) -> Entity | None:
        """The latest person (or body, for a spokesperson) given this role."""
        candidates: list[Entity] = []
        for m in reversed(self._mentions):
            e = m.entity
            if (lemma in e.roles or lower in e.roles) and e not in candidates:
                candidates.append(e)
        for e in self.index.entities:
            if (lemma in e.roles or lower in e.roles) and e not in candidates and e.named:
                candidates.append(e)  # given the role in a name no pronoun or noun reached
        if not candidates:
            return None
        if modifiers:
            # "the Kestrel Bay coach": the coach of that team, or nobody named
            for e in candidates:
                words = {w.lower() for f in e.forms for w in f} | set(e.roles) | e.role_context
                if any(m.lower() in words for m in modifiers):
                    return e
            return None
        return candidates[0]

    def _spoken_for(self, head: Token) -> Entity | None:
        """ "a spokesperson for X", "an X spokesperson", "X's spokesperson": X."""
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in ("for", "of", "at"):
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        found = self._entity_of(pobj) or self._referent.get(pobj.i)
                        if found is not None and found.type == "organization":
                            return found
            if child.dep_ in ("compound", "poss") and child.pos_ == "PROPN":
                found = self.index.entity_at(child)
                if found is not None and found.type in ("organization", "unknown"):
                    return found
        return None

    def _issuer(self, head: Token) -> Entity | None:
        """Who issued the latest document of this kind ("said in a statement", "issued a
        statement", "the company's statement")."""
        lemma = head.lemma_.lower()
        for i in range(head.i - 1, -1, -1):
            tok = self.doc[i]
            if self.quoted[i] or tok.lemma_.lower() != lemma:
                continue
            for child in tok.children:
                if child.dep_ == "poss":
                    found = self._entity_of(child)
                    if found is not None:
                        return found
            verb = tok.head
            if tok.dep_ == "pobj":
                verb = tok.head.head
            while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
                verb = verb.head
            for child in verb.children:
                if child.dep_ in ("nsubj", "agent"):
                    target = child if child.dep_ == "nsubj" else next(child.children, child)
                    found = self._entity_of(target)
                    if found is not None and not found.is_place:
                        return found
        return self._latest(lambda e: e.type == "organization")

    def _organization(self, head: Token, lemma: str) -> Entity | None:
        """ "the ministry" → the organisation whose name holds the noun; "the company" → the
        latest company; else the latest organisation."""
        named = self._latest(
            lambda e: (
                e.type == "organization" and any(lemma in (w.lower() for w in f) for f in e.forms)
            )
        )
        if named is not None:
            return named
        if lemma in COMPANY_NOUNS:
            company = self._latest(lambda e: e.type == "organization" and _is_company(e))
            if company is not None:
                return company
        found = self._latest(lambda e: e.type == "organization" and not e.is_place)
        return found or self._unnamed(head)

    def _fullest_noun_phrase(self, head: Token) -> str | None:
        """ "the council" after "the city council": the longest earlier phrase with the same
        head noun that holds the mention's words, without its determiner."""
        wanted = {t.lower_ for t in head.subtree if t.dep_ in ("compound", "amod") or t == head}
        best: list[Token] | None = None
        for chunk in self._chunks_by_head().get(head.lemma_.lower(), []):
            if chunk[0].i > head.i:
                break
            if wanted <= {t.lower_ for t in chunk} and (best is None or len(chunk) > len(best)):
                best = chunk
        return " ".join(t.text for t in best) if best else None

    def _chunks_by_head(self) -> dict[str, list[list[Token]]]:
        if self._chunks is None:
            self._chunks = {}
            for chunk in self.doc.noun_chunks:
                words = [t for t in chunk if t.dep_ in ("compound", "amod") or t == chunk.root]
                if chunk.root.pos_ == "NOUN" and not self.quoted[chunk.root.i]:
                    self._chunks.setdefault(chunk.root.lemma_.lower(), []).append(words)
        return self._chunks

    def _unnamed(self, head: Token) -> Entity:
        """An entity for a person or group the article does not name."""
        description = self._description(head)
        organization = head.lemma_.lower() in ORGANIZATION_NOUNS | COMPANY_NOUNS
        if organization and any(c.lower_ in _DEFINITE for c in head.children):
            description = self._fullest_noun_phrase(head) or description  # "city council"
        entity = Entity(forms=[tuple(description.split())], named=False)
        entity.first_char = head.idx
        lemma = head.lemma_.lower()
        entity.roles.append(lemma)
        entity.plural = head.tag_ in ("NNS", "NNPS") or head.lower_ in COLLECTIVE_NOUNS
        kind = noun_type(head, None)
        if kind == "organization" or organization:
            entity.org_evidence += 1
        else:
            entity.person_evidence += 1
        gender = GENDERED_NOUNS.get(lemma)
        if gender is None:
            # "a former patient who asked that her name not be used"
            for t in head.subtree:
                form = PRONOUN_FORMS.get(t.lower_)
                if t.i > head.i and form in PRONOUN_GENDER:
                    gender = PRONOUN_GENDER[form]
                    break
        if gender is not None:
            entity.gender_evidence[gender] += 1
        return entity

    def _description(self, head: Token) -> str:
        """The noun phrase as written, without a clause set off by a comma."""
        tokens = [t for t in head.subtree if not self.quoted[t.i]]
        left = [t for t in tokens if t.i <= head.i]
        right: list[Token] = []
        for t in tokens:
            if t.i <= head.i:
                continue
            if t.text in (",", ";", "—", "–", "(") or t.is_space:
                break
            right.append(t)
        words = [*left, *right]
        # start at the phrase's own left edge, without a preposition that governs it
        while words and words[0].dep_ in ("prep", "case", "punct"):
            words = words[1:]
        if not words:
            return head.text
        return self.text[words[0].idx : words[-1].idx + len(words[-1].text)]


def entity_is_person(entity: Entity) -> bool:
    return entity.type == "person" or (entity.type == "unknown" and entity.person_evidence > 0)


def _weak_person(entity: Entity) -> bool:
    """Known only by one capitalised word, with no title, role, age or pronoun of its own."""
    return (
        entity.named
        and all(len(f) == 1 for f in entity.forms)
        and entity.person_evidence == 0
        and not entity.gender_evidence
    )


def _is_company(entity: Entity) -> bool:
    return any(w.lower() in ORG_DESIGNATORS for f in entity.forms for w in f) or not any(
        w.lower() in ORGANIZATION_NOUNS for f in entity.forms for w in f
    )


#: Dependencies that keep a word inside the noun phrase of its head.
_NP_INTERNAL_DEPS = frozenset(
    {"poss", "pobj", "prep", "appos", "compound", "amod", "nmod", "det", "nummod", "case"}
)


def _np_root(t: Token) -> Token:
    """The top of the noun phrase a word sits in (it stops at a clause)."""
    node = t
    for _ in range(10):
        head = node.head
        if head.i == node.i or node.dep_ not in _NP_INTERNAL_DEPS:
            return node
        if head.pos_ in ("VERB", "AUX"):
            return node
        node = head
    return node


def _governing_subject(t: Token) -> Token | None:
    """The subject a pronoun is bound to in the clause above it: for a subject pronoun, the
    subject of the verb its clause complements ("Ruiz said she …"); for a possessive, the
    subject of the clause its noun phrase sits in ("Ruiz … cut her budget")."""
    if t.dep_ == "poss":
        root = _np_root(t)
        verb = root.head
        if root.dep_ in ("nsubj", "nsubjpass"):
            if verb.dep_ not in _EMBEDDED_DEPS | {"conj"}:
                return None
            verb = verb.head
        elif verb.pos_ not in ("VERB", "AUX"):
            return None
        return _clause_subject(verb)
    if t.dep_ in ("nsubj", "nsubjpass"):
        clause = t.head
        if clause.dep_ in _EMBEDDED_DEPS | {"conj"} and clause.head.i != clause.i:
            return _clause_subject(clause.head)
    return None


def _clause_subject(verb: Token) -> Token | None:
    """A verb's subject, or for a participle or infinitive without one ("…, blasting him"),
    the subject of the verb it hangs on."""
    node = verb
    for _ in range(4):
        for child in node.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                return child
        if node.dep_ not in ("advcl", "xcomp", "conj", "acl") or node.head.i == node.i:
            return None
        node = node.head
    return None


def _reports(t: Token) -> bool:
    """A subject pronoun of a verb of saying ("they said no data had been exposed")."""
    return t.dep_ == "nsubj" and is_speech_verb(t.head)


def _embedded(t: Token) -> bool:
    """Whether a token sits in a subordinate or reported clause."""
    node = t
    for _ in range(8):
        if node.head.i == node.i:
            return False
        if node.dep_ in _EMBEDDED_DEPS:
            return True
        node = node.head
    return False


def _has_proper_modifier(head: Token) -> bool:
    return any(c.dep_ in ("compound", "poss") and c.pos_ == "PROPN" for c in head.children)


def _proper_modifiers(head: Token) -> list[str]:
    """Names and nationalities before a role noun: "the Kestrel Bay coach", "the Chinese
    president"."""
    return [
        c.text
        for c in head.subtree
        if c.i < head.i and (c.pos_ == "PROPN" or c.ent_type_ in ("NORP", "GPE", "ORG"))
    ]


def _vocative(tok: Token) -> bool:
    """A name set off by a comma right before the end of a question: "…, Mr. Pickett?"."""
    doc = tok.doc
    i = tok.i
    while i > 0 and doc[i - 1].pos_ == "PROPN":
        i -= 1
    if i > 0 and doc[i - 1].text in ("Mr.", "Mr", "Ms.", "Ms", "Mrs.", "Mrs", "Dr.", "Dr"):
        i -= 1
    j = tok.i + 1
    while j < len(doc) and doc[j].pos_ == "PROPN":
        j += 1
    return i > 0 and doc[i - 1].text == "," and j < len(doc) and doc[j].text in ("?", "!")
