"""The pools the generator draws from: names, places, topics, phrases, notes, tags, outlets.

Plain data. Order matters: the generator picks by position from a seeded random generator, so
reordering or editing a pool changes every corpus made after it.
"""

from typing import NamedTuple


class Topic(NamedTuple):
    """What a story is about: its subject, how it is named in short, who and what it concerns,
    and what is expected of it."""

    subject: str
    short: str
    actors: str
    things: str
    outcome: str


class SyntheticOutlet(NamedTuple):
    name: str
    slug: str
    country: str
    domain: str  # its homepage's


FIRST_NAMES = (
    "Ahmed Aigerim Ali Amina Anna Arman Aslan Ayesha Bakhyt Boris Dana Daniyar Dmitry Elena "
    "Emre Farah Fatima Gulnara Hassan Ibrahim Ilya Irina Jamal Karim Khalid Laila Leyla Maria "
    "Marat Mehmet Mikhail Mohammad Nadia Nasser Nurlan Olga Omar Pavel Rania Rashid Rustam "
    "Samir Sara Sergei Serik Tariq Timur Yasmin Yerlan Yusuf Zainab Zarina Zeynep Adil Bilal "
    "Celine James Julia Lucas Martin Sophie Thomas Victor Walid Hana Kemal Aliya Ruslan"
).split()
LAST_NAMES = (
    "Abbas Abdullayev Akhmetov Alloush Aslanov Baikenov Bashir Bekov Demir Durmaz Erdem Farouk "
    "Ghazal Haddad Hamdan Ibragimov Ismailov Jabbar Kaya Karimov Kassem Khalil Kuznetsov Lavrov "
    "Mahmoud Malik Mansour Mirzaev Nasser Nurpeisov Orlov Osman Petrov Qasim Rahimi Rashidov "
    "Sabri Saleh Sarsenbayev Sayed Shalabi Smirnov Sokolov Suleimanov Tahir Tokayev Volkov Yilmaz "
    "Yusupov Zaki Zhakupov Darwish Hakimi Najjar Sidorov Morozov Ozturk Celik Aydin Bayramov "
    "Collins Dubois Fischer Hartmann Jensen Keller Laurent Moreau Novak Weber Wright Brennan"
).split()
PLACES = (
    ("ASTANA", "Kazakhstan"),
    ("ALMATY", "Kazakhstan"),
    ("DAMASCUS", "Syria"),
    ("ALEPPO", "Syria"),
    ("IDLIB", "Syria"),
    ("HOMS", "Syria"),
    ("BEIRUT", "Lebanon"),
    ("AMMAN", "Jordan"),
    ("BAGHDAD", "Iraq"),
    ("ERBIL", "Iraq"),
    ("TEHRAN", "Iran"),
    ("ISFAHAN", "Iran"),
    ("ANKARA", "Turkey"),
    ("ISTANBUL", "Turkey"),
    ("GAZIANTEP", "Turkey"),
    ("MOSCOW", "Russia"),
    ("GENEVA", "Switzerland"),
    ("CAIRO", "Egypt"),
    ("DOHA", "Qatar"),
    ("RIYADH", "Saudi Arabia"),
    ("BAKU", "Azerbaijan"),
    ("TASHKENT", "Uzbekistan"),
    ("BISHKEK", "Kyrgyzstan"),
    ("TBILISI", "Georgia"),
    ("YEREVAN", "Armenia"),
    ("AKTAU", "Kazakhstan"),
    ("SHYMKENT", "Kazakhstan"),
    ("MOSUL", "Iraq"),
    ("LATAKIA", "Syria"),
    ("DEIR EZZOR", "Syria"),
)
WIRE_AGENCIES = ("Reuters", "AFP", "Associated Press", "TASS", "Anadolu Agency", "Xinhua")
TOPICS = tuple(
    Topic(*topic)
    for topic in (
        ("peace talks", "the talks", "delegations", "a joint statement", "resume"),
        ("ceasefire", "the truce", "monitors", "violations", "hold"),
        ("prisoner exchange", "the exchange", "detainees", "lists of names", "go ahead"),
        ("aid convoy", "the convoy", "aid workers", "food and medicine", "reach the city"),
        ("grain corridor", "the corridor", "exporters", "grain shipments", "reopen"),
        ("pipeline project", "the pipeline", "engineers", "gas supplies", "be finished"),
        ("rail freight deal", "the deal", "rail operators", "cargo volumes", "double"),
        ("border crossing", "the crossing", "border guards", "trucks and buses", "reopen"),
        ("parliamentary election", "the vote", "election officials", "ballot papers", "be held"),
        ("sanctions package", "the sanctions", "banks", "frozen assets", "be lifted"),
        (
            "flood relief effort",
            "the relief effort",
            "rescue teams",
            "temporary shelters",
            "expand",
        ),
        ("earthquake response", "the response", "rescuers", "tents and blankets", "continue"),
        ("refugee returns", "the returns", "families", "identity papers", "start"),
        ("reconstruction conference", "the conference", "donors", "pledges", "open"),
        ("oil output agreement", "the agreement", "producers", "export quotas", "be extended"),
        ("water-sharing accord", "the accord", "farmers", "irrigation quotas", "be signed"),
        ("de-escalation zone", "the zone", "observers", "checkpoints", "be set up"),
        ("demining operation", "the operation", "sappers", "unexploded shells", "be completed"),
        ("currency reform", "the reform", "traders", "exchange rates", "take effect"),
        ("vaccination campaign", "the campaign", "health workers", "vaccine doses", "be extended"),
    )
)
ARMED_GROUP_WORDS = (
    "rebels",
    "opposition fighters",
    "militants",
    "armed groups",
    "insurgents",
    "terrorists",
)
GOVERNMENT_WORDS = ("the government", "the Syrian government", "Damascus", "the regime")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January February March April May June July August September October November December"
).split()
QUOTES = (
    "We will not abandon {place}",
    "Nobody wants another war in {place}",
    "The people of {place} have waited long enough",
    "We have written guarantees from {body}",
    "{place} is calm for now, but nobody trusts {body}",
    "Every family in {place} is asking the same question",
    "We are ready to talk to {body}",
    "{body} must not fail {place}",
)
# Invented names: a person's surname, a village, a body (council, brigade...).
ONSETS = "b d f g h j k l m n q r s t v z kh sh zh b d k m n r s t".split()
VOWELS = "a a e i o u a i".split()
CODAS = ["", "", "", "n", "r", "l", "m", "z", "s", "b", "d"]
SURNAME_ENDS = ("", "", "ov", "ev", "i", "an", "yan", "oglu", "ani")
PLACE_ENDS = ("", "", "abad", "iyeh", "ovka", "kent", "ah")
BODIES = tuple("Council Brigade Committee Centre Front Institute Commission Movement".split())
HEADINGS = (
    "Doubts over guarantees",
    "What comes next",
    "A fragile agreement",
    "Pressure from abroad",
    "Reaction on the ground",
    "The question of monitoring",
    "Numbers in dispute",
    "Earlier attempts",
)
NOTES = (
    "This figure differs from what other outlets report.",
    "Worth comparing with the wire copy: the wording changed here.",
    "Key point of the story.",
    "The source of this claim is not named.",
    "Earlier reports gave a *different* date for this.",
    "Background: see the previous round of talks.",
    "Loaded wording; other outlets say **opposition**.",
    "This is the only outlet that carries this sentence.",
    "Quoted without attribution in the other versions.",
    "Check against the official statement.",
)
QUESTIONS = (
    "Who confirmed this number?",
    "Is there an independent source for this?",
    "Which delegation said this first?",
    "Does this contradict the statement quoted above?",
    "When was this agreed?",
)
REPLIES = (
    "Agreed, the agency copy says the same.",
    "The official statement gives a lower figure.",
    "Good catch, I had missed that.",
    "Not sure: the other outlets leave this out.",
    "See the ministry's statement from the same day.",
    "Thanks, I added a tag.",
)
TAGS = (
    "ceasefire",
    "casualties",
    "humanitarian aid",
    "sanctions",
    "diplomacy",
    "framing",
    "numbers",
    "quotes",
    "unsourced",
    "background",
    "refugees",
    "economy",
    "energy",
    "elections",
    "russia",
    "turkey",
    "iran",
    "united nations",
    "wire copy",
    "contradiction",
    "timeline",
    "opinion",
    "needs checking",
    "official statement",
    "eyewitness",
)
# Outlets the generator adds beside the ones the migrations seed; each names itself in a
# footer line so that the importer recognises it too.
SYNTHETIC_OUTLETS = tuple(
    SyntheticOutlet(
        name, name.lower().replace(" ", "-"), country, f"{name.replace(' ', '')}.example".lower()
    )
    for name, country in (
        ("Caspian Courier", "Kazakhstan"),
        ("Steppe Herald", "Kazakhstan"),
        ("Levant Ledger", "Lebanon"),
        ("Meridian Daily", "United Kingdom"),
        ("Anatolian Observer", "Turkey"),
        ("Gulf Dispatch", "Qatar"),
    )
)
# How each seeded outlet closes its pages (a line its signatures match).
SEEDED_FOOTERS = {
    "mehr-news-agency": "All Content by Mehr News Agency is licensed under a Creative Commons "
    "Attribution 4.0 International License.",
    "press-tv": "Press TV’s website can also be accessed at the following alternate addresses: "
    "www.presstv.ir",
    "southfront": "Copyright © 2017 SouthFront, all rights reserved.",
    "gpa": "Copyright © 2017 Geopolitics Alert, all rights reserved.",
}
