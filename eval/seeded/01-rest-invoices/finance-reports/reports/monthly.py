import argparse
import csv
import sys
from collections import defaultdict
from datetime import date

from dateutil.parser import isoparse

from reports.invoices_client import InvoicesClient


def summarize(invoices, month: date) -> dict[str, dict[str, int]]:
    revenue: dict[str, int] = defaultdict(int)
    tax: dict[str, int] = defaultdict(int)
    for inv in invoices:
        if not inv["paid_at"]:
            continue
        paid = isoparse(inv["paid_at"]).date()
        if (paid.year, paid.month) != (month.year, month.month):
            continue
        currency = inv["currency"]
        revenue[currency] += inv["amount_paid"]
        tax[currency] += inv["tax_amount"]
    return {cur: {"revenue": revenue[cur], "tax": tax[cur]} for cur in revenue}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Revenue and tax collected per currency")
    parser.add_argument("month", help="YYYY-MM")
    args = parser.parse_args(argv)
    year, month = (int(part) for part in args.month.split("-"))

    totals = summarize(InvoicesClient().iter_invoices(status="paid"), date(year, month, 1))

    out = csv.writer(sys.stdout)
    out.writerow(["currency", "revenue_minor", "tax_minor"])
    for currency, row in sorted(totals.items()):
        out.writerow([currency, row["revenue"], row["tax"]])


if __name__ == "__main__":
    main()
