"""The demo's sample ledger (cperules/samples/sample-ledger.csv) and its evaluation, for tests.

The text is kept here as well, and a test checks that it matches the packaged sample.
"""

import csv
import datetime as dt
import io

from cperules import Evaluation, Holding, Ledger, catalog, evaluate

SAMPLE_CSV = """\
id,title,completed,credits,minutes,category,topics,delivery,kind,provider
a1,Cloud security architecture course,2023-05-01,50,,A,cloud,in-person,course,SANS
b1,Leadership workshop,2024-01-10,45,,B,leadership,in-person,seminar,Local college
a2,Incident response conference,2025-06-01,30,,A,incident-response,in-person,conference,ISC2 Chapter
a3,Zero trust webinar series,2025-10-01,,1200,A,zero-trust,live-online,webinar,ISC2
a4,Threat modeling book,2026-01-15,15,,A,threat-modeling,self-study,book,
a5,Cryptography refresher,2026-04-20,,150,A,cryptography,on-demand,course,Coursera
x1,Spreadsheet basics,2026-05-02,3,,Z,office,on-demand,course,Coursera
"""


def sample_ledger() -> Ledger:
    return Ledger.from_records(csv.DictReader(io.StringIO(SAMPLE_CSV)))


def sample_result() -> Evaluation:
    """What `make demo` evaluates: the sample ledger against isc2/cissp on 2026-11-24."""
    return evaluate(
        Holding(certification=catalog.get("isc2/cissp"), earned=dt.date(2023, 3, 1)),
        sample_ledger(),
        as_of=dt.date(2026, 11, 24),
    )
