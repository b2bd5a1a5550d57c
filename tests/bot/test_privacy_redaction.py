"""Redaction at the boundary (issue 11, part 1): personal data leave a message before the
engine, storage or anyone else sees it, the user is told once what was left out, and the
advice does not change because of it. Measured on tests/data/privacy/redaction-corpus.yaml."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot import domain_words
from bot.privacy import find_personal_data, name_lists, notice, redact
from bot.service import ConversationService
from bot.storage import Store
from dialogs.engine import Engine
from dialogs.models import Inbound
from knowledge.loader import Knowledge
from knowledge.triage import Advisor

CORPUS = Path(__file__).resolve().parents[1] / "data" / "privacy" / "redaction-corpus.yaml"
STRUCTURED = ("bsn", "iban", "email", "phone", "ip", "plate", "birthdate")
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def corpus() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    return entries


def _occurrences(text: str, span: str) -> list[range]:
    return [range(m.start(), m.end()) for m in re.finditer(re.escape(span), text)]


def score(corpus: list[dict[str, Any]]) -> tuple[Counter[str], Counter[str], int, int]:
    """Per kind: labelled spans fully redacted, and all; words wrongly redacted, and all
    unlabelled words."""
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    wrong = clean = 0
    for entry in corpus:
        text = entry["text"]
        covered = {i for s, e, _ in find_personal_data(text) for i in range(s, e)}
        labelled: set[int] = set()
        for pii in entry["pii"]:
            places = _occurrences(text, pii["text"])
            total[pii["kind"]] += 1
            found[pii["kind"]] += all(set(r) <= covered for r in places)
            for r in places:
                labelled.update(r)
        for m in re.finditer(r"\S+", text):
            word = set(range(m.start(), m.end()))
            if not word & labelled:
                clean += 1
                wrong += bool(word & covered)
    return found, total, wrong, clean


def test_the_corpus_figures(corpus: list[dict[str, Any]]) -> None:
    """Structured identifiers: every one (aim >= 99 %). Street addresses and postcodes: aim
    >= 95 %. Names: aim >= 95 % (this corpus tuned the rules, so its figure flatters; the
    blind figure comes from redaction-blind2.yaml). Ordinary words wrongly redacted: <= 1 %."""
    found, total, wrong, clean = score(corpus)
    structured = sum(found[k] for k in STRUCTURED) / sum(total[k] for k in STRUCTURED)
    assert structured >= 0.99, {k: (found[k], total[k]) for k in STRUCTURED}
    assert found["address"] / total["address"] >= 0.95
    assert found["name"] / total["name"] >= 0.95
    assert wrong / clean <= 0.01, wrong


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Firmware versie 5.1.12.104 op de camera's", "5.1.12.104"),
        ("We sturen alle 45.000 huishoudens een brief", "45.000"),
        ("De deadline is 01-01-2026 voor zaak 2024-0012", "01-01-2026"),
        (
            "Het Data-ethiek Volwassenheidsmodel en de Aanpak Begeleidingsethiek in Zoetermeer",
            "Zoetermeer",
        ),
        ("Een BSN-achtig getal dat de elfproef niet haalt: 123456789", "123456789"),
        # After "van" or "from" an article or a place is an organisation or an origin.
        ("Een brief van de Belastingdienst over de Omgevingswet", "Belastingdienst"),
        ("Een collega van Amersfoort vroeg het ook", "Amersfoort"),
        # First names that open ordinary sentences.
        ("May we use Copilot for the minutes?", "May"),
        ("Wil je de DPIA nog lezen?", "Wil"),
        # After a contact verb or a form of address: ordinary words, offices, organisations.
        ("We hebben gesproken met de leverancier en de RUD", "leverancier"),
        ("Ik heb met wifi-tellingen gewerkt en met Copilot", "wifi-tellingen"),
        ("Mevrouw de wethouder wil weten of het mag", "wethouder"),
        ("Onze gedeputeerde Digitalisering komt langs", "Digitalisering"),
        ("We spoke with the vendor about Copilot", "vendor"),
        ("Een inspecteur van de Omgevingsdienst kwam langs", "Omgevingsdienst"),
        ("Ik sprak vandaag met sanne de wit van de RUD", "RUD"),
        ("Marek Kowalczyk op hetzelfde adres", "hetzelfde"),
        ("Sevda Kılıç, geb. 9 september 1961", "geb."),
        ("De Koning heeft in de troonrede iets over AI gezegd", "Koning"),
        ("Wij werken sinds 2019 op de Hoofdweg", "2019 op"),
        ("Kun je het IBAN van de client alvast invullen?", "alvast"),
        ("Draait dit in het datacenter van Het Waterschapshuis?", "Waterschapshuis"),
        ("Een klacht van Bakkerij De Korenschoof over de markt", "Korenschoof"),
        ("Collega's van Werk en Inkomen vragen het ook", "Werk en Inkomen"),
        ("Ik weet niet of we haar naam erin moeten zetten", "erin"),
        ("Mail van de inwoner: 'Beste gemeente, mijn vraag", "'Beste gemeente"),
        ("De sensor staat op Zeeweg 41, 1931 VL Egmond aan Zee", "Egmond aan Zee"),
        ("Welke AI gebruiken we: ChatGPT, Gemini of Claude?", "Claude"),
        ("Dear Sir/Madam, I write about the register", "Sir/Madam"),
        # A name never runs across a tab or a line: columns and titles under a signature stay.
        ("L. Hoekstra\tMobiliteit\t14", "Mobiliteit"),
        ("Groeten,\nSanne Verhoeven\nAdviseur informatiebeveiliging", "Adviseur"),
        # The word for a plate before a word that is no plate.
        ("Het kenteken staat op de lijst.", "staat"),
        # Near misses of the fifth round (each beside its positive below).
        ("Geachte heer, mevrouw,\nEr hangt een camera in mijn straat.", "Er hangt"),
        ("We hebben een tolk Tigrinya nodig.", "Tigrinya"),
        ("dhr bakker van facilitair wil een scanner", "van facilitair"),
        ("Zijn moeder, mevrouw Pinas, wil weten waarom.", "wil weten"),
        ("Het contract ging naar Visser Beveiliging B.V. Moet dat anders?", "Visser Beveiliging"),
        ("Alleen het retouradres Postbus 16200, 3500 CE Utrecht vermelden.", "3500 CE"),
        ("Ze woont op de Vlierstraat 22 in Utrecht.", "in Utrecht"),
        ("The office is at 1016 LC Amsterdam, near the station.", "Amsterdam"),
        ("[10:02] bot: ik help je graag", "bot"),
        ("Mr Burak Çelik (born 2 September 1990) asked", "Mr "),
        ("Zie kenmerk T-cba0612345678ab in de werkplek.", "T-cba0612345678ab"),
        ("Het rapport is van juni '23 en de wet van '61 geldt", "juni '23"),
        # Sixth round: projects, versions, who lives at an address, verbs after a name.
        ("Voor het project Orion willen we een DEDA-sessie.", "Orion"),
        ("Onze leverancier (software 6.1.3.210) zegt dat het veilig is", "6.1.3.210"),
        ("We moeten updaten naar 3.2.11.4. Verandert de DPIA?", "3.2.11.4"),
        ("Ik ben aan het testen of de bot werkt", "aan het testen"),
        ("Ik ben beleidsadviseur en heb een vraag", "beleidsadviseur"),
        ("De chatbot heet 'Slimme Sam' en draait in Azure", "Slimme Sam"),
        ("Ik ben Femke van de afdeling Vergunningen.", "van de afdeling"),
        ("Meneer Bulut wil dat de beelden worden gewist", "wil dat"),
        ("Boer Veenstra aan de Dorpsweg 8 klaagt", "aan de "),
        ("Het fietspad 2 km verderop is afgesloten", "fietspad 2 km"),
        ("De rijksweg 12 wordt verbreed", "rijksweg 12"),
        ("just had a call about the sensors", "just"),
        # A cold review's finds: words that end like a street, a common word after one initial,
        # a lower-case word before "is".
        ("We zijn onderweg 3 dagen met de drone", "onderweg 3"),
        ("het leerpad 2 van de academie", "leerpad 2"),
        ("het gerechtshof 2 weken later", "gerechtshof 2"),
        ("Dit is plan B. Welke risico's zijn er?", "Welke"),
        ("june was busy with the pilot", "june"),
        # Lower-case look-alikes of a full name: a word that is also a first name before
        # "van de", a first name that is an ordinary English word.
        ("krijgen in het kader van de hersteloperatie", "kader van de hersteloperatie"),
        ("takes rain radar, river levels and soil moisture", "river levels"),
        ("zie p. 12 van het rapport", "p. 12"),
        # A role before a team or a portfolio, a greeting before a word, a quoted thing's
        # name, a domain word after "van", a recent date after a name.
        ("Projectleider Digitalisering wil een dashboard", "Digitalisering"),
        ("hey, can u tell me if its ok", "can"),
        ("I think it's fine because it's just one client", "fine"),
        ("Hoi,\n\nHierbij de samenvatting van het overleg", "Hierbij"),
        ("a chat service called 'Hey Noor' on our youth website", "Noor"),
        ("collega kees van handhaving wil de wifi-telgegevens", "handhaving"),
        ("Actie: Jan de Vries, 01-02-2027 klaar", "01-02-2027"),
        # A word before an initial, a word after a family role, the article before a street, a
        # plate-like run of words.
        ("Zie Bijlage, A. en Utrecht, B. voor de cijfers", "Bijlage"),
        ("Haar zoon wil dat we er een tracker in zetten", "wil"),
        ("Het verslag van Dorpsstraat 3 is binnen", "van"),
        ("het kenteken van de bus 2 keer gezien", "de bus 2"),
        # A cold review's finds: nouns ending like a street, an agenda's times, the verb
        # "address", a two-letter first name before a domain word, a greeting mid-sentence,
        # a role before a team.
        ("Na profilering 3 maanden, uitvoering 2 en probleemwijk 12", "profilering 3"),
        ("Maandag 10:00 Overleg: planning. Om 14:30 uur: pauze", "Overleg"),
        ("10:00 Opening: welkom", "Opening"),
        ("How do we address Article 22 GDPR here?", "Article 22"),
        ("we willen een ai tool inzetten die aanvragen beoordeelt", "ai tool"),
        ("we bewaren de data per dag Handhaving kijkt mee", "Handhaving"),
        ("coördinator Jeugdzorg vraagt of jongerenwerker Oost mee mag", "Jeugdzorg"),
        ("coördinator Jeugdzorg vraagt of jongerenwerker Oost mee mag", "Oost"),
        # Places, organisations and offices that are also first names, in the triage's own
        # questions: "Virginia" decides whether data leave the EEA.
        ("De video wordt verwerkt op servers in Virginia.", "Virginia"),
        ("meldingen van Veilig Thuis en schoolverzuim", "Veilig Thuis"),
        ("hosted in the Ministry of Justice's own data centre", "Justice"),
        ("Burgemeester wil twaalf vaste camera's", "Burgemeester"),
        ("Erin gaan: woonwijk, schoolverzuim", "Erin"),
        # Things named after people, a letter's addressee, a role before a thing, a time.
        ("De leerlingen van de Titus Brandsma school", "Titus Brandsma"),
        ("Aan de Autoriteit Persoonsgegevens", "Autoriteit Persoonsgegevens"),
        ("Mag de jongerenwerker de Instagram van de jongeren gebruiken", "Instagram"),
        ("Marloes\nProjectleider Veilige Wijk\nGemeente Den Haag", "Veilige Wijk"),
        ("Periode: 21-03-2025 22:00 – 22-03-2025 02:00", "02:00"),
        ("| Den Haag | Noord Brabant | Anne Frank Huis |", "Den Haag"),
        # Round 12 (tuned on redaction-blind14.yaml): things given a first name, versions
        # after an update, numbers too short for a phone, organisations and new lines.
        ("Onze chatbot heet Sanne. Moet Sanne zich eerst voorstellen?", "Moet Sanne"),
        ("Is a chatbot called Robin that answers questions", "Robin"),
        ("MMSI 244670231 | vessel 'Jacob Jan' UK-33 | 53.412N", "Jacob Jan"),
        ("de wifi-sensoren in de Pieter Jelles-school volgen", "Pieter Jelles-school"),
        ("is geüpdatet van 5.2.0.118 naar 5.3.1.204. Moeten we", "5.3.1.204"),
        ("motorvrachtschip (ENI 02324567)", "02324567"),
        ("volgnummer, bijv. 0001234567) tegen het register", "0001234567"),
        ("Ingediend op: 02-03-2025 23:51\nIP-adres:", "02-03-2025 23:51"),
        ("Port of Moerdijk\n10:00 opening by the port director", "Moerdijk\n10:00"),
        ("Teamleider Bibliotheek Hellendoorn\n0548 - 61 22 80", "Bibliotheek Hellendoorn"),
        ("Beste adviseur,\n\nHierbij de gegevens van de melder", "Hierbij"),
        ("Voor wie: mijn vader\nNaam: Louis Kerckhoffs", "Naam:"),
        ("het bestuur van Hoogheemraadschap Hollands Noorderkwartier", "Hollands"),
        ("Mvg Daniel | +34 612 48 33 09", "Mvg"),
        ("Collega Mark Jansen vroeg: mark the date, we will see", "mark the date"),
        ("pi is 3,461584566 ongeveer", "3,461584566"),
        ("verkeer van 192.168.1.5 naar 10.0.0.3", "van"),
        # Round 13 (tuned on redaction-blind15.yaml).
        ("in de logtabel: bereik 10.0.0.0/8 (intern netwerk) niet loggen", "10.0.0.0/8"),
        ("De sensorfirmware is 4.10.2.7. Zijn geluidsopnames", "4.10.2.7"),
        ("het RSIN van onze gemeente (006255115) staat erin", "006255115"),
        ("Na storm Floris zijn er dronebeelden gemaakt", "Floris"),
        ("[12-10-25 21:03] Mama Jayden: is hij bij jullie?", "Mama"),
        ("Im Jahr 2020 waren es 3 Kameras", "2020"),
        ("De bewoner, mevr. Sevda Yılmaz van de Ampèrestraat 41-bis", "van de"),
        ("de uitslagen worden in Israël opgeslagen", "Israël"),
        # A random reference can hold nine digits that pass the elfproef: no BSN inside a token.
        ("Triage met Ethiekbot (kenmerk T-3fa123456782c9d).", "T-3fa123456782c9d"),
        # What a cold review of round 13 found over-redacted.
        ("Huur Stationsweg 12, 1500 Euro per maand", "1500 Euro"),
        ("jaar,bedrag,inwoners\n2023,100000009,12", "100000009"),
        ("Zie Obermeyer et al. Science 2019", "al. Science 2019"),
        ("Volgens art. 35 AVG 3 maanden bewaren", "35 AVG 3"),
        ("In de Avenue Louise 2 camera's ophangen", "Avenue Louise 2"),
        ("Im Jahr 2024 wurden 12345 Anträge gestellt", "2024"),
        ("The sensor is born 20240115 in the factory log", "20240115"),
        ("geb. 01-02-1980, 12-03-2024 ingeschreven", "12-03-2024"),
        ("Collega Max Jansen zei: max 3 camera's", "max 3"),
        ("De eigenaar Stedin levert de data", "Stedin"),
        ("Grote Markt 12 bus 3 minuten lopen", "bus 3 minuten"),
        # Round 14: a plate needs its side code, no vowels and a vehicle nearby; a phone
        # number's groups are no plate.
        ("De auto's staan volgens artikel 35 AVG 3 dagen", "35 AVG 3"),
        ("De exploitant wil kentekens 24 uur bewaren", "24 uur"),
        ("de auto is ziek, nr 06 48 37 29 16, bel hem", "nr"),
        ("Het overleg met de scanauto is op 12 05 2026", "12 05"),
        ("Jan de Vries 2016-09-03 vergadering", "2016-09-03"),
        ("Verhuisd naar Kerkstraat 12, 2021 Anja Mulder.", "2021"),
        ("Brecht (Kapelstraat 17 bus 2, 2960 Brecht), was hit", "Brecht)"),
        ("De zaal heeft kamer 4 uur gereserveerd, Stationsweg 12 kamer 4 uur", "uur"),
        ("Beste beleidsadviseur,\nGemeente Ede vraagt", "Gemeente Ede"),
        ("Noord-Holland en Zuid-Holland werken samen", "Noord-Holland"),
        # What a cold review of rounds 14-15 found over-redacted.
        ("Hoeveel procent van de bezoekers rijdt 10-20 km te hard?", "10-20 km"),
        ("De scanauto rijdt in wk 12-13", "wk 12-13"),
        ("kinderen van 12 tm 16 jaar", "12 tm 16"),
        ("Het bestand van 12 MB 30 pagina's", "12 MB 30"),
        ("parked for 3 hrs 15 min", "3 hrs 15"),
        ("Fase A. (Analyse) Gemeente", "Analyse"),
        ("In de zomer (winter) periode", "zomer"),
        ("Score was 3 - 2 - 2004", "3 - 2 - 2004"),
        (
            "Jan de Vries 15-03-2022 besloot het college; veel later bleek hij geboren in Delft",
            "15-03-2022",
        ),
        ("vraag het aan de applicatiebeheerder Nedap", "Nedap"),
        ("de jurist Omgevingsrecht kijkt mee", "Omgevingsrecht"),
        ("het BSN van 5 cliënten is bekend", "5"),
        # Found by a user trial: the sentence's bracket went with the number.
        ("Mijn collega Jan de Vries (06-12345678) zei dat", "("),
        # Counting in words is no number said digit by digit.
        ("we tellen een twee drie vier vijf zes zeven acht negen tien keer", "een twee drie"),
        ("een twee drie vier, hoedje van papier", "een twee drie vier"),
        # Near misses of round 16: a street and a number word that is no house number, a
        # count in a CSV without birth dates, a number after "nr" that is a case's.
        ("in de Kerkstraat twee keer per week", "Kerkstraat twee"),
        ("op de Markt een kraam", "Markt een"),
        ("jaar,aantal\n2024,20240101", "20240101"),
        ("zie melding nr. 23 over de Tulpstraat", "nr. 23"),
        ("Middelburg 12 mensen kwamen", "Middelburg 12"),
        # Near misses of round 17: a chat transcript's speaker, a service login, a channel
        # mention, a table without name columns, a sign-off before a first name, a department
        # after "van", acronyms in capitals, a street, a function word after a family name.
        ("user: what is my bsn", "what"),
        ("user=admin01 logged in", "admin01"),
        ("@channel graag reageren", "channel"),
        ("jaar;aantal;gemeente\n2024;12;Utrecht", "Utrecht"),
        ("Groetjes, Femke", "Groetjes"),
        ("Jade van Beleid twijfelt nog", "Beleid"),
        ("De DPIA, IAMA en AVG zijn klaar", "DPIA, IAMA"),
        ("Park Lane is closed", "Park Lane"),
        ("Do Not Disturb", "Do Not"),
        # Counting in pairs of words is no phone number.
        ("we tellen twaalf dertien veertien vijftien zestien keer", "twaalf dertien"),
        # Near misses of round 18: an acronym before a street, the town before "aan de", a
        # decimal after a street, a P.O. box, "(at)" in a sentence.
        ("De eigenaar woont volgens de RDW op Hinthamerstraat 88-90, 5211 MA", "RDW"),
        ("wonende te Utrecht aan de Lange Nieuwstraat 61 achter, 3512", "Utrecht"),
        ("Het kost 12,5 km op de weg", "12,5"),
        ("Postbus 16200, 3500 CE Utrecht", "Postbus 16200"),
        ("we spraken af op (at) het stadhuis", "het stadhuis"),
        # Near misses of round 19: labels before a number, words after an introduction or
        # "and", a team after "van", a sign-off before the name.
        ("Bank: NL69 RABO 1126 1824 90 (her own)", "Bank:"),
        ("Spoed 0612345678\nHelpdesk 0612345679", "Spoed"),
        ("Spoed 0612345678\nHelpdesk 0612345679", "Helpdesk"),
        ("Mobiel: 0612345678", "Mobiel:"),
        ("Hi, I'm an international policy officer", "an international"),
        ("my name is Ivan Petrov and my IBAN is NL91ABNA0417164300", "and my IBAN"),
        ("Hallo, ik ben Maaike van team Omgevingswet.", "van team Omgevingswet"),
        ("Mvg, F. Ahmadzai", "Mvg,"),
        # A cold review of round 19: places and duties opening a line of numbers, a date after
        # a BSN cue, the second date of a list that no birth cue opened, a sector after "van".
        ("Pijnacker 06-12345678\nVoorburg 06-12345679", "Pijnacker"),
        ("Zürich: +41 44 123 45 67\nPiket 06-12345678", "Zürich"),
        ("Zürich: +41 44 123 45 67\nPiket 06-12345678", "Piket"),
        ("Het BSN is gewijzigd op 12-03-2024.", "12-03-2024"),
        ("De raad besloot op 12-03-2001 en 15-06-2024 over het beleid.", "15-06-2024"),
        ("Ik ben Karin van Sector Noord.", "Sector Noord"),
    ],
)
def test_lookalikes_and_domain_words_stay(text: str, kept: str) -> None:
    assert kept in redact(text).text


def test_placeholders_and_the_notice_in_both_languages() -> None:
    r = redact("Mevrouw Yildiz (BSN 111222333, 06-12345678) vroeg om een IAMA.")
    assert "[BSN]" in r.text and "[telefoonnummer]" in r.text and "[naam]" in r.text
    assert "111222333" not in r.text and "Yildiz" not in r.text
    assert notice(r.kinds, "nl") == (
        "Ik heb een naam, een BSN en een telefoonnummer weggelaten; die heb ik voor dit "
        "advies niet nodig."
    )
    assert notice(r.kinds, "en").startswith("I left out a name, a citizen service number")


def test_the_advice_does_not_change_because_personal_data_were_removed(
    advisor: Advisor, corpus: list[dict[str, Any]]
) -> None:
    changed = redacted = 0
    for entry in corpus:
        r = redact(entry["text"])
        if not r.changed:
            continue
        redacted += 1
        before, after = advisor.triage(entry["text"]), advisor.triage(r.text)
        same = [m.id for m in before.cases[:1]] == [m.id for m in after.cases[:1]]
        same = same and [i.id for i in before.instruments[:1]] == [
            i.id for i in after.instruments[:1]
        ]
        changed += not same
    # The triage reads past the placeholders; what still changes comes from words that went
    # with the personal data (a street name's "straat").
    assert redacted > 150
    assert changed / redacted <= 0.03, changed


def test_a_conversation_with_personal_data_stores_none(tmp_path: Path, advisor: Advisor) -> None:
    db_path = tmp_path / "p.db"
    store = Store.open(db_path, secret=b"k")
    service = ConversationService(Engine(advisor), store)
    try:
        text = (
            "Mijn collega Jan de Vries (06-12345678, jan.devries@example.nl) vraagt of we de "
            "camerabeelden van de Kerkstraat 12, 2711 AB mogen bewaren; BSN 111222333."
        )
        replies = service.handle(
            Inbound(channel="web", conversation="c1", user="u1", text=text), NOW
        )
        assert replies[0].text.startswith("Ik heb ")
        assert "weggelaten" in replies[0].text
        state = store.load_state("web:c1")
        assert state is not None and state.description is not None
        assert "[telefoonnummer]" in state.description and "[BSN]" in state.description
        data = b"".join(f.read_bytes() for f in tmp_path.iterdir() if f.name.startswith("p.db"))
        for secret in (
            "06-12345678",
            "jan.devries@example.nl",
            "111222333",
            "Kerkstraat 12",
            "2711 AB",
            "Jan de Vries",
        ):
            assert secret.encode() not in data, secret
    finally:
        service.close()


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Dear Mr. Okafor, your request was received.", "Okafor"),
        ("Vraag over mw de Wit en haar uitkering", "de Wit"),
        ("Het dossier van familie Öztürk ligt bij handhaving", "Öztürk"),
        ("Account van M. van Vliet logde in vanaf thuis", "M. van Vliet"),
        ("Mijn teamleider (Gert-Jan) vraagt of dat mag", "Gert-Jan"),
        ("Een jongere (Dylan, 15 jaar) staat in het systeem", "Dylan"),
        ("Collega Ayşe Demir vroeg ernaar", "Ayşe Demir"),
        ("Ik sprak dhr. Achterberg uit Veenendaal", "Achterberg"),
        # As people type in a chat: after a contact verb, in lower case, joined by "en".
        ("ff snel: ik belde net met sanne de wit van de RUD", "sanne de wit"),
        ("ik heb met hatice en burak gesproken over de camera's", "burak"),
        ("Spoke with Yonas Tekle and Rania Haddad at the desk", "Rania Haddad"),
        ("rak vandaag met ivanildo en met mevrouw kromodimedjo", "kromodimedjo"),
        ("@Marta Kowalczyk could you have a look?", "Marta Kowalczyk"),
        ("Gedeputeerde Van der Veen wil een notitie", "Van der Veen"),
        ("Our team lead Oksana Kovalenko asked me", "Oksana Kovalenko"),
        # A listed surname opening a sentence before a verb of saying; a list of people; a
        # signature in lower case; a name seen once, again alone; O'Connor; a client's name.
        ("Visser heeft gisteren gevraagd of dat mag", "Visser"),
        ("Deelnemers:\n- Hüseyin Çelik (CISO)\n- Marloes de Graaf (FG)", "Hüseyin Çelik"),
        ("Zie dossier SHV-22817.\n\ngr bas", "bas"),
        ("Rachidi kent het systeem, vraag Hamid Rachidi maar", "Rachidi"),
        ("I write on behalf of Mr. O'Connor from procurement", "O'Connor"),
        ("can i paste this: 'client john miller, bsn 304720318'", "john miller"),
        ("Hij woont op de Hoofdweg 310-III in Amsterdam", "Hoofdweg 310-III"),
        # The IBAN's own check (mod 97) is enough; not every country's account check.
        ("Maak het over op BE89 3574 7998 5621 graag", "BE89 3574 7998 5621"),
        ("Dit wil collega jeroen bosman van team VTH graag", "jeroen bosman"),
        ("'cliënt: ayse demir, bsn 482276162'", "ayse demir"),
        ("Terugbelverzoek: 06-82736455 Behandelaar: Nienke", "Nienke"),
        ("Wethouder Bakker wil de beelden zien", "Bakker"),
        ("Van der Meulen (projectleider sensoren) vroeg het", "Van der Meulen"),
        ("Het kind (Mia Schröder, * 04.05.2016) verhuist", "04.05.2016"),
        ("Belgische kentekens zoals 1-ABC-234 ook?", "1-ABC-234"),
        ("ik woon aan de Kanaalstraat 214 bis, 3531 CL Utrecht", "Kanaalstraat 214 bis"),
        ("vakantiepark aan de Kempenweg 12-B3, Bergeijk", "Kempenweg 12-B3"),
        ("| W.F. de Groot | Nieuwe Gracht 18 | geluid |", "Nieuwe Gracht 18"),
        # Forms the fourth round added (tuned on redaction-blind6.yaml).
        ("Kan ik Mohamed's telefoonnummer delen met de wijkagent?", "Mohamed"),
        (
            "Vermeulen – gesprek dinsdag\nOkafor – afgewezen\nVraag: mag ChatGPT dit?",
            "Okafor",
        ),
        ("Dank voor het snelle antwoord.\n\nGr,\nMichiel\n", "Michiel"),
        (
            "Met vriendelijke groet,\n\nDrs. Maarten IJzerman\nStrategisch adviseur",
            "Maarten IJzerman",
        ),
        ("Afwezig: Wendy\n1. Opening", "Wendy"),
        ("Our client lives at Weena 505, 3013 AL Rotterdam.", "Weena 505"),
        ("Ze woont op de Tulpstraat nummer 8.", "Tulpstraat nummer 8"),
        ("de auto met kenteken hx481n is gezien", "hx481n"),
        ("Duitse kentekens zoals 'KR-AB 1247' en Britse zoals LK19 XTH", "KR-AB 1247"),
        ("Verwijzing: Lotte (geb. 28-2-'12) en haar broer", "28-2-'12"),
        ("Carlos Mendes, born on March 3rd, 1982, lives in Eindhoven", "March 3rd, 1982"),
        # Forms the fifth round added (tuned on redaction-blind7.yaml).
        ("klant heet fatima el amrani en vraagt om uitstel", "fatima el amrani"),
        ("kan ik de naam van de melder (mevr de vries) doorgeven?", "de vries"),
        ("ff vraag, dhr bakker belde over de camera", "bakker"),
        ("I'm drafting a letter to Mrs Sharmila Jagessar about her budget", "Sharmila Jagessar"),
        ("Ik wil tolk Filmon Tekle inschakelen voor het gesprek", "Filmon Tekle"),
        ("Mantelzorger Priscilla Sapoen belt ons elke dag", "Priscilla Sapoen"),
        ("We tellen zeven bewoners, onder wie Paweł Kamiński en Marta Wójcik.", "Paweł Kamiński"),
        ("Assigned to a colleague, Hans in 't Veld. Can we look?", "Hans in 't Veld"),
        ("Opmerkingen als 'Sanne W. en Fatma Y. hebben conflict'.", "Sanne W."),
        ("[10:01] joost: anyone seen the letter?\n[10:02] saskia: in the drive", "saskia"),
        (
            "The trainers were Gerrit de Vries and Ria Smit. Afterwards De Vries mailed us.",
            "De Vries",
        ),
        (
            "He wrote from his new address: 27 Kingsley Avenue, Bristol BS7 9QT.",
            "27 Kingsley Avenue",
        ),
        ("He wrote from his new address: 27 Kingsley Avenue, Bristol BS7 9QT.", "BS7 9QT"),
        ("his address the English way: 14B Westersingel, 3014 GP Rotterdam", "14B Westersingel"),
        ("Aanvraag van dhr. Mehmet Kaya (3 mrt '61), Bilderdijkstraat 140", "3 mrt '61"),
        ("Mr Burak Çelik (born 2 September 1990) asked", "Burak Çelik"),
        # Forms the sixth round added (tuned on redaction-blind8.yaml).
        ("hij woont op de lindelaan 33b in 6521 kp", "lindelaan 33b"),
        ("she lives at prinsengracht 412 and asked", "prinsengracht 412"),
        ("hallo, ik ben marloes tjin-a-djie en ik wil inzage", "marloes tjin-a-djie"),
        ("Hi, this is Halyna Bondarenko from the refugee desk.", "Halyna Bondarenko"),
        ("Aan de balie noemde hij zich 'Ruud'. Mag ik dat noteren?", "Ruud"),
        ("Yusuf Aydın en zijn vrouw Elif willen hun dossier zien", "Elif"),
        ("Frau Sabine Krüger aus Kleve fragt nach ihren Daten", "Sabine Krüger"),
        ("K.L. de Wolf van Team Geo heeft de kaart gemaakt.", "K.L. de Wolf"),
        ("Mevrouw Ratna Dewi Hartono belde. Hartono wil inzage.", "Hartono"),
        ("From: Mirela Popescu <m.popescu@example.nl>\nSee you Friday.\nMirela", "Mirela"),
        ("[11:02] bas: wie heeft het bestand?\n[11:03] anouk: vraag het aan jeroen", "jeroen"),
        ("pieter de graaf belde net over de camera bij zijn huis", "pieter de graaf"),
        ("ik ben yusra el-idrissi, ik werk bij het KCC", "yusra el-idrissi"),
        ("Boer Veenstra aan de Dorpsweg 8 klaagt over de drone", "Veenstra"),
        ("Overlast bij Bakker aan de Dorpsstraat 3, zegt de buurman", "Bakker"),
        # Forms the seventh round added (tuned on redaction-blind9.yaml).
        ("klager hessel bouma zegt dat zijn auto er niet was", "hessel bouma"),
        ("lijst:\nkarin de lange nl10bunq1216853827 € 180", "karin de lange"),
        ("45-LKN-9 -> eigenaar j. van der heijden", "j. van der heijden"),
        ("bv mw yildiz van de lange nieuwstraat 17 bis heeft achterstand", "yildiz"),
        (
            "bv mw yildiz van de lange nieuwstraat 17 bis heeft achterstand",
            "lange nieuwstraat 17 bis",
        ),
        ("i live at oude gracht 88 hs, 3511 ak utrecht", "oude gracht 88 hs"),
        # Forms the eighth round added (tuned on redaction-blind10.yaml).
        ("Afdelingshoofd Vos wil dat iedereen zijn locatie deelt.", "Vos"),
        ("Jongerenwerker Soufiane el Mourabit vraagt of het mag", "Soufiane el Mourabit"),
        ("The councillor Van Dijk wants the ANPR data", "Van Dijk"),
        ("'hoi ayşe, ik zie dat jij de pilot doet", "ayşe"),
        ("hey, its ollie from the data team. we merged", "ollie"),
        ("bewoonster ria van dorpsstraat 23 die klaagt", "ria"),
        ("Het meisje, Sterre, 14-07-2012, woont bij oma", "14-07-2012"),
        ("Besproken: de zoon van Senait Habte (2011-06-09)", "2011-06-09"),
        ("en Celebesstraat 4-rood (nieuw adres)", "Celebesstraat 4-rood"),
        ("drone boven de 1e Oosterparkstraat 12-II gezien", "1e Oosterparkstraat 12-II"),
        ("gebeld met mw. van dijk van kastanjelaan 4-a. zij wil", "kastanjelaan 4-a"),
        # Forms the ninth round added (tuned on redaction-blind11.yaml).
        ("Journaal Wmo – cliënt Nguyễn Văn Hùng (geb. 1953-12-01)", "Nguyễn Văn Hùng"),
        ("| 004512 | Jansen-de Vries, H. | Belastingen | 23 |", "Jansen-de Vries, H."),
        ("08:03:55;B-1180;van der Veen, J.;fietsenstalling", "van der Veen, J."),
        ("From: Chen Meiling\nTo: Hoekstra, Marc\n\nDear Mr. Hoekstra,", "Hoekstra, Marc"),
        ("[18/03/2026 21:15] pieter: only if she asks for it", "pieter"),
        ("[21/05/2025, 07:50] Juf Marieke: thanks! is she ill?", "Marieke"),
        ("haar dochter ingrid belt terug", "ingrid"),
        ("Voornaam: Ioana\nAchternaam: Popescu", "Popescu"),
        ("op uw adres, Beukelsdijk 141 3 hoog, 3022 DE Rotterdam", "Beukelsdijk 141 3 hoog"),
        ("Hij woont aan de van Speijkstraat 52 3 hoog", "van Speijkstraat 52 3 hoog"),
        ("woont op de Eikenlaan huisnummer 9 in Hengelo", "Eikenlaan huisnummer 9"),
        ("Address: Kikkenstein 2210, 1106 AZ Amsterdam", "Kikkenstein 2210"),
        ("adres=kerkewijk 72 bis, 3901eg veenendaal", "kerkewijk 72 bis"),
        ("de bus van mevrouw sahin met kenteken 412 zg 8 ze zegt", "412 zg 8"),
        ("een witte bus met kenteken vgt 21 k, eigenaar onbekend", "vgt 21 k"),
        # Forms the eleventh round added (tuned on redaction-blind13.yaml).
        ("- @Femke de Wit: DPIA chatbot afronden", "Femke de Wit"),
        ("| Shurendy Cijntje | 14-02-2009 | Zadkine | hoog |", "Shurendy Cijntje"),
        ("10460\tŞeyma Doğan\t1993-07-30\tICT\t22", "Şeyma Doğan"),
        ("jeroen: zag je dat de camera\naylin: ja, die ook", "aylin"),
        ("sanjay.k: the vendor says\nmaria.costa: that's a persistent id", "maria.costa"),
        # Forms the twelfth round added (tuned on redaction-blind14.yaml).
        ('name,dob,bsn\n"Visser, Gerda",30/06/1949,461584566,Dronten', "461584566"),
        ('name,dob,bsn\n"Visser, Gerda",30/06/1949,461584566,Dronten', "Visser, Gerda"),
        ("doorgestuurd door Jessica:\nDanny Willems: hoi jessica ik heb betaald", "jessica"),
        ("samantha yeah i'm samantha de graaf", "samantha"),
        ("Henk-Jan: bij dijkpaal 47 staat die camper\nSarita: ik heb een foto", "Henk-Jan"),
        ("Sem en Lina (geb. 11 okt. 2015 en 4 jan. 2018), om ze", "4 jan. 2018"),
        ("One example was Buitenwatersloot 301, 2613 TD Delft.", "Buitenwatersloot 301"),
        ("Adres: Zijlweg 140 rood, 2015 BP Haarlem", "Zijlweg 140 rood"),
        ("dat is nodig; mw. jansen belt morgen", "jansen"),
        # Forms the thirteenth round added (tuned on redaction-blind15.yaml).
        ("Jozefien Verstraete, Grote Steenweg 94 bus 2, 2600 Berchem", "Grote Steenweg 94 bus 2"),
        ("Jozefien Verstraete, Grote Steenweg 94 bus 2, 2600 Berchem", "2600"),
        ("the mother at Rue des Tanneurs 58 boîte 4, 4800 Verviers", "Rue des Tanneurs 58 boîte 4"),
        ("privéadres Am Stadtgarten 5, 46446 Emmerich", "Am Stadtgarten 5"),
        ("verblijfsadres ul. Długa 15 m. 4, 80-827 Gdańsk", "80-827"),
        ("klaagster woont op Wagenstraat 11 3-hoog, 2512 AS", "Wagenstraat 11 3-hoog"),
        ("de woonboot aan de Bickersgracht t/o 210, de eigenaar", "Bickersgracht t/o 210"),
        ("de scanauto heeft kenteken 84-HPB-6 en 84 HPB 6", "84 HPB 6"),
        ("Geslachtsnaam: Bouzidi\nGeboortedatum: 19690114", "19690114"),
        ("in het systeem staat Dennis v. Leeuwen met geb datum 23-08-83", "23-08-83"),
        ("in het systeem staat Dennis v. Leeuwen met geb datum 23-08-83", "Dennis v. Leeuwen"),
        ("Voornaam: Mees\nAchternaam: van den Broek", "van den Broek"),
        ("in de BRP staat 'C. van ’t Zand' (met krulapostrof)", "C. van ’t Zand"),
        ("de bewindvoerder: 'aanvraag Wsnp Kees en Anja Mulder'", "Kees"),
        ("de auto met kenteken 12 ab 34 stond er weer", "12 ab 34"),
        # Dictated digit by digit, as speech-to-text writes it.
        ("mijn nummer is nul zes een twee drie vier vijf zes zeven acht, bel me", "nul zes"),
        ("my number is zero six one two three four five six seven eight", "eight"),
        ("het bsn is een twee drie vier vijf zes zeven acht twee", "acht twee"),
        ("BSN123456782 stond in de bijlage", "123456782"),
        # What a cold review of round 13 found let through.
        ("Check the system Mark Bakker configured, and ask Mark Bakker", "Mark Bakker"),
        ("Verhuisd naar Kerkstraat 12, 2021 Anja Mulder belde daarover.", "Anja Mulder"),
        ("Het RSIN-formulier vraagt om het BSN: 123456782.", "123456782"),
        ("id,bsn,naam\n1,123456782,Jansen", "123456782"),
        ("Na de update was 81.23.45.67 het IP-adres dat inlogde", "81.23.45.67"),
        ("De laptop van de medewerker had 192.168.1.23/24.", "192.168.1.23"),
        ("Aanvrager: J. v.d. Berg belde", "J. v.d. Berg"),
        ("Avenue de Tervueren 210 bte 3, 1150 Brussel", "Avenue de Tervueren 210 bte 3"),
        # Round 14 (tuned on redaction-blind16.yaml): plates in any case near a vehicle,
        # grouped BSNs after their name, IPv4 written as IPv6, more ways to write a birth date.
        ("plus een bestelbus k 64 bds. eigenaar belde boos", "k 64 bds"),
        ("geparkeerd met mijn auto 09 jlf 7 en ik heb een foto", "09 jlf 7"),
        ("anpr hit list from last weekend: 'xz 18 bn', 'XZ18BN'", "XZ18BN"),
        ("a classic car (HD 45 17) hit a traffic camera pole", "HD 45 17"),
        ("een parkeerboete met kenteken tn 08 kg en naam", "tn 08 kg"),
        ("Geboortedatum: 2 - 12 - 1983\nBSN: 51 93 24 262", "51 93 24 262"),
        ("Geboortedatum: 2 - 12 - 1983\nBSN: 51 93 24 262", "2 - 12 - 1983"),
        ("nginx-log:\n::ffff:83.160.12.77 - - [05/Nov/2025:10:02:11 +0100]", "::ffff:83.160.12.77"),
        ("Een jongere, Minh Tran (12-mei-2008), meldt zich", "12-mei-2008"),
        ("names, dob and bsn like 'Liam van der Zee 2016-09-03'", "2016-09-03"),
        # Units and floors after the number, a Belgian postcode before a town that is also a
        # first name, roles in one word, names with an alias, double first names.
        ("tijdelijk op Jan van Galenstraat 181-3 hoog, 1056 BP", "Jan van Galenstraat 181-3 hoog"),
        ("his address, Industrieweg 12 unit 7, 5961 PB Horst", "Industrieweg 12 unit 7"),
        ("I live at Parkweg 9 apt 14, 6212 XN Maastricht", "Parkweg 9 apt 14"),
        ("woonachtig Vlierbeslaan 18 kamer 4, 6716 SM Ede", "Vlierbeslaan 18 kamer 4"),
        ("huurt een kamer op de javastraat 18 bg, verhuurder", "javastraat 18 bg"),
        ("Mrs Lieve Verhaeghe (Kapelstraat 17 bus 2, 2960 Brecht), was hit", "2960"),
        ("Toezichthouder Bilal Aznag meldt dat", "Bilal Aznag"),
        ("Stembureauvoorzitter Gonny Scholten stelt voor", "Gonny Scholten"),
        ("Beste leerplichtambtenaar,\nLeerling Noah Wijaya (groep 8) is", "Noah Wijaya"),
        ("| J.W. (Jan-Willem) Hofstede | 03/07/1958 |", "J.W. (Jan-Willem) Hofstede"),
        ("Aanwezig: mr. C.W. (Carla) Ruitenberg (vz), prof", "C.W. (Carla) Ruitenberg"),
        ("inwoner ria (maria) schoenmaker, bloemstraat 7", "ria (maria) schoenmaker"),
        ("In de tekst stonden namen zoals Kim-Ling Tan en Huub Vermeer", "Kim-Ling Tan"),
        # What a cold review of rounds 14-15 found let through.
        ("xz 18 bn stond fout geparkeerd", "xz 18 bn"),
        ("Auto:\nxz 18 bn", "xz 18 bn"),
        ("scanwagen registreerde XZ18BN", "XZ18BN"),
        ("tractor met 9 vtz 21 op de dijk", "9 vtz 21"),
        ("Ria (Maria) Schoenmaker belde", "Ria (Maria) Schoenmaker"),
        ("namen en geb. data: liam van der zee 2016-09-03", "2016-09-03"),
        ("DOB: 3 Mar 1985", "3 Mar 1985"),
        ("bsn-nummer: 51 93 24 262", "51 93 24 262"),
        ("Zijn BSN is 51 93 24 262", "51 93 24 262"),
        ("Burgerservicenummer (BSN): 51 93 24 262", "51 93 24 262"),
        ("BSN van de cliënt: 51 93 24 262", "51 93 24 262"),
        ("BSN:\n51 93 24 262", "51 93 24 262"),
        # Named a BSN, a number that fails the elfproef is still kept out (a user trial).
        ("haar BSN is 123456789, klopt dat?", "123456789"),
        ("bsn 12345678 (acht cijfers)", "12345678"),
        ("Het incident op de Kerkstraat 12, 2023 Lotte.", "Lotte"),
        # Round 16: addresses as forms, exports, speech-to-text and foreign letters write them.
        ("My name is Gareth, I live at Weteringschans 15-3 and", "Weteringschans 15-3"),
        ("| Fam. Nguyen | Hof van Spaland 49\nOLO 8834099", "Hof van Spaland 49"),
        ("form: naam=x&adres=Vijverlaan+9&tel=1", "Vijverlaan+9"),
        ("adres is Westerkade tegenover 18, de bewoner", "Westerkade tegenover 18"),
        ("Address: Dorpsstraat 3 achter, 4121 CB Everdingen", "Dorpsstraat 3 achter"),
        ("M. Claes | Stationsstraat 41, 3920 Lommel | BE14", "3920"),
        ("naam,geboortedatum,straat,huisnr\nHermans,19430211,Akerstraat,88,1", "Akerstraat,88"),
        ("naam,geboortedatum,straat,huisnr\nHermans,19430211,Akerstraat,88,1", "19430211"),
        ("2) Olivier Lambert, 14 rue des Tanneurs, 59000 Lille", "14 rue des Tanneurs"),
        ("2) Olivier Lambert, 14 rue des Tanneurs, 59000 Lille", "59000"),
        ("hij woont op nr 44b.", "nr 44b"),
        ("grofvuil voor de deur van nr. 23 aan de Tulpstraat, de", "nr. 23 aan de Tulpstraat"),
        ("voorzitter: en u woont nog op de Rijnstraat dertien\nmevrouw: ja", "Rijnstraat dertien"),
        ("mevrouw bakker van de kersenlaan nummer achttien eh", "kersenlaan nummer achttien"),
        ("geb: 12 - 8 - '39\nbsn: 990315782", "12 - 8 - '39"),
        # Round 17 (tuned on tune19 and blind17): logins, handles and folders made of names,
        # names posted in a URL, tables with a header, chat lines and lists surname first,
        # surnames in capitals, East Asian names, names and addresses said in a transcript.
        ("2025-02-11 WARN auth-fail user=mbouzidi src=10.41.7.122", "mbouzidi"),
        ("account PZH\\m.elidrissi exported the list at 23:14", "m.elidrissi"),
        ("and user kvisser01 opened it from home", "kvisser01"),
        ("In de map H:\\Gebruikers\\sietse.zijlstra\\Downloads staat", "sietse.zijlstra"),
        ("@Priya.Sharma @arjun kunnen jullie checken", "arjun"),
        ("form: naam=Jordy+Tromp&adres=Vijverlaan+9", "Jordy+Tromp"),
        ("/melding?naam=fatima%20el%20amrani&pc=1079KS", "fatima%20el%20amrani"),
        ("achternaam;voornaam;adres\nYILMAZ;Mehmet;Schoolstraat 3", "YILMAZ"),
        ("achternaam;voornaam;adres\nvan der Meulen;Jelle;Sint Annastraat 87", "van der Meulen"),
        ("[10:02] Jansen, Piet: the drone flights", "Jansen, Piet"),
        ("Van: Schuurman, Inge <i.schuurman@hdsr.nl>", "Schuurman, Inge"),
        ("Dossierhouder: Bouzid-Verhoeven, Hanan. Tweede aanvrager", "Bouzid-Verhoeven, Hanan"),
        ("bezwaarmakers: A.B. EL AMRANI en drs. W. Smit", "A.B. EL AMRANI"),
        ("Mr Thomas VAN ROOIJEN, address Parallelweg 40", "Thomas VAN ROOIJEN"),
        ("dossier VAN DER LINDEN, HENDRIK staat in de export", "VAN DER LINDEN, HENDRIK"),
        ("Ook SABAJO-PINAS, G. zit erin", "SABAJO-PINAS, G."),
        ("we zien dat Park Min-jun en Chen Li Na een hoog risico", "Chen Li Na"),
        ("her co-founder is Zhang Wei. Both are listed", "Zhang Wei"),
        ("u spreekt met mevrouw eh de jong eh ik woon op de", "de jong"),
        ("ik woon op de klaverstraat veertien en er hangt", "klaverstraat veertien"),
        ("ik woon zelf op de eh wilhelminastraat drie a dus", "wilhelminastraat drie a"),
        ("De huisbaas is Florin Constantinescu. Kunnen we", "Florin Constantinescu"),
        ("Contact: Elke Vandenbroucke, elke@example.be", "Elke Vandenbroucke"),
        # A phone number said in pairs, a street posted in a URL, a place after a hesitation.
        (
            "mijn nummer is nul zes twaalf vierendertig zesenvijftig achtenzeventig",
            "nul zes twaalf vierendertig zesenvijftig achtenzeventig",
        ),
        ("/melding?naam=x&straat=Vrijheidslaan%2012&pc=1079KS", "Vrijheidslaan%2012"),
        ("bij mijn huis op de eh herenweg honderdtwaalf in heerenveen", "herenweg honderdtwaalf"),
        # Round 18 (tuned on tune20): addresses before a postcode whatever the street's name,
        # CSV fields, abbreviations, floors, capitals, hidden e-mail, spoken dates and numbers.
        ("melder is dhr. Sjef Janssen, Aan de Kapel 3, 6212 NB Maastricht", "Aan de Kapel 3"),
        ("- Yasmina Haddou, Plein 1944 12, 6511 JD Nijmegen", "Plein 1944 12"),
        ("Henk en Gerda Wolters, Zuideinde 212, 2991 LL Barendrecht", "Zuideinde 212"),
        ("10231,Sanne Visser,Korte Nieuwstraat 7-3,3512 LM,Utrecht", "Korte Nieuwstraat 7-3"),
        ("Address line 1: Hoogstraat 45 2e etage", "Hoogstraat 45 2e etage"),
        ("Kon. Julianastr. 4 rd, 14:00 Pr. Bernhardln 120-A. Kan", "Pr. Bernhardln 120-A"),
        ("adres Westerdijk 88 woonboot, 1621 LG Hoorn", "Westerdijk 88 woonboot"),
        ("Aan de bewoners van KERKSTRAAT 4 RD, 5261 AB VUGHT.", "KERKSTRAAT 4 RD"),
        ("klant woont op prins hendrikkade 104 3-hoog 1011 aj", "prins hendrikkade 104 3-hoog"),
        ("iban: NL 91 SNSB 1766 3520 30", "NL 91 SNSB 1766 3520 30"),
        (
            "mail me maar op piet.vandijk[at]hotmail[dot]com of bel",
            "piet.vandijk[at]hotmail[dot]com",
        ),
        (
            "Lotte Brouwer, geboren twaalf maart tweeduizendtien, woont",
            "twaalf maart tweeduizendtien",
        ),
        (
            "bel me op nul zes, vierentwintig, achtendertig, vijftig, zeventien.",
            "nul zes, vierentwintig, achtendertig, vijftig, zeventien",
        ),
        # Round 19 (tuned on blind18, read once blind21 was the record): one name opening the
        # line of a phone number or an IBAN, a BSN written with dashes, a sign-off before
        # initials and a surname.
        ("Mag ik de lijst rondsturen?\nDennis 06-23 45 67 81\nBram +316 1357 9246", "Dennis"),
        ("Mag ik de lijst rondsturen?\nDennis 06-23 45 67 81\nGülşen 0687654321", "Gülşen"),
        ("In de steekproef:\n- Bosma, NL59ASNB1352508348\n", "Bosma"),
        ("mijn burgerservicenummer is 603-189-982 en ik woon", "603-189-982"),
        ("Ik wil bezwaar maken.\nMvg, F. Ahmadzai", "F. Ahmadzai"),
        ("ik ben An de Vries van Handhaving", "An de Vries"),
        ("ik ben an de vries en ik werk hier", "an de vries"),
        ("groet, an peeters", "an peeters"),
    ],
)
def test_names_with_a_cue_initials_diacritics_or_at_a_sentence_start(text: str, name: str) -> None:
    start = text.index(name)
    covered = {i for s, e, _ in find_personal_data(text) for i in range(s, e)}
    assert set(range(start, start + len(name))) <= covered, find_personal_data(text)


@pytest.mark.parametrize(
    ("name", "names", "addresses", "identifiers"),
    [
        # Tuned on (see tests/data/privacy/README.md): floors at what they measure now.
        ("redaction-blind2.yaml", 0.95, 0.95, 0.99),
        ("redaction-blind3.yaml", 0.86, 1.00, 0.99),
        ("redaction-blind4.yaml", 0.92, 1.00, 0.99),
        ("redaction-blind5.yaml", 0.86, 0.93, 0.98),
        ("redaction-blind6.yaml", 0.91, 1.00, 1.00),
        ("redaction-blind7.yaml", 0.90, 1.00, 0.98),
        ("redaction-blind8.yaml", 0.98, 1.00, 1.00),
        ("redaction-blind9.yaml", 0.97, 0.98, 0.99),
        ("redaction-blind10.yaml", 0.96, 1.00, 1.00),
        ("redaction-blind11.yaml", 0.94, 0.95, 0.97),
        ("redaction-blind12.yaml", 0.94, 0.95, 0.97),
        ("redaction-blind13.yaml", 0.91, 0.90, 0.97),
        ("redaction-blind14.yaml", 0.96, 0.98, 0.99),
        ("redaction-blind15.yaml", 0.96, 1.00, 0.98),
        ("redaction-blind16.yaml", 0.93, 0.94, 0.97),
        ("redaction-blind17.yaml", 0.99, 0.99, 0.99),
        # Record until a newer set was written; read from then on.
        ("redaction-blind18.yaml", 0.94, 0.94, 0.99),
        # The figure of record, never tuned on: floors just under the measured values (names
        # 228/236, addresses 185/191, identifiers 215/217) so a regression shows.
        ("redaction-blind21.yaml", 0.96, 0.96, 0.99),
    ],
)
def test_the_blind_corpus_figures(
    name: str, names: float, addresses: float, identifiers: float
) -> None:
    entries = yaml.safe_load((CORPUS.parent / name).read_text(encoding="utf-8"))
    found, total, wrong, clean = score(entries)
    structured = sum(found[k] for k in STRUCTURED) / sum(total[k] for k in STRUCTURED)
    assert structured >= identifiers
    assert found["address"] / total["address"] >= addresses
    assert found["name"] / total["name"] >= names
    assert wrong / clean <= 0.01


def test_the_domain_word_list_is_current(knowledge: Knowledge) -> None:
    """bot/data/domain_words.txt is what ``python -m bot.domain_words`` makes of the lexicon."""
    first, surnames, _ = name_lists()
    assert sorted(domain_words.load()) == domain_words.build(
        knowledge.signals.values(), first | surnames
    ), "run: .venv/bin/python -m bot.domain_words"


def test_a_name_given_to_a_chatbot_is_still_a_persons_with_a_form_of_address() -> None:
    """A chatbot named Anna hides "Anna" elsewhere, not "mevrouw Anna" (a cold review)."""
    text = "Onze chatbot heet Anna. Gisteren belde mevrouw Anna over haar uitkering."
    assert (
        redact(text).text
        == "Onze chatbot heet Anna. Gisteren belde mevrouw [naam] over haar uitkering."
    )
