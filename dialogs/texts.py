"""What the bot says, in Dutch and English. Logic lives in the engine; wording lives here."""

from __future__ import annotations

from knowledge.schema import Lang

_T: dict[str, tuple[str, str]] = {
    "welcome": (
        "Hoi! Ik ben **Ethiekbot**, je digitale-ethiekadviseur. Ik help je met de drietrap: "
        "_Willen we het? Mag het? Kan het?_ Ik zoek vergelijkbare casussen en raad een "
        "instrument en een aanspreekpunt aan. _(English? Just write in English.)_",
        "Hi! I'm **Ethiekbot**, your digital ethics advisor. I help you with the three steps "
        "(the guide's *drietrap*): _Is it desirable? Is it allowed? Is it possible?_ I find "
        "similar cases and recommend an instrument and a contact.",
    ),
    "privacy_line": (
        "Ik bewaar alleen wat je hier typt en je antwoorden, om het gesprek te onthouden "
        "({state_days} dagen na je laatste bericht) en je uitkomst voor de ethiekadviseur "
        "({outcome_days} dagen). Typ `privacy` voor alles.",
        "I only keep what you type here and your answers, to remember the conversation "
        "({state_days} days after your last message) and your outcome for the ethics advisor "
        "({outcome_days} days). Type `privacy` for the details.",
    ),
    "ask_describe": (
        "**Beschrijf je vraag of project** in een paar zinnen: wat wil je doen, met welke data "
        "of technologie, en voor wie?",
        "**Describe your question or project** in a few sentences: what do you want to do, with "
        "which data or technology, and for whom?",
    ),
    "privacy_full": (
        "**Wat ik bewaar en waarom**\n\n"
        "- **Het gesprek**: je beschrijving en antwoorden, zodat je later verder kunt. Dit wordt "
        "{state_days} dagen na je laatste bericht gewist, of meteen met `opnieuw`.\n"
        "- **De uitkomst**: beschrijving, antwoorden, oordelen en adviezen, zodat de "
        "ethiekadviseur ze kan beoordelen en je kan antwoorden. Ik bewaar een pseudoniem in "
        "plaats van je naam of account, en in welk gesprek je het vroeg, zodat een antwoord van "
        "de adviseur hier aankomt. Berichten tussen jou en de adviseur horen bij de uitkomst. "
        "Uitkomsten worden na {outcome_days} dagen gewist.\n"
        "- **IJkmomenten**, alleen als je erom vraagt: welk moment, de datum en in welk gesprek "
        "ik herinner. Zolang er een gepland staat, blijft de uitkomst van het project bewaard.\n"
        "- **Niet**: je naam, e-mailadres of andere gesprekken. Niemand anders dan jij en de "
        "ethiekadviseurs ziet je uitkomst; wat een adviseur opent of wijzigt, wordt met naam en "
        "tijd vastgelegd.\n\n"
        "**Wie verantwoordelijk is**: {controller} (verwerkingsverantwoordelijke). De "
        "functionaris gegevensbescherming (FG): {dpo}. De grondslag is de publieke taak van de "
        "organisatie (AVG art. 6(1)(e)): haar medewerkers helpen digitale ethiek zorgvuldig te "
        "wegen.\n\n"
        "**Je rechten**: `mijn gegevens` toont alles wat ik over je bewaar en hoe lang (inzage, "
        "art. 15), ook als download; `wis mijn gegevens` wist het na een bevestiging (art. 17). "
        "Voor correctie (art. 16) of bezwaar (art. 21) vraag je de ethiekadviseur of de FG. Ben "
        "je het niet eens met hoe je gegevens worden gebruikt, dan kun je een klacht indienen bij "
        "de Autoriteit Persoonsgegevens (art. 77).\n\n"
        "Zet geen persoonsgegevens van anderen in je beschrijving: een voorbeeld zonder namen "
        "is genoeg. Wat ik herken (BSN, rekeningnummer, e-mailadres, telefoonnummer, adres en "
        "postcode, kenteken, IP-adres, geboortedatum, namen) laat ik weg voordat ik iets "
        "bewaar, en ik zeg wat ik wegliet. Namen herken ik nog niet altijd.",
        "**What I keep and why**\n\n"
        "- **The conversation**: your description and answers, so you can continue later. It is "
        "deleted {state_days} days after your last message, or at once with `restart`.\n"
        "- **The outcome**: description, answers, verdicts and advice, so the ethics advisor can "
        "review them and answer you. I keep a pseudonym instead of your name or account, and in "
        "which conversation you asked, so an answer from the advisor arrives here. Messages "
        "between you and the advisor belong to the outcome. Outcomes are deleted after "
        "{outcome_days} days.\n"
        "- **Checkpoints**, only if you ask for them: which moment, the date and in which "
        "conversation I remind you. While one is planned, the project's outcome is kept.\n"
        "- **Not**: your name, e-mail address or other conversations. Nobody but you and the "
        "ethics advisors sees your outcome; what an advisor opens or changes is recorded with "
        "name and time.\n\n"
        "**Who is responsible**: {controller} (the controller). The data protection officer "
        "(FG): {dpo}. The legal basis is the organisation's public task (GDPR art. 6(1)(e)): "
        "helping its staff weigh digital ethics with care.\n\n"
        "**Your rights**: `my data` shows everything I keep about you and for how long (access, "
        "art. 15), also as a download; `delete my data` erases it after you confirm (art. 17). "
        "For a correction (art. 16) or an objection (art. 21), ask the ethics advisor or the "
        "data protection officer. If you disagree with how your data are used, you can complain "
        "to the Dutch Data Protection Authority, the Autoriteit Persoonsgegevens (art. 77).\n\n"
        "Please leave other people's personal data out of your description: an example without "
        "names is enough. What I recognise (citizen service number, bank account, e-mail "
        "address, phone number, address and postcode, licence plate, IP address, date of birth, "
        "names) I leave out before I keep anything, and I tell you what I left out. I do not "
        "always recognise names yet.",
    ),
    "privacy_dpo_unset": (
        "de functionaris gegevensbescherming van die organisatie",
        "that organisation's data protection officer",
    ),
    "privacy_unset": (
        "de organisatie die deze bot inzet; wie de bot beheert, heeft de naam en het "
        "contactadres nog niet ingevuld, dus vraag ze bij hem of haar na",
        "the organisation running this bot; whoever runs it has not filled in the name and "
        "contact address yet, so ask them",
    ),
    "help": (
        "**Zo werkt het.** Beschrijf je vraag, dan krijg je een eerste indruk. Daarna lopen we "
        "de drietrap door (ongeveer vijf minuten) of krijg je meteen het advies. Antwoord met de "
        "knoppen, met het nummer of de tekst van een keuze, of typ gewoon.\n\n"
        "Opdrachten: `hulp`, `terug`, `overslaan`, `samenvatting`, `waarom?`, `opnieuw`, "
        "`stop`, `privacy`, `mijn gegevens`, `wis mijn gegevens`, `english`.\n\n"
        "{human}",
        "**How it works.** Describe your question and you get a first impression. Then we go "
        "through the three steps (about five minutes) or you get the advice straight away. "
        "Answer with the buttons, with the number or text of a choice, or just type.\n\n"
        "Commands: `help`, `back`, `skip`, `summary`, `why?`, `restart`, `stop`, `privacy`, "
        "`my data`, `delete my data`, `nederlands`.\n\n"
        "{human}",
    ),
    "unknown_command": (
        "Die opdracht ken ik niet. Typ `hulp` voor de opdrachten die ik wel ken.",
        "I do not know that command. Type `help` for the ones I do know.",
    ),
    "help_human": (
        "Liever een mens? Typ bijvoorbeeld `ik wil de adviseur spreken`: ik geef je vraag door "
        "aan de ethiekadviseur.",
        "Rather talk to a person? Type for example `I want to talk to the advisor`: I will hand "
        "your question to the ethics advisor.",
    ),
    "help_no_human": (
        "In deze installatie is nog geen ethiekadviseur aangemeld; vraag de beheerder van deze "
        "bot wie je kunt spreken.",
        "No ethics advisor has been registered in this installation yet; ask whoever runs this "
        "bot whom you can talk to.",
    ),
    "value_note_held": (
        "Ik noteer: _{note}_. Is dit een zorg, of geen zorg?",
        "Noted: _{note}_. Is this a concern, or no concern?",
    ),
    "start_points": (
        "Weet je nog niet goed waar je moet beginnen? Met deze gesprekshulpen uit de gids "
        "beginnen veel teams. Welke past, hangt af van je project: vertel me er meer over, dan "
        "kijk ik met je mee.",
        "Not sure where to start? Many teams begin with these conversation tools from the "
        "guide. Which one fits depends on your project: tell me more about it and I will help "
        "you choose.",
    ),
    "too_short": (
        "Vertel iets meer, dan kan ik beter helpen: wat wil je doen, met welke data of "
        "technologie, en voor wie?",
        "Tell me a bit more so I can help: what do you want to do, with which data or "
        "technology, and for whom?",
    ),
    "empty": (
        "Ik zie geen tekst in je bericht. Typ je vraag of antwoord, of `hulp`.",
        "I see no text in your message. Type your question or answer, or `help`.",
    ),
    "truncated": (
        "Je bericht was erg lang; ik heb de eerste {max} tekens gebruikt.",
        "Your message was very long; I used the first {max} characters.",
    ),
    "stale_choice": (
        "Die knop hoort bij een eerder moment in het gesprek. Hier zijn we nu:",
        "That button belongs to an earlier point in the conversation. This is where we are now:",
    ),
    "thanks": (
        "Graag gedaan. Het advies blijft hier staan; hieronder kun je nog verder.",
        "You're welcome. The advice stays here; below you can still go on.",
    ),
    "not_understood": (
        "Dat antwoord herken ik niet bij deze vraag. Kies een van de opties, of typ `hulp`.",
        "I don't recognise that answer for this question. Pick one of the options, or type `help`.",
    ),
    "quick_title": ("**Eerste indruk**", "**First impression**"),
    "quick_cases": ("Lijkt op", "Resembles"),
    "quick_lesson": ("geleerd", "learned"),
    "quick_values": ("Waarden die vooral spelen", "Values most at stake"),
    "quick_mag": ("Eerste signalen bij Mag het?", "First signals for Is it allowed?"),
    "quick_instrument": ("Passend instrument", "Fitting instrument"),
    "quick_risk": ("Risico", "Risk"),
    "risk_laag": ("laag", "low"),
    "risk_midden": ("midden", "medium"),
    "risk_hoog": ("hoog", "high"),
    "ai_level_prohibited": ("mogelijk een verboden praktijk", "possibly a prohibited practice"),
    "ai_level_high-risk": ("mogelijk hoog risico", "possibly high-risk"),
    "ai_level_transparency": ("transparantieplicht", "transparency duty"),
    "ai_level_ai": ("AI of algoritme, geen bijzonder gebied", "AI or algorithm, no special area"),
    "ai_level_none": ("geen signaal", "no signal"),
    "your_answer": ("jouw antwoord", "your answer"),
    "answer_contradicts": (
        "je antwoordde 'klopt niet' bij \"{question}\", maar je beschrijving wijst er wel op; "
        "het signaal blijft staan tot de FG het heeft bekeken",
        "you answered 'not right' to \"{question}\", but your description points to it; the "
        "signal stays until the DPO has looked at it",
    ),
    "quick_offer": (
        "Hoe wil je verder? De **korte route** stelt {short} vragen: de waarden die het meest "
        "op het spel staan en de juridische vragen die je beschrijving openlaat. De hele "
        "**drietrap** stelt er {full}. Of kies **alleen het advies**.",
        "How do you want to go on? The **short route** asks {short} questions: the values most "
        "at stake and the legal questions your description leaves open. The whole **three "
        "steps** ask {full}. Or choose **just the advice**.",
    ),
    "quick_offer_org": (
        "Zullen we de thema's van je organisatie langslopen? Of wil je alleen het advies?",
        "Shall we go through your organisation's themes? Or do you only want the advice?",
    ),
    "no_cases": ("geen duidelijk vergelijkbare casus", "no clearly similar case"),
    "only_related": (
        "Geen casus die echt lijkt; wel verwant",
        "No case that is really alike; related",
    ),
    "org_question": (
        "Dit is een vraag over de organisatie, niet over één project. Hoofdstuk 3 van de gids "
        "helpt; voor jullie lijken deze thema's het meest te spelen",
        "This is a question about the organisation, not about one project. Chapter 3 of the "
        "guide helps; these themes seem to matter most for you",
    ),
    "choice_org_route": ("Organisatieroute ({n} vragen)", "Organisation route ({n} questions)"),
    "org_route_intro": (
        "**Organisatieroute**: per thema van hoofdstuk 3 één vraag. Bij nee of weet ik niet "
        "krijg je in de uitkomst het advies van de gids.",
        "**Organisation route**: one question per theme of chapter 3. Where you answer no or "
        "don't know, the outcome gives you the guide's advice.",
    ),
    "org_prompt": ("**{title}** ({i} van {n})", "**{title}** ({i} of {n})"),
    "org_section": ("Voor de organisatie", "For the organisation"),
    "related": ("verwant, lijkt niet echt", "related, not really alike"),
    "org_answer_ja": ("op orde", "in place"),
    "org_answer_nee": ("nog niet", "not yet"),
    "org_answer_weet-niet": ("weet je niet", "you don't know"),
    "org_answer_overgeslagen": ("overgeslagen", "skipped"),
    "why_org": (
        "zo zie je welke thema's van hoofdstuk 3 al geregeld zijn en waar het advies van de "
        "gids je verder helpt ({source}).",
        "this shows which themes of chapter 3 are in place and where the guide's advice helps "
        "you further ({source}).",
    ),
    "no_mag": ("geen bijzondere signalen", "no particular signals"),
    "choice_walk": ("Drietrap doorlopen", "Go through the three steps"),
    "choice_short": ("Korte route", "Short route"),
    "choice_klopt": ("Klopt", "Correct"),
    "choice_klopt_niet": ("Klopt niet", "Not correct"),
    "assume": (
        "Uit je beschrijving neem ik aan dat het antwoord hier **ja** is:\n\n_{question}_\n\n"
        "Klopt dat?",
        "From your description I assume the answer here is **yes**:\n\n_{question}_\n\n"
        "Is that correct?",
    ),
    "assume_because": (
        "Je noemt {words}; daarom neem ik aan dat het antwoord hier **ja** is:\n\n_{question}_"
        "\n\nKlopt dat?",
        "You mention {words}; so I assume the answer here is **yes**:\n\n_{question}_\n\n"
        "Is that correct?",
    ),
    "choice_advice": ("Alleen het advies", "Just the advice"),
    "choice_stop": ("Stoppen", "Stop"),
    "choice_ja": ("Ja", "Yes"),
    "choice_nee": ("Nee", "No"),
    "choice_weet_niet": ("Weet ik niet", "Don't know"),
    "choice_geen_zorg": ("Geen zorg", "No concern"),
    "choice_zorg": ("Zorg", "Concern"),
    "choice_skip": ("Overslaan", "Skip"),
    "choice_more_values": ("Ook de andere waarden", "The other values too"),
    "choice_next_step": ("Door naar Mag het?", "On to Is it allowed?"),
    "choice_continue": ("Verder", "Continue"),
    "choice_handover": ("Geef door aan de ethiekadviseur", "Hand over to the ethics advisor"),
    "choice_report": ("Rapport", "Report"),
    "choice_checkpoints": ("Herinner ons bij ijkmomenten", "Remind us at checkpoints"),
    "choice_restart": ("Opnieuw beginnen", "Start over"),
    "choice_restart_yes": ("Ja, alles wissen", "Yes, erase everything"),
    "choice_restart_no": ("Nee, verder", "No, carry on"),
    "confirm_restart": (
        "Weet je het zeker? Dan wis ik dit gesprek en beginnen we opnieuw. (Een uitkomst die al "
        "is vastgelegd, blijft bij de ethiekadviseur.)",
        "Are you sure? Then I erase this conversation and we start over. (An outcome that was "
        "already logged stays with the ethics advisor.)",
    ),
    "restart_cancelled": ("Goed, we gaan verder.", "All right, we carry on."),
    "welcome_back": ("Welkom terug. We waren hier gebleven:", "Welcome back. We were here:"),
    "step_intro": ("**{title}** ({n} van 3)", "**{title}** ({n} of 3)"),
    "value_prompt": (
        "**{name}** ({i} van {total})\n\n{question}\n\nZie je hier een zorg voor je project?",
        "**{name}** ({i} of {total})\n\n{question}\n\nDo you see a concern here for your project?",
    ),
    "value_relevant": ("Waarom deze waarde: {why}", "Why this value: {why}"),
    "note_prompt": (
        "Wil je in een zin toelichten waarom? (of kies _Overslaan_)",
        "Would you like to explain why in a sentence? (or choose _Skip_)",
    ),
    "values_more": (
        "Dit waren de {n} waarden die het meest spelen. Wil je de andere {rest} ook langs, of "
        "door naar _Mag het?_",
        "Those were the {n} values most at stake. Do you want to go through the other {rest} "
        "too, or on to _Is it allowed?_",
    ),
    "open_hint": (
        "Typ je antwoord, of kies _Weet ik niet_.",
        "Type your answer, or choose _Don't know_.",
    ),
    "already_known": (
        "Uit je beschrijving haal ik al: {items}. Die vragen sla ik over.",
        "From your description I already see: {items}. I'll skip those questions.",
    ),
    "mag_result_title": ("**Mag het? De signalen**", "**Is it allowed? The signals**"),
    "mag_note": (
        "_Dit zijn signalen, geen juridisch oordeel. Bespreek ze met {who}._",
        "_These are signals, not a legal verdict. Discuss them with {who}._",
    ),
    "dpia_count": (
        "DPIA-criteria ({n}): {items}",
        "DPIA criteria ({n}): {items}",
    ),
    "dpia_likely": (
        "twee of meer criteria: een DPIA is waarschijnlijk verplicht",
        "two or more criteria: a DPIA is likely required",
    ),
    "dpia_required": (
        "een DPIA is verplicht: {items}",
        "a DPIA is required: {items}",
    ),
    "ai_act": ("AI-verordening: {items}", "AI Act: {items}"),
    "no_human_oversight": (
        "niemand controleert en corrigeert de uitkomsten, bij een mogelijk hoog-risico-AI-"
        "systeem: menselijk toezicht is dan verplicht (AI-verordening art. 14 en 26(2))",
        "nobody checks and corrects the results of a possible high-risk AI system: human "
        "oversight is then required (AI Act art. 14 and 26(2))",
    ),
    "law_open": (
        "Nog open (de tekst zegt het niet): {items}",
        "Still open (the text does not say): {items}",
    ),
    "eea_ask": (
        "Waar staan de gegevens? {ask}",
        "Where are the data? {ask}",
    ),
    "education_signal": (
        "Onderwijs of opleiding ({items})",
        "Education or training ({items})",
    ),
    "mag_check_people": (
        "techniek die waarneemt: ga na of wat er wordt vastgelegd naar mensen te herleiden is",
        "technology that observes: check whether what is recorded can be traced to people",
    ),
    "law_question_hint": (
        "Je beschrijving zegt dit niet, en het maakt juridisch verschil ({ref}).",
        "Your description does not say this, and it makes a legal difference ({ref}).",
    ),
    "why_law": (
        "je beschrijving zegt niet {about}, en daar hangt af welke regels gelden ({ref}). Het "
        "blijft een signaal voor de FG of een jurist, geen oordeel.",
        "your description does not say {about}, and which rules apply depends on it ({ref}). It "
        "stays a signal for the DPO or a lawyer, not a verdict.",
    ),
    "iama_signal": (
        "IAMA / algoritmeregister: een algoritme dat mensen raakt ({items})",
        "IAMA / algorithm register: an algorithm affecting people ({items})",
    ),
    "children_signal": (
        "Kinderen: overweeg een Kinderrechten Impact Assessment (KIA) ({items})",
        "Children: consider a children's rights impact assessment (KIA) ({items})",
    ),
    "eea_signal": (
        "Mogelijk doorgifte buiten de EER ({items}): vraag de FG naar de waarborgen",
        "Possible transfer outside the EEA ({items}): ask the DPO about safeguards",
    ),
    "pd_signal": ("Persoonsgegevens: {items}", "Personal data: {items}"),
    "why_prefix": ("**Waarom ik dit vraag:** ", "**Why I ask this:** "),
    "why_nothing": (
        "Op dit moment vraag ik niets. Beschrijf je vraag of project om te beginnen.",
        "I'm not asking anything right now. Describe your question or project to start.",
    ),
    "why_quick": (
        "Ik vraag of je de drietrap wilt doorlopen, omdat een eerste indruk niet meer is dan "
        "dat: pas met jouw antwoorden kan ik per stap een oordeel geven.",
        "I ask whether you want to go through the three steps because a first impression is "
        "no more than that: only with your answers can I give a verdict per step.",
    ),
    "why_value": (
        "De gids vraagt bij elk project welke publieke waarden sterker worden en welke onder "
        "druk komen. Je antwoord bepaalt het oordeel bij _Willen we het?_",
        "The guide asks for every project which public values grow stronger and which come "
        "under pressure. Your answer shapes the verdict on _Is it desirable?_",
    ),
    "why_values_more": (
        "De eerste waarden kozen we omdat ze het meest spelen bij jouw vraag; de andere kunnen "
        "ook raken, maar dat is minder waarschijnlijk.",
        "The first values were chosen because they matter most for your question; the others "
        "can matter too, but that is less likely.",
    ),
    "why_mag_result": (
        "Dit zijn de juridische signalen die je met de FG of een jurist bespreekt voordat je "
        "begint.",
        "These are the legal signals to discuss with the DPO or a lawyer before you start.",
    ),
    "why_outcome": (
        "Dit is de uitkomst. Je kunt hem doorgeven aan de ethiekadviseur, als rapport krijgen, "
        "of opnieuw beginnen.",
        "This is the outcome. You can hand it over to the ethics advisor, get it as a report, "
        "or start over.",
    ),
    "back_at_start": (
        "We zijn al bij het begin van de drietrap.",
        "We are already at the start of the three steps.",
    ),
    "back_to_quick": ("Terug naar de eerste indruk.", "Back to the first impression."),
    "nothing_to_skip": (
        "Er is hier niets over te slaan.",
        "There is nothing to skip here.",
    ),
    "stopped": (
        "Gestopt. Je gesprek blijft {state_days} dagen bewaard; typ iets om verder te gaan of "
        "`opnieuw` om alles te wissen en opnieuw te beginnen.",
        "Stopped. Your conversation is kept for {state_days} days; type anything to continue or "
        "`restart` to erase it and start over.",
    ),
    "restarted": (
        "Het gesprek is gewist en we beginnen opnieuw. (Een uitkomst die al was vastgelegd, "
        "blijft bij de ethiekadviseur.)",
        "The conversation has been erased and we start over. (An outcome that was already "
        "logged stays with the ethics advisor.)",
    ),
    "switched": ("We gaan verder in het Nederlands.", "We'll continue in English."),
    "summary_title": ("**Samenvatting tot nu toe**", "**Summary so far**"),
    "summary_question": ("Je vraag", "Your question"),
    "summary_nothing": (
        "Er is nog niets om samen te vatten: beschrijf eerst je vraag of project.",
        "There is nothing to summarise yet: first describe your question or project.",
    ),
    "summary_cases": ("Vergelijkbare casussen", "Similar cases"),
    "summary_instrument": ("Aanbevolen instrument", "Recommended instrument"),
    "not_yet": ("nog niet besproken", "not discussed yet"),
    "outcome_title": ("**Uitkomst**", "**Outcome**"),
    "verdict_groen": ("groen", "green"),
    "verdict_oranje": ("oranje", "orange"),
    "verdict_rood": ("rood", "red"),
    "verdict_onbekend": ("onbekend", "unknown"),
    "desirable": ("Wenselijk omdat", "Desirable because"),
    "undesirable": ("Onwenselijk omdat", "Undesirable because"),
    "tensions": ("Spanningen", "Tensions"),
    "lessons": ("Wat elders geleerd is", "What was learned elsewhere"),
    "instrument": ("Aanbevolen instrument", "Recommended instrument"),
    "preconditions": ("Wat het vraagt", "What it takes"),
    "contacts": ("Aanspreekpunten", "Contacts"),
    "next_steps": ("Volgende stappen", "Next steps"),
    "outcome_offer": (
        "Wil je dit doorgeven aan de ethiekadviseur, het rapport ontvangen, of opnieuw beginnen?",
        "Do you want to hand this over to the ethics advisor, get the report, or start over?",
    ),
    "answer_advisor_no_contact": (
        "Je telefoonnummer of e-mailadres heb ik weggelaten: contactgegevens bewaar ik niet, ook "
        "niet voor de adviseur. De adviseur antwoordt je hier, in dit gesprek; wil je gebeld "
        "worden, schrijf dan dat je dat wilt, dan zoekt de adviseur je via je organisatie.",
        "I left out your phone number or e-mail address: I keep no contact details, not for the "
        "advisor either. The advisor answers you here, in this conversation; if you want a "
        "call, say so, and the advisor will find you through your organisation.",
    ),
    "outcome_offer_handed": (
        "Wil je het rapport ontvangen, ijkmomenten plannen, of opnieuw beginnen?",
        "Do you want the report, to plan checkpoints, or to start over?",
    ),
    "handed_over": (
        "Doorgegeven aan de ethiekadviseur (kenmerk `{id}`). Een mens bekijkt je vraag en "
        "antwoordt via dit kanaal; met `mijn gegevens` zie je ook later de berichten van de "
        "adviseur.",
        "Handed over to the ethics advisor (reference `{id}`). A person will look at your "
        "question and answer through this channel; with `my data` you can also see the "
        "advisor's messages later.",
    ),
    "handed_over_unstaffed": (
        "Je vraag staat klaar voor de ethiekadviseur (kenmerk `{id}`). Maar in deze installatie "
        "is nog geen adviseur aangemeld, dus nu ziet niemand hem. Zodra er een adviseur is, "
        "krijgt die je vraag te zien en antwoordt hier. Wacht je liever niet? Vraag de "
        "beheerder van deze bot wie je kunt spreken.",
        "Your question is ready for the ethics advisor (reference `{id}`). But no advisor has "
        "been registered in this installation yet, so nobody sees it now. As soon as there is "
        "one, they will see your question and answer here. Rather not wait? Ask whoever runs "
        "this bot whom you can talk to.",
    ),
    "human_unstaffed": (
        "Ik zou je graag aan een mens doorgeven, maar in deze installatie is nog geen "
        "ethiekadviseur aangemeld. Vraag de beheerder van deze bot wie je kunt spreken. Wil je "
        "intussen mijn eerste indruk? Beschrijf dan je project in een paar zinnen.",
        "I would like to hand you to a person, but no ethics advisor has been registered in "
        "this installation yet. Ask whoever runs this bot whom you can talk to. Meanwhile, want "
        "my first impression? Then describe your project in a few sentences.",
    ),
    "handed_over_asked": (
        "Ik geef je vraag door aan de ethiekadviseur (kenmerk `{id}`), een mens die je "
        "antwoordt via dit kanaal; je ziet het antwoord hier en onder `mijn gegevens`. "
        "Hieronder staat wat ik er alvast over kan zeggen.",
        "I am handing your question to the ethics advisor (reference `{id}`), a person who will "
        "answer you through this channel; you will see the answer here and under `my data`. "
        "Below is what I can already say about it.",
    ),
    "human_describe_first": (
        "Dat kan: achter deze bot zit de ethiekadviseur, een mens. Beschrijf in een paar zinnen "
        "je project of vraag; ik geef die dan meteen aan de adviseur door, die je via dit "
        "kanaal antwoordt.",
        "Yes: behind this bot is the ethics advisor, a person. Describe your project or question "
        "in a few sentences; I will hand it to the advisor straight away, who will answer you "
        "through this channel.",
    ),
    "already_handed_over": (
        "Dit is al doorgegeven aan de ethiekadviseur (kenmerk `{id}`).",
        "This has already been handed over to the ethics advisor (reference `{id}`).",
    ),
    "report_ready": (
        "Hier is je rapport (kenmerk `{id}`).",
        "Here is your report (reference `{id}`).",
    ),
    "done_hint": (
        "Typ een nieuwe vraag om opnieuw te beginnen.",
        "Type a new question to start again.",
    ),
    "no_note": ("(geen toelichting)", "(no explanation)"),
    "step_verdicts": ("Oordeel per stap", "Verdict per step"),
    # The verdict card: the outcome at a glance, with the risk and the colours explained.
    "risk_card": ("Risico", "Risk"),
    "risk_explain_laag": (
        "weinig kans dat mensen of de organisatie schade lijden; ga zorgvuldig verder",
        "little chance that people or the organisation come to harm; go on with care",
    ),
    "risk_explain_midden": (
        "er zijn punten die mensen kunnen raken; bespreek ze voordat je verder gaat",
        "there are points that may affect people; discuss them before you go on",
    ),
    "risk_explain_hoog": (
        "het kan mensen flink raken of mag misschien niet; stop en overleg eerst",
        "it may seriously affect people or may not be allowed; stop and consult first",
    ),
    "first_step": ("Eerste stap", "First step"),
    "first_iama": ("een IAMA voor het algoritme", "an IAMA for the algorithm"),
    "first_children": ("een KIA, want het gaat om kinderen", "a KIA, as it concerns children"),
    "first_outside_eea": ("gegevens buiten de EER", "data outside the EEA"),
    "first_step_revised": (
        "Zet {name} in, zoals de ethiekadviseur adviseert; vraag de ethiekadviseur hoe je begint.",
        "Use {name}, as the ethics advisor advises; ask the ethics advisor how to begin.",
    ),
    "your_answers": ("Je antwoorden", "Your answers"),
    "abbreviations": ("Afkortingen", "Abbreviations"),
    "derived_answer": ("afgeleid uit je beschrijving", "taken from your description"),
    "legend": (
        "_groen: geen bezwaar gezien · oranje: eerst bespreken · rood: zo niet doen · "
        "onbekend: nog niet beantwoord_",
        "_green: no objection seen · orange: discuss first · red: not like this · "
        "unknown: not answered yet_",
    ),
    "section_why": ("Waarom, per stap", "Why, per step"),
    "section_values": ("Waarden en je antwoorden", "Values and your answers"),
    "section_law": ("Mag het? Signalen voor de FG", "Is it allowed? Signals for the DPO"),
    "section_cases": ("Wat elders geleerd is", "What was learned elsewhere"),
    "section_instrument": ("Instrument en aanspreekpunten", "Instrument and contacts"),
    "section_next": ("Volgende stappen", "Next steps"),
    # The ethics advisor's review, as the employee sees it.
    "revised_by_advisor": (
        "_herzien door de ethiekadviseur op {date}:_ {value} (reden: {reason})",
        "_revised by the ethics advisor on {date}:_ {value} (reason: {reason})",
    ),
    "advisor_messages": (
        "Berichten met de ethiekadviseur",
        "Messages with the ethics advisor",
    ),
    "sender_adviseur": ("Ethiekadviseur", "Ethics advisor"),
    # A triage's status (bot/storage/review.py: STATUSES), as the employee reads it.
    "status_nieuw": ("nieuw", "new"),
    "status_in-behandeling": ("in behandeling", "in progress"),
    "status_doorverwezen": ("doorverwezen", "referred"),
    "status_afgerond": ("afgerond", "closed"),
    "sender_medewerker": ("Jij", "You"),
    "advisor_reply": (
        "**Bericht van de ethiekadviseur** over je vraag (kenmerk `{id}`):",
        "**Message from the ethics advisor** about your question (reference `{id}`):",
    ),
    "choice_answer_advisor": ("Antwoord de adviseur", "Answer the advisor"),
    "answer_advisor_prompt": (
        "Typ je antwoord aan de ethiekadviseur; ik stuur het door (kenmerk `{id}`).",
        "Type your answer to the ethics advisor; I will pass it on (reference `{id}`).",
    ),
    "answer_advisor_sent": (
        "Doorgestuurd naar de ethiekadviseur. Je krijgt hier antwoord.",
        "Passed on to the ethics advisor. You will get an answer here.",
    ),
    "answer_advisor_empty": (
        "Ik kreeg geen tekst; kies nog eens 'Antwoord de adviseur' als je iets wilt sturen.",
        "I got no text; choose 'Answer the advisor' again if you want to send something.",
    ),
    "notify_here_on": (
        "Meldingen voor de ethiekadviseurs komen voortaan in dit gesprek: een triage met hoog "
        "risico, een signaal uit de AI-verordening (verboden of hoog risico) of een overdracht. "
        "Zonder persoonsgegevens of beschrijving. Typ `meldingen uit` om te stoppen.",
        "Notifications for the ethics advisors now come to this conversation: a triage with "
        "high risk, an AI Act signal (prohibited or high-risk) or a hand-over. Without personal "
        "data or description. Type `notifications off` to stop.",
    ),
    "notify_here_off": (
        "Er komen geen meldingen meer in dit gesprek.",
        "No more notifications in this conversation.",
    ),
    "advisors_only": (
        "Dat kan alleen een ethiekadviseur. Ben je adviseur? Vraag de beheerder je te koppelen "
        "met `ethiekbot advisor link`.",
        "Only an ethics advisor can do that. Are you one? Ask the administrator to link you "
        "with `ethiekbot advisor link`.",
    ),
    # Re-checking an earlier outcome (dialogs.compare, and the walk that starts from it).
    "choice_keep": ("Zo laten", "Keep"),
    "earlier_answer": (
        "Eerder antwoord: **{answer}**. Kies _Zo laten_ als dat niet veranderd is.",
        "Earlier answer: **{answer}**. Choose _Keep_ if that has not changed.",
    ),
    "answer_ja": ("ja", "yes"),
    "answer_nee": ("nee", "no"),
    "answer_weet-niet": ("weet ik niet", "don't know"),
    "answer_open": ("open antwoord", "open answer"),
    "answer_overgeslagen": ("overgeslagen", "skipped"),
    "answer_geen-zorg": ("geen zorg", "no concern"),
    "answer_zorg": ("zorg", "concern"),
}


def pick(lang: Lang, nl: str, en: str) -> str:
    """The Dutch or the English of a text written in place (not in this table)."""
    return nl if lang == "nl" else en


def t(key: str, lang: Lang, **kwargs: object) -> str:
    """The text ``key`` in ``lang``, formatted with ``kwargs``."""
    text = pick(lang, *_T[key])
    return text.format(**kwargs) if kwargs else text


def keys() -> list[str]:
    """All text keys."""
    return list(_T)


def pair(key: str) -> tuple[str, str]:
    """The Dutch and English text of ``key``, unformatted (for checks)."""
    return _T[key]


def mid_sentence(text: str) -> str:
    """``text`` to go on inside a sentence: its first letter in lower case, unless the word is
    an abbreviation ("IAMA")."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text
