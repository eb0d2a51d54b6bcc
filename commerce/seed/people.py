"""Names and addresses for invented customers. E-mail domains are the reserved example.* ones."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

FIRST_NAMES = (
    "Anna",
    "Lukas",
    "Sophie",
    "Jonas",
    "Emma",
    "Finn",
    "Mia",
    "Noah",
    "Lea",
    "Elias",
    "Clara",
    "Paul",
    "Julia",
    "Felix",
    "Laura",
    "Ben",
    "Lotte",
    "Daan",
    "Sanne",
    "Bram",
    "Fleur",
    "Ruben",
    "Camille",
    "Louis",
    "Chloé",
    "Hugo",
    "Manon",
    "Léo",
    "Inès",
    "Jules",
    "Aoife",
    "Cian",
    "Niamh",
    "Oisín",
    "Saoirse",
    "Conor",
    "Marie",
    "Tobias",
    "Hannah",
    "Matthias",
    "Eva",
    "Maximilian",
    "Lena",
    "Simon",
    "Nora",
    "David",
    "Amira",
    "Yusuf",
    "Leyla",
    "Mehmet",
    "Zofia",
    "Piotr",
    "Ana",
    "Mateo",
    "Giulia",
    "Marco",
    "Sara",
    "Tomás",
    "Ivana",
    "Nikolai",
    "Elif",
    "Omar",
    "Priya",
    "Arjun",
    "Mei",
    "Kenji",
    "Fatima",
    "Samir",
    "Ingrid",
    "Lars",
)
LAST_NAMES = (
    "Müller",
    "Schmidt",
    "Fischer",
    "Weber",
    "Wagner",
    "Becker",
    "Hoffmann",
    "Schulz",
    "Koch",
    "Richter",
    "de Vries",
    "Jansen",
    "van Dijk",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "Bos",
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Murphy",
    "Kelly",
    "O'Sullivan",
    "Walsh",
    "Byrne",
    "Ryan",
    "O'Brien",
    "Gruber",
    "Huber",
    "Bauer",
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Nowak",
    "Kowalski",
    "Rossi",
    "Russo",
    "Yılmaz",
    "Kaya",
    "Demir",
    "García",
    "Fernández",
    "Silva",
    "Novak",
    "Horvat",
    "Lindqvist",
    "Haddad",
)
EMAIL_DOMAINS = ("example.com", "example.net", "example.org")

_ASCII = str.maketrans(
    {
        "ü": "ue",
        "ö": "oe",
        "ä": "ae",
        "ß": "ss",
        "é": "e",
        "è": "e",
        "í": "i",
        "á": "a",
        "ó": "o",
        "ı": "i",
        "ñ": "n",
        "'": "",
        " ": "",
    }
)


def email_local_part(first: str, last: str) -> str:
    return f"{first}.{last}".lower().translate(_ASCII)


@dataclass(frozen=True)
class Country:
    code: str
    region: str
    vat_rate_bp: int
    cities: tuple[tuple[str, Callable[[random.Random], str]], ...]
    street: Callable[[random.Random], str]


def _digits(lo: int, hi: int, width: int) -> Callable[[random.Random], str]:
    return lambda rng: f"{rng.randint(lo, hi):0{width}d}"


def _dutch(lo: int, hi: int) -> Callable[[random.Random], str]:
    letters = "ABCDEGHJKLMNPRSTVWXZ"
    return lambda rng: f"{rng.randint(lo, hi)} {rng.choice(letters)}{rng.choice(letters)}"


def _eircode(*areas: str) -> Callable[[random.Random], str]:
    chars = "ACDEFHKNPRTVWXY0123456789"
    return lambda rng: f"{rng.choice(areas)} {''.join(rng.choice(chars) for _ in range(4))}"


def _street(names: tuple[str, ...], number_first: bool) -> Callable[[random.Random], str]:
    def make(rng: random.Random) -> str:
        number, name = rng.randint(1, 140), rng.choice(names)
        return f"{number} {name}" if number_first else f"{name} {number}"

    return make


COUNTRIES: tuple[Country, ...] = (
    Country(
        "DE",
        "Germany",
        1900,
        (
            ("Berlin", _digits(10115, 14199, 5)),
            ("Hamburg", _digits(20095, 22769, 5)),
            ("München", _digits(80331, 81929, 5)),
            ("Köln", _digits(50667, 51149, 5)),
            ("Leipzig", _digits(4103, 4357, 5)),
            ("Freiburg", _digits(79098, 79117, 5)),
        ),
        _street(
            (
                "Lindenstraße",
                "Gartenweg",
                "Bahnhofstraße",
                "Schulstraße",
                "Birkenallee",
                "Am Markt",
                "Mühlenweg",
                "Kastanienallee",
                "Bergstraße",
                "Uferstraße",
            ),
            number_first=False,
        ),
    ),
    Country(
        "NL",
        "Netherlands",
        2100,
        (
            ("Amsterdam", _dutch(1011, 1109)),
            ("Utrecht", _dutch(3511, 3585)),
            ("Rotterdam", _dutch(3011, 3089)),
            ("Groningen", _dutch(9711, 9747)),
            ("Eindhoven", _dutch(5611, 5658)),
        ),
        _street(
            (
                "Kerkstraat",
                "Molenweg",
                "Dorpsstraat",
                "Lindelaan",
                "Prinsengracht",
                "Stationsweg",
                "Beukenlaan",
                "Havenkade",
            ),
            number_first=False,
        ),
    ),
    Country(
        "FR",
        "France",
        2000,
        (
            ("Paris", _digits(75001, 75020, 5)),
            ("Lyon", _digits(69001, 69009, 5)),
            ("Bordeaux", _digits(33000, 33800, 5)),
            ("Nantes", _digits(44000, 44300, 5)),
            ("Lille", _digits(59000, 59800, 5)),
        ),
        _street(
            (
                "rue des Lilas",
                "avenue de la Gare",
                "rue du Moulin",
                "place du Marché",
                "rue Victor Hugo",
                "chemin des Vignes",
                "rue de la Paix",
                "boulevard des Platanes",
            ),
            number_first=True,
        ),
    ),
    Country(
        "AT",
        "Austria",
        2000,
        (
            ("Wien", _digits(1010, 1230, 4)),
            ("Graz", _digits(8010, 8055, 4)),
            ("Salzburg", _digits(5020, 5026, 4)),
            ("Innsbruck", _digits(6020, 6080, 4)),
        ),
        _street(
            ("Hauptstraße", "Kirchengasse", "Wiener Straße", "Rosengasse", "Lindengasse", "Am Anger"),
            number_first=False,
        ),
    ),
    Country(
        "BE",
        "Belgium",
        2100,
        (
            ("Bruxelles", _digits(1000, 1210, 4)),
            ("Antwerpen", _digits(2000, 2660, 4)),
            ("Gent", _digits(9000, 9052, 4)),
            ("Liège", _digits(4000, 4032, 4)),
        ),
        _street(
            ("Kerkstraat", "rue de l'Église", "Stationsstraat", "avenue Louise", "Molenstraat", "rue des Tanneurs"),
            number_first=False,
        ),
    ),
    Country(
        "IE",
        "Ireland",
        2300,
        (
            ("Dublin", _eircode("D01", "D02", "D04", "D06", "D08", "D15")),
            ("Cork", _eircode("T12")),
            ("Galway", _eircode("H91")),
            ("Limerick", _eircode("V94")),
        ),
        _street(
            ("Main Street", "Church Road", "Harbour View", "Mill Lane", "Station Road", "Oak Park"), number_first=True
        ),
    ),
)
COUNTRY_WEIGHTS = (40, 20, 16, 9, 8, 7)
