"""The line items and measures the offline computations know, written from textbook
definitions (margins over revenue, liquidity ratios, turnover and returns over average
balances, days measures), never from any question set. ``assistant.formulas`` reads
them."""

from __future__ import annotations

from dataclasses import dataclass

# Line items by the names filings and research notes print (normalised: lower case, no
# punctuation, no "(loss)" or "total" prefix, no bracketed acronym, and a total named for
# either sign, "provided (used) by", read as "provided by").
ITEMS: dict[str, tuple[str, ...]] = {
    "revenue": ("revenue", "revenues", "net revenue", "net revenues", "net sales", "sales",
                "total net sales", "net operating revenues", "operating revenues",
                "net operating revenue", "operating revenue", "sales to customers"),
    "cost_of_revenue": ("cost of revenue", "cost of revenues", "cost of sales", "cogs",
                        "cost of goods sold", "cost of products sold"),
    "gross_profit": ("gross profit",),
    "operating_income": ("operating income", "income from operations", "operating profit"),
    "net_income": ("net income", "net earnings", "net profit", "consolidated net income",
                   "net loss", "net earnings loss", "net income loss"),
    "ebitda": ("ebitda", "adjusted ebitda"),
    "net_interest_income": ("net interest income",),  # a bank's interest earned less paid
    "current_assets": ("current assets",),
    "current_liabilities": ("current liabilities",),
    "inventory": ("inventory", "inventories", "merchandise inventories"),
    "total_assets": ("assets",),
    "free_cash_flow": ("free cash flow",),
    "operating_cash_flow": ("net cash provided by operating activities",
                            "net cash from operating activities", "cash provided by operations",
                            "net cash provided by operations", "cash from operations",
                            "net cash from operations",
                            "net cash provided by operating activities continuing operations",
                            "cash flow from operating activities", "operating cash flow",
                            "cash flows from operating activities"),
    "capital_expenditure": ("capital expenditures", "capital expenditure", "capital spending",
                            "capex",
                            "purchases of property and equipment",
                            "purchases of property plant and equipment",
                            "purchases of land buildings and equipment",
                            "payments for property and equipment",
                            "payments for property plant and equipment",
                            "additions to property and equipment",
                            "additions to property plant and equipment",
                            # as the US GAAP taxonomy names it
                            "payments to acquire property plant and equipment",
                            "payments to acquire property and equipment"),
    "depreciation_amortization": ("depreciation and amortization",
                                  "depreciation amortization",
                                  "depreciation and amortization expense",
                                  # with the accretion of asset retirement obligations, or
                                  # a producer's depletion of its reserves
                                  "depreciation amortization and accretion",
                                  "depreciation depletion and amortization"),
    "accounts_payable": ("accounts payable", "trade accounts payable", "accounts payable trade",
                         "accounts payable net"),
    "accounts_receivable": ("accounts receivable", "accounts receivable net", "receivables",
                            "receivables net", "trade receivables", "trade receivables net",
                            "trade accounts receivable", "trade accounts receivable net"),
    "total_equity": ("stockholders equity", "shareholders equity", "stockholders equity net",
                     "equity", "shareowners equity", "stockholders investment"),
    "interest_expense": ("interest expense", "interest expense net", "net interest expense",
                         "interest net",  # "Interest, net" on an industrial's statement
                         "net interest expense and other", "interest expense and other"),
    "pretax_income": ("income before income taxes", "earnings before income taxes",
                      "income before taxes", "income before provision for income taxes",
                      "income from continuing operations before income taxes",
                      "earnings from continuing operations before income taxes",
                      # "taxes on income" for "income taxes", as some statements print it
                      "income before provision for taxes on income",
                      "earnings before provision for taxes on income",
                      "income from continuing operations before provision for taxes on income",
                      "income from continuing operations before provision benefit for taxes "
                      "on income"),
    "income_tax": ("provision for income taxes", "income tax expense", "income taxes",
                   "provision for income tax", "income tax provision",
                   "income tax expense benefit", "provision benefit for income taxes",
                   "provision for taxes on income", "provision benefit for taxes on income",
                   "taxes on income"),
    "dividends_paid": ("dividends paid", "cash dividends paid", "payments of dividends",
                       "dividends paid to shareholders", "dividends paid to stockholders",
                       "cash dividends", "payment of dividends",
                       "common stock cash dividends paid", "common stock dividends paid"),
    "research_development": ("research and development", "research and development expense",
                             "research and development expenses", "research development",
                             "r d", "r d expense", "r d expenses"),
    "sga": ("selling general and administrative", "selling general and administrative expense",
            "selling general and administrative expenses", "sg a", "sg a expense",
            "sg a expenses"),
    # Its own line where a statement splits selling from administration: "sales" in it
    # is no revenue.
    "sales_marketing": ("sales and marketing", "sales and marketing expense",
                        "sales and marketing expenses", "selling and marketing",
                        "selling and marketing expense", "selling and marketing expenses",
                        "marketing and sales"),
    "general_administrative": ("general and administrative",
                               "general and administrative expense",
                               "general and administrative expenses"),
    "goodwill": ("goodwill", "goodwill net"),
    "cash": ("cash and cash equivalents", "cash and equivalents"),
    "total_liabilities": ("liabilities",),
    "long_term_debt": ("long term debt", "long term debt net", "long term debt noncurrent",
                       "long term debt excluding current portion",
                       "long term debt net of current portion",
                       "long term debt less current portion",
                       "long term debt due after one year"),
    "share_repurchases": ("share repurchases", "stock repurchases", "repurchases of common stock",
                          "repurchase of common stock", "purchases of common stock",
                          "purchase of common stock", "purchases of treasury stock",
                          "purchase of treasury stock", "common stock repurchased",
                          "repurchases of shares", "repurchase of shares",
                          "purchase of company stock", "purchases of company stock",
                          "repurchase of company stock", "repurchases of company stock"),
    "fixed_assets": ("property and equipment net", "property plant and equipment net",
                     "net property plant and equipment", "net property and equipment",
                     "land buildings and equipment net", "property plant and equipment",
                     "property and equipment"),
    "operating_expenses": ("total operating expenses", "operating expenses",
                           "total costs and expenses", "costs and expenses",
                           "total operating costs and expenses"),
    # Per share: its basic and diluted rows are its parts, under its heading ("Earnings
    # per share:" then "Diluted $ 9.68 ..."), asked as "diluted EPS".
    "eps": ("earnings per share", "earnings per common share", "net income per share",
            "net earnings per share", "net income per common share", "eps"),
    # A cash flow statement that prints depreciation and amortization as two lines.
    "depreciation": ("depreciation", "depreciation expense"),
    "amortization": ("amortization", "amortization of intangible assets",
                     "amortization of intangibles", "amortization of purchased intangibles",
                     "amortization of acquired intangible assets",
                     "amortization of purchased intangible assets"),
}  # fmt: skip

# Amounts spent: a statement brackets them as outflows or deductions ("(1,577)", "Research
# and development expense, net (2,852)"), and the figure asked is the amount spent
# ("capital expenditure of 1,577 million"), as the definitions below read them.
# Amounts per share: never in the scale a statement states its other amounts in.
PER_SHARE = frozenset({"eps"})

OUTFLOWS = frozenset(
    {
        "capital_expenditure",
        "dividends_paid",
        "share_repurchases",
        "cost_of_revenue",
        "research_development",
        "sga",
        "sales_marketing",
        "general_administrative",
        "interest_expense",
    }
)


@dataclass(frozen=True, slots=True)
class Definition:
    """``measure = expression`` over line items in one period (``prior_`` = the period before)."""

    measure: str
    pattern: str  # how a question names the measure
    expression: str
    unit: str  # "%", "x", "" (a plain number), or AMOUNT
    # The line item that states the measure where a statement prints it: then its row is
    # the answer, and the definition computes it only where it is not printed.
    printed: str = ""


# The unit of a measure that is an amount of money: shown in the scale the statements
# state ("1,561.00 million") when every operand's page states the same one.
AMOUNT = "amount"


# "as a percentage of", "to", "over" revenue or sales: a line item's share of revenue.
_OF_REVENUE = (
    r"\s*(as an? (%|percent(age)?|share|proportion) of|as % of|to|/|over|relative to) "
    r"(total |net )?(revenues?|sales)"
)

DEFINITIONS: tuple[Definition, ...] = (
    # Not every income statement prints it (3M's does not): net sales less cost of sales.
    Definition("gross profit", r"gross profit(?!\s*(?:%\s*)?margin)", "revenue - cost_of_revenue",
               AMOUNT, printed="gross_profit"),
    Definition("gross margin", r"gross (profit )?(% )?margin", "gross_profit / revenue * 100", "%"),
    Definition("gross margin", r"gross (profit )?(% )?margin",
               "(revenue - cost_of_revenue) / revenue * 100", "%"),
    Definition("operating margin", r"operating (profit |income )?(% )?margin",
               "operating_income / revenue * 100", "%"),
    Definition("net margin", r"net (profit |income )?(% )?margin|profit (% )?margin",
               "net_income / revenue * 100", "%"),
    Definition("EBITDA margin", r"ebitda (% )?margin", "ebitda / revenue * 100", "%"),
    # EBITDA as analysts build it when it is not printed: operating income plus the
    # depreciation and amortization of the cash flow statement.
    Definition("EBITDA margin", r"ebitda (% )?margin",
               "(operating_income + depreciation_amortization) / revenue * 100", "%"),
    Definition("EBITDA margin", r"ebitda (% )?margin",
               "(operating_income + depreciation + amortization) / revenue * 100", "%"),
    Definition("current ratio", r"current ratio|working capital ratio",
               "current_assets / current_liabilities", "x"),
    Definition("quick ratio", r"quick ratio|acid[- ]test",
               "(current_assets - inventory) / current_liabilities", "x"),
    Definition("inventory turnover", r"inventory turnover",
               "cost_of_revenue / avg(inventory, prior_inventory)", "x"),
    Definition("fixed asset turnover", r"fixed asset turnover|pp&e turnover",
               "revenue / avg(fixed_assets, prior_fixed_assets)", "x"),
    Definition("asset turnover", r"(?<!fixed )(total )?asset turnover",
               "revenue / avg(total_assets, prior_total_assets)", "x"),
    Definition("D&A margin",
               r"(depreciation and amortization|d&a) (% )?margin|"
               r"(depreciation and amortization|d&a) as a % of revenue",
               "depreciation_amortization / revenue * 100", "%"),
    # Days measures over average balances; payables over purchases (cost of sales plus the
    # year's change in inventory), as the CFA curriculum defines payables turnover.
    Definition("days inventory outstanding", r"days inventory outstanding|dio|days in inventory",
               "365 * avg(inventory, prior_inventory) / cost_of_revenue", ""),
    Definition("days sales outstanding", r"days sales outstanding|dso",
               "365 * avg(accounts_receivable, prior_accounts_receivable) / revenue", ""),
    Definition("days payable outstanding", r"days payables? outstanding|dpo",
               "365 * avg(accounts_payable, prior_accounts_payable)"
               " / (cost_of_revenue + inventory - prior_inventory)", ""),
    Definition("cash conversion cycle", r"cash conversion cycle",
               "365 * avg(inventory, prior_inventory) / cost_of_revenue"
               " + 365 * avg(accounts_receivable, prior_accounts_receivable) / revenue"
               " - 365 * avg(accounts_payable, prior_accounts_payable)"
               " / (cost_of_revenue + inventory - prior_inventory)", ""),
    Definition("receivables turnover", r"(accounts )?receivables? turnover",
               "revenue / avg(accounts_receivable, prior_accounts_receivable)", "x"),
    Definition("payables turnover", r"(accounts )?payables? turnover",
               "(cost_of_revenue + inventory - prior_inventory)"
               " / avg(accounts_payable, prior_accounts_payable)", "x"),
    # Returns over the year's average balance, as textbooks compute them.
    Definition("return on assets", r"return on (total )?assets|roa",
               "net_income / avg(total_assets, prior_total_assets) * 100", "%"),
    Definition("return on equity",
               r"return on (shareholders'? |stockholders'? |common )?equity|roe",
               "net_income / avg(total_equity, prior_total_equity) * 100", "%"),
    Definition("interest coverage", r"interest coverage( ratio)?|times interest earned",
               "operating_income / abs(interest_expense)", "x"),
    Definition("effective tax rate", r"effective (income )?tax rate",
               "income_tax / pretax_income * 100", "%"),
    Definition("dividend payout ratio", r"(dividend )?payout ratio",
               "abs(dividends_paid) / net_income * 100", "%"),
    # Working capital as textbooks define it, not a company's own "core" or "trade" variant.
    Definition("working capital",
               r"(?<!core )(?<!trade )(?<!operating )(net )?working capital(?! ratio)",
               "current_assets - current_liabilities", AMOUNT),
    Definition("operating cash flow ratio", r"operating cash flow ratio",
               "operating_cash_flow / current_liabilities", "x"),
    # EBITDA as a figure (its margin is above): operating income plus D&A.
    # "Unadjusted EBITDA" is EBITDA; "adjusted EBITDA" is the company's own measure.
    Definition("EBITDA", r"(?<!(?<!un)adjusted )ebitda(?! (% )?margin)",
               "operating_income + depreciation_amortization", AMOUNT),
    Definition("EBITDA", r"(?<!(?<!un)adjusted )ebitda(?! (% )?margin)",
               "operating_income + depreciation + amortization", AMOUNT),
    Definition("free cash flow", r"free cash flow|fcf",
               "operating_cash_flow - abs(capital_expenditure)", AMOUNT),
    Definition("capex as a share of revenue",
               rf"(capex|capital expenditures?|capital spending){_OF_REVENUE}",
               "abs(capital_expenditure) / revenue * 100", "%"),
    # An expense line as a share of revenue ("SG&A as a percentage of revenue", "R&D to
    # sales"): the line over revenue, whatever sign its statement prints.
    *(
        Definition(f"{name} as a share of revenue", rf"({pattern}){_OF_REVENUE}",
                   f"abs({item}) / revenue * 100", "%")
        for item, name, pattern in (
            ("sga", "SG&A", r"sg&a|sga|selling,? general,? and administrative( expenses?)?"),
            ("research_development", "R&D", r"r&d|research and development( expenses?)?"),
            ("sales_marketing", "sales and marketing",
             r"(sales|selling) and marketing( expenses?)?"),
            ("general_administrative", "G&A",
             r"(?<!selling, )(?<!selling )g&a|(?<!selling, )(?<!selling )general and "
             r"administrative( expenses?)?"),
            ("cost_of_revenue", "cost of revenue",
             r"cost of (revenues?|sales|goods sold)|cogs"),
        )
    ),
)  # fmt: skip
