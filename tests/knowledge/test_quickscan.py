"""The "Mag het?" quick scan: every rule of law.yaml with a positive and a near-miss negative,
the answers to its questions, and the risk level."""

from __future__ import annotations

import pytest

from knowledge.loader import Knowledge
from knowledge.quickscan import DPIA_LABELS, Finding, MagHet, assess_risk, cite, quick_scan
from knowledge.schema import Text
from knowledge.triage import Advisor


def scan(advisor: Advisor, text: str, answers: dict[str, bool] | None = None) -> MagHet:
    return quick_scan(advisor.matcher.find(text), advisor.knowledge.law, answers)


def fired(advisor: Advisor, text: str) -> set[str]:
    s = scan(advisor, text)
    rules = {f.rule for f in (*s.dpia, *s.dpia_required, *s.ai_act)}
    rules |= {q.rule for q in s.questions}
    if s.personal_data:
        rules.add("avg-personal-data")
    if s.iama:
        rules.add("iama")
    if s.children:
        rules.add("kia-children")
    if s.education:
        rules.add("education")
    if s.outside_eea:
        rules.add("avg-transfer")
    return rules


def _finding(key: str) -> Finding:
    return Finding(key, Text(nl=key, en=key), [key])


# Each rule: a sentence that should raise it, and one that looks alike but should not.
RULES: dict[str, tuple[str, str]] = {
    "avg-personal-data": (
        "We houden een lijst bij met namen en adressen van deelnemers aan de inspraakavond.",
        "We tellen het aantal fietsen in de stalling met een lus in de grond.",
    ),
    "edpb-evaluation": (
        "Een model voorspelt welke inwoners een betalingsachterstand krijgen.",
        "Een model voorspelt hoe hoog het water in de rivier komt.",
    ),
    "edpb-automated-decision": (
        "Het systeem neemt een geautomatiseerde beslissing over de aanvraag van inwoners.",
        "Het systeem doet een voorstel; een consulent beslist zelf over de aanvraag van inwoners.",
    ),
    "edpb-monitoring": (
        "Camera's volgen bezoekers in de winkelstraat.",
        "Sensoren bewaken de dijk tegen verzakking bij hoogwater.",
    ),
    "edpb-sensitive": (
        "We verzamelen gezondheidsgegevens van cliënten van de Wmo.",
        "We verzamelen gegevens over de gezondheid van bomen in het park.",
    ),
    "edpb-large-scale": (
        "We sturen alle 45.000 huishoudens een brief met hun persoonlijke gegevens.",
        "We sturen 40 huishoudens een brief met hun persoonlijke gegevens.",
    ),
    "edpb-matching": (
        "We koppelen de BRP aan de ledenlijst van de bibliotheek.",
        "We zetten de BRP in een nieuw systeem.",
    ),
    "edpb-vulnerable": (
        "Een dossier per inwoner met een uitkering.",
        "Een dossier per bedrijf met een vergunning voor evenementen.",
    ),
    "edpb-innovative": (
        "Een chatbot beantwoordt vragen van inwoners over hun aanvraag.",
        "Een medewerker beantwoordt vragen van inwoners over hun aanvraag.",
    ),
    "edpb-blocking": (
        "Het algoritme bepaalt welke inwoners bijzondere bijstand krijgen en weigert de rest.",
        "Het algoritme bepaalt welke wegen het eerst gestrooid worden.",
    ),
    "avg-35-3-a": (
        "Een AI-model scoort alle aanvragers van een uitkering op fraude en wijst aanvragen af.",
        "Een AI-model scoort alle wegvakken op slijtage en plant het onderhoud.",
    ),
    "avg-35-3-b": (
        "Een register met gezondheidsgegevens van alle inwoners van de provincie.",
        "Een register met de vergunningen van alle bedrijven van de provincie.",
    ),
    "avg-35-3-c": (
        "Op grote schaal camera's die mensen in de openbare ruimte volgen.",
        "Op grote schaal sensoren die de luchtkwaliteit in de openbare ruimte meten.",
    ),
    "ap-01-heimelijk": (
        "De sociale recherche wil een inwoner heimelijk observeren.",
        "De sociale recherche wil een inwoner uitnodigen voor een gesprek.",
    ),
    "ap-02-zwarte-lijsten": (
        "We houden een zwarte lijst bij van inwoners die agressief waren aan de balie.",
        "We houden een lijst bij van de openingstijden van de balie.",
    ),
    "ap-03-fraude": (
        "We willen fraude met uitkeringen van inwoners opsporen.",
        "We willen de kosten van uitkeringen per jaar in kaart brengen, zonder persoonsgegevens.",
    ),
    "ap-04-creditscores": (
        "Schuldhulp berekent een kredietscore voor elke inwoner die zich meldt.",
        "Schuldhulp berekent het totale budget voor volgend jaar.",
    ),
    "ap-05-financieel": (
        "We koppelen het inkomen van alle 20.000 huishoudens aan hun woning.",
        "We publiceren het gemiddelde inkomen per provincie uit het CBS.",
    ),
    "ap-06-genetisch": (
        "De GGD wil DNA van inwoners onderzoeken.",
        "De GGD wil rioolwater op virussen onderzoeken.",
    ),
    "ap-07-gezondheid": (
        "Een database met gezondheidsgegevens van 30.000 inwoners.",
        "Een database met gezondheidsgegevens van 30 inwoners.",
    ),
    "ap-08-samenwerking": (
        "In het samenwerkingsverband delen politie en gemeente gegevens over strafbare feiten "
        "van inwoners.",
        "In het samenwerkingsverband delen de partners hun jaarplannen.",
    ),
    "ap-09-cameratoezicht": (
        "Camera's op het stationsplein filmen voorbijgangers.",
        "Een camera in de kelder van het archief meet de luchtvochtigheid.",
    ),
    "ap-10-flexibel-cameratoezicht": (
        "Handhavers dragen een bodycam tijdens hun dienst in de wijk.",
        "Handhavers dragen een portofoon tijdens hun dienst in de wijk.",
    ),
    "ap-11-werknemers": (
        "We willen de toetsaanslagen van thuiswerkende medewerkers bijhouden.",
        "We willen medewerkers een cursus over thuiswerken aanbieden.",
    ),
    "ap-12-locatie": (
        "Een app volgt continu de locatie van alle inwoners die hem gebruiken.",
        "Een app toont de locatie van de afvalcontainers in de wijk.",
    ),
    "ap-13-communicatie": (
        "Software leest stelselmatig de chatberichten van medewerkers mee.",
        "Medewerkers krijgen een training over hoe je goede chatberichten schrijft.",
    ),
    "ap-14-iot": (
        "Elk huishouden krijgt een slimme meter die het energieverbruik per kwartier doorgeeft.",
        "Het gemeentehuis krijgt een nieuwe meterkast.",
    ),
    "ap-15-profilering": (
        "Een algoritme maakt een risicoprofiel van elke inwoner met een uitkering.",
        "Een algoritme maakt een risicoprofiel van elke brug in de provincie.",
    ),
    "ap-16-gedrag": (
        "We observeren het gedrag van bezoekers op de website om ze met nudging over te halen.",
        "We publiceren een folder om bezoekers over te halen de fiets te nemen.",
    ),
    "ap-17-biometrie": (
        "Medewerkers openen de deur met hun vingerafdruk; de vingerafdrukken staan op onze server.",
        "Medewerkers ontgrendelen hun telefoon met face id; dat blijft op het toestel.",
    ),
    "ai-5-1-a": (
        "Een tool met AI toont bezoekers subliminale beelden die te kort zijn om bewust waar te "
        "nemen, zodat ze een duur abonnement afsluiten.",
        "Een campagne met posters overtuigt bezoekers om een abonnement af te sluiten.",
    ),
    "ai-5-1-b": (
        "Een AI-app herkent wanneer inwoners met geldzorgen impulsief zijn en toont hun juist "
        "dan een flitskrediet.",
        "Een app helpt inwoners met geldzorgen hun uitgaven bij te houden.",
    ),
    "ai-5-1-c-score": (
        "De gemeente wil elke inwoner een sociale score geven.",
        "De gemeente wil elke wijk een score voor leefbaarheid geven.",
    ),
    "ai-5-1-c": (
        "Een AI-model geeft huurders een score op hun gedrag in de buurtapp; wie laag scoort "
        "komt achteraan op de wachtlijst.",
        "Een vaste interventieladder: na drie overtredingen volgt een boete.",
    ),
    "ai-5-1-d": (
        "Een model voorspelt op basis van persoonlijkheidskenmerken en woonwijk welke jongeren "
        "een misdrijf gaan plegen.",
        "Een AI-tool schat voor de politie op basis van eerdere veroordelingen, vastgestelde "
        "feiten, in hoe groot de kans op nieuwe strafbare feiten is.",
    ),
    "ai-5-1-e": (
        "De leverancier wil ongericht gezichten van internet verzamelen voor een databank.",
        "Medewerkers leveren zelf hun pasfoto aan voor de toegangspas.",
    ),
    "ai-5-1-f": (
        "Software herkent met AI aan stem en gezicht of medewerkers van het klantcontactcentrum "
        "gestrest zijn.",
        "Een camera met AI meet of de buschauffeur vermoeid is en geeft dan een alarm.",
    ),
    "ai-5-1-g": (
        "Software leidt uit camerabeelden af welke bezoekers moslim zijn.",
        "Software telt op camerabeelden hoeveel bezoekers er op het plein zijn.",
    ),
    "ai-5-1-h": (
        "De politie wil live gezichtsherkenning op alle camera's in de binnenstad.",
        "De politie wil achteraf opgeslagen camerabeelden met gezichtsherkenning doorzoeken.",
    ),
    "ai-hr-1a": (
        "Het museum herkent vaste bezoekers bij de ingang met gezichtsherkenning.",
        "Medewerkers openen de poort met 1-op-1 verificatie van hun gezicht tegen de pas.",
    ),
    "ai-hr-1b": (
        "Een camera met AI schat van elke bezoeker de leeftijdscategorie en het geslacht.",
        "Een camera met AI telt hoeveel bezoekers er binnenkomen.",
    ),
    "ai-hr-1c": (
        "Camera's met AI herkennen of voorbijgangers in de uitgaansstraat boos zijn.",
        "Camera's met AI herkennen of medewerkers op de werkplek boos zijn.",
    ),
    "ai-hr-2": (
        "Een AI-systeem regelt de verkeerslichten op provinciale wegen.",
        "Een vaste formule in Excel regelt de verkeerslichten op provinciale wegen.",
    ),
    "ai-hr-3": (
        "Een AI-model bepaalt welke studenten worden toegelaten tot de opleiding.",
        "Een AI-schrijfhulp helpt docenten hun lessen voor te bereiden.",
    ),
    "ai-hr-4": (
        "Een AI-tool selecteert uit alle cv's van sollicitanten een top-10.",
        "HR gebruikt een AI-schrijfhulp voor vacatureteksten; de tool ziet geen sollicitanten.",
    ),
    "ai-hr-5a": (
        "Een AI-model bepaalt hoeveel uur huishoudelijke ondersteuning iemand uit de Wmo krijgt.",
        "Een AI-tool zet gescande bijlagen van Wmo-aanvragen om naar tekst; de consulent "
        "beoordeelt de aanvraag zelf.",
    ),
    "ai-hr-5b": (
        "Een AI-model berekent de kredietwaardigheid van inwoners.",
        "Een spreadsheet telt de kosten van leningen op.",
    ),
    "ai-hr-5c": (
        "Een AI-model bepaalt de premie van de zorgverzekering voor minima.",
        "We informeren minima over de collectieve zorgverzekering.",
    ),
    "ai-hr-5d": (
        "Een AI-systeem op de meldkamer classificeert 112-meldingen en bepaalt welke ambulance "
        "uitrukt.",
        "De meldkamer krijgt nieuwe stoelen.",
    ),
    "ai-hr-6": (
        "Een AI-tool voorspelt voor de politie welke verdachten opnieuw een strafbaar feit plegen.",
        "De politie gebruikt een AI-tool om haar jaarverslag op te maken.",
    ),
    "ai-hr-7": (
        "Een AI-tool beoordeelt asielaanvragen op tegenstrijdigheden.",
        "We organiseren taallessen voor statushouders.",
    ),
    "ai-hr-8a": (
        "Een AI-systeem helpt de bezwaarcommissie beslissen over bezwaren.",
        "De bezwaarcommissie krijgt een nieuwe voorzitter.",
    ),
    "ai-hr-8b": (
        "Een AI-tool schrijft berichten op maat om kiezers over te halen op een partij te stemmen.",
        "Een AI-planningstool verdeelt de stembureauleden over de stembureaus.",
    ),
    "ai-50-1": (
        "Een chatbot op de website beantwoordt vragen van inwoners.",
        "Een zoekfunctie op de website toont de juiste pagina.",
    ),
    "ai-50-2": (
        "De provincie bouwt een eigen AI-tool waarmee adviseurs afbeeldingen genereren.",
        "De provincie gebruikt een AI-tool waarmee adviseurs afbeeldingen genereren.",
    ),
    "ai-50-3": (
        "In het winkelcentrum herkennen camera's met AI of bezoekers blij of boos zijn.",
        "In het winkelcentrum tellen camera's hoeveel bezoekers er zijn.",
    ),
    "ai-50-4-deepfake": (
        "We maken met AI een deepfake van de burgemeester voor de campagne.",
        "We maken een gewone video met de burgemeester voor de campagne.",
    ),
    "ai-50-4-text": (
        "Een AI-systeem schrijft automatisch nieuwsberichten en zet ze zonder tussenkomst van "
        "een redacteur op de website.",
        "Een AI-systeem schrijft nieuwsberichten; een redacteur controleert en keurt elke tekst "
        "goed voor de website.",
    ),
    "ai-27-fria": (
        "Een AI-model bepaalt welke inwoners met een uitkering een controle krijgen.",
        "Een AI-model bepaalt welke wegen het eerst worden geveegd.",
    ),
    "ai-49-registratie": (
        "Een AI-tool selecteert sollicitanten voor een gesprek.",
        "Een AI-tool stelt een rooster op voor de vergaderzalen.",
    ),
    "iama": (
        "Een algoritme bepaalt welke aanvragen van inwoners extra gecontroleerd worden.",
        "Een algoritme bepaalt welke lantaarnpalen het eerst vervangen worden.",
    ),
    "kia-children": (
        "Een app waarmee leerlingen van de basisschool hun leesvorderingen bijhouden.",
        "Een nieuwsbrief aan de ouders van leerlingen over de schoolreis.",
    ),
    "education": (
        "Een leerplatform voor studenten van het mbo.",
        "Een platform voor ondernemers in de regio.",
    ),
    "avg-transfer": (
        "De gesprekken van inwoners met de chatbot worden in de VS opgeslagen.",
        "De gesprekken van inwoners met de chatbot staan in een Nederlands datacenter.",
    ),
    "ask-hosting": (
        "Het zaaksysteem met dossiers van inwoners draait in de cloud van de leverancier.",
        "Het zaaksysteem met dossiers van inwoners draait in de cloud, in een datacenter in "
        "Nederland.",
    ),
    "ask-personal-data-abroad": (
        "Mag ik ChatGPT gebruiken om een beleidsnotitie samen te vatten?",
        "Mag ik ChatGPT gebruiken om klachten van inwoners met hun namen samen te vatten?",
    ),
    "ask-ai-system": (
        "Een algoritme bepaalt welke inwoners voorrang krijgen op de wachtlijst.",
        "Een vaste regel in Excel bepaalt welke inwoners voorrang krijgen op de wachtlijst.",
    ),
    "ask-real-time": (
        "De politie wil gezichtsherkenning gebruiken om gezochte personen te vinden.",
        "De politie wil live gezichtsherkenning gebruiken om gezochte personen te vinden.",
    ),
    "ask-law-enforcement": (
        "We willen live camera's met gezichtsherkenning op het stationsplein om zakkenrollers "
        "op te sporen.",
        "De politie wil live camera's met gezichtsherkenning op het stationsplein om "
        "zakkenrollers op te sporen.",
    ),
    "ask-emotion-setting": (
        "Software met AI herkent emoties uit gezichten.",
        "Software met AI herkent emoties uit gezichten van medewerkers.",
    ),
    "ask-offence-exception": (
        "Onze boa's krijgen een app die bij het verhoor van een verdachte de stem analyseert "
        "en aangeeft of iemand liegt.",
        "Onze boa's krijgen een app die in de uitgaansstraat aan de stem van voorbijgangers "
        "hoort of ze boos zijn.",
    ),
    "ask-reidentification": (
        "Op het dashboard tonen we geanonimiseerde aantallen uitkeringen per wijk.",
        "Op het dashboard tonen we uitkeringen per adres.",
    ),
    "ask-narrow-task": (
        "Een AI-tool zet gescande Wmo-aanvragen om naar tekst en hangt ze in het juiste dossier.",
        "Een AI-tool bepaalt hoeveel uur ondersteuning iemand uit de Wmo krijgt.",
    ),
}

# Rules whose finding is reported under one name for several rules.
_SAME_FINDING = {
    "avg-transfer-access": "avg-transfer",
    "edpb-evaluation-decides": "edpb-evaluation",
    "edpb-evaluation-behaviour": "edpb-evaluation",
    "edpb-automated-decision-flow": "edpb-automated-decision",
    "edpb-vulnerable-employees": "edpb-vulnerable",
    "iama-algorithm": "iama",
    "iama-register": "iama",
    "education": "education",
}


def test_every_law_rule_has_a_positive_and_a_near_miss(knowledge: Knowledge) -> None:
    """A rule nobody tests is a rule nobody knows works."""
    names = {_SAME_FINDING.get(r.id, r.id) for r in knowledge.law.rules}
    assert names - set(RULES) == set()


@pytest.mark.parametrize("rule", sorted(RULES))
def test_law_rule_positive(advisor: Advisor, rule: str) -> None:
    positive, _ = RULES[rule]
    found = fired(advisor, positive)
    found |= {_SAME_FINDING[r] for r in found if r in _SAME_FINDING}
    assert rule in found, f"{rule} not raised by: {positive}"


@pytest.mark.parametrize("rule", sorted(RULES))
def test_law_rule_near_miss(advisor: Advisor, rule: str) -> None:
    _, near_miss = RULES[rule]
    found = fired(advisor, near_miss)
    found |= {_SAME_FINDING[r] for r in found if r in _SAME_FINDING}
    assert rule not in found, f"{rule} raised by the near miss: {near_miss}"


# --- how findings are reported -------------------------------------------------------------


def test_every_finding_has_its_article(advisor: Advisor, knowledge: Knowledge) -> None:
    s = scan(advisor, RULES["ai-5-1-f"][0])
    data = s.to_dict(knowledge, "nl")
    finding = next(f for f in data["ai_act"]["findings"] if f["id"] == "prohibited")
    assert finding["ref"] == "AI-verordening art. 5(1)(f)"
    assert finding["applies_from"] == "2025-02-02"
    assert "medische" in finding["meaning"]
    assert all(f["ref"] for f in data["dpia"]["criteria"] + data["dpia"]["required_by"])


# Readings where the words alone mislead: (text, rule, whether it should fire). Each pair is a
# positive and the near miss that shares its words.
READINGS: list[tuple[str, str, bool]] = [
    # A loan is a credit assessment (Annex III 5(b)) only when an application is judged.
    ("Een AI-model beoordeelt aanvragen voor een starterslening.", "ai-hr-5b", True),
    ("Een AI-chatbot legt uit hoe de starterslening werkt.", "ai-hr-5b", False),
    ("Een AI-model verbetert onze dienstverlening aan inwoners.", "ai-hr-5b", False),
    # Art. 5(1)(d): an offence predicted from who someone is, not from where crimes happened.
    (
        "Een AI-model voorspelt uit gezinssituatie en etnische achtergrond welke jongeren "
        "een misdrijf zullen plegen.",
        "ai-5-1-d",
        True,
    ),
    (
        "Een AI-model voorspelt uit geanonimiseerde inbraakcijfers per wijk waar de politie "
        "vaker moet surveilleren.",
        "ai-hr-6",
        False,
    ),
    # Art. 5(1)(a): deceptive design.
    (
        "Een AI-module toont elke bezoeker een aftelklok die niet klopt, zodat mensen snel "
        "een dure lening afsluiten.",
        "ai-5-1-a",
        True,
    ),
    ("Een AI-module toont bezoekers de echte openingstijden van het loket.", "ai-5-1-a", False),
    # Art. 5(1)(c): a score from behaviour in other contexts that shuts people out.
    (
        "Een AI-model trekt per inwoner punten af voor te laat betaalde belastingen; wie "
        "onder de grens zakt mag niet meedoen aan de loting voor een volkstuin.",
        "ai-5-1-c-score",
        True,
    ),
    (
        "Wie te laat betaalt krijgt een herinnering met de betaaltermijn.",
        "ai-5-1-c-score",
        False,
    ),
    # Art. 3(1): "geen AI" said outright outweighs the word chatbot.
    ("Een chatbot met AI beantwoordt vragen van inwoners.", "ai-50-1", True),
    (
        "De chatbot is een keuzemenu met vooraf geschreven antwoorden; er zit geen AI in.",
        "ai-50-1",
        False,
    ),
    # Annex III 1(a): 1:1 verification against one's own template is not identification.
    (
        "Camera's met gezichtsherkenning herkennen bezoekers bij de ingang van het stadhuis.",
        "ai-hr-1a",
        True,
    ),
    (
        "Medewerkers openen de deur met hun gezicht; de camera vergelijkt alleen met hun eigen "
        "opgeslagen sjabloon.",
        "ai-hr-1a",
        False,
    ),
    # Annex III 2: a safety component of road traffic.
    (
        "Een AI-systeem sluit bij ongelukken zelf de spitsstrook en stelt maximumsnelheden in.",
        "ai-hr-2",
        True,
    ),
    ("Een AI-model plant het maaien van de bermen langs de provinciale weg.", "ai-hr-2", False),
    # Annex III 5(d): priority in emergency dispatch.
    (
        "Een AI-systeem bepaalt de prioriteit van elke 112-melding voor de ambulance.",
        "ai-hr-5d",
        True,
    ),
    ("Een AI-systeem vat de jaarcijfers van de meldkamer samen.", "ai-hr-5d", False),
    # Art. 50(4): a likeness of a real person.
    (
        "Een gegenereerde video waarin de gedeputeerde met zijn eigen gezicht en stem Pools "
        "lijkt te spreken.",
        "ai-50-4-deepfake",
        True,
    ),
    (
        "Een video waarin de gedeputeerde zelf de nieuwe dienstregeling uitlegt.",
        "ai-50-4-deepfake",
        False,
    ),
    # Transcripts of what people say are personal data; going to the US raises the transfer.
    (
        "De griffie laat vergaderingen uitschrijven door een spraak-naar-tekstdienst die de "
        "opnames in de Verenigde Staten bewaart.",
        "avg-transfer",
        True,
    ),
    (
        "De griffie laat vergaderingen uitschrijven door een spraak-naar-tekstdienst die de "
        "opnames in Frankfurt bewaart.",
        "avg-transfer",
        False,
    ),
    # AP-lijst nr. 1: covert investigation behind a fake profile.
    (
        "Een handhaver kijkt met een nepprofiel op Marktplaats of mensen met een uitkering "
        "spullen verkopen.",
        "ap-01-heimelijk",
        True,
    ),
    (
        "Een handhaver kijkt op Marktplaats welke prijzen tweedehands fietsen opbrengen.",
        "ap-01-heimelijk",
        False,
    ),
    # Art. 3(1): software that learns or infers is an AI system whatever it is called; a
    # rule written by people is not ("formulering" holds "formule": no fixed rule).
    (
        "Het KCC krijgt software die aan de stem per medewerker inschat hoe gestrest ze zijn, "
        "voor het beoordelingsgesprek.",
        "ai-5-1-f",
        True,
    ),
    (
        "Het KCC krijgt software die per medewerker telt hoeveel gesprekken ze voeren.",
        "ai-5-1-f",
        False,
    ),
    (
        "Een systeem leert per inwoner welke formulering het best werkt en stuurt brieven met "
        "een nagemaakt logo van de rechtbank en een dreigement dat niet waar is.",
        "ai-5-1-a",
        True,
    ),
    (
        "Een systeem stuurt inwoners een herinnering met de echte betaaltermijn.",
        "ai-5-1-a",
        False,
    ),
    # A fake logo is deception, not a likeness of a person (art. 50(4)).
    (
        "Een systeem leert per inwoner welke formulering het best werkt en stuurt brieven met "
        "een nagemaakt logo van de rechtbank en een dreigement dat niet waar is.",
        "ai-50-4-deepfake",
        False,
    ),
    (
        "Het gezicht en de stem van de burgemeester worden met AI nagemaakt voor een filmpje.",
        "ai-50-4-deepfake",
        True,
    ),
    # Art. 5(1)(e) said as crawling.
    (
        "A script crawls every public Instagram post tagged with our city, cuts out all the "
        "faces and saves them so the festival cameras can spot troublemakers.",
        "ai-5-1-e",
        True,
    ),
    (
        "We use a licensed set of faces, with consent, to test whether our camera blurs faces.",
        "ai-5-1-e",
        False,
    ),
    # Art. 6(3)(a): a narrow procedural task in an Annex III area is not high-risk.
    (
        "Een AI-tool rangschikt de sollicitaties voor onze vacatures en wijst de onderste "
        "helft af.",
        "ai-hr-4",
        True,
    ),
    (
        "Een AI-tool lakt alleen naam en foto in de cv's weg voordat de selectiecommissie ze "
        "leest; de commissie beoordeelt alles zelf.",
        "ai-hr-4",
        False,
    ),
    # A face in a video is a person one can recognise; "geen slim model" is no AI.
    (
        "De griffie publiceert video's van vergaderingen waarin de gezichten van insprekers "
        "te zien zijn.",
        "avg-personal-data",
        True,
    ),
    (
        "Na twee gemiste afspraken zet het systeem een signaal klaar voor de consulent; "
        "gewoon een teller, geen slim model.",
        "ask-ai-system",
        False,
    ),
    # A clause that denies what it names at its end: no people, no linking.
    (
        "Met satellietbeelden en een beeldherkenningsmodel zien we hoeveel heide vergrast. "
        "Mensen, auto's of erven zijn op die resolutie niet te zien.",
        "avg-personal-data",
        False,
    ),
    (
        "Sensoren in de containers melden hoe vol ze zijn; een algoritme plant de route. Aan "
        "een pas, adres of huishouden zijn die containers niet gekoppeld.",
        "avg-personal-data",
        False,
    ),
    (
        "Camera's tellen hoeveel mensen over de markt lopen; de beelden worden niet opgeslagen.",
        "avg-personal-data",
        True,
    ),
    (
        "Een AI-systeem met gezichtsherkenning scant bezoekers bij de ingang en hun namen "
        "worden niet vastgelegd.",
        "avg-personal-data",
        True,
    ),
    # "AI rules" alone may name a thing, not the law.
    ("An AI rules engine decides on benefit applications.", "ai-hr-5a", True),
    # Naming the law, or asking whether something is AI, is not an AI system.
    (
        "Bij het gemaal schakelen de pompen op vaste waterstanden die de beheerder in de PLC "
        "heeft ingesteld. Moet ik iets met de AI Act?",
        "ai-hr-2",
        False,
    ),
    (
        "We rekenen de kwijtschelding uit met een sjabloon in Excel met het netto inkomen. "
        "Valt dat onder de Europese AI-regels?",
        "edpb-innovative",
        False,
    ),
    # Annex III 2: the system operates the installation itself; a chatbot about it does not,
    # nor does a tool that guards it against hackers (recital 55).
    (
        "Een slim algoritme dat zelf leert hoe het stroomnet belast wordt en bij overbelasting "
        "automatisch onderdelen afschakelt.",
        "ai-hr-2",
        True,
    ),
    (
        "Een AI-chatbot beantwoordt vragen van bewoners over de overstap naar het warmtenet.",
        "ai-hr-2",
        False,
    ),
    (
        "Een AI-tool herkent hackpogingen op het netwerkverkeer van ons datacenter en blokkeert "
        "verdachte adressen automatisch.",
        "ai-hr-6",
        False,
    ),
    # Scores filled in by hand are not an AI system.
    (
        "Consulenten vullen bij elk huishouden handmatig scores in op financien en gezondheid; "
        "die bepalen mee welke ondersteuning iemand krijgt.",
        "ai-hr-5a",
        False,
    ),
    (
        "Een programma berekent bij elke aanvraag bijzondere bijstand een risicoscore en wijst "
        "bij een hoge score af.",
        "ai-hr-5a",
        True,
    ),
    # "exploitant" holds "exploit"; a face checked against a ban list at a pool is Annex III
    # 1(a), not a prohibition (no law enforcement).
    (
        "De exploitant van het zwembad wil een camera met gezichtsherkenning die iedere "
        "bezoeker vergelijkt met de foto's van mensen met een toegangsverbod.",
        "ai-hr-1a",
        True,
    ),
    (
        "De exploitant van het zwembad wil een camera met gezichtsherkenning die iedere "
        "bezoeker vergelijkt met de foto's van mensen met een toegangsverbod.",
        "ai-5-1-b",
        False,
    ),
    # A loan judged on someone's payments is a credit assessment, not a social score.
    (
        "De kredietbank laat een model op basis van bankafschriften en betaalgedrag een "
        "kredietwaardigheidsscore berekenen; aanvragen onder de drempel worden afgewezen.",
        "ai-hr-5b",
        True,
    ),
    (
        "De kredietbank laat een model op basis van bankafschriften en betaalgedrag een "
        "kredietwaardigheidsscore berekenen; aanvragen onder de drempel worden afgewezen.",
        "ai-5-1-c",
        False,
    ),
    # A tool that forecasts floods for the crisis team steers no installation itself.
    (
        "Een model voorspelt drie dagen vooruit waar wateroverlast dreigt bij de gemalen; het "
        "model stuurt zelf niets aan.",
        "ai-hr-2",
        False,
    ),
    # Found by a cold review of this round's rules: each a false alarm or a miss it caused.
    (
        "We koppelen BSN, naam en adres van bijstandsgerechtigden en rapporteren per wijk.",
        "avg-personal-data",
        True,
    ),
    ("Wat zijn de plus- en minpunten van een chatbot?", "ai-5-1-c-score", False),
    ("Which tool would you recommend for our residents' newsletter?", "avg-35-3-a", False),
    ("Een AI-chatbot beantwoordt e-mails van ontevreden inwoners.", "ai-hr-1c", False),
    (
        "Handhavers gebruiken een AI-scanauto die herkent welke auto's geen parkeerbelasting "
        "hebben betaald.",
        "ai-hr-6",
        False,
    ),
    (
        "Een AI-systeem controleert paspoorten van asielzoekers bij de grens op echtheid.",
        "ai-hr-7",
        False,
    ),
    ("Een AI-systeem opent en sluit de schutsluis voor de scheepvaart.", "ai-hr-2", False),
    (
        "Een AI-tool beoordeelt en rangschikt sollicitanten; de redactie van de vacaturetekst "
        "ligt bij HR.",
        "ai-hr-4",
        True,
    ),
    (
        "Een camera met AI herkent in de klas of leerlingen zich vervelen; medewerkers worden "
        "niet geanalyseerd.",
        "ai-5-1-f",
        True,
    ),
    (
        "De gemeente Amsterdam wil ChatGPT gebruiken met namen en adressen van inwoners.",
        "avg-transfer",
        True,
    ),
    ("We optimaliseren de routes van de vuilniswagens.", "ap-12-locatie", False),
    # AVG overweging 14 and 27: companies and the deceased are not data subjects.
    (
        "We vragen uit het Handelsregister de adressen van alle bv's op het bedrijventerrein op.",
        "avg-personal-data",
        False,
    ),
    (
        "We vragen de adressen van alle inwoners rond het bedrijventerrein op.",
        "avg-personal-data",
        True,
    ),
    (
        "Het archief zet de begraafregisters met namen van overledenen uit 1880 online.",
        "avg-personal-data",
        False,
    ),
    # AVG art. 45: a country with an adequacy decision is no transfer problem.
    (
        "De enquetetool bewaart de e-mailadressen van inwoners op servers in Londen.",
        "avg-transfer",
        False,
    ),
    (
        "De enquetetool bewaart de e-mailadressen van inwoners op servers in de Verenigde Staten.",
        "avg-transfer",
        True,
    ),
    # AP-lijst nr. 2: a list that shuts people out, said without the word "zwarte lijst".
    (
        "Zes gemeenten houden een gedeelde lijst bij van inwoners die een medewerker hebben "
        "bedreigd; wie op die lijst staat mag het gemeentehuis niet meer in.",
        "ap-02-zwarte-lijsten",
        True,
    ),
    (
        "We houden een lijst bij van inwoners die zich voor de nieuwsbrief hebben aangemeld.",
        "ap-02-zwarte-lijsten",
        False,
    ),
    # AP-lijst nr. 10, and a camera that sees no people.
    (
        "We zetten verplaatsbare camera-units neer bij dumpplekken in het buitengebied.",
        "ap-10-flexibel-cameratoezicht",
        True,
    ),
    (
        "Een vaste camera filmt alleen de zoutbult op het afgesloten terrein van de "
        "gemeentewerf; er komen geen mensen in beeld.",
        "avg-personal-data",
        False,
    ),
    # Children as a topic of aggregated figures are not children's data.
    ("De leerplichtambtenaar registreert per leerling het verzuim.", "kia-children", True),
    (
        "We tellen per wijk hoeveel kinderen er volgens het CBS wonen, voor een nieuwe speeltuin.",
        "kia-children",
        False,
    ),
    # Annex III 1(a): a fingerprint instead of an access card is 1:1 verification.
    (
        "Medewerkers komen de serverruimte binnen met hun vingerafdruk in plaats van met een "
        "toegangspas.",
        "ai-hr-1a",
        False,
    ),
    # "Een cursus volgen" is not monitoring people.
    (
        "Bijstandsgerechtigden volgen een re-integratietraject; een bureau evalueert de "
        "uitstroom met een code in plaats van het BSN.",
        "edpb-monitoring",
        False,
    ),
    (
        "Een app houdt bij waar bezoekers van het park lopen en volgt waar ze stilstaan.",
        "edpb-monitoring",
        True,
    ),
    # A word that contains a term is not that term: flying is not lying.
    (
        "Mogen we medewerkers met AI en camera's laten bepalen of ze liegen?",
        "ai-5-1-f",
        True,
    ),
    ("Mogen we drones met AI en camera's boven weilanden laten vliegen?", "ai-5-1-f", False),
    # Art. 50(4): generated pictures that look real, and an imitated voice, are deepfakes.
    (
        "We laten met een beeldgenerator foto's maken van het plein vol mensen; ze zien er "
        "echt uit.",
        "ai-50-4-deepfake",
        True,
    ),
    (
        "We laten met een beeldgenerator een vrolijk tekenfiguurtje maken.",
        "ai-50-4-deepfake",
        False,
    ),
    ("Het bureau wil de stem van de burgemeester nabootsen met AI.", "ai-50-4-deepfake", True),
    ("Het bureau laat de burgemeester zelf de tekst inspreken.", "ai-50-4-deepfake", False),
    # Pictures are no published text (art. 50(4), second duty).
    (
        "Met een AI-beeldgenerator maken we een mascotte voor de campagne op de website.",
        "ai-50-4-text",
        False,
    ),
    (
        "Een taalmodel schrijft de nieuwsberichten op onze website en niemand leest ze na.",
        "ai-50-4-text",
        True,
    ),
    # Art. 3(1): software that reads and judges what people wrote infers; people reading do not.
    (
        "Een tool leest alle cv's en motivatiebrieven en rangschikt de kandidaten.",
        "ai-hr-4",
        True,
    ),
    (
        "De selectiecommissie leest alle cv's en motivatiebrieven en kiest de kandidaten.",
        "ai-hr-4",
        False,
    ),
    # Annex III 4: a score per employee for the annual review.
    (
        "Een AI-dashboard rekent per medewerker een productiviteitsscore uit voor het jaargesprek.",
        "ai-hr-4",
        True,
    ),
    ("We zetten het formulier voor het jaargesprek in een app.", "ai-hr-4", False),
    # Art. 5(1)(a): frightening people with costs that do not exist.
    (
        "Het AI-systeem stelt aanmaningen op die mensen schrik aanjagen met kosten die er "
        "niet zijn.",
        "ai-5-1-a",
        True,
    ),
    (
        "We maken met een AI-tool een filmpje met verzonnen poppetjes over afval scheiden.",
        "ai-5-1-a",
        False,
    ),
    # Emotion recognition reads a voice, not the tone of a written answer (art. 3(39)).
    (
        "Software analyseert tijdens telefoongesprekken de stem van onze medewerkers en meet "
        "hoe geirriteerd ze zijn.",
        "ai-5-1-f",
        True,
    ),
    (
        "Een taalmodel geeft per enquêteantwoord aan of het boos klinkt.",
        "ai-hr-1c",
        False,
    ),
    # Annex III 1(a) excludes 1:1 verification.
    (
        "Software bij het poortje vergelijkt je gezicht met het gezicht van iedereen in de "
        "database.",
        "ai-hr-1a",
        True,
    ),
    (
        "Het poortje vergelijkt je gezicht alleen met die ene foto van jouw abonnement.",
        "ai-hr-1a",
        False,
    ),
    # Identifying afterwards from stored footage is Annex III 1(a), not art. 5(1)(h).
    (
        "Software vergelijkt de gezichten van dumpers op nieuwe camerabeelden met alle eerdere "
        "beelden, zodat boa's de dader kunnen opsporen. Niet live, achteraf.",
        "ai-hr-1a",
        True,
    ),
    (
        "Software vergelijkt de gezichten van dumpers op nieuwe camerabeelden met alle eerdere "
        "beelden, zodat boa's de dader kunnen opsporen. Niet live, achteraf.",
        "ai-5-1-h",
        False,
    ),
    # Annex III 8(a): alternative dispute resolution.
    (
        "De geschillencommissie laat een AI-systeem de zaken beoordelen en een uitspraak "
        "voorstellen.",
        "ai-hr-8a",
        True,
    ),
    ("De buurtbemiddelaars plannen hun afspraken in een agenda-app.", "ai-hr-8a", False),
    # Annex III 8(b): influencing how people vote.
    (
        "Met AI-microtargeting overtuigen we kiezers om bij het referendum ja te stemmen.",
        "ai-hr-8b",
        True,
    ),
    (
        "We leggen met een AI-voorleesstem uit wanneer en waar het referendum is.",
        "ai-hr-8b",
        False,
    ),
    # Found by the cold review of the sixth round: each a false alarm it caused.
    ("Boa's bekijken live de camerabeelden en vragen de politie wie het is.", "ai-5-1-h", False),
    (
        "We willen met een AI-tool alle telefoongesprekken van het KCC uitschrijven en "
        "analyseren op veelgestelde vragen, zodat medewerkers minder gestrest raken.",
        "ai-5-1-f",
        False,
    ),
    ("De chatbot over de energietoeslag is er niet om mensen bang te maken.", "ai-5-1-a", False),
    (
        "De politie wil met camera's op het station live gezichten van voorbijgangers "
        "vergelijken met de lijst van gezochte personen. Achteraf worden de beelden gewist.",
        "ai-5-1-h",
        True,
    ),
    (
        "Sollicitanten sturen hun cv's via de app; de selectiecommissie beoordeelt ze zelf.",
        "ai-hr-4",
        False,
    ),
    (
        "Each year we do an annual review of the AI model that predicts which bridges need "
        "maintenance.",
        "ai-hr-4",
        False,
    ),
    (
        "A chatbot explains to residents how and where they can vote in the municipal elections.",
        "ai-hr-8b",
        False,
    ),
    ("We hebben een geschil met de leverancier van ons AI-systeem.", "ai-hr-8a", False),
    (
        "We gebruiken Copilot om notulen te maken en het lijkt echt tijd te besparen.",
        "ai-50-4-deepfake",
        False,
    ),
    (
        "Ter illustratie: een taalmodel schrijft de nieuwsberichten op onze website en "
        "niemand controleert ze.",
        "ai-50-4-text",
        True,
    ),
    ("Vrijwilligers worden praatmaatje van eenzame ouderen.", "ai-50-1", False),
    (
        "De app doet niets anders dan locatiegegevens van onze boa's bijhouden.",
        "ap-12-locatie",
        True,
    ),
    ("De consulent weegt de belangen van de inwoner af.", "ap-14-iot", False),
    ("Het sociaal team werkt vanuit de ruimte naast de bibliotheek.", "avg-personal-data", False),
    # "Niets", "niks", "nothing" negate what follows, as "geen" does.
    (
        "An AI model opens and closes valves in the heat network; it uses nothing about "
        "households.",
        "avg-personal-data",
        False,
    ),
    (
        "An AI model sets the heating per household from their meter readings.",
        "avg-personal-data",
        True,
    ),
    # Art. 5(1)(h) is about law enforcement: a club that does it is Annex III 1(a).
    (
        "Een voetbalclub wil met camera's bij de ingang live alle gezichten vergelijken met de "
        "lijst van mensen met een stadionverbod; de club doet dit, niet de politie.",
        "ai-5-1-h",
        False,
    ),
    (
        "Een voetbalclub wil met camera's bij de ingang live alle gezichten vergelijken met de "
        "lijst van mensen met een stadionverbod; de club doet dit, niet de politie.",
        "ai-hr-1a",
        True,
    ),
    (
        "De politie wil met camera's bij het station live alle gezichten vergelijken met een "
        "lijst van gezochte personen.",
        "ai-5-1-h",
        True,
    ),
    # A camera that estimates something about the people it films is AI (recital 12), and
    # it processes their images even when only counts are kept.
    (
        "Een camera bij de ingang van het museum schat van elke bezoeker de leeftijd.",
        "ai-hr-1b",
        True,
    ),
    (
        "Een camera bij de ingang van het museum telt hoeveel bezoekers er binnenkomen.",
        "ai-hr-1b",
        False,
    ),
    (
        "Een camera bij de ingang schat van elke bezoeker de leeftijd; we bewaren alleen "
        "statistieken.",
        "avg-personal-data",
        True,
    ),
    # Annex III 2: a safety component steers the installation; a forecast for a plan does not.
    ("Een zelflerend model regelt zelf de pompdruk in het warmtenetwerk.", "ai-hr-2", True),
    (
        "Een zelflerend model voorspelt de warmtevraag voor de jaarplanning van het warmtenetwerk.",
        "ai-hr-2",
        False,
    ),
    # Art. 50(1): a computer voice that answers callers talks with them; one that reads a
    # page aloud does not.
    (
        "Vanaf volgende maand neemt een computerstem de telefoon op bij het klantcontactcentrum.",
        "ai-50-1",
        True,
    ),
    ("Een computerstem leest de pagina's van onze website voor.", "ai-50-1", False),
    # Art. 50(4): someone's voice and lips changed by AI make a deepfake.
    (
        "In het filmpje past een AI-programma de stem en lipbewegingen van de wethouder aan, "
        "zodat hij Arabisch lijkt te spreken.",
        "ai-50-4-deepfake",
        True,
    ),
    # Art. 50(4), text: no editor publishes it; an editor who rewrites and checks does.
    (
        "Een AI-programma schrijft elke ochtend berichten over wegwerkzaamheden en zet ze "
        "zonder redacteur op de website.",
        "ai-50-4-text",
        True,
    ),
    (
        "Een AI-programma maakt een eerste versie van het verslag; een communicatieadviseur "
        "herschrijft en controleert alles.",
        "ai-50-4-text",
        False,
    ),
    # Art. 5(1)(c): points for good citizenship that cost people elsewhere.
    (
        "Een zelflerend systeem kent inwoners burgerschapspunten toe; wie weinig punten heeft "
        "komt achteraan bij de sportvergunningen.",
        "ai-5-1-c-score",
        True,
    ),
    # Annex III 3 (civic-integration courses are education) and 4 (allocating tasks).
    (
        "Een AI-programma kijkt de schrijfopdrachten van inburgeraars na en bepaalt het "
        "leertraject.",
        "ai-hr-3",
        True,
    ),
    (
        "Een slim planningsprogramma verdeelt de klussen onder de inspecteurs op basis van hun "
        "beoordelingen.",
        "ai-hr-4",
        True,
    ),
    ("De roosteraar verdeelt de klussen onder de inspecteurs.", "ai-hr-4", False),
    # Annex III 6(3)(a): sorting mail into the right folder is a narrow procedural task.
    (
        "Een AI-programma zet binnenkomende mails bij de afdeling inkomen in het goede mapje; "
        "de consulent doet de rest.",
        "ai-hr-5a",
        False,
    ),
    # WP248 criterion 5: cameras on a public place take in everyone who passes; one in a
    # storeroom does not. All emergency calls of a region are many people too.
    (
        "Het centrummanagement wil camera's op het marktplein die van elke voorbijganger de "
        "leeftijd schatten.",
        "edpb-large-scale",
        True,
    ),
    (
        "We hangen een camera in het magazijn van de gemeentewerf tegen diefstal van gereedschap.",
        "edpb-large-scale",
        False,
    ),
    (
        "De meldkamer wil software die alle 112-meldingen in de regio meeluistert en de urgentie "
        "inschat.",
        "edpb-large-scale",
        True,
    ),
    # AP list no. 10: body cameras are flexible camera surveillance.
    (
        "Handhavers dragen een body camera die ze aanzetten als het uit de hand loopt.",
        "ap-10-flexibel-cameratoezicht",
        True,
    ),
    # Art. 5(1)(f): emotions read to judge staff are read at work, however the staff are called;
    # a caller's voice at the helpdesk is not at work (Annex III 1(c) instead).
    (
        "Software watches our own agents through the webcam and logs how stressed they look; "
        "the scores feed into the annual performance review.",
        "ai-5-1-f",
        True,
    ),
    (
        "Een module hoort aan de stem van de beller of iemand boos is en zet het gesprek door.",
        "ai-5-1-f",
        False,
    ),
    # Art. 44: a country without an adequacy decision where the data go; one that has one, or
    # people who come from such a country, are no transfer.
    (
        "Het scoremodel en de gegevens van de aanvragers staan bij een fintech in Servië.",
        "avg-transfer",
        True,
    ),
    (
        "De dashboards met ritgegevens van gebruikers staan bij een leverancier uit Singapore.",
        "avg-transfer",
        True,
    ),
    (
        "Het scoremodel en de gegevens van de aanvragers staan bij een fintech in Zwitserland.",
        "avg-transfer",
        False,
    ),
    (
        "We helpen arbeidsmigranten uit Oekraïne met hun inschrijving in de BRP.",
        "avg-transfer",
        False,
    ),
    # AP list no. 12: where every ride starts and ends, per user, is location data kept
    # systematically.
    (
        "Aanbieders leveren per rit begin en eindpunt, tijdstip en een gebruikers-ID aan.",
        "ap-12-locatie",
        True,
    ),
    ("We tellen per maand hoeveel ritten er in de stad zijn.", "ap-12-locatie", False),
    # Art. 5(1)(a): a push message that says something untrue at the moment someone is most
    # likely to give in; the same message when it is true is no deception.
    (
        "De parkeer-app leert per gebruiker wanneer die het snelst toegeeft en stuurt dan 'de "
        "handhavers lopen nu in uw straat', ook als dat niet klopt, zodat mensen een dure "
        "vergunning nemen.",
        "ai-5-1-a",
        True,
    ),
    (
        "De parkeerapp stuurt een bericht als de handhavers in uw straat lopen, zodat mensen hun "
        "auto verplaatsen.",
        "ai-5-1-a",
        False,
    ),
    # Annex III 6(d): a tool that estimates a person's risk of reoffending infers (art. 3(1));
    # a list the police keep and read themselves does not.
    (
        "Een hulpmiddel schat voor de politie per persoon in de aanpak de kans op herhaling van "
        "woninginbraak in, op basis van eerdere veroordelingen.",
        "ai-hr-6",
        True,
    ),
    (
        "De politie houdt per persoon in de aanpak een lijst bij van eerdere veroordelingen voor "
        "woninginbraak en leest die zelf.",
        "ai-hr-6",
        False,
    ),
    # A negation reaches the few words after it, not the next clause ("... op en gebruiken
    # gezichtsherkenning"; found by a cold review of a wider reach).
    (
        "We slaan geen beelden op en gebruiken gezichtsherkenning bij de ingang van het stadhuis.",
        "ai-hr-1a",
        True,
    ),
    (
        "We slaan geen beelden op en gebruiken geen gezichtsherkenning bij de ingang.",
        "ai-hr-1a",
        False,
    ),
    # Emotions read from viewers of a promotional video are not read at work.
    (
        "Emotieherkenning meet hoe kijkers reageren op de promotievideo van de gemeente.",
        "ai-5-1-f",
        False,
    ),
    # A model that steers what each person is told, with made-up threats, is an AI system
    # deceiving them (art. 3(1), 5(1)(a)); the same model with a true reminder deceives no one.
    (
        "Een model kiest per inwoner toon en moment van de aanmaning en zet er verzonnen "
        "dreigementen in, zodat mensen meteen betalen.",
        "ai-5-1-a",
        True,
    ),
    (
        "Een model kiest per inwoner het moment van de aanmaning, zodat mensen op tijd betalen.",
        "ai-5-1-a",
        False,
    ),
    # Found by a user trial: aggression recognised in passengers to warn the driver is no
    # emotion recognition at work (passengers are not staff; the driver's safety is the
    # exception), but high-risk (Annex III 1(c)).
    (
        "Slimme camera's in bussen die agressie herkennen en de chauffeur waarschuwen.",
        "ai-5-1-f",
        False,
    ),
    (
        "Slimme camera's in bussen die agressie herkennen en de chauffeur waarschuwen.",
        "ai-hr-1c",
        True,
    ),
    # AP list no. 11: when staff come and go, kept per person, is monitoring employees.
    (
        "Mogen we met sensoren in de parkeergarage van het provinciehuis bijhouden hoe laat "
        "medewerkers komen en gaan?",
        "ap-11-werknemers",
        True,
    ),
    (
        "Mogen we met sensoren in de parkeergarage tellen hoeveel plekken er vrij zijn?",
        "ap-11-werknemers",
        False,
    ),
    # Pretending to be someone else is deception; a bot that says what it is deceives no one.
    (
        "Een AI-stem belt inwoners met een achterstand, doet zich voor als een echte "
        "deurwaarder, zodat ze meteen een dure regeling afsluiten.",
        "ai-5-1-a",
        True,
    ),
    (
        "Een AI-stem belt inwoners met een achterstand, zegt dat het een computer is en "
        "verwijst naar de deurwaarder.",
        "ai-5-1-a",
        False,
    ),
    # Software that learns from data how to allocate work is an AI system (art. 3(1)); a
    # person who learns, recognises or estimates is not (found by a cold review).
    (
        "De planningssoftware leert van de bonnen en meldingen van elke boa en verdeelt op "
        "basis daarvan de diensten; lage scores komen in het functioneringsgesprek.",
        "ai-hr-4",
        True,
    ),
    (
        "De nieuwe boa leert het rooster kennen en verdeelt zelf de sleutels van de dienstauto.",
        "ai-hr-4",
        False,
    ),
    (
        "De consulent schat in of iemand hulp nodig heeft en neemt een besluit over de "
        "aanvraag voor bijzondere bijstand.",
        "ai-hr-5a",
        False,
    ),
    (
        "De docent voorspelt welke leerlingen extra hulp nodig hebben en bepaalt de groepen.",
        "ai-hr-3",
        False,
    ),
    # Fraud detection names the impostor; it is no deception by the system.
    (
        "Our AI filter detects phishing emails from scammers posing as the municipality.",
        "ai-5-1-a",
        False,
    ),
    # A proctoring program watches students during a test; a person proctoring does not count.
    (
        "Bij het online tentamen kijkt een docent via de webcam mee (proctoring zonder software).",
        "ai-hr-3",
        False,
    ),
    (
        "Een proctoringprogramma kijkt bij de online examens van het ROC via de webcam mee en "
        "markeert automatisch verdacht gedrag.",
        "ai-hr-3",
        True,
    ),
    (
        "Een surveillant van het ROC kijkt bij de examens in de zaal mee.",
        "ai-hr-3",
        False,
    ),
    # A team or servers in a city outside the EEA without adequacy is a transfer; a
    # delegation from that city is not.
    (
        "Een ontwikkelteam in Belgrado krijgt als testdata een kopie van de echte "
        "vergunninghouders, met kenteken en adres.",
        "avg-transfer",
        True,
    ),
    (
        "Een delegatie uit Belgrado bezoekt de raad en krijgt de agenda.",
        "avg-transfer",
        False,
    ),
    # What visitors say is their data; a menu a colleague recorded is not about anyone.
    (
        "Wat bezoekers zeggen, wordt aan de balie ingesproken en op servers in China vertaald.",
        "avg-transfer",
        True,
    ),
    (
        "Het keuzemenu aan de telefoon is ingesproken door een collega.",
        "avg-personal-data",
        False,
    ),
    # Communication data listed per person or copied automatically is systematic (AP 13);
    # writing e-mails is not processing anyone's communication data.
    (
        "Het KCC wil uit de telefooncentrale een maandoverzicht van welke nummers ons het "
        "vaakst bellen.",
        "ap-13-communicatie",
        True,
    ),
    # (A cold review: routing mail automatically is not systematic processing of it.)
    (
        "We willen e-mails van inwoners automatisch doorsturen naar de juiste afdeling.",
        "ap-13-communicatie",
        False,
    ),
    (
        "Mogen medewerkers ChatGPT gebruiken om e-mails aan inwoners op te stellen?",
        "ap-13-communicatie",
        False,
    ),
    # Software that reads and ranks CVs infers its output (art. 3(1)): Annex III 4(a), also
    # when nobody calls it AI (a user trial found it missed in Dutch); a form that sorts by
    # a fixed knock-out question does not read CVs.
    (
        "HR wil software die alle cv's van sollicitanten leest en rangschikt, zodat we alleen "
        "de beste tien uitnodigen.",
        "ai-hr-4",
        True,
    ),
    (
        "In het sollicitatieformulier valt iedereen af die nee invult bij rijbewijs B; dat "
        "hebben we zelf ingesteld.",
        "ai-hr-4",
        False,
    ),
    # Art. 6(3), last subparagraph: a "preparatory" task is still high-risk when the system
    # profiles people (predicts their risk); redacting CVs for a committee profiles no one.
    (
        "Een model zet elke bijstandsaanvraag in het bakje 'extra controle' of 'snel "
        "afhandelen' op basis van het voorspelde risico; volgens de leverancier is dat maar "
        "voorbereidend werk, de consulent beslist.",
        "ai-hr-5a",
        True,
    ),
    (
        "Een AI-tool lakt naam, foto en adres in de cv's weg voordat de selectiecommissie ze "
        "leest; de commissie beoordeelt alles zelf.",
        "ai-hr-4",
        False,
    ),
    # Annex III 4(b): monitoring workers' behaviour to allocate their work.
    (
        "Een zelflerend systeem volgt per boa via de gps waar hij is geweest en maakt daarmee "
        "de dienstroosters.",
        "ai-hr-4",
        True,
    ),
    (
        "Het roosterprogramma houdt bij welke dienstauto vrij is.",
        "ai-hr-4",
        False,
    ),
    # WP248 criterion 8: AI that reads people through a camera is new technology; a model
    # that scores records, as public bodies have used for years, is not by itself.
    (
        "Een AI-camera bij de ingang van het museum schat van elke bezoeker de leeftijd uit "
        "het gezicht.",
        "edpb-innovative",
        True,
    ),
    (
        "Een AI-model geeft elke aanvraag bijzondere bijstand een score voor de kans op "
        "fouten, zodat de consulent weet waar hij beter moet kijken.",
        "edpb-innovative",
        False,
    ),
    # WP248 criterion 1: a decision an AI system prepares judges people; one made by rules
    # the team wrote itself does not.
    (
        "Een AI-model beoordeelt de aanvragen van inwoners en beslist wie een "
        "bewonersparkeervergunning krijgt.",
        "edpb-evaluation-decides",
        True,
    ),
    (
        "Een programma met vaste regels die wij zelf schreven beoordeelt de aanvragen van "
        "inwoners en beslist wie een bewonersparkeervergunning krijgt.",
        "edpb-evaluation-decides",
        False,
    ),
    # Found on heldout11 once it was read (its misses, in other words): Annex III 2 and
    # 5(d), cloning as a deepfake, a score named as a compound, no transparency duty beside
    # a prohibition, 1:1 verification said in words, forecasts from aggregated figures,
    # a plain-language rewrite of a decision taken, a provider under its own name.
    (
        "De brug en de slagbomen voor het wegverkeer worden automatisch bediend door een "
        "model dat leert van radar- en weergegevens.",
        "ai-hr-2",
        True,
    ),
    (
        "Een model voorspelt de drukte op de brug voor het wegverkeer; de brugwachter beslist "
        "zelf wanneer hij de brug opent.",
        "ai-hr-2",
        False,
    ),
    (
        "Software luistert mee met 112-meldingen, transcribeert ze en stelt voor welke "
        "ambulance er gaat.",
        "ai-hr-5d",
        True,
    ),
    (
        "Software transcribeert de openbare raadsvergadering voor de notulen.",
        "ai-hr-5d",
        False,
    ),
    (
        "Communicatie wil de stem en het gezicht van de burgemeester klonen voor een video in "
        "het Pools.",
        "ai-50-4-deepfake",
        True,
    ),
    (
        "Communicatie wil de burgemeester een video in het Pools laten inspreken met een tolk.",
        "ai-50-4-deepfake",
        False,
    ),
    (
        "Elke Stadspashouder krijgt een meedoenscore op basis van boetes en "
        "overlastmeldingen; wie onder de grens zakt verliest de kortingen bij het zwembad.",
        "ai-5-1-c",
        True,
    ),
    (
        "Elke sporter krijgt een meedoenscore in de app om te zien hoe vaak hij traint.",
        "ai-5-1-c",
        False,
    ),
    (
        "Een chatbot met een aflopende klok zegt inwoners dat de deurwaarder morgen komt, wat "
        "niet waar is, zodat ze meteen een dure regeling afsluiten.",
        "ai-50-1",
        False,
    ),
    (
        "Een chatbot op de website beantwoordt vragen van inwoners over afval.",
        "ai-50-1",
        True,
    ),
    (
        "De vingerafdruk van de medewerker staat alleen op de eigen pas en wordt bij de deur "
        "één op één met die pas vergeleken.",
        "ai-hr-1a",
        False,
    ),
    (
        "Camera's vergelijken de vingerafdrukken en gezichten van alle bezoekers met een database.",
        "ai-hr-1a",
        True,
    ),
    (
        "Beleid bouwt een prognosemodel voor de begroting van de Wmo uit CBS-wijkcijfers en "
        "de totale aantallen voorzieningen; er gaan geen gegevens van individuele cliënten "
        "in.",
        "ai-hr-5a",
        False,
    ),
    (
        "Een model voorspelt per Wmo-cliënt hoeveel uur huishoudelijke hulp hij krijgt.",
        "ai-hr-5a",
        True,
    ),
    (
        "Na het besluit van de consulent zet een taalmodel de brief in eenvoudige taal, "
        "zonder inhoud of besluit te veranderen; de consulent leest mee.",
        "ai-hr-5a",
        False,
    ),
    (
        "We laten een tool bouwen die we onder de naam van de gemeente aanbieden: inwoners "
        "krijgen een door AI gemaakte foto van hun vergroende tuin.",
        "ai-50-2",
        True,
    ),
    (
        "Inwoners krijgen een foto van een vergroende tuin uit onze fotobank.",
        "ai-50-2",
        False,
    ),
    # From tune9 (a tuning set written for this): art. 5(1)(g) on a political opinion read
    # off a face, 5(1)(e) from stored footage, 5(1)(f) only for staff and pupils, the law
    # enforcement exception of art. 50(3), a behaviour index, avatars and assistants.
    (
        "Bij demonstraties kan de camerasoftware aan gezicht en uiterlijk inschatten wie "
        "links of rechts stemt.",
        "ai-5-1-g",
        True,
    ),
    (
        "Bij demonstraties telt de camerasoftware hoeveel mensen er op het plein staan.",
        "ai-5-1-g",
        False,
    ),
    (
        "Kunnen we alle opgeslagen beelden van onze straatcamera's door een tool halen die "
        "elk gezicht uitknipt en in een doorzoekbare gezichtendatabase zet?",
        "ai-5-1-e",
        True,
    ),
    (
        "The football club wants cameras at the turnstiles that check every face live against "
        "its list of people with a stadium ban.",
        "ai-5-1-e",
        False,
    ),
    (
        "Ons KCC wil een tool die tijdens gesprekken uit de stem van bellers afleidt of ze "
        "boos of angstig zijn.",
        "ai-5-1-f",
        False,
    ),
    (
        "Ons KCC wil een tool die tijdens gesprekken uit de stem van onze medewerkers afleidt "
        "of ze geïrriteerd of gestrest zijn.",
        "ai-5-1-f",
        True,
    ),
    (
        "Ons KCC wil een tool die tijdens gesprekken uit de stem van bellers afleidt of ze "
        "boos of angstig zijn.",
        "ai-50-3",
        True,
    ),
    # (Where investigators read a suspect's voice, art. 50(3)'s exception may apply: the
    # scan asks whether the law permits it; test_the_offence_exception_is_asked.)
    (
        "Onze boa's krijgen een app die bij het verhoor van een verdachte de stem analyseert "
        "en aangeeft of iemand liegt.",
        "ask-offence-exception",
        True,
    ),
    (
        "Ons platform kent elke inwoner een betrouwbaarheidsindex toe op basis van gedrag op "
        "sociale media, bruikbaar bij subsidies en vergunningen.",
        "ai-5-1-c-score",
        True,
    ),
    (
        "Ons platform geeft elk gemaal een betrouwbaarheidsindex op basis van storingen.",
        "ai-5-1-c-score",
        False,
    ),
    (
        "Op de luchthaven stelt een geanimeerde avatar reizigers vragen over hun reis.",
        "ai-50-1",
        True,
    ),
    (
        "Het jongerenloket wil een WhatsApp-assistent op een taalmodel die jongeren antwoord "
        "geeft op vragen over geldzaken.",
        "ai-50-1",
        True,
    ),
    (
        "De 'chatbot' op onze site is eigenlijk een keuzemenu met vaste knoppen; er zit geen "
        "taalmodel achter.",
        "ai-50-1",
        False,
    ),
    # AVG art. 4(1): a rule a system applies to each member's own record processes data
    # about them; a list of children is about them; a pumping station and a list of rules
    # are about no one.
    (
        "Wie drie keer een boek te laat terugbrengt, kan twee weken niets reserveren; dat "
        "doet het uitleensysteem automatisch met een vaste regel voor onze leden.",
        "avg-personal-data",
        True,
    ),
    (
        "Bij het gemaal schakelen de pompen automatisch aan en uit op vaste waterstanden die "
        "onze beheerder heeft ingesteld.",
        "avg-personal-data",
        False,
    ),
    (
        "Via het jeugdfonds sturen we sportclubs een lijst met kinderen uit minimagezinnen "
        "die een vergoeding krijgen.",
        "avg-personal-data",
        True,
    ),
    (
        "We sturen sportclubs een lijst met de subsidieregels voor het nieuwe seizoen.",
        "avg-personal-data",
        False,
    ),
    # WP248 criterion 5: cameras on streets and squares take in everyone; one camera at a
    # building's entrance is no large scale by itself.
    (
        "Camera's op de Grote Markt en in de winkelstraten filmen iedereen die langsloopt en "
        "herkennen gezichten.",
        "edpb-large-scale",
        True,
    ),
    (
        "Een camera bij de ingang van de bibliotheek schat van elke bezoeker de leeftijd.",
        "edpb-large-scale",
        False,
    ),
    # Annex III 3(b): AI that marks assignments and decides who passes; a spelling check
    # is a narrow task. Art. 50(2): a generated presenter is made by generative AI.
    (
        "The inburgering language courses we commission want AI to mark the writing "
        "assignments of newcomers and decide who passes each module.",
        "ai-hr-3",
        True,
    ),
    (
        "The inburgering language courses use AI to check the spelling in the newcomers' "
        "writing assignments; the teacher marks them and decides who passes.",
        "ai-hr-3",
        False,
    ),
    (
        "Het innovatielab bouwt zelf een tool waarmee collega's korte uitlegvideo's met een "
        "gegenereerde presentator maken.",
        "ai-50-2",
        True,
    ),
    (
        "Het innovatielab neemt met een camera korte uitlegvideo's op met een collega als "
        "presentator.",
        "ai-50-2",
        False,
    ),
    # Money or people going to a country is no transfer of data.
    (
        "Veel statushouders sturen geld naar Marokko; mogen we hun namen registreren?",
        "avg-transfer",
        False,
    ),
    # Found on heldout12 once heldout13 was the record (read as a tuning set): searching
    # footage for one person's face, cameras that recognise who passes, an AI that sets a
    # heating network, tasks given by measured productivity, calls listened to, the art.
    # 50(3) exception for investigating offences only, published text nobody reads, counts
    # written as "250k" or of adults.
    (
        "De recherche wil de opnames van de camera's op het plein achteraf met "
        "gezichtssoftware doorzoeken op de foto van een verdachte.",
        "ai-hr-1a",
        True,
    ),
    (
        "De camera's op het plein tellen alleen hoeveel mensen er lopen; er wordt niemand herkend.",
        "ai-hr-1a",
        False,
    ),
    # (A cold review: faces, a camera and "vooraf" are no identification; blurring faces
    # identifies no one.)
    (
        "We willen vooraf de ethische knelpunten in kaart brengen van bodycams die gezichten "
        "filmen.",
        "ai-hr-1a",
        False,
    ),
    (
        "De camera vervaagt automatisch alle gezichten; we willen vooraf nagaan of dat mag.",
        "ai-hr-1a",
        False,
    ),
    (
        "Een camera bij de ingang schat van bezoekers de leeftijd en het geslacht.",
        "ai-hr-1a",
        False,
    ),
    (
        "An AI controller automatically sets the supply temperature of our district heating "
        "network.",
        "ai-hr-2",
        True,
    ),
    (
        "An AI model forecasts next year's heat demand for the district heating plan; our "
        "engineers decide on the network themselves.",
        "ai-hr-2",
        False,
    ),
    (
        "Het planningssysteem leert welke inspecteurs het productiefst zijn en geeft hun "
        "automatisch de beste routes.",
        "ai-hr-4",
        True,
    ),
    (
        "Onze AI-chatbot stuurt sollicitanten automatisch een ontvangstbevestiging.",
        "ai-hr-4",
        False,
    ),
    (
        "Een AI-planningstool maakt de roosters op basis van het verwachte aantal "
        "telefoontjes; medewerkers geven zelf hun beschikbaarheid op.",
        "ai-hr-4",
        False,
    ),
    (
        "Software that listens to incoming 112 calls decides which ambulance goes first.",
        "ai-hr-5d",
        True,
    ),
    (
        "Camera's in de uitgaansstraat leiden met AI uit gezichtsuitdrukkingen af of "
        "voorbijgangers boos zijn, zodat boa's eerder kunnen ingrijpen.",
        "ai-50-3",
        True,
    ),
    # (Art. 50(3)'s exception for investigating offences depends on what the law permits:
    # the scan keeps the duty and asks; see test_the_offence_exception_is_asked.)
    (
        "Camera's in de uitgaansstraat leiden met AI uit gezichtsuitdrukkingen af of "
        "voorbijgangers boos zijn, zodat boa's eerder kunnen ingrijpen.",
        "ask-offence-exception",
        False,
    ),
    (
        "A tool in our call centre listens to incoming calls and flags residents who sound angry.",
        "ai-50-3",
        True,
    ),
    (
        "Can an AI write and publish the daily roadworks news on our website, without anyone "
        "reading it first?",
        "ai-50-4-text",
        True,
    ),
    (
        "An AI drafts the daily roadworks news; an editor reads and approves every item "
        "before it goes on our website.",
        "ai-50-4-text",
        False,
    ),
    (
        "Het model berekent een risicoscore voor 250k huishoudens in de regio.",
        "edpb-large-scale",
        True,
    ),
    (
        "Het model berekent een risicoscore voor 250 huishoudens in de regio.",
        "edpb-large-scale",
        False,
    ),
    (
        "We hangen een 4K camera op bij de ingang van het gemeentehuis.",
        "edpb-large-scale",
        False,
    ),
    (
        "Het model berekent een risicoscore voor alle ca. 60.000 volwassenen in de gemeente.",
        "edpb-large-scale",
        True,
    ),
    (
        "Het model berekent een risicoscore voor de 60 volwassenen in het project.",
        "edpb-large-scale",
        False,
    ),
    # Found on tune14 (written to be read): a person who only signs off, thousands in words,
    # half the town, faces matched against photos, a synthetic voice offered to others, a
    # generated picture of a flood as if it happened.
    (
        "Het systeem zet de besluiten over kwijtschelding klaar en de medewerker keurt ze per "
        "stapel in één klik goed.",
        "edpb-automated-decision",
        True,
    ),
    (
        "Het systeem zet de besluiten over kwijtschelding klaar; een medewerker beoordeelt elk "
        "dossier zelf.",
        "edpb-automated-decision",
        False,
    ),
    (
        "We zetten de dossiers van ruim twintigduizend cliënten over naar een nieuw pakket.",
        "edpb-large-scale",
        True,
    ),
    (
        "We zetten de dossiers van ruim twintig cliënten over naar een nieuw pakket.",
        "edpb-large-scale",
        False,
    ),
    (
        "Roughly half the town uses the waste pass, and we log every opening per household.",
        "edpb-large-scale",
        True,
    ),
    (
        "The camera software matches faces against photos of people who were banned before.",
        "ai-hr-1a",
        True,
    ),
    (
        "Ons team heeft een spraakmodel getraind en stelt het als dienst beschikbaar aan alle "
        "gemeenten in de provincie om berichten te laten voorlezen.",
        "ai-50-2",
        True,
    ),
    (
        "Met een beeldgenerator maken we foto's van ons dorp onder water, alsof het echt "
        "gebeurd is.",
        "ai-50-4-deepfake",
        True,
    ),
    # Found on tune15 (written to be read): transfers named by a city, touching a scanner is
    # no identification at a distance, "can't" negates, members and artists are people, a
    # name and an address are personal data.
    (
        "Het adviesbureau laat een backoffice in Istanbul de aanvragen invoeren, met namen, "
        "telefoonnummers en IBAN's.",
        "avg-transfer",
        True,
    ),
    (
        "Het adviesbureau laat een backoffice in Utrecht de aanvragen invoeren, met namen, "
        "telefoonnummers en IBAN's.",
        "avg-transfer",
        False,
    ),
    (
        "Abonnees komen het zwembad binnen met hun vingerafdruk op de scanner bij het poortje; "
        "het systeem zoekt wie het is.",
        "ai-hr-1a",
        False,
    ),
    (
        "The ferry webcam posts a picture of the queue every ten minutes; you can't recognise "
        "faces or read number plates.",
        "ai-hr-1a",
        False,
    ),
    (
        "De bibliotheek houdt een zwarte lijst bij van leden met openstaande boetes.",
        "avg-personal-data",
        True,
    ),
    (
        "Het formulier bewaart alleen naam en adres van de aanvrager.",
        "avg-personal-data",
        True,
    ),
    # Found on tune16 (written to be read, in many styles): emotions are people's, a
    # button menu is no AI, forecasting call volumes judges no call, a search from one
    # photo, a model that decides who goes first, a camera that watches whether people get
    # angry, a voice that sounds exactly like the mayor.
    (
        "Met een beeldgenerator maken we icoontjes voor de afvalwijzer: een vrolijke container "
        "met een gezichtje.",
        "ai-hr-1c",
        False,
    ),
    (
        "Our 'chatbot' is just buttons with pre-written answers that our staff wrote.",
        "ai-50-1",
        False,
    ),
    (
        "De meldkamer wil met een model voorspellen hoeveel meldingen er per uur binnenkomen.",
        "ai-hr-5d",
        False,
    ),
    (
        "Upload one photo of a person and the software searches all garage footage for every "
        "clip in which that person appears.",
        "ai-hr-1a",
        True,
    ),
    (
        "Can we let a model decide which debt-help applicants get the fast track?",
        "ai-hr-5a",
        True,
    ),
    (
        "De camera in de wachtruimte kijkt mee of bezoekers boos of angstig worden.",
        "ai-50-3",
        True,
    ),
    (
        "De wekelijkse audio-update wordt ingesproken door een computerstem die precies klinkt "
        "als de burgemeester.",
        "ai-50-4-deepfake",
        True,
    ),
    # Found on tune17 (written to be read, many styles): a real compound is no typo
    # ("selectieronde" had become "selectiemodel"), young adults who left youth care, callers
    # and not staff, every face that comes in.
    (
        "De eerste selectieronde gaat voortaan via opgenomen video-interviews; de commissie "
        "bekijkt de video's zelf.",
        "ai-hr-4",
        False,
    ),
    (
        "We nodigen alle 18- tot 23-jarigen die uit de jeugdzorg zijn gekomen uit voor een "
        "workshop over geldzaken.",
        "kia-children",
        False,
    ),
    (
        "The add-on analyses the voice of residents who call in and flags callers who sound "
        "angry; it does not analyse our own staff in any way.",
        "ai-5-1-f",
        False,
    ),
    (
        "De camera bij de ingang vergelijkt elk binnenkomend gezicht met de foto's van mensen "
        "met een locatieverbod.",
        "ai-hr-1a",
        True,
    ),
    # Stored in the EU, reachable from outside the EEA: a transfer (avg-transfer-access).
    (
        "Het zaaksysteem staat in een datacenter in Amsterdam, maar de supportafdeling in "
        "Bangalore krijgt beheerdersrechten en kan alle dossiers van inwoners inzien.",
        "avg-transfer",
        True,
    ),
    (
        "Het zaaksysteem staat in een datacenter in Amsterdam en de supportafdeling in "
        "Utrecht krijgt beheerdersrechten op de dossiers van inwoners.",
        "avg-transfer",
        False,
    ),
    # Norway is in the EEA (EEA Agreement, Annex XI) and Israel has an adequacy decision: where
    # the data are is said, so nothing is asked about it.
    (
        "De app met namen en mailadressen van deelnemers wordt gehost bij een leverancier in Oslo.",
        "ask-hosting",
        False,
    ),
    (
        "De app met namen en mailadressen van deelnemers wordt gehost bij een leverancier in "
        "Mumbai.",
        "avg-transfer",
        True,
    ),
    (
        "Het klantcontactcentrum neemt een clouddienst van een Israëlisch bedrijf af; de "
        "gespreksopnames van inwoners staan in Tel Aviv.",
        "ask-hosting",
        False,
    ),
    (
        "Our case system with residents' files moves to a SaaS provider; hosting only in their "
        "data centres in Amsterdam and Frankfurt.",
        "ask-hosting",
        False,
    ),
    (
        "Our case system with residents' files moves to a SaaS provider.",
        "ask-hosting",
        True,
    ),
    # Found on heldout14 (read after heldout15 became the record): scoring behaviour with a
    # disadvantage elsewhere; a face search engine; camera images checked against a list of
    # people (a list of plates is no face); a camera that estimates origin (a negation reaches
    # what "of" joins to it); a system reading a conversation's notes; proctoring software.
    (
        "Elke bewoner krijgt punten voor het scheiden van afval en klachten van de buren; wie "
        "laag scoort, komt lager op de wachtlijst voor een huurwoning.",
        "ai-5-1-c",
        True,
    ),
    ("Bewoners krijgen een compliment als ze hun afval goed scheiden.", "ai-5-1-c", False),
    (
        "Een bedrijf haalt miljoenen foto's van sociale media binnen; onze boa's uploaden een "
        "foto en krijgen namen terug.",
        "ai-5-1-e",
        True,
    ),
    (
        "We verzamelen automatisch foto's van sociale media over ons festival voor de nieuwsbrief.",
        "ai-5-1-e",
        False,
    ),
    (
        "Bij de kermis vergelijkt software de live camerabeelden met een lijst van gezochte "
        "personen, zodat de politie hen kan aanhouden.",
        "ai-5-1-h",
        True,
    ),
    (
        "Bij de kermis vergelijkt software de live camerabeelden met een lijst van gestolen "
        "kentekens, zodat de politie de auto's kan aanhouden.",
        "ai-5-1-h",
        False,
    ),
    (
        "De camera bij de balie telt bezoekers en schat hun leeftijd; niks met afkomst of geloof.",
        "ai-5-1-g",
        False,
    ),
    (
        "Een systeem stelt op basis van het verslag van het keukentafelgesprek voor hoeveel uur "
        "huishoudelijke hulp iemand krijgt.",
        "ai-hr-5a",
        True,
    ),
    (
        "Een consulent stelt op basis van het verslag van het keukentafelgesprek voor hoeveel "
        "uur huishoudelijke hulp iemand krijgt.",
        "ai-hr-5a",
        False,
    ),
    (
        "Bij online examens volgt software de oogbewegingen van studenten en markeert "
        "kandidaten die mogelijk spieken.",
        "ai-hr-3",
        True,
    ),
    ("Bij online examens kijkt een surveillant via de webcam mee.", "ai-hr-3", False),
    # (A cold review's near misses: people who compare footage themselves; searching one's
    # own stored footage builds no face database; a place of worship is no trait of a face.)
    (
        "Stewards bekijken de camerabeelden en vergelijken ze met de lijst van mensen met een "
        "stadionverbod.",
        "ai-hr-1a",
        False,
    ),
    (
        "De politie bekijkt alle opgeslagen beelden van de eigen camera's om een vermist kind "
        "te vinden aan de hand van een foto.",
        "ai-5-1-e",
        False,
    ),
    (
        "Een AI-camera voorspelt hoe druk het wordt bij de moskee op vrijdag.",
        "ai-5-1-g",
        False,
    ),
    (
        "Software bij de camera's schat aan de huidskleur van bezoekers in wat hun afkomst is.",
        "ai-5-1-g",
        True,
    ),
    # A list several organisations share combines their data (WP248 criterion 6); connected
    # devices that report what each household does monitor it (criterion 3).
    (
        "De bibliotheek en het zwembad willen een gedeelde lijst van bezoekers die agressief "
        "waren, met hun namen.",
        "edpb-matching",
        True,
    ),
    (
        "De bibliotheek houdt een eigen lijst bij van bezoekers die agressief waren, met hun "
        "namen.",
        "edpb-matching",
        False,
    ),
    (
        "De slimme afvalcontainers sturen per huishouden elke storting met tijdstip en adres "
        "via de simkaart naar de leverancier.",
        "edpb-monitoring",
        True,
    ),
    (
        "De slimme afvalcontainers melden via de simkaart alleen hoe vol ze zijn.",
        "edpb-monitoring",
        False,
    ),
    # Generative AI alone is not the "new technology" of WP248 criterion 8: across every
    # labelled set, a text generator as the only reason was wrong 59 times and right 28.
    (
        "Onze consulenten laten een taalmodel samenvattingen maken van de gesprekken met inwoners.",
        "edpb-innovative",
        False,
    ),
    (
        "Camera's met gezichtsherkenning bij de ingang van het zwembad herkennen bezoekers.",
        "edpb-innovative",
        True,
    ),
    # Partners passing on who is behind with payments (early warning) evaluates no one by
    # itself (criterion 1); a model that predicts who will get into debt does.
    (
        "Vroegsignalering: woningcorporaties en het energiebedrijf sturen ons elke maand de "
        "namen van huishoudens met twee maanden achterstand, waarna schuldhulp belt.",
        "edpb-evaluation",
        False,
    ),
    (
        "Een model voorspelt per huishouden de kans dat het in de schulden raakt.",
        "edpb-evaluation",
        True,
    ),
    # Subtitling a council meeting with speech recognition processes what identifiable
    # people said (personal data), but is not the new technology of criterion 8.
    (
        "Raadsvergaderingen worden automatisch ondertiteld met spraakherkenning; de griffie "
        "controleert de tekst voordat die online gaat.",
        "edpb-innovative",
        False,
    ),
    # A public service alone does not make people vulnerable (criterion 7); people on
    # social assistance are.
    (
        "De gemeente houdt een wachtlijst bij voor een volkstuin, met naam en adres.",
        "edpb-vulnerable",
        False,
    ),
    (
        "Een lijst van bijstandsgerechtigden met naam en adres voor een huisbezoek.",
        "edpb-vulnerable",
        True,
    ),
    # Checking one's own face against one's own pass at a gate observes no one
    # systematically (criterion 3); cameras with face recognition on a square do.
    (
        "Bij de poort van het provinciehuis vergelijkt een gezichtsscan het gezicht van de "
        "medewerker alleen met de foto op diens eigen pas.",
        "edpb-monitoring",
        False,
    ),
    (
        "Camera's met gezichtsherkenning op het stationsplein volgen iedereen die langsloopt.",
        "edpb-monitoring",
        True,
    ),
    # Nor is a sensor: across the labelled sets, a sensor as the only reason was wrong 22
    # times and right 3.
    (
        "Bewegingssensoren in de gangen van het stadskantoor tellen hoeveel medewerkers er per "
        "verdieping zijn, per medewerker gekoppeld aan de toegangspas.",
        "edpb-innovative",
        False,
    ),
    # A supplier's camera that compares everyone coming in with photos of banned people
    # compares faces itself (art. 3(35)); stewards who compare footage do it themselves.
    (
        "Een leverancier biedt een camera bij de ingang van het zwembad die iedereen die "
        "binnenloopt vergelijkt met foto's van mensen met een toegangsverbod.",
        "ai-hr-1a",
        True,
    ),
    (
        "De leverancier plaatst camera's bij de ingang; onze stewards vergelijken de beelden "
        "zelf met foto's van mensen met een toegangsverbod.",
        "ai-hr-1a",
        False,
    ),
    # Annex III 8(a): an AI that sets out the facts and the law and drafts the decision.
    (
        "Buurtbemiddeling wil een AI die de verklaringen van beide buren leest, de feiten op "
        "een rij zet, eerdere uitspraken erbij zoekt en een bindend advies opstelt.",
        "ai-hr-8a",
        True,
    ),
    (
        "The court wants an AI chatbot on its website that tells visitors its opening hours "
        "and where to park.",
        "ai-hr-8a",
        False,
    ),
    # Emotions read off callers only, never off the staff: not art. 5(1)(f).
    (
        "A tool listens to incoming calls and warns the employee when the caller sounds "
        "angry or threatening. It only analyses the caller's voice, never our staff.",
        "ai-5-1-f",
        False,
    ),
    (
        "A tool listens to our call-centre staff and scores whether they sound angry or "
        "bored, for their appraisal.",
        "ai-5-1-f",
        True,
    ),
    # A learning planning tool that gives slower workers fewer shifts: Annex III 4(b).
    (
        "A learning planning tool watches how fast each cleaner finishes rooms and "
        "automatically gives the slower ones fewer shifts next month.",
        "ai-hr-4",
        True,
    ),
    (
        "A planning tool lists which rooms the cleaners still have to do today.",
        "ai-hr-4",
        False,
    ),
]


@pytest.mark.parametrize(("text", "rule", "raised"), READINGS)
def test_law_readings(advisor: Advisor, text: str, rule: str, raised: bool) -> None:
    assert (rule in fired(advisor, text)) is raised, text


def test_the_offence_exception_is_asked(advisor: Advisor) -> None:
    """AI Act art. 50(3): no notice where the law permits the system to detect or investigate
    criminal offences with safeguards. The text cannot say whether it does: the duty stays
    and the scan asks; a yes lifts it (a cold review)."""
    text = (
        "Onze boa's krijgen een app die bij het verhoor van een verdachte de stem analyseert "
        "en aangeeft of iemand liegt."
    )
    assert "ai-50-3" in fired(advisor, text)
    answered = scan(advisor, text, {"ask-offence-exception": True})
    assert "ai-50-3" not in {f.rule for f in answered.ai_act}
    assert "ask-offence-exception" not in {q.rule for q in answered.questions}
    denied = scan(advisor, text, {"ask-offence-exception": False})
    assert "ai-50-3" in {f.rule for f in denied.ai_act}


def test_a_prohibition_is_not_also_high_risk(advisor: Advisor) -> None:
    s = scan(advisor, RULES["ai-5-1-h"][0])
    assert {f.key for f in s.ai_act} == {"prohibited"}
    assert assess_risk(s)[0] == "hoog"


def test_single_trigger_makes_a_dpia_required(advisor: Advisor, knowledge: Knowledge) -> None:
    s = scan(advisor, RULES["ap-01-heimelijk"][0])
    data = s.to_dict(knowledge, "nl")
    assert data["dpia"]["required"] is True
    assert data["dpia"]["likely_required"] is True
    assert [f["ref"] for f in data["dpia"]["required_by"]] == [
        "AP-lijst nr. 1 (heimelijk onderzoek)"
    ]


def test_no_dpia_without_personal_data(advisor: Advisor, knowledge: Knowledge) -> None:
    s = scan(advisor, "Sensoren met AI meten stikstof in de natuur.")
    data = s.to_dict(knowledge, "nl")
    assert not data["personal_data"]["signal"]
    assert not data["dpia"]["likely_required"] and not data["dpia"]["required"]


def test_anonymous_aggregates_lower_personal_data_and_ask_about_reidentification(
    advisor: Advisor,
) -> None:
    s = scan(advisor, RULES["ask-reidentification"][0])
    assert not s.personal_data
    assert [q.rule for q in s.questions] == ["ask-reidentification"]
    again = scan(advisor, RULES["ask-reidentification"][0], {"ask-reidentification": False})
    assert again.personal_data, "'not truly anonymous' brings the personal data back"


def test_an_answer_adds_the_facts_its_question_names(advisor: Advisor) -> None:
    text = RULES["ask-ai-system"][0]
    assert not {f.key for f in scan(advisor, text).ai_act}
    yes = scan(advisor, text, {"ask-ai-system": True})
    assert "high-risk" in {f.key for f in yes.ai_act}
    assert "ask-ai-system" not in {q.rule for q in yes.questions}
    no = scan(advisor, text, {"ask-ai-system": False})
    assert not {f.key for f in no.ai_act}
    assert no.iama, "a fixed rule affecting people still belongs in the register"


def test_live_identification_of_offenders_asks_who_does_it(advisor: Advisor) -> None:
    """A product trial: pickpockets caught live by face recognition, no one named. Said to
    be for the police or justice, it is prohibited; for something else, high-risk."""
    text = RULES["ask-law-enforcement"][0]
    assert "ask-law-enforcement" in {q.rule for q in scan(advisor, text).questions}
    yes = scan(advisor, text, {"ask-law-enforcement": True})
    assert "prohibited" in {f.key for f in yes.ai_act}
    no = scan(advisor, text, {"ask-law-enforcement": False})
    keys = {f.key for f in no.ai_act}
    assert "high-risk" in keys and "prohibited" not in keys


def test_unspecified_cloud_asks_where_it_is_hosted(advisor: Advisor, knowledge: Knowledge) -> None:
    data = scan(advisor, RULES["ask-hosting"][0]).to_dict(knowledge, "en")
    assert data["outside_eea"]["signal"] is False
    assert data["outside_eea"]["ask"].startswith("Does the service or supplier store the data")
    assert scan(advisor, RULES["ask-hosting"][0], {"ask-hosting": True}).outside_eea


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        # A supplier that works with residents' data is a processor (AVG art. 28); where it
        # does so is what chapter V turns on, so it is asked, as for a cloud service.
        (
            "Een leverancier biedt ons software die de wachtrij van bijstandsaanvragen sorteert "
            "op de kans dat een aanvraag wordt toegekend.",
            True,
        ),
        (
            "A vendor offers a tool that transcribes residents' calls to our contact centre.",
            True,
        ),
        # Said where: nothing to ask.
        (
            "Een leverancier biedt ons software die de wachtrij van bijstandsaanvragen sorteert; "
            "alles draait op onze eigen servers.",
            False,
        ),
        # A country named in passing says nothing about where the data are.
        (
            "Net als in Noorwegen willen we een SaaS-dienst voor de dossiers van inwoners.",
            True,
        ),
        # Procurement words are no supplier that holds the data.
        (
            "De inschrijvingen van nieuwe inwoners in de BRP controleren we op fouten in hun "
            "persoonsgegevens.",
            False,
        ),
        # Energy suppliers that send us names are no processors of ours.
        (
            "Energieleveranciers sturen ons elke maand de namen van huishoudens met een "
            "betalingsachterstand, zodat schuldhulp contact kan opnemen.",
            False,
        ),
        # No personal data: nothing to transfer.
        (
            "Een leverancier levert sensoren die het waterpeil in de sloten meten.",
            False,
        ),
    ],
)
def test_a_supplier_working_with_personal_data_is_asked_where(
    advisor: Advisor, text: str, asked: bool
) -> None:
    assert ("ask-hosting" in fired(advisor, text)) is asked, text


# --- the level, whom to ask, the risk --------------------------------------------------------


@pytest.mark.parametrize(("n", "likely"), [(0, False), (1, False), (2, True), (3, True)])
def test_dpia_likely_from_two_criteria_about_personal_data(n: int, likely: bool) -> None:
    keys = list(DPIA_LABELS)[:n]
    assert MagHet(personal_data=["naam"], dpia=[_finding(k) for k in keys]).dpia_likely is likely
    assert MagHet(dpia=[_finding(k) for k in keys]).dpia_likely is False


def test_ai_act_level_takes_the_most_serious_finding() -> None:
    assert MagHet().ai_act_level == "none"
    assert MagHet(ai_involved=["ai"]).ai_act_level == "ai"
    assert MagHet(ai_act=[_finding("transparency")]).ai_act_level == "transparency"
    both = [_finding("transparency"), _finding("high-risk")]
    assert MagHet(ai_act=both).ai_act_level == "high-risk"
    worst = [_finding("high-risk"), _finding("prohibited"), _finding("transparency")]
    assert MagHet(ai_act=worst).ai_act_level == "prohibited"


def test_ask_names_each_contact_once_most_relevant_first() -> None:
    assert MagHet().ask() == []
    assert MagHet(personal_data=["naam"]).ask() == ["fg", "privacy-officer"]
    everything = MagHet(
        personal_data=["naam"],
        ai_act=[_finding("high-risk")],
        iama=["algoritme"],
        children=["leerlingen"],
        outside_eea=["chatgpt"],
    ).ask()
    assert everything[:2] == ["fg", "privacy-officer"]
    assert len(everything) == len(set(everything))
    assert {"jurist", "ethiek-adviseur", "ciso"} <= set(everything)


def test_risk_levels() -> None:
    assert assess_risk(MagHet())[0] == "laag"
    assert assess_risk(MagHet())[1], "even 'laag' says why"
    assert assess_risk(MagHet(personal_data=["naam"]))[0] == "midden"
    assert assess_risk(MagHet(ai_act=[_finding("prohibited")]))[0] == "hoog"
    assert assess_risk(MagHet(ai_act=[_finding("high-risk")]))[0] == "hoog"
    two_mild = MagHet(personal_data=["x"], dpia=[_finding("monitoring"), _finding("innovative")])
    assert assess_risk(two_mild)[0] == "midden"
    two_serious = MagHet(personal_data=["x"], dpia=[_finding("monitoring"), _finding("sensitive")])
    assert assess_risk(two_serious)[0] == "hoog"


def test_mag_het_to_dict_in_both_languages(advisor: Advisor, knowledge: Knowledge) -> None:
    s = scan(advisor, RULES["ai-hr-4"][0])
    nl, en = s.to_dict(knowledge, "nl"), s.to_dict(knowledge, "en")
    assert nl["note"] != en["note"]
    assert nl["ai_act"]["findings"][0]["label"] != en["ai_act"]["findings"][0]["label"]
    # The JSON's reference is the same key in both languages; the prose cites it in the
    # reader's language (a user trial found Dutch references in English conversations).
    assert nl["ai_act"]["findings"][0]["ref"] == en["ai_act"]["findings"][0]["ref"]
    assert cite(en["ai_act"]["findings"][0]["ref"], "en").startswith("AI Act Annex III, point")


def test_a_findings_evidence_starts_with_what_sets_it_apart(advisor: Advisor) -> None:
    """Found by a user trial: a transfer outside the EEA was explained by "(jouw antwoord),
    leerlingen, voorspelt" (the personal data every finding shares) and not by the American
    cloud service that raised it."""
    s = scan(
        advisor,
        "Een app houdt het leesniveau van leerlingen bij en voorspelt wie hulp nodig heeft. De "
        "gegevens staan bij een Amerikaanse clouddienst.",
    )
    assert s.outside_eea[0].startswith("amerikaanse"), s.outside_eea
