"""Lexical resources for classification and expansion: tokens and phrase matching, the
financial lexicon, the classifier's word lists and example questions, and what a question
mentions (company-like names, fiscal periods, document types).

Rule-based, offline data kept apart so ``classify.py`` and ``expand.py`` read as logic.
Phrase matching is token based (never one giant regex): a 100k-character input costs one
linear pass plus dictionary look-ups. Sections are marked "# ---" and split cleanly.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, NamedTuple, TypeVar

P = TypeVar("P")

# Letters, digit runs, and the two symbols that live inside acronyms (P/E, SG&A).
# Letters and digits are separate tokens, so "FY2022" is FY + 2022 and "Q3" is Q + 3.
_TOKEN = re.compile(r"[^\W\d_]+|\d+|[&/]")
# What may sit between two tokens of one phrase: spaces, hyphens, commas, apostrophes.
_GAP = re.compile(r"[\s,\-'’]*")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


class Token(NamedTuple):
    text: str
    start: int
    end: int


class PhraseMatch(NamedTuple, Generic[P]):
    start: int  # character offsets into the text
    end: int
    surface: str
    payload: P


def clean_text(text: str) -> str:
    """NFKC-normalise, drop zero-width/format characters and turn control characters into spaces."""
    text = _CONTROL.sub(" ", unicodedata.normalize("NFKC", text))
    if text.isascii():
        return text
    # Dropping format characters (zero-width space, bidi marks) defeats "s\u200bell".
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def words(text: str) -> list[str]:
    """Split a whitespace-separated word list (keeps long lists of words compact)."""
    return text.split()


def tokenize(text: str) -> list[Token]:
    """Word, number and symbol tokens with their character offsets."""
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


@dataclass(frozen=True, slots=True)
class _Entry(Generic[P]):
    words: tuple[str, ...]  # surface form, for case-sensitive entries
    case_sensitive: bool
    payload: P


def fold(word: str) -> str:
    """Lower-case and fold British -isation spellings, so "amortisation" finds "amortization"."""
    return word.lower().replace("isation", "ization")


class PhraseIndex(Generic[P]):
    """Longest-match lookup of multi-word phrases over tokens, with an optional plural "s".

    Case-sensitive entries (short acronyms such as "IT" or "US") match only their exact
    casing; the rest match in any case. Only spaces, hyphens, commas and apostrophes may
    separate the tokens of one phrase, so a match never spans a question mark. The first
    phrase added wins when two share a key.
    """

    def __init__(self, phrases: Iterable[tuple[str, bool, P]]) -> None:
        self._entries: dict[tuple[str, ...], list[_Entry[P]]] = {}
        self._prefixes: set[tuple[str, ...]] = set()
        for phrase, case_sensitive, payload in phrases:
            words = tuple(t.text for t in tokenize(phrase))
            if not words:
                continue
            key = tuple(fold(w) for w in words)
            self._entries.setdefault(key, []).append(_Entry(words, case_sensitive, payload))
            self._prefixes.update(key[:n] for n in range(1, len(key)))

    def find(self, text: str, tokens: Sequence[Token] | None = None) -> list[PhraseMatch[P]]:
        """Non-overlapping matches, left to right, longest first at each position."""
        toks = tokenize(text) if tokens is None else tokens
        found: list[PhraseMatch[P]] = []
        i = 0
        while i < len(toks):
            hit = self._match_at(text, toks, i)
            if hit is None:
                i += 1
                continue
            length, payload = hit
            start, end = toks[i].start, toks[i + length - 1].end
            found.append(PhraseMatch(start, end, text[start:end], payload))
            i += length
        return found

    def _match_at(self, text: str, toks: Sequence[Token], i: int) -> tuple[int, P] | None:
        best: tuple[int, P] | None = None
        key: tuple[str, ...] = ()
        for j in range(i, len(toks)):
            if j > i and _GAP.fullmatch(text, toks[j - 1].end, toks[j].start) is None:
                break
            payload = self._lookup(key, toks[i : j + 1])
            if payload is not None:
                best = (j - i + 1, payload)
            key = (*key, fold(toks[j].text))
            if key not in self._prefixes:
                break
        return best

    def _lookup(self, head: tuple[str, ...], window: Sequence[Token]) -> P | None:
        last = window[-1].text
        candidates = [last]
        if len(last) > 2 and last[-1] in "sS":
            candidates.append(last[:-1])  # plural: ETFs, margins
        for word in candidates:
            for entry in self._entries.get((*head, fold(word)), ()):
                surface = (*(t.text for t in window[:-1]), word)
                if not entry.case_sensitive or surface == entry.words:
                    return entry.payload
        return None


# --- the financial lexicon: each group is one concept, acronyms and long forms alike -------
# The first acronym and the first long form of a group are the preferred replacements.
_LEXICON_TEXT = """
EBITDA | earnings before interest, taxes, depreciation and amortization
EBIT | operating income | operating profit | earnings before interest and taxes
EPS | earnings per share
P/E | price to earnings ratio | price-earnings ratio | PE ratio | price to earnings
TER | total expense ratio | ongoing charges figure | ongoing charges | expense ratio
AUM | assets under management
YoY | year over year | year on year
QoQ | quarter over quarter | quarter on quarter
CAGR | compound annual growth rate
FCF | free cash flow
capex | capital expenditure | capital expenditures | capital spending
opex | operating expenses | operating expenditure
COGS | cost of goods sold | cost of sales | cost of revenue
SG&A | selling, general and administrative | selling general and administrative expenses
R&D | research and development
D&A | depreciation and amortization
ROE | return on equity
ROA | return on assets
ROIC | return on invested capital
ROCE | return on capital employed
NAV | net asset value
ETF | exchange-traded fund | exchange traded fund
bps | basis points | basis point
FX | foreign exchange | currency
EM | emerging markets | emerging market
DM | developed markets | developed market
IG | investment grade
HY | high yield | junk bonds
CPI | consumer price index | inflation
PPI | producer price index
GDP | gross domestic product | economic growth
Fed | Federal Reserve
FOMC | Federal Open Market Committee
ECB | European Central Bank
BoE | Bank of England
BoJ | Bank of Japan
YTM | yield to maturity
duration | interest rate sensitivity | modified duration
KYC | know your customer | know your client
AML | anti-money laundering | anti money laundering
MiFID | Markets in Financial Instruments Directive
PEP | politically exposed person
revenue | sales | turnover | top line | net sales | total revenue
net income | net profit | net earnings | bottom line | profit after tax | earnings
gross profit
dividend payout ratio | payout ratio
dividend yield
DPS | dividends per share | dividend per share
working capital | net working capital
current ratio | working capital ratio
quick ratio | acid-test ratio | acid test ratio
inventory turnover | inventory turnover ratio | stock turnover
DSO | days sales outstanding
DPO | days payable outstanding
DIO | days inventory outstanding
accounts receivable | receivables | trade receivables | debtors
accounts payable | payables | trade payables | creditors
CCC | cash conversion cycle
gross margin | gross profit margin
operating margin | EBIT margin | operating profit margin
net margin | net profit margin | profit margin
EBITDA margin
leverage | debt to equity | debt-to-equity ratio | D/E | gearing
net debt
interest coverage | interest coverage ratio | interest cover | times interest earned
total debt | total borrowings
long-term debt | long term borrowings
share buyback | share repurchase | stock buyback | buyback | stock repurchase
goodwill
impairment | write-down | writedown
amortization
restructuring | restructuring charges | restructuring costs
segment | business segment | operating segment | reportable segment
guidance | outlook | forecast
FY | fiscal year | financial year
Q1 | first quarter | 1Q
Q2 | second quarter | 2Q
Q3 | third quarter | 3Q
Q4 | fourth quarter | 4Q
H1 | first half
H2 | second half
YTD | year to date
TTM | LTM | trailing twelve months | last twelve months
M&A | mergers and acquisitions
IPO | initial public offering
ESG | environmental, social and governance
GAAP | generally accepted accounting principles
IFRS | International Financial Reporting Standards
PP&E | PPNE | property, plant and equipment | fixed assets
operating cash flow | cash from operations | cash flow from operating activities
shareholders' equity | stockholders' equity | book value
market cap | market capitalization
EV | enterprise value
ADR | American depositary receipt
REIT | real estate investment trust
SEC | Securities and Exchange Commission
FCA | Financial Conduct Authority
10-K | annual report | form 10-K
10-Q | quarterly report | form 10-Q
8-K | current report | form 8-K
AGM | annual general meeting | annual shareholder meeting
CEO | chief executive officer
CFO | chief financial officer
UCITS | undertakings for collective investment in transferable securities
KIID | KID | key investor information document
OTC | over the counter | over-the-counter
IRR | internal rate of return
NPV | net present value
WACC | weighted average cost of capital
DCF | discounted cash flow
CDS | credit default swap
MBS | mortgage-backed securities
QE | quantitative easing
ETN | exchange-traded note
"""
LEXICON: tuple[tuple[str, ...], ...] = tuple(
    tuple(term.strip() for term in line.split("|")) for line in _LEXICON_TEXT.strip().splitlines()
)

# Short acronyms match only in capitals ("it" is not IT); these are not English words, so
# a lower-case spelling is still taken as the acronym.
LOWERCASE_OK: frozenset[str] = frozenset(
    words(
        """eps yoy qoq fcf aum etf ytm kyc aml cpi ppi gdp dso dpo dio ecb ter ttm ltm ytd ipo esg
        roe roa fy fx sg&a r&d d&a m&a p/e pp&e dps ccc wacc irr npv dcf otc fomc kiid
        q1 q2 q3 q4 h1 h2 1q 2q 3q 4q"""
    )
)


def is_acronym(term: str) -> bool:
    """True for a single-token abbreviation written with capitals (EPS, MiFID, Q1, 10-K)."""
    if " " in term:
        return False
    upper = sum(ch.isupper() for ch in term)
    return upper >= 2 or (upper == 1 and any(ch.isdigit() for ch in term)) or term == "Fed"


def case_sensitive(term: str) -> bool:
    """Short capitalised abbreviations match only as written; words match in any case."""
    letters = sum(ch.isalpha() for ch in term)
    return is_acronym(term) and letters < 4 and term.lower() not in LOWERCASE_OK


# --- classification vocabularies ------------------------------------------------------
# Comma-separated phrases, matched on word boundaries in any case.
VOCABULARIES: dict[str, str] = {
    "finance": """revenue, revenues, sales, net sales, topline, profit, profits, profitability,
    earnings, income, margin, margins, ebitda, ebit, eps, dividend, dividends, shares, stocks,
    equities, bonds, bondholder, fund, funds, etf, portfolio, investment, investments, invest,
    investing, investor, investors, asset, assets, liabilities, liability, debt, loan, loans,
    mortgage, inflation, recession, economy, economic, fiscal, quarterly, filing, filings,
    10-k, 10-q, 8-k, annual report, valuation, yield, yields, hedge fund, derivatives, futures,
    commodities, forex, exchange rate, interest rate, interest rates, central bank, treasury,
    treasuries, gilts, analyst, analysts, consensus, shareholder, shareholders, stockholders,
    acquisition, acquisitions, merger, ipo, buyback, repurchase, repurchases, capex, liquidity,
    solvency, credit rating, nasdaq, nyse, dow jones, ftse, msci, s&p, ticker, securities,
    brokerage, trading, advisor, adviser, advisors, wealth, client, clients, compliance,
    policy, policies, procedure, procedures, regulation, regulatory, restricted list,
    blackout, conflict of interest, suitability, fiduciary, research, prospectus, factsheet,
    fact sheet, kiid, nav, aum, expense ratio, ongoing charges, allocation, diversification,
    volatility, sharpe, drawdown, esg, subsidiary, subsidiaries, inventory, inventories,
    receivables, payables, depreciation, amortization, cogs, sg&a, payout, tax rate, pension,
    pensions, annuity, balance sheet, cash flow, income statement, p&l, financial, financials,
    finance, stock market, stock price, share price, market cap, cyclicality, capital intensive,
    working capital, quick ratio, gross margin, operating income, guidance, segment, goodwill,
    impairment, restructuring, capital expenditure, ratio, bps, basis points, sell-side,
    buy-side, hedging, benchmark, index fund, equity, credit, banking, lender, insurer,
    umsatz, gewinn, aktie, aktien, anleihe, anleihen, geschäftsjahr, bilanz, dividende,
    quartal, ingresos, beneficio, beneficios, acciones, bolsa, dividendo, trimestre, ventas,
    bénéfice, bourse, chiffre d'affaires, résultat""",
    "weak": """market, markets, price, prices, cost, costs, rate, rates, interest, return,
    returns, growth, value, capital, bank, banks, balance, fee, fees, tax, taxes, trade,
    share, stock, bond, security, option, options, risk, company, companies, business, firm,
    report, reports, plan, board, performance, money, cash, savings, salary, insurance,
    retirement, forecast, outlook, currency, duration, leverage, customers, revenue growth,
    strategy, competitors, management, legal, lawsuit, litigation, acquired, quarter, year""",
    "off_topic": """recipe, recipes, cook, cooking, bake, baking, oven, ingredient, ingredients,
    pasta, pizza, dessert, cake, cookies, soup, salad, dinner, lunch, breakfast, chicken, beef,
    vegan, vegetarian, sauce, roast, grill, fry, flour, eggs, omelette, paella, tacos, curry,
    sushi, menu, cuisine, kitchen, spices, garlic, lasagna, brownies, smoothie, cocktail,
    football, soccer, basketball, baseball, tennis, golf, cricket, rugby, hockey, nba, nfl,
    fifa, world cup, olympics, championship, tournament, playoffs, super bowl, goals, player,
    players, coach, messi, ronaldo, marathon, workout, gym, fitness, yoga, weather, raining,
    rain, sunny, snow, temperature, umbrella, humidity, hurricane, tornado, celsius,
    fahrenheit, flight, flights, hotel, hotels, vacation, holiday, trip, itinerary, passport,
    visa, beach, sightseeing, tourist, airport, luggage, museum, movie, movies, film, films,
    tv show, song, songs, lyrics, music, album, band, singer, actor, actress, celebrity,
    concert, video game, video games, anime, poem, poetry, joke, jokes, riddle, horoscope,
    zodiac, python, javascript, typescript, html, css, sql query, code, coding, programming,
    compile, compiler, debug, bug, function, variable, loop, array, linked list, algorithm,
    regex, git, github, docker, kubernetes, stack overflow, doctor, symptoms, diet, headache,
    flu, sleep, pregnant, capital of, dinosaur, dinosaurs, planet, planets, universe, galaxy,
    solar system, mount everest, tallest, meaning of life, pet, dog, dogs, cat, cats, puppy,
    kitten, horse, garden, gardening, flowers, dating, girlfriend, boyfriend, wedding,
    birthday, homework, translate, crossword, chess, painting, painted, guitar, piano, novel,
    receta, cocinar, pollo, huevos, harina, horno, arroz, tortilla, postre, rezept, kochen,
    backen, wetter, fußball, urlaub, recette, cuisiner, gâteau, météo, car, cars, bike,
    bicycle, tire, tyre, flat tire, engine, motorcycle, mechanic, hiking, hike, trail, trails,
    camping, fishing, hunting, skiing, surfing, climbing, national park, furniture, laundry,
    cleaning, plumbing, decorate, haircut, makeup, fashion, outfit, clothes, shoes, parenting,
    toddler, baby, kids, pokemon, minecraft, fortnite, sudoku, playstation, xbox, wifi, printer,
    laptop, smartphone, equation, integral, square root, prime number, algebra, calculus,
    geometry, synonym, grammar, spelling, how do you say, boston celtics, lakers, yankees,
    taylor swift, beyonce, harry potter, star wars, marvel, recipe for, vacation spots""",
    "small_talk": """hi, hello, hey, hiya, howdy, yo, greetings, good morning, good afternoon,
    good evening, good day, morning, thanks, thank you, thx, ty, cheers, much appreciated,
    appreciated, great, perfect, ok, okay, cool, awesome, nice, got it, brilliant, excellent,
    wonderful, bye, goodbye, see you, see ya, talk later, have a nice day, have a good day,
    how are you, how r u, how's it going, how is it going, how are things, how are you doing,
    what's up, whats up, sup, who are you, what are you, what's your name, what is your name,
    what can you do, what do you do, are you a bot, are you human, are you a robot,
    are you real, nice to meet you, pleased to meet you, you're welcome, no problem, sorry,
    yes, no, sure, lol, haha, hallo, hola, bonjour, salut, ciao, danke, gracias, merci,
    servus, buenos días, guten morgen, guten tag, that's all, that is all, that's it,
    nothing else, all good, no worries, np, never mind, nevermind, well done, good job,
    that helps, that's helpful, very helpful, helpful, you're great, you're awesome, i'm fine,
    i'm good, not bad, how was your weekend, how was your day, what's new, long time no see,
    catch you later, talk soon, see you tomorrow, have a great weekend, happy friday,
    happy new year, merry christmas, who built you, who made you, who created you,
    who developed you, who trained you, who owns you, who designed you, are you an ai,
    are you a human, are you a person,
    are you chatgpt, what model are you, tell me about yourself, introduce yourself,
    what are you called, how can you help, what can you help with, how does this work""",
    "filler": """there, so, much, very, a, lot, again, today, team, mate, buddy, assistant,
    bot, you, too, all, everyone, folks, doing, well, and, for, the, help, your, sir, madam,
    dear, friend, just, really, indeed, oh, ah, then, that, was, it, is, good, day, s, ll,
    re, m, ve, d, t, me, now, bye, later, tonight, weekend, great, i, am, fine, thanks, this,
    or""",
}
CJK_VOCABULARIES: dict[str, tuple[str, ...]] = {
    "finance": tuple(
        words("营收 收入 利润 股票 财报 股息 净利润 年报 基金 债券 季度 营业额 市盈率")
    ),
    "off_topic": tuple(words("菜谱 食谱 做饭 天气 足球 电影 旅游 笑话 料理 レシピ 天気")),
    "small_talk": tuple(words("你好 谢谢 こんにちは ありがとう")),
}
_ACTION_VERB_TEXT: dict[str, str] = {
    "trade": "buy sell purchase short dump liquidate redeem unwind rebalance invest divest "
    "subscribe",
    "trade_weak": "trade hedge allocate reallocate switch execute submit place cancel order exit "
    "close open amend modify",
    "admin": "change update edit set reset remove delete add waive reverse approve authorise "
    "authorize override unlock lock freeze unfreeze block unblock enroll enrol register sign "
    "raise lower increase decrease reduce trim apply mark log file grant revoke whitelist exempt "
    "upgrade downgrade activate deactivate enable disable renew extend book schedule flag top put",
    "money": "transfer wire move withdraw deposit remit pay refund",
    "mail": "email e-mail mail forward cc",
    "send": "send share",
    "contact": "notify contact call message text tell phone",
    "foreign": "kauf kaufe kaufen verkauf verkaufe verkaufen überweise überweisen compra comprar "
    "compre vende vender venda transfiere transferir achète acheter achetez vends vendre vendez "
    "vire virez",
}
# Request verbs by what they must act on to be a request (see ``classify._acts_on``).
ACTION_VERBS: dict[str, str] = {
    verb: kind for kind, text in _ACTION_VERB_TEXT.items() for verb in words(text)
}
# A word right after a request verb that makes the verb a noun or adjective ("Sell orders placed
# after 4pm", "Transfer pricing", "Close price", "Buy or sell?").
NOMINAL_AFTER_VERB = frozenset(
    words(
        """side sides orders rating ratings recommendation recommendations signal signals price
        prices pricing volume volumes date dates time times window windows cut cutoff rule
        rules restriction restrictions procedure procedures policy policies fee fees cost costs
        rate rates ratio value interest agent agents transaction transactions request requests
        process flow flows desk team idea ideas case thesis list or and vs versus of is are was
        were on along ahead through back than limits activity activities history record
        records confirmation confirmations settlement settlements instructions form forms
        needs requirements up off out down"""
    )
)
# Phrasal request verbs: the object is the word after the particle ("set up a direct debit").
PHRASAL_VERBS = frozenset(
    ("set up", "sign up", "top up", "pay off", "pay out", "close out", "sell off", "lock in")
)


# Labelled example questions for the ``exemplar`` classifier: written for this module, one
# intent per key, varied in wording so the nearest neighbours generalise.
EXEMPLARS: dict[str, tuple[str, ...]] = {
    "research": (
        "What was the company's revenue growth last fiscal year?",
        "Summarise the main risks in the latest annual report.",
        "How did operating margin change between the two quarters?",
        "What does our house view say about emerging market bonds?",
        "Which fund has the lowest ongoing charges?",
        "What is the firm's policy on personal account dealing?",
        "Explain the drivers of the decline in free cash flow.",
        "What guidance did management give for next year?",
        "How exposed is the portfolio to rising interest rates?",
        "Compare the dividend yields of the two utilities.",
        "What documents does the onboarding checklist require for a new client?",
        "Who may approve an exception to the best execution policy?",
        "What is the cut-off time for equity orders on the trading desk?",
        "Which securities are on the restricted list this month?",
        "What lending rate applies to a securities-backed loan?",
        "Can an advisor offer a structured note to a cautious investor?",
    ),
    "off_topic": (
        "What's a good recipe for banana bread?",
        "Who won the football match last night?",
        "Will it rain in London tomorrow?",
        "Recommend a hotel for my holiday in Rome.",
        "Write me a poem about the sea.",
        "How do I fix this error in my Python script?",
        "What's the best film of the year?",
        "How many moons does Jupiter have?",
        "How do I change a tyre on my car?",
        "Suggest a weekend itinerary for hiking in the mountains.",
        "What should I get my sister for her birthday?",
        "Can you help me with my maths homework?",
    ),
    "action": (
        "Sell all of my client's shares in the company today.",
        "Buy 1,000 units of the global equity fund for this account.",
        "Transfer fifty thousand dollars to the client's savings account.",
        "Please email the quarterly review to Mr Jones.",
        "Place a stop-loss order on the position.",
        "Cancel the pending trade and rebalance the portfolio.",
        "Open a new brokerage account for my client.",
        "Wire the proceeds to the external bank account.",
    ),
    "small_talk": (
        "Hello there!",
        "Thanks, that was helpful.",
        "How are you today?",
        "Good morning!",
        "Who are you and what can you do?",
        "Bye, have a nice evening.",
    ),
}


# --- mentions: names, periods and document types a question refers to ---------------------


class Period(NamedTuple):
    """A fiscal or calendar year, with the quarter when the question names one."""

    year: int
    quarter: int | None = None


class Mention(NamedTuple):
    text: str
    start: int
    end: int


class PeriodMention(NamedTuple):
    period: Period
    start: int
    end: int


MAX_ENTITIES = 20

# A capitalised word (ACME, Boeing's, JnJ, Coca-Cola), or a digit-led ticker like 3M.
_WORD = r"(?:[A-Z][\w&'’.\-]*[\w&]|[A-Z]|\d[A-Z]\b)"
_CAP_RUN = re.compile(rf"(?<![\w&]){_WORD}(?:[ \t]+(?:(?:&|of)[ \t]+)?{_WORD})*")
_QUOTED = re.compile(r"“([^”\n]{2,60})”|\"([^\"\n]{2,60})\"|(?<!\w)'([^'\n]{2,60})'(?!\w)")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")

# Capitalised words that are never names: function words, calendar, single letters of P/E.
_NOT_NAMES = frozenset(
    words(
        """a an the and or in on at as by for from to if is are was were be been has have had
        do does did can could would will should may might must shall i we you they he she it
        my our your their his her its this that these those there here also then so but not
        no yes ok okay please thanks thank hi hello hey dear sie
        january february march april june july august september october november december
        jan feb mar apr jun jul aug sep sept oct nov dec
        monday tuesday wednesday thursday friday saturday sunday"""
    )
)
# Words that do not open a name but may sit inside one ("Global Income Fund", not "Cash &
# Cash"): statement line items and lexicon terms.
_NOT_NAME_STARTS = frozenset(
    words(
        """cash total net gross adjusted non real change highest lowest contribution statement
        balance sheet income sales revenue market markets usd eur gbp usa ebitdar ppne dpo dio
        dso ccc cogs gaap agm ceo cfo p&l pp&e fiscal year quarter report annual interest
        expense expenses fixed asset assets inventory inventories debt equity operating capital
        dividends dividend earnings profit loss ratio growth margin good difference"""
    )
) | {term.lower() for group in LEXICON for term in group}
# Capitalised only because they open a sentence: question words, request verbs, topic words.
# Inside a sentence the same words are names ("for Block", "Bank of America").
_SENTENCE_OPENERS = (
    frozenset(
        words(
            """what which who whom whose how why when where whether using based according
            considering taking basing answer assume calculate define round give provide base
            among roughly between during respond approach compute address explain compare show
            tell list summarize summarise find describe let help ignore disregard pretend write
            make get go"""
        )
    )
    | {phrase.strip().lower() for text in VOCABULARIES.values() for phrase in text.split(",")}
    | set(ACTION_VERBS)
)
# Words that do not end a name ("ACME Revenue"), though they may ("Global Income Fund").
_NOT_NAME_ENDS = frozenset(words("cash total net gross statement sheet income sales revenue")) | {
    term.lower() for group in LEXICON for term in group
}
_PERIOD_WORD = re.compile(r"(?:FY|CY|Q|H)\d|\d{4}$|\d+Q", re.I)
_JOINERS = ("&", "of")


def _not_a_name(word: str, at_edge: bool, opens_sentence: bool) -> bool:
    low = word.lower()
    return (
        low in _NOT_NAMES
        or (at_edge and low in _NOT_NAME_STARTS)
        or (opens_sentence and low in _SENTENCE_OPENERS)
        or _PERIOD_WORD.match(word) is not None
        or sum(ch.isalpha() for ch in word) < (1 if word[0].isdigit() else 2)
    )


def _sentence_start(text: str, pos: int) -> bool:
    before = text[max(0, pos - 40) : pos].rstrip(" \t\"'“‘(")
    return not before or before[-1] in ".!?¿¡:;\n"


def _looks_like_name(word: str) -> bool:
    """A word that is a name even where every word is capitalised: ACME, JnJ, 3M, Boeing's."""
    return word[0].isdigit() or sum(ch.isupper() for ch in word) >= 2 or word.endswith(("'s", "’s"))


def _name_segments(text: str, match: re.Match[str]) -> list[Mention]:
    """Split one run of capitalised words at non-name words and after possessives."""
    found: list[Mention] = []
    current: list[re.Match[str]] = []

    def flush() -> None:
        while current and (
            current[-1].group() in _JOINERS
            or _POSSESSIVE.sub("", current[-1].group()).lower() in _NOT_NAME_ENDS
        ):
            current.pop()
        start = match.start() + current[0].start() if current else 0
        # A lone ordinary capitalised word opening a sentence ("Difference", "Wie") is not a name.
        if current and (
            len(current) > 1
            or _looks_like_name(current[0].group())
            or not _sentence_start(text, start)
        ):
            name = _POSSESSIVE.sub("", text[start : match.start() + current[-1].end()])
            found.append(Mention(name, start, start + len(name)))
        current.clear()

    for part in re.finditer(r"\S+", match.group()):
        word = _POSSESSIVE.sub("", part.group())
        if word in _JOINERS:
            if current:
                current.append(part)
        elif _not_a_name(
            word,
            at_edge=not current,
            opens_sentence=not current and _sentence_start(text, match.start() + part.start()),
        ):
            flush()
        else:
            current.append(part)
            if word != part.group():
                flush()  # "Amazon's FY2017": a possessive ends the name
    flush()
    return found


def find_entities(text: str) -> list[Mention]:
    """Company-like names: runs of capitalised words, ALLCAPS tickers and quoted names."""
    found: list[Mention] = []
    for match in _CAP_RUN.finditer(text):
        found.extend(_name_segments(text, match))
        if len(found) >= MAX_ENTITIES * 4:
            break
    for match in _QUOTED.finditer(text):
        inner = next(g for g in match.groups() if g is not None).strip()
        if inner and len(inner.split()) <= 6:
            found.append(Mention(inner, match.start(), match.end()))
    found.sort(key=lambda m: m.start)
    return found


def extract_entities(text: str) -> tuple[str, ...]:
    """Distinct names in order of first mention (case-insensitive), at most ``MAX_ENTITIES``."""
    seen: dict[str, str] = {}
    for mention in find_entities(text):
        seen.setdefault(mention.text.lower(), mention.text)
    return tuple(seen.values())[:MAX_ENTITIES]


_YY = r"(\d{4}|\d{2})(?!\d)"
_FISCAL = r"(?:FY|F\.Y\.|CY|fiscal\s+year|financial\s+year|fiscal)"
_ORDINAL = {"first": 1, "second": 2, "third": 3, "fourth": 4}
# (pattern, index of the year group, index of the quarter group or 0 for none).
_PERIOD_PATTERNS: tuple[tuple[re.Pattern[str], int, int], ...] = (
    (re.compile(rf"\bFY\s?'?{_YY}\s*Q([1-4])\b", re.I), 1, 2),  # FY2023Q1
    (re.compile(r"\b((?:19|20)\d{2})\s*Q([1-4])\b", re.I), 1, 2),  # 2023Q1
    (re.compile(rf"\bQ([1-4])\s*(?:of\s+|in\s+)?{_FISCAL}\s*'?{_YY}", re.I), 2, 1),
    (re.compile(r"\bQ([1-4])\s*(?:of\s+|in\s+)?((?:19|20)\d{2})(?!\d)", re.I), 2, 1),
    (re.compile(r"\bQ([1-4])\s*['’](\d{2})(?!\d)", re.I), 2, 1),  # Q3'23
    (re.compile(r"\b([1-4])Q\s*['’]?(\d{4}|\d{2})(?!\d)", re.I), 2, 1),  # 3Q23
    (
        re.compile(
            rf"\b(first|second|third|fourth)\s+(?:fiscal\s+)?quarter\s+(?:of\s+|in\s+)?"
            rf"(?:{_FISCAL}\s*)?'?((?:19|20)\d{{2}}|\d{{2}})(?!\d)",
            re.I,
        ),
        2,
        1,
    ),
    (re.compile(rf"\b{_FISCAL}\s*['’]?{_YY}", re.I), 1, 0),  # FY2022, FY 22, fiscal 2021
    (re.compile(r"(?<![\d$£€.,])((?:19[5-9]|20\d)\d)(?!\d|[.,]\d|\s*%)"), 1, 0),
)


def _year(digits: str) -> int:
    value = int(digits)
    if len(digits) == 2:
        return 2000 + value if value < 70 else 1900 + value
    return value


def find_periods(text: str) -> list[PeriodMention]:
    """Every year or quarter mention with its span; earlier patterns win overlaps."""
    taken = bytearray(len(text))
    found: list[PeriodMention] = []
    for pattern, year_group, quarter_group in _PERIOD_PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(taken[start:end]):
                continue
            quarter_text = match.group(quarter_group) if quarter_group else None
            quarter = None
            if quarter_text is not None:
                quarter = _ORDINAL.get(quarter_text.lower()) or int(quarter_text)
            found.append(PeriodMention(Period(_year(match.group(year_group)), quarter), start, end))
            taken[start:end] = b"\x01" * (end - start)
    found.sort(key=lambda m: m.start)
    return found


def extract_periods(text: str) -> tuple[Period, ...]:
    """Distinct periods in order of first mention."""
    return tuple(dict.fromkeys(m.period for m in find_periods(text)))


def _form(number: str, letter: str) -> str:
    # "10-K" always; "10K" unless it is an amount ($10K, 10K shares); "10k" only beside a
    # word that makes it a filing ("this 10k", "10k report").
    det = r"(?:this|the|its|their|latest|last|recent|annual|quarterly|form)\s+"
    doc = r"(?=\s+(?:report|filing|form|document|statement)s?\b)"
    low, up = letter.lower(), letter.upper()
    return (
        rf"(?<![\w$£€.,]){number}[-‐–]\s?[{low}{up}]\b"
        rf"|(?<![\w$£€.,]){number}{up}\b(?!\s+(?:shares|units|dollars|usd|eur|gbp|euros))"
        rf"|\b{det}{number}{low}\b|(?<![\w$£€.,]){number}{low}{doc}"
    )


_DOC_TYPES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (label, re.compile(pattern, flags))
    for label, pattern, flags in (
        ("10-K", _form("10", "k"), 0),
        ("10-Q", _form("10", "q"), 0),
        ("8-K", _form("8", "k"), 0),
        ("20-F", _form("20", "f"), 0),
        ("earnings release", r"\b(?:earnings|results)\s+(?:press\s+)?releases?\b", re.I),
        ("press release", r"(?<!earnings )(?<!results )\bpress\s+releases?\b", re.I),
        (
            "earnings call transcript",
            r"\b(?:earnings|conference)\s+calls?\b|\btranscripts?\b",
            re.I,
        ),
        ("fact sheet", r"\bfact\s?sheets?\b", re.I),
        (
            "policy",
            r"(?<!monetary )(?<!fiscal )\bpolic(?:y|ies)\b|\bprocedures?\b|\bguidelines?\b"
            r"|\bhandbook\b|\bcompliance\s+manual\b|\bcode\s+of\s+(?:conduct|ethics)\b",
            re.I,
        ),
        ("prospectus", r"\bprospectus(?:es)?\b", re.I),
        ("KIID", r"\bKII?Ds?\b|\bkey\s+investor\s+information\b", 0),
        ("annual report", r"\bannual\s+reports?\b", re.I),
        ("quarterly report", r"\bquarterly\s+reports?\b", re.I),
        ("research note", r"\b(?:research|analyst)\s+(?:notes?|reports?)\b", re.I),
        ("proxy statement", r"\bproxy\s+statements?\b|\bDEF\s?14A\b", re.I),
        ("presentation", r"\b(?:investor\s+)?presentations?\b|\bslide\s?decks?\b", re.I),
    )
)


def extract_doc_types(text: str) -> tuple[str, ...]:
    """Document types the question names, in a fixed order (10-K before 10-Q ...)."""
    return tuple(label for label, pattern in _DOC_TYPES if pattern.search(text))
